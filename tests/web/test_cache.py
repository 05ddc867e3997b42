"""The page caches (``web.cache``): shared charts are one object per data version, never changed by a page."""

from __future__ import annotations

import json

from conftest import open_app

from kansrijke import web
from kansrijke.core.store import Store
from kansrijke.plan import charts, overview


def test_a_shared_chart_is_one_object_until_the_data_changes(demo_copy, config):
    store = Store.open(demo_copy)
    codes = ["GM0363"]
    args = (config, codes, config.ui.key_indicators, 2024, [], {}, None)
    first = web.shared(store, overview.key_figures, *args, then=charts.trends, then_args=("Amsterdam",))
    again = web.shared(store, overview.key_figures, *args, then=charts.trends, then_args=("Amsterdam",))
    assert again is first and first
    other_name = web.shared(store, overview.key_figures, *args, then=charts.trends, then_args=("Elders",))
    assert other_name is not first  # the step's arguments are part of the key
    with store.write():
        pass  # any committed write moves the data version on
    fresh = web.shared(store, overview.key_figures, *args, then=charts.trends, then_args=("Amsterdam",))
    assert fresh is not first
    Store.close_all()


def test_pages_do_not_change_the_charts_they_share(app_env):
    # Sessions on the same data get identical chart specs, also on a page that shares its charts: nothing
    # drawn in one run leaks into the next.
    for page in ("pages/overzicht.py", "pages/doelen.py", "pages/vergelijken.py"):
        specs = []
        for _ in range(2):
            at = open_app(page)
            assert not at.exception
            specs.append([json.loads(c.proto.spec) for c in at.get("plotly_chart")])
        assert specs[0] and specs[0] == specs[1], page
