"""Wall-clock time of ``python -m kansrijke status --json`` for every coalition of the national demo, as a user
runs it (a new process each time: imports, the disclosure plans from the file beside the database).

    python -m benchmarks.bench_status [--runs 5]      (from the repository root)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kansrijke import demo
from kansrijke.core.config import load_config
from kansrijke.core.store import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "kansrijke.duckdb"
    demo.build_demo(Store.open(db, create=True), load_config())
    Store.close_all()
    env = {**os.environ, "KANSRIJKE_DB": str(db)}
    command = [sys.executable, "-m", "kansrijke", "status", "--json"]
    first = time.perf_counter()
    out = subprocess.run(command, env=env, capture_output=True, check=True, text=True).stdout
    cold = time.perf_counter() - first
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    print(
        f"status --json, {len(json.loads(out))} coalitions: first run {cold:.2f} s (makes the disclosure plans), "
        f"then median {statistics.median(times):.2f} s, worst {max(times):.2f} s"
    )


if __name__ == "__main__":
    main()
