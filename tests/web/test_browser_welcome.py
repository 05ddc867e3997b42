"""A real headless Chromium: the first start from the demo to one's own coalition, and page addresses that the
menu does not have (``/overzicht``, a title as address, a typo) without Streamlit's English "Page not found".

With CI=true these tests fail (never skip) when Chromium or Playwright is missing.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import ARTIFACTS, READY, _open, _serve, serve_demo_copy

from kansrijke.core.i18n import t
from kansrijke.core.store import Store

pytestmark = pytest.mark.browser

ENGLISH_DIALOG = "Page not found"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def settled(page) -> None:
    """The script run is over (Streamlit marks the app "notRunning")."""
    page.wait_for_timeout(300)
    page.wait_for_selector(READY, timeout=90_000)


@pytest.fixture(scope="module")
def first_start(tmp_path_factory, demo_db):
    """A server as a new user starts it: the demo file in place (no build needed), no own database yet."""
    data_dir = tmp_path_factory.mktemp("first-start")
    Store.close_all()  # the file is complete on disk before it is copied
    shutil.copy(demo_db, data_dir / "demo.duckdb")
    with _serve(data_dir) as (url, _):
        yield {"url": url, "own": data_dir / "kansrijke.duckdb"}


@pytest.fixture(scope="module")
def demo_app(browser, tmp_path_factory, demo_db):
    """A server on a copy of the demo (read only by these tests), past its first request.

    The very first request a Streamlit process serves runs in its legacy "pages/ folder" mode, which knows
    only the file names in pages/ and shows its English dialog for any other address before app.py can route
    it (``/overzicht``, a file name, is fine: see the first-start test). Every later request is routed."""
    with serve_demo_copy(tmp_path_factory.mktemp("demo-addresses"), demo_db) as (url, _):
        _open(browser, url, 1280, 720, charts=False).close()
        yield url


def test_from_the_demo_to_an_own_coalition(browser, first_start):
    """Demo banner -> "Begin met eigen gegevens" -> the welcome -> Gegevens -> start a coalition by hand ->
    Overzicht shows it. The very first request is ``/overzicht`` (an address the menu serves at "/") with a
    demo year chosen, which the own database does not have."""
    page = _open(browser, first_start["url"] + "/overzicht?periode=2021", 1280, 900, charts=False)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert page.get_by_text(ENGLISH_DIALOG).count() == 0
    page.get_by_role("heading", name="Overzicht: Amsterdam").wait_for(timeout=30_000)
    page.get_by_text("Voorbeelddata: fictieve cijfers").first.wait_for(timeout=30_000)
    assert not first_start["own"].exists()
    shot(page, "welkom-1-demo-1280x900.png")

    page.get_by_role("button", name=t("welcome.begin_own")).click()
    page.get_by_text("Let op: daarna opent deze monitor").wait_for()
    shot(page, "welkom-2-keuze-1280x900.png")
    page.get_by_role("button", name=t("welcome.begin_own_confirm")).click()
    page.get_by_role("heading", name=t("welcome.title")).wait_for(timeout=60_000)
    settled(page)
    assert first_start["own"].exists()
    page.get_by_text(t("welcome.begin_own_done")).wait_for(timeout=30_000)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Voorbeelddata: fictieve cijfers").count() == 0
    assert page.get_by_role("link", name=t("welcome.to_data")).count() == 3
    shot(page, "welkom-3-welkom-1280x900.png")

    page.get_by_role("link", name=t("welcome.to_data")).last.click()
    page.wait_for_url("**/gegevens**")
    page.get_by_role("heading", name=t("welcome.form_heading")).wait_for()
    settled(page)
    page.get_by_label(t("welcome.form_name")).fill("Coalitie Kansrijke Start Zwolle e.o.")
    members = page.get_by_role("combobox", name=t("welcome.form_members"))
    for name in ("Zwolle", "Zwartewaterland"):
        members.click()
        members.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name=t("welcome.form_submit")).click()
    done = page.get_by_text("is gestart met 2 gemeenten")
    done.wait_for(timeout=30_000)
    settled(page)
    done.scroll_into_view_if_needed()
    shot(page, "welkom-4-coalitie-gestart-1280x900.png")

    page.get_by_role("link", name=t("welcome.form_to_overview")).click()
    page.get_by_role("heading", name="Overzicht: Zwartewaterland").wait_for(timeout=60_000)
    settled(page)
    page.get_by_role("heading", name="Coalitie Kansrijke Start Zwolle e.o.").wait_for(timeout=30_000)
    assert page.get_by_role("heading", name=t("welcome.title")).count() == 0
    assert dialogs == [] and page.get_by_text(ENGLISH_DIALOG).count() == 0
    assert page.locator("[data-testid=stException]").count() == 0
    shot(page, "welkom-5-overzicht-coalitie-1280x900.png")
    page.close()


@pytest.mark.parametrize(
    ("address", "heading", "url_after"),
    [
        ("/overzicht?gemeente=Utrecht", "Overzicht: Utrecht", "/?gemeente=Utrecht"),
        ("/doelen-en-resultaten?gemeente=Utrecht", "Doelen en resultaten", "/doelen?gemeente=Utrecht"),
        ("/Over%20deze%20monitor", "Over deze monitor", "/over"),
    ],
)
def test_an_alias_opens_its_page_with_the_choices_of_the_link(browser, demo_app, address, heading, url_after):
    page = _open(browser, demo_app + address, 1280, 720, charts=False)
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
    settled(page)
    assert page.url == demo_app + url_after  # the page's own address, the link's choices kept
    page.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    assert page.get_by_text(ENGLISH_DIALOG).count() == 0
    if "gemeente=Utrecht" in address:
        sidebar = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox] input").first
        assert sidebar.input_value() == "Utrecht"
    page.close()


def test_an_unknown_address_gets_a_dutch_message_with_the_nearest_page(browser, demo_app):
    page = _open(browser, demo_app + "/overzict?gemeente=Utrecht", 1280, 720, charts=False)
    page.get_by_role("heading", name=t("welcome.not_found_title")).wait_for()
    settled(page)
    assert page.get_by_text(ENGLISH_DIALOG).count() == 0
    page.get_by_text("Deze monitor heeft geen pagina '/overzict'").wait_for(timeout=30_000)
    shot(page, "onbekende-pagina-1280x720.png")
    page.get_by_role("link", name=t("welcome.not_found_suggest", title="Overzicht")).click()
    page.get_by_role("heading", name="Overzicht: Utrecht").wait_for(timeout=60_000)
    assert page.get_by_text(ENGLISH_DIALOG).count() == 0
    page.close()
