"""The README's two commands are the ones that work, and CI runs the second."""

from __future__ import annotations

import re

from conftest import ROOT

RUN_APP = "pip install -r requirements.txt && streamlit run app.py"
RUN_TESTS = "pip install -q -r requirements-dev.txt && python -m pytest"


def test_readme_states_both_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    assert RUN_APP in blocks[0] and RUN_TESTS in blocks[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert RUN_TESTS in ci.splitlines()


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
