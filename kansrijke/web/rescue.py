"""The rescue page: a database file the app cannot use opens this page instead of the app, at every address.

``open_or_rescue(config)`` (app.py, before the store is opened for the pages) tries the active database file.
When it cannot be used — damaged, unreadable, made by a newer version, not migratable (``StoreError`` kinds in
``RESCUE_KINDS``) — or when a page found it damaged while reading it (``note_damage``, from ``web.guard``), the
page says in plain Dutch what happened and offers the ways out, none of which needs the broken file to open
(``dataio.rescue``): restore a backup, start empty, download what can still be read, and try again. Before a
restore or a fresh start the broken file is set aside as ``<name>.kapot-<timestamp>``, so nothing is lost.

What happened is remembered for the whole server (every session sees the rescue page) until the file changes
(a restore from the CLI, a file put back by hand) or someone clicks "Opnieuw proberen". A missing file, a file
locked by another program or a read-only folder are not rescues: the app says what to do (``store_or_stop``).

Who may act: with sign-in, only a beheerder (``access.can(person, "restore")``; as the roles live in the broken
database, ``web.current_person`` knows only the beheerders named in config.yaml here). Everybody else reads
what happened and whom to ask. On an address the local mode refuses, the page shows only that refusal. No
server paths are shown, only the file's name.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from kansrijke import access
from kansrijke.core import fmt, logs
from kansrijke.core.config import Config, get_config
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store, StoreError
from kansrijke.core.text import md_escape
from kansrijke.dataio import rescue as rescue_ops
from kansrijke.web import auth
from kansrijke.web.pages import PAGES, needs_hidden_page, route
from kansrijke.web.widgets import show_error

RESCUE_KINDS = frozenset({"corrupt", "io", "newer", "migration"})
PAGE_ADDRESS = "herstel"
DONE_KEY = "_own_created"  # shown on top of the first page after the switch (``context.demo_banner``)
_SALVAGE_KEY = "_ks_rescue_salvage"


@dataclass(frozen=True)
class Broken:
    """A database file the app cannot use: what kind of problem, the log reference, and the file's size and
    time when it was found (a changed file is tried again)."""

    path: Path
    kind: str
    reference: str
    signature: tuple[int, int] | None

    @property
    def name(self) -> str:
        return self.path.name


_broken: dict[str, Broken] = {}
_lock = threading.Lock()


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def _remember(path: Path, kind: str, exc: BaseException, reference: str | None = None) -> Broken:
    if reference is None:
        try:
            config = get_config()
        except Exception:  # noqa: BLE001 - the log beside the configuration file
            config = None
        reference = logs.record(exc, f"app database {kind}", logs.log_path(config)).reference
    broken = Broken(path, kind, reference, _signature(path))
    with _lock:
        _broken[str(path)] = broken
    return broken


def forget(path: Path) -> None:
    """Try the file again on the next run (after a rescue, or "Opnieuw proberen")."""
    with _lock:
        _broken.pop(str(path), None)


def broken_file(path: Path) -> Broken | None:
    """What is known to be wrong with the database file ``path`` (None: nothing, as far as this server knows)."""
    with _lock:
        known = _broken.get(str(path))
    if known is not None and known.signature == _signature(path):
        return known
    if known is not None:
        forget(path)
    if not path.exists():
        return None
    try:
        Store.open(path)  # the process-wide connection that the pages' store reuses
    except StoreError as exc:
        kind = exc.kind
        if kind == "locked" and not rescue_ops.held_elsewhere(path):
            kind = "corrupt"  # no other process holds the file: the database library's words misled (a damaged "block")
        if kind in RESCUE_KINDS:
            return _remember(path, kind, exc)
    return None


def note_damage(exc: BaseException, reference: str) -> bool:
    """True (and remembered for the whole server) when ``exc`` says the active database file is damaged."""
    if not logs.is_damage(exc):
        return False
    try:
        path = get_config().database_path
    except Exception:  # noqa: BLE001 - without a configuration there is no database to rescue
        return False
    _remember(path, "damaged", exc, reference)
    return True


def open_or_rescue(config: Config) -> None:
    """Serve the rescue page instead of the app, and stop the run, when the active database cannot be used."""
    broken = broken_file(config.database_path)
    if broken is None:
        return
    # The page stands at its own address (the default, served at "/") and at every address of the menu; its
    # own address is no page of the menu, so a run after the rescue falls back to the app's start page.
    addresses = [p.url_path for p in PAGES]
    unknown = route()
    if needs_hidden_page(unknown) and unknown != PAGE_ADDRESS:
        addresses.append(unknown)

    def page() -> None:
        rescue_page(broken, config)

    title = t("rescue.page_title")
    pages = [st.Page(page, title=title, url_path=PAGE_ADDRESS, default=True)]
    pages += [st.Page(page, title=title, url_path=path, visibility="hidden") for path in addresses]
    st.navigation(pages, position="hidden").run()
    st.stop()


# -- the page ------------------------------------------------------------------------------------------------------
def rescue_page(broken: Broken, config: Config) -> None:
    refused = auth.exposure_problem(st.get_option("server.address"), auth.sign_in_configured(), auth.forced())
    if refused:  # local mode on an address others reach: nothing about the data, not even this
        auth.refusal_page(refused)
        return
    st.title(t("rescue.title"))
    show_error(t(f"rescue.what.{broken.kind}", file=broken.name))  # escaped there
    st.markdown(t("rescue.kept", file=md_escape(broken.name), ref=broken.reference))
    person = auth.current_person()
    if not access.can(person, "restore"):
        _not_allowed(person)
        return
    _restore_section(broken, config, person)
    _empty_section(broken, config, person)
    _salvage_section(broken, person)
    _retry_section(broken)


def _not_allowed(person: access.Person | None) -> None:
    if person is None and auth.sign_in_configured():
        st.info(t("rescue.sign_in_first"), icon=":material/login:")
        for provider in auth.providers():
            label = t("signin.button") if provider is None else t("signin.button_provider", provider=provider)
            if st.button(label, icon=":material/login:", key=f"rescue_sign_in_{provider or ''}"):
                st.login(provider)
        return
    st.info(t("rescue.ask_beheerder"), icon=":material/support_agent:")


def _act(action: Callable[[], rescue_ops.Rescued], done: Callable[[rescue_ops.Rescued], str], path: Path) -> None:
    """Run a rescue; on success forget what was broken, drop every cache and open the app on the new file."""
    try:
        with st.spinner(t("rescue.busy")):
            result = action()
    except UserError as exc:
        show_error(exc)
        return
    forget(path)
    forget(result.path)
    st.cache_data.clear()
    st.cache_resource.clear()
    for key in ("periode", "selection", _SALVAGE_KEY):  # the old file's years: the sidebar picks the new default
        st.session_state.pop(key, None)
    st.session_state[DONE_KEY] = done(result)
    st.rerun()


def _aside_text(result: rescue_ops.Rescued) -> str:
    return t("rescue.aside", aside=md_escape(result.aside.name)) if result.aside is not None else ""


def _restore_section(broken: Broken, config: Config, person: access.Person | None) -> None:
    st.header(t("rescue.restore_heading"))
    st.markdown(t("rescue.restore_text"))
    upload = st.file_uploader(t("rescue.restore_label"), type=["zip"], key="rescue_backup")
    if upload is None:
        return
    sure = st.checkbox(t("rescue.restore_sure"), key="rescue_restore_sure")
    if st.button(t("rescue.restore_button"), icon=":material/restore:", type="primary", disabled=not sure):
        data = upload.getvalue()
        _act(
            lambda: rescue_ops.restore(config, broken.path, data, person),
            lambda r: t("rescue.restored", file=md_escape(upload.name), rows=fmt.number(r.rows, 0)) + _aside_text(r),
            broken.path,
        )


def _empty_section(broken: Broken, config: Config, person: access.Person | None) -> None:
    st.header(t("rescue.empty_heading"))
    st.markdown(t("rescue.empty_text"))
    sure = st.checkbox(t("rescue.empty_sure"), key="rescue_empty_sure")
    if st.button(t("rescue.empty_button"), icon=":material/note_add:", disabled=not sure):
        _act(
            lambda: rescue_ops.start_empty(config, broken.path, person),
            lambda r: t("rescue.started_empty") + _aside_text(r),
            broken.path,
        )


def _salvage_section(broken: Broken, person: access.Person | None) -> None:
    st.header(t("rescue.salvage_heading"))
    st.markdown(t("rescue.salvage_text"))
    if st.button(t("rescue.salvage_button"), icon=":material/search:"):
        try:
            with st.spinner(t("rescue.busy")):
                st.session_state[_SALVAGE_KEY] = rescue_ops.salvage(broken.path, person)
        except UserError as exc:
            show_error(exc)
    found: rescue_ops.Salvage | None = st.session_state.get(_SALVAGE_KEY)
    if found is None:
        return
    if found.data is None:
        st.warning(t("rescue.salvage_nothing"), icon=":material/block:")
        return
    rows = sum(found.readable.values())
    st.success(t("rescue.salvage_found", tables=len(found.readable), rows=fmt.number(rows, 0)))
    if found.unreadable:
        st.warning(t("rescue.salvage_partly", tables=md_escape(", ".join(found.unreadable))))
    st.download_button(
        t("rescue.salvage_download"),
        data=found.data,
        file_name=f"leesbaar-{broken.path.stem}-{dt.date.today().isoformat()}.zip",
        mime="application/zip",
        icon=":material/download:",
        on_click="ignore",
    )


def _retry_section(broken: Broken) -> None:
    st.header(t("rescue.retry_heading"))
    st.markdown(t("rescue.retry_text"))
    if st.button(t("rescue.retry"), icon=":material/refresh:"):
        forget(broken.path)
        Store.close_all()
        st.cache_resource.clear()
        st.cache_data.clear()
        st.rerun()
