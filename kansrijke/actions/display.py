"""How the action log looks on the page and in the charts: each status's colour, Plotly marker and text symbol
(never colour alone), and the actions table with Dutch column names and values. The domain (``log``) keeps
only the statuses and their words."""

from __future__ import annotations

import pandas as pd

from kansrijke.actions.log import ActionFilter, _as_list, search, show
from kansrijke.core import fmt, palette
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

# Never colour alone: each status has a symbol (table) and a marker shape (timeline) besides its colour;
# the colours reach 3:1 on the white plot (``core.palette``).
STATUS_STYLE = {  # status: (colour, plotly marker, text symbol)
    "gepland": (palette.SKY, "circle-open", "○"),
    "lopend": (palette.ORANGE, "triangle-right", "▶"),
    "afgerond": (palette.GREEN, "circle", "●"),
    "vervallen": (palette.GREY, "x-thin-open", "✕"),
}


def status_text(status: str) -> str:
    """A status with its symbol, so a table never relies on colour: '● afgerond'."""
    return f"{STATUS_STYLE[status][2]} {t(f'action_status.{status}')}" if status in STATUS_STYLE else status


def table(rows: pd.DataFrame) -> pd.DataFrame:
    """The actions table of the page, with Dutch column names and values; the short key columns (number, date,
    status, owner) first, so a long title never pushes them out of sight at 1280 px."""
    return pd.DataFrame(
        {
            t("actions_page.col.id"): rows["id"].astype(int).to_numpy(),
            t("actions_page.col.date"): [fmt.day(d) for d in rows["action_date"]],
            t("actions_page.col.status"): [status_text(s) for s in rows["status"]],
            t("actions_page.col.owner"): rows["owner"].fillna("–").to_numpy(),
            t("actions_page.col.title"): rows["title"].to_numpy(),
            t("actions_page.col.goal"): rows["goal_title"].fillna("–").to_numpy(),
            t("actions_page.col.principles"): [show("principles", _as_list(p)) for p in rows["principles"]],
            t("actions_page.col.partners"): [show("partners", _as_list(p)) for p in rows["partners"]],
            t("actions_page.col.level"): rows["level"].fillna("–").to_numpy(),
        }
    )


def page_rows(store: Store, coalition_id: str, filt: ActionFilter) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """What the page lists: (number matching, the newest ``TABLE_LIMIT`` raw rows, the same as display table)."""
    total, rows = search(store, coalition_id, filt)
    return total, rows, table(rows)
