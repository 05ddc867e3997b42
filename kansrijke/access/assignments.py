"""Role assignments are data: who has which role, for which coalition (table ``role_assignments``, schema 5).

- ``person_for(store, config, identity, name) -> Person``: the signed-in person with their grants. Grants come
  from the table (a grant for a coalition that no longer exists grants nothing), plus *beheerder* when the
  e-mail address is in the config seed ``access.beheerders`` (how the first beheerder comes to be; a restore
  cannot take it away). A person without any grant gets ``access.standaardrol`` (default *kijker*; ``null``: no
  role at all, so they can read nothing and the app says to ask the beheerder).
- ``assign(store, by, identity, role, coalition_id=None) -> bool`` and ``revoke(store, by, identity, role,
  coalition_id=None, config=None)``: change grants; ``by`` needs the permission "users". They check everything
  first and refuse with Dutch messages (``AssignmentError``): a known role; a coalition role (bewerker,
  coordinator) names an existing coalition, the other roles none; an e-mail address. Revoking the last beheerder
  is refused (with ``config``, the seed counts as a beheerder who stays). ``assign`` returns False when the grant
  was already there (nothing written).
- ``assignments(store, config=None) -> DataFrame``: every grant for people (Dutch column names); with ``config``
  also the seeded beheerders. ``assignment_rows`` is the same with plain column names (the CLI's JSON).

Identities are e-mail addresses, compared in lower case (what the sign-in gives is normalised the same way).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from kansrijke.access.roles import BEHEERDER, COALITION_ROLES, ROLES, Person, require
from kansrijke.core import fmt
from kansrijke.core.config import Config
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

MAX_IDENTITY = 254  # the longest e-mail address
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
SEED = "config.yaml"  # ``granted_by`` of a beheerder from the config seed (only in listings, never stored)
ROW_COLUMNS = ("identity", "role", "coalition_id", "coalition_name", "granted_by", "granted_at")


class AssignmentError(UserError):
    """A grant that cannot be given or taken back; ``messages`` says every problem in Dutch. Nothing changed."""


def normalise_identity(identity: object) -> str:
    """An e-mail address as it is compared and stored: without spaces around it, lower case."""
    return " ".join(str(identity or "").split()).lower()


def normalise_role(role: object) -> str:
    """A role as typed (``Coördinator``) as it is stored (``coordinator``)."""
    return " ".join(str(role or "").split()).lower().replace("ö", "o")


def _coalition(coalition_id: object) -> str | None:
    text = str(coalition_id).strip() if coalition_id is not None else ""
    return text or None


def _seeds(config: Config | None) -> list[str]:
    return list(config.access.beheerders) if config is not None else []


# -- the signed-in person ---------------------------------------------------------------------------------------
def person_for(store: Store, config: Config, identity: str | None, name: str | None) -> Person:
    """The signed-in person ``identity`` (their e-mail address) with their grants (see the module docstring)."""
    ident = normalise_identity(identity)
    shown = " ".join(str(name or "").split()) or ident
    if not ident:  # a sign-in without an e-mail address cannot be matched to any grant
        return Person(ident, shown, frozenset(), signed_in=True)
    rows = store.query("access_grants_of", {"identity": ident})
    grants = {(str(r), None if pd.isna(c) else str(c)) for r, c in zip(rows["role"], rows["coalition_id"], strict=True)}
    if ident in _seeds(config):
        grants.add((BEHEERDER, None))
    if not grants and config.access.standaardrol:
        grants.add((config.access.standaardrol, None))
    return Person(ident, shown, frozenset(grants), signed_in=True)


# -- changing grants ----------------------------------------------------------------------------------------------
def _checked(store: Store, identity: object, role: object, coalition_id: object) -> tuple[str, str, str | None]:
    """The grant normalised, or AssignmentError with every problem."""
    ident, role, coalition = normalise_identity(identity), normalise_role(role), _coalition(coalition_id)
    problems = []
    if not _EMAIL.fullmatch(ident) or len(ident) > MAX_IDENTITY:
        problems.append(t("access.error.email", value=ident[:80]))
    if role not in ROLES:
        problems.append(t("access.error.role", value=role, roles=", ".join(ROLES)))
    elif role in COALITION_ROLES:
        if coalition is None:
            problems.append(t("access.error.coalition_needed", role=t(f"access.role.{role}")))
        elif not store.scalar("access_coalition_exists", {"coalition_id": coalition}):
            problems.append(t("access.error.coalition_unknown", id=coalition))
    elif coalition is not None:
        problems.append(t("access.error.no_coalition", role=t(f"access.role.{role}")))
    if problems:
        raise AssignmentError(problems)
    return ident, role, coalition


def _params(ident: str, role: str, coalition: str | None) -> dict:
    return {"identity": ident, "role": role, "coalition_id": coalition}


def assign(store: Store, by: Person | None, identity: str, role: str, coalition_id: str | None = None) -> bool:
    """Grant ``role`` (for ``coalition_id`` when it is a coalition role) to ``identity``; True when it is new."""
    require(by, "users")
    ident, role, coalition = _checked(store, identity, role, coalition_id)
    if store.scalar("access_assignment_exists", _params(ident, role, coalition)):
        return False
    with store.write() as w:
        w.run(
            "access_assign_insert",
            {**_params(ident, role, coalition), "granted_by": by.identity, "granted_at": dt.datetime.now()},
        )
    return True


def revoke(
    store: Store,
    by: Person | None,
    identity: str,
    role: str,
    coalition_id: str | None = None,
    config: Config | None = None,
) -> None:
    """Take back one grant. Refused when it is not there, when it comes from the config seed, and when it would
    leave no beheerder (the seed of ``config`` counts as one who stays)."""
    require(by, "users")
    ident, role, coalition = normalise_identity(identity), normalise_role(role), _coalition(coalition_id)
    if role not in ROLES:
        raise AssignmentError(t("access.error.role", value=role, roles=", ".join(ROLES)))
    params = _params(ident, role, coalition)
    where = t("access.for_coalition", id=coalition) if coalition else ""
    with store.write() as w:  # checked under the write lock: two beheerders cannot revoke each other at once
        if not store.scalar("access_assignment_exists", params):
            if role == BEHEERDER and ident in _seeds(config):
                raise AssignmentError(t("access.error.seeded", email=ident))
            shown = t(f"access.role.{role}")
            raise AssignmentError(t("access.error.not_granted", email=ident, role=shown, where=where))
        if role == BEHEERDER:
            stay = set(store.query("access_beheerders")["identity"]) - {ident} | set(_seeds(config))
            if not stay:
                raise AssignmentError(t("access.error.last_beheerder", email=ident))
        w.run("access_revoke_delete", params)


# -- listing ---------------------------------------------------------------------------------------------------------
def assignment_rows(store: Store, config: Config | None = None) -> pd.DataFrame:
    """Every grant: identity, role, coalition_id, coalition_name, granted_by, granted_at (``SEED`` as granted_by
    and no date for a beheerder from the config seed, when ``config`` is given)."""
    rows = store.query("access_assignments")
    seeded = [s for s in _seeds(config) if not ((rows["identity"] == s) & (rows["role"] == BEHEERDER)).any()]
    if seeded:
        extra = pd.DataFrame({"identity": seeded, "role": BEHEERDER, "granted_by": SEED})
        rows = pd.concat([rows, extra], ignore_index=True).sort_values(["identity", "role"], kind="stable")
    return rows.reindex(columns=list(ROW_COLUMNS)).reset_index(drop=True)


def _coalition_label(coalition_id: object, name: object) -> str:
    if coalition_id is None or pd.isna(coalition_id):
        return "–"
    if name is None or pd.isna(name):
        return t("access.coalition_gone", id=coalition_id)
    return f"{name} ({coalition_id})"


def assignments(store: Store, config: Config | None = None) -> pd.DataFrame:
    """Every grant for people: e-mail, role, coalition, granted by, granted on (Dutch column names)."""
    rows = assignment_rows(store, config)
    return pd.DataFrame(
        {
            t("access.col.identity"): rows["identity"].to_numpy(),
            t("access.col.role"): [t(f"access.role.{r}") for r in rows["role"]],
            t("access.col.coalition"): [
                _coalition_label(c, n) for c, n in zip(rows["coalition_id"], rows["coalition_name"], strict=True)
            ],
            t("access.col.granted_by"): rows["granted_by"].fillna("–").to_numpy(),
            t("access.col.granted_at"): [fmt.moment(v) for v in rows["granted_at"]],
        },
        columns=[t(f"access.col.{c}") for c in ("identity", "role", "coalition", "granted_by", "granted_at")],
    )
