"""The README's two commands are the ones that work, CI runs the second, and the layout table matches the tree."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT

RUN_APP = "pip install -r requirements.txt && streamlit run app.py"
RUN_TESTS = "pip install -q -r requirements-dev.txt && ruff check . && ruff format --check . && python -m pytest"


def test_readme_states_both_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    assert RUN_APP in blocks[0] and RUN_TESTS in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert RUN_TESTS in ci.splitlines()


def test_readme_and_ci_run_the_same_commands():
    """Every command .ci/run runs (install, lint, format check, tests) is written the same way in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme_lines = {
        line.strip() for block in re.findall(r"```bash\n(.*?)```", readme, flags=re.S) for line in block.splitlines()
    }
    ci_lines = {line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()}
    ci_lines = {line for line in ci_lines if line and not line.startswith("#")}
    for tool in ("pip install", "ruff check", "ruff format", "python -m pytest"):
        in_ci = {line for line in ci_lines if tool in line}
        assert in_ci and in_ci <= readme_lines, tool
    assert "ruff==" in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")


def test_every_requirement_is_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_readme_file_format_examples_are_valid_imports(config):
    """The examples a user copies from the README import without errors."""
    import pandas as pd

    from kansrijke.dataio.importer import read_upload
    from kansrijke.dataio.ingest.common import Upload

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    munis = pd.read_csv(ROOT / "data" / "gemeenten_2025.csv", dtype=str)
    munis = munis.rename(columns={"gemeentecode": "code", "gemeentenaam": "name"})[["code", "name"]]
    text = re.search(r"```text\n(gemeentecode.*?)```", readme, flags=re.S).group(1)
    values = read_upload(Upload("readme.csv", text.encode()), config, munis)
    assert values.ok, [p.text() for p in values.problems]
    assert len(values.tables["indicator_values"]) == 3
    plan_text = re.search(r"```yaml\n(.*?)```", readme, flags=re.S).group(1)
    plan = read_upload(Upload("readme.yaml", plan_text.encode()), config, munis)
    assert plan.ok, [p.text() for p in plan.problems]
    assert plan.tables["goals"].iloc[0]["indicator_id"] == "tienermoeders"


# -- the layout table ------------------------------------------------------------------------------------------
NOT_IN_GIT = {".git", "__pycache__", "artifacts", ".pytest_cache", ".hypothesis", ".ruff_cache", ".benchmarks", ".venv"}


def layout_table() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (.*) \|$", section, flags=re.M)
    return dict(rows)


def top_level_entries() -> set[str]:
    """What a clone holds at the top (tracked or new, not ignored); directories end in ``/``."""
    if shutil.which("git") and (ROOT / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        names = {Path(line).parts[0] for line in listed if (ROOT / line).exists()}
    else:
        names = {p.name for p in ROOT.iterdir() if p.name not in NOT_IN_GIT}
    return {name + "/" if (ROOT / name).is_dir() else name for name in names}


def package_folders() -> set[str]:
    folders = {p.parent for p in (ROOT / "kansrijke").rglob("*.py") if "__pycache__" not in p.parts}
    return {p.relative_to(ROOT).as_posix() + "/" for p in folders}


def test_layout_table_lists_every_package_folder_and_top_level_entry_and_nothing_else():
    table = layout_table()
    assert "kansrijke/core/" in table and "kansrijke/dataio/ingest/" in table
    expected = package_folders() | top_level_entries()
    assert sorted(expected - set(table)) == [], "missing from the README's layout table"
    assert sorted(set(table) - expected) == [], "in the README's layout table but not in the tree"
    assert all(what.strip() for what in table.values())


def test_readme_names_only_files_that_exist():
    """Every ``kansrijke/...`` path the README mentions is there (no paths left from an old layout)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`(kansrijke/[\w/.]+)`", readme))
    assert paths
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []
