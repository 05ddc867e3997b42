"""User text made inert for Markdown: the one escaper for the pages and the minutes file."""

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
