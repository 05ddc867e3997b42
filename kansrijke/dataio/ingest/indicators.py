"""Indicator figures from files: the long form (one row per municipality, indicator and period) and
CBS StatLine downloads (wide: one row per region and period, one column per measure).

``parse_indicators`` is pure (no database, no Streamlit). It validates every row, reports ALL problems
at once (file, sheet, row as Excel shows it, column, value, what was expected) and returns the
``indicator_values`` table only when there are no errors. Values are parsed column-wise over the
distinct texts of a column, so a national file of 100k rows reads in well under a second.

A municipality is a CBS code or name in any spelling ``common.resolve_municipality`` accepts; a name that
is not known gets "bedoelde u ...?" with the closest names. Each message says what is wrong with that value:
empty, text where a number belongs, decimals in a count, a year outside 1900-2100, a negative number, a
date that does not exist. A blank value is never reported as a range error: a value computed from the
counts is only checked through the counts. ``ja/nee`` indicators take ja/nee or 1/0; ``aantal`` indicators
read their value like a count (``9.123`` is nine thousand one hundred twenty-three).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable

import numpy as np
import openpyxl
import pandas as pd

from kansrijke.core.config import Config
from kansrijke.core.i18n import t
from kansrijke.core.stats import SCALE, wilson
from kansrijke.dataio.ingest.common import (
    CLOSE_ENOUGH,
    ERROR,
    SUGGESTIONS,
    WARNING,
    Limits,
    MunicipalityNames,
    Parsed,
    Upload,
    did_you_mean,
    is_missing,
    looks_like_code,
    looks_like_date,
    municipality_names,
    normalise_header,
    parse_count,
    parse_date,
    parse_municipality,
    parse_number,
    parse_period,
    parse_text,
    parse_yes_no,
    read_sheets,
)

KIND_LONG = "indicatoren"
KIND_STATLINE = "statline"
DATA_STATUSES = ("voorlopig", "definitief", "herzien", "ingetrokken")
# Field -> accepted header names (after lower-casing and collapsing spaces).
HEADERS: dict[str, tuple[str, ...]] = {
    "gemeentecode": ("gemeentecode", "gemeente code", "gemeente_code", "gemeente", "gemeentenaam", "code"),
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
YEARS = (1900, 2100)  # the periods a file may hold
SUGGESTED = 200  # distinct unknown municipality names per block that get "bedoelde u ...?" (a few ms each)
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
        self, severity: str, mask: pd.Series, field: str, message: str | pd.Series, values: pd.Series | None = None
    ) -> None:
        """One problem per row in ``mask`` (a boolean Series on the frame's index); ``message`` may differ per row
        (a Series on the same index)."""
        rows = mask[mask].index
        if not len(rows):
            return
        column = self.columns.get(field)
        shown = values if values is not None else (self.frame[column] if column in self.frame else None)
        for row in rows:
            value = None if shown is None else str(shown.at[row])
            text = message if isinstance(message, str) else str(message.at[row])
            self.parsed.add(severity, text, sheet=self.sheet, row=int(row), column=column, value=value)
        if severity == ERROR:
            self.bad |= mask

    def text(self, field: str) -> pd.Series:
        column = self.columns.get(field)
        if column is None or column not in self.frame:
            return pd.Series("", index=self.frame.index, dtype=object)
        return self.frame[column].fillna("").astype(str)


def _municipality(names: MunicipalityNames) -> Callable[[object], str | None]:
    """A parser for the municipality column: a CBS code or name -> code; ValueError when it names none."""

    def parse(text: object) -> str | None:
        if is_missing(text):
            return None
        code = names.resolve(text)
        if code is None:
            raise ValueError
        return code

    return parse


def _unknown_municipality(names: MunicipalityNames) -> Callable[[str], str]:
    """What is wrong with a municipality that did not resolve: a malformed code, a code not in the division, or
    an unknown name (with the closest names, for the first ``SUGGESTED`` distinct names: a file of nonsense
    must not take minutes)."""
    budget = [SUGGESTED]

    def explain(text: str) -> str:
        if looks_like_code(text):
            try:
                parse_municipality(text)
            except ValueError:
                return t("indicator_import.bad_code")
            return t("indicator_import.unknown_municipality")
        budget[0] -= 1
        return (did_you_mean(names.suggest(text)) if budget[0] >= 0 else "") or t("friendly.unknown_name")

    return explain


def _unknown_indicator(text: str, known: list[str]) -> str:
    close = difflib.get_close_matches(text, known, n=SUGGESTIONS, cutoff=CLOSE_ENOUGH)
    if close:
        return t("friendly.did_you_mean_indicator", ids=", ".join(close))
    return t("indicator_import.unknown_indicator", known=", ".join(known))


def _bad_count(text: str) -> str:
    """Why a text is not a whole, non-negative number (it is not a count: ``parse_count`` refused it)."""
    try:
        number = parse_number(text)
    except ValueError:
        return t("friendly.not_a_number")
    if number is not None and number < 0:
        return t("indicator_import.negative_count")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text.strip()):  # 1,500: an English thousands separator?
        return t("friendly.count_with_comma", number=text.strip().replace(",", ""))
    return t("indicator_import.bad_count")


def _above_hundred(text: str) -> str:
    """A percentage above 100; when it has both a point and a comma (``1.234,5``), the number as it was read."""
    message = t("indicator_import.bad_percentage")
    if "." in text and "," in text:
        read = f"{parse_number(text):g}".replace(".", ",")
        message = f"{t('friendly.read_as', number=read)} {message}"
    return message


def _messages(texts: pd.Series, mask: pd.Series, explain: Callable[[str], str]) -> pd.Series:
    """The message for each row in ``mask``, worked out once per distinct text."""
    found = texts[mask]
    return found.map({text: explain(text) for text in pd.unique(found)}).reindex(texts.index)


def _validate(rows: _Rows, config: Config, names: MunicipalityNames, indicator: pd.Series) -> pd.DataFrame:
    """Parse and check one block of rows; return the good rows in schema columns (index = Excel row)."""
    parsed = rows.parsed
    catalogue = {ind.id: ind for ind in config.indicatoren}

    # municipality: a CBS code or name (common.resolve_municipality)
    code_text = rows.text("gemeentecode")
    codes, unresolved = _parse_column(code_text, _municipality(names))
    rows.problem(ERROR, codes.isna() & ~unresolved, "gemeentecode", t("indicator_import.required"))
    explained = _messages(code_text, unresolved, _unknown_municipality(names))
    rows.problem(ERROR, unresolved, "gemeentecode", explained)

    # indicator
    ind_ok = indicator.isin(list(catalogue))
    rows.problem(ERROR, indicator.eq(""), "indicator", t("indicator_import.required"))
    unknown = ~ind_ok & indicator.ne("")
    known = sorted(catalogue)
    explained = _messages(indicator, unknown, lambda text: _unknown_indicator(text, known))
    rows.problem(ERROR, unknown, "indicator", explained, indicator)

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

    # period: a year, and a plausible one
    periods, bad_period = _parse_column(rows.text("periode"), parse_period)
    rows.problem(ERROR, periods.isna() & ~bad_period, "periode", t("indicator_import.required"))
    rows.problem(ERROR, bad_period, "periode", t("indicator_import.bad_period"))
    year = pd.to_numeric(periods, errors="coerce")
    out_of_range = year.notna() & ~year.between(*YEARS)
    rows.problem(ERROR, out_of_range, "periode", t("friendly.year_out_of_range", low=YEARS[0], high=YEARS[1]))
    periods = periods.where(~out_of_range)

    # counts: whole, non-negative numbers
    counts = {}
    for field in ("teller", "noemer"):
        text = rows.text(field)
        parsed_counts, failed = _parse_column(text, parse_count)
        rows.problem(ERROR, failed, field, _messages(text, failed, _bad_count))
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

    # value: given, or computed from the counts. A number; for "aantal" read like a count where it is one
    # (9.123 is 9123, as in teller); for "ja/nee" also ja or nee.
    value_text = rows.text("waarde")
    counted, yes_no = units.eq("aantal"), units.eq("ja/nee")
    numbers, bad_number = _parse_column(value_text, parse_number)
    if counted.any():
        whole_numbers, not_whole = _parse_column(value_text[counted], parse_count)
        whole = (~not_whole).reindex(value_text.index, fill_value=False)
        numbers = numbers.where(~whole, whole_numbers.reindex(value_text.index))
    if yes_no.any():
        answers, bad_answer = _parse_column(value_text[yes_no], parse_yes_no)
        numbers = numbers.where(~yes_no, answers.reindex(value_text.index))
        bad_number = bad_number.where(~yes_no, bad_answer.reindex(value_text.index, fill_value=False))
    values, bad_value = numbers, bad_number
    rows.problem(ERROR, bad_value & ~yes_no, "waarde", t("indicator_import.bad_number"))
    rows.problem(ERROR, bad_value & yes_no, "waarde", t("friendly.yes_no"))
    value = pd.to_numeric(values, errors="coerce").astype(float)
    scale = units.map(SCALE).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        from_counts = np.where(rated, num / den * scale, np.where(counted, num, np.nan))
    from_counts = pd.Series(from_counts, index=value.index).where(den.ne(0) | ~rated)
    computed = value.isna() & ~bad_value & from_counts.notna()
    given = value.notna()  # from the file: a computed value is checked through its counts (teller <= noemer)
    value = value.where(~computed, from_counts)
    pct = units.eq("%")
    rows.problem(ERROR, given & rated & (value < 0), "waarde", t("indicator_import.negative_value"))
    rows.problem(WARNING, given & yes_no & ~value.isin([0.0, 1.0]), "waarde", t("friendly.yes_no_number"))
    above = given & pct & (value > 100)
    rows.problem(ERROR, above, "waarde", _messages(value_text, above, _above_hundred))
    gap = (value - from_counts).abs()
    differs = ~computed & value.notna() & from_counts.notna() & (gap > 0.05 + 0.01 * value.abs()) & ~rows.bad
    rows.problem(
        WARNING,
        differs,
        "waarde",
        t("indicator_import.value_differs"),
        value_text + " ≠ " + from_counts.round(2).astype(str),
    )
    missing_value = value.isna() & ~bad_value & ~rows.bad
    # a blank value with only one of the counts: the value cannot be computed (said so, not lumped with blanks)
    half = missing_value & rated & (num.isna() != den.isna())
    if parsed.kind == KIND_LONG:
        lacking = pd.Series("noemer", index=value.index).where(den.isna(), "teller")
        rows.problem(WARNING, half, "waarde", lacking.map(lambda field: t("friendly.value_empty_half", missing=field)))
    parsed.skip(t("friendly.skipped_half"), int(half.sum()))
    parsed.skip(t("indicator_import.skipped_missing"), int((missing_value & ~half).sum()))

    # optional text fields
    date_text = rows.text("peildatum")
    ref_dates, bad_date = _parse_column(date_text, parse_date)
    no_such_date = bad_date & date_text.map(looks_like_date).astype(bool)
    rows.problem(ERROR, no_such_date, "peildatum", t("friendly.no_such_date"))
    rows.problem(ERROR, bad_date & ~no_such_date, "peildatum", t("indicator_import.bad_date"))
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


def _long(
    parsed: Parsed, sheet: str | None, frame: pd.DataFrame, config: Config, names: MunicipalityNames
) -> pd.DataFrame:
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
    return _validate(rows, config, names, indicator)


def _statline(
    parsed: Parsed, sheet: str | None, frame: pd.DataFrame, config: Config, names: MunicipalityNames
) -> pd.DataFrame:
    region_col = _find(frame, STATLINE_REGION)
    period_col = _find(frame, STATLINE_PERIOD)
    region = frame[region_col].fillna("").astype(str).str.strip()
    upper = region.str.upper()
    is_code = upper.str.fullmatch(r"GM\d{4}")
    other_code = upper.str.fullmatch(r"(NL\d{2}|PV\d{2}|CR\d{2}|GG\d{4}|LD\d{2}|COROP\d*|JZ\d{2}|RE\d{2}|ZW\d{2})")
    # names as in every file kind; no "bedoelde u": a download also holds provinces, regions and former municipalities
    name_code = region.map({text: names.resolve(text) for text in pd.unique(region[~is_code])}).astype(object)
    code = upper.where(is_code, name_code)
    not_municipality = other_code | (~is_code & name_code.isna())
    parsed.skip(t("indicator_import.skipped_not_municipality"), int(not_municipality.sum()))
    # a code no longer in the current division (merged away) is skipped once per row, not once per measure
    old = ~not_municipality & ~code.isin(names.codes)
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
        out.append(_validate(rows, config, names, indicator))
    return pd.concat(out) if out else pd.DataFrame(columns=COLUMNS)


def parse_indicators(upload: Upload, config: Config, municipalities: pd.DataFrame) -> Parsed:
    """Read and validate a long-form indicator file or a StatLine download (CSV or XLSX)."""
    limits = Limits.from_config(config.imports)
    sheets, problems = read_sheets(upload, limits)
    parsed = Parsed(upload.name, KIND_LONG, problems=list(problems))
    names = municipality_names(municipalities)
    blocks = []
    for sheet, frame in sheets.items():
        kind = _kind(frame)
        if kind is None:
            continue
        parsed.kind = kind
        if kind == KIND_STATLINE:
            blocks.append(_statline(parsed, sheet, frame, config, names))
        else:
            blocks.append(_long(parsed, sheet, frame, config, names))
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
    info.append([t("friendly.template_names")])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
