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
