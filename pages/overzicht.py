"""Overzicht: the chosen municipality's coalition at a glance."""

import datetime as dt

import streamlit as st

from kansrijke import charts, fmt, overview, ui
from kansrijke.i18n import t

config, store, sel = ui.page_context()

st.title(f"{t('overview.title')}: {sel.name}")

coalition = ui.cached(store, overview.coalition_of, sel.code)
codes = list(coalition.members["code"]) if coalition else [sel.code]
area_name = coalition.name if coalition and coalition.regional else sel.name

if coalition is None:
    st.info(t("overview.no_coalition", name=sel.name), icon=":material/info:")
else:
    st.header(coalition.name, anchor="coalitie")
    c1, c2, c3 = st.columns([2, 2, 3])
    c1.metric(t("overview.phase"), t(f"phase.{coalition.phase}"), help=t("overview.phase_caption"))
    c2.metric(t("overview.start_date"), fmt.date(coalition.start_date))
    c3.markdown(f"**{t('overview.members')}**" + (f" ({t('overview.regional')})" if coalition.regional else ""))
    c3.text(", ".join(coalition.members["name"]))

st.header(t("overview.key_indicators"), anchor="kerncijfers")
st.caption(t("overview.key_caption", area=area_name, period=sel.period))
figures = ui.cached(store, overview.key_figures, config, codes, config.ui.key_indicators, sel.period)
columns = st.columns(2)
for i, kf in enumerate(figures):
    ind = kf.indicator
    with columns[i % 2].container(border=True):
        if not kf.current:
            st.metric(ind.naam, "–")
            st.caption(t("overview.card_no_data", period=sel.period))
        elif kf.current.get("suppressed"):
            st.metric(ind.naam, t("chart.suppressed"))
            st.caption(t("overview.card_suppressed", min=config.privacy.min_count))
        else:
            delta, colour = overview.card_delta(kf)
            st.metric(ind.naam, fmt.value(kf.current["value"], ind.eenheid), delta=delta, delta_color=colour,
                      help=ind.definitie)
            st.markdown(t("overview.card_national", value=fmt.value(kf.national_value, ind.eenheid)))
        ui.figure(charts.trend(kf, area_name), key=f"trend-{ind.id}")
        if kf.current:
            st.caption(overview.card_source(kf))

if coalition is not None:
    ambitions, goals, results = ui.cached(store, overview.plan, coalition.id)
    st.header(t("overview.ambitions"), anchor="ambities")
    if ambitions.empty:
        st.info(t("overview.no_ambitions"))
    for amb in ambitions.itertuples():
        own_goals = goals[goals["ambition_id"] == amb.id]
        own_results = results[results["ambition_id"] == amb.id]
        label = f"{amb.title} · {t('overview.ambition_goals', count=len(own_goals))}"
        with st.expander(label, expanded=amb.position == 1):
            if not own_goals.empty:
                ui.table(overview.goal_table(own_goals, config))
            if not own_results.empty:
                st.markdown(f"**{t('overview.results')}**")
                ui.table(overview.result_table(own_results))

    st.header(t("overview.latest_actions"), anchor="acties")
    actions = ui.cached(store, overview.latest_actions, coalition.id, dt.date.today(), config.ui.latest_actions)
    if actions.empty:
        st.info(t("overview.no_actions"))
    else:
        ui.table(overview.action_table(actions))
