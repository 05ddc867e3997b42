"""Overzicht: the alderman's page. Is the coalition on track, why, and what was done and comes next?"""

import streamlit as st

from kansrijke import compare, web
from kansrijke.core import fmt
from kansrijke.core.i18n import t
from kansrijke.plan import charts, overview, progress

config, store, sel = web.page_context()
today = overview.reference_day(store)

st.title(f"{t('overview.title')}: {web.escape(sel.name)}")
web.welcome_panel(store)  # an own database without coalitions and figures yet: the first steps

coalition = web.cached(store, overview.coalition_of, sel.code)
codes = list(coalition.members["code"]) if coalition else [sel.code]
area_name = coalition.name if coalition and coalition.regional else sel.name

if coalition is None:
    st.info(t("overview.no_coalition", name=web.escape(sel.name)), icon=":material/info:")
else:
    st.header(web.escape(coalition.name), anchor="coalitie")
    c1, c2, c3 = st.columns([2, 2, 3])
    c1.metric(t("overview.phase"), t(f"phase.{coalition.phase}"), help=t("overview.phase_caption"))
    c2.metric(t("overview.start_date"), fmt.date(coalition.start_date))
    c3.markdown(f"**{t('overview.members')}**" + (f" ({t('overview.regional')})" if coalition.regional else ""))
    c3.text(", ".join(coalition.members["name"]))

    # -- at a glance: every ambition with its status, its counts and why ---------------------------------
    state = web.cached(store, progress.coalition_progress, config, coalition.id, sel.period, today)
    st.header(t("overview.at_a_glance"), anchor="in-een-oogopslag")
    if not state.ambitions:
        st.info(t("overview.no_ambitions"))
    else:
        st.caption(t("overview.glance_caption", period=sel.period))
        web.status_badges(state.counts())
        web.status_legend()
    for amb in state.ambitions:
        with st.container(border=True):
            head, badge = st.columns([5, 2])
            head.markdown(f"**{web.escape(amb.title)}**")
            with badge:
                web.status_badge(amb.status)
            web.status_badges(amb.counts())
            st.caption(web.escape(amb.reason))
            st.page_link(
                "pages/doelen.py",
                label=t("overview.to_details"),
                icon=":material/arrow_forward:",
                query_params={"gemeente": sel.name, "periode": str(sel.period), "ambitie": amb.id},
            )

st.header(t("overview.key_indicators"), anchor="kerncijfers")
peer_codes = web.cached(store, compare.peers, config, sel.code, sel.period)
st.caption(t("overview.key_caption", area=web.escape(area_name), period=sel.period, peers=len(peer_codes)))
with st.expander(t("progress.margin.heading")):  # the formula in a fold-out; the caption says it in words
    st.markdown(t("progress.margin.formula"))
since = {
    g.indicator.id: g.baseline_year
    for a in (state.ambitions if coalition else [])
    for g in a.goals
    if g.indicator is not None and g.baseline_year is not None
}
member = (sel.code, sel.name) if coalition is not None and coalition.regional else None
key_args = (config, codes, config.ui.key_indicators, sel.period, peer_codes, since, member)
figures = web.cached(store, overview.key_figures, *key_args)
trends = web.shared(store, overview.key_figures, *key_args, then=charts.trends, then_args=(area_name,))
columns = st.columns(2)
for i, kf in enumerate(figures):
    ind = kf.indicator
    with columns[i % 2].container(border=True):
        if not kf.current:
            st.metric(ind.naam, "–")
            st.caption(t("overview.card_no_data", period=sel.period))
        elif kf.current.get("suppressed"):
            st.metric(ind.naam, overview.card_value(kf))
            st.caption(overview.suppression_text(kf.current))
        else:
            delta = overview.card_delta(kf)
            st.metric(
                ind.naam,
                overview.card_value(kf),
                delta=delta.text,
                delta_color=delta.colour,
                delta_arrow=delta.arrow,
                delta_description=delta.words,
                help=ind.definitie,
            )
            st.markdown(
                t(
                    "overview.card_compare",
                    national=overview.comparison_text(kf.national_value, ind.eenheid),
                    peers=overview.comparison_text(kf.peer_value, ind.eenheid),
                )
            )
        if kf.stale:
            st.caption(t("overview.card_older", year=kf.year, period=sel.period))
        if kf.current and not kf.margin:
            st.caption(t("overview.card_no_margin"))
        own = overview.card_member(kf)
        if own:
            st.markdown(web.escape(own))
        if ind.status == "opgeschort":
            st.warning(t("overview.card_suspended", source=ind.bron), icon=":material/block:")
        web.figure(trends[ind.id], key=f"trend-{ind.id}")
        if kf.current:
            st.caption(web.escape(overview.card_source(kf)))
with st.expander(t("overview.peers_heading", count=len(peer_codes))):
    st.caption(t("overview.peers_text"))
    names = web.cached(store, overview.municipalities).set_index("code")["name"]
    st.text(", ".join(names.get(c, c) for c in peer_codes))

if coalition is not None:
    st.header(t("overview.actions_heading"), anchor="acties")
    done_col, next_col = st.columns(2)
    with done_col:
        st.subheader(t("overview.latest_actions"))
        actions = web.cached(store, overview.latest_actions, coalition.id, today, config.ui.latest_actions)
        if actions.empty:
            st.info(t("overview.no_actions"))
        else:
            web.table(overview.action_table(actions))
    with next_col:
        st.subheader(t("overview.next_actions"))
        upcoming = web.cached(store, overview.next_actions, coalition.id, today, config.ui.latest_actions)
        if upcoming.empty:
            st.info(t("overview.no_next_actions"))
        else:
            web.table(overview.action_table(upcoming))
