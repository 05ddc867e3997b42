"""Shared widgets: charts with their summary and numbers, tables, status badges, user text made inert."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from kansrijke.core.i18n import t
from kansrijke.plan.progress import STYLE


def figure(chart: Any, key: str) -> None:
    """A chart with its Dutch one-sentence summary (also the accessible name) and its numbers."""
    st.plotly_chart(
        chart.figure,
        key=key,
        width="stretch",
        config={"displaylogo": False, "locale": "nl"},
        alt=chart.summary,
    )
    st.caption(chart.summary)
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


def status_badge(status: str, count: int | None = None) -> None:
    """A status as colour, icon and word (never colour alone)."""
    label = status if count is None else f"{count} {status}"
    st.badge(label, icon=STYLE[status][1], color=BADGE_COLOURS[status])


def status_badges(counts: dict[str, int]) -> None:
    """Several statuses with their counts on one line (Markdown badges: colour, icon and word)."""
    st.markdown(" ".join(f":{BADGE_COLOURS[s]}-badge[{STYLE[s][1]} {n} {s}]" for s, n in counts.items()))


def table(frame: pd.DataFrame) -> None:
    st.dataframe(frame, hide_index=True, width="stretch")


def escape(text: object) -> str:
    """User text safe for Markdown: no live links, images or HTML."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    out = str(text)
    for ch in "\\`*_{}[]()<>#+-.!|~$":
        out = out.replace(ch, "\\" + ch)
    # GFM turns bare web and e-mail addresses into live links even when escaped: break the patterns with
    # an invisible word joiner (the text reads the same, nothing becomes clickable).
    out = re.sub(r"(?i)(https?|ftp|www|mailto)", lambda m: m.group(1)[0] + "\u2060" + m.group(1)[1:], out)
    return out.replace("@", "\u2060@")
