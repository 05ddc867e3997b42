"""Shared figures: peers (``core.figures``)."""

from __future__ import annotations

from kansrijke import access
from kansrijke.core import figures
from kansrijke.core.store import Store
from kansrijke.dataio import importer
from kansrijke.dataio.ingest.common import Upload


def test_peers_of_a_year_do_not_move_when_next_years_figures_arrive(own_copy, config):
    store = Store.open(own_copy)
    before = figures.peers(store, config, "GM0363", 2024)
    codes = list(store.query("municipalities")["code"])[:120]
    text = "gemeentecode;indicator;periode;waarde\n" + "".join(f"{c};kinderen_armoede;2026;40,0\n" for c in codes)
    prepared = importer.prepare(store, config, Upload("volgend_jaar.csv", text.encode("utf-8")))
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    importer.apply(store, prepared, access.operator())
    assert figures.peers(store, config, "GM0363", 2024) == before
    assert figures.peers(store, config, "GM0363", 2026) != before  # that year's peers use that year's figures
    Store.close_all()
