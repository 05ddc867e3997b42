"""The only door to the database (the only module that imports duckdb).

- One connection per process and database file (``Store.open`` caches it);
  every read and write uses its own cursor, so Streamlit's script threads can
  share the store safely.
- Writes are serialised by one lock and run in one transaction that either
  commits whole or rolls back (``Store.write``); each committed write bumps the
  *data version*, which read caches use as part of their key.
- Schema changes are numbered SQL files in ``core/migrations``; opening a file
  made by an older version migrates it in one transaction.
- Queries are named SQL files with ``$named`` parameters, kept in the ``sql/``
  folder of the feature that uses them (``core/sql`` for those several features
  share); names are unique across the package. SQL is never built from user input.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t

PACKAGE_DIR = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


class StoreError(UserError):
    """A database problem: one Dutch message for the user and a ``kind`` ("missing", "corrupt", "locked",
    "read_only", "newer", "io", "integrity")."""

    def __init__(self, kind: str, message: str):
        super().__init__(message, kind=kind)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


@lru_cache(maxsize=1)
def migrations() -> tuple[Migration, ...]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql")):
        found.append(Migration(int(path.name[:3]), path.stem, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    assert versions == list(range(1, len(found) + 1)), f"migrations must be numbered 1..n, got {versions}"
    return tuple(found)


LATEST_SCHEMA = len(migrations())


@cache
def query_files() -> dict[str, Path]:
    """Every named query of the package: ``<feature>/sql/<name>.sql``, by name (names are unique)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE_DIR.glob("**/sql/*.sql")):
        assert path.stem not in found, f"query name {path.stem!r} in both {found.get(path.stem)} and {path}"
        found[path.stem] = path
    return found


@cache
def query_text(name: str) -> str:
    if not _IDENT.match(name) or name not in query_files():
        raise ValueError(f"invalid query name {name!r}")
    return query_files()[name].read_text(encoding="utf-8")


def _classify(exc: Exception, path: Path) -> StoreError:
    text = str(exc)
    if re.search(r"\block\b", text, re.IGNORECASE):  # DuckDB's file lock; not "block" (a checksum error)
        return StoreError("locked", t("store.locked", path=path))
    damaged = ("not a valid duckdb", "corrupt", "database file")
    if isinstance(exc, (duckdb.SerializationException, duckdb.InternalException)) or any(
        word in text.lower() for word in damaged
    ):
        return StoreError("corrupt", t("store.corrupt", path=path))
    if "Read-only file system" in text or "Permission denied" in text:
        return StoreError("read_only", t("store.read_only_dir", dir=path.parent, path=path))
    return StoreError("io", t("store.io_error", path=path, error=text.splitlines()[0] if text else type(exc).__name__))


class Store:
    """A DuckDB database file with migrations, named queries and serialised writes."""

    _instances: dict[tuple[str, bool], Store] = {}
    _instances_lock = threading.Lock()

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, read_only: bool):
        self.path = path
        self.read_only = read_only
        self._con = con
        self._write_lock = threading.RLock()
        # The data version, read from the file once and again only after a write of this store: nothing else
        # changes the file while it is open (DuckDB locks it; read-only opens exclude writers). ``_writes``
        # counts commits, so a read that raced a commit never stores the old number.
        self._version: int | None = None
        self._writes = 0
        self._version_lock = threading.Lock()
        self._meta: tuple[int, dict[str, str | None]] = (-1, {})  # meta values of one data version
        self._schema: int | None = None

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, read_only: bool = False) -> Store:
        """Open (and migrate) the database; reuse the process-wide instance for this file.

        ``create=False`` refuses a missing file; a corrupt, locked or newer file
        raises ``StoreError`` and is never modified.
        """
        path = Path(path).expanduser().resolve()
        key = (str(path), read_only)
        with cls._instances_lock:
            store = cls._instances.get(key)
            if store is not None and store._con is not None:
                return store
            store = cls._connect(path, create=create, read_only=read_only)
            cls._instances[key] = store
            return store

    @classmethod
    def _connect(cls, path: Path, *, create: bool, read_only: bool) -> Store:
        if not path.exists():
            if not create or read_only:
                raise StoreError("missing", t("store.missing", path=path))
            _check_writable_dir(path)
        elif path.is_dir():
            raise StoreError("corrupt", t("store.corrupt", path=path))
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            raise _classify(exc, path) from None
        store = cls(path, con, read_only)
        try:
            store._migrate()
        except StoreError:
            store._close_connection()
            raise
        return store

    @classmethod
    def create_at_version(cls, path: str | Path, version: int) -> None:
        """Create a new database file at an older schema ``version`` (to test upgrades)."""
        path = Path(path)
        con = duckdb.connect(str(path))
        store = cls(path, con, read_only=False)
        try:
            store._migrate(target=version)
        finally:
            store._close_connection()

    @classmethod
    def rebuild(cls, path: str | Path, build: Callable[[Store], None]) -> None:
        """Replace the file at ``path`` atomically: ``build`` fills a new file beside it, which is
        then renamed over the old one. If ``build`` fails, the old file is left as it was."""
        path = Path(path).expanduser().resolve()
        _check_writable_dir(path)
        fresh = path.with_name(path.name + ".new")
        leftovers = (fresh, fresh.with_name(fresh.name + ".wal"))
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        try:
            store = cls._connect(fresh, create=True, read_only=False)
        except BaseException:  # e.g. a full disk while creating: no half file stays behind
            for leftover in leftovers:
                leftover.unlink(missing_ok=True)
            raise
        try:
            build(store)
            with store.cursor() as cur:
                cur.execute("CHECKPOINT")
        except BaseException:
            store._close_connection()
            for leftover in leftovers:
                leftover.unlink(missing_ok=True)
            raise
        store._close_connection()
        with cls._instances_lock:
            for key in [k for k in cls._instances if k[0] == str(path)]:
                cls._instances.pop(key)._close_connection()
        os.replace(fresh, path)
        path.with_name(path.name + ".wal").unlink(missing_ok=True)

    @property
    def closed(self) -> bool:
        return self._con is None

    def _close_connection(self) -> None:
        with contextlib.suppress(Exception):
            self._con.close()
        self._con = None  # type: ignore[assignment]

    def close(self) -> None:
        with self._instances_lock:
            for key, inst in list(self._instances.items()):
                if inst is self:
                    del self._instances[key]
        self._close_connection()

    @classmethod
    def close_all(cls) -> None:
        for store in list(cls._instances.values()):
            store.close()

    # -- schema --------------------------------------------------------------
    def schema_version(self) -> int:
        """The file's schema version (read once: only a migration, when the file is opened, changes it)."""
        if self._schema is None:
            self._schema = self._read_schema_version()
        return self._schema

    def _read_schema_version(self) -> int:
        with self.cursor() as cur:
            exists = cur.execute(query_text("store_has_schema_version")).fetchone()[0]
            if not exists:
                return 0
            row = cur.execute(query_text("store_schema_version")).fetchone()
            return int(row[0] or 0)

    def _migrate(self, target: int | None = None) -> None:
        target = LATEST_SCHEMA if target is None else target
        current = self._read_schema_version()
        if current > LATEST_SCHEMA:
            raise StoreError("newer", t("store.newer_schema", path=self.path, found=current, known=LATEST_SCHEMA))
        pending = [m for m in migrations() if current < m.version <= target]
        if not pending or self.read_only:  # a read-only look (CLI info) reports the file as it is
            return
        with self._write_lock, self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                cur.execute(query_text("store_schema_version_table"))
                for m in pending:
                    cur.execute(m.sql)
                    cur.execute(query_text("store_schema_version_insert"), {"version": m.version, "name": m.name})
                cur.execute("COMMIT")
                self._schema = None
            except duckdb.Error as exc:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                raise StoreError(
                    "migration", t("store.migration_failed", path=self.path, version=target, error=exc)
                ) from None

    # -- reading -------------------------------------------------------------
    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._con is None:
            raise StoreError("io", t("store.io_error", path=self.path, error="verbinding gesloten"))
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def query(self, name: str, params: dict[str, Any] | None = None, *, arrow: bool = False) -> pd.DataFrame | Any:
        """Run the named query ``<feature>/sql/<name>.sql`` and return a DataFrame, or with ``arrow=True`` a
        ``pyarrow.Table`` (no pandas conversion and no extra copy: for large results such as a whole action log)."""
        with self.cursor() as cur:
            if arrow:
                return cur.sql(query_text(name), params=params or {}).to_arrow_table()
            return cur.execute(query_text(name), params or {}).df()

    def scalar(self, name: str, params: dict[str, Any] | None = None) -> Any:
        with self.cursor() as cur:
            row = cur.execute(query_text(name), params or {}).fetchone()
            return None if row is None else row[0]

    def data_version(self) -> int:
        """The number every committed write raises: the key of every read cache. Free after the first call."""
        with self._version_lock:
            version, writes = self._version, self._writes
        if version is not None:
            return version
        with self.cursor() as cur:
            row = cur.execute(query_text("store_data_version")).fetchone()
        version = int(row[0]) if row else 0
        with self._version_lock:
            if self._writes == writes:
                self._version = version
        return version

    def meta(self, key: str) -> str | None:
        """A value of the table meta, read once per data version (every page asks whether this is the demo)."""
        version = self.data_version()
        found = self._meta
        if found[0] != version:
            found = self._meta = (version, {})
        if key not in found[1]:
            with self.cursor() as cur:
                row = cur.execute(query_text("store_meta_get"), {"key": key}).fetchone()
            found[1][key] = row[0] if row else None
        return found[1][key]

    def is_demo(self) -> bool:
        """True for the demo file (fictitious data): every output made from it says so."""
        return self.meta("demo") == "1"

    def tables(self) -> list[str]:
        with self.cursor() as cur:
            rows = cur.execute(query_text("store_tables")).fetchall()
        return [r[0] for r in rows]

    def table_counts(self) -> dict[str, int]:
        counts = {}
        with self.cursor() as cur:
            for table in self.tables():
                counts[table] = cur.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        return counts

    def table(self, table: str, order_by: str | None = None) -> pd.DataFrame:
        """A whole table (tables from the schema only), for exports and tests."""
        if table not in self.tables():
            raise ValueError(f"unknown table {table!r}")
        with self.cursor() as cur:
            cols = [r[0] for r in cur.execute(f'DESCRIBE "{table}"').fetchall()]
            order = ", ".join(f'"{c}"' for c in cols)
            return cur.execute(f'SELECT * FROM "{table}" ORDER BY {order}').df()

    def columns(self, table: str) -> list[str]:
        """Column names of a schema table (raises ValueError for anything else)."""
        if table not in self.tables():
            raise ValueError(f"unknown table {table!r}")
        with self.cursor() as cur:
            return [r[0] for r in cur.execute(f'DESCRIBE "{table}"').fetchall()]

    def rows_matching(self, table: str, keys: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``table`` whose key columns (the columns of ``keys``) match a row of ``keys``."""
        cols = self.columns(table)
        _check_columns(keys.columns, cols, table)
        on = " AND ".join(f't."{c}" = k."{c}"' for c in keys.columns)
        with self.cursor() as cur:
            cur.register("_keys", keys)
            try:
                return cur.execute(f'SELECT t.* FROM "{table}" t WHERE EXISTS (SELECT 1 FROM _keys k WHERE {on})').df()
            finally:
                with contextlib.suppress(duckdb.Error):
                    cur.unregister("_keys")

    # -- writing -------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[Writer]:
        """One serialised transaction; commits whole and bumps the data version, or changes nothing.

        Before committing it checks the links the schema leaves to us (``integrity.sql``); a row
        pointing nowhere rolls the whole transaction back.
        """
        if self.read_only:
            raise StoreError("io", t("store.io_error", path=self.path, error="alleen-lezen geopend"))
        with self._write_lock, self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield Writer(cur)
                broken = cur.execute(query_text("integrity")).fetchall()
                if broken:
                    detail = ", ".join(f"{relation} ({count})" for relation, count in broken)
                    raise StoreError("integrity", t("store.integrity", detail=detail))
                cur.execute(query_text("store_bump_data_version"))
                cur.execute("COMMIT")
                with self._version_lock:
                    self._writes += 1
                    self._version = None
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                raise


class Writer:
    """The handle given inside ``Store.write()``: named statements and bulk inserts."""

    def __init__(self, cur: duckdb.DuckDBPyConnection):
        self._cur = cur

    def run(self, name: str, params: dict[str, Any] | None = None) -> None:
        self._cur.execute(query_text(name), params or {})

    def next_id(self, table: str) -> int:
        """The next free integer id of ``table`` (safe: writes are serialised by the store's lock)."""
        if not _IDENT.match(table):
            raise ValueError(f"invalid table {table!r}")
        return int(self._cur.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{table}"').fetchone()[0])

    def set_meta(self, key: str, value: str) -> None:
        self._cur.execute(query_text("store_meta_set"), {"key": key, "value": value})

    def insert_df(self, table: str, frame: pd.DataFrame) -> int:
        """Insert a DataFrame whose columns are a subset of ``table``'s (names checked)."""
        if not _IDENT.match(table):
            raise ValueError(f"invalid table {table!r}")
        known = [r[0] for r in self._cur.execute(f'DESCRIBE "{table}"').fetchall()]
        _check_columns(frame.columns, known, table)
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        self._cur.register("_incoming", frame)
        try:
            self._cur.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _incoming')
        finally:
            with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses this too
                self._cur.unregister("_incoming")
        return len(frame)

    def delete_keys(self, table: str, keys: pd.DataFrame) -> None:
        """Delete the rows of ``table`` whose key columns match a row of ``keys``."""
        if keys.empty:
            return
        if not _IDENT.match(table):
            raise ValueError(f"invalid table {table!r}")
        known = [r[0] for r in self._cur.execute(f'DESCRIBE "{table}"').fetchall()]
        _check_columns(keys.columns, known, table)
        on = " AND ".join(f't."{c}" = k."{c}"' for c in keys.columns)
        self._cur.register("_keys", keys)
        try:
            self._cur.execute(f'DELETE FROM "{table}" t WHERE EXISTS (SELECT 1 FROM _keys k WHERE {on})')
        finally:
            with contextlib.suppress(duckdb.Error):
                self._cur.unregister("_keys")

    def clear(self, tables: list[str]) -> None:
        """Delete every row of ``tables`` (give children before parents)."""
        for table in tables:
            if not _IDENT.match(table):
                raise ValueError(f"invalid table {table!r}")
            self._cur.execute(f'DELETE FROM "{table}"')


def _check_columns(given, known: list[str], table: str) -> None:
    unknown = [c for c in given if c not in known]
    if unknown or not len(given):
        raise ValueError(f"unknown columns for {table}: {unknown}")


def _check_writable_dir(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".kansrijke-write-test-{threading.get_ident()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        raise StoreError("read_only", t("store.read_only_dir", dir=folder, path=path)) from None
