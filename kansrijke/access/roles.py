"""Roles, people and the one check every write command makes (the core of ``kansrijke.access``; see its docstring)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t

KIJKER, BEWERKER, COORDINATOR, PHAROS, BEHEERDER = "kijker", "bewerker", "coordinator", "pharos", "beheerder"
ROLES: tuple[str, ...] = (KIJKER, BEWERKER, COORDINATOR, PHAROS, BEHEERDER)
COALITION_ROLES = frozenset({BEWERKER, COORDINATOR})  # granted per coalition

# permission -> the roles that have it (coalition roles only for their own coalition)
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "compare": frozenset({PHAROS, BEHEERDER}),  # portfolio and comparison across all coalitions
    "actions": frozenset({BEWERKER, COORDINATOR, BEHEERDER}),  # action log: add, change, close, delete
    "signals": frozenset({BEWERKER, COORDINATOR, BEHEERDER}),  # parents' signals
    "meeting": frozenset({BEWERKER, COORDINATOR, BEHEERDER}),  # meeting records
    "selfscan": frozenset({BEWERKER, COORDINATOR, BEHEERDER}),
    "plan": frozenset({COORDINATOR, BEHEERDER}),  # plan import (ambitions, goals, results, actions) and undo
    "phase": frozenset({COORDINATOR, BEHEERDER}),
    "coalition_new": frozenset({BEHEERDER}),  # start a coalition by hand
    "figures": frozenset({BEHEERDER}),  # indicator figures import and undo (all municipalities)
    "backup": frozenset({BEHEERDER}),  # the backup holds unsuppressed small numbers
    "restore": frozenset({BEHEERDER}),
    "database": frozenset({BEHEERDER}),  # start an own database, switch from the demo
    "users": frozenset({BEHEERDER}),  # role assignments
}


class NotAllowed(UserError):
    kind = "forbidden"


@dataclass(frozen=True)
class Person:
    identity: str  # the sign-in's e-mail address; "lokaal" or "cli:<user>" without sign-in
    name: str
    grants: frozenset[tuple[str, str | None]] = field(default_factory=frozenset)
    signed_in: bool = False

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for role, _ in self.grants)

    def coalitions(self, role: str | None = None) -> frozenset[str]:
        """The coalitions this person has a coalition role in (of ``role`` when given)."""
        return frozenset(c for r, c in self.grants if c is not None and (role is None or r == role))


def local_person() -> Person:
    """The app without sign-in: one person on this computer, who may do everything."""
    return Person("lokaal", t("access.local_name"), frozenset({(BEHEERDER, None)}))


def operator() -> Person:
    """The command line: whoever runs it can read and write the database file anyway."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (e.g. a container without passwd entry)
        user = "onbekend"
    return Person(f"cli:{user}", user, frozenset({(BEHEERDER, None)}))


def can(person: Person | None, permission: str, coalition_id: str | None = None) -> bool:
    """True when ``person`` may do ``permission`` (for ``coalition_id`` when the role is per coalition)."""
    if person is None:
        return False
    allowed = PERMISSIONS[permission]
    for role, coalition in person.grants:
        if role in allowed and (permission == "read" or role not in COALITION_ROLES or coalition == coalition_id):
            return True
    return False


def require(person: Person | None, permission: str, coalition_id: str | None = None) -> None:
    """Refuse (``NotAllowed``, in Dutch) what ``person`` may not do."""
    if person is None:
        raise NotAllowed(t("access.not_signed_in"))
    if not can(person, permission, coalition_id):
        raise NotAllowed(
            t(
                "access.refused",
                name=person.name,
                what=t(f"access.permission.{permission}"),
                roles=", ".join(t(f"access.role.{r}") for r in sorted(person.roles)) or t("access.no_role"),
            )
        )


def require_somewhere(person: Person | None, permission: str) -> None:
    """Refuse (``NotAllowed``) a person who has ``permission`` for no coalition at all. For a write to something
    that no longer exists (an action or meeting removed meanwhile): who may write gets the command's own message
    ("removed by ..."), everyone else the refusal."""
    if person is None:
        raise NotAllowed(t("access.not_signed_in"))
    coalitions = [c for r, c in person.grants if r in PERMISSIONS[permission] and c is not None]
    require(person, permission, coalitions[0] if coalitions else None)


MAX_TYPED_NAME = 100


def with_typed_name(person: Person, typed: str | None) -> Person:
    """Without sign-in (``local_person``, ``operator``) a name the user typed (the Actielog's "Uw naam", the CLI's
    ``--wie``) labels the audit rows instead of "lokaal" or "cli:<user>". A signed-in person stays who they are:
    their identity comes from the sign-in, never from a text field."""
    name = " ".join(str(typed or "").split())[:MAX_TYPED_NAME]
    if person.signed_in or not name:
        return person
    return Person(name, name, person.grants, signed_in=False)
