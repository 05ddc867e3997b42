"""The Actielog page with 100,000 actions for one coalition: warm AppTest runs, the queries behind it, writes.

    python -m benchmarks.bench_actielog [--runs 10] [--actions 100000] [--screenshot artifacts/actielog.png]

Builds the demo database in a temporary folder, adds ``--actions`` actions to Amsterdam's coalition in one
``insert_df``, then prints:
- the page's warm script-run time in AppTest (median and worst of ``--runs``), unfiltered and with filters;
- how much reaches the browser: charts, the largest figure JSON, rows in tables;
- the uncached queries (search, monthly timeline, attention) and the writes (create, stale-checked update).
With ``--screenshot`` it also serves the app and saves a 1920x1080 Chromium screenshot of the page.
Timings stay out of the test suite on purpose.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from kansrijke import access, actions, demo
from kansrijke.actions import charts as action_charts
from kansrijke.core.config import load_config
from kansrijke.core.store import Store
from kansrijke.demo.build import PARTNERS
from kansrijke.web.pages import page

ROOT = Path(__file__).resolve().parent.parent
COALITION = "KS-GM0363"


def add_actions(store, count: int, seed: int = 7) -> None:
    """``count`` plausible actions for ``COALITION`` (dates 2019 to 2026, statuses, goals, principles)."""
    rng = np.random.default_rng(seed)
    existing = store.query(
        "actions_search",
        {
            "coalition_id": COALITION,
            "statuses": [],
            "owners": [],
            "goals": [],
            "principles": [],
            "date_from": None,
            "date_to": None,
            "text": "",
            "limit": 500,
        },
    )
    goals = list(store.query("goals", {"coalition_id": COALITION})["id"])
    titles = existing["title"].unique()
    owners = existing["owner"].dropna().unique()
    start = np.datetime64("2019-04-15")
    days = rng.integers(0, (np.datetime64("2026-12-31") - start).astype(int), count)
    dates = start + days.astype("timedelta64[D]")
    partner_ids = np.array(list(PARTNERS))
    frame = pd.DataFrame(
        {
            "coalition_id": COALITION,
            "action_date": pd.to_datetime(dates).date,
            "title": rng.choice(titles, count),
            "description": "Extra actie voor de benchmark.",
            "owner": rng.choice(owners, count),
            "status": rng.choice(["afgerond", "lopend", "gepland", "vervallen"], count, p=[0.8, 0.1, 0.05, 0.05]),
            "goal_id": [
                goals[i] if i < len(goals) else None for i in rng.integers(0, int(len(goals) / 0.7) + 1, count)
            ],
            "principles": [sorted(set(rng.integers(1, 11, rng.integers(1, 4)).tolist())) for _ in range(count)],
            "partners": [rng.choice(partner_ids, rng.integers(1, 4), replace=False).tolist() for _ in range(count)],
            "level": rng.choice(["bestuurlijk", "uitvoerend"], count),
            "created_at": pd.Timestamp("2026-01-01 09:00"),
            "version": 1,
        }
    )
    with store.write() as w:
        first = w.next_id("actions")
        frame.insert(0, "id", np.arange(first, first + count, dtype=np.int64))
        w.insert_df("actions", frame)


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def page_runs(runs: int, label: str, query: dict[str, str | list[str]] | None = None) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page("actielog").script)
    t0 = time.perf_counter()
    at.run()  # cold for this page (queries run, caches fill)
    cold = (time.perf_counter() - t0) * 1000
    assert not at.exception, at.exception
    median, worst = timed(at.run, runs)
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    biggest = max((len(c.proto.spec.encode("utf-8")) for c in charts), default=0)
    rows = sum(len(d.value) for d in at.dataframe)
    print(
        f"{label:<34} cold {cold:6.0f} ms  warm median {median:5.0f} ms  worst {worst:5.0f} ms  "
        f"charts {len(charts)}  largest chart JSON {biggest / 1024:5.1f} KB  table rows sent {rows}"
    )
    print(f"{'':<34} {[m.value for m in at.markdown if 'actie(s)' in m.value][0][:110]}")


def screenshot(db: Path, target: Path) -> None:
    from playwright.sync_api import sync_playwright  # lazy: only with --screenshot (Playwright is a test tool)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "KANSRIJKE_DB": str(db)}
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            tab = browser.new_page(viewport={"width": 1920, "height": 1080})
            t0 = time.perf_counter()
            tab.goto(f"{url}/{page('actielog').url_path}")
            tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
            tab.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
            print(f"browser: first load of the page to charts drawn {time.perf_counter() - t0:.1f} s")
            tab.wait_for_timeout(1000)
            target.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(target))
            print(f"screenshot: {target}")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args()

    db = Path(tempfile.mkdtemp()) / "kansrijke.duckdb"
    started = time.perf_counter()
    store = Store.open(db, create=True)
    demo.build_demo(store, load_config())
    print(f"demo database built in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    add_actions(store, args.actions)
    total = actions.search(store, COALITION, actions.ActionFilter())[0]
    print(f"{args.actions} actions added in {time.perf_counter() - started:.2f} s; {COALITION} now has {total}")

    today = dt.date(2026, 11, 24)
    every = actions.ActionFilter()
    narrow = actions.ActionFilter(statuses=("lopend",), principles=(7,), text="ouders")
    for label, fn in (
        ("query: search, newest 200 + count", lambda: actions.page_rows(store, COALITION, every)),
        ("query: search with filters + text", lambda: actions.page_rows(store, COALITION, narrow)),
        ("query: timeline per month", lambda: action_charts.timeline_chart(store, COALITION, every, today)),
        ("query: attention (heat maps, quiet)", lambda: action_charts.attention(store, COALITION, today, 6)),
        ("query: audit trail of one action", lambda: actions.audit_trail(store, 1)),
    ):
        median, worst = timed(fn, 5)
        print(f"{label:<40} median {median:6.1f} ms  worst {worst:6.1f} ms")

    holder: dict[str, int] = {}

    def create() -> None:
        holder["id"] = actions.create_action(
            store,
            COALITION,
            {"action_date": today, "title": "Benchmark", "status": "gepland", "principles": [1]},
            access.operator(),
        )

    def update() -> None:
        found = actions.get_action(store, holder["id"])
        actions.update_action(
            store, holder["id"], found["version"], {"title": f"Benchmark {found['version']}"}, access.operator()
        )

    for label, fn in (
        ("write: create_action (+audit, integrity)", create),
        ("write: update_action (compare-and-set)", update),
    ):
        median, worst = timed(fn, 5)
        print(f"{label:<40} median {median:6.1f} ms  worst {worst:6.1f} ms")
    store.close()

    os.environ["KANSRIJKE_DB"] = str(db)
    try:
        page_runs(args.runs, "page: no filters")
        page_runs(
            args.runs,
            "page: status+principle+text filter",
            {"status": "lopend", "principe": "7 Positieve wijkframe", "zoek": "ouders"},
        )
        Store.close_all()  # DuckDB allows one read-write process: let a served app open the file
        if args.screenshot:
            screenshot(db, args.screenshot)
    finally:
        shutil.rmtree(db.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
