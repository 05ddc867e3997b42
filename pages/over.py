"""Over deze monitor: what the data is (the demo or one's own), where it comes from, its sources and periods, and
that one's own data is added on Gegevens. No server paths, file names or configuration keys: this page is for
the people using the monitor."""

import streamlit as st

from kansrijke import about, web
from kansrijke.core.i18n import glossary, t

config, store, sel = web.page_context()

st.title(t("about.title"))
st.markdown(t("about.intro"))

demo = store.is_demo()
st.header(t("about.data_heading"), anchor="gegevens")
st.markdown(t("about.data_demo") if demo else t("about.data_own"))
web.table(web.cached(store, about.coverage_table, config))

st.header(t("welcome.about_where_heading"), anchor="herkomst")
st.markdown(t("welcome.about_where_demo") if demo else t("welcome.about_where_own"))

st.header(t("about.own_data_heading"), anchor="eigen-gegevens")
st.markdown(t("welcome.about_own_text"))
st.page_link("pages/gegevens.py", label=t("welcome.about_to_data"), icon=":material/upload_file:")

st.header(t("about.catalogue_heading"), anchor="indicatoren")
st.markdown(t("welcome.about_catalogue_intro"))
web.table(about.catalogue_table(config))

st.header(t("about.phases_heading"), anchor="fasen")
st.markdown(t("about.phases_text"))
st.markdown("\n".join(f"- {t(f'phase.{p}')}" for p in range(6)))

st.header(t("about.glossary_heading"), anchor="begrippen")
st.markdown(t("about.glossary_intro"))
st.markdown("\n".join(f"- **{term.capitalize()}**: {text}" for term, text in glossary()))

st.header(t("about.status_heading"), anchor="gegevensstatus")
st.markdown(t("about.status_text", min=config.privacy.min_count))

st.header(t("about.sources_heading"), anchor="bronnen")
st.markdown(t("about.sources_text"))
