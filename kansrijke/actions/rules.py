"""The rules about actions that several features apply, each written once.

* **Fields and their validity.** ``FIELDS``, the allowed statuses, levels and principles, the length limits and
  the date range, and ``check(field, values)``: every violation in a column of normalised values. The Actielog
  form (``actions.validate``) checks one action with it, the coalition workbook/YAML import (sheet ``Acties``)
  checks 100,000 actions at once with it; each turns a ``Violation`` into its own Dutch sentence. So an action
  that imports can always be saved in the form, and the other way round.
* **Quiet.** A goal or coalition is *stil* (quiet) when its last action is more than ``months`` months before
  ``today``, or it has none (``quiet``). The default number of months is the config key
  ``actions.quiet_months``; the Actielog and Vergelijken both use it.

No database and no Streamlit here, and no import from the rest of the action log, so the import (``dataio``) and
the comparison (``compare``) use it without pulling in anything else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

STATUSES = ("gepland", "lopend", "afgerond", "vervallen")
CLOSED = ("afgerond", "vervallen")
LEVELS = ("bestuurlijk", "uitvoerend")
PRINCIPLES = tuple(range(1, 11))
FIELDS = ("action_date", "title", "description", "owner", "status", "goal_id", "principles", "partners", "level")
MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_OWNER = 200
MAX_PARTNER = 120
MAX_PARTNERS = 20
FIRST_YEAR, LAST_YEAR = 2000, 2100  # an action's date lies in these years (both included)
TEXT_LIMITS = {"title": MAX_TITLE, "description": MAX_DESCRIPTION, "owner": MAX_OWNER}

# What a Violation's ``rule`` can be.
MISSING = "missing"  # a required field is empty (action_date, title, status)
DATE_RANGE = "date_range"  # the year is not FIRST_YEAR..LAST_YEAR
TOO_LONG = "too_long"  # text longer than TEXT_LIMITS[field] (``n`` characters, ``limit``)
NOT_ALLOWED = "not_allowed"  # status or level not one of STATUSES / LEVELS
BAD_PRINCIPLE = "bad_principle"  # a principle that is not 1..10
TOO_MANY = "too_many"  # more than MAX_PARTNERS partners
PARTNER_LONG = "partner_long"  # one partner name longer than MAX_PARTNER
UNKNOWN_GOAL = "unknown_goal"  # not one of the coalition's goals


@dataclass(frozen=True)
class Violation:
    """One broken rule in one value: which field, which rule, the offending value and the numbers involved."""

    field: str
    rule: str
    value: object = None
    n: int | None = None  # the length or count found
    limit: int | None = None  # the most allowed


def partner_name(text: object) -> str:
    """A partner as stored: inner white space collapsed to one space, trimmed ('' when nothing is left)."""
    return " ".join(str(text).split())


def _add(found: dict[int, list[Violation]], i: int, violation: Violation) -> None:
    found.setdefault(i, []).append(violation)


def check(field: str, values: Sequence, goals: set[str] | frozenset[str] | None = None) -> dict[int, list[Violation]]:
    """Every violation in a column of *normalised* values of ``field`` (one of ``FIELDS``), by position; positions
    without a problem are left out. Normalised means: text trimmed (None when empty), dates as ``datetime.date``
    (None when missing), status and level lower case, principles a list of ints, partners a list of
    ``partner_name``s. ``goals``: the coalition's goal ids, for ``goal_id`` (None: not checked)."""
    if field not in FIELDS:
        raise ValueError(f"unknown action field: {field!r}")
    found: dict[int, list[Violation]] = {}
    if field == "action_date":
        for i, day in enumerate(values):
            if day is None or pd.isna(day):
                _add(found, i, Violation(field, MISSING))
            elif not FIRST_YEAR <= day.year <= LAST_YEAR:
                _add(found, i, Violation(field, DATE_RANGE, day))
    elif field in TEXT_LIMITS:
        limit = TEXT_LIMITS[field]
        for i, text in enumerate(values):
            if text is None or text == "":
                if field == "title":
                    _add(found, i, Violation(field, MISSING))
            elif len(text) > limit:
                _add(found, i, Violation(field, TOO_LONG, text, n=len(text), limit=limit))
    elif field in ("status", "level"):
        allowed = frozenset(STATUSES if field == "status" else LEVELS)
        for i, value in enumerate(values):
            if value not in allowed and (field == "status" or value is not None):
                _add(found, i, Violation(field, MISSING if value is None else NOT_ALLOWED, value))
    elif field == "principles":
        allowed = frozenset(PRINCIPLES)
        for i, items in enumerate(values):
            for item in items or ():
                if item not in allowed:
                    _add(found, i, Violation(field, BAD_PRINCIPLE, item))
    elif field == "partners":
        for i, names in enumerate(values):
            if not names:
                continue
            if len(names) > MAX_PARTNERS:
                _add(found, i, Violation(field, TOO_MANY, names, n=len(names), limit=MAX_PARTNERS))
            for name in names:
                if len(name) > MAX_PARTNER:
                    _add(found, i, Violation(field, PARTNER_LONG, name, n=len(name), limit=MAX_PARTNER))
    elif field == "goal_id" and goals is not None:
        for i, goal in enumerate(values):
            if goal is not None and goal not in goals:
                _add(found, i, Violation(field, UNKNOWN_GOAL, goal))
    return found


def check_action(fields: dict, goals: set[str] | frozenset[str] | None = None) -> list[Violation]:
    """Every violation in one action (normalised ``fields``, all of ``FIELDS``), in the order of ``FIELDS``."""
    out: list[Violation] = []
    for field in FIELDS:
        out += check(field, [fields.get(field)], goals).get(0, [])
    return out


# -- quiet: no action in N months -----------------------------------------------------------------------------
def quiet_since(today: dt.date, months: int) -> dt.date:
    """The earliest date of an action that still keeps a goal or coalition from being quiet on ``today``:
    ``months`` calendar months before ``today`` (an action on that day counts as within the last months)."""
    return (pd.Timestamp(today) - pd.DateOffset(months=int(months))).date()


def quiet(last_action: pd.Series, today: dt.date, months: int) -> pd.Series:
    """Per row: True when the last action (a date, or missing for none) is more than ``months`` months before
    ``today`` (before ``quiet_since``) or there is none."""
    last = pd.to_datetime(pd.Series(last_action))
    return last.isna() | (last < pd.Timestamp(quiet_since(today, months)))
