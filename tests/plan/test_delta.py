"""The change on an Overzicht card says in words whether it is better or worse (WCAG 1.4.1: never colour alone),
and its colour, arrow and words follow the same rule as the chart's sentence (``stats.change_direction``): a red
arrow never stands beside "gelijk gebleven"."""

from __future__ import annotations

import pytest

from kansrijke.core.i18n import t
from kansrijke.core.stats import change_direction
from kansrijke.core.store import Store
from kansrijke.plan import charts, overview

SAMPLE = ["GM0034", "GM0363", "GM0599", "GM0193", "GM0518", "GM0344", "GM0080", "GM0014", "GM0150", "GM0855"]


@pytest.fixture(scope="module")
def cards(demo_db, config):
    store = Store.open(demo_db)
    period = max(overview.periods(store))
    found = []
    for code in SAMPLE:
        found += overview.key_figures(store, config, [code], config.ui.key_indicators, period)
    return found


def verdicts(words: str | None, year: int) -> str:
    return {
        t("overview.delta_better", year=year): "beter",
        t("overview.delta_worse", year=year): "slechter",
        t("overview.delta_same", year=year): "gelijk",
        t("overview.delta_up", year=year): "hoger",
        t("overview.delta_down", year=year): "lager",
    }[words]


def test_every_change_says_better_worse_or_no_clear_change_in_words(cards):
    judged = [(kf, overview.card_delta(kf)) for kf in cards if kf.change is not None]
    assert len(judged) >= 20
    seen = set()
    for kf, delta in judged:
        verdict = verdicts(delta.words, int(kf.first["period"]))
        seen.add(verdict)
        if verdict == "gelijk":
            assert (delta.colour, delta.arrow) == ("gray", "off")
        elif verdict in ("beter", "slechter"):
            assert delta.colour == ("green" if verdict == "beter" else "red")
            lower_is_better = kf.indicator.richting == "lager_beter"
            fell = kf.change < 0
            assert (verdict == "beter") == (fell == lower_is_better), (kf.indicator.id, kf.change, verdict)
    assert {"gelijk"} < seen  # the demo has both clear changes and changes inside the margin


def test_the_card_and_the_chart_sentence_judge_a_change_alike(cards):
    for kf in cards:
        published = kf.area[kf.area["value"].notna()]
        if kf.change is None or published.empty or int(kf.first["period"]) != int(published.iloc[0]["period"]):
            continue  # the card counts from a goal's baseline year; the sentence from the first year shown
        direction = change_direction(kf.first, kf.current)
        sentence = charts.trend_summary(kf, "X")
        word = {1: "chart.direction_up", -1: "chart.direction_down", 0: "chart.direction_flat"}[direction]
        assert t(word) in sentence
        assert (overview.card_delta(kf).arrow == "off") == (direction == 0)
