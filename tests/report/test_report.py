"""The council summary PDF as a wethouder gets it: one A4 page that names the coalition, lists every goal with
its status and source, says when it was made and with which filters, warns about demo data, and shows the
charts as images (or, when they cannot be made, as words and numbers)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from kansrijke import access, report
from kansrijke.core import fmt
from kansrijke.core.store import Store
from kansrijke.dataio import importer
from kansrijke.dataio.ingest.common import Upload
from kansrijke.demo.build import DEMO_TODAY
from kansrijke.plan import overview, progress
from kansrijke.report import STATUS_SYMBOLS

A4 = (595.28, 841.89)  # points
AMSTERDAM = "KS-GM0363"


def squash(text: str) -> str:
    """Text without white space: a title may be broken over lines in the PDF."""
    return re.sub(r"\s+", "", text)


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def assert_every_goal_listed(text: str, state: progress.CoalitionProgress) -> None:
    flat = squash(text)
    titles = [g.title for a in state.ambitions for g in a.goals]
    assert titles, "the coalition has goals"
    missing = [title for title in titles if squash(title) not in flat]
    assert missing == []


@pytest.fixture
def store(demo_db):
    return Store.open(demo_db)  # per test: a test with ``demo_copy`` closes every open store


@pytest.fixture(scope="module")
def regional(demo_db):
    """A coalition of more than two municipalities whose goals have figures."""
    store = Store.open(demo_db)
    for cid in store.query("coalitions")["id"]:
        with_figures = store.query("goals", {"coalition_id": cid})["indicator_id"].notna().sum()
        if len(store.query("coalition_members", {"coalition_id": cid})) > 2 and with_figures >= 2:
            return cid
    raise AssertionError("the demo has a regional coalition with goals")


@pytest.fixture(scope="module")
def amsterdam_pdf(demo_db, config) -> bytes:
    return report.council_pdf(Store.open(demo_db), config, AMSTERDAM, 2024, DEMO_TODAY, municipality_code="GM0363")


def test_amsterdam_summary_is_one_a4_page_with_every_goal_its_sources_and_the_demo_warning(
    store, config, amsterdam_pdf
):
    reader, text = read(amsterdam_pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4[0], abs=0.5) and float(box.height) == pytest.approx(A4[1], abs=0.5)
    state = progress.coalition_progress(store, config, AMSTERDAM, 2024, DEMO_TODAY)
    assert "Coalitie Kansrijke Start Amsterdam" in text
    assert_every_goal_listed(text, state)
    assert "Perined" in text and "CBS" in text and "peildatum 1 oktober 2026" in text
    assert "gemaakt op 24 november 2026" in text  # the date in Dutch words
    assert "Voorbeelddata: fictieve cijfers" in text
    # the filters it was made with: coalition, period and the peer group
    assert "coalitie KS-GM0363" in text and "periode 2024" in text and "vergelijkbare gemeenten bij Amsterdam" in text
    # a latest figure in Dutch notation, with its period
    assert re.search(r"\d+,\d% in 2024", text)


def test_every_status_shows_its_symbol_and_word_not_colour_alone(store, config, amsterdam_pdf):
    _, text = read(amsterdam_pdf)
    state = progress.coalition_progress(store, config, AMSTERDAM, 2024, DEMO_TODAY)
    statuses = {a.status for a in state.ambitions} | {x.status for a in state.ambitions for x in a.goals + a.results}
    assert len(statuses) >= 3
    for status in statuses:
        assert f"{STATUS_SYMBOLS[status]} {status}" in text, status
    for amb in state.ambitions:  # each ambition's one-sentence reason
        assert squash(amb.reason) in squash(text)


def test_charts_are_images_with_their_source(amsterdam_pdf):
    reader, text = read(amsterdam_pdf)
    assert len(reader.pages[0].images) >= 1
    assert "kon niet als afbeelding" not in text
    assert "Bron: " in text


def test_what_was_done_and_what_comes_next(store, amsterdam_pdf):
    """The soonest planned action and the latest action done are on the page, with their dates."""
    _, text = read(amsterdam_pdf)
    flat = squash(text)
    assert "Watisgedaan:" in flat and "Watkomt:" in flat
    actions = store.query("report_actions", {"coalition_id": AMSTERDAM})
    days = pd.to_datetime(actions["action_date"]).dt.date
    planned = actions[(actions["status"] == "gepland") & (days >= DEMO_TODAY)].sort_values(["action_date", "id"])
    done = actions[actions["status"].isin(["afgerond", "lopend"]) & (days <= DEMO_TODAY)]
    done = done.sort_values(["action_date", "id"])
    for action in (planned.iloc[0], done.iloc[-1]):
        assert squash(f"{action['title']} ({fmt.day(action['action_date'])})") in flat


def test_metadata_title_and_dutch_language(amsterdam_pdf):
    reader, _ = read(amsterdam_pdf)
    assert "Coalitie Kansrijke Start Amsterdam" in reader.metadata.title
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"


def test_regional_coalition_names_its_members_and_every_goal(store, config, regional):
    state = progress.coalition_progress(store, config, regional, 2024, DEMO_TODAY)
    reader, text = read(report.council_pdf(store, config, regional, 2024, DEMO_TODAY))
    assert len(reader.pages) == 1
    assert squash(state.name) in squash(text)
    members = store.query("coalition_members", {"coalition_id": regional})
    assert f"Gemeenten ({len(members)})" in text
    for name in members["name"]:
        assert squash(name) in squash(text)
    assert_every_goal_listed(text, state)
    assert "Voorbeelddata: fictieve cijfers" in text


def test_without_chart_images_the_numbers_are_printed_instead(store, config):
    reader, text = read(report.council_pdf(store, config, AMSTERDAM, 2024, DEMO_TODAY, charts=False))
    assert len(reader.pages) == 1
    assert len(reader.pages[0].images) == 0
    assert "De grafiek kon niet als afbeelding worden gemaakt" in text
    assert re.search(r"2024: \d+,\d% \(pad \d+,\d%; Nederland \d+,\d%\)", text)  # the chart's numbers
    assert "Voorbeelddata: fictieve cijfers" in text
    assert_every_goal_listed(text, progress.coalition_progress(store, config, AMSTERDAM, 2024, DEMO_TODAY))


def test_core_font_fallback_keeps_dutch_letters(store, config):
    """Without the DejaVu font the PDF uses Helvetica (cp1252): é, ë and en dashes still print."""
    reader, text = read(
        report.council_pdf(store, config, AMSTERDAM, 2024, DEMO_TODAY, charts=False, unicode_font=False)
    )
    assert len(reader.pages) == 1
    assert "één zorgpad" in text  # "Alle partners werken met één zorgpad"
    assert "x achter" in text and "achter" in text  # symbol replaced, word kept
    assert "Voorbeelddata: fictieve cijfers" in text


def test_the_font_is_embedded_when_installed():
    fonts = report.unicode_font_files()
    if fonts is None:
        pytest.skip("DejaVu Sans is not installed (Debian: fonts-dejavu-core); the core-font path is tested above")
    assert all(path.is_file() for path in fonts)


def test_unknown_coalition_is_a_clear_error(store, config):
    with pytest.raises(report.ReportError) as caught:
        report.council_pdf(store, config, "KS-GM9999", 2024, DEMO_TODAY)
    assert "KS-GM9999 bestaat niet" in str(caught.value)


def add_goals(store: Store, coalition_id: str, goals: int, results: int) -> list[str]:
    ambitions = list(store.query("ambitions", {"coalition_id": coalition_id})["id"])
    titles = [f"Extra doel {i}: één zorgpad – ’s-Gravenhage" for i in range(goals)]
    frame = pd.DataFrame(
        {
            "id": [f"TEST-D{i}" for i in range(goals)],
            "ambition_id": [ambitions[i % len(ambitions)] for i in range(goals)],
            "position": [50 + i for i in range(goals)],
            "title": titles,
            "indicator_id": ["vroeggeboorte"] * goals,
            "baseline_value": [7.5] * goals,
            "baseline_year": [2019] * goals,
            "target_value": [6.0] * goals,
            "target_year": [2030] * goals,
        }
    )
    extra = pd.DataFrame(
        {
            "id": [f"TEST-R{i}" for i in range(results)],
            "ambition_id": [ambitions[i % len(ambitions)] for i in range(results)],
            "title": [f"Extra resultaat {i}" for i in range(results)],
            "target": [10.0] * results,
            "realised": [3.0] * results,
            "unit": ["keer"] * results,
        }
    )
    with store.write() as w:
        w.insert_df("goals", frame)
        w.insert_df("results", extra)
    return titles


def test_a_long_plan_still_fits_one_page_with_every_goal(config, demo_copy):
    """31 goals and 31 results: smaller type and folded results, but one page and every goal named."""
    store = Store.open(demo_copy)
    titles = add_goals(store, AMSTERDAM, 20, 20)
    made = report.council_report(store, config, AMSTERDAM, 2024, DEMO_TODAY)
    reader, text = read(made.pdf)
    assert len(reader.pages) == 1
    assert all(squash(title) in squash(text) for title in titles)
    assert made.notes == []
    assert "één zorgpad – ’s-Gravenhage" in text


def test_a_plan_too_long_for_one_page_says_how_many_are_left_out(config, demo_copy):
    store = Store.open(demo_copy)
    add_goals(store, AMSTERDAM, 70, 40)
    made = report.council_report(store, config, AMSTERDAM, 2024, DEMO_TODAY, charts=False)
    reader, text = read(made.pdf)
    assert len(reader.pages) == 1
    found = re.search(r"En (\d+) meer doelen en resultaten", text)
    assert found and int(found.group(1)) > 0
    assert made.notes


def test_a_coalition_without_ambitions_still_gets_a_page(store, config):
    empty = next(
        (cid for cid in store.query("coalitions")["id"] if store.query("ambitions", {"coalition_id": cid}).empty), None
    )
    if empty is None:
        pytest.skip("every demo coalition has ambitions")
    reader, text = read(report.council_pdf(store, config, empty, None, DEMO_TODAY, charts=False))
    assert len(reader.pages) == 1
    assert "nog geen ambities" in text


# -- provenance, yes/no over a region, a member's own line, the default period (issue 11) ----------------------
def import_text(store: Store, config, text: str, name: str) -> None:
    prepared = importer.prepare(store, config, Upload(name, text.encode("utf-8")))
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    importer.apply(store, prepared, access.operator())


def test_every_goal_figure_says_its_data_status_and_the_source_lag(store, config, amsterdam_pdf):
    _, text = read(amsterdam_pdf)
    flat = squash(text)
    state = progress.coalition_progress(store, config, AMSTERDAM, 2024, DEMO_TODAY)
    judged = [g for a in state.ambitions for g in a.goals if g.latest]
    assert judged
    for g in judged:  # "Perined (voorlopig); peildatum ...; loopt ~2 jaar achter"
        assert squash(f"({g.data_status or 'definitief'}); peildatum") in flat
        assert squash(f"loopt ~{g.indicator.vertraging_jaren} jaar achter") in flat
    for g in (g for g in judged if g.pooled):  # a goal judged on pooled years says which
        assert squash(f"in {g.pooled[0]}–{g.pooled[1]} ({g.pooled[1] - g.pooled[0] + 1} jaar samen)") in flat


def test_a_yes_no_goal_over_a_region_reads_x_of_n_municipalities_not_ja(own_copy, config):
    """Maassluis and Nieuwkoop (KS-GM0556) with a goal 'Nu Niet Zwanger in elke gemeente' (nee in 2020 -> ja in
    2026). In 2024 Maassluis says ja and Nieuwkoop nee: the region is at 1 of 2 municipalities."""
    store = Store.open(own_copy)
    plan = (
        "coalitie: {coalitie_id: KS-GM0556, naam: Regionale coalitie Kansrijke Start Maassluis e.o., fase: 5, "
        "startdatum: 2018-09-01, gemeenten: 'GM0556, GM0569'}\n"
        "ambities:\n  - {ambitie_id: A1, titel: Nu Niet Zwanger overal, horizonjaar: 2030}\n"
        "doelen:\n  - {doel_id: D1, ambitie_id: A1, titel: Nu Niet Zwanger in elke gemeente, "
        "indicator: nnz_beschikbaar, basiswaarde: 0, basisjaar: 2020, streefwaarde: 1, streefjaar: 2026}\n"
        "resultaten: []\nacties: []\n"
    )
    values = store.table("indicator_values")
    said = values[(values["indicator_id"] == "nnz_beschikbaar") & (values["period"] == 2024)]
    assert said.set_index("municipality_code").loc["GM0556", "value"] == 1  # the premise: Maassluis says ja
    import_text(store, config, plan, "plan.yaml")
    import_text(store, config, "gemeentecode;indicator;periode;waarde\nGM0569;nnz_beschikbaar;2024;0\n", "nnz.csv")
    _, text = read(report.council_pdf(store, config, "KS-GM0556", 2024, DEMO_TODAY, charts=False))
    flat = squash(text)
    assert squash("1 van 2 gemeenten in 2024") in flat
    assert squash("streefwaarde 2 van 2 gemeenten in 2026") in flat
    assert squash("ja in 2024") not in flat
    Store.close_all()


def test_the_default_period_ignores_a_year_only_one_place_has(own_copy, config):
    store = Store.open(own_copy)
    import_text(store, config, "gemeentecode;indicator;periode;waarde\nGM0363;tienermoeders;2025;3,1\n", "één.csv")
    assert overview.report_period(store, config.periods.min_coverage, DEMO_TODAY) == 2024
    Store.close_all()


def test_the_period_of_a_report_without_figures_is_this_year(tmp_path, config):
    store = Store.open(tmp_path / "leeg.duckdb", create=True)
    assert overview.report_period(store, config.periods.min_coverage, DEMO_TODAY) == DEMO_TODAY.year
    Store.close_all()
