"""Placeholder: built in issue 6."""

import streamlit as st

from kansrijke import ui

config, store, sel = ui.page_context()
st.title("actielog")
