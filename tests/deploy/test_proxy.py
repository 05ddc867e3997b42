"""The production recipe, deploy/serve.sh: Streamlit behind nginx with TLS, pre-compressed immutable static files,
the websocket passed through, both stopped together. Skipped without nginx, unless ``KANSRIJKE_PROXY_TESTS=1``:
then a missing nginx fails."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from conftest import READY, ROOT
from websockets.sync.client import connect

from kansrijke.core.store import Store

SERVE = ROOT / "deploy" / "serve.sh"
TLS = ssl._create_unverified_context()  # the recipe's self-signed certificate
IMMUTABLE = "public, max-age=31536000, immutable"
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so").exists()


@pytest.fixture(scope="module", autouse=True)
def nginx_installed():
    if not shutil.which("nginx"):
        reason = "nginx not installed (apt-get install nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static)"
        if os.environ.get("KANSRIJKE_PROXY_TESTS") == "1":
            pytest.fail(f"KANSRIJKE_PROXY_TESTS=1 but {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recipe:
    """deploy/serve.sh on free ports, a copy of the demo database and a state folder of its own."""

    def __init__(self, folder: Path, demo_db: Path, **env: str) -> None:
        Store.close_all()
        shutil.copy(demo_db, folder / "kansrijke.duckdb")
        self.state = folder / "state"
        self.app_port, self.port = _free_port(), _free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("KANSRIJKE_", "STREAMLIT_"))}
        self.env.update(
            KANSRIJKE_DB=str(folder / "kansrijke.duckdb"),
            KANSRIJKE_LOG=os.environ.get("KANSRIJKE_LOG", str(folder / "kansrijke.log")),
            KANSRIJKE_APP_PORT=str(self.app_port),
            KANSRIJKE_PROXY_PORT=str(self.port),
            KANSRIJKE_PROXY_STATE=str(self.state),
            KANSRIJKE_BROTLI_QUALITY="5",  # 11 takes a minute of both cores; the test checks that, not how small
            **env,
        )
        self.log = folder / "serve.log"
        self.proc: subprocess.Popen | None = None

    def run(self) -> subprocess.CompletedProcess:
        return subprocess.run([str(SERVE)], env=self.env, capture_output=True, text=True, timeout=60)

    def start(self) -> Recipe:
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [str(SERVE)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, as in a terminal
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # Ctrl-C as in a terminal
            )
        deadline = time.monotonic() + 180
        while self.get("/_stcore/health")[0] != 200:
            assert self.proc.poll() is None and time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.5)
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # never leave servers behind
                self.proc.wait()

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers in lower case, body as sent) of an HTTPS GET through nginx; (0, {}, b"") when closed."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=TLS, timeout=10)
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        except OSError:
            return 0, {}, b""
        finally:
            conn.close()

    def url(self, path: str = "/") -> str:
        return f"https://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="module")
def recipe(tmp_path_factory, demo_db):
    running = Recipe(tmp_path_factory.mktemp("proxy"), demo_db).start()
    yield running
    running.stop()


def test_https_answers_with_the_page_and_the_security_headers(recipe):
    status, headers, body = recipe.get("/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert b'<div id="root">' in gzip.decompress(body)
    assert headers["strict-transport-security"].startswith("max-age=")
    assert headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-cache"  # Streamlit's own for the page: a new version shows at once
    assert "nginx/" not in headers["server"]  # no version given away


def test_static_files_come_pre_compressed_and_immutable(recipe):
    _, _, page = recipe.get("/")
    script = re.search(rb'src="\./(static/js/index\.[\w-]+\.js)"', page).group(1).decode()
    static = next(recipe.state.glob("static-*"))  # serve.sh's links to Streamlit's files, and the compressed ones
    status, headers, body = recipe.get(f"/{script}", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == IMMUTABLE and headers["content-type"] == "application/javascript"
    assert gzip.decompress(body) == (static / script).read_bytes()
    # served from the .gz serve.sh made (gzip_static), not compressed per request
    assert body == (static / f"{script}.gz").read_bytes()
    if BROTLI:
        status, headers, body = recipe.get(f"/{script}", **{"Accept-Encoding": "gzip, br"})
        assert headers["content-encoding"] == "br" and headers["cache-control"] == IMMUTABLE
        assert body == (static / f"{script}.br").read_bytes()
    assert recipe.get("/static/js/no-such-file.js")[0] == 404  # not Streamlit's index.html in its place


def test_the_websocket_upgrades_through_the_proxy(recipe):
    with connect(
        recipe.url("/_stcore/stream").replace("https", "wss", 1),
        ssl=TLS,
        subprotocols=["streamlit"],
        origin=recipe.url(""),
        open_timeout=10,
        proxy=None,
    ) as ws:
        assert ws.response.status_code == 101 and ws.subprotocol == "streamlit"
        # Streamlit's compressed websocket messages (.streamlit/config.toml) pass nginx
        assert "permessage-deflate" in ws.response.headers.get("Sec-WebSocket-Extensions", "")


@pytest.mark.browser
def test_in_chromium_a_chart_page_renders_through_the_proxy_without_a_policy_violation(browser, recipe):
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    console, origins = [], set()
    page.on("console", lambda message: console.append(message.text))
    page.on("request", lambda request: origins.add(request.url.split("/")[2]))
    page.goto(recipe.url("/?gemeente=Almere"))
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)  # Plotly's chunk came and drew
    assert page.locator("h1").first.inner_text() == "Overzicht: Almere"  # the app's run came over the websocket
    context.close()
    assert origins == {f"127.0.0.1:{recipe.port}"}
    assert [text for text in console if "Content Security Policy" in text] == []


def test_an_address_others_reach_is_refused_without_sign_in(tmp_path, demo_db):
    no_secrets = str(tmp_path / "no-secrets.toml")  # whatever secrets.toml this computer has
    refused = Recipe(tmp_path, demo_db, KANSRIJKE_PROXY_ADDRESS="0.0.0.0", STREAMLIT_SECRETS_FILES=no_secrets).run()
    assert refused.returncode == 2 and "sign-in is not configured" in refused.stderr
    assert not (tmp_path / "state").exists()  # nothing started


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize(
    ("signalled", "exit_code"),
    [("serve.sh", 143), ("ctrl-c", 130), ("nginx", 1)],  # SIGTERM to the script; SIGINT to all; nginx ends
)
def test_a_signal_stops_both_and_either_ending_stops_the_other(tmp_path, demo_db, signalled, exit_code):
    recipe = Recipe(tmp_path, demo_db).start()
    try:
        app = int((recipe.state / "streamlit.pid").read_text())
        nginx = int((recipe.state / "nginx.pid").read_text())
        if signalled == "ctrl-c":
            os.killpg(recipe.proc.pid, signal.SIGINT)
        else:
            os.kill(recipe.proc.pid if signalled == "serve.sh" else nginx, signal.SIGTERM)
        assert recipe.proc.wait(timeout=60) == exit_code
        assert _gone(app) and _gone(nginx)
        assert _closed(recipe.app_port) and _closed(recipe.port)
    finally:
        recipe.stop()
