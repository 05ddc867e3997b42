"""Message catalogue: every UI string lives in ``locales/<lang>.yaml``.

A second language is one more YAML file with the same keys (tests check that
every key used in code exists in the catalogue).

Plural forms: an entry may be a mapping of CLDR plural categories,
``{one: "{count} doel", other: "{count} doelen"}``. ``t(key, count=n)`` picks the
form by the language's plural rule (Babel) and fills ``{count}`` with ``n`` in
nl-NL notation (``1.234``); no more "doel(en)" in brackets.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import IO

import yaml
from babel import Locale

from kansrijke.core import fmt

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "nl"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster than pure Python
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})  # CLDR

Plural = dict[str, str]  # {"one": ..., "other": ...}: one catalogue entry with a form per plural category
# The terms the glossary explains (``glossary.<term>``; an underscore is a space), in the order shown.
GLOSSARY = (
    "ambitie",
    "doel",
    "resultaat",
    "indicator",
    "basiswaarde",
    "streefwaarde",
    "streefjaar",
    "pad",
    "marge",
    "peildatum",
    "onderdrukt",
    "vergelijkbare_gemeenten",
    "samengenomen",
    "trekker",
    "fase",
    "procentpunt",
)


def load_yaml(text: str | IO[str]) -> object:
    """``yaml.safe_load`` with the C loader when PyYAML has it (the catalogue and config.yaml)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def is_plural(node: object) -> bool:
    """A mapping whose keys are all CLDR plural categories, with at least ``other``: one entry, not a section."""
    return isinstance(node, dict) and "other" in node and {str(k) for k in node} <= PLURAL_CATEGORIES


@cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str | Plural]:
    """Flat ``{"a.b.c": text}`` mapping loaded from ``locales/<language>.yaml``; a plural entry stays one
    ``{"one": ..., "other": ...}`` value."""
    with open(LOCALES_DIR / f"{language}.yaml", encoding="utf-8") as fh:
        tree = load_yaml(fh)
    flat: dict[str, str | Plural] = {}

    def walk(prefix: str, node: object) -> None:
        if is_plural(node):
            flat[prefix] = {str(k): str(v) for k, v in node.items()}
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = str(node)

    walk("", tree)
    return flat


def glossary(language: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """(term, short explanation) for every term of the glossary, in order."""
    return [(term.replace("_", " "), t(f"glossary.{term}", language)) for term in GLOSSARY]


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def plural_form(count: float, language: str = DEFAULT_LANGUAGE) -> str:
    """The CLDR plural category of ``count``; Dutch: ``1`` -> ``one``; ``0``, ``2``, ``1,5`` -> ``other``."""
    return _locale(language).plural_form(abs(count))


def t(key: str, language: str = DEFAULT_LANGUAGE, /, *, count: float | str | None = None, **params: object) -> str:
    """Translate ``key`` and fill ``{placeholders}``; a missing key raises KeyError.

    A plural entry needs a number ``count``: it picks the form (``t("report.goals", count=3)`` -> ``3 doelen``)
    and is shown as ``{count}`` in nl-NL notation; without ``count`` it is a TypeError. On a plain entry
    ``count`` is an ordinary placeholder.
    """
    entry = catalogue(language)[key]
    if isinstance(entry, dict):
        if count is None:
            raise TypeError(f"{key} has plural forms: call t({key!r}, count=...)")
        text = entry.get(plural_form(count, language), entry["other"])
        whole = float(count).is_integer()
        params = {"count": fmt.number(count, 0 if whole else 1), **params}
        return text.format(**params)
    if count is not None:
        params["count"] = count
    return entry.format(**params) if params else entry
