"""Starting a coalition by hand (``plan/create.py``): written whole in one transaction with its members and
phase history, then found like any coalition; refused with Dutch messages and nothing written otherwise."""

from __future__ import annotations

import datetime as dt

import pytest

from kansrijke import access
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.dataio import start
from kansrijke.plan import create, overview
from kansrijke.selfscan import scan

START = dt.date(2025, 3, 1)
PLAN_TABLES = ("coalitions", "coalition_members", "coalition_phases")
SIGNED_IN = access.Person("a@gemeente.nl", "A. de Vries", frozenset({(access.BEHEERDER, None)}), signed_in=True)


@pytest.fixture
def own(config, tmp_path, monkeypatch) -> Store:
    """An own database as a new user gets it (reference facts only), the demo file beside it not built."""
    monkeypatch.setenv("KANSRIJKE_DB", str(tmp_path / "kansrijke.duckdb"))
    monkeypatch.setenv("KANSRIJKE_DEMO_DB", str(tmp_path / "demo.duckdb"))
    Store.close_all()
    yield Store.open(start.create_own_database(config, access.operator()))
    Store.close_all()


def plan_counts(store: Store) -> dict[str, int]:
    counts = store.table_counts()
    return {table: counts[table] for table in PLAN_TABLES}


def test_a_new_own_database_is_empty_and_a_started_coalition_is_found_by_each_member(own):
    assert create.start_counts(own).empty

    new_id = create.create_coalition(
        own, "  Coalitie Kansrijke Start Zwolle e.o. ", ["GM0193", "GM1896"], START, SIGNED_IN
    )

    assert new_id == "KS-GM0193"  # KS- and the code of the first (leading) member, as the demo names them
    counts = create.start_counts(own)
    assert (counts.coalitions, counts.figures, counts.empty) == (1, 0, False)
    for code in ("GM0193", "GM1896"):
        found = overview.coalition_of(own, code)
        assert found.id == new_id and found.name == "Coalitie Kansrijke Start Zwolle e.o."
        assert found.phase == 1 and found.start_date == START and found.regional
        assert sorted(found.members["name"]) == ["Zwartewaterland", "Zwolle"]
    history = scan.phase_history(own, new_id)
    assert list(history["phase"]) == [1] and list(history["since"].dt.date) == [START]
    assert list(history["note"]) == [t("welcome.phase_note_by", who="a@gemeente.nl")]


def test_a_single_municipality_coalition_without_user_gets_the_plain_note(own):
    new_id = create.create_coalition(own, "Coalitie Kansrijke Start Almere", ["gm0034"], START, access.operator())
    assert new_id == "KS-GM0034" and not overview.coalition_of(own, "GM0034").regional
    assert list(scan.phase_history(own, new_id)["note"]) == [t("welcome.phase_note")]


@pytest.mark.parametrize(
    ("name", "members", "messages", "places"),
    [
        ("", ["GM0363"], [t("welcome.error_name")], ["naam"]),
        ("   ", [], [t("welcome.error_name"), t("welcome.error_members")], ["naam", "gemeenten"]),
        ("x" * 201, ["GM0363"], [t("welcome.error_name_long", max=200, length=201)], ["naam"]),
        ("Coalitie", ["GM9999"], [t("welcome.error_unknown", code="GM9999")], ["gemeenten"]),
    ],
)
def test_bad_input_is_refused_with_every_problem_and_nothing_written(own, name, members, messages, places):
    before = plan_counts(own)
    version = own.data_version()
    with pytest.raises(create.CreateError) as refused:
        create.create_coalition(own, name, members, START, access.operator())
    assert refused.value.messages == messages and refused.value.places == places
    assert plan_counts(own) == before and own.data_version() == version


def test_a_municipality_already_in_a_coalition_is_refused_by_name(own):
    create.create_coalition(own, "Coalitie Kansrijke Start Zwolle", ["GM0193"], START, access.operator())
    before = plan_counts(own)

    with pytest.raises(create.CreateError) as refused:
        create.create_coalition(own, "Regio IJssel-Vecht", ["GM1896", "GM0193"], START, access.operator())

    assert refused.value.messages == [
        t("welcome.error_taken", name="Zwolle", coalition="Coalitie Kansrijke Start Zwolle", id="KS-GM0193")
    ]
    assert plan_counts(own) == before
    assert overview.coalition_of(own, "GM1896") is None  # the other member was not written either


def test_the_demo_file_is_refused_with_the_same_message_as_imports(demo_copy):
    store = Store.open(demo_copy)
    before = plan_counts(store)
    with pytest.raises(create.CreateError) as refused:
        create.create_coalition(store, "Coalitie", ["GM0363"], START, access.operator())
    assert refused.value.messages == [t("own.demo_plan_refused")]
    assert plan_counts(store) == before
    Store.close_all()


def test_an_id_in_use_is_refused_rather_than_overwritten(own_copy):
    """A coalition whose leading municipality left it keeps its id: a new coalition led by that municipality
    would get the same id and is refused (the old one is never overwritten)."""
    store = Store.open(own_copy)
    old = overview.coalition(store, "KS-GM0363")
    with store.write() as w:
        w.delete_keys("coalition_members", old.members[["code"]].rename(columns={"code": "municipality_code"}))
    before = plan_counts(store)
    with pytest.raises(create.CreateError) as refused:
        create.create_coalition(store, "Nieuw", ["GM0363"], START, access.operator())
    assert refused.value.messages == [t("welcome.error_id", id="KS-GM0363")]
    assert plan_counts(store) == before and overview.coalition(store, "KS-GM0363").name == old.name
    Store.close_all()
