"""Who may do what: people, roles and the one check every write command makes.

Roles (``ROLES``): *kijker* (reads), *bewerker* of a coalition (actions, parents' signals, meeting records,
self-scan), *coordinator* of a coalition (all a bewerker does, plus plan import and phase), *pharos* (reads all,
compares, portfolio), *beheerder* (everything: backup, restore, figures import, new coalitions, users).
A grant is ``(role, coalition_id)``; the coalition is ``None`` for kijker, pharos and beheerder.

Every write command in the package takes the ``Person`` who does it and calls ``require(person, permission,
coalition_id)`` before it changes anything; a refusal is ``NotAllowed`` (a Dutch ``UserError``). Pages only
hide what ``can`` says the package would refuse anyway.

Three kinds of person:
- a signed-in person (``web`` builds it from the sign-in and the role assignments in the database);
- ``local_person()``: the app without sign-in, bound to this computer for one person, who may do everything;
- ``operator()``: the command line, run by whoever can read and write the database file anyway.

Role assignments are data (``assignments``): the table ``role_assignments`` (schema 5), the config seed
``access.beheerders`` for the first beheerder(s), and ``access.standaardrol`` for a signed-in person without any
grant. ``person_for`` builds the signed-in ``Person``; ``assign``/``revoke`` change grants (permission "users");
``python -m kansrijke rol`` does the same from the command line as ``operator()``.

Modules: ``roles`` (roles, permissions, ``Person``, ``can``/``require``), ``assignments`` (the grants in the
database, SQL in ``access/sql``).
"""

from kansrijke.access.assignments import (
    AssignmentError,
    assign,
    assignment_rows,
    assignments,
    normalise_identity,
    normalise_role,
    person_for,
    revoke,
)
from kansrijke.access.roles import (
    BEHEERDER,
    BEWERKER,
    COALITION_ROLES,
    COORDINATOR,
    KIJKER,
    PERMISSIONS,
    PHAROS,
    ROLES,
    NotAllowed,
    Person,
    can,
    local_person,
    operator,
    require,
    require_somewhere,
    with_typed_name,
)

__all__ = [
    "AssignmentError",
    "BEHEERDER",
    "BEWERKER",
    "COALITION_ROLES",
    "COORDINATOR",
    "KIJKER",
    "PERMISSIONS",
    "PHAROS",
    "ROLES",
    "NotAllowed",
    "Person",
    "assign",
    "assignment_rows",
    "assignments",
    "can",
    "local_person",
    "normalise_identity",
    "normalise_role",
    "operator",
    "person_for",
    "require",
    "require_somewhere",
    "revoke",
    "with_typed_name",
]
