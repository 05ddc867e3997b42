"""The parents' voice: short signals from parents linked to an ambition or a goal (lesson 1: *wat schiet de
ouder hiermee op?*). No Streamlit here; the Actielog page, the goal charts and meeting mode use it.

Public contract
---------------
``add_signal(store, coalition_id, fields, who) -> int``
    Validate and store one signal; returns its id. ``fields``: ``kind`` (citaat, spiegelgesprek, signaal),
    ``text`` (required, at most ``MAX_TEXT`` characters, no personal data), ``signal_date`` (date or ISO
    text; default today), ``ambition_id`` and/or ``goal_id`` (at least one; both of this coalition; a goal
    alone also links its ambition). Raises ``SignalError`` with Dutch ``messages``.
``for_goal(store, goal_id) -> DataFrame`` and ``for_coalition(store, coalition_id) -> DataFrame``
    Newest first; columns id, coalition_id, ambition_id, ambition_title, goal_id, goal_title, signal_date,
    kind, text, recorded_by, created_at. ``text`` is what a user typed: show it escaped or in a table.
``delete_signal(store, coalition_id, signal_id) -> None``
    Remove a signal (for instance when it turns out to hold personal data).

The validator refuses obvious personal data (``personal_data_problems``): e-mail addresses, phone numbers,
postcodes (with or without a house number), street addresses and BSN-like 9-digit numbers. Names cannot be
recognised reliably: the form warns against them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from kansrijke.core import fmt
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

KINDS = ("citaat", "spiegelgesprek", "signaal")
KIND_SYMBOL = {"citaat": "❝", "spiegelgesprek": "⇄", "signaal": "◆"}
MAX_TEXT = 500
MAX_WHO = 100
FIELDS = ("kind", "text", "signal_date", "ambition_id", "goal_id")

# Obvious personal data. Deliberately strict: a false alarm costs a rewording, a miss costs privacy.
_PATTERNS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")),
    ("phone", re.compile(r"(?<![\w])(\+31|0031|0)[\s-]?(\(0\))?[\s-]?[1-9]([\s-]?\d){7,8}(?!\d)")),
    ("postcode", re.compile(r"(?<![\w])[1-9]\d{3}(\s?(?!SA|SD|SS)[A-Z]{2}|[a-z]{2})(?![\w-])")),
    (
        "address",
        re.compile(
            r"\b[A-Z][a-zé]+(straat|laan|weg|plein|gracht|kade|singel|dreef|hof|pad|steeg|"
            r"dijk|park|ring|markt)\s+\d+",
            re.UNICODE,
        ),
    ),
    ("bsn", re.compile(r"(?<![\d.,])(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d.,]?\d)")),
)


class SignalError(UserError):
    """Invalid input: ``messages`` holds every problem as a Dutch sentence."""


def personal_data_problems(text: str) -> list[str]:
    """One Dutch message per kind of personal data found in ``text`` (empty: none found)."""
    problems = []
    for kind, pattern in _PATTERNS:
        found = pattern.search(text or "")
        if found:
            problems.append(t(f"signals.error.{kind}", value=found.group(0).strip()))
    return problems


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _date(value: object) -> dt.date | str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return str(value)


def validate(store: Store, coalition_id: str, fields: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The cleaned fields and every problem with them as Dutch sentences (empty list: valid)."""
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown signal fields: {unknown}")
    problems: list[str] = []
    kind = (_text(fields.get("kind")) or "").lower()
    if kind not in KINDS:
        problems.append(t("signals.error.kind", value=kind))
    text = _text(fields.get("text"))
    if text is None:
        problems.append(t("signals.error.text_missing"))
    else:
        if len(text) > MAX_TEXT:
            problems.append(t("signals.error.text_long", n=len(text), max=MAX_TEXT))
        problems += personal_data_problems(text)
    day = _date(fields.get("signal_date")) or dt.date.today()
    if isinstance(day, str):
        problems.append(t("signals.error.date", value=day))
        day = None
    elif not 2000 <= day.year <= 2100:
        problems.append(t("signals.error.date", value=fmt.date(day)))
    ambition_id = _text(fields.get("ambition_id"))
    goal_id = _text(fields.get("goal_id"))
    goals = store.query("goals", {"coalition_id": coalition_id})
    ambitions = set(store.query("ambitions", {"coalition_id": coalition_id})["id"])
    goal_ambition = dict(zip(goals["id"], goals["ambition_id"], strict=True))
    if ambition_id is None and goal_id is None:
        problems.append(t("signals.error.link_missing"))
    if ambition_id is not None and ambition_id not in ambitions:
        problems.append(t("signals.error.ambition", value=ambition_id))
    if goal_id is not None:
        if goal_id not in goal_ambition:
            problems.append(t("signals.error.goal", value=goal_id))
        elif ambition_id is None:
            ambition_id = goal_ambition[goal_id]
        elif goal_ambition[goal_id] != ambition_id:
            problems.append(t("signals.error.goal_other_ambition"))
    clean = {"kind": kind, "text": text, "signal_date": day, "ambition_id": ambition_id, "goal_id": goal_id}
    return clean, problems


def add_signal(store: Store, coalition_id: str, fields: dict[str, Any], who: str | None) -> int:
    """Validate and store one signal from parents; return its id. Raises ``SignalError``."""
    clean, problems = validate(store, coalition_id, fields)
    if problems:
        raise SignalError(problems)
    who_text = " ".join(str(who).split())[:MAX_WHO] if who else None
    with store.write() as w:
        signal_id = w.next_id("parent_signals")
        w.run(
            "signals_insert",
            {
                "id": signal_id,
                "coalition_id": coalition_id,
                "recorded_by": who_text or None,
                "created_at": dt.datetime.now(),
                **clean,
            },
        )
    return signal_id


def delete_signal(store: Store, coalition_id: str, signal_id: int) -> None:
    """Remove one of the coalition's signals."""
    with store.write() as w:
        w.run("signals_delete", {"id": int(signal_id), "coalition_id": coalition_id})


def for_goal(store: Store, goal_id: str) -> pd.DataFrame:
    """The signals linked to one goal, newest first (columns: see the module docstring)."""
    return store.query("signals_for_goal", {"goal_id": goal_id})


def for_coalition(store: Store, coalition_id: str) -> pd.DataFrame:
    """All of a coalition's signals, newest first (columns: see the module docstring)."""
    return store.query("signals_for_coalition", {"coalition_id": coalition_id})


def label(row: Any) -> str:
    """'❝ citaat · 3 maart 2026' for a row of ``for_goal``/``for_coalition``."""
    return f"{KIND_SYMBOL.get(row.kind, '')} {t(f'signals.kind.{row.kind}')} · {fmt.day(row.signal_date)}"


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """Signals for display, with Dutch column names."""
    return pd.DataFrame(
        {
            t("signals.col.date"): [fmt.day(d) for d in frame["signal_date"]],
            t("signals.col.kind"): [f"{KIND_SYMBOL.get(k, '')} {t(f'signals.kind.{k}')}" for k in frame["kind"]],
            t("signals.col.text"): frame["text"].to_numpy(),
            t("signals.col.link"): [
                g if isinstance(g, str) else (a if isinstance(a, str) else "–")
                for g, a in zip(frame["goal_title"], frame["ambition_title"], strict=True)
            ],
            t("signals.col.by"): frame["recorded_by"].fillna("–").to_numpy(),
        }
    )
