"""The action log and the parents' voice as a coalition uses them: create, edit, close and undo actions with
their audit trail; a stale edit refused (also when two threads save at once); filters, exports and where
attention goes; parents' signals with the personal-data guard. On a real demo database copy, no mocks."""

from __future__ import annotations

import datetime as dt
import io
import threading

import openpyxl
import pandas as pd
import pytest

from kansrijke import access, actions, signals
from kansrijke.actions import charts as action_charts
from kansrijke.core.store import Store

COALITION = "KS-GM0363"  # Amsterdam, the demo's showcase coalition
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def store(demo_copy) -> Store:
    s = Store.open(demo_copy)
    yield s
    s.close()


def named(name: str) -> access.Person:
    """Someone without sign-in who typed their name on the page: the audit trail says that name."""
    return access.with_typed_name(access.local_person(), name)


def goal_of(store: Store, coalition_id: str = COALITION) -> str:
    return str(store.query("goals", {"coalition_id": coalition_id})["id"].iloc[0])


def other_coalitions_goal(store: Store) -> str:
    coalitions = store.query("coalitions")
    for cid in coalitions["id"]:
        if cid != COALITION:
            found = store.query("goals", {"coalition_id": cid})
            if len(found):
                return str(found["id"].iloc[0])
    raise AssertionError("demo has no second coalition with goals")


def new_fields(store: Store, **changes) -> dict:
    fields = {
        "action_date": dt.date(2026, 3, 10),
        "title": "Spiegelgesprek met ouders in Noord",
        "description": "Wat hebben ouders nodig rond de bevalling?",
        "owner": "JGZ Amsterdam",
        "status": "gepland",
        "goal_id": goal_of(store),
        "principles": [2, 3],
        "partners": ["jgz", "ouders"],
        "level": "uitvoerend",
    }
    return {**fields, **changes}


def trail_rows(store: Store, action_id: int) -> list[dict]:
    return actions.audit_trail(store, action_id).to_dict("records")


# -- create, edit, close, with the audit trail ----------------------------------------------------------------------
def test_create_edit_close_each_leave_a_readable_audit_row(store, beheerder):
    action_id = actions.create_action(store, COALITION, new_fields(store), named("Anna (JGZ)"))
    stored = actions.get_action(store, action_id)
    assert stored["version"] == 1 and stored["title"] == "Spiegelgesprek met ouders in Noord"
    assert stored["principles"] == [2, 3] and stored["partners"] == ["jgz", "ouders"]
    (created,) = trail_rows(store, action_id)
    assert created["Wie"] == "Anna (JGZ)" and created["Wijziging"] == "aangemaakt" and created["Versie"] == 1
    assert "Titel: Spiegelgesprek met ouders in Noord" in created["Wat is er veranderd"]
    assert "Datum: 10 maart 2026" in created["Wat is er veranderd"]

    version = actions.update_action(
        store, action_id, 1, {"title": "Spiegelgesprek met vaders in Noord", "status": "lopend"}, named("Bram")
    )
    assert version == 2
    changed = trail_rows(store, action_id)[0]
    assert changed["Wie"] == "Bram" and changed["Wijziging"] == "gewijzigd" and changed["Versie"] == 2
    what = changed["Wat is er veranderd"]
    assert "Titel: Spiegelgesprek met ouders in Noord → Spiegelgesprek met vaders in Noord" in what
    assert "Status: gepland → lopend" in what
    assert "Omschrijving" not in what and "Partners" not in what  # only the fields that changed

    assert actions.close_action(store, action_id, 2, beheerder) == 3
    closed = trail_rows(store, action_id)[0]  # a signed-in person: their e-mail address
    assert closed["Wijziging"] == "afgesloten" and closed["Wie"] == "beheerder@example.nl"
    assert closed["Wat is er veranderd"] == "Status: lopend → afgerond"
    assert actions.get_action(store, action_id)["status"] == "afgerond"
    assert [r["Versie"] for r in trail_rows(store, action_id)] == [3, 2, 1]


def test_saving_without_a_change_writes_nothing(store):
    action_id = actions.create_action(store, COALITION, new_fields(store), named("Anna"))
    version = store.data_version()
    assert (
        actions.update_action(store, action_id, 1, {"title": "  Spiegelgesprek met ouders in Noord "}, named("Anna"))
        == 1
    )
    assert len(trail_rows(store, action_id)) == 1 and store.data_version() == version


def test_invalid_input_is_refused_with_every_problem_in_dutch_and_nothing_written(store):
    before = store.table_counts()["actions"]
    with pytest.raises(actions.ActionError) as caught:
        actions.create_action(
            store,
            COALITION,
            new_fields(
                store,
                title="  ",
                status="klaar",
                goal_id=other_coalitions_goal(store),
                principles=[2, 11],
                action_date="10-03-2026",
                level="landelijk",
                description="x" * 2001,
            ),
            named("Anna"),
        )
    text = "\n".join(caught.value.messages)
    assert "Vul een titel in" in text
    assert "Kies een status: gepland, lopend, afgerond of vervallen" in text
    assert "hoort niet bij deze coalitie" in text
    assert "'11' hoort daar niet bij" in text
    assert "'10-03-2026' is geen datum" in text
    assert "Niveau is bestuurlijk, uitvoerend of leeg" in text
    assert "Omschrijving is 2001 tekens lang; het maximum is 2000" in text
    assert store.table_counts()["actions"] == before
    with pytest.raises(actions.ActionError, match="afgerond of vervallen"):
        actions.close_action(store, 1, 1, named("Anna"), status="lopend")


# -- two people editing the same action ---------------------------------------------------------------------------------
def test_a_stale_edit_is_refused_naming_who_changed_it_and_the_first_edit_is_kept(store):
    action_id = actions.create_action(store, COALITION, new_fields(store), named("Anna"))
    loaded_by_anna = loaded_by_bram = actions.get_action(store, action_id)["version"]

    actions.update_action(store, action_id, loaded_by_bram, {"owner": "GGD Amsterdam"}, named("Bram"))
    with pytest.raises(actions.StaleEdit) as caught:
        actions.update_action(store, action_id, loaded_by_anna, {"title": "Anna's nieuwe titel"}, named("Anna"))

    (message,) = caught.value.messages
    assert message.startswith("Deze actie is intussen gewijzigd door Bram op ") and "(nu versie 2)" in message
    assert "niet opgeslagen" in message and caught.value.current_version == 2
    stored = actions.get_action(store, action_id)
    assert stored["owner"] == "GGD Amsterdam" and stored["title"] == "Spiegelgesprek met ouders in Noord"
    assert [r["Wie"] for r in trail_rows(store, action_id)] == ["Bram", "Anna"]
    # closing and removing at the stale version are refused too
    with pytest.raises(actions.StaleEdit):
        actions.close_action(store, action_id, loaded_by_anna, named("Anna"))
    with pytest.raises(actions.StaleEdit):
        actions.delete_action(store, action_id, loaded_by_anna, named("Anna"))
    assert actions.get_action(store, action_id)["version"] == 2


def test_keeping_my_changes_after_a_stale_edit_keeps_the_other_persons_changes_too(store):
    action_id = actions.create_action(store, COALITION, new_fields(store), named("Anna"))
    loaded_by_anna = actions.get_action(store, action_id)
    actions.update_action(store, action_id, 1, {"owner": "GGD Amsterdam", "status": "lopend"}, named("Bram"))
    # Anna changed the title and, like Bram, the status; her form still holds the owner she loaded
    anna = {k: loaded_by_anna[k] for k in actions.FIELDS} | {"title": "  Anna's titel ", "status": "afgerond"}
    with pytest.raises(actions.StaleEdit):
        actions.update_action(store, action_id, 1, anna, named("Anna"))

    current = actions.get_action(store, action_id)
    merged = actions.merge_stale_edit(loaded_by_anna, anna, current)
    assert merged["owner"] == "GGD Amsterdam"  # Bram's change stays: Anna did not touch the owner
    assert merged["title"] == "Anna's titel" and merged["status"] == "afgerond"  # Anna's changes go on top
    assert merged["version"] == 2 and merged["partners"] == current["partners"]
    kept = {k: merged[k] for k in actions.FIELDS}
    assert actions.update_action(store, action_id, merged["version"], kept, named("Anna")) == 3
    stored = actions.get_action(store, action_id)
    assert (stored["owner"], stored["title"], stored["status"]) == ("GGD Amsterdam", "Anna's titel", "afgerond")


def test_of_many_simultaneous_saves_at_one_version_exactly_one_wins(store):
    action_id = actions.create_action(store, COALITION, new_fields(store), named("Anna"))
    people = [f"Persoon {i}" for i in range(8)]
    start = threading.Barrier(len(people))
    outcome: dict[str, str] = {}

    def save(name: str) -> None:
        start.wait()
        try:
            actions.update_action(store, action_id, 1, {"title": f"Titel van {name}"}, named(name))
            outcome[name] = "opgeslagen"
        except actions.StaleEdit as exc:
            outcome[name] = str(exc)

    threads = [threading.Thread(target=save, args=(name,)) for name in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, result in outcome.items() if result == "opgeslagen"]
    assert len(winners) == 1
    assert all(f"gewijzigd door {winners[0]} op" in r for n, r in outcome.items() if n != winners[0])
    stored = actions.get_action(store, action_id)
    assert stored["version"] == 2 and stored["title"] == f"Titel van {winners[0]}"
    assert [r["Wie"] for r in trail_rows(store, action_id)] == [winners[0], "Anna"]


def test_the_database_itself_refuses_a_compare_and_set_at_a_stale_version(store):
    """Even a writer that skips the friendly check cannot commit a stale update: the transaction fails whole."""
    action_id = actions.create_action(store, COALITION, new_fields(store), named("Anna"))
    actions.update_action(store, action_id, 1, {"title": "Tweede versie"}, named("Bram"))
    fields = actions.get_action(store, action_id)
    params = {k: fields[k] for k in actions.FIELDS} | {"id": action_id, "expected_version": 1, "title": "Oud"}
    with pytest.raises(Exception, match="stale-edit"), store.write() as w:
        w.run("actions_update", params)
        w.run("actions_check_version", {"id": action_id, "version": 3, "rows": 1})
    assert actions.get_action(store, action_id)["title"] == "Tweede versie"


# -- undo a just-recorded action ------------------------------------------------------------------------------------
def test_deleting_keeps_the_audit_trail_and_the_id_is_never_reused(store):
    action_id = actions.create_action(store, COALITION, new_fields(store, title="Per ongeluk"), named("Anna"))
    actions.delete_action(store, action_id, 1, named("Anna"))
    assert actions.get_action(store, action_id) is None
    rows = trail_rows(store, action_id)
    assert [r["Wijziging"] for r in rows] == ["verwijderd", "aangemaakt"]
    assert rows[0]["Wat is er veranderd"] == "Actie verwijderd (was: Per ongeluk)"
    with pytest.raises(actions.StaleEdit, match="intussen verwijderd door Anna op"):
        actions.update_action(store, action_id, 1, {"title": "Toch"}, named("Bram"))
    assert actions.create_action(store, COALITION, new_fields(store), named("Anna")) > action_id


# -- the page's reads: filters, export, attention -------------------------------------------------------------------
def test_filters_combine_and_the_total_counts_every_match(store, beheerder):
    everything, rows = actions.search(store, COALITION, actions.ActionFilter())
    assert everything == len(rows) > 100
    done, rows = actions.search(store, COALITION, actions.ActionFilter(statuses=("afgerond",), principles=(2,)))
    assert 0 < done < everything and set(rows["status"]) == {"afgerond"}
    assert all(2 in list(p) for p in rows["principles"])
    no_goal, rows = actions.search(store, COALITION, actions.ActionFilter(goals=("",)))
    assert no_goal > 0 and rows["goal_id"].isna().all()
    period, rows = actions.search(
        store, COALITION, actions.ActionFilter(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    )
    assert period > 0 and all(pd.Timestamp(d).year == 2024 for d in rows["action_date"])
    actions.create_action(store, COALITION, new_fields(store, title="Inloop 100% voor ouders_wijk"), beheerder)
    assert actions.search(store, COALITION, actions.ActionFilter(text="100% VOOR"))[0] == 1
    assert actions.search(store, COALITION, actions.ActionFilter(text="1_0%"))[0] == 0  # no SQL wildcards
    newest, rows = actions.search(store, COALITION, actions.ActionFilter(), limit=5)
    assert newest == everything + 1 and len(rows) == 5


def test_exports_hold_every_match_with_formulas_neutralised(store, beheerder):
    actions.create_action(
        store,
        COALITION,
        new_fields(store, title='=HYPERLINK("http://x.example","klik")', owner="@trekker", partners=["+31 partner"]),
        beheerder,
    )
    filt = actions.ActionFilter(text="hyperlink")
    csv = actions.export_csv(store, COALITION, filt).decode("utf-8-sig")
    header, line = csv.splitlines()[:2]
    # The demo's exports say they are fictitious in a first column (tests/core/test_exports_label.py).
    assert header.startswith("fictief;id;datum;titel;omschrijving;trekker;status;doel_id;doel;principes;partners")
    assert "\"'=HYPERLINK" in line and ";'@trekker;" in line and "'+31 partner" in line
    sheet = openpyxl.load_workbook(io.BytesIO(actions.export_xlsx(store, COALITION, filt))).active
    assert sheet.title == "Acties"
    cell = sheet.cell(row=2, column=4)
    assert cell.value.startswith("'=HYPERLINK") and cell.data_type == "s"
    assert len(actions.export_frame(store, COALITION, actions.ActionFilter())) > actions.TABLE_LIMIT - 100


def test_attention_shows_principles_and_goals_without_recent_actions(store, beheerder):
    goal = goal_of(store)
    before = actions.quiet_goals(store, COALITION, TODAY, 6).set_index("id")
    actions.create_action(
        store,
        COALITION,
        new_fields(store, action_date=TODAY - dt.timedelta(days=10), status="afgerond", principles=[10], goal_id=goal),
        beheerder,
    )
    after = actions.quiet_goals(store, COALITION, TODAY, 6).set_index("id")
    assert not after.at[goal, "quiet"]
    assert pd.Timestamp(after.at[goal, "last_action"]).date() == TODAY - dt.timedelta(days=10)
    assert after["quiet"].sum() <= before["quiet"].sum()
    matrix = actions.principle_years(store, COALITION, TODAY)
    assert list(matrix.index) == list(range(1, 11)) and 2026 in matrix.columns
    assert matrix.at[10, 2026] >= 1
    view = action_charts.attention(store, COALITION, TODAY, 6)
    assert view.principles.summary.startswith("Van 2019 tot en met 2026 kreeg principe ")
    assert "doelen hadden de afgelopen 6 maanden geen actie" in view.goals.summary
    assert list(view.principles.table.columns)[0] == "Leidend principe"


def test_the_timeline_draws_each_action_or_counts_per_month_when_there_are_many(store):
    chart = action_charts.timeline_chart(store, COALITION, actions.ActionFilter(), TODAY)
    markers = sum(len(trace.x) for trace in chart.figure.data)
    assert markers == actions.search(store, COALITION, actions.ActionFilter())[0]
    assert chart.summary.startswith("Tijdlijn van ") and len(chart.table) == markers
    months = actions.by_month(store, COALITION, actions.ActionFilter())
    monthly = action_charts.timeline_months(months, int(months["actions"].sum()), TODAY)
    assert "de drukste maand was" in monthly.summary
    assert {trace.type for trace in monthly.figure.data} == {"bar"}
    patterns = {trace.marker.pattern.shape for trace in monthly.figure.data}
    assert len(patterns) == len(monthly.figure.data)  # every status its own pattern, not colour alone


# -- the parents' voice ----------------------------------------------------------------------------------------------
def test_a_parent_signal_is_kept_with_its_goal_and_ambition(store):
    goal = goal_of(store)
    before, all_before = signals.for_goal(store, goal), signals.for_coalition(store, COALITION)
    signal_id = signals.add_signal(
        store,
        COALITION,
        {"kind": "citaat", "text": "Ik wist niet waar ik heen kon.", "signal_date": "2026-10-01", "goal_id": goal},
        named("Anna"),
    )
    found = signals.for_goal(store, goal)
    assert set(found["id"]) == set(before["id"]) | {signal_id}  # the demo's signals on this goal stay beside it
    (mine,) = found[found["id"] == signal_id].to_dict("records")
    assert mine["goal_id"] == goal and mine["ambition_id"] is not None
    assert mine["text"] == "Ik wist niet waar ik heen kon." and mine["recorded_by"] == "Anna"
    everything = signals.for_coalition(store, COALITION)
    assert set(everything["id"]) == set(all_before["id"]) | {signal_id}
    assert signals.table(everything).columns.tolist() == ["Datum", "Soort", "Signaal", "Hoort bij", "Vastgelegd door"]
    signals.delete_signal(store, COALITION, signal_id, named("Anna"))
    assert signals.for_goal(store, goal)["id"].tolist() == before["id"].tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail mij op moeder.jansen@example.nl", "e-mailadres"),
        ("Bel 06-12345678 voor de afspraak", "telefoonnummer"),
        ("Ze woont op 1012 AB 12, driehoog", "postcode"),
        ("Ze woont in de Kerkstraat 12", "adres"),
        ("Haar BSN is 123456782", "BSN"),
    ],
)
def test_a_signal_with_personal_data_is_refused_with_a_dutch_message(store, beheerder, text, expected):
    before = store.table("parent_signals")
    with pytest.raises(signals.SignalError) as caught:
        signals.add_signal(store, COALITION, {"kind": "signaal", "text": text, "goal_id": goal_of(store)}, beheerder)
    assert any(expected in m and "persoonsgegevens" in m.lower() for m in caught.value.messages)
    after = store.table("parent_signals")
    assert len(after) == len(before) and text not in set(after["text"])  # nothing written


def test_ordinary_signals_with_years_and_counts_pass_the_personal_data_check():
    assert signals.personal_data_problems("In 2024 AB-test met 273 professionals; 1.000 ouders, 9 op 10 tevreden") == []
    assert signals.personal_data_problems("Ouders in Zuidoost vinden het consultatiebureau ver weg.") == []


def test_signal_validation_names_every_problem(store, beheerder):
    with pytest.raises(signals.SignalError) as caught:
        signals.add_signal(
            store, COALITION, {"kind": "gerucht", "text": "x" * 501, "goal_id": other_coalitions_goal(store)}, beheerder
        )
    text = "\n".join(caught.value.messages)
    assert "Kies de soort: citaat, spiegelgesprek of signaal" in text
    assert "501 tekens lang; het maximum is 500" in text
    assert "hoort niet bij deze coalitie" in text
    with pytest.raises(signals.SignalError, match="Kies de ambitie of het doel"):
        signals.add_signal(store, COALITION, {"kind": "citaat", "text": "Fijn dat jullie luisteren."}, beheerder)
