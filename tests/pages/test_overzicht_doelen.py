"""Every page through Streamlit's AppTest on the demo database, and the bad-input paths."""

from __future__ import annotations

import hashlib
import json

from conftest import ROOT, lock_held_by_another_process, make_read_only, write_config
from streamlit.testing.v1 import AppTest

from kansrijke.core.store import Store
from kansrijke.core.text import md_unescape

BANNER = "Voorbeelddata: fictieve cijfers"


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
    assert regional["name"] in [h.value for h in at.header]


def test_invalid_config_is_shown_not_a_traceback(app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("KANSRIJKE_CONFIG", str(write_config(tmp_path, {"  min_count: 10": "  min_count: tien"})))
    at = run()
    assert not at.exception
    (shown,) = at.error  # through web.show_error: title, the file's lead sentence, one bullet per problem
    title, lead, items = shown.value.split("\n\n")
    assert md_unescape(title) == "**De configuratie (config.yaml) klopt niet**"
    assert md_unescape(lead).endswith("bevat 1 fout(en):")
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
    assert "Slechtste status:" in body  # every ambition says why
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
        assert {"Pad naar het doel", "Nederland", "Vergelijkbare gemeenten"} <= names
        assert "status" in chart.proto.alt and "basis" in chart.proto.alt  # the chart's text alternative
    bars = [el for el in at.get("progress")]
    assert bars and all(" van " in el.proto.text and "deadline" in el.proto.text for el in bars)


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
            assert f"sinds {start}" in metric.proto.delta
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
