"""The national demo: deterministic, complete, plausible (a demo that looks like life), and loadable into a real
database: neighbours in regional coalitions, full plans for the example municipalities and the largest cities,
targets the figures can show, a believable status mix, parents' signals, meetings with minutes, recent actions, and
no national figures of its own."""

from __future__ import annotations

import csv
import datetime as dt
import time

import numpy as np
import pandas as pd
import pytest
from conftest import DATA

from kansrijke import demo, meeting, signals
from kansrijke.core import reference
from kansrijke.core.store import Store
from kansrijke.demo import voices
from kansrijke.meeting.markdown import minutes_text
from kansrijke.plan import progress

BIG_FOUR = ["GM0363", "GM0599", "GM0518", "GM0344"]
# indicator, period, national level, allowed deviation (INDICATORS.md)
NATIONAL_LEVELS = [
    ("big2", 2021, 14.8, 0.6),
    ("vroeggeboorte", 2021, 6.6, 0.4),
    ("kinderen_armoede", 2022, 5.2, 0.5),
    ("tienermoeders", 2022, 2.9, 0.3),
    ("lbw_2500", 2021, 5.7, 0.4),
]
SCALE = {"%": 100.0, "per 1000": 1000.0}


@pytest.fixture(scope="module")
def frames(config):
    started = time.perf_counter()
    result = demo.generate(config)
    print(f"\ndemo.generate: {time.perf_counter() - started:.2f} s")
    return result


@pytest.fixture(autouse=True)
def _fresh_stores():
    Store.close_all()
    yield
    Store.close_all()


def _years(config) -> list[int]:
    return list(range(config.demo.first_year, config.demo.last_year + 1))


def _pooled(values: pd.DataFrame, indicator_id: str, codes, period: int, scale: float) -> float:
    rows = values[
        (values["indicator_id"] == indicator_id)
        & (values["period"] == period)
        & values["municipality_code"].isin(list(codes))
    ]
    return float(rows["numerator"].sum() / rows["denominator"].sum() * scale)


def _rows(frame: pd.DataFrame) -> list[tuple]:
    def cell(v):
        if hasattr(v, "tolist"):
            v = v.tolist()
        if isinstance(v, list):
            return tuple(v)
        return "<NA>" if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v

    return [tuple(cell(v) for v in r) for r in frame.itertuples(index=False)]


# -- determinism ----------------------------------------------------------------
def test_same_seed_gives_identical_frames_and_another_seed_differs(config, frames):
    again = demo.generate(config)
    assert list(again) == list(frames)
    for table, frame in frames.items():
        pd.testing.assert_frame_equal(again[table], frame, obj=table)
    other = config.model_copy(update={"demo": config.demo.model_copy(update={"seed": config.demo.seed + 1})})
    changed = demo.generate(other)
    a, b = frames["indicator_values"], changed["indicator_values"]
    assert len(a) == len(b)
    assert (a["value"].to_numpy() != b["value"].to_numpy()).mean() > 0.5
    assert not frames["coalitions"]["phase"].equals(changed["coalitions"]["phase"])


def test_frames_use_the_schema_tables_and_columns(frames):
    assert set(frames) == set(demo.TABLES)
    assert list(frames["actions"].columns) == [
        "id",
        "coalition_id",
        "action_date",
        "title",
        "description",
        "owner",
        "status",
        "goal_id",
        "principles",
        "partners",
        "level",
        "created_at",
        "version",
    ]


# -- indicator values -------------------------------------------------------------
def test_every_municipality_has_every_municipal_indicator_and_year(config, frames):
    munis = frames["municipalities"]
    assert len(munis) == 342 and munis["code"].is_unique
    values = frames["indicator_values"]
    indicators = [i.id for i in config.municipal_indicators if i.demo is not None]
    expected = pd.MultiIndex.from_product([munis["code"], indicators, _years(config)])
    got = pd.MultiIndex.from_frame(values[["municipality_code", "indicator_id", "period"]])
    assert got.is_unique
    assert set(got) == set(expected)
    assert values["source"].notna().all() and values["reference_date"].notna().all()


def test_national_pooled_levels_match_the_catalogue(frames):
    values = frames["indicator_values"]
    codes = frames["municipalities"]["code"]
    for indicator_id, period, level, tolerance in NATIONAL_LEVELS:
        scale = 1000.0 if indicator_id == "tienermoeders" else 100.0
        pooled = _pooled(values, indicator_id, codes, period, scale)
        assert abs(pooled - level) <= tolerance, (indicator_id, period, pooled)
    births = values[(values["indicator_id"] == "levendgeborenen") & (values["period"] == 2023)]["numerator"].sum()
    assert abs(births - 164_487) / 164_487 < 0.05


def test_counts_are_whole_non_negative_and_numerator_within_denominator(config, frames):
    values = frames["indicator_values"]
    counted = values[values["numerator"].notna()]
    assert str(counted["numerator"].dtype) == "Int64" and str(counted["denominator"].dtype) == "Int64"
    assert (counted["numerator"] >= 0).all() and (counted["denominator"] >= 0).all()
    rates = counted[counted["indicator_id"] != "levendgeborenen"]
    assert (rates["numerator"] <= rates["denominator"]).all()
    assert (values["value"].dropna() >= 0).all()
    births = values[values["indicator_id"] == "levendgeborenen"]
    assert (births["value"] == births["numerator"].astype(float)).all()
    for ind in config.municipal_indicators:
        if ind.eenheid in SCALE:
            rows = values[(values["indicator_id"] == ind.id) & (values["denominator"] > 0)]
            expected = rows["numerator"].astype(float) / rows["denominator"].astype(float) * SCALE[ind.eenheid]
            assert np.allclose(rows["value"], expected), ind.id


def test_yes_no_indicators_follow_the_path_and_are_kept(config, frames):
    values = frames["indicator_values"]
    for ind in config.municipal_indicators:
        if ind.eenheid != "ja/nee":
            continue
        rows = values[values["indicator_id"] == ind.id]
        assert rows["numerator"].isna().all() and rows["denominator"].isna().all()
        assert set(rows["value"].unique()) <= {0.0, 1.0}
        wide = rows.pivot(index="municipality_code", columns="period", values="value")
        assert (wide.diff(axis=1).fillna(0) >= 0).all().all(), f"{ind.id}: a municipality lost its 'ja'"
        share = wide[ind.demo.jaar].mean() * 100 if ind.demo.jaar in wide else None
        if share is not None:
            assert abs(share - min(ind.demo.niveau, 100)) < 1.0, (ind.id, share)


def test_small_municipalities_vary_more_than_large_ones(frames):
    values = frames["indicator_values"]
    pop = frames["municipalities"].set_index("code")["population"]
    wide = values[values["indicator_id"] == "big2"].pivot(index="municipality_code", columns="period", values="value")
    jumps = wide.diff(axis=1).iloc[:, 1:]
    small = jumps.loc[pop[pop < 10_000].index].to_numpy().ravel()
    large = jumps.loc[pop[pop > 100_000].index].to_numpy().ravel()
    assert np.nanstd(small) > 2 * np.nanstd(large)


def test_deprivation_gradient_and_the_big_four(frames):
    values = frames["indicator_values"]
    codes = frames["municipalities"]["code"]
    national = _pooled(values, "kinderen_armoede", codes, 2022, 100.0)
    for code in BIG_FOUR:
        ratio = _pooled(values, "kinderen_armoede", [code], 2022, 100.0) / national
        assert 1.3 <= ratio <= 2.0, (code, ratio)
    munis = frames["municipalities"]
    urban = munis.loc[munis["urbanity"] <= 2, "code"]
    rural = munis.loc[munis["urbanity"] >= 4, "code"]
    assert _pooled(values, "big2", urban, 2021, 100.0) > _pooled(values, "big2", rural, 2021, 100.0)


def test_data_status_and_reference_dates(config, frames):
    values = frames["indicator_values"]
    latest = values["period"] == config.demo.last_year
    assert (values.loc[latest, "data_status"] == "voorlopig").all()
    assert set(values.loc[~latest, "data_status"]) == {"definitief", "herzien"}
    assert 0 < (values["data_status"] == "herzien").mean() < 0.01
    years = values["reference_date"].map(lambda d: d.year) - values["period"]
    assert years.between(0, 5).all()


def test_the_demo_writes_no_national_figures(config, frames):
    """National figures are real facts (``reference.install_facts``); the demo never makes its own."""
    assert frames["national_values"].empty
    assert list(frames["national_values"].columns) == [
        "indicator_id",
        "period",
        "value",
        "numerator",
        "denominator",
        "source",
        "reference_date",
        "data_status",
    ]
    national_only = {i.id for i in config.indicatoren if i.niveau == "landelijk"}
    assert not set(frames["indicator_values"]["indicator_id"]) & national_only


# -- coalitions -------------------------------------------------------------------
def test_coalitions_phases_and_membership(config, frames):
    coalitions, members = frames["coalitions"], frames["coalition_members"]
    munis = frames["municipalities"]
    assert set(coalitions["phase"]) == {1, 2, 3, 4, 5}
    counts = coalitions["phase"].value_counts()
    assert counts[3] + counts[4] > counts[1] + counts[2]
    assert members["municipality_code"].is_unique, "a municipality is in one coalition at most"
    without = 1 - len(members) / len(munis)
    assert abs(without - config.demo.share_without_coalition) < 0.03
    sizes = members.groupby("coalition_id").size()
    assert sizes.between(1, 5).all()
    assert abs((sizes > 1).mean() - config.demo.share_regional) < 0.08
    province = munis.set_index("code")["province_code"]
    for coalition_id, group in members.groupby("coalition_id"):
        assert group["municipality_code"].map(province).nunique() == 1
        assert coalition_id == "KS-" + min(group["municipality_code"])
    assert coalitions["start_date"].between(dt.date(2018, 6, 1), dt.date(2024, 12, 31)).all()
    early = pd.to_datetime(coalitions["start_date"]).groupby(coalitions["phase"]).median()
    assert early[5] < early[3] < early[1]
    amsterdam = coalitions.set_index("id").loc["KS-GM0363"]
    assert amsterdam["phase"] == 4
    assert list(members.loc[members["coalition_id"] == "KS-GM0363", "municipality_code"]) == ["GM0363"]
    assert not coalitions["trekker"].isna().any()


def test_phase_history_climbs_from_phase_one(frames):
    phases = frames["coalition_phases"]
    coalitions = frames["coalitions"].set_index("id")
    assert not phases[["coalition_id", "since"]].duplicated().any()
    for coalition_id, group in phases.groupby("coalition_id"):
        group = group.sort_values("since")
        assert list(group["phase"]) == list(range(1, coalitions.at[coalition_id, "phase"] + 1))
        assert group["since"].iloc[0] == coalitions.at[coalition_id, "start_date"]
        assert group["since"].is_monotonic_increasing and group["since"].max() <= demo.DEMO_TODAY


def test_ambitions_goals_and_results(config, frames):
    coalitions = frames["coalitions"].set_index("id")
    ambitions, goals, results = frames["ambitions"], frames["goals"], frames["results"]
    per = ambitions.groupby("coalition_id").size().reindex(coalitions.index, fill_value=0)
    phase = coalitions["phase"]
    assert per[phase >= 2].between(2, 4).all() and (per[phase < 2] == 0).all()
    assert ambitions["horizon_year"].between(2026, 2030).all()
    amb_coalition = ambitions.set_index("id")["coalition_id"]
    goal_phase = goals["ambition_id"].map(amb_coalition).map(phase)
    assert (goal_phase >= 3).all()
    assert goals.groupby("ambition_id").size().between(1, 3).all()
    planned = ambitions[ambitions["coalition_id"].map(phase) >= 3]
    assert set(planned["id"]) == set(goals["ambition_id"])

    municipal = {i.id for i in config.municipal_indicators}
    tied = goals[goals["indicator_id"].notna()]
    assert set(tied["indicator_id"]) <= municipal
    assert len(tied) > 0.55 * len(goals) and len(tied) < len(goals)
    plain = goals[goals["indicator_id"].isna()]
    assert plain["baseline_value"].isna().all() and plain["target_value"].isna().all()
    assert tied["baseline_year"].between(config.demo.first_year, config.demo.last_year).all()
    assert goals["target_year"].between(2026, 2030).all()

    members = frames["coalition_members"].groupby("coalition_id")["municipality_code"].apply(list)
    values = frames["indicator_values"]
    actions = frames["actions"]
    first_action = actions[actions["goal_id"].notna()].groupby("goal_id")["action_date"].min()
    gains = []
    for goal in tied.itertuples():
        ind = config.indicator(goal.indicator_id)
        codes = members[amb_coalition[goal.ambition_id]]
        baseline = _pooled(values, ind.id, codes, goal.baseline_year, SCALE[ind.eenheid])
        assert goal.baseline_value == pytest.approx(baseline, abs=0.006)
        assert goal.target_value < goal.baseline_value  # all goal indicators are lager_beter
        gains.append(1 - goal.target_value / goal.baseline_value)
        # the baseline was published when the goal was set, on its first action (figures appear on 1 October,
        # the source's lag on), or it is the latest year (a goal re-set on the newest figure)
        made = first_action[goal.id]
        published = made.year - ind.vertraging_jaren - (0 if made >= dt.date(made.year, 10, 1) else 1)
        assert goal.baseline_year <= published or goal.baseline_year == config.demo.last_year, goal.id
    gains = pd.Series(gains)
    assert gains.max() <= demo.MAX_TARGET_GAIN + 0.01 and 0.1 < gains.median() < 0.3, gains.describe()

    assert results["id"].is_unique
    assert (results["realised"] <= results["target"] * 1.1 + 1e-9).all() and (results["target"] >= 1).all()
    linked = results["goal_id"].dropna()
    assert linked.isin(goals["id"]).all()
    goal_ambition = goals.set_index("id")["ambition_id"]
    assert (linked.map(goal_ambition) == results.loc[linked.index, "ambition_id"]).all()
    assert results["due_date"].between(dt.date(2025, 1, 1), demo.RESULTS_UNTIL).all()
    assert (results["due_date"] > demo.DEMO_TODAY).mean() > 0.6  # most results are still running
    assert results["updated_on"].between(dt.date(2024, 1, 1), demo.DEMO_TODAY).all()


def test_actions(frames):
    actions = frames["actions"]
    coalitions = frames["coalitions"].set_index("id")
    goals = frames["goals"]
    assert list(actions["id"]) == list(range(1, len(actions) + 1))
    assert 5_000 <= len(actions) <= 25_000
    per = actions.groupby("coalition_id").size()
    assert set(per.index) == set(coalitions.index) and per.between(10, 160).all()
    starts = actions["coalition_id"].map(coalitions["start_date"])
    assert (actions["action_date"] >= starts).all() and (actions["action_date"] <= demo.ACTIONS_UNTIL).all()
    future = actions["action_date"] > demo.DEMO_TODAY
    assert (actions.loc[future, "status"] == "gepland").all() and (actions.loc[~future, "status"] != "gepland").all()
    past = actions.loc[~future, "status"].value_counts(normalize=True)
    assert past["afgerond"] > 0.7 and past["lopend"] > 0.02 and 0 < past["vervallen"] < 0.1
    assert actions["principles"].map(lambda p: 1 <= len(p) <= 3 and all(1 <= x <= 10 for x in p)).all()
    assert actions["partners"].map(lambda p: 1 <= len(p) <= 4 and len(set(p)) == len(p)).all()
    assert set(actions["level"]) == {"bestuurlijk", "uitvoerend"}
    # written on their day at 9:00, or during the meeting that agreed on them (before their day)
    recorded = actions["id"].isin(set(frames["meeting_items"]["action_id"].dropna().astype(int)))
    on_the_day = actions["created_at"] == pd.to_datetime(actions["action_date"]) + pd.Timedelta(hours=9)
    assert on_the_day[~recorded].all() and recorded.any()
    assert (actions.loc[recorded, "created_at"].dt.date < actions.loc[recorded, "action_date"]).all()
    assert (actions["title"].str.strip() != "").all() and (actions["version"] == 1).all()

    goal_coalition = goals.set_index("id")["ambition_id"].str.rsplit("-A", n=1).str[0]
    linked = actions[actions["goal_id"].notna()]
    assert (linked["goal_id"].map(goal_coalition) == linked["coalition_id"]).all()
    # once a coalition has set its goals, most of its actions serve one
    goals_set = linked.groupby("coalition_id")["action_date"].min()
    after = actions[actions["action_date"] >= actions["coalition_id"].map(goals_set)]
    assert 0.6 < after["goal_id"].notna().mean() < 0.85, after["goal_id"].notna().mean()

    amsterdam = actions[actions["coalition_id"] == "KS-GM0363"]
    in_2026 = amsterdam[amsterdam["action_date"] >= dt.date(2026, 1, 1)]
    assert len(in_2026) >= 5 and (amsterdam["action_date"] > dt.date(2026, 11, 24)).sum() >= 3

    with open(DATA / "partnertypen_coalitie.csv", encoding="utf-8") as fh:
        partner_types = {row["partnertype_id"]: row["naam_nl"] for row in csv.DictReader(fh)}
    assert set(actions["partners"].explode()) <= set(partner_types)
    assert set(actions["owner"]) <= set(partner_types.values())


def test_self_assessments(frames):
    coalitions = frames["coalitions"].set_index("id")
    scans, scores = frames["self_assessments"], frames["self_assessment_scores"]
    per = scans.groupby("coalition_id").size().reindex(coalitions.index, fill_value=0)
    assert per[coalitions["phase"] >= 2].between(1, 3).all() and (per[coalitions["phase"] < 2] == 0).all()
    assert scans.groupby("coalition_id")["assessed_on"].max().map(lambda d: d.year in (2025, 2026)).all()
    assert not scores[["assessment_id", "dimension"]].duplicated().any()
    assert (scores.groupby("assessment_id").size() == 20).all()
    lessons = scores["dimension"].str.startswith("les_")
    assert scores.loc[lessons, "score"].isna().all() and scores.loc[lessons, "note"].notna().all()
    assert scores.loc[~lessons, "score"].between(0, 3).all()
    merged = scores[~lessons].merge(scans, left_on="assessment_id", right_on="id")
    merged["phase"] = merged["coalition_id"].map(coalitions["phase"])
    by_phase = merged.groupby("phase")["score"].mean()
    assert by_phase.is_monotonic_increasing
    merged["n"] = merged["assessment_id"].str.rsplit("-S", n=1).str[1].astype(int)
    repeated = merged[merged["coalition_id"].isin(scans.loc[scans["id"].str.endswith("-S2"), "coalition_id"])]
    first, later = repeated[repeated["n"] == 1]["score"].mean(), repeated[repeated["n"] > 1]["score"].mean()
    assert later > first


# -- the real database ---------------------------------------------------------------
def test_build_demo_on_a_real_store_twice_gives_the_same_contents(config, frames, tmp_path):
    path = tmp_path / "demo.duckdb"
    store = Store.open(path, create=True)
    counts = demo.build_demo(store, config)
    demo_rows = {table: len(frame) for table, frame in frames.items() if table != "national_values"}
    assert {t: n for t, n in counts.items() if t != "national_values"} == demo_rows
    assert {t: n for t, n in store.table_counts().items() if t in demo_rows} == demo_rows
    assert store.meta("demo") == "1" and store.meta("demo_seed") == str(config.demo.seed)
    assert dt.datetime.fromisoformat(store.meta("built_at"))
    first = {table: _rows(store.table(table)) for table in counts}
    with pytest.raises(ValueError):
        demo.build_demo(store, config)  # never writes over data in place

    assert demo.rebuild_demo(path, config) == counts  # builds aside and swaps the file in
    store = Store.open(path)
    for table in counts:
        assert _rows(store.table(table)) == first[table], table

    amsterdam = store.query("coalition_of_municipality", {"code": "GM0363"})
    assert amsterdam.iloc[0]["phase"] == 4
    actions = store.table("actions")
    assert actions["principles"].map(len).min() >= 1
    assert str(store.table("coalitions")["start_date"].dtype).startswith("datetime")
    # "Nederland" is the real national series where one is installed (facts, never demo rows), else all
    # municipalities pooled
    facts = reference.national_facts(config)
    stored = store.table("national_values")
    assert set(zip(stored["indicator_id"], stored["period"], strict=True)) <= set(
        zip(facts["indicator_id"], facts["period"], strict=True)
    )
    national = store.query("national_series", {"indicators": ["big2"]})
    assert set(national["indicator_id"]) == {"big2"} and len(national) >= len(_years(config))


# -- a demo that looks like life (issue 12) ----------------------------------------------------------------------
TWENTE = {
    "Almelo",
    "Borne",
    "Dinkelland",
    "Enschede",
    "Haaksbergen",
    "Hellendoorn",
    "Hengelo (O.)",
    "Hof van Twente",
    "Losser",
    "Oldenzaal",
    "Rijssen-Holten",
    "Tubbergen",
    "Twenterand",
    "Wierden",
}
NEIGHBOUR_KM = 25.0


@pytest.fixture
def store(demo_db):
    return Store.open(demo_db)  # closed again by _fresh_stores


@pytest.fixture(scope="module")
def mix(config, demo_db):
    Store.close_all()
    found = demo.status_mix(Store.open(demo_db), config)
    Store.close_all()
    return found


def test_regional_coalitions_are_neighbours_in_one_province(config, frames):
    munis = frames["municipalities"]
    geo = demo.geography(config, munis)
    assert geo is not None, "the shipped boundaries are found"
    row = {code: i for i, code in enumerate(munis["code"])}
    members = frames["coalition_members"].groupby("coalition_id")["municipality_code"].apply(list)
    regional = members[members.map(len) > 1]
    assert len(regional) > 20
    for coalition_id, codes in regional.items():
        assert munis.set_index("code").loc[codes, "province_code"].nunique() == 1, coalition_id
        rows = [row[c] for c in codes]
        for i in rows:
            others = [j for j in rows if j != i]
            touches = geo.touching[i, others].any()
            nearest = min(geo.distance(i, j) for j in others)
            assert touches or nearest < NEIGHBOUR_KM, (coalition_id, munis.at[i, "name"], nearest)
    # Zwolle sits with its own neighbours, never with Twente
    zwolle = next(codes for codes in members if "GM0193" in codes)
    names = set(munis.set_index("code").loc[zwolle, "name"])
    assert not names & TWENTE, names
    named = frames["coalitions"].set_index("id")["name"]
    for coalition_id, codes in regional.items():  # named after the largest member
        largest = munis.set_index("code").loc[codes].sort_values("population").iloc[-1]["name"]
        assert named[coalition_id] == f"Regionale coalitie Kansrijke Start {largest} e.o."


def test_without_boundaries_neighbours_are_grouped_by_code(config, tmp_path):
    for name in ("gemeenten_2025.csv", "gids_demo.csv"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    reference = config.reference.model_copy(
        update={
            "municipalities": str(tmp_path / "gemeenten_2025.csv"),
            "gids": str(tmp_path / "gids_demo.csv"),
            "boundaries": None,
        }
    )
    bare = config.model_copy(update={"reference": reference})
    assert demo.boundaries_file(bare) is None
    members = demo.generate(bare)["coalition_members"]
    assert members["municipality_code"].is_unique and len(members) > 250


def test_example_municipalities_and_the_largest_cities_have_full_plans(config, frames):
    munis = frames["municipalities"]
    largest = munis.sort_values("population", ascending=False)["code"].head(demo.FULL_PLAN_LARGEST)
    codes = {*demo.EXAMPLE_MUNICIPALITIES, *largest}
    assert {"GM0080", "GM1708", "GM0034", "GM0363", "GM0599", "GM0518", "GM0344"} <= codes
    assert codes <= demo.full_plan_codes(config, munis)
    coalitions = frames["coalitions"].set_index("id")
    ambitions, goals, results = frames["ambitions"], frames["goals"], frames["results"]
    members = frames["coalition_members"]
    for code in sorted(codes):
        cid = f"KS-{code}"
        assert list(members.loc[members["coalition_id"] == cid, "municipality_code"]) == [code], code
        assert coalitions.at[cid, "phase"] >= 3
        own_ambitions = ambitions[ambitions["coalition_id"] == cid]
        assert len(own_ambitions) >= 3, code
        own_goals = goals[goals["ambition_id"].isin(own_ambitions["id"])]
        assert set(own_goals["ambition_id"]) == set(own_ambitions["id"]) and len(own_goals) >= 5, code
        assert own_goals["indicator_id"].notna().sum() >= 2, code
        own_results = results[results["ambition_id"].isin(own_ambitions["id"])]
        assert len(own_results) >= len(own_ambitions), code
        assert (frames["actions"]["coalition_id"] == cid).sum() >= 80, code
        assert (frames["self_assessments"]["coalition_id"] == cid).sum() >= 2, code
        assert (frames["parent_signals"]["coalition_id"] == cid).sum() >= 5, code
        own_meetings = frames["meetings"][frames["meetings"]["coalition_id"] == cid]
        assert len(own_meetings) >= 4, code
        items = frames["meeting_items"][frames["meeting_items"]["meeting_id"].isin(own_meetings["id"])]
        assert set(items["kind"]) == {"besluit", "actie"}, code


def test_every_goal_status_occurs_and_none_dominates(mix):
    goals, results = mix["goals"], mix["results"]
    assert list(goals) == list(progress.GOAL_STATUSES) and list(results) == list(progress.RESULT_STATUSES)
    total = sum(goals.values())
    print(f"\ngoal statuses: {goals}\nresult statuses: {results}")
    assert all(n > 0 for n in goals.values()), goals
    assert max(goals.values()) <= 0.4 * total, goals
    assert min(goals.values()) >= 0.04 * total, goals
    done = sum(results.values())
    late = results[progress.VERLOPEN] + results[progress.AANDACHT]  # past the deadline and not met
    assert all(n > 0 for n in results.values()), results
    assert late < 0.15 * done and results[progress.BEHAALD] > 0.15 * done, results
    assert max(results.values()) <= 0.45 * done, results


def test_the_default_coalition_shows_every_goal_status(config, store):
    state = progress.coalition_progress(store, config, "KS-GM0363", 2024, demo.DEMO_TODAY)
    statuses = {g.status for a in state.ambitions for g in a.goals}
    assert statuses == set(progress.GOAL_STATUSES), statuses


def test_targets_are_what_the_figures_can_show(config, store):
    goals = [
        g
        for state in progress.coalitions_progress(store, config, today=demo.DEMO_TODAY)
        for a in state.ambitions
        for g in a.goals
        if g.indicator is not None and g.detectable.get("pooled") is not None
    ]
    too_small = [g for g in goals if g.detectable["too_small"]]
    assert len(goals) > 300
    assert 0 < len(too_small) < 0.1 * len(goals)  # most can be seen; a few show the app's advice


def test_parents_signals_on_many_coalitions_without_personal_data(frames):
    found, ambitions, goals = frames["parent_signals"], frames["ambitions"], frames["goals"]
    assert list(found["id"]) == list(range(1, len(found) + 1))
    with_ambitions = set(ambitions["coalition_id"])
    assert found["coalition_id"].nunique() > 0.5 * len(with_ambitions)
    assert set(found["kind"]) == set(signals.KINDS)
    assert found["text"].map(len).le(signals.MAX_TEXT).all()
    for text in set(found["text"]):
        assert signals.personal_data_problems(text) == [], text
    for theme in voices.SIGNAL_TEXTS.values():
        for _, text in theme:
            assert signals.personal_data_problems(text.format(wijk="Noord")) == [], text
    amb_coalition = ambitions.set_index("id")["coalition_id"]
    assert (found["ambition_id"].map(amb_coalition) == found["coalition_id"]).all()
    linked = found[found["goal_id"].notna()]
    assert len(linked) > 0.3 * len(found)
    assert (linked["goal_id"].map(goals.set_index("id")["ambition_id"]) == linked["ambition_id"]).all()
    formed = frames["coalition_phases"].query("phase == 2").set_index("coalition_id")["since"]
    assert (found["signal_date"] >= found["coalition_id"].map(formed)).all()
    assert (found["signal_date"] <= demo.DEMO_TODAY).all()


def test_past_meetings_with_minutes(frames, store):
    meetings, items, actions = frames["meetings"], frames["meeting_items"], frames["actions"].set_index("id")
    assert list(meetings["id"]) == list(range(1, len(meetings) + 1)) and 100 < len(meetings) < 999
    assert (meetings["started_at"].dt.date < demo.DEMO_TODAY).all()
    assert (meetings["ended_at"] > meetings["started_at"]).all()
    assert (meetings["started_at"].dt.date >= demo.DEMO_TODAY - dt.timedelta(days=demo.MEETING_SPAN_DAYS)).all()
    assert not items[["meeting_id", "position"]].duplicated().any()
    assert (items.groupby("meeting_id")["kind"].apply(lambda k: (k == "besluit").sum()) >= 1).all()
    acts = items[items["kind"] == "actie"]
    assert acts["action_id"].notna().all() and acts["action_id"].is_unique
    meeting_coalition = meetings.set_index("id")["coalition_id"]
    assert (acts["action_id"].map(actions["coalition_id"]) == acts["meeting_id"].map(meeting_coalition)).all()
    assert (acts["action_id"].map(actions["title"]) == acts["text"]).all()
    # the minutes of the default coalition's latest meeting, as meeting mode writes them
    latest = meetings[meetings["coalition_id"] == "KS-GM0363"].iloc[-1]
    minutes = meeting.minutes(store, int(latest["id"]))
    text = meeting.minutes_markdown(minutes)
    assert minutes.demo and minutes.shown[0] == "Ambities en hun status" and minutes.decisions
    assert minutes.shown[-2:] == ["Gedaan sinds het vorige overleg", "Wat komt er"]
    assert all(f"- {minutes_text(decision)}" in text for decision in minutes.decisions)
    assert meeting.since_day(store, "KS-GM0363", demo.DEMO_TODAY) == latest["started_at"].date()


def test_actions_in_the_weeks_before_the_demo_date(config, frames):
    actions, coalitions = frames["actions"], frames["coalitions"]
    first = demo.DEMO_TODAY - dt.timedelta(days=demo.RECENT_DAYS)
    recent = actions[actions["action_date"].between(first, demo.DEMO_TODAY)]
    per = recent.groupby("coalition_id").size().reindex(coalitions["id"], fill_value=0)
    assert (per > 0).mean() > 0.75, (per > 0).mean()
    for code in demo.full_plan_codes(config, frames["municipalities"]):
        assert per[f"KS-{code}"] >= 3, code
    assert set(recent["status"]) <= {"afgerond", "lopend"}


def test_each_goal_starts_with_an_action_on_the_day_it_was_set(frames):
    actions, goals = frames["actions"], frames["goals"]
    linked = actions[actions["goal_id"].notna()]
    assert set(goals["id"]) <= set(linked["goal_id"])
    first = linked.sort_values("action_date").drop_duplicates("goal_id").set_index("goal_id")
    assert (first["status"] != "vervallen").all()  # the engine's source-lag rule reads it
