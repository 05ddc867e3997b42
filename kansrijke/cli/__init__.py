"""The command line: ``python -m kansrijke ...``."""

from .main import (  # noqa: F401
    COMMANDS,
    UsageError,
    cmd_backup,
    cmd_demo,
    cmd_export,
    cmd_import,
    cmd_info,
    cmd_rapport,
    cmd_restore,
    cmd_status,
    cmd_template,
    cmd_undo,
    main,
)

__all__ = [
    "UsageError",
    "cmd_import",
    "cmd_undo",
    "cmd_export",
    "cmd_template",
    "cmd_backup",
    "cmd_restore",
    "cmd_demo",
    "cmd_info",
    "cmd_status",
    "cmd_rapport",
    "COMMANDS",
    "main",
]
