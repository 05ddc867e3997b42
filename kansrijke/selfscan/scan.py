"""The coalition's self-assessment (zelfscan) and its phase (no Streamlit).

A scan scores the five basic principles of the VWS checklist (``basis_1``..``basis_5``) and the ten leading
principles (``principe_1``..``principe_10``) on a 4-point scale (0 niet, 1 gestart, 2 grotendeels,
3 volledig), each with an optional note, and holds a reflection on the five lessons (``les_1``..``les_5``,
text only). Every scan is kept with its date; nothing is overwritten.

Storage: ``self_assessments`` (one row per scan, with the phase set at the time and the reflection as JSON
``{"les_1": text, ...}``) and ``self_assessment_scores`` (one row per dimension; the lessons are also kept
there as rows without a score and with the text as note, as the demo writes them). The phase lives in
``coalition_phases`` (history, one row per coalition and date) and ``coalitions.phase`` (current); both
change in one transaction.

Public:
- ``scans(store, coalition_id) -> list[Scan]`` newest first;
- ``save_scan(..., person=...) -> str`` (the new scan's id), raises ``SelfScanError`` with every problem in Dutch;
- ``set_phase(..., person=...)``, ``phase_history(store, coalition_id) -> DataFrame``;
- both take the ``access.Person`` who does it (keyword ``person``) and refuse (``access.NotAllowed``) before
  anything is written: a scan needs the permission "selfscan" for the coalition (and "phase" too when it sets a
  different phase), ``set_phase`` needs "phase"; ``assessed_by`` stays what the form says (who filled it in);
- ``average_by_dimension(store) -> DataFrame`` the average score per dimension over the latest scan of
  every coalition (for the comparison page too);
- ``scan_summary``/``scan_table``: the words and numbers of the dot plot (``selfscan.charts.scan_chart``).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

import pandas as pd

from kansrijke import access
from kansrijke.core import fmt
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

BASIS = tuple(f"basis_{i}" for i in range(1, 6))
PRINCIPLES = tuple(f"principe_{i}" for i in range(1, 11))
LESSONS = tuple(f"les_{i}" for i in range(1, 6))
SCORED = BASIS + PRINCIPLES
SCALE = (0, 1, 2, 3)
PHASES = (0, 1, 2, 3, 4, 5)
MAX_NOTE = 500
MAX_REFLECTION = 2000


class SelfScanError(UserError):
    """A scan or phase that cannot be saved; ``messages`` lists every problem in Dutch."""


@dataclass
class Scan:
    """One self-assessment of a coalition."""

    id: str
    coalition_id: str
    assessed_on: dt.date
    assessed_by: str | None
    phase: int | None
    scores: dict[str, int | None] = field(default_factory=dict)  # SCORED dimension -> 0..3 or None
    notes: dict[str, str] = field(default_factory=dict)  # SCORED dimension -> note
    lessons: dict[str, str] = field(default_factory=dict)  # les_N -> reflection

    def mean(self) -> float | None:
        """Average score over the scored dimensions (0..3), ``None`` when nothing is scored."""
        given = [s for s in self.scores.values() if s is not None]
        return sum(given) / len(given) if given else None


# -- labels ------------------------------------------------------------------------------------------------
def label(dimension: str) -> str:
    """Short Dutch name: 'B1 Sterke trekker', 'P4 Stip op de horizon', 'Les 3 Begin klein'."""
    return t(f"selfscan.dim.{dimension}")


def description(dimension: str) -> str:
    """The longer Dutch text of a dimension (what it asks)."""
    return t(f"selfscan.dim_help.{dimension}")


def score_word(score: int | None) -> str:
    """0 -> 'niet', 3 -> 'volledig', None -> '–'."""
    return "–" if score is None else t(f"selfscan.score.{int(score)}")


def phase_label(phase: int | None) -> str:
    return "–" if phase is None else t(f"phase.{int(phase)}")


# -- reading -----------------------------------------------------------------------------------------------
def _none(value: object) -> object:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def scans(store: Store, coalition_id: str) -> list[Scan]:
    """Every scan of a coalition with its scores, notes and lessons, newest first."""
    heads = store.query("selfscan_assessments", {"coalition_id": coalition_id})
    rows = store.query("selfscan_scores", {"coalition_id": coalition_id})
    out = []
    for head in heads.itertuples():
        own = rows[rows["assessment_id"] == head.id]
        scan = Scan(
            head.id,
            head.coalition_id,
            pd.Timestamp(head.assessed_on).date(),
            _none(head.assessed_by),
            None if _none(head.phase) is None else int(head.phase),
        )
        for r in own.itertuples():
            note = _none(r.note)
            if r.dimension in SCORED:
                scan.scores[r.dimension] = None if _none(r.score) is None else int(r.score)
                if note:
                    scan.notes[r.dimension] = str(note)
            elif r.dimension in LESSONS and note:
                scan.lessons[r.dimension] = str(note)
        reflection = _none(head.reflection)
        if reflection:
            try:
                found = json.loads(reflection)
            except ValueError:
                found = {}
            scan.lessons.update({k: str(v) for k, v in found.items() if k in LESSONS and v})
        out.append(scan)
    return out


def history_table(found: list[Scan]) -> pd.DataFrame:
    """The scans as the page lists them (Dutch headers): date, by whom, phase, average and per-score counts."""
    rows = []
    for s in found:
        given = [v for v in s.scores.values() if v is not None]
        rows.append(
            {
                t("selfscan.col_date"): fmt.date(s.assessed_on),
                t("selfscan.col_by"): s.assessed_by or "–",
                t("selfscan.col_phase"): phase_label(s.phase),
                t("selfscan.col_mean"): fmt.number(s.mean(), 1),
                **{score_word(k): sum(1 for v in given if v == k) for k in SCALE},
                t("selfscan.col_lessons"): len(s.lessons),
            }
        )
    return pd.DataFrame(rows)


def scan_detail(scan: Scan) -> pd.DataFrame:
    """One scan as a table: every dimension with its score and note, then the lessons with the reflection."""
    rows = [
        {
            t("selfscan.col_dimension"): label(d),
            t("selfscan.col_score"): score_word(scan.scores.get(d)),
            t("selfscan.col_note"): scan.notes.get(d, ""),
        }
        for d in SCORED
    ]
    rows += [
        {
            t("selfscan.col_dimension"): label(d),
            t("selfscan.col_score"): "",
            t("selfscan.col_note"): scan.lessons.get(d, ""),
        }
        for d in LESSONS
    ]
    return pd.DataFrame(rows)


def phase_history(store: Store, coalition_id: str) -> pd.DataFrame:
    """The coalition's phases, newest first: since, phase, note."""
    return store.query("selfscan_phase_history", {"coalition_id": coalition_id})


def phase_table(history: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("selfscan.col_since"): [fmt.day(d) for d in history["since"]],
            t("selfscan.col_phase"): [phase_label(p) for p in history["phase"]],
            t("selfscan.col_note"): [_none(n) or "–" for n in history["note"]],
        }
    )


def average_by_dimension(store: Store) -> pd.DataFrame:
    """Average score (0..3) per scored dimension over the latest scan of every coalition.

    Columns: ``dimension`` (in SCORED order), ``label``, ``mean_score`` (float, NaN when nobody scored it),
    ``coalitions`` (how many coalitions' latest scan scored it)."""
    found = store.query("selfscan_average").set_index("dimension")
    return pd.DataFrame(
        {
            "dimension": list(SCORED),
            "label": [label(d) for d in SCORED],
            "mean_score": [float(found.at[d, "mean_score"]) if d in found.index else float("nan") for d in SCORED],
            "coalitions": [int(found.at[d, "coalitions"]) if d in found.index else 0 for d in SCORED],
        }
    )


# -- writing -----------------------------------------------------------------------------------------------
def _coalition_exists(store: Store, coalition_id: str) -> bool:
    return bool(store.scalar("selfscan_coalition_exists", {"coalition_id": coalition_id}))


def _check_phase(phase: object, messages: list[str]) -> None:
    if phase is not None and (not isinstance(phase, int) or isinstance(phase, bool) or phase not in PHASES):
        messages.append(t("selfscan.error_phase", value=phase))


def _check_note(text: object, limit: int, what: str, messages: list[str]) -> None:
    if text is not None and len(str(text)) > limit:
        messages.append(t("selfscan.error_long", what=what, limit=limit))


def save_scan(
    store: Store,
    coalition_id: str,
    assessed_on: dt.date,
    assessed_by: str | None,
    scores: dict[str, int | None],
    notes: dict[str, str] | None = None,
    lessons: dict[str, str] | None = None,
    phase: int | None = None,
    today: dt.date | None = None,
    phase_note: str | None = None,
    *,
    person: access.Person,
) -> str:
    """Store a new scan (never replaces one) and return its id.

    ``scores`` maps SCORED dimensions to 0..3 (or None: not scored); at least one must be scored.
    ``phase``, when given and different from the coalition's current phase, sets the phase from
    ``assessed_on`` on, in the same transaction. ``today`` (default: the real date) refuses later dates."""
    access.require(person, "selfscan", coalition_id)
    if phase is not None and phase != store.scalar("selfscan_current_phase", {"coalition_id": coalition_id}):
        access.require(person, "phase", coalition_id)
    notes, lessons = dict(notes or {}), dict(lessons or {})
    today = today or dt.date.today()
    messages: list[str] = []
    if not _coalition_exists(store, coalition_id):
        raise SelfScanError([t("selfscan.error_coalition", id=coalition_id)])
    if not isinstance(assessed_on, dt.date):
        messages.append(t("selfscan.error_date"))
    elif assessed_on > today:
        messages.append(t("selfscan.error_future", date=fmt.date(assessed_on)))
    for dim in [*scores, *notes, *lessons]:
        if dim not in SCORED + LESSONS or (dim in LESSONS and dim in scores) or (dim in SCORED and dim in lessons):
            messages.append(t("selfscan.error_dimension", value=dim))
    for dim, score in scores.items():
        if score is not None and (isinstance(score, bool) or not isinstance(score, int) or score not in SCALE):
            messages.append(t("selfscan.error_score", dimension=dim, value=score))
    if not any(s is not None for d, s in scores.items() if d in SCORED):
        messages.append(t("selfscan.error_empty"))
    for dim, note in notes.items():
        _check_note(note, MAX_NOTE, dim, messages)
    for dim, text in lessons.items():
        _check_note(text, MAX_REFLECTION, dim, messages)
    _check_note(assessed_by, 200, t("selfscan.by"), messages)
    _check_phase(phase, messages)
    if messages:
        raise SelfScanError(list(dict.fromkeys(messages)))

    scan_id = f"{coalition_id}-S{assessed_on:%Y%m%d}-{uuid.uuid4().hex[:6]}"
    lesson_text = {d: str(v).strip() for d, v in lessons.items() if v and str(v).strip()}
    rows = [
        {
            "assessment_id": scan_id,
            "dimension": d,
            "score": scores.get(d),
            "note": (str(notes[d]).strip() or None) if notes.get(d) else None,
        }
        for d in SCORED
        if d in scores or notes.get(d)
    ]
    rows += [{"assessment_id": scan_id, "dimension": d, "score": None, "note": text} for d, text in lesson_text.items()]
    frame = pd.DataFrame(rows, columns=["assessment_id", "dimension", "score", "note"])
    frame["score"] = frame["score"].astype("Int64")
    current = store.scalar("selfscan_current_phase", {"coalition_id": coalition_id})
    with store.write() as w:
        w.run(
            "selfscan_insert",
            {
                "id": scan_id,
                "coalition_id": coalition_id,
                "assessed_on": assessed_on,
                "assessed_by": (assessed_by or "").strip() or None,
                "phase": phase if phase is not None else current,
                "reflection": json.dumps(lesson_text, ensure_ascii=False) if lesson_text else None,
            },
        )
        w.insert_df("self_assessment_scores", frame)
        if phase is not None and phase != current:
            _write_phase(w, coalition_id, phase, assessed_on, phase_note or t("selfscan.phase_note_scan"))
    return scan_id


def _write_phase(w, coalition_id: str, phase: int, since: dt.date, note: str | None) -> None:
    w.run(
        "selfscan_phase_upsert",
        {"coalition_id": coalition_id, "since": since, "phase": phase, "note": (note or "").strip() or None},
    )
    w.run("selfscan_phase_sync", {"coalition_id": coalition_id})


def set_phase(
    store: Store,
    coalition_id: str,
    phase: int,
    since: dt.date,
    note: str | None = None,
    today: dt.date | None = None,
    *,
    person: access.Person,
) -> None:
    """Record that the coalition is in ``phase`` from ``since`` on: a row in ``coalition_phases`` (replacing
    one of the same date) and ``coalitions.phase`` = the phase of the newest row, in one transaction."""
    access.require(person, "phase", coalition_id)
    today = today or dt.date.today()
    messages: list[str] = []
    if not _coalition_exists(store, coalition_id):
        raise SelfScanError([t("selfscan.error_coalition", id=coalition_id)])
    _check_phase(phase, messages)
    if phase is None:
        messages.append(t("selfscan.error_phase", value="–"))
    if not isinstance(since, dt.date):
        messages.append(t("selfscan.error_date"))
    elif since > today:
        messages.append(t("selfscan.error_future", date=fmt.date(since)))
    _check_note(note, MAX_NOTE, t("selfscan.col_note"), messages)
    if messages:
        raise SelfScanError(messages)
    with store.write() as w:
        _write_phase(w, coalition_id, phase, since, note)


# -- the chart's words (the figure is in ``selfscan.charts``) ------------------------------------------------
def scan_summary(latest: Scan, previous: Scan | None, average: pd.DataFrame | None, name: str) -> str:
    """One Dutch sentence: the latest average, the change against the previous scan, and all coalitions."""
    text = t("selfscan.summary_latest", name=name, date=fmt.date(latest.assessed_on), mean=fmt.number(latest.mean(), 1))
    if previous is not None:
        up = sum(1 for d in SCORED if _gt(latest.scores.get(d), previous.scores.get(d)))
        down = sum(1 for d in SCORED if _gt(previous.scores.get(d), latest.scores.get(d)))
        text += t(
            "selfscan.summary_previous",
            date=fmt.date(previous.assessed_on),
            mean=fmt.number(previous.mean(), 1),
            up=up,
            down=down,
            total=len(SCORED),
        )
    else:
        text += t("selfscan.summary_first")
    if average is not None and not average.empty and average["mean_score"].notna().any():
        text += t(
            "selfscan.summary_average",
            mean=fmt.number(float(average["mean_score"].mean()), 1),
            count=int(average["coalitions"].max()),
        )
    return text + "."


def _gt(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and a > b


def scan_table(latest: Scan, previous: Scan | None, average: pd.DataFrame | None) -> pd.DataFrame:
    """Per dimension: the latest score (word), the previous one and the average of all coalitions (0–3)."""
    avg = average.set_index("dimension")["mean_score"] if average is not None and not average.empty else pd.Series()
    rows = []
    for d in SCORED:
        row = {
            t("selfscan.col_dimension"): label(d),
            t("selfscan.series_latest", date=fmt.date(latest.assessed_on)): score_word(latest.scores.get(d)),
        }
        if previous is not None:
            row[t("selfscan.series_previous", date=fmt.date(previous.assessed_on))] = score_word(previous.scores.get(d))
        value = avg.get(d)
        row[t("selfscan.col_average")] = fmt.number(None if value is None or pd.isna(value) else float(value), 1)
        rows.append(row)
    return pd.DataFrame(rows)


def average_table(store: Store) -> pd.DataFrame:
    """The all-coalition average per dimension for people (Dutch headers, nl numbers), for Pharos."""
    avg = average_by_dimension(store)
    return pd.DataFrame(
        {
            t("selfscan.col_dimension"): avg["label"],
            t("selfscan.col_average"): [fmt.number(v, 1) for v in avg["mean_score"]],
            t("selfscan.col_coalitions"): avg["coalitions"],
        }
    )
