"""The Vergelijken page as an adviser uses it: through AppTest (every URL choice, every view, small numbers,
the map with and without a boundaries file) and in a real Chromium (a screenshot to look at, the URL)."""

from __future__ import annotations

import json

import pytest
from conftest import ARTIFACTS, DATA, READY, open_app, write_config
from streamlit.testing.v1 import AppTest

from kansrijke.core.store import Store

PAGE = "pages/vergelijken.py"
GEOJSON = DATA / "gemeenten_2024.geojson"
SUPPRESSED = "onderdrukt (minder dan 10 gebeurtenissen)"
MAX_SPEC = 1_000_000  # bytes of figure JSON sent to the browser


def run(**query) -> AppTest:
    at = open_app(PAGE, **query)
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [h.value for h in at.title] + [h.value for h in at.header]
    parts += [h.value for h in at.subheader]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [c.value for c in at.caption] + [s.value for s in at.success]
    parts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    return "\n".join(str(p) for p in parts)


def charts(at: AppTest) -> list:
    return list(at.get("plotly_chart"))


def spec_of(chart) -> dict:
    assert len(chart.proto.spec.encode("utf-8")) < MAX_SPEC, "figure JSON over 1 MB"
    return json.loads(chart.proto.spec)


@pytest.fixture
def with_boundaries(app_env, tmp_path, monkeypatch):
    """The app with ``reference.boundaries`` pointing at the shipped GeoJSON (data/)."""
    path = write_config(tmp_path)
    monkeypatch.setenv("KANSRIJKE_CONFIG", str(path))
    return path


# -- the default view ---------------------------------------------------------------------------------------------
def test_default_view_is_a_funnel_with_summary_table_downloads_and_the_suppression_said(app_env):
    at = run()
    body = texts(at)
    assert "Vergelijken" in [t.value for t in at.title]
    assert at.radio(key="weergave").value == "Trechter"
    (chart,) = charts(at)
    spec = spec_of(chart)
    assert chart.proto.alt.startswith("Trechter van Big2") and "Amsterdam: " in chart.proto.alt
    names = {trace.get("name") for trace in spec["data"]}
    assert {"95%-grenzen", "99,8%-grenzen", "binnen de grenzen"} <= names
    assert spec["layout"]["xaxis"]["type"] == "log"
    # small numbers: said on the page (which rule), never drawn, "onderdrukt" in the table
    assert "gemeenten hebben in 2024 geen gepubliceerd cijfer" in body and "met minder dan 10 gebeurtenissen" in body
    assert "Vlieland" not in chart.proto.spec and "Schiermonnikoog" not in chart.proto.spec
    table = at.dataframe[0].value
    vlieland = table[table["Gemeente"] == "Vlieland"].iloc[0]
    assert vlieland["Waarde"] == SUPPRESSED and vlieland["Teller"] == "–" and vlieland["Noemer"] == "–"
    # group figures and what they are pooled over
    assert "Selectie: alle gemeenten" in body and "Vergeleken met: Nederland" in body
    assert len(at.get("download_button")) == 2
    assert "Hoe de vergelijking werkt" in [e.label for e in at.expander]
    # fair comparison: the method is named, the chance number given, the funnel explained in plain words
    assert "buiten de 95%-grenzen, bij toeval verwacht" in chart.proto.alt
    assert "Trechter (Spiegelhalter 2005) met extra spreiding tussen gemeenten" in body
    assert "Zo leest u de trechter" in body and "Elke stip is een gemeente." in body
    assert "valt er gemiddeld één buiten" not in body  # the old sentence the chart contradicted
    method = at.expander[[e.label for e in at.expander].index("Hoe de vergelijking werkt")]
    assert "winsoriseren" in "".join(m.value for m in method.markdown)
    # Nederland is the national total and says what it covers; the data status, source and lag are named
    nederland = [m for m in at.metric if m.label == "Vergeleken met: Nederland"][0]
    assert "Alle 342 van 342 gemeenten met cijfers samen" in nederland.proto.help
    shown = body.replace("\\", "")  # Markdown escapes of the source's name
    assert "Gegevens 2024: voorlopig (342 gemeenten). Bron: Perined (via DIAPER/RIVM)" in shown
    assert "2 jaar achter" in shown
    assert table["Gegevensstatus"].isin(["voorlopig", "–"]).all()


def test_every_view_renders_a_small_figure_with_its_table(with_boundaries):
    for view in ("Trechter", "Rangorde", "Trend", "Kleurentabel", "Kaart", "Coalities"):
        at = run(weergave=view, drie_jaar="true")
        (chart,) = charts(at)
        spec = spec_of(chart)
        assert spec["data"] and chart.proto.alt, view
        assert len(at.dataframe) >= 1, view
        assert len(at.get("download_button")) == 2, view


def test_a_thin_year_and_a_suspended_indicator_are_said_plainly(writable_app, demo_copy, tmp_path, monkeypatch):
    import datetime as dt

    import pandas as pd

    from kansrijke.core.store import Store

    store = Store.open(demo_copy)
    row = {"municipality_code": "GM0363", "indicator_id": "big2", "period": 2025, "value": 15.0, "numerator": 1200}
    row |= {"denominator": 8000, "source": "eigen import", "reference_date": dt.date(2026, 1, 1)}
    with store.write() as w:
        w.insert_df("indicator_values", pd.DataFrame([{**row, "data_status": "voorlopig"}]))
    Store.close_all()
    suspended = "  niveau: gemeente\n  status: opgeschort\n  vertraging_jaren: 2\n  definitie: Levend- en doodgeborenen"
    path = write_config(
        tmp_path,
        {
            "  niveau: gemeente\n  status: actief\n  vertraging_jaren: 2\n  definitie: Levend- en doodgeborenen": suspended
        },
    )
    monkeypatch.setenv("KANSRIJKE_CONFIG", str(path))
    at = run(periode="2025")
    body = texts(at).replace("\\", "")
    assert "In 2025 hebben maar 1 van de 342 gemeenten een cijfer" in body
    assert "Het laatste jaar met genoeg gemeenten is 2024" in body
    assert "is bij de bron opgeschort" in body
    (chart,) = charts(at)
    assert "95%-grenzen" not in {trace.get("name") for trace in spec_of(chart)["data"]}


# -- every choice in the URL ---------------------------------------------------------------------------------------
LINKS = [
    {
        "indicator": "Tienermoeders",
        "selectie": "Provincie",
        "provincie": "Zeeland",
        "tegen": "Dezelfde selectie",
        "drie_jaar": "true",
        "weergave": "Rangorde",
        "gemeente": "Vlissingen",
        "periode": "2022",
    },
    {"selectie": "Grootteklasse", "grootteklasse": "20.000-50.000", "weergave": "Trend", "gemeente": "Aalten"},
    {
        "selectie": "Stedelijkheid",
        "stedelijkheid": "2 sterk stedelijk",
        "tegen": "Vergelijkbare gemeenten",
        "weergave": "Kleurentabel",
    },
    {"selectie": "Eigen lijst", "lijst": ["Amsterdam", "Utrecht", "Vlieland"], "weergave": "Coalities", "maanden": "3"},
    {"selectie": "GIDS-gemeenten", "weergave": "Kaart", "indicator": "Vroeggeboorte (<37 weken)"},
    {"selectie": "Vergelijkbare gemeenten", "gemeente": "Utrecht", "tegen": "Dezelfde selectie"},
]
WIDGETS = {
    "indicator": "selectbox",
    "selectie": "selectbox",
    "provincie": "selectbox",
    "grootteklasse": "selectbox",
    "stedelijkheid": "selectbox",
    "tegen": "selectbox",
    "lijst": "multiselect",
    "drie_jaar": "toggle",
    "weergave": "radio",
    "maanden": "number_input",
}


@pytest.mark.parametrize("link", LINKS, ids=[link["selectie"] for link in LINKS])
def test_every_url_choice_round_trips(with_boundaries, link):
    """Opening a link restores every choice: each parameter stays in the URL (Streamlit drops values it does not
    accept, and a widget's default, which the link need not carry) and its widget shows it; the figure is built
    from those choices."""
    at = run(**link)
    for key, value in link.items():
        if key in ("gemeente", "periode"):
            continue  # the sidebar's own choices (tests in test_app.py); their effect is checked below
        kept = at.query_params[key]
        assert (kept if isinstance(kept, list) else [kept]) == (value if isinstance(value, list) else [value]), key
        widget = getattr(at, WIDGETS[key])(key=key)
        expected = {"drie_jaar": True, "maanden": int(value) if key == "maanden" else None}.get(key) or value
        assert widget.value == expected, key
    (chart,) = charts(at)
    alt = chart.proto.alt
    if "provincie" in link:
        assert "Tienermoeders" in alt and "provincie Zeeland" in alt and "2020–2022" in alt
        assert "Vlissingen" in alt
        assert "Vergeleken met: provincie Zeeland samen" in texts(at)
    if "grootteklasse" in link:
        assert "gemeenten met 20.000-50.000 inwoners" in alt and "Aalten" in alt
    if "stedelijkheid" in link:
        assert "stedelijkheid 2 sterk stedelijk" in alt
        assert "Vergeleken met: gemeenten vergelijkbaar met Amsterdam" in texts(at)
    if "lijst" in link:
        assert "3 coalities" in alt or "2 coalities" in alt
        assert "zonder actie in de laatste 3 maanden" in alt
    if link["selectie"] == "GIDS-gemeenten":
        assert spec_of(chart)["data"][1]["type"] == "choropleth"
        assert "Vroeggeboorte" in alt and "GIDS-markering in deze voorbeelddata is fictief" in texts(at)
    if link["selectie"] == "Vergelijkbare gemeenten":
        assert "Utrecht en vergelijkbare gemeenten" in alt
        peers = [e for e in at.expander if e.label.startswith("Vergelijkbare gemeenten van Utrecht (15)")]
        assert peers and "inwonertal 1,0" in texts(at)


def test_a_hand_made_link_may_use_the_indicator_id_and_municipality_codes(app_env):
    at = run(indicator="tienermoeders", selectie="Eigen lijst", lijst=["GM0363", "GM0344"])
    assert at.selectbox(key="indicator").value == "Tienermoeders"
    assert at.multiselect(key="lijst").value == ["Amsterdam", "Utrecht"]
    assert "Tienermoeders" in charts(at)[0].proto.alt


def test_an_empty_hand_picked_list_asks_for_municipalities(app_env):
    at = run(selectie="Eigen lijst")
    assert "Kies één of meer gemeenten" in texts(at) and not charts(at)


# -- map ---------------------------------------------------------------------------------------------------------------
def test_without_a_boundaries_file_the_map_says_how_to_get_one_and_offers_the_other_views(
    app_env, tmp_path, monkeypatch
):
    monkeypatch.setenv(
        "KANSRIJKE_CONFIG", str(write_config(tmp_path, {"boundaries: data/gemeenten_2024.geojson": "boundaries: null"}))
    )
    at = run(weergave="Kaart")
    assert not charts(at)
    assert "gebiedsindelingen" in texts(at) and "reference.boundaries" in texts(at)
    assert set(at.radio(key="weergave").options) >= {"Trechter", "Rangorde", "Trend", "Kleurentabel", "Coalities"}


def test_the_map_draws_offline_from_the_configured_boundaries(with_boundaries):
    at = run(weergave="Kaart", gemeente="Utrecht")
    (chart,) = charts(at)
    spec = spec_of(chart)
    trace = spec["data"][1]
    assert trace["type"] == "choropleth" and spec["layout"]["geo"]["visible"] is False
    assert trace["featureidkey"] == "properties.statcode" and len(trace["locations"]) == 342
    assert "Vlieland</b><br>" + SUPPRESSED in trace["text"][trace["locations"].index("GM0096")]
    labels = trace["colorbar"]["ticktext"]
    assert {"binnen de grenzen", "beter", "slechter", "onderdrukt of geen gegevens"} <= set(labels)


# -- coalitions -------------------------------------------------------------------------------------------------
def test_coalition_overview_names_the_coalitions_without_recent_action(app_env):
    names = sorted(Store.open(app_env).query("coalitions")["name"])  # every coalition of the demo
    Store.close_all()
    at = run(weergave="Coalities", maanden="1")
    body = texts(at)
    assert "Coalities in deze selectie" in body and "Coalities zonder actie in de laatste 1 maanden" in body
    overview = at.dataframe[0].value
    assert {"Coalitie", "Fase", "Doelen", "Laatste actie", "op koers", "achter"} <= set(overview.columns)
    assert sorted(overview["Coalitie"]) == names  # all of them, once each
    quiet = at.dataframe[-2].value
    assert len(quiet) >= 1 and set(quiet["Geen actie in N maanden"]) == {"ja"}
    scans = at.dataframe[-1].value  # the all-coalition self-scan average, for Pharos
    assert "Zelfscans van alle coalities" in body and len(scans) == 15
    assert scans["Aantal coalities"].max() > 100


# -- a real browser ----------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_browser_page_screenshot_and_link_that_opens_the_same_view(browser, demo_server):
    url = demo_server  # the session's server: a demo copy, boundaries configured (conftest)
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{url}/vergelijken?gemeente=Utrecht&selectie=GIDS-gemeenten")
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    assert page.get_by_role("heading", name="Vergelijken").is_visible()
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 4
    page.screenshot(path=str(ARTIFACTS / "vergelijken-1920x1080.png"))

    # a choice made on the page goes into the URL; that URL opens the same view
    page.get_by_text("Rangorde", exact=True).click()
    page.wait_for_url("**weergave=Rangorde**", timeout=30_000)
    page.wait_for_selector(READY)
    link = page.url
    assert "selectie=GIDS-gemeenten" in link and "gemeente=Utrecht" in link
    again = browser.new_page(viewport={"width": 1920, "height": 1080})
    again.goto(link)
    again.wait_for_selector(READY, timeout=90_000)
    again.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    assert again.get_by_role("radio", name="Rangorde").is_checked()
    assert again.get_by_text("van beter naar slechter met 95%-intervallen").first.is_visible()

    # the map draws without internet access (white-bg style, boundaries from the configured file)
    again.goto(f"{url}/vergelijken?gemeente=Utrecht&weergave=Kaart")
    again.wait_for_selector(READY, timeout=90_000)
    again.wait_for_selector(".js-plotly-plot path.choroplethlocation", timeout=60_000)
    again.wait_for_timeout(1500)  # let the map paint before the screenshot (not an assertion)
    again.screenshot(path=str(ARTIFACTS / "vergelijken-kaart-1920x1080.png"))
    page.close()
    again.close()
