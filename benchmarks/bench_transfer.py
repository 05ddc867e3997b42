"""Bytes a browser downloads for a chart page: straight from Streamlit and behind the nginx recipe.

    python -m benchmarks.bench_transfer [--pages overzicht doelen] [--gemeente Almere]   (from the repository root)

Builds the demo database in a temporary folder and starts ``deploy/serve.sh`` on free ports (needs nginx; the
proxy's state, with its self-signed certificate and the compressed static files, is kept in ``--state``, by
default ``kansrijke-bench-transfer`` in the system's temporary folder, so a second run does not compress again).
Headless Chromium opens each page in a new browser context (an empty cache: the first visit) and then again in
a new tab of that context (the repeat visit), each time until every Plotly chart is drawn, three ways: direct
(``http://127.0.0.1:<streamlit port>``), behind the proxy as Chromium asks (brotli), and behind the proxy
asking for gzip only.

Counted from Chromium's DevTools protocol: HTTP bytes on the wire (``Network.loadingFinished``
encodedDataLength: bodies as sent, compressed or not, with headers; TLS records not counted), the requests and
how many came from the browser's cache, and the websocket messages received (Streamlit's ForwardMsgs, as
unpacked: the wire carries them deflated, permessage-deflate, the same direct and behind the proxy).

Chromium is told to trust the certificate (``--ignore-certificate-errors-spki-list``): it does not cache
anything from a site whose certificate error it was told to ignore, and the repeat visit would look like a first.
Benchmarks report; the test suite never times anything.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from kansrijke import demo
from kansrijke.core.config import load_config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.web.pages import PAGES, page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Functions, not expressions: Playwright evaluates an expression with eval, which the proxy's CSP refuses.
DRAWN = """() => { const boxes = document.querySelectorAll('[data-testid="stPlotlyChart"]').length;
  const drawn = [...document.querySelectorAll('.js-plotly-plot')]
    .filter(plot => plot._fullLayout && plot.querySelector('.main-svg')).length;
  return boxes > 0 && drawn === boxes ? boxes : 0; }"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, log: Path) -> None:
    context = ssl._create_unverified_context()  # the self-signed certificate
    deadline = time.monotonic() + 600  # the first start compresses Streamlit's static files
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("deploy/serve.sh did not start:\n" + log.read_text())
        time.sleep(0.5)


@contextlib.contextmanager
def recipe(work: Path, state: Path) -> Iterator[tuple[str, str, Path]]:
    """deploy/serve.sh on a fresh demo database in ``work``; yields (direct url, proxy url, certificate)."""
    db = work / "kansrijke.duckdb"
    demo.build_demo(Store.open(db, create=True), load_config(ROOT / "config.yaml"))
    Store.close_all()
    app_port, proxy_port = _free_port(), _free_port()
    env = {**os.environ, "KANSRIJKE_DB": str(db), "KANSRIJKE_LOG": str(work / "kansrijke.log")}
    env.update(KANSRIJKE_APP_PORT=str(app_port), KANSRIJKE_PROXY_PORT=str(proxy_port), KANSRIJKE_PROXY_STATE=str(state))
    for name in ("CONFIG", "DEMO_DB", "TLS_CERT", "TLS_KEY", "PROXY_ADDRESS", "BROTLI_QUALITY"):
        env.pop(f"KANSRIJKE_{name}", None)  # the recipe as shipped, on 127.0.0.1
    log = work / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(ROOT / "deploy" / "serve.sh")], env=env, stdout=out, stderr=subprocess.STDOUT)
    proxy = f"https://127.0.0.1:{proxy_port}"
    try:
        _wait_for(proxy + "/_stcore/health", proc, log)
        yield f"http://127.0.0.1:{app_port}", proxy, state / "self-signed-FOR-TESTING-ONLY.crt"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def spki_hash(certificate: Path) -> str:
    """base64(sha256(SubjectPublicKeyInfo)) of a PEM certificate, as Chromium's SPKI allow-list wants it."""
    pem = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", str(certificate)], capture_output=True)
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pem.stdout, capture_output=True)
    return base64.b64encode(hashlib.sha256(der.stdout).digest()).decode()


@dataclass
class Transfer:
    http: int = 0  # bytes, as Chromium counts them on the wire
    requests: int = 0
    cached: int = 0  # requests answered from the browser's cache
    failed: int = 0
    ws: int = 0  # websocket message bytes received, unpacked
    charts: int = 0
    sizes: dict[str, int] = field(default_factory=dict)  # url -> bytes on the wire


def visit(context, url: str, title: str, accept_encoding: str | None) -> Transfer:
    """Open ``url`` in a new tab of ``context`` until every chart is drawn; what came over the network."""
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    if accept_encoding:
        cdp.send("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": accept_encoding}})
    result, urls, cached = Transfer(), {}, set()

    def sent(event: dict) -> None:
        urls[event["requestId"]] = event["request"]["url"]

    def received(event: dict) -> None:
        if event["response"].get("fromDiskCache"):
            cached.add(event["requestId"])

    def finished(event: dict) -> None:
        result.http += int(event["encodedDataLength"])
        result.requests += 1
        result.sizes[urls.get(event["requestId"], "?")] = int(event["encodedDataLength"])

    def failed(event: dict) -> None:
        result.failed += 1

    def frame(event: dict) -> None:
        data = event["response"]["payloadData"]
        result.ws += len(base64.b64decode(data)) if event["response"]["opcode"] == 2 else len(data.encode())

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.requestServedFromCache", lambda event: cached.add(event["requestId"]))
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", failed)
    cdp.on("Network.webSocketFrameReceived", frame)
    tab.goto(url)
    tab.wait_for_function(f"() => document.title === {json.dumps(title)}", timeout=90_000)  # this page's run began
    tab.wait_for_selector(READY, timeout=90_000)
    while True:  # the number of charts drawn holds still for a second
        result.charts = tab.wait_for_function(DRAWN, timeout=90_000).json_value()
        tab.wait_for_timeout(1000)
        if tab.evaluate(DRAWN) == result.charts:
            break
    tab.close()
    result.cached = len(cached)
    return result


def _size(n: float) -> str:
    """Decimal units, as the issue counts: 1 MB = 1 000 000 bytes."""
    return f"{n / 1e3:.0f} KB" if n < 1e6 else f"{n / 1e6:.2f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    paths = [p.url_path for p in PAGES]
    parser.add_argument("--pages", nargs="+", default=["overzicht", "doelen"], choices=paths)
    parser.add_argument("--gemeente", default="Almere")
    parser.add_argument("--state", type=Path, default=Path(tempfile.gettempdir()) / "kansrijke-bench-transfer")
    parser.add_argument("--largest", type=int, default=0, help="list the N largest responses of each first visit")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work, recipe(Path(work), args.state) as (direct, proxy, cert):
        ways = [("direct", direct, None), ("proxy br", proxy, None), ("proxy gzip", proxy, "gzip, deflate")]
        flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
        flags.append(f"--ignore-certificate-errors-spki-list={spki_hash(cert)}")
        row = "{:<11} {:<11} {:<7} {:>10} {:>14} {:>9} {:>8} {:>7} {:>10} {:>7}"
        print(row.format("page", "way", "visit", "http", "bytes", "requests", "cached", "failed", "ws msgs", "charts"))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
            for url_path in args.pages:
                target = page(url_path)
                title = t("app.page_title", page=target.title, app=t("app.title"))
                address = f"{'' if target.default else url_path}?gemeente={args.gemeente}"
                for way, base, encoding in ways:
                    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1920, "height": 1080})
                    for label in ("first", "repeat"):
                        got = visit(context, f"{base}/{address}", title, encoding)
                        cells = [_size(got.http), f"{got.http:,}", got.requests, got.cached, got.failed]
                        print(row.format(url_path, way, label, *cells, _size(got.ws), got.charts))
                        if label == "first":
                            for name, size in sorted(got.sizes.items(), key=lambda item: -item[1])[: args.largest]:
                                print(f"{'':<31}{_size(size):>10}  {name.rsplit('/', 1)[-1][:60]}")
                    context.close()
            browser.close()


if __name__ == "__main__":
    main()
