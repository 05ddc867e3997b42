"""`python -m kansrijke status` and `rapport` as a user runs them: readable Dutch text, JSON where every item
carries a status word and its reason, a PDF written to disk, and exit code 2 with one Dutch sentence for an
unknown coalition or a path that cannot be written. The commands run in this process (the ``cli`` fixture)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from kansrijke.core import fmt
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.plan import progress
from kansrijke.report import council

WORDS = set(progress.GOAL_STATUSES) | set(progress.RESULT_STATUSES)
AMSTERDAM = "KS-GM0363"
ROOT = Path(__file__).resolve().parent.parent.parent


def coalition_ids(db) -> list[str]:
    ids = list(Store.open(db).query("coalitions")["id"])
    Store.close_all()
    return ids


def test_help_for_both_commands(cli):
    for command in ("status", "rapport"):
        proc = cli(command, "--help")
        assert proc.returncode == 0, proc.stderr
        assert "--coalitie" in proc.stdout and "--periode" in proc.stdout
    assert "status" in cli("--help").stdout and "rapport" in cli("--help").stdout


def test_status_of_one_coalition_reads_as_dutch_text(cli, demo_db):
    proc = cli("status", "--coalitie", AMSTERDAM, db=demo_db)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith(t("demo_label.line") + "\n\nCoalitie Kansrijke Start Amsterdam (KS-GM0363)")
    assert "Cijfers tot en met 2024; peildatum 24 november 2026" in out
    state = json.loads(cli("status", "--coalitie", AMSTERDAM, "--json", db=demo_db).stdout)
    for amb in state["ambities"]:
        assert f"Ambitie: {amb['titel']}" in out
        for goal in amb["doelen"]:
            assert f"Doel: {goal['titel']}" in out and f"Reden: {goal['reden']}" in out
        for result in amb["resultaten"]:
            assert f"Resultaat: {result['titel']}" in out
    statuses = [line.split("Status: ", 1)[1] for line in out.splitlines() if "Status: " in line]
    assert statuses and all(s.split(" ", 1)[1] in WORDS for s in statuses)  # "✖ achter": symbol and word
    assert "Laatste cijfer: " in out and "bron: Perined (voorlopig); peildatum 1 oktober 2026" in out
    # every result's progress line, from the JSON's figures, in Dutch number and date format
    results = [r for amb in state["ambities"] for r in amb["resultaten"]]
    assert results
    for r in results:
        got, target = r["gerealiseerd"] or 0, r["streefwaarde"]
        figure = f"{fmt.number(got, 0 if float(got).is_integer() else 1)} van "
        figure += f"{fmt.number(target, 0 if float(target).is_integer() else 1)} {r['eenheid']}"
        due = f"uiterlijk {fmt.date(dt.date.fromisoformat(r['deadline']))}" if r["deadline"] else "geen uiterste datum"
        assert f"Stand: {figure}; {due}" in out
    assert len([line for line in out.splitlines() if re.match(r" +Stand: ", line)]) == len(results)


def test_status_json_for_all_coalitions_has_a_status_word_and_reason_everywhere(cli, demo_db):
    proc = cli("status", "--json", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert isinstance(data, list) and [c["coalitie"] for c in data] == coalition_ids(demo_db)
    items = 0
    for coalition in data:
        assert coalition["periode"] == 2024  # the latest period with figures
        assert coalition["peildatum"] == "2026-11-24"  # the demo's snapshot date
        for amb in coalition["ambities"]:
            for item in [amb, *amb["doelen"], *amb["resultaten"]]:
                assert item["status"] in WORDS and item["status"] == item["status"].lower()
                assert item["reden"].strip()
                items += 1
    assert items > 500


def test_status_json_for_all_coalitions_says_what_it_says_for_each_one_alone(cli, demo_db):
    """The list (one batch for every coalition) holds, per coalition, exactly the object of ``--coalitie``."""
    data = {c["coalitie"]: c for c in json.loads(cli("status", "--json", db=demo_db).stdout)}
    ids = coalition_ids(demo_db)
    regional = next(c["coalitie"] for c in data.values() if len(c["gemeenten"]) > 1)
    for cid in dict.fromkeys([AMSTERDAM, regional, ids[0], ids[len(ids) // 2], ids[-1]]):
        proc = cli("status", "--coalitie", cid, "--json", db=demo_db)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == data[cid], cid


def test_status_loads_neither_the_comparison_nor_plotly(demo_db):
    """``status`` builds the whole parser (``vergelijk`` too) but imports the comparison feature, with its chart
    palette and Plotly, only when ``vergelijk`` runs: a new process, as a user starts it."""
    script = (
        "import contextlib, io, sys\n"
        "from kansrijke.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['status', '--json'])\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'plotly' or m.startswith('kansrijke.compare')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("KANSRIJKE_CONFIG", "KANSRIJKE_DEMO_DB")}
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "KANSRIJKE_DB": str(demo_db)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0 []"


def test_vergelijk_still_offers_and_checks_its_choices(cli, demo_db):
    assert "--tegen {landelijk,selectie,vergelijkbaar}" in cli("vergelijk", "--help").stdout
    wrong = cli("vergelijk", "--indicator", "big2", "--tegen", "elders", db=demo_db)
    assert wrong.returncode == 2 and "'elders'" in wrong.stderr and "'landelijk'" in wrong.stderr
    assert cli("vergelijk", "--indicator", "big2", "--tegen", "selectie", "--json", db=demo_db).returncode == 0


def test_status_text_for_all_coalitions_names_each_of_them(cli, demo_db):
    proc = cli("status", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    for cid in coalition_ids(demo_db):
        assert f"({cid})\n" in proc.stdout


def test_status_json_for_one_coalition_and_an_earlier_period(cli, demo_db):
    proc = cli("status", "--coalitie", AMSTERDAM, "--periode", "2022", "--json", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["coalitie"] == AMSTERDAM and data["periode"] == 2022
    latest = [g["laatste"]["periode"] for a in data["ambities"] for g in a["doelen"] if g["laatste"]]
    assert latest and max(latest) <= 2022


def test_unknown_coalition_exits_2_with_a_dutch_sentence(cli, demo_db, tmp_path):
    for args in (
        ["status", "--coalitie", "KS-GM9999"],
        ["rapport", "--coalitie", "KS-GM9999", "--out", str(tmp_path / "x.pdf")],
    ):
        proc = cli(*args, db=demo_db)
        assert proc.returncode == 2
        assert "Coalitie KS-GM9999 bestaat niet" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_rapport_writes_a_one_page_pdf(cli, demo_db, tmp_path):
    target = tmp_path / "raad.pdf"
    proc = cli("rapport", "--coalitie", AMSTERDAM, "--out", str(target), db=demo_db)
    assert proc.returncode == 0, proc.stderr
    assert "PDF geschreven" in proc.stdout and str(target) in proc.stdout
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Coalitie Kansrijke Start Amsterdam" in text and "periode 2024" in text
    assert len(reader.pages[0].images) >= 1


@pytest.mark.parametrize("browser", ["missing", "broken"])
def test_rapport_without_a_working_browser_still_writes_the_pdf_with_the_numbers(
    cli, demo_db, tmp_path, monkeypatch, browser
):
    # a new process would start without a chart browser: forget the one this process may have started
    monkeypatch.setattr(council, "_RENDERER", {"renderer": None, "broken": None})
    fake = tmp_path / "chromium"
    if browser == "broken":  # a browser that exits at once
        if os.name != "posix":
            pytest.skip("needs a shell script as fake browser")
        fake.write_text("#!/bin/sh\nexit 1\n")
        fake.chmod(0o755)
    target = tmp_path / "raad.pdf"
    proc = cli(
        "rapport",
        "--coalitie",
        AMSTERDAM,
        "--periode",
        "2023",
        "--out",
        str(target),
        db=demo_db,
        env={"BROWSER_PATH": str(fake)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "de grafieken staan als tekst" in proc.stderr and "Traceback" not in proc.stderr
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 0
    text = reader.pages[0].extract_text()
    assert "De grafiek kon niet als afbeelding worden gemaakt" in text and "periode 2023" in text


def test_rapport_to_a_path_that_cannot_be_written_exits_2(cli, demo_db, tmp_path):
    for target in (tmp_path / "no-such-folder" / "raad.pdf", tmp_path):
        proc = cli("rapport", "--coalitie", AMSTERDAM, "--out", str(target), "--zonder-grafieken", db=demo_db)
        assert proc.returncode == 2
        assert "Kan " in proc.stderr and "niet schrijven" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "no-such-folder").exists()
