"""The document itself in a real Chromium (issue 14, WCAG 2.1 AA): every page says it is Dutch (3.1.1,
``<html lang="nl">``) and the browser tab names the page (2.4.2), also after moving on through the menu. Every
page opened by its address is checked in ``test_browser_audit.py``; here: titles differ, and a click in the menu.

With CI=true these tests fail (never skip) when Chromium or Playwright is missing."""

from __future__ import annotations

import pytest
from conftest import READY, _open

from kansrijke.core.i18n import t
from kansrijke.web.pages import PAGES

pytestmark = pytest.mark.browser


def tab_title(page_title: str) -> str:
    return t("app.page_title", page=page_title, app=t("app.title"))


def test_no_two_pages_share_a_tab_title():
    """Each page's own title is checked in Chromium by ``test_browser_audit.py`` (lang and title per page)."""
    titles = [tab_title(spec.title) for spec in PAGES]
    assert len(set(titles)) == len(PAGES)


def test_the_tab_follows_a_click_in_the_menu(browser, demo_server):
    page = _open(browser, f"{demo_server}/?gemeente=Amsterdam", 1280, 720, charts=False)
    target = next(p for p in PAGES if p.url_path == "actielog")
    page.get_by_role("link", name=target.title).click()
    page.wait_for_function(f"document.title === {tab_title(target.title)!r}", timeout=30_000)
    page.wait_for_selector(READY, timeout=60_000)
    assert page.evaluate("document.documentElement.lang") == "nl"
    page.context.close()
