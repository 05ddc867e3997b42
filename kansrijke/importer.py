"""Bring your own data: validate, compare with what is stored, write whole or not at all, undo.

The flow for every file: ``read_upload`` parses and validates it (nothing written), ``prepare``
compares its rows with the database on natural keys, ``apply`` writes the changes and the undo
information in ONE transaction, ``undo_last`` puts back what the most recent import replaced.
Re-importing the same file finds no changes and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import fmt
from .config import Config
from .i18n import t
from .ingest.common import ERROR, Limits, Parsed, Problem, Upload, read_sheets
from .ingest.indicators import looks_like_indicators, parse_indicators, template_indicators
from .ingest.plan import looks_like_plan, parse_plan, template_plan
from .store import Store

# Natural keys: a row with the same key is the same row (replaced by a newer file).
KEYS: dict[str, list[str]] = {
    "indicator_values": ["municipality_code", "indicator_id", "period"],
    "coalitions": ["id"],
    "coalition_members": ["coalition_id", "municipality_code"],
    "ambitions": ["id"],
    "goals": ["id"],
    "results": ["id"],
    "actions": ["coalition_id", "action_date", "title"],
}
# Columns the database fills itself; they take no part in deciding whether a row changed.
OWN_COLUMNS = {"actions": ["id", "created_at", "version"]}


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
        return {
            "bestand": self.upload.name,
            "soort": self.parsed.kind,
            "geldig": self.parsed.ok,
            "fouten": [p.as_dict() for p in in_reading_order(self.parsed.errors)],
            "waarschuwingen": [p.as_dict() for p in in_reading_order(self.parsed.warnings)],
            "overgeslagen": self.parsed.skipped,
            "rijen": {"toegevoegd": self.counts["added"], "gewijzigd": self.counts["changed"],
                      "verwijderd": self.counts["removed"]},
        }


# -- reading ---------------------------------------------------------------------------------------
def read_upload(upload: Upload, config: Config, municipalities: pd.DataFrame) -> Parsed:
    """Parse and validate one file of any supported kind. Writes nothing."""
    if upload.suffix in ("yaml", "yml"):
        return parse_plan(upload, config, municipalities)  # only plans are written as YAML
    limits = Limits(int(config.imports.max_file_mb * 1_000_000), config.imports.max_rows)
    sheets, problems = read_sheets(upload, limits)
    if not sheets:
        return Parsed(upload.name, "onbekend", problems=problems)
    parser = parse_plan if looks_like_plan(sheets) else parse_indicators if looks_like_indicators(sheets) else None
    del sheets
    if parser is not None:
        parsed = parser(upload, config, municipalities)
        upload._read.clear()  # the cells are in the parsed tables now
        return parsed
    parsed = Parsed(upload.name, "onbekend", problems=problems)
    parsed.add(ERROR, t("importer.unknown_content"))
    return parsed


def prepare(store: Store, config: Config, upload: Upload) -> Prepared:
    """Validate a file and, when valid, compare it with the database."""
    municipalities = store.query("municipalities")[["code", "name"]]
    parsed = read_upload(upload, config, municipalities)
    prepared = Prepared(upload, parsed)
    if parsed.ok:
        prepared.changes = [_compare(store, table, frame, parsed) for table, frame in parsed.tables.items()]
    return prepared


def _existing(store: Store, table: str, incoming: pd.DataFrame, parsed: Parsed) -> pd.DataFrame:
    """The stored rows this file covers: its own keys, or for a plan everything of its coalition."""
    coalition = parsed.scope.get("coalition_id")
    if coalition is None:
        return store.rows_matching(table, incoming[KEYS[table]].drop_duplicates())
    if table in ("coalitions",):
        return store.rows_matching(table, pd.DataFrame({"id": [coalition]}))
    if table in ("coalition_members", "ambitions", "actions"):
        return store.rows_matching(table, pd.DataFrame({"coalition_id": [coalition]}))
    ambitions = store.rows_matching("ambitions", pd.DataFrame({"coalition_id": [coalition]}))["id"]
    ids = pd.concat([ambitions, incoming["ambition_id"]]).drop_duplicates()
    return store.rows_matching(table, pd.DataFrame({"ambition_id": ids.astype(str)}))


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
        return series.map(lambda v: None if v is None else tuple(str(x) for x in v)).astype(object)
    if len(sample) and all(isinstance(v, (int, float, np.number)) for v in sample.iloc[:50]):
        return pd.to_numeric(series, errors="coerce").astype(float)
    return series.astype(object).where(series.notna(), None)


def _same(new: pd.Series, old: pd.Series) -> np.ndarray:
    """Element-wise 'means the same', with NULL equal to NULL and floats equal up to rounding noise."""
    a, b = _comparable(new), _comparable(old)
    both_missing = (a.isna() & b.isna()).to_numpy()
    if a.dtype == float and b.dtype == float:
        close = np.isclose(a.to_numpy(), b.to_numpy(), rtol=1e-9, atol=1e-9)
        return both_missing | close
    equal = np.array([x == y for x, y in zip(a.to_numpy(object), b.to_numpy(object), strict=True)], dtype=bool) \
        if a.dtype == object or b.dtype == object else (a.to_numpy() == b.to_numpy())
    return both_missing | (equal & ~(a.isna() | b.isna()).to_numpy())


def _compare(store: Store, table: str, incoming: pd.DataFrame, parsed: Parsed) -> TableChange:
    """Split a file's rows into added and changed (with the rows they replace), and the removed rows."""
    keys = KEYS[table]
    existing = _existing(store, table, incoming, parsed).reset_index(drop=True)
    incoming = incoming.reset_index(drop=True)
    compare_cols = [c for c in incoming.columns if c not in keys and c not in OWN_COLUMNS.get(table, [])]
    left = incoming[keys].astype(str).assign(_new=np.arange(len(incoming)))
    right = existing[keys].astype(str).assign(_old=np.arange(len(existing)))
    merged = left.merge(right, on=keys, how="outer", indicator=True)
    both = merged[merged["_merge"] == "both"]
    new_idx = both["_new"].astype(int).to_numpy()
    old_idx = both["_old"].astype(int).to_numpy()
    same = np.ones(len(both), dtype=bool)
    for col in compare_cols:
        same &= _same(incoming[col].iloc[new_idx].reset_index(drop=True),
                      existing[col].iloc[old_idx].reset_index(drop=True))
    added = incoming.iloc[merged.loc[merged["_merge"] == "left_only", "_new"].astype(int)].copy()
    changed_new = incoming.iloc[new_idx[~same]].copy()
    changed_old = existing.iloc[old_idx[~same]].copy()
    removed = existing.iloc[merged.loc[merged["_merge"] == "right_only", "_old"].astype(int)].copy()
    if not parsed.scope.get("coalition_id"):
        removed = existing.iloc[0:0].copy()  # an indicator file replaces only what it covers
    if table == "actions":  # keep the stored id of a changed action, give new ones the next ids later
        changed_new["id"] = changed_old["id"].to_numpy()
        changed_new["version"] = changed_old["version"].to_numpy() + 1
        changed_new["created_at"] = changed_old["created_at"].to_numpy()
    return TableChange(table, added, changed_new, changed_old, removed)


# -- writing ---------------------------------------------------------------------------------------
def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(buffer, index=False)
    return buffer.getvalue()


def _unparquet(data: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(data))


def apply(store: Store, prepared: Prepared, who: str | None = None) -> int | None:
    """Write a prepared, valid file in one transaction; return the import's id (None: nothing to do)."""
    if not prepared.parsed.ok:
        raise ValueError("refusing to write a file with errors")
    if not prepared.has_changes:
        return None
    # Order matters only for the deletes of replaced plan rows; links are checked at commit.
    counts = prepared.counts
    details = {"scope": prepared.parsed.scope, "skipped": prepared.parsed.skipped,
               "warnings": len(prepared.parsed.warnings)}
    with store.write() as w:
        import_id = w.next_id("import_log")
        w.insert_df("import_log", pd.DataFrame([{
            "id": import_id, "file_name": prepared.upload.name, "content_hash": prepared.upload.sha256,
            "imported_by": who, "imported_at": pd.Timestamp.now(), "kind": prepared.parsed.kind,
            "rows_added": counts["added"], "rows_changed": counts["changed"], "rows_removed": counts["removed"],
            "outcome": "geimporteerd", "details": json.dumps(details, ensure_ascii=False, default=str),
        }]))
        for change in prepared.changes:
            written = change.written
            if change.table == "actions" and len(change.added):
                first = w.next_id("actions")
                ids = np.arange(first, first + len(change.added))
                added = change.added.assign(id=ids, version=1, created_at=pd.Timestamp.now())
                written = pd.concat([change.changed_new, added], ignore_index=True)
            keys = KEYS[change.table] if change.table != "actions" else ["id"]
            w.delete_keys(change.table, change.replaced[keys] if len(change.replaced) else change.replaced)
            if len(written):
                w.insert_df(change.table, written)
            w.insert_df("import_undo", pd.DataFrame([{
                "import_id": import_id, "table_name": change.table,
                "new_keys": _parquet(written[keys]), "old_rows": _parquet(change.replaced),
            }]))
    return import_id


def undo_last(store: Store) -> dict | None:
    """Put back what the most recent (not yet undone) import replaced. None when there is nothing to undo."""
    last = store.query("last_import")
    if last.empty:
        return None
    import_id = int(last.iloc[0]["id"])
    parts = store.query("import_undo_rows", {"import_id": import_id})
    with store.write() as w:
        for row in parts.itertuples():
            new_keys = _unparquet(row.new_keys)
            old_rows = _unparquet(row.old_rows)
            w.delete_keys(row.table_name, new_keys)
            if len(old_rows):
                w.delete_keys(row.table_name, old_rows[list(new_keys.columns)])
                w.insert_df(row.table_name, old_rows)
        w.run("mark_undone", {"import_id": import_id})
    return {"id": import_id, "file_name": last.iloc[0]["file_name"]}


def history(store: Store) -> pd.DataFrame:
    return store.query("import_history")


def problem_lines(problems: list[Problem]) -> list[str]:
    return [p.text() for p in problems]


def report_lines(prepared: Prepared) -> list[str]:
    """A file's validation report as Dutch lines (for the CLI; the page renders the same facts)."""
    parsed, counts = prepared.parsed, prepared.counts
    if parsed.ok:
        head = t("importer.summary_ok", file=prepared.upload.name, kind=t(f"importer.kind.{parsed.kind}"),
                 added=counts["added"], changed=counts["changed"], removed=counts["removed"])
    else:
        head = t("importer.summary_errors", file=prepared.upload.name, kind=t(f"importer.kind.{parsed.kind}"),
                 errors=len(parsed.errors))
    lines = [head]
    lines += [f"  {t('importer.skipped', count=n, reason=reason)}" for reason, n in parsed.skipped.items()]
    lines += [f"  {t('importer.error')}: {p.text()}" for p in in_reading_order(parsed.errors)]
    lines += [f"  {t('importer.warning')}: {p.text()}" for p in in_reading_order(parsed.warnings)]
    return lines


# -- templates -------------------------------------------------------------------------------------
TEMPLATE_FORMATS = {"indicatoren": ("csv", "xlsx"), "statline": ("csv",), "coalitie": ("xlsx", "yaml")}


def template(kind: str, file_format: str, config: Config) -> bytes:
    """An example file of ``kind`` (indicatoren, statline, coalitie) in ``file_format``; ValueError if unknown."""
    if file_format not in TEMPLATE_FORMATS.get(kind, ()):
        raise ValueError(t("importer.template_unknown", kind=kind, format=file_format,
                           allowed=", ".join(f"{k} (.{'/.'.join(v)})" for k, v in TEMPLATE_FORMATS.items())))
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
    sample = {"LevendGeborenKinderen_1": ["167504", "8010", "1823"],
              "InEenouderhuishouden_4": ["7210", "521", "96"],
              "MinderjarigenInHuishoudenMetLaagInkomen_1": ["6,2", "11,4", "8,9"]}
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
    rows = [{t("importer.col.severity"): p.severity, t("importer.col.sheet"): p.sheet or "",
             t("importer.col.row"): p.row, t("importer.col.column"): p.column or "",
             t("importer.col.value"): p.value or "", t("importer.col.message"): p.message} for p in problems]
    return pd.DataFrame(rows, columns=[t(f"importer.col.{c}") for c in
                                       ("severity", "sheet", "row", "column", "value", "message")])


def history_table(store: Store) -> pd.DataFrame:
    """The import log for people: when, file, kind, who, rows added/changed/removed, outcome."""
    log = history(store)
    return pd.DataFrame({
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
    })
