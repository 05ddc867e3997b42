"""Sign-in for real: a headless Chromium signs in through an OpenID Connect provider on localhost (PyPI
``oidc-provider-mock``, its authorisation form filled in like a person would) against `streamlit run app.py`
with an ``[auth]`` section in a secrets file of its own (``--secrets.files``) and a copy of the demo database.

Roles are granted with the CLI before the server starts (``python -m kansrijke rol toekennen``), and once by the
beheerder on the page while the server runs:

- Bob, *bewerker* of Amsterdam's coalition, adds an action there (the audit row carries bob@example.nl); on
  Utrecht's Actielog he is offered nothing to write;
- Kim, signed in without a grant, gets the default role *kijker*: no control to add an action or a signal;
- neither sees Vergelijken or Gebruikers en rollen in the menu, and /beheer refuses them in Dutch;
- Bea, *beheerder*, has Gebruikers en rollen and grants Kim *bewerker*; Kim's open session has the new role on
  its next run, without signing in again.

Also measured (printed, not asserted): the browser round trips of one sign-in, and the time to the first page
for a person who is already signed in against the same page in local mode.

With CI=true these tests fail (never skip) when Chromium or Playwright is missing.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import oidc_provider_mock
import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ARTIFACTS, READY, ROOT, _free_port, write_config

from kansrijke import actions
from kansrijke.core.store import Store

pytestmark = pytest.mark.browser

AMSTERDAM = "KS-GM0363"
PEOPLE = {
    "bob@example.nl": "Bob Bewerker",
    "kim@example.nl": "Kim Kijker",
    "bea@example.nl": "Bea Beheerder",
}
LOCAL_ONLY = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost)[:/])")  # anything else is aborted


@pytest.fixture(scope="module")
def provider():
    """The OpenID Connect provider on a free localhost port, knowing the three people's name and e-mail."""
    users = [oidc_provider_mock.User(sub=mail, claims={"email": mail, "name": name}) for mail, name in PEOPLE.items()]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@contextlib.contextmanager
def serve_with_sign_in(data_dir: Path, provider_url: str):
    """`streamlit run app.py` on ``data_dir/kansrijke.duckdb`` with sign-in configured through a secrets file in
    ``data_dir`` (the repository's own .streamlit/ stays untouched); yields the app's URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_file = data_dir / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "kansrijke-start-monitor"\n'
        'client_secret = "geheim-voor-de-test"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "KANSRIJKE_DB": str(data_dir / "kansrijke.duckdb")}
    env["KANSRIJKE_CONFIG"] = str(write_config(data_dir))
    env.pop("KANSRIJKE_DEMO_DB", None)
    env.pop("KANSRIJKE_ZONDER_AANMELDEN", None)
    log = open(data_dir / "streamlit.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--secrets.files",
            str(secrets_file),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    started = time.monotonic()
    while time.monotonic() - started < 60:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + (data_dir / "streamlit.log").read_text())

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)

    try:
        yield url, stop
    finally:
        stop()
        log.close()


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory, demo_db, provider):
    """The app with sign-in, on its own copy of the demo database: Bob bewerker of Amsterdam and Bea beheerder
    (granted with the CLI before the start); Kim has no grant."""
    data_dir = tmp_path_factory.mktemp("signin-app")
    Store.close_all()
    db = data_dir / "kansrijke.duckdb"
    shutil.copy(demo_db, db)
    env = {**os.environ, "KANSRIJKE_DB": str(db)}
    for args in (
        ["bob@example.nl", "bewerker", "--coalitie", AMSTERDAM],
        ["bea@example.nl", "beheerder"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "kansrijke", "rol", "toekennen", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    with serve_with_sign_in(data_dir, provider) as (url, stop):
        yield {"url": url, "db": db, "stop": stop}


def new_page(browser, width: int = 1280, height: int = 900):
    """A page in a fresh browser context (its own cookies: one person), reaching only localhost."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route(LOCAL_ONLY, lambda route: route.abort())  # the provider's form links a stylesheet on a CDN
    return context.new_page()


def wait_ready(page) -> None:
    page.wait_for_selector(READY, timeout=90_000)


def sign_in(page, url: str, email: str) -> list[str]:
    """Open the app, sign in as ``email`` on the provider's form; the documents the browser loaded on the way."""
    page.goto(url)
    wait_ready(page)
    documents: list[str] = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(url) + r"/?$"), timeout=30_000)
    wait_ready(page)
    page.get_by_text(f"Aangemeld als {PEOPLE[email]}").wait_for(timeout=30_000)
    return documents


def menu(page) -> list[str]:
    """The menu's page titles (each link's text is its icon's name, then the title)."""
    return [link.inner_text().split("\n")[-1].strip() for link in page.locator("[data-testid=stSidebarNav] a").all()]


def axe_violations(page) -> list:
    """axe-core's WCAG 2.1 A/AA violations on the page (id, impact, first nodes)."""
    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [n["html"][:80] for n in v["nodes"]]) for v in found]


def open_path(page, url: str, path: str) -> None:
    page.goto(url + path)
    wait_ready(page)


def test_nobody_signed_in_sees_only_the_sign_in_page(browser, signed_app):
    page = new_page(browser)
    for path in ("/", "/actielog", "/beheer", "/bestaat-niet"):
        open_path(page, signed_app["url"], path)
        page.get_by_role("heading", name="Kansrijke Start Monitor").wait_for(timeout=30_000)
        page.get_by_role("button", name="Aanmelden").wait_for(timeout=30_000)
        assert menu(page) == []
        assert page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").count() == 0
        assert page.get_by_text("Amsterdam").count() == 0
        assert page.get_by_text("Page not found").count() == 0
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "aanmelden-1280x900.png"))
    page.context.close()


def test_a_bewerker_writes_for_their_coalition_only(browser, signed_app):
    url = signed_app["url"]
    page = new_page(browser, 1920, 1080)
    started = time.monotonic()
    documents = sign_in(page, url, "bob@example.nl")
    elapsed = time.monotonic() - started
    print(
        f"\nsign-in: {len(documents)} page loads in {elapsed * 1000:.0f} ms: "
        + " -> ".join(_path(d) for d in documents)
    )
    page.get_by_role("heading", name="Overzicht: Amsterdam").wait_for(timeout=30_000)
    assert "Gebruikers en rollen" not in menu(page) and "Vergelijken" not in menu(page)
    assert "Overzicht" in menu(page) and "Actielog" in menu(page)

    open_path(page, url, "/actielog?gemeente=Amsterdam")
    page.get_by_role("button", name="Nieuwe actie").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text(re.compile(r"Opgeslagen als: bob\W?@example\.nl")).wait_for()  # a word joiner before @
    dialog.get_by_role("textbox", name="Titel").fill("Spreekuur in de bibliotheek")
    dialog.get_by_role("button", name="Opslaan").click()
    saved = page.get_by_text(re.compile(r"Actie nr\. \d+ is vastgelegd\."))
    saved.wait_for(timeout=30_000)
    action_id = int(re.search(r"\d+", saved.inner_text()).group())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "aangemeld-bewerker-1920x1080.png"))

    open_path(page, url, "/actielog?gemeente=Utrecht")
    page.get_by_role("heading", name=re.compile(r"^Actielog: .*Utrecht")).wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Nieuwe actie").count() == 0
    assert page.get_by_role("button", name="Signaal van ouders vastleggen").count() == 0

    open_path(page, url, "/beheer")
    page.get_by_text("Bob Bewerker mag dit niet: rollen toekennen of intrekken").wait_for(timeout=30_000)
    assert page.locator("[data-testid=stDataFrame]").count() == 0
    page.context.close()
    signed_app["bob_action"] = action_id


def test_a_kijker_reads_and_gets_a_role_from_the_beheerder_without_signing_in_again(browser, signed_app):
    url = signed_app["url"]
    kim = new_page(browser)
    sign_in(kim, url, "kim@example.nl")
    kim.get_by_text("Rol: kijker").wait_for(timeout=30_000)
    assert "Gebruikers en rollen" not in menu(kim) and "Vergelijken" not in menu(kim)
    kim.get_by_role("link", name="Actielog").click()
    wait_ready(kim)
    kim.get_by_role("heading", name=re.compile(r"^Actielog: ")).wait_for()
    assert kim.get_by_role("button", name="Nieuwe actie").count() == 0
    assert kim.get_by_role("button", name="Signaal van ouders vastleggen").count() == 0
    open_path(kim, url, "/beheer")
    kim.get_by_text("Kim Kijker mag dit niet").wait_for(timeout=30_000)

    # Bea, beheerder, grants Kim bewerker of Amsterdam's coalition on the page
    bea = new_page(browser)
    sign_in(bea, url, "bea@example.nl")
    assert "Gebruikers en rollen" in menu(bea) and "Vergelijken" in menu(bea)
    bea.get_by_role("link", name="Gebruikers en rollen").click()
    wait_ready(bea)
    bea.get_by_role("heading", name="Gebruikers en rollen").wait_for()
    bea.get_by_role("textbox", name="E-mailadres").fill("kim@example.nl")
    bea.get_by_role("textbox", name="E-mailadres").press("Enter")
    wait_ready(bea)
    bea.get_by_label("Rol", exact=True).click()
    bea.get_by_role("option", name="bewerker").click()
    wait_ready(bea)
    bea.get_by_label("Coalitie", exact=True).click()
    bea.get_by_label("Coalitie", exact=True).fill("KS-GM0363")
    bea.get_by_role("option", name=re.compile(r"\(KS-GM0363\)")).click()
    wait_ready(bea)
    bea.get_by_role("button", name="Toekennen").click()
    bea.get_by_text(re.compile(r"Rol toegekend aan kim\W?@example\.nl\.")).wait_for(timeout=30_000)
    wait_ready(bea)
    assert axe_violations(bea) == []
    ARTIFACTS.mkdir(exist_ok=True)
    bea.screenshot(path=str(ARTIFACTS / "gebruikers-en-rollen-1280x900.png"), full_page=True)
    bea.context.close()

    # Kim's open session: the next run has the new role (the person is kept per session and data version)
    kim.get_by_role("link", name="Actielog").click()
    wait_ready(kim)
    kim.get_by_text(re.compile(rf"Rol: bewerker van Coalitie .*Amsterdam \({AMSTERDAM}\)")).wait_for(timeout=30_000)
    kim.get_by_role("button", name="Nieuwe actie").wait_for(timeout=30_000)
    kim.context.close()


def test_a_signed_in_page_costs_no_extra_page_load(browser, signed_app, demo_server):
    """What sign-in costs a person who is signed in already: the same page, warm, asks for as many documents and
    websockets as in local mode (the time is for ``benchmarks``, not for a test)."""

    def load(page, url: str) -> int:
        documents: list[str] = []
        listener = lambda r: documents.append(r.url) if r.resource_type in ("document", "websocket") else None  # noqa: E731
        page.on("request", listener)
        page.goto(url + "/over")
        wait_ready(page)
        page.get_by_role("heading", name="Over deze monitor").wait_for(timeout=30_000)
        page.remove_listener("request", listener)
        return len(documents)

    signed = new_page(browser)
    sign_in(signed, signed_app["url"], "kim@example.nl")
    local = new_page(browser)
    load(signed, signed_app["url"])
    load(local, demo_server)  # warm both
    assert load(signed, signed_app["url"]) == load(local, demo_server)
    signed.context.close()
    local.context.close()


def test_the_audit_row_carries_the_signed_in_identity(signed_app):
    """Last in this module: stops the server (DuckDB lets one process hold the file) and reads the audit row of
    the action Bob added."""
    if "bob_action" not in signed_app:
        pytest.skip("runs after test_a_bewerker_writes_for_their_coalition_only")
    signed_app["stop"]()
    Store.close_all()
    trail = actions.audit_trail(Store.open(signed_app["db"]), signed_app["bob_action"])
    Store.close_all()
    assert trail["Wie"].tolist() == ["bob@example.nl"]


def _path(address: str) -> str:
    return re.sub(r"\?.*", "", re.sub(r"^https?://[^/]+", "", address)) or "/"
