"""Full backups (a zip with one Parquet file per table and a manifest), restore, and CSV exports.

A backup restores exactly (types, lists, dates). CSV exports are for people: text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) get a leading apostrophe (OWASP CSV injection).

Fictitious data says so (``store.is_demo()``). A backup of the demo carries the label as the zip's comment, in a
file ``FICTIEF.txt`` and as ``"demo": true`` in its manifest; its ``meta`` table keeps ``demo = 1``, so a restored
demo backup is a demo again. ``restore_target`` sends a demo backup to the demo file and own data to the own
database, so a restore never mixes the two. Every CSV that ``export_csv_dir`` writes from the demo has the label
as its first column (``core.exports``).

Restore is all or nothing and loses no write:

- ``read_backup`` has the zip checked by ``limits.check_zip`` first (a zip bomb or a damaged directory ends in
  a Dutch refusal naming the limit, before anything is unpacked), reads it through capped streams, checks the
  manifest (types, no nesting) and every Parquet part; ``check_backup`` compares every table with the schema
  of the database: no unknown or missing table, exactly the schema's columns (a missing column is refused,
  never filled with empty values), values of the column's type (numbers and dates must parse), NOT NULL
  columns without empty values, keys without duplicates, references that resolve. All problems come back at
  once, in Dutch, with table, column and rows, as one ``BackupError``; the rules the database keeps itself
  (CHECK, ``integrity.sql``) are checked while the new file is filled (each table on its own, so one table's
  problem does not hide another's) and reported the same way.
- ``restore_zip`` refuses while another process has the database open. DuckDB locks a database file for as
  long as a process has it open (the app keeps its connection for its whole life, ``Store.open`` caches it; a
  CLI command holds it while it runs), so a read-write open of the old file fails exactly then. The restore keeps
  that connection, and the store's write lock (other sessions of this process wait), while it builds the new
  file beside the old one and renames it over the old one: no other process can open the old file between the
  check and the swap, so no write can land in a file that is about to be replaced. On any failure the old file
  stays as it was and the half-built file is removed.
- The data version continues after the old file's (read caches are keyed on it): it never goes back.

Backups and CSV exports written to disk (``save_file``, ``export_csv_dir``) go to a temporary name in the same
folder that is renamed when complete, so a full disk leaves no half or empty file; the Dutch ``SaveError`` says
what happened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from kansrijke import access
from kansrijke.core import fmt
from kansrijke.core.config import Config
from kansrijke.core.errors import UserError
from kansrijke.core.exports import FORMULA_START, export_csv, neutralise  # noqa: F401 - re-exported
from kansrijke.core.i18n import t
from kansrijke.core.store import LATEST_SCHEMA, Store, StoreError
from kansrijke.dataio import limits

SKIP_TABLES = {"schema_version"}
DEMO_NOTE_FILE = "FICTIEF.txt"  # inside a backup of the demo: the label for a person who opens the zip
APP_NAME = "kansrijke-start-monitor"

# ``limits.check_zip`` checks the whole zip first (member count, unpacked size, ratios, every member unpacked
# as a capped stream); read_backup still reads every member through a stream that stops past these budgets.
MAX_UNPACKED = limits.DEFAULT.max_unpacked  # bytes, all members together (the demo's backup: under 1 MB)
MAX_MANIFEST = 2**20

SHOWN_ROWS = 5  # rows named per problem; the rest is counted
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_VERSION = re.compile(r"\d{1,18}")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, RuntimeError, zlib.error)


class BackupError(UserError):
    """A file that cannot be restored (or a restore that cannot run now); every problem as a Dutch message,
    nothing was changed."""


class SaveError(UserError):
    """A backup or export that could not be written; no half-written file is left behind."""


class _Replaced(Exception):  # noqa: N818 - private: leaves the empty write transaction that held the old file
    """The new file has taken the old one's place (rolls back the empty transaction that kept writers out)."""


def data_tables(store: Store) -> list[str]:
    return [name for name in store.tables() if name not in SKIP_TABLES]


def backup_zip(store: Store, person: access.Person) -> bytes:
    """Every table as Parquet plus ``manifest.json`` (schema version, data version, row counts, demo); a backup
    of the demo also carries the fictitious label (zip comment and ``FICTIEF.txt``). Only for a person with the
    permission "backup" (it holds the unsuppressed small numbers): ``access.NotAllowed`` otherwise."""
    access.require(person, "backup")
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
            "app": APP_NAME,
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
        limits.check_zip(data)  # a hostile zip is no backup; restore_zip names the limit
        zf = zipfile.ZipFile(io.BytesIO(data))
        meta = pd.read_parquet(io.BytesIO(_member(zf, "meta.parquet", MAX_MANIFEST)))
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


# -- reading a backup -----------------------------------------------------------------------------------------
class _TooBig(Exception):  # noqa: N818 - private: a member unpacks past the budget
    pass


def _member(zf: zipfile.ZipFile, name: str, budget: int) -> bytes:
    """A member's bytes, decompressed through a stream that stops one byte past ``budget``."""
    with zf.open(name) as fh:
        data = fh.read(budget + 1)
    if len(data) > budget:
        raise _TooBig(name)
    return data


def _refusal(problems: list[str], *, lead: bool = False) -> BackupError:
    """One BackupError with every problem; a list (or, with ``lead``, any problem of the contents) gets a lead
    that says nothing was changed."""
    if len(problems) > 1:
        return BackupError(problems, lead=t("restore.lead", count=len(problems)))
    return BackupError(problems, lead=t("restore.lead_one") if lead else None)


def _show(value: object, width: int = 40) -> str:
    """A value as a person can read it in a message: short, on one line."""
    if value is None:
        return t("restore.absent")
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    elif isinstance(value, str):
        text = f"'{value}'"
    elif isinstance(value, (bytes, bytearray, memoryview)):
        text = t("restore.type.blob")
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _manifest_problems(manifest: object) -> tuple[list[str], bool]:
    """The problems of ``manifest.json`` and whether reading can go on (the schema and the tables are known)."""
    if not isinstance(manifest, dict) or manifest.get("app") != APP_NAME:
        return [t("backup.not_a_backup")], False
    problems = []

    def wrong(name: str, expected: str, value: object) -> None:
        problems.append(t("restore.manifest_field", field=name, expected=t(expected), found=_show(value)))

    version = manifest.get("schema_version")
    if not _is_int(version):
        wrong("schema_version", "restore.type.integer", version)
        return problems, False
    if version != LATEST_SCHEMA:
        return [t("backup.other_schema", found=version, known=LATEST_SCHEMA)], False
    if "data_version" in manifest and not (_is_int(manifest["data_version"]) and manifest["data_version"] >= 0):
        wrong("data_version", "restore.type.integer", manifest["data_version"])
    if "demo" in manifest and not isinstance(manifest["demo"], bool):
        wrong("demo", "restore.type.boolean", manifest["demo"])
    if "created_at" in manifest and not isinstance(manifest["created_at"], str):
        wrong("created_at", "restore.type.text", manifest["created_at"])
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not tables:
        wrong("tables", "restore.type.tables", tables)
        return problems, False
    for name, count in tables.items():
        if not _IDENT.match(name):
            problems.append(t("restore.bad_table_name", table=_show(name)))
        elif not (_is_int(count) and count >= 0):
            wrong(f"tables.{name}", "restore.type.integer", count)
    return problems, True


def read_backup(data: bytes) -> tuple[dict, dict[str, pd.DataFrame]]:
    """Check and read a backup zip: the zip, ``manifest.json`` and every Parquet part, each unpacked through a
    capped stream. A ``BackupError`` lists every problem (Dutch); the frames are as stored (``check_backup``
    compares them with the schema)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):  # reads the end record only
        raise _refusal([t("backup.not_a_backup")])
    try:
        limits.check_zip(data)  # before zipfile builds its list of members or unpacks anything
    except limits.Refused as refused:  # a zip bomb, too many members, a damaged directory: the limit named
        raise BackupError(refused.messages, kind=refused.kind) from None
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
        manifest = json.loads(_member(zf, "manifest.json", MAX_MANIFEST))
    except _TooBig:
        raise _refusal([t("restore.too_big", limit=MAX_UNPACKED // limits.MB)]) from None
    except (*_ZIP_ERRORS, KeyError, json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise _refusal([t("backup.not_a_backup")]) from None
    problems, readable = _manifest_problems(manifest)
    if not readable:
        raise _refusal(problems)
    tables = {name: count for name, count in manifest["tables"].items() if _IDENT.match(name) and _is_int(count)}
    listed = {f"{name}.parquet" for name in manifest["tables"]}
    problems += [
        t("restore.part_not_listed", file=info.filename)
        for info in infos
        if info.filename.endswith(".parquet") and info.filename not in listed
    ]
    frames: dict[str, pd.DataFrame] = {}
    budget = MAX_UNPACKED
    for table, count in tables.items():
        try:
            raw = _member(zf, f"{table}.parquet", budget)
            budget -= len(raw)
            meta = pq.ParquetFile(io.BytesIO(raw)).metadata
            unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
            if meta.num_rows != count:
                problems.append(t("backup.damaged", table=table))
                continue
            if unpacked > budget:
                raise _TooBig(table)
            frames[table] = pd.read_parquet(io.BytesIO(raw))
        except _TooBig:
            raise _refusal([t("restore.too_big", limit=MAX_UNPACKED // limits.MB)]) from None
        except Exception:  # noqa: BLE001 - missing, not Parquet, or damaged: the whole backup is unusable
            problems.append(t("backup.damaged", table=table))
    if problems:
        raise _refusal(problems)
    return manifest, frames


# -- checking it against the schema ----------------------------------------------------------------------------
@dataclass
class _Table:
    columns: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (SQL type, NOT NULL)
    keys: list[list[str]] = field(default_factory=list)  # primary key and unique constraints
    references: list[tuple[list[str], str, list[str]]] = field(default_factory=list)  # (columns, table, columns)


def _schema(store: Store) -> dict[str, _Table]:
    """The tables of ``store`` as a backup must match them (named queries; ``schema_version`` left out)."""
    tables: dict[str, _Table] = {}
    for row in store.query("restore_columns").itertuples(index=False):
        if row.table_name not in SKIP_TABLES:
            tables.setdefault(row.table_name, _Table()).columns[row.column_name] = (row.data_type, bool(row.required))
    for row in store.query("restore_keys").itertuples(index=False):
        table = tables.get(row.table_name)
        if table is None:
            continue
        if row.constraint_type == "FOREIGN KEY":
            table.references.append((list(row.key_columns), row.referenced_table, list(row.referenced_columns)))
        else:
            table.keys.append(list(row.key_columns))
    return tables


_TYPE_NAMES = {
    "text": "restore.type.text",
    "integer": "restore.type.integer",
    "number": "restore.type.number",
    "boolean": "restore.type.boolean",
    "date": "restore.type.date",
    "timestamp": "restore.type.timestamp",
    "blob": "restore.type.blob",
    "list": "restore.type.list",
}
_INTEGER_RANGES = {
    "TINYINT": (-(2**7), 2**7 - 1),
    "SMALLINT": (-(2**15), 2**15 - 1),
    "INTEGER": (-(2**31), 2**31 - 1),
    "BIGINT": (-(2**63), 2**63 - 1),
    "UTINYINT": (0, 2**8 - 1),
    "USMALLINT": (0, 2**16 - 1),
    "UINTEGER": (0, 2**32 - 1),
    "UBIGINT": (0, 2**63 - 1),  # pandas holds at most int64
}


def _family(sql_type: str) -> str | None:
    sql_type = sql_type.upper()
    if sql_type.endswith("[]"):
        return "list"
    if sql_type in _INTEGER_RANGES:
        return "integer"
    if sql_type in ("DOUBLE", "FLOAT", "REAL") or sql_type.startswith("DECIMAL"):
        return "number"
    if sql_type == "VARCHAR":
        return "text"
    if sql_type == "BOOLEAN":
        return "boolean"
    if sql_type == "DATE":
        return "date"
    if sql_type.startswith("TIMESTAMP"):
        return "timestamp"
    if sql_type == "BLOB":
        return "blob"
    return None  # any other type: the database itself checks it while the new file is filled


def _to_number(value: object) -> float | int | None:
    """A number from a number or a text that is one (``None`` when it is neither)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value.strip())
        with contextlib.suppress(ValueError):
            number = float(value.strip())
            return number if np.isfinite(number) else None
    return None


def _to_moment(value: object) -> pd.Timestamp | None:
    """A date or time from a date, a time or an ISO text (``None`` when it is none of these)."""
    try:
        if isinstance(value, str):
            moment = pd.to_datetime(value.strip(), format="ISO8601")
        elif isinstance(value, (dt.date, np.datetime64, pd.Timestamp)):
            moment = pd.Timestamp(value)
        else:
            return None
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    return None if pd.isna(moment) else moment


def _scalar_fits(value: object, family: str, sql_type: str) -> tuple[bool, object]:
    """Whether one (non-empty) value fits the column, and the value as the database will get it."""
    if family == "text":
        return isinstance(value, str), value
    if family == "boolean":
        return isinstance(value, (bool, np.bool_)), value
    if family == "blob":
        return isinstance(value, (bytes, bytearray, memoryview)), value
    if family in ("date", "timestamp"):
        moment = _to_moment(value)
        return moment is not None, moment
    number = _to_number(value)
    if number is None:
        return False, value
    if family == "integer":
        low, high = _INTEGER_RANGES[sql_type.upper()]
        whole = number == int(number) if isinstance(number, float) else True
        return whole and low <= number <= high, int(number) if whole else number
    return True, float(number)


def _list_fits(value: object, sql_type: str) -> tuple[bool, object]:
    if not isinstance(value, (list, tuple, np.ndarray)):
        return False, value
    inner = sql_type[:-2]
    family = _family(inner)
    if family is None or family == "list":
        return True, list(value)
    out = []
    for item in value:
        if item is None or (not isinstance(item, (list, tuple, np.ndarray)) and pd.isna(item)):
            out.append(None)
            continue
        fits, converted = _scalar_fits(item, family, inner)
        if not fits:
            return False, value
        out.append(converted)
    return True, out


def _lists_as_stored(lists: list[object], sql_type: str) -> bool:
    """The quick check of a list column: every list as Parquet gives it back, already of the element type."""
    if not all(isinstance(value, np.ndarray) for value in lists):
        return False
    filled = [value for value in lists if len(value)]
    if not filled:
        return True
    inner = sql_type[:-2]
    family, kinds = _family(inner), {value.dtype.kind for value in filled}
    items = np.concatenate(filled)
    if family == "integer" and kinds <= set("iu"):
        low, high = _INTEGER_RANGES[inner.upper()]
        return bool(low <= items.min() and items.max() <= high)
    if family == "number":
        return kinds <= set("iuf")
    if family == "text" and kinds == {"O"}:
        return all(isinstance(item, str) for item in items)
    return False


def _empty(values: pd.Series, sql_type: str) -> np.ndarray:
    """The rows without a value (a list column: no list at all; an empty list is a value)."""
    if _family(sql_type) == "list":
        return values.map(lambda v: v is None or (isinstance(v, float) and np.isnan(v))).to_numpy(dtype=bool)
    return values.isna().to_numpy(dtype=bool)


def _convert(values: pd.Series, sql_type: str) -> tuple[pd.Series, np.ndarray]:
    """The column as the database will get it, and a mask of the rows whose value does not fit its type
    (empty values stay empty: NOT NULL is checked apart)."""
    family = _family(sql_type)
    empty = _empty(values, sql_type)
    if family is None:
        return values, np.zeros(len(values), dtype=bool)
    if family == "text" and values.dtype != object and pd.api.types.is_string_dtype(values):
        return values, np.zeros(len(values), dtype=bool)  # a string column holds strings only
    if family == "text" and values.dtype == object:
        return values, ~empty & ~values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if family == "list" and _lists_as_stored(values[~empty].tolist(), sql_type):
        return values, np.zeros(len(values), dtype=bool)
    if family in ("date", "timestamp") and pd.api.types.is_datetime64_any_dtype(values):
        return values, np.zeros(len(values), dtype=bool)
    if family == "number" and pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values, np.zeros(len(values), dtype=bool)
    if family == "integer" and pd.api.types.is_integer_dtype(values):
        low, high = _INTEGER_RANGES[sql_type.upper()]
        present = values[~empty].astype("int64")
        bad = np.zeros(len(values), dtype=bool)
        bad[np.flatnonzero(~empty)] = ((present < low) | (present > high)).to_numpy()
        return values, bad
    if family == "boolean" and pd.api.types.is_bool_dtype(values):
        return values, np.zeros(len(values), dtype=bool)
    # the slow way, value by value: texts that must parse, mixed or mistyped columns
    converted: list[object] = []
    bad = np.zeros(len(values), dtype=bool)
    for i, (value, is_empty) in enumerate(zip(values.tolist(), empty, strict=True)):
        if is_empty:
            converted.append(None)
            continue
        fits, out = _list_fits(value, sql_type) if family == "list" else _scalar_fits(value, family, sql_type)
        bad[i] = not fits
        converted.append(out if fits else None)
    if family == "integer":
        return pd.Series(converted, index=values.index, dtype="Int64"), bad
    if family == "number":
        return pd.Series(converted, index=values.index, dtype="Float64"), bad
    if family in ("date", "timestamp"):
        return pd.Series(pd.to_datetime(pd.Series(converted, dtype=object), errors="coerce"), index=values.index), bad
    if family == "boolean":
        return pd.Series(converted, index=values.index, dtype="boolean"), bad
    return pd.Series(converted, index=values.index, dtype=object), bad


def _rows(mask: np.ndarray) -> str:
    """``rij 3`` / ``rijen 3, 8, 12`` / ``rijen 3, 8, 12, 14, 20 en nog 7``: 1-based rows of the table in the
    backup."""
    rows = np.flatnonzero(mask) + 1
    shown = ", ".join(fmt.integer(int(r)) for r in rows[:SHOWN_ROWS])
    if len(rows) == 1:
        return t("restore.row", row=shown)
    if len(rows) <= SHOWN_ROWS:
        return t("restore.rows", rows=shown)
    return t("restore.rows_more", rows=shown, more=fmt.integer(len(rows) - SHOWN_ROWS))


def _key_text(frame: pd.DataFrame, columns: list[str], row: int) -> str:
    return ", ".join(f"{c} = {_show(frame[c].iloc[row])}" for c in columns)


def check_backup(store: Store, frames: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Compare the backup's tables with the schema of ``store``: the frames as the database will get them, and
    every problem as a Dutch sentence (table, column, rows). Nothing is written."""
    schema = _schema(store)
    problems = [t("restore.unknown_table", table=name) for name in frames if name not in schema]
    problems += [t("restore.missing_table", table=name) for name in schema if name not in frames]
    converted: dict[str, pd.DataFrame] = {}
    unusable: dict[str, set[str]] = {}  # columns whose values did not fit: keys and references skip them
    for name, frame in frames.items():
        table = schema.get(name)
        if table is None:
            continue
        problems += [t("restore.extra_column", table=name, column=c) for c in frame.columns if c not in table.columns]
        missing = [c for c in table.columns if c not in frame.columns]
        problems += [t("restore.missing_column", table=name, column=c) for c in missing]
        out = {}
        unusable[name] = set(missing)
        for column, (sql_type, required) in table.columns.items():
            if column not in frame.columns:
                continue
            values, bad = _convert(frame[column].reset_index(drop=True), sql_type)
            if bad.any():
                unusable[name].add(column)
                example = frame[column].iloc[int(np.flatnonzero(bad)[0])]
                expected = t(_TYPE_NAMES[_family(sql_type) or "text"])
                problems.append(
                    t(
                        "restore.wrong_type",
                        table=name,
                        column=column,
                        expected=expected,
                        rows=_rows(bad),
                        example=_show(example),
                    )
                )
            empty = _empty(values, sql_type)
            if required and (empty & ~bad).any():
                problems.append(t("restore.not_null", table=name, column=column, rows=_rows(empty & ~bad)))
            out[column] = values
        converted[name] = pd.DataFrame(out, index=pd.RangeIndex(len(frame)))
        for key in table.keys:
            if unusable[name] & set(key):
                continue
            keys = converted[name][key]
            twice = (keys.duplicated(keep=False) & keys.notna().all(axis=1)).to_numpy()
            if twice.any():
                first = int(np.flatnonzero(twice)[0])
                problems.append(
                    t(
                        "restore.duplicate_key",
                        table=name,
                        key=_key_text(converted[name], key, first),
                        rows=_rows(twice),
                    )
                )
    for name, frame in converted.items():
        for columns, parent, parent_columns in schema[name].references:
            if (
                parent not in converted
                or (unusable[name] & set(columns))
                or (unusable.get(parent, set()) & set(parent_columns))
            ):
                continue
            given = frame[columns]
            known = converted[parent][parent_columns].set_axis(columns, axis=1)
            found = pd.MultiIndex.from_frame(given).isin(pd.MultiIndex.from_frame(known))
            dangling = given.notna().all(axis=1).to_numpy() & ~found
            if dangling.any():
                first = int(np.flatnonzero(dangling)[0])
                problems.append(
                    t(
                        "restore.dangling",
                        table=name,
                        column=", ".join(columns),
                        parent=parent,
                        value=_key_text(frame, columns, first),
                        rows=_rows(dangling),
                    )
                )
    meta = converted.get("meta")
    if meta is not None and not ({"key", "value"} & unusable.get("meta", set())):
        version = meta.loc[meta["key"] == "data_version", "value"]
        if len(version) and not _VERSION.fullmatch(str(version.iloc[0]).strip()):
            problems.append(t("restore.meta_version", found=_show(version.iloc[0])))
    return converted, problems


# -- restoring ---------------------------------------------------------------------------------------------------
_PARENTS_FIRST = ("meta", "municipalities", "import_log")  # referenced by FOREIGN KEYs, checked on insert


def _parents_first(frames: dict[str, pd.DataFrame]) -> list[str]:
    return [tb for tb in _PARENTS_FIRST if tb in frames] + [tb for tb in frames if tb not in _PARENTS_FIRST]


class _Tried(Exception):  # noqa: N818 - private: rolls back a trial insert
    """A table went in without complaint; roll the trial back."""


def _rule(error: Exception) -> str:
    """The rule a refused row broke, from the database's message (the CHECK expression when there is one)."""
    text = str(error)
    found = re.search(r"CHECK\s*\(.*\)", text)
    line = found.group(0) if found else (text.splitlines() or [type(error).__name__])[0]
    return line.removeprefix("Constraint Error: ")[:200]


# DuckDB's messages for a row its rules refuse; anything else (a full disk, "IO Error", "FATAL Error", memory)
# is a failure of the machine, not of the backup: restore_zip says the restore failed and nothing changed.
_REFUSED_ROW = ("Constraint Error", "Conversion Error", "Invalid Input Error", "Mismatch Type Error")
_REFUSED_ROW += ("Out of Range Error",)


def _not_the_backup(exc: Exception) -> bool:
    """A failure of the disk or the machine, not of the backup."""
    return isinstance(exc, (OSError, MemoryError)) or not str(exc).startswith(_REFUSED_ROW)


def _rules_broken(store: Store, frames: dict[str, pd.DataFrame]) -> list[str]:
    """Every table with a row the database's own rules refuse (CHECK, casts): each table is inserted on its own
    (after the tables its FOREIGN KEYs need) in a transaction that is rolled back, so one table's problem does
    not hide another's."""
    problems = []
    for table in _parents_first(frames):
        try:
            with store.write() as w:
                for parent in _PARENTS_FIRST:
                    if parent in frames and parent != table:
                        try:
                            w.insert_df(parent, frames[parent])
                        except Exception:  # noqa: BLE001 - the parent's own trial names its problem
                            raise _Tried from None
                w.insert_df(table, frames[table])
                raise _Tried
        except _Tried:
            pass
        except UserError:
            raise
        except Exception as exc:  # noqa: BLE001 - the database's own rules (CHECK, casts): name table and rule
            if _not_the_backup(exc):
                raise
            problems.append(t("restore.rule", table=table, rule=_rule(exc)))
    return problems


def _fill(store: Store, frames: dict[str, pd.DataFrame], current: int) -> None:
    """Fill the new (empty) file: check the backup against its schema first, then insert every table in one
    write, whose commit checks the links the schema leaves to ``integrity.sql``; refuse with all problems."""
    frames, problems = check_backup(store, frames)
    if problems:
        raise _refusal(problems, lead=True)
    meta = frames.get("meta")
    version = meta.loc[meta["key"] == "data_version", "value"] if meta is not None else []
    restored = int(str(version.iloc[0]).strip()) if len(version) else 0
    try:
        with store.write() as w:
            for table in _parents_first(frames):
                w.insert_df(table, frames[table])
            # never back in data version (caches are keyed on it): continue after the old file's
            w.set_meta("data_version", str(max(current, restored)))
    except StoreError as exc:
        if exc.kind != "integrity":
            raise
        raise _refusal(exc.messages, lead=True) from None  # every broken link, with its count
    except Exception as exc:
        if _not_the_backup(exc):
            raise
        raise _refusal(_rules_broken(store, frames) or [t("restore.rule_any", rule=_rule(exc))], lead=True) from None


def _hold(path: Path) -> Store | None:
    """This process's read-write connection to the file about to be replaced: while it is open, DuckDB's lock
    keeps every other process out. Refuses (Dutch) when another process has the file open; ``None`` when there
    is no readable file (missing or damaged: no other process can have it open either)."""
    with contextlib.suppress(StoreError):  # our own read-only look at the file would stop a read-write open
        Store.open(path, read_only=True).close()
    if not path.exists():
        return None
    try:
        return Store.open(path)
    except StoreError as exc:
        if exc.kind == "locked":
            raise BackupError(t("restore.in_use", path=path), kind="locked") from None
        return None  # damaged, newer or unreadable: restoring over it is allowed


def restore_zip(path: Path, data: bytes, person: access.Person) -> dict[str, int]:
    """Replace the database at ``path`` with the backup: all problems refused before anything changes, refused
    while another process has the file open, the new file renamed over the old one (the old one stays on any
    failure), the data version never back. Only for a person with the permission "restore":
    ``access.NotAllowed`` before anything is read or changed."""
    access.require(person, "restore")
    manifest, frames = read_backup(data)
    path = Path(path).expanduser().resolve()
    held = _hold(path)
    staging = path.with_name(path.name + ".terugzetten")
    wal = path.with_name(path.name + ".wal")
    try:
        with held.write() if held is not None else contextlib.nullcontext():  # this process's writers wait
            current = held.data_version() if held is not None else 0
            Store.rebuild(staging, lambda store: _fill(store, frames, current))
            if held is not None:
                held.scalar("restore_checkpoint")  # the old file's log goes into it: no stray .wal beside the new one
            wal.unlink(missing_ok=True)
            os.replace(staging, path)  # the old file is still open (locked) here: nobody reached it in between
            if held is not None:
                held.close()  # every later Store.open gets the new file
            raise _Replaced
    except _Replaced:
        pass
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - a full disk, a rename refused: the old file is as it was
        raise BackupError(t("restore.failed", path=path, error=_first_line(exc))) from None
    finally:
        for suffix in ("", ".wal", ".new", ".new.wal"):  # Store.rebuild builds in <staging>.new
            staging.with_name(staging.name + suffix).unlink(missing_ok=True)
    return {table: len(frame) for table, frame in frames.items()}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- writing files: complete or not at all ------------------------------------------------------------------------
def _write_problem(path: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return t("restore.disk_full", file=path)
    if exc.errno == errno.EFBIG:
        return t("restore.file_too_big", file=path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return t("restore.no_permission", file=path)
    return t("restore.cannot_write", file=path, error=exc.strerror or _first_line(exc))


@contextlib.contextmanager
def _staged_files() -> Iterator[list[tuple[Path, Path]]]:
    """Collect ``(temporary, final)`` pairs; on success every temporary file is renamed to its final name, on
    any failure every temporary file is removed (the final files stay as they were)."""
    staged: list[tuple[Path, Path]] = []
    try:
        yield staged
        for temporary, final in staged:
            os.replace(temporary, final)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise


def _stage(staged: list[tuple[Path, Path]], path: Path, data: bytes) -> None:
    """Write ``data`` completely (flushed to disk) to a new temporary file beside ``path``."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    staged.append((Path(name), path))
    with os.fdopen(handle, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def save_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder that is renamed when complete: a
    full disk leaves the old file (or none), never a half or empty one. ``SaveError`` (Dutch) on failure."""
    path = Path(path)
    try:
        with _staged_files() as staged:
            _stage(staged, path, data)
    except OSError as exc:
        raise SaveError(_write_problem(path, exc), kind="io") from None


def export_csv_dir(store: Store, folder: Path) -> dict[str, int]:
    """One CSV per table (UTF-8 with BOM, ``;``, decimal comma) in ``folder``, formulas neutralised; from the
    demo every file has the fictitious label as its first column. All files or none: each is written under a
    temporary name first (``SaveError`` in Dutch when the disk is full; the folder is then as it was)."""
    folder = Path(folder)
    counts = {}
    demo = store.is_demo()
    current = folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _staged_files() as staged:
            for table in data_tables(store):
                if table == "import_undo":
                    continue  # binary undo data, not for people
                frame = store.table(table)
                current = folder / f"{table}.csv"
                _stage(staged, current, export_csv(frame, demo=demo))
                counts[table] = len(frame)
    except OSError as exc:
        raise SaveError(_write_problem(current, exc), kind="io") from None
    return counts
