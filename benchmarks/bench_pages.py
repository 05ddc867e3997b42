"""Warm script-run time of every page in AppTest on the national demo database.

    python benchmarks/bench_pages.py [--runs 10]

Prints the median and worst warm run per page and the size of the largest chart
sent to the browser. Timings stay out of the test suite on purpose.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "Overzicht": None,
    "Doelen en resultaten": "pages/doelen.py",
    "Raadsinformatie": "pages/raadsinformatie.py",
    "Vergelijken": "pages/vergelijken.py",
    "Actielog": "pages/actielog.py",
    "Vergadermodus": "pages/vergadermodus.py",
    "Zelfscan": "pages/zelfscan.py",
    "Gegevens": "pages/gegevens.py",
    "Over deze monitor": "pages/over.py",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    from kansrijke import demo
    from kansrijke.core.config import load_config
    from kansrijke.core.store import Store

    db = Path(tempfile.mkdtemp()) / "kansrijke.duckdb"
    started = time.perf_counter()
    demo.build_demo(Store.open(db, create=True), load_config())
    print(f"demo database built in {time.perf_counter() - started:.2f} s")
    os.environ["KANSRIJKE_DB"] = str(db)

    from streamlit.testing.v1 import AppTest

    for label, page in PAGES.items():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        if page:
            at.switch_page(page)
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
