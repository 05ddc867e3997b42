"""The one rule for "did it change?" (``stats.change_direction``): a change counts only when it is larger than chance
explains, judged by the figures' own margins where they have them."""

from __future__ import annotations

import math

from kansrijke.core.stats import change_direction


def row(value, lower=None, upper=None):
    return {"value": value, "lower": lower, "upper": upper}


def test_a_change_inside_the_margins_is_no_change():
    # 10,9% -> 10,6% with margins of about 1 point each: the difference (0,3) is well inside the combined margin
    assert change_direction(row(10.9, 9.9, 11.9), row(10.6, 9.6, 11.6)) == 0


def test_a_change_beyond_the_combined_margin_counts_in_its_direction():
    # margins of 0,4 each: combined margin 0,57; a fall of 1,0 is beyond it, a rise of 1,0 too
    assert change_direction(row(10.0, 9.6, 10.4), row(9.0, 8.6, 9.4)) == -1
    assert change_direction(row(9.0, 8.6, 9.4), row(10.0, 9.6, 10.4)) == 1


def test_the_combined_margin_is_smaller_than_the_sum_of_both():
    # half widths 0,4 and 0,4: combined sqrt(0,32) = 0,566; a change of 0,6 counts although the intervals overlap
    assert math.hypot(0.4, 0.4) < 0.6 < 0.8
    assert change_direction(row(10.0, 9.6, 10.4), row(10.6, 10.2, 11.0)) == 1


def test_without_margins_a_change_within_five_percent_is_no_change():
    assert change_direction(row(20.0), row(20.9)) == 0
    assert change_direction(row(20.0), row(21.2)) == 1
    assert change_direction(row(20.0, 19.0, 21.0), row(18.0)) == -1  # one margin only: the 5% rule


def test_missing_values_are_no_change():
    assert change_direction(row(None), row(5.0)) == 0
    assert change_direction(row(5.0), row(float("nan"))) == 0
