"""The Overzicht page as an alderman reads it, through AppTest: every change on a card says in words whether it is
better or worse (never colour alone, WCAG 1.4.1), and a legend says what each status means (issue 14)."""

from __future__ import annotations

from conftest import open_app
from streamlit.proto.Metric_pb2 import Metric

from kansrijke.core.i18n import t
from kansrijke.plan.progress import READING_ORDER

WORDS = ("beter dan in", "slechter dan in", "geen duidelijke verandering", "hoger dan in", "lager dan in")


def test_every_card_change_says_better_worse_or_no_clear_change(app_env):
    at = open_app(gemeente="Almere")
    assert not at.exception
    changes = [m for m in at.metric if m.proto.delta]
    assert changes, "no card with a change"
    for metric in changes:
        words = metric.proto.delta_description
        assert words.startswith(WORDS), (metric.label, metric.proto.delta, words)
        colour = Metric.MetricColor.Name(metric.proto.color)
        if words.startswith("geen duidelijke verandering"):  # no arrow, grey: nothing claims a change
            assert (Metric.MetricDirection.Name(metric.proto.direction), colour) == ("NONE", "GRAY")
        elif words.startswith("beter"):
            assert colour == "GREEN"
        elif words.startswith("slechter"):
            assert colour == "RED"


def test_the_status_legend_explains_every_status(app_env):
    at = open_app(gemeente="Almere")
    (legend,) = [e for e in at.expander if e.label == t("progress.legend.heading")]
    text = " ".join(m.value for m in legend.markdown)
    for status in READING_ORDER:
        assert status in text
        assert t(f"progress.legend.text.{status}") in text


def test_the_action_tables_show_date_status_and_owner_before_the_long_texts(app_env):
    at = open_app(gemeente="Almere")
    key = [t("overview.action_date"), t("overview.action_status"), t("overview.action_owner")]
    tables = [d for d in at.dataframe if t("overview.action_title") in d.value.columns]
    assert tables  # the latest actions (and the next ones, when there are)
    assert all(list(d.value.columns[:3]) == key for d in tables)
