"""The shared action rules on their own: the quiet boundary and its config key, and the field checks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import write_config

from kansrijke.actions import rules
from kansrijke.core.config import ConfigError, load_config


def test_the_quiet_months_come_from_the_config_and_a_bad_value_is_named_in_dutch(tmp_path):
    assert load_config().actions.quiet_months == 6
    assert load_config(write_config(tmp_path, {"  quiet_months: 6": "  quiet_months: 3"})).actions.quiet_months == 3
    for bad in ("0", "61", "zes"):
        with pytest.raises(ConfigError) as caught:
            load_config(write_config(tmp_path, {"  quiet_months: 6": f"  quiet_months: {bad}"}))
        assert "actions.quiet_months" in str(caught.value), bad


def test_an_action_exactly_n_months_ago_is_not_quiet_a_day_earlier_it_is():
    today = dt.date(2026, 3, 31)
    assert rules.quiet_since(today, 1) == dt.date(2026, 2, 28)  # calendar months, clipped to the month's end
    last = pd.Series([dt.date(2026, 2, 28), dt.date(2026, 2, 27), None, pd.NaT])
    assert rules.quiet(last, today, 1).tolist() == [False, True, True, True]


def test_the_checks_name_the_field_the_rule_and_the_numbers():
    assert rules.check("title", ["ok", "x" * 201, None]) == {
        1: [rules.Violation("title", rules.TOO_LONG, "x" * 201, n=201, limit=200)],
        2: [rules.Violation("title", rules.MISSING)],
    }
    assert rules.check("level", [None, "bestuurlijk", "anders"]) == {
        2: [rules.Violation("level", rules.NOT_ALLOWED, "anders")]
    }
    assert list(rules.check("partners", [["a"] * 21, ["b" * 121]])) == [0, 1]
    assert rules.check("goal_id", ["D1", "D9", None], goals={"D1"}) == {
        1: [rules.Violation("goal_id", rules.UNKNOWN_GOAL, "D9")]
    }
    assert rules.partner_name("  GGD \u00a0 Amsterdam ") == "GGD Amsterdam"


def test_an_older_database_gets_the_actielog_filter_when_opened(tmp_path):
    from kansrijke.core.store import LATEST_SCHEMA, Store  # lazy: only this test opens a database

    path = tmp_path / "v3.duckdb"
    Store.create_at_version(path, 3)
    store = Store.open(path)
    assert store.schema_version() == LATEST_SCHEMA >= 4
    params = {"coalition_id": "KS-X", "statuses": [], "owners": [], "goals": [], "principles": []}
    params.update(date_from=None, date_to=None, text="")
    assert store.query("actions_by_month", params).empty
    assert store.query("actions_search", {**params, "limit": 10}).empty
    store.close()
