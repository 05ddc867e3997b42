"""Wall-clock time of ``python -m kansrijke status --json`` for every coalition of the national demo, as a user
runs it (a new process each time: imports, the disclosure plans from the file beside the database). The CPU
time of the process (user + system) is printed beside it: on a shared machine it varies much less than the
wall-clock time, so it tells a change from noise.

    python -m benchmarks.bench_status [--runs 5]      (from the repository root)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
    cold, cold_cpu, out = _run(command, env)
    times, cpus = [], []
    for _ in range(args.runs):
        wall, cpu, _ = _run(command, env)
        times.append(wall)
        cpus.append(cpu)
    print(
        f"status --json, {len(json.loads(out))} coalitions: first run {cold:.2f} s (makes the disclosure plans; "
        f"CPU {cold_cpu:.2f} s), then median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
        f"(CPU median {statistics.median(cpus):.2f} s)"
    )


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """One run as a new process: (wall-clock seconds, CPU seconds of the process, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(command, env=env, capture_output=True, check=True, text=True).stdout
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out


if __name__ == "__main__":
    main()
