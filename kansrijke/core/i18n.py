"""Message catalogue: every UI string lives in ``locales/<lang>.yaml``.

A second language is one more YAML file with the same keys (tests check that
every key used in code exists in the catalogue).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import IO

import yaml

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "nl"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster than pure Python


def load_yaml(text: str | IO[str]) -> object:
    """``yaml.safe_load`` with the C loader when PyYAML has it (the catalogue and config.yaml)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


@cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Flat ``{"a.b.c": text}`` mapping loaded from ``locales/<language>.yaml``."""
    with open(LOCALES_DIR / f"{language}.yaml", encoding="utf-8") as fh:
        tree = load_yaml(fh)
    flat: dict[str, str] = {}

    def walk(prefix: str, node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = str(node)

    walk("", tree)
    return flat


def t(key: str, language: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """Translate ``key`` and fill ``{placeholders}``; a missing key raises KeyError."""
    text = catalogue(language)[key]
    return text.format(**params) if params else text
