"""Kansrijke Start Monitor: entry point and navigation (``streamlit run app.py``).

Every run goes through one guard (``web.guard.page_guard``): a failure anywhere shows a Dutch message with a
reference to the log, never a traceback. A database file that cannot be used opens the rescue page
(``web.rescue``) instead of the app. The page icon is a file served from the app's own address.
"""

import streamlit as st

from kansrijke import web
from kansrijke.core.i18n import t
from kansrijke.web import guard, rescue
from kansrijke.web.pages import navigation_pages, route

web.entered_through_app()

with guard.page_guard():
    st.set_page_config(page_title=t("app.title"), page_icon=guard.FAVICON, layout="wide")
    config = web.config_or_stop()
    rescue.open_or_rescue(config)  # a damaged or unreadable database: the rescue page instead of the app
    store = web.store_or_stop(config)
    web.sign_in_gate(store, config)  # sign-in, roles and local mode (kansrijke/web/auth.py): may stop the run here

    navigation = st.navigation(navigation_pages(route()))
    st.session_state["selection"] = web.sidebar(store, config)
    web.label_document(navigation)  # the tab names the page, the document says it is Dutch
    navigation.run()
