"""Issue 12: the minutes of a meeting held on the demo say they are fictitious: the label line right under the
title of the Markdown download, and on every page of the PDF (also when it runs over several pages). Minutes
of a meeting on own data carry no label. Read back as text and with pypdf."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from kansrijke import access, meeting
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

LABEL = t("demo_label.line")
AMSTERDAM = "KS-GM0363"
START = dt.datetime(2026, 11, 24, 14, 0)


@pytest.fixture(params=["demo_copy", "own_copy"])
def db(request):
    """The demo (fictitious) and the same rows marked as own data."""
    return request.param == "demo_copy", request.getfixturevalue(request.param)


def long_meeting(store: Store) -> int:
    """A meeting with enough decisions for a PDF of more than one page."""
    chair = access.operator()
    meeting_id = meeting.start_meeting(store, AMSTERDAM, START, chair)
    for i in range(70):
        text = f"Besluit {i + 1}: het zorgpad voor zwangeren wordt vastgesteld"
        meeting.record_decision(store, meeting_id, text, chair)
    meeting.end_meeting(store, meeting_id, START + dt.timedelta(hours=1), ["Ambities en hun status"], chair)
    return meeting_id


def test_minutes_markdown_and_every_pdf_page_say_fictief_for_the_demo_only(db):
    demo, path = db
    store = Store.open(path)
    found = meeting.minutes(store, long_meeting(store))
    assert found.demo is demo

    lines = meeting.minutes_markdown(found).splitlines()
    assert lines[0].startswith("# Verslag coalitieoverleg")
    if demo:
        assert lines[2] == f"**{LABEL}**"  # right under the title, as typed (no escapes)
    assert ("FICTIEF" in "\n".join(lines)) is demo

    reader = PdfReader(io.BytesIO(meeting.minutes_pdf(found)))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        assert (LABEL in text) is demo
        assert ("FICTIEF" in text) is demo
    assert reader.metadata.title.startswith("FICTIEF: ") is demo
    store.close()
