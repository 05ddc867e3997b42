"""The Actielog page as a coalition uses it, through AppTest: the timeline, table, counts and attention views;
filters from the URL; adding, editing, closing and undoing an action in the dialog with its audit trail; two
people editing the same action (the stale save refused, nothing lost); the parents' voice on this page and
beside the goal's chart. One quick browser check renders the page and the dialog in Chromium."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import ARTIFACTS, READY, _open, open_app, serve_demo_copy
from streamlit.testing.v1 import AppTest

from kansrijke import access, actions, signals
from kansrijke.core import fmt
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import md_escape, md_unescape

PAGE = "pages/actielog.py"
MAX_SPEC = 1_000_000  # bytes of figure JSON sent to the browser


def open_page(page: str = PAGE, **query) -> AppTest:
    at = open_app(page, **query)
    assert not at.exception, at.exception
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [h.value for h in at.title] + [h.value for h in at.subheader]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [c.value for c in at.caption] + [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def widget(widgets, prefix: str):
    """The one widget whose key starts with ``prefix`` (form widgets carry a per-dialog token)."""
    found = [w for w in widgets if str(w.key).startswith(prefix)]
    assert len(found) == 1, (prefix, [w.key for w in widgets])
    return found[0]


def submit(at: AppTest, form: str) -> AppTest:
    (button,) = [b for b in at.button if str(b.form_id).startswith(form)]
    button.click()
    return run(at)


def audit(at: AppTest) -> list[dict]:
    """The audit trail table under the chosen action (the last table on the page that has 'Wijziging')."""
    frames = [d.value for d in at.dataframe if "Wijziging" in d.value.columns]
    return frames[-1].to_dict("records")


def store_of(path) -> Store:
    return Store.open(path)


# -- reading ------------------------------------------------------------------------------------------------------
def test_page_shows_timeline_table_export_and_where_attention_goes(app_env):
    store = store_of(app_env)
    logged = store.table("actions")
    logged = logged[logged["coalition_id"] == "KS-GM0363"].sort_values(["action_date", "id"], ascending=False)
    voices = signals.for_coalition(store, "KS-GM0363")
    Store.close_all()
    total, newest, oldest = len(logged), logged.iloc[0], logged.iloc[-1]
    at = open_page()
    body = texts(at)
    assert at.title[0].value == "Actielog: Coalitie Kansrijke Start Amsterdam"
    assert f"{fmt.integer(total)} acties in totaal." in body
    timeline, principles, goals = at.get("plotly_chart")
    for chart in (timeline, principles, goals):
        assert len(chart.proto.spec.encode("utf-8")) < MAX_SPEC
    assert timeline.proto.alt.startswith(f"Tijdlijn van {fmt.day(oldest['action_date'])} tot en met")
    assert f"Aantal acties: {fmt.integer(total)}." in timeline.proto.alt
    first, last = pd.Timestamp(oldest["action_date"]).year, pd.Timestamp(newest["action_date"]).year
    assert principles.proto.alt.startswith(f"Van {first} tot en met {last} kreeg principe ")
    assert "doelen hadden de afgelopen 6 maanden geen actie" in goals.proto.alt
    spec = json.loads(timeline.proto.spec)
    symbols = {trace["name"]: trace["marker"]["symbol"] for trace in spec["data"]}
    assert len(set(symbols.values())) == len(symbols) == 4  # each status its own shape, not colour alone
    table = [d.value for d in at.dataframe if "Trekker" in d.value.columns and "Nr." in d.value.columns][0]
    assert len(table) == total and table.iloc[0]["Nr."] == newest["id"]  # the newest action first
    assert table.iloc[0]["Datum"] == fmt.day(newest["action_date"])
    assert table.iloc[0]["Status"] == actions.status_text(newest["status"])
    assert {b.label for b in at.get("download_button")} == {"CSV downloaden", "Excel downloaden"}
    assert "hadden sinds 24 mei 2026 geen actie" in body  # six months before the demo's today
    # the parents' voice: the demo's signals of Amsterdam, counted and listed
    assert len(voices) and t("signals.count", count=len(voices)) in body
    listed = [d.value for d in at.dataframe if "Signaal" in d.value.columns and "Hoort bij" in d.value.columns]
    assert len(listed) == 1 and set(listed[0]["Signaal"]) == set(voices["text"])


def test_a_coalition_without_parents_signals_says_so(app_env):
    store = store_of(app_env)
    quiet = sorted(set(store.table("coalitions")["id"]) - set(store.table("parent_signals")["coalition_id"]))
    assert quiet, "the premise: some demo coalitions have no signals from parents"
    (name,) = store.query("coalitions").set_index("id").loc[[quiet[0]], "name"]
    member = store.query("coalition_members", {"coalition_id": quiet[0]}).iloc[0]["name"]
    Store.close_all()
    at = open_page(gemeente=member)
    assert at.title[0].value == f"Actielog: {md_escape(name)}"
    assert "Nog geen signalen van ouders vastgelegd." in texts(at)


def test_filters_come_from_the_url_and_narrow_table_and_timeline(app_env):
    at = open_page(status="afgerond", principe="2 Gezamenlijke aanpak", zoek="overleg")
    body = texts(at)
    assert "acties gevonden." in body
    assert at.multiselect(key="status").value == ["afgerond"] and at.multiselect(key="principe").value == [2]
    table = [d.value for d in at.dataframe if "Nr." in d.value.columns][0]
    assert 0 < len(table) < 114
    assert set(table["Status"]) == {"● afgerond"}
    assert all("2" in p.split(", ") for p in table["Principes"])
    at.text_input(key="zoek").input("geen-actie-heeft-deze-tekst")
    run(at)
    assert "Geen acties gevonden met deze filters." in texts(at)


# -- writing through the dialog -----------------------------------------------------------------------------------
def test_add_edit_close_and_undo_an_action_with_its_audit_trail(writable_app):
    at = open_page()
    at.text_input(key="wie").input("Anna (JGZ)")
    at.button(key="new_action").click()
    run(at)
    submit(at, "action-form-")  # nothing filled in
    (refusal,) = at.error  # through web.show_error: the heading in bold, then each problem as a bullet
    heading, _, items = refusal.value.partition("\n\n")
    assert heading == f"**{md_escape(t('actions_page.errors_heading'))}**"
    assert all(line.startswith("- ") for line in items.split("\n"))
    assert "Vul een titel in: wat wordt er gedaan?" in [md_unescape(line[2:]) for line in items.split("\n")]
    widget(at.text_input, "a_title_").input("Spiegelgesprek met ouders in Noord")
    widget(at.multiselect, "a_principles_").set_value([2, 3])
    widget(at.selectbox, "a_status_").set_value("lopend")
    submit(at, "action-form-")
    chosen = at.selectbox(key="actie").value  # the new action is chosen for a look at once
    assert f"Actie nr. {chosen} is vastgelegd." in texts(at)
    assert "115 acties in totaal." in texts(at)
    assert actions.get_action(store_of(writable_app), chosen)["title"] == "Spiegelgesprek met ouders in Noord"
    assert [(r["Wie"], r["Wijziging"]) for r in audit(at)] == [("Anna (JGZ)", "aangemaakt")]

    at.button(key="edit_action").click()
    run(at)
    widget(at.text_input, "a_title_").input("Spiegelgesprek met vaders in Noord")
    submit(at, "action-form-")
    assert f"Actie nr. {chosen} is opgeslagen (versie 2)." in texts(at)
    latest = audit(at)[0]
    assert latest["Wijziging"] == "gewijzigd" and latest["Versie"] == 2
    assert (
        latest["Wat is er veranderd"]
        == "Titel: Spiegelgesprek met ouders in Noord → Spiegelgesprek met vaders in Noord"
    )

    at.button(key="close_afgerond").click()
    run(at)
    assert f"Actie nr. {chosen} is nu afgerond." in texts(at)
    assert [r["Wijziging"] for r in audit(at)] == ["afgesloten", "gewijzigd", "aangemaakt"]
    assert at.button(key="close_afgerond").disabled

    assert "undo_new" not in [b.key for b in at.button]  # undo is offered only until the action is edited
    assert actions.get_action(store_of(writable_app), chosen)["version"] == 3


def test_undo_removes_a_just_recorded_action(writable_app):
    total = actions.search(store_of(writable_app), "KS-GM0363", actions.ActionFilter())[0]
    Store.close_all()
    at = open_page()
    at.button(key="new_action").click()
    run(at)
    widget(at.text_input, "a_title_").input("Per ongeluk vastgelegd")
    submit(at, "action-form-")
    chosen = at.selectbox(key="actie").value
    at.button(key="undo_new").click()
    run(at)
    assert f"Actie nr. {chosen} is verwijderd; de wijzigingsgeschiedenis ervan blijft bewaard." in texts(at)
    assert f"{fmt.integer(total)} acties in totaal." in texts(at)  # as before the action was recorded
    assert actions.get_action(store_of(writable_app), chosen) is None
    assert [r["Wijziging"] for r in actions.audit_trail(store_of(writable_app), chosen).to_dict("records")] == [
        "verwijderd",
        "aangemaakt",
    ]


def test_undo_after_someone_changed_the_action_is_refused_with_who_did_it(writable_app):
    at = open_page()
    at.button(key="new_action").click()
    run(at)
    widget(at.text_input, "a_title_").input("Net vastgelegd")
    submit(at, "action-form-")
    chosen = at.selectbox(key="actie").value
    actions.update_action(
        store_of(writable_app), chosen, 1, {"owner": "GGD"}, access.with_typed_name(access.local_person(), "Bram")
    )
    at.button(key="undo_new").click()
    run(at)
    (refusal,) = at.error  # through web.show_error after the rerun, not as a success
    assert refusal.proto.icon == ":material/sync_problem:"
    assert md_unescape(refusal.value).startswith("Deze actie is intussen gewijzigd door Bram op ")
    assert not any("verwijderd" in s.value for s in at.success)
    assert actions.get_action(store_of(writable_app), chosen)["owner"] == "GGD"  # Bram's change stays


def test_two_people_editing_one_action_lose_nothing(writable_app):
    """Anna and Bram open the same action; Bram saves first. Anna's save is refused with who and when, she
    sees where they differ, puts her own change on the new version and saves: both changes are kept."""
    anna, bram = open_page(), open_page()
    anna.text_input(key="wie").input("Anna")
    bram.text_input(key="wie").input("Bram")
    action_id = int(actions.search(store_of(writable_app), "KS-GM0363", actions.ActionFilter())[1]["id"].iloc[0])
    for at in (run(anna), run(bram)):
        at.selectbox(key="actie").set_value(action_id)
        run(at)
        at.button(key="edit_action").click()
        run(at)
    original = actions.get_action(store_of(writable_app), action_id)

    widget(bram.text_input, "a_title_").input("Brams nieuwe titel")
    submit(bram, "action-form-")
    assert "(versie 2)" in texts(bram)

    widget(anna.text_area, "a_desc_").input("Anna vult de omschrijving aan.")
    submit(anna, "action-form-")
    refusal = [md_unescape(e.value) for e in anna.error]
    assert any(
        e.startswith("Deze actie is intussen gewijzigd door Bram op ") and "niet opgeslagen" in e for e in refusal
    ), refusal
    assert [e.proto.icon for e in anna.error] == [":material/sync_problem:"]  # web.show_error with the stale icon
    stored = actions.get_action(store_of(writable_app), action_id)
    assert stored["title"] == "Brams nieuwe titel" and stored["description"] == original["description"]
    diff = [d.value for d in anna.dataframe if "Uw invoer" in d.value.columns][0].set_index("Veld")
    assert diff.at["Titel", "Nu opgeslagen"] == "Brams nieuwe titel"
    assert diff.at["Omschrijving", "Uw invoer"] == "Anna vult de omschrijving aan."

    anna.button(key="stale_apply").click()
    run(anna)
    assert "Het formulier toont nu versie 2 met uw eigen wijzigingen erop" in texts(anna)
    assert widget(anna.text_input, "a_title_").value == "Brams nieuwe titel"
    assert widget(anna.text_area, "a_desc_").value == "Anna vult de omschrijving aan."
    submit(anna, "action-form-")
    assert "(versie 3)" in texts(anna)
    stored = actions.get_action(store_of(writable_app), action_id)
    assert (stored["title"], stored["description"]) == ("Brams nieuwe titel", "Anna vult de omschrijving aan.")
    assert [(r["Wie"], r["Versie"]) for r in actions.audit_trail(store_of(writable_app), action_id).to_dict("records")][
        :2
    ] == [("Anna", 3), ("Bram", 2)]


def test_user_text_is_shown_escaped(writable_app):
    store = store_of(writable_app)
    goal = str(store.query("goals", {"coalition_id": "KS-GM0363"})["id"].iloc[0])
    action_id = actions.create_action(
        store,
        "KS-GM0363",
        {
            "action_date": "2026-11-20",
            "title": "**vet** [klik](http://x.example) <img src=x>",
            "status": "lopend",
            "goal_id": goal,
        },
        access.with_typed_name(access.local_person(), "<b>Eve</b>"),
    )
    at = open_page()
    at.selectbox(key="actie").set_value(action_id)
    run(at)
    assert f"### Actie nr. {action_id}" in [m.value for m in at.markdown]
    details = [d.value for d in at.dataframe if "Waarde" in d.value.columns][0].set_index("Veld")["Waarde"]
    assert details["Titel"] == "**vet** [klik](http://x.example) <img src=x>"  # in a table: shown as text
    assert not any("**vet**" in m.value or "<img" in m.value for m in at.markdown)


# -- the parents' voice -------------------------------------------------------------------------------------------
def test_a_parent_signal_is_recorded_with_the_privacy_warning_and_shown_beside_its_goal(writable_app):
    at = open_page()
    at.button(key="new_signal").click()
    run(at)
    assert any("Geen persoonsgegevens." in w.value for w in at.warning)
    goal = store_of(writable_app).query("goals", {"coalition_id": "KS-GM0363"}).iloc[0]
    beside = len(signals.for_goal(store_of(writable_app), goal["id"]))  # the demo's signals on this goal
    widget(at.selectbox, "s_link_").set_value(f"g:{goal['id']}")
    widget(at.text_area, "s_text_").input("Bel me op 06-12345678, ik wist niet waar ik heen kon.")
    submit(at, "signal-form-")
    assert any("telefoonnummer" in e.value and "persoonsgegevens" in e.value for e in at.error)
    widget(at.text_area, "s_text_").input("Ik wist niet waar ik heen kon met mijn vragen.")
    submit(at, "signal-form-")
    assert "Het signaal van ouders is vastgelegd." in texts(at)
    voices = [d.value for d in at.dataframe if "Signaal" in d.value.columns][0]
    assert voices.iloc[0]["Signaal"] == "Ik wist niet waar ik heen kon met mijn vragen."
    assert voices.iloc[0]["Hoort bij"] == goal["title"]

    goals_page = open_page("pages/doelen.py")
    assert f"**Stem van ouders bij dit doel ({beside + 1})**" in [m.value for m in goals_page.markdown]
    assert any(
        x.value.endswith(": “Ik wist niet waar ik heen kon met mijn vragen.”") and "citaat ·" in x.value
        for x in goals_page.text
    )  # plain text, never Markdown


# -- in a real browser (quick: one server, one page) --------------------------------------------------------------
@pytest.mark.browser
def test_in_chromium_an_action_is_added_in_the_dialog_and_the_page_has_no_accessibility_violations(
    browser,
    tmp_path_factory,
    demo_db,
):
    from axe_playwright_python.sync_playwright import Axe

    with serve_demo_copy(tmp_path_factory.mktemp("actielog"), demo_db) as (url, _):  # its own: it writes
        page = _open(browser, url + "/actielog", 1920, 1080)
        assert page.get_by_role("heading", name="Actielog: Coalitie Kansrijke Start Amsterdam").is_visible()
        found = [
            (v["id"], v["impact"], [n["html"][:80] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]
        ]
        assert found == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "actielog-1920x1080.png"))

        page.get_by_role("button", name="Nieuwe actie").click()
        page.get_by_role("dialog").wait_for()
        page.keyboard.press("Escape")  # dismissed: it must not come back on the next rerun
        page.get_by_role("dialog").wait_for(state="detached")
        name = page.get_by_role("textbox", name="Uw naam (voor de wijzigingsgeschiedenis)")
        name.fill("Anna")
        name.press("Enter")
        page.wait_for_selector(READY)
        # a dismissed dialog that came back would cover the page and block this click
        page.get_by_role("button", name="Nieuwe actie").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_text("Opgeslagen als: Anna").wait_for()
        assert dialog.count() == 1
        dialog.get_by_role("textbox", name="Titel").fill("Inloopspreekuur <b>Noord</b>")
        page.screenshot(path=str(ARTIFACTS / "actielog-dialoog-1920x1080.png"))
        dialog.get_by_role("button", name="Opslaan").click()
        page.get_by_text(re.compile(r"Actie nr\. \d+ is vastgelegd\.")).wait_for(timeout=30_000)
        page.wait_for_selector(READY)
        assert page.get_by_role("dialog").count() == 0
        assert page.get_by_role("heading", name=re.compile(r"Actie nr\. \d+")).is_visible()
        chosen = [i.input_value() for i in page.locator("[data-testid=stSelectbox] input").all()]
        assert "24 november 2026 · Inloopspreekuur <b>Noord</b>" in chosen  # the new action is chosen, as text
        page.screenshot(path=str(ARTIFACTS / "actielog-vastgelegd-1920x1080.png"))
        assert page.locator("b", has_text="Noord").count() == 0  # shown as text, never as markup
        page.close()


def test_the_table_shows_its_key_columns_first(app_env):
    """At 1280 px a long title never pushes number, date, status and owner out of view: they come first, the long
    texts after them (issue 14; checked on a screenshot at 1280x800)."""
    at = open_page(gemeente="Almere")
    key = [t(f"actions_page.col.{c}") for c in ("id", "date", "status", "owner")]
    tables = [d for d in at.dataframe if t("actions_page.col.id") in d.value.columns]
    assert tables
    assert all(list(d.value.columns[:4]) == key for d in tables)
