"""Issue 12: the fictitious label travels with ``export DIR`` and backups. Every CSV written from the demo has
the label as its first column; a backup of the demo carries it (zip comment, ``FICTIEF.txt``, manifest) and a
restored demo backup is a demo again, restored into the demo file (never over the own database). Own data
gets none of it. Each file is read back (csv module, zipfile, the restored database)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from kansrijke import access
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.dataio import backup

LABEL = t("demo_label.line")
COLUMN = t("demo_label.column")


@pytest.fixture(params=["demo_copy", "own_copy"])
def db(request):
    """The demo (fictitious) and the same rows marked as own data."""
    return request.param == "demo_copy", request.getfixturevalue(request.param)


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def test_export_dir_labels_every_csv_from_the_demo_and_none_from_own_data(cli, db, tmp_path):
    demo, path = db
    folder = tmp_path / "csv"

    proc = cli("export", str(folder), db=path)

    assert proc.returncode == 0, proc.stderr
    assert (LABEL in proc.stdout) is demo
    files = sorted(folder.glob("*.csv"))
    assert len(files) > 10 and {p.name for p in folder.iterdir()} == {p.name for p in files}
    for file in files:
        rows = read_csv(file)
        if demo:  # a person opening any one file sees it; a CSV reader still gets the header on line 1
            assert rows[0][0] == COLUMN, file.name
            assert all(row[0] == LABEL for row in rows[1:]), file.name
        else:
            assert COLUMN not in rows[0], file.name
            assert not any("FICTIEF" in cell for row in rows for cell in row), file.name
    municipalities = read_csv(folder / "municipalities.csv")
    names = [row[municipalities[0].index("name")] for row in municipalities[1:]]
    assert len(names) == 342 and "Amsterdam" in names


def test_a_backup_of_the_demo_carries_the_label_and_one_of_own_data_does_not(db):
    demo, path = db
    data = backup.backup_zip(Store.open(path), access.operator())

    zf = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["demo"] is demo
    assert backup.is_demo_backup(data) is demo
    if demo:
        assert zf.comment.decode("utf-8") == LABEL
        note = zf.read(backup.DEMO_NOTE_FILE).decode("utf-8")
        assert note.startswith(LABEL) and t("demo_label.backup_note") in note
    else:
        assert zf.comment == b"" and backup.DEMO_NOTE_FILE not in zf.namelist()
    Store.close_all()


def test_a_restored_demo_backup_is_a_demo_again(db, tmp_path):
    demo, path = db
    data = backup.backup_zip(Store.open(path), access.operator())
    target = tmp_path / "elders" / "terug.duckdb"
    target.parent.mkdir()

    counts = backup.restore_zip(target, data, access.operator())

    restored = Store.open(target)
    assert restored.is_demo() is demo and counts["goals"] == len(restored.table("goals"))
    Store.close_all()


def test_restore_puts_a_demo_backup_in_the_demo_file_and_leaves_the_own_database_alone(
    cli, demo_db, own_copy, tmp_path
):
    demo_zip = tmp_path / "voorbeeld.zip"
    demo_zip.write_bytes(backup.backup_zip(Store.open(demo_db), access.operator()))
    Store.close_all()
    own_goals = len(Store.open(own_copy).table("goals"))
    Store.close_all()
    demo_file = tmp_path / "demo" / "demo.duckdb"
    demo_file.parent.mkdir()

    proc = cli("restore", str(demo_zip), db=own_copy, env={"KANSRIJKE_DEMO_DB": str(demo_file)})

    assert proc.returncode == 0, proc.stderr
    assert t("demo_label.restore_demo", path=demo_file) in proc.stdout
    assert Store.open(demo_file).is_demo()
    own = Store.open(own_copy)
    assert not own.is_demo() and len(own.table("goals")) == own_goals  # untouched
    Store.close_all()


def test_restore_puts_own_data_in_the_own_database_even_when_the_demo_is_active(cli, own_copy, tmp_path):
    own_zip = tmp_path / "eigen.zip"
    own_zip.write_bytes(backup.backup_zip(Store.open(own_copy), access.operator()))
    Store.close_all()
    own_file = tmp_path / "nieuw" / "kansrijke.duckdb"  # no own database yet: the demo file is the active one
    own_file.parent.mkdir()
    demo_file = tmp_path / "demo.duckdb"

    proc = cli("restore", str(own_zip), db=own_file, env={"KANSRIJKE_DEMO_DB": str(demo_file)})

    assert proc.returncode == 0, proc.stderr
    assert "FICTIEF" not in proc.stdout and "voorbeeld" not in proc.stdout
    assert not Store.open(own_file).is_demo()
    assert not demo_file.exists()
    Store.close_all()


def test_backup_command_says_it_saved_fictitious_data(cli, db, tmp_path):
    demo, path = db
    proc = cli("backup", str(tmp_path / "kopie.zip"), db=path)
    assert proc.returncode == 0, proc.stderr
    assert (LABEL in proc.stdout) is demo
    assert (zipfile.ZipFile(tmp_path / "kopie.zip").comment.decode("utf-8") == LABEL) is demo
