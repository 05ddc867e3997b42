"""Sign-in and the person using this browser session.

Two ways to run the app:

- **Sign-in configured** (an ``[auth]`` section in Streamlit's ``secrets.toml``): Streamlit's own OpenID
  Connect sign-in (``st.login``, ``st.user``, ``st.logout``; Microsoft Entra ID or any OIDC provider). Who
  signs in is their e-mail address (``email``; Entra ID without that optional claim: ``preferred_username``);
  an address the provider marks unverified (``email_verified: false``) is no identity. What they may do comes
  from the role assignments in the database and the config seed (``access.person_for``), looked up once per
  session and data version (a role granted or revoked is a new data version).
- **Local mode** (no sign-in): one person on this computer who may do everything (``access.local_person``).
  It serves only on this computer's own address (``127.0.0.1``, ``::1``, ``localhost``; the shipped
  ``.streamlit/config.toml`` sets ``server.address = "127.0.0.1"``); on any other address the app shows a
  refusal with how to configure sign-in and nothing else, unless forced with ``KANSRIJKE_ZONDER_AANMELDEN=1``
  (``exposure_problem`` decides).

``resolve`` is the decision of every run (called by the gate in ``web/gate.py`` before the navigation): the
person, the sidebar's line about them, and the page that stands instead of the app when they may not go on
(sign in; no role; refused address). ``current_person`` is what pages and commands ask afterwards.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable

import streamlit as st

from kansrijke import access
from kansrijke.core.config import Config, get_config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import md_escape
from kansrijke.web.widgets import show_error

FORCE_ENV = "KANSRIJKE_ZONDER_AANMELDEN"  # "1": local mode (everyone may do everything) on any address
_PERSON = "_ks_person"  # session state: ((identity, data version), Person) of the signed-in person
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
_SHARED_KEYS = ("redirect_uri", "cookie_secret")


# -- the decision: which mode, which address ------------------------------------------------------------------
def _auth_section() -> dict:
    try:
        section = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - no secrets.toml, or one Streamlit cannot read: no sign-in configured
        return {}
    return section.to_dict() if hasattr(section, "to_dict") else dict(section or {})


def providers() -> list[str | None]:
    """The configured OIDC providers: ``[None]`` for one unnamed provider (its settings directly under
    ``[auth]``), else the names of the ``[auth.<name>]`` sections that hold a complete provider; [] for none."""
    section = _auth_section()
    if not all(section.get(key) for key in _SHARED_KEYS):
        return []
    if all(section.get(key) for key in _PROVIDER_KEYS):
        return [None]
    return sorted(
        name
        for name, value in section.items()
        if isinstance(value, dict) and all(value.get(key) for key in _PROVIDER_KEYS)
    )


def sign_in_configured() -> bool:
    """True when ``secrets.toml`` has an ``[auth]`` section Streamlit can sign people in with."""
    return bool(providers())


def forced() -> bool:
    """True when local mode is explicitly forced on any address (``KANSRIJKE_ZONDER_AANMELDEN=1``)."""
    return os.environ.get(FORCE_ENV, "").strip().lower() in ("1", "true", "ja", "yes")


def is_this_computer(address: str | None) -> bool:
    """True for an address only this computer reaches: a loopback address or ``localhost``. Unset or empty
    (Streamlit's default: every network interface), ``0.0.0.0``, ``::``, a network address and a Unix socket
    (a reverse proxy serves it to others) are not."""
    text = (address or "").strip().strip("[]")
    if text.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def exposure_problem(address: str | None, sign_in: bool, forced: bool) -> str | None:
    """Why the app may not serve on ``address`` (a plain Dutch sentence), or None when it may: with sign-in
    anywhere; without sign-in only on this computer, unless ``forced``."""
    if sign_in or forced or is_this_computer(address):
        return None
    shown = (address or "").strip() or t("signin.address_all")
    return t("signin.refused_reason", address=shown)


def _address() -> str | None:
    return st.get_option("server.address")


# -- who is using this session ---------------------------------------------------------------------------------
def signed_in_identity() -> tuple[str, str] | None:
    """(e-mail address in lower case, display name) of the signed-in person, or None."""
    user = st.user
    if not user.get("is_logged_in"):
        return None
    if user.get("email_verified") is False:
        return None
    identity = str(user.get("email") or user.get("preferred_username") or "").strip().lower()
    if "@" not in identity:
        return None
    name = " ".join(str(user.get("name") or "").split()) or identity
    return identity, name


def current_person() -> access.Person | None:
    """The person using this browser session: without sign-in the local person (None on an address that is
    refused); with sign-in the signed-in person with their roles (None when nobody is signed in)."""
    if not sign_in_configured():
        return None if exposure_problem(_address(), False, forced()) else access.local_person()
    signed = signed_in_identity()
    if signed is None:
        return None
    kept = st.session_state.get(_PERSON)
    if kept is not None and kept[0][0] == signed[0]:
        return kept[1]
    # Not resolved in this session yet (a page that runs without an open database, such as the rescue page):
    # only the beheerders named in config.yaml, whose role does not depend on the database.
    return _person_without_store(get_config(), *signed)


def _person_without_store(config: Config, identity: str, name: str) -> access.Person:
    seeded = identity in config.access.beheerders
    grants = frozenset({(access.BEHEERDER, None)}) if seeded else frozenset()
    return access.Person(identity, name, grants, signed_in=True)


def _signed_in_person(store: Store, config: Config, identity: str, name: str) -> access.Person:
    """``access.person_for``, once per session and data version."""
    key = (identity, store.data_version())
    kept = st.session_state.get(_PERSON)
    if kept is not None and kept[0] == key:
        return kept[1]
    person = access.person_for(store, config, identity, name)
    st.session_state[_PERSON] = (key, person)
    return person


def resolve(store: Store, config: Config) -> Callable[[], None] | None:
    """Decide this run: show the sidebar's line about the person and return None when the app may go on, or
    return the page that stands instead of the app (refused address, sign in, no role)."""
    if not sign_in_configured():
        st.session_state.pop(_PERSON, None)
        problem = exposure_problem(_address(), False, forced())
        if problem:
            return lambda: refusal_page(problem)
        with st.sidebar:
            # forced: others may reach it, also when the app itself listens on 127.0.0.1 behind a reverse proxy
            if is_this_computer(_address()) and not forced():
                st.caption(t("signin.local_notice"), help=t("signin.local_help"))
            else:
                st.warning(t("signin.forced_notice"), icon=":material/public:")
        return None
    signed = signed_in_identity()
    if signed is None:
        return sign_in_page
    person = _signed_in_person(store, config, *signed)
    _signed_in_sidebar(person, store)
    if not person.grants:
        return lambda: no_role_page(person)
    return None


# -- what people see ---------------------------------------------------------------------------------------------
def _signed_in_sidebar(person: access.Person, store: Store) -> None:
    names = coalition_choices(store) if any(coalition for _, coalition in person.grants) else {}
    with st.sidebar:
        roles = ", ".join(
            _role_text(role, names.get(c, c) if c else None) for role, c in sorted(person.grants, key=str)
        )
        st.caption(
            t("signin.signed_in_as", name=md_escape(person.name), identity=md_escape(person.identity))
            + "  \n"
            + t("signin.roles", roles=md_escape(roles or t("access.no_role")))
        )
        if st.button(t("signin.sign_out"), icon=":material/logout:", key="ks_sign_out"):
            st.session_state.pop(_PERSON, None)
            st.logout()


def _role_text(role: str, coalition: str | None) -> str:
    """The role, and its coalition by name: "bewerker van Coalitie Kansrijke Start Amsterdam (KS-GM0363)"."""
    text = t(f"access.role.{role}")
    return t("signin.role_for", role=text, coalition=coalition) if coalition else text


def sign_in_page() -> None:
    """Nobody signed in: the title, one sentence and the button (one per provider when there are several)."""
    st.title(t("signin.title"))
    st.markdown(t("signin.intro"))
    for provider in providers():
        label = t("signin.button") if provider is None else t("signin.button_provider", provider=provider)
        if st.button(label, type="primary", icon=":material/login:", key=f"ks_sign_in_{provider or ''}"):
            st.login(provider)


def no_role_page(person: access.Person) -> None:
    st.title(t("signin.no_role_title"))
    st.markdown(t("signin.no_role_text", name=md_escape(person.name), identity=md_escape(person.identity)))


def refusal_page(problem: str) -> None:
    """Local mode on an address others reach: what is wrong and the three ways out; no data."""
    st.title(t("signin.refused_title"))
    show_error(problem, icon=":material/lock:")
    st.markdown(t("signin.refused_help", env=FORCE_ENV))


# -- the beheerder's page --------------------------------------------------------------------------------------------
def coalition_choices(store: Store) -> dict[str, str]:
    """Every coalition as ``{id: "name (id)"}`` in name order: the choices for a coalition role."""
    rows = store.query("coalitions")
    return {str(i): f"{n} ({i})" for i, n in zip(rows["id"], rows["name"], strict=True)}
