"""The shipped ``.streamlit/config.toml`` serves in production mode (issue 15): the websocket compresses its
messages (permessage-deflate, as browsers offer it), no file watcher offers "Rerun" to users, and no full
garbage collection runs after every script run."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
from conftest import ROOT, _open
from websockets.sync.client import connect
from websockets.typing import Subprotocol

pytestmark = pytest.mark.browser


def test_the_websocket_compresses_what_it_sends(demo_server):
    stream = demo_server.replace("http://", "ws://") + "/_stcore/stream"
    with connect(stream, subprotocols=[Subprotocol("streamlit")], compression="deflate", proxy=None) as ws:
        assert "permessage-deflate" in (ws.response.headers.get("Sec-WebSocket-Extensions") or "")


def test_no_file_watcher_offers_a_rerun(browser, demo_server):
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert settings["fileWatcherType"] == "none"
    page = _open(browser, f"{demo_server}/over", 1280, 720, charts=False)
    (ROOT / "pages" / "over.py").touch()  # a changed file: with a watcher, the page would offer "Rerun"
    page.wait_for_timeout(2_000)
    assert page.get_by_text("Rerun").count() == 0
    page.context.close()


def test_no_full_garbage_collection_after_every_run():
    """Streamlit collects all garbage after every script run by default; with the caches in memory that took half
    of the server's time under load. The shipped setting turns it off, and Streamlit reads it as meant."""
    read = "from streamlit import config; print(config.get_option('runner.postScriptGC'))"
    out = subprocess.run([sys.executable, "-c", read], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
