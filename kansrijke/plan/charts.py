"""Plotly figure builders. Each returns the figure, a one-sentence Dutch summary
(the chart's text alternative) and the table of numbers behind it.

Colours, font and base layout come from ``core.palette`` (Okabe–Ito hues dark enough on white; text
>= 4,5:1) and every series also differs in line style and marker, so colour is never the only cue. Rates
get a y-axis that follows the data (not forced to 0) and every time axis shows whole years.

User text (coalition and municipality names, action titles) enters a figure only through
``core.text.chart_text``, so Plotly draws it as typed (never a link or markup); summaries stay plain text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kansrijke.core import fmt, palette
from kansrijke.core.config import Config
from kansrijke.core.figures import peers
from kansrijke.core.i18n import t
from kansrijke.core.stats import change_direction, split_by_indicator
from kansrijke.core.store import Store
from kansrijke.core.text import chart_text
from kansrijke.plan import progress
from kansrijke.plan.overview import (
    KeyFigure,
    comparison_series,
    comparison_text,
    data_status_text,
    figure_text,
    goal_actions,
    goal_figure_text,
    goal_members,
    goal_value_text,
    member_series,
    provenance_text,
    published,
    suppression_text,
)

BLUE, ORANGE, GREY = palette.BLUE, palette.ORANGE, palette.GREY
FONT = palette.FONT


@dataclass
class Chart:
    figure: go.Figure
    summary: str
    table: pd.DataFrame


def _base_layout(fig: go.Figure, height: int) -> None:
    palette.base_layout(fig, height, hovermode="x unified")
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor=palette.GRID, zeroline=False)


def _values(*series: object) -> list[float]:
    """Every number of the given Series/lists/scalars (None and NaN left out): what a y range must show."""
    out: list[float] = []
    for s in series:
        items = s if isinstance(s, (list, tuple, pd.Series)) else [s]
        out += [float(v) for v in items if v is not None and not pd.isna(v)]
    return out


def trend(kf: KeyFigure, area_name: str, height: int = 220) -> Chart:
    """Small trend of an area against the national figure, with the area's 95% interval as a band."""
    area = kf.area[kf.area["value"].notna()]
    nation = kf.national[kf.national["value"].notna()]
    fig = go.Figure()
    label = chart_text(area_name)
    if area["lower"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=list(area["period"]) + list(area["period"][::-1]),
                y=list(area["upper"]) + list(area["lower"][::-1]),
                fill="toself",
                fillcolor=palette.BAND,
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
            name=label,
            mode="lines+markers",
            line=dict(color=BLUE, width=3),
            marker=dict(symbol="circle", size=7),
            hovertemplate="%{y:.1f}<extra>" + label + "</extra>",
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
    periods = _values(area["period"], nation["period"])
    if periods:
        palette.year_axis(fig, min(periods), max(periods), range=[min(periods) - 0.3, max(periods) + 0.3])
    shown = palette.value_range(_values(area["value"], area["lower"], area["upper"], nation["value"]))
    if shown is not None:
        fig.update_yaxes(range=shown)
    return Chart(fig, trend_summary(kf, area_name), trend_table(kf))


def trends(figures: list[KeyFigure], area_name: str) -> dict[str, Chart]:
    """``trend`` of every key figure, by indicator id (cached as one unit by the page)."""
    return {kf.indicator.id: trend(kf, area_name) for kf in figures}


def trend_summary(kf: KeyFigure, area_name: str) -> str:
    ind = kf.indicator
    published = kf.area[kf.area["value"].notna()]
    if published.empty:
        return t("chart.summary_trend_nodata", indicator=ind.naam, name=area_name)
    first, last = published.iloc[0], published.iloc[-1]
    change = change_direction(first.to_dict(), last.to_dict())  # the cards' rule: the same words for the same change
    direction = t({1: "chart.direction_up", -1: "chart.direction_down", 0: "chart.direction_flat"}[change])
    nat = kf.national.loc[kf.national["period"] == last["period"], "value"]
    national = comparison_text(None if nat.empty else float(nat.iloc[0]), ind.eenheid)
    return t(
        "chart.summary_trend",
        indicator=ind.naam,
        name=area_name,
        last=figure_text(last.to_dict(), ind.eenheid),
        year=int(last["period"]),
        direction=direction,
        first_year=int(first["period"]),
        first=figure_text(first.to_dict(), ind.eenheid),
        national=national,
    )


def trend_table(kf: KeyFigure) -> pd.DataFrame:
    """The numbers behind the trend chart, formatted in Dutch."""
    ind = kf.indicator
    nat = kf.national.set_index("period")["value"]
    rows = []
    for row in kf.area.itertuples(index=False):
        rows.append(
            {
                t("chart.col_year"): str(int(row.period)),
                t("chart.col_value"): figure_text(row._asdict(), ind.eenheid),
                "95%-interval": "–" if pd.isna(row.lower) else f"{fmt.number(row.lower)} – {fmt.number(row.upper)}",
                t("chart.col_numerator"): fmt.integer(row.numerator) if not pd.isna(row.numerator) else "–",
                t("chart.col_denominator"): fmt.integer(row.denominator) if not pd.isna(row.denominator) else "–",
                t("chart.col_national"): comparison_text(nat.get(row.period), ind.eenheid),
                t("chart.col_status"): data_status_text(row.data_status),
            }
        )
    return pd.DataFrame(rows)


# -- "turn the curve": one goal's history, path, interval, comparison lines, actions and source lag ------
GREEN, SKY, VERMILION, PURPLE = palette.GREEN, palette.SKY, palette.VERMILION, palette.PURPLE


def _year_fraction(day: object) -> float:
    stamp = pd.Timestamp(day)
    return stamp.year + (stamp.dayofyear - 1) / 366


def _path_value(goal, value: float | None) -> float | None:
    """A baseline or target on the series' scale: yes/no goals say 0/1, their series is the share with "ja" in %."""
    if value is None or goal.indicator.eenheid != "ja/nee":
        return value
    return value * 100 if value <= 1 else value


def goal_chart(
    goal,
    national: pd.DataFrame | None,
    peer: pd.DataFrame | None,
    actions: pd.DataFrame,
    today,
    area_name: str,
    height: int = 340,
    member: tuple[str, pd.DataFrame] | None = None,
) -> Chart:
    """The curve of one goal (a ``progress.GoalProgress`` with its series): history with interval band,
    baseline, the expected path to the target, the latest value with its interval (over the pooled years when
    the goal is judged on years pooled), national and peer lines, in a regional coalition the chosen member's
    own line (``member``: name and ``member_series``), the goal's actions as markers and a band for the period
    the source has not yet covered."""
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
                fillcolor=palette.BAND,
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
                name=chart_text(area_name),
                mode="lines+markers",
                line=dict(color=BLUE, width=3),
                marker=dict(symbol="circle", size=7),
                hovertemplate="%{y:.1f}<extra>" + chart_text(area_name) + "</extra>",
            )
        )
    own_name = None
    if member is not None:
        own_name = t("overview.member_series", name=chart_text(member[0]))
    for frame, name, colour, dash, symbol in (
        (national, t("chart.series_national"), ORANGE, "dash", "diamond"),
        (peer, t("chart.series_peers"), PURPLE, "dot", "square"),
        (member[1] if member is not None else None, own_name, SKY, "dashdot", "triangle-down"),
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
    base, target = _path_value(goal, goal.baseline_value), _path_value(goal, goal.target_value)
    has_path = base is not None and target is not None and goal.target_year
    if has_path:
        fig.add_trace(
            go.Scatter(
                x=[goal.baseline_year, goal.target_year],
                y=[base, target],
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
        x, span, label = latest["period"], None, t("chart.goal_latest")
        if goal.pooled:  # judged on years pooled: the point sits mid-window with a bar over the years it covers
            first, last = goal.pooled
            x = (first + last) / 2
            span = dict(type="constant", value=(last - first) / 2, color=BLUE, thickness=2, width=0)
            label = t("chart.goal_latest_pooled", first=first, last=last)
        fig.add_trace(
            go.Scatter(
                x=[x],
                y=[latest["value"]],
                mode="markers",
                name=label,
                error_y=error,
                error_x=span,
                marker=dict(symbol="circle", size=13, color="white", line=dict(color=BLUE, width=3)),
                hovertemplate="%{y:.1f}<extra>" + label + "</extra>",
            )
        )
    now = _year_fraction(today)
    first = float(area["period"].min()) if not area.empty else now - 6
    comparisons = [  # the comparison lines as far as the x axis shows them
        f.loc[f["period"] >= first, "value"]
        for f in (national, peer, member[1] if member is not None else None)
        if f is not None and not f.empty
    ]
    latest_values = [goal.latest.get(k) for k in ("value", "lower", "upper")] if goal.latest else []
    shown = palette.value_range(
        _values(area.get("value"), area.get("lower"), area.get("upper"), *comparisons, base, target, *latest_values)
    ) or [0.0, 1.0]
    if len(actions):  # the actions sit on the bottom of the plot, whatever the range
        xs = [_year_fraction(d) for d in actions["action_date"]]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[shown[0]] * len(xs),
                mode="markers",
                name=t("chart.goal_actions"),
                marker=dict(symbol="triangle-up", size=12, color=VERMILION, line=dict(color=palette.TEXT, width=1)),
                text=[chart_text(v) for v in actions["title"]],
                hovertemplate="%{text}<extra></extra>",
                cliponaxis=False,
            )
        )
    last_period = int(area["period"].max()) if not area.empty else today.year - ind.vertraging_jaren
    if now > last_period + 0.5:
        fig.add_vrect(
            x0=last_period + 0.5,
            x1=now,
            fillcolor=palette.LAG_BAND,
            line_width=0,
            layer="below",  # under the lines and markers: the path's star keeps its colour
            annotation_text=t("chart.goal_lag_band", lag=ind.vertraging_jaren),
            annotation_position="top left",
            annotation_font_size=11,
            annotation_font_color=palette.TEXT_MUTED,
        )
    _base_layout(fig, height)
    axis = {"aantal": None, "ja/nee": t("chart.axis_yes_share")}.get(unit, unit)
    fig.update_yaxes(range=shown, title_text=chart_text(axis))
    last = max(now, float(goal.target_year or 0), float(last_period))
    palette.year_axis(fig, first, last, range=[first - 0.5, last + 0.5])
    own = member[0] if member is not None else None
    return Chart(
        fig,
        goal_summary(goal, area_name, len(actions), own, member[1] if member is not None else None),
        goal_table(goal, national, peer, member),
    )


def goal_summary(
    goal, area_name: str, n_actions: int, member_name: str | None = None, member: pd.DataFrame | None = None
) -> str:
    """The chart's sentence (its text alternative): the figure judged (its years when pooled, "zonder marge",
    "x van n gemeenten"), baseline, target, status, data status and the source's lag, the member's own figure,
    and a suspended source."""
    if not goal.latest:
        text = t("chart.goal_summary_nodata", goal=goal.title, name=area_name, status=goal.status)
        if goal.indicator is not None:  # why there is no figure yet: how late the source is
            text += " " + t("chart.goal_summary_lag", source=goal.indicator.bron, lag=goal.indicator.vertraging_jaren)
    else:
        text = t(
            "chart.goal_summary",
            goal=goal.title,
            name=area_name,
            figure=goal_figure_text(goal),
            base=goal_value_text(goal, goal.baseline_value),
            base_year=goal.baseline_year,
            target=goal_value_text(goal, goal.target_value),
            target_year=goal.target_year,
            status=goal.status,
            provenance=provenance_text(goal),
            actions=t("chart.goal_actions_count", count=n_actions),
        )
    parts = [text]
    if goal.pooled:
        first, last = goal.pooled
        parts.append(t("chart.goal_pooled", first=first, last=last, years=last - first + 1))
    if member_name is not None:
        parts.append(_member_sentence(goal, member_name, member))
    if goal.caveat:
        parts.append(goal.caveat)
    return " ".join(parts)


def _member_sentence(goal, name: str, member: pd.DataFrame | None) -> str:
    shown = None if member is None else member[member["value"].notna() | member["suppressed"].astype(bool)]
    if shown is None or shown.empty:
        return t("chart.member_none", name=name)
    row = shown.iloc[-1].to_dict()
    if row.get("suppressed"):
        return t("chart.member_hidden", name=name, year=int(row["period"]), reason=suppression_text(row))
    return t("chart.member_figure", name=name, value=figure_text(row, goal.indicator.eenheid), year=int(row["period"]))


def goal_table(
    goal,
    national: pd.DataFrame | None,
    peer: pd.DataFrame | None,
    member: tuple[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """The numbers behind a goal's chart, per year: figure, interval, path, Nederland, peers, the member's own
    figure (regional coalitions), source with its lag and data status; and the pooled window the goal is
    judged on, when it is."""
    ind = goal.indicator
    unit = ind.eenheid
    nat = national.set_index("period")["value"] if national is not None and not national.empty else pd.Series()
    peers = peer.set_index("period")["value"] if peer is not None and not peer.empty else pd.Series()
    own = member[1].set_index("period") if member is not None and not member[1].empty else None
    members = goal_members(goal)
    rows = []
    series = goal.series if goal.series is not None else pd.DataFrame(columns=["period"])
    base, target = _path_value(goal, goal.baseline_value), _path_value(goal, goal.target_value)
    for row in series.itertuples(index=False):
        path = None
        on_path = goal.target_year and goal.baseline_year <= row.period <= goal.target_year
        if base is not None and target is not None and on_path:
            share = (row.period - goal.baseline_year) / (goal.target_year - goal.baseline_year)
            path = base + (target - base) * share
        record = {
            t("chart.col_year"): str(int(row.period)),
            t("chart.col_value"): figure_text(row._asdict(), unit),
            "95%-interval": "–" if pd.isna(row.lower) else f"{fmt.number(row.lower)} – {fmt.number(row.upper)}",
            t("chart.goal_path"): _path_text(path, unit, members),
            t("chart.col_national"): comparison_text(nat.get(row.period), unit),
            t("chart.series_peers"): comparison_text(peers.get(row.period), unit),
        }
        if member is not None:
            record[t("overview.member_series", name=member[0])] = _member_cell(own, row.period, unit)
        record[t("chart.col_source")] = t(
            "chart.source_lag",
            source=row.source if isinstance(row.source, str) else ind.bron,
            lag=ind.vertraging_jaren,
        )
        record[t("chart.col_status")] = data_status_text(getattr(row, "data_status", None))
        rows.append(record)
    if goal.pooled and goal.latest:
        first, last = goal.pooled
        latest = goal.latest
        low, high = latest.get("lower"), latest.get("upper")
        rows.append(
            {
                t("chart.col_year"): t("chart.pooled_row", first=first, last=last),
                t("chart.col_value"): figure_text(latest, unit),
                "95%-interval": "–" if low is None or pd.isna(low) else f"{fmt.number(low)} – {fmt.number(high)}",
                t("chart.col_status"): data_status_text(goal.data_status),
            }
        )
    return pd.DataFrame(rows).fillna("–") if rows else pd.DataFrame(rows)


def _path_text(path: float | None, unit: str, members: int) -> str:
    if path is None:
        return "–"
    return (
        t("chart.path_share", share=fmt.number(path, 0))
        if unit == "ja/nee" and members > 1
        else fmt.value(path / 100 if unit == "ja/nee" else path, unit)
    )


def _member_cell(own: pd.DataFrame | None, period: int, unit: str) -> str:
    if own is None or period not in own.index:
        return "–"
    row = own.loc[period].to_dict()
    return suppression_text(row) if row.get("suppressed") else figure_text(row, unit)


def goal_charts(
    store: Store,
    config: Config,
    coalition_id: str,
    period: int,
    today: dt.date,
    code: str,
    area_name: str,
    member_name: str | None = None,
) -> dict[str, Chart]:
    """The "turn the curve" chart of every goal with an indicator, by goal id (cached as one unit by the page).
    In a regional coalition, ``code`` (the chosen member, named ``member_name``) gets its own line beside the
    region's, held back in years where it would give away the other members' small counts."""
    state = progress.coalition_progress(store, config, coalition_id, period, today)
    goals = [g for a in state.ambitions for g in a.goals if g.indicator is not None and g.series is not None]
    ids = sorted({g.indicator.id for g in goals})
    national, peer_series = comparison_series(store, config, ids, peers(store, config, code, period))
    actions = goal_actions(store, coalition_id)
    own = member_lines(store, config, state, goals, code, member_name)
    return {
        g.id: goal_chart(
            g,
            national.get(g.indicator.id),
            peer_series.get(g.indicator.id),
            actions[actions["goal_id"] == g.id],
            today,
            area_name,
            member=own.get(g.id),
        )
        for g in goals
    }


def member_lines(
    store: Store, config: Config, state, goals: list, code: str, member_name: str | None
) -> dict[str, tuple[str, pd.DataFrame]]:
    """Per goal id: (name, the member's own series up to the period) for a member of a regional coalition,
    each year held back where it would give away the other members' small counts. Empty otherwise."""
    if member_name is None or len(state.member_codes) < 2 or code not in state.member_codes or not goals:
        return {}
    ids = sorted({g.indicator.id for g in goals})
    raw = split_by_indicator(store.query("pooled_series", {"codes": [code], "indicators": ids, "hidden": []}))
    out = {}
    for g in goals:
        ind = g.indicator
        frame = raw.get(ind.id)
        if frame is None:
            continue
        frame = frame[frame["period"] <= state.period].reset_index(drop=True)
        mine = published(frame, ind, config.privacy.min_count, config.status.confidence_level)
        out[g.id] = (member_name, member_series(store, config, mine, ind, code))
    return out
