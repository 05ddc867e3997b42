"""Indicator arithmetic: rates from pooled counts, Wilson intervals and small-number suppression.

Pure functions on DataFrames (no I/O). Units: ``%`` (per 100), ``per 1000``,
``aantal`` (a count) and ``ja/nee`` (1.0 = yes; pooled it is the share of
municipalities with yes, in %).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from kansrijke.core.config import Indicator

SCALE = {"%": 100.0, "per 1000": 1000.0}


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


def finish(pooled: pd.DataFrame, indicator: Indicator, min_count: int, confidence: float) -> pd.DataFrame:
    """Turn pooled counts (``numerator``, ``denominator``, ``mean_value``) into a published series.

    Adds ``value``, ``lower``, ``upper`` (interval bounds in the indicator's unit, NaN when
    there is none) and ``suppressed`` (True when the count is below ``min_count``: value and
    bounds are then blanked). Input rows are per period; output keeps that order.
    """
    out = pooled.copy()
    unit = indicator.eenheid
    num = pd.to_numeric(out.get("numerator"), errors="coerce").astype(float)
    den = pd.to_numeric(out.get("denominator"), errors="coerce").astype(float)
    out["lower"] = np.nan
    out["upper"] = np.nan
    if unit in SCALE:
        scale = SCALE[unit]
        with np.errstate(invalid="ignore", divide="ignore"):
            out["value"] = np.where(den > 0, num / den * scale, np.nan)
        lo, hi = wilson(num.fillna(0).to_numpy(), den.fillna(0).to_numpy(), confidence)
        out["lower"], out["upper"] = lo * scale, hi * scale
        out["suppressed"] = num.notna() & (num < min_count)
    elif unit == "aantal":
        out["value"] = num
        out["suppressed"] = num.notna() & (num < min_count)
    else:  # ja/nee: share of municipalities with "ja", in %
        out["value"] = pd.to_numeric(out["mean_value"], errors="coerce") * 100.0
        out["suppressed"] = False
    blank = out["suppressed"]
    out.loc[blank, ["value", "lower", "upper", "numerator"]] = np.nan
    return out


def split_by_indicator(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {key: grp.reset_index(drop=True) for key, grp in frame.groupby("indicator_id", sort=False)}
