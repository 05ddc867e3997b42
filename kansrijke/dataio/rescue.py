"""A way out of a database file that cannot be used (damaged, unreadable, made by a newer version), without
the app having to open it. The rescue page (``web/rescue.py``) calls these; so could a script.

- ``set_aside(path)``: the broken file (and its write-ahead log) is renamed to ``<name>.kapot-<timestamp>`` in
  its own folder, so nothing is lost and the path is free. A rename needs no disk space (a full disk is a
  common cause), and it is put back when what follows fails (``put_back``).
- ``restore(config, broken, data, person)``: set the broken file aside, then restore the backup
  (``backup.restore_zip``, which checks the whole backup first) to where it belongs: a backup of own data to
  the own database, a backup of the demo to the demo file. A demo backup is refused when the broken file is
  the own database (it would not replace it, and own data and the demo never share a file).
- ``start_empty(config, broken, person)``: set the broken file aside and make the own database with the
  reference facts only (``start.create_own_database``), as "Begin met eigen gegevens" does.
- ``salvage(path, person)``: every table that can still be read, as CSV files in one zip (with ``LEESMIJ.txt``
  saying what was read and what not), opened read-only; ``Salvage.data`` is None when nothing can be read.
- Both changes refuse while another process has the file open (``held_elsewhere``: the operating system's
  record lock that DuckDB takes on an open database file), and close this process's connections first.

Who may: ``restore`` and ``start_empty`` need the permissions "restore" and "database", ``salvage`` "backup"
(it holds unsuppressed small numbers, like a backup).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from kansrijke import access
from kansrijke.core.config import Config
from kansrijke.core.errors import UserError
from kansrijke.core.exports import export_csv
from kansrijke.core.i18n import t
from kansrijke.core.store import Store, StoreError
from kansrijke.dataio import backup, start

try:
    import fcntl
except ImportError:  # Windows: no POSIX record locks; DuckDB's own refusal still stops a restore over an open file
    fcntl = None  # type: ignore[assignment]

ASIDE = ".kapot-"  # <name>.kapot-<timestamp>: a broken file kept aside
SKIPPED_TABLES = ("import_undo",)  # binary undo data, not for people
README_NAME = "LEESMIJ.txt"


class RescueError(UserError):
    """The rescue cannot be done as asked; nothing was changed (the broken file is where it was)."""


@dataclass(frozen=True)
class Rescued:
    """What a rescue did: the file now in use, where the broken file was put, and the rows restored."""

    path: Path
    aside: Path | None
    rows: int = 0


@dataclass(frozen=True)
class Salvage:
    """What could still be read: a zip of CSV files (None when nothing could), the tables with their rows, the
    tables that could not be read."""

    data: bytes | None
    readable: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)


def _same(a: Path, b: Path) -> bool:
    return a.expanduser().resolve() == b.expanduser().resolve()


def held_elsewhere(path: Path) -> bool:
    """True when another process has the file open (DuckDB holds a record lock on an open database file). Call
    it with this process's own connections to the file closed: closing the probe releases them too."""
    if fcntl is None or not path.exists():
        return False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _let_go(path: Path) -> None:
    """Close this process's connections and refuse when another process has ``path`` open."""
    Store.close_all()
    if held_elsewhere(path):
        raise RescueError(t("rescue.in_use", file=path.name), kind="locked")


def set_aside(path: Path) -> Path | None:
    """Rename the broken file (and its ``.wal``) to ``<name>.kapot-<timestamp>``; None when there is no file."""
    if not path.exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}{ASIDE}{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}{ASIDE}{stamp}-{n}")
    try:
        os.replace(path, aside)
    except OSError as exc:
        raise RescueError(t("rescue.cannot_set_aside", file=path.name, error=exc.strerror or exc)) from None
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        with contextlib.suppress(OSError):
            os.replace(wal, aside.with_name(aside.name + ".wal"))
    return aside


def put_back(aside: Path | None, path: Path) -> None:
    """Undo ``set_aside`` (after a failed rescue): the broken file goes back where it was, if that is free."""
    if aside is None or not aside.exists() or path.exists():
        return
    os.replace(aside, path)
    wal = aside.with_name(aside.name + ".wal")
    if wal.exists() and not path.with_name(path.name + ".wal").exists():
        os.replace(wal, path.with_name(path.name + ".wal"))


def restore(config: Config, broken: Path, data: bytes, person: access.Person | None) -> Rescued:
    """Set the broken file aside and restore the backup ``data`` (see the module docstring)."""
    access.require(person, "restore")
    demo = backup.is_demo_backup(data)
    own = config.own_database_path
    if demo and _same(broken, own):
        raise RescueError(t("rescue.demo_backup_refused"))
    target = (config.demo_database_path if demo else own).expanduser().resolve()
    _let_go(broken)
    if not _same(target, broken):
        _let_go(target)
    aside = set_aside(broken)
    try:
        counts = backup.restore_zip(target, data, person)
    except BaseException:
        put_back(aside, broken)
        raise
    return Rescued(target, aside, sum(counts.values()))


def start_empty(config: Config, broken: Path, person: access.Person | None) -> Rescued:
    """Set the broken file aside and make the own database with the reference facts only."""
    access.require(person, "database")
    _let_go(broken)
    aside = set_aside(broken)
    try:
        path = start.create_own_database(config, person)
    except BaseException:
        put_back(aside, broken)
        raise
    return Rescued(path, aside)


def salvage(path: Path, person: access.Person | None) -> Salvage:
    """Every table of ``path`` that can still be read, as CSV files in one zip (see the module docstring)."""
    access.require(person, "backup")
    Store.close_all()  # one process cannot hold a read-write and a read-only connection to one file
    try:
        store = Store.open(path, read_only=True)
    except StoreError:
        return Salvage(None)
    readable: dict[str, int] = {}
    unreadable: list[str] = []
    buffer = io.BytesIO()
    try:
        try:
            tables = store.tables()
        except Exception:  # noqa: BLE001 - not even the list of tables: nothing can be read
            return Salvage(None)
        try:
            demo = store.is_demo()
        except Exception:  # noqa: BLE001 - the meta table is damaged too: label nothing, say so in the readme
            demo = False
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for table in tables:
                if table in SKIPPED_TABLES:
                    continue
                try:
                    frame = store.table(table)
                except Exception:  # noqa: BLE001 - a damaged table: the others may still be readable
                    unreadable.append(table)
                    continue
                zf.writestr(f"{table}.csv", export_csv(frame, demo=demo))
                readable[table] = len(frame)
            zf.writestr(README_NAME, _readme(path, readable, unreadable, demo))
    finally:
        store.close()
    if not readable:
        return Salvage(None, {}, unreadable)
    return Salvage(buffer.getvalue(), readable, unreadable)


def _readme(path: Path, readable: dict[str, int], unreadable: list[str], demo: bool) -> str:
    lines = [t("rescue.readme_title", file=path.name, when=dt.datetime.now().strftime("%d-%m-%Y %H:%M")), ""]
    if demo:
        lines += [t("demo_label.line"), ""]
    lines.append(t("rescue.readme_readable"))
    lines += [f"- {table}.csv: {rows}" for table, rows in readable.items()]
    if unreadable:
        lines += ["", t("rescue.readme_unreadable")]
        lines += [f"- {table}" for table in unreadable]
    lines += ["", t("rescue.readme_note")]
    return "\n".join(lines) + "\n"
