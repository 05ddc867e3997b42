"""Starting on one's own data (``dataio/start.py``): the own database holds the reference facts only, is made
once, never mixes with the demo file; an import into the demo is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import pytest

from kansrijke import access
from kansrijke.core import reference
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.dataio import importer, start
from kansrijke.dataio.ingest.common import Upload
from kansrijke.plan import overview

PLAN_TABLES = ("coalitions", "coalition_members", "ambitions", "goals", "results", "actions")
OTHER_TABLES = ("indicator_values", "self_assessments", "self_assessment_scores", "import_log")


@pytest.fixture
def paths(tmp_path, monkeypatch):
    """The own database and the demo file in an empty folder (``demo.path`` null: the demo file beside it)."""
    monkeypatch.setenv("KANSRIJKE_DB", str(tmp_path / "kansrijke.duckdb"))
    monkeypatch.delenv("KANSRIJKE_DEMO_DB", raising=False)
    Store.close_all()
    yield tmp_path / "kansrijke.duckdb", tmp_path / "demo.duckdb"
    Store.close_all()


def digest(path) -> str:
    Store.close_all()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_own_database_holds_the_reference_facts_and_nothing_fictitious(config, paths):
    own, demo_file = paths
    assert config.database_path == demo_file  # before: the demo file is the active one

    made = start.create_own_database(config, access.operator())

    assert made == own and config.database_path == own  # now the own database is the active one
    assert not demo_file.exists()  # the demo is not built by init
    store = Store.open(own)
    counts = store.table_counts()
    assert counts["municipalities"] == 342
    assert set(store.query("municipalities")["code"]) == set(reference.load_municipalities(config)["code"])
    national = store.table("national_values")
    assert len(national) > 0 and set(national["indicator_id"]) <= {i.id for i in config.indicatoren}
    assert {table: counts[table] for table in PLAN_TABLES + OTHER_TABLES} == dict.fromkeys(
        PLAN_TABLES + OTHER_TABLES, 0
    )
    assert store.is_demo() is False and store.meta("demo") == "0"
    assert store.meta("demo_today") is None
    assert overview.reference_day(store) == dt.date.today()  # own data: the real date


def test_a_second_init_is_refused_and_changes_nothing(config, paths):
    own, _ = paths
    start.create_own_database(config, access.operator())
    before = digest(own)
    with pytest.raises(start.StartError) as refused:
        start.create_own_database(config, access.operator())
    assert str(refused.value) == t("own.exists", path=own)
    assert digest(own) == before


def test_a_failed_init_leaves_no_file(config, paths, monkeypatch):
    own, _ = paths

    def broken(store, config):
        raise RuntimeError("half way")

    monkeypatch.setattr(reference, "install_facts", broken)
    with pytest.raises(RuntimeError):
        start.create_own_database(config, access.operator())
    assert list(own.parent.iterdir()) == []  # no own database, no half-made file beside it


def test_an_own_database_on_the_demo_file_is_refused(config, paths, monkeypatch):
    own, _ = paths
    monkeypatch.setenv("KANSRIJKE_DEMO_DB", str(own))
    with pytest.raises(start.StartError, match="hetzelfde bestand"):
        start.create_own_database(config, access.operator())
    assert not own.exists()


def test_a_demo_left_at_the_own_path_by_an_older_version_moves_to_the_demo_file(config, paths, demo_db):
    own, demo_file = paths
    shutil.copy(demo_db, own)  # before the demo had its own file, it was built at database.path

    created = start.create(config, access.operator())

    assert created.moved_demo_to == demo_file
    assert Store.open(demo_file).is_demo() and Store.open(demo_file).table_counts()["coalitions"] > 0
    assert not Store.open(own).is_demo() and Store.open(own).table_counts()["coalitions"] == 0


def test_a_demo_at_the_own_path_and_a_demo_file_both_there_is_refused(config, paths, demo_db):
    own, demo_file = paths
    shutil.copy(demo_db, own)
    shutil.copy(demo_db, demo_file)
    with pytest.raises(start.StartError, match="bestaat al"):
        start.create_own_database(config, access.operator())
    assert Store.open(own).is_demo()  # nothing moved, nothing replaced


def test_an_import_into_the_demo_is_refused_and_writes_nothing(config, demo_copy):
    store = Store.open(demo_copy)
    version = store.data_version()
    upload = Upload("cijfers.csv", b"gemeentecode;indicator;periode;waarde\nGM0363;tienermoeders;2024;3,1\n")
    with pytest.raises(start.DemoImportRefused) as refused:
        importer.prepare(store, config, upload)
    message = str(refused.value)
    assert "python -m kansrijke init" in message and "Begin met eigen gegevens" in message
    assert store.data_version() == version and store.table_counts()["import_log"] == 0
    Store.close_all()


def test_an_import_into_the_own_database_lands(config, paths):
    own = start.create_own_database(config, access.operator())
    store = Store.open(own)
    upload = Upload("cijfers.csv", b"gemeentecode;indicator;periode;waarde\nGM0363;tienermoeders;2024;3,1\n")
    prepared = importer.prepare(store, config, upload)
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    assert importer.apply(store, prepared, access.operator()) is not None
    assert len(store.table("indicator_values")) == 1


def test_the_database_files_say_which_is_active(config, paths):
    own, demo_file = paths
    files = start.database_files(config)
    assert (files.own, files.demo, files.active, files.active_is_own) == (own, demo_file, demo_file, False)
    start.create_own_database(config, access.operator())
    files = start.database_files(config)
    assert (files.active, files.active_is_own, files.own_exists, files.demo_exists) == (own, True, True, False)
