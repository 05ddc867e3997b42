"""Page Zelfscan through AppTest: the chart of the latest scan against the previous one and all coalitions,
a new scan kept beside the old ones, the phase with its history; and a screenshot in a real Chromium."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import ARTIFACTS, READY, open_app
from streamlit.testing.v1 import AppTest

from kansrijke import selfscan
from kansrijke.core import fmt
from kansrijke.core.store import Store
from kansrijke.core.text import md_escape

PAGE = "pages/zelfscan.py"


def open_page(**query) -> AppTest:
    at = open_app(PAGE, **query)
    assert not at.exception
    return at


def chart_series(at: AppTest) -> tuple[list[str], str]:
    (chart,) = at.get("plotly_chart")
    return [trace["name"] for trace in json.loads(chart.proto.spec)["data"]], chart.proto.alt


def table_rows(at: AppTest, first_column: str) -> list[dict]:
    for frame in at.dataframe:
        value = frame.value
        if len(value.columns) and value.columns[0] == first_column:
            return value.to_dict("records")
    raise AssertionError(f"no table starting with {first_column}")


def amsterdam_scans(path) -> list[str]:
    """The dates of Amsterdam's scans as the page writes them, newest first (from the database)."""
    return [fmt.date(s.assessed_on) for s in selfscan.scans(Store.open(path), "KS-GM0363")]


def test_the_chart_shows_the_latest_and_previous_scan_with_their_dates(app_env):
    at = open_page()
    assert at.title[0].value == "Zelfscan: Coalitie Kansrijke Start Amsterdam"
    dates = amsterdam_scans(app_env)
    assert len(dates) >= 2
    scanned = Store.open(app_env).table("self_assessments")["coalition_id"].nunique()
    names, alt = chart_series(at)
    assert names == [
        f"Gemiddelde alle coalities (n = {scanned})",
        f"Vorige zelfscan {dates[1]}",
        f"Zelfscan {dates[0]}",
    ]
    assert dates[0] in alt and dates[1] in alt
    assert md_escape(alt) in [c.value for c in at.caption]  # the one-sentence summary under the chart
    assert len(table_rows(at, "Onderdeel")) >= 15  # the numbers behind the chart
    history = table_rows(at, "Datum")
    assert [r["Datum"] for r in history] == dates
    assert "Huidige fase: **4 Uitvoering**" in [m.value for m in at.markdown]
    assert any("geen officiële indeling" in c.value for c in at.caption)
    # the form starts from the latest scan's scores
    latest = selfscan.scans(Store.open(app_env), "KS-GM0363")[0]
    assert at.radio(key="ss_basis_2").value == latest.scores["basis_2"]


def test_a_new_scan_is_kept_and_becomes_the_latest_in_the_chart(writable_app):
    before = amsterdam_scans(writable_app)
    at = open_page()
    at.text_input(key="ss_by").input("Kernteam <b>coalitie</b>")
    at.radio(key="ss_basis_1").set_value(3)
    at.radio(key="ss_principe_7").set_value(0)
    at.text_input(key="ss_note_principe_7").input("Nog niet besproken")
    at.text_area(key="ss_les_1").input("We vroegen ouders eerst <img src=x>")
    at.button(key="FormSubmitter:ss-scan-Zelfscan opslaan").click().run()
    assert not at.exception
    assert any("Zelfscan van 24 november 2026 opgeslagen" in s.value for s in at.success)
    names, alt = chart_series(at)
    assert names[1:] == [f"Vorige zelfscan {before[0]}", "Zelfscan 24 november 2026"]
    assert "24 november 2026" in alt and before[0] in alt
    history = table_rows(at, "Datum")
    assert [r["Datum"] for r in history] == ["24 november 2026", *before]
    assert history[0]["Ingevuld door"] == "Kernteam <b>coalitie</b>"  # in a table: shown as text
    lesson = next(m.value for m in at.markdown if m.value.startswith("**Les 1"))
    assert "\\<img src=x\\>" in lesson  # user text escaped in Markdown
    latest = selfscan.scans(Store.open(writable_app), "KS-GM0363")[0]
    assert latest.scores["basis_1"] == 3 and latest.scores["principe_7"] == 0
    assert latest.notes == {"principe_7": "Nog niet besproken"}


def test_setting_the_phase_shows_in_its_history(writable_app):
    at = open_page()
    at.selectbox(key="ss_phase").set_value(5)
    at.text_input(key="ss_phase_note").input("Structurele financiering in de begroting")
    at.button(key="FormSubmitter:ss-phase-Fase vastleggen").click().run()
    assert not at.exception
    assert any("Fase vastgelegd: 5 Borging, sinds 24 november 2026" in s.value for s in at.success)
    assert "Huidige fase: **5 Borging**" in [m.value for m in at.markdown]
    phases = table_rows(at, "Sinds")
    assert phases[0] == {
        "Sinds": "24 november 2026",
        "Fase": "5 Borging",
        "Toelichting": "Structurele financiering in de begroting",
    }
    assert len(phases) == 5
    store = Store.open(writable_app)
    assert int(store.table("coalitions").set_index("id").at["KS-GM0363", "phase"]) == 5


def test_a_refused_scan_says_why_and_keeps_nothing(writable_app):
    at = open_page()
    at.date_input(key="ss_date").set_value(dt.date(2027, 1, 5))
    at.button(key="FormSubmitter:ss-scan-Zelfscan opslaan").click().run()
    assert any("De datum 5 januari 2027 ligt in de toekomst" in e.value for e in at.error)
    assert len(table_rows(at, "Datum")) == len(amsterdam_scans(writable_app))


def test_a_municipality_without_coalition_says_so(app_env):
    at = open_page(gemeente="Ameland")
    assert "geen coalitie" in at.info[0].value


@pytest.mark.browser
def test_screenshot_of_the_self_scan(browser, demo_server, demo_db):
    dates = amsterdam_scans(demo_db)
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(demo_server + "/zelfscan")
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
    assert f"Zelfscan {dates[0]}" in legend and f"Vorige zelfscan {dates[1]}" in legend
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "zelfscan-1920x1080.png"))
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    page.close()
    assert [(v["id"], [n["html"][:120] for n in v["nodes"]]) for v in violations] == []
