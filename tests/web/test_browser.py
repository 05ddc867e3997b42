"""A real headless Chromium against `streamlit run app.py`, started with an empty data directory.

With CI=true these tests fail (never skip) when Chromium or Playwright is missing.
"""

from __future__ import annotations

import time

import pytest
from conftest import ARTIFACTS, READY, ROOT, _open, _serve, serve_demo_copy

from kansrijke.core.i18n import t

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fresh_app(tmp_path_factory):
    """A server with no database yet: the first start builds the demo."""
    data_dir = tmp_path_factory.mktemp("empty-data")
    with _serve(data_dir) as (url, started):
        yield {"url": url, "started": started, "db": data_dir / "demo.duckdb"}  # the demo lives in its own file


def test_fresh_start_renders_overview_with_banner_and_chart(browser, fresh_app):
    page = _open(browser, fresh_app["url"])
    elapsed = time.monotonic() - fresh_app["started"]
    print(f"\nfresh start to first page rendered: {elapsed:.1f} s")
    page.wait_for_function("document.title === 'Overzicht · Kansrijke Start Monitor'", timeout=30_000)
    assert page.get_by_text("Voorbeelddata: fictieve cijfers").first.is_visible()
    assert page.get_by_role("heading", name="Overzicht: Amsterdam").is_visible()
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 4
    assert fresh_app["db"].exists()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overzicht-1920x1080.png"), full_page=False)
    page.close()


def test_choice_in_url_survives_page_switch(browser, fresh_app):
    page = _open(browser, f"{fresh_app['url']}/?gemeente=Utrecht&periode=2021", 1280, 720)
    assert page.get_by_role("heading", name="Overzicht: Utrecht").is_visible()
    page.get_by_role("link", name="Over deze monitor").click()
    page.wait_for_url("**/over**")
    page.wait_for_selector(READY)
    assert "gemeente=Utrecht" in page.url and "periode=2021" in page.url
    page.get_by_role("link", name="Overzicht").click()
    page.wait_for_url(lambda url: "/over" not in url)
    page.wait_for_selector(READY)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    assert page.get_by_role("heading", name="Overzicht: Utrecht").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overzicht-1280x720.png"))
    page.close()


def test_deep_link_as_first_request_opens_the_page_inside_the_app(browser, tmp_path, demo_db):
    """A link to a page (not the start page) as the very first request of a fresh server still gets the
    app's navigation, sidebar and URL choices (Streamlit would otherwise run the page file alone)."""
    with serve_demo_copy(tmp_path, demo_db) as (url, _):  # a server of its own: this is its first request
        page = _open(browser, url + "/gegevens?gemeente=Utrecht", 1280, 720, charts=False)
        uploader = import_uploader(page)
        uploader.locator("input[type=file]").set_input_files(str(ROOT / "README.md"))
        uploader.get_by_text("README.md").wait_for()
        page.wait_for_selector(READY)
        assert page.get_by_role("link", name="Over deze monitor").is_visible()
        assert page.get_by_role("link", name="app").count() == 0
        assert page.get_by_role("heading", name="Gegevens").is_visible()
        assert page.locator("[data-testid=stSidebar] [data-testid=stSelectbox] input").first.input_value() == "Utrecht"
        page.close()


def import_uploader(page):
    """The import's file uploader, by its label: Gegevens has a second one (restore a backup, zip only), and
    ``input[type=file]`` ``.first`` once gave a CSV to that one under load (refused there, so no report came)."""
    return page.locator('[data-testid="stFileUploader"]').filter(has_text=t("data_page.upload_label"))


def test_upload_report_is_shown_as_text_never_run(browser, tmp_path, demo_db):
    """A file with markup and formulas: the report shows them as text; no script runs, nothing is written.
    (On own data: an upload into the demo is refused before it is read.)"""
    data_dir = tmp_path / "own"
    data_dir.mkdir()
    with serve_demo_copy(data_dir, demo_db, own=True) as (url, _):
        _upload_report_is_text(browser, url, tmp_path)


def _upload_report_is_text(browser, url: str, tmp_path) -> None:
    page = _open(browser, url + "/gegevens", 1280, 900, charts=False)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    bad = tmp_path / "fout.csv"
    bad.write_text(
        "gemeentecode;indicator;periode;waarde\n<img src=x onerror=alert(1)>;big2;2023;5\n"
        'GM0363;big2;2023;=HYPERLINK("http://x")\n',
        encoding="utf-8",
    )
    uploader = import_uploader(page)
    uploader.locator("input[type=file]").set_input_files(str(bad))
    uploader.get_by_text("fout.csv").wait_for(timeout=30_000)  # the upload arrived
    try:
        page.get_by_text("2 fouten").wait_for(timeout=60_000)
    except Exception as exc:  # say what the page showed instead, for a failure in CI
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "gegevens-upload-failed.png"), full_page=True)
        state = page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
        shown = page.locator('[data-testid="stMain"]').inner_text()
        raise AssertionError(f"no upload report; script {state}; the page showed:\n{shown}") from exc
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("img[src=x]").count() == 0
    assert page.get_by_role("button", name="Importeren").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "gegevens-fouten-1280x900.png"), full_page=True)
    page.close()


@pytest.mark.parametrize(("path", "charts"), [("/", True), ("/over", False), ("/gegevens", False)])
def test_pages_have_no_accessibility_violations(browser, fresh_app, path, charts):
    """axe-core (WCAG 2.1 A/AA rules) finds no violations on the rendered page."""
    from axe_playwright_python.sync_playwright import Axe

    page = _open(browser, fresh_app["url"] + path, 1280, 900, charts=charts)
    violations = Axe().run(page).response["violations"]
    page.close()
    found = [(v["id"], v["impact"], v["help"], [n["html"] for n in v["nodes"]]) for v in violations]
    # Known and left alone: Streamlit's own file-upload drop zone is a focusable <section role="presentation">
    # (minor; the "Browse files" button inside it is a proper, labelled button). Only that exact node is excused.
    found = [
        f
        for f in found
        if not (f[0] == "presentation-role-conflict" and all("stFileUploaderDropzone" in str(t) for t in f[3]))
    ]
    assert found == []


@pytest.mark.parametrize(("kind", "ext"), [("coalitie", "xlsx"), ("indicatoren", "csv")])
def test_a_template_is_made_when_its_button_is_clicked(browser, demo_server, tmp_path, kind, ext):
    """Templates are built on the click (deferred download), not on every run of the page: the file still arrives
    whole, with its name."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(f"{demo_server}/gegevens")
    page.wait_for_selector(READY, timeout=90_000)
    with page.expect_download(timeout=60_000) as download:
        page.locator(f".st-key-template_{kind}_{ext} button").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name == f"sjabloon-{kind}.{ext}"
    data = target.read_bytes()
    assert data.startswith(b"PK") if ext == "xlsx" else data.decode("utf-8-sig").startswith("gemeentecode")
    page.close()
