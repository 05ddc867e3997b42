"""Sign-in, roles and local mode in the app (kansrijke/web/auth.py, kansrijke/web/gate.py), through AppTest.

Sign-in is configured with ``AppTest.secrets`` (an ``[auth]`` section) and the signed-in person is
``AppTest.user``; the real OIDC round trip is tests/web/test_browser_signin.py. AppTest enters through app.py (and
so through the gate) only on a session's first run: what changes between runs of one session (a role granted
while signed in) is tested in the browser.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, write_config
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from kansrijke.core.i18n import t
from kansrijke.web.auth import FORCE_ENV, exposure_problem, is_this_computer

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "een-lang-geheim-voor-de-test-0123456789",
    "client_id": "kansrijke",
    "client_secret": "geheim",
    "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
}


# -- the decision, as a pure function ------------------------------------------------------------------------------
@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_this_computers_addresses_are_served_without_sign_in(address):
    assert is_this_computer(address)
    assert exposure_problem(address, sign_in=False, forced=False) is None


@pytest.mark.parametrize("address", [None, "", "0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "unix:///tmp/ks.sock"])
def test_any_other_address_is_refused_without_sign_in(address):
    assert not is_this_computer(address)
    problem = exposure_problem(address, sign_in=False, forced=False)
    assert problem and "aanmelden is niet ingesteld" in problem
    assert (address or "alle netwerkadressen") in problem


@pytest.mark.parametrize("address", [None, "0.0.0.0", "192.168.1.20"])
def test_sign_in_or_forcing_serves_any_address(address):
    assert exposure_problem(address, sign_in=True, forced=False) is None
    assert exposure_problem(address, sign_in=False, forced=True) is None


# -- the app ---------------------------------------------------------------------------------------------------------
@pytest.fixture
def address():
    """Set Streamlit's ``server.address`` for the test (as ``--server.address`` would), and put it back."""
    before = st_config.get_option("server.address")

    def set_to(value: str | None) -> None:
        st_config.set_option("server.address", value)

    yield set_to
    st_config.set_option("server.address", before)


def run_app(page: str | None = None, *, user: dict | None = None, auth: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if auth is not None:
        at.secrets["auth"] = auth
    if user is not None:
        at.user = user
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def signed_in(email: str, name: str) -> dict:
    return {"is_logged_in": True, "email": email, "name": name}


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("title", "markdown", "caption", "error", "warning", "info", "success")
        for e in at.get(kind)
    ]
    return as_read("\n".join(str(p) for p in parts))


def sidebar_texts(at: AppTest) -> str:
    return as_read("\n".join(str(e.value) for kind in ("caption", "warning") for e in at.sidebar.get(kind)))


def as_read(markdown: str) -> str:
    """Text as a person reads it: without the escapes that keep user text inert (``web.escape``)."""
    return markdown.replace("\\", "").replace("\u2060", "")


def test_local_mode_says_so_in_the_sidebar(app_env, address, monkeypatch):
    monkeypatch.delenv(FORCE_ENV, raising=False)
    address("127.0.0.1")
    at = run_app()
    assert not at.exception, at.exception
    assert "Lokale modus: alleen op deze computer, zonder aanmelden" in sidebar_texts(at)
    assert at.title[0].value.startswith("Overzicht")
    assert not [b for b in at.sidebar.button if b.key == "ks_sign_out"]


def test_local_mode_on_every_interface_is_refused_and_shows_nothing_else(app_env, address, monkeypatch):
    monkeypatch.delenv(FORCE_ENV, raising=False)
    address("0.0.0.0")
    at = run_app()
    assert not at.exception, at.exception
    assert [e.value for e in at.title] == ["Deze monitor start niet zonder aanmelden"]
    shown = texts(at)
    assert "0.0.0.0" in shown and "[auth]" in shown and FORCE_ENV in shown and "127.0.0.1" in shown
    # nothing of the app: no sidebar choices, no figures, no buttons, no tables
    assert len(at.sidebar.selectbox) == 0 and len(at.selectbox) == 0
    assert len(at.button) == 0 and len(at.dataframe) == 0 and len(at.metric) == 0
    assert "Amsterdam" not in shown


def test_forced_local_mode_serves_any_address_with_a_warning(app_env, address, monkeypatch):
    monkeypatch.setenv(FORCE_ENV, "1")
    address("0.0.0.0")
    at = run_app()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Overzicht")
    assert "iedereen die deze monitor bereikt, mag alles" in sidebar_texts(at)


def test_forced_behind_a_proxy_warns_instead_of_saying_only_this_computer(app_env, address, monkeypatch):
    # deploy/serve.sh: the app listens on 127.0.0.1 and nginx serves it to others (KANSRIJKE_ZONDER_AANMELDEN=1)
    monkeypatch.setenv(FORCE_ENV, "1")
    address("127.0.0.1")
    at = run_app()
    assert not at.exception, at.exception
    shown = sidebar_texts(at)
    assert "iedereen die deze monitor bereikt, mag alles" in shown and "alleen op deze computer" not in shown


def test_sign_in_configured_and_nobody_signed_in_shows_only_the_sign_in_page(app_env, address):
    address("0.0.0.0")  # with sign-in any address is fine
    at = run_app(auth=AUTH, user={"is_logged_in": False})
    assert not at.exception, at.exception
    assert [e.value for e in at.title] == [t("signin.title")]
    assert [b.label for b in at.button] == ["Aanmelden"]
    assert len(at.sidebar.selectbox) == 0 and len(at.dataframe) == 0
    assert "Lokale modus" not in sidebar_texts(at)


def test_several_providers_give_one_button_each(app_env, address):
    address("127.0.0.1")
    shared = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    at = run_app(auth={**shared, "microsoft": provider, "okta": provider}, user={"is_logged_in": False})
    assert [b.label for b in at.button] == ["Aanmelden via microsoft", "Aanmelden via okta"]


def test_a_signed_in_kijker_reads_but_writes_nothing(writable_app, address):
    """The default role (config ``access.standaardrol: kijker``): the app with name and Afmelden in the sidebar,
    no Vergelijken and no Gebruikers en rollen, and no control to add an action."""
    address("127.0.0.1")
    user = signed_in("Kees.Kijker@Example.nl", "Kees Kijker")
    at = run_app(auth=AUTH, user=user)
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Overzicht")
    side = sidebar_texts(at)
    assert "Kees Kijker" in side and "kees.kijker@example.nl" in side and "kijker" in side
    assert [b.label for b in at.sidebar.button if b.key == "ks_sign_out"] == ["Afmelden"]
    for hidden in ("pages/vergelijken.py", "pages/beheer.py"):
        with pytest.raises(ValueError):
            at.switch_page(hidden)
    at.switch_page("pages/actielog.py").run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.key in ("new_action", "new_signal", "edit_action")]


def test_a_beheerder_from_the_config_seed_gets_the_users_page(writable_app, address, tmp_path, monkeypatch):
    address("127.0.0.1")
    monkeypatch.setenv(
        "KANSRIJKE_CONFIG", str(write_config(tmp_path, {"beheerders: []": "beheerders: [bea@example.nl]"}))
    )
    at = run_app("pages/beheer.py", auth=AUTH, user=signed_in("bea@example.nl", "Bea"))
    assert not at.exception, at.exception
    assert at.title[0].value == "Gebruikers en rollen"
    assert "bea@example.nl" in at.dataframe[0].value.iloc[:, 0].tolist()


def test_a_signed_in_person_without_a_role_is_sent_to_the_beheerder(app_env, address, tmp_path, monkeypatch):
    address("127.0.0.1")
    monkeypatch.setenv("KANSRIJKE_CONFIG", str(write_config(tmp_path, {"standaardrol: kijker": "standaardrol: null"})))
    at = run_app(auth=AUTH, user=signed_in("nieuw@example.nl", "Nina Nieuw"))
    assert not at.exception, at.exception
    assert [e.value for e in at.title] == ["Nog geen toegang"]
    assert "vraag de beheerder" in texts(at).lower()
    assert len(at.dataframe) == 0 and len(at.sidebar.selectbox) == 0
    assert [b.label for b in at.sidebar.button] == ["Afmelden"]
