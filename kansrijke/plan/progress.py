"""Progress on ambitions, goals and results: explainable statuses, each with a one-sentence Dutch reason.

Rules (also in the README):

* **Goal tied to an indicator.** Baseline (value, year) and target (value, year) define the expected
  path, linear in between. The latest published figure after the baseline year is compared with that
  path in the indicator's better direction. *ratio* = improvement so far / improvement expected by
  then. ``behaald``: the target is reached. ``achter``: the target year has passed without reaching
  it, or ratio < ``attention_ratio``. ``aandacht nodig``: ratio between ``attention_ratio`` and
  ``on_track_ratio``. ``op koers``: ratio >= ``on_track_ratio``. Uncertainty: when the figure has a
  numerator and denominator, its Wilson interval (``confidence_level``) is used; an interval that
  reaches from "op koers" to "achter" gives ``nog niet te beoordelen`` (so a goal is never called
  behind while the expected value lies inside the interval). ``nog niet te beoordelen`` too when the
  latest figure is older than the goal's first action (the source lags), when baseline or target are
  missing, or when the goal has no indicator. ``geen gegevens``: no figure after the baseline year.
* **Result** (an output such as "273 professionals geschoold"): ``behaald`` when realised >= target;
  ``verlopen`` when the deadline has passed without that; otherwise ``op koers`` when the realised share
  is at least ``on_track_ratio`` times the share of time elapsed since the plan started, else ``achter``.
* **Ambition**: the counts of its goals and results per status and the worst status among them.
* **Regional coalitions**: figures are pooled from numerators and denominators over the member
  municipalities (``pooled_series``), never averaged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kansrijke.core import fmt
from kansrijke.core.config import Config, Indicator
from kansrijke.core.i18n import t
from kansrijke.core.stats import finish, split_by_indicator
from kansrijke.core.store import Store

BEHAALD, OP_KOERS, AANDACHT, ACHTER = "behaald", "op koers", "aandacht nodig", "achter"
ONBEPAALD, GEEN_GEGEVENS, VERLOPEN = "nog niet te beoordelen", "geen gegevens", "verlopen"
GOAL_STATUSES = (BEHAALD, OP_KOERS, AANDACHT, ACHTER, ONBEPAALD, GEEN_GEGEVENS)
RESULT_STATUSES = (BEHAALD, OP_KOERS, ACHTER, VERLOPEN)
# Worst first: the status an ambition shows when any of its parts has it.
SEVERITY = (ACHTER, VERLOPEN, AANDACHT, ONBEPAALD, GEEN_GEGEVENS, OP_KOERS, BEHAALD)
# Never colour alone: every status has an icon and its word. Colours from Okabe-Ito (colour-blind safe).


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
    series: pd.DataFrame | None = None  # the area's published series (finish())
    owner: str | None = None


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


def evaluate_goal(
    goal: dict,
    indicator: Indicator | None,
    series: pd.DataFrame | None,
    config: Config,
    first_action: dt.date | None = None,
    today: dt.date | None = None,
) -> GoalProgress:
    """The status of one goal from its area's published series (``finish()`` output: period, value,
    lower, upper, suppressed, source, reference_date)."""
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
        series=series,
        owner=goal.get("owner"),
    )
    if indicator is None:
        g.reason = t("progress.goal.no_indicator")
        return g
    published = pd.DataFrame() if series is None else series[series["value"].notna()]
    unit = indicator.eenheid
    if g.baseline_value is None and g.baseline_year is not None and not published.empty:
        at_base = published[published["period"] == g.baseline_year]
        if not at_base.empty:
            g.baseline_value = float(at_base.iloc[0]["value"])
    if g.baseline_value is None or g.baseline_year is None:
        g.reason = t("progress.goal.no_baseline")
        return g
    if g.target_value is None or g.target_year is None or g.target_year <= g.baseline_year:
        g.reason = t("progress.goal.no_target")
        return g
    after = published[published["period"] > g.baseline_year] if not published.empty else published
    if after.empty:
        g.status = GEEN_GEGEVENS
        g.reason = t("progress.goal.no_data", year=g.baseline_year)
        return g
    latest = after.iloc[-1].to_dict()
    g.latest = latest
    period, value = int(latest["period"]), float(latest["value"])
    base, target = g.baseline_value, g.target_value
    sign = _sign(indicator, base, target)
    share = min(1.0, (period - g.baseline_year) / (g.target_year - g.baseline_year))
    g.expected = base + (target - base) * share
    shown = {
        "value": fmt.value(value, unit),
        "period": period,
        "target": fmt.value(target, unit),
        "target_year": g.target_year,
        "expected": fmt.value(g.expected, unit),
    }

    if sign * (value - target) >= 0:
        g.status, g.reason = BEHAALD, t("progress.goal.met", **shown)
        return g
    if period >= g.target_year:
        g.status, g.reason = ACHTER, t("progress.goal.target_year_passed", **shown)
        return g

    planned = sign * (target - base) * share  # improvement expected by now (> 0)

    def classify(v: float) -> str:
        ratio = sign * (v - base) / planned if planned > 0 else (1.0 if sign * (v - base) >= 0 else 0.0)
        if ratio >= config.status.on_track_ratio:
            return OP_KOERS
        return AANDACHT if ratio >= config.status.attention_ratio else ACHTER

    status = classify(value)
    lower, upper = _num(latest.get("lower")), _num(latest.get("upper"))
    if lower is not None and upper is not None:
        ends = {classify(lower), classify(upper)}
        inside = min(lower, upper) <= g.expected <= max(lower, upper)
        if (OP_KOERS in ends and ACHTER in ends) or (status == ACHTER and inside):
            g.status = ONBEPAALD
            g.reason = t(
                "progress.goal.interval_spans",
                low=fmt.value(lower, unit),
                high=fmt.value(upper, unit),
                level=f"{config.status.confidence_level:.0%}".replace(".", ","),
                **shown,
            )
            return g
    if status in (ACHTER, AANDACHT) and first_action is not None and period < first_action.year:
        g.status = ONBEPAALD
        g.reason = t(
            "progress.goal.source_lags",
            first=fmt.date(first_action),
            source=indicator.bron,
            lag=indicator.vertraging_jaren,
            **shown,
        )
        return g
    g.status = status
    g.reason = t(
        {OP_KOERS: "progress.goal.on_track", AANDACHT: "progress.goal.attention", ACHTER: "progress.goal.behind"}[
            status
        ],
        **shown,
    )
    return g


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
        r.status, r.reason = VERLOPEN, t("progress.result.expired", **shown)
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
def roll_up(ambition: dict, goals: list[GoalProgress], results: list[ResultProgress]) -> AmbitionProgress:
    """An ambition's status: the worst of its parts, explained by the counts per status."""
    a = AmbitionProgress(
        id=ambition["id"],
        title=ambition["title"],
        description=ambition.get("description"),
        status=GEEN_GEGEVENS,
        reason="",
        goals=goals,
        results=results,
    )
    parts = [*goals, *results]
    if not parts:
        a.reason = t("progress.ambition.empty")
        return a
    a.status = next(s for s in SEVERITY if any(p.status == s for p in parts))
    goal_text = _count_text(goals, "progress.ambition.goals")
    result_text = _count_text(results, "progress.ambition.results")
    worst = next(p for p in parts if p.status == a.status)
    a.reason = t(
        "progress.ambition.summary",
        parts="; ".join(x for x in (goal_text, result_text) if x),
        status=a.status,
        title=worst.title,
    )
    return a


def _count_text(items: list, key: str) -> str:
    if not items:
        return ""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    listed = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda kv: SEVERITY.index(kv[0])))
    return t(key, count=len(items), listed=listed)


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
    today = today or dt.date.today()
    coalitions = store.query("coalitions")
    row = coalitions[coalitions["id"] == coalition_id]
    if row.empty:
        return None
    row = row.iloc[0]
    params = {"coalition_id": coalition_id}
    members = store.query("coalition_members", params)
    ambitions = store.query("ambitions", params)
    goals = store.query("goals", params)
    results = store.query("results", params)
    first_actions = store.query("first_action_per_goal", params)
    first_by_goal = {r.goal_id: pd.Timestamp(r.first_date).date() for r in first_actions.itertuples()}
    codes = list(members["code"])
    ids = [i for i in goals["indicator_id"].dropna().unique() if _known(config, i)]
    series = split_by_indicator(store.query("pooled_series", {"codes": codes, "indicators": ids})) if ids else {}
    period = period or today.year
    start = None if pd.isna(row["start_date"]) else pd.Timestamp(row["start_date"]).date()

    finished: dict[str, pd.DataFrame] = {}
    for ind_id, frame in series.items():
        ind = config.indicator(ind_id)
        out = finish(frame, ind, config.privacy.min_count, config.status.confidence_level)
        finished[ind_id] = out[out["period"] <= period].reset_index(drop=True)

    out_ambitions = []
    for amb in ambitions.to_dict("records"):
        g_rows = goals[goals["ambition_id"] == amb["id"]].to_dict("records")
        r_rows = results[results["ambition_id"] == amb["id"]].to_dict("records")
        g_progress = []
        for g in g_rows:
            ind_id = g.get("indicator_id")
            ind = config.indicator(ind_id) if isinstance(ind_id, str) and _known(config, ind_id) else None
            g_progress.append(
                evaluate_goal(g, ind, finished.get(ind_id) if ind else None, config, first_by_goal.get(g["id"]), today)
            )
        r_progress = [evaluate_result(r, config, start, today) for r in r_rows]
        out_ambitions.append(roll_up(amb, g_progress, r_progress))
    return CoalitionProgress(coalition_id, row["name"], period, today, codes, out_ambitions)


def _known(config: Config, indicator_id: str) -> bool:
    return any(i.id == indicator_id for i in config.indicatoren)


def as_json(progress: CoalitionProgress) -> dict:
    """Plain data for ``python -m kansrijke status --json``: every item with ``status`` and ``reden``."""

    def goal(g: GoalProgress) -> dict:
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
            },
            "verwacht_op_pad": g.expected,
        }

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
                "doelen": [goal(g) for g in a.goals],
                "resultaten": [result(r) for r in a.results],
            }
            for a in progress.ambitions
        ],
    }


def _iso(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat()
