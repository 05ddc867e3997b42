"""Kansrijke Start Monitor: entry point and navigation (``streamlit run app.py``)."""

import streamlit as st

from kansrijke import web
from kansrijke.core.i18n import t
from kansrijke.web.pages import navigation_pages, route

web.entered_through_app()
st.set_page_config(page_title=t("app.title"), page_icon=t("app.icon"), layout="wide")

config = web.config_or_stop()
store = web.store_or_stop(config)

navigation = st.navigation(navigation_pages(route()))
st.session_state["selection"] = web.sidebar(store, config)
navigation.run()
