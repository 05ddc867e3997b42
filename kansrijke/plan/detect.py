"""What the data can show: the smallest change in a goal's indicator that its figures can tell from chance.

A goal is called *behaald* only when its figure's interval excludes the baseline (``plan.progress``). So the
smallest improvement a single year can show is the half-width of that interval around the baseline:

* rates (``%``, ``per 1000``) with yearly denominator n and baseline proportion p:
  ``z * sqrt(p * (1 - p) / n)`` (times the unit's scale);
* counts (``aantal``, Poisson) with baseline count c: ``z * sqrt(c)``;

and pooled over k years (n becomes k * n; a count's yearly mean has variance c / k) it shrinks by sqrt(k).
``n`` is the median of the latest k yearly denominators. ``z`` comes from ``status.confidence_level``.
Yes/no indicators are a census (no chance variation) and figures without counts have no denominator: for
those nothing is computed.

When one year cannot show the target change but k years pooled can, the goal is judged on the pooled
figure (``use_pooled``, when ``status.pool_years`` > 1). When even k years cannot, the target is flagged
(``too_small``) with advice: pool more years, use a regional figure, or add a process measure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from kansrijke.core import fmt
from kansrijke.core.config import Indicator
from kansrijke.core.i18n import t
from kansrijke.core.stats import SCALE, z_value


def detectable_change(
    indicator: Indicator,
    baseline: float | None,
    target: float | None,
    denominators: Sequence[float],
    confidence: float,
    pool_years: int,
) -> dict:
    """The smallest detectable change in one year and in ``pool_years`` pooled, in the indicator's unit.

    Returns a dict with ``one_year``, ``pooled`` (None when it cannot be computed), ``years`` (k),
    ``target_change`` (|target - baseline|), ``use_pooled`` (one year too noisy, k years enough),
    ``too_small`` (even k years too noisy) and ``advice`` (a Dutch sentence or None)."""
    k = max(1, int(pool_years))
    out = {
        "one_year": None,
        "pooled": None,
        "years": k,
        "target_change": None,
        "use_pooled": False,
        "too_small": False,
        "advice": None,
    }
    if baseline is None or target is None:
        return out
    change = abs(target - baseline)
    out["target_change"] = change
    z = z_value(confidence)
    unit = indicator.eenheid
    if unit in SCALE:
        recent = [float(d) for d in denominators if not pd.isna(d) and float(d) > 0]
        if not recent:
            return out
        recent = sorted(recent[-k:])
        n = (
            recent[len(recent) // 2]
            if len(recent) % 2
            else (recent[len(recent) // 2 - 1] + recent[len(recent) // 2]) / 2
        )
        scale = SCALE[unit]
        p = min(max(baseline / scale, 0.0), 1.0)
        if p in (0.0, 1.0):  # a baseline of 0% or 100%: use the target's side so the width is not zero
            p = min(max(target / scale, 1e-6), 1 - 1e-6)
        one = z * math.sqrt(p * (1 - p) / n) * scale
    elif unit == "aantal":
        one = z * math.sqrt(max(baseline, 1.0))
    else:
        return out
    pooled = one / math.sqrt(k)
    out["one_year"], out["pooled"] = one, pooled
    if change <= 0:
        return out
    out["use_pooled"] = k > 1 and one > change >= pooled
    out["too_small"] = change < pooled
    if out["too_small"]:
        out["advice"] = t(
            "progress.detect.too_small",
            change=fmt.difference(change, unit),
            one=fmt.difference(one, unit),
            pooled=fmt.difference(pooled, unit),
            years=k,
        )
    return out
