"""Parents' voice: quotes, spiegelgesprekken and signals linked to an ambition or goal, without personal data."""

from .voice import (  # noqa: F401
    FIELDS,
    KIND_SYMBOL,
    KINDS,
    MAX_TEXT,
    MAX_WHO,
    SignalError,
    add_signal,
    delete_signal,
    for_coalition,
    for_goal,
    label,
    personal_data_problems,
    table,
    validate,
)

__all__ = [
    "KINDS",
    "KIND_SYMBOL",
    "MAX_TEXT",
    "MAX_WHO",
    "FIELDS",
    "SignalError",
    "personal_data_problems",
    "validate",
    "add_signal",
    "delete_signal",
    "for_goal",
    "for_coalition",
    "label",
    "table",
]
