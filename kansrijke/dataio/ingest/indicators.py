"""Indicator figures from files: the long form (one row per municipality, indicator and period) and
CBS StatLine downloads (wide: one row per region and period, one column per measure).

``parse_indicators`` is pure (no database, no Streamlit). It validates every row, reports ALL problems
at once (file, sheet, row as Excel shows it, column, value, what was expected) and returns the
``indicator_values`` table only when there are no errors. Values are parsed column-wise over the
distinct texts of a column, so a national file of 100k rows reads in well under a second.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import numpy as np
import openpyxl
import pandas as pd

from kansrijke.core.config import Config
from kansrijke.core.i18n import t
from kansrijke.core.stats import SCALE, wilson
from kansrijke.dataio.ingest.common import (
    ERROR,
    WARNING,
    Limits,
    Parsed,
    Upload,
    normalise_header,
    parse_count,
    parse_date,
    parse_municipality,
    parse_number,
    parse_period,
    parse_text,
    read_sheets,
)

KIND_LONG = "indicatoren"
KIND_STATLINE = "statline"
DATA_STATUSES = ("voorlopig", "definitief", "herzien", "ingetrokken")
# Field -> accepted header names (after lower-casing and collapsing spaces).
HEADERS: dict[str, tuple[str, ...]] = {
    "gemeentecode": ("gemeentecode", "gemeente code", "gemeente_code", "gemeente", "code"),
    "indicator": ("indicator", "indicator_id", "indicatorid"),
    "periode": ("periode", "jaar", "perioden"),
    "waarde": ("waarde", "value"),
    "teller": ("teller", "numerator"),
    "noemer": ("noemer", "denominator"),
    "bron": ("bron", "source"),
    "peildatum": ("peildatum", "referentiedatum"),
    "status": ("status", "datastatus"),
}
REQUIRED = ("gemeentecode", "indicator", "periode", "waarde")
STATLINE_REGION = ("regios", "regio's", "regio")
STATLINE_PERIOD = ("perioden", "periode")
COLUMNS = [
    "municipality_code",
    "indicator_id",
    "period",
    "value",
    "numerator",
    "denominator",
    "source",
    "reference_date",
    "data_status",
]


def looks_like_indicators(sheets: dict) -> bool:
    return any(_kind(frame) is not None for frame in sheets.values())


def _kind(frame: pd.DataFrame) -> str | None:
    cols = set(frame.columns)
    if cols & set(STATLINE_REGION) and cols & set(STATLINE_PERIOD) and not cols & set(HEADERS["indicator"]):
        return KIND_STATLINE
    if any(name in cols for name in HEADERS["indicator"]) and any(name in cols for name in HEADERS["gemeentecode"]):
        return KIND_LONG
    return None


def _find(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in frame.columns), None)


def _parse_column(texts: pd.Series, parser: Callable[[object], object]) -> tuple[pd.Series, pd.Series]:
    """Apply a scalar parser once per distinct text: (values with None where missing or bad, bad mask)."""
    uniques = pd.unique(texts.astype(object))
    values: dict[object, object] = {}
    bad: dict[object, bool] = {}
    for text in uniques:
        try:
            values[text], bad[text] = parser(text), False
        except ValueError:
            values[text], bad[text] = None, True
    return texts.map(values), texts.map(bad).astype(bool)


class _Rows:
    """The rows of one sheet (or one StatLine measure group) being validated."""

    def __init__(self, parsed: Parsed, sheet: str | None, frame: pd.DataFrame, columns: dict[str, str]):
        self.parsed, self.sheet, self.frame, self.columns = parsed, sheet, frame, columns
        self.bad = pd.Series(False, index=frame.index)

    def problem(
        self, severity: str, mask: pd.Series, field: str, message: str, values: pd.Series | None = None
    ) -> None:
        """One problem per row in ``mask`` (a boolean Series on the frame's index)."""
        rows = mask[mask].index
        if not len(rows):
            return
        column = self.columns.get(field)
        shown = values if values is not None else (self.frame[column] if column in self.frame else None)
        for row in rows:
            value = None if shown is None else str(shown.at[row])
            self.parsed.add(severity, message, sheet=self.sheet, row=int(row), column=column, value=value)
        if severity == ERROR:
            self.bad |= mask

    def text(self, field: str) -> pd.Series:
        column = self.columns.get(field)
        if column is None or column not in self.frame:
            return pd.Series("", index=self.frame.index, dtype=object)
        return self.frame[column].fillna("").astype(str)


def _validate(rows: _Rows, config: Config, known: set[str], indicator: pd.Series) -> pd.DataFrame:
    """Parse and check one block of rows; return the good rows in schema columns (index = Excel row)."""
    parsed = rows.parsed
    catalogue = {ind.id: ind for ind in config.indicatoren}

    # municipality
    code_text = rows.text("gemeentecode")
    codes, bad_code = _parse_column(code_text, parse_municipality)
    rows.problem(ERROR, codes.isna() & ~bad_code, "gemeentecode", t("indicator_import.required"))
    rows.problem(ERROR, bad_code, "gemeentecode", t("indicator_import.bad_code"))
    unknown = codes.notna() & ~codes.isin(known)
    rows.problem(ERROR, unknown, "gemeentecode", t("indicator_import.unknown_municipality"))

    # indicator
    ind_ok = indicator.isin(list(catalogue))
    rows.problem(ERROR, indicator.eq(""), "indicator", t("indicator_import.required"))
    rows.problem(
        ERROR,
        ~ind_ok & indicator.ne(""),
        "indicator",
        t("indicator_import.unknown_indicator", known=", ".join(sorted(catalogue))),
        indicator,
    )

    # suspended at the source: imported all the same, with one warning per indicator naming it
    for ind in catalogue.values():
        if ind.status == "opgeschort":
            found = indicator.eq(ind.id)
            if found.any():
                first = found[found].index[:1]
                rows.problem(
                    WARNING,
                    found & found.index.isin(first),
                    "indicator",
                    t("indicator_import.suspended", name=ind.naam, id=ind.id, source=ind.bron, count=int(found.sum())),
                    indicator,
                )

    # period
    periods, bad_period = _parse_column(rows.text("periode"), parse_period)
    rows.problem(ERROR, periods.isna() & ~bad_period, "periode", t("indicator_import.required"))
    year = pd.to_numeric(periods, errors="coerce")
    out_of_range = bad_period | (year.notna() & ~year.between(1900, 2100))
    rows.problem(ERROR, out_of_range, "periode", t("indicator_import.bad_period"))

    # counts
    counts = {}
    for field in ("teller", "noemer"):
        text = rows.text(field)
        parsed_counts, failed = _parse_column(text, parse_count)
        negative = failed & (pd.to_numeric(_parse_column(text, parse_number)[0], errors="coerce") < 0)
        rows.problem(ERROR, negative, field, t("indicator_import.negative_count"))
        rows.problem(ERROR, failed & ~negative, field, t("indicator_import.bad_count"))
        counts[field] = pd.to_numeric(parsed_counts, errors="coerce")
    num, den = counts["teller"], counts["noemer"]
    units = indicator.map({i: c.eenheid for i, c in catalogue.items()})
    rated = units.isin(list(SCALE))
    rows.problem(
        ERROR,
        rated & num.notna() & den.notna() & (num > den),
        "teller",
        t("indicator_import.numerator_above_denominator"),
        rows.text("teller") + " > " + rows.text("noemer"),
    )
    rows.problem(ERROR, rated & den.eq(0) & num.notna(), "noemer", t("indicator_import.zero_denominator"))

    # value: given, or computed from the counts
    value_text = rows.text("waarde")
    values, bad_value = _parse_column(value_text, parse_number)
    rows.problem(ERROR, bad_value, "waarde", t("indicator_import.bad_number"))
    value = pd.to_numeric(values, errors="coerce").astype(float)
    scale = units.map(SCALE).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        from_counts = np.where(rated, num / den * scale, np.where(units.eq("aantal"), num, np.nan))
    from_counts = pd.Series(from_counts, index=value.index).where(den.ne(0) | ~rated)
    computed = value.isna() & ~bad_value & from_counts.notna()
    value = value.where(~computed, from_counts)
    pct = units.eq("%")
    rows.problem(ERROR, pct & ((value < 0) | (value > 100)), "waarde", t("indicator_import.bad_percentage"))
    rows.problem(ERROR, ~pct & rated & (value < 0), "waarde", t("indicator_import.negative_value"))
    gap = (value - from_counts).abs()
    differs = ~computed & value.notna() & from_counts.notna() & (gap > 0.05 + 0.01 * value.abs())
    rows.problem(
        WARNING,
        differs,
        "waarde",
        t("indicator_import.value_differs"),
        value_text + " ≠ " + from_counts.round(2).astype(str),
    )
    missing_value = value.isna() & ~bad_value & ~rows.bad
    parsed.skip(t("indicator_import.skipped_missing"), int(missing_value.sum()))

    # optional text fields
    ref_dates, bad_date = _parse_column(rows.text("peildatum"), parse_date)
    rows.problem(ERROR, bad_date, "peildatum", t("indicator_import.bad_date"))
    status_text = rows.text("status").str.strip().str.lower()
    rows.problem(
        ERROR,
        status_text.ne("") & ~status_text.isin(DATA_STATUSES),
        "status",
        t("indicator_import.bad_status", allowed=", ".join(DATA_STATUSES)),
    )
    source = rows.text("bron").map(parse_text)
    source = source.where(source.notna(), indicator.map({i: c.bron for i, c in catalogue.items()}))

    # far outside the national figure: a warning, never a block
    # (with counts: only when the whole 95% interval lies outside, so small numbers do not cry wolf)
    national = pd.to_numeric(indicator.map({i: c.landelijk.waarde for i, c in catalogue.items()}), errors="coerce")
    factor = config.imports.warn_factor
    with np.errstate(invalid="ignore"):
        low, high = wilson(num.fillna(0).to_numpy(float), den.fillna(0).to_numpy(float))
    counted = num.notna() & den.gt(0)
    low = pd.Series(low * scale.to_numpy(), index=value.index).where(counted, value)
    high = pd.Series(high * scale.to_numpy(), index=value.index).where(counted, value)
    far = rated & national.gt(0) & value.notna() & ((low > national * factor) | (high < national / factor))
    rows.problem(
        WARNING,
        far & ~rows.bad,
        "waarde",
        t("indicator_import.far_from_national", factor=f"{factor:g}"),
        value_text.where(value_text.ne(""), value.round(2).astype(str)),
    )

    good = ~rows.bad & value.notna()
    return pd.DataFrame(
        {
            "municipality_code": codes[good].astype(str),
            "indicator_id": indicator[good].astype(str),
            "period": periods[good].astype("int32"),
            "value": value[good].astype(float),
            "numerator": num[good].astype("Int64"),
            "denominator": den[good].astype("Int64"),
            "source": source[good].astype(str),
            "reference_date": ref_dates[good].astype(object).where(ref_dates[good].notna(), None),
            "data_status": status_text[good].where(status_text[good].ne(""), "definitief").astype(str),
        },
        index=codes[good].index,
    ).assign(_sheet=rows.sheet)


def _long(parsed: Parsed, sheet: str | None, frame: pd.DataFrame, config: Config, known: set[str]) -> pd.DataFrame:
    columns = {field: name for field, names in HEADERS.items() if (name := _find(frame, names))}
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        parsed.add(
            ERROR,
            t("indicator_import.missing_columns", columns=", ".join(missing), required=", ".join(REQUIRED)),
            sheet=sheet,
        )
        return pd.DataFrame(columns=COLUMNS)
    rows = _Rows(parsed, sheet, frame, columns)
    indicator = rows.text("indicator").str.strip().str.lower()
    return _validate(rows, config, known, indicator)


def _statline(
    parsed: Parsed, sheet: str | None, frame: pd.DataFrame, config: Config, municipalities: pd.DataFrame
) -> pd.DataFrame:
    region_col = _find(frame, STATLINE_REGION)
    period_col = _find(frame, STATLINE_PERIOD)
    region = frame[region_col].fillna("").astype(str).str.strip()
    by_name = {str(n).strip().lower(): c for c, n in zip(municipalities["code"], municipalities["name"], strict=True)}
    upper = region.str.upper()
    is_code = upper.str.fullmatch(r"GM\d{4}")
    other_code = upper.str.fullmatch(r"(NL\d{2}|PV\d{2}|CR\d{2}|GG\d{4}|LD\d{2}|COROP\d*|JZ\d{2}|RE\d{2}|ZW\d{2})")
    name_code = region.str.lower().map(by_name)
    code = upper.where(is_code, name_code)
    not_municipality = other_code | (~is_code & name_code.isna())
    parsed.skip(t("indicator_import.skipped_not_municipality"), int(not_municipality.sum()))
    # a code no longer in the current division (merged away) is skipped once per row, not once per measure
    known = set(municipalities["code"])
    old = ~not_municipality & ~code.isin(known)
    parsed.skip(t("indicator_import.skipped_old_municipality"), int(old.sum()))
    keep = ~not_municipality & ~old
    frame = frame[keep].assign(_code=code[keep])

    groups: dict[str, dict[str, str]] = {}
    for mapping in config.imports.statline:
        column = _find(frame, tuple(normalise_header(k) for k in mapping.kolommen))
        if column is not None:
            groups.setdefault(mapping.indicator, {})[mapping.rol] = column
    # a denominator alone gives no value: such a group would count every row as "no value"
    groups = {ind: roles for ind, roles in groups.items() if "waarde" in roles or "teller" in roles}
    if not groups:
        expected = "; ".join(f"{m.indicator} ({m.rol}): {', '.join(m.kolommen)}" for m in config.imports.statline)
        parsed.add(ERROR, t("indicator_import.statline_no_measures", expected=expected), sheet=sheet)
        return pd.DataFrame(columns=COLUMNS)

    out = []
    for indicator_id, roles in groups.items():
        columns = {"gemeentecode": "_code", "periode": period_col}
        columns.update({{"waarde": "waarde", "teller": "teller", "noemer": "noemer"}[r]: c for r, c in roles.items()})
        rows = _Rows(parsed, sheet, frame, columns)
        indicator = pd.Series(indicator_id, index=frame.index, dtype=object)
        out.append(_validate(rows, config, known, indicator))
    return pd.concat(out) if out else pd.DataFrame(columns=COLUMNS)


def parse_indicators(upload: Upload, config: Config, municipalities: pd.DataFrame) -> Parsed:
    """Read and validate a long-form indicator file or a StatLine download (CSV or XLSX)."""
    limits = Limits(int(config.imports.max_file_mb * 1_000_000), config.imports.max_rows)
    sheets, problems = read_sheets(upload, limits)
    parsed = Parsed(upload.name, KIND_LONG, problems=list(problems))
    known = set(municipalities["code"])
    blocks = []
    for sheet, frame in sheets.items():
        kind = _kind(frame)
        if kind is None:
            continue
        parsed.kind = kind
        if kind == KIND_STATLINE:
            blocks.append(_statline(parsed, sheet, frame, config, municipalities))
        else:
            blocks.append(_long(parsed, sheet, frame, config, known))
    if not blocks:
        if sheets:  # a file that could not be read at all has its problem reported already
            missing = min(
                ([field for field in REQUIRED if _find(frame, HEADERS[field]) is None] for frame in sheets.values()),
                key=len,
            )
            parsed.add(
                ERROR, t("indicator_import.missing_columns", columns=", ".join(missing), required=", ".join(REQUIRED))
            )
        return parsed
    values = pd.concat(blocks)
    _duplicates(parsed, values)
    if parsed.ok:
        result = values.drop(columns="_sheet").reset_index(drop=True)
        parsed.tables = {"indicator_values": result[COLUMNS]}
        parsed.scope = {}
    return parsed


def _duplicates(parsed: Parsed, values: pd.DataFrame) -> None:
    keys = ["municipality_code", "indicator_id", "period"]
    rows = values.reset_index(names="_row")
    dup = rows.duplicated(keys, keep=False)
    if not dup.any():
        return
    rows = rows[dup]
    later = rows.duplicated(keys, keep="first")  # by position: another sheet may have the same row number
    first = rows.groupby(keys, sort=False)["_row"].transform("first")
    for (_, row), first_row in zip(rows[later].iterrows(), first[later], strict=True):
        shown = f"{row['municipality_code']} {row['indicator_id']} {row['period']}"
        parsed.add(
            ERROR,
            t("indicator_import.duplicate", first=int(first_row)),
            sheet=row["_sheet"],
            row=int(row["_row"]),
            value=shown,
        )


# -- templates and export ------------------------------------------------------------------------------
def _nl_number(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return repr(float(value)).replace(".", ",").removesuffix(",0")


def export_indicators(values: pd.DataFrame) -> bytes:
    """Indicator values as a long-form CSV (``;``, decimal comma, UTF-8 with BOM) that imports back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["gemeentecode", "indicator", "periode", "waarde", "teller", "noemer", "bron", "peildatum", "status"]
    )
    for row in values.itertuples(index=False):
        ref = row.reference_date
        writer.writerow(
            [
                row.municipality_code,
                row.indicator_id,
                int(row.period),
                _nl_number(row.value),
                _nl_number(row.numerator),
                _nl_number(row.denominator),
                row.source,
                "" if ref is None or pd.isna(ref) else pd.Timestamp(ref).date().isoformat(),
                row.data_status,
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _example() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "municipality_code": "GM0363",
                "indicator_id": "vroeggeboorte",
                "period": 2023,
                "value": 7.4,
                "numerator": 583,
                "denominator": 7878,
                "source": "Perined",
                "reference_date": None,
                "data_status": "definitief",
            },
            {
                "municipality_code": "GM0363",
                "indicator_id": "big2",
                "period": 2023,
                "value": None,
                "numerator": 1012,
                "denominator": 7878,
                "source": "Perined",
                "reference_date": None,
                "data_status": "voorlopig",
            },
            {
                "municipality_code": "GM0014",
                "indicator_id": "kinderen_armoede",
                "period": 2022,
                "value": 8.1,
                "numerator": None,
                "denominator": None,
                "source": "CBS",
                "reference_date": "2024-03-01",
                "data_status": "definitief",
            },
        ]
    )


def template_indicators(kind: str) -> bytes:
    """An example long-form file to fill in: "csv" or "xlsx" (with an explanation sheet)."""
    example = _example()
    if kind == "csv":
        return export_indicators(example)
    if kind != "xlsx":
        raise ValueError(kind)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Indicatoren"
    ws.append(["gemeentecode", "indicator", "periode", "waarde", "teller", "noemer", "bron", "peildatum", "status"])
    for row in example.itertuples(index=False):
        ws.append(
            [
                row.municipality_code,
                row.indicator_id,
                row.period,
                None if row.value is None or pd.isna(row.value) else float(row.value),
                None if pd.isna(row.numerator) else int(row.numerator),
                None if pd.isna(row.denominator) else int(row.denominator),
                row.source,
                row.reference_date,
                row.data_status,
            ]
        )
    for column in ws.columns:  # text cells, so Excel keeps leading zeros and never evaluates
        for cell in column:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    info = wb.create_sheet("Uitleg")
    for line in t("indicator_import.template_help").strip().splitlines():
        info.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
