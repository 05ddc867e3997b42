"""Page "Gegevens" through AppTest: an unchanged template never touches a live coalition; a plan that leaves
out goals is imported as an update unless the user chooses "vervangen", and then the page lists what goes and
keeps the import button disabled until the coalition's name is typed."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from conftest import open_app
from streamlit.testing.v1 import AppTest

from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import md_unescape
from kansrijke.dataio import importer
from kansrijke.dataio.ingest.plan import BIJWERKEN, VERVANGEN, export_plan

AMSTERDAM = "KS-GM0363"
PLAN_TABLES = ("coalitions", "coalition_members", "ambitions", "goals", "results", "actions", "import_log")
RENAMED = "Minder kinderen met een te laag geboortegewicht (bijgesteld)"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def snapshot(path) -> dict[str, pd.DataFrame]:
    store = Store.open(path)
    return {name: store.table(name) for name in PLAN_TABLES}


def assert_same(a: dict, b: dict) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def open_page() -> AppTest:
    at = open_app("pages/gegevens.py")
    assert not at.exception
    return at


def confirm_button(at: AppTest):
    return next((b for b in at.button if b.label == t("data_page.confirm")), None)


def widget(items, prefix: str):
    return next(w for w in items if str(w.key).startswith(prefix))


def amsterdam_name(path) -> str:
    return str(Store.open(path).table("coalitions").set_index("id").at[AMSTERDAM, "name"])


def plan_without_a_goal(path) -> tuple[bytes, str, str]:
    """Amsterdam's stored plan as a workbook without its last goal (and what links to it) and with its first goal
    renamed (``RENAMED``): the file, the left-out goal's full id and its title."""
    store = Store.open(path)
    ambitions = store.table("ambitions")
    ambitions = ambitions[ambitions["coalition_id"] == AMSTERDAM]
    goals, results, actions = store.table("goals"), store.table("results"), store.table("actions")
    coalitions, members = store.table("coalitions"), store.table("coalition_members")
    plan = {
        "coalitions": coalitions[coalitions["id"] == AMSTERDAM],
        "coalition_members": members[members["coalition_id"] == AMSTERDAM],
        "ambitions": ambitions,
        "goals": goals[goals["ambition_id"].isin(ambitions["id"])],
        "results": results[results["ambition_id"].isin(ambitions["id"])],
        "actions": actions[actions["coalition_id"] == AMSTERDAM],
    }
    wb = openpyxl.load_workbook(io.BytesIO(export_plan(plan)))
    sheet = wb["Doelen"]
    headers = [c.value for c in sheet[1]]
    short = sheet.cell(row=sheet.max_row, column=headers.index("doel_id") + 1).value
    title = sheet.cell(row=sheet.max_row, column=headers.index("titel") + 1).value
    sheet.delete_rows(sheet.max_row)
    sheet.cell(row=2, column=headers.index("titel") + 1).value = RENAMED
    for name in ("Resultaten", "Acties"):
        ws = wb[name]
        column = [c.value for c in ws[1]].index("doel_id") + 1
        for row in range(ws.max_row, 1, -1):
            if ws.cell(row=row, column=column).value == short:
                ws.delete_rows(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), f"{AMSTERDAM}-{short}", title


def goal_titles(path) -> dict[str, str]:
    goals = Store.open(path).query("goals", {"coalition_id": AMSTERDAM})
    return dict(zip(goals["id"], goals["title"], strict=True))


@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
def test_an_unchanged_template_does_not_touch_amsterdam(own_app, config, kind):
    before = snapshot(own_app)
    at = open_page()
    template = importer.template("coalitie", kind, config)
    at.file_uploader[0].set_value((f"sjabloon-coalitie.{kind}", template, XLSX)).run()
    assert not at.exception
    warnings = md_unescape("\n".join(w.value for w in at.warning))
    assert "nog het voorbeeld uit het sjabloon" in warnings and "KS-NIEUW" in warnings
    assert not at.success or not any("geldig" in s.value for s in at.success)
    assert confirm_button(at) is None  # nothing to import
    assert not [r for r in at.radio if str(r.key).startswith("plan_mode_")]
    assert_same(before, snapshot(own_app))


def test_a_plan_that_leaves_out_a_goal_updates_by_default_and_keeps_it(own_app):
    data, goal, title = plan_without_a_goal(own_app)
    at = open_page()
    at.file_uploader[0].set_value(("plan-amsterdam.xlsx", data, XLSX)).run()
    assert not at.exception
    mode = widget(at.radio, "plan_mode_")
    assert mode.value == BIJWERKEN  # the default
    assert any(t("plansafe.keeps", coalition="", summary="").split(":")[0] in i.value for i in at.info)
    assert not [w for w in at.text_input if str(w.key).startswith("plan_confirm_")]
    button = confirm_button(at)
    assert button is not None and not button.disabled
    button.click().run()
    assert not at.exception
    titles = goal_titles(own_app)
    assert goal in titles and RENAMED in titles.values()  # kept what the file leaves out, changed what it has
    assert any("Geïmporteerd" in s.value for s in at.success)


def test_vervangen_lists_what_goes_and_waits_for_the_coalitions_name(own_app):
    data, goal, title = plan_without_a_goal(own_app)
    name = amsterdam_name(own_app)
    before = snapshot(own_app)
    at = open_page()
    at.file_uploader[0].set_value(("plan-amsterdam.xlsx", data, XLSX)).run()
    widget(at.radio, "plan_mode_").set_value(VERVANGEN).run()
    assert not at.exception

    warning = md_unescape("\n".join(w.value for w in at.warning))
    assert "Vervangen: het bestand is het hele plan van" in warning and "1 doel" in warning
    listed = next(d.value for d in at.dataframe if t("plansafe.col.title") in d.value.columns)  # what goes
    assert title in set(listed[t("plansafe.col.title")])
    assert t("plansafe.one.goals") in set(listed[t("plansafe.col.part")])
    assert confirm_button(at).disabled
    assert t("plansafe.confirm_needed") in [c.value for c in at.caption]

    widget(at.text_input, "plan_confirm_").input("Amsterdam").run()
    assert confirm_button(at).disabled  # a near miss is not a confirmation
    assert any(c.value.startswith("Dat is niet de naam van deze coalitie") for c in at.caption)
    assert_same(before, snapshot(own_app))

    widget(at.text_input, "plan_confirm_").input(name.lower()).run()
    button = confirm_button(at)
    assert not button.disabled
    button.click().run()
    assert not at.exception
    titles = goal_titles(own_app)
    assert goal not in titles and RENAMED in titles.values()
    assert any("Geïmporteerd" in s.value for s in at.success)


def test_an_upload_into_the_demo_file_is_refused_on_the_page_and_writes_nothing(writable_app, config):
    before = snapshot(writable_app)
    at = open_page()
    at.file_uploader[0].set_value(("sjabloon.xlsx", importer.template("coalitie", "xlsx", config), XLSX)).run()
    assert not at.exception
    assert any("voorbeelddatabase" in md_unescape(e.value) for e in at.error)
    assert confirm_button(at) is None
    assert_same(before, snapshot(writable_app))
