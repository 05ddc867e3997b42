"""The self-scan's Plotly figure: a dot plot per dimension of the latest scan, the previous one and the average
of all coalitions, with its one-sentence Dutch summary and table (``scan_summary``, ``scan_table``)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kansrijke.core import fmt, palette
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.plan.charts import BLUE, ORANGE, Chart
from kansrijke.selfscan.scan import (
    PRINCIPLES,
    SCALE,
    SCORED,
    Scan,
    average_by_dimension,
    label,
    scan_summary,
    scan_table,
    scans,
    score_word,
)

BLACK = palette.BLACK


def scan_chart(
    latest: Scan, previous: Scan | None, average: pd.DataFrame | None, name: str, height: int = 620
) -> Chart:
    """Dot plot: per dimension the latest scan (filled circle), the previous one (open diamond) and the
    average of all coalitions (black vertical bar), each a different symbol, so colour is never the only cue."""
    dims = list(SCORED)
    labels = [label(d) for d in dims]
    y = list(range(len(dims)))[::-1]  # first dimension on top
    fig = go.Figure()
    latest_name = t("selfscan.series_latest", date=fmt.date(latest.assessed_on))
    prev_name = t("selfscan.series_previous", date=fmt.date(previous.assessed_on)) if previous else None
    avg = average.set_index("dimension") if average is not None and not average.empty else None
    n_avg = int(avg["coalitions"].max()) if avg is not None else 0
    avg_name = t("selfscan.series_average", count=n_avg)
    if avg is not None:
        xs = [avg.at[d, "mean_score"] if d in avg.index else None for d in dims]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=y,
                mode="markers",
                name=avg_name,
                marker=dict(symbol="line-ns", size=22, line=dict(width=3, color=BLACK), color=BLACK),
                text=labels,
                hovertemplate="%{text}: %{x:.1f}<extra>" + avg_name + "</extra>",
            )
        )
    if previous is not None:
        fig.add_trace(
            go.Scatter(
                x=[previous.scores.get(d) for d in dims],
                y=[v + 0.18 for v in y],
                mode="markers",
                name=prev_name,
                marker=dict(symbol="diamond-open", size=13, line=dict(width=2.5, color=ORANGE), color=ORANGE),
                text=[f"{lb}: {score_word(previous.scores.get(d))}" for lb, d in zip(labels, dims, strict=True)],
                hovertemplate="%{text}<extra>" + prev_name + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[latest.scores.get(d) for d in dims],
            y=[v - 0.18 if previous is not None else v for v in y],
            mode="markers",
            name=latest_name,
            marker=dict(symbol="circle", size=14, color=BLUE),
            text=[f"{lb}: {score_word(latest.scores.get(d))}" for lb, d in zip(labels, dims, strict=True)],
            hovertemplate="%{text}<extra>" + latest_name + "</extra>",
        )
    )
    fig.add_hline(y=len(PRINCIPLES) - 0.5, line=dict(color=palette.AXIS_LINE, width=1, dash="dot"))
    palette.base_layout(fig, height, margin=dict(l=8, r=16, t=8, b=8), font_size=14)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.02, x=0, traceorder="reversed"))
    fig.update_xaxes(
        range=[-0.3, 3.3],
        tickvals=list(SCALE),
        ticktext=[score_word(s) for s in SCALE],
        gridcolor=palette.GRID,
        zeroline=False,
        side="top",
    )
    fig.update_yaxes(tickvals=y, ticktext=labels, range=[-0.7, len(dims) - 0.3], showgrid=False, automargin=True)
    return Chart(fig, scan_summary(latest, previous, average, name), scan_table(latest, previous, average))


def latest_chart(store: Store, coalition_id: str, coalition_name: str) -> Chart | None:
    """``scan_chart`` of a coalition's latest scan against its previous one and the average of all coalitions
    (None without a scan): for ``web.shared``, built once per data version."""
    found = scans(store, coalition_id)
    if not found:
        return None
    previous = found[1] if len(found) > 1 else None
    return scan_chart(found[0], previous, average_by_dimension(store), coalition_name)
