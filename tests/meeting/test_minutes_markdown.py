"""The Markdown minutes read as typed (no escape backslashes in ordinary text) and keep hostile text inert:
no link, image, HTML, heading, list, emphasis, formula, emoji or bare address when someone renders the file."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kansrijke import meeting
from kansrijke.core.text import md_unescape
from kansrijke.meeting.markdown import WORD_JOINER, minutes_text

READABLE = ["Ommen e.o.", "Zwolle-Zuid", "GGD IJsselland (JGZ), 2 verloskundigen; 14:00 uur!", "snake_case", "1.234"]
HOSTILE = [
    "[klik](http://x)",
    "<img src=x>",
    "![x](https://evil.example/p)",
    '<a href="https://evil.example">x</a>',
    "# kop",
    "- lijst",
    "2024. Het jaar",
    "> citaat",
    "**vet** en _schuin_",
    "~~weg~~ `code`",
    "$\\frac{1}{2}$",
    ":smile: :red[rood] :material/home:",
    "www.evil.example en jan@evil.example",
    "javascript:alert(1)",
    "&lt;b&gt;",
    "Titel ##",
]
# What would make a construct when the Markdown is rendered (CommonMark with GFM), found in its source.
LIVE = {
    "link or image": re.compile(r"(?<!\\)\["),
    "html or autolink": re.compile(r"(?<!\\)<"),
    "emphasis or list": re.compile(r"(?<!\\)\*"),
    "emphasis": re.compile(r"(?<![\\\w])_|(?<!\\)_(?!\w)"),
    "code or strike": re.compile(r"(?<!\\)[`~]"),
    "formula": re.compile(r"(?<!\\)\$"),
    "emoji or icon": re.compile(r"(?<!\\):[a-z][\w/]*:"),
    "web address": re.compile(r"://|www\.|https?:|javascript:|\w@\w", re.IGNORECASE),
    "entity": re.compile(r"(?<!\\)&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"),
    "block at the start": re.compile(r"^(#{1,6}\s|>|-\s|\d+[.)]\s)"),
    "closing hashes": re.compile(r"\s(?<!\\)#+$"),
}


def live(text: str) -> list[str]:
    return [name for name, rx in LIVE.items() if rx.search(text)]


def test_ordinary_text_reads_as_typed():
    for text in READABLE:
        assert minutes_text(text) == text


def test_hostile_text_stays_inert_and_reads_as_typed():
    for text in HOSTILE:
        out = minutes_text(text)
        assert live(out) == [], (text, out)
        assert md_unescape(out) == text  # a reader (or a renderer) sees what was typed


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60))
def test_any_text_is_inert_and_reads_as_typed(text):
    out = minutes_text(text)
    assert "\n" not in out and live(out) == []
    assert md_unescape(out) == " ".join(text.replace(WORD_JOINER, "").split()) or WORD_JOINER in text


def test_missing_values_are_empty():
    assert minutes_text(None) == "" and minutes_text(float("nan")) == ""


def minutes(**changes) -> meeting.Minutes:
    base = dict(
        meeting_id=1,
        coalition_id="KS-X",
        coalition_name="Coalitie Ommen e.o.",
        started_at=dt.datetime(2026, 11, 24, 14, 0),
        ended_at=dt.datetime(2026, 11, 24, 15, 30),
        shown=["Ambities en hun status", "Doel: Minder roken in Zwolle-Zuid"],
        decisions=["Ommen e.o. en Zwolle-Zuid kiezen één zorgpad (2025)."],
        actions=pd.DataFrame(
            [
                {
                    "action_date": dt.date(2026, 12, 8),
                    "text": "Spiegelgesprek in Zwolle-Zuid",
                    "owner": "GGD IJsselland",
                    "status": "gepland",
                    "goal_title": "Minder roken",
                }
            ]
        ),
        attendees="Gemeente Ommen e.o., GGD IJsselland, verloskundigen Zwolle-Zuid",
    )
    return meeting.Minutes(**(base | changes))


def test_the_minutes_file_has_no_escape_backslashes_and_names_who_attended():
    text = meeting.minutes_markdown(minutes())
    assert "\\" not in text
    assert text.startswith("# Verslag coalitieoverleg: Coalitie Ommen e.o.\n")
    lines = text.splitlines()
    at = lines.index("## Aanwezig")
    assert lines[at + 2] == "Gemeente Ommen e.o., GGD IJsselland, verloskundigen Zwolle-Zuid"
    assert "- Ommen e.o. en Zwolle-Zuid kiezen één zorgpad (2025)." in lines
    assert "- Doel: Minder roken in Zwolle-Zuid" in lines
    assert (
        "- 8 december 2026: Spiegelgesprek in Zwolle-Zuid (trekker: GGD IJsselland; gepland); doel: Minder roken"
        in (lines)
    )
    nobody = meeting.minutes_markdown(minutes(attendees=None)).splitlines()
    assert nobody[nobody.index("## Aanwezig") + 2] == "Niet genoteerd."


def test_hostile_names_in_the_minutes_file_stay_inert():
    text = meeting.minutes_markdown(
        minutes(
            coalition_name="[klik](http://x)",
            attendees="<img src=x> # Kop",
            decisions=["![a](https://evil.example/p) **vet**"],
            shown=["- lijst"],
        )
    )
    user_lines = [line for line in text.splitlines() if "klik" in line or "img" in line or "evil" in line]
    user_lines += [line for line in text.splitlines() if line.startswith("- \\- lijst")]
    assert len(user_lines) == 4
    for line in user_lines:
        body = re.sub(r"^(# Verslag coalitieoverleg: |- )", "", line)
        assert live(body) == [], line
    assert "Verslag coalitieoverleg: [klik](http://x)" in md_unescape(text)
    assert "<img src=x> # Kop" in md_unescape(text)
