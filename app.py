"""Kansrijke Start Monitor: entry point and navigation (``streamlit run app.py``)."""

import streamlit as st

from kansrijke import web
from kansrijke.core.i18n import t

web.entered_through_app()
st.set_page_config(page_title=t("app.title"), page_icon=t("app.icon"), layout="wide")

config = web.config_or_stop()
store = web.store_or_stop(config)

navigation = st.navigation(
    [
        st.Page(
            "pages/overzicht.py", title=t("pages.overview"), icon=":material/home:", url_path="overzicht", default=True
        ),
        st.Page("pages/doelen.py", title=t("pages.goals"), icon=":material/flag:", url_path="doelen"),
        st.Page(
            "pages/raadsinformatie.py",
            title=t("pages.council"),
            icon=":material/description:",
            url_path="raadsinformatie",
        ),
        st.Page("pages/actielog.py", title=t("pages.actions"), icon=":material/checklist:", url_path="actielog"),
        st.Page(
            "pages/vergadermodus.py", title=t("pages.meeting"), icon=":material/co_present:", url_path="vergadermodus"
        ),
        st.Page("pages/zelfscan.py", title=t("pages.selfscan"), icon=":material/fact_check:", url_path="zelfscan"),
        st.Page(
            "pages/vergelijken.py", title=t("pages.compare"), icon=":material/compare_arrows:", url_path="vergelijken"
        ),
        st.Page("pages/gegevens.py", title=t("pages.data"), icon=":material/upload_file:", url_path="gegevens"),
        st.Page("pages/over.py", title=t("pages.about"), icon=":material/info:", url_path="over"),
    ]
)
st.session_state["selection"] = web.sidebar(store, config)
navigation.run()
