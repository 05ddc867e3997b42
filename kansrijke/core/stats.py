"""Indicator arithmetic: rates from pooled counts, Wilson intervals and small-number suppression.

Pure functions on DataFrames (no I/O). Units: ``%`` (per 100), ``per 1000``,
``aantal`` (a count) and ``ja/nee`` (1.0 = yes; pooled it is the share of
municipalities with yes, in %).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from kansrijke.core.config import SCALE, Indicator
from kansrijke.core.disclosure import SMALL, reason
from kansrijke.core.i18n import t


def z_value(confidence: float) -> float:
    """Two-sided normal quantile, e.g. 0.95 -> 1.96."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson(numerator: np.ndarray, denominator: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, as proportions (0..1); NaN where the denominator is 0."""
    n = np.asarray(denominator, dtype=float)
    x = np.asarray(numerator, dtype=float)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    lo = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    hi = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return lo, hi


FLAT_SHARE = 0.05  # without margins: a change within 5% of the first value counts as no change


def change_direction(first: dict, last: dict) -> int:
    """The one rule for "did it change?": +1 (up), -1 (down) or 0 (no change chance cannot explain), from two rows
    with ``value`` and, where known, their interval ``lower``/``upper``. With intervals on both, the difference
    counts when it exceeds the margin of the difference (each interval's half width over ``z`` as its standard
    error, combined); without, when it exceeds ``FLAT_SHARE`` of the first value. Cards, chart sentences and
    summaries all judge "beter"/"slechter" by this."""
    a, b = first.get("value"), last.get("value")
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return 0
    delta = float(b) - float(a)
    halves = [
        (float(row["upper"]) - float(row["lower"])) / 2
        for row in (first, last)
        if row.get("lower") is not None
        and row.get("upper") is not None
        and not pd.isna(row["lower"])
        and not pd.isna(row["upper"])
    ]
    if len(halves) == 2:
        margin = float(np.hypot(*halves))  # z * sqrt(se1^2 + se2^2), with se = half width / z
        noise = margin if margin > 0 else FLAT_SHARE * max(abs(float(a)), 1e-9)
    else:
        noise = FLAT_SHARE * max(abs(float(a)), 1e-9)
    if abs(delta) <= noise:
        return 0
    return 1 if delta > 0 else -1


NOT_POOLABLE, PARTLY_COUNTED = "geen_tellingen", "deels_tellingen"
_NO_VALUE_KEYS = {
    NOT_POOLABLE: "disclosure.no_value.geen_tellingen",
    PARTLY_COUNTED: "disclosure.no_value.deels_tellingen",
}


def no_value_text(reason: str | None) -> str:
    """Why a row has no value although its municipalities have figures ("" when it has one)."""
    return t(_NO_VALUE_KEYS[reason]) if reason in _NO_VALUE_KEYS else ""


def _column(frame: pd.DataFrame, name: str, default: float = np.nan) -> pd.Series:
    if name in frame:
        return pd.to_numeric(frame[name], errors="coerce").astype(float)
    return pd.Series(default, index=frame.index, dtype=float)


def finish(pooled: pd.DataFrame, indicator: Indicator, min_count: int, confidence: float) -> pd.DataFrame:
    """Turn pooled rows (``pooled_series`` / ``national_series`` columns, or at least ``period``,
    ``numerator``, ``denominator``, ``mean_value``) into a published series, one row per input row.

    Adds ``value``; ``lower`` and ``upper`` (interval bounds in the unit, NaN when there is none);
    ``margin`` (False = no interval: the figure is shown "zonder marge"); ``suppressed`` with
    ``suppression`` (the rule, "klein" here: fewer than ``min_count`` events) and ``suppression_reason``
    (Dutch; value, bounds and numerator are then blanked); ``no_value`` (why a row with figures has no
    value: ``geen_tellingen``, ``deels_tellingen``; see ``no_value_text``). ``data_status``,
    ``municipalities``, ``with_counts`` and ``yes_count`` pass through.

    Rows without counts keep their value: one municipality's (or the national series') own value; over
    several municipalities a rate is pooled from value x denominator when every such row has a denominator
    (the implied counts), an "aantal" is the sum of the values, and otherwise the row has no value
    (``geen_tellingen``: an average of rates would be wrong). Rows with counts for only some of the
    municipalities are pooled only when the others can be weighted the same way (else ``deels_tellingen``).
    A "ja/nee" figure over several municipalities is the share with "ja" in % (``yes_count`` of
    ``municipalities``).
    """
    out = pooled.copy()
    unit = indicator.eenheid
    num = _column(out, "numerator")
    den = _column(out, "denominator")
    members = _column(out, "municipalities")  # NaN: a single value (the national series, a window)
    counted = _column(out, "with_counts")
    counted = counted.where(counted.notna(), num.notna().astype(float))
    value_only = _column(out, "value_only").fillna(0)
    single = members.isna() | (members <= 1)
    full = num.notna() & (counted >= members.fillna(1))  # every municipality has counts
    none = counted.fillna(0) == 0
    mean = _column(out, "mean_value")
    weighted_rows = _column(out, "weighted_rows").fillna(0)
    weighted_value = _column(out, "weighted_value")
    weighted_den = _column(out, "weighted_denominator")
    counted_den = _column(out, "counted_denominator")
    counted_den = counted_den.where(counted_den.notna(), den)
    out["lower"] = np.nan
    out["upper"] = np.nan
    out["no_value"] = None
    if unit in SCALE:
        scale = SCALE[unit]
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(counted_den > 0, num / counted_den * scale, np.nan)
            weighted = np.where(weighted_den > 0, weighted_value / weighted_den, np.nan)
            mixed = (num * scale + weighted_value.fillna(0)) / (counted_den + weighted_den.fillna(0))
        lo, hi = wilson(num.fillna(0).to_numpy(), counted_den.fillna(0).to_numpy(), confidence)
        all_weighted = weighted_rows >= members.fillna(1) - counted.fillna(0)
        value = np.where(full, rate, np.nan)
        value = np.where(none & single, mean, value)
        value = np.where(none & ~single & all_weighted & (weighted_rows > 0), weighted, value)
        value = np.where(~full & ~none & all_weighted & (weighted_rows > 0), mixed, value)
        out["value"] = value
        out["lower"] = np.where(full, lo * scale, np.nan)
        out["upper"] = np.where(full, hi * scale, np.nan)
        lost = pd.Series(np.isnan(value), index=out.index) & (value_only > 0)
        out.loc[lost & none, "no_value"] = NOT_POOLABLE
        out.loc[lost & ~none, "no_value"] = PARTLY_COUNTED
        # A value without counts but with a denominator gives its count away (value x denominator): judged
        # small on that implied count, like a counted one.
        implied = np.where(
            weighted_value.notna(),
            num.fillna(0) + weighted_value.fillna(0) / scale,
            np.where(single & none & den.notna(), mean * den / scale, np.nan),
        )
        implied_small = pd.Series(~np.isnan(implied) & (np.round(implied) < min_count), index=out.index)
        small = (num.notna() & (num < min_count) & (full | ~none)) | (implied_small & out["value"].notna())
    elif unit == "aantal":
        only_sum = _column(out, "value_only_sum")
        value = np.where(full, num, np.nan)
        value = np.where(none & single, mean, value)
        value = np.where(~full & (value_only >= members.fillna(1) - counted.fillna(0)), num.fillna(0) + only_sum, value)
        out["value"] = value
        small = out["value"].notna() & (out["value"] < min_count)  # a value-only count is a count as well
    else:  # ja/nee: share of municipalities with "ja", in %
        out["value"] = mean * 100.0
        if "yes_count" not in out:
            out["yes_count"] = np.where(single, (mean >= 0.5).astype(float), np.nan)
        small = pd.Series(False, index=out.index)
    if unit != "ja/nee":
        out["yes_count"] = np.nan  # only a yes/no indicator counts municipalities with "ja"
    out["margin"] = out["lower"].notna() & out["upper"].notna()
    out["suppressed"] = small.to_numpy()
    out["suppression"] = pd.Series([SMALL if s else None for s in out["suppressed"]], index=out.index, dtype=object)
    out["suppression_reason"] = [reason(r, min_count) if r else None for r in out["suppression"]]
    blank = out["suppressed"]
    out.loc[blank, ["value", "lower", "upper", "numerator"]] = np.nan
    out.loc[blank, "margin"] = False
    return out


def split_by_indicator(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {key: grp.reset_index(drop=True) for key, grp in frame.groupby("indicator_id", sort=False)}
