"""Figure builders for the comparison page (``pages/vergelijken.py``). Each returns a ``charts.Chart``: the
figure, a one-sentence Dutch summary (its text alternative) and the table of numbers behind it.

Built to stay small in the browser: the municipalities are one scatter trace per funnel position (never a
trace per municipality), limits are drawn on a grid, the heat map is one ``go.Heatmap`` and the map one
SVG ``go.Choropleth`` on rounded boundaries with the base map hidden (no tiles, no WebGL, works offline).
Colours, font and base layout come from ``core.palette`` (Okabe–Ito hues dark enough on white, text
>= 4,5:1) and every position also has its own marker symbol or text mark and its word in the hover, the
legend and the table, so colour is never the only cue. Rates get a y-axis that follows the data.
Suppressed municipalities are never plotted with a value and show as "onderdrukt" in the tables. Names and
labels enter a figure only through ``core.text.chart_text`` (drawn as typed, never as a link or markup).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kansrijke.compare.comparison import (
    BETTER,
    HIGHER,
    LOWER,
    WITHIN,
    WORSE,
    Choice,
    Comparison,
    boundaries,
    comparison,
    heat,
    municipalities,
    outside_text,
    period_label,
    position_text,
    status_text,
    suppressed_label,
)
from kansrijke.compare.comparison import trend as trend_frame
from kansrijke.core import fmt, palette
from kansrijke.core.i18n import t
from kansrijke.core.text import chart_text, md_escape
from kansrijke.plan.charts import FONT, Chart
from kansrijke.plan.progress import GOAL_STATUSES

BLUE, VERMILION, ORANGE, SKY, GREY, BLACK = (
    palette.BLUE,
    palette.VERMILION,
    palette.ORANGE,
    palette.SKY,
    palette.MID_GREY,
    palette.BLACK,
)
# position -> (colour, marker symbol)
STYLE = {
    WITHIN: (GREY, "circle-open"),
    BETTER: (BLUE, "diamond"),
    WORSE: (VERMILION, "square"),
    HIGHER: (ORANGE, "triangle-up"),
    LOWER: (SKY, "triangle-down"),
}
ORDER = (WORSE, HIGHER, WITHIN, LOWER, BETTER)


def _layout(fig: go.Figure, height: int, hovermode: str | bool = "closest") -> None:
    palette.base_layout(fig, height, margin=dict(l=8, r=8, t=36, b=8), hovermode=hovermode)


def _value(v: object, unit: str) -> str:
    """``fmt.value`` (nl-NL), memoised on the value as shown (one decimal): thousands of cells stay fast."""
    return "–" if v is None or pd.isna(v) else _formatted(round(float(v), 1), unit)


@lru_cache(maxsize=65536)
def _formatted(v: float, unit: str) -> str:
    return fmt.value(v, unit)


@lru_cache(maxsize=65536)
def _integer(v: int) -> str:
    return fmt.integer(v)


@lru_cache(maxsize=65536)
def _number(v: float) -> str:
    return fmt.number(v)


def _count(v: object) -> str:
    return "–" if v is None or pd.isna(v) else _integer(int(v))


def _interval(lo: object, hi: object) -> str:
    if lo is None or pd.isna(lo):
        return "–"
    return f"{_number(round(float(lo), 1))} – {_number(round(float(hi), 1))}"


def _hover(row: dict, unit: str) -> str:
    """Hover text of a published municipality (never called for a suppressed one)."""
    return (
        f"<b>{chart_text(row['name'])}</b><br>"
        f"{_value(row['value'], unit)} ({_interval(row['lower'], row['upper'])})<br>"
        f"{t('chart.col_numerator')} {_count(row['numerator'])} · {t('chart.col_denominator')} "
        f"{_count(row['denominator'])}<br>{position_text(row['position'], row['beyond998'])}"
    )


def _suppressed_cell(cmp: Comparison, rule: str | None = None) -> str:
    return suppressed_label(rule, cmp.min_count)


def _axis(ind) -> str:
    """A short axis title: the indicator's short name and its unit."""
    return f"{_short(ind.naam)} ({'per 1.000' if ind.eenheid == 'per 1000' else ind.eenheid})"


def _highlight_row(cmp: Comparison) -> pd.Series | None:
    code = cmp.choice.highlight
    if not code:
        return None
    found = cmp.rows[cmp.rows["code"] == code]
    return None if found.empty else found.iloc[0]


def _highlight_sentence(cmp: Comparison) -> str:
    row = _highlight_row(cmp)
    if row is None:
        return ""
    if row["suppressed"]:
        return " " + t(
            "compare.summary_highlight_suppressed", name=row["name"], label=_suppressed_cell(cmp, row["suppression"])
        )
    if pd.isna(row["value"]):
        return " " + t("compare.summary_highlight_nodata", name=row["name"])
    return " " + t(
        "compare.summary_highlight",
        name=row["name"],
        value=_value(row["value"], cmp.indicator.eenheid),
        position=position_text(row["position"], row["beyond998"]),
    )


def _counts(cmp: Comparison) -> dict[str, int]:
    found = cmp.shown["position"].value_counts()
    return {p: int(found.get(p, 0)) for p in ORDER}


def _position_words(cmp: Comparison) -> str:
    counts = _counts(cmp)
    return ", ".join(f"{n} {t(f'compare.position.{p}')}" for p, n in counts.items() if n or p == WITHIN)


def explanation(cmp: Comparison) -> str:
    """The funnel explained in plain Dutch (B1), with this chart's numbers."""
    found = cmp.outside
    text = t(
        "compare.explain",
        reference=md_escape(cmp.reference.label),
        value=_value(cmp.reference.value, cmp.indicator.eenheid),
        count=len(cmp.shown),
        out95=found["95"][0],
        exp95=_number(round(found["95"][1], 1)),
    )
    if cmp.dispersion.overdispersed:
        text += "\n" + t("compare.explain_overdispersion")
    return text


def positions_line(cmp: Comparison) -> str:
    """``27 slechter · 26 beter`` (context indicators: hoger/lager): the municipalities outside the 95% limits."""
    counts = _counts(cmp)
    if cmp.indicator.richting == "context":
        return t("compare.metric_positions_value_context", higher=counts[HIGHER], lower=counts[LOWER])
    return t("compare.metric_positions_value", worse=counts[WORSE], better=counts[BETTER])


def comparison_table(cmp: Comparison, ranks: bool = False) -> pd.DataFrame:
    """The numbers behind the funnel, dot plot and map, formatted in Dutch; suppressed rows say so."""
    unit = cmp.indicator.eenheid
    rows = cmp.rows.copy()
    order = {p: i for i, p in enumerate(ORDER)}
    rows["_order"] = rows["position"].map(lambda p: order.get(p, len(order)))
    ascending = cmp.indicator.richting != "hoger_beter"
    rows = rows.sort_values(["_order", "value", "name"], ascending=[True, not ascending, True], kind="stable")
    rank = {}
    if ranks:
        shown = rows[rows["value"].notna()].sort_values(["value", "name"], ascending=[ascending, True], kind="stable")
        rank = {code: i + 1 for i, code in enumerate(shown["code"])}
    out = []
    for r in rows.itertuples():
        hidden = bool(r.suppressed)
        suppressed = _suppressed_cell(cmp, r.suppression) if hidden else ""
        record = {}
        if ranks:
            record[t("compare.col_rank")] = rank.get(r.code)
        record.update(
            {
                t("compare.col_municipality"): r.name,
                t("compare.col_code"): r.code,
                t("chart.col_value"): suppressed
                if hidden
                else (_value(r.value, unit) if not pd.isna(r.value) else t("compare.no_data")),
                "95%-interval": "–" if hidden else _interval(r.lower, r.upper),
                t("chart.col_numerator"): "–" if hidden else _count(r.numerator),
                t("chart.col_denominator"): "–" if hidden else _count(r.denominator),
                t("compare.col_expected"): "–" if hidden else _value(r.expected, unit),
                t("compare.col_limits95"): "–" if hidden else _interval(r.lo95, r.hi95),
                t("compare.col_position"): "–" if hidden else position_text(r.position, r.beyond998),
                t("compare.col_status"): "–"
                if hidden or not isinstance(r.data_status, str)
                else t(f"data_status.{r.data_status}"),
            }
        )
        out.append(record)
    frame = pd.DataFrame(out)
    if ranks:
        frame[t("compare.col_rank")] = frame[t("compare.col_rank")].astype("Int64")
    return frame


# -- funnel plot ----------------------------------------------------------------------------------------
def funnel(cmp: Comparison, height: int = 560) -> Chart:
    """Each municipality's rate against its denominator with 95% and 99.8% limits around the reference."""
    ind, unit = cmp.indicator, cmp.indicator.eenheid
    shown = cmp.shown
    fig = go.Figure()
    p0 = cmp.reference.proportion
    grid = cmp.grid
    if p0 is not None and grid is not None and not shown.empty:
        for lo, hi, name, dash, width in (
            ("lo998", "hi998", t("compare.limits998"), "dash", 1.6),
            ("lo95", "hi95", t("compare.limits95"), "dot", 1.6),
        ):
            xs = [*grid["n"], None, *grid["n"]]
            ys = [*grid[hi].round(4), None, *grid[lo].round(4)]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=name,
                    hoverinfo="skip",
                    line=dict(color=palette.TEXT_MUTED, width=width, dash=dash),
                )
            )
        fig.add_trace(
            go.Scatter(
                x=[grid["n"].iloc[0], grid["n"].iloc[-1]],
                y=[p0 * cmp.scale] * 2,
                mode="lines",
                name=t(
                    "compare.target_line", group=chart_text(cmp.reference.label), value=_value(p0 * cmp.scale, unit)
                ),
                line=dict(color=BLACK, width=2),
                hoverinfo="skip",
            )
        )
    for position in ORDER:
        part = shown[shown["position"] == position]
        if part.empty:
            continue
        colour, symbol = STYLE[position]
        fig.add_trace(
            go.Scatter(
                x=part["_den"],
                y=part["value"].round(4),
                mode="markers",
                name=t(f"compare.position.{position}"),
                marker=dict(color=colour, symbol=symbol, size=8, line=dict(color=colour, width=1.5)),
                text=[_hover(r, unit) for r in part.to_dict("records")],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    _add_highlight(fig, shown, cmp.choice.highlight, unit, x="_den")
    _layout(fig, height)
    ticks = []
    if not shown.empty:
        low, high = float(shown["_den"].min()) * 0.8, float(shown["_den"].max()) * 1.25
        ticks = [v * 10**e for e in range(0, 8) for v in (1, 2, 5) if low <= v * 10**e <= high]
    fig.update_xaxes(
        type="log",
        title_text=t("compare.axis_denominator", noemer=ind.noemer or ""),
        tickvals=ticks,
        ticktext=[_integer(v) for v in ticks],
        showgrid=True,
        gridcolor=palette.GRID,
        linecolor=palette.AXIS_LINE,
    )
    fig.update_yaxes(title_text=_axis(ind), gridcolor=palette.GRID, zeroline=False, rangemode="normal")
    summary = t(
        "compare.summary_funnel",
        indicator=ind.naam,
        periods=period_label(cmp.periods),
        status=status_text(cmp.data_status) or t("compare.no_data"),
        count=len(shown),
        set=cmp.group.label,
        reference=cmp.reference.label,
        value=_value(cmp.reference.value, unit),
        positions=_position_words(cmp),
        outside=outside_text(cmp),
        suppressed=cmp.suppressed,
    )
    return Chart(fig, summary + _highlight_sentence(cmp), comparison_table(cmp))


def _add_highlight(fig: go.Figure, shown: pd.DataFrame, code: str | None, unit: str, x: str) -> None:
    """The highlighted municipality as a large star with its name (only when it has a published rate)."""
    found = shown[shown["code"] == code].to_dict("records") if code else []
    if not found:
        return
    row = found[0]
    fig.add_trace(
        go.Scatter(
            x=[row[x]],
            y=[round(float(row["value"]), 4)],
            mode="markers+text",
            name=chart_text(row["name"]),
            text=[chart_text(row["name"])],
            textposition="top center",
            textfont=dict(size=14, color=BLACK),
            marker=dict(symbol="star", size=18, color=palette.YELLOW, line=dict(color=BLACK, width=2)),
            hovertext=[_hover(row, unit)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )


# -- ranked dot plot with intervals ------------------------------------------------------------------------
def dots(cmp: Comparison, height: int = 520) -> Chart:
    """Published municipalities ordered best to worst, each with its 95% interval and the reference line."""
    ind, unit = cmp.indicator, cmp.indicator.eenheid
    shown = cmp.shown.copy()
    ascending = ind.richting != "hoger_beter"
    shown = shown.sort_values(["value", "name"], ascending=[ascending, True], kind="stable").reset_index(drop=True)
    shown["rank"] = np.arange(1, len(shown) + 1)
    fig = go.Figure()
    for position in ORDER:
        part = shown[shown["position"] == position]
        if part.empty:
            continue
        colour, symbol = STYLE[position]
        fig.add_trace(
            go.Scatter(
                x=part["rank"],
                y=part["value"].round(4),
                mode="markers",
                name=t(f"compare.position.{position}"),
                marker=dict(color=colour, symbol=symbol, size=7, line=dict(color=colour, width=1.2)),
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=(part["upper"] - part["value"]).round(4),
                    arrayminus=(part["value"] - part["lower"]).round(4),
                    color=colour,
                    thickness=1,
                    width=0,
                ),
                text=[_hover(r, unit) for r in part.to_dict("records")],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    if cmp.reference.value is not None and not shown.empty:
        fig.add_trace(
            go.Scatter(
                x=[0.5, len(shown) + 0.5],
                y=[cmp.reference.value] * 2,
                mode="lines",
                hoverinfo="skip",
                name=t(
                    "compare.target_line",
                    group=chart_text(cmp.reference.label),
                    value=_value(cmp.reference.value, unit),
                ),
                line=dict(color=BLACK, width=2, dash="dash"),
            )
        )
    _add_highlight(fig, shown, cmp.choice.highlight, unit, x="rank")
    _layout(fig, height)
    if 0 < len(shown) <= 60:
        fig.update_xaxes(tickvals=list(shown["rank"]), ticktext=[chart_text(n) for n in shown["name"]], tickangle=-60)
    else:
        fig.update_xaxes(title_text=t("compare.axis_rank"))
    fig.update_xaxes(showgrid=False, linecolor=palette.AXIS_LINE, range=[0, len(shown) + 1])
    fig.update_yaxes(title_text=_axis(ind), gridcolor=palette.GRID, zeroline=False, rangemode="normal")
    overlap = 0
    if cmp.reference.value is not None and not shown.empty:
        overlap = int(((shown["lower"] <= cmp.reference.value) & (shown["upper"] >= cmp.reference.value)).sum())
    summary = t(
        "compare.summary_dots",
        indicator=ind.naam,
        periods=period_label(cmp.periods),
        count=len(shown),
        set=cmp.group.label,
        overlap=overlap,
        reference=cmp.reference.label,
        suppressed=cmp.suppressed,
    )
    return Chart(fig, summary + _highlight_sentence(cmp), comparison_table(cmp, ranks=True))


# -- trend against the set's median and interquartile band --------------------------------------------
def trend(frame: pd.DataFrame, cmp: Comparison, height: int = 420) -> Chart:
    """The highlighted municipality over time against the set's median and middle half (not a line each)."""
    ind = cmp.indicator
    name = _highlight_name(cmp)
    label, group, reference = chart_text(name), chart_text(cmp.group.label), chart_text(cmp.reference.label)
    fig = go.Figure()
    band = frame[frame["median"].notna()]
    if not band.empty:
        fig.add_trace(
            go.Scatter(
                x=[*band["period"], *band["period"][::-1]],
                y=[*band["q3"].round(4), *band["q1"][::-1].round(4)],
                fill="toself",
                fillcolor="rgba(118,118,118,0.22)",  # a guide: the median line on it carries the data
                line=dict(width=0),
                hoverinfo="skip",
                name=t("compare.series_iqr", set=group),
            )
        )
        fig.add_trace(
            go.Scatter(
                x=band["period"],
                y=band["median"].round(4),
                mode="lines+markers",
                name=t("compare.series_median", set=group),
                line=dict(color=GREY, width=2),
                marker=dict(symbol="circle-open", size=7),
                hovertemplate="%{x}: %{y:.1f}<extra>" + t("compare.series_median", set=group) + "</extra>",
            )
        )
    ref = frame[frame["reference"].notna()]
    if not ref.empty:
        fig.add_trace(
            go.Scatter(
                x=ref["period"],
                y=ref["reference"].round(4),
                mode="lines+markers",
                name=reference,
                line=dict(color=ORANGE, width=2, dash="dash"),
                marker=dict(symbol="diamond", size=7),
                hovertemplate="%{x}: %{y:.1f}<extra>" + reference + "</extra>",
            )
        )
    own = frame[frame["value"].notna()]
    if not own.empty:
        fig.add_trace(
            go.Scatter(
                x=own["period"],
                y=own["value"].round(4),
                mode="lines+markers",
                name=label,
                line=dict(color=BLUE, width=3),
                marker=dict(symbol="circle", size=8),
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=(own["upper"] - own["value"]).round(4),
                    arrayminus=(own["value"] - own["lower"]).round(4),
                    color=BLUE,
                    thickness=1.2,
                ),
                hovertemplate="%{x}: %{y:.1f}<extra>" + label + "</extra>",
            )
        )
    _layout(fig, height, hovermode="x unified")
    years = [float(v) for v in frame["period"].dropna()]
    if years:
        palette.year_axis(fig, min(years), max(years), range=[min(years) - 0.3, max(years) + 0.3])
    fig.update_xaxes(
        showgrid=False,
        linecolor=palette.AXIS_LINE,
        title_text=t("compare.axis_period_pooled") if cmp.choice.pooled else t("chart.axis_year"),
    )
    fig.update_yaxes(title_text=_axis(ind), gridcolor=palette.GRID, zeroline=False, rangemode="normal")
    return Chart(fig, _trend_summary(frame, cmp, name), _trend_table(frame, cmp))


def _highlight_name(cmp: Comparison) -> str:
    row = _highlight_row(cmp)
    return str(row["name"]) if row is not None else (cmp.choice.highlight or "–")


def _trend_summary(frame: pd.DataFrame, cmp: Comparison, name: str) -> str:
    unit = cmp.indicator.eenheid
    band = frame[frame["median"].notna()]
    if band.empty:
        return t("compare.summary_trend_nodata", indicator=cmp.indicator.naam, set=cmp.group.label)
    last = band.iloc[-1]
    own = frame[(frame["period"] == last["period"])]
    value = own["value"].iloc[0] if not own.empty else np.nan
    own_text = (
        t("compare.summary_trend_own", name=name, value=_value(value, unit))
        if not pd.isna(value)
        else t("compare.summary_trend_own_missing", name=name)
    )
    return t(
        "compare.summary_trend",
        indicator=cmp.indicator.naam,
        period=int(last["period"]),
        own=own_text,
        set=cmp.group.label,
        median=_value(last["median"], unit),
        q1=_value(last["q1"], unit),
        q3=_value(last["q3"], unit),
        count=int(last["count"]),
    )


def _trend_table(frame: pd.DataFrame, cmp: Comparison) -> pd.DataFrame:
    unit = cmp.indicator.eenheid
    name = _highlight_name(cmp)
    rows = []
    for r in frame.itertuples():
        label = str(int(r.period)) if not cmp.choice.pooled else f"{int(r.period) - 2}–{int(r.period)}"
        rows.append(
            {
                t("compare.col_periods"): label,
                name: _suppressed_cell(cmp, getattr(r, "suppression", None)) if r.suppressed else _value(r.value, unit),
                "95%-interval": "–" if r.suppressed else _interval(r.lower, r.upper),
                t("compare.col_q1"): _value(r.q1, unit),
                t("compare.col_median"): _value(r.median, unit),
                t("compare.col_q3"): _value(r.q3, unit),
                t("compare.col_count"): int(r.count),
                cmp.reference.label: _value(r.reference, unit),
            }
        )
    return pd.DataFrame(rows)


# -- heat map: municipalities x indicators ------------------------------------------------------------------
def _short(text: str, width: int = 34) -> str:
    text = text.split(":")[0] if ":" in text[:12] else text
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def short_labels(inds) -> dict[str, str]:
    """Short, unique column labels for indicators (the full name where shortening would clash)."""
    labels = {i.id: _short(i.naam) for i in inds}
    seen = list(labels.values())
    return {i.id: labels[i.id] if seen.count(labels[i.id]) == 1 else i.naam for i in inds}


def heatmap(
    frame: pd.DataFrame, config, highlight: str | None, set_label: str, periods: tuple[int, int], min_count: int
) -> Chart:
    """One row per municipality, one column per indicator; colour = distance from the national figure in the
    better direction (blue better, orange worse); "+"/"−" only where the difference is beyond chance (95%)."""
    inds = [config.indicator(i) for i in dict.fromkeys(frame["indicator_id"])] if not frame.empty else []
    labels = short_labels(inds)
    names = sorted(dict.fromkeys(frame["name"]), key=str.casefold, reverse=True) if not frame.empty else []
    hl_name = None
    if highlight is not None and not frame.empty:
        found = frame.loc[frame["code"] == highlight, "name"]
        hl_name = found.iloc[0] if not found.empty else None
    shown_names = [f"▶ {n}" if n == hl_name else n for n in names]
    z = np.full((len(names), len(inds)), np.nan)
    marks = np.full((len(names), len(inds)), "", dtype=object)
    hover = np.full((len(names), len(inds)), "", dtype=object)
    row_of = {n: i for i, n in enumerate(names)}
    col_of = {ind.id: j for j, ind in enumerate(inds)}
    rules = frame["suppression"] if "suppression" in frame else pd.Series(None, index=frame.index, dtype=object)
    no_data = t("compare.no_data")
    units = {i.id: i.eenheid for i in inds}
    words = {p: position_text(p) for p in ORDER}
    for name, ind_id, hidden, rule, value, national, score, position in zip(
        frame["name"],
        frame["indicator_id"],
        frame["suppressed"],
        rules,
        frame["value"],
        frame["national"],
        frame["score"],
        frame["position"],
        strict=True,
    ):
        i, j = row_of[name], col_of[ind_id]
        if hidden or pd.isna(value):
            hover[i, j] = suppressed_label(rule, min_count) if hidden else no_data
            continue
        unit = units[ind_id]
        z[i, j] = round(float(score), 3)
        marks[i, j] = {BETTER: "+", WORSE: "−"}.get(position, "")
        hover[i, j] = f"{_value(value, unit)} (NL {_value(national, unit)}) · {words.get(position, '–')}"
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[chart_text(labels[i.id]) for i in inds],
            y=[chart_text(n) for n in shown_names],
            zmin=-0.5,
            zmax=0.5,
            zmid=0,
            colorscale=palette.DIVERGING_SCALE,  # light at both ends: the dark marks read on every cell
            text=marks,
            texttemplate="%{text}",
            textfont=dict(size=13, color=BLACK),
            customdata=hover,
            hovertemplate="%{y}<br>%{x}<br>%{customdata}<extra></extra>",
            xgap=1,
            ygap=1,
            colorbar=dict(
                title=dict(text=t("compare.heat_colorbar"), side="right"),
                tickvals=[-0.5, 0, 0.5],
                ticktext=[t("compare.heat_worse"), t("compare.heat_same"), t("compare.heat_better")],
                len=min(1.0, 400 / max(400, 16 * len(names) + 140)),
            ),
        )
    )
    height = max(360, 16 * len(names) + 160)
    _layout(fig, height)
    fig.update_layout(plot_bgcolor=palette.NO_DATA, margin=dict(l=8, r=8, t=150, b=8))
    fig.update_xaxes(side="top", tickangle=-35, showgrid=False)
    fig.update_yaxes(showgrid=False, tickfont=dict(size=11), automargin=True)
    better = int((frame["position"] == BETTER).sum()) if not frame.empty else 0
    worse = int((frame["position"] == WORSE).sum()) if not frame.empty else 0
    hidden = int(frame["suppressed"].sum()) if not frame.empty else 0
    summary = t(
        "compare.summary_heat",
        count=len(names),
        set=set_label,
        indicators=len(inds),
        periods=period_label(periods),
        better=better,
        worse=worse,
        suppressed=hidden,
    )
    return Chart(fig, summary, _heat_table(frame, inds, labels, min_count))


def _heat_table(frame: pd.DataFrame, inds, labels: dict[str, str], min_count: int) -> pd.DataFrame:
    """One row per municipality, one column per indicator: the rate with (+)/(−) where beyond chance."""
    if frame.empty:
        return pd.DataFrame()
    units = {i.id: i.eenheid for i in inds}
    marks = frame["position"].map({BETTER: " (+)", WORSE: " (−)"}).fillna("")
    rules = frame["suppression"] if "suppression" in frame else pd.Series(None, index=frame.index, dtype=object)
    cells = [
        suppressed_label(rule, min_count)
        if hidden
        else (t("compare.no_data") if pd.isna(v) else _value(v, units[i]) + m)
        for hidden, rule, v, i, m in zip(
            frame["suppressed"], rules, frame["value"], frame["indicator_id"], marks, strict=True
        )
    ]
    long = pd.DataFrame(
        {"code": frame["code"], "name": frame["name"], "column": frame["indicator_id"].map(labels), "cell": cells}
    )
    wide = long.pivot(index=["name", "code"], columns="column", values="cell")
    wide = wide[[labels[i.id] for i in inds]].reset_index()
    wide = wide.rename(columns={"name": t("compare.col_municipality"), "code": t("compare.col_code")})
    wide.columns.name = None
    order = wide[t("compare.col_municipality")].str.casefold().argsort(kind="stable")
    return wide.iloc[order].reset_index(drop=True)


# -- map --------------------------------------------------------------------------------------------------------
MAP_CATEGORIES = ("not_in_set", "hidden", WITHIN, BETTER, WORSE, HIGHER, LOWER)
MAP_COLOURS = {
    "not_in_set": "#FFFFFF",
    "hidden": "#A6A6A6",
    WITHIN: "#E4E4E4",
    BETTER: BLUE,
    WORSE: VERMILION,
    HIGHER: ORANGE,
    LOWER: SKY,
}


def choropleth(
    cmp: Comparison, geojson: dict, all_names: pd.Series, height: int = 760, attribution: str | None = None
) -> Chart:
    """Municipalities coloured by their funnel position (within limits, better, worse); grey = suppressed or
    no data; white = not in the set. The highlighted municipality has a thick outline. ``attribution`` (the
    boundaries' source and licence) is written under the map, inside the figure, so it travels with it.

    An SVG map (``go.Choropleth``: d3-geo, one path per municipality; no WebGL, no tiles): the base map is
    hidden (``visible=False``) and fitted to the municipalities. plotly.js fetches its world base map
    (``world_110m.json`` from cdn.plot.ly, which fails offline and then draws nothing) when the FIRST trace of
    the map has locations; so the first trace is an invisible point (``_OFFLINE_ANCHOR``) and the map never
    asks another origin for anything (tests/web/test_browser_map.py checks it with the network blocked).
    d3-geo needs exterior rings clockwise and holes counter-clockwise (else a polygon fills the whole frame):
    ``_wound`` turns rings that are the other way round."""
    unit = cmp.indicator.eenheid
    codes = [f["properties"]["statcode"] for f in geojson["features"]]
    columns = ["code", "value", "position", "beyond998", "suppressed", "suppression"]
    rows = {r["code"]: r for r in cmp.rows[columns].to_dict("records")}
    used = [c for c in MAP_CATEGORIES if c in ("not_in_set", "hidden", WITHIN) or (cmp.rows["position"] == c).any()]
    index = {c: i for i, c in enumerate(used)}
    z, text, widths = [], [], []
    for code in codes:
        name = all_names.get(code, code)
        r = rows.get(code)
        if r is None:
            cat, label = "not_in_set", t("compare.map_not_in_set")
        elif r["suppressed"] or pd.isna(r["value"]):
            cat, label = "hidden", _suppressed_cell(cmp, r["suppression"]) if r["suppressed"] else t("compare.no_data")
        else:
            cat = r["position"]
            label = f"{_value(r['value'], unit)} · {position_text(r['position'], r['beyond998'])}"
        z.append(index[cat])
        text.append(f"<b>{chart_text(name)}</b><br>{label}")
        widths.append(3.0 if code == cmp.choice.highlight else 0.4)
    n = len(used)
    scale = []
    for i, cat in enumerate(used):
        scale += [[i / n, MAP_COLOURS[cat]], [(i + 1) / n, MAP_COLOURS[cat]]]
    fig = go.Figure(
        [
            _OFFLINE_ANCHOR,
            go.Choropleth(
                geojson=_wound(geojson),
                locations=codes,
                featureidkey="properties.statcode",
                z=z,
                zmin=-0.5,
                zmax=n - 0.5,
                colorscale=scale,
                text=text,
                hovertemplate="%{text}<extra></extra>",
                marker=dict(line=dict(color="#333333", width=widths), opacity=1),
                colorbar=dict(
                    tickvals=list(range(n)),
                    ticktext=[_map_label(c) for c in used],
                    title=dict(text=""),
                    len=0.6,
                    thickness=18,
                    x=0.98,
                    xanchor="right",
                ),
            ),
        ]
    )
    fig.update_geos(visible=False, fitbounds="locations", projection_type="mercator", bgcolor="white")
    fig.update_layout(
        height=height,
        margin=dict(l=0, r=0, t=8, b=28 if attribution else 0),
        template=palette.TEMPLATE,
        font=dict(family=FONT, size=13, color=palette.TEXT),
        paper_bgcolor=palette.BACKGROUND,
        dragmode="pan",
    )
    if attribution:
        fig.add_annotation(
            text=attribution,
            x=0,
            y=0,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            yshift=-6,
            showarrow=False,
            font=dict(size=11, color="#555555"),
        )
    summary = t(
        "compare.summary_map",
        indicator=cmp.indicator.naam,
        periods=period_label(cmp.periods),
        count=len(cmp.rows),
        set=cmp.group.label,
        reference=cmp.reference.label,
        positions=_position_words(cmp),
        suppressed=cmp.suppressed,
    ) + _highlight_sentence(cmp)
    return Chart(fig, summary, comparison_table(cmp))


# The first trace of the map: one invisible point without locations (see ``choropleth``).
_OFFLINE_ANCHOR = go.Scattergeo(
    lon=[5.3], lat=[52.2], mode="markers", marker=dict(size=1, opacity=0), hoverinfo="skip", showlegend=False
)


def _wound(geojson: dict) -> dict:
    """``geojson`` as the SVG map needs it: every exterior ring clockwise and every hole counter-clockwise
    (d3-geo fills the whole frame around a ring the other way round) and no ring without area (rounding the
    coordinates collapses tiny islands into lines); the same object when nothing needs changing. Of the 856
    rings of the shipped file after rounding, 23 are turned and 180 dropped."""

    def polygon(rings: list) -> tuple[list | None, bool]:
        out, changed = [], False
        for i, ring in enumerate(rings):
            arr = np.asarray(ring, dtype=float)
            area = np.dot(arr[:-1, 0], arr[1:, 1]) - np.dot(arr[1:, 0], arr[:-1, 1])  # > 0: counter-clockwise
            if abs(area) < 1e-12:  # collapsed: without its exterior the polygon goes, a hole is left out
                if i == 0:
                    return None, True
                changed = True
            elif (area > 0) == (i == 0):
                out.append(arr[::-1])
                changed = True
            else:
                out.append(ring)
        return out, changed

    features, changed = [], False
    for feat in geojson["features"]:
        geom = feat["geometry"]
        parts = [polygon(p) for p in ([geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"])]
        kept = [rings for rings, _ in parts if rings is not None]
        if not any(flip for _, flip in parts) or not kept:
            features.append(feat)
            continue
        changed = True
        coords = kept[0] if geom["type"] == "Polygon" else kept
        features.append({**feat, "geometry": {**geom, "coordinates": coords}})
    return {**geojson, "features": features} if changed else geojson


def _map_label(category: str) -> str:
    if category == "not_in_set":
        return t("compare.map_not_in_set")
    if category == "hidden":
        return t("compare.map_hidden")
    return t(f"compare.position.{category}")


# -- coalition overview -----------------------------------------------------------------------------------------
def coalitions(frame: pd.DataFrame, months: int, set_label: str, today: dt.date, without: int) -> Chart:
    """Coalitions per phase, split into active and quiet (no action in ``months`` months; hatched)."""
    phases = list(range(1, 6)) if frame.empty else sorted(set(range(1, 6)) | set(frame["phase"].astype(int)))
    labels = [t(f"phase.{p}") for p in phases]
    quiet = frame[frame["quiet"]] if not frame.empty else frame
    active = frame[~frame["quiet"]] if not frame.empty else frame
    fig = go.Figure()
    # active: solid blue with white count (5,2:1); quiet: white with a vermilion hatch and outline, dark count
    for part, name, colour, pattern, edge, ink in (
        (active, t("compare.coalitions_active", months=months), BLUE, "", BLACK, palette.WHITE),
        (quiet, t("compare.coalitions_quiet", months=months), palette.WHITE, "/", VERMILION, palette.TEXT),
    ):
        counts = [int((part["phase"] == p).sum()) if not part.empty else 0 for p in phases]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=counts,
                orientation="h",
                name=name,
                text=counts,
                textposition="auto",
                insidetextfont=dict(color=ink),
                outsidetextfont=dict(color=palette.TEXT),
                marker=dict(
                    color=colour,
                    line=dict(color=edge, width=1.5 if pattern else 0.5),
                    pattern=dict(shape=pattern, fgcolor=VERMILION, fillmode="overlay", solidity=0.2),
                ),
                hovertemplate="%{y}: %{x}<extra>" + name + "</extra>",
            )
        )
    _layout(fig, 300, hovermode="closest")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=t("compare.axis_coalitions"), gridcolor=palette.GRID, dtick=5)
    fig.update_yaxes(autorange="reversed")
    by_phase = ", ".join(
        f"{lab}: {int((frame['phase'] == p).sum())}"
        for p, lab in zip(phases, labels, strict=True)
        if not frame.empty and (frame["phase"] == p).any()
    )
    summary = t(
        "compare.summary_coalitions",
        count=len(frame),
        set=set_label,
        phases=by_phase or "–",
        quiet=len(quiet),
        months=months,
        without=without,
    )
    return Chart(fig, summary, coalition_table(frame, today))


def coalition_table(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    rows = []
    for r in frame.to_dict("records"):
        last = r["last_action"]
        has_last = last is not None and not pd.isna(last)
        months = None
        if has_last:
            months = (today.year - last.year) * 12 + today.month - last.month - (today.day < last.day)
        record = {
            t("compare.col_coalition"): r["name"],
            t("compare.col_members"): r["member_names"],
            t("compare.col_phase"): t(f"phase.{int(r['phase'])}"),
            t("compare.col_goals"): int(r["goals"]),
        }
        for status in GOAL_STATUSES:
            record[status] = int(r[status])
        record.update(
            {
                t("compare.col_last_action"): fmt.date(last) if has_last else t("compare.never"),
                t("compare.col_months"): months,
                t("compare.col_quiet"): t("cli.answer_yes") if r["quiet"] else t("cli.answer_no"),
            }
        )
        rows.append(record)
    table = pd.DataFrame(rows)
    if not table.empty:
        table[t("compare.col_months")] = table[t("compare.col_months")].astype("Int64")
    return table


# -- whole views from the store: what the page draws, built once per data version and choice (``web.shared``) --


def trend_view(store, config, choice: Choice) -> Chart:
    """The trend band of ``choice``: the highlighted municipality against the set over the years."""
    cmp = comparison(store, config, choice)
    frame = trend_frame(
        store,
        config,
        choice.indicator,
        list(cmp.rows["code"]),
        list(cmp.reference.codes),
        choice.highlight,
        choice.pooled,
        choice.period,
        choice.against == "landelijk",
    )
    return trend(frame, cmp)


def heat_view(store, config, choice: Choice) -> Chart:
    """The colour table of ``choice``'s set: every indicator against the national figure."""
    cmp = comparison(store, config, choice)
    frame = heat(store, config, list(cmp.rows["code"]), choice.period, choice.pooled)
    return heatmap(frame, config, choice.highlight, cmp.group.label, cmp.periods, cmp.min_count)


def map_view(store, config, choice: Choice, path, attribution: str | None) -> Chart:
    """The map of ``choice`` drawn on the boundaries file ``path``."""
    names = municipalities(store).set_index("code")["name"]
    return choropleth(comparison(store, config, choice), boundaries(path), names, attribution=attribution)
