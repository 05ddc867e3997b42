"""The batch engine (``progress.coalitions_progress``, used by ``status`` for every coalition at once) judges a
coalition exactly as the per-coalition call of the pages (``progress.coalition_progress``), and its published
series are those of the product-wide rules applied to that coalition alone: ``finish`` with the goal's own
indicator and the disclosure plan of that indicator (``Plan.apply``)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kansrijke.core import disclosure
from kansrijke.core.stats import SCALE, finish
from kansrijke.core.store import Store
from kansrijke.plan import progress

TODAY = dt.date(2026, 11, 24)  # the demo's snapshot date


def plain(value: object) -> object:
    """A value to compare: missing (None, NaN, NaT) is None, numbers are floats, dates are ISO text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or (not isinstance(value, str | bool | np.bool_) and pd.isna(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp | dt.date):
        return pd.Timestamp(value).isoformat()
    return value


def rows(frame: pd.DataFrame | None) -> list[dict]:
    """A published series as plain rows (the index and the dtype of an all-empty column do not count)."""
    if frame is None:
        return []
    return [plain(r) for r in frame.to_dict("records")]


def goals(state: progress.CoalitionProgress) -> list[progress.GoalProgress]:
    return [g for a in state.ambitions for g in a.goals]


def everything(state: progress.CoalitionProgress) -> dict:
    """All a page or the CLI reads of a coalition's progress: the JSON, and per goal its figure, windows and
    series."""
    return {
        "json": progress.as_json(state),
        "goals": [
            {
                "latest": plain(g.latest),
                "detectable": plain(g.detectable),
                "pooled": g.pooled,
                "margin": g.margin,
                "series": rows(g.series),
            }
            for g in goals(state)
        ],
    }


@pytest.fixture(scope="module")
def batch(config, demo_db) -> dict[str, progress.CoalitionProgress]:
    store = Store.open(demo_db)
    return {s.coalition_id: s for s in progress.coalitions_progress(store, config, None, 2024, TODAY)}


def chosen(batch: dict[str, progress.CoalitionProgress]) -> list[str]:
    """Several coalitions that between them take every road through the engine: Amsterdam, a regional one, one
    judged on years pooled, one with a figure hidden by the disclosure plan (not only for being small), one
    with a rate per 1.000 (a second unit), one with a goal without figures and one with a goal without an
    indicator."""
    tests = [
        lambda s: s.coalition_id == "KS-GM0363",
        lambda s: len(s.member_codes) > 1,
        lambda s: any(g.pooled for g in goals(s)),
        lambda s: any(
            g.series is not None and (g.series["suppression"].dropna() != disclosure.SMALL).any() for g in goals(s)
        ),
        lambda s: any(g.indicator is not None and g.indicator.eenheid == "per 1000" for g in goals(s)),
        lambda s: any(g.status == progress.GEEN_GEGEVENS for g in goals(s)),
        lambda s: any(g.indicator is None for g in goals(s)),
    ]
    found = [next(cid for cid, s in batch.items() if test(s)) for test in tests]
    return list(dict.fromkeys(found))


def test_the_batch_judges_each_coalition_as_the_pages_do_one_by_one(config, demo_db, batch):
    store = Store.open(demo_db)
    ids = chosen(batch)
    assert len(ids) >= 4
    for cid in ids:
        alone = progress.coalition_progress(store, config, cid, 2024, TODAY)
        assert everything(alone) == everything(batch[cid]), cid
    # a batch of just these coalitions (other neighbours, other indicators) says the same again
    for state in progress.coalitions_progress(store, config, ids, 2024, TODAY):
        assert everything(state) == everything(batch[state.coalition_id]), state.coalition_id


def test_an_earlier_period_too(config, demo_db, batch):
    store = Store.open(demo_db)
    ids = chosen(batch)[:4]
    together = {s.coalition_id: s for s in progress.coalitions_progress(store, config, None, 2021, TODAY)}
    for cid in ids:
        alone = progress.coalition_progress(store, config, cid, 2021, TODAY)
        assert everything(alone) == everything(together[cid]), cid
        latest = [g.latest["period"] for g in goals(alone) if g.latest]
        assert latest and max(latest) <= 2021


def test_the_batch_publishes_what_finish_and_the_plan_publish_for_the_coalition_alone(config, demo_db, batch):
    """The batch computes every unit's figures for all indicators and coalitions in one go; each goal's series
    must be the product-wide rules applied to its own coalition and indicator: ``finish`` (counts summed over
    the members), then the indicator's disclosure plan for the coalition's area."""
    store = Store.open(demo_db)
    checked = 0
    for cid in chosen(batch):
        state = batch[cid]
        for g in goals(state):
            if g.indicator is None:
                continue
            raw = store.query("progress_series", {"coalitions": [cid], "indicators": [g.indicator.id], "period": 2024})
            expected = finish(raw, g.indicator, config.privacy.min_count, config.status.confidence_level)
            if g.indicator.eenheid in (*SCALE, "aantal"):
                expected = disclosure.plan(store, config, g.indicator.id).apply(expected, state.member_codes)
            assert rows(g.series) == rows(expected), (cid, g.id)
            if g.pooled:  # the window judged is the plan's window of this area
                windows = progress.pooled_windows(raw, g.indicator, config, by="coalition_id")
                windows = disclosure.plan(store, config, g.indicator.id).apply(windows, state.member_codes)
                row = windows[windows["period"] == g.pooled[1]].iloc[0].to_dict()
                assert plain(g.latest) == plain(row), (cid, g.id)
            checked += 1
    assert checked >= 10
