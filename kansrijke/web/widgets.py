"""Shared widgets: charts with their summary and numbers, tables, status badges, user text made inert, and the
one way a problem is shown to the user (``show_error``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from kansrijke.core import palette
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.text import md_escape
from kansrijke.plan.progress import status_legend as legend

# An empty topology as plotly.js's base-map source: a map never fetches world outlines from cdn.plot.ly.
NO_BASE_MAP = "data:application/json,%7B%22type%22%3A%22Topology%22%2C%22objects%22%3A%7B%7D%2C%22arcs%22%3A%5B%5D%7D#"


# plotly.js config of every chart: Dutch locale (decimal comma, Dutch names) and of the mode bar only
# "Grafiek downloaden als afbeelding (PNG)": one tab stop, named in Dutch (``core.palette.plotly_config``).
CHART_CONFIG = palette.plotly_config(topojsonURL=NO_BASE_MAP)


def figure(chart: Any, key: str) -> None:
    """A chart with its Dutch one-sentence summary (also the accessible name) and its numbers. The figure keeps
    its own colours (``theme=None``: Streamlit's theme would turn axis text grey, 3,7:1)."""
    config = {**CHART_CONFIG, "toImageButtonOptions": {**CHART_CONFIG["toImageButtonOptions"], "filename": key}}
    st.plotly_chart(chart.figure, key=key, width="stretch", theme=None, config=config, alt=chart.summary)
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


def status_legend() -> None:
    """What each status means (``progress.status_legend``), folded away under its question: badge and sentence."""
    with st.expander(t("progress.legend.heading"), icon=":material/help:"):
        st.markdown("\n".join(f"- :{BADGE_COLOURS[s]}-badge[{STATUS_ICONS[s]} {s}] {text}" for s, text in legend()))


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
