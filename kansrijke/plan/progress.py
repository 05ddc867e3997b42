"""Progress on ambitions, goals and results: explainable statuses, each with a Dutch reason.

The rules (also in the README, "How progress is judged"; ``tests/plan/test_progress.py`` checks the table
in both directions). Baseline (value, year) and target (value, year) define the expected path, linear in
between. The figure judged is the latest published one after the baseline year (up to the chosen period),
or the latest whole window of ``status.pool_years`` years when one year is too noisy (``plan.detect``) or
no later single year is published; a window is compared with the path at its middle year. Its interval is
the Wilson interval (``status.confidence_level``); a figure without counts has none and is judged on its
value ("zonder marge"). *ratio* = improvement so far / improvement the path expected by then.

==========================  ===================================================================================
status                      when
==========================  ===================================================================================
behaald                     the figure meets the target and the interval excludes the baseline (the gain is
                            not noise); a figure without counts: the value meets the target
op koers                    before the target year, ratio >= ``on_track_ratio`` (read from the figure)
aandacht nodig              before the target year, ``attention_ratio`` <= ratio < ``on_track_ratio``
achter                      ratio < ``attention_ratio`` and the interval excludes the expected value; or the
                            target year has passed, the target is not met and the interval excludes it
nog niet te beoordelen      the same cases when the interval does not exclude the baseline / expected value /
                            target: the reason says which way it leans (``lean``: gehaald, achter,
                            niet_gehaald); the latest figure predates the goal's first action (the source lags);
                            baseline, target or indicator missing (a goal without an indicator takes its status
                            from the results that contribute to it, when there are any)
geen gegevens               no published figure after the baseline year
==========================  ===================================================================================

Yes/no indicators compare the share of municipalities with "ja" (0/1 in the goal, 0-100% in the series);
over several municipalities the figure reads "1 van 2 gemeenten". Data status, source and lag, pooling, no
margin and a suspended source are added to the reason as short notes.

* **Result**: *behaald* when realised >= target; past its deadline *aandacht nodig* ("bijna gehaald") when
  at least ``on_track_ratio`` of the target is realised, else *verlopen* (with how far it got); before the
  deadline *op koers* when the realised share is at least ``on_track_ratio`` x the share of time elapsed
  since the coalition started, else *achter*.
* **Ambition** (``headline``): from its goals (from its results when it has no goals): *behaald* when all
  are behaald; *achter* when more are achter/verlopen than behaald/op koers; *aandacht nodig* when any is
  achter, verlopen or aandacht nodig; *op koers* when the judged ones are behaald or op koers; *nog niet te
  beoordelen* when none can be judged; *geen gegevens* when none has figures. The reason is one plain
  sentence with the counts ("2 van 3 doelen op koers, 1 nog niet te zeggen; resultaten: ...").
* **Regional coalitions**: figures are pooled from numerators and denominators over the member
  municipalities, never averaged.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kansrijke.core import disclosure, fmt
from kansrijke.core.config import Config, Indicator
from kansrijke.core.i18n import t
from kansrijke.core.stats import SCALE, finish
from kansrijke.core.store import Store
from kansrijke.plan.detect import detectable_change

BEHAALD, OP_KOERS, AANDACHT, ACHTER = "behaald", "op koers", "aandacht nodig", "achter"
ONBEPAALD, GEEN_GEGEVENS, VERLOPEN = "nog niet te beoordelen", "geen gegevens", "verlopen"
GOAL_STATUSES = (BEHAALD, OP_KOERS, AANDACHT, ACHTER, ONBEPAALD, GEEN_GEGEVENS)
RESULT_STATUSES = (BEHAALD, OP_KOERS, AANDACHT, ACHTER, VERLOPEN)
# figures closer than this count as equal: far below any published decimal, far above floating-point noise
TOLERANCE = 1e-6
# Worst first: the status an ambition shows when any of its parts has it.
SEVERITY = (ACHTER, VERLOPEN, AANDACHT, ONBEPAALD, GEEN_GEGEVENS, OP_KOERS, BEHAALD)
# The order counts are read out in when two are equal ("1 van 2 behaald, 1 bijna gehaald").
READING_ORDER = (BEHAALD, OP_KOERS, AANDACHT, ACHTER, VERLOPEN, ONBEPAALD, GEEN_GEGEVENS)
# Never colour alone: every status has an icon and its word. Colours from Okabe-Ito (colour-blind safe).


def status_legend() -> list[tuple[str, str]]:
    """Every status with what it means in one or two short sentences, in reading order: the legend on Overzicht
    and in the council PDF."""
    return [(status, t(f"progress.legend.text.{status}")) for status in READING_ORDER]


@dataclass
class GoalProgress:
    id: str
    title: str
    status: str
    reason: str
    indicator: Indicator | None = None
    baseline_value: float | None = None
    baseline_year: int | None = None
    target_value: float | None = None
    target_year: int | None = None
    latest: dict = field(default_factory=dict)  # period, value, lower, upper, source, reference_date, ...
    expected: float | None = None  # value on the path in the latest figure's period
    # The area's published series (finish()); the batch engine gives (frame, start, stop) and the slice is
    # taken only when someone reads ``series`` (charts), not for every goal of every coalition.
    series_source: pd.DataFrame | tuple[pd.DataFrame, int, int] | None = field(default=None, repr=False)
    owner: str | None = None
    # Which way an undecided verdict leans: "gehaald", "niet_gehaald", "achter" or None (JSON "neiging").
    lean: str | None = None
    margin: bool = True  # False: the figure has no counts, judged on its value alone ("zonder marge")
    pooled: tuple[int, int] | None = None  # (first, last) year when judged on years pooled, else None
    data_status: str | None = None  # voorlopig / definitief / herzien of the figure judged
    detectable: dict = field(default_factory=dict)  # smallest change the data can show: see plan.detect
    caveat: str | None = None  # e.g. the indicator is suspended at its source

    @property
    def series(self) -> pd.DataFrame | None:
        if isinstance(self.series_source, tuple):
            frame, start, stop = self.series_source
            self.series_source = frame.iloc[start:stop]
        return self.series_source


@dataclass
class ResultProgress:
    id: str
    title: str
    status: str
    reason: str
    goal_id: str | None
    target: float
    realised: float | None
    unit: str
    due_date: dt.date | None
    share: float  # realised / target, 0..1 (capped)


@dataclass
class AmbitionProgress:
    id: str
    title: str
    description: str | None
    status: str
    reason: str
    goals: list[GoalProgress]
    results: list[ResultProgress]

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for item in [*self.goals, *self.results]:
            found[item.status] = found.get(item.status, 0) + 1
        return {s: found[s] for s in SEVERITY if s in found}


# -- goals --------------------------------------------------------------------------------------------
def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _year(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _sign(indicator: Indicator, baseline: float, target: float) -> float:
    """+1 when higher is better, -1 when lower is better (for context indicators: the target's side)."""
    if indicator.richting == "hoger_beter":
        return 1.0
    if indicator.richting == "lager_beter":
        return -1.0
    return 1.0 if target >= baseline else -1.0


def pooled_windows(
    raw: pd.DataFrame | None, indicator: Indicator, config: Config, by: str | list[str] | None = None
) -> pd.DataFrame | None:
    """Whole windows of ``status.pool_years`` consecutive years from an area's raw counts (``pooled_series``
    rows of one indicator; several areas at once when ``by`` names their key column, or several areas and
    indicators of one unit when it names several key columns): per last year the summed numerator and
    denominator, published like a single year (``finish``: rate, Wilson interval, small counts suppressed)
    with ``first_period``. None when the indicator has no counts or pooling is off."""
    k = config.status.pool_years
    if raw is None or raw.empty or k <= 1 or indicator.eenheid not in SCALE:
        return None
    keys = [by] if isinstance(by, str) else list(by or [])
    frame = raw[raw["numerator"].notna() & raw["denominator"].notna()].sort_values([*keys, "period"])
    frame = frame.reset_index(drop=True)
    if len(frame) < k:
        return None
    areas = [frame[key] for key in keys]
    group = frame.groupby(areas, sort=False) if keys else None

    def last_k(column: pd.Series) -> pd.Series:  # sum over the last k rows of each area
        total = column.groupby(areas, sort=False).cumsum() if keys else column.cumsum()
        before = total.groupby(areas, sort=False).shift(k) if keys else total.shift(k)
        return total - before.fillna(0)

    period = frame["period"].astype(int)
    start = group["period"].shift(k - 1) if keys else period.shift(k - 1)
    whole = ((period - start) == k - 1).to_numpy()  # k consecutive years end here
    out = frame.loc[whole, [*keys, "period", "source", "reference_date", "data_status"]].copy()
    out["numerator"] = last_k(frame["numerator"].astype(float))[whole]
    out["denominator"] = last_k(frame["denominator"].astype(float))[whole]
    provisional = last_k(frame["data_status"].eq("voorlopig").astype(float))[whole] > 0
    out.loc[provisional, "data_status"] = "voorlopig"
    out["first_period"] = out["period"] - (k - 1)
    out["mean_value"] = np.nan
    if out.empty:
        return None
    return finish(out.reset_index(drop=True), indicator, config.privacy.min_count, config.status.confidence_level)


def _figure(row: dict, pooled: bool) -> dict:
    """The figure a verdict rests on: value, interval and the years it covers."""
    last = int(row["period"])
    first = int(row["first_period"]) if pooled else last
    return {
        "row": row,
        "value": float(row["value"]),
        "lower": _num(row.get("lower")),
        "upper": _num(row.get("upper")),
        "first": first,
        "last": last,
        "mid": (first + last) / 2,
        "label": str(last) if first == last else f"{first}–{last}",
    }


def _records(frame: pd.DataFrame | None) -> list[dict]:
    """Rows with a published value, as plain dicts (the engine reads a few rows per goal: plain Python is
    much faster than pandas at that size)."""
    if frame is None or frame.empty:
        return []
    return [r for r in _dicts(frame) if _num(r.get("value")) is not None]


def _dicts(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``, several times faster on Arrow-backed columns."""
    columns = list(frame.columns)
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*(frame[c].tolist() for c in columns), strict=True)
    ]


def _choose(published: list[dict], windows: list[dict], base_year: int, use_pooled: bool) -> dict | None:
    """The latest single-year figure after the baseline year, or the latest whole window after it when one
    year is too noisy (``use_pooled``) or no single year after the baseline is published."""
    singles = [r for r in published if r["period"] > base_year]
    ok = [r for r in windows if r["first_period"] > base_year]
    window = ok[-1] if ok else None
    newer = window is not None and (not singles or int(window["period"]) > int(singles[-1]["period"]))
    if window is not None and (use_pooled or newer):
        return _figure(window, pooled=True)
    if not singles:
        return None
    return _figure(singles[-1], pooled=False)


def _hidden_after(rows: list[dict], base_year: int) -> dict | None:
    """The latest suppressed row after the baseline year, if any."""
    hidden = [r for r in rows if r.get("suppressed") in (True, 1) and r["period"] > base_year]
    return hidden[-1] if hidden else None


def _shown_value(value: float, unit: str, members: int) -> str:
    """A value as people read it; a yes/no figure over several municipalities is 'x van n gemeenten'."""
    if unit == "ja/nee" and members > 1:
        return t("progress.goal.yes_share", yes=round(value / 100 * members), count=members)
    return fmt.value(value, unit)


def evaluate_goal(
    goal: dict,
    indicator: Indicator | None,
    series: pd.DataFrame | tuple[pd.DataFrame, int, int] | None,
    config: Config,
    first_action: dt.date | None = None,
    today: dt.date | None = None,
    windows: pd.DataFrame | None = None,
    rows: tuple[list[dict], list[dict]] | None = None,
) -> GoalProgress:
    """The status of one goal from its area's published series (``finish()`` output: period, value,
    lower, upper, suppressed, source, reference_date, data_status) and, for pooling, its whole windows
    of ``status.pool_years`` years (``pooled_windows``). The rules are the table in the module doc.
    ``rows``: the series as plain dicts (``_dicts``) and the windows as published records (``_records``)
    when the caller has them already; then ``series`` may be a (frame, start, stop) slice taken only when read."""
    today = today or dt.date.today()
    g = GoalProgress(
        id=goal["id"],
        title=goal["title"],
        status=ONBEPAALD,
        reason="",
        indicator=indicator,
        baseline_value=_num(goal.get("baseline_value")),
        baseline_year=_year(goal.get("baseline_year")),
        target_value=_num(goal.get("target_value")),
        target_year=_year(goal.get("target_year")),
        series_source=series,
        owner=goal.get("owner"),
    )
    if indicator is None:
        g.reason = t("progress.goal.no_indicator")
        return g
    if indicator.status == "opgeschort":
        g.caveat = t("progress.goal.suspended", source=indicator.bron)
    if rows is None:
        rows = ([] if series is None or series.empty else _dicts(series), _records(windows))
    series_rows, window_rows = rows
    published = [r for r in series_rows if _num(r.get("value")) is not None]
    unit = indicator.eenheid
    if g.baseline_value is None and g.baseline_year is not None:
        at_base = [r for r in published if r["period"] == g.baseline_year]
        if at_base:
            g.baseline_value = float(at_base[0]["value"])
    if g.baseline_value is None or g.baseline_year is None:
        g.reason = _with_caveat(t("progress.goal.no_baseline"), g)
        return g
    if g.target_value is None or g.target_year is None or g.target_year <= g.baseline_year:
        g.reason = _with_caveat(t("progress.goal.no_target"), g)
        return g
    base, target = g.baseline_value, g.target_value
    if unit == "ja/nee":  # goals say 0/1 (nee/ja); the series holds the share of municipalities with ja, in %
        base, target = (base * 100 if base <= 1 else base), (target * 100 if target <= 1 else target)
    denominators = [r["denominator"] for r in series_rows if "denominator" in r]
    g.detectable = detectable_change(
        indicator, base, target, denominators, config.status.confidence_level, config.status.pool_years
    )
    fig = _choose(published, window_rows, g.baseline_year, bool(g.detectable.get("use_pooled")))
    if fig is None:
        g.status = GEEN_GEGEVENS
        hidden = _hidden_after(series_rows, g.baseline_year)
        if hidden is not None:  # there is a figure, but it may not be published (disclosure control)
            why = hidden.get("suppression_reason")
            why = why if isinstance(why, str) and why else disclosure.reason(disclosure.SMALL, config.privacy.min_count)
            g.reason = _with_caveat(t("progress.goal.suppressed", period=int(hidden["period"]), why=why), g)
        else:
            g.reason = _with_caveat(t("progress.goal.no_data", year=g.baseline_year), g)
        return g
    latest = fig["row"]
    g.latest = latest
    g.pooled = (fig["first"], fig["last"]) if fig["first"] != fig["last"] else None
    g.data_status = latest.get("data_status") if isinstance(latest.get("data_status"), str) else None
    value, lower, upper = fig["value"], fig["lower"], fig["upper"]
    has_interval = lower is not None and upper is not None
    g.margin = has_interval or unit == "ja/nee"
    sign = _sign(indicator, base, target)
    share = min(1.0, max(0.0, (fig["mid"] - g.baseline_year) / (g.target_year - g.baseline_year)))
    g.expected = base + (target - base) * share
    members = int(latest.get("municipalities") or 1) if not pd.isna(latest.get("municipalities", 1)) else 1
    shown = {
        "value": _shown_value(value, unit, members),
        "period": fig["label"],
        "target": _shown_value(target, unit, members),
        "target_year": g.target_year,
        "expected": _shown_value(g.expected, unit, members),
        "baseline": _shown_value(base, unit, members),
        "low": fmt.value(lower, unit) if has_interval else "–",
        "high": fmt.value(upper, unit) if has_interval else "–",
    }
    v, b, tv, e = sign * value, sign * base, sign * target, sign * g.expected
    lo, hi = sorted((sign * lower, sign * upper)) if has_interval else (v, v)
    status, key, lean = _verdict(v, b, tv, e, lo, hi, has_interval, fig["last"] >= g.target_year, unit, members, config)
    if status in (ACHTER, AANDACHT) and first_action is not None and fig["last"] < first_action.year:
        status, key, lean = ONBEPAALD, "progress.goal.source_lags", None
        shown.update(first=fmt.date(first_action), source=indicator.bron, lag=indicator.vertraging_jaren)
    g.status, g.lean = status, lean
    g.reason = " ".join([t(key, **shown), *_notes(g, indicator, fig, unit)])
    return g


def _verdict(
    v: float,
    b: float,
    tv: float,
    e: float,
    lo: float,
    hi: float,
    has_interval: bool,
    target_year_reached: bool,
    unit: str,
    members: int,
    config: Config,
) -> tuple[str, str, str | None]:
    """(status, reason key, lean) from oriented numbers (higher = better): value v, baseline b, target tv,
    expected e, interval lo..hi. The rule table of the module doc, in code."""
    # figures equal up to rounding count as equal: one absolute tolerance, so a figure near 20 and its mirror near
    # 80 (lower or higher is better) are judged alike (a tolerance relative to the size was not)
    eps = TOLERANCE
    improving = tv > b + eps  # a goal to improve; otherwise a goal to hold a level
    if v >= tv - eps:
        if not has_interval or not improving or lo > b + eps:
            return BEHAALD, "progress.goal.met", None
        return ONBEPAALD, "progress.goal.met_noise", "gehaald"
    if target_year_reached:
        if not has_interval or hi < tv - eps:
            return ACHTER, "progress.goal.target_year_passed", None
        return ONBEPAALD, "progress.goal.missed_noise", "niet_gehaald"
    if unit == "ja/nee" and members == 1:  # still "nee" before the target year: no path to be on or off
        return ONBEPAALD, "progress.goal.not_yet_yes", None
    planned = e - b
    ratio = (v - b) / planned if planned > eps else (1.0 if v >= e - eps else 0.0)
    if ratio >= config.status.on_track_ratio - eps:
        return OP_KOERS, "progress.goal.on_track", None
    if ratio >= config.status.attention_ratio - eps:
        return AANDACHT, "progress.goal.attention", None
    if not has_interval or hi < e - eps:
        return ACHTER, "progress.goal.behind", None
    return ONBEPAALD, "progress.goal.behind_noise", "achter"


def _notes(g: GoalProgress, indicator: Indicator, fig: dict, unit: str) -> list[str]:
    """Short sentences after the verdict: pooled years, no margin, data status and lag, a suspended source."""
    notes = []
    if g.pooled:
        notes.append(t("progress.goal.note_pooled", years=fig["last"] - fig["first"] + 1, period=fig["label"]))
    if not g.margin:
        notes.append(t("progress.goal.note_no_margin"))
    notes.append(
        t(
            "progress.goal.note_provenance",
            source=indicator.bron,
            status=t(f"progress.data_status.{g.data_status or 'definitief'}"),
            lag=indicator.vertraging_jaren,
        )
    )
    if g.detectable.get("too_small"):
        notes.append(g.detectable["advice"])
    if g.caveat:
        notes.append(g.caveat)
    return notes


def _with_caveat(text: str, g: GoalProgress) -> str:
    return f"{text} {g.caveat}" if g.caveat else text


# -- results -------------------------------------------------------------------------------------------
def evaluate_result(
    result: dict, config: Config, start: dt.date | None, today: dt.date | None = None
) -> ResultProgress:
    today = today or dt.date.today()
    target = float(result["target"])
    realised = _num(result.get("realised"))
    due = result.get("due_date")
    due = None if due is None or pd.isna(due) else pd.Timestamp(due).date()
    got = realised or 0.0
    share = max(0.0, min(1.0, got / target)) if target > 0 else 1.0
    unit = result.get("unit") or ""
    shown = {
        "realised": fmt.number(got, 0 if float(got).is_integer() else 1),
        "target": fmt.number(target, 0 if target.is_integer() else 1),
        "unit": unit,
        "due": fmt.date(due) if due else "–",
    }
    r = ResultProgress(
        id=result["id"],
        title=result["title"],
        status=ACHTER,
        reason="",
        goal_id=None if pd.isna(result.get("goal_id")) else result.get("goal_id"),
        target=target,
        realised=realised,
        unit=unit,
        due_date=due,
        share=share,
    )
    if got >= target:
        r.status, r.reason = BEHAALD, t("progress.result.met", **shown)
    elif due is not None and due < today:
        # Past the deadline: how far it got. Most of the way there is "aandacht nodig", not red.
        nearly = share >= config.status.on_track_ratio
        r.status = AANDACHT if nearly else VERLOPEN
        key = "progress.result.expired_nearly" if nearly else "progress.result.expired"
        r.reason = t(key, done=f"{share:.0%}", **shown)
    elif due is None or start is None or start >= due:
        r.status = OP_KOERS if got > 0 else ACHTER
        r.reason = t("progress.result.no_deadline" if due is None else "progress.result.no_start", **shown)
    else:
        elapsed = max(0.0, min(1.0, (today - start).days / (due - start).days))
        r.status = OP_KOERS if share >= config.status.on_track_ratio * elapsed else ACHTER
        key = "progress.result.on_track" if r.status == OP_KOERS else "progress.result.behind"
        r.reason = t(key, elapsed=f"{elapsed:.0%}", done=f"{share:.0%}", **shown)
    return r


# -- ambitions -------------------------------------------------------------------------------------------
def headline(statuses: list[str]) -> str:
    """An ambition's status from its goals' statuses (or, without goals, its results'): see the module doc."""
    judged = [x for x in statuses if x in (BEHAALD, OP_KOERS, AANDACHT, ACHTER, VERLOPEN)]
    if not judged:
        return GEEN_GEGEVENS if statuses and all(x == GEEN_GEGEVENS for x in statuses) else ONBEPAALD
    good = sum(x in (BEHAALD, OP_KOERS) for x in judged)
    bad = sum(x in (ACHTER, VERLOPEN) for x in judged)
    if len(judged) == len(statuses) and all(x == BEHAALD for x in judged):
        return BEHAALD
    if bad > good:
        return ACHTER
    if bad or any(x == AANDACHT for x in judged):
        return AANDACHT
    return OP_KOERS


def roll_up(ambition: dict, goals: list[GoalProgress], results: list[ResultProgress]) -> AmbitionProgress:
    """An ambition: its headline comes from its goals (from its results when it has no goals), told in one
    plain sentence with the results beside it ("2 van 3 doelen op koers, 1 nog niet te zeggen; ...")."""
    a = AmbitionProgress(
        id=ambition["id"],
        title=ambition["title"],
        description=ambition.get("description"),
        status=GEEN_GEGEVENS,
        reason="",
        goals=goals,
        results=results,
    )
    if not goals and not results:
        a.reason = t("progress.ambition.empty")
        return a
    a.status = headline([g.status for g in goals] if goals else [r.status for r in results])
    parts = [_count_text(goals, "goals"), _count_text(results, "results")]
    a.reason = t("progress.ambition.summary", parts="; ".join(p for p in parts if p))
    return a


def _count_text(items: list, kind: str) -> str:
    """ "2 van 3 doelen op koers, 1 nog niet te zeggen": the largest group first, then by severity."""
    if not items:
        return ""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], READING_ORDER.index(kv[0])))
    (first, n), rest = ordered[0], ordered[1:]
    many, one = {"goals": ("progress.ambition.goals", "progress.ambition.goals_one")}.get(
        kind, ("progress.ambition.results", "progress.ambition.results_one")
    )
    head = t(many if len(items) > 1 else one, count=n, total=len(items), status=t(f"progress.count.{kind}.{first}"))
    return ", ".join([head, *(f"{m} {t(f'progress.count.{kind}.{s}')}" for s, m in rest)])


# -- a coalition -------------------------------------------------------------------------------------------
@dataclass
class CoalitionProgress:
    coalition_id: str
    name: str
    period: int
    today: dt.date
    member_codes: list[str]
    ambitions: list[AmbitionProgress]

    def counts(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for a in self.ambitions:
            for s, n in a.counts().items():
                total[s] = total.get(s, 0) + n
        return {s: total[s] for s in SEVERITY if s in total}


def coalition_progress(
    store: Store, config: Config, coalition_id: str, period: int | None = None, today: dt.date | None = None
) -> CoalitionProgress | None:
    """Every ambition, goal and result of a coalition with its status, using figures up to ``period``."""
    found = coalitions_progress(store, config, [coalition_id], period, today)
    return found[0] if found else None


def coalitions_progress(
    store: Store,
    config: Config,
    coalition_ids: list[str] | None = None,
    period: int | None = None,
    today: dt.date | None = None,
) -> list[CoalitionProgress]:
    """``coalition_progress`` for many coalitions (all when ``coalition_ids`` is None) from five queries in
    all (and the disclosure plans), in the order of the coalition list (by name). A coalition is judged the
    same whichever coalitions share its batch: the series hold only the (coalition, indicator) pairs its goals
    measure, and every figure is computed from that pair's rows alone."""
    with disclosure.without_gc():  # thousands of small rows and dicts, no cycles: collecting costs ~0,05 s
        return _coalitions_progress(store, config, coalition_ids, period, today)


def _coalitions_progress(
    store: Store, config: Config, coalition_ids: list[str] | None, period: int | None, today: dt.date | None
) -> list[CoalitionProgress]:
    today = today or dt.date.today()
    period = period or today.year
    coalitions = store.query("coalitions")
    if coalition_ids is not None:
        coalitions = coalitions[coalitions["id"].isin(coalition_ids)]
    ids = list(coalitions["id"])
    if not ids:
        return []
    params = {"coalitions": ids}
    ambitions = store.query("progress_ambitions", params)
    goals = store.query("progress_goals", params)
    results = store.query("progress_results", params)
    indicators = sorted(i for i in goals["indicator_id"].dropna().unique() if _known(config, i))
    raw = (
        store.query("progress_series", {**params, "indicators": indicators, "period": period})
        if indicators
        else pd.DataFrame(columns=["coalition_id", "indicator_id", "period"])
    )
    members = {row.id: _codes(row.members) for row in coalitions.itertuples()}
    rules_of = disclosure.plans(
        store, config, [i for i in indicators if config.indicator(i).eenheid in (*SCALE, "aantal")]
    )
    finished, records, window_records = _published(raw, config, rules_of, members)

    amb_by_coalition = _grouped(ambitions, "coalition_id")
    goals_by_ambition = _grouped(goals, "ambition_id")
    results_by_ambition = _grouped(results, "ambition_id")
    out = []
    for row in coalitions.itertuples():
        start = None if pd.isna(row.start_date) else pd.Timestamp(row.start_date).date()
        out_ambitions = []
        for amb in amb_by_coalition.get(row.id, []):
            g_rows = goals_by_ambition.get(amb["id"], [])
            r_progress = [evaluate_result(r, config, start, today) for r in results_by_ambition.get(amb["id"], [])]
            g_progress = []
            for g in g_rows:
                ind_id = g.get("indicator_id")
                ind = config.indicator(ind_id) if isinstance(ind_id, str) and _known(config, ind_id) else None
                first = g.get("first_date")
                first = None if first is None or pd.isna(first) else pd.Timestamp(first).date()
                key = (row.id, ind_id)
                judged = evaluate_goal(
                    g,
                    ind,
                    finished.get(key) if ind else None,
                    config,
                    first,
                    today,
                    rows=(records.get(key, []), window_records.get(key, [])),
                )
                if ind is None:
                    judged = judge_by_results(judged, [r for r in r_progress if r.goal_id == g["id"]])
                g_progress.append(judged)
            out_ambitions.append(roll_up(amb, g_progress, r_progress))
        out.append(CoalitionProgress(row.id, row.name, period, today, members[row.id], out_ambitions))
    return out


_PAIR = ["coalition_id", "indicator_id"]


def _published(
    raw: pd.DataFrame, config: Config, rules_of: dict[str, disclosure.Plan], members: dict[str, list[str]]
) -> tuple[
    dict[tuple[str, str], tuple[pd.DataFrame, int, int]],
    dict[tuple[str, str], list[dict]],
    dict[tuple[str, str], list[dict]],
]:
    """Per (coalition, indicator): the published series (a lazy slice, for charts), its rows and its whole
    windows as plain dicts, from the summed counts of ``progress_series`` (sorted by coalition, indicator and
    period). ``finish`` and ``pooled_windows`` turn each row or window into a figure by the indicator's unit
    alone, so every unit is done in one call for all its indicators and coalitions; the disclosure plan is
    the indicator's own, row by row."""
    finished: dict[tuple[str, str], tuple[pd.DataFrame, int, int]] = {}
    records: dict[tuple[str, str], list[dict]] = {}
    window_records: dict[tuple[str, str], list[dict]] = {}
    by_unit: dict[str, list[str]] = {}
    for ind_id in dict.fromkeys(raw["indicator_id"].tolist()):
        by_unit.setdefault(config.indicator(ind_id).eenheid, []).append(ind_id)
    for ids in by_unit.values():
        frame = raw if len(by_unit) == 1 else raw[raw["indicator_id"].isin(ids)]
        frame = frame.reset_index(drop=True)
        indicator = config.indicator(ids[0])  # finish and pooled_windows read only its unit (eenheid)
        done = finish(frame, indicator, config.privacy.min_count, config.status.confidence_level)
        pooled = pooled_windows(frame, indicator, config, by=_PAIR)
        if any(i in rules_of for i in ids):  # disclosure control: the product-wide plan
            done = _protect(rules_of, done, members, config)
            pooled = None if pooled is None else _protect(rules_of, pooled, members, config)
        finished.update(_runs(done, _PAIR))
        pair = itertools.groupby(_dicts(done) if not done.empty else [], key=_pair)
        records.update((key, list(part)) for key, part in pair)
        for key, part in itertools.groupby(_records(pooled), key=_pair):
            # a window row as pooled_windows gives it for one indicator (by coalition): without the indicator
            window_records[key] = [{k: v for k, v in r.items() if k != "indicator_id"} for r in part]
    return finished, records, window_records


def _pair(record: dict) -> tuple[str, str]:
    return record["coalition_id"], record["indicator_id"]


def _codes(members: object) -> list[str]:
    return [m for m in members if m] if isinstance(members, list | np.ndarray) else []


def _protect(
    rules_of: dict[str, disclosure.Plan], frame: pd.DataFrame, members: dict[str, list[str]], config: Config
) -> pd.DataFrame:
    """Apply the disclosure plans to rows of many coalitions and indicators at once (``coalition_id``,
    ``indicator_id``, ``period``, and for windows ``first_period``): each row is the figure of the coalition's
    area over those years, judged by its indicator's plan (an indicator without a plan hides nothing more)."""
    if frame.empty:
        return frame
    last = frame["period"].astype(int).tolist()
    first = frame["first_period"].astype(int).tolist() if "first_period" in frame else last
    found = []
    for c, i, f, la in zip(frame["coalition_id"].tolist(), frame["indicator_id"].tolist(), first, last, strict=True):
        area, rules = members.get(c, []), rules_of.get(i)
        found.append(rules.rule(area, f, la) if rules is not None and area and rules.knows(area) else None)
    return disclosure.mark(frame, found, config.privacy.min_count)


def _grouped(frame: pd.DataFrame, key: str) -> dict[str, list[dict]]:
    """Rows as plain dicts per value of ``key`` (one conversion for all coalitions)."""
    out: dict[str, list[dict]] = {}
    for record in _dicts(frame):
        out.setdefault(record[key], []).append(record)
    return out


def _runs(frame: pd.DataFrame | None, keys: list[str]) -> list[tuple[tuple, tuple[pd.DataFrame, int, int]]]:
    """A frame sorted by ``keys`` as its runs: (the keys' values, (frame, start, stop)); the slices are taken only
    when read."""
    if frame is None or frame.empty:
        return []
    columns = [frame[key].to_numpy() for key in keys]
    change = np.zeros(len(frame), dtype=bool)
    change[0] = True
    for values in columns:
        change[1:] |= values[1:] != values[:-1]
    starts = np.flatnonzero(change)
    ends = np.r_[starts[1:], len(frame)]
    return [
        (tuple(values[a] for values in columns), (frame, int(a), int(b))) for a, b in zip(starts, ends, strict=True)
    ]


def judge_by_results(goal: GoalProgress, results: list[ResultProgress]) -> GoalProgress:
    """A goal without an indicator takes its status from the results that contribute to it (a result past its
    deadline that is not nearly there counts as *achter*); without such results it stays *nog niet te
    beoordelen*."""
    if not results:
        return goal
    status = headline([r.status for r in results])
    goal.status = status
    goal.reason = t("progress.goal.by_results", parts=_count_text(results, "results"))
    return goal


def _known(config: Config, indicator_id: str) -> bool:
    return any(i.id == indicator_id for i in config.indicatoren)


def as_json_goal(g: GoalProgress) -> dict:
    """One goal as plain data (``status --json``)."""
    latest = g.latest or {}
    return {
        "id": g.id,
        "titel": g.title,
        "status": g.status,
        "reden": g.reason,
        "indicator": g.indicator.id if g.indicator else None,
        "basis": {"waarde": g.baseline_value, "jaar": g.baseline_year},
        "streef": {"waarde": g.target_value, "jaar": g.target_year},
        "laatste": None
        if not latest
        else {
            "periode": int(latest["period"]),
            "waarde": _num(latest.get("value")),
            "ondergrens": _num(latest.get("lower")),
            "bovengrens": _num(latest.get("upper")),
            "teller": _num(latest.get("numerator")),
            "noemer": _num(latest.get("denominator")),
            "bron": latest.get("source"),
            "peildatum": _iso(latest.get("reference_date")),
            "datastatus": g.data_status,
        },
        "verwacht_op_pad": g.expected,
        "neiging": g.lean,
        "marge": g.margin,
        "gepoold": None if not g.pooled else {"van": g.pooled[0], "tot": g.pooled[1]},
        "datastatus": g.data_status,
        "bron_vertraging_jaren": g.indicator.vertraging_jaren if g.indicator else None,
        "kanttekening": g.caveat,
        "detecteerbaar": None
        if not g.detectable
        else {
            "een_jaar": g.detectable.get("one_year"),
            "gepoold": g.detectable.get("pooled"),
            "jaren": g.detectable.get("years"),
            "doelverandering": g.detectable.get("target_change"),
            "gepoold_beoordeeld": bool(g.detectable.get("use_pooled")),
            "doel_te_klein": bool(g.detectable.get("too_small")),
            "advies": g.detectable.get("advice"),
        },
    }


def as_json(progress: CoalitionProgress) -> dict:
    """Plain data for ``python -m kansrijke status --json``: every item with ``status`` and ``reden``."""

    def result(r: ResultProgress) -> dict:
        return {
            "id": r.id,
            "titel": r.title,
            "status": r.status,
            "reden": r.reason,
            "doel": r.goal_id,
            "streefwaarde": r.target,
            "gerealiseerd": r.realised,
            "eenheid": r.unit,
            "deadline": _iso(r.due_date),
            "aandeel": r.share,
        }

    return {
        "coalitie": progress.coalition_id,
        "naam": progress.name,
        "periode": progress.period,
        "peildatum": progress.today.isoformat(),
        "gemeenten": progress.member_codes,
        "ambities": [
            {
                "id": a.id,
                "titel": a.title,
                "status": a.status,
                "reden": a.reason,
                "doelen": [as_json_goal(g) for g in a.goals],
                "resultaten": [result(r) for r in a.results],
            }
            for a in progress.ambitions
        ],
    }


def _iso(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat()
