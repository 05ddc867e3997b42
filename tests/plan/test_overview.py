"""What the Overzicht and Doelen pages are built from (``plan.overview``), on the demo database: the default period
does not jump when one municipality imports next year, cards show the latest figure up to the chosen year with its
year (never NaN), a figure without counts is shown "zonder marge", a yes/no indicator over a region reads "x van n
gemeenten", a member of a regional coalition sees its own figure (unless it gives away a small count), and goals
carry their data status, the source's lag and what the data can show."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kansrijke import access
from kansrijke.core.store import Store
from kansrijke.dataio import importer
from kansrijke.dataio.ingest.common import Upload
from kansrijke.plan import overview, progress

TODAY = dt.date(2026, 11, 24)
ZWOLLE = "GM0193"  # in a regional coalition of the demo (neighbours in Overijssel)
HEADER = "gemeentecode;indicator;periode;waarde;teller;noemer;bron;peildatum;status\n"
# Three rows for 2025 from Amsterdam alone (one of them value-only, as the README's example), the demo ends in 2024.
THREE_FOR_2025 = (
    "GM0363;vroeggeboorte;2025;7,1;550;7800;Perined;;voorlopig\n"
    "GM0363;big2;2025;;1200;7800;Perined;;voorlopig\n"
    "GM0363;kinderen_armoede;2025;8,1;;;CBS;2026-03-01;voorlopig\n"
)


def import_text(store: Store, config, text: str, name: str = "cijfers.csv") -> importer.Prepared:
    """Import a file through the importer, as the page Gegevens and the CLI do; return what was prepared."""
    prepared = importer.prepare(store, config, Upload(name, text.encode("utf-8")))
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    importer.apply(store, prepared, access.operator())
    return prepared


@pytest.fixture
def thin(own_copy, config):
    """The demo with three 2025 rows for Amsterdam alone."""
    store = Store.open(own_copy)
    import_text(store, config, HEADER + THREE_FOR_2025)
    yield store
    Store.close_all()


# -- periods that don't jump --------------------------------------------------------------------------------
def test_the_default_period_is_the_newest_well_covered_year(demo_db, config):
    store = Store.open(demo_db)
    assert overview.periods(store)[0] == 2024
    assert overview.default_period(store, config.periods.min_coverage) == 2024
    assert overview.thin_periods(store, config.periods.min_coverage) == {}


def test_three_rows_for_next_year_from_one_municipality_do_not_move_the_default(thin, config):
    assert overview.periods(thin)[0] == 2025  # still selectable
    assert overview.default_period(thin, config.periods.min_coverage) == 2024
    # 2025 has figures for 1 of the 342 municipalities: thin, and it says how thin
    assert overview.thin_periods(thin, config.periods.min_coverage) == {2025: (1, 342)}
    # per indicator too: tienermoeders has no 2025 row at all
    assert overview.default_period(thin, config.periods.min_coverage, ("tienermoeders",)) == 2024


def test_a_year_becomes_the_default_once_half_the_municipalities_have_it(own_copy, config):
    store = Store.open(own_copy)
    codes = list(store.query("municipalities")["code"])
    half = codes[: len(codes) // 2]  # 171 of 342 = 0,5: enough (at least min_coverage)
    rows = "".join(f"{c};tienermoeders;2025;3,0;;;CBS;;voorlopig\n" for c in half[:-1])
    import_text(store, config, HEADER + rows)
    assert overview.default_period(store, config.periods.min_coverage) == 2024  # 170 of 342: not yet
    import_text(store, config, HEADER + f"{half[-1]};tienermoeders;2025;3,0;;;CBS;;voorlopig\n", "nog een.csv")
    assert overview.default_period(store, config.periods.min_coverage) == 2025
    Store.close_all()


def test_a_database_with_only_its_own_municipalities_still_gets_a_default():
    """No year reaches half of all municipalities (a coalition that loads only its own figures): the threshold
    becomes half of the best-covered year, so the newest year with most of them is the default."""
    coverage = pd.DataFrame({"period": [2025, 2024, 2023], "covered": [1, 3, 3], "total": [342, 342, 342]})
    assert overview.coverage_threshold(coverage, 0.5) == 1.5  # 0,5 x 3 (the best-covered year)
    coverage = pd.DataFrame({"period": [2025, 2024], "covered": [1, 200], "total": [342, 342]})
    assert overview.coverage_threshold(coverage, 0.5) == 171.0  # 0,5 x 342


# -- key cards ------------------------------------------------------------------------------------------------
def test_cards_show_the_latest_figure_up_to_the_chosen_year_with_its_year(thin, config):
    figures = overview.key_figures(thin, config, ["GM0363"], config.ui.key_indicators, 2025)
    by_id = {kf.indicator.id: kf for kf in figures}
    teen = by_id["tienermoeders"]  # no 2025 figure: the 2024 one, with its year
    assert teen.year == 2024 and teen.stale
    raw = thin.query("pooled_series", {"codes": ["GM0363"], "indicators": ["tienermoeders"], "hidden": []})
    last = raw[raw["period"] == 2024].iloc[0]
    expected = last["numerator"] / last["denominator"] * 1000  # per 1.000, from the stored counts
    assert overview.card_value(teen) == f"{expected:.1f}".replace(".", ",") + " per 1.000 (2024)"
    # vroeggeboorte has a 2025 figure: 550 / 7800 = 7,05% -> "7,1%", no year added
    assert overview.card_value(by_id["vroeggeboorte"]) == "7,1%"
    for kf in figures:
        assert "nan" not in overview.card_value(kf).lower()
        assert kf.current, kf.indicator.id


def test_a_figure_without_counts_is_shown_on_its_value_zonder_marge(thin, config):
    (kf,) = overview.key_figures(thin, config, ["GM0363"], ["kinderen_armoede"], 2025)
    assert overview.card_value(kf) == "8,1%"  # the imported value, as written
    assert kf.margin is False
    assert "status: voorlopig" in overview.card_source(kf) and "1 maart 2026" in overview.card_source(kf)
    # a figure with counts has a margin
    (kf,) = overview.key_figures(thin, config, ["GM0363"], ["vroeggeboorte"], 2025)
    assert kf.margin is True


def regional_coalition(store: Store, municipality: str) -> tuple[str, pd.DataFrame]:
    """The coalition ``municipality`` takes part in and its members, read from the store (a regional one)."""
    (coalition_id,) = store.query("coalition_of_municipality", {"code": municipality})["id"]
    members = store.query("coalition_members", {"coalition_id": coalition_id})
    assert municipality in set(members["code"]) and len(members) > 1  # the premise: a regional coalition
    return coalition_id, members


def test_yes_no_over_a_region_reads_x_of_n_municipalities(own_copy, config):
    store = Store.open(own_copy)
    _, members = regional_coalition(store, ZWOLLE)
    codes = list(members["code"])
    stored = store.table("indicator_values")
    stored = stored[
        (stored["indicator_id"] == "nnz_beschikbaar")
        & (stored["period"] == 2024)
        & stored["municipality_code"].isin(codes)
    ]
    assert len(stored) == len(codes)  # the demo has ja (1) or nee (0) for every member in 2024
    yes = set(stored.loc[stored["value"] == 1, "municipality_code"])
    assert yes, "the premise: at least one member says ja"
    (kf,) = overview.key_figures(store, config, codes, ["nnz_beschikbaar"], 2024)
    assert overview.card_value(kf) == f"{len(yes)} van {len(codes)} gemeenten"
    # one member that said "ja" now says "nee": one fewer of the same n municipalities
    turned = sorted(yes)[0]
    import_text(store, config, HEADER + f"{turned};nnz_beschikbaar;2024;0;;;GGD;;definitief\n")
    (kf,) = overview.key_figures(store, config, codes, ["nnz_beschikbaar"], 2024)
    assert overview.card_value(kf) == f"{len(yes) - 1} van {len(codes)} gemeenten"
    (own,) = overview.key_figures(store, config, [turned], ["nnz_beschikbaar"], 2024)
    assert overview.card_value(own) == "nee"  # a single municipality still reads ja/nee
    assert overview.comparison_text(62.0, "ja/nee") == "62% van de gemeenten"  # Nederland beside it
    Store.close_all()


# -- a member of a regional coalition ----------------------------------------------------------------------
def test_a_member_sees_its_own_figure_beside_the_region(demo_db, config):
    store = Store.open(demo_db)
    _, members = regional_coalition(store, ZWOLLE)
    codes = list(members["code"])
    name = members.set_index("code").loc[ZWOLLE, "name"]
    (kf,) = overview.key_figures(store, config, codes, ["big2"], 2024, member=(ZWOLLE, name))
    raw = store.query("pooled_series", {"codes": [ZWOLLE], "indicators": ["big2"], "hidden": []})
    own = raw[raw["period"] == 2024].iloc[0]
    expected = own["numerator"] / own["denominator"] * 100  # Zwolle alone, from its stored counts
    assert kf.member["value"] == pytest.approx(expected)
    assert overview.card_member(kf) == f"{name} zelf: {expected:.1f}%".replace(".", ",") + " in 2024"
    # the region's figure pools every member's counts
    every = store.query("pooled_series", {"codes": codes, "indicators": ["big2"], "hidden": []})
    region = every[every["period"] == 2024].iloc[0]
    assert region["numerator"] > own["numerator"]  # the others add to it
    assert kf.current["value"] == pytest.approx(region["numerator"] / region["denominator"] * 100)
    # outside a regional coalition there is no member line
    (alone,) = overview.key_figures(store, config, ["GM0363"], ["big2"], 2024, member=("GM0363", "Amsterdam"))
    assert overview.card_member(alone) is None


def test_a_member_figure_that_would_give_away_the_other_member_is_hidden_with_its_rule(demo_db, config):
    """A coalition of two where one member's vroeggeboorte count in 2024 is below privacy.min_count and the
    other's is not: the region minus the larger member would leave the small member's count, so the larger
    member's own figure is hidden (rule aanvulling_gebied) and says why."""
    store = Store.open(demo_db)
    counts = store.table("indicator_values")
    counts = counts[(counts["indicator_id"] == "vroeggeboorte") & (counts["period"] == 2024)]
    counts = counts.set_index("municipality_code")["numerator"]
    low = config.privacy.min_count
    pairs = [
        sorted(members, key=lambda c: counts[c])
        for members in store.query("coalitions")["members"]
        if len(members) == 2 and all(c in counts.index for c in members)
    ]
    found = [(small, big) for small, big in pairs if counts[small] < low <= counts[big]]
    assert found, "the premise: the demo has a coalition of two with one small and one large member"
    small, big = found[0]
    raw = store.query("pooled_series", {"codes": [small], "indicators": ["vroeggeboorte"], "hidden": []})
    assert raw.loc[raw["period"] == 2024, "numerator"].iloc[0] < low  # the premise, as the pages read it
    name = store.query("municipalities").set_index("code").loc[big, "name"]
    (kf,) = overview.key_figures(store, config, [small, big], ["vroeggeboorte"], 2024, member=(big, name))
    assert kf.member["suppressed"] and pd.isna(kf.member["value"]) and pd.isna(kf.member["numerator"])
    text = overview.card_member(kf)
    assert text.startswith(f"{name} zelf (2024): Niet getoond") and "regio" in text
    # the region itself (enough events together) is shown
    assert not kf.current.get("suppressed") and kf.current["value"] > 0


# -- goals: provenance, pooled years, what the data can show ------------------------------------------------
def test_the_goal_table_carries_data_status_lag_and_what_the_data_can_show(demo_db, config):
    store = Store.open(demo_db)
    state = progress.coalition_progress(store, config, "KS-GM0363", 2024, TODAY)
    goals = [g for a in state.ambitions for g in a.goals]
    table = overview.goal_table(goals)
    assert list(table.columns) == [
        "Doel",
        "Status",
        "Indicator",
        "Laatste cijfer",
        "Basiswaarde",
        "Streefwaarde",
        "Gegevensstatus",
        "Bron en vertraging",
        "Kleinste zichtbare verandering",
        "Eigenaar",
    ]
    judged = [g for g in goals if g.latest]
    assert judged
    for g, row in zip(goals, table.to_dict("records"), strict=True):
        if not g.latest:
            continue
        assert row["Gegevensstatus"] in ("voorlopig", "definitief", "herzien")
        assert f"loopt ongeveer {g.indicator.vertraging_jaren} jaar achter" in row["Bron en vertraging"]
        if g.pooled:  # judged on years pooled: the figure says which years
            assert f"{g.pooled[0]}–{g.pooled[1]}" in row["Laatste cijfer"] and "jaar samen" in row["Laatste cijfer"]
        if g.detectable.get("one_year") is not None:
            assert row["Kleinste zichtbare verandering"].startswith("in één jaar vanaf ")


def test_a_goal_judged_on_pooled_years_names_them(demo_db, config):
    store = Store.open(demo_db)
    state = progress.coalition_progress(store, config, "KS-GM0363", 2024, TODAY)
    pooled = [g for a in state.ambitions for g in a.goals if g.pooled]
    if not pooled:
        pytest.skip("no goal of Amsterdam is judged on pooled years with this engine")
    g = pooled[0]
    first, last = g.pooled
    assert last - first + 1 == config.status.pool_years
    assert overview.goal_period_text(g) == f"{first}–{last}"
    assert overview.goal_figure_text(g).endswith(f"in {first}–{last} ({config.status.pool_years} jaar samen)")
