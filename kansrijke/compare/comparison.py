"""Fair comparison: "vergelijkbare gemeenten" (peers), figures pooled over a set of municipalities, and
the Pharos comparison view (funnel plot, ranked dots, trend band, heat map, map, coalition overview).

Peers, pooled and national series are computed in ``core.figures`` (the plan uses them too) and
re-exported here.

Method of the comparison view (also shown on the page, ``compare.method_*`` in the catalogue):

* **Pooling.** A municipality's rate is sum(numerators) / sum(denominators) over one period, or over
  ``POOL_YEARS`` (3) periods ending in the chosen one when pooling is switched on. A group's figure (the
  set, the comparison group, the Netherlands) is pooled the same way over its members: never an
  average of rates.
* **Funnel plot** (Spiegelhalter, *Funnel plots for comparing institutional performance*, Statistics
  in Medicine 2005;24:1185-1202). Target p0 = the comparison group's pooled proportion. For a
  municipality with denominator n the control limits are ``p0 ± z * sqrt(p0 * (1 - p0) / n)``
  (normal approximation to the binomial, clipped to 0..1), with z = ``Z95`` = 1.959964 (95%) and
  ``Z998`` = 3.090232 (99.8%), then multiplied by the unit's scale (100 for %, 1000 for per 1000).
  A municipality above the upper 95% limit is "hoger", below the lower one "lager"; in the
  indicator's better direction that is "beter" or "slechter" (context indicators keep
  hoger/lager). Inside the limits the difference is within what chance alone gives: no ranking.
* **Interval** of a municipality's own rate: Wilson score interval (``indicators.wilson``).
* **Small numbers.** A municipality with fewer than ``privacy.min_count`` events (numerator) has its
  numerator, denominator, rate, interval and funnel position withheld in every chart, table, export
  and CLI output, with the reason. No published number may reveal a suppressed one by subtraction:
  (a) a three-year figure is suppressed too when one or two of its years are below the threshold on
  their own and those years together have fewer than ``min_count`` events (the other years are
  published on their own); (b) group figures (the set, the comparison group, the Netherlands, the
  funnel's target) are pooled over the municipalities whose figure is published, so every group
  number is a sum of published numbers. The page and the CLI say how many were left out.
* **Coalition overview.** Goal statuses are those of the progress engine (``progress.evaluate_goal``),
  computed for all coalitions at once from one pooled query; a coalition is "stil" when its last
  action (on or before today, cancelled actions not counted) is more than N months ago or it has none
  (``actions.rules.quiet``, N by default the config key ``actions.quiet_months``, as on the Actielog).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from kansrijke.actions.rules import quiet
from kansrijke.core.config import Config, Indicator
from kansrijke.core.figures import peers
from kansrijke.core.i18n import t
from kansrijke.core.stats import SCALE, finish, wilson
from kansrijke.core.store import Store
from kansrijke.plan.progress import GOAL_STATUSES, evaluate_goal

# == the comparison view ============================================================================
Z95 = 1.959964  # two-sided 95% normal quantile
Z998 = 3.090232  # two-sided 99.8% normal quantile
POOL_YEARS = 3  # periods pooled when the "drie jaar samen" switch is on
SET_KINDS = ("alle", "gids", "provincie", "grootteklasse", "stedelijkheid", "vergelijkbaar", "lijst")
AGAINST = ("landelijk", "selectie", "vergelijkbaar")
WITHIN, BETTER, WORSE, HIGHER, LOWER = "binnen", "beter", "slechter", "hoger", "lager"
# Public columns of a municipality row; raw counts live in "_num"/"_den" and never leave this module.
PUBLIC = ["code", "name", "numerator", "denominator", "value", "lower", "upper", "suppressed"]


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
    """A group's figure pooled over its members with a published figure (see the module doc)."""

    label: str
    codes: list[str]  # all members
    numerator: int | None  # sum over the published members; None when none is published
    denominator: int | None
    value: float | None  # in the indicator's unit
    proportion: float | None  # p0 (0..1) for the funnel
    published_members: int
    suppressed_members: int  # members left out because their figure is suppressed


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


def comparable_indicators(config: Config) -> list[Indicator]:
    """Municipal indicators with a numerator and denominator (a rate): the ones a funnel plot fits."""
    return [i for i in config.indicatoren if i.niveau == "gemeente" and i.eenheid in SCALE and i.status == "actief"]


def period_range(period: int, pooled: bool) -> tuple[int, int]:
    return (period - POOL_YEARS + 1, period) if pooled else (period, period)


def period_label(periods: tuple[int, int]) -> str:
    first, last = periods
    return str(last) if first == last else f"{first}–{last}"


def municipalities(store: Store) -> pd.DataFrame:
    return store.query("municipalities")


def size_classes(munis: pd.DataFrame) -> list[str]:
    """CBS size classes from small to large."""
    order = munis.groupby("size_class")["population"].min().sort_values()
    return list(order.index)


def rates(store: Store, config: Config, indicator_ids: list[str], period: int, pooled: bool) -> pd.DataFrame:
    """Per municipality and indicator the (pooled) rate, its Wilson interval and suppression.

    Columns: code, name, province, size_class, urbanity, gids, population, indicator_id, periods,
    first_period, last_period, provisional, the private raw counts ``_num`` and ``_den``, and the public
    ``numerator``, ``denominator``, ``value``, ``lower``, ``upper`` (all NaN when ``suppressed``) and
    ``suppressed`` (fewer than ``min_count`` events, or a pooled figure that would reveal such a year).
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
    revealing = (raw["hidden_periods"] > 0) & (raw["hidden_numerator"] < min_count)
    suppressed = (small | (num.notna() & revealing)).to_numpy()
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
        codes = [choice.highlight, *peers(store, config, choice.highlight)] if choice.highlight else []
        chosen = munis[munis["code"].isin(codes)]
    elif kind == "lijst":
        chosen = munis[munis["code"].isin(choice.codes)]
    else:
        chosen = munis
    return list(chosen["code"])


def group_figure(rows: pd.DataFrame, codes: list[str], label: str, scale: float) -> GroupFigure:
    """Pool ``rows`` (one indicator, from ``rates``) over ``codes``: sum(numerators) / sum(denominators) of the
    members whose figure is published (suppressed members are left out and counted)."""
    members = rows[rows["code"].isin(codes)]
    part = members[members["value"].notna()]
    hidden = int(members["suppressed"].sum())
    num, den = float(part["numerator"].sum()), float(part["denominator"].sum())
    if den <= 0:
        return GroupFigure(label, list(codes), None, None, None, None, 0, hidden)
    return GroupFigure(label, list(codes), int(num), int(den), num / den * scale, num / den, len(part), hidden)


def funnel_limits(p0: float, n: np.ndarray | float, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Control limits (proportions 0..1) around ``p0`` for denominators ``n``: p0 ± z·sqrt(p0(1−p0)/n)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = z * np.sqrt(p0 * (1 - p0) / n)
    return np.clip(p0 - half, 0.0, 1.0), np.clip(p0 + half, 0.0, 1.0)


def funnel_grid(p0: float, n_min: float, n_max: float, scale: float, points: int = 120) -> pd.DataFrame:
    """The four limit lines on a log-spaced grid of denominators (for drawing), in the unit."""
    n = np.unique(np.round(np.geomspace(max(n_min, 1.0), max(n_max, n_min + 1, 2.0), points)))
    lo95, hi95 = funnel_limits(p0, n, Z95)
    lo998, hi998 = funnel_limits(p0, n, Z998)
    return pd.DataFrame(
        {"n": n, "lo95": lo95 * scale, "hi95": hi95 * scale, "lo998": lo998 * scale, "hi998": hi998 * scale}
    )


def positions(rows: pd.DataFrame, p0: float | None, richting: str, scale: float) -> pd.DataFrame:
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
    lo95, hi95 = funnel_limits(p0, den, Z95)
    lo998, hi998 = funnel_limits(p0, den, Z998)
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
    peer_codes = peers(store, config, choice.highlight) if choice.highlight else []
    set_label, against_label = _labels(store, config, choice, munis)
    group = group_figure(all_rows, codes, set_label, scale)
    national = group_figure(all_rows, list(munis["code"]), t("compare.against_label.landelijk"), scale)
    if choice.against == "selectie":
        reference = GroupFigure(**{**group.__dict__, "label": against_label})
    elif choice.against == "vergelijkbaar":
        reference = group_figure(all_rows, peer_codes, against_label, scale)
    else:
        reference = national
    rows = all_rows[all_rows["code"].isin(codes)].reset_index(drop=True)
    rows = positions(rows, reference.proportion, ind.richting, scale)
    covered = period_range(choice.period, choice.pooled)
    if all_rows["first_period"].notna().any():  # the periods that have counts (pooling at the series' start)
        covered = (int(all_rows["first_period"].min()), int(all_rows["last_period"].max()))
    return Comparison(choice, ind, covered, rows, group, reference, national, peer_codes, min_count)


def suppressed_text(config: Config) -> str:
    return t("compare.suppressed_cell", min=config.privacy.min_count)


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
) -> pd.DataFrame:
    """Per period (up to ``until``): the set's median, first and third quartile of the municipal rates that
    are published (``q1``, ``median``, ``q3``, ``count``), the reference group's pooled rate
    (``reference``, rate only), and the highlighted municipality (``value``, ``lower``, ``upper``,
    ``suppressed``). With pooling every figure is over the three periods ending in that period."""
    ind = config.indicator(indicator_id)
    scale = SCALE[ind.eenheid]
    raw = store.query("compare_series", {"indicator": indicator_id})
    raw = raw[raw["period"] <= until]
    num = raw.pivot(index="period", columns="code", values="numerator").astype(float).sort_index()
    den = raw.pivot(index="period", columns="code", values="denominator").astype(float).sort_index()
    if num.empty:
        return pd.DataFrame(
            columns=["period", "q1", "median", "q3", "count", "reference", "value", "lower", "upper", "suppressed"]
        )
    full = range(int(num.index.min()), int(num.index.max()) + 1)
    num, den = num.reindex(full), den.reindex(full)
    if pooled:
        num = num.rolling(POOL_YEARS, min_periods=POOL_YEARS).sum()
        den = den.rolling(POOL_YEARS, min_periods=POOL_YEARS).sum()
    min_count = config.privacy.min_count
    small = num < min_count  # a single period below the threshold (NaN compares False)
    if pooled:
        hidden_n = num.where(small, 0.0).rolling(POOL_YEARS, min_periods=POOL_YEARS).sum()
        hidden_k = small.astype(float).where(num.notna()).rolling(POOL_YEARS, min_periods=POOL_YEARS).sum()
        num = num.rolling(POOL_YEARS, min_periods=POOL_YEARS).sum()
        den = den.rolling(POOL_YEARS, min_periods=POOL_YEARS).sum()
        suppressed = (num < min_count) | ((hidden_k > 0) & (hidden_n < min_count))
    else:
        suppressed = small
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = (num / den.where(den > 0)) * scale
    published = rate.where(~suppressed & num.notna())
    in_set = published[[c for c in codes if c in published.columns]]
    out = pd.DataFrame({"period": list(full)})
    out["q1"] = in_set.quantile(0.25, axis=1).to_numpy()
    out["median"] = in_set.median(axis=1).to_numpy()
    out["q3"] = in_set.quantile(0.75, axis=1).to_numpy()
    out["count"] = in_set.notna().sum(axis=1).to_numpy()
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
        out["suppressed"] = (suppressed[highlight] & num[highlight].notna()).to_numpy()
    else:
        out["value"] = out["lower"] = out["upper"] = np.nan
        out["suppressed"] = False
    return out[out["count"] > 0].reset_index(drop=True)


# -- heat map: municipalities x indicators against the national figure --------------------------------
def heat(store: Store, config: Config, codes: list[str], period: int, pooled: bool) -> pd.DataFrame:
    """Per municipality of ``codes`` and indicator with a better direction: the rate, the national pooled
    rate, ``score`` (relative distance to the national figure, positive = better, -1..1) and ``position``
    against the national funnel (beter/slechter/binnen; None when suppressed)."""
    inds = [i for i in comparable_indicators(config) if i.richting in ("lager_beter", "hoger_beter")]
    all_rows = rates(store, config, [i.id for i in inds], period, pooled)
    parts = []
    for ind in inds:
        rows = all_rows[all_rows["indicator_id"] == ind.id]
        scale = SCALE[ind.eenheid]
        nat = group_figure(rows, list(rows["code"]), "", scale)
        part = positions(rows[rows["code"].isin(codes)], nat.proportion, ind.richting, scale)
        part["national"] = nat.value
        sign = -1.0 if ind.richting == "lager_beter" else 1.0
        with np.errstate(invalid="ignore", divide="ignore"):
            score = sign * (part["value"] - nat.value) / nat.value if nat.value else np.nan
        part["score"] = np.clip(score, -1.0, 1.0)
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


# -- coalition overview ---------------------------------------------------------------------------------
def goal_statuses(store: Store, config: Config, period: int, today: dt.date) -> pd.DataFrame:
    """The status of every goal of every coalition (``coalition_id``, ``goal_id``, ``status``), exactly as
    ``progress.coalition_progress`` gives it, from three queries instead of seven per coalition."""
    goals = store.query("compare_goals")
    known = {i.id for i in config.indicatoren}
    ids = sorted({i for i in goals["indicator_id"].dropna().unique() if i in known})
    series: dict[tuple[str, str], pd.DataFrame] = {}
    if ids:
        pooled = store.query("compare_coalition_series", {"indicators": ids})
        for ind_id, frame in pooled.groupby("indicator_id", sort=False):
            out = finish(
                frame.reset_index(drop=True),
                config.indicator(ind_id),
                config.privacy.min_count,
                config.status.confidence_level,
            )
            out = out[out["period"] <= period]
            keys = out["coalition_id"].to_numpy()
            out = out.drop(columns="coalition_id")
            for coalition_id, part in out.groupby(keys, sort=False):
                series[(coalition_id, ind_id)] = part.reset_index(drop=True)
    rows = []
    for g in goals.to_dict("records"):
        ind_id = g.get("indicator_id")
        ind = config.indicator(ind_id) if isinstance(ind_id, str) and ind_id in known else None
        first = g.get("first_date")
        first = None if first is None or pd.isna(first) else pd.Timestamp(first).date()
        frame = series.get((g["coalition_id"], ind_id)) if ind else None
        status = evaluate_goal(g, ind, frame, config, first, today).status
        rows.append({"coalition_id": g["coalition_id"], "goal_id": g["id"], "status": status})
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
def export_frame(cmp: Comparison, config: Config) -> pd.DataFrame:
    """The numbers behind the comparison, for CSV/XLSX: one row per municipality of the set, plain numbers,
    suppressed rows with empty counts and the reason."""
    unit = cmp.indicator.eenheid
    rows = cmp.rows
    reason = suppressed_text(config)
    return pd.DataFrame(
        {
            "gemeentecode": rows["code"],
            "gemeente": rows["name"],
            "indicator": cmp.indicator.id,
            "perioden": period_label(cmp.periods),
            "eenheid": unit,
            "teller": rows["numerator"].astype("Int64"),
            "noemer": rows["denominator"].astype("Int64"),
            "waarde": rows["value"].round(3),
            "ondergrens_95": rows["lower"].round(3),
            "bovengrens_95": rows["upper"].round(3),
            "vergeleken_met": cmp.reference.label,
            "verwacht": rows["expected"].round(3),
            "trechter_95_onder": rows["lo95"].round(3),
            "trechter_95_boven": rows["hi95"].round(3),
            "positie": [
                position_text(p, b) if isinstance(p, str) else None
                for p, b in zip(rows["position"], rows["beyond998"], strict=True)
            ],
            "opmerking": [
                reason if s else (t("compare.no_data") if pd.isna(v) else None)
                for s, v in zip(rows["suppressed"], rows["value"], strict=True)
            ],
        }
    )


def _num_or_none(value: object, digits: int = 4) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def _int_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def as_json(cmp: Comparison, config: Config) -> dict:
    """Plain data for ``python -m kansrijke vergelijk --json``; suppressed counts are null with the reason."""

    def group(g: GroupFigure) -> dict:
        note = t("compare.group_left_out", count=g.suppressed_members) if g.suppressed_members else None
        return {
            "naam": g.label,
            "gemeenten": len(g.codes),
            "gepubliceerd": g.published_members,
            "onderdrukt": g.suppressed_members,
            "teller": g.numerator,
            "noemer": g.denominator,
            "waarde": _num_or_none(g.value),
            "opmerking": note,
        }

    reason = suppressed_text(config)
    municipalities = []
    for r in cmp.rows.itertuples():
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
                "reden": reason if r.suppressed else (None if published else t("compare.no_data")),
            }
        )
    return {
        "indicator": cmp.indicator.id,
        "naam": cmp.indicator.naam,
        "eenheid": cmp.indicator.eenheid,
        "richting": cmp.indicator.richting,
        "periode": cmp.choice.period,
        "perioden": list(range(cmp.periods[0], cmp.periods[1] + 1)),
        "drempel": cmp.min_count,
        "onderdrukt": cmp.suppressed,
        "selectie": group(cmp.group),
        "vergeleken_met": group(cmp.reference),
        "nederland": group(cmp.national),
        "methode": t("compare.method_short", z95="1,959964", z998="3,090232"),
        "gemeenten": municipalities,
    }
