"""Bring your own data: validate, compare with what is stored, write whole or not at all, undo.

The flow for every file: ``read_upload`` parses and validates it (nothing written), ``prepare``
compares its rows with the database on natural keys, ``apply`` writes the changes and the undo
information in ONE transaction, ``undo_last`` puts back what the most recent import replaced.
Re-importing the same file finds no changes and writes nothing.

A coalition plan is prepared in one of two modes (``plan.MODES``): ``BIJWERKEN`` adds and changes what the file
has and removes nothing; ``VERVANGEN`` (what ``prepare`` gives unless told otherwise: the file is the whole
plan) also removes what the file does not mention, and unlinks the parents' signals of removed goals and
ambitions (they stay with the coalition). ``in_mode`` turns one into the other without reading the database
again; ``removals`` lists what VERVANGEN removes (and BIJWERKEN keeps), ``confirms`` checks the confirmation a
person types (the coalition's name or id) before a plan loses anything. People get BIJWERKEN unless they
choose VERVANGEN (page Gegevens, ``import --vervang``). The template's example (``plan.is_template``) is
prepared with no changes: importing it writes nothing.

Who may write (``access_needed``): a coalition plan needs the permission "plan" for every coalition it touches,
or only "actions" when all it changes is actions; indicator figures (all municipalities) need "figures".
``apply(store, prepared, person)`` and ``undo_last(store, person)`` check it (``access.require``) before
anything is written; the import log stores ``person.identity`` as ``imported_by`` and the permission with its
coalitions in ``details.access``, so undo asks for the same permission.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kansrijke import access
from kansrijke.core import fmt
from kansrijke.core.config import Config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.dataio.ingest.common import ERROR, Limits, Parsed, Problem, Upload, read_sheets, release_memory
from kansrijke.dataio.ingest.indicators import looks_like_indicators, parse_indicators, template_indicators
from kansrijke.dataio.ingest.plan import (
    BIJWERKEN,
    MODES,
    TEMPLATE_ID,
    VERVANGEN,
    Denominators,
    is_template,
    looks_like_plan,
    parse_plan,
    template_plan,
)
from kansrijke.dataio.ingest.plan import KIND as PLAN
from kansrijke.dataio.start import refuse_demo_import

# Natural keys: a row with the same key is the same row (replaced by a newer file).
KEYS: dict[str, list[str]] = {
    "indicator_values": ["municipality_code", "indicator_id", "period"],
    "coalitions": ["id"],
    "coalition_members": ["coalition_id", "municipality_code"],
    "ambitions": ["id"],
    "goals": ["id"],
    "results": ["id"],
    "actions": ["coalition_id", "action_date", "title"],
    "parent_signals": ["id"],  # only their links change: unlinked from what a replaced plan removes
}
# What a replaced plan can lose, in the order a person reads it (the parts ``removals`` lists).
PLAN_PARTS = ("ambitions", "goals", "results", "actions", "coalition_members")
# Columns the database fills itself; they take no part in deciding whether a row changed.
OWN_COLUMNS = {"actions": ["id", "created_at", "version"]}
# From this many rows on, comparing or writing frees enough memory to hand it back to the OS (release_memory).
LARGE = 10_000


@dataclass
class TableChange:
    table: str
    added: pd.DataFrame
    changed_new: pd.DataFrame
    changed_old: pd.DataFrame
    removed: pd.DataFrame

    @property
    def written(self) -> pd.DataFrame:
        return pd.concat([self.changed_new, self.added], ignore_index=True)

    @property
    def replaced(self) -> pd.DataFrame:
        return pd.concat([self.changed_old, self.removed], ignore_index=True)


@dataclass
class Prepared:
    """A validated file and what importing it would change."""

    upload: Upload
    parsed: Parsed
    changes: list[TableChange] = field(default_factory=list)
    mode: str = VERVANGEN  # a plan's mode (``plan.MODES``); other files replace only the rows they have
    kept: list[TableChange] = field(default_factory=list)  # BIJWERKEN: what VERVANGEN would also change
    template: bool = False  # the template's unchanged example: prepared with no changes, never written
    coalition: dict[str, str] = field(default_factory=dict)  # a plan's stored coalition: id, name (none: new)
    names: dict[str, str] = field(default_factory=dict)  # municipality code -> name, for listing removed members

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": sum(len(c.added) for c in self.changes),
            "changed": sum(len(c.changed_new) for c in self.changes),
            "removed": sum(len(c.removed) for c in self.changes),
        }

    @property
    def has_changes(self) -> bool:
        return any(self.counts.values())

    def report(self) -> dict:
        out = {
            "bestand": self.upload.name,
            "soort": self.parsed.kind,
            "geldig": self.parsed.ok,
            "fouten": [p.as_dict() for p in in_reading_order(self.parsed.errors)],
            "waarschuwingen": [p.as_dict() for p in in_reading_order(self.parsed.warnings)],
            "overgeslagen": self.parsed.skipped,
            "rijen": {
                "toegevoegd": self.counts["added"],
                "gewijzigd": self.counts["changed"],
                "verwijderd": self.counts["removed"],
            },
        }
        if self.parsed.kind == PLAN:  # the mode, and what the file does not mention: removed or kept
            items = [
                {"soort": t(f"plansafe.one.{row.part}"), "code": row.code, "titel": row.title}
                for row in removals(self).itertuples(index=False)
            ]
            out |= {
                "modus": self.mode,
                "sjabloon": self.template,
                "verwijderd": items if self.mode == VERVANGEN else [],
                "bewaard": items if self.mode == BIJWERKEN else [],
            }
        return out


# -- reading ---------------------------------------------------------------------------------------
def read_upload(
    upload: Upload, config: Config, municipalities: pd.DataFrame, denominators: Denominators | None = None
) -> Parsed:
    """Parse and validate one file of any supported kind. Writes nothing. ``denominators``: see ``parse_plan``."""
    if upload.suffix in ("yaml", "yml"):
        return parse_plan(upload, config, municipalities, denominators)  # only plans are written as YAML
    limits = Limits.from_config(config.imports)
    sheets, problems = read_sheets(upload, limits)
    if not sheets:
        return Parsed(upload.name, "onbekend", problems=problems)
    plan = looks_like_plan(sheets)
    parser = parse_plan if plan else parse_indicators if looks_like_indicators(sheets) else None
    del sheets
    if parser is not None:
        parsed = (
            parse_plan(upload, config, municipalities, denominators)
            if plan
            else parse_indicators(upload, config, municipalities)
        )
        upload._read.clear()  # the cells are in the parsed tables now
        return parsed
    parsed = Parsed(upload.name, "onbekend", problems=problems)
    parsed.add(ERROR, t("importer.unknown_content"))
    return parsed


def prepare(store: Store, config: Config, upload: Upload, mode: str = VERVANGEN) -> Prepared:
    """Validate a file and, when valid, compare it with the database. Refused on a demo file (DemoImportRefused).

    ``mode`` matters for a coalition plan only (see the module docstring); people get ``BIJWERKEN`` unless they
    choose otherwise, so the page and the CLI always pass it."""
    refuse_demo_import(store)  # own figures never land among fictitious ones (dataio/start.py)
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    municipalities = store.query("municipalities")[["code", "name"]]
    parsed = read_upload(upload, config, municipalities, stored_denominators(store))
    prepared = Prepared(upload, parsed, mode=mode)
    if not parsed.ok:
        return prepared
    if parsed.kind == PLAN and is_template(parsed.tables):
        return replace(prepared, template=True)  # the example is never written, not even compared
    changes = [_compare(store, table, frame, parsed) for table, frame in parsed.tables.items()]
    prepared = replace(prepared, changes=changes)
    if parsed.kind == PLAN:  # compared as the whole plan (vervangen), then put in the mode asked for
        prepared = _plan_context(store, replace(prepared, mode=VERVANGEN), municipalities)
    return in_mode(prepared, mode)


def _plan_context(store: Store, prepared: Prepared, municipalities: pd.DataFrame) -> Prepared:
    """A replacing plan with what a person needs to confirm it (the stored coalition, member names) and the
    parents' signals it unlinks from the goals and ambitions it removes."""
    coalition_id = str(prepared.parsed.scope["coalition_id"])
    stored = store.rows_matching("coalitions", pd.DataFrame({"id": [coalition_id]}))
    coalition = {} if stored.empty else {"id": coalition_id, "name": str(stored.iloc[0]["name"])}
    removed = {c.table: c.removed for c in prepared.changes}
    codes = set(removed["coalition_members"]["municipality_code"].astype(str))
    names = {str(c): str(n) for c, n in zip(municipalities["code"], municipalities["name"], strict=True) if c in codes}
    changes = list(prepared.changes)
    signals = _unlinked_signals(store, coalition_id, removed)
    if signals is not None:
        changes.append(signals)
    return replace(prepared, changes=changes, coalition=coalition, names=names)


def _unlinked_signals(store: Store, coalition_id: str, removed: dict[str, pd.DataFrame]) -> TableChange | None:
    """Parents' signals linked to a goal or ambition the plan removes: kept with the coalition, the link to
    what goes cleared (None: no such signal)."""
    goals = set(removed["goals"]["id"].astype(str)) if "goals" in removed else set()
    ambitions = set(removed["ambitions"]["id"].astype(str)) if "ambitions" in removed else set()
    if not goals and not ambitions:
        return None
    signals = store.rows_matching("parent_signals", pd.DataFrame({"coalition_id": [coalition_id]}))
    lost_goal = signals["goal_id"].isin(goals).to_numpy()
    lost_ambition = signals["ambition_id"].isin(ambitions).to_numpy()
    old = signals[lost_goal | lost_ambition].reset_index(drop=True)
    if old.empty:
        return None
    new = old.copy()
    new["goal_id"] = pd.Series([None if g in goals else g for g in old["goal_id"]], dtype=object)
    new["ambition_id"] = pd.Series([None if a in ambitions else a for a in old["ambition_id"]], dtype=object)
    return TableChange("parent_signals", old.iloc[0:0], new, old, old.iloc[0:0])


def in_mode(prepared: Prepared, mode: str) -> Prepared:
    """The same prepared file in ``mode`` (``plan.MODES``), without reading the database again: BIJWERKEN leaves
    out every removal (and the signals' unlinking) that VERVANGEN does. Files other than plans stay as they are."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    if prepared.parsed.kind != PLAN or mode == prepared.mode:
        return prepared
    full = _replacing(prepared)
    if mode == VERVANGEN:
        return replace(prepared, changes=full, kept=[], mode=mode)
    changes, kept = [], []
    for change in full:
        if change.table == "parent_signals":  # their links stay as they are
            kept.append(change)
        elif len(change.removed):
            nothing = change.removed.iloc[0:0]
            changes.append(replace(change, removed=nothing))
            kept.append(TableChange(change.table, nothing, nothing, nothing, change.removed))
        else:
            changes.append(change)
    return replace(prepared, changes=changes, kept=kept, mode=mode)


def _replacing(prepared: Prepared) -> list[TableChange]:
    """A plan's changes as VERVANGEN writes them (whatever its mode)."""
    if prepared.mode == VERVANGEN:
        return prepared.changes
    kept = {c.table: c for c in prepared.kept}
    full = [replace(c, removed=kept.pop(c.table).removed) if c.table in kept else c for c in prepared.changes]
    return full + list(kept.values())


def removals(prepared: Prepared) -> pd.DataFrame:
    """What VERVANGEN removes from the stored plan (and BIJWERKEN keeps): one row per item with ``part`` (a
    table of ``PLAN_PARTS``), ``code`` (the short id, an action's date, a municipality code) and ``title``, in
    reading order. Empty for other files, a new coalition, or a file that mentions everything stored."""
    rows: list[dict[str, str]] = []
    coalition_id = str(prepared.parsed.scope.get("coalition_id") or "")
    gone = {c.table: c.removed for c in _replacing(prepared)} if prepared.parsed.kind == PLAN else {}
    for part in PLAN_PARTS:
        frame = gone.get(part)
        if frame is None or frame.empty:
            continue
        if part == "actions":
            frame = frame.sort_values(["action_date", "title"])
            rows += [
                {"part": part, "code": fmt.day(d), "title": str(title)}
                for d, title in zip(frame["action_date"], frame["title"], strict=True)
            ]
        elif part == "coalition_members":
            rows += [
                {"part": part, "code": str(code), "title": prepared.names.get(str(code), str(code))}
                for code in sorted(frame["municipality_code"].astype(str))
            ]
        else:
            frame = frame.sort_values("id")
            rows += [
                {"part": part, "code": _short(coalition_id, str(i)), "title": str(title)}
                for i, title in zip(frame["id"], frame["title"], strict=True)
            ]
    return pd.DataFrame(rows, columns=["part", "code", "title"])


def _short(coalition_id: str, full: str) -> str:
    prefix = f"{coalition_id}-"
    return full[len(prefix) :] if coalition_id and full.startswith(prefix) else full


def removal_summary(items: pd.DataFrame) -> str:
    """``2 ambities, 3 doelen en 114 acties``: how many of each part (``removals``)."""
    counts = items["part"].value_counts()
    parts = [t(f"plansafe.count.{part}", count=int(counts[part])) for part in PLAN_PARTS if part in counts]
    return parts[0] if len(parts) == 1 else t("plansafe.and", first=", ".join(parts[:-1]), last=parts[-1])


def removal_table(items: pd.DataFrame) -> pd.DataFrame:
    """``removals`` for people: Onderdeel, Code, Titel (titles are the user's own text: shown in a table)."""
    return pd.DataFrame(
        {
            t("plansafe.col.part"): [t(f"plansafe.one.{part}") for part in items["part"]],
            t("plansafe.col.code"): items["code"],
            t("plansafe.col.title"): items["title"],
        }
    )


def coalition_label(prepared: Prepared) -> str:
    """The stored coalition a plan is for, as people know it: ``Coalitie Kansrijke Start Amsterdam (KS-GM0363)``."""
    stored = prepared.coalition
    return f"{stored['name']} ({stored['id']})" if stored else str(prepared.parsed.scope.get("coalition_id") or "")


def needs_confirmation(prepared: Prepared) -> bool:
    """Whether importing this file as prepared removes part of a stored plan (then a person confirms first)."""
    return prepared.parsed.kind == PLAN and prepared.mode == VERVANGEN and not removals(prepared).empty


def confirms(prepared: Prepared, typed: str | None) -> bool:
    """Whether ``typed`` names the coalition whose plan loses parts: its stored name or id (spaces and case do
    not matter). Always True when nothing is removed."""
    if not needs_confirmation(prepared):
        return True
    said = " ".join((typed or "").split()).casefold()
    return bool(said) and said in {" ".join(v.split()).casefold() for v in prepared.coalition.values()}


def removes_more(prepared: Prepared, shown: Prepared) -> bool:
    """Whether ``prepared`` (the same file prepared again, after other files) removes anything ``shown`` (what a
    person confirmed) did not list."""
    if not needs_confirmation(prepared):
        return False
    confirmed = set(map(tuple, removals(shown).to_numpy().tolist())) if shown.mode == VERVANGEN else set()
    return not set(map(tuple, removals(prepared).to_numpy().tolist())) <= confirmed


def plan_lines(prepared: Prepared) -> list[str]:
    """What a plan file does to the parts of the stored plan it does not mention, as Dutch lines (the CLI; the
    page shows the same facts): removed (VERVANGEN) or kept (BIJWERKEN), counted and one line per item.
    The template's example says that nothing is imported. Empty for other files."""
    if prepared.parsed.kind != PLAN or not prepared.parsed.ok:
        return []
    if prepared.template:
        return [f"  {template_message(prepared)}"]
    items = removals(prepared)
    if items.empty:
        return []
    key = "plansafe.removes" if prepared.mode == VERVANGEN else "plansafe.keeps"
    lines = [f"  {t(key, coalition=coalition_label(prepared), summary=removal_summary(items))}"]
    lines += [f"    - {t(f'plansafe.one.{row.part}')} {row.code}: {row.title}" for row in items.itertuples(index=False)]
    return lines


def template_message(prepared: Prepared, file: str | None = None) -> str:
    """Why the template's example is not imported, and what to fill in instead (``file``: the file's name as it
    is to be shown, e.g. escaped for Markdown)."""
    first = prepared.parsed.tables["coalition_members"]["municipality_code"].iloc[0]  # a plan has a member
    name = prepared.upload.name if file is None else file
    return t("plansafe.template_refused", file=name, id=TEMPLATE_ID, example=f"KS-{first}")


def stored_denominators(store: Store) -> Denominators:
    """The stored yearly denominators of an area (oldest first), for checking a plan's targets against what
    its figures can show; one query per area and indicator."""
    memo: dict[tuple[tuple[str, ...], str], list[float]] = {}

    def lookup(codes: list[str], indicator_id: str) -> list[float]:
        key = (tuple(sorted(codes)), indicator_id)
        if key not in memo:
            rows = store.query("pooled_series", {"codes": list(key[0]), "indicators": [indicator_id], "hidden": []})
            memo[key] = [float(d) for d in rows["denominator"].dropna()]
        return memo[key]

    return lookup


def _existing(store: Store, table: str, incoming: pd.DataFrame, parsed: Parsed) -> pd.DataFrame:
    """The stored rows this file covers: its own keys, or for a plan everything of its coalition."""
    coalition = parsed.scope.get("coalition_id")
    if coalition is None:
        return store.rows_matching(table, incoming[KEYS[table]].drop_duplicates())
    if table in ("coalitions",):
        return store.rows_matching(table, pd.DataFrame({"id": [coalition]}))
    if table == "actions":
        return _stored_actions(store, coalition)
    if table in ("coalition_members", "ambitions"):
        return store.rows_matching(table, pd.DataFrame({"coalition_id": [coalition]}))
    ambitions = store.rows_matching("ambitions", pd.DataFrame({"coalition_id": [coalition]}))["id"]
    ids = pd.concat([ambitions, incoming["ambition_id"]]).drop_duplicates()
    return store.rows_matching(table, pd.DataFrame({"ambition_id": ids.astype(str)}))


def _stored_actions(store: Store, coalition_id: str) -> pd.DataFrame:
    """A coalition's stored actions as ``store.rows_matching`` gives them (same columns, values and types), except
    that the lists (principles, partners) stay Arrow lists instead of one numpy array per cell. Read through
    Arrow: for a log of 100,000 actions several times faster and some 150 MB smaller than DuckDB's own pandas."""
    rows = store.query("import_stored_actions", {"coalition_id": coalition_id}, arrow=True)
    everything = pa.array(np.arange(rows.num_rows))
    for i, column in enumerate(rows.schema):
        if pa.types.is_date32(column.type):  # DATE: datetime64[us], as DuckDB gives it
            rows = rows.set_column(i, column.name, rows[column.name].cast(pa.timestamp("us")))
        elif _is_list_type(column.type):  # kept as Arrow below: a copy of our own, not memory DuckDB lent out
            rows = rows.set_column(i, column.name, rows[column.name].take(everything))
    frame = rows.to_pandas(
        types_mapper=lambda kind: pd.ArrowDtype(kind) if _is_list_type(kind) else None, use_threads=False
    )  # single-threaded, see _parquet
    del rows
    for name in frame.columns:  # a text column without any value: object None, as DuckDB gives it
        if isinstance(frame[name].dtype, pd.StringDtype) and frame[name].isna().all():
            frame[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame


def _texts(value: object) -> tuple[str, ...] | None:
    """A list cell as a tuple of texts (None stays None). Numpy arrays of whole numbers, booleans, objects or text
    become Python values first: their text is the same and that is much faster than ``str`` of numpy scalars."""
    if value is None or value is pd.NA:  # pd.NA: a missing Arrow list
        return None
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuOU":
        value = value.tolist()
    return tuple(map(str, value))  # type: ignore[call-overload]


def _comparable(series: pd.Series) -> pd.Series:
    """A column in a form where stored and incoming values compare equal when they mean the same."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype("datetime64[us]")
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    sample = series.dropna()
    first = sample.iloc[0] if len(sample) else None
    if isinstance(first, (dt.date, pd.Timestamp)):
        return pd.to_datetime(series, errors="coerce").astype("datetime64[us]")
    if isinstance(first, (list, tuple, np.ndarray)):
        if isinstance(series.dtype, pd.ArrowDtype):  # Arrow lists: mapped as plain values, not back into Arrow
            series = pd.Series(series.to_numpy(object), index=series.index, dtype=object)
        return series.map(_texts).astype(object)
    if len(sample) and all(isinstance(v, (int, float, np.number)) for v in sample.iloc[:50]):
        return pd.to_numeric(series, errors="coerce").astype(float)
    return series.astype(object).where(series.notna(), None)


def _same(new: pd.Series, old: pd.Series) -> np.ndarray:
    """Element-wise 'means the same', with NULL equal to NULL and floats equal up to rounding noise."""
    if isinstance(new.dtype, pd.StringDtype) and isinstance(old.dtype, pd.StringDtype):  # text: compared in Arrow
        new, old = new.reset_index(drop=True), old.reset_index(drop=True)
        new_missing, old_missing = new.isna().to_numpy(), old.isna().to_numpy()
        equal = (new == old).to_numpy(dtype=bool, na_value=False)
        return (new_missing & old_missing) | (equal & ~(new_missing | old_missing))
    if _is_lists(new) and _is_lists(old):
        same = _lists_same(new, old)
        if same is not None:
            return same
    a, b = _comparable(new), _comparable(old)
    both_missing = (a.isna() & b.isna()).to_numpy()
    if a.dtype == float and b.dtype == float:
        close = np.isclose(a.to_numpy(), b.to_numpy(), rtol=1e-9, atol=1e-9)
        return both_missing | close
    if a.dtype == object or b.dtype == object:  # element by element, with Python's ==
        equal = (
            np.equal(a.to_numpy(object), b.to_numpy(object), dtype=object).astype(bool)
            if len(a)
            else np.zeros(0, dtype=bool)
        )
    else:
        equal = a.to_numpy() == b.to_numpy()
    return both_missing | (equal & ~(a.isna() | b.isna()).to_numpy())


def _is_lists(series: pd.Series) -> bool:
    """Whether ``_comparable`` takes a column for one of lists (by its first value)."""
    if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return False
    sample = series.dropna()
    first = sample.iloc[0] if len(sample) else None
    return not isinstance(first, (dt.date, pd.Timestamp)) and isinstance(first, (list, tuple, np.ndarray))


def _lists_same(new: pd.Series, old: pd.Series) -> np.ndarray | None:
    """``_same`` for two columns of lists, computed in Arrow: both missing, or the same number of items and item
    by item the same text (a missing item reads "None"). None when an item is not a whole number or text (then
    ``_comparable`` decides, one cell at a time)."""
    a, b = _arrow_lists(new), _arrow_lists(old)
    if a is None or b is None:
        return None
    for lists in (a, b):
        if not _is_list_type(lists.type):
            return None
        item = lists.type.value_type
        if not (pa.types.is_integer(item) or pa.types.is_string(item) or pa.types.is_null(item)):
            return None
    a_missing = a.is_null().to_numpy(zero_copy_only=False)
    b_missing = b.is_null().to_numpy(zero_copy_only=False)
    lengths_equal = pc.list_value_length(a).fill_null(-1).to_numpy() == pc.list_value_length(b).fill_null(-1).to_numpy()
    candidates = ~a_missing & ~b_missing & lengths_equal
    keep = pa.array(candidates)
    a, b = a.filter(keep), b.filter(keep)
    items_a = pc.list_flatten(a).cast(pa.string()).fill_null("None")
    items_b = pc.list_flatten(b).cast(pa.string()).fill_null("None")
    differ = pc.not_equal(items_a, items_b).to_numpy(zero_copy_only=False)
    rows = pc.list_parent_indices(a).to_numpy()[differ]  # rows (of the candidates) with an item that differs
    same_candidates = np.ones(len(a), dtype=bool)
    same_candidates[rows] = False
    same = a_missing & b_missing
    same[np.flatnonzero(candidates)] = same_candidates
    return same


def _is_list_type(kind) -> bool:  # noqa: ANN001 - a pyarrow DataType
    return pa.types.is_list(kind) or pa.types.is_large_list(kind)


def _arrow_lists(series: pd.Series):  # noqa: ANN202 - a pyarrow array
    """A column of lists as one Arrow array (None when Arrow cannot hold it as one)."""
    try:
        lists = pa.array(
            series.array if isinstance(series.dtype, pd.ArrowDtype) else series.to_numpy(object), from_pandas=False
        )
        if isinstance(lists, pa.ChunkedArray):
            lists = lists.combine_chunks()
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    return lists


def _match(left: pd.DataFrame, right: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pair rows of two frames of key columns, compared as text, exactly as an outer merge pairs them and in
    its order (by key): positions of the pairs in left and in right, of the rows only in left, only in right.

    Each key column is numbered in sorted order over both frames, and the numbers combine into one integer per
    row; that is an order of magnitude faster than merging on text. Keys that repeat within a frame or are
    missing take the merge itself."""
    left, right = left.astype(str), right.astype(str)
    count = len(left)
    combined = np.zeros(count + len(right), dtype=np.int64)
    room = 1
    for key in left.columns:
        codes, uniques = pd.factorize(pd.concat([left[key], right[key]], ignore_index=True), sort=True)
        room *= max(len(uniques), 1)
        if room >= 2**62 or (codes < 0).any():
            return _merge(left, right)
        combined = combined * max(len(uniques), 1) + codes
    new_keys, old_keys = combined[:count], combined[count:]
    if len(np.unique(new_keys)) < len(new_keys) or len(np.unique(old_keys)) < len(old_keys):
        return _merge(left, right)
    _, pairs_new, pairs_old = np.intersect1d(new_keys, old_keys, assume_unique=True, return_indices=True)
    only_new = np.flatnonzero(~np.isin(new_keys, old_keys, assume_unique=True))
    only_old = np.flatnonzero(~np.isin(old_keys, new_keys, assume_unique=True))
    return (
        pairs_new.astype(np.int64),
        pairs_old.astype(np.int64),
        only_new[np.argsort(new_keys[only_new], kind="stable")],
        only_old[np.argsort(old_keys[only_old], kind="stable")],
    )


def _merge(left: pd.DataFrame, right: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``_match`` by an outer merge of the keys as text (also when keys repeat or are missing)."""
    keys = list(left.columns)
    merged = left.assign(_new=np.arange(len(left))).merge(
        right.assign(_old=np.arange(len(right))), on=keys, how="outer", indicator=True
    )
    both = merged[merged["_merge"] == "both"]
    return (
        both["_new"].astype(int).to_numpy(),
        both["_old"].astype(int).to_numpy(),
        merged.loc[merged["_merge"] == "left_only", "_new"].astype(int).to_numpy(),
        merged.loc[merged["_merge"] == "right_only", "_old"].astype(int).to_numpy(),
    )


def _compare(store: Store, table: str, incoming: pd.DataFrame, parsed: Parsed) -> TableChange:
    """Split a file's rows into added and changed (with the rows they replace), and the removed rows."""
    large = len(incoming) >= LARGE
    if large:
        release_memory()  # what reading the file used and freed
    keys = KEYS[table]
    existing = _existing(store, table, incoming, parsed).reset_index(drop=True)
    incoming = incoming.reset_index(drop=True)
    compare_cols = [c for c in incoming.columns if c not in keys and c not in OWN_COLUMNS.get(table, [])]
    new_idx, old_idx, added_idx, removed_idx = _match(incoming[keys], existing[keys])
    same = np.ones(len(new_idx), dtype=bool)
    new_all, old_all = _in_order(new_idx, len(incoming)), _in_order(old_idx, len(existing))
    for col in compare_cols:
        same &= _same(
            incoming[col] if new_all else incoming[col].iloc[new_idx].reset_index(drop=True),
            existing[col] if old_all else existing[col].iloc[old_idx].reset_index(drop=True),
        )
    added = _rows(incoming, added_idx)
    changed_new = _rows(incoming, new_idx[~same])
    changed_old = _rows(existing, old_idx[~same])
    removed = _rows(existing, removed_idx)
    if not parsed.scope.get("coalition_id"):
        removed = existing.iloc[0:0]  # an indicator file replaces only what it covers
    del existing
    if table == "actions":  # keep the stored id of a changed action, give new ones the next ids later
        changed_new["id"] = changed_old["id"].to_numpy()
        changed_new["version"] = changed_old["version"].to_numpy() + 1
        changed_new["created_at"] = changed_old["created_at"].to_numpy()
    if large or len(changed_old) + len(removed) >= LARGE:
        release_memory()  # what comparing used and freed
    return TableChange(table, added, changed_new, changed_old, removed)


def _in_order(positions: np.ndarray, count: int) -> bool:
    """Whether ``positions`` are all ``count`` rows in order (taking them would only copy the rows)."""
    return len(positions) == count and np.array_equal(positions, np.arange(count))


def _rows(frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """``frame.iloc[positions]``, which copies the rows; when that is every row in order, the frame itself (a
    shallow copy: with copy-on-write, changing one never changes the other)."""
    return frame.copy(deep=False) if _in_order(positions, len(frame)) else frame.iloc[positions]


def _stacked(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """The rows of both (a new 0..n index), without copying them when one of the two has none."""
    if not len(second):
        return first.reset_index(drop=True)
    if not len(first):
        return second.reset_index(drop=True)
    return pd.concat([first, second], ignore_index=True)


# -- writing ---------------------------------------------------------------------------------------
def _parquet(frame: pd.DataFrame) -> bytes:
    """The frame as Parquet, byte for byte as ``to_parquet(index=False)`` writes it, but converted in this thread
    only: Arrow's pool (mimalloc) keeps memory per thread, and ``release_memory`` hands back this thread's."""
    rows = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False, nthreads=1)
    arrow_lists = {
        name
        for name in frame.columns
        if isinstance(frame[name].dtype, pd.ArrowDtype) and _is_list_type(frame[name].dtype.pyarrow_dtype)
    }
    if arrow_lists:  # pandas cannot read back the dtype name of an Arrow list: record it as what it reads, objects
        meta = json.loads(rows.schema.metadata[b"pandas"])
        for column in meta["columns"]:
            if column["name"] in arrow_lists:
                column["numpy_type"] = "object"
        rows = rows.replace_schema_metadata({**rows.schema.metadata, b"pandas": json.dumps(meta).encode()})
    buffer = io.BytesIO()
    pq.write_table(rows, buffer, compression="snappy")
    return buffer.getvalue()


def _unparquet(data: bytes, columns: list[str] | None = None) -> pd.DataFrame:
    """A Parquet blob (or some of its columns) as a frame of Arrow columns (no copy of the rows; DuckDB reads them
    in bulk), read single-threaded (see _parquet)."""
    rows = pq.read_table(io.BytesIO(data), columns=columns, use_threads=False)
    # The pandas metadata is not needed (every column becomes Arrow) and names dtypes pandas cannot parse back.
    return rows.to_pandas(types_mapper=pd.ArrowDtype, use_threads=False, ignore_metadata=True)


def _parquet_count(data: bytes) -> int:
    """The number of rows in a Parquet blob (read from its footer)."""
    return pq.ParquetFile(io.BytesIO(data)).metadata.num_rows


def _unparquet_parts(data: bytes, rows: int = 10_000) -> Iterator[pd.DataFrame]:
    """A Parquet blob as ``_unparquet`` gives it, ``rows`` rows at a time: decoding 100,000 rows at once takes
    about three times the memory of the rows themselves."""
    for batch in pq.ParquetFile(io.BytesIO(data)).iter_batches(batch_size=rows, use_threads=False):
        yield pa.Table.from_batches([batch]).to_pandas(
            types_mapper=pd.ArrowDtype, use_threads=False, ignore_metadata=True
        )


def _with_arrow_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its columns of Python lists as Arrow lists, which DuckDB reads in bulk instead of one
    Python list at a time (the values stay the same; a column Arrow cannot hold is left as it is)."""
    out = frame
    for name in frame.columns:
        if frame[name].dtype != object or not _is_lists(frame[name]):
            continue
        lists = _arrow_lists(frame[name])
        if lists is None or not _is_list_type(lists.type) or pa.types.is_null(lists.type.value_type):
            continue  # as it is; so are lists that are all empty (no item type to go by)
        if out is frame:
            out = frame.copy(deep=False)
        out[name] = pd.Series(pd.arrays.ArrowExtensionArray(lists), index=frame.index)
    return out


def access_needed(prepared: Prepared) -> tuple[str, list[str | None]]:
    """The permission importing this file needs and the coalitions it needs it for (``[None]``: not per
    coalition): see the module docstring."""
    if prepared.parsed.kind != PLAN:
        return "figures", [None]
    found = {str(prepared.parsed.scope["coalition_id"])} if prepared.parsed.scope.get("coalition_id") else set()
    tables = set()
    for change in prepared.changes:
        frames = (change.added, change.changed_new, change.changed_old, change.removed)
        if any(len(frame) for frame in frames):
            tables.add(change.table)
        for frame in frames:
            column = "id" if change.table == "coalitions" else "coalition_id"
            if column in frame.columns:
                found.update(str(c) for c in frame[column].dropna())
    permission = "actions" if tables == {"actions"} else "plan"
    return permission, sorted(found) or [None]


def _require(person: access.Person | None, permission: str, coalitions: list[str | None]) -> None:
    for coalition in coalitions:
        access.require(person, permission, coalition)


def apply(store: Store, prepared: Prepared, person: access.Person) -> int | None:
    """Write a prepared, valid file in one transaction; return the import's id (None: nothing to do)."""
    permission, coalitions = access_needed(prepared)
    _require(person, permission, coalitions)
    if not prepared.parsed.ok:
        raise ValueError("refusing to write a file with errors")
    if not prepared.has_changes:
        return None
    # Order matters only for the deletes of replaced plan rows; links are checked at commit.
    counts = prepared.counts
    details = {
        "scope": prepared.parsed.scope,
        "skipped": prepared.parsed.skipped,
        "warnings": len(prepared.parsed.warnings),
        "access": {"permission": permission, "coalitions": coalitions},
    }
    if prepared.parsed.kind == PLAN:
        details["mode"] = prepared.mode
    with store.write() as w:
        import_id = w.next_id("import_log")
        w.insert_df(
            "import_log",
            pd.DataFrame(
                [
                    {
                        "id": import_id,
                        "file_name": prepared.upload.name,
                        "content_hash": prepared.upload.sha256,
                        "imported_by": person.identity,
                        "imported_at": pd.Timestamp.now(),
                        "kind": prepared.parsed.kind,
                        "rows_added": counts["added"],
                        "rows_changed": counts["changed"],
                        "rows_removed": counts["removed"],
                        "outcome": "geimporteerd",
                        "details": json.dumps(details, ensure_ascii=False, default=str),
                    }
                ]
            ),
        )
        for change in prepared.changes:
            added = change.added
            if change.table == "actions" and len(added):
                first = w.next_id("actions")
                ids = np.arange(first, first + len(added))
                added = added.assign(id=ids, version=1, created_at=pd.Timestamp.now())
            written = _stacked(change.changed_new, added)  # change.written, with the new actions' ids
            replaced = _stacked(change.changed_old, change.removed)  # change.replaced
            keys = KEYS[change.table] if change.table != "actions" else ["id"]
            undo = pd.DataFrame(
                [
                    {
                        "import_id": import_id,
                        "table_name": change.table,
                        "new_keys": _parquet(written[keys]),
                        "old_rows": _parquet(replaced),
                    }
                ]
            )
            if len(written) + len(replaced) >= LARGE:
                release_memory()  # what the undo blobs took, before DuckDB's own peak (the write and its commit)
            w.delete_keys(change.table, replaced[keys] if len(replaced) else replaced)
            if len(written):
                w.insert_df(change.table, _with_arrow_lists(written))
            w.insert_df("import_undo", undo)
            del added, written, replaced, undo
    if counts["added"] + counts["changed"] + counts["removed"] >= LARGE:
        release_memory()
    return import_id


def last_import(store: Store) -> dict | None:
    """The most recent import that can still be undone (``id``, ``file_name``, ``imported_at``), or None."""
    last = store.query("last_import")
    return None if last.empty else last.iloc[0].to_dict()


def _undo_access(store: Store, import_id: int) -> tuple[str, list[str | None]]:
    """The permission (and coalitions) undoing an import needs: what importing it needed (``details.access``;
    for an import logged before it was kept: "plan" for the plan's coalition, "figures" for figures)."""
    row = store.query("import_access", {"id": import_id}).iloc[0]
    try:
        details = json.loads(row["details"]) if isinstance(row["details"], str) else {}
    except ValueError:
        details = {}
    needed = details.get("access") if isinstance(details, dict) else None
    if isinstance(needed, dict) and needed.get("permission") in access.PERMISSIONS:
        return str(needed["permission"]), list(needed.get("coalitions") or [None])
    if row["kind"] != PLAN:
        return "figures", [None]
    scope = details.get("scope") if isinstance(details, dict) else None
    coalition = scope.get("coalition_id") if isinstance(scope, dict) else None
    return "plan", [str(coalition) if coalition else None]


def undo_last(store: Store, person: access.Person) -> dict | None:
    """Put back what the most recent (not yet undone) import replaced. None when there is nothing to undo.
    Refused (``access.NotAllowed``) unless ``person`` may do what that import needed."""
    last = store.query("last_import")
    if last.empty:
        return None
    import_id = int(last.iloc[0]["id"])
    _require(person, *_undo_access(store, import_id))
    parts = store.query("import_undo_rows", {"import_id": import_id})
    size = 0
    with store.write() as w:
        for row in parts.itertuples():
            new_keys = _unparquet(row.new_keys)
            w.delete_keys(row.table_name, new_keys)
            old_count = _parquet_count(row.old_rows)
            if old_count:
                w.delete_keys(row.table_name, _unparquet(row.old_rows, list(new_keys.columns)))
                for old_rows in _unparquet_parts(row.old_rows):  # a large table part by part
                    w.insert_df(row.table_name, old_rows)
            size += len(new_keys) + old_count
        w.run("mark_undone", {"import_id": import_id})
    del parts
    if size >= LARGE:
        release_memory()
    return {"id": import_id, "file_name": last.iloc[0]["file_name"]}


def history(store: Store) -> pd.DataFrame:
    return store.query("import_history")


def problem_lines(problems: list[Problem]) -> list[str]:
    return [p.text() for p in problems]


def report_lines(prepared: Prepared) -> list[str]:
    """A file's validation report as Dutch lines (for the CLI; the page renders the same facts), ending for a
    plan with what it removes or keeps of the stored plan (``plan_lines``)."""
    parsed, counts = prepared.parsed, prepared.counts
    if parsed.ok:
        head = t(
            "importer.summary_ok",
            file=prepared.upload.name,
            kind=t(f"importer.kind.{parsed.kind}"),
            added=counts["added"],
            changed=counts["changed"],
            removed=counts["removed"],
        )
    else:
        head = t(
            "importer.summary_errors",
            file=prepared.upload.name,
            kind=t(f"importer.kind.{parsed.kind}"),
            count=len(parsed.errors),
        )
    lines = [head]
    lines += [f"  {t('importer.skipped', count=n, reason=reason)}" for reason, n in parsed.skipped.items()]
    lines += [f"  {t('importer.error')}: {p.text()}" for p in in_reading_order(parsed.errors)]
    lines += [f"  {t('importer.warning')}: {p.text()}" for p in in_reading_order(parsed.warnings)]
    return lines + plan_lines(prepared)


# -- templates -------------------------------------------------------------------------------------
TEMPLATE_FORMATS = {"indicatoren": ("csv", "xlsx"), "statline": ("csv",), "coalitie": ("xlsx", "yaml")}


def template(kind: str, file_format: str, config: Config) -> bytes:
    """An example file of ``kind`` (indicatoren, statline, coalitie) in ``file_format``; ValueError if unknown."""
    if file_format not in TEMPLATE_FORMATS.get(kind, ()):
        raise ValueError(
            t(
                "importer.template_unknown",
                kind=kind,
                format=file_format,
                allowed=", ".join(f"{k} (.{'/.'.join(v)})" for k, v in TEMPLATE_FORMATS.items()),
            )
        )
    if kind == "indicatoren":
        return template_indicators(file_format)
    if kind == "coalitie":
        return template_plan(file_format)
    return template_statline(config)


def template_statline(config: Config) -> bytes:
    """A small CBS StatLine-style download (wide, ``;``) with the measure columns config.yaml maps."""
    columns = list(dict.fromkeys(m.kolommen[0] for m in config.imports.statline))
    rows = [["ID", "RegioS", "Perioden", *columns]]
    for n, (region, period) in enumerate([("NL01  ", "2023JJ00"), ("GM0363", "2023JJ00"), ("GM0014", "2023JJ00")]):
        rows.append([str(n), region, period, *["" for _ in columns]])
    sample = {
        "LevendGeborenKinderen_1": ["167504", "8010", "1823"],
        "InEenouderhuishouden_4": ["7210", "521", "96"],
        "MinderjarigenInHuishoudenMetLaagInkomen_1": ["6,2", "11,4", "8,9"],
    }
    for i, column in enumerate(columns):
        for r, value in enumerate(sample.get(column, ["", "", ""])):
            rows[r + 1][3 + i] = value
    return ("\ufeff" + "\r\n".join(";".join(r) for r in rows) + "\r\n").encode("utf-8")


# -- tables for people (the page shows these; text is shown as written, never interpreted) --------------
def in_reading_order(problems: list[Problem]) -> list[Problem]:
    """Problems as a person reads the file: by sheet, then row (file-level problems first)."""
    return sorted(problems, key=lambda p: (p.sheet or "", -1 if p.row is None else p.row))


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """One row per problem with Dutch column names: where it is, the value and what was expected."""
    problems = in_reading_order(problems)
    rows = [
        {
            t("importer.col.severity"): p.severity,
            t("importer.col.sheet"): p.sheet or "",
            t("importer.col.row"): p.row,
            t("importer.col.column"): p.column or "",
            t("importer.col.value"): p.value or "",
            t("importer.col.message"): p.message,
        }
        for p in problems
    ]
    return pd.DataFrame(
        rows, columns=[t(f"importer.col.{c}") for c in ("severity", "sheet", "row", "column", "value", "message")]
    )


def history_table(store: Store) -> pd.DataFrame:
    """The import log for people: when, file, kind, who, rows added/changed/removed, outcome."""
    log = history(store)
    return pd.DataFrame(
        {
            t("importer.col.id"): log["id"],
            t("importer.col.when"): [fmt.moment(v) for v in log["imported_at"]],
            t("importer.col.file"): log["file_name"],
            t("importer.col.kind"): [t(f"importer.kind.{k}") for k in log["kind"]],
            t("importer.col.who"): log["imported_by"].fillna("–"),
            t("importer.col.added"): log["rows_added"],
            t("importer.col.changed"): log["rows_changed"],
            t("importer.col.removed"): log["rows_removed"],
            t("importer.col.outcome"): [t(f"importer.outcome.{o}") for o in log["outcome"]],
            t("importer.col.hash"): log["content_hash"].str[:12],
        }
    )
