"""Raadsinformatie: a one-page PDF summary per coalition and period for a raadsinformatiebrief."""

import streamlit as st

from kansrijke import overview, progress, report, ui
from kansrijke.i18n import t

config, store, sel = ui.page_context()
today = overview.reference_day(store)

coalition = ui.coalition_or_stop(store, sel, t("council_page.title"))
st.title(t("council_page.title"))

st.markdown(t("council_page.intro", name=ui.escape(coalition.name), period=sel.period))
st.download_button(
    t("council_page.download"), data=lambda: report.council_pdf(store, config, coalition.id, sel.period, today,
                                                                 municipality_code=sel.code),
    file_name=f"raadsinformatie-{coalition.id}-{sel.period}.pdf", mime="application/pdf",
    icon=":material/picture_as_pdf:", type="primary", on_click="ignore", key="council_pdf",
)
st.caption(t("council_page.made_with", name=ui.escape(coalition.name), period=sel.period))

st.header(t("council_page.preview"), anchor="inhoud")
state = ui.cached(store, progress.coalition_progress, config, coalition.id, sel.period, today)
for amb in state.ambitions:
    with st.container(border=True):
        head, badge = st.columns([5, 2])
        head.markdown(f"**{ui.escape(amb.title)}**")
        with badge:
            ui.status_badge(amb.status)
        st.caption(amb.reason)
        for goal in amb.goals:
            st.markdown(f"- {ui.escape(goal.title)}: **{goal.status}**. {ui.escape(goal.reason)}")
