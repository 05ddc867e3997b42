"""A coalition plan import never wipes a plan by accident: "bijwerken" (what people get) adds and changes what
the file has and keeps everything else; "vervangen" removes what the file does not mention and lists exactly
that; the template's example never lands on a live coalition; undo puts back the plan as it was, in both modes.

Every "nothing changed" is checked on the CONTENTS of the tables, never on row counts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
import pandas as pd
import pytest

from kansrijke import access
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.dataio import importer
from kansrijke.dataio.ingest.common import Upload
from kansrijke.dataio.ingest.plan import BIJWERKEN, TEMPLATE_ID, VERVANGEN, export_plan, template_plan
from kansrijke.signals import voice

AMSTERDAM = "KS-GM0363"
PLAN_TABLES = ("coalitions", "coalition_members", "ambitions", "goals", "results", "actions", "parent_signals")
NEW_GOAL_TITLE = "Meer zwangeren vroeg in beeld bij de verloskundige"
CHANGED_TITLE = "Minder kinderen met een te laag geboortegewicht (bijgesteld)"


def named(name: str) -> access.Person:
    """The command line's operator (beheerder) with the name given as ``--wie``: the import log says that name."""
    return access.with_typed_name(access.operator(), name)


@pytest.fixture
def store(own_copy):
    opened = Store.open(own_copy)
    yield opened
    Store.close_all()


# -- helpers -----------------------------------------------------------------------------------------
def snapshot(store: Store, tables: tuple[str, ...] = PLAN_TABLES) -> dict[str, pd.DataFrame]:
    return {name: store.table(name) for name in tables}


def assert_same(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


def stored_plan(store: Store, coalition_id: str) -> dict[str, pd.DataFrame]:
    """What is stored of one coalition's plan, in the tables export_plan takes."""
    ambitions = store.table("ambitions")
    ambitions = ambitions[ambitions["coalition_id"] == coalition_id]
    goals, results, actions = store.table("goals"), store.table("results"), store.table("actions")
    coalitions, members = store.table("coalitions"), store.table("coalition_members")
    return {
        "coalitions": coalitions[coalitions["id"] == coalition_id],
        "coalition_members": members[members["coalition_id"] == coalition_id],
        "ambitions": ambitions,
        "goals": goals[goals["ambition_id"].isin(ambitions["id"])],
        "results": results[results["ambition_id"].isin(ambitions["id"])],
        "actions": actions[actions["coalition_id"] == coalition_id],
    }


def column(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def drop_rows(ws, name: str, value: str) -> list[str]:
    """Delete the rows whose ``name`` cell is ``value``; the titles of the rows deleted."""
    titles = []
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row=row, column=column(ws, name)).value == value:
            titles.append(ws.cell(row=row, column=column(ws, "titel")).value)
            ws.delete_rows(row)
    return titles


@dataclass
class Edited:
    """An exported plan with one goal left out (with its results and actions), one goal renamed, one added."""

    upload: Upload
    gone_goal: str  # full id
    gone_goal_title: str
    gone_results: list[str]
    gone_actions: list[str]
    gone_ids: dict[str, set]  # results and actions (their stored ids) that went with the goal
    changed_goal: str


def edited_plan(store: Store, coalition_id: str = AMSTERDAM) -> Edited:
    plan = stored_plan(store, coalition_id)
    wb = openpyxl.load_workbook(io.BytesIO(export_plan(plan)))
    goals = wb["Doelen"]
    linked = set(plan["results"]["goal_id"].dropna()) | set(plan["actions"]["goal_id"].dropna())
    gone = next(g for g in plan["goals"].itertuples() if g.id in linked)  # a goal with results or actions
    short = gone.id[len(coalition_id) + 1 :]
    drop_rows(goals, "doel_id", short)
    gone_results = drop_rows(wb["Resultaten"], "doel_id", short)
    gone_actions = drop_rows(wb["Acties"], "doel_id", short)
    changed = goals.cell(row=2, column=column(goals, "doel_id")).value
    goals.cell(row=2, column=column(goals, "titel")).value = CHANGED_TITLE
    ambition = goals.cell(row=2, column=column(goals, "ambitie_id")).value
    row = goals.max_row + 1
    for name, value in {"doel_id": "NIEUW1", "ambitie_id": ambition, "titel": NEW_GOAL_TITLE}.items():
        goals.cell(row=row, column=column(goals, name)).value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return Edited(
        Upload("plan-amsterdam.xlsx", buffer.getvalue()),
        gone.id,
        gone.title,
        gone_results,
        gone_actions,
        {
            "results": set(plan["results"].loc[plan["results"]["goal_id"] == gone.id, "id"]),
            "actions": set(plan["actions"].loc[plan["actions"]["goal_id"] == gone.id, "id"]),
        },
        f"{coalition_id}-{changed}",
    )


def goal_titles(store: Store, coalition_id: str = AMSTERDAM) -> dict[str, str]:
    goals = stored_plan(store, coalition_id)["goals"]
    return dict(zip(goals["id"], goals["title"], strict=True))


# -- bijwerken -----------------------------------------------------------------------------------------------
def test_bijwerken_adds_and_changes_and_keeps_what_the_file_does_not_mention(store, config):
    edited = edited_plan(store)
    before = stored_plan(store, AMSTERDAM)
    assert edited.gone_results or edited.gone_actions

    prepared = importer.prepare(store, config, edited.upload, BIJWERKEN)
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    assert prepared.mode == BIJWERKEN and prepared.counts["removed"] == 0
    assert not importer.needs_confirmation(prepared)
    importer.apply(store, prepared, named("tester"))

    titles = goal_titles(store)
    assert titles[edited.gone_goal] == edited.gone_goal_title  # kept
    assert titles[edited.changed_goal] == CHANGED_TITLE  # changed
    assert titles[f"{AMSTERDAM}-NIEUW1"] == NEW_GOAL_TITLE  # added
    after = stored_plan(store, AMSTERDAM)
    assert set(before["results"]["id"]) <= set(after["results"]["id"])
    assert set(before["actions"]["id"]) <= set(after["actions"]["id"])
    assert len(after["goals"]) == len(before["goals"]) + 1


def test_bijwerken_says_what_it_kept_in_dutch(store, config):
    edited = edited_plan(store)
    prepared = importer.prepare(store, config, edited.upload, BIJWERKEN)
    kept = importer.removals(prepared)
    assert set(kept[kept["part"] == "goals"]["title"]) == {edited.gone_goal_title}
    assert sorted(kept[kept["part"] == "results"]["title"]) == sorted(edited.gone_results)
    assert sorted(kept[kept["part"] == "actions"]["title"]) == sorted(edited.gone_actions)
    lines = "\n".join(importer.report_lines(prepared))
    assert "Bijwerken: wat het bestand niet noemt, blijft bewaard in Coalitie Kansrijke Start Amsterdam" in lines
    assert f"doel {edited.gone_goal.removeprefix(AMSTERDAM + '-')}: {edited.gone_goal_title}" in lines
    report = prepared.report()
    assert report["modus"] == "bijwerken" and report["verwijderd"] == []
    assert {item["titel"] for item in report["bewaard"]} >= {edited.gone_goal_title, *edited.gone_actions}


# -- vervangen ------------------------------------------------------------------------------------------------
def test_vervangen_removes_what_the_file_does_not_mention_and_lists_exactly_that(store, config):
    edited = edited_plan(store)
    prepared = importer.prepare(store, config, edited.upload, VERVANGEN)
    gone = importer.removals(prepared)
    assert list(gone.columns) == ["part", "code", "title"]
    assert gone[gone["part"] == "goals"][["code", "title"]].values.tolist() == [
        [edited.gone_goal.removeprefix(AMSTERDAM + "-"), edited.gone_goal_title]
    ]
    assert sorted(gone[gone["part"] == "results"]["title"]) == sorted(edited.gone_results)
    assert sorted(gone[gone["part"] == "actions"]["title"]) == sorted(edited.gone_actions)
    assert set(gone["part"]) <= {"goals", "results", "actions"}  # nothing else goes
    assert prepared.counts["removed"] == len(gone)
    expected = ["1 doel"]
    for part, titles in (("results", edited.gone_results), ("actions", edited.gone_actions)):
        if titles:
            expected.append(t(f"plansafe.count.{part}", count=len(titles)))
    assert [t("plansafe.count.results", count=n) for n in (1, 2)] == ["1 resultaat", "2 resultaten"]
    summary = importer.removal_summary(gone)
    assert summary == (expected[0] if len(expected) == 1 else f"{', '.join(expected[:-1])} en {expected[-1]}")
    lines = "\n".join(importer.report_lines(prepared))
    assert "Vervangen: het bestand is het hele plan van Coalitie Kansrijke Start Amsterdam (KS-GM0363)" in lines
    assert summary in lines
    for title in [edited.gone_goal_title, *edited.gone_results, *edited.gone_actions]:
        assert f": {title}" in lines

    importer.apply(store, prepared, named("tester"))
    after = stored_plan(store, AMSTERDAM)
    assert edited.gone_goal not in set(after["goals"]["id"])
    for part in ("results", "actions"):
        assert not edited.gone_ids[part] & set(after[part]["id"])
    assert goal_titles(store)[edited.changed_goal] == CHANGED_TITLE


def test_vervangen_asks_for_the_coalition_by_name_or_id(store, config):
    prepared = importer.prepare(store, config, edited_plan(store).upload, VERVANGEN)
    assert importer.needs_confirmation(prepared)
    name = store.table("coalitions").set_index("id").at[AMSTERDAM, "name"]
    assert importer.confirms(prepared, name)
    assert importer.confirms(prepared, f"  {name.upper()} ")
    assert importer.confirms(prepared, AMSTERDAM.lower())
    for wrong in (None, "", "Amsterdam", "ja", "KS-GM0014"):
        assert not importer.confirms(prepared, wrong)


def test_a_mode_switch_needs_no_second_look_at_the_database(store, config):
    edited = edited_plan(store)
    replacing = importer.prepare(store, config, edited.upload, VERVANGEN)
    updating = importer.prepare(store, config, edited.upload, BIJWERKEN)
    assert importer.in_mode(replacing, BIJWERKEN).counts == updating.counts
    assert importer.in_mode(updating, VERVANGEN).counts == replacing.counts
    pd.testing.assert_frame_equal(importer.removals(updating), importer.removals(replacing))
    with pytest.raises(ValueError):
        importer.in_mode(updating, "alles weg")


def test_the_parents_signals_of_a_removed_goal_stay_with_the_coalition(store, config):
    edited = edited_plan(store)
    kept_goal = edited.changed_goal
    on_gone = voice.add_signal(
        store, AMSTERDAM, {"kind": "citaat", "text": "Fijn dat ze belde", "goal_id": edited.gone_goal}, named("tester")
    )
    on_kept = voice.add_signal(
        store, AMSTERDAM, {"kind": "signaal", "text": "Te weinig plek", "goal_id": kept_goal}, named("tester")
    )
    before = snapshot(store)

    importer.apply(store, importer.prepare(store, config, edited.upload, BIJWERKEN), named("tester"))
    signals = store.table("parent_signals").set_index("id")
    assert signals.at[on_gone, "goal_id"] == edited.gone_goal  # bijwerken removes nothing, links stay
    importer.undo_last(store, access.operator())
    assert_same(before, snapshot(store))

    importer.apply(store, importer.prepare(store, config, edited.upload, VERVANGEN), named("tester"))
    signals = store.table("parent_signals").set_index("id")
    assert len(signals) == len(before["parent_signals"])  # no signal is lost
    assert pd.isna(signals.at[on_gone, "goal_id"]) and signals.at[on_gone, "text"] == "Fijn dat ze belde"
    assert signals.at[on_gone, "coalition_id"] == AMSTERDAM
    assert signals.at[on_kept, "goal_id"] == kept_goal
    importer.undo_last(store, access.operator())
    assert_same(before, snapshot(store))


# -- undo ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", [BIJWERKEN, VERVANGEN])
def test_undo_of_either_mode_puts_back_the_plan_as_it_was(store, config, mode):
    edited = edited_plan(store)
    before = snapshot(store)
    import_id = importer.apply(store, importer.prepare(store, config, edited.upload, mode), named("tester"))
    assert import_id is not None
    log = store.table("import_log").set_index("id")
    assert f'"mode": "{mode}"' in log.at[import_id, "details"]
    titles = goal_titles(store)
    assert titles[f"{AMSTERDAM}-NIEUW1"] == NEW_GOAL_TITLE
    assert (edited.gone_goal in titles) == (mode == BIJWERKEN)

    assert importer.undo_last(store, access.operator())["id"] == import_id
    assert_same(before, snapshot(store))
    assert importer.undo_last(store, access.operator()) is None


# -- the template ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
def test_the_template_never_matches_a_live_coalition(store, config, kind):
    coalitions = store.table("coalitions")
    assert TEMPLATE_ID not in set(coalitions["id"])
    assert t("plansafe.example_name") not in set(coalitions["name"])
    before = snapshot(store)
    for mode in (BIJWERKEN, VERVANGEN):
        prepared = importer.prepare(store, config, Upload(f"sjabloon.{kind}", template_plan(kind)), mode)
        assert prepared.parsed.ok and prepared.template
        assert prepared.parsed.scope == {"coalition_id": TEMPLATE_ID}
        assert not prepared.has_changes and importer.removals(prepared).empty
        assert "er wordt niets geïmporteerd" in "\n".join(importer.report_lines(prepared))
        assert importer.apply(store, prepared, named("tester")) is None
    assert_same(before, snapshot(store))
    assert store.table("import_log").empty


def test_a_template_from_before_with_amsterdams_id_is_recognised_and_changes_nothing(store, config):
    """Templates downloaded before carried KS-GM0363 (Amsterdam) and the example name: still never written."""
    wb = openpyxl.load_workbook(io.BytesIO(template_plan("xlsx")))
    sheet = wb["Coalitie"]
    sheet.cell(row=2, column=column(sheet, "coalitie_id")).value = AMSTERDAM
    sheet.cell(row=2, column=column(sheet, "naam")).value = t("plan_import.example.coalition_name")
    buffer = io.BytesIO()
    wb.save(buffer)
    before = snapshot(store)
    prepared = importer.prepare(store, config, Upload("oud-sjabloon.xlsx", buffer.getvalue()), VERVANGEN)
    assert prepared.template and not prepared.has_changes
    assert importer.apply(store, prepared, named("tester")) is None
    assert_same(before, snapshot(store))


def test_a_filled_in_template_with_its_own_id_imports_as_a_new_coalition(store, config):
    wb = openpyxl.load_workbook(io.BytesIO(template_plan("xlsx")))
    sheet = wb["Coalitie"]
    sheet.cell(row=2, column=column(sheet, "coalitie_id")).value = "KS-GM0193"
    sheet.cell(row=2, column=column(sheet, "naam")).value = "Coalitie Kansrijke Start Zwolle"
    sheet.cell(row=2, column=column(sheet, "gemeenten")).value = "Zwolle"
    buffer = io.BytesIO()
    wb.save(buffer)
    if "KS-GM0193" in set(store.table("coalitions")["id"]):
        pytest.skip("the demo has a coalition KS-GM0193")
    amsterdam = stored_plan(store, AMSTERDAM)
    prepared = importer.prepare(store, config, Upload("zwolle.xlsx", buffer.getvalue()), BIJWERKEN)
    assert prepared.parsed.ok and not prepared.template and importer.removals(prepared).empty
    importer.apply(store, prepared, named("tester"))
    assert store.table("coalitions").set_index("id").at["KS-GM0193", "name"] == "Coalitie Kansrijke Start Zwolle"
    for name, frame in stored_plan(store, AMSTERDAM).items():
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), amsterdam[name].reset_index(drop=True))
