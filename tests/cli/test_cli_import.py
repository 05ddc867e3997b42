"""The data commands of `python -m kansrijke`: import (dry run, JSON, exit codes), undo, export, template,
backup and restore, each run as a user would run it (in this process: the ``cli`` fixture of conftest)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kansrijke.core.store import Store

GOOD = "gemeentecode;indicator;periode;waarde;teller;noemer\nGM0363;vroeggeboorte;2023;;500;8000\n"
BAD = "gemeentecode;indicator;periode;waarde\n0363;vroeggeboorte;2023;abc\nGM9999;big2;2023;5\n"


def snapshot(path) -> dict[str, pd.DataFrame]:
    store = Store.open(path)
    frames = {name: store.table(name) for name in store.tables()}
    Store.close_all()
    return frames


def assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


@pytest.fixture
def db(own_copy):
    Store.close_all()
    return own_copy


def test_dry_run_validates_and_writes_nothing(cli, db, tmp_path):
    (tmp_path / "goed.csv").write_text(GOOD, encoding="utf-8")
    before = snapshot(db)
    proc = cli("import", str(tmp_path / "goed.csv"), "--dry-run", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "goed.csv (indicatorcijfers): geldig" in proc.stdout and "1 gewijzigd" in proc.stdout
    assert "Proefrun" in proc.stdout
    assert_same(snapshot(db), before)


def test_errors_exit_1_with_every_problem_and_change_nothing(cli, db, tmp_path):
    (tmp_path / "fout.csv").write_text(BAD, encoding="utf-8")
    (tmp_path / "goed.csv").write_text(GOOD, encoding="utf-8")
    before = snapshot(db)
    proc = cli("import", str(tmp_path / "goed.csv"), str(tmp_path / "fout.csv"), db=db)
    assert proc.returncode == 1
    assert "fout.csv, rij 2, kolom 'waarde': waarde 'abc': Verwacht een getal" in proc.stdout
    assert "fout.csv, rij 3, kolom 'gemeentecode': waarde 'GM9999': Onbekende gemeente" in proc.stdout
    assert "niets geïmporteerd" in proc.stdout
    assert_same(snapshot(db), before)  # the good file is not imported either

    proc = cli("import", str(tmp_path / "fout.csv"), "--json", db=db)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["geldig"] is False
    problems = report["bestanden"][0]["fouten"]
    assert [(p["rij"], p["kolom"], p["waarde"]) for p in problems] == [
        (2, "waarde", "abc"),
        (3, "gemeentecode", "GM9999"),
    ]


def test_import_then_reimport_then_undo(cli, db, tmp_path):
    (tmp_path / "goed.csv").write_text(GOOD, encoding="utf-8")
    before = snapshot(db)
    proc = cli("import", str(tmp_path / "goed.csv"), "--wie", "Adviseur", "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["geimporteerd"] == [1]
    store = Store.open(db)
    log = store.table("import_log").iloc[0]
    assert (log["file_name"], log["imported_by"], log["rows_changed"], log["outcome"]) == (
        "goed.csv",
        "Adviseur",
        1,
        "geimporteerd",
    )
    assert len(log["content_hash"]) == 64
    Store.close_all()

    again = cli("import", str(tmp_path / "goed.csv"), db=db)
    assert again.returncode == 0 and "Niets veranderd" in again.stdout

    undo = cli("undo", db=db)
    assert undo.returncode == 0 and "Import 1 (goed.csv) is ongedaan gemaakt" in undo.stdout
    after = snapshot(db)
    for name in before:
        if name not in ("import_log", "import_undo", "meta"):
            pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    assert after["import_log"]["outcome"].tolist() == ["ongedaan"]
    assert "geen import" in cli("undo", db=db).stdout.lower()


def test_usage_errors_exit_2(cli, db, tmp_path):
    missing = cli("import", str(tmp_path / "bestaat-niet.csv"), db=db)
    assert missing.returncode == 2 and "Kan" in missing.stderr and "niet lezen" in missing.stderr
    wrong = cli("template", "coalitie", str(tmp_path / "plan.csv"), db=db)
    assert wrong.returncode == 2 and "Onbekend sjabloon" in wrong.stderr
    assert cli("import", db=db).returncode == 2  # no file given


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("indicatoren", "i.csv"),
        ("indicatoren", "i.xlsx"),
        ("statline", "s.csv"),
        ("coalitie", "c.xlsx"),
        ("coalitie", "c.yaml"),
    ],
)
def test_every_template_is_written_and_valid(cli, db, tmp_path, kind, name):
    proc = cli("template", kind, str(tmp_path / name), db=db)
    assert proc.returncode == 0, proc.stderr
    check = cli("import", str(tmp_path / name), "--dry-run", "--json", db=db)
    assert check.returncode == 0, check.stdout
    assert json.loads(check.stdout)["bestanden"][0]["soort"] in ("indicatoren", "statline", "coalitie")


def test_export_backup_and_restore(cli, db, tmp_path):
    proc = cli("export", str(tmp_path / "csv"), db=db)
    assert proc.returncode == 0, proc.stderr
    exported = pd.read_csv(tmp_path / "csv" / "municipalities.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert len(exported) == 342 and "Amsterdam" in set(exported["name"])

    before = snapshot(db)
    assert cli("backup", str(tmp_path / "kopie.zip"), db=db).returncode == 0
    (tmp_path / "goed.csv").write_text(GOOD, encoding="utf-8")
    assert cli("import", str(tmp_path / "goed.csv"), db=db).returncode == 0
    restored = cli("restore", str(tmp_path / "kopie.zip"), db=db)
    assert restored.returncode == 0, restored.stderr
    after = snapshot(db)
    for name in before:
        if name not in ("meta", "schema_version"):  # the restored file records its own migration time
            pd.testing.assert_frame_equal(after[name], before[name], obj=name)

    (tmp_path / "nep.zip").write_bytes(b"PK\x03\x04 geen zip")
    refused = cli("restore", str(tmp_path / "nep.zip"), db=db)
    assert refused.returncode == 2 and "geen reservekopie" in refused.stderr
