"""Issue 13 point 6: restore and backup without loss. A restore checks the whole backup against the schema before
anything changes and refuses with every problem in Dutch (table, column, rows), never a traceback; it refuses
while another process has the database open (as the app does); the data version never goes back; the new file
replaces the old one whole or not at all; a backup or export on a full disk leaves no broken file.

Each malformed backup is made from a real backup of the demo by changing one thing, as a person with a Parquet
tool (or an attacker) would; every test then reads the database back."""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, lock_held_by_another_process, running_as_root

from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.dataio import backup


# -- helpers ---------------------------------------------------------------------------------------------------
def members(data: bytes) -> dict[str, bytes]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    return {name: zf.read(name) for name in zf.namelist()}


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def with_table(data: bytes, table: str, change) -> bytes:
    """The backup with ``table`` changed by ``change(frame) -> frame`` (the manifest's row count follows)."""
    files = members(data)
    frame = change(pd.read_parquet(io.BytesIO(files[f"{table}.parquet"])))
    part = io.BytesIO()
    frame.to_parquet(part, index=False)
    files[f"{table}.parquet"] = part.getvalue()
    manifest = json.loads(files["manifest.json"])
    manifest["tables"][table] = len(frame)
    files["manifest.json"] = json.dumps(manifest).encode()
    return zipped(files)


def with_manifest(data: bytes, change) -> bytes:
    files = members(data)
    files["manifest.json"] = json.dumps(change(json.loads(files["manifest.json"]))).encode()
    return zipped(files)


def state(path: Path) -> tuple[int, dict[str, int], pd.DataFrame]:
    """What a user would see of the database: its data version, the rows per table, the coalitions."""
    Store.close_all()
    store = Store.open(path)
    seen = store.data_version(), store.table_counts(), store.table("coalitions")
    Store.close_all()
    return seen


def assert_unchanged(path: Path, before) -> None:
    version, counts, coalitions = state(path)
    assert (version, counts) == before[:2]
    pd.testing.assert_frame_equal(coalitions, before[2])


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


@pytest.fixture
def own(own_copy, beheerder):
    """The own database (a copy of the demo marked as own data) and a backup of it."""
    data = backup.backup_zip(Store.open(own_copy), beheerder)
    Store.close_all()
    return own_copy, data


def refused(path: Path, data: bytes, person) -> backup.BackupError:
    with pytest.raises(backup.BackupError) as info:
        backup.restore_zip(path, data, person)
    return info.value


# -- 1. every problem of the contents, all at once, in Dutch ---------------------------------------------------
def first_rows_twice(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame, frame.iloc[:2]], ignore_index=True)


def mistyped(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["population"] = out["population"].astype(str)  # numbers as text parse: those are fine
    out.loc[2, "population"] = "veel"
    return out


def bad_dates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["action_date"] = out["action_date"].dt.strftime("%Y-%m-%d")  # ISO text parses: fine
    out.loc[[0, 7], "action_date"] = ["31-02-2024", "gisteren"]
    return out


def test_the_seven_malformed_backups_of_the_issue_are_each_refused_with_what_is_wrong(own, beheerder):
    path, data = own
    coalitions = pd.read_parquet(io.BytesIO(members(data)["coalitions.parquet"]))
    before = state(path)
    cases = {
        "extra column": (
            with_table(data, "coalitions", lambda f: f.assign(budget=1.0)),
            [t("restore.extra_column", table="coalitions", column="budget")],
        ),
        "missing NOT NULL column": (
            with_table(data, "coalitions", lambda f: f.drop(columns=["name"])),
            [t("restore.missing_column", table="coalitions", column="name")],
        ),
        "duplicate key": (
            with_table(data, "coalitions", first_rows_twice),
            [
                t(
                    "restore.duplicate_key",
                    table="coalitions",
                    key=f"id = '{coalitions['id'][0]}'",
                    rows=t("restore.rows", rows=f"1, 2, {len(coalitions) + 1}, {len(coalitions) + 2}"),
                )
            ],
        ),
        "mistyped column": (
            with_table(data, "municipalities", mistyped),
            [
                t(
                    "restore.wrong_type",
                    table="municipalities",
                    column="population",
                    expected=t("restore.type.integer"),
                    example="'veel'",
                    rows=t("restore.row", row="3"),
                )
            ],
        ),
        "bad dates": (
            with_table(data, "actions", bad_dates),
            [
                t(
                    "restore.wrong_type",
                    table="actions",
                    column="action_date",
                    expected=t("restore.type.date"),
                    example="'31-02-2024'",
                    rows=t("restore.rows", rows="1, 8"),
                )
            ],
        ),
        "nested manifest": (
            with_manifest(data, lambda m: {"app": m["app"], "manifest": m}),
            [
                t(
                    "restore.manifest_field",
                    field="schema_version",
                    expected=t("restore.type.integer"),
                    found=t("restore.absent"),
                )
            ],
        ),
        "non-numeric version": (
            with_manifest(data, lambda m: {**m, "schema_version": "vijf"}),
            [t("restore.manifest_field", field="schema_version", expected=t("restore.type.integer"), found="'vijf'")],
        ),
    }
    for kind, (bad, messages) in cases.items():
        error = refused(path, bad, beheerder)
        assert isinstance(error, UserError), kind
        assert error.messages == messages, kind
        assert "Traceback" not in str(error)
        assert_unchanged(path, before)
        assert leftovers(path.parent, {path.name}) == [], kind


def test_a_missing_nullable_column_is_refused_not_restored_as_empty(own, beheerder):
    """The issue's finding: coalitions without ``trekker`` restored "successfully" and emptied it for all."""
    path, data = own
    before = state(path)
    assert before[2]["trekker"].notna().any()

    error = refused(path, with_table(data, "coalitions", lambda f: f.drop(columns=["trekker"])), beheerder)

    assert error.messages == [t("restore.missing_column", table="coalitions", column="trekker")]
    assert error.lead == t("restore.lead_one")
    assert_unchanged(path, before)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: with_manifest(data, lambda m: {**m, "tables": {**m["tables"], "coalitions": {"rijen": 5}}}),
            t(
                "restore.manifest_field",
                field="tables.coalitions",
                expected=t("restore.type.integer"),
                found='{"rijen": 5}',
            ),
        ),
        (
            lambda data: with_manifest(data, lambda m: {**m, "schema_version": {"major": 5}}),
            t(
                "restore.manifest_field",
                field="schema_version",
                expected=t("restore.type.integer"),
                found='{"major": 5}',
            ),
        ),
        (
            lambda data: with_manifest(data, lambda m: {**m, "schema_version": True}),
            t("restore.manifest_field", field="schema_version", expected=t("restore.type.integer"), found="True"),
        ),
        (lambda data: with_manifest(data, lambda m: [m]), t("backup.not_a_backup")),
        (
            lambda data: with_manifest(data, lambda m: {**m, "tables": []}),
            t("restore.manifest_field", field="tables", expected=t("restore.type.tables"), found="[]"),
        ),
        (lambda data: data[: len(data) // 2], t("backup.not_a_backup")),  # a truncated zip
        (
            lambda data: {**members(data), "goals.parquet": b"PAR1 dit is geen parquet PAR1"},
            t("backup.damaged", table="goals"),
        ),
        (
            lambda data: with_table(
                data, "meta", lambda f: f.assign(value=f["value"].where(f["key"] != "data_version", "x"))
            ),
            t("restore.meta_version", found="'x'"),
        ),
    ],
    ids=[
        "nested table count",
        "nested version",
        "boolean version",
        "list",
        "tables list",
        "truncated",
        "not parquet",
        "meta version",
    ],
)
def test_a_damaged_manifest_or_part_is_refused_in_dutch(own, beheerder, change, message):
    path, data = own
    bad = change(data)
    if isinstance(bad, dict):
        bad = zipped(bad)
    before = state(path)

    error = refused(path, bad, beheerder)

    assert error.messages == [message]
    assert_unchanged(path, before)


def test_all_problems_of_a_backup_come_back_at_once(own, beheerder):
    path, data = own
    bad = with_table(data, "coalitions", lambda f: f.assign(extra="x").drop(columns=["trekker"]))
    bad = with_table(bad, "actions", lambda f: f.assign(title=f["title"].where(f.index != 4, None)))
    bad = with_table(
        bad,
        "coalition_members",
        lambda f: f.assign(municipality_code=f["municipality_code"].where(f.index != 1, "GM9999")),
    )
    files = members(bad)
    files["geheim.parquet"] = files["meta.parquet"]
    manifest = json.loads(files["manifest.json"])
    manifest["tables"]["geheim"] = manifest["tables"]["meta"]
    del manifest["tables"]["results"]
    del files["results.parquet"]
    files["manifest.json"] = json.dumps(manifest).encode()

    error = refused(path, zipped(files), beheerder)

    assert error.lead == t("restore.lead", count=6)
    assert sorted(error.messages) == sorted(
        [
            t("restore.unknown_table", table="geheim"),
            t("restore.missing_table", table="results"),
            t("restore.extra_column", table="coalitions", column="extra"),
            t("restore.missing_column", table="coalitions", column="trekker"),
            t("restore.not_null", table="actions", column="title", rows=t("restore.row", row="5")),
            t(
                "restore.dangling",
                table="coalition_members",
                column="municipality_code",
                parent="municipalities",
                value="municipality_code = 'GM9999'",
                rows=t("restore.row", row="2"),
            ),
        ]
    )


def test_rules_the_database_keeps_itself_are_reported_per_table(own, beheerder):
    """CHECK rules and the links of integrity.sql: found while the new file is filled, the old file untouched."""
    path, data = own
    before = state(path)
    phase = with_table(data, "coalitions", lambda f: f.assign(phase=f["phase"].where(f.index != 0, 9)))
    link = with_table(data, "ambitions", lambda f: f.assign(coalition_id=f["coalition_id"].where(f.index != 0, "X")))

    by_rule = refused(path, phase, beheerder)
    by_link = refused(path, link, beheerder)

    assert len(by_rule.messages) == 1 and by_rule.messages[0].startswith("Tabel coalitions: ")
    assert "phase" in by_rule.messages[0] and by_rule.lead == t("restore.lead_one")
    assert by_link.messages == [t("store.integrity", detail="ambitions.coalition_id (1)")]
    assert_unchanged(path, before)
    assert leftovers(path.parent, {path.name}) == []


def test_numbers_and_dates_written_as_text_that_parse_are_restored(own, beheerder):
    path, data = own
    text = with_table(data, "municipalities", lambda f: f.assign(population=f["population"].astype(str)))
    text = with_table(text, "actions", lambda f: f.assign(action_date=f["action_date"].dt.strftime("%Y-%m-%d")))
    before = state(path)

    backup.restore_zip(path, text, beheerder)

    store = Store.open(path)
    assert store.table_counts() == before[1]
    assert store.table("municipalities")["population"].sum() > 17_000_000
    Store.close_all()


# -- 2. another process has the database open --------------------------------------------------------------------
@contextlib.contextmanager
def opened_by_another_process(path: Path, how: str):
    """Another process holds ``path`` open: as the app does (``Store.open``, read-write, kept for its life) or as
    a read-only CLI command does while it runs (``Store.open(read_only=True)``)."""
    read_only = how == "read-only command"
    code = (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); from kansrijke.core.store import Store; "
        f"Store.open({str(path)!r}, read_only={read_only}); print('ok', flush=True); time.sleep(120)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "ok"
        yield
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("how", ["the app", "read-only command"])
def test_restore_is_refused_while_another_process_has_the_database_open(own, beheerder, how):
    path, data = own
    changed = with_table(data, "coalitions", lambda f: f.assign(name="Teruggezet"))
    before = state(path)

    with opened_by_another_process(path, how):
        error = refused(path, changed, beheerder)

    assert error.messages == [t("restore.in_use", path=path)] and error.kind == "locked"
    assert "Stop eerst de app" in error.messages[0]
    assert_unchanged(path, before)
    assert leftovers(path.parent, {path.name}) == []


def test_a_raw_duckdb_connection_in_another_process_is_refused_too(own, beheerder):
    path, data = own
    with lock_held_by_another_process(path):
        error = refused(path, data, beheerder)
    assert error.kind == "locked"


def test_this_process_own_connection_is_taken_over_and_closed(own, beheerder):
    """The page restores inside the app's process: its own connection is no other process; it is closed and
    the next ``Store.open`` reads the new file. Afterwards another process can open the new file."""
    path, data = own
    store = Store.open(path)
    with store.write() as w:
        w.run("rename_coalition", {"id": store.table("coalitions")["id"][0], "name": "Gewijzigd"})
    assert "Gewijzigd" in set(store.table("coalitions")["name"])

    backup.restore_zip(path, data, beheerder)

    assert store.closed
    assert "Gewijzigd" not in set(Store.open(path).table("coalitions")["name"])
    Store.close_all()
    with opened_by_another_process(path, "the app"):  # the restore let go of the new file
        pass


def test_after_the_swap_the_old_file_is_not_reachable_and_no_wal_is_left(own, beheerder):
    path, data = own
    backup.restore_zip(path, data, beheerder)
    assert leftovers(path.parent, {path.name}) == []
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from kansrijke.core.store import Store; "
        f"print(Store.open({str(path)!r}).data_version())"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert int(other.stdout) == state(path)[0]


# -- 3. the data version never goes back -----------------------------------------------------------------------
def test_the_restored_file_continues_after_the_old_files_data_version(own, beheerder):
    path, data = own  # the backup has a low data version
    store = Store.open(path)
    with store.write() as w:
        w.set_meta("data_version", "500")
    old = store.data_version()
    assert old == 501 > json.loads(members(data)["manifest.json"])["data_version"]

    backup.restore_zip(path, data, beheerder)

    assert state(path)[0] > old


def test_the_restored_file_does_not_go_below_the_backups_data_version(own, beheerder, tmp_path):
    path, _ = own
    store = Store.open(path)
    with store.write() as w:
        w.set_meta("data_version", "900")
    high = backup.backup_zip(store, beheerder)
    Store.close_all()
    fresh = tmp_path / "nieuw" / "kansrijke.duckdb"
    fresh.parent.mkdir()

    backup.restore_zip(fresh, high, beheerder)

    assert state(fresh)[0] > 900


# -- 4. atomic: the old file stays on any failure ---------------------------------------------------------------
def test_a_restore_that_fails_halfway_leaves_the_old_file_and_nothing_beside_it(own, beheerder):
    path, data = own
    before = state(path)
    late = with_table(data, "self_assessment_scores", lambda f: f.assign(score=f["score"].where(f.index != 3, 7)))

    error = refused(path, late, beheerder)

    assert error.messages[0].startswith("Tabel self_assessment_scores: ")
    assert_unchanged(path, before)
    assert leftovers(path.parent, {path.name}) == []


def tiny_disk(folder: Path, size: str):
    """A tmpfs of ``size`` at ``folder`` (root only); returns the unmount function, or None."""
    if not running_as_root():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        return None
    return lambda: subprocess.run(["umount", str(folder)], check=True)


def run_limited(code: str, max_file_bytes: int, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run Python ``code`` in a child whose files may grow to ``max_file_bytes`` at most (RLIMIT_FSIZE: a write
    past it fails with EFBIG, as a full disk fails with ENOSPC)."""

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, preexec_fn=limit, env=env, timeout=300
    )


def test_a_restore_on_a_full_disk_keeps_the_old_file(own, tmp_path):
    """The new file cannot be written to the end: the restore fails in Dutch and the old file is as it was."""
    path, data = own
    (tmp_path / "elders").mkdir()
    (tmp_path / "elders" / "kopie.zip").write_bytes(data)
    before = state(path)
    code = (
        "import sys; from pathlib import Path; from kansrijke import access; from kansrijke.dataio import backup\n"
        "try:\n"
        f"    backup.restore_zip(Path({str(path)!r}), Path({str(tmp_path / 'elders' / 'kopie.zip')!r}).read_bytes(), "
        "access.operator())\n"
        "except backup.BackupError as exc:\n"
        "    print(exc); sys.exit(2)\n"
    )

    done = run_limited(code, max_file_bytes=2 * 2**20)  # the demo's database is about 12 MB

    assert done.returncode == 2, done.stderr
    assert done.stdout.startswith(t("restore.failed", path=path, error="X").split("(")[0]), done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert_unchanged(path, before)
    assert leftovers(path.parent, {path.name, "elders"}) == []


# -- 5. a backup or export on a full disk leaves no broken file -------------------------------------------------
def test_save_file_on_a_full_disk_leaves_no_file_and_keeps_an_older_one(tmp_path):
    target = tmp_path / "kopie.zip"
    code = (
        "import sys; from pathlib import Path; from kansrijke.dataio import backup\n"
        "try:\n"
        f"    backup.save_file(Path({str(target)!r}), b'x' * 300_000)\n"
        "except backup.SaveError as exc:\n"
        "    print(exc); sys.exit(2)\n"
    )
    done = run_limited(code, max_file_bytes=100_000)
    assert done.returncode == 2, done.stderr
    assert done.stdout.strip() == t("restore.file_too_big", file=target)
    assert list(tmp_path.iterdir()) == []

    target.write_bytes(b"oude reservekopie")
    done = run_limited(code, max_file_bytes=100_000)
    assert done.returncode == 2
    assert [p.name for p in tmp_path.iterdir()] == ["kopie.zip"] and target.read_bytes() == b"oude reservekopie"


def test_backup_and_export_on_a_tiny_full_disk(own_copy, beheerder, tmp_path):
    """A real full disk (a 200 KB tmpfs; needs root): ENOSPC, a Dutch message, no zip, no CSV, no temporary."""
    disk = tmp_path / "klein"
    unmount = tiny_disk(disk, "200k")
    if unmount is None:
        pytest.skip("mounting a tmpfs needs root; the RLIMIT_FSIZE tests cover the same path")
    try:
        data = backup.backup_zip(Store.open(own_copy), beheerder)
        with pytest.raises(backup.SaveError) as full:
            backup.save_file(disk / "kopie.zip", data)
        assert full.value.messages == [t("restore.disk_full", file=disk / "kopie.zip")]
        assert list(disk.iterdir()) == []

        (disk / "csv").mkdir()
        (disk / "csv" / "coalitions.csv").write_text("oud")
        with pytest.raises(backup.SaveError) as full:
            backup.export_csv_dir(Store.open(own_copy), disk / "csv")
        assert full.value.messages[0].startswith(t("restore.disk_full", file="X").split(":")[0])
        assert [p.name for p in (disk / "csv").iterdir()] == ["coalitions.csv"]  # the folder as it was
        assert (disk / "csv" / "coalitions.csv").read_text() == "oud"
    finally:
        Store.close_all()
        unmount()


def test_export_writes_every_file_whole(own_copy, tmp_path):
    counts = backup.export_csv_dir(Store.open(own_copy), tmp_path / "csv")
    names = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert names == sorted(f"{table}.csv" for table in counts)  # no temporary file left
    assert all((tmp_path / "csv" / name).stat().st_size > 0 for name in names)
