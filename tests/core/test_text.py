"""The one escaper (``kansrijke.core.text.md_escape``): user text shown in Markdown (the pages, the minutes file)
stays literal text: no HTML, images, links, emphasis or lists, and no bare web or e-mail address made clickable."""

from __future__ import annotations

import re

import pytest

from kansrijke.core.text import MARKDOWN_SPECIALS, WORD_JOINER, md_escape, md_unescape

NASTY = [
    "<img src=x onerror=alert(1)> [klik](https://evil.nl) zie www.x.nl of mail a@b.nl",
    "![plaatje](http://example.org/x.png)",
    "<script>alert('x')</script>",
    "**vet** _schuin_ `code` ~~weg~~ $x^2$",
    "# Kop\n- lijst\n1. genummerd\n> citaat",
    "Zie HTTPS://Example.ORG/pad?a=1, ftp://x.nl, mailto:jan@x.nl en xmpp:jan@x.nl",
    "[ref]: http://evil.nl",
    ":red[rood] :material/warning: \\*al ontsnapt\\*",
    "Gewone tekst: 10:30 uur, 1/2 dag.",
]


@pytest.mark.parametrize("text", NASTY)
def test_every_markdown_character_is_escaped_and_the_text_reads_the_same(text):
    shown = md_escape(text)
    plain = shown.replace(WORD_JOINER, "")
    # every special character in the output is preceded by a backslash that is not itself escaped
    i = 0
    while i < len(plain):
        if plain[i] == "\\":
            assert plain[i + 1] in MARKDOWN_SPECIALS, (plain, i)
            i += 2
            continue
        assert plain[i] not in MARKDOWN_SPECIALS, (plain, i)
        i += 1
    assert md_unescape(shown) == text  # what a person reads is exactly what was typed


@pytest.mark.parametrize("text", NASTY)
def test_no_bare_web_or_email_address_stays_recognisable(text):
    shown = md_escape(text)
    for pattern in (r"(?i)https?", r"(?i)www", r"(?i)ftp", r"(?i)mailto", r"(?i)xmpp", r"\w@"):
        assert not re.search(pattern, shown), (pattern, shown)


def test_links_images_and_html_lose_their_syntax():
    shown = md_escape("<img src=x> [klik](https://evil.nl) zie www.x.nl of mail a@b.nl")
    assert "\\<img" in shown and "\\]\\(" in shown  # markup characters are escaped
    for pattern in ("https://", "www.", "a@b"):  # addresses are not contiguous, so not autolinked
        assert pattern not in shown
    assert md_unescape(shown) == "<img src=x> [klik](https://evil.nl) zie www.x.nl of mail a@b.nl"


def test_missing_values_are_empty_and_others_are_text():
    assert md_escape(None) == "" and md_escape(float("nan")) == ""
    assert md_escape(12.5) == "12\\.5" and md_escape("Gewoon") == "Gewoon"


def test_the_pages_use_this_one_escaper():
    """The minutes file keeps text readable with its own, lighter escaper (``tests/meeting/test_minutes_markdown``)."""
    from kansrijke import web

    assert web.escape is md_escape
