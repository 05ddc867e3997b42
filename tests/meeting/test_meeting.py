"""Meeting mode without the browser: the slides, "since the last meeting", recording decisions and actions
(in the action log, undoable, audited) and the minutes as Markdown and PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from kansrijke import actions, meeting, signals
from kansrijke.core.store import Store
from kansrijke.plan import progress

AMSTERDAM = "KS-GM0363"
TODAY = dt.date(2026, 11, 24)
START = dt.datetime(2026, 11, 24, 14, 0)


@pytest.fixture
def store(demo_copy):
    s = Store.open(demo_copy)
    yield s
    s.close()


def test_one_topic_per_slide_in_meeting_order(store, config):
    state = progress.coalition_progress(store, config, AMSTERDAM, 2024, TODAY)
    slides = meeting.slides(state)
    goals = [g for a in state.ambitions for g in a.goals]
    assert [s.kind for s in slides] == ["ambitions"] + ["goal"] * len(goals) + ["done", "next"]
    assert slides[0].title == "Ambities en hun status"
    assert [s.goal.id for s in slides[1:-2]] == [g.id for g in goals]
    assert slides[1].title == f"Doel: {goals[0].title}" and slides[1].ambition_title == state.ambitions[0].title
    assert [s.title for s in slides[-2:]] == ["Gedaan sinds het vorige overleg", "Wat komt er"]
    assert len({s.key for s in slides}) == len(slides)


def test_stepping_wraps_round_both_ways():
    assert [meeting.step(i, 4) for i in range(4)] == [1, 2, 3, 0]
    assert meeting.step(0, 4, -1) == 3
    assert meeting.step(0, 0) == 0


def test_since_the_last_meeting_or_four_weeks(store):
    assert meeting.since_day(store, AMSTERDAM, TODAY) == dt.date(2026, 10, 27)
    earlier = meeting.start_meeting(store, AMSTERDAM, dt.datetime(2026, 11, 3, 19, 30))
    assert meeting.since_day(store, AMSTERDAM, TODAY) == dt.date(2026, 11, 3)
    current = meeting.start_meeting(store, AMSTERDAM, START)
    # the meeting in progress is not "the last meeting"; another coalition's meetings do not count
    assert meeting.since_day(store, AMSTERDAM, TODAY, exclude_meeting=current) == dt.date(2026, 11, 3)
    assert meeting.since_day(store, "KS-GM0344", TODAY) == dt.date(2026, 10, 27)
    assert earlier != current


def test_actions_since_a_day_exclude_cancelled_and_future_ones(store):
    done = meeting.actions_since(store, AMSTERDAM, dt.date(2026, 6, 1), TODAY)
    days = [d.date() for d in done["action_date"]]
    assert days == sorted(days, reverse=True)
    assert all(dt.date(2026, 6, 1) < d <= TODAY for d in days)
    assert "vervallen" not in set(done["status"])
    assert "Inloopspreekuur voor aanstaande ouders in Zuid" in set(done["title"])
    due = meeting.actions_due(store, AMSTERDAM, TODAY)
    assert [d.date() for d in due["action_date"]][:2] == [dt.date(2026, 11, 26), dt.date(2026, 11, 27)]


def test_decisions_and_actions_are_recorded_and_an_action_can_be_undone(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START)
    meeting.record_decision(store, meeting_id, "We kiezen voor één zorgpad")
    fields = {
        "action_date": dt.date(2026, 12, 8),
        "title": "Spiegelgesprek met ouders plannen",
        "owner": "JGZ",
        "status": "gepland",
        "goal_id": "KS-GM0363-A4-D2",
    }
    action_id, position = meeting.record_action(store, AMSTERDAM, meeting_id, fields, "voorzitter@example.nl")
    assert position == 2

    stored = actions.get_action(store, action_id)
    assert stored["title"] == "Spiegelgesprek met ouders plannen" and stored["goal_id"] == "KS-GM0363-A4-D2"
    trail = store.table("action_audit")
    assert trail[trail["action_id"] == action_id]["change"].tolist() == ["aangemaakt"]
    items = meeting.meeting_items(store, meeting_id)
    assert items[["position", "kind", "text"]].values.tolist() == [
        [1, "besluit", "We kiezen voor één zorgpad"],
        [2, "actie", "Spiegelgesprek met ouders plannen"],
    ]
    assert items.iloc[1]["owner"] == "JGZ"

    meeting.undo_item(store, meeting_id, position, "voorzitter@example.nl")
    assert actions.get_action(store, action_id) is None
    trail = store.table("action_audit")
    assert trail[trail["action_id"] == action_id]["change"].tolist() == ["aangemaakt", "verwijderd"]
    assert meeting.meeting_items(store, meeting_id)["kind"].tolist() == ["besluit"]
    meeting.undo_item(store, meeting_id, 1, None)
    assert meeting.meeting_items(store, meeting_id).empty


def test_refused_input_says_why_and_writes_nothing(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START)
    before = store.table_counts()
    with pytest.raises(meeting.MeetingError, match="omschrijving"):
        meeting.record_decision(store, meeting_id, "   ")
    with pytest.raises(meeting.MeetingError, match="te lang"):
        meeting.record_decision(store, meeting_id, "x" * 301)
    with pytest.raises(meeting.MeetingError) as err:  # the action log's own check: a goal of another coalition
        meeting.record_action(
            store, AMSTERDAM, meeting_id, {"action_date": TODAY, "title": "Iets", "goal_id": "KS-GM0344-A1-D1"}, None
        )
    assert err.value.messages
    assert store.table_counts() == before


def test_undo_refuses_an_action_changed_in_the_log_meanwhile(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START)
    action_id, position = meeting.record_action(
        store, AMSTERDAM, meeting_id, {"action_date": TODAY, "title": "Flyer maken"}, None
    )
    current = actions.get_action(store, action_id)
    actions.update_action(store, action_id, current["version"], {"status": "afgerond"}, "collega")
    with pytest.raises(meeting.MeetingError) as err:
        meeting.undo_item(store, meeting_id, position, None)
    assert err.value.messages
    assert actions.get_action(store, action_id)["status"] == "afgerond"  # the colleague's change stays
    assert len(meeting.meeting_items(store, meeting_id)) == 1
    # an action already removed in the log: the undo just takes it off the meeting's list
    actions.delete_action(store, action_id, actions.get_action(store, action_id)["version"], "collega")
    meeting.undo_item(store, meeting_id, position, None)
    assert meeting.meeting_items(store, meeting_id).empty


def test_minutes_say_what_was_shown_decided_and_planned(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START)
    meeting.record_decision(store, meeting_id, "Zorgpad <b>vastgesteld</b> [zie](http://example.org)")
    meeting.record_action(
        store,
        AMSTERDAM,
        meeting_id,
        {
            "action_date": dt.date(2026, 12, 8),
            "owner": "GGD",
            "title": "Scholing plannen",
            "goal_id": "KS-GM0363-A1-D2",
        },
        None,
    )
    meeting.end_meeting(
        store,
        meeting_id,
        dt.datetime(2026, 11, 24, 15, 30),
        ["Ambities en hun status", "Doel: Minder vroeggeboorten (voor 37 weken)"],
    )
    found = meeting.minutes(store, meeting_id)
    assert found.coalition_name == "Coalitie Kansrijke Start Amsterdam" and found.demo
    text = meeting.minutes_markdown(found)
    assert text.startswith("# Verslag coalitieoverleg: Coalitie Kansrijke Start Amsterdam")
    assert "24 november 2026, 14:00–15:30 uur" in text
    assert "## Besproken" in text and "Ambities en hun status" in text and "Minder vroeggeboorten" in text
    assert "## Besluiten" in text and "vastgesteld" in text
    assert "<b>" not in text and "](http" not in text and "http://" not in text  # user text stays text
    assert "## Nieuwe acties" in text
    assert "8 december 2026: Scholing plannen (trekker: GGD; gepland); doel: Minder vroeggeboorten" in text
    assert "voorbeelddata" in text

    pdf = meeting.minutes_pdf(found)
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    body = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for part in (
        "Verslag coalitieoverleg",
        "Besproken",
        "Zorgpad <b>vastgesteld</b>",
        "Scholing plannen",
        "Nieuwe acties",
        "Ambities en hun status",
    ):
        assert part in body


def test_minutes_of_a_meeting_without_anything_recorded(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START)
    meeting.end_meeting(store, meeting_id, START + dt.timedelta(minutes=5), [])
    text = meeting.minutes_markdown(meeting.minutes(store, meeting_id))
    assert "Er zijn geen besluiten vastgelegd." in text and "Er zijn geen nieuwe acties vastgelegd." in text
    with pytest.raises(meeting.MeetingError):
        meeting.minutes(store, 999)


def test_parents_signals_beside_a_goal(store):
    goal = "KS-GM0363-A4-D2"
    signals.add_signal(
        store,
        AMSTERDAM,
        {
            "signal_date": dt.date(2026, 10, 1),
            "kind": "citaat",
            "goal_id": goal,
            "text": "Ik wist niet waar ik terecht kon.",
        },
        None,
    )
    found = meeting.goal_signals(store, goal)
    assert found["text"].tolist() == ["Ik wist niet waar ik terecht kon."]
    assert meeting.goal_signals(store, "KS-GM0363-A1-D1").empty
