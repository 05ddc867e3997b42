"""The page caches (``web.cache``): shared charts are one object per data version, never changed by a page."""

from __future__ import annotations

import json

from conftest import open_app

from kansrijke import web
from kansrijke.core.i18n import t
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
    pages = [(p, {}) for p in ("pages/overzicht.py", "pages/doelen.py", "pages/actielog.py", "pages/zelfscan.py")]
    views = ("trechter", "trend", "heatmap", "kaart", "coalities")
    pages += [("pages/vergelijken.py", {"weergave": t(f"compare.views.{view}")}) for view in views]
    for page, query in pages:
        specs = []
        for _ in range(2):
            at = open_app(page, **query)
            assert not at.exception
            specs.append([json.loads(c.proto.spec) for c in at.get("plotly_chart")])
        assert specs[0] and specs[0] == specs[1], (page, query)


def test_a_shared_figure_is_frozen_and_sends_what_a_fresh_one_would(demo_copy, config):
    """``st.plotly_chart`` turns a figure into a dict on every run; a shared figure does that once and hands
    the same dict back, which holds exactly what a newly built figure gives."""
    store = Store.open(demo_copy)
    args = (config, ["GM0363"], config.ui.key_indicators, 2024, [], {}, None)
    shared = web.shared(store, overview.key_figures, *args, then=charts.trends, then_args=("Amsterdam",))
    fresh = charts.trends(overview.key_figures(store, *args), "Amsterdam")
    for key, chart in shared.items():
        assert chart.figure.to_dict() is chart.figure.to_dict()  # made once
        assert json.dumps(chart.figure.to_dict(), sort_keys=True, default=str) == json.dumps(
            fresh[key].figure.to_dict(), sort_keys=True, default=str
        )
    Store.close_all()
