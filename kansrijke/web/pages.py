"""The app's pages in menu order: the one list used by ``app.py`` (``st.navigation``), the page tests and the
benchmarks. Paths are relative to the repository root.

Addresses. The default page (Overzicht) is served at "/", every other page at ``/<url_path>``. An address the
menu does not serve never reaches Streamlit's English "Page not found" dialog (``route``, called by app.py before
``st.navigation``): an alias of a page (``/overzicht``, the menu title as ``/doelen-en-resultaten``, the file
name, ``/home``; any case, spaces for "-") opens that page, with the link's choices (``?gemeente=...``) kept;
any other address gets one hidden page at exactly that address with a Dutch message and links to the nearest
page ("Bedoelde u ...?") and to Overzicht. Streamlit asks for a page by address only when a URL is opened
(clicks and widgets send the page's hash); an address with a "/" inside is no page name and is left to
Streamlit.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from kansrijke import access
from kansrijke.core.i18n import catalogue, t
from kansrijke.core.text import md_escape
from kansrijke.web.auth import current_person
from kansrijke.web.widgets import show_error


@dataclass(frozen=True)
class Page:
    script: str  # e.g. "pages/doelen.py", what ``st.Page`` and ``AppTest.switch_page`` take
    title_key: str  # message key of the menu title
    icon: str
    url_path: str  # the page's address: http://host/<url_path>
    default: bool = False  # the start page (at "/")
    permission: str | None = None  # in the menu only for who has it (``access.can``); else a hidden refusal

    @property
    def title(self) -> str:
        return t(self.title_key)


PAGES: tuple[Page, ...] = (
    Page("pages/overzicht.py", "pages.overview", ":material/home:", "overzicht", default=True),
    Page("pages/doelen.py", "pages.goals", ":material/flag:", "doelen"),
    Page("pages/raadsinformatie.py", "pages.council", ":material/description:", "raadsinformatie"),
    Page("pages/actielog.py", "pages.actions", ":material/checklist:", "actielog"),
    Page("pages/vergadermodus.py", "pages.meeting", ":material/co_present:", "vergadermodus"),
    Page("pages/zelfscan.py", "pages.selfscan", ":material/fact_check:", "zelfscan"),
    Page("pages/vergelijken.py", "pages.compare", ":material/compare_arrows:", "vergelijken", permission="compare"),
    Page("pages/gegevens.py", "pages.data", ":material/upload_file:", "gegevens"),
    Page("pages/beheer.py", "signin.users_title", ":material/manage_accounts:", "beheer", permission="users"),
    Page("pages/over.py", "pages.about", ":material/info:", "over"),
)


def page(url_path: str) -> Page:
    """The page at ``url_path`` (KeyError for an unknown one)."""
    for candidate in PAGES:
        if candidate.url_path == url_path:
            return candidate
    raise KeyError(url_path)


# -- addresses: aliases and unknown paths ---------------------------------------------------------------------
EXTRA_ALIASES = {"home": "overzicht", "start": "overzicht", "index": "overzicht", "over-de-monitor": "over"}


def _slug(text: str) -> str:
    """An address as people type it: lower case, words joined by "-" ("Doelen en resultaten" gives
    "doelen-en-resultaten")."""
    return re.sub(r"[^0-9a-z\u00c0-\u024f]+", "-", text.strip().lower()).strip("-")


def aliases() -> dict[str, Page]:
    """Every address that opens a page: its url_path, its menu title as an address, its file name, and a few
    common words (``EXTRA_ALIASES``)."""
    found: dict[str, Page] = {}
    for candidate in PAGES:
        for name in (candidate.url_path, _slug(candidate.title), Path(candidate.script).stem):
            found.setdefault(name, candidate)
    for name, url_path in EXTRA_ALIASES.items():
        found.setdefault(name, page(url_path))
    return found


def resolve(address: str) -> Page | None:
    """The page an address stands for (an alias, any case, spaces or underscores for "-"), or None."""
    return aliases().get(_slug(address))


def suggest(address: str) -> Page | None:
    """The page whose address is nearest to a mistyped one ("overzict" -> Overzicht), or None."""
    known = aliases()
    near = difflib.get_close_matches(_slug(address), list(known), n=1, cutoff=0.6)
    return known[near[0]] if near else None


def route() -> str | None:
    """Where this run goes when it asks for a page by address (a URL opened, not a click or widget): an alias
    of a page is sent to that page in this same run (the browser's address becomes the page's own, and the
    link's choices ``?gemeente=...`` stay as they are); an address that is no page is returned, for
    ``navigation_pages`` to serve a Dutch message there. None when there is nothing to do.

    Streamlit resolves a page by the intent its page manager holds for the run (a page hash, else a page
    name); this reads that intent and, for an alias, points it at the page before ``st.navigation`` resolves
    it. No public API exposes either (checked against Streamlit 1.67; ``tests/web/test_browser_welcome.py``
    guards the behaviour)."""
    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    if manager is None or getattr(manager, "intended_page_script_hash", None):
        return None
    address = getattr(manager, "intended_page_name", None)
    if not needs_hidden_page(address):
        return None
    target = resolve(address)
    if target is None:
        return address
    manager.set_script_intent("", "" if target.default else target.url_path)
    return None


def needs_hidden_page(address: str | None) -> bool:
    """True when ``address`` (a page name asked for by URL) is not served by the menu but can be a page name:
    ``navigation_pages`` then adds a hidden page there, so Streamlit never shows its English dialog."""
    if not address or "/" in address:
        return False
    return address not in {p.url_path for p in PAGES if not p.default}


def navigation_pages(unknown: str | None = None) -> list[st.Page]:
    """The ``st.Page`` list for ``st.navigation``: ``PAGES`` in menu order, plus a hidden page with a Dutch
    message at ``unknown`` (an address that is no page, from ``route``). A page the person lacks the permission
    for is left out of the menu; its address shows the package's Dutch refusal instead."""
    person = current_person()
    pages = [
        st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default)
        if p.permission is None or access.can(person, p.permission)
        else st.Page(_not_allowed(p), title=p.title, icon=p.icon, url_path=p.url_path, visibility="hidden")
        for p in PAGES
    ]
    if needs_hidden_page(unknown):
        pages.append(
            st.Page(
                _not_found(unknown),
                title=t("welcome.not_found_title"),
                icon=":material/link_off:",
                url_path=unknown,
                visibility="hidden",
            )
        )
    return pages


def _not_allowed(target: Page):
    def page_not_allowed() -> None:
        st.title(target.title)
        try:
            access.require(current_person(), target.permission)
        except access.NotAllowed as exc:
            show_error(exc, icon=":material/lock:")

    return page_not_allowed


def _not_found(address: str):
    def page_not_found() -> None:
        st.title(t("welcome.not_found_title"))
        st.warning(t("welcome.not_found_text", address=md_escape(address)), icon=":material/link_off:")
        kept = st.query_params.to_dict()
        near = suggest(address)
        if near is not None:
            st.page_link(
                near.script,
                label=t("welcome.not_found_suggest", title=near.title),
                icon=":material/arrow_forward:",
                query_params=kept,
            )
        home = next(p for p in PAGES if p.default)
        if near is not home:
            st.page_link(home.script, label=t("welcome.not_found_home"), icon=":material/home:", query_params=kept)

    return page_not_found


ASSETS = Path(__file__).resolve().parent / "assets"
# The document's accessibility rules and behaviour (read once): a style and a same-origin script, no requests.
_STYLE = "<style>" + (ASSETS / "document.css").read_text(encoding="utf-8") + "</style>"
_SCRIPT = "<script>window.ksWords = WORDS;" + (ASSETS / "document.js").read_text(encoding="utf-8") + "</script>"


@functools.cache
def _script() -> str:
    """The document script with Streamlit's English widget words and their Dutch (catalogue section
    ``streamlit_ui``) as JSON; no "<" in it (Streamlit's sanitiser drops a script that has one before a letter)."""

    def section(name: str) -> dict[str, str]:
        prefix = f"streamlit_ui.{name}."
        english = [key[len(prefix) :] for key in catalogue() if key.startswith(prefix)]
        return {word: t(f"streamlit_ui.{name}.{word}") for word in english}

    words = {
        "exact": section("exact"),
        "parts": section("parts"),
        "help_for": t("streamlit_ui.help_for", label="{label}"),
        "per_file": t("streamlit_ui.per_file", size="{size}"),
    }
    return _SCRIPT.replace("WORDS", json.dumps(words, ensure_ascii=False).replace("<", "\\u003c"), 1)


def label_document(page: st.Page) -> None:
    """Name the page in the browser tab ("Doelen en resultaten · Kansrijke Start Monitor", WCAG 2.4.2) and load
    the document's accessibility rules (``assets/document.css`` and ``document.js``): ``lang="nl"`` (3.1.1), a
    focus ring (2.4.7), captions at full contrast (1.4.3), metric text that wraps at 200% zoom (1.4.10), Markdown
    icons hidden from screen readers, Streamlit's English widget words in Dutch, focus on the page's h1 after
    navigation (2.4.3) and Escape in a dialog's field that keeps the dialog. The script sits at the end of the
    sidebar, where its empty element adds no gap."""
    st.set_page_config(page_title=t("app.page_title", page=page.title, app=t("app.title")))
    st.html(_STYLE)  # style only: Streamlit puts it where it takes no space
    st.sidebar.html(_script(), unsafe_allow_javascript=True)
