"""Fair comparison: "vergelijkbare gemeenten" (peers), figures pooled over a set of municipalities, and
the Pharos comparison view (funnel plot, ranked dots, trend band, heat map, map, coalition overview).

Peers, pooled and national series are computed in ``core.figures`` (the plan uses them too) and
re-exported here.

Method of the comparison view (also shown on the page, ``compare.method_*`` in the catalogue):

* **Pooling.** A municipality's rate is sum(numerators) / sum(denominators) over one period, or over
  ``POOL_YEARS`` (3) periods ending in the chosen one when pooling is switched on.
* **Nederland** is the national series (table ``national_values``) where it covers every chosen period
  (counts for each period, or a value for a single period); else it is pooled over *all* municipalities
  with counts, including those whose own figure is suppressed (the true total, never only the published
  ones). A year in which fewer than ``periods.min_coverage`` of the municipalities have counts gets no
  pooled "Nederland" (it would be the figure of a few places): the page and the CLI say so.
* **Other groups** (the set, a province, a size class, peers, a hand-picked list) are pooled over their
  members whose own figure is published, so that every group number is a sum of published numbers; each
  group figure says its coverage ("34 van 342 gemeenten").
* **Funnel plot** (Spiegelhalter, *Funnel plots for comparing institutional performance*, Statistics in
  Medicine 2005;24:1185-1202; *Handling over-dispersion of performance indicators*, Qual Saf Health Care
  2005;14:347-351). Target p0 = the comparison group's figure (as a proportion). For a municipality with
  denominator n, s² = p0(1−p0)/n.

  - *Exact limits.* The limit at level q (0.025/0.975 for 95%, 0.001/0.999 for 99.8%) is the q-quantile
    of Binomial(n, p0) with Spiegelhalter's interpolation (2005, appendix): r = the smallest count with
    P(R ≤ r) ≥ q, α = (P(R ≤ r) − q) / P(R = r), limit = (r − α) / n. For rare events this is the Poisson
    limit too. When the binomial's standard deviation exceeds ``EXACT_MAX_SD`` (50 events) the normal
    limit p0 ± z·s is used: the two then differ by less than 0.03 standard errors.
  - *Over-dispersion.* Municipalities differ by more than chance (population, registration): the
    z-scores z = (y − p0)/s of the published members of the comparison group are winsorised at their
    10th and 90th percentiles and φ = mean(z_w²) / c, with c = ``WINSOR_C`` (0.6787, the mean of a
    winsorised squared standard normal, so φ ≈ 1 under chance alone). When I·φ > I − 1 (I ≥
    ``MIN_UNITS`` municipalities) there is over-dispersion and an additive random effect τ² is
    estimated: the τ² for which the winsorised z-scores, now standardised by √(s² + τ²), have
    I·φ(τ²) = I − 1. Spiegelhalter's one-step estimate τ² = (I·φ − (I−1)) / (Σw − Σw²/Σw), w = 1/s², is
    its starting point; on its own it underestimates τ (winsorising shrinks z-scores of large
    municipalities most) and flags two to three times the chance number on simulated over-dispersed
    data, the solved τ² flags about the chance number (``tests/compare``). Limits are then
    p0 ± z·√(s² + τ²), never narrower than the exact limits.
  - Without over-dispersion (or with fewer than ``MIN_UNITS`` published members) the exact limits are used.

  A municipality above the upper 95% limit is "hoger", below the lower one "lager"; in the indicator's
  better direction that is "beter" or "slechter" (context indicators keep hoger/lager). Inside the limits
  the difference is within what chance (and the usual variation between municipalities) gives: no
  ranking. The page and CLI report "x buiten de grenzen, bij toeval verwacht y": y = 5% (95%) and 0.2%
  (99.8%) of the published municipalities shown.
* **Interval** of a municipality's own rate: Wilson score interval (``indicators.wilson``).
* **Small numbers.** A municipality with fewer than ``privacy.min_count`` events (numerator) has its
  numerator, denominator, rate, interval and funnel position withheld in every chart, table, export
  and CLI output, with the reason. A three-year figure is suppressed too when one or two of its years
  are below the threshold on their own and those years together have fewer than ``min_count`` events.
  "Nederland" pooled over all municipalities minus the published municipal figures gives the sum of the
  suppressed ones: the product-wide rule in ``core.disclosure`` decides whether its counts may be shown.
* **Provenance.** Every row carries its data status (voorlopig when any pooled row is provisional, else
  herzien when any is revised, else definitief); the page, the export and the CLI name the source and its
  lag (``vertraging_jaren``); an indicator suspended at its source (``status: opgeschort``) is shown with
  a caveat.
* **Coalition overview.** Goal statuses are those of the progress engine, computed for all coalitions at
  once (``progress.coalitions_progress``); a coalition is "stil" when its last
  action (on or before today, cancelled actions not counted) is more than N months ago or it has none
  (``actions.rules.quiet``, N by default the config key ``actions.quiet_months``, as on the Actielog).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from kansrijke.actions.rules import quiet
from kansrijke.core import disclosure, fmt
from kansrijke.core.config import Config, Indicator
from kansrijke.core.figures import peers
from kansrijke.core.i18n import t
from kansrijke.core.stats import SCALE, wilson
from kansrijke.core.store import Store
from kansrijke.plan.overview import default_period as overview_default_period
from kansrijke.plan.progress import GOAL_STATUSES, coalitions_progress

# == the comparison view ============================================================================
Z95 = 1.959964  # two-sided 95% normal quantile
Z998 = 3.090232  # two-sided 99.8% normal quantile
POOL_YEARS = 3  # periods pooled when the "drie jaar samen" switch is on
SET_KINDS = ("alle", "gids", "provincie", "grootteklasse", "stedelijkheid", "vergelijkbaar", "lijst")
AGAINST = ("landelijk", "selectie", "vergelijkbaar")
WITHIN, BETTER, WORSE, HIGHER, LOWER = "binnen", "beter", "slechter", "hoger", "lager"
# Public columns of a municipality row; raw counts live in "_num"/"_den" and never leave this module.
PUBLIC = ["code", "name", "numerator", "denominator", "value", "lower", "upper", "suppressed"]
DATA_STATUSES = ("voorlopig", "herzien", "definitief")
# what a group figure is pooled over
BASIS_PUBLISHED, BASIS_ALL, BASIS_NATIONAL = "gepubliceerd", "alle", "landelijk"

# -- funnel method (see the module doc) --
WINSOR = 0.10  # z-scores are winsorised at the 10th and 90th percentiles
_NORMAL = NormalDist()
_W = _NORMAL.inv_cdf(1 - WINSOR)
# E[min(max(Z, -w), w)²] for a standard normal Z, w its 90th percentile: 0.8 − 2·w·φ(w) + 0.2·w² = 0.67865
WINSOR_C = (1 - 2 * WINSOR) - 2 * _W * _NORMAL.pdf(_W) + 2 * WINSOR * _W * _W
MIN_UNITS = 10  # fewer published municipalities than this: no over-dispersion estimate
EXACT_MAX_SD = 50.0  # binomial standard deviation (events) above which the normal limit is used
EXPECTED_OUTSIDE = {Z95: 0.05, Z998: 0.002}  # share of municipalities outside each limit by chance alone


@dataclass(frozen=True)
class Choice:
    """Everything the adviser chose; the page keeps each field in the URL, the CLI takes it as options."""

    indicator: str
    period: int
    set_kind: str = "alle"
    set_value: str | None = None  # province name, size class or urbanity "1".."5"
    codes: tuple[str, ...] = ()  # the hand-picked list (set_kind "lijst")
    against: str = "landelijk"
    pooled: bool = False  # pool POOL_YEARS periods
    highlight: str | None = None  # a municipality code


@dataclass
class GroupFigure:
    """A group's figure: pooled over its members with a published figure (``basis`` "gepubliceerd"), over all
    its members with counts (Nederland, "alle") or the national series ("landelijk"); see the module doc."""

    label: str
    codes: list[str]  # all members
    numerator: int | None  # the pooled counts; None when there is no figure or they are withheld
    denominator: int | None
    value: float | None  # in the indicator's unit
    proportion: float | None  # p0 (0..1) for the funnel
    published_members: int  # members whose own figure is published
    suppressed_members: int  # members whose own figure is suppressed
    basis: str = BASIS_PUBLISHED
    with_counts: int = 0  # members with counts in the period(s)
    data_status: str | None = None  # voorlopig / herzien / definitief of what it is pooled over
    note: str | None = None  # why there is no figure, or what was withheld

    @property
    def members(self) -> int:
        return len(self.codes)

    @property
    def pooled_members(self) -> int:
        """How many members the figure is pooled over."""
        if self.basis == BASIS_ALL:
            return self.with_counts
        return self.published_members if self.basis == BASIS_PUBLISHED else 0


@dataclass(frozen=True)
class Dispersion:
    """The funnel's allowance for over-dispersion: ``phi`` (winsorised, 1 = chance alone; None when not
    estimated), ``tau2`` (additive between-municipality variance of the proportion, 0 = none) and the number
    of published municipalities it was estimated from."""

    units: int = 0
    phi: float | None = None
    tau2: float = 0.0

    @property
    def overdispersed(self) -> bool:
        return self.tau2 > 0

    @property
    def estimated(self) -> bool:
        return self.phi is not None


@dataclass
class Comparison:
    """One indicator compared over a set of municipalities against a group."""

    choice: Choice
    indicator: Indicator
    periods: tuple[int, int]
    rows: pd.DataFrame  # the set's municipalities: PUBLIC columns + funnel columns (+ private _num/_den)
    group: GroupFigure  # the set, pooled
    reference: GroupFigure  # what it is compared against (the funnel's target)
    national: GroupFigure
    peers: list[str] = field(default_factory=list)  # peers of the highlighted municipality
    min_count: int = 10
    dispersion: Dispersion = field(default_factory=Dispersion)
    covered: int = 0  # municipalities with counts in the chosen period
    total: int = 0  # all municipalities
    thin: bool = False  # fewer than periods.min_coverage of them: no pooled "Nederland"
    latest_covered: int | None = None  # the latest period with enough coverage for this indicator
    grid: pd.DataFrame | None = None  # the funnel's limit lines for drawing (``funnel_grid``), None without p0

    @property
    def scale(self) -> float:
        return SCALE[self.indicator.eenheid]

    @property
    def suppressed(self) -> int:
        return int(self.rows["suppressed"].sum())

    @property
    def shown(self) -> pd.DataFrame:
        """Rows with a published rate (not suppressed, with a denominator)."""
        return self.rows[self.rows["value"].notna()]

    @property
    def outside(self) -> dict[str, tuple[int, float]]:
        """``{"95": (outside, expected by chance), "998": (...)}`` over the published municipalities shown."""
        shown = self.shown
        n = len(shown)
        if self.reference.proportion is None or not n:
            return {"95": (0, 0.0), "998": (0, 0.0)}
        out95 = int(shown["side"].isin([HIGHER, LOWER]).sum())
        out998 = int(shown["beyond998"].sum())
        return {"95": (out95, EXPECTED_OUTSIDE[Z95] * n), "998": (out998, EXPECTED_OUTSIDE[Z998] * n)}

    @property
    def data_status(self) -> dict[str, int]:
        """How many municipalities of the set with counts have each data status, in DATA_STATUSES order."""
        found = self.rows.loc[self.rows["_den"].notna(), "data_status"].value_counts()
        return {s: int(found[s]) for s in DATA_STATUSES if found.get(s, 0)}


def comparable_indicators(config: Config) -> list[Indicator]:
    """Municipal indicators with a numerator and denominator (a rate): the ones a funnel plot fits. An indicator
    suspended at its source (``status: opgeschort``) stays comparable; the page and the CLI add a caveat."""
    return [i for i in config.indicatoren if i.niveau == "gemeente" and i.eenheid in SCALE]


def period_range(period: int, pooled: bool) -> tuple[int, int]:
    return (period - POOL_YEARS + 1, period) if pooled else (period, period)


def period_label(periods: tuple[int, int]) -> str:
    first, last = periods
    return str(last) if first == last else f"{first}–{last}"


def default_period(store: Store, config: Config, indicator_id: str) -> int | None:
    """The latest year with enough coverage for this indicator (``periods.min_coverage``, the rule of the
    sidebar's default), not the latest row anyone imported."""
    return overview_default_period(store, config.periods.min_coverage, (indicator_id,))


def municipalities(store: Store) -> pd.DataFrame:
    return store.query("municipalities")


def size_classes(munis: pd.DataFrame) -> list[str]:
    """CBS size classes from small to large."""
    order = munis.groupby("size_class")["population"].min().sort_values()
    return list(order.index)


def rates(store: Store, config: Config, indicator_ids: list[str], period: int, pooled: bool) -> pd.DataFrame:
    """Per municipality and indicator the (pooled) rate, its Wilson interval and suppression.

    Columns: code, name, province, size_class, urbanity, gids, population, indicator_id, periods,
    first_period, last_period, provisional, data_status, the private raw counts ``_num`` and ``_den``, and the
    public ``numerator``, ``denominator``, ``value``, ``lower``, ``upper`` (all NaN when ``suppressed``),
    ``suppressed`` and ``suppression`` (the rule of ``core.disclosure`` that hides the figure: ``klein``,
    ``aanvulling_jaren`` or ``aanvulling_gebied``; None when published). The product-wide plan decides; the
    count rule (fewer than ``min_count`` events, or a pooled figure that would reveal such a year) is kept as
    a floor for rows the plan does not see (counts without a denominator).
    """
    first, last = period_range(period, pooled)
    min_count = config.privacy.min_count
    raw = store.query(
        "compare_rates", {"indicators": list(indicator_ids), "first": first, "last": last, "min_count": min_count}
    )
    scale = raw["indicator_id"].map({i: SCALE[config.indicator(i).eenheid] for i in indicator_ids}).astype(float)
    num = pd.to_numeric(raw["numerator"], errors="coerce").astype(float)
    den = pd.to_numeric(raw["denominator"], errors="coerce").astype(float)
    out = raw.drop(columns=["numerator", "denominator", "hidden_periods", "hidden_numerator"])
    out["_num"], out["_den"] = num, den
    lo, hi = wilson(num.fillna(0).to_numpy(), den.fillna(0).to_numpy(), config.status.confidence_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(den > 0, num / den, np.nan)
    small = num.notna() & (num < min_count)
    revealing = num.notna() & (raw["hidden_periods"] > 0) & (raw["hidden_numerator"] < min_count)
    plans = disclosure.plans(store, config, list(dict.fromkeys(indicator_ids)))
    hidden = {i: plan.hidden_codes(first, last) for i, plan in plans.items()}
    rule = [
        hidden[i].get(c) or (disclosure.SMALL if s else disclosure.YEARS if r else None) if pd.notna(n) else None
        for i, c, n, s, r in zip(raw["indicator_id"], raw["code"], num, small, revealing, strict=True)
    ]
    out["suppression"] = pd.Series(rule, index=out.index, dtype=object)
    suppressed = out["suppression"].notna().to_numpy()
    keep = ~suppressed & (den > 0).to_numpy()
    out["numerator"] = np.where(keep, num, np.nan)
    out["denominator"] = np.where(keep, den, np.nan)
    out["value"] = np.where(keep, value * scale, np.nan)
    out["lower"] = np.where(keep, lo * scale, np.nan)
    out["upper"] = np.where(keep, hi * scale, np.nan)
    out["suppressed"] = suppressed
    return out


def set_codes(store: Store, config: Config, choice: Choice) -> list[str]:
    """The codes of the municipalities in the chosen set."""
    munis = store.query("municipalities")
    kind, value = choice.set_kind, choice.set_value
    if kind == "gids":
        chosen = munis[munis["gids"]]
    elif kind == "provincie":
        chosen = munis[munis["province"] == value]
    elif kind == "grootteklasse":
        chosen = munis[munis["size_class"] == value]
    elif kind == "stedelijkheid":
        chosen = munis[munis["urbanity"].astype(str) == str(value)]
    elif kind == "vergelijkbaar":
        codes = [choice.highlight, *peers(store, config, choice.highlight, choice.period)] if choice.highlight else []
        chosen = munis[munis["code"].isin(codes)]
    elif kind == "lijst":
        chosen = munis[munis["code"].isin(choice.codes)]
    else:
        chosen = munis
    return list(chosen["code"])


def _status_of(statuses: pd.Series) -> str | None:
    """The data status of a pooled figure: voorlopig if any part is, else herzien if any part is, else definitief."""
    found = set(statuses.dropna())
    return next((s for s in DATA_STATUSES if s in found), None)


def group_figure(rows: pd.DataFrame, codes: list[str], label: str, scale: float) -> GroupFigure:
    """Pool ``rows`` (one indicator, from ``rates``) over ``codes``: sum(numerators) / sum(denominators) of the
    members whose figure is published (suppressed members are left out and counted)."""
    members = rows[rows["code"].isin(codes)]
    part = members[members["value"].notna()]
    hidden = int(members["suppressed"].sum())
    with_counts = int(members["_den"].notna().sum())
    num, den = float(part["numerator"].sum()), float(part["denominator"].sum())
    status = _status_of(part["data_status"]) if "data_status" in part else None
    if den <= 0:
        return GroupFigure(label, list(codes), None, None, None, None, 0, hidden, BASIS_PUBLISHED, with_counts)
    return GroupFigure(
        label, list(codes), int(num), int(den), num / den * scale, num / den, len(part), hidden, BASIS_PUBLISHED,
        with_counts, status,
    )  # fmt: skip


def coverage(rows: pd.DataFrame, period: int) -> tuple[int, int]:
    """(municipalities with counts in ``period`` itself, all municipalities) of one indicator's ``rates`` rows."""
    return int((rows["last_period"] == period).sum()), len(rows)


def national_figure(
    rows: pd.DataFrame,
    series: pd.DataFrame,
    periods: tuple[int, int],
    label: str,
    scale: float,
    thin: bool,
    withheld: str | None = None,
) -> GroupFigure:
    """ "Nederland" for one indicator: the national series ``series`` (``compare_national`` rows of this
    indicator) when it covers every period of ``periods`` (counts for each, or a value for a single period);
    else pooled over all municipalities of ``rows`` with counts, suppressed ones included; no figure when the
    year is ``thin`` (too few municipalities with counts; ``note`` "thin") or when disclosure control hides
    the national figure (``withheld``: the rule, also the ``note``)."""
    codes = list(rows["code"])
    hidden = int(rows["suppressed"].sum())
    published = int(rows["value"].notna().sum())
    with_counts = int(rows["_den"].notna().sum())
    wanted = set(range(periods[0], periods[1] + 1))
    if withheld:
        return GroupFigure(
            label, codes, None, None, None, None, published, hidden, BASIS_ALL, with_counts, None, withheld
        )
    if not series.empty and wanted <= set(series["period"].astype(int)):
        part = series[series["period"].isin(wanted)]
        status = _status_of(part["data_status"])
        num = pd.to_numeric(part["numerator"], errors="coerce")
        den = pd.to_numeric(part["denominator"], errors="coerce")
        if num.notna().all() and den.notna().all() and den.sum() > 0:
            n, d = float(num.sum()), float(den.sum())
            return GroupFigure(
                label, codes, int(n), int(d), n / d * scale, n / d, published, hidden, BASIS_NATIONAL, with_counts,
                status,
            )  # fmt: skip
        if len(part) == 1 and pd.notna(part["value"].iloc[0]):
            value = float(part["value"].iloc[0])
            return GroupFigure(
                label, codes, None, None, value, value / scale, published, hidden, BASIS_NATIONAL, with_counts,
                status,
            )  # fmt: skip
    if thin:
        return GroupFigure(
            label, codes, None, None, None, None, published, hidden, BASIS_ALL, with_counts, None, "thin"
        )
    part = rows[rows["_den"].notna()]
    n, d = float(part["_num"].sum()), float(part["_den"].sum())
    if d <= 0:
        return GroupFigure(label, codes, None, None, None, None, published, hidden, BASIS_ALL, with_counts)
    return GroupFigure(
        label, codes, int(n), int(d), n / d * scale, n / d, published, hidden, BASIS_ALL, with_counts,
        _status_of(part["data_status"]),
    )  # fmt: skip


# -- funnel limits --------------------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _log_factorials(size: int) -> np.ndarray:
    """log(k!) for k = 0 .. size − 1 (read-only; cached per size, a power of two)."""
    out = np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, size, dtype=float)))))
    out.setflags(write=False)
    return out


def binomial_quantile(p0: float, n: np.ndarray | float, prob: float) -> np.ndarray:
    """The ``prob`` quantile of Binomial(n, p0) as a proportion, interpolated as in Spiegelhalter (2005,
    appendix): r = the smallest count with P(R ≤ r) ≥ prob, α = (P(R ≤ r) − prob) / P(R = r), limit (r − α)/n.
    Where the binomial's standard deviation exceeds ``EXACT_MAX_SD`` events, the normal quantile
    p0 + z·sqrt(p0(1−p0)/n). NaN where n ≤ 0."""
    return binomial_quantiles(p0, n, (prob,))[0]


def binomial_quantiles(p0: float, n: np.ndarray | float, probs: tuple[float, ...]) -> np.ndarray:
    """``binomial_quantile`` for several probabilities at once (one row per probability): the distribution of
    each denominator is computed once."""
    n = np.atleast_1d(np.asarray(n, dtype=float))
    out = np.full((len(probs), len(n)), np.nan)
    ok = np.isfinite(n) & (n > 0)
    if p0 <= 0 or p0 >= 1:
        out[:, ok] = min(max(p0, 0.0), 1.0)
        return out
    q0 = 1.0 - p0
    sd = np.sqrt(np.where(ok, n, 0.0) * p0 * q0)
    normal = ok & (sd > EXACT_MAX_SD)
    exact = ok & ~normal
    with np.errstate(invalid="ignore", divide="ignore"):
        for i, prob in enumerate(probs):
            out[i, normal] = p0 + _NORMAL.inv_cdf(prob) * np.sqrt(p0 * q0 / n[normal])
    if not exact.any():
        return out
    ni = np.round(n[exact]).astype(np.int64)
    s = sd[exact]
    # counts from 6 sd below the mean (the mass below is < 1e-9) over 12 sd + 24 values (past every quantile used)
    start = np.maximum(0, np.floor(ni * p0 - 6 * s - 10)).astype(np.int64)
    ks = start[:, None] + np.arange(int(np.ceil(12 * s.max() + 24)))[None, :]
    valid = ks <= ni[:, None]
    ks = np.minimum(ks, ni[:, None])
    lf = _log_factorials(1 << int(ni.max() + 1).bit_length())
    rest = ni[:, None] - ks
    logpmf = lf[ni][:, None] - lf[ks] - lf[rest] + ks * np.log(p0) + rest * np.log(q0)
    pmf = np.where(valid, np.exp(logpmf), 0.0)
    cdf = np.cumsum(pmf, axis=1)
    rows = np.arange(len(ni))
    for i, prob in enumerate(probs):
        reached = cdf >= prob
        idx = np.where(reached.any(axis=1), reached.argmax(axis=1), ks.shape[1] - 1)
        at = pmf[rows, idx]
        alpha = (cdf[rows, idx] - prob) / np.where(at > 0, at, 1.0)
        out[i, exact] = (ks[rows, idx] - np.clip(alpha, 0.0, 1.0)) / ni
    return out


def normal_limits(p0: float, n: np.ndarray | float, z: float, tau2: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """p0 ± z·sqrt(p0(1−p0)/n + τ²), clipped to 0..1 (the normal approximation, with a random effect τ²)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = z * np.sqrt(p0 * (1 - p0) / n + tau2)
    return np.clip(p0 - half, 0.0, 1.0), np.clip(p0 + half, 0.0, 1.0)


def funnel_limits(p0: float, n: np.ndarray | float, z: float, tau2: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Control limits (proportions 0..1) around ``p0`` for denominators ``n`` at the two-sided level of ``z``
    (``Z95``, ``Z998``): the exact binomial limits, and with over-dispersion (``tau2`` > 0) the random-effects
    limits p0 ± z·sqrt(s² + τ²), never narrower than the exact ones."""
    return _limits(p0, n, (z,), tau2)[0]


def _limits(
    p0: float, n: np.ndarray | float, zs: tuple[float, ...], tau2: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``funnel_limits`` for several levels at once: (lo, hi) per z."""
    tails = [1.0 - _NORMAL.cdf(z) for z in zs]
    quantiles = np.clip(binomial_quantiles(p0, n, tuple(x for tail in tails for x in (tail, 1.0 - tail))), 0.0, 1.0)
    out = []
    for i, z in enumerate(zs):
        lo, hi = quantiles[2 * i], quantiles[2 * i + 1]
        if tau2 > 0:
            re_lo, re_hi = normal_limits(p0, n, z, tau2)
            lo, hi = np.fmin(lo, re_lo), np.fmax(hi, re_hi)
        out.append((lo, hi))
    return out


def overdispersion(numerators: np.ndarray, denominators: np.ndarray, p0: float | None) -> Dispersion:
    """Spiegelhalter's over-dispersion allowance from published counts around ``p0`` (see the module doc)."""
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    keep = np.isfinite(num) & np.isfinite(den) & (den > 0)
    num, den = num[keep], den[keep]
    units = len(den)
    if p0 is None or not 0 < p0 < 1 or units < MIN_UNITS:
        return Dispersion(units)
    y = num / den
    s2 = p0 * (1 - p0) / den
    target = (units - 1) / units

    def phi(tau2: float) -> float:
        z = (y - p0) / np.sqrt(s2 + tau2)
        low, high = np.percentile(z, (100 * WINSOR, 100 * (1 - WINSOR)))
        return float(np.mean(np.clip(z, low, high) ** 2) / WINSOR_C)

    phi0 = phi(0.0)
    if phi0 <= target:
        return Dispersion(units, phi0, 0.0)
    w = 1.0 / s2
    step = (units * phi0 - (units - 1)) / (w.sum() - (w**2).sum() / w.sum())  # Spiegelhalter's one-step τ²
    low, high = 0.0, max(step, 1e-12)
    for _ in range(60):  # widen until φ(τ²) drops to the target
        if phi(high) <= target:
            break
        low, high = high, high * 2
    for _ in range(50):  # bisection: φ(τ²) decreases in τ²
        mid = (low + high) / 2
        if phi(mid) > target:
            low = mid
        else:
            high = mid
        if high - low <= 1e-6 * high:
            break
    return Dispersion(units, phi0, float((low + high) / 2))


def funnel_grid(
    p0: float, n_min: float, n_max: float, scale: float, tau2: float = 0.0, points: int = 120
) -> pd.DataFrame:
    """The four limit lines on a log-spaced grid of denominators (for drawing), in the unit."""
    n = np.unique(np.round(np.geomspace(max(n_min, 1.0), max(n_max, n_min + 1, 2.0), points)))
    (lo95, hi95), (lo998, hi998) = _limits(p0, n, (Z95, Z998), tau2)
    return pd.DataFrame(
        {"n": n, "lo95": lo95 * scale, "hi95": hi95 * scale, "lo998": lo998 * scale, "hi998": hi998 * scale}
    )


def positions(rows: pd.DataFrame, p0: float | None, richting: str, scale: float, tau2: float = 0.0) -> pd.DataFrame:
    """Add the funnel columns: ``expected`` (p0 in the unit), the limits at the row's own denominator
    (``lo95``, ``hi95``, ``lo998``, ``hi998``), ``side`` (hoger/lager/binnen), ``position`` (beter/slechter/
    binnen, or hoger/lager for context indicators) and ``beyond998``. Suppressed rows get None/NaN."""
    out = rows.copy()
    published = out["value"].notna().to_numpy()
    den = out["_den"].to_numpy(dtype=float)
    cols = ("lo95", "hi95", "lo998", "hi998")
    if p0 is None:
        for col in cols:
            out[col] = np.nan
        out["expected"] = np.nan
        out["side"] = out["position"] = None
        out["beyond998"] = False
        return out
    use = np.where(published, den, np.nan)
    (lo95, hi95), (lo998, hi998) = _limits(p0, use, (Z95, Z998), tau2)
    for col, arr in zip(cols, (lo95, hi95, lo998, hi998), strict=True):
        out[col] = np.where(published, arr * scale, np.nan)
    out["expected"] = np.where(published, p0 * scale, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        prop = out["_num"].to_numpy(dtype=float) / den
    side = np.where(prop > hi95, HIGHER, np.where(prop < lo95, LOWER, WITHIN))
    better = {"lager_beter": {LOWER: BETTER, HIGHER: WORSE}, "hoger_beter": {HIGHER: BETTER, LOWER: WORSE}}
    mapping = better.get(richting, {})
    out["side"] = np.where(published, side, None)
    out["position"] = [mapping.get(s, s) if ok else None for s, ok in zip(side, published, strict=True)]
    out["beyond998"] = published & ((prop > hi998) | (prop < lo998))
    return out


def _labels(store: Store, config: Config, choice: Choice, munis: pd.DataFrame) -> tuple[str, str]:
    names = munis.set_index("code")["name"]
    highlight = names.get(choice.highlight, choice.highlight or "")
    kind = choice.set_kind
    value = choice.set_value
    if kind == "stedelijkheid":
        value = t(f"compare.urbanity.{value}") if value in {"1", "2", "3", "4", "5"} else value
    set_label = t(f"compare.set_label.{kind}", value=value or "", name=highlight, count=len(choice.codes))
    against = t(f"compare.against_label.{choice.against}", name=highlight, set=set_label)
    return set_label, against


def _reference_dispersion(rows: pd.DataFrame, reference: GroupFigure) -> Dispersion:
    """Over-dispersion estimated from the published members of the comparison group around its figure."""
    members = rows[rows["code"].isin(reference.codes) & rows["value"].notna()]
    return overdispersion(members["_num"].to_numpy(), members["_den"].to_numpy(), reference.proportion)


def comparison(store: Store, config: Config, choice: Choice) -> Comparison:
    """The chosen indicator over the chosen set, with funnel positions against the chosen group."""
    ind = config.indicator(choice.indicator)
    if ind.eenheid not in SCALE:
        raise ValueError(f"{ind.id} heeft geen teller en noemer")
    scale = SCALE[ind.eenheid]
    min_count = config.privacy.min_count
    munis = store.query("municipalities")
    all_rows = rates(store, config, [ind.id], choice.period, choice.pooled)
    codes = set_codes(store, config, choice)
    peer_codes = peers(store, config, choice.highlight, choice.period) if choice.highlight else []
    set_label, against_label = _labels(store, config, choice, munis)
    window = period_range(choice.period, choice.pooled)
    covered, total = coverage(all_rows, choice.period)
    thin = covered < config.periods.min_coverage * total
    series = store.query("compare_national", {"indicators": [ind.id], "first": window[0], "last": window[1]})
    group = group_figure(all_rows, codes, set_label, scale)
    withheld = disclosure.plan(store, config, ind.id).rule(disclosure.NATIONAL, *window)
    national = national_figure(all_rows, series, window, t("compare.against_label.landelijk"), scale, thin, withheld)
    if choice.against == "selectie":
        reference = GroupFigure(**{**group.__dict__, "label": against_label})
    elif choice.against == "vergelijkbaar":
        reference = group_figure(all_rows, peer_codes, against_label, scale)
    else:
        reference = national
    dispersion = _reference_dispersion(all_rows, reference)
    rows = all_rows[all_rows["code"].isin(codes)].reset_index(drop=True)
    rows = positions(rows, reference.proportion, ind.richting, scale, dispersion.tau2)
    covered_periods = window
    if all_rows["first_period"].notna().any():  # the periods that have counts (pooling at the series' start)
        covered_periods = (int(all_rows["first_period"].min()), int(all_rows["last_period"].max()))
    latest = default_period(store, config, ind.id) if thin else choice.period
    shown = rows[rows["value"].notna()]
    grid = None
    if reference.proportion is not None and not shown.empty:
        low, high = float(shown["_den"].min()) * 0.8, float(shown["_den"].max()) * 1.25
        grid = funnel_grid(reference.proportion, low, high, scale, dispersion.tau2)
    return Comparison(
        choice, ind, covered_periods, rows, group, reference, national, peer_codes, min_count, dispersion,
        covered, total, thin, latest, grid,
    )  # fmt: skip


def suppressed_text(config: Config, rule: str | None = None) -> str:
    """The short label of a withheld figure in a table cell: "onderdrukt (minder dan 10 gebeurtenissen)" for a
    small count, the rule's own short label (``core.disclosure``) for a secondary suppression."""
    return suppressed_label(rule, config.privacy.min_count)


def suppressed_label(rule: str | None, min_count: int) -> str:
    if rule in (None, disclosure.SMALL):
        return t("compare.suppressed_cell", min=min_count)
    return disclosure.short(rule, min_count)


def suppressed_reason(rule: str | None, min_count: int) -> str:
    """The sentence that says which rule withheld a figure ("Niet getoond: ...")."""
    return disclosure.reason(rule or disclosure.SMALL, min_count)


def coverage_text(g: GroupFigure) -> str:
    """What a group's figure is pooled over: "34 van 342 gemeenten (met een gepubliceerd cijfer)", "alle 340
    gemeenten met cijfers, ook de 15 met een onderdrukt cijfer" or "de landelijke reeks"."""
    if g.basis == BASIS_NATIONAL:
        return t("compare.coverage_national")
    if g.basis == BASIS_ALL:
        return t("compare.coverage_all", count=g.with_counts, total=g.members, hidden=g.suppressed_members)
    return t("compare.coverage_published", count=g.published_members, total=g.members)


def group_remark(g: GroupFigure, min_count: int = 10) -> str | None:
    """Why a group has no figure (a thin year, disclosure control), or who is left out of it; None otherwise."""
    if g.note == "thin":
        return t("compare.group_thin", count=int(g.with_counts), total=g.members)
    if g.note:
        return t("compare.group_withheld", reason=suppressed_reason(g.note, min_count))
    if g.basis != BASIS_ALL and g.suppressed_members:
        return t("compare.group_left_out", count=g.suppressed_members)
    return None


def group_note(g: GroupFigure, min_count: int = 10) -> str:
    """What a group's figure is pooled over (its coverage, numerator, denominator, who is left out), or why it
    has none."""
    if g.note:
        return group_remark(g, min_count) or ""
    note = t("compare.metric_counts", coverage=coverage_text(g))
    if g.numerator is not None:
        numbers = {"numerator": fmt.integer(g.numerator), "denominator": fmt.integer(g.denominator)}
        note += " " + t("compare.metric_numbers", **numbers)
    remark = group_remark(g, min_count)
    return note + (" " + remark if remark else "")


def outside_text(cmp: Comparison) -> str:
    """ "12 buiten de 95%-grenzen, bij toeval verwacht 16,4; 2 buiten de 99,8%-grenzen, bij toeval verwacht 0,7"."""
    found = cmp.outside
    return t(
        "compare.outside",
        out95=found["95"][0],
        exp95=fmt.number(found["95"][1], 1),
        out998=found["998"][0],
        exp998=fmt.number(found["998"][1], 1),
    )


def method_text(cmp: Comparison) -> str:
    """The funnel's method in one sentence, with the over-dispersion found (named on the page and in the CLI)."""
    d = cmp.dispersion
    if not d.estimated:
        return t("compare.method_name_few", count=d.units, min=MIN_UNITS)
    if not d.overdispersed:
        return t("compare.method_name_plain", phi=fmt.number(d.phi, 2))
    return t(
        "compare.method_name_od",
        phi=fmt.number(d.phi, 2),
        tau=fmt.value(d.tau2**0.5 * cmp.scale, cmp.indicator.eenheid),
    )


def provenance_text(cmp: Comparison) -> str:
    """Data status of the set's figures, the source and its lag, in one sentence."""
    statuses = cmp.data_status
    ind = cmp.indicator
    return t(
        "compare.provenance",
        periods=period_label(cmp.periods),
        statuses=status_text(statuses) if statuses else t("compare.no_data"),
        source=ind.bron,
        lag=ind.vertraging_jaren,
    )


def status_text(counts: dict[str, int]) -> str:
    """``{"voorlopig": 342}`` -> "voorlopig (342 gemeenten)"; several statuses joined with commas."""
    return ", ".join(t("compare.status_count", status=t(f"data_status.{s}"), count=n) for s, n in counts.items())


def position_text(position: object, beyond998: object = False) -> str:
    if not isinstance(position, str):
        return "–"
    text = t(f"compare.position.{position}")
    return text + (" " + t("compare.position_beyond998") if beyond998 and position != WITHIN else "")


# -- trend: a municipality against the set's median and interquartile band ----------------------------
def trend(
    store: Store,
    config: Config,
    indicator_id: str,
    codes: list[str],
    reference_codes: list[str],
    highlight: str | None,
    pooled: bool,
    until: int,
    national: bool = False,
) -> pd.DataFrame:
    """Per period (up to ``until``): the set's median, first and third quartile of the municipal rates that
    are published (``q1``, ``median``, ``q3``, ``count``), the reference group's rate (``reference``, rate
    only: pooled over its published members, or with ``national`` "Nederland" as ``national_figure`` makes
    it), and the highlighted municipality (``value``, ``lower``, ``upper``, ``suppressed``). With pooling
    every figure is over the three periods ending in that period."""
    ind = config.indicator(indicator_id)
    scale = SCALE[ind.eenheid]
    raw = store.query("compare_series", {"indicator": indicator_id})
    raw = raw[raw["period"] <= until]
    num = raw.pivot(index="period", columns="code", values="numerator").astype(float).sort_index()
    den = raw.pivot(index="period", columns="code", values="denominator").astype(float).sort_index()
    if num.empty:
        return pd.DataFrame(
            columns=[
                "period", "q1", "median", "q3", "count", "reference", "value", "lower", "upper", "suppressed",
                "suppression",
            ]
        )  # fmt: skip
    full = range(int(num.index.min()), int(num.index.max()) + 1)
    num, den = num.reindex(full), den.reindex(full)
    single = num.notna().sum(axis=1)  # municipalities with counts in the year itself (coverage)
    k = POOL_YEARS if pooled else 1
    min_count = config.privacy.min_count
    small = num < min_count  # a single period below the threshold (NaN compares False)
    if pooled:
        hidden_n = num.where(small, 0.0).rolling(k, min_periods=k).sum()
        hidden_k = small.astype(float).where(num.notna()).rolling(k, min_periods=k).sum()
        num = num.rolling(k, min_periods=k).sum()
        den = den.rolling(k, min_periods=k).sum()
        floor = (num < min_count) | ((hidden_k > 0) & (hidden_n < min_count))
    else:
        floor = small
    plan = disclosure.plan(store, config, indicator_id)
    by_plan = pd.DataFrame(False, index=num.index, columns=num.columns)
    rules = {period: plan.hidden_codes(period - k + 1, period) for period in full}
    for period, hidden in rules.items():
        by_plan.loc[period, [c for c in hidden if c in by_plan.columns]] = True
    suppressed = (floor | by_plan) & num.notna()
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = (num / den.where(den > 0)) * scale
    published = rate.where(~suppressed)
    in_set = published[[c for c in codes if c in published.columns]]
    out = pd.DataFrame({"period": list(full)})
    out["q1"] = in_set.quantile(0.25, axis=1).to_numpy()
    out["median"] = in_set.median(axis=1).to_numpy()
    out["q3"] = in_set.quantile(0.75, axis=1).to_numpy()
    out["count"] = in_set.notna().sum(axis=1).to_numpy()
    if national:
        out["reference"] = _national_trend(store, config, ind, num, den, single, k, plan).to_numpy()
    else:
        ref = [c for c in reference_codes if c in num.columns]
        shown = published[ref].notna()
        ref_num = num[ref].where(shown).sum(axis=1, min_count=1)
        ref_den = den[ref].where(shown).sum(axis=1, min_count=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["reference"] = (ref_num / ref_den).to_numpy() * scale
    if highlight and highlight in num.columns:
        h_num, h_den = num[highlight].to_numpy(), den[highlight].to_numpy()
        lo, hi = wilson(np.nan_to_num(h_num), np.nan_to_num(h_den), config.status.confidence_level)
        ok = published[highlight].notna().to_numpy()
        out["value"] = np.where(ok, published[highlight].to_numpy(), np.nan)
        out["lower"] = np.where(ok, lo * scale, np.nan)
        out["upper"] = np.where(ok, hi * scale, np.nan)
        out["suppressed"] = suppressed[highlight].to_numpy()
        out["suppression"] = [
            (rules[p].get(highlight) or disclosure.SMALL) if hidden else None
            for p, hidden in zip(full, out["suppressed"], strict=True)
        ]
    else:
        out["value"] = out["lower"] = out["upper"] = np.nan
        out["suppressed"] = False
        out["suppression"] = None
    return out[out["count"] > 0].reset_index(drop=True)


def _national_trend(
    store: Store,
    config: Config,
    ind: Indicator,
    num: pd.DataFrame,
    den: pd.DataFrame,
    single: pd.Series,
    k: int,
    plan: disclosure.Plan,
) -> pd.Series:
    """ "Nederland" per period of ``num``/``den`` (windows of ``k`` years, already summed), as
    ``national_figure``: the national series, else pooled over all municipalities, none for a thin year or
    a national figure that disclosure control hides."""
    scale = SCALE[ind.eenheid]
    first, last = int(num.index.min()) - k + 1, int(num.index.max())
    series = store.query("compare_national", {"indicators": [ind.id], "first": first, "last": last})
    total = len(store.query("municipalities"))
    by_period = series.set_index(series["period"].astype(int)) if not series.empty else series
    out = pd.Series(np.nan, index=num.index)
    for period in num.index:
        window = range(period - k + 1, period + 1)
        if plan.rule(disclosure.NATIONAL, window[0], period):
            continue
        if not series.empty and all(p in by_period.index for p in window):
            part = by_period.loc[list(window)]
            n = pd.to_numeric(part["numerator"], errors="coerce")
            d = pd.to_numeric(part["denominator"], errors="coerce")
            if n.notna().all() and d.notna().all() and d.sum() > 0:
                out[period] = n.sum() / d.sum() * scale
                continue
            if k == 1 and pd.notna(part["value"].iloc[0]):
                out[period] = float(part["value"].iloc[0])
                continue
        if single.get(period, 0) < config.periods.min_coverage * total:
            continue
        d = den.loc[period].sum(min_count=1)
        if pd.notna(d) and d > 0:
            out[period] = num.loc[period].sum() / d * scale
    return out


# -- heat map: municipalities x indicators against the national figure --------------------------------
def heat(store: Store, config: Config, codes: list[str], period: int, pooled: bool) -> pd.DataFrame:
    """Per municipality of ``codes`` and indicator with a better direction: the rate, "Nederland"
    (``national``, as ``national_figure`` makes it), ``score`` (relative distance to the national figure,
    positive = better, -1..1) and ``position`` against the national funnel with its over-dispersion allowance
    (beter/slechter/binnen; None when suppressed or when there is no national figure)."""
    inds = [i for i in comparable_indicators(config) if i.richting in ("lager_beter", "hoger_beter")]
    all_rows = rates(store, config, [i.id for i in inds], period, pooled)
    window = period_range(period, pooled)
    series = store.query(
        "compare_national", {"indicators": [i.id for i in inds], "first": window[0], "last": window[1]}
    )
    parts = []
    for ind in inds:
        rows = all_rows[all_rows["indicator_id"] == ind.id]
        scale = SCALE[ind.eenheid]
        covered, total = coverage(rows, period)
        withheld = disclosure.plan(store, config, ind.id).rule(disclosure.NATIONAL, *window)
        nat = national_figure(
            rows,
            series[series["indicator_id"] == ind.id],
            window,
            "",
            scale,
            covered < config.periods.min_coverage * total,
            withheld,
        )
        published = rows[rows["value"].notna()]
        spread = overdispersion(published["_num"].to_numpy(), published["_den"].to_numpy(), nat.proportion)
        part = positions(rows[rows["code"].isin(codes)], nat.proportion, ind.richting, scale, spread.tau2)
        part["national"] = nat.value
        sign = -1.0 if ind.richting == "lager_beter" else 1.0
        with np.errstate(invalid="ignore", divide="ignore"):
            score = sign * (part["value"] - nat.value) / nat.value if nat.value else np.nan
        part["score"] = np.clip(score, -1.0, 1.0)
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


# -- coalition overview ---------------------------------------------------------------------------------
def goal_statuses(store: Store, config: Config, period: int, today: dt.date) -> pd.DataFrame:
    """The status of every goal of every coalition (``coalition_id``, ``goal_id``, ``status``): the progress
    engine's own batch (``progress.coalitions_progress``), so the overview and the coalition's pages agree."""
    rows = [
        {"coalition_id": state.coalition_id, "goal_id": g.id, "status": g.status}
        for state in coalitions_progress(store, config, None, period, today)
        for a in state.ambitions
        for g in a.goals
    ]
    return pd.DataFrame(rows, columns=["coalition_id", "goal_id", "status"])


def coalition_overview(
    store: Store,
    config: Config,
    codes: list[str],
    period: int,
    today: dt.date,
    months: int,
    statuses: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every coalition with at least one member in ``codes``: ``id``, ``name``, ``phase``, ``members``
    (codes), ``member_names``, ``goals`` and one column per goal status (counts), ``last_action``,
    ``actions`` and ``quiet`` (no action in the last ``months`` months, or none at all). Pass ``statuses``
    (``goal_statuses``) when you have them cached: they are the slow part (~1 s for 720 goals)."""
    coal = store.query("compare_coalitions", {"today": today})
    wanted = set(codes)
    coal = coal[coal["members"].map(lambda m: bool(wanted.intersection(m)))].reset_index(drop=True)
    names = store.query("municipalities").set_index("code")["name"]
    if statuses is None:
        statuses = goal_statuses(store, config, period, today)
    counts = statuses.groupby(["coalition_id", "status"]).size().unstack(fill_value=0)
    for status in GOAL_STATUSES:
        counts[status] = counts[status] if status in counts else 0
    counts = counts[list(GOAL_STATUSES)]
    out = coal.join(counts, on="id")
    out[list(GOAL_STATUSES)] = out[list(GOAL_STATUSES)].fillna(0).astype(int)
    out["goals"] = out[list(GOAL_STATUSES)].sum(axis=1)
    out["member_names"] = out["members"].map(lambda m: ", ".join(names.get(c, c) for c in m))
    out["last_action"] = pd.to_datetime(out["last_action"]).dt.date
    out["quiet"] = quiet(out["last_action"], today, months).to_numpy()
    return out


def without_coalition(store: Store, codes: list[str]) -> list[str]:
    """Codes of ``codes`` that are in no coalition."""
    coal = store.query("compare_coalitions", {"today": dt.date.today()})
    members = {c for m in coal["members"] for c in m}
    return [c for c in codes if c not in members]


# -- boundaries (map) -------------------------------------------------------------------------------------
def boundaries_path(config: Config) -> Path | None:
    """The configured boundaries file when it exists (``reference.boundaries``), else None."""
    if not config.reference.boundaries:
        return None
    path = config.resolve(config.reference.boundaries)
    return path if path.is_file() else None


def boundaries(path: Path) -> dict:
    """The GeoJSON read once per file version, for ``go.Choroplethmap``: coordinates rounded to 3 decimals
    (about 100 m) with repeated points dropped, properties reduced to ``statcode``/``statnaam`` (feature id =
    statcode), and every ring a numpy array of shape (points, 2). The arrays keep the JSON small and make
    copying the figure cheap (Plotly and Streamlit deep-copy it on every run: 28,000 little lists took
    ~150 ms, arrays ~5 ms); Plotly writes them out as ordinary nested lists."""
    stat = path.stat()
    return _boundaries(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _boundaries(path: str, mtime: int, size: int) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))

    def ring(points: list) -> np.ndarray:
        arr = np.round(np.asarray([p[:2] for p in points], dtype=float), 3)
        keep = np.ones(len(arr), dtype=bool)
        keep[1:] = np.any(arr[1:] != arr[:-1], axis=1)
        out = arr[keep]
        out = out if len(out) >= 4 else arr
        out.setflags(write=False)
        return out

    features = []
    for feat in data.get("features", []):
        geom = feat.get("geometry") or {}
        props = feat.get("properties") or {}
        code = props.get("statcode") or feat.get("id")
        if geom.get("type") == "Polygon":
            coords = [ring(r) for r in geom["coordinates"]]
        elif geom.get("type") == "MultiPolygon":
            coords = [[ring(r) for r in poly] for poly in geom["coordinates"]]
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"statcode": code, "statnaam": props.get("statnaam")},
                "geometry": {"type": geom["type"], "coordinates": coords},
            }
        )
    return {"type": "FeatureCollection", "features": features}


# -- exports and the CLI -----------------------------------------------------------------------------------
def suspended_text(ind: Indicator) -> str | None:
    """The caveat for an indicator suspended at its source (``status: opgeschort``), else None."""
    if ind.status != "opgeschort":
        return None
    return t("compare.suspended", indicator=ind.naam, source=ind.bron)


def thin_text(cmp: Comparison, config: Config) -> str | None:
    """Why "Nederland" has no figure in a year with too few municipalities, else None."""
    if not cmp.thin or cmp.national.note != "thin":
        return None
    text = t(
        "compare.national_thin",
        period=cmp.choice.period,
        covered=cmp.covered,
        total=cmp.total,
        indicator=cmp.indicator.naam,
        share=fmt.number(config.periods.min_coverage * 100, 0),
    )
    if cmp.latest_covered is not None and cmp.latest_covered != cmp.choice.period:
        text += " " + t("compare.national_thin_latest", latest=cmp.latest_covered)
    return text


def export_frame(cmp: Comparison, config: Config) -> pd.DataFrame:
    """The numbers behind the comparison, for CSV/XLSX: one row per municipality of the set, plain numbers,
    suppressed rows with empty counts and the rule's reason; data status, source and lag on every row."""
    ind = cmp.indicator
    rows = cmp.rows
    min_count = config.privacy.min_count
    return pd.DataFrame(
        {
            "gemeentecode": rows["code"],
            "gemeente": rows["name"],
            "indicator": ind.id,
            "perioden": period_label(cmp.periods),
            "eenheid": ind.eenheid,
            "teller": rows["numerator"].astype("Int64"),
            "noemer": rows["denominator"].astype("Int64"),
            "waarde": rows["value"].round(3),
            "ondergrens_95": rows["lower"].round(3),
            "bovengrens_95": rows["upper"].round(3),
            "vergeleken_met": cmp.reference.label,
            "verwacht": rows["expected"].round(3),
            "trechter_95_onder": rows["lo95"].round(3),
            "trechter_95_boven": rows["hi95"].round(3),
            "trechter_998_onder": rows["lo998"].round(3),
            "trechter_998_boven": rows["hi998"].round(3),
            "positie": [
                position_text(p, b) if isinstance(p, str) else None
                for p, b in zip(rows["position"], rows["beyond998"], strict=True)
            ],
            "gegevensstatus": [
                s if isinstance(s, str) and pd.notna(d) else None
                for s, d in zip(rows["data_status"], rows["_den"], strict=True)
            ],
            "bron": ind.bron,
            "vertraging_jaren": ind.vertraging_jaren,
            "indicatorstatus": ind.status,
            "methode": method_text(cmp),
            "opmerking": [
                suppressed_reason(r, min_count) if s else (t("compare.no_data") if pd.isna(v) else None)
                for s, r, v in zip(rows["suppressed"], rows["suppression"], rows["value"], strict=True)
            ],
        }
    )


def _num_or_none(value: object, digits: int = 4) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def _int_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def as_json(cmp: Comparison, config: Config) -> dict:
    """Plain data for ``python -m kansrijke vergelijk --json``; suppressed counts are null with the rule and
    its reason; the data status, source, lag, the funnel's method and what lies outside its limits."""
    min_count = config.privacy.min_count
    ind = cmp.indicator

    def group(g: GroupFigure) -> dict:
        return {
            "naam": g.label,
            "gemeenten": len(g.codes),
            "gepubliceerd": g.published_members,
            "onderdrukt": g.suppressed_members,
            "basis": g.basis,
            "gepoold_over": g.pooled_members,
            "dekking": coverage_text(g),
            "teller": g.numerator,
            "noemer": g.denominator,
            "waarde": _num_or_none(g.value),
            "gegevensstatus": g.data_status,
            "opmerking": group_remark(g, min_count),
        }

    municipalities = []
    for r, has_counts in zip(cmp.rows.itertuples(), cmp.rows["_den"].notna(), strict=True):
        published = not pd.isna(r.value)
        municipalities.append(
            {
                "gemeentecode": r.code,
                "naam": r.name,
                "teller": _int_or_none(r.numerator),
                "noemer": _int_or_none(r.denominator),
                "waarde": _num_or_none(r.value),
                "interval": {"onder": _num_or_none(r.lower), "boven": _num_or_none(r.upper)} if published else None,
                "trechter": {
                    "onder_95": _num_or_none(r.lo95),
                    "boven_95": _num_or_none(r.hi95),
                    "onder_998": _num_or_none(r.lo998),
                    "boven_998": _num_or_none(r.hi998),
                }
                if published
                else None,
                "positie": r.position if published else None,
                "buiten_998": bool(r.beyond998) if published else None,
                "gegevensstatus": r.data_status if isinstance(r.data_status, str) and has_counts else None,
                "onderdrukking": r.suppression if r.suppressed else None,
                "reden": suppressed_reason(r.suppression, min_count)
                if r.suppressed
                else (None if published else t("compare.no_data")),
            }
        )
    outside = cmp.outside
    d = cmp.dispersion
    return {
        "indicator": ind.id,
        "naam": ind.naam,
        "eenheid": ind.eenheid,
        "richting": ind.richting,
        "periode": cmp.choice.period,
        "perioden": list(range(cmp.periods[0], cmp.periods[1] + 1)),
        "drempel": cmp.min_count,
        "onderdrukt": cmp.suppressed,
        "gegevensstatus": cmp.data_status,
        "bron": ind.bron,
        "vertraging_jaren": ind.vertraging_jaren,
        "herkomst": provenance_text(cmp),
        "indicatorstatus": ind.status,
        "kanttekening": suspended_text(ind),
        "dekking": {
            "gemeenten_met_cijfer": cmp.covered,
            "gemeenten": cmp.total,
            "te_weinig": cmp.thin,
            "laatste_jaar_met_genoeg": cmp.latest_covered,
            "opmerking": thin_text(cmp, config),
        },
        "selectie": group(cmp.group),
        "vergeleken_met": group(cmp.reference),
        "nederland": group(cmp.national),
        "methode": method_text(cmp),
        "trechter": {
            "gemeenten_voor_spreiding": d.units,
            "phi": _num_or_none(d.phi),
            "tau2": None if not d.estimated else float(f"{d.tau2:.6g}"),
            "overspreiding": d.overdispersed,
        },
        "buiten_95": outside["95"][0],
        "verwacht_95": round(outside["95"][1], 2),
        "buiten_998": outside["998"][0],
        "verwacht_998": round(outside["998"][1], 2),
        "gemeenten": municipalities,
    }
