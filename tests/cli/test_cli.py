"""`python -m kansrijke` as a user runs it: help, info, demo, and clear Dutch errors with exit codes.

The commands run in this process (the ``cli`` fixture calls ``kansrijke.cli.main.main(argv)``); one smoke test
starts ``python -m kansrijke`` as its own program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import duckdb
from conftest import ROOT, lock_held_by_another_process

from kansrijke.core.store import LATEST_SCHEMA
from kansrijke.plan import progress


def test_python_m_kansrijke_runs_as_a_program(demo_copy):
    """The one test that starts the command line as its own process, as a user types it."""
    env = {**os.environ, "KANSRIJKE_DB": str(demo_copy)}
    env.pop("KANSRIJKE_CONFIG", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kansrijke", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    helped = run("--help")
    assert helped.returncode == 0, helped.stderr
    assert "usage" in helped.stdout.lower() and "Bouw de voorbeelddatabase" in helped.stdout
    info = run("info", "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["tables"]["municipalities"] == 342


def test_help_everywhere(cli):
    for args in (["--help"], ["init", "--help"], ["demo", "--help"], ["info", "--help"]):
        proc = cli(*args)
        assert proc.returncode == 0, proc.stderr
        assert "usage" in proc.stdout.lower()
    assert "Bouw de voorbeelddatabase" in cli("--help").stdout and "Maak de eigen database" in cli("--help").stdout


def test_info_reports_versions_and_row_counts(cli, demo_db):
    proc = cli("info", "--json", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["schema_version"] == LATEST_SCHEMA
    assert info["demo"] is True
    assert info["tables"]["municipalities"] == 342
    assert info["data_version"] >= 1
    text = cli("info", db=demo_db).stdout
    assert "Schemaversie" in text and "municipalities" in text


def test_info_reports_the_demo_status_mix_of_goals_and_results(cli, demo_db):
    info = json.loads(cli("info", "--json", db=demo_db).stdout)
    mix = info["status_mix"]
    goals, results = mix["goals"], mix["results"]
    assert list(goals) == list(progress.GOAL_STATUSES)  # every goal status, in the product's order
    assert all(n > 0 for n in goals.values())  # a believable mix: each status occurs
    assert sum(goals.values()) == info["tables"]["goals"]
    assert set(results) <= set(progress.RESULT_STATUSES) and sum(results.values()) == info["tables"]["results"]
    # the same statuses as `status` shows for every coalition
    state = json.loads(cli("status", "--json", db=demo_db).stdout)
    shown = Counter(g["status"] for c in state for a in c["ambities"] for g in a["doelen"])
    done = Counter(r["status"] for c in state for a in c["ambities"] for r in a["resultaten"])
    assert shown == Counter(goals) and done == Counter({k: n for k, n in results.items() if n})
    text = cli("info", db=demo_db).stdout
    assert "Doelen per status: " + ", ".join(f"{s} {n}" for s, n in goals.items()) in text
    assert "Resultaten per status: " + ", ".join(f"{s} {n}" for s, n in results.items()) in text


def test_info_on_a_missing_database_fails_clearly(cli, tmp_path):
    proc = cli("info", db=tmp_path / "none.duckdb")
    assert proc.returncode == 2
    assert "bestaat niet" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_demo_builds_the_demo_file_and_refuses_to_replace_own_data_there(cli, tmp_path):
    db = tmp_path / "k.duckdb"
    demo_file = tmp_path / "demo.duckdb"  # demo.path null: beside the own database
    proc = cli("demo", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "Voorbeelddatabase gebouwd" in proc.stdout and str(demo_file) in proc.stdout
    assert demo_file.exists() and not db.exists()  # the own database is never made or touched by `demo`
    con = duckdb.connect(str(demo_file))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'demo'")  # e.g. a backup of own data restored here
    con.close()
    proc = cli("demo", db=db)
    assert proc.returncode == 2
    assert "geen voorbeelddata" in proc.stderr and "--force" in proc.stderr
    con = duckdb.connect(str(demo_file))
    assert con.execute("SELECT value FROM meta WHERE key = 'demo'").fetchone()[0] == "0"
    con.close()
    assert not db.exists()


def test_locked_database_gives_exit_2(cli, demo_copy):
    with lock_held_by_another_process(demo_copy):
        proc = cli("info", db=demo_copy)
    assert proc.returncode == 2
    assert "in gebruik door een ander programma" in proc.stderr


def test_every_problem_of_a_bad_config_is_printed_on_its_own_line(cli, tmp_path):
    """A ``UserError`` reaches the CLI user as its messages on stderr (the lead, then one line per problem)."""
    from conftest import write_config

    path = write_config(
        tmp_path, {"  min_count: 10": "  min_count: tien", "  seed: 1000": "  seed: 1000\n  kleur: rood"}
    )
    proc = cli("--config", str(path), "info")
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert lines[0] == f"{path} bevat 2 fouten:"
    assert sorted(line.split("'")[1] for line in lines[1:]) == ["demo.kleur", "privacy.min_count"]
    assert all(line.startswith("- sleutel '") for line in lines[1:]) and len(lines) == 3
