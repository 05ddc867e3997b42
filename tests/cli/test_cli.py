"""`python -m kansrijke` as a user runs it: help, info, demo, and clear Dutch errors with exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
from conftest import ROOT, lock_held_by_another_process

from kansrijke.core.store import LATEST_SCHEMA, Store


def cli(*args: str, db=None, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("KANSRIJKE_CONFIG", None)
    if db is not None:
        env["KANSRIJKE_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "kansrijke", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_help_everywhere():
    for args in (["--help"], ["demo", "--help"], ["info", "--help"]):
        proc = cli(*args)
        assert proc.returncode == 0, proc.stderr
        assert "usage" in proc.stdout.lower()
    assert "Bouw de voorbeelddatabase" in cli("--help").stdout


def test_info_reports_versions_and_row_counts(demo_db):
    Store.close_all()
    proc = cli("info", "--json", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["schema_version"] == LATEST_SCHEMA
    assert info["demo"] is True
    assert info["tables"]["municipalities"] == 342
    assert info["data_version"] >= 1
    text = cli("info", db=demo_db).stdout
    assert "Schemaversie" in text and "municipalities" in text


def test_info_on_a_missing_database_fails_clearly(tmp_path):
    proc = cli("info", db=tmp_path / "none.duckdb")
    assert proc.returncode == 2
    assert "bestaat niet" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_demo_builds_and_refuses_to_replace_own_data(tmp_path):
    db = tmp_path / "k.duckdb"
    proc = cli("demo", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "Voorbeelddatabase gebouwd" in proc.stdout
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'demo'")
    con.close()
    proc = cli("demo", db=db)
    assert proc.returncode == 2
    assert "geen voorbeelddata" in proc.stderr and "--force" in proc.stderr
    con = duckdb.connect(str(db))
    assert con.execute("SELECT value FROM meta WHERE key = 'demo'").fetchone()[0] == "0"
    con.close()


def test_locked_database_gives_exit_2(demo_copy):
    with lock_held_by_another_process(demo_copy):
        proc = cli("info", db=demo_copy)
    assert proc.returncode == 2
    assert "in gebruik door een ander programma" in proc.stderr
