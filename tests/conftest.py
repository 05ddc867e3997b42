"""Shared fixtures: one demo database per test session, clean Streamlit caches per test."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from kansrijke.core.config import load_config
from kansrijke.core.store import Store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"  # reference files shipped with the app (tests never read outside the repository)


@pytest.fixture(scope="session", autouse=True)
def server_log(tmp_path_factory) -> Path:
    """The failure log of this test session (``KANSRIJKE_LOG``), never the repository's ``logs/``; servers
    started by tests inherit it."""
    path = tmp_path_factory.mktemp("logs") / "kansrijke.log"
    previous = os.environ.get("KANSRIJKE_LOG")
    os.environ["KANSRIJKE_LOG"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("KANSRIJKE_LOG", None)
    else:
        os.environ["KANSRIJKE_LOG"] = previous


@pytest.fixture(scope="session")
def config():
    return load_config(ROOT / "config.yaml")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, config) -> Path:
    """A demo database built once per session (read it, don't change it)."""
    from kansrijke import demo

    path = tmp_path_factory.mktemp("demo") / "kansrijke.duckdb"
    store = Store.open(path, create=True)
    demo.build_demo(store, config)
    return path


@pytest.fixture
def beheerder():
    """A signed-in beheerder: every write command takes the person who does it (``kansrijke.access``)."""
    from kansrijke import access

    return access.Person("beheerder@example.nl", "Bea Beheerder", frozenset({(access.BEHEERDER, None)}), True)


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo database that a test may change."""
    Store.close_all()
    target = tmp_path / "kansrijke.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def own_copy(demo_copy) -> Path:
    """A private copy of the demo database marked as own data (meta ``demo`` "0"), so imports are allowed;
    meta ``demo_today`` is kept, so "today" stays the demo's snapshot date and statuses stay as computed."""
    with Store.open(demo_copy).write() as w:
        w.set_meta("demo", "0")
    Store.close_all()
    return demo_copy


def _app_on(monkeypatch, path: Path):
    """Point the app at ``path`` with empty Streamlit caches before and after."""
    import streamlit as st

    monkeypatch.setenv("KANSRIJKE_DB", str(path))
    monkeypatch.delenv("KANSRIJKE_CONFIG", raising=False)
    monkeypatch.delenv("KANSRIJKE_DEMO_DB", raising=False)  # the demo file sits beside ``path``
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(monkeypatch, demo_db):
    """The app on the session's demo database (read only by the test)."""
    yield from _app_on(monkeypatch, demo_db)


@pytest.fixture
def writable_app(monkeypatch, demo_copy):
    """The app on a private copy of the demo database that the test may change."""
    yield from _app_on(monkeypatch, demo_copy)
    Store.close_all()


@pytest.fixture
def own_app(monkeypatch, own_copy):
    """The app on ``own_copy`` (the demo's rows marked as own data): for tests that import through a page."""
    yield from _app_on(monkeypatch, own_copy)
    Store.close_all()


def open_app(page: str | None = None, timeout: int = 90, **query):
    """AppTest of app.py with URL parameters, switched to ``page`` (None: the start page), run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def write_config(tmp_path: Path, replace: dict[str, str] | None = None, append: str = "") -> Path:
    """A copy of config.yaml with text replacements, in ``tmp_path`` (paths made absolute)."""
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, f"{old!r} not in config.yaml"
        text = text.replace(old, new, 1)
    text = text.replace("data/gemeenten_2025.csv", str(ROOT / "data/gemeenten_2025.csv"))
    text = text.replace("data/gids_demo.csv", str(ROOT / "data/gids_demo.csv"))
    text = text.replace("data/gemeenten_2024.geojson", str(ROOT / "data/gemeenten_2024.geojson"))
    target = tmp_path / "config.yaml"
    target.write_text(text + append, encoding="utf-8")
    return target


@contextlib.contextmanager
def lock_held_by_another_process(path: Path):
    """Another process opens ``path`` read-write (DuckDB's file lock) for the duration of the block."""
    code = f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(120)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        yield
    finally:
        holder.kill()
        holder.wait()


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def make_read_only(folder: Path):
    """Make ``folder`` unwritable, also for root (immutable attribute); returns an undo function."""
    if running_as_root():
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)
    os.chmod(folder, 0o555)
    return lambda: os.chmod(folder, 0o755)


# -- the command line, in this process ------------------------------------------------------------------------
@dataclass
class CliRun:
    """What a user sees after ``python -m kansrijke ...``: the exit code and the text on stdout and stderr."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``python -m kansrijke *args`` in this process through ``kansrijke.cli.main.main(argv)``, from the
    repository folder, with ``KANSRIJKE_DB=db`` (and ``env``) and without ``KANSRIJKE_CONFIG`` and
    ``KANSRIJKE_DEMO_DB`` (so the demo file is ``demo.duckdb`` beside ``db``).

    Every open store is closed before and after, as if the command were its own process (DuckDB allows only
    one kind of connection to a file per process, and a test must see what the command wrote). ``--help`` and
    argparse's usage errors end in ``SystemExit``: its code is the exit code, as in a separate process."""
    from kansrijke.cli.main import main

    def run(*args: str, db: Path | None = None, env: dict[str, str] | None = None) -> CliRun:
        with monkeypatch.context() as m:
            m.chdir(ROOT)
            m.delenv("KANSRIJKE_CONFIG", raising=False)
            m.delenv("KANSRIJKE_DEMO_DB", raising=False)  # the demo file sits beside ``db``
            if db is not None:
                m.setenv("KANSRIJKE_DB", str(db))
            for key, value in (env or {}).items():
                m.setenv(key, value)
            capsys.readouterr()  # output printed before this command is not its output
            Store.close_all()
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            finally:
                Store.close_all()
            out, err = capsys.readouterr()
        return CliRun(code, out, err)

    return run


# -- browser tests: one headless Chromium per session, `streamlit run app.py` servers ------------------------
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# "notRunning" is also the state before the first run has begun; every page has an h1 once it ran
RAN = READY + ":has(h1)"


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@contextlib.contextmanager
def _serve(data_dir: Path, config: Path | None = None):
    """`streamlit run app.py` on a free port with its database in ``data_dir`` (and ``config`` when given);
    yields (url, start time)."""
    port = _free_port()
    env = {**os.environ, "KANSRIJKE_DB": str(data_dir / "kansrijke.duckdb")}
    env.pop("KANSRIJKE_CONFIG", None)
    env.pop("KANSRIJKE_DEMO_DB", None)
    if config is not None:
        env["KANSRIJKE_CONFIG"] = str(config)
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
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
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
    try:
        yield url, started
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def serve_demo_copy(data_dir: Path, demo_db: Path, config: Path | None = None, own: bool = False):
    """`streamlit run app.py` on a copy of the session's demo database in ``data_dir`` (no demo to build);
    ``own``: the copy marked as own data (imports allowed), as ``own_copy``."""
    Store.close_all()  # the file is complete on disk before it is copied
    target = data_dir / "kansrijke.duckdb"
    shutil.copy(demo_db, target)
    if own:
        with Store.open(target).write() as w:
            w.set_meta("demo", "0")
        Store.close_all()
    return _serve(data_dir, config)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, demo_db):
    """One `streamlit run app.py` for the browser tests that only read: a copy of the demo database, the
    shipped config with ``reference.boundaries`` set to the shipped GeoJSON (so the map can be drawn)."""
    data_dir = tmp_path_factory.mktemp("demo-app")
    config = write_config(data_dir)
    with serve_demo_copy(data_dir, demo_db, config) as (url, _):
        yield url


def _open(browser, url: str, width: int = 1920, height: int = 1080, charts: bool = True):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector(RAN, timeout=90_000)
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    return page
