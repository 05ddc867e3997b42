"""Meeting mode without the browser: the slides, "since the last meeting", recording decisions and actions
(in the action log, undoable, audited) and the minutes as Markdown and PDF."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from kansrijke import access, actions, meeting, signals
from kansrijke.core.store import Store
from kansrijke.plan import progress

AMSTERDAM = "KS-GM0363"
TODAY = dt.date(2026, 11, 24)
START = dt.datetime(2026, 11, 24, 14, 0)
# Who records: the chair is bewerker of Amsterdam, a colleague too (every recording command takes the person).
CHAIR = access.Person("voorzitter@example.nl", "Voorzitter", frozenset({(access.BEWERKER, AMSTERDAM)}), True)
COLLEAGUE = access.Person("collega@example.nl", "Collega", frozenset({(access.BEWERKER, AMSTERDAM)}), True)


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


def last_meeting_day(store: Store, coalition_id: str) -> dt.date | None:
    """The day of the coalition's latest stored meeting up to TODAY (read from the data), None without one."""
    held = store.table("meetings")
    held = held[
        (held["coalition_id"] == coalition_id) & (held["started_at"] <= pd.Timestamp(TODAY) + pd.Timedelta(days=1))
    ]
    return None if held.empty else held["started_at"].max().date()


def test_since_the_last_meeting_or_four_weeks(store):
    last = last_meeting_day(store, AMSTERDAM)
    assert last is not None and last < TODAY  # the demo has past meetings of Amsterdam
    assert meeting.since_day(store, AMSTERDAM, TODAY) == last
    # a coalition without meetings looks back four weeks
    without = sorted(set(store.table("coalitions")["id"]) - set(store.table("meetings")["coalition_id"]))[0]
    assert meeting.since_day(store, without, TODAY) == dt.date(2026, 10, 27)
    later = last + (TODAY - last) // 2  # a meeting between the demo's last one and today
    earlier = meeting.start_meeting(store, AMSTERDAM, dt.datetime.combine(later, dt.time(19, 30)), CHAIR)
    assert meeting.since_day(store, AMSTERDAM, TODAY) == later
    current = meeting.start_meeting(store, AMSTERDAM, START, CHAIR)
    # the meeting in progress is not "the last meeting"; another coalition's meetings do not count
    assert meeting.since_day(store, AMSTERDAM, TODAY, exclude_meeting=current) == later
    assert meeting.since_day(store, without, TODAY) == dt.date(2026, 10, 27)
    other = last_meeting_day(store, "KS-GM0344")  # Utrecht: its own last meeting, not Amsterdam's
    assert other is not None and meeting.since_day(store, "KS-GM0344", TODAY) == other != later
    assert earlier != current


def test_actions_since_a_day_exclude_cancelled_and_future_ones(store):
    since = dt.date(2026, 6, 1)
    # a cancelled action inside the window and a planned one after today: neither was "done since"
    cancelled = actions.create_action(
        store,
        AMSTERDAM,
        {"action_date": dt.date(2026, 9, 1), "title": "Bijeenkomst gaat niet door", "status": "vervallen"},
        CHAIR,
    )
    ahead = actions.create_action(
        store,
        AMSTERDAM,
        {"action_date": TODAY + dt.timedelta(days=1), "title": "Morgen te doen", "status": "gepland"},
        CHAIR,
    )
    done = meeting.actions_since(store, AMSTERDAM, since, TODAY)
    days = [d.date() for d in done["action_date"]]
    assert days == sorted(days, reverse=True)
    assert all(since < d <= TODAY for d in days)
    assert "vervallen" not in set(done["status"]) and {cancelled, ahead}.isdisjoint(set(done["id"]))
    stored = store.table("actions")
    stored = stored[stored["coalition_id"] == AMSTERDAM]
    when = pd.to_datetime(stored["action_date"]).dt.date
    expected = stored[(when > since) & (when <= TODAY) & (stored["status"] != "vervallen")]
    assert len(expected) and set(done["id"]) == set(expected["id"])  # every action done in the window, no other
    due = meeting.actions_due(store, AMSTERDAM, TODAY)
    open_ = stored[(when > TODAY) & stored["status"].isin(["gepland", "lopend"])]
    assert len(open_) > 1 and due["id"].iloc[0] == ahead  # the soonest first
    assert [d.date() for d in due["action_date"]] == sorted(when[open_.index])[: len(due)]


def test_decisions_and_actions_are_recorded_and_an_action_can_be_undone(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START, CHAIR)
    meeting.record_decision(store, meeting_id, "We kiezen voor één zorgpad", CHAIR)
    fields = {
        "action_date": dt.date(2026, 12, 8),
        "title": "Spiegelgesprek met ouders plannen",
        "owner": "JGZ",
        "status": "gepland",
        "goal_id": "KS-GM0363-A4-D2",
    }
    action_id, position = meeting.record_action(store, AMSTERDAM, meeting_id, fields, CHAIR)
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

    meeting.undo_item(store, meeting_id, position, CHAIR)
    assert actions.get_action(store, action_id) is None
    trail = store.table("action_audit")
    assert trail[trail["action_id"] == action_id]["change"].tolist() == ["aangemaakt", "verwijderd"]
    assert meeting.meeting_items(store, meeting_id)["kind"].tolist() == ["besluit"]
    meeting.undo_item(store, meeting_id, 1, CHAIR)
    assert meeting.meeting_items(store, meeting_id).empty


def test_refused_input_says_why_and_writes_nothing(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START, CHAIR)
    before = store.table_counts()
    with pytest.raises(meeting.MeetingError, match="omschrijving"):
        meeting.record_decision(store, meeting_id, "   ", CHAIR)
    with pytest.raises(meeting.MeetingError, match="te lang"):
        meeting.record_decision(store, meeting_id, "x" * 301, CHAIR)
    with pytest.raises(meeting.MeetingError) as err:  # the action log's own check: a goal of another coalition
        meeting.record_action(
            store, AMSTERDAM, meeting_id, {"action_date": TODAY, "title": "Iets", "goal_id": "KS-GM0344-A1-D1"}, CHAIR
        )
    assert err.value.messages
    assert store.table_counts() == before


def test_undo_refuses_an_action_changed_in_the_log_meanwhile(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START, CHAIR)
    action_id, position = meeting.record_action(
        store, AMSTERDAM, meeting_id, {"action_date": TODAY, "title": "Flyer maken"}, CHAIR
    )
    current = actions.get_action(store, action_id)
    actions.update_action(store, action_id, current["version"], {"status": "afgerond"}, COLLEAGUE)
    with pytest.raises(meeting.MeetingError) as err:
        meeting.undo_item(store, meeting_id, position, CHAIR)
    assert err.value.messages
    assert actions.get_action(store, action_id)["status"] == "afgerond"  # the colleague's change stays
    assert len(meeting.meeting_items(store, meeting_id)) == 1
    # an action already removed in the log: the undo just takes it off the meeting's list
    actions.delete_action(store, action_id, actions.get_action(store, action_id)["version"], COLLEAGUE)
    meeting.undo_item(store, meeting_id, position, CHAIR)
    assert meeting.meeting_items(store, meeting_id).empty


def test_minutes_say_what_was_shown_decided_and_planned(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START, CHAIR)
    meeting.record_decision(store, meeting_id, "Zorgpad <b>vastgesteld</b> [zie](http://example.org)", CHAIR)
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
        CHAIR,
    )
    meeting.end_meeting(
        store,
        meeting_id,
        dt.datetime(2026, 11, 24, 15, 30),
        ["Ambities en hun status", "Doel: Minder vroeggeboorten (voor 37 weken)"],
        CHAIR,
        "  Gemeente Amsterdam, GGD e.o.,\n verloskundigen Zuid-Oost ",
    )
    found = meeting.minutes(store, meeting_id)
    assert found.attendees == "Gemeente Amsterdam, GGD e.o., verloskundigen Zuid-Oost"  # one line, as typed
    assert found.coalition_name == "Coalitie Kansrijke Start Amsterdam" and found.demo
    text = meeting.minutes_markdown(found)
    assert text.startswith("# Verslag coalitieoverleg: Coalitie Kansrijke Start Amsterdam")
    assert "24 november 2026, 14:00–15:30 uur" in text
    assert "## Aanwezig\n\nGemeente Amsterdam, GGD e.o., verloskundigen Zuid-Oost\n" in text  # no backslashes
    assert "## Besproken" in text and "Ambities en hun status" in text and "Minder vroeggeboorten" in text
    assert "## Besluiten" in text and "vastgesteld" in text
    assert "Zorgpad \\<b>vastgesteld\\</b> \\[zie\\]" in text  # user text stays text: no tag, no link
    assert "](http" not in text and "http://" not in text
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
        "Aanwezig",
        "Gemeente Amsterdam, GGD e.o., verloskundigen Zuid-Oost",
        "Scholing plannen",
        "Nieuwe acties",
        "Ambities en hun status",
    ):
        assert part in body


def test_minutes_of_a_meeting_without_anything_recorded(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START, CHAIR)
    meeting.end_meeting(store, meeting_id, START + dt.timedelta(minutes=5), [], CHAIR)
    text = meeting.minutes_markdown(meeting.minutes(store, meeting_id))
    assert "## Aanwezig\n\nNiet genoteerd." in text
    assert "Er zijn geen besluiten vastgelegd." in text and "Er zijn geen nieuwe acties vastgelegd." in text
    with pytest.raises(meeting.MeetingError):
        meeting.minutes(store, 999)


def test_a_too_long_list_of_attendees_is_refused_and_nothing_is_closed(store):
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START, CHAIR)
    with pytest.raises(meeting.MeetingError) as refused:
        meeting.end_meeting(store, meeting_id, START, [], CHAIR, "x" * (meeting.MAX_ATTENDEES + 1))
    assert refused.value.messages == [f"De lijst van aanwezigen is te lang (hoogstens {meeting.MAX_ATTENDEES} tekens)."]
    assert meeting.minutes(store, meeting_id).ended_at is None


def test_meetings_kept_from_before_the_attendees_column_keep_their_data(tmp_path):
    """The migration only adds the column: a meeting written at schema 5 is still there, without attendees."""
    from kansrijke.core.store import LATEST_SCHEMA

    path = tmp_path / "oud.duckdb"
    Store.create_at_version(path, 5)
    old = Store.open(path)  # migrates to the latest schema on opening
    assert old.schema_version() == LATEST_SCHEMA >= 6
    assert "attendees" in old.table("meetings").columns
    Store.close_all()


def test_parents_signals_beside_a_goal(store):
    goal, other = "KS-GM0363-A4-D2", "KS-GM0363-A1-D1"
    before, beside = meeting.goal_signals(store, goal), meeting.goal_signals(store, other)
    stored = store.table("parent_signals")
    assert set(before["id"]) == set(stored.loc[stored["goal_id"] == goal, "id"])  # what the demo holds
    added = signals.add_signal(
        store,
        AMSTERDAM,
        {
            "signal_date": dt.date(2026, 10, 1),
            "kind": "citaat",
            "goal_id": goal,
            "text": "Ik wist niet waar ik terecht kon.",
        },
        CHAIR,
    )
    found = meeting.goal_signals(store, goal)
    assert len(found) == len(before) + 1 and "Ik wist niet waar ik terecht kon." in found["text"].tolist()
    assert set(found["id"]) - set(before["id"]) == {added}
    days = [pd.Timestamp(d).date() for d in found["signal_date"]]
    assert days == sorted(days, reverse=True)  # newest first
    assert meeting.goal_signals(store, other)["id"].tolist() == beside["id"].tolist()  # another goal: unchanged
