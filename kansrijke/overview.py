"""What the Overzicht page shows, assembled from the store (no Streamlit).

Every function takes the store and plain parameters and returns DataFrames or
dataclasses, so the page, the CLI and the tests use the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from .config import Config, Indicator
from .indicators import finish, split_by_indicator
from .store import Store


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

    @property
    def change(self) -> float | None:
        if not self.current or not self.first or self.current.get("period") == self.first.get("period"):
            return None
        a, b = self.current.get("value"), self.first.get("value")
        if a is None or b is None or pd.isna(a) or pd.isna(b):
            return None
        return float(a) - float(b)


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


def key_figures(store: Store, config: Config, codes: list[str], indicator_ids: list[str], period: int) -> list[KeyFigure]:
    """Series for ``indicator_ids`` pooled over ``codes``, with the national series beside them."""
    indicators = [config.indicator(i) for i in indicator_ids]
    params = {"codes": list(codes), "indicators": [i.id for i in indicators]}
    area = split_by_indicator(store.query("pooled_series", params))
    nation = split_by_indicator(store.query("national_series", {"indicators": params["indicators"]}))
    figures = []
    for ind in indicators:
        a = finish(area.get(ind.id, _empty()), ind, config.privacy.min_count, config.status.confidence_level)
        n = finish(nation.get(ind.id, _empty()), ind, config.privacy.min_count, config.status.confidence_level)
        a = a[a["period"] <= period].reset_index(drop=True)
        n = n[n["period"] <= period].reset_index(drop=True)
        current = a[a["period"] == period].to_dict("records")
        published = a[a["value"].notna()].to_dict("records")
        nat = n.loc[n["period"] == period, "value"]
        figures.append(
            KeyFigure(
                indicator=ind,
                area=a,
                national=n,
                period=period,
                current=current[0] if current else {},
                national_value=None if nat.empty or pd.isna(nat.iloc[0]) else float(nat.iloc[0]),
                first=published[0] if published else {},
            )
        )
    return figures


def _empty() -> pd.DataFrame:
    cols = ["indicator_id", "period", "numerator", "denominator", "mean_value", "source", "reference_date", "data_status"]
    return pd.DataFrame({c: pd.Series(dtype="float64" if c not in ("indicator_id", "source", "data_status") else "object") for c in cols})
