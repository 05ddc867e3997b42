"""The national demo: deterministic, complete, plausible, and loadable into a real database."""

from __future__ import annotations

import csv
import datetime as dt
import time

import numpy as np
import pandas as pd
import pytest
from conftest import DATA

from kansrijke import demo
from kansrijke.core.store import Store

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


def test_national_only_indicators_have_national_rows_only(config, frames):
    national = frames["national_values"]
    expected = {"roken_zwangerschap", "borstvoeding_start", "perinatale_sterfte_28d", "zuigelingensterfte"}
    assert set(national["indicator_id"]) == expected
    assert not set(frames["indicator_values"]["indicator_id"]) & expected
    assert national[["indicator_id", "period"]].duplicated().sum() == 0
    smoking = national[national["indicator_id"] == "roken_zwangerschap"]
    assert set(smoking["period"]) == {2015, 2017, 2019, 2021, 2023}
    for ind_id in expected:
        ind = config.indicator(ind_id)
        anchor = national[(national["indicator_id"] == ind_id) & (national["period"] == int(ind.landelijk.jaar))]
        assert abs(anchor["value"].iloc[0] - ind.landelijk.waarde) < 0.05 * ind.landelijk.waarde
    assert (national["source"] != "").all() and (national["data_status"] == "definitief").all()
    assert (national["numerator"] <= national["denominator"]).all()


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
    assert len(tied) > 0.6 * len(goals) and len(tied) < len(goals)
    plain = goals[goals["indicator_id"].isna()]
    assert plain["baseline_value"].isna().all() and plain["target_value"].isna().all()
    assert tied["baseline_year"].between(2018, 2021).all() and tied["target_year"].between(2025, 2030).all()

    members = frames["coalition_members"].groupby("coalition_id")["municipality_code"].apply(list)
    values = frames["indicator_values"]
    statuses = []
    for goal in tied.itertuples():
        ind = config.indicator(goal.indicator_id)
        scale = SCALE[ind.eenheid]
        codes = members[amb_coalition[goal.ambition_id]]
        baseline = _pooled(values, ind.id, codes, goal.baseline_year, scale)
        assert goal.baseline_value == pytest.approx(baseline, abs=0.006)
        assert goal.target_value < goal.baseline_value  # all goal indicators are lager_beter
        latest = _pooled(values, ind.id, codes, config.demo.last_year, scale)
        if latest <= goal.target_value:
            statuses.append("met")
            continue
        share = (config.demo.last_year - goal.baseline_year) / (goal.target_year - goal.baseline_year)
        ratio = (goal.baseline_value - latest) / ((goal.baseline_value - goal.target_value) * share)
        statuses.append("on_track" if ratio >= config.status.on_track_ratio else "behind")
    mix = pd.Series(statuses).value_counts(normalize=True)
    assert {"met", "on_track", "behind"} <= set(mix.index) and mix.min() > 0.1, mix.to_dict()

    assert results["id"].is_unique
    assert (results["realised"] <= results["target"] * 1.1 + 1e-9).all() and (results["target"] >= 1).all()
    linked = results["goal_id"].dropna()
    assert linked.isin(goals["id"]).all()
    goal_ambition = goals.set_index("id")["ambition_id"]
    assert (linked.map(goal_ambition) == results.loc[linked.index, "ambition_id"]).all()
    assert results["due_date"].between(dt.date(2024, 1, 1), dt.date(2027, 12, 31)).all()
    assert results["updated_on"].between(dt.date(2024, 1, 1), demo.DEMO_TODAY).all()


def test_actions(frames):
    actions = frames["actions"]
    coalitions = frames["coalitions"].set_index("id")
    goals = frames["goals"]
    assert list(actions["id"]) == list(range(1, len(actions) + 1))
    assert 5_000 <= len(actions) <= 25_000
    per = actions.groupby("coalition_id").size()
    assert set(per.index) == set(coalitions.index) and per.between(10, 130).all()
    starts = actions["coalition_id"].map(coalitions["start_date"])
    assert (actions["action_date"] >= starts).all() and (actions["action_date"] <= demo.ACTIONS_UNTIL).all()
    future = actions["action_date"] > demo.DEMO_TODAY
    assert (actions.loc[future, "status"] == "gepland").all() and (actions.loc[~future, "status"] != "gepland").all()
    past = actions.loc[~future, "status"].value_counts(normalize=True)
    assert past["afgerond"] > 0.7 and past["lopend"] > 0.02 and 0 < past["vervallen"] < 0.1
    assert actions["principles"].map(lambda p: 1 <= len(p) <= 3 and all(1 <= x <= 10 for x in p)).all()
    assert actions["partners"].map(lambda p: 1 <= len(p) <= 4 and len(set(p)) == len(p)).all()
    assert set(actions["level"]) == {"bestuurlijk", "uitvoerend"}
    assert (actions["created_at"] == pd.to_datetime(actions["action_date"]) + pd.Timedelta(hours=9)).all()
    assert (actions["title"].str.strip() != "").all() and (actions["version"] == 1).all()

    goal_coalition = goals.set_index("id")["ambition_id"].str.rsplit("-A", n=1).str[0]
    linked = actions[actions["goal_id"].notna()]
    assert (linked["goal_id"].map(goal_coalition) == linked["coalition_id"]).all()
    with_goals = actions[actions["coalition_id"].isin(goal_coalition.unique())]
    assert 0.6 < with_goals["goal_id"].notna().mean() < 0.8

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
    assert counts == {table: len(frame) for table, frame in frames.items()}
    assert {t: n for t, n in store.table_counts().items() if t in counts} == counts
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
    national = store.query("national_series", {"indicators": ["big2", "roken_zwangerschap"]})
    assert set(national["indicator_id"]) == {"big2", "roken_zwangerschap"}
