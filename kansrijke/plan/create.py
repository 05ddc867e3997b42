"""Start a coalition by hand, without a plan workbook: the first step on one's own data.

- ``create_coalition(store, name, member_codes, start_date, person)`` writes the coalition (id ``KS-<code of the
  first member>``, as the demo and the plan template name them), its members and the first row of its phase
  history (phase 1, Oriëntatie, from the start date; the self-scan moves it on) in one transaction, and returns
  the id. It refuses, with every problem at once as Dutch messages (``CreateError``): an empty or too long
  name, no members, an unknown municipality, a municipality that already takes part in a coalition (a
  municipality is in at most one), an id in use, and the demo file (own plans belong in the own database).
  The checks run inside the write transaction, under the store's write lock, so two sessions cannot both add
  the same municipality. ``person`` (an ``access.Person``) needs the permission "coalition_new"
  (``access.NotAllowed`` before anything else); a signed-in person's e-mail address goes into the phase note.
- ``start_counts(store)``: how many coalitions and municipal figures a database holds (the welcome path shows
  while both are zero).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kansrijke import access
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

FIRST_PHASE = 1  # Oriëntatie: a coalition that has just started
MAX_NAME = 200


class CreateError(UserError):
    """A coalition that cannot be started; nothing was written. ``places``: "naam", "gemeenten", "startdatum"
    or None (the whole)."""


@dataclass(frozen=True)
class StartCounts:
    coalitions: int
    figures: int

    @property
    def empty(self) -> bool:
        """Nothing of one's own yet: no coalition and no municipal figure."""
        return self.coalitions == 0 and self.figures == 0


def start_counts(store: Store) -> StartCounts:
    row = store.query("create_start_counts").iloc[0]
    return StartCounts(int(row["coalitions"]), int(row["figures"]))


def coalition_id(member_codes: Sequence[str]) -> str:
    """The id of a coalition led by its first member: ``KS-GM0363``."""
    return f"KS-{member_codes[0]}"


def create_coalition(
    store: Store, name: str, member_codes: Sequence[str], start_date: dt.date, person: access.Person
) -> str:
    """Write a new coalition with its members and phase history; return its id (see the module docstring)."""
    access.require(person, "coalition_new")
    who = person.identity if person.signed_in else None
    if store.is_demo():
        raise CreateError(t("own.demo_plan_refused"))
    name = (name or "").strip()
    codes = list(dict.fromkeys(c.strip().upper() for c in member_codes if c and c.strip()))
    with store.write() as w:
        problems = _problems(store, name, codes, start_date)
        if problems:
            raise CreateError([m for m, _ in problems], places=[p for _, p in problems])
        new_id = coalition_id(codes)
        w.run(
            "create_coalition_insert",
            {"id": new_id, "name": name, "phase": FIRST_PHASE, "start_date": start_date},
        )
        for code in codes:
            w.run("create_coalition_member", {"coalition_id": new_id, "code": code})
        note = t("welcome.phase_note_by", who=who) if who else t("welcome.phase_note")
        w.run(
            "create_coalition_phase",
            {"coalition_id": new_id, "since": start_date, "phase": FIRST_PHASE, "note": note},
        )
    return new_id


def _problems(store: Store, name: str, codes: list[str], start_date: dt.date) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    if not name:
        found.append((t("welcome.error_name"), "naam"))
    elif len(name) > MAX_NAME:
        found.append((t("welcome.error_name_long", max=MAX_NAME, length=len(name)), "naam"))
    if not isinstance(start_date, dt.date):
        found.append((t("welcome.error_date"), "startdatum"))
    if not codes:
        found.append((t("welcome.error_members"), "gemeenten"))
        return found
    known = set(store.query("create_known_municipalities", {"codes": codes})["code"])
    found.extend((t("welcome.error_unknown", code=c), "gemeenten") for c in codes if c not in known)
    for row in store.query("create_coalition_taken", {"codes": codes}).itertuples():
        found.append(
            (t("welcome.error_taken", name=row.name, coalition=row.coalition_name, id=row.coalition_id), "gemeenten")
        )
    if not found and store.scalar("create_coalition_exists", {"id": coalition_id(codes)}):
        found.append((t("welcome.error_id", id=coalition_id(codes)), None))
    return found
