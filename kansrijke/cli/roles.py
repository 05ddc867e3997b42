"""``python -m kansrijke rol``: who may do what, from the command line.

    python -m kansrijke rol lijst [--json]
    python -m kansrijke rol toekennen <e-mail> <rol> [--coalitie ID] [--json]
    python -m kansrijke rol intrekken <e-mail> <rol> [--coalitie ID] [--json]

Roles: kijker, bewerker (per coalition), coordinator (per coalition), pharos, beheerder. The command acts as
``access.operator()`` (whoever runs it can write the database file anyway) through ``access.assign`` and
``access.revoke``, so it refuses what they refuse (unknown role, a coalition role without an existing coalition,
the last beheerder) with the same Dutch messages. ``lijst`` also shows the beheerders of the config seed
(``access.beheerders``). Exit codes: 0 done (also "was already"), 2 refused or usage problem (one Dutch
sentence on stderr).
"""

from __future__ import annotations

import argparse
import json

import pandas as pd

from kansrijke import access
from kansrijke.core import fmt
from kansrijke.core.config import get_config
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

ACTIONS = ("lijst", "toekennen", "intrekken")


class _Usage(UserError):
    """``rol`` cannot run as given (no e-mail address or role)."""


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``rol`` command on the CLI's subparsers."""
    p = subparsers.add_parser("rol", help=t("access.cli_help"), description=t("access.cli_help"))
    p.add_argument("actie", choices=ACTIONS, metavar="ACTIE", help=t("access.cli_action_help"))
    p.add_argument("email", nargs="?", metavar="E-MAIL", help=t("access.cli_email_help"))
    p.add_argument("rol", nargs="?", metavar="ROL", help=t("access.cli_role_help"))
    p.add_argument("--coalitie", metavar="ID", help=t("access.cli_coalition_help"))
    p.add_argument("--json", action="store_true", help=t("cli.json_help"))
    return p


def _where(coalition: str | None) -> str:
    return t("access.for_coalition", id=coalition) if coalition else ""


def _plain(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _list(store: Store, config, as_json: bool) -> int:
    rows = access.assignment_rows(store, config)
    if as_json:
        items = [
            {
                "email": r.identity,
                "rol": r.role,
                "coalitie": _plain(r.coalition_id),
                "coalitienaam": _plain(r.coalition_name),
                "toegekend_door": _plain(r.granted_by),
                "toegekend_op": None if pd.isna(r.granted_at) else pd.Timestamp(r.granted_at).isoformat(),
            }
            for r in rows.itertuples(index=False)
        ]
        print(json.dumps(items, indent=2, ensure_ascii=False, default=str))
        return 0
    if rows.empty:
        default = config.access.standaardrol
        print(t("access.cli_none", role=t(f"access.role.{default}") if default else t("access.no_role")))
        return 0
    for r in rows.itertuples(index=False):
        coalition = _plain(r.coalition_id)
        print(
            t(
                "access.cli_line",
                email=r.identity,
                role=t(f"access.role.{r.role}"),
                where=_where(coalition),
                by=_plain(r.granted_by) or "–",
                when=fmt.moment(r.granted_at),
            )
        )
    return 0


def run(args: argparse.Namespace) -> int:
    config = get_config(args.config)
    if args.actie == "lijst":
        return _list(Store.open(config.database_path, read_only=True), config, args.json)
    if not args.email or not args.rol:
        raise _Usage(t("access.cli_usage", action=args.actie))
    store = Store.open(config.database_path)
    operator = access.operator()
    if args.actie == "toekennen":
        new = access.assign(store, operator, args.email, args.rol, args.coalitie)
        outcome = "toegekend" if new else "al_toegekend"
    else:
        access.revoke(store, operator, args.email, args.rol, args.coalitie, config=config)
        outcome = "ingetrokken"
    email = access.normalise_identity(args.email)
    role = access.normalise_role(args.rol)
    coalition = (args.coalitie or "").strip() or None
    if args.json:
        print(
            json.dumps({"email": email, "rol": role, "coalitie": coalition, "resultaat": outcome}, ensure_ascii=False)
        )
        return 0
    key = {
        "toegekend": "access.cli_assigned",
        "al_toegekend": "access.cli_already",
        "ingetrokken": "access.cli_revoked",
    }
    print(t(key[outcome], email=email, role=t(f"access.role.{role}"), where=_where(coalition)))
    return 0
