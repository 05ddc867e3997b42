"""The architecture stays visible: who may import what, SQL in one place, all UI text in the catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml
from conftest import ROOT

from kansrijke.core.i18n import catalogue

PACKAGE = ROOT / "kansrijke"
PAGES = sorted((ROOT / "pages").glob("*.py"))
PY_FILES = sorted(PACKAGE.rglob("*.py")) + PAGES + [ROOT / "app.py"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_store_imports_duckdb():
    users = {p.name for p in PY_FILES if "duckdb" in imported_modules(p)}
    assert users == {"store.py"}


def test_only_ui_imports_streamlit_in_the_package():
    users = {p.parent.name for p in PACKAGE.rglob("*.py") if "streamlit" in imported_modules(p)}
    assert users == {"web"}


def test_pages_hold_no_sql():
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s", re.IGNORECASE)
    for page in PAGES + [ROOT / "app.py"]:
        text = page.read_text(encoding="utf-8")
        assert not sql.search(text.replace("selectbox", "")), page.name


def test_every_message_key_used_in_code_exists():
    keys = catalogue("nl")
    used = set()
    pattern = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
    for path in PY_FILES:
        used.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "no message keys found"
    missing = sorted(k for k in used if k not in keys)
    assert missing == []


def test_named_queries_exist_for_every_call():
    pattern = re.compile(r"""\.(?:query|scalar|run)\(\s*["']([a-z_]+)["']""")
    names = set()
    for path in PY_FILES:
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert names
    for name in names:
        assert list(PACKAGE.glob(f"**/sql/{name}.sql")), name


def test_catalogue_is_valid_yaml_with_text_values():
    tree = yaml.safe_load((PACKAGE / "core" / "locales" / "nl.yaml").read_text(encoding="utf-8"))
    assert isinstance(tree, dict) and catalogue("nl")["app.title"] == "Kansrijke Start Monitor"
