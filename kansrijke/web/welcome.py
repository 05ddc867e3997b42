"""The first steps on one's own data.

- ``welcome_panel(store)``: on an own database that holds no coalition and no municipal figure yet (just made by
  "Begin met eigen gegevens" or ``python -m kansrijke init``), Overzicht opens with a welcome that leads to
  Gegevens with three choices: import a plan (the coalition workbook), import figures, or start a coalition by
  hand. It goes away as soon as either a coalition or a figure is there.
- ``new_coalition_form(store, config)``: start a coalition by hand (name, member municipalities by name, start
  date) through ``plan.create.create_coalition``; on the demo file it says why not (own plans belong in the own
  database) instead of showing the form.

The demo banner's "Begin met eigen gegevens" lives with the banner in ``web.context``.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kansrijke.core.config import Config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.plan import create, overview
from kansrijke.web.auth import current_person
from kansrijke.web.cache import cached
from kansrijke.web.widgets import escape, show_error

DATA_PAGE = "pages/gegevens.py"
OVERVIEW_PAGE = "pages/overzicht.py"
EARLIEST_START = dt.date(2010, 1, 1)  # the form's first start date (the programme began in 2018)


def welcome_panel(store: Store) -> bool:
    """The welcome on an empty own database; True when it was shown."""
    if store.is_demo() or not cached(store, create.start_counts).empty:
        return False
    with st.container(border=True):
        st.subheader(t("welcome.title"), anchor="welkom")
        st.markdown(t("welcome.intro"))
        plan, figures, by_hand = st.columns(3)
        with plan:
            _choice(t("welcome.choice_plan"), t("welcome.choice_plan_text"), ":material/table_view:")
        with figures:
            _choice(t("welcome.choice_figures"), t("welcome.choice_figures_text"), ":material/monitoring:")
        with by_hand:
            _choice(t("welcome.choice_hand"), t("welcome.choice_hand_text"), ":material/group_add:")
        st.caption(t("welcome.outro"))
    return True


def _choice(title: str, text: str, icon: str) -> None:
    with st.container(border=True, height="stretch"):
        st.markdown(f"**{title}**")
        st.markdown(text)
        st.page_link(DATA_PAGE, label=t("welcome.to_data"), icon=icon)


def new_coalition_form(store: Store, config: Config) -> None:
    """Start a coalition by hand (see the module docstring)."""
    st.header(t("welcome.form_heading"), anchor="nieuwe-coalitie")
    if store.is_demo():
        st.info(t("own.demo_plan_refused"), icon=":material/science:")
        return
    st.markdown(t("welcome.form_intro"))
    munis = cached(store, overview.municipalities)
    by_name = dict(zip(munis["name"], munis["code"], strict=True))
    round_ = st.session_state.get("_new_coalition_round", 0)
    with st.form(f"new_coalition_{round_}", border=True):
        name = st.text_input(
            t("welcome.form_name"), max_chars=create.MAX_NAME, placeholder=t("welcome.form_name_placeholder")
        )
        members = st.multiselect(
            t("welcome.form_members"),
            list(by_name),
            placeholder=t("welcome.form_members_placeholder"),
            help=t("welcome.form_members_help"),
        )
        start_date = st.date_input(
            t("welcome.form_start"),
            value=dt.date.today(),
            min_value=EARLIEST_START,
            max_value=dt.date.today() + dt.timedelta(days=2 * 365),
            format="DD-MM-YYYY",
        )
        submitted = st.form_submit_button(t("welcome.form_submit"), type="primary", icon=":material/group_add:")
    if submitted:
        try:
            new_id = create.create_coalition(store, name, [by_name[m] for m in members], start_date, current_person())
        except create.CreateError as exc:
            show_error(exc, title=t("welcome.form_refused"))
        else:
            st.session_state["_new_coalition_round"] = round_ + 1
            st.session_state["_new_coalition_done"] = (new_id, name.strip(), len(members))
            st.rerun()
    done = st.session_state.pop("_new_coalition_done", None)
    if done:
        new_id, new_name, count = done
        st.success(
            t("welcome.form_done", name=escape(new_name), id=new_id, count=count), icon=":material/check_circle:"
        )
        st.page_link(
            OVERVIEW_PAGE,
            label=t("welcome.form_to_overview"),
            icon=":material/home:",
            query_params={"coalitie": new_id},  # the sidebar opens the coalition's first member
        )
