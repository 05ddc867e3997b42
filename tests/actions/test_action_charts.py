"""The action log's charts as a reader sees them (issue 14): every text, marker and bar meets WCAG contrast on
the white chart, each status keeps its own marker shape (never colour alone), the heat maps' counts read on
every cell, and the date axis of a long timeline has one label per year."""

from __future__ import annotations

import datetime as dt

import pytest

from kansrijke import actions
from kansrijke.actions import charts as action_charts
from kansrijke.core import palette
from kansrijke.core.store import Store

COALITION = "KS-GM0363"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def store(demo_db) -> Store:
    return Store.open(demo_db)


def test_status_colours_stand_out_and_each_status_has_its_own_marker():
    colours = [style[0] for style in actions.STATUS_STYLE.values()]
    assert all(palette.contrast(c, palette.BACKGROUND) >= 3 for c in colours), colours
    assert len({style[1] for style in actions.STATUS_STYLE.values()}) == len(actions.STATUS_STYLE)


def test_every_action_chart_meets_contrast(store):
    filt = actions.ActionFilter()
    months = actions.by_month(store, COALITION, filt)
    view = action_charts.attention(store, COALITION, TODAY, 6)
    figures = [
        action_charts.timeline_chart(store, COALITION, filt, TODAY).figure,
        action_charts.timeline_months(months, int(months["actions"].sum()), TODAY).figure,
        view.principles.figure,
        view.goals.figure,
    ]
    for fig in figures:
        assert palette.contrast_problems(fig) == []


def test_heat_map_cells_are_outlined_and_their_counts_dark(store):
    view = action_charts.attention(store, COALITION, TODAY, 6)
    fig = view.principles.figure
    cell = fig.data[0]
    assert fig.layout.plot_bgcolor == palette.HEAT_GAP and cell.xgap >= 1 and cell.ygap >= 1
    for _, colour in cell.colorscale:
        assert palette.contrast(colour, palette.HEAT_GAP) >= 3  # every cell has a visible edge
        assert palette.contrast(cell.textfont.color, colour) >= 4.5


def test_a_timeline_over_years_has_one_label_per_year(store):
    chart = action_charts.timeline_chart(store, COALITION, actions.ActionFilter(), TODAY)
    axis = chart.figure.layout.xaxis
    first, last = (dt.date.fromisoformat(str(v)[:10]) for v in axis.range)
    assert (last - first).days > 3 * 365  # the demo's actions span years
    assert axis.tickformat == "%Y" and axis.dtick == "M12" and str(axis.tick0).endswith("-01-01")
