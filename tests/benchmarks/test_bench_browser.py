"""The browser benchmark's measuring function (benchmarks/bench_browser.py) on one page, once: it returns cold
and warm times and Overzicht's charts. No time is asserted (benchmarks report; tests never time anything).

With CI=true this test fails (never skips) when Chromium or Playwright is missing."""

from __future__ import annotations

import pytest

from benchmarks.bench_browser import measure
from kansrijke.web.pages import page

pytestmark = pytest.mark.browser


def test_one_run_on_overzicht_gives_positive_times_and_its_charts(browser, demo_server):
    rows = {row.label: row for row in measure(browser, demo_server, [page("overzicht")], runs=1)}

    overview = rows[page("overzicht").title]
    assert len(overview.cold) == len(overview.warm) == 1
    assert min(overview.charts) > 0  # the page's Plotly charts were all drawn and counted
    assert {f"{page('over').title} (floor)", "first load /over", "first load / (start page)"} <= set(rows)
    times = [t for row in rows.values() for t in (*row.cold, *row.warm, *row.cold_run, *row.warm_run)]
    assert times and all(isinstance(t, float) and t > 0 for t in times)
