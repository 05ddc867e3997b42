"""`python -m kansrijke rol lijst|toekennen|intrekken`: roles from the command line, as the operator (beheerder),
with Dutch text, JSON on request, and the package's own refusals (exit code 2, one Dutch sentence, no traceback).
In this process through the ``cli`` fixture, on a copy of the demo database."""

from __future__ import annotations

import getpass
import json

from kansrijke import access
from kansrijke.core.config import get_config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

AMSTERDAM = "KS-GM0363"


def listed(cli, db) -> list[dict]:
    proc = cli("rol", "lijst", "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_an_empty_list_says_what_happens_without_a_role(cli, demo_copy):
    proc = cli("rol", "lijst", db=demo_copy)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == t("access.cli_none", role="kijker")
    assert listed(cli, demo_copy) == []


def test_grant_list_and_revoke(cli, demo_copy):
    proc = cli("rol", "toekennen", "Bo@Example.nl", "bewerker", "--coalitie", AMSTERDAM, db=demo_copy)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "bo@example.nl is nu bewerker voor coalitie KS-GM0363."
    again = cli("rol", "toekennen", "bo@example.nl", "bewerker", "--coalitie", AMSTERDAM, "--json", db=demo_copy)
    assert again.returncode == 0
    assert json.loads(again.stdout) == {
        "email": "bo@example.nl",
        "rol": "bewerker",
        "coalitie": AMSTERDAM,
        "resultaat": "al_toegekend",
    }
    assert cli("rol", "toekennen", "bea@example.nl", "beheerder", db=demo_copy).returncode == 0

    (bea, bo) = listed(cli, demo_copy)
    assert bo["email"] == "bo@example.nl" and bo["rol"] == "bewerker" and bo["coalitie"] == AMSTERDAM
    assert bo["coalitienaam"] == "Coalitie Kansrijke Start Amsterdam"
    assert bo["toegekend_door"] == f"cli:{getpass.getuser()}" and bo["toegekend_op"]
    assert bea["rol"] == "beheerder" and bea["coalitie"] is None
    text = cli("rol", "lijst", db=demo_copy).stdout
    assert "bo@example.nl: bewerker voor coalitie KS-GM0363 (toegekend door cli:" in text

    # what the command granted is what the signed-in person gets
    Store.close_all()
    person = access.person_for(Store.open(demo_copy, read_only=True), get_config(), "BO@example.nl", "Bo")
    assert set(person.grants) == {(access.BEWERKER, AMSTERDAM)}
    Store.close_all()

    gone = cli("rol", "intrekken", "bo@example.nl", "bewerker", "--coalitie", AMSTERDAM, db=demo_copy)
    assert (
        gone.returncode == 0 and gone.stdout.strip() == "bo@example.nl is niet langer bewerker voor coalitie KS-GM0363."
    )
    assert [row["email"] for row in listed(cli, demo_copy)] == ["bea@example.nl"]


def test_refusals_are_one_dutch_sentence_with_exit_code_2(cli, demo_copy):
    cases = {
        ("toekennen", "bo@example.nl", "bewerker"): t("access.error.coalition_needed", role="bewerker"),
        ("toekennen", "bo@example.nl", "kijker", "--coalitie", AMSTERDAM): t(
            "access.error.no_coalition", role="kijker"
        ),
        ("toekennen", "bo@example.nl", "coordinator", "--coalitie", "KS-GM9999"): t(
            "access.error.coalition_unknown", id="KS-GM9999"
        ),
        ("toekennen", "bo@example.nl", "admin"): t(
            "access.error.role", value="admin", roles="kijker, bewerker, coordinator, pharos, beheerder"
        ),
        ("toekennen", "bo@example.nl"): t("access.cli_usage", action="toekennen"),
        ("intrekken", "bo@example.nl", "pharos"): t(
            "access.error.not_granted", email="bo@example.nl", role="Pharos", where=""
        ),
    }
    for args, message in cases.items():
        proc = cli("rol", *args, db=demo_copy)
        assert proc.returncode == 2, args
        assert proc.stderr.strip() == message and "Traceback" not in proc.stderr
        assert proc.stdout == ""
    assert listed(cli, demo_copy) == []  # nothing was written


def test_the_last_beheerder_stays(cli, demo_copy):
    assert cli("rol", "toekennen", "bea@example.nl", "beheerder", db=demo_copy).returncode == 0
    proc = cli("rol", "intrekken", "bea@example.nl", "beheerder", db=demo_copy)
    assert proc.returncode == 2 and proc.stderr.strip() == t("access.error.last_beheerder", email="bea@example.nl")
    assert [row["email"] for row in listed(cli, demo_copy)] == ["bea@example.nl"]


def test_help_is_dutch_and_an_unknown_action_is_a_usage_error(cli, demo_copy):
    helped = cli("rol", "--help", db=demo_copy)
    assert helped.returncode == 0
    assert "Rollen beheren: wie mag wat." in " ".join(helped.stdout.split())
    assert "--coalitie ID" in helped.stdout and "lijst, toekennen of intrekken" in helped.stdout
    wrong = cli("rol", "wissen", db=demo_copy)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
