"""Full backups (a zip with one Parquet file per table and a manifest), restore, and CSV exports.

A backup restores exactly (types, lists, dates). CSV exports are for people: text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) get a leading apostrophe (OWASP CSV injection).

Fictitious data says so (``store.is_demo()``). A backup of the demo carries the label as the zip's comment, in a
file ``FICTIEF.txt`` and as ``"demo": true`` in its manifest; its ``meta`` table keeps ``demo = 1``, so a restored
demo backup is a demo again. ``restore_target`` sends a demo backup to the demo file and own data to the own
database, so a restore never mixes the two. Every CSV that ``export_csv_dir`` writes from the demo has the label
as its first column (``core.exports``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from kansrijke.core.config import Config
from kansrijke.core.errors import UserError
from kansrijke.core.exports import FORMULA_START, export_csv, neutralise  # noqa: F401 - re-exported
from kansrijke.core.i18n import t
from kansrijke.core.store import LATEST_SCHEMA, Store, StoreError

SKIP_TABLES = {"schema_version"}
DEMO_NOTE_FILE = "FICTIEF.txt"  # inside a backup of the demo: the label for a person who opens the zip


class BackupError(UserError):
    """A file that cannot be restored; one Dutch message, nothing was changed."""


def data_tables(store: Store) -> list[str]:
    return [name for name in store.tables() if name not in SKIP_TABLES]


def backup_zip(store: Store) -> bytes:
    """Every table as Parquet plus ``manifest.json`` (schema version, data version, row counts, demo); a backup
    of the demo also carries the fictitious label (zip comment and ``FICTIEF.txt``)."""
    buffer = io.BytesIO()
    counts = {}
    demo = store.is_demo()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table in data_tables(store):
            frame = store.table(table)
            counts[table] = len(frame)
            part = io.BytesIO()
            frame.to_parquet(part, index=False)
            zf.writestr(f"{table}.parquet", part.getvalue())
        manifest = {
            "app": "kansrijke-start-monitor",
            "schema_version": store.schema_version(),
            "data_version": store.data_version(),
            "created_at": dt.datetime.now().isoformat(timespec="seconds"),
            "tables": counts,
            "demo": demo,
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
        if demo:
            zf.writestr(DEMO_NOTE_FILE, f"{t('demo_label.line')}\n\n{t('demo_label.backup_note')}\n")
            zf.comment = t("demo_label.line").encode("utf-8")
    return buffer.getvalue()


def is_demo_backup(data: bytes) -> bool:
    """True when the backup holds the demo (its ``meta`` says ``demo = 1``, also in backups made before the
    manifest said so); False for own data and for a file that is no backup (``restore_zip`` refuses that)."""
    try:
        meta = pd.read_parquet(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read("meta.parquet")))
        return str(meta.set_index("key")["value"].get("demo", "")) == "1"
    except Exception:  # noqa: BLE001 - not a backup: restore_zip gives the Dutch message
        return False


def restore_target(config: Config, data: bytes) -> Path:
    """Where a backup belongs: own data in the own database; a backup of the demo in the demo file, or in the
    active file when that holds the demo itself (a demo copy opened as ``KANSRIJKE_DB``)."""
    if not is_demo_backup(data):
        return config.own_database_path
    active = config.database_path
    try:
        return active if active.exists() and Store.open(active).is_demo() else config.demo_database_path
    except StoreError:  # the active file cannot be read: the demo belongs in the demo file
        return config.demo_database_path


def read_backup(data: bytes) -> tuple[dict, dict[str, pd.DataFrame]]:
    """Check and read a backup zip; BackupError (Dutch) when it is not a usable backup."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(zf.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError):
        raise BackupError(t("backup.not_a_backup")) from None
    if manifest.get("app") != "kansrijke-start-monitor" or not isinstance(manifest.get("tables"), dict):
        raise BackupError(t("backup.not_a_backup"))
    if manifest.get("schema_version") != LATEST_SCHEMA:
        raise BackupError(t("backup.other_schema", found=manifest.get("schema_version"), known=LATEST_SCHEMA))
    frames = {}
    for table, count in manifest["tables"].items():
        try:
            frame = pd.read_parquet(io.BytesIO(zf.read(f"{table}.parquet")))
        except Exception:  # noqa: BLE001 - a damaged part makes the whole backup unusable
            raise BackupError(t("backup.damaged", table=table)) from None
        if len(frame) != count:
            raise BackupError(t("backup.damaged", table=table))
        frames[table] = frame
    return manifest, frames


def restore_zip(path: Path, data: bytes) -> dict[str, int]:
    """Replace the database at ``path`` with the backup, atomically (the old file stays on failure)."""
    _, frames = read_backup(data)
    current = _data_version(path)

    def fill(store: Store) -> None:
        known = set(store.tables())
        unknown = [tb for tb in frames if tb not in known]
        absent = [tb for tb in known if tb not in frames and tb not in SKIP_TABLES]
        if unknown or absent:  # a backup that leaves out a whole table is not a full backup
            raise BackupError(t("backup.damaged", table=", ".join(unknown + absent)))
        with store.write() as w:
            for table in _parents_first(frames):
                w.insert_df(table, frames[table])
            # never go back in data version (caches are keyed on it): continue after the current file's
            restored = int(frames["meta"].set_index("key")["value"].get("data_version", 0)) if "meta" in frames else 0
            w.set_meta("data_version", str(max(current, restored)))

    Store.rebuild(path, fill)
    return {table: len(frame) for table, frame in frames.items()}


def _data_version(path: Path) -> int:
    """The data version of the database file being replaced (0 when there is none or it is unreadable)."""
    try:
        return Store.open(path).data_version()
    except Exception:  # noqa: BLE001 - restoring over a damaged file is allowed
        return 0


def _parents_first(frames: dict[str, pd.DataFrame]) -> list[str]:
    first = ["meta", "municipalities", "import_log"]
    return [tb for tb in first if tb in frames] + [tb for tb in frames if tb not in first]


def export_csv_dir(store: Store, folder: Path) -> dict[str, int]:
    """One CSV per table (UTF-8 with BOM, ``;``, decimal comma) in ``folder``, formulas neutralised; from the
    demo every file has the fictitious label as its first column."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    demo = store.is_demo()
    for table in data_tables(store):
        if table == "import_undo":
            continue  # binary undo data, not for people
        frame = store.table(table)
        (folder / f"{table}.csv").write_bytes(export_csv(frame, demo=demo))
        counts[table] = len(frame)
    return counts
