"""Charts as a reader sees them in a real Chromium (issue 14, WCAG 2.1 AA 1.4.3, 2.1.1, 3.1.1):

- every text Plotly draws (tick labels, axis titles, legend, annotations, text in bars and heat-map cells;
  the hover label is exempt) reaches 4,5:1 against the colour it is drawn on, 3:1 when large (>= 24 px, or
  >= 18,66 px bold). The colour behind a text is measured from the rendered chart (the most frequent pixel
  colour in the text's box), so a heat-map cell or a bar counts as the background, not only the paper;
- each chart has at most one tab stop in Plotly's mode bar, named in Dutch ("Grafiek downloaden als
  afbeelding (PNG)"), and the Dutch locale reaches plotly.js (decimal comma in the hover);
- time axes show whole years.

With CI=true these tests fail (never skip) when Chromium or Playwright is missing."""

from __future__ import annotations

import io
import re
from collections import Counter
from urllib.parse import quote

import pytest
from conftest import _open

from kansrijke.core import palette
from kansrijke.core.i18n import t

pytestmark = pytest.mark.browser

Image = pytest.importorskip("PIL.Image")

COMPARE_VIEWS = ("trechter", "rangorde", "trend", "heatmap", "coalities")
CHART_PAGES = [
    ("overzicht", "/?gemeente=Amsterdam"),
    ("doelen", "/doelen?gemeente=Amsterdam"),
    ("actielog", "/actielog?gemeente=Amsterdam"),
    *[
        (f"vergelijken-{v}", f"/vergelijken?gemeente=Amsterdam&weergave={quote(t(f'compare.views.{v}'))}")
        for v in COMPARE_VIEWS
    ],
]

# Every visible text of a chart's SVG (hover layer left out), with its colour, size and box in the chart.
TEXTS_JS = """gd => {
  const box = gd.getBoundingClientRect();
  return [...gd.querySelectorAll('svg.main-svg text')]
    .filter(el => !el.closest('.hoverlayer') && el.textContent.trim() !== '')
    .map(el => {
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return {
        text: el.textContent.trim(),
        fill: style.fill,
        opacity: parseFloat(style.fillOpacity || '1') * parseFloat(style.opacity || '1'),
        size: parseFloat(style.fontSize),
        bold: parseInt(style.fontWeight || '400') >= 700,
        x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height,
        visible: style.visibility !== 'hidden' && style.display !== 'none' && r.width > 0 && r.height > 0,
      };
    })
    .filter(d => d.visible);
}"""

MODE_BAR_JS = """gd => [...gd.querySelectorAll('.modebar button, .modebar a')]
  .filter(el => el.tabIndex >= 0 && getComputedStyle(el).display !== 'none')
  .map(el => el.getAttribute('aria-label') || el.getAttribute('data-title') || el.textContent)"""


def _colour(css: str) -> tuple[tuple[int, int, int], float]:
    numbers = [float(v) for v in re.findall(r"[\d.]+", css)]
    alpha = numbers[3] if len(numbers) > 3 else 1.0
    return (round(numbers[0]), round(numbers[1]), round(numbers[2])), alpha


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _pixels(image, item: dict) -> list[tuple[int, int, int]]:
    left, top = max(int(item["x"]), 0), max(int(item["y"]), 0)
    right = min(int(item["x"] + item["w"]) + 1, image.width)
    bottom = min(int(item["y"] + item["h"]) + 1, image.height)
    if right <= left or bottom <= top:
        return []
    return list(image.crop((left, top, right, bottom)).convert("RGB").getdata())


def _distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    return sum(abs(p - q) for p, q in zip(a, b, strict=True))


def _charts(page) -> list:
    charts = page.locator(".js-plotly-plot")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(gd => gd._fullLayout)", timeout=60_000
    )
    return [charts.nth(i) for i in range(charts.count()) if charts.nth(i).is_visible()]


def _failures(chart) -> tuple[list[str], int]:
    """(texts below their contrast threshold, number of texts checked) of one chart."""
    page = chart.page
    height = chart.bounding_box()["height"]
    if height + 100 > page.viewport_size["height"]:  # a tall chart: all of it on screen, else it is not painted
        page.set_viewport_size({"width": page.viewport_size["width"], "height": int(height) + 200})
        page.wait_for_timeout(500)
    chart.evaluate("el => el.scrollIntoView({block: 'center'})")  # clear of Streamlit's fixed header
    page.wait_for_timeout(200)
    image = Image.open(io.BytesIO(chart.screenshot(animations="disabled")))
    items = chart.evaluate(TEXTS_JS)
    bad, checked = [], 0
    for item in items:
        pixels = _pixels(image, item)
        if not pixels:
            continue
        behind = Counter(pixels).most_common(1)[0][0]  # the most frequent colour in the text's box: its background
        ink, alpha = _colour(item["fill"])
        painted = any(_distance(p, ink) < 0.6 * _distance(behind, ink) for p in pixels)  # anti-aliased too
        if alpha * item["opacity"] == 1 and not painted:
            bad.append(f"{item['text'][:40]!r}: not painted in the screenshot")  # a blank capture proves nothing
            continue
        alpha *= item["opacity"]
        if alpha < 1:  # a translucent text: the colour it shows over its background
            ink = tuple(round(a * alpha + b * (1 - alpha)) for a, b in zip(ink, behind, strict=True))
        ratio = palette.contrast(_hex(ink), _hex(behind))
        large = item["size"] >= 24 or (item["size"] >= 18.66 and item["bold"])
        checked += 1
        if ratio < (3.0 if large else 4.5):
            bad.append(f"{item['text'][:40]!r}: {_hex(ink)} on {_hex(behind)} = {ratio:.2f}:1 at {item['size']}px")
    return bad, checked


@pytest.mark.parametrize(("name", "path"), CHART_PAGES, ids=[n for n, _ in CHART_PAGES])
def test_chart_text_contrast_and_one_dutch_tab_stop(browser, demo_server, name, path):
    page = _open(browser, f"{demo_server}{path}", 1280, 1000)
    if name == "doelen":  # the goal charts sit in fold-outs: open the first one that has a chart
        page.locator('[data-testid="stExpander"] summary').first.click()
        page.wait_for_selector('[data-testid="stExpander"] .js-plotly-plot .main-svg', timeout=60_000)
    charts = _charts(page)
    assert charts, f"{name}: no chart on the page"
    problems, checked = [], 0
    for i, chart in enumerate(charts):
        stops = chart.evaluate(MODE_BAR_JS)
        assert len(stops) <= 1, f"{name} chart {i}: {len(stops)} mode-bar tab stops {stops}"
        assert stops == [] or stops == [t("chart.plotly.download_png")], f"{name} chart {i}: {stops}"
        bad, n = _failures(chart)
        problems += [f"{name} chart {i}: {b}" for b in bad]
        checked += n
    page.context.close()
    assert checked > 0
    assert problems == []


def test_overview_charts_speak_dutch_and_count_whole_years(browser, demo_server):
    page = _open(browser, f"{demo_server}/?gemeente=Amsterdam", 1280, 1000)
    chart = _charts(page)[0]
    chart.scroll_into_view_if_needed()
    config = chart.evaluate(
        "gd => [gd._context.locale, Object.keys(gd._context.locales || {}), gd._fullLayout.separators]"
    )
    assert config == ["nl", ["nl"], ",."]
    years = chart.evaluate("gd => [...gd.querySelectorAll('.xtick text')].map(el => el.textContent)")
    assert years and all(re.fullmatch(r"20\d\d", y) for y in years), years
    assert [int(y) for y in years] == list(range(int(years[0]), int(years[-1]) + 1))  # every year, none twice
    # the hover shows the values with a decimal comma (plotly.js formats them with the Dutch separators)
    plot = chart.locator(".nsewdrag").first.bounding_box()
    page.mouse.move(plot["x"] + plot["width"] * 0.9, plot["y"] + plot["height"] / 2)
    page.wait_for_selector(".hoverlayer text", timeout=10_000)
    hover = " ".join(chart.evaluate("gd => [...gd.querySelectorAll('.hoverlayer text')].map(el => el.textContent)"))
    assert re.search(r"\d,\d", hover), hover
    assert not re.search(r"\d\.\d\b", hover), hover
    # one tab stop per chart, and Tab from the chart's button leaves the chart (no hidden English buttons)
    button = chart.locator(".modebar button, .modebar a")
    assert button.count() == 1
    assert button.first.get_attribute("aria-label") == t("chart.plotly.download_png")
    page.context.close()
