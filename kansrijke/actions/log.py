"""The action log (*actielog*): create, edit, close and remove a coalition's actions, with an audit trail
and a stale-edit check. No Streamlit here: the Actielog page and meeting mode call the same functions.

Public contract
---------------
``create_action(store, coalition_id, fields, person) -> int``
    Validate ``fields`` (all of ``FIELDS``), insert the action at version 1 and an audit row
    'aangemaakt'; one transaction. Returns the new action's id.
``update_action(store, action_id, expected_version, fields, person) -> int``
    Change the fields given (the others keep their stored value); returns the new version. Audit row
    'gewijzigd' with the changed fields only (before and after). Nothing changed: nothing is written and
    the current version is returned.
``close_action(store, action_id, expected_version, person, status="afgerond") -> int``
    Set the status to 'afgerond' or 'vervallen'; audit row 'afgesloten'. Returns the new version.
``delete_action(store, action_id, expected_version, person) -> None``
    Remove the action (to undo one that was just recorded). Its audit trail stays, with a row 'verwijderd'
    holding every field as it was.
``audit_trail(store, action_id) -> DataFrame``
    The trail for display, newest first, with Dutch column names (``AUDIT_COLUMNS``).

``fields`` keys (``FIELDS``): ``action_date`` (date or ISO text), ``title`` (text, required, at most 200
characters), ``description`` (text), ``owner`` (the *trekker*, text), ``status`` (gepland, lopend, afgerond,
vervallen), ``goal_id`` (a goal of the same coalition, or None), ``principles`` (list of leading principles,
integers 1-10), ``partners`` (list of partner names or partner-type ids such as ``jgz``), ``level``
(bestuurlijk, uitvoerend or None). ``person`` (an ``access.Person``) must have the permission "actions" for the
action's coalition (``access.require``, checked before anything is written: ``access.NotAllowed`` otherwise); the
audit trail stores ``person.identity``.

Errors: ``ActionError.messages`` lists every problem with the input as Dutch sentences.
``StaleEdit``'s one message says (in Dutch) who changed or removed the action when, after the user loaded it at
``expected_version``; nothing is written then. The check is a compare-and-set inside the write transaction
(``UPDATE ... WHERE id = $id AND version = $expected``, then a statement that fails unless exactly the
expected row is there), so of two concurrent saves at the same version exactly one wins.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kansrijke import access
from kansrijke.actions import rules
from kansrijke.actions.rules import (  # noqa: F401 - the limits are re-exported by kansrijke.actions
    CLOSED,
    FIELDS,
    LEVELS,
    MAX_DESCRIPTION,
    MAX_OWNER,
    MAX_PARTNER,
    MAX_PARTNERS,
    MAX_TITLE,
    PRINCIPLES,
    STATUSES,
    partner_name,
)
from kansrijke.core import exports, fmt
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.reference import PARTNERS
from kansrijke.core.store import Store

# The fields, their allowed values and limits live in actions.rules (one home: the form and every import).
MAX_WHO = 100
TABLE_LIMIT = 200  # newest matching actions shown and drawn one by one; above this the timeline counts per month
_STALE_MARK = "kansrijke:stale-edit"


class ActionError(UserError):
    """Invalid input: ``messages`` holds every problem as a Dutch sentence."""


class _Unchanged(Exception):
    """Raised inside a write to roll it back when a save changes nothing (no audit row, no new data version)."""

    def __init__(self, version: int):
        super().__init__(version)
        self.version = version


class StaleEdit(UserError):
    """The action changed (or was removed) since the user loaded it; the one message says who did it when."""

    kind = "stale"

    def __init__(
        self, message: str, current_version: int | None, changed_by: str | None, changed_at: dt.datetime | None
    ):
        super().__init__(message)
        self.current_version = current_version  # None: the action no longer exists
        self.changed_by = changed_by
        self.changed_at = changed_at


@dataclass(frozen=True)
class ActionFilter:
    """The Actielog filters; an empty value switches a filter off. ``goals`` may hold '' for "no goal"."""

    statuses: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    principles: tuple[int, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""

    def params(self, coalition_id: str) -> dict[str, Any]:
        return {
            "coalition_id": coalition_id,
            "statuses": list(self.statuses),
            "owners": list(self.owners),
            "goals": list(self.goals),
            "principles": [int(p) for p in self.principles],
            "date_from": self.date_from,
            "date_to": self.date_to,
            "text": self.text.strip(),
        }

    @property
    def active(self) -> bool:
        return bool(
            self.statuses
            or self.owners
            or self.goals
            or self.principles
            or self.date_from
            or self.date_to
            or self.text.strip()
        )


# -- helpers -------------------------------------------------------------------------------------------
def now() -> dt.datetime:
    """The moment stored in the audit trail (local time of the server, like the import log)."""
    return dt.datetime.now()


def _who(person: access.Person) -> str | None:
    """What the audit trail stores of the person: their identity (the sign-in's e-mail address)."""
    text = " ".join(str(person.identity).split())[:MAX_WHO]
    return text or None


def _require(store: Store, person: access.Person | None, action_id: int) -> None:
    """The person may change actions of this action's coalition (of some coalition when it no longer exists: then
    the command says who removed it)."""
    current = get_action(store, action_id)
    if current is None:
        access.require_somewhere(person, "actions")
    else:
        access.require(person, "actions", current["coalition_id"])


def _missing(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (not isinstance(value, (list, tuple, str)) and pd.api.types.is_scalar(value) and pd.isna(value))
    )


def _text(value: object) -> str | None:
    if _missing(value):
        return None
    text = str(value).strip()
    return text or None


def _as_list(value: object) -> list:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [p for p in (x.strip() for x in value.split(",")) if p]
    try:
        return list(value)  # type: ignore[arg-type]
    except TypeError:
        return [value]


def _date(value: object) -> dt.date | None | str:
    """A date, None (missing) or the raw text when it is not a date."""
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return str(value)


def normalise(fields: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Clean the given fields (strip text, dedupe lists, parse dates); return them with messages for values
    that cannot be read. Unknown keys are a programming error (ValueError)."""
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown action fields: {unknown}")
    out: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in fields.items():
        if key == "action_date":
            day = _date(value)
            if isinstance(day, str):
                problems.append(t("actions_page.error.date_invalid", value=day))
                day = None
            out[key] = day
        elif key in ("title", "description", "owner", "goal_id"):
            out[key] = _text(value)
        elif key in ("status", "level"):
            text = _text(value)
            out[key] = text.lower() if text else None
        elif key == "principles":
            found: list[int] = []
            for item in _as_list(value):
                try:
                    number = int(str(item).strip())
                except ValueError:
                    number = -1
                if number not in PRINCIPLES:
                    problems.append(t("actions_page.error.principle", value=item))
                elif number not in found:
                    found.append(number)
            out[key] = sorted(found)
        elif key == "partners":
            names: list[str] = []
            for item in _as_list(value):
                name = partner_name(item)
                if name and name not in names:
                    names.append(name)
            out[key] = names
    return out, problems


def validate(store: Store, coalition_id: str, fields: dict[str, Any]) -> list[str]:
    """Every problem with a complete, normalised set of fields, as Dutch sentences (empty: valid). The rules are
    ``actions.rules.check_action``, the same the coalition workbook import applies."""
    goals = frozenset(store.query("goals", {"coalition_id": coalition_id})["id"]) if fields.get("goal_id") else None
    return [_sentence(v) for v in rules.check_action(fields, goals)]


def _sentence(v: rules.Violation) -> str:
    """One broken rule as the form says it."""
    if v.field == "action_date":
        if v.rule == rules.MISSING:
            return t("actions_page.error.date_missing")
        return t("actions_page.error.date_range", date=fmt.date(v.value))
    if v.field == "title" and v.rule == rules.MISSING:
        return t("actions_page.error.title_missing")
    if v.rule == rules.TOO_LONG:
        return t("actions_page.error.too_long", field=t(f"actions_page.field.{v.field}"), n=v.n, max=v.limit)
    if v.field in ("status", "level"):
        return t(f"actions_page.error.{v.field}", value=v.value or "")
    if v.rule == rules.UNKNOWN_GOAL:
        return t("actions_page.error.goal", value=v.value)
    if v.rule == rules.BAD_PRINCIPLE:
        return t("actions_page.error.principle", value=v.value)
    if v.rule == rules.TOO_MANY:
        return t("actions_page.error.partners_many", n=v.n, max=v.limit)
    return t("actions_page.error.partner_long", value=str(v.value)[:40] + "…", max=v.limit)


def _stored(row: pd.Series | dict) -> dict[str, Any]:
    """An action row from the database as a normalised fields dict."""
    fields, _ = normalise({k: row[k] for k in FIELDS})
    return fields


def get_action(store: Store, action_id: int) -> dict[str, Any] | None:
    """One action as a dict (``FIELDS`` plus id, coalition_id, version, created_at, goal_title), or None."""
    rows = store.query("actions_one", {"id": int(action_id)})
    if rows.empty:
        return None
    row = rows.iloc[0]
    out = _stored(row)
    out.update(
        id=int(row["id"]),
        coalition_id=row["coalition_id"],
        version=int(row["version"]),
        created_at=row["created_at"],
        goal_title=None if pd.isna(row["goal_title"]) else row["goal_title"],
    )
    return out


def _json(fields: dict[str, Any] | None) -> str | None:
    if fields is None:
        return None
    return json.dumps(
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()}, ensure_ascii=False
    )


def _params(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: fields[k] for k in FIELDS}


def _stale(store: Store, action_id: int, current: dict[str, Any] | None) -> StaleEdit:
    last = store.query("actions_last_change", {"action_id": int(action_id)})
    row = last.iloc[0] if not last.empty else None
    who = None if row is None or pd.isna(row["changed_by"]) else str(row["changed_by"])
    when = None if row is None else pd.Timestamp(row["changed_at"]).to_pydatetime()
    by = who or t("actions_page.someone")
    if current is None:
        if row is not None and row["change"] == "verwijderd":
            return StaleEdit(t("actions_page.stale_deleted", who=by, when=fmt.moment(when)), None, who, when)
        return StaleEdit(t("actions_page.stale_missing"), None, None, None)
    version = int(current["version"])
    if row is not None and int(row["version"]) == version:
        return StaleEdit(
            t("actions_page.stale_changed", who=by, when=fmt.moment(when), version=version), version, who, when
        )
    return StaleEdit(t("actions_page.stale_changed_unknown", version=version), version, None, None)


def _compare_and_set(store: Store, action_id: int, run) -> None:
    """Run ``run(writer)`` in one write transaction; a failed compare-and-set check becomes StaleEdit."""
    try:
        with store.write() as w:
            run(w)
    except (StaleEdit, ActionError, _Unchanged):
        raise
    except Exception as exc:  # the database's refusal from actions_check_version.sql
        if _STALE_MARK in str(exc):
            raise _stale(store, action_id, get_action(store, action_id)) from None
        raise


def _audit(
    w, action_id: int, change: str, version: int, person: access.Person, before: dict | None, after: dict | None
) -> None:
    w.run(
        "actions_audit_insert",
        {
            "id": w.next_id("action_audit"),
            "action_id": int(action_id),
            "changed_at": now(),
            "changed_by": _who(person),
            "change": change,
            "version": int(version),
            "before": _json(before),
            "after": _json(after),
        },
    )


# -- the contract ----------------------------------------------------------------------------------------
def create_action(store: Store, coalition_id: str, fields: dict[str, Any], person: access.Person) -> int:
    """Validate and insert a new action (version 1) with its audit row 'aangemaakt'; return its id.

    Missing keys of ``FIELDS`` count as empty (``status`` defaults to 'gepland'). Raises ``ActionError``.
    """
    access.require(person, "actions", coalition_id)
    given = {"status": "gepland", **fields}
    clean, problems = normalise(given)
    clean = {k: clean.get(k, [] if k in ("principles", "partners") else None) for k in FIELDS}
    problems += validate(store, coalition_id, clean)
    if problems:
        raise ActionError(problems)
    with store.write() as w:
        action_id = max(int(store.scalar("actions_next_id")), w.next_id("actions"))
        w.run("actions_insert", {"id": action_id, "coalition_id": coalition_id, "created_at": now(), **_params(clean)})
        _audit(w, action_id, "aangemaakt", 1, person, None, clean)
    return action_id


def update_action(
    store: Store, action_id: int, expected_version: int, fields: dict[str, Any], person: access.Person
) -> int:
    """Change an action the user loaded at ``expected_version``; return its new version.

    Only the keys in ``fields`` change. Raises ``ActionError`` (invalid input) or ``StaleEdit`` (someone
    else saved or removed it first: nothing is written, their work stays).
    """
    _require(store, person, action_id)
    given, problems = normalise(fields)
    new_version = int(expected_version) + 1

    def run(w) -> None:
        current = get_action(store, action_id)  # read under the write lock: no other save can come between
        if current is None or current["version"] != int(expected_version):
            raise _stale(store, action_id, current)
        before = {k: current[k] for k in FIELDS}
        after = {**before, **given}
        issues = problems + validate(store, current["coalition_id"], after)
        if issues:
            raise ActionError(issues)
        changed = [k for k in FIELDS if after[k] != before[k]]
        if not changed:
            raise _Unchanged(current["version"])
        w.run("actions_update", {"id": int(action_id), "expected_version": int(expected_version), **_params(after)})
        w.run("actions_check_version", {"id": int(action_id), "version": new_version, "rows": 1})
        _audit(
            w,
            action_id,
            "gewijzigd",
            new_version,
            person,
            {k: before[k] for k in changed},
            {k: after[k] for k in changed},
        )

    try:
        _compare_and_set(store, action_id, run)
    except _Unchanged as same:
        return same.version
    return new_version


def close_action(
    store: Store, action_id: int, expected_version: int, person: access.Person, status: str = "afgerond"
) -> int:
    """Close an action as 'afgerond' (done) or 'vervallen' (dropped); return its new version.

    Raises ``ActionError`` for another status and ``StaleEdit`` as ``update_action`` does.
    """
    _require(store, person, action_id)
    if status not in CLOSED:
        raise ActionError([t("actions_page.error.close_status", value=status)])
    new_version = int(expected_version) + 1

    def run(w) -> None:
        current = get_action(store, action_id)
        if current is None or current["version"] != int(expected_version):
            raise _stale(store, action_id, current)
        w.run("actions_close", {"id": int(action_id), "expected_version": int(expected_version), "status": status})
        w.run("actions_check_version", {"id": int(action_id), "version": new_version, "rows": 1})
        _audit(w, action_id, "afgesloten", new_version, person, {"status": current["status"]}, {"status": status})

    _compare_and_set(store, action_id, run)
    return new_version


def delete_action(store: Store, action_id: int, expected_version: int, person: access.Person) -> None:
    """Remove an action (undo of one just recorded); its audit trail stays with a row 'verwijderd'.

    Raises ``StaleEdit`` when it changed or was removed since ``expected_version``.
    """
    _require(store, person, action_id)

    def run(w) -> None:
        current = get_action(store, action_id)
        if current is None or current["version"] != int(expected_version):
            raise _stale(store, action_id, current)
        w.run("actions_delete", {"id": int(action_id), "expected_version": int(expected_version)})
        w.run("actions_check_version", {"id": int(action_id), "version": None, "rows": 0})
        _audit(w, action_id, "verwijderd", int(expected_version) + 1, person, {k: current[k] for k in FIELDS}, None)

    _compare_and_set(store, action_id, run)


def merge_stale_edit(loaded: dict[str, Any], fields: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The form's values after a refused stale edit, when the user keeps their changes: the action as stored now
    (``current``, with the other person's changes) and on top of it only the fields this user changed, i.e. the
    fields of ``fields`` (normalised) that differ from what they loaded (``loaded``)."""
    mine, _ = normalise(fields)
    changed = {k: mine[k] for k in FIELDS if k in mine and mine[k] != loaded.get(k)}
    return {**current, **changed}


# -- showing values --------------------------------------------------------------------------------------
def partner_label(partner: str) -> str:
    """A partner-type id (``jgz``) as its Dutch name; other partner names as written."""
    return PARTNERS.get(partner, partner)


def known_partners(store: Store, coalition_id: str) -> list[str]:
    """Partner choices for the form: the coalition's partners (most used first), then the other known types."""
    used = [str(p) for p in store.query("actions_partners", {"coalition_id": coalition_id})["partner"]]
    return used + [p for p in PARTNERS if p not in used]


def owners(store: Store, coalition_id: str) -> list[str]:
    """The owners (trekkers) named in a coalition's actions, most used first."""
    return [str(o) for o in store.query("actions_owners", {"coalition_id": coalition_id})["owner"]]


def show(field: str, value: Any, goal_titles: dict[str, str] | None = None) -> str:
    """One field value as Dutch text (dates in words, principles as numbers, partners by name)."""
    if field == "action_date":
        return fmt.day(value) if value else "–"
    if field == "status":
        return t(f"action_status.{value}") if value in STATUSES else (value or "–")
    if field == "principles":
        return ", ".join(str(p) for p in value) if value else "–"
    if field == "partners":
        return ", ".join(partner_label(p) for p in value) if value else "–"
    if field == "goal_id":
        if not value:
            return t("actions_page.no_goal")
        return (goal_titles or {}).get(value, value)
    return "–" if value in (None, "") else str(value)


def describe_change(change: str, before: dict | None, after: dict | None, goal_titles: dict[str, str]) -> str:
    """What one audit row changed, in Dutch: "Titel: 'oud' → 'nieuw'; Status: lopend → afgerond"."""

    def label(key: str) -> str:
        return t(f"actions_page.field.{key}")

    keys = [k for k in FIELDS if k in (after or {}) or k in (before or {})]
    if change == "aangemaakt":
        return "; ".join(
            f"{label(k)}: {show(k, after[k], goal_titles)}" for k in keys if after.get(k) not in (None, "", [])
        )
    if change == "verwijderd":
        return t("actions_page.audit_deleted", title=(before or {}).get("title") or "–")
    return "; ".join(
        f"{label(k)}: {show(k, (before or {}).get(k), goal_titles)} → {show(k, (after or {}).get(k), goal_titles)}"
        for k in keys
    )


AUDIT_COLUMNS = ("when", "who", "change", "version", "what")


def audit_trail(store: Store, action_id: int) -> pd.DataFrame:
    """The audit trail of one action, newest first, for display: columns Wanneer, Wie, Wijziging, Versie,
    Wat is er veranderd (Dutch names from the catalogue, ``actions_page.audit_col.*``). Kept after removal."""
    rows = store.query("actions_audit", {"action_id": int(action_id)})
    parsed = [
        (json.loads(b) if isinstance(b, str) else None, json.loads(a) if isinstance(a, str) else None)
        for b, a in zip(rows["before"], rows["after"], strict=True)
    ]
    goal_ids = sorted({d["goal_id"] for pair in parsed for d in pair if d and d.get("goal_id")})
    titles = {}
    if goal_ids:
        found = store.query("actions_goal_titles", {"ids": goal_ids})
        titles = dict(zip(found["id"], found["title"], strict=True))
    what = []
    for change, (before, after) in zip(rows["change"], parsed, strict=True):
        what.append(describe_change(change, _revive(before), _revive(after), titles))
    return pd.DataFrame(
        {
            t("actions_page.audit_col.when"): [fmt.moment(v) for v in rows["changed_at"]],
            t("actions_page.audit_col.who"): [
                v if isinstance(v, str) and v else t("actions_page.unknown_who") for v in rows["changed_by"]
            ],
            t("actions_page.audit_col.change"): [t(f"actions_page.change.{c}") for c in rows["change"]],
            t("actions_page.audit_col.version"): [int(v) for v in rows["version"]],
            t("actions_page.audit_col.what"): what,
        }
    )


def _revive(fields: dict | None) -> dict | None:
    if fields is None:
        return None
    out = dict(fields)
    if isinstance(out.get("action_date"), str):
        out["action_date"] = dt.date.fromisoformat(out["action_date"])
    return out


# -- reading for the page ----------------------------------------------------------------------------------
def search(store: Store, coalition_id: str, filt: ActionFilter, limit: int = TABLE_LIMIT) -> tuple[int, pd.DataFrame]:
    """(number of matching actions, the newest ``limit`` of them): id, action_date, title, description,
    owner, status, goal_id, goal_title, principles, partners, level, version, created_at."""
    rows = store.query("actions_search", {**filt.params(coalition_id), "limit": int(limit)})
    total = int(rows["total"].iloc[0]) if len(rows) else 0
    return total, rows.drop(columns="total")


def by_month(store: Store, coalition_id: str, filt: ActionFilter) -> pd.DataFrame:
    """Matching actions per month (first day) and status: month, status, actions."""
    return store.query("actions_by_month", filt.params(coalition_id))


EXPORT_COLUMNS = (
    "id",
    "datum",
    "titel",
    "omschrijving",
    "trekker",
    "status",
    "doel_id",
    "doel",
    "principes",
    "partners",
    "niveau",
    "versie",
)


def export_frame(store: Store, coalition_id: str, filt: ActionFilter) -> pd.DataFrame:
    """Every matching action (not only the newest shown), in the column names of the coalition workbook's
    sheet 'Acties' plus id, goal title and version; dates as ISO text, lists comma-separated."""
    _, rows = search(store, coalition_id, filt, limit=2**62)
    return pd.DataFrame(
        {
            "id": rows["id"].astype(int).to_numpy(),
            "datum": [pd.Timestamp(d).date().isoformat() for d in rows["action_date"]],
            "titel": rows["title"].to_numpy(),
            "omschrijving": rows["description"].to_numpy(),
            "trekker": rows["owner"].to_numpy(),
            "status": rows["status"].to_numpy(),
            "doel_id": rows["goal_id"].to_numpy(),
            "doel": rows["goal_title"].to_numpy(),
            "principes": [", ".join(str(int(p)) for p in _as_list(v)) for v in rows["principles"]],
            "partners": [", ".join(str(p) for p in _as_list(v)) for v in rows["partners"]],
            "niveau": rows["level"].to_numpy(),
            "versie": rows["version"].astype(int).to_numpy(),
        },
        columns=list(EXPORT_COLUMNS),
    )


def export_csv(store: Store, coalition_id: str, filt: ActionFilter) -> bytes:
    """The matching actions as CSV (UTF-8 with BOM, ``;``): cells a spreadsheet would run as a formula are
    neutralised with a leading apostrophe. From the demo: the fictitious label as first column."""
    return exports.export_csv(export_frame(store, coalition_id, filt), demo=store.is_demo())


def export_xlsx(store: Store, coalition_id: str, filt: ActionFilter) -> bytes:
    """The matching actions as one XLSX sheet 'Acties', formula-like cells neutralised. From the demo: the
    fictitious label as first column and title."""
    return exports.export_xlsx(export_frame(store, coalition_id, filt), sheet="Acties", demo=store.is_demo())


# -- where attention goes ------------------------------------------------------------------------------------
def _years(frames: Iterable[pd.DataFrame], today: dt.date) -> list[int]:
    found = [int(y) for f in frames for y in f["year"]] if frames else []
    if not found:
        return [today.year]
    return list(range(min(found), max(max(found), today.year) + 1))


def principle_years(store: Store, coalition_id: str, today: dt.date) -> pd.DataFrame:
    """Actions (not 'vervallen') per leading principle (rows 1-10) and year (columns), zeros filled."""
    rows = store.query("actions_principle_years", {"coalition_id": coalition_id})
    years = _years([rows], today)
    matrix = rows.pivot_table(index="principle", columns="year", values="actions", aggfunc="sum", fill_value=0)
    return matrix.reindex(index=list(PRINCIPLES), columns=years, fill_value=0).astype(int)


def goal_years(store: Store, coalition_id: str, today: dt.date) -> pd.DataFrame:
    """Actions (not 'vervallen') per goal (rows: every goal of the coalition in plan order, then '' for
    actions without a goal) and year (columns), zeros filled. The index name is the goal id."""
    rows = store.query("actions_goal_years", {"coalition_id": coalition_id})
    goals = store.query("goals", {"coalition_id": coalition_id})
    years = _years([rows], today)
    matrix = rows.pivot_table(index="goal_id", columns="year", values="actions", aggfunc="sum", fill_value=0)
    order = [*goals["id"], ""]
    return matrix.reindex(index=order, columns=years, fill_value=0).astype(int)


def quiet_goals(store: Store, coalition_id: str, today: dt.date, months: int) -> pd.DataFrame:
    """Every goal with its latest action up to ``today`` (not 'vervallen'), the planned actions after it and
    ``quiet`` (``actions.rules.quiet``: no action in the last ``months`` months; the page passes the config
    key ``actions.quiet_months``): id, title, ambition_title, last_action, planned, quiet."""
    rows = store.query("actions_goal_last", {"coalition_id": coalition_id, "today": today})
    last = pd.to_datetime(rows["last_action"])
    rows = rows.assign(last_action=last, quiet=rules.quiet(last, today, months))
    return rows[["id", "title", "ambition_title", "last_action", "planned", "quiet"]]


def quiet_table(quiet: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The goals without an action in the last months, for display (Dutch column names)."""
    shown = quiet[quiet["quiet"]]
    return pd.DataFrame(
        {
            t("actions_page.quiet_col.goal"): shown["title"].to_numpy(),
            t("actions_page.quiet_col.ambition"): shown["ambition_title"].to_numpy(),
            t("actions_page.quiet_col.last"): [
                fmt.day(d) if not pd.isna(d) else t("actions_page.quiet_never") for d in shown["last_action"]
            ],
            t("actions_page.quiet_col.months"): [
                "–" if pd.isna(d) else fmt.integer((today.year - d.year) * 12 + today.month - d.month)
                for d in shown["last_action"]
            ],
            t("actions_page.quiet_col.planned"): [fmt.integer(n) for n in shown["planned"]],
        }
    )
