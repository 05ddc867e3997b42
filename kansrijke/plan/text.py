"""Progress in words, shared by the council PDF (``report``) and the command line (``status``): the status label
(symbol and word, never colour alone), the figure and source sentences of a goal, a result's figure and deadline,
and the whole coalition as plain text. Kept apart from the PDF so that ``python -m kansrijke status`` does not load
the PDF library."""

from __future__ import annotations

import pandas as pd

from kansrijke.core import fmt
from kansrijke.core.i18n import t
from kansrijke.plan import overview
from kansrijke.plan.progress import (
    AANDACHT,
    ACHTER,
    BEHAALD,
    GEEN_GEGEVENS,
    ONBEPAALD,
    OP_KOERS,
    VERLOPEN,
    CoalitionProgress,
    GoalProgress,
    ResultProgress,
)

STATUS_SYMBOLS = {
    BEHAALD: "✔",
    OP_KOERS: "↗",
    AANDACHT: "!",
    ACHTER: "✖",
    VERLOPEN: "✖",
    ONBEPAALD: "?",
    GEEN_GEGEVENS: "–",
}


def status_label(status: str) -> str:
    """'✖ achter': the symbol and the word (the word alone carries the meaning)."""
    return f"{STATUS_SYMBOLS[status]} {status}"


def goal_figure(goal: GoalProgress, interval: bool = True) -> str:
    """'10,4% in 2024 (95%-interval 9,8–11,0) · doel 10,0% in 2030' or why there is no figure. The figure says
    its years when the goal is judged on years pooled, "zonder marge" without counts, "1 van 2 gemeenten" for a
    yes/no indicator over a region; a target smaller than what the figures can show says so."""
    if goal.indicator is None:
        return t("report.no_indicator")
    parts = []
    if goal.latest:
        parts.append(overview.goal_figure_text(goal))
        low, high = goal.latest.get("lower"), goal.latest.get("upper")
        if interval and low is not None and not pd.isna(low) and high is not None and not pd.isna(high):
            parts.append(t("report.interval", low=fmt.number(low), high=fmt.number(high)))
    else:
        parts.append(t("report.no_figure"))
    if goal.target_value is not None and goal.target_year is not None:
        parts.append(t("report.target", value=overview.goal_value_text(goal, goal.target_value), year=goal.target_year))
    if (goal.detectable or {}).get("too_small"):
        parts.append(t("report.too_small"))
    return " · ".join(parts)


def goal_source(goal: GoalProgress) -> str:
    """'Perined (voorlopig); peildatum 1 oktober 2026; loopt ~2 jaar achter' (the figure's own source, else the
    indicator's), and a caveat when the source suspended the indicator."""
    if goal.indicator is None:
        return "–"
    latest = goal.latest or {}
    source = latest.get("source") if isinstance(latest.get("source"), str) else goal.indicator.bron
    if latest:
        source = t("report.source_status", source=source, status=overview.data_status_text(goal.data_status))
    text = source
    if latest.get("reference_date") is not None and not pd.isna(latest.get("reference_date")):
        text = t("report.source", source=source, date=fmt.day(latest.get("reference_date")))
    text = t("report.source_lag", text=text, lag=goal.indicator.vertraging_jaren)
    if goal.indicator.status == "opgeschort":
        text = t("report.source_suspended", text=text)
    return text


def result_figure(result: ResultProgress) -> str:
    got = result.realised or 0.0
    return t(
        "report.result_figure",
        realised=fmt.number(got, 0 if float(got).is_integer() else 1),
        target=fmt.number(result.target, 0 if float(result.target).is_integer() else 1),
        unit=result.unit,
    )


def result_due(result: ResultProgress) -> str:
    return t("report.result_due", due=fmt.date(result.due_date)) if result.due_date else t("report.result_no_due")


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {s}" for s, n in counts.items())


def status_lines(state: CoalitionProgress, names: dict[str, str] | None = None) -> list[str]:
    """Every ambition, goal and result of a coalition with status (symbol and word), reason and figures."""
    names = names or {}
    out = [
        t("cli_status.heading", name=state.name, id=state.coalition_id),
        t("cli_status.members", names=", ".join(names.get(c, c) for c in state.member_codes) or "–"),
        t("cli_status.period_line", period=state.period, date=fmt.date(state.today)),
    ]
    counts = state.counts()
    out.append(t("cli_status.counts", counts=counts_text(counts)) if counts else t("cli_status.no_items"))
    if not state.ambitions:
        out.append("  " + t("cli_status.no_ambitions"))
    for amb in state.ambitions:
        out += [
            "",
            "  " + t("cli_status.ambition", title=amb.title),
            "    " + t("cli_status.status", status=status_label(amb.status)),
            "    " + t("cli_status.reason", reason=amb.reason),
        ]
        for g in amb.goals:
            out += [
                "    " + t("cli_status.goal", title=g.title),
                "      " + t("cli_status.status", status=status_label(g.status)),
                "      " + t("cli_status.reason", reason=g.reason),
            ]
            if g.indicator is not None:
                unit = g.indicator.eenheid
                out.append("      " + t("cli_status.indicator", name=g.indicator.naam, unit=unit))
                out.append(
                    "      "
                    + (
                        t("cli_status.latest", figure=goal_figure(g), source=goal_source(g))
                        if g.latest
                        else t("cli_status.no_latest")
                    )
                )
                out.append(
                    "      "
                    + t(
                        "cli_status.path",
                        base=fmt.value(g.baseline_value, unit),
                        base_year=g.baseline_year or "–",
                        target=fmt.value(g.target_value, unit),
                        target_year=g.target_year or "–",
                        expected=fmt.value(g.expected, unit),
                    )
                )
        for r in amb.results:
            out += [
                "    " + t("cli_status.result", title=r.title),
                "      " + t("cli_status.status", status=status_label(r.status)),
                "      " + t("cli_status.reason", reason=r.reason),
                "      " + t("cli_status.result_line", figure=result_figure(r), due=result_due(r)),
            ]
    return out
