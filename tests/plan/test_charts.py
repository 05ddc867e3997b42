"""The goal and trend charts as a reader sees them (issue 14): the y-axis follows the data, so a change shows
(not a flat line at the top of an axis from 0), with the baseline and target inside it; every time axis shows
whole years; every text and line meets WCAG contrast on the white chart; the actions sit on the bottom of the
plot, whatever the range."""

from __future__ import annotations

import pytest

from kansrijke.core import palette
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.demo.build import DEMO_TODAY
from kansrijke.plan import charts, overview, progress

AMSTERDAM = "KS-GM0363"


@pytest.fixture(scope="module")
def goal_charts(demo_db, config):
    store = Store.open(demo_db)
    return charts.goal_charts(store, config, AMSTERDAM, 2024, DEMO_TODAY, "GM0363", "Amsterdam")


@pytest.fixture(scope="module")
def goals(demo_db, config):
    state = progress.coalition_progress(Store.open(demo_db), config, AMSTERDAM, 2024, DEMO_TODAY)
    return {g.id: g for a in state.ambitions for g in a.goals}


ACTIONS = t("chart.goal_actions")


def _plotted(fig) -> list[float]:
    """Every y value drawn (the band's edges too), the actions' markers left out."""
    ys = [y for tr in fig.data if tr.name != ACTIONS and tr.y is not None for y in list(tr.y)]
    return [float(y) for y in ys if y is not None and float(y) == float(y)]


def test_goal_axes_follow_the_data_with_baseline_and_target_inside(goal_charts, goals):
    assert len(goal_charts) >= 5
    for goal_id, chart in goal_charts.items():
        goal = goals[goal_id]
        low, high = chart.figure.layout.yaxis.range
        values = _plotted(chart.figure)
        assert low <= min(values) and high >= max(values), goal_id  # nothing drawn falls off the chart
        for v in (goal.baseline_value, goal.target_value):
            if v is not None and goal.indicator.eenheid != "ja/nee":
                assert low <= v <= high, goal_id
        if min(values) > 2:  # rates well above zero: the axis does not start at 0 ...
            assert low > 0, goal_id
            # ... so the data fill most of the height instead of a flat line at the top
            assert (max(values) - min(values)) / (high - low) > 0.6, goal_id


def test_actions_sit_on_the_bottom_of_the_plot(goal_charts):
    shown = 0
    for chart in goal_charts.values():
        for trace in chart.figure.data:
            if trace.name == ACTIONS:
                assert set(trace.y) == {chart.figure.layout.yaxis.range[0]}
                shown += 1
    assert shown >= 1


def test_every_time_axis_shows_whole_years(goal_charts, demo_db, config):
    store = Store.open(demo_db)
    figures = overview.key_figures(store, config, ["GM0363"], ["big2", "vroeggeboorte"], 2024)
    trends = [charts.trend(kf, "Amsterdam").figure for kf in figures]
    for fig in [c.figure for c in goal_charts.values()] + trends:
        axis = fig.layout.xaxis
        assert axis.tickformat == "d" and axis.tickmode == "linear"
        assert axis.dtick in (1, 2) and float(axis.tick0).is_integer()
        first, last = axis.range
        if last - first <= 12:
            assert axis.dtick == 1  # every year on a short span, none skipped


def test_goal_and_trend_charts_meet_contrast(goal_charts, demo_db, config):
    store = Store.open(demo_db)
    figures = overview.key_figures(store, config, ["GM0363"], ["big2"], 2024)
    figs = [c.figure for c in goal_charts.values()] + [charts.trend(kf, "Amsterdam").figure for kf in figures]
    for fig in figs:
        assert palette.contrast_problems(fig) == []
        assert fig.layout.template.layout.xaxis.tickfont.color == palette.TEXT  # its own template, not Streamlit's
        assert fig.layout.xaxis.automargin and fig.layout.yaxis.automargin
