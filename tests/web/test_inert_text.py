"""Text is shown exactly as typed on every page (AppTest): a coalition plan full of Markdown, HTML and KaTeX
payloads (coalition name, ambition, goal and result titles, action texts), a parents' signal, a self-scan
reflection and a meeting decision with the same payloads never reach any element Streamlit renders as Markdown
(titles, headers, markdown, captions, alerts, expander, tab, metric and widget labels, radio options, help and
progress texts) unescaped, and every Plotly figure gets them as entities (no link, image, bold, template field
or formula). The browser side (the DOM and the requests) is ``test_browser_inert.py``."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, _app_on, open_app
from streamlit.testing.v1 import AppTest

from kansrijke import access, meeting, selfscan, signals
from kansrijke.core.config import Config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import chart_text, file_name, md_escape, md_unescape
from kansrijke.dataio import importer
from kansrijke.dataio.ingest.common import Upload
from kansrijke.dataio.ingest.plan import BIJWERKEN, export_plan
from kansrijke.web.pages import PAGES

COALITION = "KS-GM0363"  # Amsterdam, the app's default municipality
# One of each: a Markdown link and image, an HTML link and image, a KaTeX formula, a colour directive, emphasis,
# a script address, an emoji shortcode and a Plotly template field.
PAYLOADS = (
    "[klik](https://evil.example)",
    "![x](https://evil.example/p)",
    '<a href="https://evil.example">x</a>',
    '<img src="https://evil.example/i">',
    "$\\frac{1}{2}$",
    ":red[rood]",
    "**vet**",
    "javascript:alert(1)",
    ":smile:",
    "%{y}",
)
PAYLOAD = " ".join(PAYLOADS)
NAME = f"Coalitie {PAYLOAD}"
SIGNAL = f"Ouders zeggen {PAYLOAD}"
DECISION = f"Besluit {PAYLOAD}"
LESSON = f"Les {PAYLOAD}"

# A payload that Streamlit would render, found in Markdown source: never there unescaped.
LIVE_MARKDOWN = {
    "web address": re.compile(r"://evil"),
    "html": re.compile(r"(?<!\\)<(a|img)\b"),
    "formula": re.compile(r"(?<!\\)\$\\frac"),
    "colour": re.compile(r"(?<!\\):red\["),
    "emphasis": re.compile(r"\*\*vet\*\*"),
    "script address": re.compile(r"javascript:"),
    "emoji": re.compile(r"(?<!\\):smile:"),
}
# The same in a Plotly figure (its own markup, <b>, <br> and <extra>, is allowed).
LIVE_CHART = {
    "html": re.compile(r"<(a|img)\b"),
    "formula": re.compile(r"\$\\frac"),
    "template field": re.compile(r"%\{y\}(?!:)"),
    "entity": re.compile(r"&(?!(amp|lt|gt|#36|#123|#125);)"),
}


def texts(count: int, prefix: str) -> list[str]:
    return [f"{prefix} {n} {PAYLOAD}" for n in range(1, count + 1)]


def payload_plan(store: Store) -> Upload:
    """The Amsterdam coalition's own plan with a payload in every text a user writes in the workbook."""
    ambitions = store.table("ambitions")
    ambitions = ambitions[ambitions["coalition_id"] == COALITION].copy()
    goals, results, plan_actions = store.table("goals"), store.table("results"), store.table("actions")
    coalitions, members = store.table("coalitions"), store.table("coalition_members")
    goals = goals[goals["ambition_id"].isin(ambitions["id"])].copy()
    results = results[results["ambition_id"].isin(ambitions["id"])].copy()
    plan_actions = plan_actions[plan_actions["coalition_id"] == COALITION].copy()
    coalition = coalitions[coalitions["id"] == COALITION].copy()
    coalition["name"] = NAME
    ambitions["title"] = texts(len(ambitions), "Ambitie")
    ambitions["description"] = texts(len(ambitions), "Omschrijving")
    goals["title"] = texts(len(goals), "Doel")
    results["title"] = texts(len(results), "Resultaat")
    plan_actions["title"] = [f"A{n} {PAYLOAD}" for n in range(1, len(plan_actions) + 1)]
    plan_actions["description"] = texts(len(plan_actions), "Wat")
    plan_actions["owner"] = "[trekker](https://evil.example)"
    tables = {
        "coalitions": coalition,
        "coalition_members": members[members["coalition_id"] == COALITION],
        "ambitions": ambitions,
        "goals": goals,
        "results": results,
        "actions": plan_actions,
    }
    return Upload("plan-payload.xlsx", export_plan(tables))


def add_payloads(path: Path, config: Config) -> None:
    """Import the payload plan into the own database at ``path`` and add a signal, a self-scan with
    reflections and a closed meeting with a decision and an action, all with the payloads."""
    person = access.operator()
    store = Store.open(path)
    prepared = importer.prepare(store, config, payload_plan(store), BIJWERKEN)
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    importer.apply(store, prepared, person)
    today = dt.date.fromisoformat(store.meta("demo_today"))
    goal = store.query("goals", {"coalition_id": COALITION}).iloc[0]
    fields = {"kind": "citaat", "text": SIGNAL, "signal_date": today, "goal_id": goal["id"]}
    signals.add_signal(store, COALITION, fields, person)
    scores = {dim: 2 for dim in selfscan.SCORED}
    lessons = {dim: LESSON for dim in selfscan.LESSONS}
    selfscan.save_scan(store, COALITION, today, "Team", scores, lessons=lessons, today=today, person=person)
    started = dt.datetime.combine(today, dt.time(10))
    meeting_id = meeting.start_meeting(store, COALITION, started, person)
    meeting.record_decision(store, meeting_id, DECISION, person)
    action = {"action_date": today, "title": f"A0 {PAYLOAD}", "status": "gepland", "goal_id": goal["id"]}
    meeting.record_action(store, COALITION, meeting_id, action, person)
    meeting.end_meeting(store, meeting_id, started + dt.timedelta(hours=1), [f"Dia {PAYLOAD}"], person)
    Store.close_all()


@pytest.fixture(scope="module")
def payload_db(tmp_path_factory, demo_db, config) -> Path:
    """A copy of the demo, marked as own data, with the payloads in (read it, don't change it)."""
    Store.close_all()
    path = tmp_path_factory.mktemp("inert") / "kansrijke.duckdb"
    path.write_bytes(demo_db.read_bytes())
    with Store.open(path).write() as w:
        w.set_meta("demo", "0")
    add_payloads(path, config)
    return path


@pytest.fixture
def payload_app(monkeypatch, payload_db):
    yield from _app_on(monkeypatch, payload_db)
    Store.close_all()


# -- what the page renders ------------------------------------------------------------------------------------
def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def markdown_texts(at: AppTest) -> list[tuple[str, str]]:
    """Every text on the page that Streamlit renders as Markdown, as (element type, Markdown source)."""
    found = []
    for node in _walk(at._tree):
        kind, proto = node.type, getattr(node, "proto", None)
        if kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success"):
            found.append((kind, str(node.value)))
        elif kind in ("expander", "tab", "dialog", "popover") and getattr(node, "label", None):
            found.append((kind, str(node.label)))
        if kind == "radio":
            found += [("radio option", str(o)) for o in node.options]
        for field in ("label", "help", "text", "body"):  # widget labels, help, progress texts, alerts
            value = getattr(proto, field, None) if proto is not None else None
            if isinstance(value, str) and value and kind not in ("text", "code", "json"):
                found.append((f"{kind}.{field}", value))
    return found


def live_markdown(found: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(kind, what, text) for kind, text in found for what, rx in LIVE_MARKDOWN.items() if rx.search(text)]


def chart_strings(at: AppTest) -> list[str]:
    """Every string in every Plotly figure on the page (data and layout)."""

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    out = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        out += list(strings({"data": spec.get("data"), "layout": spec.get("layout")}))
    return out


def live_chart(found: list[str]) -> list[tuple[str, str]]:
    return [(what, s) for s in found for what, rx in LIVE_CHART.items() if rx.search(s) and "evil" in s]


def check(at: AppTest) -> list[tuple[str, str]]:
    """The page ran without error, nothing is live; returns the Markdown texts for further checks."""
    assert not at.exception, at.exception
    found = markdown_texts(at)
    assert live_markdown(found) == []
    assert live_chart(chart_strings(at)) == []
    return found


def shown(found: list[tuple[str, str]]) -> str:
    """What a person reads of the page's Markdown texts."""
    return "\n".join(md_unescape(text) for _, text in found)


# -- the pages ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("listed", PAGES, ids=[p.url_path for p in PAGES])
def test_no_page_renders_user_text_as_markup(payload_app, listed):
    at = open_app(None if listed.default else listed.script)
    check(at)


def test_overview_shows_the_coalition_name_and_titles_as_typed(payload_app):
    found = check(open_app())
    assert ("header", md_escape(NAME)) in found
    assert f"Ambitie 1 {PAYLOAD}" in shown(found)


def test_goals_page_shows_titles_in_expanders_and_cards_as_typed(payload_app):
    found = check(open_app("pages/doelen.py"))
    assert ("title", f"{t('goals_page.title')}: {md_escape(NAME)}") in found
    labels = [text for kind, text in found if kind == "expander"]
    assert any(md_unescape(label).startswith(f"Ambitie 1 {PAYLOAD} · ") for label in labels)
    text = shown(found)
    assert f"Doel 1 {PAYLOAD}" in text and f"Resultaat 1 {PAYLOAD}" in text


def test_charts_carry_user_text_as_entities(payload_app):
    at = open_app("pages/doelen.py")
    check(at)
    strings = chart_strings(at)
    actions = [s for s in strings if s.startswith("A") and chart_text(PAYLOAD) in s]  # action markers' hover
    assert actions and all(s == chart_text(f"{s.split()[0]} {PAYLOAD}") for s in actions)
    at = open_app("pages/actielog.py")
    check(at)
    assert any(s.startswith("Doel 1 [klik]") for s in chart_strings(at))  # a goal's row in the heat map


def test_action_log_council_and_self_scan_show_user_text_as_typed(payload_app):
    found = check(open_app("pages/actielog.py"))
    assert ("title", f"{t('actions_page.title')}: {md_escape(NAME)}") in found
    found = check(open_app("pages/raadsinformatie.py"))
    assert f"Doel 1 {PAYLOAD}" in shown(found)
    found = check(open_app("pages/zelfscan.py"))
    assert LESSON in shown(found)


def test_meeting_slides_and_minutes_show_user_text_as_typed(payload_app, payload_db):
    store = Store.open(payload_db)
    meeting_id = int(store.table("meetings")["id"].max())
    Store.close_all()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/vergadermodus.py")
    at.session_state["ks_minutes"] = meeting_id  # the minutes of the closed meeting are on offer
    at.run()
    seen = shown(check(at))
    assert NAME in seen and DECISION in seen and f"A0 {PAYLOAD}" in seen
    for _ in range(3):  # the first goals' slides: title, signal beside it
        at.button(key="ks-next").click().run()
        seen += shown(check(at))
    assert f"Doel 1 {PAYLOAD}" in seen and SIGNAL in seen


def test_compare_coalitions_view_shows_names_as_typed(payload_app):
    view = t("compare.views.coalities")
    check(open_app("pages/vergelijken.py", weergave=view))


def test_minutes_file_and_download_names_are_inert(payload_db):
    store = Store.open(payload_db)
    meeting_id = int(store.table("meetings")["id"].max())
    minutes = meeting.minutes(store, meeting_id)
    Store.close_all()
    text = meeting.minutes_markdown(minutes)
    assert live_markdown([("minutes", text)]) == []
    assert DECISION in md_unescape(text) and NAME in md_unescape(text)
    assert file_name("raadsinformatie", '<a href="x">/../', 2023, suffix=".pdf") == "raadsinformatie-a-href-x-2023.pdf"


def test_chart_text_reads_as_typed_once_plotly_decodes_it():
    decoded = re.sub(
        r"&(amp|lt|gt|#36|#123|#125);",
        lambda m: {"amp": "&", "lt": "<", "gt": ">", "#36": "$", "#123": "{", "#125": "}"}[m.group(1)],
        chart_text(PAYLOAD + " & &amp;"),
    )
    assert decoded == PAYLOAD + " & &amp;"
    assert chart_text(None) == "" and chart_text(float("nan")) == ""


def test_the_check_finds_live_text_in_every_kind_of_element():
    """The check itself: user text put raw into each Markdown-rendering element and a figure is caught."""
    script = f"""
import plotly.graph_objects as go
import streamlit as st
raw = {PAYLOAD!r}
st.title(raw)
st.header(raw)
st.subheader(raw)
st.markdown(raw)
st.caption(raw)
st.info(raw)
st.warning(raw)
st.metric(raw, 1, help=raw)
with st.expander(raw):
    pass
st.radio("Keuze", [raw])
st.progress(0.5, text=raw)
st.checkbox(raw)
st.text(raw)  # plain text: fine
st.selectbox("Kies", [raw])  # options are plain text: fine
st.plotly_chart(go.Figure(go.Scatter(x=[1], y=[1], name=raw)))
"""
    at = AppTest.from_string(script, default_timeout=30).run()
    caught = {kind for kind, _, _ in live_markdown(markdown_texts(at))}
    assert caught >= {
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "metric.label",
        "metric.help",
        "expander",
        "radio option",
        "progress.text",
        "checkbox.label",
    }
    assert "text.body" not in caught and not any(kind.startswith("selectbox") for kind in caught)
    assert {what for what, _ in live_chart(chart_strings(at))} >= {"html", "formula", "template field"}
