"""Warm script-run time of every view of the Vergelijken page in AppTest, all 342 municipalities, and the
size of the largest figure sent to the browser (its JSON spec).

    python -m benchmarks.bench_compare [--runs 10]

The map uses the boundaries shipped in data/ (config ``reference.boundaries``).

Budget (issue "Compare municipalities fairly"): every view under 500 ms warm, no figure over 1 MB of
JSON. Timings stay out of the test suite on purpose (no timed assertions).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kansrijke import demo
from kansrijke.core.config import load_config
from kansrijke.core.store import Store
from kansrijke.web.pages import page

ROOT = Path(__file__).resolve().parent.parent

# view label in the URL (?weergave=...) -> extra URL choices
VIEWS = {
    "Trechter": {},
    "Trechter, 3 jaar samen": {"drie_jaar": "true"},
    "Rangorde": {},
    "Trend": {},
    "Heatmap": {},
    "Kaart": {},
    "Coalities": {},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp())
    db = work / "demo.duckdb"  # no own database beside it: the demo file is the active one
    os.environ.pop("KANSRIJKE_CONFIG", None)
    os.environ["KANSRIJKE_DB"] = str(work / "kansrijke.duckdb")
    os.environ["KANSRIJKE_DEMO_DB"] = str(db)
    started = time.perf_counter()
    demo.build_demo(Store.open(db, create=True), load_config(ROOT / "config.yaml"))
    print(f"demo database built in {time.perf_counter() - started:.2f} s")

    worst_size = 0
    for label, extra in VIEWS.items():
        view = label.split(",")[0]
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.query_params["weergave"] = view
        for key, value in extra.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(page("vergelijken").script)
        t0 = time.perf_counter()
        at.run()  # cold for this view
        cold = (time.perf_counter() - t0) * 1000
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, at.exception
        charts = at.get("plotly_chart")
        assert charts, f"{label}: no chart"
        biggest = max(len(c.proto.spec.encode("utf-8")) for c in charts)
        worst_size = max(worst_size, biggest)
        print(
            f"{label:<24} cold {cold:6.0f} ms  warm median {statistics.median(times):5.0f} ms  "
            f"worst {max(times):5.0f} ms  charts {len(charts)}  largest figure JSON {biggest / 1024:6.0f} KB"
        )
    print(f"largest figure JSON over all views: {worst_size / 1024:.0f} KB (budget 1024 KB)")


if __name__ == "__main__":
    main()
