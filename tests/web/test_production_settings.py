"""The shipped ``.streamlit/config.toml`` serves in production mode (issue 15): the websocket compresses its
messages (permessage-deflate, as browsers offer it) and no file watcher offers "Rerun" to users."""

from __future__ import annotations

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
