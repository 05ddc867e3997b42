"""Disclosure control: the rules S1-S3 on hand-computed cases, and a property test that proves with exact
linear algebra (fractions) that no small count can be derived from the figures the product publishes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from fractions import Fraction
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansrijke import access
from kansrijke.core import disclosure, figures
from kansrijke.core.disclosure import AREA, NATIONAL, SMALL, YEARS, build
from kansrijke.core.store import Store
from kansrijke.dataio import importer
from kansrijke.dataio.ingest.common import Upload

ROOT = Path(__file__).resolve().parents[2]
MIN = 10


# -- exact span check ---------------------------------------------------------------------------------
class Span:
    """The row space of 0/1 vectors over the cells, in exact arithmetic (reduced row echelon form)."""

    def __init__(self, size: int):
        self.size = size
        self.rows: dict[int, list[Fraction]] = {}  # pivot column -> row with 1 at the pivot

    def reduce(self, vector: list[Fraction]) -> list[Fraction]:
        v = list(vector)
        for pivot, row in self.rows.items():
            if v[pivot]:
                factor = v[pivot]
                v = [a - factor * b for a, b in zip(v, row, strict=True)]
        return v

    def add(self, vector: list[int]) -> None:
        v = self.reduce([Fraction(x) for x in vector])
        pivot = next((i for i, x in enumerate(v) if x), None)
        if pivot is None:
            return
        v = [x / v[pivot] for x in v]
        for p, row in self.rows.items():
            if row[pivot]:
                factor = row[pivot]
                self.rows[p] = [a - factor * b for a, b in zip(row, v, strict=True)]
        self.rows[pivot] = v

    def contains(self, vector: list[int]) -> bool:
        return not any(self.reduce([Fraction(x) for x in vector]))


def published_vectors(plan, cells, groups):
    """Every figure the product would publish, as 0/1 vectors over ``cells`` (a list of (code, period)),
    plus the comparison groups pooled over their published members (single years and windows)."""
    index = {c: i for i, c in enumerate(cells)}
    vectors = []
    for area, first, last in plan.figures:
        if plan.rule(area, first, last) is None:
            vectors.append(_vector(index, area, first, last))
    spans = {(f, la) for _, f, la in plan.figures}
    for group in groups:
        for first, last in spans:
            shown = plan.published_codes(group, first, last)
            if shown:
                vectors.append(_vector(index, shown, first, last))
    return vectors


def _vector(index, codes, first, last):
    v = [0] * len(index)
    for (code, period), i in index.items():
        if code in codes and first <= period <= last:
            v[i] = 1
    return v


def leaks(plan, counts, groups):
    """The small counts an attacker can compute exactly: hidden cells and hidden figures with fewer than
    MIN events, and sets of hidden cells of one area (years) or one period (members) with fewer than MIN."""
    cells = sorted(counts)
    span = Span(len(cells))
    for v in published_vectors(plan, cells, groups):
        span.add(v)
    index = {c: i for i, c in enumerate(cells)}
    found = []
    hidden_cells = [c for c in cells if plan.rule(c[0], c[1]) is not None]
    for c in hidden_cells:
        if counts[c] < MIN:
            v = [0] * len(cells)
            v[index[c]] = 1
            if span.contains(v):
                found.append(("cell", c, counts[c]))
    for area, first, last in plan.figures:
        if plan.rule(area, first, last) is not None:
            n = sum(counts[c] for c in cells if c[0] in area and first <= c[1] <= last)
            if n < MIN and span.contains(_vector(index, area, first, last)):
                found.append(("figure", (sorted(area), first, last), n))
    for a, b in combinations(hidden_cells, 2):
        if (a[0] == b[0] or a[1] == b[1]) and counts[a] + counts[b] < MIN:
            v = [0] * len(cells)
            v[index[a]] = v[index[b]] = 1
            if span.contains(v):
                found.append(("pair", (a, b), counts[a] + counts[b]))
    return found


# -- the property test --------------------------------------------------------------------------------
@st.composite
def instances(draw):
    """A few municipalities, 3-8 years, counts from 0 to large (some cells missing), disjoint regions,
    comparison groups and window lengths."""
    n = draw(st.integers(2, 5))
    codes = [f"GM{i:04d}" for i in range(1, n + 1)]
    years = list(range(2015, 2015 + draw(st.integers(3, 8))))
    count = st.one_of(st.integers(0, 9), st.integers(10, 30), st.integers(30, 120))
    counts = {}
    for code in codes:
        for year in years:
            if draw(st.integers(0, 9)) > 0:  # one cell in ten is missing
                counts[(code, year)] = draw(count)
    shuffled = draw(st.permutations(codes))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=n - 1)))
    parts = [shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    regions = [p for p in parts if len(p) > 1 and draw(st.booleans())]
    groups = draw(st.lists(st.sets(st.sampled_from(codes), min_size=2), max_size=2))
    windows = draw(st.sampled_from([(3,), (2, 3), (3, 4)]))
    return counts, regions, codes, groups, windows


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_no_small_count_can_be_derived_from_what_is_published(case):
    counts, regions, codes, groups, windows = case
    plan = build("x", counts, regions, codes, MIN, windows)
    assert leaks(plan, counts, groups) == []


# -- the rules on hand-computed cases ------------------------------------------------------------------
def test_s1_a_figure_with_fewer_than_ten_events_is_hidden_and_says_so():
    # "Nederland" (64) minus the published B and C leaves A + D = 14: no single small count.
    counts = {("A", 2023): 9, ("B", 2023): 10, ("C", 2023): 40, ("D", 2023): 5}
    plan = build("x", counts, [], ["A", "B", "C", "D"], MIN)
    assert plan.rule("A", 2023) == SMALL and plan.rule("D", 2023) == SMALL
    assert plan.rule("B", 2023) is None  # 10 is enough
    assert plan.rule(NATIONAL, 2023) is None
    assert plan.reason("A", 2023) == "Niet getoond: minder dan 10 gebeurtenissen."
    assert leaks(plan, counts, []) == []


def test_s3_a_region_minus_one_member_does_not_give_away_the_other():
    # The case: the region shows 32 events (254 births); member A has 24 (of 186), so B would be
    # 32 - 24 = 8 (of 68). B is hidden (S1); A is hidden too (S3, the smallest published member), and so
    # are the windows holding 2023 of both, so neither a year nor a window lets anyone subtract. The region
    # keeps its figure: a coalition is judged on it.
    counts = {("A", 2023): 24, ("B", 2023): 8, ("C", 2023): 300, ("D", 2023): 220}
    plan = build("x", counts, [["A", "B"]], ["A", "B", "C", "D"], MIN)
    assert plan.rule(["A", "B"], 2023) is None
    assert plan.rule("B", 2023) == SMALL
    assert plan.rule("A", 2023) == AREA
    assert plan.reason("A", 2023).startswith("Niet getoond: samen met het cijfer van de regio")
    assert plan.rule("A", 2021, 2023) is not None and plan.rule("B", 2021, 2023) is not None
    assert plan.published_codes(["A", "B", "C"], 2023) == ["C"]
    assert leaks(plan, counts, [{"A", "C"}]) == []


def test_s2_a_three_year_figure_holding_32_with_one_year_of_4_says_which_rule_hid_what():
    # One municipality (it is also "Nederland"): 14 + 14 + 4 = 32 events in 2021-2023. The year with 4 is
    # hidden as small (S1). The window 2021-2023 holds 32, so it is not "minder dan 10": minus the
    # published window 2020-2022 (= 14 + 14) it would give away the 4, so it is hidden by the years rule.
    counts = {("A", 2021): 14, ("A", 2022): 14, ("A", 2023): 4}
    plan = build("x", counts, [], ["A"], MIN)
    assert plan.rule("A", 2023) == SMALL
    assert plan.rule("A", 2021, 2023) == YEARS
    assert plan.reason("A", 2021, 2023).startswith("Niet getoond: samen met de cijfers van de andere jaren")
    assert "minder dan 10 gebeurtenissen." not in plan.reason("A", 2021, 2023).split("prijsgeven")[0][:40]
    assert plan.rule("A", 2021) is None and plan.rule("A", 2022) is None
    assert leaks(plan, counts, []) == []


def test_s2_a_small_year_among_large_ones_keeps_most_windows():
    # A: 14, 14, 4, 15, 16 and a large B (together "Nederland"). Swapping events between A's 2023 and B's 2023
    # must change nothing published: so both 2023 figures and the windows holding 2023 are hidden; the other
    # years, the windows without 2023 and every national figure stay.
    counts = {("A", y): n for y, n in zip(range(2021, 2026), (14, 14, 4, 15, 16), strict=True)}
    counts |= {("B", y): n for y, n in zip(range(2021, 2026), (140, 140, 140, 150, 160), strict=True)}
    plan = build("x", counts, [], ["A", "B"], MIN)
    assert {(sorted(a)[0], f, la) for a, f, la in plan.hidden_figures} == {
        ("A", 2023, 2023), ("A", 2021, 2023), ("A", 2022, 2024), ("A", 2023, 2025),
        ("B", 2023, 2023), ("B", 2021, 2023), ("B", 2022, 2024), ("B", 2023, 2025),
    }  # fmt: skip
    assert all(plan.rule(NATIONAL, f, la) is None for _, f, la in plan.figures)
    assert leaks(plan, counts, []) == []


def test_s3_nederland_minus_the_others_does_not_give_away_a_small_municipality():
    # 3 + 50 + 60 = 113 in "Nederland": without B hidden, 113 - 50 - 60 = 3. B is the smallest other.
    counts = {("A", 2023): 3, ("B", 2023): 50, ("C", 2023): 60}
    plan = build("x", counts, [], ["A", "B", "C"], MIN)
    assert plan.rule(NATIONAL, 2023) is None
    assert plan.rule("A", 2023) == SMALL and plan.rule("B", 2023) == AREA and plan.rule("C", 2023) is None
    assert leaks(plan, counts, []) == []


def test_nothing_is_hidden_when_every_count_is_large():
    counts = {(c, y): 50 for c in "ABC" for y in (2022, 2023)}
    plan = build("x", counts, [["A", "B"]], ["A", "B", "C"], MIN)
    assert dict(plan.hidden_figures) == {}


def test_a_group_is_pooled_over_published_members_and_unknown_groups_are_refused():
    counts = {("A", 2023): 3, ("B", 2023): 50, ("C", 2023): 60}
    plan = build("x", counts, [], ["A", "B", "C"], MIN)
    assert not plan.knows(["A", "C"])
    assert plan.published_codes(["A", "B", "C"], 2023) == ["C"]
    try:
        plan.rule(["A", "C"], 2023)
    except KeyError:
        pass
    else:
        raise AssertionError("a group the plan does not know must be pooled over published members")


def test_apply_marks_hidden_rows_with_their_rule_and_reason():
    counts = {("A", 2021): 14, ("A", 2022): 14, ("A", 2023): 4}
    plan = build("x", counts, [], ["A"], MIN)
    frame = pd.DataFrame({"period": [2022, 2023, 2023], "first_period": [2022, 2023, 2021], "value": [1.0, 2.0, 3.0]})
    out = plan.apply(frame, "A")
    assert list(out["suppressed"]) == [False, True, True]
    assert list(out["suppression"]) == [None, SMALL, YEARS]
    assert out["value"].isna().tolist() == [False, True, True]
    assert out.loc[1, "suppression_reason"] == disclosure.reason(SMALL, MIN)
    assert out.loc[2, "suppression_reason"] == disclosure.reason(YEARS, MIN)


# -- the plan on the national demo --------------------------------------------------------------------
def test_the_plan_is_cached_per_data_version_and_fast_enough(demo_db, config):
    store = Store.open(demo_db)
    start = time.perf_counter()
    first = disclosure.plan(store, config, "tienermoeders")
    cold = time.perf_counter() - start
    start = time.perf_counter()
    again = disclosure.plan(store, config, "tienermoeders")
    warm = time.perf_counter() - start
    assert again is first and warm < 0.01
    assert cold < 5  # about 0.3 s on the demo (342 municipalities, 10 years, 46 regions)


def test_regional_and_national_figures_on_the_demo_follow_the_plan(demo_db, config):
    store = Store.open(demo_db)
    coalitions = store.query("coalitions")
    region = list(coalitions[coalitions["members"].map(len) > 1].iloc[0]["members"])
    plan = disclosure.plan(store, config, "tienermoeders")
    series = figures.pooled(store, config, region, ["tienermoeders"])["tienermoeders"]
    for row in series.itertuples():
        rule = plan.rule(region, row.period)
        assert row.suppression == rule or (rule is None and row.suppression == SMALL)
        assert pd.isna(row.value) == (row.suppression is not None)
    group = region + ["GM0014"]
    pooled = figures.pooled(store, config, group, ["tienermoeders"])["tienermoeders"]
    for row in pooled.itertuples():
        shown = plan.published_codes(group, row.period)
        assert row.hidden_members == len(group) - len(shown)
    # Nederland: the real national figure (a fact) where the series has the year, else pooled over the
    # municipalities; the demo has municipal tienermoeders figures, but none for zuigelingensterfte
    facts = store.table("national_values").set_index(["indicator_id", "period"])["value"]
    nation = figures.national(store, config, ["tienermoeders", "zuigelingensterfte"])
    teens = nation["tienermoeders"].set_index("period")
    real = {p for i, p in facts.index if i == "tienermoeders"}
    assert real and real < set(teens.index)  # the premise: both kinds of year
    assert {p for p in teens.index if teens.loc[p, "basis"] == "landelijk"} == real
    assert set(teens.drop(index=list(real))["basis"]) == {"gemeenten"}
    for p in real:
        assert teens.loc[p, "value"] == pytest.approx(facts["tienermoeders", p])
    assert not teens["suppressed"].any()
    deaths = nation["zuigelingensterfte"].set_index("period")
    assert len(deaths) and set(deaths["basis"]) == {"landelijk"}
    assert set(deaths.index) == {p for i, p in facts.index if i == "zuigelingensterfte"}


def test_the_plan_does_not_depend_on_the_order_of_its_input():
    # Two processes (the app and the CLI) must hide the same figures, or together they would publish more.
    counts = {("A", y): n for y, n in zip(range(2019, 2025), (12, 3, 15, 15, 9, 14), strict=True)}
    counts |= {("B", y): 13 for y in range(2019, 2025)} | {("C", y): 11 for y in range(2019, 2025)}
    counts |= {("D", y): 40 for y in range(2019, 2025)}
    first = build("x", counts, [["A", "B"], ["C", "D"]], ["A", "B", "C", "D"], MIN)
    again = build("x", dict(reversed(list(counts.items()))), [["D", "C"], ["B", "A"]], ["D", "C", "B", "A"], MIN)
    assert dict(first.hidden_figures) == dict(again.hidden_figures)
    assert leaks(first, counts, [{"A", "C"}, {"B", "D"}]) == []


# One process's plan, printed as JSON: what it hides and the cache file it wrote (``plans`` builds afresh: the
# database is a copy without a cache file beside it).
_PLAN_SCRIPT = """
import json, sys
from pathlib import Path
from kansrijke.core import disclosure
from kansrijke.core.config import load_config
from kansrijke.core.store import Store

db, config, ids = Path(sys.argv[1]), load_config(Path(sys.argv[2])), sys.argv[3:]
cache = db.with_name(db.name + ".disclosure.json")
assert not cache.exists()
plans = disclosure.plans(Store.open(db), config, ids)
hidden = {
    i: sorted([disclosure.NATIONAL if a == p.national else sorted(a), f, la, r] for (a, f, la), r in p.hidden_figures.items())
    for i, p in plans.items()
}
print(json.dumps({"hidden": hidden, "cache": cache.read_text(encoding="utf-8")}))
"""


def test_the_plan_does_not_depend_on_the_hash_seed(demo_copy, tmp_path):
    # Two processes (the app and the CLI, or two servers) with another PYTHONHASHSEED must hide the same
    # figures, or together they publish what each hides. On the national demo these three indicators had
    # greedy ties that set iteration order decided (e.g. vroeggeboorte: GM0716 2017 or 2019).
    indicators = ["geboren_eenouder", "sga_p10", "vroeggeboorte"]
    env = {k: v for k, v in os.environ.items() if k not in ("KANSRIJKE_CONFIG", "KANSRIJKE_DEMO_DB")}
    found = {}
    for seed in ("0", "1", "2"):
        db = tmp_path / f"seed{seed}" / "kansrijke.duckdb"
        db.parent.mkdir()
        shutil.copy(demo_copy, db)
        proc = subprocess.run(
            [sys.executable, "-c", _PLAN_SCRIPT, str(db), str(ROOT / "config.yaml"), *indicators],
            cwd=ROOT,
            env={**env, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        found[seed] = json.loads(proc.stdout)
    assert all(found[seed]["hidden"][i] for seed in found for i in indicators)  # the premise: something hidden
    for seed in ("1", "2"):
        for i in indicators:
            assert found[seed]["hidden"][i] == found["0"]["hidden"][i], (i, seed)
        assert found[seed]["cache"] == found["0"]["cache"], seed  # the cache file too, byte for byte


def test_a_value_with_its_denominator_is_protected_like_the_count_it_gives_away(own_copy, config):
    # 1,5% of 200 births is 3 events: a value without numerator but with its denominator gives the count
    # away, so it is hidden (S1) and counts as a cell of the plan, like an imported numerator of 3 would.
    store = Store.open(own_copy)
    text = "gemeentecode;indicator;periode;waarde;noemer\nGM0014;big2;2025;1,5;200\nGM0034;big2;2025;10,0;200\n"
    prepared = importer.prepare(store, config, Upload("waarden.csv", text.encode("utf-8")))
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    importer.apply(store, prepared, access.operator())
    plan = disclosure.plan(store, config, "big2")
    assert plan.rule("GM0014", 2025) == SMALL
    assert plan.rule("GM0034", 2025) != SMALL  # 20 events: enough
    shown = figures.pooled(store, config, ["GM0014"], ["big2"])["big2"].set_index("period")
    assert shown.loc[2025, "suppression"] == SMALL and pd.isna(shown.loc[2025, "value"])
    # Only these two have 2025 figures, so "Nederland" minus the other would give GM0014 away: one more
    # figure is hidden for that (S3), not for being small itself.
    other = figures.pooled(store, config, ["GM0034"], ["big2"])["big2"].set_index("period")
    assert other.loc[2025, "suppression"] in (AREA, None)
    nation = figures.national(store, config, ["big2"])["big2"].set_index("period")
    assert pd.isna(nation.loc[2025, "value"]) or pd.isna(other.loc[2025, "value"])
    Store.close_all()


# -- the fast paths give what the plain ones give ------------------------------------------------------------
def test_the_counts_of_a_whole_indicator_are_the_row_by_row_counts(config):
    # ``plans`` reads every cell's count for all rows of an indicator at once; row by row, ``_count`` is the rule
    # (numerator; else value x denominator for a rate; else the value of a count; else no cell). Halves round to
    # even, as round() does.
    rows = [
        ("big2", "GM0001", 2020, 12, 7.5, 160),  # a numerator
        ("big2", "GM0001", 2021, None, 1.5, 200),  # 1,5% of 200: 3
        ("big2", "GM0001", 2022, None, 1.25, 200),  # 2,5: 2 (half to even)
        ("big2", "GM0002", 2020, None, 1.75, 200),  # 3,5: 4
        ("big2", "GM0002", 2021, None, 4.0, None),  # a value without denominator: no cell
        ("zuigelingensterfte", "GM0001", 2020, None, 2.5, 1000),  # per 1.000 of 1.000: 2 (half to even)
        ("zuigelingensterfte", "GM0001", 2021, 0, None, 900),
        ("levendgeborenen", "GM0001", 2020, None, 164.5, None),  # a count without numerator: its value
        ("levendgeborenen", "GM0002", 2020, None, None, 12),  # nothing: no cell
    ]
    columns = ["indicator_id", "municipality_code", "period", "numerator", "value", "denominator"]
    cells = pd.DataFrame(rows, columns=columns)
    units = {i.id: i.eenheid for i in config.indicatoren}
    ids = ["big2", "levendgeborenen", "sga_p10", "zuigelingensterfte"]
    found = disclosure._cell_counts(cells, units, ids)
    for i in ids:
        expected = [
            (code, period, disclosure._count(units[i], numerator, value, denominator))
            for ind, code, period, numerator, value, denominator in rows
            if ind == i and disclosure._count(units[i], numerator, value, denominator) is not None
        ]
        codes, periods, counts = found[i]
        assert list(zip(codes, periods, counts, strict=True)) == expected, i
        assert all(type(n) is int for n in counts)
    assert found["big2"][2] == [12, 3, 2, 4] and found["levendgeborenen"][2] == [164]
    assert found["sga_p10"] == ([], [], [])


def test_the_distinct_rows_are_those_numpy_gives():
    # the audit dedupes 0/1 rows before its SVD; the fast path must give numpy's rows in numpy's order
    rng = np.random.default_rng(15)
    for _ in range(300):
        m, n = int(rng.integers(1, 30)), int(rng.integers(1, 80))
        rows = (rng.random((m, n)) < rng.random()).astype(float)
        rows[rng.integers(0, m, m // 2)] = rows[0]  # some rows twice
        assert disclosure._unique_rows(rows).tobytes() == np.unique(rows, axis=0).tobytes()
        assert disclosure._unique_rows(rows).shape == np.unique(rows, axis=0).shape


def test_plans_made_together_are_saved_once_and_read_back_the_same(demo_copy, config, monkeypatch):
    def as_a_new_process() -> None:  # nothing in memory: only the file beside the database
        for name in ("_CACHE", "_BY_CONTENT", "_FILES"):
            monkeypatch.setattr(disclosure, name, {})

    store = Store.open(demo_copy)
    ids = ["geboren_eenouder", "sga_p10", "vroeggeboorte"]
    writes = []
    replace = disclosure.os.replace
    monkeypatch.setattr(disclosure.os, "replace", lambda a, b: writes.append(b) or replace(a, b))
    as_a_new_process()
    made = disclosure.plans(store, config, ids)
    assert writes == [demo_copy.with_name(demo_copy.name + ".disclosure.json")]  # one write for the three
    for i in ids:
        alone = build(i, *_cells_of(store, config, i))
        assert list(made[i].hidden_figures.items()) == list(alone.hidden_figures.items()), i

    def refuse(*args, **kwargs):
        raise AssertionError("the plan should come from the cache file")

    as_a_new_process()
    monkeypatch.setattr(disclosure, "build", refuse)
    again = disclosure.plans(store, config, ids)
    for i in ids:
        assert list(again[i].hidden_figures.items()) == list(made[i].hidden_figures.items()), i


def _cells_of(store, config, indicator_id):
    """``build``'s arguments for one indicator, read row by row with ``_count`` (the plain path)."""
    unit = config.indicator(indicator_id).eenheid
    rows = store.query("disclosure_cells", {"indicators": [indicator_id]})
    counts = {}
    for row in rows.itertuples():
        n = disclosure._count(unit, row.numerator, row.value, row.denominator)
        if n is not None:
            counts[(row.municipality_code, int(row.period))] = n
    areas = store.query("disclosure_areas")
    regions = [list(m) for m in areas.loc[areas["kind"] == "regio", "members"]]
    national = list(areas.loc[areas["kind"] == "land", "members"].iloc[0])
    return counts, regions, national, config.privacy.min_count, disclosure.window_lengths(config)


def test_collection_comes_back_when_the_last_of_overlapping_callers_leaves():
    # the app runs sessions in threads; gc is process-wide, so one session leaving must not switch it on (or
    # leave it off) under another
    import gc
    import threading

    inside, leave = threading.Event(), threading.Event()

    def other_session() -> None:
        with disclosure.without_gc():
            inside.set()
            leave.wait(10)

    assert gc.isenabled()
    thread = threading.Thread(target=other_session)
    thread.start()
    inside.wait(10)
    with disclosure.without_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other session is still inside
    leave.set()
    thread.join(10)
    assert gc.isenabled()
