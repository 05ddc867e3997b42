"""What the Overzicht page shows, assembled from the store (no Streamlit).

Every function takes the store and plain parameters and returns DataFrames or
dataclasses, so the page, the CLI and the tests use the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kansrijke.core import figures, fmt
from kansrijke.core.config import Config, Indicator
from kansrijke.core.i18n import t
from kansrijke.core.reference import DEMO_TODAY
from kansrijke.core.stats import finish, split_by_indicator
from kansrijke.core.store import Store


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
    """One indicator for an area: its series, the national series and the chosen period's row."""

    indicator: Indicator
    area: pd.DataFrame  # period, value, lower, upper, numerator, denominator, suppressed, source, ...
    national: pd.DataFrame  # period, value
    period: int
    current: dict = field(default_factory=dict)  # the area's row for ``period`` (empty when missing)
    national_value: float | None = None
    first: dict = field(default_factory=dict)  # the area's first published row
    peer_value: float | None = None  # pooled over the "vergelijkbare gemeenten" for ``period``

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
    read as the demo intends, whenever it is opened), the real date otherwise. Demo files from before meta
    ``demo_today`` existed use ``reference.DEMO_TODAY``."""
    if store.meta("demo") != "1":
        return dt.date.today()
    stored = store.meta("demo_today")
    return dt.date.fromisoformat(stored) if stored else DEMO_TODAY


def municipalities(store: Store) -> pd.DataFrame:
    return store.query("municipalities")


def periods(store: Store) -> list[int]:
    return [int(p) for p in store.query("periods")["period"]]


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
) -> list[KeyFigure]:
    """Series for ``indicator_ids`` pooled over ``codes``, with the national (and peer) figures beside them.

    The change on a card is counted from ``since[indicator]`` (the baseline year of the coalition's goal on
    that indicator) when given, else from the first published year."""
    indicators = [config.indicator(i) for i in indicator_ids]
    params = {"codes": list(codes), "indicators": [i.id for i in indicators]}
    area = split_by_indicator(store.query("pooled_series", params))
    nation = split_by_indicator(store.query("national_series", {"indicators": params["indicators"]}))
    peers = split_by_indicator(store.query("pooled_series", {**params, "codes": list(peer_codes or [])}))
    figures = []
    for ind in indicators:
        a = finish(area.get(ind.id, _empty()), ind, config.privacy.min_count, config.status.confidence_level)
        n = finish(nation.get(ind.id, _empty()), ind, config.privacy.min_count, config.status.confidence_level)
        a = a[a["period"] <= period].reset_index(drop=True)
        n = n[n["period"] <= period].reset_index(drop=True)
        current = a[a["period"] == period].to_dict("records")
        published = a[a["value"].notna()]
        if since and ind.id in since and (published["period"] == since[ind.id]).any():
            published = published[published["period"] >= since[ind.id]]
        published = published.to_dict("records")
        nat = n.loc[n["period"] == period, "value"]
        p = finish(peers.get(ind.id, _empty()), ind, config.privacy.min_count, config.status.confidence_level)
        peer = p.loc[p["period"] == period, "value"]
        figures.append(
            KeyFigure(
                indicator=ind,
                area=a,
                national=n,
                period=period,
                current=current[0] if current else {},
                national_value=None if nat.empty or pd.isna(nat.iloc[0]) else float(nat.iloc[0]),
                first=published[0] if published else {},
                peer_value=None if peer.empty or pd.isna(peer.iloc[0]) else float(peer.iloc[0]),
            )
        )
    return figures


def _empty() -> pd.DataFrame:
    numbers = ["period", "numerator", "denominator", "mean_value"]
    texts = ["indicator_id", "source", "reference_date", "data_status"]
    columns = {c: pd.Series(dtype="float64") for c in numbers} | {c: pd.Series(dtype="object") for c in texts}
    return pd.DataFrame(columns)


# -- tables as the page shows them (Dutch headers and formats) ----------------------
def goal_table(goals: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Goals with indicator, baseline and target in the indicator's unit."""

    def with_year(value: float, year: float, ind: Indicator | None) -> str:
        if ind is None or pd.isna(value):
            return "–"
        return f"{fmt.value(value, ind.eenheid)} ({int(year)})"

    rows = []
    for g in goals.itertuples():
        ind = config.indicator(g.indicator_id) if isinstance(g.indicator_id, str) else None
        rows.append(
            {
                t("overview.col_goal"): g.title,
                t("overview.col_indicator"): ind.naam if ind else "–",
                t("overview.col_baseline"): with_year(g.baseline_value, g.baseline_year, ind),
                t("overview.col_target"): with_year(g.target_value, g.target_year, ind),
                t("overview.col_owner"): g.owner or "–",
            }
        )
    return pd.DataFrame(rows)


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
    return pd.DataFrame(
        {
            t("overview.action_date"): [fmt.day(d) for d in actions["action_date"]],
            t("overview.action_title"): actions["title"],
            t("overview.action_owner"): actions["owner"].fillna("–"),
            t("overview.action_status"): [t(f"action_status.{s}") for s in actions["status"]],
            t("overview.action_goal"): actions["goal_title"].fillna("–"),
        }
    )


def card_delta(kf: KeyFigure) -> tuple[str | None, str]:
    """The metric delta text (change since the first published year) and its colour rule."""
    ind = kf.indicator
    colour = {"lager_beter": "inverse", "hoger_beter": "normal"}.get(ind.richting, "off")
    if kf.change is None:
        return None, colour
    return f"{fmt.signed(kf.change, ind.eenheid)} {t('overview.since', year=int(kf.first['period']))}", colour


def card_source(kf: KeyFigure) -> str:
    """'Bron: ..., 2024; peildatum ...; status: ...' for the chosen period's figure."""
    row = kf.current
    return t(
        "overview.card_source",
        source=kf.indicator.bron,
        period=int(row["period"]),
        date=fmt.day(row.get("reference_date")),
        status=t(f"data_status.{row['data_status']}"),
    )
