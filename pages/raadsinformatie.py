"""Raadsinformatie: a one-page PDF summary per coalition and period for a raadsinformatiebrief."""

import streamlit as st

from kansrijke import report, web
from kansrijke.core.i18n import t
from kansrijke.plan import overview, progress

config, store, sel = web.page_context()
today = overview.reference_day(store)

coalition = web.coalition_or_stop(store, sel, t("council_page.title"))
st.title(t("council_page.title"))

st.markdown(t("council_page.intro", name=web.escape(coalition.name), period=sel.period))
st.download_button(
    t("council_page.download"),
    data=lambda: report.council_pdf(store, config, coalition.id, sel.period, today, municipality_code=sel.code),
    file_name=web.file_name("raadsinformatie", coalition.id, sel.period, suffix=".pdf"),
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    type="primary",
    on_click="ignore",
    key="council_pdf",
)
st.caption(t("council_page.made_with", name=web.escape(coalition.name), period=sel.period))
with st.expander(t("progress.margin.heading")):  # the formula in a fold-out; the summary says it in words
    st.markdown(t("progress.margin.formula"))

st.header(t("council_page.preview"), anchor="inhoud")
state = web.cached(store, progress.coalition_progress, config, coalition.id, sel.period, today)
for amb in state.ambitions:
    with st.container(border=True):
        head, badge = st.columns([5, 2])
        head.markdown(f"**{web.escape(amb.title)}**")
        with badge:
            web.status_badge(amb.status)
        st.caption(web.escape(amb.reason))
        for goal in amb.goals:
            st.markdown(f"- {web.escape(goal.title)}: **{goal.status}**. {web.escape(goal.reason)}")
