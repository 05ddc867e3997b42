"""The parents' voice: short signals from parents linked to an ambition or a goal (lesson 1: *wat schiet de
ouder hiermee op?*). No Streamlit here; the Actielog page, the goal charts and meeting mode use it.

Public contract
---------------
``add_signal(store, coalition_id, fields, person) -> int``
    Validate and store one signal; returns its id. ``fields``: ``kind`` (citaat, spiegelgesprek, signaal),
    ``text`` (required, at most ``MAX_TEXT`` characters, no personal data), ``signal_date`` (date or ISO
    text; default today), ``ambition_id`` and/or ``goal_id`` (at least one; both of this coalition; a goal
    alone also links its ambition). Raises ``SignalError`` with Dutch ``messages``.
``for_goal(store, goal_id) -> DataFrame`` and ``for_coalition(store, coalition_id) -> DataFrame``
    Newest first; columns id, coalition_id, ambition_id, ambition_title, goal_id, goal_title, signal_date,
    kind, text, recorded_by, created_at. ``text`` is what a user typed: show it escaped or in a table.
``delete_signal(store, coalition_id, signal_id, person) -> None``
    Remove a signal (for instance when it turns out to hold personal data).
Both need the permission "signals" for the coalition (``access.require`` before anything is written); a signal
records ``person.identity`` as ``recorded_by``.

The validator refuses obvious personal data (``personal_data_problems`` from ``signals.privacy``, which
normalises the text first): e-mail addresses, Dutch and Belgian phone numbers, postcodes, street addresses, BSN
(11-test) and IBAN, each named in Dutch without repeating it. Names cannot be recognised reliably: the form warns
against them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kansrijke import access
from kansrijke.core import fmt
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.signals.privacy import personal_data_problems

KINDS = ("citaat", "spiegelgesprek", "signaal")
KIND_SYMBOL = {"citaat": "❝", "spiegelgesprek": "⇄", "signaal": "◆"}
MAX_TEXT = 500
MAX_WHO = 100
FIELDS = ("kind", "text", "signal_date", "ambition_id", "goal_id")


class SignalError(UserError):
    """Invalid input: ``messages`` holds every problem as a Dutch sentence."""


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


def add_signal(store: Store, coalition_id: str, fields: dict[str, Any], person: access.Person) -> int:
    """Validate and store one signal from parents; return its id. Raises ``SignalError``."""
    access.require(person, "signals", coalition_id)
    clean, problems = validate(store, coalition_id, fields)
    if problems:
        raise SignalError(problems)
    who_text = " ".join(str(person.identity).split())[:MAX_WHO]
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


def delete_signal(store: Store, coalition_id: str, signal_id: int, person: access.Person) -> None:
    """Remove one of the coalition's signals."""
    access.require(person, "signals", coalition_id)
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
