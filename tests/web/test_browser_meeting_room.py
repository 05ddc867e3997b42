"""Vergadermodus in a room, in a real Chromium: paused by default and under ``prefers-reduced-motion``, the
pause switch next to Vorige/Volgende (same row, next in tab order), a live region that announces "Dia N van
M", one h1 and no heading level skipped, and every slide whole on a 1920x1080 and a 1280x720 screen (no
scrolling, controls in view, the chart's legend outside its plot area, the slide picker showing whole titles).
Screenshots of a goal's slide at both sizes go to ``artifacts/``."""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS, READY

pytestmark = pytest.mark.browser

SLIDE_COUNT = 14  # Amsterdam in the demo: the ambitions, 11 goals, done, next
SIZES = [(1920, 1080), (1280, 720)]
LIVE = ".st-key-ks-nav .ks-live"


@pytest.fixture
def served(demo_server):
    return demo_server  # the session's read-only server on a demo copy (conftest)


def _open(browser, url: str, width: int, height: int, motion: str = "no-preference"):
    page = browser.new_page(viewport={"width": width, "height": height}, reduced_motion=motion)
    page.goto(url)
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_selector(".st-key-ks-slide h2", timeout=60_000)
    page.wait_for_function(  # the page's style block arrives a moment after the first elements
        "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('.st-key-ks-slide'))",
        timeout=30_000,
    )
    page.locator(LIVE).filter(has_text="Dia 1 van").wait_for(timeout=30_000)
    return page


def _next(page, number: int) -> None:
    page.get_by_role("button", name="Volgende").click()
    page.locator(LIVE).filter(has_text=f"Dia {number} van {SLIDE_COUNT}").wait_for(timeout=60_000)
    page.wait_for_selector(READY)
    page.wait_for_function(  # the slide's own title is drawn (not the previous one's)
        "n => document.querySelector('.st-key-ks_goto input')?.value.startsWith(n + '. ')", arg=number
    )
    if page.locator(".st-key-ks-chart").count():
        page.wait_for_selector(".st-key-ks-chart .js-plotly-plot .main-svg .legend", timeout=60_000)


def _switch(page):
    return page.get_by_role("switch", name="Automatisch doorgaan")


def test_paused_by_default_and_the_switch_sits_right_after_volgende(browser, served):
    page = _open(browser, served + "/vergadermodus", 1920, 1080)
    switch = _switch(page)
    switch.wait_for(timeout=30_000)  # drawn (waits for a state instead of asserting it at once)
    assert not switch.is_checked()  # paused until someone switches it on
    previous = page.get_by_role("button", name="Vorige")
    following = page.get_by_role("button", name="Volgende")
    row = [b.bounding_box() for b in (previous, following, switch)]
    centre = [box["y"] + box["height"] / 2 for box in row]
    assert max(centre) - min(centre) < 20  # one row
    assert row[0]["x"] < row[1]["x"] < row[2]["x"]
    following.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "switch"  # next in tab order
    assert page.evaluate("() => document.activeElement.closest('label')?.innerText.trim()") == "Automatisch doorgaan"
    page.close()


def test_switched_on_the_slides_advance_and_switched_off_they_stay(browser, served):
    page = _open(browser, served + "/vergadermodus?interval=5", 1280, 720)
    _switch(page).click(force=True)  # the switch's own input is visually hidden inside its label
    page.locator(LIVE).filter(has_text=f"Dia 2 van {SLIDE_COUNT}").wait_for(timeout=60_000)  # waits for a state
    assert "auto=true" in page.url  # the link says so too
    _switch(page).click(force=True)
    page.wait_for_function("() => new URL(location.href).searchParams.get('auto') !== 'true'")
    assert not _switch(page).is_checked()
    page.close()


def test_reduced_motion_hides_the_switch_and_keeps_the_slides_still(browser, served):
    """Even a link that asks for auto-advance (?auto=true) is overruled when the browser asks for less motion."""
    page = _open(browser, served + "/vergadermodus?auto=true&interval=5", 1920, 1080, motion="reduce")
    page.get_by_text("Automatisch doorgaan staat uit: uw apparaat vraagt om minder beweging.").wait_for(timeout=30_000)
    page.wait_for_selector(READY)
    assert _switch(page).count() == 0
    assert page.locator(LIVE).inner_text() == f"Dia 1 van {SLIDE_COUNT}"
    page.close()


def test_reduced_motion_rule_hides_the_switch_before_the_server_knows(browser, served):
    """The CSS rule alone (the page's first render, before the browser has told the server)."""
    page = _open(browser, served + "/vergadermodus", 1280, 720)
    _switch(page).wait_for(timeout=30_000)  # visible without the rule (waits for a state, never asserts at once)
    page.emulate_media(reduced_motion="reduce")
    page.wait_for_function("() => getComputedStyle(document.querySelector('.st-key-auto')).display === 'none'")
    page.close()


def test_a_live_region_announces_every_new_slide(browser, served):
    page = _open(browser, served + "/vergadermodus", 1280, 720)
    live = page.locator(LIVE)
    assert live.count() == 1
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"
    assert live.inner_text() == f"Dia 1 van {SLIDE_COUNT}"
    live.evaluate("e => { e.dataset.same = 'ja'; }")  # a screen reader announces changes of one element
    _next(page, 2)
    assert live.inner_text() == f"Dia 2 van {SLIDE_COUNT}"
    assert live.get_attribute("data-same") == "ja"  # the same element, its text changed
    page.close()


HEADINGS = "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]))"


def _heading_order_ok(levels: list[int]) -> bool:
    return levels.count(1) == 1 and levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_one_h1_and_no_heading_level_skipped(browser, served):
    page = _open(browser, served + "/vergadermodus", 1280, 720)
    assert page.locator("h1").inner_text() == "Vergadermodus: Coalitie Kansrijke Start Amsterdam"
    seen = []
    for number in range(2, 5):
        seen.append(page.evaluate(HEADINGS))
        _next(page, number)
    page.get_by_text("Besluit of actie vastleggen").click()  # the record panel opened
    page.get_by_text("Aanwezigen").wait_for()
    seen.append(page.evaluate(HEADINGS))
    assert seen[0] == [1, 2] and seen[1] == [1, 2, 3]
    assert all(_heading_order_ok(levels) for levels in seen), seen
    page.close()


FIT = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const nav = [...document.querySelectorAll('.st-key-ks-nav button, .st-key-ks-nav .ks-live, .st-key-ks_goto')];
  const goto = document.querySelector('.st-key-ks_goto input');
  const out = {
    document: document.documentElement.scrollHeight, main: main.scrollHeight, view: main.clientHeight,
    controls: Math.max(...nav.map(e => e.getBoundingClientRect().bottom)),
    slide: document.querySelector('.st-key-ks-slide').getBoundingClientRect().bottom,
    picker: [goto.scrollWidth, goto.clientWidth], title: document.querySelector('.st-key-ks-slide h2').innerText,
  };
  const legend = document.querySelector('.st-key-ks-chart .legend');
  const plot = document.querySelector('.st-key-ks-chart .nsewdrag');
  if (legend && plot) {
    const a = legend.getBoundingClientRect(), b = plot.getBoundingClientRect();
    out.overlap = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
      * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    out.chart = b.height;
  }
  return out;
}"""


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_slide_fits_the_screen_without_scrolling(browser, served, width, height):
    page = _open(browser, served + "/vergadermodus", width, height)
    problems, goals = [], 0
    ARTIFACTS.mkdir(exist_ok=True)
    for number in range(1, SLIDE_COUNT + 1):
        if number > 1:
            _next(page, number)
        found = page.evaluate(FIT)
        where = f"dia {number} ({found['title']})"
        if found["document"] > height or found["main"] > found["view"]:
            problems.append(f"{where}: {found['main']} px high on a {found['view']} px screen")
        if found["controls"] > height or found["slide"] > height:
            problems.append(f"{where}: controls or slide end at {found['controls']}/{found['slide']} px")
        if found["picker"][0] > found["picker"][1]:
            problems.append(f"{where}: the slide picker cuts its title ({found['picker']})")
        if "overlap" in found:
            goals += 1
            if found["overlap"] > 0:
                problems.append(f"{where}: the legend covers the plot area")
            if found["chart"] < 120:
                problems.append(f"{where}: the plot area is only {found['chart']} px high")
            if goals == 1:
                page.screenshot(path=str(ARTIFACTS / f"vergadermodus-kamer-doel-{width}x{height}.png"))
    page.close()
    assert goals == 7  # the goals with an indicator: chart, sentence and fold-out
    assert problems == []
