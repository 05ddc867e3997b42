"""Click-to-chart in a real Chromium: per page, the time from a click in the sidebar menu until the page is done.

    python -m benchmarks.bench_browser [--runs 3] [--pages overzicht doelen ...]      (from the repository root)

Builds the national demo database in a temporary folder and starts ``streamlit run app.py`` on it (headless,
127.0.0.1, a free port, the tests' environment) and stops it at the end; ``--url`` measures a server that
already runs. Drives headless Chromium (Playwright; ``--chromium``, default /usr/bin/chromium) at 1920x1080.

"Done" is measured in the page: the click's time (a capture listener) to the first moment of a stretch of
``SETTLE`` seconds in which the script ran and is no longer running (``data-test-script-state``), Streamlit's
status widget and loading skeletons are gone, an h1 is shown and every Plotly chart (``.js-plotly-plot``) has its
``.main-svg`` with drawn traces, with the same number of charts throughout. Pages without charts are done when
the h1 is shown and the app is idle. (Streamlit shows its status widget only in a run of more than about half a
second, and fades it out in 0.2 s: a slow run counts until the widget is gone.)

- cold: a fresh browser context (empty cache) opens the floor page (``--floor``, default Over deze monitor) by
  address and clicks the page's menu link: the first chart of the session, so Plotly's script chunk is fetched
  and parsed, and the page runs for a municipality it was not opened for before on this server;
- warm: the same context clicks the floor page, then the page again;
- floor: the floor page's click-to-ready (the clicks away in the warm step);
- first loads: the floor page and the start page (``/``, Overzicht) opened by address in a fresh context.

Each session asks for a municipality with a full demo plan (the largest cities and the examples) in the
address (``?gemeente=...``), another one per page and run (up to 12 runs). Vergadermodus opens on the
ambitions (no chart); its row "Volgende" times the button to the first goal's slide and chart (cold: the
session's first chart; warm: after Vorige). The column "run" is click to script finished as the browser sees it;
the rest of the time is drawing. Medians in seconds.

Benchmarks report; the test suite never times anything.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import statistics
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from benchmarks.bench_load import demo_servers
from kansrijke import demo
from kansrijke.web.pages import PAGES, Page, page

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import Page as Tab

ROOT = Path(__file__).resolve().parent.parent
SETTLE = 0.5  # seconds the page must stay done (same chart count) before it counts as done
TIMEOUT = 120  # seconds per measurement
NEXT, PREVIOUS = ".st-key-ks-next button", ".st-key-ks-previous button"  # Vergadermodus' slide buttons

# Before any script of the page: a click stores its time and what the page shows, and starts a new measurement.
# A new run shows as the state "running", or, when React renders a short run in one go (never "running"), as
# other content (h1, element and chart counts); a state "notRunning" from before the click does not count.
WATCH_JS = """(() => {
const shown = () => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return "";
  const count = selector => main.querySelectorAll(selector).length;
  const h1 = main.querySelector("h1")?.textContent;
  return [h1, count('[data-testid="stElementContainer"]'), count(".js-plotly-plot")].join("|");
};
const fresh = () => ({ start: performance.now(), before: shown(), ran: false, finished: null, since: null, count: -1 });
window.ksBench = { ...fresh(), start: 0 };
window.ksShown = shown;
addEventListener("click", () => Object.assign(window.ksBench, fresh()), true);
new MutationObserver(() => {
  const state = document.querySelector('[data-testid="stApp"]')?.getAttribute("data-test-script-state");
  if (state === "running") window.ksBench.ran = true;
  else if (state === "notRunning" && window.ksBench.ran) window.ksBench.finished = performance.now();
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-test-script-state"] });
})();"""

# Polled every animation frame: false until done for ``settle`` ms, then the times and the chart count. What
# was missing last is kept in ``ksBench.why`` (shown when a measurement times out).
DONE_JS = """settle => {
  const b = window.ksBench, now = performance.now();
  const plots = [...document.querySelectorAll(".js-plotly-plot")];
  const drawn = gd => gd.querySelector(".main-svg")
    && (!(gd.data || []).length || gd.querySelector(".main-svg .trace, .main-svg .hm"));
  const why = {
    ran: b.ran || window.ksShown() !== b.before,
    idle: document.querySelector('[data-testid="stApp"]')?.getAttribute("data-test-script-state") === "notRunning",
    quiet: !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'),
    h1: !!document.querySelector('[data-testid="stMain"] h1'),
    drawn: plots.every(drawn),
  };
  const done = Object.values(why).every(Boolean);
  b.why = JSON.stringify({ ...why, charts: plots.length });
  if (!done || plots.length !== b.count) {
    [b.since, b.count] = done ? [now, plots.length] : [null, -1];
    return false;
  }
  if (now - b.since < settle) return false;
  return { seconds: (b.since - b.start) / 1000, run: ((b.finished ?? b.since) - b.start) / 1000, charts: b.count };
}"""

# The Plotly chunk as the browser fetched it (resource timing): seconds and bytes.
CHUNK_JS = """() => performance.getEntriesByType("resource").filter(e => e.name.includes("/PlotlyChart."))
  .map(e => [(e.responseEnd - e.startTime) / 1000, e.encodedBodySize])[0] || null"""

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


@dataclass
class Row:
    label: str
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    cold_run: list[float] = field(default_factory=list)
    warm_run: list[float] = field(default_factory=list)
    charts: set[int] = field(default_factory=set)

    def add(self, kind: str, done: dict) -> None:
        getattr(self, kind).append(float(done["seconds"]))
        getattr(self, f"{kind}_run").append(float(done["run"]))
        self.charts.add(done["charts"])


def full_plan_municipalities() -> list[str]:
    """Municipalities with a full demo plan, so every page has its charts: the largest cities, the examples."""
    with open(ROOT / "data" / "gemeenten_2025.csv", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: (-int(row["inwoners_2024"]), row["gemeentecode"]))
    largest = [row["gemeentenaam"] for row in rows[: demo.FULL_PLAN_LARGEST]]
    return largest + [name for name in demo.EXAMPLE_MUNICIPALITIES.values() if name not in largest]


def wait_done(tab: Tab) -> dict:
    try:
        return tab.wait_for_function(DONE_JS, arg=SETTLE * 1000, polling="raf", timeout=TIMEOUT * 1000).json_value()
    except Exception as exc:  # a timeout among them: say what the page still lacked
        exc.add_note(f"{tab.url}: {tab.evaluate('window.ksBench.why')}")
        raise


def click(tab: Tab, selector: str) -> dict:
    """Click ``selector`` and wait until the page is done. A link in a hidden sidebar (Vergadermodus hides it)
    gets the click event without the mouse."""
    target = tab.locator(selector)
    if target.is_visible():
        target.click()
    else:
        target.dispatch_event("click")
    return wait_done(tab)


def open_fresh(browser: Browser, address: str) -> tuple[Tab, dict]:
    """A new browser context (empty cache, no cookies) opening ``address``; the time from navigation start."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(WATCH_JS)
    tab = context.new_page()
    tab.goto(address)
    return tab, wait_done(tab)


def measure(browser: Browser, url: str, pages: list[Page], runs: int = 3, floor: Page | None = None) -> list[Row]:
    """Cold and warm click-to-done of ``pages`` (each run a fresh context per page), the floor page's
    click-to-ready and the first loads by address; one row per label, in that order."""
    floor = floor or page("over")
    menu = '[data-testid="stSidebarNav"] a[href="{}/{}"]'.format
    link = {p.url_path: menu(url, "" if p.default else p.url_path) for p in [*pages, floor]}
    rows = {p.url_path: Row(p.title) for p in pages}
    if any(p.url_path == "vergadermodus" for p in pages):
        rows["next"] = Row(f"{page('vergadermodus').title}, Volgende")
    rows.update(
        floor=Row(f"{floor.title} (floor)"),
        first_floor=Row(f"first load /{floor.url_path}"),
        first_start=Row("first load / (start page)"),
        chunk=Row("Plotly chunk fetch"),
    )
    names = full_plan_municipalities()
    for run in range(runs):
        for number, target in enumerate(pages):
            query = "?" + urlencode({"gemeente": names[(run + number) % len(names)]})
            tab, done = open_fresh(browser, f"{url}/{floor.url_path}{query}")
            try:
                rows["first_floor"].add("cold", done)
                rows[target.url_path].add("cold", click(tab, link[target.url_path]))
                if target.url_path == "vergadermodus":
                    rows["next"].add("cold", click(tab, NEXT))
                    click(tab, PREVIOUS)  # back to the first slide: the warm visit opens what the cold one did
                rows["floor"].add("warm", click(tab, link[floor.url_path]))
                rows[target.url_path].add("warm", click(tab, link[target.url_path]))
                if target.url_path == "vergadermodus":
                    rows["next"].add("warm", click(tab, NEXT))
                    click(tab, PREVIOUS)
                if chunk := tab.evaluate(CHUNK_JS):  # fetched in this session (its first chart)
                    rows["chunk"].cold.append(chunk[0])
                    rows["chunk"].label = f"Plotly chunk fetch ({chunk[1] / 1e6:.1f} MB)"
            finally:
                tab.context.close()
            print(f"  run {run + 1} {target.title}: cold {rows[target.url_path].cold[-1]:.2f} s, "
                  f"warm {rows[target.url_path].warm[-1]:.2f} s", flush=True)  # fmt: skip
        other = names[(run + len(pages)) % len(names)]  # not the one Overzicht ran for in this run
        tab, done = open_fresh(browser, f"{url}/?{urlencode({'gemeente': other})}")
        tab.context.close()
        rows["first_start"].add("cold", done)
    return [row for row in rows.values() if row.cold or row.warm]


def _s(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "-"


def main() -> None:
    paths = [p.url_path for p in PAGES]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh contexts per page")
    parser.add_argument("--pages", nargs="+", choices=paths, help="default: every page but the floor")
    parser.add_argument("--floor", default="over", choices=paths, help="the trivial page: the floor")
    parser.add_argument("--url", help="a running server (http://host:port) instead of starting one")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the Chromium executable")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright  # lazy: a dev dependency, needed only when the benchmark runs

    pages = [page(p) for p in args.pages or paths if p != args.floor]
    with contextlib.ExitStack() as stack:
        if args.url:
            url = args.url.rstrip("/")
        else:
            [(url, _)] = stack.enter_context(demo_servers(Path(tempfile.mkdtemp(prefix="bench_browser-"))))
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        rows = measure(browser, url, pages, args.runs, page(args.floor))

    print()
    print(f"{'page':<32} {'cold s':>7} {'warm s':>7} {'cold run':>8} {'warm run':>8} {'charts':>6}")
    for row in rows:
        charts = "-".join(str(n) for n in sorted({min(row.charts), max(row.charts)})) if row.charts else "-"
        print(
            f"{row.label:<32} {_s(row.cold):>7} {_s(row.warm):>7} {_s(row.cold_run):>8} {_s(row.warm_run):>8} "
            f"{charts:>6}"
        )
    print(f"\nmedians of {args.runs} run(s), seconds; 'run': click to script finished, as the browser sees it")


if __name__ == "__main__":
    main()
