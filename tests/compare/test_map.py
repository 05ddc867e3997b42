"""The map on Vergelijken out of the box: the shipped boundaries from the default config, all 342
municipalities, an SVG map that needs no other origin, under 1 MB, crediting its source."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kansrijke import compare
from kansrijke.compare import charts as cc
from kansrijke.core import reference
from kansrijke.core.store import Store

ATTRIBUTION = "Kaart: CBS/Kadaster, Wijk- en Buurtkaart 2024, CC BY 4.0"
MAX_SPEC = 1_000_000  # bytes of figure JSON sent to the browser


@pytest.fixture
def store(demo_db) -> Store:
    return Store.open(demo_db)


@pytest.fixture
def map_chart(store, config):
    path = compare.boundaries_path(config)
    cmp = compare.comparison(store, config, compare.Choice("big2", 2024, highlight="GM0363"))
    names = store.query("municipalities").set_index("code")["name"]
    return cc.choropleth(cmp, compare.boundaries(path), names, attribution=reference.map_attribution(path))


def test_the_default_config_ships_the_boundaries(config):
    path = compare.boundaries_path(config)
    assert path is not None and path == reference.BOUNDARIES_FILE.resolve()
    assert reference.map_attribution(path) == ATTRIBUTION


def test_the_map_has_every_municipality_is_small_and_credits_its_source(map_chart, store):
    spec = map_chart.figure.to_json()
    assert len(spec.encode("utf-8")) < MAX_SPEC
    data = json.loads(spec)
    (choropleth,) = [trace for trace in data["data"] if trace["type"] == "choropleth"]
    assert len(choropleth["locations"]) == 342
    assert set(choropleth["locations"]) == set(store.query("municipalities")["code"])
    assert {f["id"] for f in choropleth["geojson"]["features"]} == set(choropleth["locations"])
    notes = [a["text"] for a in data["layout"]["annotations"]]
    assert ATTRIBUTION in notes
    amsterdam = choropleth["locations"].index("GM0363")
    assert "<b>Amsterdam</b>" in choropleth["text"][amsterdam]


def test_the_map_asks_no_other_origin_for_a_base_map(map_chart):
    """No tiles, no style, no world topojson: plotly.js fetches world_110m.json from cdn.plot.ly when the map's
    first trace has locations or a base layer is shown, so neither may be the case."""
    fig = json.loads(map_chart.figure.to_json())
    first = fig["data"][0]
    assert first["type"] == "scattergeo" and "locations" not in first and first["lon"]
    assert not any(t["type"] in ("choroplethmap", "choroplethmapbox", "scattermap") for t in fig["data"])
    assert "map" not in fig["layout"] and "mapbox" not in fig["layout"]
    geo = fig["layout"]["geo"]
    assert geo["visible"] is False and geo["fitbounds"] == "locations"
    assert not any(v for k, v in geo.items() if k.startswith("show"))


def test_rings_are_wound_as_the_svg_map_needs(map_chart):
    """d3-geo fills the whole frame for an exterior ring that is counter-clockwise: exteriors clockwise, holes
    counter-clockwise, also for a file wound the other way round (RFC 7946)."""

    def signed(ring) -> float:
        r = np.asarray(ring, dtype=float)
        return float(np.dot(r[:-1, 0], r[1:, 1]) - np.dot(r[1:, 0], r[:-1, 1]))

    def polygons(geojson):
        for f in geojson["features"]:
            g = f["geometry"]
            yield from [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]

    geojson = map_chart.figure.data[1].geojson
    for rings in polygons(geojson):
        assert signed(rings[0]) < 0 and all(signed(h) > 0 for h in rings[1:])
    rewound = {
        **geojson,
        "features": [
            {**f, "geometry": {**f["geometry"], "coordinates": _reverse(f["geometry"])}} for f in geojson["features"]
        ],
    }
    fixed = cc._wound(rewound)
    for rings in polygons(fixed):
        assert signed(rings[0]) < 0 and all(signed(h) > 0 for h in rings[1:])
    assert cc._wound(geojson) is geojson  # nothing to turn: the same object, no copy


def _reverse(geom):
    if geom["type"] == "Polygon":
        return [np.asarray(r)[::-1] for r in geom["coordinates"]]
    return [[np.asarray(r)[::-1] for r in part] for part in geom["coordinates"]]


def test_a_map_from_other_boundaries_does_not_claim_the_cbs_credit(store, config, tmp_path):
    other = tmp_path / "grenzen.geojson"
    other.write_bytes(reference.BOUNDARIES_FILE.read_bytes())
    cmp = compare.comparison(store, config, compare.Choice("big2", 2024))
    names = store.query("municipalities").set_index("code")["name"]
    chart = cc.choropleth(cmp, compare.boundaries(other), names, attribution=reference.map_attribution(other))
    assert not chart.figure.layout.annotations
