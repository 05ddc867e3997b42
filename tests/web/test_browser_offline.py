"""Nothing leaves the building: a real headless Chromium records every request of every page in the menu (with
their charts), a dialog, the map and the rescue page, and all of them go to the app's own address. The tab's
icon is served by the app itself (a ``:material/...:`` page icon made Chromium ask fonts.gstatic.com for it).
Requests elsewhere are recorded and refused, as on a network without internet.

With CI=true these tests fail (never skip) when Chromium or Playwright is missing."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest
from conftest import ARTIFACTS, READY, _serve

from kansrijke.core.i18n import t
from kansrijke.web.pages import PAGES

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = ("data", "blob", "about")  # made inside the page, never sent over a network


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.replace("ws", "http"), parts.netloc


class Recorder:
    """A browser context that records every request (and WebSocket) and refuses those to another origin."""

    def __init__(self, browser, url: str):
        self.url = url
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000})
        self.context.route("**/*", self._route)
        self.context.on("request", lambda request: self.requests.append(request.url))

    def _route(self, route):
        if origin(route.request.url) == origin(self.url):
            route.continue_()
        else:
            route.abort()

    def open(self, path: str, *, charts: bool = False):
        page = self.context.new_page()
        page.on("websocket", lambda ws: self.requests.append(ws.url))
        page.goto(self.url + path)
        page.wait_for_selector(READY, timeout=90_000)
        if charts:
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_load_state("networkidle")
        return page

    def elsewhere(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).scheme not in LOCAL_SCHEMES and origin(u) != origin(self.url)]

    def close(self) -> None:
        self.context.close()


def assert_own_icon(page, url: str) -> None:
    """The tab's icon is a picture the app serves itself."""
    icon = page.locator("link[rel='shortcut icon']").get_attribute("href")
    assert icon and not icon.startswith("https://")
    absolute = page.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href")
    assert origin(absolute) == origin(url)
    answer = page.request.get(absolute)
    assert answer.ok and answer.headers["content-type"].startswith("image/")


CHARTS = {"overzicht", "doelen", "vergelijken", "actielog"}


def test_every_page_of_the_menu_asks_only_the_app(browser, demo_server):
    recorder = Recorder(browser, demo_server)
    try:
        for spec in PAGES:
            path = "/" if spec.default else f"/{spec.url_path}"
            page = recorder.open(f"{path}?gemeente=Amsterdam", charts=spec.url_path in CHARTS)
            page.locator("h1, h2").first.wait_for(timeout=30_000)
            assert page.get_by_text("This app has encountered an error").count() == 0
            if spec.default:
                assert_own_icon(page, demo_server)
            page.close()
        assert len(recorder.requests) > 20 and any("/_stcore/stream" in u for u in recorder.requests)
        assert recorder.elsewhere() == []
    finally:
        recorder.close()


def test_a_dialog_and_the_map_ask_only_the_app(browser, demo_server):
    recorder = Recorder(browser, demo_server)
    try:
        page = recorder.open("/actielog?gemeente=Amsterdam", charts=True)
        page.get_by_role("button", name=t("actions_page.new")).click()
        page.get_by_role("dialog").wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        page.get_by_role("dialog").get_by_text(t("actions_page.form_new_title")).first.wait_for(timeout=30_000)
        page.close()
        page = recorder.open(f"/vergelijken?gemeente=Utrecht&weergave={t('compare.views.kaart')}", charts=True)
        page.wait_for_selector(".js-plotly-plot .geolayer path.choroplethlocation", timeout=60_000)
        page.close()
        assert recorder.elsewhere() == []
    finally:
        recorder.close()


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory):
    """`streamlit run app.py` whose database file is no database at all."""
    data_dir = tmp_path_factory.mktemp("broken-app")
    (data_dir / "kansrijke.duckdb").write_bytes(os.urandom(60_000))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KANSRIJKE_LOG", str(data_dir / "logs" / "kansrijke.log"))  # the server's log, not the repository's
        with _serve(data_dir) as (url, _):
            yield url, data_dir / "logs" / "kansrijke.log"


def test_the_rescue_page_asks_only_the_app(browser, broken_server):
    url, log = broken_server
    recorder = Recorder(browser, url)
    try:
        for path in ("/", "/actielog?gemeente=Utrecht", "/bestaat-niet"):
            page = recorder.open(path)
            page.get_by_role("heading", name=t("rescue.title")).wait_for(timeout=30_000)
            page.get_by_role("heading", name=t("rescue.restore_heading")).wait_for(timeout=30_000)
            assert page.get_by_text("Traceback").count() == 0
            assert page.get_by_text("This app has encountered an error").count() == 0
            assert page.get_by_text("Page not found").count() == 0
            if path == "/":
                page_text = page.locator("[data-testid=stMain]").inner_text()
                assert_own_icon(page, url)
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "herstel-1600x1000.png"), full_page=True)
            page.close()
        assert recorder.elsewhere() == []
        reference = re.search(r"K-[0-9A-F]{4}", page_text).group(0)
        assert reference in log.read_text(encoding="utf-8")  # the details are in the server's log
    finally:
        recorder.close()
