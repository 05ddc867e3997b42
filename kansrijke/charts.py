"""Plotly figure builders. Each returns the figure, a one-sentence Dutch summary
(the chart's text alternative) and the table of numbers behind it.

Colours are the Okabe–Ito palette (safe for colour-blind readers) and every
series also differs in line style and marker, so colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from . import fmt
from .i18n import t
from .overview import KeyFigure

BLUE, ORANGE, GREY = "#0072B2", "#E69F00", "#595959"
FONT = "Source Sans Pro, Arial, sans-serif"


@dataclass
class Chart:
    figure: go.Figure
    summary: str
    table: pd.DataFrame


def _base_layout(fig: go.Figure, height: int) -> None:
    fig.update_layout(
        height=height,
        margin=dict(l=8, r=8, t=8, b=8),
        font=dict(family=FONT, size=13, color="#1a1a1a"),
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        hovermode="x unified",
        separators=",.",
    )
    fig.update_xaxes(showgrid=False, dtick=2, tickformat="d", linecolor="#8c8c8c")
    fig.update_yaxes(gridcolor="#e6e6e6", zeroline=False, rangemode="tozero")


def trend(kf: KeyFigure, area_name: str, height: int = 220) -> Chart:
    """Small trend of an area against the national figure, with the area's 95% interval as a band."""
    area = kf.area[kf.area["value"].notna()]
    nation = kf.national[kf.national["value"].notna()]
    fig = go.Figure()
    if area["lower"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=list(area["period"]) + list(area["period"][::-1]),
                y=list(area["upper"]) + list(area["lower"][::-1]),
                fill="toself", fillcolor="rgba(0,114,178,0.15)", line=dict(width=0),
                hoverinfo="skip", showlegend=False, name="95%-interval",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=area["period"], y=area["value"], name=area_name, mode="lines+markers",
            line=dict(color=BLUE, width=3), marker=dict(symbol="circle", size=7),
            hovertemplate="%{y:.1f}<extra>" + area_name + "</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=nation["period"], y=nation["value"], name=t("chart.series_national"), mode="lines+markers",
            line=dict(color=ORANGE, width=2, dash="dash"), marker=dict(symbol="diamond", size=7),
            hovertemplate="%{y:.1f}<extra>" + t("chart.series_national") + "</extra>",
        )
    )
    _base_layout(fig, height)
    return Chart(fig, trend_summary(kf, area_name), trend_table(kf))


def trend_summary(kf: KeyFigure, area_name: str) -> str:
    ind = kf.indicator
    published = kf.area[kf.area["value"].notna()]
    if published.empty:
        return t("chart.summary_trend_nodata", indicator=ind.naam, name=area_name)
    first, last = published.iloc[0], published.iloc[-1]
    delta = float(last["value"]) - float(first["value"])
    tolerance = 0.05 * max(abs(float(first["value"])), 1e-9)
    direction = (
        t("chart.direction_flat") if abs(delta) <= tolerance
        else t("chart.direction_up") if delta > 0 else t("chart.direction_down")
    )
    nat = kf.national.loc[kf.national["period"] == last["period"], "value"]
    national = fmt.value(None if nat.empty else float(nat.iloc[0]), ind.eenheid)
    return t(
        "chart.summary_trend", indicator=ind.naam, name=area_name,
        last=fmt.value(float(last["value"]), ind.eenheid), year=int(last["period"]),
        direction=direction, first_year=int(first["period"]), first=fmt.value(float(first["value"]), ind.eenheid),
        national=national,
    )


def trend_table(kf: KeyFigure) -> pd.DataFrame:
    """The numbers behind the trend chart, formatted in Dutch."""
    ind = kf.indicator
    nat = kf.national.set_index("period")["value"]
    rows = []
    for row in kf.area.itertuples():
        rows.append(
            {
                t("chart.col_year"): str(int(row.period)),
                t("chart.col_value"): t("chart.suppressed") if row.suppressed else fmt.value(row.value, ind.eenheid),
                "95%-interval": "–" if pd.isna(row.lower) else f"{fmt.number(row.lower)} – {fmt.number(row.upper)}",
                t("chart.col_numerator"): fmt.integer(row.numerator) if not pd.isna(row.numerator) else "–",
                t("chart.col_denominator"): fmt.integer(row.denominator) if not pd.isna(row.denominator) else "–",
                t("chart.col_national"): fmt.value(nat.get(row.period), ind.eenheid),
                t("chart.col_status"): t(f"data_status.{row.data_status}") if isinstance(row.data_status, str) else "–",
            }
        )
    return pd.DataFrame(rows)
