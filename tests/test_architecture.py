"""The architecture stays checkable: who may import what, no cycles, SQL only in .sql files, every named
query and every message key both defined and used.

Every Python file of the product is walked (``kansrijke/**``, ``pages/``, ``app.py``, ``benchmarks/``) with
``ast``; nothing is imported or run.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from kansrijke.core.i18n import catalogue

PACKAGE = ROOT / "kansrijke"
FILES = sorted(
    [*PACKAGE.rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py", *(ROOT / "benchmarks").rglob("*.py")]
)
TEST_FILES = sorted((ROOT / "tests").rglob("*.py"))
FOLDERS = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and list(p.rglob("*.py")))
FEATURES = [name for name in FOLDERS if name not in ("core", "web")]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in FILES}


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports(path: Path) -> list[tuple[ast.stmt, str, list[str]]]:
    """Every import statement of ``path``: (node, absolute module, names imported from it)."""
    found = []
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            found.extend((node, alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node, module, [alias.name for alias in node.names]))
    return found


def imported_modules(path: Path) -> set[str]:
    """Absolute names of everything ``path`` imports (``from a import b`` gives ``a.b`` when that is a module)."""
    names = set()
    for _, module, members in imports(path):
        submodules = {f"{module}.{m}" for m in members if f"{module}.{m}" in MODULES}
        names.update(submodules)
        if not members or len(submodules) < len(members):
            names.add(module)
    return names


def internal_targets(path: Path) -> set[str]:
    """The repository's own modules that ``path`` imports (edges of the module graph)."""
    targets = set()
    for name in imported_modules(path):
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name:
            targets.add(name)
    targets.discard(module_name(path))
    return targets


def folder(module: str) -> str | None:
    """The package folder directly under kansrijke/ that holds ``module`` (None outside one)."""
    parts = module.split(".")
    if parts[0] == "kansrijke" and len(parts) > 1 and parts[1] in FOLDERS:
        return parts[1]
    return None


def uses(path: Path, top: str) -> bool:
    return any(name == top or name.startswith(top + ".") for name in imported_modules(path))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# -- who may import what --------------------------------------------------------------------------------------
def test_the_walk_sees_every_folder():
    assert {"core", "web", "plan", "actions", "dataio"} <= set(FOLDERS)
    assert "kansrijke.dataio.ingest.common" in MODULES and "app" in MODULES
    assert any(name.startswith("pages.") for name in MODULES) and any(n.startswith("benchmarks.") for n in MODULES)


def test_core_imports_no_feature_and_no_web():
    bad = [
        f"{rel(p)} imports {target}"
        for p in FILES
        if folder(module_name(p)) == "core"
        for target in internal_targets(p)
        if folder(target) not in ("core", None) or target in ("kansrijke", "kansrijke.__main__")
    ]
    assert bad == []


def test_features_never_import_the_web_layer():
    bad = [
        f"{rel(p)} imports {t}"
        for p in FILES
        if folder(module_name(p)) in FEATURES
        for t in internal_targets(p)
        if folder(t) == "web"
    ]
    assert bad == []


def test_only_the_web_layer_pages_and_app_import_streamlit():
    def allowed(path: Path) -> bool:
        name = rel(path)
        return name.startswith(("kansrijke/web/", "pages/")) or name == "app.py"

    bad = [rel(p) for p in FILES if not allowed(p) and uses(p, "streamlit")]
    # The benchmarks drive the app like the tests or a browser do: Streamlit's test harness, or its wire protocol
    # (the protobuf messages, for the load benchmark's websocket client) only.
    driving = ("streamlit.testing", "streamlit.proto")
    bad = [
        name
        for name in bad
        if not (
            name.startswith("benchmarks/")
            and all(m.startswith(driving) for m in imported_modules(ROOT / name) if m.startswith("streamlit"))
        )
    ]
    assert bad == []


def test_only_the_store_imports_duckdb():
    assert [rel(p) for p in FILES if uses(p, "duckdb")] == ["kansrijke/core/store.py"]


# -- no cycles -------------------------------------------------------------------------------------------------
def module_graph() -> dict[str, set[str]]:
    return {module_name(p): internal_targets(p) for p in FILES}


def test_the_graph_sees_relative_and_submodule_imports():
    graph = module_graph()
    assert "kansrijke.web.context" in graph["kansrijke.web"]  # from .context import ...
    assert "kansrijke.core.store" in graph["kansrijke.plan.overview"] or any(
        "kansrijke.core." in t for t in graph["kansrijke.plan.overview"]
    )


def test_cycles_are_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_modules():
    assert cycles(module_graph()) == []


def test_no_import_cycles_between_feature_folders():
    graph: dict[str, set[str]] = defaultdict(set)
    for source, targets in module_graph().items():
        for target in targets:
            a, b = folder(source), folder(target)
            if a and b and a != b:
                graph[a].add(b)
    assert cycles(graph) == []


# -- imports at the top --------------------------------------------------------------------------------------
LAZY = re.compile(r"#\s*lazy:\s*\S")


def test_imports_inside_functions_say_why():
    """An import inside a function hides a dependency; allowed only with ``# lazy: <why>`` on its line."""
    bad = []
    for path in FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        for func in ast.walk(tree(path)):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    span = lines[node.lineno - 1 : node.end_lineno]
                    if not any(LAZY.search(line) for line in span):
                        bad.append(f"{rel(path)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert sorted(set(bad)) == []


# -- SQL only in .sql files ------------------------------------------------------------------------------------
SQL = re.compile(
    r"\bSELECT\s+(?:DISTINCT\s+)?(?:\*|[\w.\"]+(?:\s*,|\s+AS\s+\w+|\s+FROM\b))"
    r"|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+[\w\"]+"
    r"|\bUPDATE\s+[\w\"]+\s+SET\s+[\w\"]+\s*="
    r"|\bDELETE\s+FROM\s+[\w\"]+"
    r"|\b(?:CREATE|DROP|ALTER)\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:TABLE|VIEW|INDEX|SEQUENCE)\b"
    r"|\bFROM\s+[\w\"]+\s+WHERE\s+[\w\"]+\s*(?:=|IN\b|IS\b)"
    r"|(?-i:\bSELECT\b[^;]{1,300}?\bFROM\b)",
    re.IGNORECASE,
)


def string_constants(path: Path, templates: bool = True):
    """(line, text) of every string constant of ``path``; an f-string as one text with ``x`` for each field."""
    parts = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.JoinedStr):
            parts.update(id(v) for v in node.values)
            if templates:
                yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
            yield node.lineno, node.value


@pytest.mark.parametrize(
    ("text", "is_sql"),
    [
        ("SELECT * FROM actions WHERE id = $id", True),
        ("select code, name from municipalities", True),
        ("INSERT INTO meta VALUES ('a', '1')", True),
        ("UPDATE actions SET status = $status", True),
        ("DELETE FROM signals WHERE id = $id", True),
        ("CREATE TABLE x (a INT)", True),
        (f"DELETE FROM {'x'} WHERE {'a'} IN (SELECT 1)", True),
        ("SELECT max(version) FROM schema_version", True),
        ("Selecteer een gemeente uit de lijst", False),
        ("Select the rows from the table you need", False),
        ("Update de actie en kies een status", False),
        ("Verwijder (delete) de regel uit het actielog; select een rij", False),
        ("Insert een rij in de tabel", False),
        ("Maak (create) een nieuwe tabel aan", False),
    ],
)
def test_the_sql_pattern_tells_sql_from_dutch(text, is_sql):
    assert bool(SQL.search(text)) == is_sql


# The store's generic table helpers (copy, compare and delete rows of a table named by the caller, checked
# against the schema) splice an identifier, which a parameter cannot hold: f-strings there only.
IDENTIFIER_SQL = {"kansrijke/core/store.py"}


def test_no_sql_outside_sql_files():
    bad = [
        f"{rel(p)}:{line}: {text[:80]!r}"
        for p in FILES
        for line, text in string_constants(p, templates=rel(p) not in IDENTIFIER_SQL)
        if SQL.search(text)
    ]
    assert bad == []


# -- named queries -----------------------------------------------------------------------------------------------
QUERY_CALLS = {"query", "scalar", "run", "query_text"}
NAME = re.compile(r"[a-z][a-z0-9_]*")


def named_queries(paths: list[Path]) -> dict[str, list[str]]:
    """Query names passed as a literal to ``.query/.scalar/.run/query_text`` -> where."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for node in ast.walk(tree(path)):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            first = node.args[0]
            if called in QUERY_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                if NAME.fullmatch(first.value):
                    found[first.value].append(f"{rel(path)}:{node.lineno}")
    return found


def sql_files() -> list[Path]:
    return sorted(PACKAGE.glob("**/sql/*.sql"))


def test_query_names_are_unique():
    by_name = defaultdict(list)
    for path in sql_files():
        by_name[path.stem].append(rel(path))
    assert {name: paths for name, paths in by_name.items() if len(paths) > 1} == {}


def test_every_named_query_called_in_code_exists():
    called = named_queries(FILES)
    assert len(called) > 50
    defined = {p.stem for p in sql_files()}
    assert {name: where for name, where in called.items() if name not in defined} == {}


def test_every_sql_file_is_used_by_the_code_or_a_test():
    called = set(named_queries(FILES)) | set(named_queries(TEST_FILES))
    assert [rel(p) for p in sql_files() if p.stem not in called] == []


def test_sql_files_live_in_a_sql_folder_or_the_migrations():
    stray = [rel(p) for p in PACKAGE.rglob("*.sql") if p.parent.name not in ("sql", "migrations")]
    assert stray == []


# -- the message catalogue -----------------------------------------------------------------------------------------
# Keys built at run time: ``t(f"action_status.{status}")`` uses every key whose placeholder part is a word of
# the code or the SQL (a string constant such as "gepland", a quoted value such as 'hersteld') or a number.
# Only parts that exist nowhere as a word are listed here; keep this list short, prefer literal keys.
DYNAMIC_PREFIXES = {
    "selfscan.dim.": "the scan's dimensions basis_N, principe_N, les_N are built with f-strings (selfscan/scan.py)",
    "selfscan.dim_help.": "the same dimensions",
    "progress.count.": "status words with a space ('op koers') per kind of item (plan/progress.py _count_text)",
    "progress.legend.text.": "the same status words, one sentence each (plan/progress.py status_legend)",
    "streamlit_ui.": "Streamlit's English widget words, read section by section (web/pages.py _script)",
}


def t_calls(path: Path):
    """The first argument of every ``t(...)`` call in ``path``."""
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
            yield node.lineno, node.args[0]


@cache
def words() -> frozenset[str]:
    """The parts run-time keys are built from: identifier-like string constants of the code and quoted
    values in the SQL (statuses, kinds), lower case."""
    found = {
        text.lower() for p in FILES for _, text in string_constants(p, templates=False) if re.fullmatch(r"\w+", text)
    }
    for path in PACKAGE.rglob("*.sql"):
        found.update(v.lower() for v in re.findall(r"'(\w+)'", path.read_text(encoding="utf-8")))
    return frozenset(found)


def fits(arg: ast.JoinedStr, key: str) -> bool:
    """Can ``t(f"report.none_{kind}")`` give ``key``? Each placeholder stands for a word or a number."""
    known = words()

    def rest(parts: list, text: str) -> bool:
        if not parts:
            return text == ""
        part, more = parts[0], parts[1:]
        if isinstance(part, ast.Constant):
            return text.startswith(part.value) and rest(more, text[len(part.value) :])
        return any((text[:i] in known or text[:i].isdigit()) and rest(more, text[i:]) for i in range(1, len(text) + 1))

    return key.startswith(literal_prefix(arg)) and rest(arg.values, key)


def literal_prefix(arg: ast.JoinedStr) -> str:
    first = arg.values[0]
    return first.value if isinstance(first, ast.Constant) else ""


@cache
def used_keys() -> frozenset[str]:
    keys = catalogue("nl")
    used = set()
    for path in FILES:
        # Any string constant that is a whole key: t("a.b"), dicts and tuples of keys, key variables.
        used.update(text for _, text in string_constants(path) if text in keys)
        for _, arg in t_calls(path):
            if isinstance(arg, ast.JoinedStr):
                used.update(k for k in keys if fits(arg, k))
    used.update(k for k in keys if k.startswith(tuple(DYNAMIC_PREFIXES)))
    return frozenset(used)


def test_every_message_key_used_in_code_exists():
    keys = catalogue("nl")
    missing = [
        f"{rel(p)}:{line}: {arg.value}"
        for p in FILES
        for line, arg in t_calls(p)
        if isinstance(arg, ast.Constant) and arg.value not in keys
    ]
    assert missing == []


def test_every_key_built_at_run_time_can_be_found():
    """Each ``t(f"...")`` either matches keys through its file's words or is under a listed prefix."""
    keys = catalogue("nl")
    lost = []
    for path in FILES:
        for line, arg in t_calls(path):
            if isinstance(arg, ast.JoinedStr) and not literal_prefix(arg).startswith(tuple(DYNAMIC_PREFIXES)):
                if not any(fits(arg, k) for k in keys):
                    lost.append(f"{rel(path)}:{line}: {ast.unparse(arg)}")
    assert lost == []


def test_every_dynamic_prefix_is_still_used():
    prefixes = {literal_prefix(arg) for p in FILES for _, arg in t_calls(p) if isinstance(arg, ast.JoinedStr)}
    assert [p for p in DYNAMIC_PREFIXES if not any(found.startswith(p) for found in prefixes)] == []


def test_every_message_key_is_used():
    assert sorted(set(catalogue("nl")) - used_keys()) == []


def test_catalogue_is_valid_yaml_with_text_values():
    def leaves(node, prefix=""):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from leaves(value, f"{prefix}.{key}" if prefix else str(key))
        else:
            yield prefix, node

    tree_ = yaml.safe_load((PACKAGE / "core" / "locales" / "nl.yaml").read_text(encoding="utf-8"))
    assert isinstance(tree_, dict) and catalogue("nl")["app.title"] == "Kansrijke Start Monitor"
    assert [key for key, value in leaves(tree_) if not (isinstance(value, str) and value.strip())] == []


def test_no_code_or_test_names_the_machine_it_was_written_on():
    """A fresh clone anywhere must test itself: no absolute path of a working copy and no ``../shared``."""
    found = []
    for path in [
        *ROOT.glob("*.py"),
        *ROOT.glob("kansrijke/**/*.py"),
        *ROOT.glob("pages/*.py"),
        *ROOT.glob("tests/**/*.py"),
        *ROOT.glob("benchmarks/*.py"),
        ROOT / ".ci" / "run",
    ]:
        text = path.read_text(encoding="utf-8")
        for bad in ('"/work/', "'/work/", "../shared", '"shared" / "reference"'):
            if bad in text and path.name != "test_architecture.py":
                found.append(f"{path.relative_to(ROOT)}: {bad}")
    assert not found
