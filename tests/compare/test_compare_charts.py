"""The comparison charts as a reader sees them (issue 14): every text and series colour meets WCAG contrast
on the white chart (the heat map's marks on every cell colour, the counts in the coalition bars on their
fill), rates get a y-axis that follows the data instead of starting at 0, and the trend shows whole years."""

from __future__ import annotations

import datetime as dt

import pytest

from kansrijke import compare
from kansrijke.compare import charts as cc
from kansrijke.core import palette
from kansrijke.core.store import Store

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def store(demo_db) -> Store:
    return Store.open(demo_db)


@pytest.fixture(scope="module")
def cmp(store, config):
    return compare.comparison(store, config, compare.Choice("big2", 2024, set_kind="gids", highlight="GM0363"))


@pytest.fixture(scope="module")
def trend(store, config, cmp):
    codes = list(store.query("municipalities").query("gids")["code"])
    frame = compare.trend(store, config, "big2", codes, codes, "GM0363", False, 2024)
    return cc.trend(frame, cmp)


def test_every_comparison_chart_meets_contrast(store, config, cmp, trend):
    codes = list(store.query("municipalities").query("province == 'Zeeland'")["code"])
    heat = cc.heatmap(compare.heat(store, config, codes, 2024, False), config, "GM0718", "Zeeland", (2024, 2024), 10)
    overview = compare.coalition_overview(store, config, codes, 2024, TODAY, 6)
    bars = cc.coalitions(overview, 6, "Zeeland", TODAY, 0)
    for chart in (cc.funnel(cmp), cc.dots(cmp), trend, heat, bars):
        assert palette.contrast_problems(chart.figure) == [], chart.summary[:60]


def test_counts_in_the_coalition_bars_read_on_their_fill(store, config):
    codes = list(store.query("municipalities")["code"])
    overview = compare.coalition_overview(store, config, codes, 2024, TODAY, 1)  # no action in a month: quiet
    assert overview["quiet"].any() and (~overview["quiet"]).any()
    for bar in cc.coalitions(overview, 1, "Nederland", TODAY, 0).figure.data:
        assert palette.contrast(bar.insidetextfont.color, bar.marker.color) >= 4.5
        assert palette.contrast(bar.marker.line.color, palette.BACKGROUND) >= 3  # the hatched bar has an outline


def test_rates_are_not_forced_to_start_at_zero(cmp, trend):
    for chart in (cc.funnel(cmp), cc.dots(cmp), trend):
        assert chart.figure.layout.yaxis.rangemode != "tozero"


def test_the_trend_shows_every_year(trend):
    axis = trend.figure.layout.xaxis
    first, last = axis.range
    assert axis.tickformat == "d" and axis.tickmode == "linear" and float(axis.tick0).is_integer()
    assert axis.dtick == (1 if last - first <= 12 else 2)
