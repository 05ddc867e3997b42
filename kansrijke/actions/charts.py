"""Plotly figures for the action log: the timeline and where attention goes (per leading principle and per
goal over the years). Each returns a ``charts.Chart``: the figure, a one-sentence Dutch summary (its text
alternative) and the table of numbers behind it.

Colours and base layout from ``core.palette`` (Okabe–Ito hues dark enough on white); every status also has
its own marker shape (timeline) or bar pattern (monthly counts), and the heat maps print the count in every
cell (dark text on light cells with a dark outline), so colour is never the only cue. Figures stay small: at
most ``actions.TABLE_LIMIT`` markers, otherwise counts per month. Goal and action titles and owners enter a
figure only through ``core.text.chart_text`` (drawn as typed, never as a link or markup).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date

from kansrijke import actions
from kansrijke.core import fmt, palette
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import chart_text
from kansrijke.plan.charts import Chart

FONT = palette.FONT
PATTERNS = {"gepland": ".", "lopend": "/", "afgerond": "", "vervallen": "x"}
HEAT_SCALE = palette.HEAT_SCALE  # white = none, light to mid blue = most; dark text and outline on every cell
LABEL_LENGTH = 48


def _layout(fig: go.Figure, height: int) -> None:
    palette.base_layout(fig, height)


def short(text: str, length: int = LABEL_LENGTH) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def month_name(day: object) -> str:
    return format_date(pd.Timestamp(day).date(), format="MMMM y", locale=fmt.LOCALE)


def _counts_text(counts: dict[str, int]) -> str:
    parts = [f"{fmt.integer(counts[s])} {t(f'action_status.{s}')}" for s in actions.STATUSES if counts.get(s)]
    return ", ".join(parts) if parts else "–"


def _date_axis(fig: go.Figure, first: pd.Timestamp, last: pd.Timestamp) -> None:
    span_days = (last - first).days
    if span_days > 3 * 365:  # every year, at 1 January
        fig.update_xaxes(tickformat="%Y", dtick="M12", tick0=f"{first.year}-01-01")
    else:  # months, each with its year
        fig.update_xaxes(tickformat="%m-%Y")
    fig.update_xaxes(
        showgrid=True,
        gridcolor=palette.GRID,
        linecolor=palette.AXIS_LINE,
        range=[first - pd.Timedelta(days=20), last + pd.Timedelta(days=20)],
    )


def _today_line(fig: go.Figure, today: dt.date) -> None:
    fig.add_shape(
        type="line",
        xref="x",
        yref="paper",
        x0=today,
        x1=today,
        y0=0,
        y1=1,
        line=dict(color=palette.TEXT_MUTED, width=1, dash="dot"),
    )
    fig.add_annotation(
        x=today,
        xref="x",
        y=1,
        yref="paper",
        text=t("actions_page.chart.today"),
        showarrow=False,
        xanchor="right",
        yanchor="top",
        font=dict(size=11, color=palette.TEXT_MUTED),
    )


# -- timeline ---------------------------------------------------------------------------------------------------
def timeline(rows: pd.DataFrame, total: int, today: dt.date, goal_order: list[str]) -> Chart:
    """Every matching action as a marker: x its date, y the goal it serves (one lane per goal, plus "zonder
    doel"), shape and colour its status. ``rows`` are ``actions.search`` rows (all matching: ``total`` equal
    to ``len(rows)``); ``goal_order`` the coalition's goal titles in plan order."""
    fig = go.Figure()
    lanes_used = rows["goal_title"].fillna(t("actions_page.no_goal"))
    order = [g for g in goal_order if g in set(lanes_used)] + (
        [t("actions_page.no_goal")] if (rows["goal_title"].isna()).any() else []
    )
    labels = {g: chart_text(short(g)) for g in order}
    dates = pd.to_datetime(rows["action_date"])
    for status in actions.STATUSES:
        part = rows[rows["status"] == status]
        if part.empty:
            continue
        colour, symbol, _ = actions.STATUS_STYLE[status]
        lane = part["goal_title"].fillna(t("actions_page.no_goal")).map(labels)
        hover = [
            f"{chart_text(ttl)}<br>{fmt.day(d)} · {chart_text(owner) if isinstance(owner, str) else '–'}"
            for ttl, d, owner in zip(
                part["title"].map(lambda s: short(s, 80)), part["action_date"], part["owner"], strict=True
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part["action_date"]),
                y=lane,
                mode="markers",
                name=t(f"action_status.{status}"),
                marker=dict(symbol=symbol, size=11, color=colour, line=dict(width=1.5, color=colour)),
                text=hover,
                hovertemplate="%{text}<extra>" + t(f"action_status.{status}") + "</extra>",
            )
        )
    height = 140 + 34 * max(len(order), 1)
    _layout(fig, height)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[labels[g] for g in reversed(order)],
        showgrid=True,
        gridcolor=palette.GRID,
        automargin=True,
    )
    if len(rows):
        first, last = dates.min(), max(dates.max(), pd.Timestamp(today))
        _date_axis(fig, first, last)
        _today_line(fig, today)
    counts = rows["status"].value_counts().to_dict()
    summary = (
        t("actions_page.chart.timeline_empty")
        if rows.empty
        else t(
            "actions_page.chart.timeline_summary",
            n=fmt.integer(total),
            first=fmt.day(dates.min()),
            last=fmt.day(dates.max()),
            counts=_counts_text(counts),
            lanes=len([g for g in order if g != t("actions_page.no_goal")]),
        )
    )
    table = pd.DataFrame(
        {
            t("actions_page.col.date"): [fmt.day(d) for d in rows["action_date"]],
            t("actions_page.col.title"): rows["title"].to_numpy(),
            t("actions_page.col.status"): [actions.status_text(s) for s in rows["status"]],
            t("actions_page.col.goal"): rows["goal_title"].fillna(t("actions_page.no_goal")).to_numpy(),
            t("actions_page.col.owner"): rows["owner"].fillna("–").to_numpy(),
        }
    )
    return Chart(fig, summary, table)


def timeline_months(months: pd.DataFrame, total: int, today: dt.date) -> Chart:
    """Too many actions to draw one by one: matching actions per month, stacked by status (each status its
    colour and its bar pattern). ``months``: ``actions.by_month`` rows."""
    fig = go.Figure()
    wide = months.pivot_table(index="month", columns="status", values="actions", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=[s for s in actions.STATUSES if s in wide.columns])
    wide.index = pd.to_datetime(wide.index)
    for status in wide.columns:
        colour = actions.STATUS_STYLE[status][0]
        fig.add_trace(
            go.Bar(
                x=wide.index,
                y=wide[status],
                name=t(f"action_status.{status}"),
                marker=dict(
                    color=colour,
                    line=dict(color=palette.TEXT_MUTED, width=0.5),
                    pattern=dict(shape=PATTERNS[status], fgcolor="#1a1a1a", size=6, solidity=0.25),
                ),
                hovertemplate="%{x|%m-%Y}: %{y}<extra>" + t(f"action_status.{status}") + "</extra>",
            )
        )
    _layout(fig, 320)
    fig.update_layout(barmode="stack", bargap=0.1, legend_traceorder="normal")
    fig.update_yaxes(gridcolor=palette.GRID, rangemode="tozero", title_text=t("actions_page.chart.per_month"))
    if len(wide):
        _date_axis(fig, wide.index.min(), max(wide.index.max(), pd.Timestamp(today)))
        _today_line(fig, today)
        per_month = wide.sum(axis=1)
        busiest = per_month.idxmax()
        summary = t(
            "actions_page.chart.months_summary",
            n=fmt.integer(total),
            first=month_name(wide.index.min()),
            last=month_name(wide.index.max()),
            busiest=month_name(busiest),
            busiest_n=fmt.integer(per_month.max()),
            counts=_counts_text({s: int(wide[s].sum()) for s in wide.columns}),
        )
    else:
        summary = t("actions_page.chart.timeline_empty")
    table = pd.DataFrame({t("actions_page.chart.col_month"): [month_name(m) for m in wide.index]})
    for status in wide.columns:
        table[t(f"action_status.{status}")] = wide[status].astype(int).to_numpy()
    return Chart(fig, summary, table)


def timeline_chart(store: Store, coalition_id: str, filt: actions.ActionFilter, today: dt.date) -> Chart:
    """The page's timeline for a filter: one marker per action up to ``actions.TABLE_LIMIT`` matching
    actions, counts per month above that (the browser never gets more than a few hundred points)."""
    total, rows = actions.search(store, coalition_id, filt)
    if total > len(rows):
        return timeline_months(actions.by_month(store, coalition_id, filt), total, today)
    goals = store.query("goals", {"coalition_id": coalition_id})
    return timeline(rows, total, today, [str(g) for g in goals["title"]])


# -- where attention goes -----------------------------------------------------------------------------------------
def _heatmap(matrix: pd.DataFrame, labels: list[str], height: int, what: str) -> go.Figure:
    years = [str(c) for c in matrix.columns]
    z = matrix.to_numpy()
    text = [[fmt.integer(v) if v else "–" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=years,
            y=[chart_text(short(label)) for label in labels],
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=13, color=palette.TEXT),
            colorscale=HEAT_SCALE,
            zmin=0,
            zmax=max(int(z.max()), 1),
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}: %{text} " + what + "<extra></extra>",
        )
    )
    _layout(fig, height)
    fig.update_xaxes(type="category", side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False, automargin=True)
    fig.update_layout(plot_bgcolor=palette.HEAT_GAP)  # the gaps between cells: a dark outline
    return fig


def principle_heatmap(matrix: pd.DataFrame, today: dt.date) -> Chart:
    """Actions per leading principle (rows 1-10) and year; empty cells say where attention did not go."""
    labels = [t(f"principle.{p}") for p in matrix.index]
    fig = _heatmap(matrix, labels, 90 + 30 * len(labels), t("actions_page.chart.actions_word"))
    totals = matrix.sum(axis=1)
    year = today.year if today.year in matrix.columns else int(matrix.columns.max())
    missing = [t(f"principle.{p}") for p in matrix.index if matrix.at[p, year] == 0]
    if totals.sum() == 0:
        summary = t("actions_page.chart.principles_empty")
    else:
        top = int(totals.idxmax())
        gap = (
            t("actions_page.chart.principles_gap", year=year, names="; ".join(missing))
            if missing
            else t("actions_page.chart.principles_no_gap", year=year)
        )
        summary = t(
            "actions_page.chart.principles_summary",
            first=int(matrix.columns.min()),
            last=int(matrix.columns.max()),
            top=t(f"principle.{top}"),
            top_n=fmt.integer(totals.max()),
            gap=gap,
        )
    table = matrix.copy()
    table.columns = [str(c) for c in table.columns]
    table.insert(0, t("actions_page.chart.col_principle"), labels)
    table[t("actions_page.chart.col_total")] = totals.to_numpy()
    return Chart(fig, summary, table.reset_index(drop=True))


def goal_heatmap(matrix: pd.DataFrame, titles: dict[str, str], quiet: pd.DataFrame, months: int) -> Chart:
    """Actions per goal (rows, plan order; last row: actions without a goal) and year, with the number of
    goals that had no action in the last ``months`` months in the summary."""
    labels = [titles.get(g, g) if g else t("actions_page.no_goal") for g in matrix.index]
    fig = _heatmap(matrix, labels, 90 + 30 * len(labels), t("actions_page.chart.actions_word"))
    goal_rows = matrix.loc[[g for g in matrix.index if g]]
    if goal_rows.empty:
        summary = t("actions_page.chart.goals_none")
    else:
        totals = goal_rows.sum(axis=1)
        top = totals.idxmax()
        summary = t(
            "actions_page.chart.goals_summary",
            top=titles.get(top, top),
            top_n=fmt.integer(totals.max()),
            quiet=int(quiet["quiet"].sum()),
            n=len(quiet),
            months=months,
        )
    table = matrix.copy()
    table.columns = [str(c) for c in table.columns]
    table.insert(0, t("actions_page.chart.col_goal"), labels)
    table[t("actions_page.chart.col_total")] = matrix.sum(axis=1).to_numpy()
    return Chart(fig, summary, table.reset_index(drop=True))


@dataclass
class Attention:
    principles: Chart
    goals: Chart
    quiet: pd.DataFrame  # actions.quiet_goals
    quiet_table: pd.DataFrame  # the quiet goals only, for display


def attention(store: Store, coalition_id: str, today: dt.date, months: int) -> Attention:
    """Where a coalition's attention goes and where it does not (all its actions except 'vervallen',
    regardless of the page's filters); quiet: no action in ``months`` months (config ``actions.quiet_months``)."""
    quiet = actions.quiet_goals(store, coalition_id, today, months)
    goals = store.query("goals", {"coalition_id": coalition_id})
    titles = dict(zip(goals["id"], goals["title"], strict=True))
    return Attention(
        principles=principle_heatmap(actions.principle_years(store, coalition_id, today), today),
        goals=goal_heatmap(actions.goal_years(store, coalition_id, today), titles, quiet, months),
        quiet=quiet,
        quiet_table=actions.quiet_table(quiet, today),
    )
