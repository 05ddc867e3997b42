"""Text is shown as typed, in a real headless Chromium: a server on its own copy of the database with a coalition
plan full of Markdown, HTML and KaTeX payloads imported (and a parents' signal, a self-scan reflection and a
meeting with the same payloads; ``test_inert_text.add_payloads``). On every page in the menu (and the
comparison's coalition view) the DOM holds no link that leaves the app, no image from elsewhere, no formula
(KaTeX), every request goes to the app itself, and the payloads are readable as typed.

With CI=true these tests fail (never skip) when Chromium or Playwright is missing."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import ARTIFACTS, READY, serve_demo_copy
from test_inert_text import NAME, PAYLOAD, add_payloads

from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import WORD_JOINER
from kansrijke.web.pages import PAGES

pytestmark = pytest.mark.browser

CHARTS = {"overzicht", "doelen", "actielog", "zelfscan", "vergelijken"}
LOCAL_SCHEMES = ("data", "blob", "about")  # made inside the page, never sent over a network
# What the page must show as typed, by page (the words people read, not the Markdown source).
SHOWN = {
    "overzicht": [NAME, f"Ambitie 1 {PAYLOAD}"],
    "doelen": [NAME, f"Doel 1 {PAYLOAD}", f"Resultaat 1 {PAYLOAD}"],
    "raadsinformatie": [f"Doel 1 {PAYLOAD}"],
    "actielog": [NAME],
    "vergadermodus": [NAME, f"Ambitie 1 {PAYLOAD}"],
    "zelfscan": [NAME, f"Les {PAYLOAD}"],
}

# Everything in the DOM that points somewhere: links (HTML and SVG), images, and KaTeX output.
FOREIGN = """() => {
  const here = location.origin;
  const away = (value) => {
    if (!value) return false;
    const url = new URL(value, location.href);
    if (["data:", "blob:", "about:"].includes(url.protocol)) return false;
    return url.origin !== here;
  };
  const out = [];
  for (const a of document.querySelectorAll("a")) {
    const href = a.getAttribute("href") || a.getAttribute("xlink:href");
    if (href && away(href)) out.push("link " + href);
  }
  for (const img of document.querySelectorAll("img, image, source, video, audio, iframe, object, embed")) {
    for (const name of ["src", "href", "xlink:href", "srcset", "data", "poster"]) {
      const value = img.getAttribute(name);
      if (value && away(value.split(" ")[0])) out.push(img.tagName + " " + value);
    }
  }
  for (const k of document.querySelectorAll(".katex, .katex-display, math")) out.push("formula " + k.outerHTML.slice(0, 80));
  return out;
}"""


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.replace("ws", "http"), parts.netloc


@pytest.fixture(scope="module")
def payload_server(tmp_path_factory, demo_db, config):
    """`streamlit run app.py` on its own copy of the demo (marked as own data) with the payloads imported."""
    source = tmp_path_factory.mktemp("inert-source") / "kansrijke.duckdb"
    Store.close_all()
    source.write_bytes(demo_db.read_bytes())
    with Store.open(source).write() as w:
        w.set_meta("demo", "0")
    add_payloads(source, config)
    with serve_demo_copy(tmp_path_factory.mktemp("inert-app"), source) as (url, _):
        yield url


def visit(browser, url: str, path: str, charts: bool) -> tuple[list[str], list[str], str]:
    """Open ``path``; (what in the DOM points elsewhere, requests to another origin, the page's visible text)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.route(
        "**/*", lambda route: route.continue_() if origin(route.request.url) == origin(url) else route.abort()
    )
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))
    try:
        page.goto(url + path)
        page.wait_for_selector(READY, timeout=90_000)
        if charts:
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # every fold-out
        page.wait_for_timeout(300)
        found = page.evaluate(FOREIGN)
        text = page.locator("[data-testid=stMain]").inner_text().replace(WORD_JOINER, "")
        if path.startswith("/doelen"):
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "doelen-payloads-1600x1000.png"))
    finally:
        context.close()
    away = [u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and origin(u) != origin(url)]
    return found, away, text


@pytest.mark.parametrize("listed", PAGES, ids=[p.url_path for p in PAGES])
def test_every_page_shows_the_payloads_as_text_and_nothing_points_elsewhere(browser, payload_server, listed):
    path = "/" if listed.default else f"/{listed.url_path}"
    found, away, text = visit(browser, payload_server, f"{path}?gemeente=Amsterdam", listed.url_path in CHARTS)
    assert found == []
    assert away == []
    for expected in SHOWN.get(listed.url_path, []):
        assert expected in text, (expected, text[:2000])


def test_the_coalitions_of_a_comparison_point_nowhere_else(browser, payload_server):
    view = t("compare.views.coalities")
    found, away, text = visit(browser, payload_server, f"/vergelijken?gemeente=Amsterdam&weergave={view}", True)
    assert found == [] and away == []
    assert t("compare.coalitions_heading") in text  # the view with the coalitions' names (in its table)
