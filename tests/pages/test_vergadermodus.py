"""Page Vergadermodus: every slide by button (AppTest), recording during the meeting, the minutes; and in a
real Chromium the projector type size at 1920x1080 and 1280x720, auto-advance, kiosk mode and axe (the room's
needs, fit, pause, live region, reduced motion: ``tests/web/test_browser_meeting_room.py``)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from conftest import ARTIFACTS, READY, open_app
from streamlit.testing.v1 import AppTest

from kansrijke import actions, meeting
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import md_escape

PAGE = "pages/vergadermodus.py"
SLIDE_COUNT = 14  # Amsterdam in the demo: the ambitions, 11 goals, done, next


def open_page(**query) -> AppTest:
    at = open_app(PAGE, **query)
    assert not at.exception
    return at


def heading(at: AppTest) -> str:
    found = [m.value for m in at.markdown if m.value.startswith("## ")]
    assert len(found) == 1, found
    return found[0][3:].replace("\\", "")


def counter(at: AppTest) -> str:
    """The text of the live region "Dia N van M" (a small component: its text is the data it is given)."""
    (live,) = [c for c in at.get("bidi_component") if c.proto.component_name == "ks_live_counter"]
    return json.loads(live.proto.json)["text"]


def test_steps_through_every_slide_and_round_again(app_env):
    at = open_page()
    seen = [heading(at)]
    assert counter(at) == f"Dia 1 van {SLIDE_COUNT}"
    assert seen[0] == "Ambities en hun status"
    assert "Elk kind in Amsterdam krijgt een kansrijke start" in "\n".join(m.value for m in at.markdown)
    charts = 0
    for i in range(2, SLIDE_COUNT + 1):
        at.button(key="ks-next").click().run()
        assert not at.exception
        assert counter(at) == f"Dia {i} van {SLIDE_COUNT}"
        seen.append(heading(at))
        for chart in at.get("plotly_chart"):  # a goal's curve: with its summary as accessible name
            assert json.loads(chart.proto.spec)["data"] and chart.proto.alt.startswith(seen[-1])
            charts += 1
        if 2 <= i <= SLIDE_COUNT - 2:
            assert "### Wat ouders zeggen" in [m.value for m in at.markdown]
    assert seen[1] == "Minder baby's met een laag geboortegewicht voor de zwangerschapsduur"
    assert seen[-2:] == ["Gedaan sinds het vorige overleg", "Wat komt er"]
    assert len(set(seen)) == SLIDE_COUNT
    assert charts == 7  # the goals with an indicator
    store = Store.open(app_env)
    today = dt.date.fromisoformat(store.meta("demo_today"))
    due = meeting.actions_due(store, "KS-GM0363", today)
    Store.close_all()
    assert len(due)
    assert md_escape(due["title"].iloc[0]) in "\n".join(m.value for m in at.markdown)  # the next planned action,
    # as literal text
    at.button(key="ks-next").click().run()
    assert counter(at) == f"Dia 1 van {SLIDE_COUNT}"  # a kiosk loops
    at.button(key="ks-previous").click().run()
    assert heading(at) == "Wat komt er"
    at.selectbox(key="ks_goto").set_value(2).run()
    assert heading(at) == "Minder vroeggeboorten (voor 37 weken)"


def test_paused_by_default_and_interval_and_play_come_from_the_url(app_env):
    at = open_page()
    assert at.number_input(key="interval").value == 30 and at.toggle(key="auto").value is False
    at = open_page(interval="10", auto="true")
    assert at.number_input(key="interval").value == 10
    assert at.toggle(key="auto").value is True
    at.toggle(key="auto").set_value(False).run()  # paused again
    assert not at.exception and at.toggle(key="auto").value is False and counter(at) == f"Dia 1 van {SLIDE_COUNT}"


def test_the_page_has_one_h1_and_no_heading_level_skipped(app_env):
    at = open_page()
    assert [h.proto.body for h in at.title] == ["Vergadermodus: Coalitie Kansrijke Start Amsterdam"]
    assert not at.header and not at.subheader  # the slide's title is the h2 (Markdown "## ")
    at.button(key="ks-next").click().run()
    levels = [1] + [len(m.value) - len(m.value.lstrip("#")) for m in at.markdown if m.value.startswith("#")]
    assert levels == [1, 2, 3]  # page, goal, what parents say


def test_a_municipality_without_coalition_says_so(app_env):
    at = open_page(gemeente="Ameland")
    texts = [i.value for i in at.info]
    assert texts and "geen coalitie" in texts[0]


def test_record_a_decision_and_an_action_undo_and_close_with_minutes(writable_app):
    held = set(Store.open(writable_app).table("meetings")["id"])  # the demo's past meetings
    Store.close_all()
    at = open_page()
    assert at.radio(key="ks_kind").value is None  # no default: the meeting says what it is
    assert at.radio(key="ks_kind").label == "Besluit of actie?"
    at.text_input(key="ks_text").input("We kiezen voor één zorgpad")
    at.button(key="FormSubmitter:ks-record-Vastleggen").click().run()
    assert [e.value for e in at.error] == [md_escape(t("meeting.error_kind"))]  # refused, in Dutch
    assert not (set(Store.open(writable_app).table("meetings")["id"]) - held)  # nothing saved
    Store.close_all()

    at.text_input(key="ks_attendees").input("Gemeente Ommen e.o., GGD Zwolle-Zuid")
    at.radio(key="ks_kind").set_value("besluit")
    at.text_input(key="ks_text").input("We kiezen voor één zorgpad <img src=x>")
    at.button(key="FormSubmitter:ks-record-Vastleggen").click().run()
    assert not at.exception
    assert any("Besluit vastgelegd" in s.value for s in at.success)

    at.radio(key="ks_kind").set_value("actie")
    at.text_input(key="ks_text").input("Spiegelgesprek met ouders plannen")
    at.text_input(key="ks_owner").input("JGZ")
    at.selectbox(key="ks_goal").set_value("KS-GM0363-A4-D2")
    at.button(key="FormSubmitter:ks-record-Vastleggen").click().run()
    assert any("Actie vastgelegd in de actielog" in s.value for s in at.success)

    store = Store.open(writable_app)
    total, logged = actions.search(store, "KS-GM0363", actions.ActionFilter(text="Spiegelgesprek met ouders plannen"))
    assert total == 1
    assert len(logged) == 1 and logged.iloc[0]["goal_id"] == "KS-GM0363-A4-D2" and logged.iloc[0]["owner"] == "JGZ"
    action_id = int(logged.iloc[0]["id"])
    listed = [m.value for m in at.markdown if m.value.startswith(("Besluit:", "Actie:"))]
    assert listed == ["Besluit: We kiezen voor één zorgpad \\<img src=x\\>", "Actie: Spiegelgesprek met ouders plannen"]

    # an empty description is refused with a reason, nothing written
    at.radio(key="ks_kind").set_value("besluit")
    at.text_input(key="ks_text").input("  ")
    at.button(key="FormSubmitter:ks-record-Vastleggen").click().run()
    assert [e.value for e in at.error] == [md_escape(t("meeting.error_empty"))]  # one message, shown as text

    # undo the action: gone from the log, kept in the audit trail
    at.button(key="ks-undo-2").click().run()
    assert not at.exception
    assert actions.get_action(store, action_id) is None
    trail = store.table("action_audit")
    assert trail[trail["action_id"] == action_id]["change"].tolist() == ["aangemaakt", "verwijderd"]
    assert [m.value for m in at.markdown if m.value.startswith(("Besluit:", "Actie:"))] == [listed[0]]

    # show a goal, then close: the minutes list what was shown and decided, with Markdown and PDF downloads
    at.button(key="ks-next").click().run()
    at.button(key="ks-close").click().run()
    assert not at.exception
    assert [h.proto.body for h in at.header] == ["Verslag"]  # h2, the minutes' own headings under it
    minutes = next(m.value for m in at.markdown if m.value.startswith("### Verslag coalitieoverleg"))
    assert "\n#### Aanwezig\n\nGemeente Ommen e.o., GGD Zwolle-Zuid\n" in minutes  # as typed, no backslashes
    assert "Ambities en hun status" in minutes and "Minder baby" in minutes
    assert "We kiezen voor één zorgpad \\<img src=x>" in minutes  # inert: the tag's "<" escaped
    assert "Er zijn geen nieuwe acties vastgelegd." in minutes
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Verslag downloaden (Markdown)", "Verslag downloaden (PDF)"]
    meetings = store.table("meetings")
    meetings = meetings[~meetings["id"].isin(held)]  # the one held now
    assert len(meetings) == 1 and meetings.iloc[0]["coalition_id"] == "KS-GM0363"
    assert meetings.iloc[0]["attendees"] == "Gemeente Ommen e.o., GGD Zwolle-Zuid"
    assert meetings.iloc[0]["ended_at"] is not None and not pd.isna(meetings.iloc[0]["ended_at"])
    assert json.loads(meetings.iloc[0]["shown"])[:2] == [
        "Ambities en hun status",
        "Doel: Minder baby's met een laag geboortegewicht voor de zwangerschapsduur",
    ]


# -- in a real browser ---------------------------------------------------------------------------------------------
@pytest.fixture
def served(demo_server):
    return demo_server  # the session's read-only server on a demo copy (conftest)


def _projector(browser, url: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_selector(".st-key-ks-slide h2", timeout=60_000)
    # st.html delivers the page's style block a moment after the first elements: wait until it is in the page
    page.wait_for_function(
        "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('.st-key-ks-slide'))",
        timeout=30_000,
    )
    return page


def _font_px(locator) -> float:
    return float(locator.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height", "title_px", "body_px"), [(1920, 1080, 48, 32), (1280, 720, 32, 24)])
def test_projector_type_is_large_without_sidebar(browser, served, width, height, title_px, body_px):
    page = _projector(browser, served + "/vergadermodus", width, height)
    title = page.locator(".st-key-ks-slide h2").first
    assert title.inner_text() == "Ambities en hun status"
    assert _font_px(title) >= title_px
    body = (
        page.locator(".st-key-ks-slide [data-testid=stMarkdownContainer] p")
        .filter(has_text="Elk kind in Amsterdam krijgt een kansrijke start")
        .first
    )
    assert _font_px(body) >= body_px
    assert not page.locator("[data-testid=stSidebar]").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"vergadermodus-{width}x{height}.png"))

    # a goal's slide: the curve fills the screen, the title stays large, parents' signals beside it
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_selector(READY)
    page.get_by_text("Dia 2 van 14").wait_for()
    page.wait_for_selector(".st-key-ks-chart .js-plotly-plot .main-svg", timeout=60_000)
    assert _font_px(page.locator(".st-key-ks-slide h2").first) >= title_px
    assert page.get_by_role("heading", name="Wat ouders zeggen").is_visible()
    chart = page.locator(".st-key-ks-chart").bounding_box()
    assert chart["y"] + chart["height"] <= height  # the whole curve is on the screen
    page.screenshot(path=str(ARTIFACTS / f"vergadermodus-doel-{width}x{height}.png"))
    page.close()


@pytest.mark.browser
def test_advances_by_itself_and_runs_as_a_kiosk(browser, served):
    """With ?embed=true (no menu), switched on and a short interval the slides advance without a click."""
    page = _projector(browser, served + "/vergadermodus?embed=true&interval=5&auto=true", 1920, 1080)
    page.locator(".ks-live").filter(has_text=" van 14").wait_for(timeout=30_000)  # the live region is drawn
    page.get_by_text("Dia 2 van 14").wait_for(timeout=60_000)  # waits for the state, not for a time
    page.get_by_text("Dia 3 van 14").wait_for(timeout=60_000)
    assert not page.locator("[data-testid=stSidebar]").is_visible()
    page.close()


@pytest.mark.browser
def test_meeting_mode_has_no_accessibility_violations(browser, served):
    from axe_playwright_python.sync_playwright import Axe

    page = _projector(browser, served + "/vergadermodus", 1280, 900)
    found = []
    for _ in range(2):  # the ambitions and a goal with its chart
        violations = Axe().run(page).response["violations"]
        found += [(v["id"], v["impact"], v["help"], [n["html"][:120] for n in v["nodes"]]) for v in violations]
        page.get_by_role("button", name="Volgende").click()
        page.wait_for_selector(READY)
        page.wait_for_selector(".st-key-ks-chart .js-plotly-plot .main-svg", timeout=60_000)
    page.close()
    assert found == []
