"""Over deze monitor: what the data is, its sources and periods, how to load your own."""

import streamlit as st

from kansrijke import about, web
from kansrijke.core.i18n import t

config, store, sel = web.page_context()

st.title(t("about.title"))
st.markdown(t("about.intro"))

st.header(t("about.data_heading"), anchor="gegevens")
st.markdown(t("about.data_demo") if store.meta("demo") == "1" else t("about.data_own"))
web.table(web.cached(store, about.coverage_table, config))

st.header(t("about.catalogue_heading"), anchor="indicatoren")
st.markdown(t("about.catalogue_intro"))
web.table(about.catalogue_table(config))

st.header(t("about.phases_heading"), anchor="fasen")
st.markdown(t("about.phases_text"))
st.markdown("\n".join(f"- {t(f'phase.{p}')}" for p in range(6)))

st.header(t("about.status_heading"), anchor="gegevensstatus")
st.markdown(t("about.status_text", min=config.privacy.min_count))

st.header(t("about.own_data_heading"), anchor="eigen-gegevens")
st.markdown(t("about.own_data_text", path=config.database_path))

st.header(t("about.sources_heading"), anchor="bronnen")
st.markdown(t("about.sources_text"))
