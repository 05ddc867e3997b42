"""Importing your own data as a user experiences it: a file lands whole or not at all, a newer file
replaces only what it covers, re-importing changes nothing, undo puts back exactly what was there, a
killed import leaves no trace, and a backup restores exactly.

Every "nothing changed" is checked on the CONTENTS of every table, never on row counts.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT

from kansrijke import access
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.dataio import backup, importer
from kansrijke.dataio.ingest.common import Upload
from kansrijke.dataio.ingest.indicators import export_indicators
from kansrijke.dataio.ingest.plan import TABLE_COLUMNS, export_plan

UNDO_BOOKKEEPING = ("import_log", "import_undo")


def named(name: str) -> access.Person:
    """The command line's operator (beheerder) with the name given as ``--wie``: the import log says that name."""
    return access.with_typed_name(access.operator(), name)


@pytest.fixture
def store(own_copy):
    opened = Store.open(own_copy)
    yield opened
    Store.close_all()


# -- helpers -----------------------------------------------------------------------------------------
def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    """The full contents of every table (each ordered by all its columns)."""
    return {name: store.table(name) for name in store.tables()}


def assert_same(
    before: dict[str, pd.DataFrame],
    after: dict[str, pd.DataFrame],
    skip: tuple[str, ...] = (),
    ignore_data_version: bool = False,
) -> None:
    """Every table has exactly the same rows (``skip``: tables left out; the data version may move when
    ``ignore_data_version``: each committed write, an undo too, bumps it on purpose)."""
    assert sorted(before) == sorted(after)
    for name in before:
        if name in skip:
            continue
        old, new = before[name], after[name]
        if ignore_data_version and name == "meta":
            old, new = (f[f["key"] != "data_version"].reset_index(drop=True) for f in (old, new))
        pd.testing.assert_frame_equal(old, new, obj=name)


def values_of(store: Store, code: str, indicator: str) -> pd.DataFrame:
    values = store.table("indicator_values")
    mine = values[(values["municipality_code"] == code) & (values["indicator_id"] == indicator)]
    return mine.sort_values("period").reset_index(drop=True)


def indicator_upload(rows: pd.DataFrame, name: str = "cijfers.csv") -> Upload:
    """Rows in the shape of ``indicator_values`` as the long-form CSV a user exports, edits and imports."""
    return Upload(name, export_indicators(rows))


def revised(rows: pd.DataFrame, shift: float = 0.125) -> pd.DataFrame:
    """The same keys with other figures (still valid: percentages stay between 0 and 100): what a newer
    delivery of the same data looks like."""
    out = rows.copy()
    out["value"] = out["value"] * 0.9 + shift
    out["numerator"] = pd.array([None] * len(out), dtype="Int64")
    out["denominator"] = pd.array([None] * len(out), dtype="Int64")
    out["data_status"] = "herzien"
    return out.reset_index(drop=True)


def stored_plan(store: Store, coalition_id: str) -> dict[str, pd.DataFrame]:
    """What is stored of one coalition's plan, in the tables export_plan takes."""
    coalitions = store.table("coalitions")
    members = store.table("coalition_members")
    ambitions = store.table("ambitions")
    ambitions = ambitions[ambitions["coalition_id"] == coalition_id]
    goals = store.table("goals")
    results = store.table("results")
    actions = store.table("actions")
    tables = {
        "coalitions": coalitions[coalitions["id"] == coalition_id],
        "coalition_members": members[members["coalition_id"] == coalition_id],
        "ambitions": ambitions,
        "goals": goals[goals["ambition_id"].isin(ambitions["id"])],
        "results": results[results["ambition_id"].isin(ambitions["id"])],
        "actions": actions[actions["coalition_id"] == coalition_id],
    }
    assert set(tables) == set(TABLE_COLUMNS)
    return tables


def demo_coalition(store: Store) -> str:
    """A demo coalition whose plan has goals, results and several actions."""
    for coalition_id in store.table("coalitions")["id"]:
        plan = stored_plan(store, coalition_id)
        if len(plan["goals"]) >= 2 and len(plan["results"]) >= 1 and len(plan["actions"]) >= 3:
            return coalition_id
    raise AssertionError("the demo has no coalition with a full plan")


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def saved(wb: openpyxl.Workbook, name: str = "plan.xlsx") -> Upload:
    buffer = io.BytesIO()
    wb.save(buffer)
    return Upload(name, buffer.getvalue())


def column(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


# -- 1. a file with any error changes nothing --------------------------------------------------------
def test_an_indicator_file_with_one_bad_row_changes_nothing(store, config):
    good = revised(values_of(store, "GM0363", "big2"))
    data = export_indicators(good).decode("utf-8") + "GM0363;big2;2030;veel;;;Perined;;definitief\r\n"
    upload = Upload("cijfers.csv", data.encode("utf-8"))
    before = snapshot(store)

    prepared = importer.prepare(store, config, upload)

    assert not prepared.parsed.ok
    [error] = prepared.parsed.errors
    assert (error.row, error.column, error.value) == (len(good) + 2, "waarde", "veel")
    assert prepared.counts == {"added": 0, "changed": 0, "removed": 0}
    with pytest.raises(ValueError):
        importer.apply(store, prepared, named("tester"))
    assert_same(before, snapshot(store))


def test_a_plan_with_one_broken_link_changes_nothing(store, config):
    coalition_id = demo_coalition(store)
    wb = workbook(export_plan(stored_plan(store, coalition_id)))
    goals = wb["Doelen"]
    goals.cell(row=2, column=column(goals, "titel")).value = "Een nieuwe titel die er niet komt"
    actions = wb["Acties"]
    actions.cell(row=3, column=column(actions, "doel_id")).value = "D99"  # no such goal
    upload = saved(wb)
    before = snapshot(store)

    prepared = importer.prepare(store, config, upload)

    assert not prepared.parsed.ok
    assert [(e.sheet, e.row, e.column, e.value) for e in prepared.parsed.errors] == [("Acties", 3, "doel_id", "D99")]
    with pytest.raises(ValueError):
        importer.apply(store, prepared, named("tester"))
    assert_same(before, snapshot(store))


# -- 2. and 3. a valid file lands whole, once -------------------------------------------------------------
def test_a_valid_file_lands_whole_and_is_logged(store, config):
    stored = values_of(store, "GM0363", "big2")
    changed = revised(stored[stored["period"] >= 2020])
    added = revised(stored[stored["period"] >= 2022]).assign(period=lambda f: f["period"] - 20)  # 2002..
    rows = pd.concat([changed, added], ignore_index=True)
    upload = indicator_upload(rows, "big2-amsterdam.csv")
    started = pd.Timestamp.now().floor("ms")

    prepared = importer.prepare(store, config, upload)
    assert prepared.parsed.ok, prepared.parsed.errors
    assert prepared.counts == {"added": len(added), "changed": len(changed), "removed": 0}
    import_id = importer.apply(store, prepared, named("tester@example.nl"))
    finished = pd.Timestamp.now()

    landed = values_of(store, "GM0363", "big2")
    landed = landed[landed["period"].isin(rows["period"])].reset_index(drop=True)
    expected = rows.sort_values("period").reset_index(drop=True).astype(landed.dtypes.to_dict())
    pd.testing.assert_frame_equal(landed, expected)
    [log] = store.table("import_log").to_dict("records")
    assert log["id"] == import_id
    assert log["file_name"] == "big2-amsterdam.csv"
    assert log["content_hash"] == hashlib.sha256(upload.data).hexdigest()
    assert log["imported_by"] == "tester@example.nl"
    assert started <= log["imported_at"] <= finished
    assert (log["rows_added"], log["rows_changed"], log["rows_removed"]) == (len(added), len(changed), 0)
    assert log["outcome"] == "geimporteerd"


def test_importing_the_same_file_again_changes_nothing(store, config):
    upload = indicator_upload(revised(values_of(store, "GM0014", "vroeggeboorte")))
    assert importer.apply(store, importer.prepare(store, config, upload), named("tester")) is not None
    before = snapshot(store)

    again = importer.prepare(store, config, Upload("nogmaals.csv", upload.data))

    assert again.parsed.ok
    assert again.counts == {"added": 0, "changed": 0, "removed": 0}
    assert importer.apply(store, again, named("tester")) is None
    assert_same(before, snapshot(store))  # no extra import_log row, not even a new data version

    corrected = values_of(store, "GM0014", "vroeggeboorte").iloc[[0]].copy()
    corrected["value"] += 0.01
    assert importer.prepare(store, config, indicator_upload(corrected)).counts["changed"] == 1  # one figure fixed


# -- 4. a newer file replaces what it covers; undo puts it back -----------------------------------------------
def test_a_newer_file_replaces_what_it_covers_and_undo_puts_it_back(store, config):
    stored = values_of(store, "GM0363", "vroeggeboorte")
    newer = revised(stored[stored["period"] >= 2021], shift=0.5)
    before = snapshot(store)

    import_id = importer.apply(store, importer.prepare(store, config, indicator_upload(newer)), named("tester"))

    after = snapshot(store)
    values, old = after["indicator_values"], before["indicator_values"]
    key = ["municipality_code", "indicator_id", "period"]
    covered = values.merge(newer[key], on=key, how="left", indicator=True)["_merge"].eq("both").to_numpy()
    landed = values[covered].reset_index(drop=True)
    pd.testing.assert_frame_equal(landed, newer.astype(landed.dtypes.to_dict()))
    was_covered = old.merge(newer[key], on=key, how="left", indicator=True)["_merge"].eq("both").to_numpy()
    pd.testing.assert_frame_equal(values[~covered].reset_index(drop=True), old[~was_covered].reset_index(drop=True))
    assert_same(before, after, skip=("indicator_values", *UNDO_BOOKKEEPING), ignore_data_version=True)

    assert importer.undo_last(store, access.operator())["id"] == import_id

    assert_same(before, snapshot(store), skip=UNDO_BOOKKEEPING, ignore_data_version=True)
    assert store.table("import_log")[["id", "outcome"]].to_dict("records") == [{"id": import_id, "outcome": "ongedaan"}]
    assert importer.undo_last(store, access.operator()) is None  # nothing left to undo


# -- 5. a coalition plan ------------------------------------------------------------------------------------------
def test_a_coalition_plan_round_trips_and_an_edit_replaces_and_undoes(store, config):
    coalition_id = demo_coalition(store)
    exported = export_plan(stored_plan(store, coalition_id))
    before = snapshot(store)

    unchanged = importer.prepare(store, config, Upload("plan.xlsx", exported))
    assert unchanged.parsed.ok, unchanged.parsed.errors
    assert unchanged.counts == {"added": 0, "changed": 0, "removed": 0}
    assert importer.apply(store, unchanged, named("tester")) is None

    wb = workbook(exported)
    goals, actions = wb["Doelen"], wb["Acties"]
    goal_id = f"{coalition_id}-{goals.cell(row=2, column=column(goals, 'doel_id')).value}"
    goals.cell(row=2, column=column(goals, "titel")).value = "Minder kinderen met een te laag geboortegewicht"
    gone_title = actions.cell(row=2, column=column(actions, "titel")).value
    actions.delete_rows(2)
    edited = importer.prepare(store, config, saved(wb))
    assert edited.parsed.ok, edited.parsed.errors
    assert edited.counts == {"added": 0, "changed": 1, "removed": 1}
    import_id = importer.apply(store, edited, named("tester"))

    plan = stored_plan(store, coalition_id)
    assert plan["goals"].set_index("id").at[goal_id, "title"] == "Minder kinderen met een te laag geboortegewicht"
    assert gone_title not in set(plan["actions"]["title"])
    assert len(plan["actions"]) == (before["actions"]["coalition_id"] == coalition_id).sum() - 1

    assert importer.undo_last(store, access.operator())["id"] == import_id
    assert_same(before, snapshot(store), skip=UNDO_BOOKKEEPING, ignore_data_version=True)


def test_a_plan_with_a_new_action_lands_and_undoes(store, config):
    coalition_id = demo_coalition(store)
    wb = workbook(export_plan(stored_plan(store, coalition_id)))
    actions = wb["Acties"]
    row = actions.max_row + 1
    for name, value in {
        "datum": "2026-09-01",
        "titel": "Kraamzorg en JGZ stemmen overdracht af",
        "status": "gepland",
        "principes": "2, 3",
        "partners": "jgz, kraamzorg",
    }.items():
        actions.cell(row=row, column=column(actions, name)).value = value
    before = snapshot(store)
    started = pd.Timestamp.now().floor("ms")

    prepared = importer.prepare(store, config, saved(wb))
    assert prepared.counts == {"added": 1, "changed": 0, "removed": 0}
    importer.apply(store, prepared, named("tester"))

    stored = store.table("actions")
    [new] = stored[stored["title"] == "Kraamzorg en JGZ stemmen overdracht af"].to_dict("records")
    assert new["coalition_id"] == coalition_id and new["status"] == "gepland" and new["version"] == 1
    assert list(new["principles"]) == [2, 3] and list(new["partners"]) == ["jgz", "kraamzorg"]
    assert new["created_at"] >= started
    assert new["id"] == before["actions"]["id"].max() + 1
    importer.undo_last(store, access.operator())
    assert_same(before, snapshot(store), skip=UNDO_BOOKKEEPING, ignore_data_version=True)


# -- 6. export and import back --------------------------------------------------------------------------------------
def test_exported_indicator_values_import_back_exactly(store, config):
    original = store.table("indicator_values")
    data = export_indicators(original)
    with store.write() as w:
        w.clear(["indicator_values"])
    assert store.table("indicator_values").empty

    prepared = importer.prepare(store, config, Upload("alles.csv", data))
    assert prepared.parsed.ok and not prepared.parsed.skipped
    assert prepared.counts == {"added": len(original), "changed": 0, "removed": 0}
    importer.apply(store, prepared, named("tester"))

    pd.testing.assert_frame_equal(store.table("indicator_values"), original, check_exact=False, rtol=1e-12)


# -- 7. killed while writing ------------------------------------------------------------------------------------------
CHILD = """
import sys
from pathlib import Path
from kansrijke import access
from kansrijke.dataio import importer
from kansrijke.core.config import load_config
from kansrijke.dataio.ingest.common import Upload
from kansrijke.core.store import Store

db, file = sys.argv[1], Path(sys.argv[2])
store = Store.open(db)
prepared = importer.prepare(store, load_config("config.yaml"), Upload(file.name, file.read_bytes()))
assert prepared.parsed.ok and prepared.has_changes, prepared.report()
print("writing", flush=True)
importer.apply(store, prepared, access.operator())
print("done", flush=True)
"""


def test_an_import_killed_while_writing_leaves_every_table_as_it_was(store, config, own_copy, tmp_path):
    values = store.table("indicator_values")
    every_value_changed = revised(values, shift=0.5)
    earlier_years = revised(values, shift=0.25).assign(period=lambda f: f["period"] - 10)
    big = pd.concat([every_value_changed, earlier_years], ignore_index=True)
    assert len(big) > 100_000
    file = tmp_path / "landelijk.csv"
    file.write_bytes(export_indicators(big))
    before = snapshot(store)
    Store.close_all()  # one process writes a DuckDB file at a time

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(own_copy), str(file)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(120, child.kill)  # a hanging child fails the test instead of blocking it
    watchdog.start()
    try:
        assert child.stdout.readline().strip() == "writing"
        time.sleep(0.1)  # applying these 100k rows takes about half a second
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
    finally:
        watchdog.cancel()
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert "done" not in rest, "the import finished before it was killed: the test proves nothing"

    assert_same(before, snapshot(Store.open(own_copy)))


# -- 8. backup and restore, CSV export -----------------------------------------------------------------------
def zip_without(data: bytes, drop: str, from_manifest: bool = False) -> bytes:
    """The backup ``data`` without the file ``drop`` (and, when asked, without its manifest entry)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == drop:
                continue
            if name == "manifest.json" and from_manifest:
                manifest = json.loads(content)
                del manifest["tables"][drop.removesuffix(".parquet")]
                content = json.dumps(manifest).encode()
            target.writestr(name, content)
    return out.getvalue()


def data_tables_of(snap: dict[str, pd.DataFrame]) -> tuple[str, ...]:
    return tuple(name for name in snap if name not in backup.SKIP_TABLES)


def test_a_backup_restores_exactly(store, config, own_copy):
    # an import first, so the backup holds an import log and undo data too
    upload = indicator_upload(revised(values_of(store, "GM0363", "big2")))
    importer.apply(store, importer.prepare(store, config, upload), named("tester"))
    data = backup.backup_zip(store, access.operator())
    before = snapshot(store)
    with store.write() as w:
        w.clear(["indicator_values", "self_assessment_scores"])
        w.set_meta("demo", "0")

    counts = backup.restore_zip(own_copy, data, access.operator())

    assert store.closed  # the old connection is gone; the file was replaced
    restored = snapshot(Store.open(own_copy))
    assert counts == {name: len(before[name]) for name in data_tables_of(before)}
    assert_same(before, restored, skip=("schema_version",), ignore_data_version=True)


def test_a_restore_moves_the_data_version_forward(store, own_copy):
    data = backup.backup_zip(store, access.operator())
    with store.write() as w:
        w.clear(["indicator_values"])
    version_before_restore = store.data_version()

    backup.restore_zip(own_copy, data, access.operator())

    assert Store.open(own_copy).data_version() > version_before_restore


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 geen zip", t("backup.not_a_backup")),
        ("a zip without manifest", t("backup.not_a_backup")),
        ("a backup without goals.parquet", t("backup.damaged", table="goals")),
    ],
)
def test_a_file_that_is_no_usable_backup_is_refused_in_dutch_and_changes_nothing(store, own_copy, data, message):
    if data == "a zip without manifest":
        data = zip_without(backup.backup_zip(store, access.operator()), "manifest.json")
    elif data == "a backup without goals.parquet":
        data = zip_without(backup.backup_zip(store, access.operator()), "goals.parquet")
    before = snapshot(store)

    with pytest.raises(backup.BackupError) as refused:
        backup.restore_zip(own_copy, data, access.operator())

    assert refused.value.messages == [message]
    Store.close_all()
    assert_same(before, snapshot(Store.open(own_copy)))


def test_a_backup_that_leaves_out_a_whole_table_is_refused(store, own_copy):
    data = zip_without(backup.backup_zip(store, access.operator()), "indicator_values.parquet", from_manifest=True)
    before = snapshot(store)

    with pytest.raises(backup.BackupError):
        backup.restore_zip(own_copy, data, access.operator())

    Store.close_all()
    assert_same(before, snapshot(Store.open(own_copy)))


def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe():
    frame = pd.DataFrame(
        {
            "text": ['=HYPERLINK("http://x")', "+31 6 1234", "-2+3", "@SUM(A1)", "gewoon", "a=b", None],
            "number": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        }
    )

    out = backup.neutralise(frame)

    assert out["text"].tolist()[:6] == [
        '\'=HYPERLINK("http://x")',
        "'+31 6 1234",
        "'-2+3",
        "'@SUM(A1)",
        "gewoon",
        "a=b",
    ]
    assert pd.isna(out["text"].iloc[6])
    assert out["number"].tolist() == frame["number"].tolist()  # numbers are no formulas
    assert frame["text"].iloc[0] == '=HYPERLINK("http://x")'  # the input is left alone


def test_export_csv_dir_writes_one_readable_csv_per_table(store, tmp_path):
    with store.write() as w:
        w.insert_df("coalitions", pd.DataFrame([{"id": "KS-X", "name": '=HYPERLINK("http://x")', "phase": 1}]))

    counts = backup.export_csv_dir(store, tmp_path / "csv")

    tables = [name for name in backup.data_tables(store) if name != "import_undo"]
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(f"{name}.csv" for name in tables)
    assert counts == {name: len(store.table(name)) for name in tables}
    coalitions = pd.read_csv(tmp_path / "csv" / "coalitions.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert coalitions.set_index("id").at["KS-X", "name"] == '\'=HYPERLINK("http://x")'
    values = pd.read_csv(tmp_path / "csv" / "indicator_values.csv", sep=";", decimal=",", encoding="utf-8-sig")
    stored = store.table("indicator_values")
    assert values["value"].tolist() == pytest.approx(stored["value"].tolist())


# -- 9. two imports at once ----------------------------------------------------------------------------------------
def test_two_imports_at_once_both_land_and_undo_takes_back_only_the_latest(store, config):
    municipalities = sorted(store.table("municipalities")["code"])
    values = store.table("indicator_values")
    files = {
        "noord.csv": revised(values[values["municipality_code"].isin(municipalities[:60])], shift=0.75),
        "zuid.csv": revised(values[values["municipality_code"].isin(municipalities[60:120])], shift=0.375),
    }
    before = snapshot(store)
    ready = threading.Barrier(len(files))
    ids: dict[str, int] = {}
    failures: list[BaseException] = []

    def run(name: str) -> None:
        try:
            prepared = importer.prepare(Store.open(store.path), config, indicator_upload(files[name], name))
            ready.wait(timeout=60)
            ids[name] = importer.apply(Store.open(store.path), prepared, named(name))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(name,)) for name in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures

    key = ["municipality_code", "indicator_id", "period"]
    stored = store.table("indicator_values")
    for rows in files.values():
        landed = stored.merge(rows[key], on=key).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(landed, rows.sort_values(key).reset_index(drop=True).astype(landed.dtypes))
    log = store.table("import_log")
    assert sorted(log["id"]) == sorted(ids.values()) and set(log["outcome"]) == {"geimporteerd"}

    latest = max(ids, key=ids.get)
    earlier = min(ids, key=ids.get)
    assert importer.undo_last(store, access.operator())["file_name"] == latest

    stored = store.table("indicator_values")
    untouched = before["indicator_values"].merge(files[earlier][key], on=key, how="left", indicator=True)
    untouched = untouched[untouched["_merge"] == "left_only"].drop(columns="_merge")
    still = stored.merge(untouched[key], on=key).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(still, untouched.sort_values(key).reset_index(drop=True))  # latest undone
    landed = stored.merge(files[earlier][key], on=key).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        landed, files[earlier].sort_values(key).reset_index(drop=True).astype(landed.dtypes)
    )  # the earlier stays
    assert store.table("import_log").set_index("file_name")["outcome"].to_dict() == {
        latest: "ongedaan",
        earlier: "geimporteerd",
    }


# -- a plan's targets against what the stored figures can show -------------------------------------------------
def small_plan(code: str, base: float = 7.0, target: float = 6.8) -> Upload:
    """A one-goal plan for one municipality: vroeggeboorte from ``base`` (2022) to ``target`` (2030)."""
    text = (
        f"coalitie: {{coalitie_id: KS-KLEIN, naam: Coalitie Klein, fase: 3, startdatum: 2022-01-01, gemeenten: {code}}}\n"
        "ambities:\n  - {ambitie_id: A1, titel: Een gezonde start, horizonjaar: 2030}\n"
        "doelen:\n  - {doel_id: D1, ambitie_id: A1, titel: Minder vroeggeboorte, indicator: vroeggeboorte, "
        f"basiswaarde: {base}, basisjaar: 2022, streefwaarde: {target}, streefjaar: 2030}}\n"
        "resultaten: []\nacties: []\n"
    )
    return Upload("plan.yaml", text.encode())


def smallest_without_coalition(store: Store) -> str:
    munis = store.query("municipalities")
    members = set(store.table("coalition_members")["municipality_code"])
    free = munis[~munis["code"].isin(members)].sort_values("population")
    return str(free.iloc[0]["code"])


def test_a_plan_target_smaller_than_the_stored_figures_can_show_warns_and_still_imports(store, config):
    code = smallest_without_coalition(store)
    births = store.query("pooled_series", {"codes": [code], "indicators": ["vroeggeboorte"], "hidden": []})[
        "denominator"
    ]
    assert births.tail(3).median() < 2000  # a small place: 0,2 procentpunt cannot be told from chance
    prepared = importer.prepare(store, config, small_plan(code))
    assert prepared.parsed.ok
    (warning,) = prepared.parsed.warnings
    assert (warning.sheet, warning.row, warning.column) == ("doelen", 1, "streefwaarde")
    assert warning.message.startswith(
        "De beoogde verandering (0,2 procentpunt) is kleiner dan wat deze cijfers kunnen laten zien"
    )
    assert "Advies:" in warning.message and "Het plan wordt wel geïmporteerd." in warning.message
    assert importer.apply(store, prepared, named("test")) is not None
    assert store.query("goals", {"coalition_id": "KS-KLEIN"})["target_value"].tolist() == [6.8]
    # a target the figures can show (7,0% -> 1,0%) gets no such warning
    assert importer.prepare(store, config, small_plan(code, 7.0, 1.0)).parsed.warnings == []


def test_importing_a_suspended_indicator_lands_with_a_warning(store, config):
    text = "gemeentecode;indicator;periode;waarde\nGM0363;start_zorg_10wk;2024;80,5\n"
    prepared = importer.prepare(store, config, Upload("opgeschort.csv", text.encode()))
    (warning,) = prepared.parsed.warnings
    assert "'Start zwangerschapsbegeleiding voor 10e week' (start_zorg_10wk) is bij de bron (Perined) opgeschort" in (
        warning.message
    )
    assert importer.apply(store, prepared, named("test")) is not None
    assert values_of(store, "GM0363", "start_zorg_10wk")["value"].tolist() == [80.5]
