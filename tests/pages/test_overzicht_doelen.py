"""Every page through Streamlit's AppTest on the demo database, and the bad-input paths."""

from __future__ import annotations

import hashlib
import json
import re

import pandas as pd
from conftest import ROOT, lock_held_by_another_process, make_read_only, write_config
from streamlit.testing.v1 import AppTest

from kansrijke import access
from kansrijke.core.config import get_config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import md_unescape
from kansrijke.dataio import importer
from kansrijke.dataio.ingest.common import Upload

BANNER = "Voorbeelddata: fictieve cijfers"
NO_FIGURE = "nog geen cijfer na het basisjaar"


def run(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [h.value for h in at.title] + [h.value for h in at.header]
    parts += [h.value for h in at.subheader]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [c.value for c in at.caption] + [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    return "\n".join(str(p) for p in parts)


def plotly_charts(at: AppTest) -> list:
    return [el for el in at.get("plotly_chart")]


def test_overview_shows_the_default_coalition_with_banner_and_charts(app_env):
    at = run()
    assert not at.exception
    body = texts(at)
    assert BANNER in body
    assert "Overzicht: Amsterdam" in body
    assert "Coalitie" in body and "Kerncijfers" in body and "In één oogopslag" in body and "Laatste acties" in body
    assert "Wat komt er" in body
    charts = plotly_charts(at)
    assert len(charts) == 4
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert spec["data"], "empty figure"
        assert chart.proto.alt.startswith(("Big2", "Vroeggeboorte", "Minderjarige", "Tienermoeders"))
    # Dutch number format in the cards, e.g. "14,2%"
    assert any("," in str(m.value) and str(m.value).endswith("%") for m in at.metric)
    assert len(at.dataframe) >= 2  # goals and actions tables


def test_about_page(app_env):
    at = run("pages/over.py")
    assert not at.exception
    body = texts(at)
    assert BANNER in body
    assert "Over deze monitor" in body
    assert "Fasen van een coalitie" in body and "geen officieel fasemodel" in body
    assert len(at.dataframe) >= 2


def test_municipality_and_period_in_the_url(app_env):
    at = run(gemeente="Utrecht", periode="2020")
    assert not at.exception
    assert "Overzicht: Utrecht" in texts(at)
    assert at.selectbox(key="periode").value == "2020"
    # a CBS code works too, with or without the GM prefix
    assert "Overzicht: Utrecht" in texts(run(gemeente="0344"))
    assert "Overzicht: Utrecht" in texts(run(gemeente="GM0344"))


def test_unknown_municipality_coalition_or_period_in_the_url(app_env):
    at = run(gemeente="Atlantis")
    assert not at.exception
    assert "Gemeente 'Atlantis' uit de link bestaat niet" in texts(at)
    assert "Overzicht: Amsterdam" in texts(at)
    at = run(coalitie="KS-NIETS")
    assert "Coalitie 'KS-NIETS' uit de link bestaat niet" in md_unescape(texts(at))
    at = run(periode="1850")
    assert "Periode '1850' uit de link bestaat niet" in texts(at)


def test_a_link_with_markup_in_it_is_shown_as_text(app_env):
    at = run(gemeente="[klik](https://evil.example) ![x](https://evil.example/x.png)")
    assert not at.exception
    (shown,) = at.error  # through web.show_error, with the broken-link icon
    assert shown.proto.icon == ":material/link_off:"
    assert "](" not in shown.value and "https://" not in shown.value  # no live link or image
    assert "'[klik](https://evil.example) ![x](https://evil.example/x.png)' uit de link" in md_unescape(shown.value)


def test_coalition_in_the_url_selects_its_municipality(app_env):
    store = Store.open(app_env)
    coalitions = store.query("coalitions")
    regional = coalitions[coalitions["members"].map(len) > 1].iloc[0]
    at = run(coalitie=regional["id"])
    assert not at.exception
    assert regional["name"] in [md_unescape(h.value) for h in at.header]


def test_invalid_config_is_shown_not_a_traceback(app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("KANSRIJKE_CONFIG", str(write_config(tmp_path, {"  min_count: 10": "  min_count: tien"})))
    at = run()
    assert not at.exception
    (shown,) = at.error  # through web.show_error: title, the file's lead sentence, one bullet per problem
    title, lead, items = shown.value.split("\n\n")
    assert md_unescape(title) == "**De configuratie (config.yaml) klopt niet**"
    assert md_unescape(lead).endswith("bevat 1 fout:")
    assert items.startswith("- ") and "\n" not in items and "privacy.min_count" in md_unescape(items)


def test_corrupt_database_is_reported_and_kept(app_env, tmp_path, monkeypatch):
    path = tmp_path / "kansrijke.duckdb"
    path.write_bytes(b"garbage" * 1000)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setenv("KANSRIJKE_DB", str(path))
    at = run()
    assert not at.exception
    assert "geen leesbare DuckDB-database" in md_unescape(texts(at))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_missing_database_without_demo_build(app_env, tmp_path, monkeypatch):
    no_demo = write_config(tmp_path, {"build_on_first_start: true": "build_on_first_start: false"})
    monkeypatch.setenv("KANSRIJKE_CONFIG", str(no_demo))
    monkeypatch.setenv("KANSRIJKE_DB", str(tmp_path / "none.duckdb"))
    at = run()
    assert not at.exception
    assert "bestaat niet" in texts(at) and "python -m kansrijke demo" in md_unescape(texts(at))
    assert not (tmp_path / "none.duckdb").exists()


def test_municipality_without_coalition(app_env):
    store = Store.open(app_env)
    members = set(store.table("coalition_members")["municipality_code"])
    munis = store.query("municipalities")
    lonely = munis[~munis["code"].isin(members)].iloc[0]
    at = run(gemeente=lonely["name"])
    assert not at.exception
    assert "geen coalitie" in texts(at)
    assert len(plotly_charts(at)) == 4


def test_a_change_shows_in_a_running_session_at_once(app_env, tmp_path, monkeypatch, demo_db):
    import shutil

    private = tmp_path / "kansrijke.duckdb"
    Store.close_all()
    shutil.copy(demo_db, private)
    monkeypatch.setenv("KANSRIJKE_DB", str(private))
    at = run()
    store = Store.open(private)
    coalition = store.query("coalition_of_municipality", {"code": "GM0363"}).iloc[0]
    with store.write() as w:
        w.run("rename_coalition", {"id": coalition["id"], "name": "Coalitie Nieuwe Naam"})
    at.run()
    assert "Coalitie Nieuwe Naam" in [h.value for h in at.header]
    Store.close_all()


def test_locked_database_is_reported(app_env, demo_copy, monkeypatch):
    monkeypatch.setenv("KANSRIJKE_DB", str(demo_copy))
    with lock_held_by_another_process(demo_copy):
        at = run()
    assert not at.exception
    assert "in gebruik door een ander programma" in texts(at)


def test_read_only_data_directory_is_reported(app_env, tmp_path, monkeypatch):
    folder = tmp_path / "readonly"
    folder.mkdir()
    monkeypatch.setenv("KANSRIJKE_DB", str(folder / "kansrijke.duckdb"))
    undo = make_read_only(folder)
    try:
        at = run()
        assert not at.exception
        assert "is alleen-lezen" in md_unescape(texts(at))
    finally:
        undo()
    assert list(folder.iterdir()) == []


def test_overview_shows_every_ambition_with_status_icon_word_and_reason(app_env):
    at = run()
    assert not at.exception
    body = texts(at)
    words = ("behaald", "op koers", "aandacht nodig", "achter", "verlopen", "nog niet te beoordelen", "geen gegevens")
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges, "no status badges"
    for badge in badges:  # colour, icon and word together: never colour alone
        assert ":material/" in badge and any(w in badge for w in words)
    assert "Slechtste status:" not in body  # every ambition says why in one plain sentence, from its goals
    assert any(c.value.startswith(tuple(f"{n} van " for n in range(1, 20))) for c in at.caption)
    links = [el for el in at.get("page_link")]
    ambitions = Store.open(app_env).query("ambitions", {"coalition_id": "KS-GM0363"})
    assert len(links) == len(ambitions)  # every ambition links to its details
    assert "Nederland" in body and "vergelijkbare gemeenten" in body


def test_goals_page_tree_with_curves_text_alternatives_and_result_bars(app_env):
    at = run("pages/doelen.py")
    assert not at.exception
    body = texts(at)
    assert "Doelen en resultaten: Coalitie Kansrijke Start Amsterdam" in body
    assert "Doelen" in body and "Resultaten" in body
    charts = plotly_charts(at)
    assert charts, "no goal curves"
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        names = {trace.get("name") for trace in spec["data"]}
        assert {t("chart.goal_path"), "Nederland", "Vergelijkbare gemeenten"} <= names
        assert "status" in chart.proto.alt and "basis" in chart.proto.alt  # the chart's text alternative
    bars = [el for el in at.get("progress")]
    assert bars and all(" van " in el.proto.text and "uiterlijk" in el.proto.text for el in bars)


def test_goals_page_opens_the_ambition_from_the_link(app_env):
    at = run("pages/doelen.py", ambitie="KS-GM0363-A3")
    assert not at.exception
    opened = [e for e in at.expander if e.proto.expanded]
    assert len(opened) == 1 and opened[0].label.startswith("Minder kinderen groeien op in armoede")


def test_goals_page_for_a_municipality_without_coalition(app_env):
    store = Store.open(app_env)
    codes = set(store.query("municipalities")["code"])
    members = set(store.table("coalition_members")["municipality_code"])
    name = store.query("municipalities").set_index("code").loc[sorted(codes - members)[0], "name"]
    at = run("pages/doelen.py", gemeente=name)
    assert not at.exception
    assert "geen coalitie" in texts(at)


def test_key_cards_count_change_from_the_goal_baseline(app_env):
    """A card's change runs from the baseline year of the coalition's goal on that indicator."""
    store = Store.open(app_env)
    goals = store.query("goals", {"coalition_id": "KS-GM0363"})
    at = run()
    assert not at.exception
    labels = {
        "big2": "Big2",
        "vroeggeboorte": "Vroeggeboorte",
        "kinderen_armoede": "Minderjarige",
        "tienermoeders": "Tienermoeders",
    }
    baseline = {
        labels[i]: int(y) for i, y in zip(goals["indicator_id"], goals["baseline_year"], strict=True) if i in labels
    }
    checked = 0
    for metric in at.metric:
        start = next((year for prefix, year in baseline.items() if metric.label.startswith(prefix)), None)
        if start is not None and metric.proto.delta:
            assert str(start) in metric.proto.delta_description  # "beter dan in 2017", "... sinds 2017"
            checked += 1
    assert checked >= 1


def test_council_page_offers_the_pdf_and_previews_every_goal(app_env):
    at = run("pages/raadsinformatie.py")
    assert not at.exception
    body = texts(at)
    assert "Raadsinformatie" in body and BANNER in body
    buttons = [b for b in at.get("download_button")]
    assert [b.proto.label for b in buttons] == ["PDF maken en downloaden"]
    goals = Store.open(app_env).query("goals", {"coalition_id": "KS-GM0363"})
    from kansrijke.web import escape

    for title in goals["title"]:
        assert escape(title) in body  # shown as literal text


# -- periods that don't jump, cards with their year, provenance (issue 11) ------------------------------------
HEADER = "gemeentecode;indicator;periode;waarde;teller;noemer;bron;peildatum;status\n"
THREE_FOR_2025 = (
    "GM0363;vroeggeboorte;2025;7,1;550;7800;Perined;;voorlopig\n"
    "GM0363;big2;2025;;1200;7800;Perined;;voorlopig\n"
    "GM0363;kinderen_armoede;2025;8,1;;;CBS;2026-03-01;voorlopig\n"
)


def import_text(path, text: str, name: str = "cijfers.csv") -> None:
    """Import a file into the database at ``path`` through the importer (as the page Gegevens does)."""
    store = Store.open(path)
    prepared = importer.prepare(store, get_config(), Upload(name, text.encode("utf-8")))
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    importer.apply(store, prepared, access.operator())


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


def test_a_new_session_still_opens_on_the_well_covered_year_after_one_place_imports_next_year(own_app):
    import_text(own_app, HEADER + THREE_FOR_2025)
    at = run()
    assert not at.exception
    picker = at.selectbox(key="periode")
    assert picker.value == "2024" and "2025" in picker.options  # the thin year stays selectable
    assert "Nog weinig gegevens: 2025 (1 van 342 gemeenten)." in [c.value for c in at.sidebar.caption]
    assert not any("Nog weinig gegevens voor dit jaar" in w.value for w in at.warning)
    assert "nan" not in " ".join(metric_values(at).values()).lower()


def test_a_thin_year_says_so_and_cards_show_the_latest_figure_with_its_year(own_app):
    import_text(own_app, HEADER + THREE_FOR_2025)
    at = run(periode="2025")
    assert not at.exception
    assert any("Nog weinig gegevens voor dit jaar: 2025 (1 van 342 gemeenten)" in w.value for w in at.warning)
    values = metric_values(at)
    teen = next(v for k, v in values.items() if k.startswith("Tienermoeders"))
    assert teen.endswith("per 1.000 (2024)")  # no 2025 figure: the latest one, with its year
    assert "Het laatste cijfer is van 2024: voor 2025 is er nog geen." in texts(at)
    poverty = next(v for k, v in values.items() if k.startswith("Minderjarige"))
    assert poverty == "8,1%"  # a figure without counts, on its value
    assert "Zonder marge: van dit cijfer zijn geen aantallen bekend" in texts(at)
    assert "nan" not in " ".join(values.values()).lower() and "–" not in values.values()


def small_and_large_member(store: Store, min_count: int) -> tuple[str, str, str]:
    """From the store: a coalition of two (its name) whose one member had fewer than ``min_count`` early births
    (vroeggeboorte) in 2024 and whose other member had at least that many; returns (coalition, small, large)."""
    values = store.table("indicator_values")
    counts = values[(values["indicator_id"] == "vroeggeboorte") & (values["period"] == 2024)]
    counts = counts.set_index("municipality_code")["numerator"]
    for row in store.query("coalitions").itertuples():
        if len(row.members) == 2 and all(c in counts.index for c in row.members):
            small, large = sorted(row.members, key=lambda c: counts[c])
            if counts[small] < min_count <= counts[large]:
                return row.name, small, large
    raise AssertionError("the premise: the demo has a coalition of two with one small and one large member")


def test_a_member_of_a_regional_coalition_sees_its_own_figures_beside_the_region(app_env):
    store = Store.open(app_env)
    coalition, _, large = small_and_large_member(store, get_config().privacy.min_count)
    name = store.query("municipalities").set_index("code").loc[large, "name"]
    Store.close_all()
    at = run(gemeente=name)
    assert not at.exception
    body = md_unescape(texts(at))
    assert coalition in body
    assert f"{name} zelf: " in body  # beside the region's card
    # vroeggeboorte 2024: region minus this member would give away the other's small count, so it says why not
    assert f"{name} zelf (2024): Niet getoond" in body
    at = run("pages/doelen.py", gemeente=name)
    assert not at.exception
    names = [{trace.get("name") for trace in json.loads(c.proto.spec)["data"]} for c in plotly_charts(at)]
    assert names and all(f"{name} (eigen gemeente)" in n for n in names)
    assert any(f"{name} zelf" in c.proto.alt for c in plotly_charts(at))


def test_goals_page_carries_data_status_lag_pooled_years_and_what_the_data_can_show(app_env):
    at = run("pages/doelen.py")
    assert not at.exception
    tables = [d.value for d in at.dataframe if "Gegevensstatus" in d.value.columns and "Doel" in d.value.columns]
    assert tables, "no goal table"
    goals = pd.concat(tables)
    judged = goals[~goals["Laatste cijfer"].isin(["nog geen cijfer na het basisjaar", "–"])]  # "–": no indicator
    assert set(judged["Gegevensstatus"]) <= {"voorlopig", "definitief", "herzien"} and len(judged)
    assert goals["Bron en vertraging"].str.contains("loopt ongeveer . jaar achter").any()
    alts = [c.proto.alt for c in plotly_charts(at)]
    # a goal without a figure after its baseline has no data status to name (see the test after this one)
    figures = [a for a in alts if NO_FIGURE not in a]
    assert figures and all("loopt ongeveer" in a and "cijfer;" in a for a in figures)  # data status and lag
    for alt in (a for a in alts if NO_FIGURE in a):
        assert alt.endswith("; status geen gegevens.") or "; status geen gegevens. " in alt
    body = texts(at)
    assert "Wat deze cijfers kunnen laten zien: een verandering in één jaar vanaf" in body or "Beoordeeld op" in body
    pooled = [a for a in alts if "jaar samen)" in a]
    for alt in pooled:  # a goal judged on pooled years says which years
        assert re.search(r"Beoordeeld op \d{4}–\d{4} samen \(\d jaar\)", alt)


def test_a_goal_without_a_figure_yet_names_its_source_lag_in_the_chart_text(app_env):
    at = run("pages/doelen.py")
    assert not at.exception
    goals = pd.concat(
        [d.value for d in at.dataframe if "Gegevensstatus" in d.value.columns and "Doel" in d.value.columns]
    )
    waiting = goals[goals["Laatste cijfer"] == NO_FIGURE]
    assert len(waiting) and waiting["Bron en vertraging"].str.contains("loopt ongeveer . jaar achter").all()
    alts = [c.proto.alt for c in plotly_charts(at) if NO_FIGURE in c.proto.alt]
    assert alts and all("loopt ongeveer" in a for a in alts)  # why there is no figure yet: the source's lag


def test_a_target_smaller_than_the_data_can_show_is_flagged_on_the_goals_page(own_app):
    store = Store.open(own_app)
    munis = store.query("municipalities")
    members = set(store.table("coalition_members")["municipality_code"])
    small = munis[~munis["code"].isin(members)].sort_values("population").iloc[0]
    plan = (
        f"coalitie: {{coalitie_id: KS-KLEIN, naam: Coalitie Klein, fase: 3, startdatum: 2022-01-01, "
        f"gemeenten: {small['code']}}}\n"
        "ambities:\n  - {ambitie_id: A1, titel: Een gezonde start, horizonjaar: 2030}\n"
        "doelen:\n"
        "  - {doel_id: D1, ambitie_id: A1, titel: Minder vroeggeboorte, indicator: vroeggeboorte, "
        "basiswaarde: 7.0, basisjaar: 2022, streefwaarde: 6.8, streefjaar: 2030}\n"
        "  - {doel_id: D2, ambitie_id: A1, titel: Vroeg in zorg, indicator: start_zorg_10wk, "
        "basiswaarde: 80, basisjaar: 2022, streefwaarde: 85, streefjaar: 2030}\n"
        "resultaten: []\nacties: []\n"
    )
    import_text(own_app, plan, "plan.yaml")
    import_text(own_app, HEADER + f"{small['code']};start_zorg_10wk;2024;81,0;;;Perined;;definitief\n")
    at = run("pages/doelen.py", gemeente=small["name"])
    assert not at.exception
    warnings = [md_unescape(w.value) for w in at.warning]
    assert any(
        "De beoogde verandering (0,2 procentpunt) is kleiner dan wat deze cijfers kunnen laten zien" in w
        for w in warnings
    )
    assert any("tel meer jaren samen, gebruik een regionaal cijfer, of volg ook een procesmaat" in w for w in warnings)
    assert any("Perined heeft deze indicator opgeschort" in w for w in warnings)  # the suspended source
