"""The first start in the app (AppTest): the demo's "Begin met eigen gegevens" opens a new own database, which
greets with the way to Gegevens; a coalition started by hand there shows on Overzicht; Over deze monitor shows
no server path or configuration key; page addresses people type find their page."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from conftest import open_app

from kansrijke import access
from kansrijke.core.config import get_config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.core.text import md_escape
from kansrijke.dataio import start
from kansrijke.web import pages


@pytest.fixture
def files(monkeypatch, tmp_path, demo_db):
    """The app with its own database at a new path (not made yet) and the session's demo as the demo file."""
    own = tmp_path / "kansrijke.duckdb"
    monkeypatch.setenv("KANSRIJKE_DB", str(own))
    monkeypatch.setenv("KANSRIJKE_DEMO_DB", str(demo_db))
    monkeypatch.delenv("KANSRIJKE_CONFIG", raising=False)
    Store.close_all()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield own, demo_db
    Store.close_all()
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def own_db(files):
    """A new own database, as ``python -m kansrijke init`` or the banner's action makes it."""
    own, _ = files
    start.create_own_database(get_config(), access.operator())
    Store.close_all()
    return own


def texts(at) -> str:
    """Everything the page shows (and what its elements carry), as one text."""
    return "\n".join(str(element.proto) for element in [*at.main, *at.sidebar] if hasattr(element, "proto"))


def welcome_links(at) -> list[str]:
    return [link.proto.page for link in at.get("page_link") if link.proto.label == t("welcome.to_data")]


def test_the_demo_banner_starts_own_data_and_opens_it(files):
    own, demo_file = files
    at = open_app()
    assert not at.exception
    assert any(t("app.demo_banner") == w.value for w in at.warning)
    assert [p.proto.popover.label for p in at.get("popover")] == [t("welcome.begin_own")]
    assert not welcome_links(at)  # the demo holds coalitions and figures: no welcome

    at.button(key="begin_own").click().run()

    assert not at.exception, at.exception
    assert own.exists() and Store.open(own).is_demo() is False
    assert get_config().database_path == own
    assert [s.value for s in at.success] == [t("welcome.begin_own_done")]
    assert not at.get("popover") and all(w.value != t("app.demo_banner") for w in at.warning)
    assert welcome_links(at) == ["gegevens"] * 3
    assert Store.open(demo_file).is_demo()  # the demo file is kept as it was


def test_an_empty_own_database_greets_with_three_ways_to_gegevens(own_db):
    at = open_app()
    assert not at.exception and not at.error
    assert [s.value for s in at.subheader][:1] == [t("welcome.title")]
    shown = [m.value for m in at.markdown]
    for choice in ("welcome.choice_plan", "welcome.choice_figures", "welcome.choice_hand"):
        assert f"**{t(choice)}**" in shown
    assert welcome_links(at) == ["gegevens"] * 3
    assert not at.get("popover") and all(w.value != t("app.demo_banner") for w in at.warning)


def test_a_coalition_started_by_hand_shows_on_overzicht(own_db):
    at = open_app("pages/gegevens.py")
    assert not at.exception
    assert t("welcome.form_heading") in [h.value for h in at.header]
    at.text_input[0].input("Coalitie Kansrijke Start Zwolle e.o.")
    at.multiselect[0].select("Zwolle").select("Zwartewaterland")
    at.date_input[0].set_value(dt.date(2025, 2, 1))
    at.button(key="FormSubmitter:new_coalition_0-" + t("welcome.form_submit")).click().run()

    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [
        t("welcome.form_done", name=md_escape("Coalitie Kansrijke Start Zwolle e.o."), id="KS-GM0193", count=2)
    ]
    link = next(p for p in at.get("page_link") if p.proto.label == t("welcome.form_to_overview"))
    assert link.proto.page in ("", "overzicht") and link.proto.query_string == "coalitie=KS-GM0193"
    assert at.text_input[0].value == ""  # a fresh form for the next coalition

    overview = open_app(coalitie="KS-GM0193")  # where the link leads: the coalition's first member by name
    assert not overview.exception
    assert overview.title[0].value == "Overzicht: Zwartewaterland"
    assert md_escape("Coalitie Kansrijke Start Zwolle e.o.") in [h.value for h in overview.header]
    assert not welcome_links(overview)  # a coalition is there: no welcome any more


def test_a_refused_coalition_shows_why_and_keeps_the_form(own_db):
    at = open_app("pages/gegevens.py")
    at.multiselect[0].select("Zwolle")
    at.button(key="FormSubmitter:new_coalition_0-" + t("welcome.form_submit")).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [f"**{t('welcome.form_refused')}**\n\n- {md_escape(t('welcome.error_name'))}"]
    assert at.multiselect[0].value == ["Zwolle"]


def test_the_demo_offers_no_coalition_form(files):
    at = open_app("pages/gegevens.py")
    assert not at.exception
    assert t("own.demo_plan_refused") in [i.value for i in at.info]
    assert not [w for w in at.text_input if w.label == t("welcome.form_name")]


@pytest.mark.parametrize("on", ["demo", "own"])
def test_over_deze_monitor_shows_no_server_path_or_config_key(files, on):
    own, demo_file = files
    if on == "own":
        start.create_own_database(get_config(), access.operator())
        Store.close_all()
    at = open_app("pages/over.py")
    assert not at.exception
    shown = texts(at)
    for secret in (str(own), str(demo_file), str(own.parent), "config.yaml", ".duckdb", "database.path"):
        assert secret not in shown
    expected = t("welcome.about_where_demo") if on == "demo" else t("welcome.about_where_own")
    assert expected in [m.value for m in at.markdown]
    assert [p.proto.page for p in at.get("page_link") if p.proto.label == t("welcome.about_to_data")] == ["gegevens"]


# -- page addresses --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("address", "url_path"),
    [
        ("overzicht", "overzicht"),
        ("Overzicht", "overzicht"),
        ("home", "overzicht"),
        ("doelen-en-resultaten", "doelen"),
        ("Doelen en resultaten", "doelen"),
        ("over-deze-monitor", "over"),
        ("actielog", "actielog"),
    ],
)
def test_aliases_open_their_page(address, url_path):
    assert pages.resolve(address) == pages.page(url_path)


def test_a_mistyped_address_gets_a_suggestion_and_nonsense_none():
    assert pages.resolve("overzict") is None and pages.suggest("overzict") == pages.page("overzicht")
    assert pages.suggest("doelen-en-resultate") == pages.page("doelen")
    assert pages.suggest("xyzzy") is None


def test_only_an_address_the_menu_lacks_gets_a_hidden_page():
    assert not pages.needs_hidden_page(None) and not pages.needs_hidden_page("")
    assert not pages.needs_hidden_page("doelen") and not pages.needs_hidden_page("gegevens")
    assert not pages.needs_hidden_page("a/b")  # not a page name Streamlit can serve
    for address in ("overzicht", "doelen-en-resultaten", "bestaat-niet"):
        assert pages.needs_hidden_page(address)
