"""The map on Vergelijken out of the box, in a real headless Chromium: the shipped config (no settings changed),
every request to another origin blocked, and still an SVG map of all 342 municipalities with its credit.

With CI=true this test fails (never skips) when Chromium or Playwright is missing."""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS, READY, serve_demo_copy

pytestmark = pytest.mark.browser

ATTRIBUTION = "Kaart: CBS/Kadaster, Wijk- en Buurtkaart 2024, CC BY 4.0"
PATHS = ".js-plotly-plot .geolayer path.choroplethlocation"
TAB_ICON = "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/"


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory, demo_db):
    """`streamlit run app.py` with the shipped config.yaml (boundaries as shipped) on a copy of the demo."""
    with serve_demo_copy(tmp_path_factory.mktemp("map-app"), demo_db) as (url, _):
        yield url


def test_the_map_draws_offline_as_svg_with_every_municipality_and_its_credit(browser, shipped_app):
    url = shipped_app
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    elsewhere: list[str] = []

    def only_the_app(route):
        if route.request.url.startswith(url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_app)
    page = context.new_page()
    page.goto(f"{url}/vergelijken?gemeente=Utrecht&weergave=Kaart")
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_function(f"document.querySelectorAll('{PATHS}').length === 342", timeout=60_000)

    paths = page.locator(PATHS)
    fills = {paths.nth(i).evaluate("p => getComputedStyle(p).fill") for i in range(0, 342, 7)}
    assert len(fills) >= 3  # not in the set, within the limits, better/worse: coloured, not one blank shape
    plot = page.locator(".js-plotly-plot .geolayer").first.bounding_box()
    boxes = paths.evaluate_all("ps => ps.map(p => { const b = p.getBBox(); return [b.width, b.height]; })")
    assert max(w * h for w, h in boxes) < 0.1 * plot["width"] * plot["height"]  # no ring filling the frame
    page.locator(".js-plotly-plot .annotation-text", has_text=ATTRIBUTION).wait_for(timeout=30_000)

    # the highlighted municipality (thick outline) answers the mouse with its name
    widths = paths.evaluate_all("ps => ps.map(p => parseFloat(getComputedStyle(p).strokeWidth))")
    utrecht = paths.nth(widths.index(max(widths)))
    utrecht.scroll_into_view_if_needed()
    box = utrecht.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator(".hoverlayer .hovertext").first.wait_for(timeout=10_000)
    assert "Utrecht" in page.locator(".hoverlayer .hovertext").first.text_content()
    page.mouse.move(5, 5)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "vergelijken-kaart-svg-1920x1080.png"))
    # nothing for the map asked of another origin: no tiles, glyphs, styles or world map. (The one request
    # elsewhere is the browser tab's icon: Streamlit fetches a ":material/...:" page_icon from fonts.gstatic.com.)
    assert [u for u in elsewhere if not u.startswith(TAB_ICON)] == []
    context.close()
