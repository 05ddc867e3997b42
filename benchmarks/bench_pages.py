"""Warm script-run time of every page in AppTest on the national demo database.

    python -m benchmarks.bench_pages [--runs 10]      (from the repository root)

Prints the median and worst warm run per page and the size of the largest chart
sent to the browser. Timings stay out of the test suite on purpose.
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
from kansrijke.web.pages import PAGES

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    db = Path(tempfile.mkdtemp()) / "kansrijke.duckdb"
    started = time.perf_counter()
    demo.build_demo(Store.open(db, create=True), load_config())
    print(f"demo database built in {time.perf_counter() - started:.2f} s")
    os.environ["KANSRIJKE_DB"] = str(db)

    for page in PAGES:
        label = page.title
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        if not page.default:
            at.switch_page(page.script)
        at.run()  # cold for this page
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
        assert not at.exception, at.exception
        charts = at.get("plotly_chart")
        biggest = max((len(c.proto.spec) for c in charts), default=0)
        print(
            f"{label:<20} warm median {statistics.median(times):6.0f} ms  worst {max(times):6.0f} ms  "
            f"charts {len(charts)}  largest chart JSON {biggest / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()
