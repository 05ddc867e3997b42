"""Hand-computed cases through `python -m kansrijke status --json`, as a user would make them: a local and a
regional coalition imported as plans, their figures imported as an indicator CSV, each status on purpose.

Every expected status is worked out by hand in the comment beside its goal (README "How progress is judged").
Goals have baseline year 2022 and target year 2030 unless said otherwise, and the figures are for 2026, so the
path expects half of the planned change: expected = baseline + (target - baseline) * 4 / 8."""

from __future__ import annotations

import json
import textwrap

import pytest

LOCAL, REGION = "KS-HAND-LOKAAL", "KS-HAND-REGIO"
UTRECHT, SCHIER, VLIELAND = "GM0344", "GM0088", "GM0096"

# gemeentecode;indicator;periode;waarde;teller;noemer;bron;peildatum;status
FIGURES = """\
gemeentecode;indicator;periode;waarde;teller;noemer;bron;peildatum;status
GM0344;kwetsbare_situatie;2026;;5900;100000;RIVM;2026-10-01;definitief
GM0344;big2;2026;;14000;100000;Perined;2026-10-01;voorlopig
GM0344;sga_p10;2026;;9400;100000;Perined;2026-10-01;definitief
GM0344;lbw_2500;2026;;6200;100000;Perined;2026-10-01;definitief
GM0344;geen_kraamzorg;2026;;49;1000;RIVM;2026-10-01;definitief
GM0344;kinderen_armoede;2026;7,0;;;CBS;2026-10-01;definitief
GM0344;tienermoeders;2026;;250;100000;CBS;2026-10-01;definitief
GM0344;nnz_beschikbaar;2026;1;;;GGD;2026-10-01;definitief
GM0344;geboren_eenouder;2026;;8800;100000;CBS;2026-10-01;definitief
GM0088;nnz_beschikbaar;2026;1;;;GGD;2026-10-01;definitief
GM0096;nnz_beschikbaar;2026;0;;;GGD;2026-10-01;definitief
GM0088;vroeggeboorte;2026;;4;100;Perined;2026-10-01;definitief
GM0096;vroeggeboorte;2026;;30;400;Perined;2026-10-01;definitief
GM0363;vroeggeboorte;2026;;560;8000;Perined;2026-10-01;definitief
GM0599;vroeggeboorte;2026;;480;6400;Perined;2026-10-01;definitief
GM0088;tienermoeders;2026;;3;2000;CBS;2026-10-01;definitief
GM0096;tienermoeders;2026;;4;2000;CBS;2026-10-01;definitief
"""


def plan_yaml(coalition: str, name: str, members: list[str], goals: list[tuple]) -> str:
    rows = "\n".join(
        textwrap.dedent(
            f"""\
            - doel_id: D{i}
              ambitie_id: A1
              titel: {title}
              indicator: {indicator}
              basiswaarde: {base}
              basisjaar: {base_year}
              streefwaarde: {target}
              streefjaar: {target_year}
              eigenaar: GGD"""
        )
        for i, (title, indicator, base, base_year, target, target_year) in enumerate(goals, 1)
    )
    return (
        textwrap.dedent(
            f"""\
            coalitie:
              coalitie_id: {coalition}
              naam: {name}
              fase: 4 Uitvoering
              startdatum: 2022-01-01
              trekker: Gemeente
              gemeenten: [{", ".join(members)}]
            ambities:
            - ambitie_id: A1
              titel: Een goede start
              omschrijving: null
              horizonjaar: 2030
            doelen:
            """
        )
        + rows
        + "\nresultaten: []\nacties: []\n"
    )


LOCAL_GOALS = [
    # 5,9% with n = 100.000: interval about 5,75-6,05, meets 6,0 and excludes the baseline 8,0 -> behaald
    ("Kwetsbaar behaald", "kwetsbare_situatie", 8.0, 2022, 6.0, 2030),
    # expected 15 - 2 * 0,5 = 14,0; figure 14,0 -> ratio 1 -> op koers (provisional figure)
    ("Big2 op koers", "big2", 15.0, 2022, 13.0, 2030),
    # expected 9,0; figure 9,4 -> ratio (10 - 9,4) / (10 - 9) = 0,6 -> aandacht nodig
    ("SGA aandacht", "sga_p10", 10.0, 2022, 8.0, 2030),
    # expected 5,0; figure 6,2 (interval 6,05-6,35) -> ratio < 0 and the interval excludes 5,0 -> achter
    ("LBW achter", "lbw_2500", 6.0, 2022, 4.0, 2030),
    # expected 4,0; figure 4,9% of 1.000 (Wilson 3,7-6,4) -> ratio 0,05 but 4,0 inside -> leans achter
    ("Kraamzorg nog niet", "geen_kraamzorg", 5.0, 2022, 3.0, 2030),
    # value only: expected 7,1; figure 7,0 -> ratio 1,05 -> op koers, zonder marge
    ("Armoede zonder marge", "kinderen_armoede", 8.1, 2022, 6.1, 2030),
    # target year 2025 passed; 2,5 per 1.000 (interval about 2,2-2,8) misses 2,0 and excludes it -> achter
    ("Tienermoeders verlopen", "tienermoeders", 3.0, 2022, 2.0, 2025),
    # yes/no: nee (0) in 2022, ja wanted in 2028; ja in 2026 -> behaald
    ("NNZ beschikbaar", "nnz_beschikbaar", 0, 2022, 1, 2028),
    # baseline year 2026: nothing after it -> geen gegevens
    ("Eenouder nog geen cijfer", "geboren_eenouder", 9.0, 2026, 8.0, 2030),
]
LOCAL_EXPECTED = {
    "D1": ("behaald", None),
    "D2": ("op koers", None),
    "D3": ("aandacht nodig", None),
    "D4": ("achter", None),
    "D5": ("nog niet te beoordelen", "achter"),
    "D6": ("op koers", None),
    "D7": ("achter", None),
    "D8": ("behaald", None),
    "D9": ("geen gegevens", None),
}

REGION_GOALS = [
    # Schiermonnikoog ja, Vlieland nee: 1 of 2 municipalities = 50%; path 0% -> 100% expects 50% -> op koers
    ("NNZ in beide gemeenten", "nnz_beschikbaar", 0, 2022, 1, 2030),
    # pooled (4 + 30) / (100 + 400) = 6,8% (never the mean of 4% and 7,5%); expected 7,0 -> on the path
    # (ratio 1,2); the interval (about 4,9-9,4) holds the baseline, but op koers is read from the figure
    ("Vroeggeboorte regio", "vroeggeboorte", 8.0, 2022, 6.0, 2030),
    # 3 + 4 = 7 teenage mothers in 2026: fewer than 10, suppressed; baseline year 2025 -> no other figure
    ("Tienermoeders regio", "tienermoeders", 2.0, 2025, 1.5, 2030),
]
REGION_EXPECTED = {
    "D1": ("op koers", None),
    "D2": ("op koers", None),
    "D3": ("geen gegevens", None),
}


def run_cases(cli, tmp_path, own_copy) -> dict[str, dict]:
    figures = tmp_path / "cijfers.csv"
    figures.write_text(FIGURES, encoding="utf-8")
    local = tmp_path / "lokaal.yaml"
    local.write_text(plan_yaml(LOCAL, "Handcoalitie lokaal", [UTRECHT], LOCAL_GOALS), encoding="utf-8")
    region = tmp_path / "regio.yaml"
    region.write_text(plan_yaml(REGION, "Handcoalitie regio", [SCHIER, VLIELAND], REGION_GOALS), encoding="utf-8")
    proc = cli("import", str(figures), str(local), str(region), db=own_copy)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = {}
    for coalition in (LOCAL, REGION):
        proc = cli("status", "--coalitie", coalition, "--periode", "2026", "--json", db=own_copy)
        assert proc.returncode == 0, proc.stderr
        out[coalition] = json.loads(proc.stdout)
    return out


def goals_of(state: dict) -> dict[str, dict]:
    return {g["id"].rsplit("-", 1)[1]: g for a in state["ambities"] for g in a["doelen"]}


def test_hand_computed_cases_through_the_cli(cli, tmp_path, own_copy):
    states = run_cases(cli, tmp_path, own_copy)
    local, region = goals_of(states[LOCAL]), goals_of(states[REGION])
    assert {k: (g["status"], g["neiging"]) for k, g in local.items()} == LOCAL_EXPECTED, {
        k: g["reden"] for k, g in local.items()
    }
    assert {k: (g["status"], g["neiging"]) for k, g in region.items()} == REGION_EXPECTED, {
        k: g["reden"] for k, g in region.items()
    }

    # the figures behind the verdicts, as computed by hand
    assert local["D1"]["laatste"]["waarde"] == pytest.approx(5.9)
    assert local["D2"]["datastatus"] == "voorlopig" and "(voorlopig cijfer)" in local["D2"]["reden"]
    assert local["D5"]["reden"].startswith("Lijkt achter te lopen")
    assert local["D6"]["marge"] is False and "Zonder marge" in local["D6"]["reden"]
    assert local["D6"]["laatste"]["waarde"] == pytest.approx(7.0)
    assert "RIVM" in local["D1"]["reden"] and "2 jaar achter" in local["D1"]["reden"]
    assert region["D1"]["reden"].startswith("Op koers: 1 van 2 gemeenten in 2026")
    assert region["D2"]["laatste"]["waarde"] == pytest.approx(34 / 500 * 100)
    assert region["D2"]["laatste"]["teller"] == 34 and region["D2"]["laatste"]["noemer"] == 500
    assert "afgeschermd" in region["D3"]["reden"] and region["D3"]["laatste"] is None

    # the ambition's headline is one plain sentence from its goals
    (amb,) = states[LOCAL]["ambities"]
    assert amb["reden"] == (
        "2 van 9 doelen behaald, 2 op koers, 2 achter, 1 aandacht nodig, 1 nog niet te zeggen, 1 zonder cijfers."
    )
    assert amb["status"] == "aandacht nodig"
