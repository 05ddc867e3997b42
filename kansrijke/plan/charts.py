"""Plotly figure builders. Each returns the figure, a one-sentence Dutch summary
(the chart's text alternative) and the table of numbers behind it.

Colours are the Okabe–Ito palette (safe for colour-blind readers) and every
series also differs in line style and marker, so colour is never the only cue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kansrijke.core import fmt
from kansrijke.core.config import Config
from kansrijke.core.figures import peers
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.plan import progress
from kansrijke.plan.overview import KeyFigure, comparison_series, goal_actions

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
                fill="toself",
                fillcolor="rgba(0,114,178,0.15)",
                line=dict(width=0),
                hoverinfo="skip",
                showlegend=False,
                name="95%-interval",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=area["period"],
            y=area["value"],
            name=area_name,
            mode="lines+markers",
            line=dict(color=BLUE, width=3),
            marker=dict(symbol="circle", size=7),
            hovertemplate="%{y:.1f}<extra>" + area_name + "</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=nation["period"],
            y=nation["value"],
            name=t("chart.series_national"),
            mode="lines+markers",
            line=dict(color=ORANGE, width=2, dash="dash"),
            marker=dict(symbol="diamond", size=7),
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
        t("chart.direction_flat")
        if abs(delta) <= tolerance
        else t("chart.direction_up")
        if delta > 0
        else t("chart.direction_down")
    )
    nat = kf.national.loc[kf.national["period"] == last["period"], "value"]
    national = fmt.value(None if nat.empty else float(nat.iloc[0]), ind.eenheid)
    return t(
        "chart.summary_trend",
        indicator=ind.naam,
        name=area_name,
        last=fmt.value(float(last["value"]), ind.eenheid),
        year=int(last["period"]),
        direction=direction,
        first_year=int(first["period"]),
        first=fmt.value(float(first["value"]), ind.eenheid),
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


# -- "turn the curve": one goal's history, path, interval, comparison lines, actions and source lag ------
GREEN, SKY, VERMILION, PURPLE = "#009E73", "#56B4E9", "#D55E00", "#CC79A7"


def _year_fraction(day: object) -> float:
    stamp = pd.Timestamp(day)
    return stamp.year + (stamp.dayofyear - 1) / 366


def goal_chart(
    goal,
    national: pd.DataFrame | None,
    peer: pd.DataFrame | None,
    actions: pd.DataFrame,
    today,
    area_name: str,
    height: int = 340,
) -> Chart:
    """The curve of one goal (a ``progress.GoalProgress`` with its series): history with interval band,
    baseline, the expected path to the target, the latest value with its interval, national and peer
    lines, the goal's actions as markers and a band for the period the source has not yet covered."""
    ind = goal.indicator
    unit = ind.eenheid
    area = goal.series[goal.series["value"].notna()] if goal.series is not None else pd.DataFrame()
    fig = go.Figure()
    if not area.empty and area["lower"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=list(area["period"]) + list(area["period"][::-1]),
                y=list(area["upper"]) + list(area["lower"][::-1]),
                fill="toself",
                fillcolor="rgba(0,114,178,0.13)",
                line=dict(width=0),
                hoverinfo="skip",
                name=t("chart.goal_interval"),
                showlegend=True,
            )
        )
    if not area.empty:
        fig.add_trace(
            go.Scatter(
                x=area["period"],
                y=area["value"],
                name=area_name,
                mode="lines+markers",
                line=dict(color=BLUE, width=3),
                marker=dict(symbol="circle", size=7),
                hovertemplate="%{y:.1f}<extra>" + area_name + "</extra>",
            )
        )
    for frame, name, colour, dash, symbol in (
        (national, t("chart.series_national"), ORANGE, "dash", "diamond"),
        (peer, t("chart.series_peers"), PURPLE, "dot", "square"),
    ):
        if frame is not None and not frame.empty:
            shown = frame[frame["value"].notna()]
            fig.add_trace(
                go.Scatter(
                    x=shown["period"],
                    y=shown["value"],
                    name=name,
                    mode="lines+markers",
                    line=dict(color=colour, width=2, dash=dash),
                    marker=dict(symbol=symbol, size=6),
                    hovertemplate="%{y:.1f}<extra>" + name + "</extra>",
                )
            )
    has_path = goal.baseline_value is not None and goal.target_value is not None and goal.target_year
    if has_path:
        fig.add_trace(
            go.Scatter(
                x=[goal.baseline_year, goal.target_year],
                y=[goal.baseline_value, goal.target_value],
                name=t("chart.goal_path"),
                mode="lines+markers",
                line=dict(color=GREEN, width=2, dash="longdash"),
                marker=dict(symbol=["circle-open", "star"], size=[11, 15], color=GREEN),
                hovertemplate="%{x}: %{y:.1f}<extra>" + t("chart.goal_path") + "</extra>",
            )
        )
    if goal.latest:
        latest = goal.latest
        error = None
        if not pd.isna(latest.get("lower")):
            error = dict(
                type="data",
                symmetric=False,
                array=[latest["upper"] - latest["value"]],
                arrayminus=[latest["value"] - latest["lower"]],
                color=BLUE,
                thickness=2,
                width=8,
            )
        fig.add_trace(
            go.Scatter(
                x=[latest["period"]],
                y=[latest["value"]],
                mode="markers",
                name=t("chart.goal_latest"),
                error_y=error,
                marker=dict(symbol="circle", size=13, color="white", line=dict(color=BLUE, width=3)),
                hovertemplate="%{y:.1f}<extra>" + t("chart.goal_latest") + "</extra>",
            )
        )
    values = pd.concat(
        [
            area.get("value", pd.Series(dtype=float)),
            area.get("upper", pd.Series(dtype=float)),
            pd.Series([goal.baseline_value, goal.target_value], dtype=float),
        ]
    ).dropna()
    top = float(values.max()) * 1.1 if not values.empty else 1.0
    if len(actions):
        xs = [_year_fraction(d) for d in actions["action_date"]]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[0.0] * len(xs),
                mode="markers",
                name=t("chart.goal_actions"),
                marker=dict(symbol="triangle-up", size=12, color=VERMILION, line=dict(color="white", width=1)),
                text=[str(v) for v in actions["title"]],
                hovertemplate="%{text}<extra></extra>",
                cliponaxis=False,
            )
        )
    last_period = int(area["period"].max()) if not area.empty else today.year - ind.vertraging_jaren
    now = _year_fraction(today)
    if now > last_period + 0.5:
        fig.add_vrect(
            x0=last_period + 0.5,
            x1=now,
            fillcolor="rgba(120,120,120,0.12)",
            line_width=0,
            annotation_text=t("chart.goal_lag_band", lag=ind.vertraging_jaren),
            annotation_position="top left",
            annotation_font_size=11,
            annotation_font_color="#404040",
        )
    _base_layout(fig, height)
    fig.update_yaxes(range=[0, top], title_text=unit if unit != "aantal" else None)
    first = float(area["period"].min()) if not area.empty else now - 6
    last = max(now, float(goal.target_year or 0), float(last_period))
    fig.update_xaxes(range=[first - 0.5, last + 0.5], dtick=1 if last - first < 9 else 2)
    return Chart(fig, goal_summary(goal, area_name, len(actions)), goal_table(goal, national, peer))


def goal_summary(goal, area_name: str, n_actions: int) -> str:
    unit = goal.indicator.eenheid
    if not goal.latest:
        return t("chart.goal_summary_nodata", goal=goal.title, name=area_name, status=goal.status)
    return t(
        "chart.goal_summary",
        goal=goal.title,
        name=area_name,
        value=fmt.value(goal.latest["value"], unit),
        period=int(goal.latest["period"]),
        base=fmt.value(goal.baseline_value, unit),
        base_year=goal.baseline_year,
        target=fmt.value(goal.target_value, unit),
        target_year=goal.target_year,
        status=goal.status,
        actions=n_actions,
    )


def goal_table(goal, national: pd.DataFrame | None, peer: pd.DataFrame | None) -> pd.DataFrame:
    unit = goal.indicator.eenheid
    nat = national.set_index("period")["value"] if national is not None and not national.empty else pd.Series()
    peers = peer.set_index("period")["value"] if peer is not None and not peer.empty else pd.Series()
    rows = []
    series = goal.series if goal.series is not None else pd.DataFrame(columns=["period"])
    for row in series.itertuples():
        path = None
        if (
            goal.baseline_value is not None
            and goal.target_value is not None
            and goal.target_year
            and goal.baseline_year <= row.period <= goal.target_year
        ):
            share = (row.period - goal.baseline_year) / (goal.target_year - goal.baseline_year)
            path = goal.baseline_value + (goal.target_value - goal.baseline_value) * share
        rows.append(
            {
                t("chart.col_year"): str(int(row.period)),
                t("chart.col_value"): t("chart.suppressed") if row.suppressed else fmt.value(row.value, unit),
                "95%-interval": "–" if pd.isna(row.lower) else f"{fmt.number(row.lower)} – {fmt.number(row.upper)}",
                t("chart.goal_path"): fmt.value(path, unit),
                t("chart.col_national"): fmt.value(nat.get(row.period), unit),
                t("chart.series_peers"): fmt.value(peers.get(row.period), unit),
                t("chart.col_source"): row.source if isinstance(row.source, str) else "–",
            }
        )
    return pd.DataFrame(rows)


def goal_charts(
    store: Store, config: Config, coalition_id: str, period: int, today: dt.date, code: str, area_name: str
) -> dict[str, Chart]:
    """The "turn the curve" chart of every goal with an indicator, by goal id (cached as one unit by the page)."""
    state = progress.coalition_progress(store, config, coalition_id, period, today)
    goals = [g for a in state.ambitions for g in a.goals if g.indicator is not None and g.series is not None]
    ids = sorted({g.indicator.id for g in goals})
    national, peer_series = comparison_series(store, config, ids, peers(store, config, code))
    actions = goal_actions(store, coalition_id)
    return {
        g.id: goal_chart(
            g,
            national.get(g.indicator.id),
            peer_series.get(g.indicator.id),
            actions[actions["goal_id"] == g.id],
            today,
            area_name,
        )
        for g in goals
    }
