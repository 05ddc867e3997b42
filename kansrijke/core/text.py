"""User text made inert: ``md_escape`` for Markdown (the pages, the minutes file), ``chart_text`` for Plotly
figures (titles, legend names, axis labels, hover text, annotations) and ``file_name`` for download names.
Whatever a user or a file typed is shown exactly as typed: never a link, image, formula, colour, emoji or
markup."""

from __future__ import annotations

import re

import pandas as pd

# Every character Markdown (CommonMark, GFM, Streamlit's directives) gives a meaning; ``/`` and ``:`` too, so
# nothing reads as a scheme or a path of a link.
MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~$/:"
WORD_JOINER = "\u2060"  # invisible, keeps the word whole
_AUTOLINK_START = re.compile(r"(?i)(https?|ftp|www|mailto|xmpp)")


def md_escape(text: object) -> str:
    """User text safe for Markdown: no live links, images or HTML, no emphasis or lists, and no bare web or
    e-mail address made clickable. The text reads the same when rendered; ``None``/NaN give ``""``.

    GFM turns bare web and e-mail addresses into links even when their punctuation is escaped, so their
    patterns (``http``, ``www``, ``mailto``, ``@``...) are broken with an invisible word joiner.
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    out = str(text)
    for ch in MARKDOWN_SPECIALS:
        out = out.replace(ch, "\\" + ch)
    out = _AUTOLINK_START.sub(lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:], out)
    return out.replace("@", WORD_JOINER + "@")


def md_unescape(text: str) -> str:
    """What a person reads of ``md_escape``'s output (for tests and plain-text places): the original text."""
    return re.sub(r"\\(.)", r"\1", text.replace(WORD_JOINER, ""))


# Plotly reads a small HTML subset (``<a href>``, ``<b>``, ``<br>``, ...) and entities in every text it draws,
# fills ``%{...}`` in hover and text templates, and would typeset ``$...$`` with MathJax. Entities are decoded
# when the text is drawn, so the escaped text reads exactly as typed.
_CHART_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "$": "&#36;", "{": "&#123;", "}": "&#125;"})


def chart_text(text: object) -> str:
    """User text safe for a Plotly figure (titles, trace and legend names, axis categories, hover text and
    templates, annotations): no link, image, bold or line break from its markup, no template field, no
    formula. ``None``/NaN give ``""``. Escape the text itself, never the builder's own markup around it."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    return str(text).translate(_CHART_ENTITIES)


_UNSAFE_IN_FILE_NAME = re.compile(r"[^0-9A-Za-z._-]+")


def file_name(*parts: object, suffix: str = "") -> str:
    """A download's file name from parts that may hold user text (a coalition id, a period): letters, digits,
    ``.``, ``_`` and ``-`` only, parts joined by ``-`` ("raadsinformatie-KS-GM0363-2023.pdf")."""
    cleaned = (_UNSAFE_IN_FILE_NAME.sub("-", str(p)).strip("-.") for p in parts)
    return "-".join(c for c in cleaned if c)[:120] + suffix
