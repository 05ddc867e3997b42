"""`python -m kansrijke import plan.xlsx`: a plan updates its coalition by default (nothing removed, what is kept
is listed); only `--vervang` removes what the file does not mention; `--dry-run` shows what would go; `undo`
puts the plan back; the unchanged template imports nothing."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from kansrijke.core.store import Store
from kansrijke.dataio.ingest.plan import export_plan

AMSTERDAM = "KS-GM0363"
PLAN_TABLES = ("coalitions", "coalition_members", "ambitions", "goals", "results", "actions", "parent_signals")


@pytest.fixture
def db(own_copy):
    Store.close_all()
    return own_copy


def snapshot(path) -> dict[str, pd.DataFrame]:
    store = Store.open(path)
    frames = {name: store.table(name) for name in PLAN_TABLES}
    Store.close_all()
    return frames


def assert_same(a: dict, b: dict) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def amsterdam_goals(path) -> dict[str, str]:
    store = Store.open(path)
    goals = store.query("goals", {"coalition_id": AMSTERDAM})
    Store.close_all()
    return dict(zip(goals["id"], goals["title"], strict=True))


def plan_without_a_goal(path, tmp_path) -> tuple[str, str, str]:
    """Amsterdam's stored plan as a workbook with its last goal (and what links to it) left out: the file,
    the goal's short id and its title."""
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
    Store.close_all()
    wb = openpyxl.load_workbook(io.BytesIO(export_plan(plan)))
    last = wb["Doelen"].max_row
    headers = [c.value for c in wb["Doelen"][1]]
    short = wb["Doelen"].cell(row=last, column=headers.index("doel_id") + 1).value
    title = wb["Doelen"].cell(row=last, column=headers.index("titel") + 1).value
    wb["Doelen"].delete_rows(last)
    for sheet in ("Resultaten", "Acties"):
        ws = wb[sheet]
        column = [c.value for c in ws[1]].index("doel_id") + 1
        for row in range(ws.max_row, 1, -1):
            if ws.cell(row=row, column=column).value == short:
                ws.delete_rows(row)
    file = tmp_path / "plan-amsterdam.xlsx"
    wb.save(file)
    return str(file), short, title


def test_a_plan_updates_by_default_and_says_what_it_kept(cli, db, tmp_path):
    file, short, title = plan_without_a_goal(db, tmp_path)
    before = amsterdam_goals(db)
    proc = cli("import", file, db=db)
    assert proc.returncode == 0, proc.stderr
    assert "0 verwijderd" in proc.stdout
    assert "Bijwerken: wat het bestand niet noemt, blijft bewaard in Coalitie Kansrijke Start Amsterdam" in proc.stdout
    assert f"- doel {short}: {title}" in proc.stdout
    assert "Alleen met --vervang" in proc.stdout
    assert amsterdam_goals(db) == before  # the goal the file leaves out is still there


def test_dry_run_with_vervang_lists_what_would_go_and_changes_nothing(cli, db, tmp_path):
    file, short, title = plan_without_a_goal(db, tmp_path)
    before = snapshot(db)
    proc = cli("import", file, "--vervang", "--dry-run", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "Vervangen: het bestand is het hele plan van Coalitie Kansrijke Start Amsterdam (KS-GM0363)" in proc.stdout
    assert f"- doel {short}: {title}" in proc.stdout
    assert "Proefrun" in proc.stdout
    assert_same(before, snapshot(db))

    report = json.loads(cli("import", file, "--vervang", "--dry-run", "--json", db=db).stdout)["bestanden"][0]
    assert report["modus"] == "vervangen" and report["bewaard"] == []
    assert {"soort": "doel", "code": short, "titel": title} in report["verwijderd"]
    assert report["rijen"]["verwijderd"] == len(report["verwijderd"])

    plain = json.loads(cli("import", file, "--dry-run", "--json", db=db).stdout)["bestanden"][0]
    assert plain["modus"] == "bijwerken" and plain["verwijderd"] == [] and plain["rijen"]["verwijderd"] == 0
    assert {"soort": "doel", "code": short, "titel": title} in plain["bewaard"]
    assert_same(before, snapshot(db))


def test_vervang_removes_and_undo_puts_it_back(cli, db, tmp_path):
    file, short, title = plan_without_a_goal(db, tmp_path)
    before = snapshot(db)
    proc = cli("import", file, "--vervang", "--wie", "Adviseur", db=db)
    assert proc.returncode == 0, proc.stderr
    assert f"- doel {short}: {title}" in proc.stdout
    assert f"{AMSTERDAM}-{short}" not in amsterdam_goals(db)

    undo = cli("undo", db=db)
    assert undo.returncode == 0 and "ongedaan gemaakt" in undo.stdout
    assert_same(before, snapshot(db))


def test_the_unchanged_template_imports_nothing(cli, db, tmp_path):
    assert cli("template", "coalitie", str(tmp_path / "sjabloon.xlsx"), db=db).returncode == 0
    before = snapshot(db)
    for extra in ((), ("--vervang",)):
        proc = cli("import", str(tmp_path / "sjabloon.xlsx"), *extra, db=db)
        assert proc.returncode == 0, proc.stderr
        assert "nog het voorbeeld uit het sjabloon (coalitie KS-NIEUW" in proc.stdout
        assert "er wordt niets geïmporteerd" in proc.stdout and "Klaar:" not in proc.stdout
    assert_same(before, snapshot(db))
