"""Where the details of an unexpected failure go: the log for the operator, a short reference for the person.

A failure nobody foresaw (a bug, a full disk, a damaged database file) never shows a traceback to a person.
``record(exc, where, path)`` writes the traceback to the log with a new reference (``K-3F2A``) and returns that
reference; the CLI and the app say in Dutch what went wrong and quote the reference, so the operator finds the
details in the log ("melding K-3F2A, zie het serverlog").

- The log file is ``logs.path`` in config.yaml (relative to config.yaml's folder; default ``logs/kansrijke.log``),
  or ``KANSRIJKE_LOG`` when set (``log_path``). When config.yaml itself cannot be read, the default beside that
  file is used. A ``logs`` folder this module makes gets its own ``.gitignore`` (``*``), so a log never ends up in
  git. The file is rotated at ``MAX_BYTES`` (one older file kept, ``kansrijke.log.1``).
- When the log cannot be written (the disk is full, the folder is read-only), ``record`` says so
  (``Failure.written`` is False, ``Failure.problem`` says why in Dutch); it never raises.
- ``kind_of(exc)`` sorts a failure for the Dutch message: ``disk_full`` (no space left), ``damaged`` (a damaged
  database file), ``access`` (no permission, read-only), ``memory``, ``too_deep`` (nesting too deep to read) or
  ``other``. It looks at the whole chain of causes, and at the text of database errors (only ``core/store.py``
  imports the database library, so its exceptions are recognised by their words).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import secrets
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from kansrijke.core.config import DEFAULT_CONFIG, ENV_CONFIG, Config
from kansrijke.core.i18n import t

ENV_LOG = "KANSRIJKE_LOG"
DEFAULT_LOG = "logs/kansrijke.log"  # relative to config.yaml's folder (the default of ``logs.path``)
MAX_BYTES = 5_000_000  # rotate the log beyond this size (one older file kept)
_lock = threading.Lock()

# Words of a database file that cannot be read as it is (DuckDB's messages; matched in lower case).
DAMAGE_WORDS = (
    "corrupt",
    "checksum",
    "could not read enough bytes",
    "not a valid duckdb database",
    "invalid block",
    "failed to read block",
)
KINDS = ("disk_full", "damaged", "access", "memory", "too_deep", "other")
_ERRNO_TEXT = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EACCES: "access",
    errno.EPERM: "access",
    errno.EROFS: "access",
}


@dataclass(frozen=True)
class Failure:
    """What ``record`` did: the reference a person quotes, the log file, whether the details are in it (and
    when not, why, in Dutch)."""

    reference: str
    log: Path
    written: bool
    problem: str = ""


def new_reference() -> str:
    """A short reference for one failure: "K-" and four hexadecimal digits ("K-3F2A")."""
    return "K-" + secrets.token_hex(2).upper()


def log_path(config: Config | None = None, config_file: str | Path | None = None) -> Path:
    """The log file: ``KANSRIJKE_LOG``, else ``logs.path`` of ``config``, else ``logs/kansrijke.log`` beside the
    configuration file (``config_file``, ``KANSRIJKE_CONFIG`` or the shipped config.yaml) that could not be read."""
    env = os.environ.get(ENV_LOG, "").strip()
    if env:
        return Path(env).expanduser()
    if config is not None:
        return config.resolve(config.logs.path)
    source = Path(config_file or os.environ.get(ENV_CONFIG) or DEFAULT_CONFIG).expanduser()
    return source.resolve().parent / DEFAULT_LOG


def record(exc: BaseException, where: str, path: Path) -> Failure:
    """Write ``exc`` with its traceback to the log at ``path`` under a new reference; never raises."""
    reference = new_reference()
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        details = "".join(traceback.format_exception(exc))
    except Exception:  # noqa: BLE001 - a traceback that cannot be formatted still gets a line
        details = f"{type(exc).__name__}\n"
    text = f"{stamp} {reference} {where}: {type(exc).__name__} ({kind_of(exc)})\n{details}\n"
    with _lock:
        try:
            _prepare(path)
            with open(path, "a", encoding="utf-8", errors="replace") as fh:
                fh.write(text)
        except OSError as err:
            return Failure(reference, path, written=False, problem=_os_problem(err))
    return Failure(reference, path, written=True)


def _prepare(path: Path) -> None:
    """Make the log's folder (with a ``.gitignore`` when this makes it) and rotate a full log."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_text("# made by the Kansrijke Start Monitor: logs stay out of git\n*\n")
    if path.exists() and path.stat().st_size > MAX_BYTES:
        os.replace(path, path.with_name(path.name + ".1"))


def _os_problem(err: OSError) -> str:
    kind = _ERRNO_TEXT.get(err.errno or 0)
    return t(f"rescue.log_problem.{kind}") if kind else (err.strerror or type(err).__name__)


def causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from or during (at most 20)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found and len(found) < 20:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def kind_of(exc: BaseException) -> str:
    """What kind of failure ``exc`` is, for the Dutch message (see the module docstring)."""
    chain = causes(exc)
    for item in chain:
        if isinstance(item, OSError) and item.errno in _ERRNO_TEXT:
            return _ERRNO_TEXT[item.errno]
    text = " ".join(str(item) for item in chain).lower()
    if "no space left on device" in text or "disk quota exceeded" in text:
        return "disk_full"
    if is_damage(exc):
        return "damaged"
    if "permission denied" in text or "read-only file system" in text:
        return "access"
    if any(isinstance(item, MemoryError) for item in chain) or "out of memory" in text:
        return "memory"
    if any(isinstance(item, RecursionError) for item in chain):
        return "too_deep"
    return "other"


def is_damage(exc: BaseException) -> bool:
    """True when ``exc`` (or a cause) is the database library saying the file cannot be read as it is."""
    for item in causes(exc):
        module = type(item).__module__ or ""
        if module.split(".")[0].lstrip("_") == "duckdb" and any(word in str(item).lower() for word in DAMAGE_WORDS):
            return True
    return False
