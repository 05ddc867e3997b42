"""Start on your own data: the own database next to the demo file, never mixed.

- ``create_own_database(config, person)`` makes the own database (``config.own_database_path``) with the reference
  facts only: the municipalities and the real national series (``reference.install_facts``), meta ``demo`` =
  "0", and no coalitions, figures or actions. It is built in a new file beside the target and swapped in when
  complete (``Store.rebuild``), so a failure leaves nothing behind. It refuses when the own database exists.
  A demo left at the own database's path by an older version (before the demo had its own file) is moved to
  the demo file first when that is free, so an upgrade can start on its own data without losing anything.
  Only for a person with the permission "database" (``access.NotAllowed`` before anything is made or moved).
- ``refuse_demo_import(store)``: every import (CLI and page) passes ``importer.prepare``, which calls this
  first; figures imported into the demo would be compared with fictitious ones and carry the demo label.
- ``database_files(config)``: which file is active, where the own database and the demo file are.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from kansrijke import access
from kansrijke.core import reference
from kansrijke.core.config import Config
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store


class StartError(UserError):
    """The own database cannot be made (it exists, or it would be the demo file); nothing was changed."""


class DemoImportRefused(UserError):
    """An import into the demo file: refused, with how to start on one's own data."""


@dataclass(frozen=True)
class DatabaseFiles:
    """Where the two database files are and which one the app and the CLI open."""

    own: Path
    demo: Path
    active: Path

    @property
    def own_exists(self) -> bool:
        return self.own.exists()

    @property
    def demo_exists(self) -> bool:
        return self.demo.exists()

    @property
    def active_is_own(self) -> bool:
        return self.active == self.own


@dataclass(frozen=True)
class Created:
    """What ``create_own_database`` did: the new file, and where an old demo at its place went (or None)."""

    path: Path
    moved_demo_to: Path | None = None


def database_files(config: Config) -> DatabaseFiles:
    return DatabaseFiles(config.own_database_path, config.demo_database_path, config.active_database_path)


def refuse_demo_import(store: Store) -> None:
    """Raise ``DemoImportRefused`` when ``store`` is a demo file (its meta ``demo`` is "1")."""
    if store.is_demo():
        raise DemoImportRefused(t("own.demo_import_refused"))


def holds_demo(path: Path) -> bool:
    """True when the database file at ``path`` exists and is a demo file."""
    return path.exists() and Store.open(path).is_demo()


def create_own_database(config: Config, person: access.Person) -> Path:
    """Make the own database with the reference facts only; return its path (see the module docstring)."""
    return create(config, person).path


def create(config: Config, person: access.Person) -> Created:
    """``create_own_database`` that also says whether an old demo at the own database's path was moved."""
    access.require(person, "database")
    own, demo_file = config.own_database_path, config.demo_database_path
    if _same(own, demo_file):
        raise StartError(t("own.same_file", path=own))
    moved = None
    if own.exists():
        if not holds_demo(own):
            raise StartError(t("own.exists", path=own))
        if demo_file.exists():
            raise StartError(t("own.old_demo_blocked", own=own, demo=demo_file))
        _move(own, demo_file)
        moved = demo_file
    Store.rebuild(own, lambda store: _fill(store, config))
    return Created(own, moved)


def _fill(store: Store, config: Config) -> None:
    """The reference facts and the own-data marks, into the new (empty) file."""
    reference.install_facts(store, config)
    with store.write() as w:
        w.set_meta("demo", "0")
        w.set_meta("created_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))


def _same(a: Path, b: Path) -> bool:
    return a.expanduser().resolve() == b.expanduser().resolve()


def _move(source: Path, target: Path) -> None:
    """Move a database file (closed first, with its write-ahead log) to ``target``."""
    Store.open(source).close()  # the process-wide connection (``holds_demo`` opened it) lets go of the file
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
