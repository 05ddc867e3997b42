"""The self-scan: every scan kept with its date, the phase set in one transaction, the all-coalition average,
and the chart of the latest scan against the previous one and the average."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from kansrijke import access, selfscan
from kansrijke.core import fmt
from kansrijke.core.store import Store
from kansrijke.selfscan import charts as selfscan_charts

AMSTERDAM = "KS-GM0363"
TODAY = dt.date(2026, 11, 24)
WHO = access.Person("beheerder@example.nl", "Bea Beheerder", frozenset({(access.BEHEERDER, None)}), True)


@pytest.fixture
def store(demo_copy):
    s = Store.open(demo_copy)
    yield s
    s.close()


def all_scores(value: int) -> dict[str, int]:
    return {d: value for d in selfscan.SCORED}


def test_the_demo_history_reads_newest_first_with_scores_notes_and_lessons(store):
    scans = selfscan.scans(store, AMSTERDAM)
    assert [s.assessed_on for s in scans] == sorted((s.assessed_on for s in scans), reverse=True)
    assert len(scans) == 3
    for scan in scans:
        assert set(scan.scores) == set(selfscan.SCORED)
        assert all(v in selfscan.SCALE for v in scan.scores.values())
        assert set(scan.lessons) == set(selfscan.LESSONS)
    assert 0 <= scans[0].mean() <= 3


def test_a_new_scan_is_kept_beside_the_earlier_ones_with_its_date(store):
    before = selfscan.scans(store, AMSTERDAM)
    first = selfscan.save_scan(
        store, AMSTERDAM, dt.date(2026, 9, 1), "Kernteam", all_scores(1), today=TODAY, person=WHO
    )
    second = selfscan.save_scan(
        store,
        AMSTERDAM,
        dt.date(2026, 11, 20),
        "Alle partners",
        all_scores(3),
        notes={"basis_1": "Nieuwe trekker sinds de zomer"},
        lessons={"les_3": "Eerst één wijk, nu de hele stad."},
        today=TODAY,
        person=WHO,
    )
    after = selfscan.scans(store, AMSTERDAM)
    assert len(after) == len(before) + 2
    assert [s.id for s in after[:2]] == [second, first]  # newest first
    assert after[0].assessed_on == dt.date(2026, 11, 20) and after[1].assessed_on == dt.date(2026, 9, 1)
    assert after[0].scores == all_scores(3) and after[1].scores == all_scores(1)
    assert after[0].notes == {"basis_1": "Nieuwe trekker sinds de zomer"}
    assert after[0].lessons == {"les_3": "Eerst één wijk, nu de hele stad."}
    assert after[0].assessed_by == "Alle partners"
    # the earlier scans are untouched
    assert [(s.id, s.assessed_on, s.scores, s.notes, s.lessons) for s in after[2:]] == [
        (s.id, s.assessed_on, s.scores, s.notes, s.lessons) for s in before
    ]
    # the reflection is also stored as JSON on the scan (schema 3)
    row = store.table("self_assessments").set_index("id").loc[second]
    assert json.loads(row["reflection"]) == {"les_3": "Eerst één wijk, nu de hele stad."}
    assert int(row["phase"]) == 4  # the phase the coalition had when it was scanned


def test_a_partly_filled_scan_keeps_its_blanks(store):
    selfscan.save_scan(store, AMSTERDAM, TODAY, None, {"basis_1": 2, "principe_4": None}, today=TODAY, person=WHO)
    latest = selfscan.scans(store, AMSTERDAM)[0]
    assert latest.scores == {"basis_1": 2, "principe_4": None}
    assert latest.mean() == 2.0


def test_bad_scans_are_refused_with_every_problem_and_nothing_is_written(store):
    before = store.table_counts()
    with pytest.raises(selfscan.SelfScanError) as err:
        selfscan.save_scan(
            store,
            AMSTERDAM,
            dt.date(2027, 1, 1),
            None,
            {"basis_1": 4, "principe_11": 2, "les_1": 1},
            notes={"basis_2": "x" * 501},
            phase=9,
            today=TODAY,
            person=WHO,
        )
    text = " ".join(err.value.messages)
    assert "in de toekomst" in text
    assert "niet 4" in text
    assert "principe_11" in text and "les_1" in text
    assert "te lang" in text
    assert "Fase moet" in text
    with pytest.raises(selfscan.SelfScanError, match="ten minste één"):
        selfscan.save_scan(store, AMSTERDAM, TODAY, None, {"basis_1": None}, today=TODAY, person=WHO)
    with pytest.raises(selfscan.SelfScanError, match="bestaat niet"):
        selfscan.save_scan(store, "KS-ONBEKEND", TODAY, None, all_scores(1), today=TODAY, person=WHO)
    assert store.table_counts() == before


def test_setting_the_phase_writes_history_and_the_current_phase(store):
    selfscan.set_phase(
        store, AMSTERDAM, 5, dt.date(2026, 11, 1), "Structurele financiering geregeld", today=TODAY, person=WHO
    )
    history = selfscan.phase_history(store, AMSTERDAM)
    assert history.iloc[0][["phase", "note"]].tolist() == [5, "Structurele financiering geregeld"]
    assert pd.Timestamp(history.iloc[0]["since"]).date() == dt.date(2026, 11, 1)
    assert len(history) == 5  # the four demo phases are kept
    assert int(store.table("coalitions").set_index("id").at[AMSTERDAM, "phase"]) == 5
    # a second change on the same day replaces the first; a back-dated row does not change the current phase
    selfscan.set_phase(store, AMSTERDAM, 4, dt.date(2026, 11, 1), "Toch nog uitvoering", today=TODAY, person=WHO)
    selfscan.set_phase(store, AMSTERDAM, 2, dt.date(2019, 6, 1), "Later aangevuld", today=TODAY, person=WHO)
    history = selfscan.phase_history(store, AMSTERDAM)
    assert len(history) == 6
    assert history.iloc[0]["note"] == "Toch nog uitvoering"
    assert int(store.table("coalitions").set_index("id").at[AMSTERDAM, "phase"]) == 4
    with pytest.raises(selfscan.SelfScanError):
        selfscan.set_phase(store, AMSTERDAM, 6, TODAY, today=TODAY, person=WHO)


def test_a_scan_with_a_new_phase_sets_it_in_the_same_transaction(store, monkeypatch):
    selfscan.save_scan(store, AMSTERDAM, dt.date(2026, 11, 10), None, all_scores(3), phase=5, today=TODAY, person=WHO)
    assert int(store.table("coalitions").set_index("id").at[AMSTERDAM, "phase"]) == 5
    history = selfscan.phase_history(store, AMSTERDAM)
    assert pd.Timestamp(history.iloc[0]["since"]).date() == dt.date(2026, 11, 10)
    assert selfscan.scans(store, AMSTERDAM)[0].phase == 5

    # if anything in that transaction fails, neither the scan nor the phase is written
    before = (store.table_counts(), int(store.table("coalitions").set_index("id").at[AMSTERDAM, "phase"]))
    from kansrijke.selfscan import scan

    original = scan._write_phase

    def write_then_fail(w, *args):
        original(w, *args)
        raise RuntimeError("disk full")

    monkeypatch.setattr(scan, "_write_phase", write_then_fail)
    with pytest.raises(RuntimeError):
        selfscan.save_scan(
            store, AMSTERDAM, dt.date(2026, 11, 20), None, all_scores(1), phase=3, today=TODAY, person=WHO
        )
    assert (store.table_counts(), int(store.table("coalitions").set_index("id").at[AMSTERDAM, "phase"])) == before


def test_the_average_is_taken_over_the_latest_scan_of_every_coalition(store):
    scans = store.table("self_assessments")
    latest = scans.sort_values(["assessed_on", "id"]).groupby("coalition_id").tail(1)
    scores = store.table("self_assessment_scores")
    own = scores[scores["assessment_id"].isin(latest["id"]) & scores["score"].notna()]
    expected = own.groupby("dimension")["score"].agg(["mean", "count"])

    found = selfscan.average_by_dimension(store)
    assert list(found["dimension"]) == list(selfscan.SCORED)
    for row in found.itertuples():
        assert row.mean_score == pytest.approx(expected.at[row.dimension, "mean"])
        assert row.coalitions == expected.at[row.dimension, "count"] == latest["coalition_id"].nunique()
    assert found.at[0, "label"] == "B1 Sterke trekker"

    # a new scan replaces that coalition's part of the average (not added beside it)
    selfscan.save_scan(store, AMSTERDAM, TODAY, None, all_scores(0), today=TODAY, person=WHO)
    again = selfscan.average_by_dimension(store)
    assert again["coalitions"].tolist() == found["coalitions"].tolist()
    assert (again["mean_score"] < found["mean_score"]).all()


def test_the_chart_shows_latest_previous_and_average_with_distinct_symbols(store):
    latest, previous = selfscan.scans(store, AMSTERDAM)[:2]
    now, before = fmt.day(latest.assessed_on), fmt.day(previous.assessed_on)
    assert latest.assessed_on > previous.assessed_on
    scanned = store.table("self_assessments")["coalition_id"].nunique()  # coalitions with a scan in the demo
    average = selfscan.average_by_dimension(store)
    chart = selfscan_charts.scan_chart(latest, previous, average, "Amsterdam")
    names = [trace.name for trace in chart.figure.data]
    assert names == [f"Gemiddelde alle coalities (n = {scanned})", f"Vorige zelfscan {before}", f"Zelfscan {now}"]
    symbols = [trace.marker.symbol for trace in chart.figure.data]
    assert len(set(symbols)) == 3  # never colour alone
    assert list(chart.figure.data[2].x) == [latest.scores[d] for d in selfscan.SCORED]
    assert now in chart.summary and before in chart.summary
    assert chart.summary.endswith(".") and f"{scanned} coalities" in chart.summary
    assert list(chart.table.columns) == [
        "Onderdeel",
        f"Zelfscan {now}",
        f"Vorige zelfscan {before}",
        "Gemiddelde alle coalities (0–3)",
    ]
    assert len(chart.table) == 15
    assert set(chart.table[f"Zelfscan {now}"]) <= {"niet", "gestart", "grotendeels", "volledig"}


def test_a_first_scan_has_a_chart_without_a_previous_one(store):
    scan = selfscan.Scan("x", AMSTERDAM, TODAY, None, 4, scores=all_scores(2))
    chart = selfscan_charts.scan_chart(scan, None, selfscan.average_by_dimension(store), "Amsterdam")
    assert len(chart.figure.data) == 2
    assert "eerste zelfscan" in chart.summary
    assert "Vorige" not in " ".join(chart.table.columns)
