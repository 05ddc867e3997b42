"""What every page needs: configuration, the store and the sidebar's selection; startup errors shown in Dutch;
the demo banner; runs always entered through app.py."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.pages_manager import PagesManager

from kansrijke import access, demo
from kansrijke.core.config import Config, ConfigError, get_config
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store, StoreError
from kansrijke.dataio import start
from kansrijke.plan import overview
from kansrijke.web.auth import current_person
from kansrijke.web.cache import cached
from kansrijke.web.widgets import escape, show_error


@dataclass(frozen=True)
class Selection:
    """What the sidebar chose: a municipality and a period (``thin``: the period has figures for only this many
    of all municipalities, (covered, total); None when it is covered well enough to be a default)."""

    code: str
    name: str
    period: int
    thin: tuple[int, int] | None = None


# -- startup -------------------------------------------------------------------
def config_or_stop() -> Config:
    try:
        return get_config()
    except ConfigError as exc:
        show_error(exc, title=t("app.config_error_title"))
        st.stop()
        raise  # unreachable; keeps type checkers calm


@st.cache_resource(show_spinner=False)
def _open_store(path: str, build_demo: bool) -> Store:
    """Open the database; build the demo on first start (when it holds no municipalities)."""
    exists = Path(path).exists()
    if not exists and not build_demo:
        raise StoreError("missing", t("store.missing", path=path))
    store = Store.open(path, create=build_demo)
    if build_demo and store.scalar("count_municipalities") == 0:
        demo.build_demo(store, get_config())
    return store


def store_or_stop(config: Config) -> Store:
    try:
        with st.spinner(t("app.building_demo")):
            store = _open_store(str(config.database_path), config.demo.build_on_first_start)
            if store.closed:  # replaced by a restore in this or another session: open the new file
                _open_store.clear()
                store = _open_store(str(config.database_path), config.demo.build_on_first_start)
    except StoreError as exc:
        show_error(exc, title=t("app.store_error_title"))
        st.stop()
        raise
    return store


# -- shared chrome ---------------------------------------------------------------
def demo_banner(store: Store, config: Config) -> None:
    """On the demo file: the fictitious-data warning with the action "Begin met eigen gegevens", which makes
    the own database (``dataio.start.create_own_database``) and opens it. The own database is the active file
    as soon as it exists, so every session of this monitor opens it from then on; the action says so and asks
    for one confirmation. After the switch, the first page says what happened."""
    done = st.session_state.pop("_own_created", None)
    if done:
        st.success(done, icon=":material/check_circle:")
    if not store.is_demo():
        return
    st.warning(t("app.demo_banner"), icon=":material/science:")
    if st.context.is_embedded:  # an embedded view (?embed=true) shows, but does not act
        return
    if not access.can(current_person(), "database"):  # the package would refuse it: offer nothing
        return
    # In a keyed container, so a page that is projected (the meeting mode) can hide the action with CSS.
    with (
        st.container(key="ks-begin-own"),
        st.popover(t("welcome.begin_own"), icon=":material/rocket_launch:", type="primary"),
    ):
        st.markdown(t("welcome.begin_own_explain"))
        if st.button(t("welcome.begin_own_confirm"), type="primary", key="begin_own"):
            _begin_own_data(config)


def _begin_own_data(config: Config) -> None:
    """Make the own database, forget the demo's store and period, and open the own database."""
    try:
        with st.spinner(t("welcome.begin_own_busy")):
            start.create_own_database(config, current_person())
    except UserError as exc:
        show_error(exc)
        return
    _open_store.clear()
    for key in ("periode", "selection"):  # the demo's years: the sidebar picks the own database's default
        st.session_state.pop(key, None)
    st.session_state["_own_created"] = t("welcome.begin_own_done")
    st.rerun()


def sidebar(store: Store, config: Config) -> Selection:
    """Municipality and period pickers, bound to the URL (``?gemeente=...&periode=...``)."""
    munis = cached(store, overview.municipalities)
    by_name = dict(zip(munis["name"], munis["code"], strict=True))
    by_code = dict(zip(munis["code"], munis["name"], strict=True))
    names = list(munis["name"])
    default_name = by_code.get(config.ui.default_municipality, names[0])

    raw = st.query_params.get("gemeente")
    if raw is not None and raw not in by_name:
        code = raw.strip().upper()
        code = code if code.startswith("GM") else f"GM{code.zfill(4)}" if code.isdigit() else code
        if code in by_code:
            st.session_state["gemeente"] = by_code[code]
        else:
            st.session_state["_url_problem"] = t("app.unknown_municipality", value=raw, name=default_name)
    raw_coalition = st.query_params.get("coalitie")
    if raw_coalition is not None:
        found = cached(store, overview.coalition, raw_coalition)
        if found is None:
            st.session_state["_url_problem"] = t("app.unknown_coalition", value=raw_coalition)
        else:
            st.session_state["gemeente"] = by_code[found.members.iloc[0]["code"]]
        del st.query_params["coalitie"]

    # The default period is the newest year with enough coverage (periods.min_coverage), not the newest row
    # anyone imported; thinner years stay selectable and say so.
    period_options = [str(p) for p in cached(store, overview.periods)]
    default = cached(store, overview.default_period, config.periods.min_coverage)
    default_index = period_options.index(str(default)) if str(default) in period_options else 0
    thin = cached(store, overview.thin_periods, config.periods.min_coverage)
    raw_period = st.query_params.get("periode")
    if not period_options:  # own data without figures yet: no year to choose, and none left over in the URL
        if "periode" in st.query_params:
            try:
                st.query_params.pop("periode")
            except StreamlitAPIException:  # bound to the period box of an earlier run: resetting the box clears it
                pass
        st.session_state.pop("periode", None)
        raw_period = None
    if raw_period is not None and raw_period not in period_options and period_options:
        st.session_state["_url_problem"] = t(
            "app.unknown_period", value=raw_period, period=period_options[default_index]
        )

    with st.sidebar:
        name = st.selectbox(
            t("app.sidebar_municipality"),
            names,
            index=names.index(default_name),
            key="gemeente",
            bind="query-params",
            help=t("app.sidebar_help_municipality"),
        )
        period = st.selectbox(
            t("app.sidebar_period"),
            period_options,
            index=default_index,
            key="periode",
            bind="query-params",
            help=t("app.sidebar_help_period", share=f"{config.periods.min_coverage:.0%}"),
            placeholder=t("app.sidebar_no_periods"),
        )
        if thin:
            st.caption(t("app.sidebar_thin", years=", ".join(_thin_text(y, c) for y, c in thin.items())))
        st.caption(t("app.sidebar_caption", version=store.data_version(), schema=store.schema_version()))
    problem = st.session_state.pop("_url_problem", None)
    if problem:
        show_error(problem, icon=":material/link_off:")
    chosen = int(period) if period else dt.date.today().year
    return Selection(code=by_name[name], name=name, period=chosen, thin=thin.get(chosen))


def _thin_text(year: int, coverage: tuple[int, int]) -> str:
    return t("app.thin_year", year=year, covered=coverage[0], total=coverage[1])


def period_notice(selection: Selection) -> None:
    """On top of the page: the chosen year has figures for only a few municipalities (so "Nederland" and
    comparisons for it rest on those few)."""
    if selection.thin is not None:
        st.warning(
            t("app.thin_notice", text=_thin_text(selection.period, selection.thin)), icon=":material/data_alert:"
        )


_run = threading.local()  # per script-run thread: did this run start in app.py?


def entered_through_app() -> None:
    """Called by app.py at the start of every run."""
    _run.via_app = True


def _leave_legacy_pages_mode() -> None:
    """Run the page through ``app.py`` even when it is the first request a fresh server sees.

    Streamlit runs the very first script of a process in its legacy "pages/ folder" mode until some
    run calls ``st.navigation``; a deep link (``/gegevens``) as first request would then run the page
    file alone, without app.py's navigation, layout and sidebar, and stay so. When a page finds it was
    not entered through app.py, switch that mode off and rerun: the rerun goes through app.py to the
    same page. Only on a session's first run, where no click can be lost (AppTest, which puts the legacy
    mode back before every run, therefore keeps running pages on their own after its first run).
    """
    via_app = getattr(_run, "via_app", False)
    _run.via_app = False
    first_run = "_ran" not in st.session_state
    st.session_state["_ran"] = True
    if not via_app and first_run:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_context() -> tuple[Config, Store, Selection]:
    """What every page needs: the configuration, the store and the sidebar's selection.

    Also shows the demo banner, so it stands on top of every page.
    """
    _leave_legacy_pages_mode()
    config = config_or_stop()
    store = store_or_stop(config)
    selection = st.session_state.get("selection") or sidebar(store, config)
    demo_banner(store, config)
    period_notice(selection)
    return config, store, selection


def coalition_or_stop(store: Store, sel: Selection, title: str) -> overview.Coalition:
    """The chosen municipality's coalition; without one, the page shows its title and a Dutch note and stops."""
    coalition = cached(store, overview.coalition_of, sel.code)
    if coalition is None:
        st.title(title)
        st.info(t("overview.no_coalition", name=escape(sel.name)), icon=":material/info:")
        st.stop()
    return coalition
