"""Dutch formats and the indicator arithmetic (Wilson interval, pooling, suppression)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from kansrijke.core import fmt, stats
from kansrijke.core.stats import finish, wilson


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (7.4, "%", "7,4%"),
        (2.94, "per 1000", "2,9 per 1.000"),
        (164487, "aantal", "164.487"),
        (1.0, "ja/nee", "ja"),
        (None, "%", "–"),
        (float("nan"), "%", "–"),
    ],
)
def test_values_in_dutch(value, unit, text):
    assert fmt.value(value, unit) == text


def test_dates_and_signed_changes_in_dutch():
    assert fmt.date(dt.date(2026, 11, 22)) == "22 november 2026"
    assert fmt.date(dt.date(2025, 3, 1)) == "1 maart 2025"
    assert fmt.signed(-0.84, "%") == "-0,8 procentpunt"
    assert fmt.signed(1.26, "per 1000") == "+1,3 per 1.000"


def test_wilson_interval_matches_the_formula_by_hand():
    # 15 events in 100: p = 0.15, z = 1.959964
    z = 1.959963984540054
    p, n = 0.15, 100
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    lo, hi = wilson(np.array([15]), np.array([100]), 0.95)
    assert lo[0] == pytest.approx(centre - half, abs=1e-9)
    assert hi[0] == pytest.approx(centre + half, abs=1e-9)
    assert lo[0] == pytest.approx(0.0930, abs=1e-4) and hi[0] == pytest.approx(0.2328, abs=1e-4)


def test_pooled_rate_is_sum_of_counts_and_small_counts_are_suppressed(config):
    big2 = config.indicator("big2")
    pooled = pd.DataFrame(
        {
            "period": [2020, 2021],
            "numerator": [30 + 9, 7],
            "denominator": [200 + 100, 60],
            "mean_value": [None, None],
            "data_status": ["definitief", "voorlopig"],
        }
    )
    out = finish(pooled, big2, min_count=10, confidence=0.95)
    assert out.loc[0, "value"] == pytest.approx(39 / 300 * 100)
    assert out.loc[0, "lower"] < out.loc[0, "value"] < out.loc[0, "upper"]
    assert bool(out.loc[1, "suppressed"]) and math.isnan(out.loc[1, "value"]) and math.isnan(out.loc[1, "numerator"])


def test_a_value_only_row_keeps_its_value_without_a_margin(config):
    # The README's example: kinderen_armoede imported as "8,1" (no teller/noemer) for one municipality.
    armoede = config.indicator("kinderen_armoede")
    raw = pd.DataFrame(
        {
            "period": [2024],
            "numerator": [None],
            "denominator": [None],
            "mean_value": [8.1],
            "municipalities": [1],
            "with_counts": [0],
            "value_only": [1],
            "data_status": ["voorlopig"],
        }
    )
    out = finish(raw, armoede, min_count=10, confidence=0.95)
    assert out.loc[0, "value"] == pytest.approx(8.1)
    assert not out.loc[0, "margin"] and not out.loc[0, "suppressed"]
    assert out.loc[0, "data_status"] == "voorlopig" and out.loc[0, "no_value"] is None


def test_value_only_rows_of_several_municipalities_are_never_averaged(config):
    # 8,1% and 3,0% without counts: the plain mean 5,55% would be wrong (different sizes), so no value,
    # with the reason; with denominators 1000 and 3000 the honest figure is (81 + 90) / 4000 = 4,275%.
    armoede = config.indicator("kinderen_armoede")
    raw = pd.DataFrame(
        {
            "period": [2023, 2024],
            "numerator": [None, None],
            "denominator": [None, 4000],
            "mean_value": [5.55, 5.55],
            "municipalities": [2, 2],
            "with_counts": [0, 0],
            "value_only": [2, 2],
            "weighted_rows": [0, 2],
            "weighted_value": [None, 8.1 * 1000 + 3.0 * 3000],
            "weighted_denominator": [None, 4000],
        }
    )
    out = finish(raw, armoede, min_count=10, confidence=0.95)
    assert math.isnan(out.loc[0, "value"]) and out.loc[0, "no_value"] == "geen_tellingen"
    assert stats.no_value_text("geen_tellingen").startswith("Geen cijfer")
    assert out.loc[1, "value"] == pytest.approx(4.275)
    assert not out.loc[1, "margin"]


def test_a_yes_no_indicator_over_a_region_keeps_how_many_say_yes(config):
    phb = config.indicator("phb_jgz")
    raw = pd.DataFrame({"period": [2024], "mean_value": [0.5], "municipalities": [2], "yes_count": [1]})
    out = finish(raw, phb, min_count=10, confidence=0.95)
    assert out.loc[0, "value"] == 50.0 and out.loc[0, "yes_count"] == 1 and out.loc[0, "municipalities"] == 2
    assert not out.loc[0, "margin"]


def test_a_small_count_says_which_rule_hid_it(config):
    big2 = config.indicator("big2")
    raw = pd.DataFrame({"period": [2024], "numerator": [7], "denominator": [60], "mean_value": [None]})
    out = finish(raw, big2, min_count=10, confidence=0.95)
    assert out.loc[0, "suppression"] == "klein"
    assert out.loc[0, "suppression_reason"] == "Niet getoond: minder dan 10 gebeurtenissen."
    assert not out.loc[0, "margin"]


def test_a_value_that_gives_a_small_count_away_is_hidden_like_the_count(config):
    # Without a numerator, 1,5% of 200 is still 3 events, and a count imported as a bare value is a count.
    big2 = config.indicator("big2")
    raw = pd.DataFrame(
        {"period": [2024, 2025], "numerator": [None, None], "denominator": [200, 200], "mean_value": [1.5, 10.0]}
    )
    out = finish(raw, big2, min_count=10, confidence=0.95)
    assert out.loc[0, "suppression"] == "klein" and math.isnan(out.loc[0, "value"])
    assert out.loc[1, "value"] == 10.0 and out.loc[1, "suppression"] is None
    births = config.indicator("levendgeborenen")
    counts = pd.DataFrame({"period": [2024, 2025], "numerator": [None, None], "mean_value": [3.0, 120.0]})
    shown = finish(counts, births, min_count=10, confidence=0.95)
    assert shown.loc[0, "suppression"] == "klein" and shown.loc[1, "value"] == 120.0


def test_numbers_kept_between_calls_are_what_babel_writes():
    # fmt.number keeps its texts; equal values of another type or sign (-0.0 == 0.0) are kept apart
    from babel.numbers import format_decimal

    values = [-0.0, 0.0, 0.05, 0.15, 0.25, -0.04, 1, 1.0, np.float64(2.5), np.float32(0.15), 1234567.891, -12.5]
    for decimals in (0, 1, 2):
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        for _ in range(2):  # the second time from what was kept
            for v in values:
                assert fmt.number(v, decimals) == format_decimal(v, format=pattern, locale=fmt.LOCALE), (v, decimals)
    assert fmt.number(-0.0, 1) != fmt.number(0.0, 1)  # the premise: Babel writes the sign of -0.0
