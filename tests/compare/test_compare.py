"""The comparison view's numbers: funnel limits computed by hand, pooled rates, small-number suppression in every
chart, table, export and CLI output, the coalition overview against the progress engine, and the map file."""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import DATA, write_config

from kansrijke import compare
from kansrijke.compare import charts as cc
from kansrijke.core import disclosure
from kansrijke.core.config import load_config
from kansrijke.core.store import Store
from kansrijke.plan import progress

TODAY = dt.date(2026, 11, 24)
GEOJSON = DATA / "gemeenten_2024.geojson"
SUPPRESSED = "onderdrukt (minder dan 10 gebeurtenissen)"


@pytest.fixture
def store(demo_db) -> Store:
    return Store.open(demo_db)  # per test: a demo_copy elsewhere closes every open store


@pytest.fixture(scope="module")
def raw(demo_db) -> pd.DataFrame:
    """Every stored indicator value, read straight from the table (the truth the view must agree with)."""
    return Store.open(demo_db).table("indicator_values")


def window(raw: pd.DataFrame, indicator: str, period: int, pooled: bool) -> pd.DataFrame:
    first = period - 2 if pooled else period
    part = raw[
        (raw["indicator_id"] == indicator)
        & raw["period"].between(first, period)
        & raw["numerator"].notna()
        & raw["denominator"].notna()
        & (raw["data_status"] != "ingetrokken")
    ]
    return part


def must_hide(raw: pd.DataFrame, indicator: str, period: int, pooled: bool, min_count: int = 10) -> set[str]:
    """By hand: fewer than min_count events in the window, or (pooled) a small year that the published other
    years would reveal (its events, with the other small years, below min_count)."""
    part = window(raw, indicator, period, pooled)
    hidden = set()
    for code, rows in part.groupby("municipality_code"):
        total = rows["numerator"].sum()
        small = rows[rows["numerator"] < min_count]
        if total < min_count or (len(small) and small["numerator"].sum() < min_count):
            hidden.add(code)
    return hidden


# -- funnel positions ----------------------------------------------------------------------------------------
def test_every_municipality_sits_where_the_hand_computed_funnel_puts_it(store, config, raw):
    """Limits worked by hand in test_funnel.py; here: the centre is Nederland over all municipalities, the spread is
    estimated from the published ones, and each position follows from the limits at its own denominator."""
    cmp = compare.comparison(store, config, compare.Choice("big2", 2024, highlight="GM0363"))
    shown = cmp.shown
    part = window(raw, "big2", 2024, False)
    p0 = part["numerator"].sum() / part["denominator"].sum()  # Nederland: every municipality, suppressed ones too
    assert cmp.reference.proportion == pytest.approx(p0)
    spread = compare.overdispersion(
        cmp.rows.loc[cmp.rows["value"].notna(), "_num"].to_numpy(), shown["_den"].to_numpy(), p0
    )
    assert spread == cmp.dispersion and spread.overdispersed
    lo95, hi95 = compare.funnel_limits(p0, shown["denominator"].to_numpy(), compare.Z95, spread.tau2)
    lo998, hi998 = compare.funnel_limits(p0, shown["denominator"].to_numpy(), compare.Z998, spread.tau2)
    counts = {}
    for k, r in enumerate(shown.itertuples()):
        assert (r.lo95, r.hi95) == (pytest.approx(lo95[k] * 100), pytest.approx(hi95[k] * 100))
        # with over-dispersion: the random-effects limit, at least as wide as the exact one
        half = 1.959964 * math.sqrt(p0 * (1 - p0) / r.denominator + spread.tau2)
        assert r.hi95 >= (p0 + half) * 100 - 1e-9 and r.lo95 <= (p0 - half) * 100 + 1e-9
        rate = r.numerator / r.denominator
        expected = "slechter" if rate > hi95[k] else "beter" if rate < lo95[k] else "binnen"  # lower is better
        assert r.position == expected, r.name
        assert bool(r.beyond998) == (rate > hi998[k] or rate < lo998[k])
        counts[expected] = counts.get(expected, 0) + 1
    assert counts["binnen"] > 5 * (counts.get("beter", 0) + counts.get("slechter", 0))  # most differences are chance
    # Amsterdam (16,3% of 8.853 births against 14,3%) is outside the plain normal funnel, but within the usual
    # variation between municipalities (tau = 1,7 points): not ranked on it
    ams = shown.set_index("code").loc["GM0363"]
    assert ams["value"] / 100 > compare.normal_limits(p0, ams["denominator"], compare.Z95)[1]
    assert ams["position"] == "binnen"


def test_higher_is_better_and_context_indicators_name_positions_their_way(store, config):
    cmp = compare.comparison(store, config, compare.Choice("eenoudergezinnen", 2024))
    assert set(cmp.shown["position"]) <= {"binnen", "hoger", "lager"}
    assert {"hoger", "lager"} & set(cmp.shown["position"])


# -- pooled rates -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("pooled", [False, True])
def test_pooled_rate_is_sum_of_numerators_over_sum_of_denominators(store, config, raw, pooled):
    choice = compare.Choice("big2", 2024, set_kind="gids", pooled=pooled)
    cmp = compare.comparison(store, config, choice)
    gids = set(store.query("municipalities").query("gids")["code"])
    assert set(cmp.rows["code"]) == gids
    published = set(cmp.shown["code"])
    part = window(raw, "big2", 2024, pooled)
    part = part[part["municipality_code"].isin(published)]
    expected = part["numerator"].sum() / part["denominator"].sum() * 100
    assert cmp.group.value == pytest.approx(expected)
    assert (cmp.group.numerator, cmp.group.denominator) == (part["numerator"].sum(), part["denominator"].sum())
    # and per municipality
    by_code = part.groupby("municipality_code")[["numerator", "denominator"]].sum()
    for r in cmp.shown.itertuples():
        assert (r.numerator, r.denominator) == tuple(by_code.loc[r.code])
        assert r.value == pytest.approx(r.numerator / r.denominator * 100)
    # the national figure is pooled the same way, over all municipalities (the published ones and the others)
    nat = compare.comparison(store, config, compare.Choice("big2", 2024, pooled=pooled))
    all_part = window(raw, "big2", 2024, pooled)
    assert nat.national.value == pytest.approx(all_part["numerator"].sum() / all_part["denominator"].sum() * 100)


def test_peers_set_and_comparison_group_use_the_configured_peers(store, config):
    peers = compare.peers(store, config, "GM0344")
    assert len(peers) == config.peer_groups.vergelijkbare_gemeenten.size and "GM0344" not in peers
    cmp = compare.comparison(
        store,
        config,
        compare.Choice("big2", 2024, set_kind="vergelijkbaar", against="vergelijkbaar", highlight="GM0344"),
    )
    assert set(cmp.rows["code"]) == {"GM0344", *peers}
    assert cmp.reference.codes == peers and cmp.peers == peers
    assert cmp.reference.label == "gemeenten vergelijkbaar met Utrecht"


# -- small numbers --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("indicator", "pooled"), [("big2", False), ("big2", True), ("tienermoeders", True)])
def test_small_counts_are_suppressed_in_rows_charts_tables_exports_and_json(store, config, raw, indicator, pooled):
    cmp = compare.comparison(store, config, compare.Choice(indicator, 2024, pooled=pooled, highlight="GM0096"))
    small = must_hide(raw, indicator, 2024, pooled)
    assert small, "the demo should have small municipalities"
    # the product-wide plan (core.disclosure) hides more: figures that would give a small count away by subtraction
    plan = disclosure.plan(store, config, indicator).hidden_codes(*compare.period_range(2024, pooled))
    hidden = small | set(plan)
    assert set(cmp.rows.loc[cmp.rows["suppressed"], "code"]) == hidden
    rules = cmp.rows.set_index("code")["suppression"]
    assert all(rules[c] == plan[c] if c in plan else rules[c] in ("klein", "aanvulling_jaren") for c in hidden)
    totals = window(raw, indicator, 2024, pooled).groupby("municipality_code")["numerator"].sum()
    assert {rules[c] for c in small if totals[c] < 10} == {"klein"}
    gone = cmp.rows[cmp.rows["code"].isin(hidden)]
    assert gone[["numerator", "denominator", "value", "lower", "upper", "lo95", "hi95"]].isna().all().all()
    assert gone["position"].isna().all()
    names = set(gone["name"])

    # charts: no plotted point and no hover text for a suppressed municipality, except the word "onderdrukt"
    geo = compare.boundaries(GEOJSON)
    all_names = store.query("municipalities").set_index("code")["name"]
    figures = [cc.funnel(cmp), cc.dots(cmp), cc.choropleth(cmp, geo, all_names)]
    for chart in figures:
        for trace in chart.figure.data:
            texts = [*(trace.text or []), *(getattr(trace, "hovertext", None) or [])]
            for text in texts:
                if any(f"<b>{n}</b>" in str(text) for n in names):
                    assert "onderdrukt" in text or "afgeschermd" in text
                    assert not any(ch.isdigit() for ch in text.replace("10", ""))
        # the highlighted municipality, without a number, with the rule
        assert "Vlieland: onderdrukt (minder dan 10 gebeurtenissen)." in chart.summary
    # the funnel and dot plot draw only published municipalities
    plotted = {
        (round(x), round(y, 4))
        for ch in figures[:1]
        for tr in ch.figure.data
        if tr.mode == "markers"
        for x, y in zip(tr.x, tr.y, strict=True)
    }
    sums = window(raw, indicator, 2024, pooled).groupby("municipality_code")[["numerator", "denominator"]].sum()
    for code in hidden:
        num, den = sums.loc[code]
        assert (round(den), round(num / den * cmp.scale, 4)) not in plotted

    # tables: a suppressed row says so and shows nothing else
    table = cc.comparison_table(cmp, ranks=True)
    rows = table[table["Gemeentecode"].isin(hidden)]
    labels = rows["Gemeentecode"].map(lambda c: compare.suppressed_label(rules[c], 10))
    others = rows.drop(columns=["Gemeente", "Gemeentecode", "Rang", "Waarde"])
    assert (others == "–").all().all()
    assert (rows["Waarde"] == labels).all() and rows["Rang"].isna().all()
    tiny = [c for c in small if totals[c] < 10]
    assert set(labels[rows["Gemeentecode"].isin(tiny)]) == {SUPPRESSED}

    # exports: empty counts and the reason
    frame = compare.export_frame(cmp, config)
    out = frame[frame["gemeentecode"].isin(hidden)]
    assert out[["teller", "noemer", "waarde", "ondergrens_95", "bovengrens_95", "positie"]].isna().all().all()
    reasons = out["gemeentecode"].map(lambda c: compare.suppressed_reason(rules[c], 10))
    assert (out["opmerking"] == reasons).all() and out["opmerking"].str.startswith("Niet getoond: ").all()
    csv = pd.read_csv(io.BytesIO(compare.export_csv(frame)), sep=";", decimal=",", encoding="utf-8-sig")
    assert csv.loc[csv["gemeentecode"].isin(hidden), ["teller", "noemer", "waarde"]].isna().all().all()
    xlsx = pd.read_excel(io.BytesIO(compare.export_xlsx(frame)))
    assert xlsx.loc[xlsx["gemeentecode"].isin(hidden), ["teller", "noemer", "waarde"]].isna().all().all()

    # JSON (CLI): null counts with the reason
    data = compare.as_json(cmp, config)
    for m in data["gemeenten"]:
        if m["gemeentecode"] in hidden:
            assert m["teller"] is None and m["noemer"] is None and m["waarde"] is None and m["interval"] is None
            assert m["positie"] is None and m["onderdrukking"] == rules[m["gemeentecode"]]
            assert m["reden"] == compare.suppressed_reason(rules[m["gemeentecode"]], 10)
    assert data["onderdrukt"] == len(hidden)


def test_group_figures_are_sums_of_published_numbers_only(store, config):
    """A suppressed count can never be found by subtracting published numbers from a group's total."""
    for set_kind, value in (("alle", None), ("provincie", "Fryslân"), ("lijst", None)):
        codes = ("GM0363", "GM0344", "GM0096") if set_kind == "lijst" else ()
        cmp = compare.comparison(
            store, config, compare.Choice("big2", 2024, set_kind=set_kind, set_value=value, codes=codes)
        )
        assert cmp.suppressed, set_kind
        shown = cmp.shown
        assert cmp.group.numerator == shown["numerator"].sum()
        assert cmp.group.denominator == shown["denominator"].sum()
        assert cmp.group.suppressed_members == cmp.suppressed


def test_a_three_year_figure_that_would_reveal_a_small_year_is_suppressed(store, config, raw):
    part = window(raw, "vroeggeboorte", 2024, pooled=True)
    cmp = compare.comparison(store, config, compare.Choice("vroeggeboorte", 2024, pooled=True))
    rows = cmp.rows.set_index("code")
    found = 0
    for code, years in part.groupby("municipality_code"):
        small = years[years["numerator"] < 10]
        if years["numerator"].sum() >= 10 and len(small) and small["numerator"].sum() < 10:
            found += 1
            assert rows.loc[code, "suppressed"], code
    assert found, "the demo should have such a municipality"


def test_heat_map_marks_only_differences_beyond_chance_and_hides_small_cells(store, config):
    codes = list(store.query("municipalities").query("province == 'Zeeland'")["code"])
    frame = compare.heat(store, config, codes, 2024, False)
    chart = cc.heatmap(frame, config, "GM0718", "provincie Zeeland", (2024, 2024), 10)
    trace = chart.figure.data[0]
    inds = list(dict.fromkeys(frame["indicator_id"]))
    names = [n.removeprefix("▶ ") for n in trace.y]
    assert "▶ Vlissingen" in trace.y
    for r in frame.itertuples():
        i, j = names.index(r.name), inds.index(r.indicator_id)
        mark, hover, z = trace.text[i][j], trace.customdata[i][j], trace.z[i][j]
        if r.suppressed:
            assert mark == "" and (z is None or np.isnan(z))
            assert hover == compare.suppressed_label(r.suppression, 10)
        else:
            assert mark == {"beter": "+", "slechter": "−"}.get(r.position, "")
            assert (z > 0) == (r.score > 0) or z == 0
    table = chart.table
    assert len(table) == len(codes) and (table == SUPPRESSED).any().any()


def test_trend_band_is_the_sets_quartiles_of_published_rates(store, config, raw):
    codes = list(store.query("municipalities").query("gids")["code"])
    frame = compare.trend(store, config, "big2", codes, codes, "GM0363", False, 2024)
    last = frame[frame["period"] == 2024].iloc[0]
    hidden = disclosure.plan(store, config, "big2").hidden_codes(2024)
    part = raw[
        (raw["indicator_id"] == "big2")
        & (raw["period"] == 2024)
        & raw["municipality_code"].isin(codes)
        & (raw["numerator"] >= 10)
        & ~raw["municipality_code"].isin(hidden)
    ]
    rates = part["numerator"] / part["denominator"] * 100
    assert last["median"] == pytest.approx(rates.median())
    assert last["q1"] == pytest.approx(rates.quantile(0.25)) and last["q3"] == pytest.approx(rates.quantile(0.75))
    assert last["reference"] == pytest.approx(part["numerator"].sum() / part["denominator"].sum() * 100)
    ams = part[part["municipality_code"] == "GM0363"].iloc[0]
    assert last["value"] == pytest.approx(ams["numerator"] / ams["denominator"] * 100)
    chart = cc.trend(
        frame, compare.comparison(store, config, compare.Choice("big2", 2024, set_kind="gids", highlight="GM0363"))
    )
    assert len(chart.figure.data) <= 5  # a band, a median, a reference and the municipality: not a line each
    # against Nederland the reference line is the national figure of every year (all municipalities)
    national = compare.trend(store, config, "big2", codes, [], "GM0363", False, 2024, national=True)
    for year in (2018, 2024):
        every = raw[(raw["indicator_id"] == "big2") & (raw["period"] == year)]
        got = national.loc[national["period"] == year, "reference"].iloc[0]
        assert got == pytest.approx(every["numerator"].sum() / every["denominator"].sum() * 100)
    pooled = compare.trend(store, config, "big2", codes, [], "GM0363", True, 2024, national=True)
    every = raw[(raw["indicator_id"] == "big2") & raw["period"].between(2022, 2024)]
    got = pooled.loc[pooled["period"] == 2024, "reference"].iloc[0]
    assert got == pytest.approx(every["numerator"].sum() / every["denominator"].sum() * 100)  # three years, not five


# -- coalition overview -------------------------------------------------------------------------------------------
def test_coalition_overview_counts_goals_exactly_as_the_progress_engine(store, config):
    codes = list(store.query("municipalities")["code"])
    overview = compare.coalition_overview(store, config, codes, 2024, TODAY, 6)
    assert len(overview) == len(store.query("coalitions"))
    sample = overview[overview["goals"] > 0].head(12)
    for row in sample.itertuples():
        state = progress.coalition_progress(store, config, row.id, 2024, TODAY)
        goals: dict[str, int] = {}
        for amb in state.ambitions:
            for g in amb.goals:
                goals[g.status] = goals.get(g.status, 0) + 1
        got = {s: int(overview.set_index("id").loc[row.id, s]) for s in progress.GOAL_STATUSES}
        assert {s: n for s, n in got.items() if n} == goals, row.id


def test_a_coalition_without_recent_action_is_named_quiet(demo_copy, config):
    store = Store.open(demo_copy)
    coalitions = store.query("coalitions")
    target = coalitions.iloc[3]["id"]
    with store.write() as w:
        w.delete_keys("actions", pd.DataFrame({"coalition_id": [target]}))
        w.run("rename_coalition", {"id": target, "name": '=HYPERLINK("http://x","klik")'})
    codes = list(store.query("municipalities")["code"])
    overview = compare.coalition_overview(store, config, codes, 2024, TODAY, 6).set_index("id")
    assert overview.loc[target, "quiet"] and pd.isna(overview.loc[target, "last_action"])
    active = overview[overview["last_action"].notna()]
    recent = active[active["last_action"] >= TODAY - dt.timedelta(days=150)]
    assert not recent["quiet"].any()
    # a long quiet spell: with N = 1 month more coalitions are quiet than with N = 12
    few = compare.coalition_overview(store, config, codes, 2024, TODAY, 12)["quiet"].sum()
    many = compare.coalition_overview(store, config, codes, 2024, TODAY, 1)["quiet"].sum()
    assert many > few >= 1
    # the export neutralises the user's coalition name
    table = cc.coalition_table(overview.reset_index(), TODAY)
    assert "nooit" in set(table["Laatste actie"])
    csv = compare.export_csv(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ";=HYPERLINK" not in csv
    book = pd.read_excel(io.BytesIO(compare.export_xlsx(table)))
    assert book.iloc[:, 0].str.startswith("'=HYPERLINK").any()
    store.close()


# -- map ---------------------------------------------------------------------------------------------------------------
def test_boundaries_are_read_once_rounded_and_the_map_figure_stays_under_one_megabyte(store, config):
    geo = compare.boundaries(GEOJSON)
    assert compare.boundaries(GEOJSON) is geo  # cached
    assert len(geo["features"]) == 342
    assert {f["properties"]["statcode"] for f in geo["features"]} == set(store.query("municipalities")["code"])
    cmp = compare.comparison(store, config, compare.Choice("big2", 2024, highlight="GM0363"))
    chart = cc.choropleth(cmp, geo, store.query("municipalities").set_index("code")["name"])
    trace = chart.figure.data[1]  # data[0]: the offline anchor (see charts.choropleth)
    assert trace.type == "choropleth" and chart.figure.layout.geo.visible is False
    spec = chart.figure.to_json()
    assert len(spec.encode()) < 1_000_000
    sent = json.loads(spec)["data"][1]["geojson"]["features"]
    assert len(sent) == 342 and sent[0]["properties"].keys() == {"statcode", "statnaam"}
    rings = [
        np.asarray(r)
        for f in geo["features"]
        for part in f["geometry"]["coordinates"]
        for r in (part if f["geometry"]["type"] == "MultiPolygon" else [part])
    ]
    assert all(np.allclose(r * 1000, np.round(r * 1000)) and len(r) >= 4 for r in rings)  # three decimals
    assert trace.marker.line.width[list(trace.locations).index("GM0363")] > 1  # the highlight's thick outline


def test_the_shipped_config_draws_the_map_and_without_a_file_there_is_none(config, tmp_path):
    assert compare.boundaries_path(config) == GEOJSON  # config.yaml ships the CBS/Kadaster boundaries
    bare = load_config(write_config(tmp_path, {"boundaries: data/gemeenten_2024.geojson": "boundaries: null"}))
    assert compare.boundaries_path(bare) is None


# -- CLI ---------------------------------------------------------------------------------------------------------------
@pytest.fixture
def vergelijk(cli):
    """``python -m kansrijke vergelijk ...`` as a user runs it (in this process: conftest's ``cli``)."""
    return lambda *argv, db: cli("vergelijk", *argv, db=db)


def test_cli_prints_pooled_rate_and_per_municipality_counts_interval_and_position(vergelijk, demo_db, raw):
    proc = vergelijk("--indicator", "big2", "--set", "gids", "--json", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["periode"] == 2024  # the latest period by default
    assert len(data["gemeenten"]) == 150
    published = [m for m in data["gemeenten"] if m["waarde"] is not None]
    total_num = sum(m["teller"] for m in published)
    total_den = sum(m["noemer"] for m in published)
    assert data["selectie"]["waarde"] == pytest.approx(total_num / total_den * 100, abs=1e-4)
    assert (data["selectie"]["teller"], data["selectie"]["noemer"]) == (total_num, total_den)
    hidden = must_hide(raw, "big2", 2024, False)
    # besides the small counts (S1), a member of a regional coalition is hidden when the region's figure minus
    # the published members would give away a small member's count (S3)
    regions = [set(r) for r in Store.open(demo_db).query("coalitions")["members"] if len(r) > 1]
    Store.close_all()
    events = window(raw, "big2", 2024, False).set_index("municipality_code")["numerator"]
    for m in data["gemeenten"]:
        assert {"gemeentecode", "teller", "noemer", "waarde", "interval", "positie", "reden"} <= set(m)
        if m["gemeentecode"] in hidden:
            assert m["teller"] is None and m["noemer"] is None and m["reden"] == SUPPRESSED
        elif m["waarde"] is None:  # hidden so that a small member of its region cannot be derived
            assert m["teller"] is None and m["onderdrukking"] == disclosure.AREA
            assert m["reden"] == disclosure.reason(disclosure.AREA, 10)
            assert any(m["gemeentecode"] in r and r & hidden for r in regions)
        else:
            assert m["interval"]["onder"] <= m["waarde"] <= m["interval"]["boven"]
            assert m["positie"] in ("binnen", "beter", "slechter")
    # every region with a small member, all its members listed: what it withholds is not a small count
    small_regions = [r for r in regions if r & hidden]
    assert small_regions  # the premise: the demo has such regions
    members = ",".join(sorted(set().union(*small_regions)))
    proc = vergelijk("--indicator", "big2", "--set", f"lijst:{members}", "--json", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    every = {m["gemeentecode"]: m for m in json.loads(proc.stdout)["gemeenten"]}
    for region in small_regions:
        withheld = [c for c in region if every[c]["waarde"] is None]
        assert sum(events[c] for c in withheld) >= 10, withheld  # region minus the published: not a small count

    proc = vergelijk("--indicator", "big2", "--set", "lijst:GM0363,Utrecht,GM0096", "--periode", "2022", db=demo_db)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "GM0363" in text and "GM0344" in text and "Niet getoond: minder dan 10 gebeurtenissen." in text
    assert "(2022)" in text and "Trechter (Spiegelhalter 2005)" in text
    assert "buiten de 95%-grenzen, bij toeval verwacht" in text and "Bron: Perined (via DIAPER/RIVM)" in text
    assert "(Amsterdam; definitief)" in text


def test_cli_refuses_unknown_choices_with_one_dutch_sentence(vergelijk, demo_db):
    for argv, message in (
        (["--indicator", "roken_zwangerschap"], "onbekend of heeft geen teller en noemer"),
        (["--indicator", "big2", "--periode", "1999"], "Periode '1999' heeft geen cijfers"),
        (["--indicator", "big2", "--set", "provincie:Atlantis"], "Selectie 'provincie:Atlantis' is onbekend"),
        (["--indicator", "big2", "--tegen", "vergelijkbaar"], "heeft een gemeente nodig"),
    ):
        proc = vergelijk(*argv, db=demo_db)
        assert proc.returncode == 2 and message in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr and proc.stdout == ""
