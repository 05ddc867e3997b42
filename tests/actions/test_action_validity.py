"""One definition of a valid action (``actions.rules``): the coalition workbook/YAML import and the Actielog
form accept exactly the same actions, the Actielog table and timeline filter the same actions, and "quiet" has
one boundary. On a real demo database copy and real files, no mocks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansrijke import actions, compare
from kansrijke.actions import rules
from kansrijke.core.reference import load_municipalities
from kansrijke.core.store import Store
from kansrijke.dataio.ingest.common import Upload
from kansrijke.dataio.ingest.plan import export_plan, parse_plan, template_plan

COALITION = "KS-GM0363"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def store(demo_copy) -> Store:
    s = Store.open(demo_copy)
    yield s
    s.close()


@pytest.fixture(scope="module")
def municipalities(config) -> pd.DataFrame:
    return load_municipalities(config)


@pytest.fixture(scope="module")
def template_tables(config, municipalities) -> dict[str, pd.DataFrame]:
    parsed = parse_plan(Upload("sjabloon.xlsx", template_plan("xlsx")), config, municipalities)
    assert parsed.ok, parsed.errors
    return parsed.tables


def valid_action(**changes) -> dict:
    action = {
        "action_date": dt.date(2026, 3, 10),
        "title": "Spiegelgesprek met ouders",
        "description": "Wat hebben ouders nodig?",
        "owner": "JGZ",
        "status": "lopend",
        "goal_id": None,
        "principles": [2, 6],
        "partners": ["jgz", "ouders"],
        "level": "uitvoerend",
    }
    return {**action, **changes}


def import_actions(tables, config, municipalities, rows: list[dict], kind: str):
    """Write ``rows`` as the sheet Acties of a coalition file and read it back with the import."""
    cid = str(tables["coalitions"]["id"].iloc[0])
    frame = pd.DataFrame([{"coalition_id": cid, **row} for row in rows])
    data = export_plan({**tables, "actions": frame}, kind)
    return parse_plan(Upload(f"plan.{kind}", data), config, municipalities)


def form_problems(store: Store, fields: dict) -> list[str]:
    """What the Actielog form says about these fields (create_action's own normalise + validate)."""
    clean, problems = actions.normalise(fields)
    return problems + actions.validate(store, COALITION, clean)


# -- the import refuses what the form refuses, in its own place ------------------------------------------------
def test_a_workbook_action_that_breaks_a_form_rule_is_refused_with_its_place(config, municipalities, template_tables):
    rows = [
        valid_action(title="Goed"),
        valid_action(title="T" * (rules.MAX_TITLE + 1)),
        valid_action(title="Veel partners", partners=[f"partner {n}" for n in range(rules.MAX_PARTNERS + 1)]),
        valid_action(title="Lange partner", partners=["p" * (rules.MAX_PARTNER + 1)]),
        valid_action(title="Lange omschrijving", description="o" * (rules.MAX_DESCRIPTION + 1)),
        valid_action(title="Lange trekker", owner="t" * (rules.MAX_OWNER + 1)),
        valid_action(title="Oud", action_date=dt.date(1999, 12, 31)),
    ]
    parsed = import_actions(template_tables, config, municipalities, rows, "xlsx")
    assert not parsed.ok and parsed.tables == {}
    errors = [(p.sheet, p.row, p.column, p.message) for p in parsed.errors]
    # export_plan sorts actions by date and title: 'Oud' (1999) is row 2, then the 2026 rows by title.
    order = sorted(rows, key=lambda a: (a["action_date"], a["title"]))
    row_of = {a["title"]: n for n, a in enumerate(order, start=2)}
    assert errors == sorted(errors, key=lambda e: e[1]), "all problems at once, in row order"
    found = {(row, column): message for _, row, column, message in errors}
    assert set(found) == {
        (row_of["T" * (rules.MAX_TITLE + 1)], "titel"),
        (row_of["Veel partners"], "partners"),
        (row_of["Lange partner"], "partners"),
        (row_of["Lange omschrijving"], "omschrijving"),
        (row_of["Lange trekker"], "trekker"),
        (row_of["Oud"], "datum"),
    }
    assert {sheet for sheet, *_ in errors} == {"Acties"}
    assert found[(row_of["T" * (rules.MAX_TITLE + 1)], "titel")].startswith("Te lang: 201 tekens, het maximum is 200.")
    assert found[(row_of["Veel partners"], "partners")].startswith("Te veel partners: 21, het maximum is 20.")
    assert (
        found[(row_of["Lange partner"], "partners")] == "Deze partnernaam is te lang: 121 tekens, het maximum is 120."
    )
    assert "2000 tot en met 2100" in found[(row_of["Oud"], "datum")]
    old = next(p for p in parsed.errors if p.column == "datum")
    assert old.value == "1999-12-31"
    text = next(p for p in parsed.errors if p.column == "titel").text()
    assert text.startswith(f"plan.xlsx, blad Acties, rij {row_of['T' * (rules.MAX_TITLE + 1)]}, kolom 'titel'")


EDGES = [
    {"title": "T" * rules.MAX_TITLE},
    {"title": "T" * (rules.MAX_TITLE + 1)},
    {"description": "o" * rules.MAX_DESCRIPTION},
    {"description": "o" * (rules.MAX_DESCRIPTION + 1)},
    {"owner": "t" * rules.MAX_OWNER},
    {"owner": "t" * (rules.MAX_OWNER + 1)},
    {"partners": [f"partner {n}" for n in range(rules.MAX_PARTNERS)]},
    {"partners": [f"partner {n}" for n in range(rules.MAX_PARTNERS + 1)]},
    {"partners": ["p" * rules.MAX_PARTNER]},
    {"partners": ["p" * (rules.MAX_PARTNER + 1)]},
    {"partners": ["GGD   Amsterdam", "jgz"]},
    {"action_date": dt.date(rules.FIRST_YEAR, 1, 1)},
    {"action_date": dt.date(rules.FIRST_YEAR - 1, 12, 31)},
    {"action_date": dt.date(rules.LAST_YEAR, 12, 31)},
    {"status": "Afgerond"},
    {"status": "bezig"},
    {"level": "Bestuurlijk"},
    {"level": "strategisch"},
    {"level": None, "partners": [], "principles": [], "description": None, "owner": None},
]


@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
@pytest.mark.parametrize("change", EDGES, ids=lambda c: ",".join(f"{k}={str(v)[:12]}" for k, v in c.items()))
def test_the_import_accepts_exactly_what_the_form_accepts(store, config, municipalities, template_tables, change, kind):
    fields = valid_action(**change)
    parsed = import_actions(template_tables, config, municipalities, [fields], kind)
    refused_by_form = form_problems(store, fields)
    assert parsed.ok == (refused_by_form == []), (parsed.errors, refused_by_form)
    if parsed.ok:
        imported = parsed.tables["actions"].iloc[0]
        stored = {k: imported[k] for k in rules.FIELDS}
        assert form_problems(store, stored) == [], "an imported action must pass the edit form"
        clean, _ = actions.normalise(stored)
        assert clean == {k: (list(v) if k in ("principles", "partners") else v) for k, v in stored.items()}, (
            "the import stores what the form would store: opening and saving it changes nothing"
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.integers(1, rules.MAX_TITLE + 3),
    description=st.integers(0, 3) | st.integers(rules.MAX_DESCRIPTION - 2, rules.MAX_DESCRIPTION + 2),
    owner=st.integers(0, 3) | st.integers(rules.MAX_OWNER - 2, rules.MAX_OWNER + 2),
    partners=st.integers(0, rules.MAX_PARTNERS + 2),
    partner=st.integers(1, 3) | st.integers(rules.MAX_PARTNER - 2, rules.MAX_PARTNER + 2),
    year=st.integers(rules.FIRST_YEAR - 2, rules.FIRST_YEAR + 1)
    | st.integers(rules.LAST_YEAR - 1, rules.LAST_YEAR + 2),
)
def test_property_import_and_form_agree_on_every_edge_length(
    store, config, municipalities, template_tables, title, description, owner, partners, partner, year
):
    fields = valid_action(
        title="T" * title,
        description="o" * description or None,
        owner="t" * owner or None,
        partners=[f"{n:03d}" + "p" * max(partner - 3, 0) for n in range(partners)],
        action_date=dt.date(year, 6, 1),
    )
    parsed = import_actions(template_tables, config, municipalities, [fields], "yaml")
    refused_by_form = form_problems(store, fields)
    assert parsed.ok == (refused_by_form == []), (parsed.errors, refused_by_form)
    assert len(parsed.errors) == len(refused_by_form), "each broken rule is one problem on both paths"


# -- the Actielog filter: one definition for the table and the timeline ------------------------------------------
@pytest.mark.parametrize(
    "filt",
    [
        actions.ActionFilter(),
        actions.ActionFilter(statuses=("lopend", "gepland")),
        actions.ActionFilter(principles=(3, 7), text="ouders"),
        actions.ActionFilter(goals=("",), date_from=dt.date(2022, 1, 1), date_to=dt.date(2024, 12, 31)),
        actions.ActionFilter(owners=("nobody",)),
    ],
)
def test_the_table_and_the_timeline_count_the_same_matching_actions(store, filt):
    total, _ = actions.search(store, COALITION, filt, limit=5)
    months = actions.by_month(store, COALITION, filt)
    assert int(months["actions"].sum()) == total


# -- quiet: one boundary on the Actielog and on Vergelijken ---------------------------------------------------------
def test_quiet_has_one_boundary_on_the_actielog_and_in_the_comparison(store, config, beheerder):
    months = config.actions.quiet_months
    boundary = rules.quiet_since(TODAY, months)
    assert (months, boundary) == (6, dt.date(2026, 5, 24))
    recent = actions.ActionFilter(date_from=boundary - dt.timedelta(days=1), date_to=TODAY)
    _, rows = actions.search(store, COALITION, recent, limit=10_000)
    for action_id, version, status in zip(rows["id"], rows["version"], rows["status"], strict=True):
        if status != "vervallen":  # cancelled actions never count: nothing recent is left
            actions.close_action(store, int(action_id), int(version), beheerder, status="vervallen")
    goal = str(store.query("goals", {"coalition_id": COALITION})["id"].iloc[0])
    action_id = actions.create_action(store, COALITION, valid_action(action_date=boundary, goal_id=goal), beheerder)
    version = 1
    for day, quiet in ((boundary, False), (boundary - dt.timedelta(days=1), True)):
        version = actions.update_action(store, action_id, version, {"action_date": day}, beheerder)
        on_actielog = actions.quiet_goals(store, COALITION, TODAY, months).set_index("id").at[goal, "quiet"]
        overview = compare.coalition_overview(store, config, ["GM0363"], 2024, TODAY, months).set_index("id")
        assert bool(on_actielog) is quiet, f"Actielog, last action {day}"
        assert bool(overview.at[COALITION, "quiet"]) is quiet, f"Vergelijken, last action {day}"
