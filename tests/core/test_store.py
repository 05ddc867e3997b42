"""The DuckDB store: schema, migrations, atomic writes, data version, threads and bad files."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import lock_held_by_another_process, make_read_only

from kansrijke.core.store import LATEST_SCHEMA, Store, StoreError


@pytest.fixture(autouse=True)
def _fresh_instances():
    Store.close_all()
    yield
    Store.close_all()


def _fill_v1(path: Path) -> dict[str, pd.DataFrame]:
    """Rows in every version-1 table, written with plain DuckDB as an old app would have."""
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO meta VALUES ('data_version', '7'), ('demo', '0')")
    con.execute(
        "INSERT INTO municipalities VALUES ('GM0363','Amsterdam','PV27','Noord-Holland',NULL,931298,1,'>= 250.000',TRUE),"
        "('GM0384','Diemen','PV27','Noord-Holland',NULL,32000,1,'20.000-50.000',FALSE)"
    )
    con.execute(
        "INSERT INTO coalitions VALUES ('KS-A','Coalitie A',4,DATE '2020-03-01','JGZ'),('KS-B','Coalitie B',2,NULL,NULL)"
    )
    con.execute("INSERT INTO coalition_members VALUES ('KS-A','GM0363'),('KS-B','GM0384')")
    con.execute("INSERT INTO ambitions VALUES ('KS-A-A1','KS-A',1,'Elk kind een kansrijke start',NULL,2030)")
    con.execute("INSERT INTO goals VALUES ('KS-A-A1-D1','KS-A-A1',1,'Minder Big2','big2',15.5,2019,13.0,2028,'JGZ')")
    con.execute(
        "INSERT INTO results VALUES ('KS-A-A1-R1','KS-A-A1','KS-A-A1-D1','Geschoold',273,120,'professionals',DATE '2026-12-31',NULL)"
    )
    con.execute(
        "INSERT INTO indicator_values VALUES ('GM0363','big2',2021,15.0,1500,10000,'Perined',DATE '2023-10-01','definitief')"
    )
    con.execute(
        "INSERT INTO national_values VALUES ('roken_zwangerschap',2023,6.3,NULL,NULL,'Trimbos',NULL,'definitief')"
    )
    con.execute(
        "INSERT INTO actions (id, coalition_id, action_date, title, status, goal_id, principles, partners) "
        "VALUES (1, 'KS-A', DATE '2024-05-01', 'Kick-off', 'afgerond', 'KS-A-A1-D1', [2, 4], ['jgz'])"
    )
    con.execute("INSERT INTO self_assessments VALUES ('KS-A-S1','KS-A',DATE '2025-01-10',NULL)")
    con.execute("INSERT INTO self_assessment_scores VALUES ('KS-A-S1','basis_1',2,'goede trekker')")
    con.execute(
        "INSERT INTO import_log (id, file_name, content_hash, kind, outcome) VALUES (1,'a.csv','abc','indicatoren','geimporteerd')"
    )
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name <> 'schema_version'"
        ).fetchall()
    ]
    before = {t: con.execute(f'SELECT * FROM "{t}"').df() for t in tables}
    con.close()
    return before


def rows(frame: pd.DataFrame) -> list[tuple]:
    """Table contents as sorted tuples (lists made hashable), to compare contents, not counts."""

    def cell(v):
        if hasattr(v, "tolist"):
            v = v.tolist()
        return (
            tuple(v)
            if isinstance(v, list)
            else ("<NA>" if v is None or v is pd.NaT or (isinstance(v, float) and v != v) else v)
        )

    return sorted((tuple(cell(v) for v in r) for r in frame.itertuples(index=False)), key=repr)


def test_new_database_has_latest_schema_and_constraints(tmp_path):
    store = Store.open(tmp_path / "k.duckdb", create=True)
    assert store.schema_version() == LATEST_SCHEMA
    with pytest.raises(duckdb.ConstraintException):
        with store.write() as w:
            w.insert_df(
                "indicator_values",
                pd.DataFrame(
                    [
                        {
                            "municipality_code": "GM9999",
                            "indicator_id": "big2",
                            "period": 2021,
                            "value": 1.0,
                            "source": "x",
                        }
                    ]
                ),
            )


def test_old_schema_file_is_migrated_without_losing_a_row(tmp_path):
    path = tmp_path / "v1.duckdb"
    Store.create_at_version(path, 1)
    before = _fill_v1(path)
    store = Store.open(path)
    assert store.schema_version() == LATEST_SCHEMA
    for table, frame in before.items():
        after = store.table(table)
        assert rows(after[list(frame.columns)]) == rows(frame), table
    phases = store.table("coalition_phases")
    assert list(phases["coalition_id"]) == ["KS-A", "KS-B"]
    assert list(phases["phase"]) == [4, 2]
    assert phases.loc[0, "since"] == pd.Timestamp("2020-03-01")


def test_write_is_atomic_and_bumps_the_data_version(tmp_path):
    store = Store.open(tmp_path / "k.duckdb", create=True)
    v0 = store.data_version()
    with store.write() as w:
        w.set_meta("owner", "test")
    assert store.data_version() == v0 + 1
    with pytest.raises(RuntimeError):
        with store.write() as w:
            w.set_meta("owner", "changed")
            raise RuntimeError("boom")
    assert store.meta("owner") == "test"
    assert store.data_version() == v0 + 1


def test_threads_share_one_store_with_a_cursor_each(tmp_path):
    path = tmp_path / "k.duckdb"
    store = Store.open(path, create=True)
    with store.write() as w:
        w.insert_df(
            "municipalities",
            pd.DataFrame(
                [
                    {
                        "code": f"GM{i:04d}",
                        "name": f"G{i}",
                        "province_code": "PV20",
                        "province": "Groningen",
                        "population": 1000 + i,
                        "urbanity": 3,
                        "size_class": "x",
                        "gids": False,
                    }
                    for i in range(1, 301)
                ]
            ),
        )
    errors: list[BaseException] = []
    results: list[int] = []

    def reader() -> None:
        try:
            for _ in range(25):
                same = Store.open(path)
                results.append(len(same.query("municipalities")))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    def writer() -> None:
        try:
            for i in range(10):
                with store.write() as w:
                    w.set_meta("tick", str(i))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(8)] + [threading.Thread(target=writer) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert results == [300] * 200
    assert store.data_version() == 21  # 1 insert + 20 meta writes, none lost


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corrupt_file_gives_a_dutch_message_and_is_not_touched(tmp_path):
    path = tmp_path / "kansrijke.duckdb"
    path.write_bytes(b"this is not a database" * 500)
    digest = _digest(path)
    with pytest.raises(StoreError) as info:
        Store.open(path, create=True)
    assert info.value.kind == "corrupt"
    assert "geen leesbare DuckDB-database" in str(info.value)
    assert _digest(path) == digest


def test_missing_file_without_create(tmp_path):
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path / "absent.duckdb")
    assert info.value.kind == "missing"
    assert "bestaat niet" in str(info.value)
    assert not (tmp_path / "absent.duckdb").exists()


def test_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "k.duckdb"
    Store.open(path, create=True).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version (version, name) VALUES (99, 'future')")
    con.close()
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.kind == "newer" and "nieuwere versie" in str(info.value)


def test_file_locked_by_another_process(tmp_path):
    path = tmp_path / "k.duckdb"
    Store.open(path, create=True).close()
    with lock_held_by_another_process(path), pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.kind == "locked"
    assert "in gebruik door een ander programma" in str(info.value)


def test_read_only_directory(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    undo = make_read_only(folder)
    try:
        with pytest.raises(StoreError) as info:
            Store.open(folder / "kansrijke.duckdb", create=True)
        assert info.value.kind == "read_only"
        assert "alleen-lezen" in str(info.value)
    finally:
        undo()
    assert list(folder.iterdir()) == []


def test_rebuild_swaps_in_a_new_file_or_keeps_the_old_one(tmp_path):
    path = tmp_path / "k.duckdb"
    store = Store.open(path, create=True)
    with store.write() as w:
        w.set_meta("generation", "old")
    store.close()

    def failing(new: Store) -> None:
        with new.write() as w:
            w.set_meta("generation", "new")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        Store.rebuild(path, failing)
    assert Store.open(path).meta("generation") == "old"
    assert not (tmp_path / "k.duckdb.new").exists()

    def succeeding(new: Store) -> None:
        with new.write() as w:
            w.set_meta("generation", "new")

    Store.rebuild(path, succeeding)  # also while the old file is open in this process
    assert Store.open(path).meta("generation") == "new"


def test_next_id_counts_on_from_the_highest(tmp_path):
    store = Store.open(tmp_path / "k.duckdb", create=True)
    with store.write() as w:
        assert w.next_id("import_log") == 1
        w.insert_df(
            "import_log",
            pd.DataFrame([{"id": 41, "file_name": "a", "content_hash": "h", "kind": "x", "outcome": "geimporteerd"}]),
        )
        assert w.next_id("import_log") == 42


def test_a_write_that_breaks_a_link_is_rolled_back(tmp_path):
    store = Store.open(tmp_path / "k.duckdb", create=True)
    with pytest.raises(StoreError) as info, store.write() as w:
        w.insert_df("ambitions", pd.DataFrame([{"id": "A1", "coalition_id": "KS-NOPE", "title": "Los"}]))
    assert info.value.kind == "integrity" and "ambitions.coalition_id" in str(info.value)
    assert store.table("ambitions").empty


def test_the_data_version_readers_see_is_the_files_even_while_threads_write(tmp_path):
    """The store keeps the data version in memory (read caches ask for it many times per page); a reader that
    raced a commit must never keep the old number, or a change would stay invisible to every session."""
    path = tmp_path / "k.duckdb"
    store = Store.open(path, create=True)
    seen: list[list[int]] = [[] for _ in range(4)]
    stop = threading.Event()

    def reader(mine: list[int]) -> None:
        while not stop.is_set():
            mine.append(store.data_version())
            stop.wait(0.0005)

    readers = [threading.Thread(target=reader, args=(mine,)) for mine in seen]
    for th in readers:
        th.start()
    for i in range(60):
        with store.write() as w:
            w.set_meta("tick", str(i))
        assert store.data_version() == int(store.meta("data_version"))  # at once after each commit
    stop.set()
    for th in readers:
        th.join()
    assert store.data_version() == int(store.meta("data_version")) == 60
    assert all(mine == sorted(mine) and mine for mine in seen)  # no reader ever goes back to an older number
    Store.close_all()
    assert Store.open(path).data_version() == 60  # a new opening reads it from the file
