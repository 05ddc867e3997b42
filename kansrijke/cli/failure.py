"""The command line's answer to a failure nobody foresaw: one Dutch message on stderr with a reference
("melding K-3F2A"), the traceback in the log (``core/logs.py``: ``logs.path`` in config.yaml, or
``KANSRIJKE_LOG``), never on the screen. ``main`` calls ``message`` for every exception that is not a
``UserError`` (those already are Dutch messages for people)."""

from __future__ import annotations

from pathlib import Path

from kansrijke.core import logs
from kansrijke.core.config import get_config
from kansrijke.core.i18n import t


def message(exc: BaseException, command: str, config_file: str | Path | None = None) -> str:
    """Log ``exc`` (with its traceback) and return the Dutch message for the person at the terminal."""
    try:
        config = get_config(config_file)
    except Exception:  # noqa: BLE001 - a configuration that cannot be read: the log beside that file
        config = None
    path = logs.log_path(config, config_file)
    failure = logs.record(exc, f"cli {command}", path)
    kind = logs.kind_of(exc)
    lines = [t("rescue.cli_failed", command=command, what=t(f"rescue.failure.{kind}"))]
    if kind == "damaged":
        lines.append(t("rescue.cli_damaged_hint"))
    if failure.written:
        lines.append(t("rescue.cli_see_log", ref=failure.reference, log=path))
    else:
        lines.append(t("rescue.cli_no_log", ref=failure.reference, log=path, problem=failure.problem))
    return "\n".join(lines)
