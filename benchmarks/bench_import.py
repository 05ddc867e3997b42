"""Time and memory of the import engine on national-size files, step by step.

    python -m benchmarks.bench_import [--actions 100000] [--years 11] [--only SCENARIO] [--profile]

Builds the demo database in a temporary folder, then for each scenario writes the file in one process
and imports it in a fresh one (so the peak memory of the setup or another scenario does not hide in
the import's):

- ``indicatoren``: a national long-form CSV, every catalogue indicator x 342 municipalities x
  ``--years`` years (about 100k rows), with values that differ from the stored ones, so every row is
  written (changed or added);
- ``coalitie-nieuw``: one coalition's plan workbook with ``--actions`` new actions (the action log);
- ``coalitie-gewijzigd``: the same log already stored, and a workbook in which every action changed.

Per step it prints seconds, the process's peak resident memory so far (``ru_maxrss``) and the resident
memory now. Steps: build the file (setup, not part of an import), parse/validate (``read_upload``),
compare with the database (what ``prepare`` does after parsing), apply, undo. Target: each import
(parse + compare + apply) under 5 s, peak under 500 MB. ``--profile`` prints the top of a cProfile
of each import step. Timings stay out of the test suite on purpose.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SELF = [sys.executable, "-m", "benchmarks.bench_import"]  # each step in a fresh process (see main)
TARGET_SECONDS = 5.0
TARGET_MB = 500


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1024 / 1024


class Steps:
    def __init__(self, title: str, profile: bool):
        self.title = title
        self.profile = profile
        self.seconds: dict[str, float] = {}
        print(f"  -- {title} (own process; start: rss {rss_mb():.0f} MB)")

    def timed(self, label: str, fn, *args, profile: bool = False):
        profiler = cProfile.Profile() if (profile and self.profile) else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        result = fn(*args)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        self.seconds[label] = seconds
        print(f"  {label:<28} {seconds:7.2f} s   peak {peak_mb():6.0f} MB   rss {rss_mb():6.0f} MB", flush=True)
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
            print("\n".join("      " + line for line in out.getvalue().splitlines()[4:]))
        return result

    def verdict(self, import_steps: tuple[str, ...]) -> None:
        total = sum(self.seconds[s] for s in import_steps)
        ok = total < TARGET_SECONDS and peak_mb() < TARGET_MB
        print(
            f"  import ({' + '.join(import_steps)}) = {total:.2f} s, peak {peak_mb():.0f} MB "
            f"-> {'OK' if ok else 'OVER TARGET'} (< {TARGET_SECONDS:g} s, < {TARGET_MB} MB)"
        )


# -- files -----------------------------------------------------------------------------------------
def indicator_file(config, municipalities, years: int) -> bytes:
    """Every catalogue indicator x every municipality x ``years`` years, values from a fixed seed."""
    import numpy as np  # lazy: parent stays small
    import pandas as pd  # lazy: parent stays small

    from kansrijke.dataio.ingest.indicators import export_indicators  # lazy: parent stays small

    ids = [ind.id for ind in config.indicatoren]
    codes = sorted(municipalities["code"])
    periods = list(range(2025 - years, 2025))
    index = pd.MultiIndex.from_product([codes, ids, periods], names=["municipality_code", "indicator_id", "period"])
    frame = index.to_frame(index=False)
    rng = np.random.default_rng(7)
    # 1..50 fits every unit (% between 0 and 100, rates non-negative); 3 decimals, so never equal to a stored value
    frame["value"] = rng.uniform(1, 50, len(frame)).round(3) + 0.0005
    frame["numerator"] = pd.array([None] * len(frame), dtype="Int64")
    frame["denominator"] = pd.array([None] * len(frame), dtype="Int64")
    frame["source"] = "Benchmark"
    frame["reference_date"] = None
    frame["data_status"] = "voorlopig"
    return export_indicators(frame)


def plan_tables(store, coalition_id: str, actions: int) -> dict:
    """The stored plan of one coalition, with a synthetic action log of ``actions`` rows."""
    import numpy as np  # lazy: parent stays small
    import pandas as pd  # lazy: parent stays small

    ambitions = store.table("ambitions")
    ambitions = ambitions[ambitions["coalition_id"] == coalition_id]
    goals = store.table("goals")
    goals = goals[goals["ambition_id"].isin(ambitions["id"])]
    results = store.table("results")
    results = results[results["ambition_id"].isin(ambitions["id"])]
    rng = np.random.default_rng(11)
    start = dt.date(2015, 1, 1)
    goal_ids = list(goals["id"]) + [None] * max(1, len(goals))
    statuses = ["gepland", "lopend", "afgerond", "vervallen"]
    partners = ["jgz", "ggd", "gemeente", "verloskundigen", "kraamzorg", "sociaal team"]
    rows = []
    for n in range(actions):
        rows.append(
            {
                "coalition_id": coalition_id,
                "action_date": start + dt.timedelta(days=int(rng.integers(0, 4000))),
                "title": f"Actie {n + 1}: overleg met partners over de aanpak",
                "description": "Afspraken gemaakt over de inzet van de partners in de wijk." if n % 3 else None,
                "owner": "Coördinator JGZ",
                "status": statuses[n % 4],
                "goal_id": goal_ids[n % len(goal_ids)],
                "principles": sorted({int(p) for p in rng.integers(1, 11, 2)}),
                "partners": [partners[n % 6], partners[(n + 2) % 6]],
                "level": "uitvoerend" if n % 2 else "bestuurlijk",
            }
        )
    coalitions = store.table("coalitions")
    members = store.table("coalition_members")
    return {
        "coalitions": coalitions[coalitions["id"] == coalition_id],
        "coalition_members": members[members["coalition_id"] == coalition_id],
        "ambitions": ambitions,
        "goals": goals,
        "results": results,
        "actions": pd.DataFrame(rows),
    }


# -- scenarios (each in its own process) ------------------------------------------------------------
SCENARIOS = ("indicatoren", "coalitie-nieuw", "coalitie-gewijzigd")


def store_actions(store, tables: dict) -> None:
    """Setup for 'coalitie-gewijzigd': the action log is already stored (written directly, not imported)."""
    import pandas as pd  # lazy: parent stays small

    actions = tables["actions"]
    coalition_id = actions["coalition_id"].iloc[0]
    with store.write() as w:
        w.delete_keys("actions", pd.DataFrame({"coalition_id": [coalition_id]}))
        first = w.next_id("actions")
        w.insert_df(
            "actions",
            actions.assign(
                id=range(first, first + len(actions)), version=1, created_at=pd.Timestamp("2026-01-01 09:00")
            ),
        )


def make_file(kind: str, db: Path, out: Path, args: argparse.Namespace) -> None:
    """Setup, in its own process: write the file to import (and, for 'coalitie-gewijzigd', store the log)."""
    from kansrijke.core.config import load_config  # lazy: parent stays small
    from kansrijke.core.store import Store  # lazy: parent stays small
    from kansrijke.dataio.ingest.plan import export_plan  # lazy: parent stays small

    config = load_config(ROOT / "config.yaml")
    store = Store.open(db)
    municipalities = store.query("municipalities")[["code", "name"]]
    if kind == "indicatoren":
        print(
            f"\n== {kind}: {len(config.indicatoren)} indicators x {len(municipalities)} municipalities "
            f"x {args.years} years"
        )
        steps = Steps("setup", profile=False)
        data = steps.timed("build file", indicator_file, config, municipalities, args.years)
    else:
        coalitions = store.table("coalitions")["id"]
        goals = store.table("goals")
        coalition_id = next(c for c in coalitions if goals["ambition_id"].str.startswith(c + "-").any())
        what = "new actions (added)" if kind == "coalitie-nieuw" else "stored actions, each changed"
        print(f"\n== {kind}: plan {coalition_id} with {args.actions} {what}")
        steps = Steps("setup", profile=False)
        tables = steps.timed("build tables", plan_tables, store, coalition_id, args.actions)
        if kind == "coalitie-gewijzigd":
            steps.timed("store the actions", store_actions, store, tables)
            tables["actions"] = tables["actions"].assign(description="Bijgewerkt na het overleg van deze week.")
        data = steps.timed("export_plan xlsx", export_plan, tables)
    out.write_bytes(data)
    print(f"  file: {len(data) / 1e6:.1f} MB")
    store.close()


def run_import(kind: str, db: Path, file: Path, args: argparse.Namespace) -> None:
    """The import itself, in a fresh process: parse/validate, compare, apply, undo."""
    from kansrijke import access  # lazy: parent stays small
    from kansrijke.core.config import load_config  # lazy: parent stays small
    from kansrijke.core.store import Store  # lazy: parent stays small
    from kansrijke.dataio import importer  # lazy: parent stays small
    from kansrijke.dataio.ingest.common import Upload  # lazy: parent stays small

    config = load_config(ROOT / "config.yaml")
    store = Store.open(db)
    municipalities = store.query("municipalities")[["code", "name"]]
    upload = Upload("landelijk.csv" if kind == "indicatoren" else "plan.xlsx", file.read_bytes())
    steps = Steps("import", args.profile)

    parsed = steps.timed("parse/validate", importer.read_upload, upload, config, municipalities, profile=True)
    assert parsed.ok, [p.text() for p in parsed.errors[:5]]

    def compare():  # what importer.prepare does after parsing
        changes = [importer._compare(store, table, frame, parsed) for table, frame in parsed.tables.items()]
        return importer.Prepared(upload, parsed, changes)

    prepared = steps.timed("compare", compare, profile=True)
    print(f"  {'':<28} {prepared.counts}")
    try:
        steps.timed("apply", importer.apply, store, prepared, access.operator(), profile=True)
    except Exception as exc:  # noqa: BLE001 - a failing apply is a finding, not the end of the benchmark
        print(f"  apply FAILED: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return
    steps.timed("undo", importer.undo_last, store, access.operator(), profile=True)
    steps.verdict(("parse/validate", "compare", "apply"))
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=11)
    parser.add_argument("--only", choices=SCENARIOS, action="append", help="run only this scenario (repeatable)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of parse, compare, apply, undo")
    parser.add_argument("--scenario", choices=SCENARIOS, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build-demo", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--make-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_demo:
        from kansrijke import demo  # lazy: parent stays small
        from kansrijke.core.config import load_config  # lazy: parent stays small
        from kansrijke.core.store import Store  # lazy: parent stays small

        demo.build_demo(Store.open(args.build_demo, create=True), load_config(ROOT / "config.yaml"))
        Store.close_all()
        return
    if args.make_file:
        make_file(args.scenario, args.db, args.make_file, args)
        return
    if args.scenario:
        run_import(args.scenario, args.db, args.file, args)
        return

    # The parent stays small and imports nothing heavy: a child's ru_maxrss starts at the size of the
    # process it was forked from, so the demo is built in a child too.
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        demo_db = folder / "demo.duckdb"
        started = time.perf_counter()
        subprocess.run([*SELF, "--build-demo", str(demo_db)], check=True, cwd=ROOT)
        print(f"demo database built in {time.perf_counter() - started:.2f} s")
        extra = ["--actions", str(args.actions), "--years", str(args.years)] + (["--profile"] if args.profile else [])
        for kind in args.only or SCENARIOS:
            db = folder / f"{kind}.duckdb"
            file = folder / f"{kind}.file"
            shutil.copy(demo_db, db)
            common = [*SELF, "--scenario", kind, "--db", str(db), *extra]
            subprocess.run([*common, "--make-file", str(file)], check=True, cwd=ROOT)
            subprocess.run([*common, "--file", str(file)], check=True, cwd=ROOT)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
