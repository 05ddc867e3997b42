"""Shared widgets: charts with their summary and numbers, tables, status badges, user text made inert, and the
one way a problem is shown to the user (``show_error``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.text import md_escape

# An empty topology as plotly.js's base-map source: a map never fetches world outlines from cdn.plot.ly.
NO_BASE_MAP = "data:application/json,%7B%22type%22%3A%22Topology%22%2C%22objects%22%3A%7B%7D%2C%22arcs%22%3A%5B%5D%7D#"


def figure(chart: Any, key: str) -> None:
    """A chart with its Dutch one-sentence summary (also the accessible name) and its numbers."""
    st.plotly_chart(
        chart.figure,
        key=key,
        width="stretch",
        config={"displaylogo": False, "locale": "nl", "topojsonURL": NO_BASE_MAP},
        alt=chart.summary,
    )
    st.caption(escape(chart.summary))  # a plain sentence that may name user text
    with st.expander(t("overview.chart_table")):
        st.dataframe(chart.table, hide_index=True, width="stretch")


BADGE_COLOURS = {
    "behaald": "green",
    "op koers": "blue",
    "aandacht nodig": "orange",
    "achter": "red",
    "verlopen": "red",
    "nog niet te beoordelen": "gray",
    "geen gegevens": "gray",
}
STATUS_ICONS = {  # Streamlit Material icons: never colour alone
    "behaald": ":material/check_circle:",
    "op koers": ":material/trending_up:",
    "aandacht nodig": ":material/warning:",
    "achter": ":material/trending_down:",
    "verlopen": ":material/event_busy:",
    "nog niet te beoordelen": ":material/help:",
    "geen gegevens": ":material/remove:",
}


def status_badge(status: str, count: int | None = None) -> None:
    """A status as colour, icon and word (never colour alone)."""
    label = status if count is None else f"{count} {status}"
    st.badge(label, icon=STATUS_ICONS[status], color=BADGE_COLOURS[status])


def status_badges(counts: dict[str, int]) -> None:
    """Several statuses with their counts on one line (Markdown badges: colour, icon and word)."""
    st.markdown(" ".join(f":{BADGE_COLOURS[s]}-badge[{STATUS_ICONS[s]} {n} {s}]" for s, n in counts.items()))


def table(frame: pd.DataFrame) -> None:
    st.dataframe(frame, hide_index=True, width="stretch")


escape = md_escape  # user text safe for Markdown: the core's one escaper, under the name the pages use


def error_markdown(error: UserError, title: str | None = None) -> str:
    """The Markdown of ``show_error``: bold title, the error's lead, one bullet per message (all escaped)."""
    head = [f"**{md_escape(title)}**"] if title else []
    if error.lead:
        head.append(md_escape(error.lead))
    if not head and len(error.messages) == 1:
        return md_escape(error.messages[0])
    return "\n\n".join(head + ["\n".join(f"- {md_escape(m)}" for m in error.messages)])


def show_error(
    error: UserError | str | Sequence[str], *, title: str | None = None, icon: str = ":material/error:"
) -> None:
    """Show a problem to the user: an optional bold ``title``, then every message of ``error`` (a ``UserError``,
    or Dutch sentences) escaped, one bullet each (a lone message without title stands as a sentence)."""
    if not isinstance(error, UserError):
        error = UserError(error)
    st.error(error_markdown(error, title), icon=icon)
