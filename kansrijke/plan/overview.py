"""What the Overzicht page shows, assembled from the store (no Streamlit).

Every function takes the store and plain parameters and returns DataFrames or
dataclasses, so the page, the CLI and the tests use the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kansrijke.core import disclosure, figures, fmt
from kansrijke.core.config import Config, Indicator
from kansrijke.core.i18n import t
from kansrijke.core.reference import DEMO_TODAY
from kansrijke.core.stats import SCALE, change_direction, finish, split_by_indicator
from kansrijke.core.store import Store
from kansrijke.plan.progress import GoalProgress


@dataclass
class Coalition:
    id: str
    name: str
    phase: int
    start_date: dt.date | None
    trekker: str | None
    members: pd.DataFrame  # code, name, population, province

    @property
    def regional(self) -> bool:
        return len(self.members) > 1


@dataclass
class KeyFigure:
    """One indicator for an area: its series, the national series and the latest figure up to the chosen period.

    ``current`` is the area's latest row up to ``period`` that holds a figure (published or suppressed), so a
    card shows the last known figure with its year instead of nothing when the chosen year has none yet."""

    indicator: Indicator
    area: pd.DataFrame  # period, value, lower, upper, numerator, denominator, suppressed, source, ...
    national: pd.DataFrame  # period, value
    period: int  # the chosen period
    current: dict = field(default_factory=dict)  # the area's latest figure up to ``period`` (empty: none)
    national_value: float | None = None  # for the year of ``current``
    first: dict = field(default_factory=dict)  # the area's first published row (from the goal's baseline)
    peer_value: float | None = None  # pooled over the "vergelijkbare gemeenten", for the year of ``current``
    member_name: str | None = None  # in a regional coalition: the chosen member municipality
    member: dict = field(default_factory=dict)  # that member's own latest figure up to ``period`` (or hidden)

    @property
    def year(self) -> int | None:
        return int(self.current["period"]) if self.current else None

    @property
    def stale(self) -> bool:
        """The figure is older than the chosen period (the card then says its year)."""
        return bool(self.current) and int(self.current["period"]) < self.period

    @property
    def margin(self) -> bool:
        """False for a figure without counts (judged and shown on its value alone: "zonder marge")."""
        return has_margin(self.current, self.indicator.eenheid)

    @property
    def change(self) -> float | None:
        if not self.current or not self.first or self.current.get("period") == self.first.get("period"):
            return None
        a, b = self.current.get("value"), self.first.get("value")
        if a is None or b is None or pd.isna(a) or pd.isna(b):
            return None
        return float(a) - float(b)


def reference_day(store: Store) -> dt.date:
    """'Today' for judging progress: the demo's snapshot date on demo data (so planned actions and deadlines
    read as the demo intends, whenever it is opened), the real date on own data (``python -m kansrijke init``
    writes no ``demo_today``). The snapshot date is meta ``demo_today``, written by the demo build (the tests'
    copy of the demo marked as own data keeps it); demo files from before it existed use
    ``reference.DEMO_TODAY``."""
    stored = store.meta("demo_today")
    if stored:
        return dt.date.fromisoformat(stored)
    return DEMO_TODAY if store.is_demo() else dt.date.today()


def municipalities(store: Store) -> pd.DataFrame:
    return store.query("municipalities")


def periods(store: Store) -> list[int]:
    return [int(p) for p in store.query("periods")["period"]]


def period_coverage(store: Store, indicator_ids: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per year, newest first: ``covered`` (municipalities with a figure, for ``indicator_ids`` or any indicator)
    and ``total`` (all municipalities)."""
    return store.query("period_coverage", {"indicators": list(indicator_ids)})


def coverage_threshold(coverage: pd.DataFrame, min_coverage: float) -> float:
    """How many municipalities a year needs to count as covered: ``min_coverage`` of all municipalities; when
    no year reaches that (a database with only a few municipalities' own figures), ``min_coverage`` of the
    best-covered year."""
    if coverage.empty:
        return 0.0
    wanted = min_coverage * float(coverage["total"].iloc[0])
    if (coverage["covered"] >= wanted).any():
        return wanted
    return min_coverage * float(coverage["covered"].max())


def default_period(store: Store, min_coverage: float, indicator_ids: tuple[str, ...] = ()) -> int | None:
    """The newest year with enough coverage (``coverage_threshold``), not the newest row anyone imported:
    three rows for next year from one municipality do not move every view. None when there are no figures."""
    coverage = period_coverage(store, indicator_ids)
    if coverage.empty:
        return None
    enough = coverage[coverage["covered"] >= coverage_threshold(coverage, min_coverage)]
    return int(enough["period"].iloc[0])


def report_period(store: Store, min_coverage: float, today: dt.date | None = None) -> int:
    """The year a report or status is about when none is chosen: ``default_period``, or this year when there
    are no figures at all."""
    found = default_period(store, min_coverage)
    return (today or dt.date.today()).year if found is None else found


def thin_periods(store: Store, min_coverage: float) -> dict[int, tuple[int, int]]:
    """Years that have figures but too few municipalities to be the default: year -> (covered, total)."""
    coverage = period_coverage(store)
    limit = coverage_threshold(coverage, min_coverage)
    thin = coverage[coverage["covered"] < limit]
    return {int(r.period): (int(r.covered), int(r.total)) for r in thin.itertuples()}


def coalition_of(store: Store, code: str) -> Coalition | None:
    rows = store.query("coalition_of_municipality", {"code": code})
    if rows.empty:
        return None
    return coalition(store, rows.iloc[0]["id"])


def coalition(store: Store, coalition_id: str) -> Coalition | None:
    rows = store.query("coalitions")
    rows = rows[rows["id"] == coalition_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    start = row["start_date"]
    return Coalition(
        id=row["id"],
        name=row["name"],
        phase=int(row["phase"]),
        start_date=None if pd.isna(start) else pd.Timestamp(start).date(),
        trekker=None if pd.isna(row["trekker"]) else row["trekker"],
        members=store.query("coalition_members", {"coalition_id": coalition_id}),
    )


def plan(store: Store, coalition_id: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Ambitions, goals and results of a coalition."""
    params = {"coalition_id": coalition_id}
    return store.query("ambitions", params), store.query("goals", params), store.query("results", params)


def latest_actions(store: Store, coalition_id: str, until: dt.date, limit: int) -> pd.DataFrame:
    return store.query("latest_actions", {"coalition_id": coalition_id, "until": until, "limit": limit})


def goal_actions(store: Store, coalition_id: str) -> pd.DataFrame:
    return store.query("goal_actions", {"coalition_id": coalition_id})


def comparison_series(
    store: Store, config: Config, indicator_ids: list[str], peer_codes: list[str]
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """National and peer series (published, pooled) per indicator, for the goal charts."""
    return figures.national(store, config, indicator_ids), figures.pooled(store, config, peer_codes, indicator_ids)


def next_actions(store: Store, coalition_id: str, after: dt.date, limit: int) -> pd.DataFrame:
    return store.query("next_actions", {"coalition_id": coalition_id, "after": after, "limit": limit})


def key_figures(
    store: Store,
    config: Config,
    codes: list[str],
    indicator_ids: list[str],
    period: int,
    peer_codes: list[str] | None = None,
    since: dict[str, int] | None = None,
    member: tuple[str, str] | None = None,
) -> list[KeyFigure]:
    """Series for ``indicator_ids`` pooled over ``codes``, with the national (and peer) figures beside them.

    Each card holds the latest figure up to ``period`` (with its year when older). The change on a card is
    counted from ``since[indicator]`` (the baseline year of the coalition's goal on that indicator) when given,
    else from the first published year. ``member`` (code, name): in a regional coalition, that member's own
    figure beside the region's. Every figure goes through the disclosure plan (``core.disclosure``): hidden
    ones say which rule hid them, and the peers are pooled over published members only."""
    indicators = [config.indicator(i) for i in indicator_ids]
    params = {"codes": list(codes), "indicators": [i.id for i in indicators]}
    area = split_by_indicator(store.query("pooled_series", {**params, "hidden": []}))
    nation = split_by_indicator(store.query("national_series", {"indicators": params["indicators"]}))
    own = {}
    if member is not None and len(codes) > 1 and member[0] in codes:
        own = split_by_indicator(store.query("pooled_series", {**params, "codes": [member[0]], "hidden": []}))
    min_count, level = config.privacy.min_count, config.status.confidence_level
    figures = []
    for ind in indicators:
        plan = disclosure.plan(store, config, ind.id)
        a = _disclosed(plan, published(area.get(ind.id, _empty()), ind, min_count, level), codes)
        n = _disclosed(plan, published(nation.get(ind.id, _empty()), ind, min_count, level), disclosure.NATIONAL)
        a = a[a["period"] <= period].reset_index(drop=True)
        n = n[n["period"] <= period].reset_index(drop=True)
        current = latest_figure(a, period)
        shown = a[a["value"].notna()]
        if since and ind.id in since and (shown["period"] == since[ind.id]).any():
            shown = shown[shown["period"] >= since[ind.id]]
        year = current.get("period")
        kf = KeyFigure(
            indicator=ind,
            area=a,
            national=n,
            period=period,
            current=current,
            national_value=_value_in(n, year),
            first=shown.iloc[0].to_dict() if len(shown) else {},
            peer_value=_peer_value(store, config, plan, ind, peer_codes or [], year),
        )
        if own:
            m = published(own.get(ind.id, _empty()), ind, min_count, level)
            m = _disclosed(plan, m[m["period"] <= period].reset_index(drop=True), member[0])
            kf.member_name = member[1]
            kf.member = latest_figure(m, period)
        figures.append(kf)
    return figures


def _disclosed(plan: disclosure.Plan, frame: pd.DataFrame, codes: str | list[str]) -> pd.DataFrame:
    """``frame`` with the disclosure plan applied (hidden rows blanked, with their rule and reason)."""
    if frame.empty:
        return frame
    try:
        return plan.apply(frame, codes)
    except KeyError:  # an area the plan does not know (a group): pooled over published members elsewhere
        return frame


def _peer_value(
    store: Store, config: Config, plan: disclosure.Plan, ind: Indicator, peer_codes: list[str], year: object
) -> float | None:
    """The peers' figure for ``year``, pooled over the peers whose own figure is published (a group pooled over
    hidden members could give them away)."""
    if not peer_codes or year is None:
        return None
    codes = plan.published_codes(peer_codes, int(year))
    if not codes:
        return None
    raw = store.query("pooled_series", {"codes": codes, "indicators": [ind.id], "hidden": []})
    frame = published(raw[raw["period"] == int(year)].reset_index(drop=True), ind, config.privacy.min_count, 0.95)
    return _value_in(frame, year)


def published(raw: pd.DataFrame, indicator: Indicator, min_count: int, confidence: float) -> pd.DataFrame:
    """``stats.finish`` (rates, intervals, small counts suppressed), and a figure without counts kept on its value.

    ``finish`` keeps value-only rows itself once it marks them (column ``margin``); until then a single
    municipality's value-only row (``8,1`` for kinderen_armoede, no teller/noemer) would come out as NaN, so
    its own value is used. A region's value-only rows are never averaged here."""
    out = finish(raw, indicator, min_count, confidence)
    if out.empty or "margin" in out or indicator.eenheid not in (*SCALE, "aantal"):
        return out
    members = pd.to_numeric(out.get("municipalities"), errors="coerce")
    counted = pd.to_numeric(out.get("with_counts"), errors="coerce")
    mean = pd.to_numeric(out.get("mean_value"), errors="coerce")
    value_only = out["value"].isna() & ~out["suppressed"].astype(bool) & members.eq(1) & counted.eq(0) & mean.notna()
    out.loc[value_only, "value"] = mean[value_only]
    return out


def latest_figure(series: pd.DataFrame, period: int) -> dict:
    """The latest row up to ``period`` that holds a figure: published, or suppressed (a small count). Empty
    when there is none."""
    if series.empty:
        return {}
    has = series["value"].notna() | series["suppressed"].astype(bool)
    rows = series[has & (series["period"] <= period)]
    return rows.iloc[-1].to_dict() if len(rows) else {}


def member_series(store: Store, config: Config, member: pd.DataFrame, indicator: Indicator, code: str) -> pd.DataFrame:
    """A member municipality's own published series to draw beside its region's, through the disclosure plan:
    a year that would give away the other members' small count is hidden, with its rule."""
    return _disclosed(disclosure.plan(store, config, indicator.id), member, code)


def comparison_text(value: float | None, unit: str) -> str:
    """Nederland or the peers beside a card: ``7,4%``; for a yes/no indicator the share of municipalities with
    "ja" (``62% van de gemeenten``), never a bare "ja"."""
    if unit == "ja/nee" and value is not None and not pd.isna(value):
        return t("overview.yes_percent", share=fmt.number(value, 0))
    return fmt.value(value, unit)


def _value_in(series: pd.DataFrame, year: object) -> float | None:
    if year is None or series.empty:
        return None
    found = series.loc[series["period"] == year, "value"]
    return None if found.empty or pd.isna(found.iloc[0]) else float(found.iloc[0])


def has_margin(row: dict, unit: str) -> bool:
    """Does this figure come with counts (an interval, a judgement beyond its value)? Yes/no figures are a
    census and always count as having one."""
    if not row or unit == "ja/nee":
        return True
    if "margin" in row and row["margin"] is not None and not pd.isna(row["margin"]):
        return bool(row["margin"])
    counted = row.get("with_counts")
    if counted is not None and not pd.isna(counted):
        return int(counted) > 0
    return row.get("denominator") is not None and not pd.isna(row.get("denominator"))


def suppression_text(row: dict) -> str:
    """Why a figure is hidden, as the disclosure plan says it (which rule applied)."""
    found = row.get("suppression_reason")
    return found if isinstance(found, str) and found else t("chart.suppressed")


def figure_text(row: dict, unit: str) -> str:
    """A figure as people read it: ``7,4%``; a suppressed one says so; a yes/no figure over several
    municipalities is ``1 van 2 gemeenten``, never "ja"."""
    if not row:
        return "–"
    if row.get("suppressed"):
        rule = row.get("suppression")
        if isinstance(rule, str) and rule != disclosure.SMALL:  # hidden so others cannot be derived: say so
            return disclosure.short(rule, 0)
        return t("chart.suppressed")
    return value_text(row.get("value"), unit, row.get("municipalities"))


def value_text(value: object, unit: str, members: object = 1) -> str:
    """``fmt.value``, except that a yes/no share over several municipalities reads ``1 van 2 gemeenten``."""
    count = 1 if members is None or pd.isna(members) else int(members)
    if unit == "ja/nee" and count > 1 and value is not None and not pd.isna(value):
        return t("overview.yes_share", yes=round(float(value) / 100 * count), count=count)
    if unit == "ja/nee" and value is not None and not pd.isna(value):
        return fmt.value(float(value) / 100 if float(value) > 1 else float(value), unit)
    return fmt.value(None if value is None or pd.isna(value) else float(value), unit)


def _empty() -> pd.DataFrame:
    numbers = ["period", "numerator", "denominator", "mean_value"]
    texts = ["indicator_id", "source", "reference_date", "data_status"]
    columns = {c: pd.Series(dtype="float64") for c in numbers} | {c: pd.Series(dtype="object") for c in texts}
    return pd.DataFrame(columns)


# -- tables as the page shows them (Dutch headers and formats) ----------------------
def goal_table(goals: list[GoalProgress]) -> pd.DataFrame:
    """The goals of an ambition as the Doelen page lists them: status, the figure judged (its years, "zonder
    marge"), baseline and target, data status and the source's lag, and the smallest change the data can show."""
    rows = []
    for g in goals:
        ind = g.indicator
        rows.append(
            {
                t("overview.col_goal"): g.title,
                t("overview.col_status"): g.status,
                t("overview.col_indicator"): ind.naam if ind else "–",
                t("overview.col_latest"): goal_figure_text(g) if ind else "–",
                t("overview.col_baseline"): _with_year(g, g.baseline_value, g.baseline_year),
                t("overview.col_target"): _with_year(g, g.target_value, g.target_year),
                t("overview.col_data_status"): data_status_text(g.data_status) if g.latest else "–",
                t("overview.col_lag"): t("overview.lag", source=ind.bron, lag=ind.vertraging_jaren) if ind else "–",
                t("overview.col_detectable"): detect_text(g) or "–",
                t("overview.col_owner"): g.owner or "–",
            }
        )
    return pd.DataFrame(rows)


def _with_year(g: GoalProgress, value: float | None, year: int | None) -> str:
    if g.indicator is None or value is None or pd.isna(value):
        return "–"
    return f"{goal_value_text(g, value)} ({int(year)})" if year else goal_value_text(g, value)


def goal_value_text(g: GoalProgress, value: float | None) -> str:
    """A baseline, target or path value of a goal in its unit. Yes/no goals say 0/1 (nee/ja); over several
    municipalities that reads as "x van n gemeenten", like the figure."""
    unit = g.indicator.eenheid if g.indicator else ""
    if unit == "ja/nee" and value is not None and not pd.isna(value):
        return value_text(float(value) * 100 if float(value) <= 1 else float(value), unit, goal_members(g))
    return value_text(value, unit)


def goal_members(g: GoalProgress) -> int:
    """How many municipalities the goal's figure covers (1 for a municipality)."""
    found = (g.latest or {}).get("municipalities")
    return 1 if found is None or pd.isna(found) else int(found)


def goal_period_text(g: GoalProgress) -> str:
    """``2024``, or ``2022–2024`` when the goal is judged on years pooled."""
    if g.pooled:
        return f"{g.pooled[0]}–{g.pooled[1]}"
    return str(int(g.latest["period"])) if g.latest else "–"


def goal_figure_text(g: GoalProgress) -> str:
    """The figure a goal is judged on: ``7,4% in 2024``, ``7,1% in 2022–2024 (3 jaar samen)``, ``8,1% in 2023
    (zonder marge)``, ``1 van 2 gemeenten in 2024``; or that there is none."""
    if not g.latest:
        return t("overview.no_figure")
    unit = g.indicator.eenheid
    text = t("overview.figure_in", value=figure_text(g.latest, unit), period=goal_period_text(g))
    if g.pooled:
        text += " " + t("overview.pooled_years", years=g.pooled[1] - g.pooled[0] + 1)
    if not g.margin:
        text += " " + t("overview.no_margin_short")
    return text


def data_status_text(status: object) -> str:
    """``voorlopig``, ``definitief``, ``herzien`` (a figure without a status counts as definitief)."""
    return t(f"data_status.{status if isinstance(status, str) and status else 'definitief'}")


def provenance_text(g: GoalProgress) -> str:
    """``voorlopig; Perined loopt ongeveer 2 jaar achter``: where the judged figure stands and how late its
    source is (for the chart's sentence and the PDF)."""
    ind = g.indicator
    if not g.latest:
        return t("overview.lag", source=ind.bron, lag=ind.vertraging_jaren)
    return t("overview.provenance", status=data_status_text(g.data_status), source=ind.bron, lag=ind.vertraging_jaren)


def detect_text(g: GoalProgress) -> str | None:
    """What the data can show for this goal: ``in één jaar vanaf 1,2 procentpunt, over 3 jaar samen vanaf 0,7
    procentpunt (het doel: 0,5 procentpunt)``; None when it cannot be computed (no counts, yes/no)."""
    d = g.detectable or {}
    if g.indicator is None or d.get("one_year") is None:
        return None
    unit = g.indicator.eenheid
    return t(
        "overview.detectable",
        one=fmt.difference(d["one_year"], unit),
        years=d.get("years") or 1,
        pooled=fmt.difference(d.get("pooled"), unit),
        change=fmt.difference(d.get("target_change"), unit),
    )


def result_table(results: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("overview.col_result"): results["title"],
            t("overview.col_realised"): [
                f"{fmt.integer(r.realised)} / {fmt.integer(r.target)} {r.unit}" for r in results.itertuples()
            ],
            t("overview.col_due"): [fmt.day(d) for d in results["due_date"]],
        }
    )


def action_table(actions: pd.DataFrame) -> pd.DataFrame:
    """Latest or next actions: date, status and owner first (in view in a half-width column), then the text."""
    return pd.DataFrame(
        {
            t("overview.action_date"): [fmt.day(d) for d in actions["action_date"]],
            t("overview.action_status"): [t(f"action_status.{s}") for s in actions["status"]],
            t("overview.action_owner"): actions["owner"].fillna("–"),
            t("overview.action_title"): actions["title"],
            t("overview.action_goal"): actions["goal_title"].fillna("–"),
        }
    )


def card_value(kf: KeyFigure) -> str:
    """The card's figure: ``7,4%``, with its year when older than the chosen period (``7,4% (2023)``)."""
    text = figure_text(kf.current, kf.indicator.eenheid)
    return t("overview.value_year", value=text, year=kf.year) if kf.stale else text


@dataclass(frozen=True)
class Delta:
    """A card's change since the first published year, as ``st.metric`` shows it: the signed change, the verdict
    in words ("beter dan in 2019"), its colour and arrow. Better and worse are the indicator's direction applied
    to ``stats.change_direction`` (the one rule for "did it change?"), so colour never says more than the words."""

    text: str | None
    words: str | None = None
    colour: str = "gray"
    arrow: str = "off"


def card_delta(kf: KeyFigure) -> Delta:
    """The card's change since the first published year, judged in words (never by colour alone)."""
    ind = kf.indicator
    if kf.change is None:
        return Delta(None)
    year = int(kf.first["period"])
    text = fmt.signed(kf.change, ind.eenheid)
    direction = change_direction(kf.first, kf.current)
    if direction == 0:
        return Delta(text, t("overview.delta_same", year=year))
    better = {"lager_beter": direction < 0, "hoger_beter": direction > 0}.get(ind.richting)
    if better is None:  # a context indicator: higher or lower, no verdict
        return Delta(
            text, t("overview.delta_up" if direction > 0 else "overview.delta_down", year=year), "gray", "auto"
        )
    key = "overview.delta_better" if better else "overview.delta_worse"
    return Delta(text, t(key, year=year), "green" if better else "red", "auto")


def card_member(kf: KeyFigure) -> str | None:
    """``Amsterdam zelf: 7,2% (2023)`` beside a region's figure; held back or missing says so. None outside a
    regional coalition."""
    if kf.member_name is None:
        return None
    if not kf.member:
        return t("overview.member_none", name=kf.member_name)
    if kf.member.get("suppressed"):
        return t(
            "overview.member_hidden",
            name=kf.member_name,
            year=int(kf.member["period"]),
            reason=suppression_text(kf.member),
        )
    return t(
        "overview.member_figure",
        name=kf.member_name,
        value=figure_text(kf.member, kf.indicator.eenheid),
        year=int(kf.member["period"]),
    )


def card_source(kf: KeyFigure) -> str:
    """'Bron: ..., 2024; peildatum ...; status: ...' for the figure on the card."""
    row = kf.current
    return t(
        "overview.card_source",
        source=row.get("source") if isinstance(row.get("source"), str) else kf.indicator.bron,
        period=int(row["period"]),
        date=fmt.day(row.get("reference_date")),
        status=data_status_text(row.get("data_status")),
        lag=kf.indicator.vertraging_jaren,
    )
