"""The progress engine's statuses as a table: both directions, met, target year passed, missing baseline,
no data since the baseline, uncertainty around the path, source lag, results, ambitions, regional pooling."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kansrijke.core.stats import finish
from kansrijke.core.store import Store
from kansrijke.plan import progress
from kansrijke.plan.progress import AANDACHT, ACHTER, BEHAALD, GEEN_GEGEVENS, ONBEPAALD, OP_KOERS, VERLOPEN

TODAY = dt.date(2026, 11, 24)


def series(points: dict[int, float], half_width: float | None = None) -> pd.DataFrame:
    """A published series: period -> value, with an interval of +/- half_width when given."""
    frame = pd.DataFrame({"period": list(points), "value": list(points.values())})
    frame["lower"] = frame["value"] - half_width if half_width else np.nan
    frame["upper"] = frame["value"] + half_width if half_width else np.nan
    frame["source"] = "Perined"
    frame["reference_date"] = None
    return frame


def goal(base=10.0, base_year=2020, target=6.0, target_year=2030) -> dict:
    return {
        "id": "G1",
        "title": "Minder vroeggeboorte",
        "baseline_value": base,
        "baseline_year": base_year,
        "target_value": target,
        "target_year": target_year,
    }


# lower is better (vroeggeboorte): path from 10 (2020) to 6 (2030) expects 8.0 in 2025.
# higher is better (borstvoeding_start): path from 70 (2020) to 80 (2030) expects 75 in 2025.
CASES = [
    ("lower better, on the path", "vroeggeboorte", goal(), {2025: 8.0}, None, OP_KOERS),
    ("lower better, ahead of the path", "vroeggeboorte", goal(), {2025: 7.0}, None, OP_KOERS),
    ("lower better, 60% of the expected gain", "vroeggeboorte", goal(), {2025: 8.8}, None, AANDACHT),
    ("lower better, going the wrong way", "vroeggeboorte", goal(), {2025: 10.5}, None, ACHTER),
    ("lower better, target met early", "vroeggeboorte", goal(), {2024: 5.9}, None, BEHAALD),
    ("higher better, on the path", "borstvoeding_start", goal(70, 2020, 80, 2030), {2025: 75.5}, None, OP_KOERS),
    ("higher better, behind", "borstvoeding_start", goal(70, 2020, 80, 2030), {2025: 70.5}, None, ACHTER),
    ("higher better, met", "borstvoeding_start", goal(70, 2020, 80, 2030), {2025: 81.0}, None, BEHAALD),
    ("target year passed, not met", "vroeggeboorte", goal(target_year=2024), {2024: 7.0}, None, ACHTER),
    (
        "missing baseline value, taken from the series",
        "vroeggeboorte",
        goal(base=None),
        {2020: 10.0, 2025: 8.0},
        None,
        OP_KOERS,
    ),
    ("missing baseline, nothing to take", "vroeggeboorte", goal(base=None), {2025: 8.0}, None, ONBEPAALD),
    ("missing target", "vroeggeboorte", goal(target=None), {2025: 8.0}, None, ONBEPAALD),
    ("no data since the baseline", "vroeggeboorte", goal(), {2018: 11.0, 2020: 10.0}, None, GEEN_GEGEVENS),
    ("behind, but the interval holds the expected value", "vroeggeboorte", goal(), {2025: 9.5}, 2.0, ONBEPAALD),
    ("behind, interval narrow", "vroeggeboorte", goal(), {2025: 9.5}, 0.2, ACHTER),
    ("on track, interval narrow", "vroeggeboorte", goal(), {2025: 8.0}, 0.2, OP_KOERS),
]


@pytest.mark.parametrize(
    ("name", "indicator", "goal_row", "points", "half", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_goal_status(config, name, indicator, goal_row, points, half, expected):
    result = progress.evaluate_goal(goal_row, config.indicator(indicator), series(points, half), config, None, TODAY)
    assert result.status == expected, result.reason
    assert result.reason.endswith(".") and len(result.reason) > 20  # one whole Dutch sentence


def test_reason_names_the_figures(config):
    g = progress.evaluate_goal(goal(), config.indicator("vroeggeboorte"), series({2025: 8.8}), config, None, TODAY)
    assert g.reason == ("Aandacht nodig: 8,8% in 2025, terwijl het pad naar 6,0% in 2030 8,0% verwachtte.")
    assert g.expected == pytest.approx(8.0)


def test_interval_reason_names_the_method(config):
    g = progress.evaluate_goal(goal(), config.indicator("vroeggeboorte"), series({2025: 9.5}, 2.0), config, None, TODAY)
    assert "95%-betrouwbaarheidsinterval (7,5% tot 11,5%)" in g.reason


def test_source_lag_makes_a_bad_figure_not_yet_judgeable(config):
    ind = config.indicator("vroeggeboorte")
    before_actions = progress.evaluate_goal(goal(), ind, series({2025: 10.5}), config, dt.date(2026, 3, 1), TODAY)
    assert before_actions.status == ONBEPAALD
    assert "vóór de eerste actie (1 maart 2026)" in before_actions.reason
    after_actions = progress.evaluate_goal(goal(), ind, series({2025: 10.5}), config, dt.date(2024, 3, 1), TODAY)
    assert after_actions.status == ACHTER


def test_goal_without_indicator(config):
    g = progress.evaluate_goal(goal(), None, None, config, None, TODAY)
    assert g.status == ONBEPAALD and "niet aan een indicator gekoppeld" in g.reason


def result(target=100, realised=50, due=dt.date(2027, 11, 24)) -> dict:
    return {
        "id": "R1",
        "title": "Professionals geschoold",
        "target": target,
        "realised": realised,
        "unit": "professionals",
        "due_date": due,
        "goal_id": None,
    }


@pytest.mark.parametrize(
    ("row", "start", "expected"),
    [
        (result(realised=100), dt.date(2024, 11, 24), BEHAALD),
        (result(realised=120, due=dt.date(2025, 1, 1)), dt.date(2024, 1, 1), BEHAALD),
        (result(due=dt.date(2026, 1, 1)), dt.date(2024, 1, 1), VERLOPEN),
        (result(realised=60), dt.date(2024, 11, 24), OP_KOERS),  # 60% done after 2/3 of the time (>= 0.9 * 67%)
        (result(realised=30), dt.date(2024, 11, 24), ACHTER),
        (result(realised=None, due=None), None, ACHTER),
        (result(realised=5, due=None), None, OP_KOERS),
    ],
)
def test_result_status(config, row, start, expected):
    r = progress.evaluate_result(row, config, start, TODAY)
    assert r.status == expected, r.reason
    assert r.reason.endswith(".")


def test_ambition_takes_the_worst_status_and_explains_it(config):
    ind = config.indicator("vroeggeboorte")
    goals = [
        progress.evaluate_goal(goal(), ind, series({2025: 8.0}), config, None, TODAY),
        progress.evaluate_goal(
            {**goal(), "id": "G2", "title": "Minder roken"}, ind, series({2025: 10.5}), config, None, TODAY
        ),
    ]
    results = [progress.evaluate_result(result(realised=100), config, dt.date(2024, 1, 1), TODAY)]
    a = progress.roll_up({"id": "A1", "title": "Gezonde start"}, goals, results)
    assert a.status == ACHTER
    assert a.counts() == {ACHTER: 1, OP_KOERS: 1, BEHAALD: 1}
    assert a.reason == (
        "2 doel(en): 1 achter, 1 op koers; 1 resultaat/resultaten: 1 behaald. Slechtste status: achter (Minder roken)."
    )
    empty = progress.roll_up({"id": "A2", "title": "Leeg"}, [], [])
    assert empty.status == GEEN_GEGEVENS


def test_regional_coalition_pools_counts_never_averages_rates(config, demo_db):
    """The figure behind a regional coalition's goal is sum(numerators) / sum(denominators) of its members."""
    store = Store.open(demo_db)
    coalitions = store.query("coalitions")
    regional = next(
        c
        for c in coalitions["id"]
        if len(store.query("coalition_members", {"coalition_id": c})) > 2
        and not store.query("goals", {"coalition_id": c})["indicator_id"].dropna().empty
    )
    p = progress.coalition_progress(store, config, regional, 2024, TODAY)
    g = next(
        g for a in p.ambitions for g in a.goals if g.indicator is not None and g.indicator.eenheid == "%" and g.latest
    )
    values = store.table("indicator_values")
    mine = values[
        values["municipality_code"].isin(p.member_codes)
        & (values["indicator_id"] == g.indicator.id)
        & (values["period"] == g.latest["period"])
    ]
    pooled = mine["numerator"].sum() / mine["denominator"].sum() * 100
    averaged = mine["value"].mean()
    assert g.latest["value"] == pytest.approx(pooled)
    assert abs(pooled - averaged) > 1e-9  # the test can tell the two apart
    expected = finish(
        pd.DataFrame(
            {
                "period": [g.latest["period"]],
                "numerator": [mine["numerator"].sum()],
                "denominator": [mine["denominator"].sum()],
                "mean_value": [averaged],
            }
        ),
        g.indicator,
        config.privacy.min_count,
        config.status.confidence_level,
    )
    assert g.latest["lower"] == pytest.approx(expected["lower"].iloc[0])


def test_json_carries_status_and_reason_everywhere(config, demo_db):
    store = Store.open(demo_db)
    data = progress.as_json(progress.coalition_progress(store, config, "KS-GM0363", 2024, TODAY))
    assert data["naam"] and data["ambities"]
    words = set(progress.GOAL_STATUSES) | set(progress.RESULT_STATUSES)
    for a in data["ambities"]:
        assert a["status"] in words and a["reden"]
        for item in a["doelen"] + a["resultaten"]:
            assert item["status"] in words and item["reden"].endswith(".")
