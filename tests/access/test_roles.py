"""Who may do what, command by command: every write command of the package run by every kind of person.

The people: a kijker, a bewerker of Amsterdam's coalition, a bewerker of another coalition (Utrecht), the
coordinator of Amsterdam's coalition, Pharos, a beheerder, and nobody signed in (None). Every command acts on
Amsterdam's coalition. What is allowed changes the database as the command says; what is refused raises
``access.NotAllowed`` with a Dutch message that names the person, and leaves every table exactly as it was.
Everything is checked on a real database file (a small own database: reference facts, two coalitions, an action,
a meeting, a signal and figures for Amsterdam), never on mocks.

The expected matrix is written out below from the issue (not computed from ``access.PERMISSIONS``), so a change
of the rules shows up here as a failing row.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from kansrijke import access, actions, meeting, selfscan, signals
from kansrijke.core.store import Store
from kansrijke.dataio import backup, importer, start
from kansrijke.dataio.ingest.common import Upload
from kansrijke.dataio.ingest.indicators import export_indicators
from kansrijke.dataio.ingest.plan import BIJWERKEN
from kansrijke.plan import create

AMSTERDAM, UTRECHT = "KS-GM0363", "KS-GM0344"
AMBITION = f"{AMSTERDAM}-A1"
TODAY = dt.date(2024, 11, 1)
OPERATOR = access.operator()


def signed_in(identity: str, name: str, *grants: tuple[str, str | None]) -> access.Person:
    return access.Person(identity, name, frozenset(grants), signed_in=True)


PEOPLE: dict[str, access.Person | None] = {
    "kijker": signed_in("kim@example.nl", "Kim Kijker", (access.KIJKER, None)),
    "bewerker": signed_in("bo@example.nl", "Bo Bewerker", (access.BEWERKER, AMSTERDAM)),
    "bewerker_elders": signed_in("ben@example.nl", "Ben Bewerker", (access.BEWERKER, UTRECHT)),
    "coordinator": signed_in("cor@example.nl", "Cor Coördinator", (access.COORDINATOR, AMSTERDAM)),
    "pharos": signed_in("pia@example.nl", "Pia Pharos", (access.PHAROS, None)),
    "beheerder": signed_in("bea@example.nl", "Bea Beheerder", (access.BEHEERDER, None)),
    "niet_aangemeld": None,
}
# The issue's roles: a bewerker of a coalition records its work; its coordinator also imports its plan and sets its
# phase; the beheerder does everything, including what concerns all coalitions. Kijker and Pharos only read.
COALITION_WORK = frozenset({"bewerker", "coordinator", "beheerder"})
COORDINATION = frozenset({"coordinator", "beheerder"})
ADMINISTRATION = frozenset({"beheerder"})


# -- the database every test starts from ---------------------------------------------------------------------------
def plan_yaml(coalition_id: str, code: str, name: str, title: str = "Een gezonde start", actions_: str = "") -> bytes:
    """A small plan: one ambition, one goal without indicator, and the actions given (YAML list items)."""
    return (
        f"coalitie: {{coalitie_id: {coalition_id}, naam: {name}, fase: 3, startdatum: 2022-01-01, gemeenten: {code}}}\n"
        f"ambities:\n  - {{ambitie_id: A1, titel: {title}, horizonjaar: 2030}}\n"
        "doelen:\n  - {doel_id: D1, ambitie_id: A1, titel: Ouders vinden de weg, streefjaar: 2030}\n"
        "resultaten: []\n"
        f"acties: {'[]' if not actions_ else chr(10) + actions_}\n"
    ).encode()


EXTRA_ACTION = "  - {datum: 2024-09-01, titel: Ouderpanel gestart, status: afgerond, doel_id: D1}\n"


def figures(periods: list[int], value: float = 7.0) -> bytes:
    rows = pd.DataFrame(
        {
            "municipality_code": "GM0363",
            "indicator_id": "vroeggeboorte",
            "period": periods,
            "value": value,
            "numerator": None,
            "denominator": None,
            "source": "Perined",
            "reference_date": None,
            "data_status": "definitief",
        }
    )
    return export_indicators(rows)


def imported(store: Store, config, name: str, data: bytes, person=OPERATOR) -> int | None:
    prepared = importer.prepare(store, config, Upload(name, data), BIJWERKEN)
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    return importer.apply(store, prepared, person)


@dataclass(frozen=True)
class Template:
    path: Path
    action_id: int
    meeting_id: int
    signal_id: int


@pytest.fixture(scope="module")
def template(tmp_path_factory, config) -> Template:
    folder = tmp_path_factory.mktemp("rollen")
    with pytest.MonkeyPatch.context() as m:
        m.setenv("KANSRIJKE_DB", str(folder / "kansrijke.duckdb"))
        m.setenv("KANSRIJKE_DEMO_DB", str(folder / "demo.duckdb"))
        Store.close_all()
        path = start.create_own_database(config, OPERATOR)
    store = Store.open(path)
    imported(store, config, "cijfers.csv", figures([2020, 2021, 2022]))
    imported(store, config, "amsterdam.yaml", plan_yaml(AMSTERDAM, "GM0363", "Coalitie Amsterdam"))
    imported(store, config, "utrecht.yaml", plan_yaml(UTRECHT, "GM0344", "Coalitie Utrecht"))
    action_id = actions.create_action(
        store, AMSTERDAM, {"action_date": dt.date(2024, 3, 1), "title": "Spiegelgesprek met ouders"}, OPERATOR
    )
    meeting_id = meeting.start_meeting(store, AMSTERDAM, dt.datetime(2024, 5, 1, 14), OPERATOR)
    meeting.record_decision(store, meeting_id, "We kiezen één zorgpad", OPERATOR)
    signal_id = signals.add_signal(
        store, AMSTERDAM, {"kind": "citaat", "text": "Fijn dat jullie luisteren.", "ambition_id": AMBITION}, OPERATOR
    )
    Store.close_all()
    return Template(path, action_id, meeting_id, signal_id)


@dataclass
class Case:
    """One test's own copy of the template, and what the command needs."""

    store: Store
    path: Path
    config: object
    template: Template
    tmp_path: Path
    monkeypatch: pytest.MonkeyPatch

    def table(self, name: str) -> pd.DataFrame:
        return Store.open(self.path).table(name)


def snapshot(path: Path) -> dict[str, pd.DataFrame]:
    store = Store.open(path)
    return {name: store.table(name) for name in store.tables()}


def same(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    assert sorted(before) == sorted(after)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


# -- the commands ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Command:
    name: str
    allowed: frozenset[str]
    run: Callable[[Case, access.Person | None], object]  # the command, as the person
    done: Callable[[Case, object], None]  # asserts the change it made (allowed)
    setup: Callable[[Case], None] | None = None  # what the beheerder did before (not part of the check)
    writes_here: bool = True  # False: a backup only reads, a new own database is another file


def check(ok: bool) -> None:
    assert ok


def action_row(case: Case, action_id: int) -> dict | None:
    return actions.get_action(case.store, action_id)


def items(case: Case) -> pd.DataFrame:
    return meeting.meeting_items(Store.open(case.path), case.template.meeting_id)


def phase(case: Case) -> int:
    coalitions = case.table("coalitions").set_index("id")
    return int(coalitions.at[AMSTERDAM, "phase"])


def ambition_title(case: Case) -> str:
    return str(case.table("ambitions").set_index("id").at[AMBITION, "title"])


def has_2023(case: Case) -> bool:
    values = case.table("indicator_values")
    return bool((values["period"] == 2023).any())


def change_plan(case: Case) -> None:
    plan = plan_yaml(AMSTERDAM, "GM0363", "Coalitie Amsterdam", title="Elk kind een kansrijke start")
    imported(case.store, case.config, "amsterdam-nieuw.yaml", plan)


def restore_setup(case: Case) -> None:
    case.backup = backup.backup_zip(case.store, OPERATOR)  # what is restored ...
    actions.create_action(case.store, AMSTERDAM, {"action_date": TODAY, "title": "Na de reservekopie"}, OPERATOR)


def own_database_setup(case: Case) -> None:
    case.own = case.tmp_path / "eigen" / "kansrijke.duckdb"
    case.monkeypatch.setenv("KANSRIJKE_DB", str(case.own))
    case.monkeypatch.setenv("KANSRIJKE_DEMO_DB", str(case.tmp_path / "eigen" / "demo.duckdb"))


def restored_done(case: Case, _: object) -> None:
    titles = set(case.table("actions")["title"])
    assert "Na de reservekopie" not in titles and "Spiegelgesprek met ouders" in titles


COMMANDS = [
    Command(
        "create_action",
        COALITION_WORK,
        lambda c, p: actions.create_action(c.store, AMSTERDAM, {"action_date": TODAY, "title": "Inloopochtend"}, p),
        lambda c, new_id: check(action_row(c, new_id)["title"] == "Inloopochtend"),
    ),
    Command(
        "update_action",
        COALITION_WORK,
        lambda c, p: actions.update_action(c.store, c.template.action_id, 1, {"title": "Spiegelgesprek met vaders"}, p),
        lambda c, _: check(action_row(c, c.template.action_id)["title"] == "Spiegelgesprek met vaders"),
    ),
    Command(
        "close_action",
        COALITION_WORK,
        lambda c, p: actions.close_action(c.store, c.template.action_id, 1, p),
        lambda c, _: check(action_row(c, c.template.action_id)["status"] == "afgerond"),
    ),
    Command(
        "delete_action",
        COALITION_WORK,
        lambda c, p: actions.delete_action(c.store, c.template.action_id, 1, p),
        lambda c, _: check(action_row(c, c.template.action_id) is None),
    ),
    Command(
        "start_meeting",
        COALITION_WORK,
        lambda c, p: meeting.start_meeting(c.store, AMSTERDAM, dt.datetime(2024, 11, 1, 14), p),
        lambda c, new_id: check(new_id in set(c.table("meetings")["id"])),
    ),
    Command(
        "record_decision",
        COALITION_WORK,
        lambda c, p: meeting.record_decision(c.store, c.template.meeting_id, "De folder wordt vertaald", p),
        lambda c, _: check(list(items(c)["text"]) == ["We kiezen één zorgpad", "De folder wordt vertaald"]),
    ),
    Command(
        "record_action",
        COALITION_WORK,
        lambda c, p: meeting.record_action(
            c.store, AMSTERDAM, c.template.meeting_id, {"action_date": TODAY, "title": "Flyer maken"}, p
        ),
        lambda c, made: check(action_row(c, made[0])["title"] == "Flyer maken" and len(items(c)) == 2),
    ),
    Command(
        "undo_item",
        COALITION_WORK,
        lambda c, p: meeting.undo_item(c.store, c.template.meeting_id, 1, p),
        lambda c, _: check(items(c).empty),
    ),
    Command(
        "end_meeting",
        COALITION_WORK,
        lambda c, p: meeting.end_meeting(
            c.store, c.template.meeting_id, dt.datetime(2024, 5, 1, 15, 30), ["Ambities en hun status"], p
        ),
        lambda c, _: check(not pd.isna(c.table("meetings").set_index("id").at[c.template.meeting_id, "ended_at"])),
    ),
    Command(
        "add_signal",
        COALITION_WORK,
        lambda c, p: signals.add_signal(
            c.store, AMSTERDAM, {"kind": "signaal", "text": "Het spreekuur is te vroeg.", "ambition_id": AMBITION}, p
        ),
        lambda c, new_id: check(new_id in set(c.table("parent_signals")["id"])),
    ),
    Command(
        "delete_signal",
        COALITION_WORK,
        lambda c, p: signals.delete_signal(c.store, AMSTERDAM, c.template.signal_id, p),
        lambda c, _: check(c.template.signal_id not in set(c.table("parent_signals")["id"])),
    ),
    Command(
        "save_scan",
        COALITION_WORK,
        lambda c, p: selfscan.save_scan(c.store, AMSTERDAM, TODAY, "Kernteam", {"basis_1": 2}, today=TODAY, person=p),
        lambda c, scan_id: check(scan_id in set(c.table("self_assessments")["id"]) and phase(c) == 3),
    ),
    Command(
        "save_scan_met_fase",
        COORDINATION,
        lambda c, p: selfscan.save_scan(
            c.store, AMSTERDAM, TODAY, "Kernteam", {"basis_1": 3}, phase=4, today=TODAY, person=p
        ),
        lambda c, _: check(phase(c) == 4),
    ),
    Command(
        "set_phase",
        COORDINATION,
        lambda c, p: selfscan.set_phase(c.store, AMSTERDAM, 4, TODAY, "Uitvoering begonnen", today=TODAY, person=p),
        lambda c, _: check(phase(c) == 4),
    ),
    Command(
        "create_coalition",
        ADMINISTRATION,
        lambda c, p: create.create_coalition(c.store, "Coalitie Groningen", ["GM0014"], TODAY, p),
        lambda c, new_id: check(new_id in set(c.table("coalitions")["id"])),
    ),
    Command(
        "import_plan",
        COORDINATION,
        lambda c, p: change_plan_as(c, p),
        lambda c, _: check(ambition_title(c) == "Elk kind een kansrijke start"),
    ),
    Command(
        "import_alleen_acties",
        COALITION_WORK,
        lambda c, p: imported(
            c.store,
            c.config,
            "acties.yaml",
            plan_yaml(AMSTERDAM, "GM0363", "Coalitie Amsterdam", actions_=EXTRA_ACTION),
            person=p,
        ),
        lambda c, _: check("Ouderpanel gestart" in set(c.table("actions")["title"])),
    ),
    Command(
        "import_cijfers",
        ADMINISTRATION,
        lambda c, p: imported(c.store, c.config, "cijfers-2023.csv", figures([2023]), person=p),
        lambda c, _: check(has_2023(c)),
    ),
    Command(
        "undo_plan",
        COORDINATION,
        lambda c, p: importer.undo_last(c.store, p),
        lambda c, _: check(ambition_title(c) == "Een gezonde start"),
        setup=change_plan,
    ),
    Command(
        "undo_cijfers",
        ADMINISTRATION,
        lambda c, p: importer.undo_last(c.store, p),
        lambda c, _: check(not has_2023(c)),
        setup=lambda c: imported(c.store, c.config, "cijfers-2023.csv", figures([2023])),
    ),
    Command(
        "backup",
        ADMINISTRATION,
        lambda c, p: backup.backup_zip(c.store, p),
        lambda c, data: check("manifest.json" in zipfile.ZipFile(io.BytesIO(data)).namelist()),
        writes_here=False,
    ),
    Command(
        "restore",
        ADMINISTRATION,
        lambda c, p: backup.restore_zip(c.path, c.backup, p),
        restored_done,
        setup=restore_setup,
    ),
    Command(
        "create_own_database",
        ADMINISTRATION,
        lambda c, p: start.create_own_database(c.config, p),
        lambda c, made: check(made == c.own.resolve() and c.own.exists()),
        setup=own_database_setup,
        writes_here=False,
    ),
]


def change_plan_as(case: Case, person: access.Person | None) -> None:
    plan = plan_yaml(AMSTERDAM, "GM0363", "Coalitie Amsterdam", title="Elk kind een kansrijke start")
    imported(case.store, case.config, "amsterdam-nieuw.yaml", plan, person=person)


@pytest.fixture
def case(template, config, tmp_path, monkeypatch) -> Case:
    Store.close_all()
    path = tmp_path / "kansrijke.duckdb"
    shutil.copy(template.path, path)
    yield Case(Store.open(path), path, config, template, tmp_path, monkeypatch)
    Store.close_all()


# -- the matrix -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", list(PEOPLE))
@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_every_write_command_for_every_role(case, command, role):
    person = PEOPLE[role]
    if command.setup is not None:
        command.setup(case)
    before = snapshot(case.path)
    if role in command.allowed:
        outcome = command.run(case, person)
        command.done(case, outcome)
        if command.writes_here:  # a new data version: every cache sees the change
            assert Store.open(case.path).data_version() > int(
                before["meta"].set_index("key").at["data_version", "value"]
            )
        return
    with pytest.raises(access.NotAllowed) as refused:
        command.run(case, person)
    message = str(refused.value)
    if person is None:
        assert message == "U bent niet aangemeld. Meld u aan om dit te doen."
    else:
        assert message.startswith(f"{person.name} mag dit niet: ") and "Vraag de beheerder" in message
    same(before, snapshot(case.path))  # nothing changed, not even the data version
    if command.name == "create_own_database":
        assert not case.own.exists()


def test_the_matrix_covers_every_role_and_the_issue_s_roles_exactly():
    assert set(PEOPLE) == {
        "kijker",
        "bewerker",
        "bewerker_elders",
        "coordinator",
        "pharos",
        "beheerder",
        "niet_aangemeld",
    }
    # nobody but the people with a role for Amsterdam's coalition (or the beheerder) ever writes to it
    for command in COMMANDS:
        assert command.allowed <= COALITION_WORK
        assert {"kijker", "pharos", "bewerker_elders", "niet_aangemeld"}.isdisjoint(command.allowed)


def test_a_refusal_says_what_and_which_role_in_dutch(case):
    with pytest.raises(access.NotAllowed) as refused:
        actions.create_action(case.store, AMSTERDAM, {"action_date": TODAY, "title": "X"}, PEOPLE["bewerker_elders"])
    assert str(refused.value) == (
        "Ben Bewerker mag dit niet: acties vastleggen of wijzigen voor deze coalitie. Uw rol: bewerker. "
        "Vraag de beheerder van de monitor om een andere rol."
    )
    assert refused.value.kind == "forbidden"


def test_a_bewerker_cannot_reach_another_coalition_s_action_through_its_id(case):
    """The coalition comes from the stored action, not from what the caller says."""
    utrecht = actions.create_action(case.store, UTRECHT, {"action_date": TODAY, "title": "Van Utrecht"}, OPERATOR)
    before = snapshot(case.path)
    for change in (
        lambda p: actions.update_action(case.store, utrecht, 1, {"title": "Overgenomen"}, p),
        lambda p: actions.close_action(case.store, utrecht, 1, p),
        lambda p: actions.delete_action(case.store, utrecht, 1, p),
        lambda p: signals.delete_signal(case.store, UTRECHT, case.template.signal_id, p),
    ):
        with pytest.raises(access.NotAllowed):
            change(PEOPLE["bewerker"])
    same(before, snapshot(case.path))


def test_an_action_removed_meanwhile_tells_a_bewerker_who_removed_it_and_refuses_a_kijker(case):
    actions.delete_action(case.store, case.template.action_id, 1, PEOPLE["coordinator"])
    with pytest.raises(actions.StaleEdit, match="verwijderd door cor@example.nl"):
        actions.update_action(case.store, case.template.action_id, 1, {"title": "Toch"}, PEOPLE["bewerker"])
    with pytest.raises(access.NotAllowed):
        actions.update_action(case.store, case.template.action_id, 1, {"title": "Toch"}, PEOPLE["kijker"])


def test_audit_rows_and_the_import_log_carry_the_identity(case):
    action_id = actions.create_action(case.store, AMSTERDAM, {"action_date": TODAY, "title": "Wie"}, PEOPLE["bewerker"])
    trail = case.table("action_audit")
    assert list(trail[trail["action_id"] == action_id]["changed_by"]) == ["bo@example.nl"]
    signal_id = signals.add_signal(
        case.store, AMSTERDAM, {"kind": "citaat", "text": "Goed geregeld.", "ambition_id": AMBITION}, PEOPLE["bewerker"]
    )
    assert case.table("parent_signals").set_index("id").at[signal_id, "recorded_by"] == "bo@example.nl"
    change_plan_as(case, PEOPLE["coordinator"])
    log = case.table("import_log").sort_values("id")
    assert log.iloc[-1]["imported_by"] == "cor@example.nl"
    assert '"access": {"permission": "plan", "coalitions": ["KS-GM0363"]}' in log.iloc[-1]["details"]


def test_a_plan_for_a_new_coalition_needs_the_beheerder(case):
    """A coordinator's grant names an existing coalition, so only a beheerder can bring in a new one."""
    new_plan = plan_yaml("KS-GM0014", "GM0014", "Coalitie Groningen")
    with pytest.raises(access.NotAllowed):
        imported(case.store, case.config, "groningen.yaml", new_plan, person=PEOPLE["coordinator"])
    imported(case.store, case.config, "groningen.yaml", new_plan, person=PEOPLE["beheerder"])
    assert "KS-GM0014" in set(case.table("coalitions")["id"])
