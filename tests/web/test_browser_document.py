"""The document itself in a real Chromium (issue 14, WCAG 2.1 AA): every page says it is Dutch (3.1.1,
``<html lang="nl">``) and the browser tab names the page (2.4.2), also after moving on through the menu.

With CI=true these tests fail (never skip) when Chromium or Playwright is missing."""

from __future__ import annotations

import pytest
from conftest import READY, _open

from kansrijke.core.i18n import t
from kansrijke.web.pages import PAGES

pytestmark = pytest.mark.browser


def tab_title(page_title: str) -> str:
    return t("app.page_title", page=page_title, app=t("app.title"))


def test_every_page_is_dutch_and_names_itself_in_the_tab(browser, demo_server):
    titles = []
    for spec in PAGES:
        path = "/" if spec.default else f"/{spec.url_path}"
        page = _open(browser, f"{demo_server}{path}?gemeente=Amsterdam", 1280, 720, charts=False)
        page.wait_for_function("document.documentElement.lang === 'nl'", timeout=30_000)
        page.wait_for_function(f"document.title === {tab_title(spec.title)!r}", timeout=30_000)
        titles.append(page.title())
        page.context.close()
    assert len(set(titles)) == len(PAGES)  # no two pages share a title


def test_the_tab_follows_a_click_in_the_menu(browser, demo_server):
    page = _open(browser, f"{demo_server}/?gemeente=Amsterdam", 1280, 720, charts=False)
    target = next(p for p in PAGES if p.url_path == "actielog")
    page.get_by_role("link", name=target.title).click()
    page.wait_for_function(f"document.title === {tab_title(target.title)!r}", timeout=30_000)
    page.wait_for_selector(READY, timeout=60_000)
    assert page.evaluate("document.documentElement.lang") == "nl"
    page.context.close()
