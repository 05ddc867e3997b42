"""The sign-in gate: called once by app.py on every run, after the store is open and before the navigation.

When ``auth.resolve`` says the person may not go on (local mode on an address others reach, nobody signed in,
signed in without a role), the gate serves that page instead of the app at every address the menu knows (and
at an unknown one), with no menu and no sidebar choices, and stops the run: nothing of the app is rendered and
Streamlit never falls back to its "pages/ folder" menu or its English "page not found" dialog.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from kansrijke.core.config import Config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.web import auth
from kansrijke.web.pages import PAGES, needs_hidden_page, route


def sign_in_gate(store: Store, config: Config) -> None:
    """Let the run go on to the app, or show the page that stands instead of it and stop."""
    page = auth.resolve(store, config)
    if page is None:
        return
    st.navigation(closed_pages(page, route()), position="hidden").run()
    st.stop()


def closed_pages(render: Callable[[], None], unknown: str | None = None) -> list[st.Page]:
    """``render`` at the address of every page of the menu (and at ``unknown``), all hidden."""
    title = t("signin.page_title")
    addresses = [(p.url_path, p.default) for p in PAGES]
    if needs_hidden_page(unknown):
        addresses.append((unknown, False))
    return [
        st.Page(render, title=title, url_path=path, default=default, visibility="hidden") for path, default in addresses
    ]
