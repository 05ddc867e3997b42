"""Doelen en resultaten: ambition -> goal (with its curve) -> result, each with its status and reason."""

import streamlit as st

from kansrijke import signals, web
from kansrijke.core import fmt
from kansrijke.core.i18n import t
from kansrijke.plan import charts, overview, progress

config, store, sel = web.page_context()
today = overview.reference_day(store)

coalition = web.coalition_or_stop(store, sel, t("goals_page.title"))

st.title(f"{t('goals_page.title')}: {web.escape(coalition.name)}")
st.markdown(t("goals_page.intro", period=sel.period))
with st.expander(t("progress.margin.heading")):  # the formula in a fold-out; the page says it in words
    st.markdown(t("progress.margin.formula"))
area_name = coalition.name if coalition.regional else sel.name
state = web.cached(store, progress.coalition_progress, config, coalition.id, sel.period, today)
focus = st.query_params.get("ambitie")
if state.ambitions and focus not in {a.id for a in state.ambitions}:
    focus = state.ambitions[0].id

member_name = sel.name if coalition.regional else None
curves = web.shared(
    store, charts.goal_charts, config, coalition.id, sel.period, today, sel.code, area_name, member_name
)
goal_titles = {g.id: g.title for a in state.ambitions for g in a.goals}


def show_results(results: list[progress.ResultProgress]) -> None:
    for r in results:
        with st.container(border=True):
            head, badge = st.columns([5, 2])
            head.markdown(f"**{web.escape(r.title)}**")
            with badge:
                web.status_badge(r.status)
            st.progress(
                r.share,
                text=t(
                    "goals_page.result_bar",
                    realised=fmt.number(r.realised or 0, 0),
                    target=fmt.number(r.target, 0),
                    unit=web.escape(r.unit),
                    due=fmt.date(r.due_date) if r.due_date else "–",
                ),
            )
            st.caption(web.escape(r.reason))
            if r.goal_id in goal_titles:
                st.caption(t("goals_page.contributes_to", goal=web.escape(goal_titles[r.goal_id])))


def show_detectable(goal: progress.GoalProgress) -> None:
    """What the data can show for this goal; a target smaller than that is flagged with advice."""
    shown = overview.detect_text(goal)
    if shown is None:
        return
    if goal.detectable.get("too_small"):
        st.warning(
            f"**{t('goals_page.too_small_title')}** {web.escape(goal.detectable.get('advice'))}",
            icon=":material/straighten:",
        )
    elif goal.pooled:
        st.info(
            t("goals_page.judged_pooled", first=goal.pooled[0], last=goal.pooled[1], shown=shown),
            icon=":material/straighten:",
        )
    else:
        st.caption(t("goals_page.detectable", shown=shown))


st.header(t("goals_page.ambitions_heading"), anchor="ambities")  # h2 over the ambitions' h3s (heading order)
if not state.ambitions:
    st.info(t("overview.no_ambitions"))
for amb in state.ambitions:
    with st.expander(
        f"{web.escape(amb.title)} · {amb.status}", expanded=amb.id == focus, icon=web.STATUS_ICONS[amb.status]
    ):
        web.status_badge(amb.status)
        st.caption(web.escape(amb.reason))
        st.subheader(t("goals_page.goals_heading"))
        st.caption(t("goals_page.goals_caption"))
        if not amb.goals:
            st.caption(t("goals_page.no_goals"))
        else:
            web.table(overview.goal_table(amb.goals))
        for goal in amb.goals:
            with st.container(border=True):
                head, badge = st.columns([5, 2])
                head.markdown(
                    f"**{web.escape(goal.title)}**"
                    + (f" · {web.escape(goal.indicator.naam)}" if goal.indicator else "")
                )
                with badge:
                    web.status_badge(goal.status)
                st.caption(web.escape(goal.reason))
                if goal.caveat:
                    st.warning(web.escape(goal.caveat), icon=":material/block:")
                show_detectable(goal)
                if goal.id in curves:
                    web.figure(curves[goal.id], key=f"goal-{goal.id}")
                    if goal.latest:
                        st.caption(
                            t(
                                "goals_page.source",
                                source=web.escape(goal.latest.get("source") or goal.indicator.bron),
                                period=overview.goal_period_text(goal),
                                date=fmt.day(goal.latest.get("reference_date")),
                                status=overview.data_status_text(goal.data_status),
                                lag=goal.indicator.vertraging_jaren,
                            )
                        )
                voices = web.cached(store, signals.for_goal, goal.id)  # the parents' voice beside the chart
                if len(voices):
                    st.markdown(f"**{t('signals.beside_goal', n=len(voices))}**")
                    for v in voices.head(3).itertuples():
                        st.text(f"{signals.label(v)}: “{v.text}”")  # user text as plain text, never Markdown
        st.subheader(t("goals_page.results_heading"))
        st.caption(t("goals_page.results_caption"))
        if amb.results:
            show_results(amb.results)
        else:
            st.caption(t("goals_page.no_results"))
