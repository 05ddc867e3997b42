"""A coalition's plan as one file: an Excel workbook with five sheets, or the same content as YAML.

The workbook has the sheets ``Coalitie`` (one row), ``Ambities``, ``Doelen``, ``Resultaten`` and
``Acties`` with Dutch column names (matched case-insensitively; spaces and hyphens count as ``_``).
A YAML file has the same five sections (``coalitie`` a mapping, the others lists of items) with the
same keys. All five sheets/sections must be present (an empty one means "none").

How a file meets what is stored for its coalition is the import's mode (``MODES``, applied by the importer):
``BIJWERKEN`` adds and changes what the file has and keeps what it does not mention (nothing is removed; the
default on the page Gegevens and in the CLI); ``VERVANGEN`` takes the file as the coalition's *whole* plan, so
what it does not mention (ambitions, goals, results, actions, members) is removed, which a person confirms
first. The template's coalition (``TEMPLATE_ID``, "Voorbeeldcoalitie") never matches a stored one:
``is_template`` recognises the unchanged example (that id, or the example's name) and the importer writes
nothing for it.

``parse_plan`` is pure (no database, no Streamlit): it reads the file as text, validates everything
and reports ALL problems at once, each with file, sheet (section), row as Excel shows it (item number
for YAML), column, value and what was expected, in Dutch. Tables are only returned when there are no
errors. ``export_plan`` is its inverse, ``template_plan`` an export of a small example.

Ids in the file are the user's own short ids (``A1``, ``D1``, ``R1``) or full ids; stored ids are
``f"{coalition_id}-{short}"`` unless the value already starts with ``coalition_id + "-"``.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import openpyxl
import pandas as pd
import yaml
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kansrijke.actions import rules
from kansrijke.actions.rules import LEVELS, PRINCIPLES, STATUSES, partner_name
from kansrijke.core.config import Config, Indicator
from kansrijke.core.i18n import t
from kansrijke.dataio.ingest.common import (
    ERROR,
    WARNING,
    Limits,
    MunicipalityNames,
    Parsed,
    Refused,
    Upload,
    file_type,
    is_missing,
    municipality_names,
    normalise_header,
    parse_count,
    parse_date,
    parse_number,
    parse_period,
    parse_text,
    read_sheets,
    read_text,
    refused_problems,
)
from kansrijke.dataio.limits import check_yaml
from kansrijke.plan.detect import detectable_change

# (municipality codes, indicator id) -> the yearly pooled denominators, oldest first (given by the importer)
Denominators = Callable[[list[str], str], list[float]]

KIND = "coalitie"
BIJWERKEN = "bijwerken"  # add and change what the file has, keep what it does not mention
VERVANGEN = "vervangen"  # the file is the whole plan: what it does not mention is removed
MODES = (BIJWERKEN, VERVANGEN)  # the first is what people get unless they choose otherwise
TEMPLATE_ID = "KS-NIEUW"  # the template's coalition: no municipality code, so never a coalition of the monitor
SHEETS = ("Coalitie", "Ambities", "Doelen", "Resultaten", "Acties")
HELP_SHEET = "Uitleg"
PHASES = range(0, 6)
YEARS = range(1900, 2101)

# Per sheet: (column, required). The order is the order of the template's columns.
COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "Coalitie": (
        ("coalitie_id", True),
        ("naam", True),
        ("fase", True),
        ("startdatum", False),
        ("trekker", False),
        ("gemeenten", True),
    ),
    "Ambities": (("ambitie_id", True), ("titel", True), ("omschrijving", False), ("horizonjaar", False)),
    "Doelen": (
        ("doel_id", True),
        ("ambitie_id", True),
        ("titel", True),
        ("indicator", False),
        ("basiswaarde", False),
        ("basisjaar", False),
        ("streefwaarde", False),
        ("streefjaar", False),
        ("eigenaar", False),
    ),
    "Resultaten": (
        ("resultaat_id", True),
        ("ambitie_id", True),
        ("doel_id", False),
        ("titel", True),
        ("streefwaarde", True),
        ("gerealiseerd", False),
        ("eenheid", True),
        ("deadline", False),
        ("bijgewerkt_op", False),
    ),
    "Acties": (
        ("datum", True),
        ("titel", True),
        ("omschrijving", False),
        ("trekker", False),
        ("status", True),
        ("doel_id", False),
        ("principes", False),
        ("partners", False),
        ("niveau", False),
    ),
}
# The tables parse_plan returns and their columns (schema names).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "coalitions": ("id", "name", "phase", "start_date", "trekker"),
    "coalition_members": ("coalition_id", "municipality_code"),
    "ambitions": ("id", "coalition_id", "position", "title", "description", "horizon_year"),
    "goals": (
        "id",
        "ambition_id",
        "position",
        "title",
        "indicator_id",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
        "owner",
    ),
    "results": ("id", "ambition_id", "goal_id", "title", "target", "realised", "unit", "due_date", "updated_on"),
    "actions": ("coalition_id", *rules.FIELDS),  # the action's fields have one home: actions.rules
}
LIST_SPLIT = re.compile(r"[,;\n]+")
PRINCIPLE_SPLIT = re.compile(r"[,;\s]+")


def looks_like_plan(sheets: dict) -> bool:
    """True when the sheet names (case-insensitive) include Coalitie."""
    return any(name is not None and str(name).strip().lower() == "coalitie" for name in sheets)


# -- reading the file into sheets of cells -----------------------------------------------------------
@dataclass
class _Sheet:
    """One sheet (or YAML section): its cells column by column, by canonical column name.

    ``numbers[i]`` is where row ``i`` is (Excel's row number, the YAML item number, or None) and
    ``cells[column][i]`` its cell (None where a YAML item has no such key)."""

    name: str  # as written in the file
    yaml: bool
    numbers: list[int | None] = field(default_factory=list)
    cells: dict[str, list] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # canonical name -> as written
    missing: set[str] = field(default_factory=set)  # required columns that are absent

    @property
    def rows(self) -> list[tuple[int | None, dict[str, object]]]:
        """Row by row: (number, {column: cell}), for the small sheets checked one row at a time."""
        names = list(self.cells)
        return [
            (row, dict(zip(names, values, strict=True)))
            for row, *values in zip(self.numbers, *self.cells.values(), strict=True)
        ]

    def column(self, name: str) -> list:
        """The cells of one column (all None when the sheet does not have it)."""
        values = self.cells.get(name)
        return [None] * len(self.numbers) if values is None else values

    def where(self, row: int | None) -> str:
        """How a row is named in a message (``rij 5`` or ``item 5``)."""
        return t("plan_import.item_ref" if self.yaml else "plan_import.row_ref", row=row)


def _canonical(header: object) -> str:
    return re.sub(r"[\s\-]+", "_", normalise_header(header))


class _TextLoader(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):
    """YAML with every scalar as text (no octal codes, no yes/no booleans), null as None, no aliases.

    libyaml (C, four times faster) when PyYAML has it: ``limits.check_yaml`` has read the same text with the same
    parser first and refused aliases, deep nesting and too many values. ``compose_node`` refuses aliases in the
    pure-Python loader."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasRefused(event.start_mark.line + 1)
        return super().compose_node(parent, index)


class _AliasRefused(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


_TextLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_TextLoader.add_constructor("tag:yaml.org,2002:null", lambda loader, node: None)


def _read_yaml(upload: Upload, limits: Limits, parsed: Parsed) -> dict[str, _Sheet] | None:
    try:  # a NUL, nesting, size and aliases, before anything is built (dataio/limits.py)
        text = read_text(upload)
        check_yaml(text, limits, upload.name)
    except Refused as refused:
        parsed.problems.extend(refused_problems(refused))
        return None
    try:
        tree = yaml.load(text, Loader=_TextLoader)  # noqa: S506 - a safe, text-only loader
    except _AliasRefused as exc:
        parsed.add(ERROR, t("plan_import.yaml_alias", line=exc.line))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        parsed.add(ERROR, t("plan_import.yaml_error", line=mark.line + 1 if mark else "?"))
        return None
    if not isinstance(tree, dict):
        parsed.add(ERROR, t("plan_import.yaml_not_mapping"))
        return None
    sheets: dict[str, _Sheet] = {}
    for key, value in tree.items():
        name = str(key)
        sheet = _Sheet(name, yaml=True)
        sheets[name] = sheet
        wanted = _canonical(name)
        if wanted == "coalitie" and isinstance(value, dict):
            items: list[object] = [value]
            numbered = False
        elif value is None:
            items, numbered = [], True
        elif isinstance(value, list):
            items, numbered = value, True
        else:
            parsed.add(ERROR, t("plan_import.not_a_list"), sheet=name, value=_show(value))
            continue
        if len(items) > limits.max_rows:
            parsed.add(ERROR, t("ingest.too_many_rows", max=limits.max_rows), sheet=name)
            continue
        for n, item in enumerate(items, start=1):
            row = n if numbered else None
            if not isinstance(item, dict):
                parsed.add(ERROR, t("plan_import.not_a_mapping"), sheet=name, row=row, value=_show(item))
                continue
            count = len(sheet.numbers)
            sheet.numbers.append(row)
            for key, value in {str(k): v for k, v in item.items()}.items():
                if key not in sheet.cells:
                    sheet.cells[key] = [None] * count
                sheet.cells[key].append(value)
            for values in sheet.cells.values():  # keys this item does not have
                if len(values) == count:
                    values.append(None)
        sheet.headers = {k: k for k in sheet.cells}  # canonicalised in _columns
    return sheets


def _read_workbook(upload: Upload, limits: Limits, parsed: Parsed) -> dict[str, _Sheet] | None:
    frames, problems = read_sheets(upload, limits)
    parsed.problems.extend(problems)
    if not frames:
        return None
    sheets: dict[str, _Sheet] = {}
    for title, frame in frames.items():
        sheet = _Sheet(str(title), yaml=False)
        headers = [str(c) for c in frame.columns]
        sheet.headers = {f"#{i}": h for i, h in enumerate(headers)}
        sheet.numbers = [int(n) for n in frame.index.tolist()]
        sheet.cells = {f"#{i}": frame.iloc[:, i].tolist() for i in range(len(headers))}
        sheets[sheet.name] = sheet
    del frames
    return sheets


def _columns(sheet: _Sheet, spec: tuple[tuple[str, bool], ...], parsed: Parsed) -> None:
    """Map the sheet's headers to canonical names; report duplicate, unknown and missing columns."""
    known = [name for name, _ in spec]
    header_row = None if sheet.yaml else 1
    rename: dict[str, str] = {}
    canonical_headers: dict[str, str] = {}
    for raw, written in sheet.headers.items():
        name = _canonical(written)
        if not name:
            continue
        if name in canonical_headers:
            parsed.add(ERROR, t("plan_import.duplicate_column"), sheet=sheet.name, row=header_row, column=written)
            continue
        if name not in known:
            parsed.add(
                WARNING,
                t("plan_import.unknown_column", known=", ".join(known)),
                sheet=sheet.name,
                row=header_row,
                column=written,
            )
            continue
        canonical_headers[name] = written
        rename[raw] = name
    sheet.cells = {rename[k]: values for k, values in sheet.cells.items() if k in rename}
    sheet.headers = canonical_headers
    sheet.missing = {name for name, required in spec if required and name not in canonical_headers}
    if sheet.numbers or not sheet.yaml and canonical_headers:
        required = ", ".join(name for name, req in spec if req)
        for name in known:
            if name in sheet.missing:
                parsed.add(
                    ERROR,
                    t("plan_import.missing_column", column=name, required=required),
                    sheet=sheet.name,
                    row=header_row,
                    column=name,
                )


# -- value helpers -------------------------------------------------------------------------------------
def _show(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join("" if v is None else str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _prefixed(coalition_id: str, short: str) -> str:
    prefix = f"{coalition_id}-"
    return short if not coalition_id or short.startswith(prefix) else prefix + short


def _short(coalition_id: str, full: str) -> str:
    prefix = f"{coalition_id}-"
    return full[len(prefix) :] if full.startswith(prefix) else full


class _Checker:
    """Reads cells of one sheet row by row and reports problems on the Parsed it was given."""

    def __init__(self, parsed: Parsed, sheet: _Sheet):
        self.parsed = parsed
        self.sheet = sheet

    def problem(self, severity: str, row: int | None, column: str | None, value: object, message: str) -> None:
        written = self.sheet.headers.get(column, column) if column else None
        self.parsed.add(severity, message, sheet=self.sheet.name, row=row, column=written, value=_show(value))

    def error(self, row: int | None, column: str | None, value: object, message: str) -> None:
        self.problem(ERROR, row, column, value, message)

    def warn(self, row: int | None, column: str | None, value: object, message: str) -> None:
        self.problem(WARNING, row, column, value, message)

    def raw(self, row: int | None, cells: dict[str, object], column: str) -> object:
        value = cells.get(column)
        return None if value == "" else value

    def scalar(self, row: int | None, cells: dict[str, object], column: str) -> str | None:
        """The cell as text (None when empty); a YAML list or mapping here is an error."""
        value = self.raw(row, cells, column)
        if isinstance(value, (list, dict)):
            self.error(row, column, value, t("plan_import.not_scalar"))
            return None
        return None if value is None else str(value)

    def text(self, row: int | None, cells: dict[str, object], column: str) -> str | None:
        return parse_text(self.scalar(row, cells, column))

    def required_text(self, row: int | None, cells: dict[str, object], column: str, key: str = "required") -> str:
        value = self.text(row, cells, column)
        if value is None and column not in self.sheet.missing:
            self.error(row, column, None, t(f"plan_import.{key}"))
        return value or ""

    def parsed_value(
        self,
        row: int | None,
        cells: dict[str, object],
        column: str,
        parser: Callable[[object], object],
        key: str,
        required: bool = False,
    ) -> tuple[bool, object]:
        """(readable, value): value None when empty; an unreadable value is reported with ``key``."""
        text = self.scalar(row, cells, column)
        try:
            value = parser(text)
        except ValueError:
            self.error(row, column, text, t(f"plan_import.{key}"))
            return False, None
        if value is None and required and column not in self.sheet.missing:
            self.error(row, column, text, t("plan_import.required"))
            return False, None
        return True, value

    def year(self, row: int | None, cells: dict[str, object], column: str) -> tuple[bool, int | None]:
        ok, value = self.parsed_value(row, cells, column, parse_period, "not_year")
        if ok and value is not None and value not in YEARS:
            self.error(row, column, self.scalar(row, cells, column), t("plan_import.not_year"))
            return False, None
        return ok, value  # type: ignore[return-value]

    def items(self, row: int | None, cells: dict[str, object], column: str) -> list[str]:
        """A comma-separated list (or a YAML list) as trimmed, non-empty texts."""
        value = self.raw(row, cells, column)
        if value is None:
            return []
        if isinstance(value, dict):
            self.error(row, column, value, t("plan_import.not_scalar"))
            return []
        parts = value if isinstance(value, list) else LIST_SPLIT.split(str(value))
        out = []
        for part in parts:
            if isinstance(part, (list, dict)):
                self.error(row, column, value, t("plan_import.not_scalar"))
                continue
            text = parse_text(part)
            if text is not None and text not in out:
                out.append(text)
        return out


def _duplicate(
    check: _Checker, seen: dict, key: object, row: int | None, column: str, shown: str, message_key: str
) -> bool:
    """Report (and return True for) a key already seen on an earlier row of this sheet."""
    if key in seen:
        first = check.sheet.where(seen[key])
        check.error(row, column, shown, t(f"plan_import.{message_key}", column=column, id=shown, first=first))
        return True
    seen[key] = row
    return False


# -- the sheets --------------------------------------------------------------------------------------
def _phase(text: str | None) -> int | None:
    """``4``, ``4.0``, ``fase 4``, ``4 Uitvoering`` or ``Uitvoering`` -> 4; ValueError otherwise."""
    if text is None or is_missing(text):
        return None
    s = text.strip().lower()
    m = re.fullmatch(r"(?:fase\s*)?(\d+)(?:[.,]0+)?(?:\s+.*)?", s)
    if m:
        return int(m.group(1))
    for n in PHASES:
        label = t(f"phase.{n}").lower()
        if s in (label, label.split(" ", 1)[-1]):
            return n
    raise ValueError


def _municipality_lookup(municipalities: pd.DataFrame) -> MunicipalityNames:
    """Codes and names as in every file kind (``common.resolve_municipality``: CBS spelling and common variants)."""
    return municipality_names(municipalities)


def _coalition(sheet: _Sheet, municipalities: pd.DataFrame, parsed: Parsed) -> tuple[str, dict, list[str]]:
    check = _Checker(parsed, sheet)
    rows = sheet.rows
    if len(rows) != 1:
        row = rows[1][0] if len(rows) > 1 else None
        check.error(row, None, None, t("plan_import.coalition_rows", count=len(rows)))
        if not rows:
            return "", {}, []
    row, cells = rows[0]
    coalition_id = check.required_text(row, cells, "coalitie_id")
    name = check.required_text(row, cells, "naam")
    phase_text = check.scalar(row, cells, "fase")
    phase = None
    try:
        phase = _phase(phase_text)
    except ValueError:
        phase = -1
    if phase is None and "fase" not in sheet.missing:
        check.error(row, "fase", None, t("plan_import.required"))
    elif phase is not None and phase not in PHASES:
        phases = ", ".join(t(f"phase.{n}") for n in PHASES)
        check.error(row, "fase", phase_text, t("plan_import.bad_phase", phases=phases))
        phase = None
    _, start = check.parsed_value(row, cells, "startdatum", parse_date, "not_date")
    trekker = check.text(row, cells, "trekker")
    names = _municipality_lookup(municipalities)
    members: list[str] = []
    tokens = check.items(row, cells, "gemeenten")
    if not tokens and "gemeenten" not in sheet.missing:
        check.error(row, "gemeenten", None, t("plan_import.no_municipality"))
    for token in tokens:
        code = names.resolve(token)
        if code is None:
            check.error(row, "gemeenten", token, names.did_you_mean(token) or t("plan_import.unknown_municipality"))
        elif code not in members:
            members.append(code)
    if name and name in _example_names():
        check.warn(row, "naam", name, t("plan_import.template_example"))
    record = {"id": coalition_id, "name": name, "phase": phase, "start_date": start, "trekker": trekker}
    return coalition_id, record, members


def _ambitions(sheet: _Sheet, coalition_id: str, parsed: Parsed) -> list[dict]:
    check = _Checker(parsed, sheet)
    seen: dict[str, int | None] = {}
    out = []
    for row, cells in sheet.rows:
        short = check.required_text(row, cells, "ambitie_id")
        full = _prefixed(coalition_id, short) if short else ""
        if short and _duplicate(check, seen, full, row, "ambitie_id", short, "duplicate_id"):
            full = ""
        title = check.required_text(row, cells, "titel", "empty_title")
        description = check.text(row, cells, "omschrijving")
        _, horizon = check.year(row, cells, "horizonjaar")
        if full:
            out.append(
                {
                    "id": full,
                    "coalition_id": coalition_id,
                    "position": len(out) + 1,
                    "title": title,
                    "description": description,
                    "horizon_year": horizon,
                }
            )
    return out


def _goals(
    sheet: _Sheet,
    coalition_id: str,
    ambitions: set[str],
    names: dict[str, str],
    config: Config,
    parsed: Parsed,
    this_year: int,
    members: list[str] | None = None,
    denominators: Denominators | None = None,
) -> list[dict]:
    check = _Checker(parsed, sheet)
    indicators = {i.id.lower(): i for i in config.indicatoren}
    indicator_names = {i.naam.strip().lower(): i for i in config.indicatoren}
    seen: dict[str, int | None] = {}
    positions: dict[str, int] = {}
    out = []
    for row, cells in sheet.rows:
        short = check.required_text(row, cells, "doel_id")
        full = _prefixed(coalition_id, short) if short else ""
        if short and _duplicate(check, seen, full, row, "doel_id", short, "duplicate_id"):
            full = ""
        ambition_short = check.required_text(row, cells, "ambitie_id")
        ambition = _prefixed(coalition_id, ambition_short) if ambition_short else ""
        if ambition_short and ambition not in ambitions:
            check.error(
                row,
                "ambitie_id",
                ambition_short,
                t("plan_import.missing_ambition", id=ambition_short, sheet=names["Ambities"]),
            )
            ambition = ""
        title = check.required_text(row, cells, "titel", "empty_title")
        indicator_text = check.text(row, cells, "indicator")
        indicator = None
        if indicator_text is not None:
            indicator = indicators.get(indicator_text.lower()) or indicator_names.get(indicator_text.lower())
            if indicator is None:
                examples = ", ".join(i.id for i in config.municipal_indicators[:3])
                check.error(row, "indicator", indicator_text, t("plan_import.unknown_indicator", examples=examples))
        ok_bv, baseline_value = check.parsed_value(row, cells, "basiswaarde", parse_number, "not_number")
        ok_by, baseline_year = check.year(row, cells, "basisjaar")
        ok_tv, target_value = check.parsed_value(row, cells, "streefwaarde", parse_number, "not_number")
        ok_ty, target_year = check.year(row, cells, "streefjaar")
        if ok_bv and ok_by:
            _pair(check, row, cells, baseline_value, baseline_year, "basiswaarde", "basisjaar")
        # A goal without an indicator may have a target year alone (the year it should be reached).
        if ok_tv and ok_ty and (target_value is not None or indicator is not None):
            _pair(check, row, cells, target_value, target_year, "streefwaarde", "streefjaar")
        if baseline_year is not None and target_year is not None and target_year < baseline_year:
            check.error(
                row,
                "streefjaar",
                check.scalar(row, cells, "streefjaar"),
                t("plan_import.target_before_baseline", target=target_year, baseline=baseline_year),
            )
        elif target_year is not None and target_year < this_year:
            check.warn(row, "streefjaar", check.scalar(row, cells, "streefjaar"), t("plan_import.target_year_past"))
        if indicator is not None and baseline_value is not None and target_value is not None:
            if indicator.richting == "lager_beter" and target_value > baseline_value:
                check.warn(
                    row,
                    "streefwaarde",
                    check.scalar(row, cells, "streefwaarde"),
                    t("plan_import.wrong_direction_lower"),
                )
            elif indicator.richting == "hoger_beter" and target_value < baseline_value:
                check.warn(
                    row,
                    "streefwaarde",
                    check.scalar(row, cells, "streefwaarde"),
                    t("plan_import.wrong_direction_higher"),
                )
        if indicator is not None and indicator.status == "opgeschort":
            check.warn(
                row,
                "indicator",
                indicator_text,
                t("plan_import.suspended_indicator", name=indicator.naam, source=indicator.bron),
            )
        if indicator is not None and denominators is not None and members:
            _check_detectable(check, row, cells, indicator, baseline_value, target_value, members, denominators, config)
        owner = check.text(row, cells, "eigenaar")
        if full and ambition:
            positions[ambition] = positions.get(ambition, 0) + 1
            out.append(
                {
                    "id": full,
                    "ambition_id": ambition,
                    "position": positions[ambition],
                    "title": title,
                    "indicator_id": indicator.id if indicator else None,
                    "baseline_value": baseline_value,
                    "baseline_year": baseline_year,
                    "target_value": target_value,
                    "target_year": target_year,
                    "owner": owner,
                }
            )
    return out


def _check_detectable(
    check: _Checker,
    row: int | None,
    cells: dict,
    indicator: Indicator,
    baseline: float | None,
    target: float | None,
    members: list[str],
    denominators: Denominators,
    config: Config,
) -> None:
    """A target change smaller than what the coalition's figures can show (``plan.detect``): a warning with
    advice (pool years, a regional figure, a process measure). The file still imports."""
    if baseline is None or target is None or indicator.eenheid == "ja/nee":
        return
    found = detectable_change(
        indicator,
        float(baseline),
        float(target),
        denominators(members, indicator.id),
        config.status.confidence_level,
        config.status.pool_years,
    )
    if found.get("too_small"):
        check.warn(
            row,
            "streefwaarde",
            check.scalar(row, cells, "streefwaarde"),
            t("plan_import.target_too_small", advice=found["advice"]),
        )


def _pair(
    check: _Checker, row: int | None, cells: dict, value: object, year: object, value_col: str, year_col: str
) -> None:
    if value is not None and year is None:
        check.error(row, year_col, None, t("plan_import.value_without_year", value_col=value_col, year_col=year_col))
    elif value is None and year is not None:
        check.error(row, value_col, None, t("plan_import.year_without_value", value_col=value_col, year_col=year_col))


def _results(
    sheet: _Sheet,
    coalition_id: str,
    ambitions: set[str],
    goals: dict[str, str | None],
    names: dict[str, str],
    parsed: Parsed,
) -> list[dict]:
    check = _Checker(parsed, sheet)
    seen: dict[str, int | None] = {}
    out = []
    for row, cells in sheet.rows:
        short = check.required_text(row, cells, "resultaat_id")
        full = _prefixed(coalition_id, short) if short else ""
        if short and _duplicate(check, seen, full, row, "resultaat_id", short, "duplicate_id"):
            full = ""
        ambition_short = check.text(row, cells, "ambitie_id")
        goal_short = check.text(row, cells, "doel_id")
        ambition = _prefixed(coalition_id, ambition_short) if ambition_short else None
        goal = _prefixed(coalition_id, goal_short) if goal_short else None
        linked = True
        if ambition is not None and ambition not in ambitions:
            check.error(
                row,
                "ambitie_id",
                ambition_short,
                t("plan_import.missing_ambition", id=ambition_short, sheet=names["Ambities"]),
            )
            linked = False
        if goal is not None and goal not in goals:
            check.error(row, "doel_id", goal_short, t("plan_import.missing_goal", id=goal_short, sheet=names["Doelen"]))
            linked = False
        elif goal is not None and goals[goal] is None:  # the goal's own row has a wrong ambition (reported there)
            linked = False
        elif goal is not None and ambition is None:
            ambition = goals[goal]
        elif goal is not None and linked and goals[goal] != ambition:
            check.error(
                row,
                "doel_id",
                goal_short,
                t(
                    "plan_import.goal_other_ambition",
                    goal=goal_short,
                    goal_ambition=_short(coalition_id, goals[goal]),
                    ambition=ambition_short,
                ),
            )
            linked = False
        if ambition is None and goal is None and "ambitie_id" not in sheet.missing:
            check.error(row, "ambitie_id", None, t("plan_import.ambition_or_goal"))
            linked = False
        title = check.required_text(row, cells, "titel", "empty_title")
        ok_t, target = check.parsed_value(row, cells, "streefwaarde", parse_number, "not_number", required=True)
        ok_r, realised = check.parsed_value(row, cells, "gerealiseerd", parse_number, "not_number")
        if ok_t and target is not None and target < 0:
            check.error(row, "streefwaarde", check.scalar(row, cells, "streefwaarde"), t("plan_import.negative"))
        if ok_r and realised is not None and realised < 0:
            check.error(row, "gerealiseerd", check.scalar(row, cells, "gerealiseerd"), t("plan_import.negative"))
        elif target is not None and realised is not None and realised > target >= 0:
            check.warn(
                row,
                "gerealiseerd",
                check.scalar(row, cells, "gerealiseerd"),
                t("plan_import.realised_above_target", realised=_number_text(realised), target=_number_text(target)),
            )
        unit = check.required_text(row, cells, "eenheid")
        _, due = check.parsed_value(row, cells, "deadline", parse_date, "not_date")
        _, updated = check.parsed_value(row, cells, "bijgewerkt_op", parse_date, "not_date")
        if full and linked:
            out.append(
                {
                    "id": full,
                    "ambition_id": ambition,
                    "goal_id": goal,
                    "title": title,
                    "target": target,
                    "realised": 0.0 if realised is None else realised,
                    "unit": unit,
                    "due_date": due,
                    "updated_on": updated,
                }
            )
    return out


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


@functools.lru_cache(maxsize=4096)
def _principle(text: str) -> int:
    number = parse_count(text)
    if number is None or number not in PRINCIPLES:
        raise ValueError
    return number


class _Recorder(_Checker):
    """A checker for one cell at a time: it keeps the problems it finds as (severity, column, value, message)."""

    def __init__(self, sheet: _Sheet):
        super().__init__(Parsed("", KIND), sheet)
        self.found: list[tuple[str, str | None, object, str]] = []

    def problem(self, severity: str, row: int | None, column: str | None, value: object, message: str) -> None:
        self.found.append((severity, column, value, message))


def _by_value(values: list, check: Callable[[object], object], recorder: _Recorder) -> tuple[list, dict[int, tuple]]:
    """``check(cell)`` for every cell of a column, and the problems it recorded per row index (rows without
    problems left out). Cells of text are checked once per distinct text: a check depends on the cell alone."""

    def run(value: object) -> tuple[object, tuple]:
        recorder.found = []
        result = check(value)
        return result, tuple(recorder.found)

    if set(map(type, values)) <= {str, type(None)}:
        outcomes = {value: run(value) for value in dict.fromkeys(values)}
        results = {value: result for value, (result, _) in outcomes.items()}
        bad = {value: found for value, (_, found) in outcomes.items() if found}
        problems = {i: bad[v] for i, v in enumerate(values) if v in bad} if bad else {}
        return list(map(results.__getitem__, values)), problems
    pairs = [run(value) for value in values]  # YAML lists and mappings
    return [result for result, _ in pairs], {i: found for i, (_, found) in enumerate(pairs) if found}


def _actions(
    sheet: _Sheet, coalition_id: str, goals: dict[str, str | None], names: dict[str, str], parsed: Parsed
) -> dict[str, list]:
    """The action log as columns. Checked column by column (an action log can have 100,000 rows), with the
    problems reported as a check row by row would: in row order, and within a row in column order. Reading a
    cell (dates, lists, principles) is this file's; what a valid action is comes from ``actions.rules``,
    the rules the Actielog form applies too."""
    check = _Recorder(sheet)
    numbers = sheet.numbers
    count = len(numbers)

    def cell(column: str, value: object) -> dict[str, object]:
        return {column: value}

    def lower(column: str) -> Callable[[object], str | None]:
        def parse(value: object) -> str | None:
            text = check.text(None, cell(column, value), column)
            return text.lower() if text else None

        return parse

    def goal(value: object) -> str | None:
        short = check.text(None, cell("doel_id", value), "doel_id")
        return _prefixed(coalition_id, short) if short else None

    def principles(value: object) -> list[int]:
        cells = cell("principes", value)
        raw = check.raw(None, cells, "principes")
        tokens = check.items(None, cells, "principes")
        if not isinstance(raw, list):
            tokens = [p for token in tokens for p in PRINCIPLE_SPLIT.split(token) if p]
        out: list[int] = []
        bad = False
        for token in tokens:
            try:
                number = _principle(token)
            except ValueError:
                bad = True
                continue
            if number not in out:
                out.append(number)
        if bad:
            check.error(None, "principes", raw, t("plan_import.bad_principle"))
        return out

    def partners(value: object) -> list[str]:
        names = [partner_name(p) for p in check.items(None, cell("partners", value), "partners")]
        return list(dict.fromkeys(n for n in names if n))

    dates, date_problems = _by_value(
        sheet.column("datum"),
        lambda v: check.parsed_value(None, cell("datum", v), "datum", parse_date, "not_date", required=True),
        check,
    )
    readable = [ok for ok, _ in dates]
    days = [day for _, day in dates]
    del dates
    title_cells = sheet.column("titel")
    if set(map(type, title_cells)) == {str}:  # (nearly) every title differs: trimmed at once, not text by text
        titles = list(map(str.strip, title_cells))  # what required_text gives for text: trimmed, "" when empty
        empty = ((ERROR, "titel", None, t("plan_import.empty_title")),)
        title_problems = {i: empty for i, title in enumerate(titles) if not title} if "" in titles else {}
    else:
        titles, title_problems = _by_value(
            title_cells, lambda v: check.required_text(None, cell("titel", v), "titel", "empty_title"), check
        )
    del title_cells
    first_of: dict[int, int] = {}  # row index -> index of the first row with the same date and title
    keys = list(zip(days, titles, strict=True))
    if len(dict.fromkeys(keys)) < count:  # a pair repeats (or rows lack a date or title)
        seen: dict[tuple, int] = {}
        for i, key in enumerate(keys):
            if key[0] is not None and key[1]:
                first = seen.setdefault(key, i)
                if first != i:
                    first_of[i] = first
    del keys
    duplicate_problems = {
        i: ((ERROR, "titel", titles[i], t("plan_import.duplicate_action", first=sheet.where(numbers[first]))),)
        for i, first in first_of.items()
    }
    columns = {"coalition_id": [coalition_id] * count, "action_date": days, "title": titles}
    found = [
        date_problems,
        _rule_problems(sheet, "action_date", "datum", days),
        title_problems,
        _rule_problems(sheet, "title", "titel", titles),
        duplicate_problems,
    ]
    for name, column, parse in (
        ("description", "omschrijving", lambda v: check.text(None, cell("omschrijving", v), "omschrijving")),
        ("owner", "trekker", lambda v: check.text(None, cell("trekker", v), "trekker")),
        ("status", "status", lower("status")),
        ("goal_id", "doel_id", goal),
        ("principles", "principes", principles),
        ("partners", "partners", partners),
        ("level", "niveau", lower("niveau")),
    ):
        columns[name], problems = _by_value(sheet.column(column), parse, check)
        found.append(problems)
        found.append(_rule_problems(sheet, name, column, columns[name], set(goals), names["Doelen"]))

    report = _Checker(parsed, sheet)
    for i in sorted(set().union(*found)):
        for problems in found:
            for severity, column, value, message in problems.get(i, ()):
                report.problem(severity, numbers[i], column, value, message)

    if not (all(readable) and None not in days and all(titles) and not first_of):
        kept = [i for i in range(count) if readable[i] and days[i] is not None and titles[i] and i not in first_of]
        columns = {name: [values[i] for i in kept] for name, values in columns.items()}
    return columns


def _rule_problems(
    sheet: _Sheet, field: str, column: str, values: list, goals: set[str] | None = None, goal_sheet: str = ""
) -> dict[int, tuple]:
    """The violations of ``actions.rules`` in one parsed column of the sheet Acties, per row index, as
    (severity, column, value, message). Empty dates and titles are left out: reading the cell reported them."""
    out: dict[int, tuple] = {}
    if field == "status" and "status" in sheet.missing:
        return out
    raw = sheet.column(column)
    for i, violations in rules.check(field, values, goals).items():
        found = []
        for v in violations:
            if v.rule == rules.MISSING and field != "status":
                continue
            value = v.value
            if v.rule in (rules.DATE_RANGE, rules.MISSING, rules.NOT_ALLOWED, rules.UNKNOWN_GOAL):
                value = raw[i] if isinstance(raw[i], (list, dict)) else parse_text(raw[i])  # as written
            found.append((ERROR, column, value, _rule_message(v, value, goal_sheet)))
        if found:
            out[i] = tuple(found)
    return out


def _rule_message(v: rules.Violation, value: object, goal_sheet: str) -> str:
    """What a broken action rule means in the workbook (the value, row and column are given beside it)."""
    if v.rule == rules.DATE_RANGE:
        return t("plan_import.date_range", first=rules.FIRST_YEAR, last=rules.LAST_YEAR)
    if v.rule == rules.TOO_LONG:
        return t("plan_import.too_long", n=v.n, max=v.limit)
    if v.field in ("status", "level"):
        return t("plan_import.bad_status" if v.field == "status" else "plan_import.bad_level")
    if v.rule == rules.UNKNOWN_GOAL:
        return t("plan_import.missing_goal", id=value, sheet=goal_sheet)
    if v.rule == rules.BAD_PRINCIPLE:
        return t("plan_import.bad_principle")
    if v.rule == rules.TOO_MANY:
        return t("plan_import.partners_many", n=v.n, max=v.limit)
    return t("plan_import.partner_long", n=v.n, max=v.limit)


def _frame(table: str, rows: list[dict] | dict[str, list]) -> pd.DataFrame:
    """Rows (or columns) as a frame with the schema's columns and types (whole numbers, nullable years, dates,
    lists)."""
    columns = rows if isinstance(rows, dict) else {col: [r[col] for r in rows] for col in TABLE_COLUMNS[table]}
    count = len(next(iter(columns.values()), []))
    data: dict[str, object] = {}
    for col in TABLE_COLUMNS[table]:
        values = columns[col]
        if col in ("phase", "position"):
            data[col] = pd.array(values, dtype="int64")
        elif col in ("horizon_year", "baseline_year", "target_year"):
            data[col] = pd.array(values, dtype="Int64")
        elif col in ("baseline_value", "target_value", "target", "realised"):
            data[col] = pd.array([float("nan") if v is None else v for v in values], dtype="float64")
        elif col in ("start_date", "due_date", "updated_on", "action_date", "principles", "partners"):
            data[col] = pd.Series(values, dtype=object)
        else:
            data[col] = pd.Series(values, dtype=object if all(v is None for v in values) else "str")
    return pd.DataFrame(data, index=pd.RangeIndex(count))


def parse_plan(
    upload: Upload, config: Config, municipalities: pd.DataFrame, denominators: Denominators | None = None
) -> Parsed:
    """Read and validate a coalition plan (.xlsx or .yaml/.yml). Pure: no database, no Streamlit.

    ``denominators(codes, indicator_id)``, when given (the importer passes the stored yearly denominators of
    the coalition's municipalities, oldest first), lets every goal be checked against what its figures can
    show: a target change smaller than that gets a warning with advice.

    Returns ``Parsed(kind="coalitie", scope={"coalition_id": ...})`` with the tables coalitions,
    coalition_members, ambitions, goals, results and actions (schema column names) when the file has no
    errors; with errors, ``tables`` is empty and ``problems`` lists every one of them.
    """
    parsed = Parsed(upload.name, KIND)
    limits = Limits.from_config(config.imports)
    if len(upload.data) > limits.max_bytes:
        parsed.add(ERROR, t("ingest.too_big", max=f"{limits.max_bytes / 1_000_000:g}"))
        return parsed
    try:
        kind = file_type(upload)
    except ValueError as exc:
        parsed.add(ERROR, str(exc))
        return parsed
    if kind == "csv":
        parsed.add(ERROR, t("plan_import.csv_not_supported"))
        return parsed
    sheets = _read_yaml(upload, limits, parsed) if kind == "yaml" else _read_workbook(upload, limits, parsed)
    if sheets is None:
        return parsed
    is_yaml = kind == "yaml"

    found: dict[str, _Sheet] = {}
    by_name = {name.strip().lower(): sheet for name, sheet in reversed(list(sheets.items()))}
    present = ", ".join(sheets) or t("plan_import.none_present")
    for wanted in SHEETS:
        sheet = by_name.get(wanted.lower())
        if sheet is None:
            key = "missing_section" if is_yaml else "missing_sheet"
            parsed.add(
                ERROR,
                t(f"plan_import.{key}", sheet=wanted.lower() if is_yaml else wanted, present=present),
                sheet=wanted.lower() if is_yaml else wanted,
            )
            continue
        _columns(sheet, COLUMNS[wanted], parsed)
        found[wanted] = sheet
    names = {wanted: found[wanted].name if wanted in found else wanted for wanted in SHEETS}

    coalition_id, coalition, members = "", {}, []
    if "Coalitie" in found:
        coalition_id, coalition, members = _coalition(found["Coalitie"], municipalities, parsed)
    parsed.scope = {"coalition_id": coalition_id or None}
    ambitions = _ambitions(found["Ambities"], coalition_id, parsed) if "Ambities" in found else []
    ambition_ids = {a["id"] for a in ambitions}
    goals = (
        _goals(
            found["Doelen"],
            coalition_id,
            ambition_ids,
            names,
            config,
            parsed,
            dt.date.today().year,
            members,
            denominators,
        )
        if "Doelen" in found
        else []
    )
    goal_ambition: dict[str, str | None] = {g["id"]: g["ambition_id"] for g in goals}
    if "Doelen" in found:  # goals whose row had an error still exist for references from other sheets
        goal_ambition.update(_goal_ids(found["Doelen"], coalition_id, goal_ambition))
    results = (
        _results(found["Resultaten"], coalition_id, ambition_ids, goal_ambition, names, parsed)
        if "Resultaten" in found
        else []
    )
    actions = _actions(found["Acties"], coalition_id, goal_ambition, names, parsed) if "Acties" in found else []
    del sheets, by_name, found

    if parsed.ok:
        parsed.tables = {
            "coalitions": _frame("coalitions", [coalition]),
            "coalition_members": _frame(
                "coalition_members", [{"coalition_id": coalition_id, "municipality_code": m} for m in members]
            ),
            "ambitions": _frame("ambitions", ambitions),
            "goals": _frame("goals", goals),
            "results": _frame("results", results),
            "actions": _frame("actions", actions),
        }
    return parsed


def _goal_ids(sheet: _Sheet, coalition_id: str, known: dict[str, str | None]) -> dict[str, str | None]:
    """Goals written on the sheet but left out because of an error in their row (ambition unknown: None)."""
    extra: dict[str, str | None] = {}
    for value in sheet.column("doel_id"):
        short = None if isinstance(value, (list, dict)) else parse_text(value)
        if short:
            full = _prefixed(coalition_id, short)
            if full not in known:
                extra[full] = None
    return extra


# -- writing -----------------------------------------------------------------------------------------
def _plain(value: object) -> object:
    """A stored cell as a plain Python value (None for every kind of missing)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy scalars and arrays
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(frame: pd.DataFrame | None) -> list[dict]:
    if frame is None or not len(frame):
        return []
    return [{k: _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]


def _year(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _number(value: object) -> int | float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def _rows(tables: dict[str, pd.DataFrame]) -> dict[str, list[dict]]:
    """The five sheets as lists of {column: value} in the file's terms (short ids, Dutch column names)."""
    coalitions = _records(tables.get("coalitions"))
    if len(coalitions) != 1:
        raise ValueError("export_plan needs exactly one coalition")
    c = coalitions[0]
    cid = str(c["id"])
    members = [
        str(m["municipality_code"])
        for m in _records(tables.get("coalition_members"))
        if m.get("coalition_id") in (None, cid)
    ]
    ambitions = sorted(_records(tables.get("ambitions")), key=lambda a: a.get("position") or 0)
    ambition_order = {a["id"]: n for n, a in enumerate(ambitions)}
    goals = sorted(
        _records(tables.get("goals")),
        key=lambda g: (ambition_order.get(g["ambition_id"], len(ambition_order)), g.get("position") or 0),
    )
    goal_order = {g["id"]: n for n, g in enumerate(goals)}
    results = sorted(
        _records(tables.get("results")),
        key=lambda r: (ambition_order.get(r["ambition_id"], len(ambition_order)), goal_order.get(r.get("goal_id"), -1)),
    )
    actions = sorted(_records(tables.get("actions")), key=lambda a: (a["action_date"], str(a["title"])))

    def short(value: object) -> str | None:
        return None if value is None else _short(cid, str(value))

    phase = c.get("phase")
    return {
        "Coalitie": [
            {
                "coalitie_id": cid,
                "naam": c.get("name"),
                "fase": t(f"phase.{int(phase)}") if phase is not None and int(phase) in PHASES else phase,
                "startdatum": c.get("start_date"),
                "trekker": c.get("trekker"),
                "gemeenten": members,
            }
        ],
        "Ambities": [
            {
                "ambitie_id": short(a["id"]),
                "titel": a.get("title"),
                "omschrijving": a.get("description"),
                "horizonjaar": _year(a.get("horizon_year")),
            }
            for a in ambitions
        ],
        "Doelen": [
            {
                "doel_id": short(g["id"]),
                "ambitie_id": short(g["ambition_id"]),
                "titel": g.get("title"),
                "indicator": g.get("indicator_id"),
                "basiswaarde": _number(g.get("baseline_value")),
                "basisjaar": _year(g.get("baseline_year")),
                "streefwaarde": _number(g.get("target_value")),
                "streefjaar": _year(g.get("target_year")),
                "eigenaar": g.get("owner"),
            }
            for g in goals
        ],
        "Resultaten": [
            {
                "resultaat_id": short(r["id"]),
                "ambitie_id": short(r["ambition_id"]),
                "doel_id": short(r.get("goal_id")),
                "titel": r.get("title"),
                "streefwaarde": _number(r.get("target")),
                "gerealiseerd": _number(r.get("realised")),
                "eenheid": r.get("unit"),
                "deadline": r.get("due_date"),
                "bijgewerkt_op": r.get("updated_on"),
            }
            for r in results
        ],
        "Acties": [
            {
                "datum": a["action_date"],
                "titel": a.get("title"),
                "omschrijving": a.get("description"),
                "trekker": a.get("owner"),
                "status": a.get("status"),
                "doel_id": short(a.get("goal_id")),
                "principes": [int(p) for p in (a.get("principles") or [])],
                "partners": [str(p) for p in (a.get("partners") or [])],
                "niveau": a.get("level"),
            }
            for a in actions
        ],
    }


def export_plan(tables: dict[str, pd.DataFrame], kind: str = "xlsx") -> bytes:
    """Write ONE coalition's plan (frames in the schema shape) as a workbook or YAML that parse_plan reads back."""
    rows = _rows(tables)
    if kind == "xlsx":
        return _write_xlsx(rows)
    if kind == "yaml":
        return _write_yaml(rows)
    raise ValueError(f"unknown kind {kind!r}; expected 'xlsx' or 'yaml'")


def _write_xlsx(rows: dict[str, list[dict]]) -> bytes:
    def put(ws, row: int, col: int, value: object) -> None:
        cell = ws.cell(row=row, column=col)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) or None
        if value is None:
            return
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, dt.date):
            cell.value = value
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, (int, float)):
            cell.value = value
        else:
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
            cell.data_type = "s"  # text stays text: "=..." is never written as a formula

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet)
        columns = [name for name, _ in COLUMNS[sheet]]
        for col, name in enumerate(columns, start=1):
            put(ws, 1, col, name)
            ws.cell(row=1, column=col).font = bold
            ws.column_dimensions[get_column_letter(col)].width = max(12, min(45, len(name) + 4))
        for n, record in enumerate(rows[sheet], start=2):
            for col, name in enumerate(columns, start=1):
                put(ws, n, col, record.get(name))
        for col, name in enumerate(columns, start=1):
            if name in ("titel", "omschrijving", "naam", "trekker"):
                ws.column_dimensions[get_column_letter(col)].width = 45
        ws.freeze_panes = "A2"
        if sheet == "Acties":
            last = max(len(rows[sheet]) + 1, 500)
            for name, allowed in (("status", STATUSES), ("niveau", LEVELS)):
                letter = get_column_letter(columns.index(name) + 1)
                check = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
                check.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(check)
    ws = wb.create_sheet(HELP_SHEET)
    headers = [
        t("plan_import.help_head.sheet"),
        t("plan_import.help_head.column"),
        t("plan_import.help_head.required"),
        t("plan_import.help_head.text"),
    ]
    for col, text in enumerate(headers, start=1):
        put(ws, 1, col, text)
        ws.cell(row=1, column=col).font = bold
    n = 2
    for sheet in SHEETS:
        put(ws, n, 1, sheet)
        ws.cell(row=n, column=1).font = bold
        put(ws, n, 4, t(f"plan_import.help.{sheet.lower()}.about"))
        n += 1
        for name, required in COLUMNS[sheet]:
            put(ws, n, 1, sheet)
            put(ws, n, 2, name)
            put(ws, n, 3, t("plan_import.help_head.yes" if required else "plan_import.help_head.no"))
            put(ws, n, 4, t(f"plan_import.help.{sheet.lower()}.{name}"))
            n += 1
    n += 1
    for line in t("plan_import.help_general").strip().splitlines():
        put(ws, n, 1, line)
        n += 1
    for col, width in zip("ABCD", (14, 16, 11, 110), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=1, max_row=n, min_col=4, max_col=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class _Dumper(yaml.SafeDumper):
    """Block style, except short lists of plain values (``principes: [2, 6]``); never anchors/aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _flat_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    flat = not any(isinstance(v, (list, dict)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_Dumper.add_representer(list, _flat_list)


def _write_yaml(rows: dict[str, list[dict]]) -> bytes:
    tree: dict[str, object] = {"coalitie": rows["Coalitie"][0]}
    for sheet in SHEETS[1:]:
        tree[sheet.lower()] = rows[sheet]
    body = yaml.dump(
        tree, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000
    )
    header = "".join(f"# {line}".rstrip() + "\n" for line in t("plan_import.yaml_header").strip().splitlines())
    return (header + body).encode("utf-8")


def _example_names() -> tuple[str, ...]:
    """The template's coalition name, and the one templates had before (``KS-GM0363``, Amsterdam's id)."""
    return (t("plansafe.example_name"), t("plan_import.example.coalition_name"))


def is_template(tables: dict[str, pd.DataFrame]) -> bool:
    """Whether a parsed plan is the template's example: its coalition id (``TEMPLATE_ID``) or the example's name
    (also the name of older templates, which carried Amsterdam's id). The importer writes nothing for it."""
    coalitions = tables.get("coalitions")
    if coalitions is None or len(coalitions) != 1:
        return False
    row = coalitions.iloc[0]
    return str(row["id"]).strip().upper() == TEMPLATE_ID or str(row["name"]).strip() in _example_names()


def _example_tables() -> dict[str, pd.DataFrame]:
    cid = TEMPLATE_ID

    def ex(key: str) -> str:
        return t(f"plan_import.example.{key}")

    return {
        "coalitions": pd.DataFrame(
            [
                {
                    "id": cid,
                    "name": t("plansafe.example_name"),
                    "phase": 4,
                    "start_date": dt.date(2019, 4, 15),
                    "trekker": ex("trekker"),
                }
            ]
        ),
        "coalition_members": pd.DataFrame([{"coalition_id": cid, "municipality_code": "GM0363"}]),
        "ambitions": pd.DataFrame(
            [
                {
                    "id": f"{cid}-A1",
                    "coalition_id": cid,
                    "position": 1,
                    "title": ex("a1_title"),
                    "description": ex("a1_description"),
                    "horizon_year": 2030,
                },
                {
                    "id": f"{cid}-A2",
                    "coalition_id": cid,
                    "position": 2,
                    "title": ex("a2_title"),
                    "description": ex("a2_description"),
                    "horizon_year": 2028,
                },
            ]
        ),
        "goals": pd.DataFrame(
            [
                {
                    "id": f"{cid}-D1",
                    "ambition_id": f"{cid}-A1",
                    "position": 1,
                    "title": ex("d1_title"),
                    "indicator_id": "tienermoeders",
                    "baseline_value": 3.4,
                    "baseline_year": 2020,
                    "target_value": 2.5,
                    "target_year": 2030,
                    "owner": ex("d1_owner"),
                },
                {
                    "id": f"{cid}-D2",
                    "ambition_id": f"{cid}-A2",
                    "position": 1,
                    "title": ex("d2_title"),
                    "indicator_id": None,
                    "baseline_value": None,
                    "baseline_year": None,
                    "target_value": None,
                    "target_year": 2028,
                    "owner": ex("d2_owner"),
                },
            ]
        ),
        "results": pd.DataFrame(
            [
                {
                    "id": f"{cid}-R1",
                    "ambition_id": f"{cid}-A1",
                    "goal_id": f"{cid}-D1",
                    "title": ex("r1_title"),
                    "target": 250.0,
                    "realised": 120.0,
                    "unit": ex("r1_unit"),
                    "due_date": dt.date(2027, 12, 31),
                    "updated_on": dt.date(2026, 6, 1),
                },
                {
                    "id": f"{cid}-R2",
                    "ambition_id": f"{cid}-A2",
                    "goal_id": f"{cid}-D2",
                    "title": ex("r2_title"),
                    "target": 8.0,
                    "realised": 3.0,
                    "unit": ex("r2_unit"),
                    "due_date": dt.date(2028, 6, 30),
                    "updated_on": None,
                },
            ]
        ),
        "actions": pd.DataFrame(
            [
                {
                    "coalition_id": cid,
                    "action_date": dt.date(2026, 3, 10),
                    "title": ex("act1_title"),
                    "description": ex("act1_description"),
                    "owner": ex("act1_owner"),
                    "status": "afgerond",
                    "goal_id": f"{cid}-D2",
                    "principles": [2, 3],
                    "partners": ["jgz", "ouders"],
                    "level": "uitvoerend",
                },
                {
                    "coalition_id": cid,
                    "action_date": dt.date(2027, 2, 1),
                    "title": ex("act2_title"),
                    "description": None,
                    "owner": ex("act2_owner"),
                    "status": "gepland",
                    "goal_id": None,
                    "principles": [4, 5],
                    "partners": ["gemeente", "ggd"],
                    "level": "bestuurlijk",
                },
            ]
        ),
    }


def template_plan(kind: str) -> bytes:
    """An example plan to fill in: "xlsx" (five sheets and an "Uitleg" sheet) or "yaml"."""
    return export_plan(_example_tables(), kind)
