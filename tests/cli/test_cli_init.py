"""`python -m kansrijke init`: start on one's own data next to the demo file, as a user runs it (in this process:
the ``cli`` fixture, with ``KANSRIJKE_DB`` the own database and the demo file ``demo.duckdb`` beside it)."""

from __future__ import annotations

import json

from kansrijke.core.i18n import t
from kansrijke.core.store import Store

FIGURES = "gemeentecode;indicator;periode;waarde;teller;noemer\nGM0363;vroeggeboorte;2023;;500;8000\n"


def info(cli, db) -> dict:
    proc = cli("info", "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_init_makes_the_own_database_with_reference_facts_only(cli, tmp_path):
    db = tmp_path / "kansrijke.duckdb"
    proc = cli("init", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "Eigen database gemaakt" in proc.stdout and "342 gemeenten" in proc.stdout and str(db) in proc.stdout
    found = info(cli, db)
    assert found["active"] == "own" and found["database"] == str(db) and found["demo"] is False
    assert found["own_database"] == {"path": str(db), "exists": True}
    assert found["demo_database"] == {"path": str(tmp_path / "demo.duckdb"), "exists": False}
    tables = found["tables"]
    assert tables["municipalities"] == 342 and tables["national_values"] > 0
    assert all(tables[name] == 0 for name in ("coalitions", "ambitions", "goals", "indicator_values", "actions"))


def test_init_twice_refuses_with_exit_2_and_changes_nothing(cli, tmp_path):
    db = tmp_path / "kansrijke.duckdb"
    assert cli("init", db=db).returncode == 0
    before = db.read_bytes()
    proc = cli("init", db=db)
    assert proc.returncode == 2
    assert proc.stderr.strip() == t("own.exists", path=db) and "Traceback" not in proc.stderr
    assert db.read_bytes() == before


def test_an_import_into_the_demo_is_refused_with_how_to_start_on_own_data(cli, demo_copy, tmp_path):
    (tmp_path / "cijfers.csv").write_text(FIGURES, encoding="utf-8")
    before = Store.open(demo_copy).data_version()
    Store.close_all()
    for extra in ((), ("--dry-run",)):
        proc = cli("import", str(tmp_path / "cijfers.csv"), *extra, db=demo_copy)
        assert proc.returncode == 2
        assert proc.stderr.strip() == t("own.demo_import_refused") and "python -m kansrijke init" in proc.stderr
    assert Store.open(demo_copy).data_version() == before
    Store.close_all()


def test_demo_then_init_then_status_and_import_work_on_the_own_file(cli, tmp_path):
    db = tmp_path / "kansrijke.duckdb"
    demo_file = tmp_path / "demo.duckdb"
    assert cli("demo", db=db).returncode == 0
    found = info(cli, db)  # no own database yet: the demo file is active
    assert (found["active"], found["database"], found["demo"]) == ("demo", str(demo_file), True)
    assert json.loads(cli("status", "--json", db=db).stdout)  # the demo's coalitions

    proc = cli("init", db=db)
    assert proc.returncode == 0, proc.stderr

    found = info(cli, db)
    assert (found["active"], found["database"], found["demo"]) == ("own", str(db), False)
    status = cli("status", db=db)
    assert status.returncode == 0, status.stderr
    assert t("cli_status.none") in status.stdout  # no coalitions yet, and nothing fictitious
    (tmp_path / "cijfers.csv").write_text(FIGURES, encoding="utf-8")
    imported = cli("import", str(tmp_path / "cijfers.csv"), db=db)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert info(cli, db)["tables"]["indicator_values"] == 1
    assert Store.open(demo_file).is_demo()  # the demo file is untouched and still the demo
    assert Store.open(demo_file).table_counts()["import_log"] == 0
    Store.close_all()


def test_demo_rebuilds_only_the_demo_file_while_own_data_stays_active(cli, tmp_path):
    db = tmp_path / "kansrijke.duckdb"
    assert cli("init", db=db).returncode == 0
    before = db.read_bytes()
    proc = cli("demo", "--force", db=db)  # --force is harmless: the own database is never the target
    assert proc.returncode == 0, proc.stderr
    assert str(tmp_path / "demo.duckdb") in proc.stdout and "opent uw eigen database" in proc.stdout
    assert db.read_bytes() == before
    assert info(cli, db)["active"] == "own"


def test_info_text_names_both_files_and_the_active_one(cli, tmp_path):
    db = tmp_path / "kansrijke.duckdb"
    assert cli("init", db=db).returncode == 0
    text = cli("info", db=db).stdout
    assert f"{t('own.info_own')}: {db} ({t('own.info_active')})" in text
    assert f"{t('own.info_demo_file')}: {tmp_path / 'demo.duckdb'} ({t('own.info_absent')})" in text
