"""B1 Dutch in the message catalogue: short sentences, one term per concept (with a glossary), no bracket
plurals, no English or configuration words on the pages people read, and no statistics jargon in the main
text of the alderman's pages (the formula sits in a fold-out).

``python -m pytest tests/core/test_language.py -rA`` lists every sentence over 20 words, longest first.
"""

from __future__ import annotations

import inspect
import re

import pytest

from kansrijke.core import fmt
from kansrijke.core.i18n import GLOSSARY, catalogue

AIM = 20  # words per sentence we aim for (B1)
CEILING = 25  # no sentence on a user page is longer
MAX_SHARE_OVER_AIM = 0.01  # of all sentences, at most this share is over AIM words

# Sentences over the ceiling that stay, each with its reason. Keys are catalogue keys (a plural form counts
# as its key). Keep this list short.
ALLOWED_LONG = {
    "compare.method": "the statistical method for statisticians, in the fold-out 'Hoe de vergelijking werkt'; "
    "its formulas and references do not split into shorter sentences",
}

# Who reads what. Command-line and administrator texts may name commands, settings and files.
ADMIN_SECTIONS = ("cli", "cli_status", "config", "store", "limits", "restore", "rescue", "own", "backup")
# (report.unknown_coalition: only the command line can ask for a coalition that does not exist)
ADMIN_KEY = re.compile(
    r"(^|\.)cli_|^own\.init_help$|^access\.error\.seeded$|^signin\.refused|^app\.config_error|^report\.unknown_coalition$"
)
# The alderman's pages (Overzicht, Doelen en resultaten, Raadsinformatie and its PDF) and what every page shows.
ALDERMAN_SECTIONS = ("app", "overview", "goals_page", "council_page", "progress", "report", "about", "glossary")
FOLD_OUT = re.compile(r"\.formula$|^compare\.method$|^glossary\.")  # a fold-out, or the glossary explaining a term


def texts() -> list[tuple[str, str]]:
    """(key, text) for every catalogue string, each plural form on its own."""
    found = []
    for key, value in catalogue("nl").items():
        found += [(key, form) for form in value.values()] if isinstance(value, dict) else [(key, value)]
    return found


def sentences(text: str) -> list[str]:
    """A text split into sentences: at . ! ? before white space, and at each line (Markdown list items and
    paragraphs are sentences of their own). Markdown emphasis is left out."""
    text = re.sub(r"\*+|`", "", text)
    found = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line)
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    return found


def words(sentence: str) -> list[str]:
    """The words of a sentence: a ``{placeholder}`` is one word; signs such as ``–``, ``·`` or ``=`` are none."""
    return [w for w in re.sub(r"\{[^{}]*\}", "X", sentence).split() if re.search(r"\w", w)]


def long_sentences(limit: int) -> list[tuple[int, str, str]]:
    """(words, key, sentence) for every sentence over ``limit`` words, longest first."""
    found = [(len(words(s)), key, s) for key, text in texts() for s in sentences(text)]
    return sorted((f for f in found if f[0] > limit), key=lambda f: (-f[0], f[1]))


def shown(text: str) -> str:
    """The text as people read it, without the names of its placeholders."""
    return re.sub(r"\{[^{}]*\}", "…", text)


def is_admin(key: str) -> bool:
    return key.split(".")[0] in ADMIN_SECTIONS or bool(ADMIN_KEY.search(key))


def test_the_splitter_counts_placeholders_as_words_and_splits_sentences():
    assert sentences("Eén zin. Nog één? Ja!\n- punt een\n**Vet** twee.") == [
        "Eén zin.",
        "Nog één?",
        "Ja!",
        "punt een",
        "Vet twee.",
    ]
    assert words("{count} doelen · {name} – 7,4% (2023)") == ["X", "doelen", "X", "7,4%", "(2023)"]


def test_report_the_sentences_over_twenty_words():
    """Lists every catalogue sentence over 20 words (see it with ``-rA``) and holds their share down."""
    found = long_sentences(AIM)
    total = sum(len(sentences(text)) for _, text in texts())
    print(f"\n{len(found)} of {total} sentences are over {AIM} words:")
    for n, key, sentence in found:
        print(f"{n:3} {key}: {sentence}")
    assert len(found) / total <= MAX_SHARE_OVER_AIM, "\n".join(f"{n} {k}: {s}" for n, k, s in found)


def test_no_sentence_over_the_ceiling_on_a_user_page():
    over = [f"{n} words in {key}: {s}" for n, key, s in long_sentences(CEILING) if key not in ALLOWED_LONG]
    assert over == [], "rewrite these in shorter sentences:\n" + "\n".join(over)


def test_every_allowed_long_text_is_still_long():
    still = {key for _, key, _ in long_sentences(CEILING)}
    assert sorted(set(ALLOWED_LONG) - still) == []


BRACKET_PLURAL = re.compile(r"\w\((?:s|en|n|men|'s|jes)\)|\b(\w+)/\1(?:en|s|n)\b|\bsignaal/signalen\b")


def test_no_plural_in_brackets():
    """'3 doel(en)', 'actie(s)', 'resultaat/resultaten': a plural entry picks the form instead."""
    found = [f"{key}: {text}" for key, text in texts() if BRACKET_PLURAL.search(text)]
    assert found == []


TARGET_WORDS = re.compile(r"streefdoel|Gerealiseerd / doel|\bdoel \{value\} in \{year\}", re.IGNORECASE)


def test_the_target_is_called_streefwaarde_everywhere():
    assert [f"{key}: {text}" for key, text in texts() if TARGET_WORDS.search(text)] == []


def test_the_glossary_explains_each_term_in_one_or_two_short_sentences():
    terms = {key.removeprefix("glossary."): text for key, text in texts() if key.startswith("glossary.")}
    assert set(GLOSSARY) <= set(terms) and "streefwaarde" in GLOSSARY
    for term in GLOSSARY:
        assert 1 <= len(sentences(terms[term])) <= 2 and all(len(words(s)) <= AIM for s in sentences(terms[term]))
    other = " ".join(text.lower() for key, text in texts() if not key.startswith("glossary."))
    other += inspect.getsource(fmt)  # units such as "procentpunt" come from the number formats
    assert [term for term in GLOSSARY if term.replace("_", " ") not in other] == []  # each is a term we use


# English and configuration words people should not meet on the pages (admin and command-line texts may).
USER_WORDS = re.compile(
    r"\bheatmap\b|\bgepoold|\bauditlog|\bdeadline|\bIds\b|\bids\b|\bdashboard|\bupload(?!_)|\bdry.run", re.IGNORECASE
)
CONFIG_WORDS = re.compile(r"config\.yaml|peer_groups|\bimports\.\w+|\.streamlit|python -m|KANSRIJKE_")


def test_no_english_or_jargon_words_on_user_pages():
    found = [f"{key}: {text}" for key, text in texts() if not is_admin(key) and USER_WORDS.search(shown(text))]
    assert found == []


def test_no_configuration_keys_or_file_names_on_the_aldermans_pages():
    found = [
        f"{key}: {text}"
        for key, text in texts()
        if key.split(".")[0] in ALDERMAN_SECTIONS and not is_admin(key) and CONFIG_WORDS.search(text)
    ]
    assert found == []


STATISTICS = re.compile(
    r"wilson|procentpunt|\binterval|betrouwbaarheidsinterval|trechter|\biqr\b|z = |1,959|percentiel|kwantiel",
    re.IGNORECASE,
)


@pytest.mark.parametrize("section", ALDERMAN_SECTIONS)
def test_statistics_in_words_on_the_aldermans_pages_formula_in_a_fold_out(section):
    found = [
        f"{key}: {text}"
        for key, text in texts()
        if key.split(".")[0] == section and not FOLD_OUT.search(key) and STATISTICS.search(text)
    ]
    assert found == []


def test_the_fold_out_keeps_the_formula():
    formula = catalogue("nl")["progress.margin.formula"]
    assert "Wilson" in formula and "1,959964" in formula


NUMBERS_GLUED = re.compile(r"\{target_year\} \{expected\}|\{year\} \{value\}|\{period\} \{value\}")


def test_no_two_numbers_side_by_side():
    """'het pad naar 9,8% in 2030 14,6% verwachtte': two placeholders for numbers must not touch."""
    assert [f"{key}: {text}" for key, text in texts() if NUMBERS_GLUED.search(text)] == []


# -- what the alderman's pages show ---------------------------------------------------------------------------
ON_THE_PAGE = re.compile(r"wilson|\binterval|betrouwbaarheidsinterval|trechter|\biqr\b|z = |1,959|percentiel", re.I)
TEXT_KINDS = ("markdown", "caption", "text", "title", "header", "subheader", "info", "warning", "success", "error")


def page_texts(node, skip: str) -> list[str]:
    """Every text a page shows, except inside the fold-out labelled ``skip``."""
    if getattr(node, "type", None) == "expander" and node.label == skip:
        return []
    found = [node.value] if getattr(node, "type", None) in TEXT_KINDS and isinstance(node.value, str) else []
    if getattr(node, "type", None) == "metric":
        found.append(node.label)
    for child in getattr(node, "children", {}).values():
        found += page_texts(child, skip)
    return found


@pytest.mark.parametrize("page", ["pages/overzicht.py", "pages/doelen.py", "pages/raadsinformatie.py"])
def test_the_aldermans_page_says_the_statistics_in_words_and_folds_the_formula_away(app_env, page):
    from conftest import open_app

    from kansrijke.core.i18n import t

    at = open_app(page)
    assert not at.exception
    heading = t("progress.margin.heading")
    shown = page_texts(at.main, skip=heading)
    assert shown and [text for text in shown if ON_THE_PAGE.search(text)] == []
    (fold_out,) = [e for e in at.expander if e.label == heading]
    assert not fold_out.proto.expanded  # closed until asked for
    formula = "".join(m.value for m in fold_out.markdown)
    assert "Wilson" in formula and "1,959964" in formula


def test_about_page_lists_the_glossary(app_env):
    from conftest import open_app

    at = open_app("pages/over.py")
    assert not at.exception
    body = "\n".join(m.value for m in at.markdown)
    assert "**Streefwaarde**: De waarde die de coalitie wil bereiken in het streefjaar." in body
    assert all(f"**{term.replace('_', ' ').capitalize()}**" in body for term in GLOSSARY)
