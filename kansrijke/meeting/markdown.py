"""User text in a Markdown file that people read as plain text (the minutes): as typed, made inert only where
Markdown would give it a meaning.

``core.text.md_escape`` escapes every punctuation mark, which is right for text Streamlit renders on a page
but fills a downloaded file with backslashes ("Ommen e\\.o\\."). ``minutes_text`` leaves ordinary text alone
("Ommen e.o.", "Zwolle-Zuid", "14:00", "snake_case") and only neutralises what would start a construct:

- everywhere: ``\\``, ``*``, `````, ``~``, ``[``, ``]`` (links, images, footnotes, task boxes), ``<`` (HTML,
  autolinks), ``$`` (formulas), an ``_`` at a word's edge (emphasis), an entity (``&amp;``), an emoji or icon
  code (``:smile:``, ``:material/x:``) and a bare web or e-mail address or script scheme (an invisible word
  joiner breaks ``https``, ``www``, ``://``, ``@``, so no renderer makes a link of it);
- at the start of the text (where a line or list item starts): a heading's ``#``, ``>``, a list's ``-`` or
  ``+``, a rule's ``---`` and an ordered-list number ("2024. "); a closing run of ``#`` at the end (a
  heading's closing sequence).

Line breaks become spaces (an item is one line). Rendered by a Markdown viewer (GitHub, Streamlit, an editor's
preview), the text reads exactly as typed; read as a plain file it reads as typed unless it tried to be markup.
"""

from __future__ import annotations

import re

import pandas as pd

WORD_JOINER = "\u2060"  # invisible, keeps the word whole (as ``core.text.md_escape``)

_ALWAYS = str.maketrans({c: "\\" + c for c in "\\*`~[]<$"})
_EDGE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # not between two letters or digits
_ENTITY = re.compile(r"&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_SHORTCODE = re.compile(r":(?=[A-Za-z][\w+\-/]*:)")
_SCHEME = re.compile(r"(?i)\b(https?|ftp|www|mailto|xmpp|javascript|vbscript|data|file)(?=[:.])")
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|-(?=[\s-]|$)|\+(?=\s|$)|\d{1,9}[.)](?=\s|$))")
_CLOSING_HASHES = re.compile(r"(\s)(#+)(\s*)$")


def minutes_text(text: object) -> str:
    """User text for the minutes file: readable as typed, never a link, image, HTML, heading, list, emphasis,
    formula or emoji when the Markdown is rendered. ``None``/NaN give ``""``."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    out = " ".join(str(text).split())
    out = out.translate(_ALWAYS)
    out = _EDGE_UNDERSCORE.sub(r"\\_", out)
    out = _ENTITY.sub(r"\\&", out)
    out = _SHORTCODE.sub(r"\\:", out)
    out = _SCHEME.sub(lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:], out)
    out = out.replace("://", ":" + WORD_JOINER + "//").replace("@", WORD_JOINER + "@")
    out = _BLOCK_START.sub(lambda m: _escape_marker(m.group(1)), out)
    return _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2) + m.group(3), out)


def _escape_marker(marker: str) -> str:
    if marker[0].isdigit():  # "2024. " or "3) ": escape the dot or bracket, the number stays
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
