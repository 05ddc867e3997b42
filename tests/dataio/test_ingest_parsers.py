"""The pure file parsers behind "Gegevens importeren": indicator files (long form and CBS StatLine) and
coalition plans (Excel workbook or YAML).

What a user notices: which real-world files are accepted (and give the same figures), and for every bad
file the exact Dutch message and where it points (file, sheet, row as Excel shows it with the header as
row 1, column, value). Errors block the import (no tables), warnings do not, and all problems of a file are
reported at once. Property tests: export -> parse gives the same rows, and any corruption is caught.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import math
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kansrijke.actions import rules
from kansrijke.actions.rules import partner_name
from kansrijke.core.i18n import t
from kansrijke.core.reference import load_municipalities
from kansrijke.dataio.ingest import common, plan
from kansrijke.dataio.ingest.common import WARNING, Upload, read_sheets
from kansrijke.dataio.ingest.indicators import (
    DATA_STATUSES,
    export_indicators,
    looks_like_indicators,
    parse_indicators,
    template_indicators,
)
from kansrijke.dataio.ingest.plan import export_plan, parse_plan, template_plan

# -- helpers: files as a user would upload them ---------------------------------------------------------
HEADER = ["gemeentecode", "indicator", "periode", "waarde", "teller", "noemer", "bron", "peildatum", "status"]
VALID_ROW = {
    "gemeentecode": "GM0363",
    "indicator": "vroeggeboorte",
    "periode": "2023",
    "waarde": "7,4",
    "teller": "583",
    "noemer": "7878",
    "bron": "Perined",
    "peildatum": "",
    "status": "definitief",
}


def csv_bytes(rows: list[list[object]], sep: str = ";", encoding: str = "utf-8") -> bytes:
    """Rows as a CSV file (quoted where needed, CRLF like Excel writes it)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def long_csv(*rows: dict[str, str], header: list[str] = HEADER) -> bytes:
    """A long-form indicator CSV; each row is a dict of the columns in ``header``."""
    return csv_bytes([header] + [[cells.get(column, "") for column in header] for cells in rows])


def row(**changes: str) -> dict[str, str]:
    """A valid long-form row (Amsterdam, vroeggeboorte 2023) with some cells changed."""
    return VALID_ROW | changes


def xlsx_bytes(sheets: dict[str, list[list[object]]], formulas: dict[str, dict[str, str]] | None = None) -> bytes:
    """A workbook; every string is a text cell (never a formula) unless given in ``formulas`` {sheet: {cell: f}}."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for values in rows:
            ws.append(values)
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for ref, formula in (formulas or {}).get(title, {}).items():
            ws[ref] = formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buffer.getvalue()


def with_limits(config, **imports):
    """A copy of the configuration with other import limits (max_file_mb, max_rows, warn_factor)."""
    return config.model_copy(update={"imports": config.imports.model_copy(update=imports)})


def only_error(parsed) -> common.Problem:
    """The single error of a file that must not import."""
    assert not parsed.tables
    assert len(parsed.errors) == 1, [p.text() for p in parsed.errors]
    return parsed.errors[0]


def where(problem: common.Problem) -> tuple:
    return problem.sheet, problem.row, problem.column, problem.value


def values(parsed) -> pd.DataFrame:
    """The parsed indicator values, one row per (municipality, indicator, period), sorted."""
    assert parsed.ok, [p.text() for p in parsed.errors]
    return (
        parsed.tables["indicator_values"]
        .sort_values(["municipality_code", "indicator_id", "period"])
        .reset_index(drop=True)
    )


def plain(value: object) -> object:
    """A parsed cell as a plain Python value (None for every kind of missing)."""
    if isinstance(value, list):
        return value
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: plain(v) for k, v in r.items()} for r in frame.astype(object).to_dict("records")]


@pytest.fixture(scope="module")
def municipalities(config) -> pd.DataFrame:
    """The real 342 municipalities (CBS 2025) as the monitor knows them."""
    return load_municipalities(config)


@pytest.fixture(scope="module")
def codes(municipalities) -> list[str]:
    return sorted(municipalities["code"])


def parse_file(name: str, data: bytes, config, municipalities):
    return parse_indicators(Upload(name, data), config, municipalities)


# -- 1. indicator files: real-world shapes that are accepted ---------------------------------------------
def test_templates_csv_and_xlsx_import_the_same_example_rows(config, municipalities):
    from_csv = values(parse_file("sjabloon.csv", template_indicators("csv"), config, municipalities))
    from_xlsx = values(parse_file("sjabloon.xlsx", template_indicators("xlsx"), config, municipalities))
    pd.testing.assert_frame_equal(from_csv, from_xlsx)
    assert from_csv[["municipality_code", "indicator_id", "period"]].values.tolist() == [
        ["GM0014", "kinderen_armoede", 2022],
        ["GM0363", "big2", 2023],
        ["GM0363", "vroeggeboorte", 2023],
    ]
    assert from_csv["value"].tolist() == pytest.approx([8.1, 1012 / 7878 * 100, 7.4])
    assert from_csv.loc[0, "reference_date"] == dt.date(2024, 3, 1)
    assert from_csv["data_status"].tolist() == ["definitief", "voorlopig", "definitief"]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            b"gemeentecode;indicator;periode;waarde\r\nGM0363;vroeggeboorte;2023;7,4\r\nGM0014;big2;2022;12,25\r\n",
            id="semicolon-decimal-comma",
        ),
        pytest.param(
            b"gemeentecode,indicator,periode,waarde\nGM0363,vroeggeboorte,2023,7.4\nGM0014,big2,2022,12.25\n",
            id="comma-decimal-point",
        ),
        pytest.param(
            b'gemeentecode,indicator,periode,waarde\nGM0363,vroeggeboorte,2023,"7,4"\nGM0014,big2,2022,"12,25"\n',
            id="comma-quoted-decimal-comma",
        ),
        pytest.param(
            b"gemeentecode\tindicator\tperiode\twaarde\nGM0363\tvroeggeboorte\t2023\t7,4\nGM0014\tbig2\t2022\t12,25\n",
            id="tab",
        ),
    ],
)
def test_separators_and_decimal_marks_give_the_same_values(config, municipalities, data):
    got = values(parse_file("cijfers.csv", data, config, municipalities))
    assert got[["municipality_code", "indicator_id", "period", "value"]].values.tolist() == [
        ["GM0014", "big2", 2022, 12.25],
        ["GM0363", "vroeggeboorte", 2023, 7.4],
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_utf8_with_or_without_bom_and_windows_1252_read_the_same_text(config, municipalities, encoding):
    data = csv_bytes(
        [
            ["gemeentecode", "indicator", "periode", "waarde", "bron"],
            ["GM0363", "vroeggeboorte", "2023", "7,4", "Perined ë"],
        ],
        encoding=encoding,
    )
    assert (b"\xeb" in data) == (encoding == "cp1252")  # really encoded the way the test says
    got = values(parse_file("cijfers.csv", data, config, municipalities))
    assert got["source"].tolist() == ["Perined ë"]
    assert got["municipality_code"].tolist() == ["GM0363"]  # a BOM does not spoil the first header


def test_header_names_in_any_case_with_stray_spaces_and_aliases(config, municipalities):
    data = b" GemeenteCode ;INDICATOR;  Periode ;Waarde \n363;vroeggeboorte;2023;7,4\n"
    got = values(parse_file("cijfers.csv", data, config, municipalities))
    assert got[["municipality_code", "indicator_id", "period", "value"]].values.tolist() == [
        ["GM0363", "vroeggeboorte", 2023, 7.4]
    ]
    aliases = b"Gemeente Code;Indicator_ID;Jaar;Value;Numerator;Denominator;Source\n0363;big2;2023;;10;100;CBS\n"
    got = values(parse_file("cijfers.csv", aliases, config, municipalities))
    assert got[
        ["municipality_code", "indicator_id", "period", "value", "numerator", "denominator", "source"]
    ].values.tolist() == [["GM0363", "big2", 2023, 10.0, 10, 100, "CBS"]]


@pytest.mark.parametrize("code", ["GM0363", "gm0363", "0363", "363", " 363 ", "363.0"])
def test_municipality_code_in_every_usual_spelling(config, municipalities, code):
    got = values(parse_file("cijfers.csv", long_csv(row(gemeentecode=code)), config, municipalities))
    assert got["municipality_code"].tolist() == ["GM0363"]


@pytest.mark.parametrize("period", ["2023", "2023JJ00", " 2023 ", "2023.0"])
def test_period_as_year_or_cbs_code(config, municipalities, period):
    got = values(parse_file("cijfers.csv", long_csv(row(periode=period)), config, municipalities))
    assert got["period"].tolist() == [2023]


def test_xlsx_with_numbers_and_dates_as_excel_stores_them(config, municipalities):
    data = xlsx_bytes(
        {
            "Blad1": [
                HEADER,
                [363, "vroeggeboorte", 2023, 7.4, 583, 7878, "Perined", dt.datetime(2024, 3, 1), "voorlopig"],
            ]
        }
    )
    got = values(parse_file("cijfers.xlsx", data, config, municipalities))
    assert records(got) == [
        {
            "municipality_code": "GM0363",
            "indicator_id": "vroeggeboorte",
            "period": 2023,
            "value": 7.4,
            "numerator": 583,
            "denominator": 7878,
            "source": "Perined",
            "reference_date": dt.date(2024, 3, 1),
            "data_status": "voorlopig",
        }
    ]


def test_missing_values_are_skipped_and_counted(config, municipalities):
    data = long_csv(
        row(gemeentecode="GM0014", waarde="", teller="", noemer=""),
        row(gemeentecode="GM0034", waarde=".", teller="", noemer=""),
        row(gemeentecode="GM0037", waarde="-", teller="", noemer=""),
        row(gemeentecode="GM0047", waarde="x", teller="", noemer=""),
        row(gemeentecode="GM0363", waarde="7,4"),
    )
    parsed = parse_file("cijfers.csv", data, config, municipalities)
    assert values(parsed)["municipality_code"].tolist() == ["GM0363"]
    assert parsed.skipped == {t("indicator_import.skipped_missing"): 4}
    assert parsed.problems == []


def test_value_is_computed_from_numerator_and_denominator_when_absent(config, municipalities):
    data = long_csv(
        row(waarde="", teller="583", noemer="7878"),  # % -> x 100
        row(indicator="tienermoeders", waarde="x", teller="29", noemer="10000"),  # per 1000
        row(indicator="levendgeborenen", waarde="", teller="9.123", noemer=""),
    )  # aantal; 9.123 = 9123
    got = values(parse_file("cijfers.csv", data, config, municipalities)).set_index("indicator_id")
    assert got.loc["vroeggeboorte", "value"] == pytest.approx(583 / 7878 * 100) == pytest.approx(7.40035542)
    assert got.loc["tienermoeders", "value"] == pytest.approx(2.9)
    assert got.loc["levendgeborenen", "value"] == 9123
    assert (got.loc["vroeggeboorte", "numerator"], got.loc["vroeggeboorte", "denominator"]) == (583, 7878)


def test_defaults_source_from_catalogue_and_status_definitief(config, municipalities):
    got = values(
        parse_file("cijfers.csv", long_csv(row(bron="", status="", peildatum="1-3-2024")), config, municipalities)
    )
    assert got.loc[0, "source"] == config.indicator("vroeggeboorte").bron
    assert got.loc[0, "data_status"] == "definitief"
    assert got.loc[0, "reference_date"] == dt.date(2024, 3, 1)
    upper = values(
        parse_file(
            "cijfers.csv", long_csv(row(status=" Voorlopig ", indicator="VroegGeboorte")), config, municipalities
        )
    )
    assert (upper.loc[0, "data_status"], upper.loc[0, "indicator_id"]) == ("voorlopig", "vroeggeboorte")


def test_header_only_file_is_valid_and_imports_nothing(config, municipalities):
    parsed = parse_file("leeg.csv", long_csv(), config, municipalities)
    assert parsed.ok and parsed.problems == [] and len(parsed.tables["indicator_values"]) == 0


def test_row_numbers_are_those_excel_shows_even_after_blank_lines(config, municipalities):
    text = (
        "gemeentecode;indicator;periode;waarde\r\n"
        "GM0363;vroeggeboorte;2023;7,4\r\n"
        "\r\n"  # row 3: an empty line
        ";;;\r\n"  # row 4: only separators
        "GM0363;vroeggeboorte;2022;veel\r\n"
    )  # row 5
    error = only_error(parse_file("cijfers.csv", text.encode(), config, municipalities))
    assert where(error) == (None, 5, "waarde", "veel")
    bad = list(row(periode="2022", waarde="veel").values())
    data = xlsx_bytes({"Cijfers": [HEADER, list(row().values()), [], [], bad]})
    error = only_error(parse_file("cijfers.xlsx", data, config, municipalities))
    assert where(error) == ("Cijfers", 5, "waarde", "veel")


def test_problem_text_names_file_sheet_row_column_and_value(config, municipalities):
    data = xlsx_bytes({"Cijfers": [HEADER, list(row(waarde="veel").values())]})
    error = only_error(parse_file("cijfers.xlsx", data, config, municipalities))
    assert (
        error.text() == f"cijfers.xlsx, blad Cijfers, rij 2, kolom 'waarde': waarde 'veel': "
        f"{t('indicator_import.bad_number')}"
    )
    assert error.as_dict() == {
        "ernst": "fout",
        "bestand": "cijfers.xlsx",
        "blad": "Cijfers",
        "rij": 2,
        "kolom": "waarde",
        "waarde": "veel",
        "melding": t("indicator_import.bad_number"),
    }


def test_looks_like_indicators_recognises_long_and_statline_but_not_a_plan(config):
    limits = common.Limits(10**6, 1000)
    long_form, _ = read_sheets(Upload("a.csv", long_csv(row())), limits)
    statline, _ = read_sheets(
        Upload("b.csv", b"ID;RegioS;Perioden;LevendGeborenKinderen_1\n0;GM0363;2023JJ00;9000\n"), limits
    )
    workbook, _ = read_sheets(Upload("plan.xlsx", template_plan("xlsx")), limits)
    assert looks_like_indicators(long_form) and looks_like_indicators(statline)
    assert not looks_like_indicators(workbook)


# -- 2. CBS StatLine downloads -----------------------------------------------------------------------------
STATLINE = (
    '"ID";"RegioS";"Perioden";"LevendGeborenKinderen_1";"InEenouderhuishouden_4"\r\n'
    '0;"NL01    ";"2023JJ00";163823;14012\r\n'
    '1;"PV27    ";"2023JJ00";12000;1100\r\n'
    '2;"CR01    ";"2023JJ00";5000;400\r\n'
    '3;"GG3406  ";"2023JJ00";7000;600\r\n'
    '4;"GM0363    ";"2023JJ00";9000;700\r\n'
    '5;"Rotterdam";"2023JJ00";6500;650\r\n'
)


def test_statline_wide_download_becomes_one_row_per_municipality_and_measure(config, municipalities):
    parsed = parse_file("82056NED.csv", STATLINE.encode(), config, municipalities)
    assert parsed.kind == "statline"
    assert parsed.skipped == {t("indicator_import.skipped_not_municipality"): 4}
    got = values(parsed)
    assert got[["municipality_code", "indicator_id", "period"]].values.tolist() == [
        ["GM0363", "geboren_eenouder", 2023],
        ["GM0363", "levendgeborenen", 2023],
        ["GM0599", "geboren_eenouder", 2023],
        ["GM0599", "levendgeborenen", 2023],
    ]
    assert got["value"].tolist() == pytest.approx([700 / 9000 * 100, 9000, 650 / 6500 * 100, 6500])
    assert got["numerator"].tolist()[0::2] == [700, 650] and got["denominator"].tolist()[0::2] == [9000, 6500]


def test_statline_xlsx_download_reads_like_the_csv(config, municipalities):
    rows = [next(csv.reader([line], delimiter=";")) for line in STATLINE.strip().split("\r\n")]
    data = xlsx_bytes({"Tabel": rows})
    pd.testing.assert_frame_equal(
        values(parse_file("82056NED.xlsx", data, config, municipalities)),
        values(parse_file("82056NED.csv", STATLINE.encode(), config, municipalities)),
    )


def test_statline_with_one_measure_counts_each_skipped_row_once(config, municipalities):
    # GM0003 (Appingedam) was merged into Eemsdelta in 2021: not in the current division, skipped, not an error.
    assert "GM0003" not in set(municipalities["code"])
    data = (
        b"RegioS;Perioden;LevendGeborenKinderen_1\nNL01;2019JJ00;169680\nGM0003;2019JJ00;95\n"
        b"GM0363;2019JJ00;9500\nGM0014;2019JJ00;       .\n"
    )
    parsed = parse_file("37230ned.csv", data, config, municipalities)
    assert parsed.problems == []
    assert parsed.skipped == {
        t("indicator_import.skipped_not_municipality"): 1,
        t("indicator_import.skipped_old_municipality"): 1,
        t("indicator_import.skipped_missing"): 1,
    }
    assert values(parsed)[["municipality_code", "indicator_id", "value"]].values.tolist() == [
        ["GM0363", "levendgeborenen", 9500.0]
    ]


def test_statline_without_a_mapped_measure_column_says_which_columns_are_expected(config, municipalities):
    data = b"RegioS;Perioden;Bevolking_1\nGM0363;2023JJ00;931298\n"
    error = only_error(parse_file("tabel.csv", data, config, municipalities))
    assert error.message.startswith("Geen bekende meetkolom gevonden in deze StatLine-download.")
    assert "levendgeborenen (waarde): LevendGeborenKinderen_1" in error.message
    assert "kinderen_armoede (waarde): MinderjarigenInHuishoudenMetLaagInkomen_1" in error.message


def test_statline_bad_measure_value_points_at_the_row_and_column(config, municipalities):
    data = b"RegioS;Perioden;LevendGeborenKinderen_1\nGM0363;2023JJ00;9000\nGM0599;2023JJ00;veel\n"
    error = only_error(parse_file("tabel.csv", data, config, municipalities))
    assert (error.message, where(error)) == (
        t("indicator_import.bad_number"),
        (None, 3, "levendgeborenkinderen_1", "veel"),
    )


# -- 3. indicator files: one test per kind of bad input ---------------------------------------------------
def _known(config) -> str:
    return ", ".join(sorted(i.id for i in config.indicatoren))


BAD_ROWS = [
    # (changes to a valid row 3, message key (in indicator_import unless it has a section), message params,
    #  column, value shown); names are accepted too: see test_friendly.py
    ({"gemeentecode": "GM9999"}, "unknown_municipality", {}, "gemeentecode", "GM9999"),
    ({"gemeentecode": "GM03633"}, "bad_code", {}, "gemeentecode", "GM03633"),
    ({"gemeentecode": ""}, "required", {}, "gemeentecode", ""),
    ({"indicator": "geluk"}, "unknown_indicator", {"known": _known}, "indicator", "geluk"),
    ({"indicator": ""}, "required", {}, "indicator", ""),
    ({"waarde": "zeven"}, "bad_number", {}, "waarde", "zeven"),
    ({"waarde": "120"}, "bad_percentage", {}, "waarde", "120"),
    ({"indicator": "tienermoeders", "waarde": "-1", "teller": "", "noemer": ""}, "negative_value", {}, "waarde", "-1"),
    ({"teller": "7878", "noemer": "583"}, "numerator_above_denominator", {}, "teller", "7878 > 583"),
    ({"teller": "-5"}, "negative_count", {}, "teller", "-5"),
    ({"noemer": "7878,5"}, "bad_count", {}, "noemer", "7878,5"),
    ({"teller": "0", "noemer": "0", "waarde": ""}, "zero_denominator", {}, "noemer", "0"),
    ({"periode": "2023Q1"}, "bad_period", {}, "periode", "2023Q1"),
    (
        {"periode": "1850"},
        "friendly.year_out_of_range",
        {"low": lambda c: 1900, "high": lambda c: 2100},
        "periode",
        "1850",
    ),
    ({"periode": ""}, "required", {}, "periode", ""),
    ({"peildatum": "31-02-2024"}, "friendly.no_such_date", {}, "peildatum", "31-02-2024"),
    ({"peildatum": "gisteren"}, "bad_date", {}, "peildatum", "gisteren"),
    ({"status": "concept"}, "bad_status", {"allowed": lambda c: ", ".join(DATA_STATUSES)}, "status", "concept"),
]


@pytest.mark.parametrize(
    ("changes", "key", "params", "column", "shown"), BAD_ROWS, ids=[f"{k}-{'-'.join(c)}" for c, k, *_ in BAD_ROWS]
)
def test_bad_cell_gives_its_message_at_its_row_and_column(config, municipalities, changes, key, params, column, shown):
    data = long_csv(row(), row(periode="2022") | changes)
    error = only_error(parse_file("cijfers.csv", data, config, municipalities))
    expected = t(
        key if "." in key else f"indicator_import.{key}", **{name: make(config) for name, make in params.items()}
    )
    assert error.message == expected
    assert where(error) == (None, 3, column, shown)
    assert error.file == "cijfers.csv"


def test_duplicate_key_names_the_first_row(config, municipalities):
    data = long_csv(row(), row(periode="2022"), row(gemeentecode="363", periode="2023JJ00", waarde="7,5"))
    error = only_error(parse_file("cijfers.csv", data, config, municipalities))
    assert error.message == t("indicator_import.duplicate", first=2)
    assert "rij 2" in error.message
    assert where(error) == (None, 4, None, "GM0363 vroeggeboorte 2023")


def test_duplicate_across_sheets_of_one_workbook(config, municipalities):
    data = xlsx_bytes({"2023": [HEADER, list(row().values())], "Extra": [HEADER, list(row(waarde="7").values())]})
    error = only_error(parse_file("cijfers.xlsx", data, config, municipalities))
    assert (error.message, where(error)) == (
        t("indicator_import.duplicate", first=2),
        ("Extra", 2, None, "GM0363 vroeggeboorte 2023"),
    )


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["gemeentecode", "indicator", "waarde"], "periode"),
        (["gemeentecode", "indicator", "periode"], "waarde"),
        (["gemeentecode", "periode", "waarde"], "indicator"),
        (["indicator", "periode", "waarde"], "gemeentecode"),
    ],
)
def test_missing_required_column_names_only_the_missing_one(config, municipalities, header, missing):
    error = only_error(parse_file("cijfers.csv", long_csv(row(), header=header), config, municipalities))
    assert error.message == t(
        "indicator_import.missing_columns", columns=missing, required="gemeentecode, indicator, periode, waarde"
    )
    assert where(error) == (None, None, None, None)


def test_file_too_big_is_refused_with_only_that_message(config, municipalities):
    small = with_limits(config, max_file_mb=0.0001)  # 100 bytes
    data = long_csv(row(), row(periode="2022"))
    assert len(data) > 100
    error = only_error(parse_file("cijfers.csv", data, small, municipalities))
    assert error.message == t("ingest.too_big", max="0.0001")
    assert parse_file("cijfers.csv", data, with_limits(config, max_file_mb=0.001), municipalities).ok


def test_too_many_rows_csv_and_each_xlsx_sheet(config, municipalities):
    few = with_limits(config, max_rows=2)
    rows = [row(periode=str(year)) for year in (2021, 2022, 2023)]
    error = only_error(parse_file("cijfers.csv", long_csv(*rows), few, municipalities))
    assert error.message == t("ingest.too_many_rows", max=2)
    assert parse_file("cijfers.csv", long_csv(*rows[:2]), few, municipalities).ok
    data = xlsx_bytes(
        {
            "Klein": [HEADER, list(row(gemeentecode="GM0014").values())],
            "Groot": [HEADER] + [list(r.values()) for r in rows],
        }
    )
    error = only_error(parse_file("cijfers.xlsx", data, few, municipalities))
    assert (error.message, error.sheet) == (t("ingest.too_many_rows", max=2), "Groot")


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        pytest.param("cijfers.xlsx", b"gemeentecode;indicator\n", "not_xlsx", id="xlsx-not-a-zip"),
        pytest.param("cijfers.xlsx", zip_bytes({"word/document.xml": "<w/>"}), "not_xlsx", id="zip-not-a-workbook"),
        pytest.param("cijfers.xlsx", zip_bytes({"xl/workbook.xml": "kapot"}), "not_xlsx", id="broken-workbook"),
        pytest.param("cijfers.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old_xls", id="old-xls"),
        pytest.param("cijfers.csv", b"gemeentecode;indicator\x00\x01\x02", "not_text", id="binary-in-csv"),
        pytest.param("cijfers.csv", zip_bytes({"a.txt": "x"}), "not_text", id="zip-named-csv"),
        pytest.param("cijfers.pdf", b"%PDF-1.7", "unknown_type", id="unknown-extension"),
        pytest.param("cijfers", b"gemeentecode;indicator\n", "unknown_type", id="no-extension"),
    ],
)
def test_unreadable_file_gives_one_clear_message(config, municipalities, name, data, key):
    error = only_error(parse_file(name, data, config, municipalities))
    assert error.message == t(f"ingest.{key}", file=name)
    assert (error.file, where(error)) == (name, (None, None, None, None))


def test_formula_without_cached_value_is_an_error_at_its_cell(config, municipalities):
    data = xlsx_bytes(
        {"Cijfers": [HEADER, list(row(waarde="").values()), list(row(periode="2022").values())]},
        formulas={"Cijfers": {"D2": "=583/7878*100"}},
    )
    parsed = parse_file("cijfers.xlsx", data, config, municipalities)
    error = only_error(parsed)
    assert error.message == t("ingest.formula_without_value")
    assert where(error) == ("Cijfers", 2, "waarde", None)


def test_all_problems_of_a_file_are_reported_together(config, municipalities):
    data = long_csv(
        row(),
        row(periode="2022", gemeentecode="GM9999"),
        row(periode="2021", waarde="veel"),
        row(periode="2020", status="concept"),
        row(periode="2019", indicator="geluk", peildatum="morgen", teller="-1"),
    )
    parsed = parse_file("cijfers.csv", data, config, municipalities)
    assert not parsed.tables
    got = sorted((p.row, p.column, p.message) for p in parsed.errors)
    assert got == sorted(
        [
            (3, "gemeentecode", t("indicator_import.unknown_municipality")),
            (4, "waarde", t("indicator_import.bad_number")),
            (5, "status", t("indicator_import.bad_status", allowed=", ".join(DATA_STATUSES))),
            (6, "indicator", t("indicator_import.unknown_indicator", known=_known(config))),
            (6, "peildatum", t("indicator_import.bad_date")),
            (6, "teller", t("indicator_import.negative_count")),
        ]
    )


def test_value_far_from_national_figure_warns_but_imports(config, municipalities):
    assert config.imports.warn_factor == 3 and config.indicator("vroeggeboorte").landelijk.waarde == 6.6
    data = long_csv(
        row(waarde="25", teller="", noemer=""),  # no counts: 25 > 3 x 6.6
        row(gemeentecode="GM0014", waarde="", teller="3000", noemer="10000"),  # 30%, large sample
        row(gemeentecode="GM0034", waarde="", teller="3", noemer="10"),  # 30%, tiny sample: no alarm
        row(gemeentecode="GM0037", waarde="3", teller="", noemer=""),
    )  # 3 > 6.6 / 3: fine
    parsed = parse_file("cijfers.csv", data, config, municipalities)
    assert parsed.ok and len(parsed.tables["indicator_values"]) == 4
    assert [(p.severity, p.row, p.column, p.value, p.message) for p in parsed.problems] == [
        (WARNING, 2, "waarde", "25", t("indicator_import.far_from_national", factor="3")),
        (WARNING, 3, "waarde", "30.0", t("indicator_import.far_from_national", factor="3")),
    ]
    strict = with_limits(config, warn_factor=1.1)
    assert len(parse_file("cijfers.csv", data, strict, municipalities).warnings) == 4


def test_value_that_differs_from_counts_warns_and_keeps_the_file_value(config, municipalities):
    parsed = parse_file("cijfers.csv", long_csv(row(waarde="9,9")), config, municipalities)
    assert [(p.severity, p.row, p.column, p.value, p.message) for p in parsed.problems] == [
        (WARNING, 2, "waarde", "9,9 ≠ 7.4", t("indicator_import.value_differs"))
    ]
    assert values(parsed)["value"].tolist() == [9.9]


# -- 4. coalition plans ------------------------------------------------------------------------------------
NEXT_YEARS = dt.date.today().year + 4


def base_plan() -> dict:
    """A small valid plan as the YAML tree a user writes (the same content as the five sheets)."""
    return {
        "coalitie": {
            "coalitie_id": "KS-UTR",
            "naam": "Kansrijke Start Utrecht",
            "fase": "4 Uitvoering",
            "startdatum": dt.date(2020, 1, 15),
            "trekker": "GGD regio Utrecht",
            "gemeenten": ["GM0344", "Amersfoort"],
        },
        "ambities": [
            {
                "ambitie_id": "A1",
                "titel": "Elk kind een kansrijke start",
                "omschrijving": None,
                "horizonjaar": NEXT_YEARS,
            },
            {"ambitie_id": "A2", "titel": "Steun dichtbij", "omschrijving": "In elke wijk", "horizonjaar": None},
        ],
        "doelen": [
            {
                "doel_id": "D1",
                "ambitie_id": "A1",
                "titel": "Minder vroeggeboorte",
                "indicator": "vroeggeboorte",
                "basiswaarde": 7.4,
                "basisjaar": 2022,
                "streefwaarde": 6.5,
                "streefjaar": NEXT_YEARS,
                "eigenaar": "GGD",
            }
        ],
        "resultaten": [
            {
                "resultaat_id": "R1",
                "ambitie_id": "A1",
                "doel_id": "D1",
                "titel": "Verloskundigen geschoold",
                "streefwaarde": 40,
                "gerealiseerd": 12.5,
                "eenheid": "professionals",
                "deadline": dt.date(2027, 6, 30),
                "bijgewerkt_op": None,
            }
        ],
        "acties": [
            {
                "datum": dt.date(2026, 3, 10),
                "titel": "Startbijeenkomst",
                "omschrijving": None,
                "trekker": "JGZ",
                "status": "afgerond",
                "doel_id": "D1",
                "principes": [2, 6],
                "partners": ["jgz", "verloskunde"],
                "niveau": "uitvoerend",
            },
            {
                "datum": dt.date(2026, 9, 1),
                "titel": "Wijkcafé",
                "omschrijving": None,
                "trekker": None,
                "status": "gepland",
                "doel_id": None,
                "principes": [],
                "partners": [],
                "niveau": None,
            },
        ],
    }


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # one date object used twice must not become &id001 / *id001


def plan_yaml(tree: dict) -> bytes:
    return yaml.dump(tree, Dumper=_NoAliases, allow_unicode=True, sort_keys=False).encode()


def plan_xlsx(tree: dict, headers: dict[str, list[str]] | None = None) -> bytes:
    """The tree as a workbook: one sheet per section (absent section = absent sheet), lists as 'a, b'."""
    sheets = {}
    for sheet in plan.SHEETS:
        if sheet.lower() not in tree:
            continue
        section = tree[sheet.lower()]
        items = [section] if isinstance(section, dict) else section
        columns = (headers or {}).get(sheet, [name for name, _ in plan.COLUMNS[sheet]])
        cells = [
            [", ".join(map(str, v)) if isinstance(v := item.get(canonical(c)), list) else v for c in columns]
            for item in items
        ]
        sheets[sheet] = [columns] + cells
    return xlsx_bytes(sheets)


def canonical(header: str) -> str:
    """A header as the plan parser matches it: case-insensitive, spaces and hyphens as '_'."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def plan_file(kind: str, tree: dict) -> Upload:
    return Upload(f"plan.{kind}", plan_yaml(tree) if kind == "yaml" else plan_xlsx(tree))


def first_row(kind: str) -> int:
    """Where the first item of a section is: row 2 on a sheet, item 1 in YAML."""
    return 2 if kind == "xlsx" else 1


def parse_ok(upload: Upload, config, municipalities):
    parsed = parse_plan(upload, config, municipalities)
    assert parsed.ok, [p.text() for p in parsed.errors]
    return parsed


@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
def test_plan_template_imports_with_only_the_example_warning(config, municipalities, kind):
    parsed = parse_ok(Upload(f"sjabloon.{kind}", template_plan(kind)), config, municipalities)
    assert [(p.severity, p.message) for p in parsed.problems] == [(WARNING, t("plan_import.template_example"))]
    assert parsed.scope == {"coalition_id": "KS-NIEUW"}  # never a live coalition
    assert set(parsed.tables) == {"coalitions", "coalition_members", "ambitions", "goals", "results", "actions"}


def test_plan_xlsx_and_yaml_give_the_same_tables(config, municipalities):
    from_xlsx = parse_ok(plan_file("xlsx", base_plan()), config, municipalities)
    from_yaml = parse_ok(plan_file("yaml", base_plan()), config, municipalities)
    assert from_xlsx.problems == [] and from_yaml.problems == []
    for table in from_xlsx.tables:
        assert records(from_xlsx.tables[table]) == records(from_yaml.tables[table]), table
    tables = from_yaml.tables
    assert records(tables["coalitions"]) == [
        {
            "id": "KS-UTR",
            "name": "Kansrijke Start Utrecht",
            "phase": 4,
            "start_date": dt.date(2020, 1, 15),
            "trekker": "GGD regio Utrecht",
        }
    ]
    assert tables["coalition_members"]["municipality_code"].tolist() == ["GM0344", "GM0307"]
    assert tables["goals"][["id", "ambition_id", "indicator_id"]].values.tolist() == [
        ["KS-UTR-D1", "KS-UTR-A1", "vroeggeboorte"]
    ]
    assert records(tables["results"]) == [
        {
            "id": "KS-UTR-R1",
            "ambition_id": "KS-UTR-A1",
            "goal_id": "KS-UTR-D1",
            "title": "Verloskundigen geschoold",
            "target": 40.0,
            "realised": 12.5,
            "unit": "professionals",
            "due_date": dt.date(2027, 6, 30),
            "updated_on": None,
        }
    ]
    actions = records(tables["actions"])
    assert [(a["principles"], a["partners"], a["level"], a["goal_id"]) for a in actions] == [
        ([2, 6], ["jgz", "verloskunde"], "uitvoerend", "KS-UTR-D1"),
        ([], [], None, None),
    ]


def test_plan_accepts_header_spellings_sheet_case_names_and_phase_words(config, municipalities):
    tree = base_plan()
    tree["coalitie"] |= {"fase": "Uitvoering", "gemeenten": "utrecht; 307", "startdatum": "15-1-2020"}
    data = plan_xlsx(tree, headers={"Ambities": ["Ambitie-ID", " TITEL ", "Omschrijving", "HorizonJaar"]})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb["Doelen"].title = "tijdelijk"
    wb["tijdelijk"].title = " doelen "  # openpyxl refuses a case-only rename in one step
    buffer = io.BytesIO()
    wb.save(buffer)
    parsed = parse_ok(Upload("plan.xlsx", buffer.getvalue()), config, municipalities)
    assert parsed.problems == []
    assert parsed.tables["coalitions"]["phase"].tolist() == [4]
    assert parsed.tables["coalitions"]["start_date"].tolist() == [dt.date(2020, 1, 15)]
    assert parsed.tables["coalition_members"]["municipality_code"].tolist() == ["GM0344", "GM0307"]
    assert parsed.tables["ambitions"]["title"].tolist() == ["Elk kind een kansrijke start", "Steun dichtbij"]


def test_plan_missing_sheet_lists_the_sheets_present(config, municipalities):
    tree = base_plan()
    del tree["acties"]
    error = only_error(parse_plan(plan_file("xlsx", tree), config, municipalities))
    assert error.message == t(
        "plan_import.missing_sheet", sheet="Acties", present="Coalitie, Ambities, Doelen, Resultaten"
    )
    assert where(error) == ("Acties", None, None, None)
    error = only_error(parse_plan(plan_file("yaml", tree), config, municipalities))
    assert error.message == t(
        "plan_import.missing_section", sheet="acties", present="coalitie, ambities, doelen, resultaten"
    )


def test_plan_missing_required_column(config, municipalities):
    headers = {"Ambities": ["ambitie_id", "omschrijving", "horizonjaar"]}
    error = only_error(parse_plan(Upload("plan.xlsx", plan_xlsx(base_plan(), headers)), config, municipalities))
    assert error.message == t("plan_import.missing_column", column="titel", required="ambitie_id, titel")
    assert where(error) == ("Ambities", 1, "titel", None)


def _set(tree: dict, section: str, index: int | None, **cells: object) -> dict:
    tree = copy.deepcopy(tree)
    (tree[section] if index is None else tree[section][index]).update(cells)
    return tree


PLAN_ERRORS = [
    # (section, item index, changes, message key, params, column, value shown)
    ("doelen", 0, {"ambitie_id": "A9"}, "missing_ambition", {"id": "A9", "sheet": "Ambities"}, "ambitie_id", "A9"),
    ("acties", 0, {"datum": "volgende week"}, "not_date", {}, "datum", "volgende week"),
    ("acties", 0, {"datum": "31-02-2026"}, "not_date", {}, "datum", "31-02-2026"),
    (
        "doelen",
        0,
        {"indicator": "geluk"},
        "unknown_indicator",
        {"examples": "nnz_beschikbaar, voorzorg_aangeboden, phb_jgz"},
        "indicator",
        "geluk",
    ),
    ("coalitie", None, {"gemeenten": ["GM0344", "Atlantis"]}, "unknown_municipality", {}, "gemeenten", "Atlantis"),
    ("coalitie", None, {"gemeenten": ["GM0344", "GM9999"]}, "unknown_municipality", {}, "gemeenten", "GM9999"),
    ("acties", 0, {"status": "bezig"}, "bad_status", {}, "status", "bezig"),
    ("acties", 0, {"niveau": "strategisch"}, "bad_level", {}, "niveau", "strategisch"),
    ("acties", 0, {"principes": [2, 11]}, "bad_principle", {}, "principes", "2, 11"),
    ("acties", 0, {"doel_id": "D7"}, "missing_goal", {"id": "D7", "sheet": "Doelen"}, "doel_id", "D7"),
    ("doelen", 0, {"basiswaarde": "veel"}, "not_number", {}, "basiswaarde", "veel"),
    ("doelen", 0, {"streefjaar": "ooit"}, "not_year", {}, "streefjaar", "ooit"),
    (
        "doelen",
        0,
        {"basisjaar": NEXT_YEARS + 1},
        "target_before_baseline",
        {"target": NEXT_YEARS, "baseline": NEXT_YEARS + 1},
        "streefjaar",
        str(NEXT_YEARS),
    ),
    (
        "doelen",
        0,
        {"basisjaar": None},
        "value_without_year",
        {"value_col": "basiswaarde", "year_col": "basisjaar"},
        "basisjaar",
        None,
    ),
    ("resultaten", 0, {"gerealiseerd": -1}, "negative", {}, "gerealiseerd", "-1"),
    ("resultaten", 0, {"eenheid": None}, "required", {}, "eenheid", None),
    ("ambities", 1, {"titel": None}, "empty_title", {}, "titel", None),
    (
        "coalitie",
        None,
        {"fase": "7"},
        "bad_phase",
        {"phases": "0 Geen coalitie, 1 Oriëntatie, 2 Opbouw, 3 Plan van aanpak, 4 Uitvoering, 5 Borging"},
        "fase",
        "7",
    ),
]


@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
@pytest.mark.parametrize(
    ("section", "index", "changes", "key", "params", "column", "shown"),
    PLAN_ERRORS,
    ids=[f"{s}-{k}-{'-'.join(c)}" for s, _, c, k, *_ in PLAN_ERRORS],
)
def test_plan_bad_cell_gives_its_message_and_place(
    config, municipalities, kind, section, index, changes, key, params, column, shown
):
    parsed = parse_plan(plan_file(kind, _set(base_plan(), section, index, **changes)), config, municipalities)
    error = only_error(parsed)
    if "sheet" in params and kind == "yaml":  # a message names the sheet (section) as the file writes it
        params = params | {"sheet": params["sheet"].lower()}
    assert error.message == t(f"plan_import.{key}", **params)
    sheet = section.capitalize() if kind == "xlsx" else section
    row = None if index is None and kind == "yaml" else (index or 0) + first_row(kind)
    assert where(error) == (sheet, row, column, shown)


@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
def test_plan_duplicate_ids_name_the_first_row(config, municipalities, kind):
    tree = base_plan()
    tree["ambities"][1]["ambitie_id"] = "A1"
    tree["acties"][1] |= {"datum": tree["acties"][0]["datum"], "titel": "Startbijeenkomst"}
    parsed = parse_plan(plan_file(kind, tree), config, municipalities)
    first = "rij 2" if kind == "xlsx" else "item 1"
    sheets = ("Ambities", "Acties") if kind == "xlsx" else ("ambities", "acties")
    assert [(p.message, p.sheet, p.row, p.column, p.value) for p in parsed.errors] == [
        (
            t("plan_import.duplicate_id", column="ambitie_id", id="A1", first=first),
            sheets[0],
            first_row(kind) + 1,
            "ambitie_id",
            "A1",
        ),
        (t("plan_import.duplicate_action", first=first), sheets[1], first_row(kind) + 1, "titel", "Startbijeenkomst"),
    ]
    assert not parsed.tables


def test_plan_all_problems_reported_together(config, municipalities):
    tree = _set(base_plan(), "doelen", 0, ambitie_id="A9", indicator="geluk")
    tree = _set(tree, "acties", 1, datum="morgen", status="bezig")
    tree = _set(tree, "coalitie", None, gemeenten="Atlantis")
    parsed = parse_plan(plan_file("xlsx", tree), config, municipalities)
    assert sorted((p.sheet, p.row, p.column) for p in parsed.errors) == [
        ("Acties", 3, "datum"),
        ("Acties", 3, "status"),
        ("Coalitie", 2, "gemeenten"),
        ("Doelen", 2, "ambitie_id"),
        ("Doelen", 2, "indicator"),
    ]
    assert not parsed.tables


def test_plan_target_year_in_the_past_warns_but_imports(config, municipalities):
    tree = _set(
        base_plan(), "doelen", 0, basiswaarde=None, basisjaar=None, streefwaarde=None, indicator=None, streefjaar=2001
    )
    parsed = parse_ok(plan_file("xlsx", tree), config, municipalities)
    assert [(p.severity, p.sheet, p.row, p.column, p.value, p.message) for p in parsed.problems] == [
        (WARNING, "Doelen", 2, "streefjaar", "2001", t("plan_import.target_year_past"))
    ]
    assert parsed.tables["goals"]["target_year"].tolist() == [2001]


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        (b"coalitie: &c\n  naam: x\nambities: *c\n", "yaml_alias", 3),
        (b"coalitie:\n  gemeenten: &g [GM0344]\nambities:\n- gemeenten: *g\n", "yaml_alias", 4),
        (b"coalitie:\n  naam: x\n   trekker: y\n", "yaml_error", 3),
        (b"coalitie: {naam: x\nambities: []\n", "yaml_error", 2),
    ],
)
def test_yaml_aliases_and_syntax_errors_are_refused_with_a_line(config, municipalities, text, key, line):
    error = only_error(parse_plan(Upload("plan.yaml", text), config, municipalities))
    assert error.message == t(f"plan_import.{key}", line=line)


def test_yaml_billion_laughs_is_refused_before_expanding(config, municipalities):
    lol = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    error = only_error(parse_plan(Upload("plan.yaml", lol.encode()), config, municipalities))
    assert error.message == t("plan_import.yaml_alias", line=2)


def test_yaml_must_be_sections_and_lists_of_items(config, municipalities):
    error = only_error(parse_plan(Upload("plan.yaml", b"- coalitie\n- ambities\n"), config, municipalities))
    assert error.message == t("plan_import.yaml_not_mapping")
    tree = base_plan()
    tree["ambities"] = "Elk kind een kansrijke start"
    parsed = parse_plan(plan_file("yaml", tree), config, municipalities)
    error = parsed.errors[0]  # (then the goals and results point at ambition A1 that is not there)
    assert (error.message, error.sheet, error.value) == (t("plan_import.not_a_list"), "ambities", tree["ambities"])
    assert not parsed.tables


def test_yaml_values_stay_text_no_octal_or_booleans(config, municipalities):
    tree = _set(base_plan(), "ambities", 0, ambitie_id="0755", titel="yes")
    tree = _set(tree, "doelen", 0, ambitie_id="0755")
    tree = _set(tree, "resultaten", 0, ambitie_id="0755")
    text = plan_yaml(tree).replace(b"'0755'", b"0755").replace(b"'yes'", b"yes")
    assert b"ambitie_id: 0755" in text and b"titel: yes" in text
    parsed = parse_ok(Upload("plan.yaml", text), config, municipalities)
    assert parsed.tables["ambitions"][["id", "title"]].values.tolist()[0] == ["KS-UTR-0755", "yes"]


def test_plan_as_csv_is_refused(config, municipalities):
    error = only_error(parse_plan(Upload("plan.csv", b"coalitie_id;naam\nKS;x\n"), config, municipalities))
    assert error.message == t("plan_import.csv_not_supported")


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("plan.xlsx", b"niet echt", "not_xlsx"),
        ("plan.xls", b"\xd0\xcf\x11\xe0", "old_xls"),
        ("plan.yaml", b"coalitie:\x00\x00", "not_text"),
        ("plan.docx", b"PK", "unknown_type"),
    ],
)
def test_plan_unreadable_file_gives_one_clear_message(config, municipalities, name, data, key):
    error = only_error(parse_plan(Upload(name, data), config, municipalities))
    assert error.message == t(f"ingest.{key}", file=name)


def test_plan_too_big_and_too_many_rows(config, municipalities):
    error = only_error(
        parse_plan(plan_file("yaml", base_plan()), with_limits(config, max_file_mb=0.0001), municipalities)
    )
    assert error.message == t("ingest.too_big", max="0.0001")
    for kind in ("yaml", "xlsx"):
        parsed = parse_plan(plan_file(kind, base_plan()), with_limits(config, max_rows=1), municipalities)
        too_many = {p.sheet.lower() for p in parsed.errors if p.message == t("ingest.too_many_rows", max=1)}
        assert too_many == {"ambities", "acties"}  # the sheets with two rows
        assert not parsed.tables


# -- 5. text is stored exactly as written, never evaluated --------------------------------------------------
TRICKY = [
    '=HYPERLINK("http://x","klik")',
    "<script>alert(1)</script>",
    '+cmd|" /C calc"!A0',
    "@SUM(A1)",
    "Zorg & Veilig Thuis 'Utrecht'",
]


@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
def test_plan_text_that_looks_like_a_formula_or_markup_comes_back_unchanged(config, municipalities, kind):
    tree = base_plan()
    tree["ambities"][0]["titel"], tree["ambities"][1]["titel"] = TRICKY[0], TRICKY[1]
    tree["acties"][0]["titel"], tree["acties"][1]["omschrijving"] = TRICKY[2], TRICKY[3]
    tree["coalitie"]["naam"] = TRICKY[4]
    parsed = parse_ok(plan_file(kind, tree), config, municipalities)
    assert parsed.tables["ambitions"]["title"].tolist() == TRICKY[:2]
    assert sorted(parsed.tables["actions"]["title"]) == sorted([TRICKY[2], "Wijkcafé"])
    assert TRICKY[3] in parsed.tables["actions"]["description"].tolist()
    assert parsed.tables["coalitions"]["name"].tolist() == [TRICKY[4]]
    # ... and written back as text, so Excel shows it and never runs it
    exported = export_plan(parsed.tables, kind)
    if kind == "xlsx":
        ws = openpyxl.load_workbook(io.BytesIO(exported))["Ambities"]
        assert (ws["B2"].value, ws["B2"].data_type) == (TRICKY[0], "s")
    again = parse_ok(Upload(f"terug.{kind}", exported), config, municipalities)
    assert again.tables["ambitions"]["title"].tolist() == TRICKY[:2]


def test_indicator_source_that_looks_like_a_formula_or_markup_comes_back_unchanged(config, municipalities):
    data = long_csv(row(bron=TRICKY[0]), row(periode="2022", bron=TRICKY[1]))
    got = values(parse_file("cijfers.csv", data, config, municipalities))
    assert got["source"].tolist() == [TRICKY[1], TRICKY[0]]
    xlsx = xlsx_bytes({"Blad1": [HEADER, list(row(bron=TRICKY[0]).values())]})
    assert values(parse_file("cijfers.xlsx", xlsx, config, municipalities))["source"].tolist() == [TRICKY[0]]
    assert values(parse_file("terug.csv", export_indicators(got), config, municipalities))["source"].tolist() == [
        TRICKY[1],
        TRICKY[0],
    ]


# -- small parsers: the contract of each -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("7,4", 7.4),
        ("7.4", 7.4),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        (" 12 ", 12.0),
        ("-0,5", -0.5),
        ("7,4%", 7.4),
        ("1e3", 1000.0),
        ("1\u00a0234,5", 1234.5),
        ("", None),
        (".", None),
        ("-", None),
        ("x", None),
        ("n.v.t.", None),
        (None, None),
    ],
)
def test_parse_number_reads_dutch_and_english_decimals(text, number):
    assert common.parse_number(text) == number


@pytest.mark.parametrize("text", ["zeven", "7,4,5", "1..2", "7 4a", "--1", "e5"])
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        common.parse_number(text)


@pytest.mark.parametrize(
    ("text", "count"), [("583", 583), ("1.234", 1234), ("12.345.678", 12345678), ("7,0", 7), (" 7 ", 7), ("", None)]
)
def test_parse_count_reads_whole_numbers_with_thousands_dots(text, count):
    assert common.parse_count(text) == count


@pytest.mark.parametrize("text", ["-1", "7,5", "1.23", "veel"])
def test_parse_count_refuses_fractions_and_negatives(text):
    with pytest.raises(ValueError):
        common.parse_count(text)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024-05-01", dt.date(2024, 5, 1)),
        ("2024-05-01 00:00:00", dt.date(2024, 5, 1)),
        ("1-5-2024", dt.date(2024, 5, 1)),
        ("01/05/2024", dt.date(2024, 5, 1)),
        ("1.5.2024", dt.date(2024, 5, 1)),
        ("", None),
    ],
)
def test_parse_date_is_iso_or_day_first(text, date):
    assert common.parse_date(text) == date


@pytest.mark.parametrize("text", ["2024-13-01", "31-02-2024", "mei 2024", "2024-05-01 12:30:00", "05/2024"])
def test_parse_date_refuses_impossible_or_vague_dates(text):
    with pytest.raises(ValueError):
        common.parse_date(text)


def test_parse_text_keeps_text_exactly_but_trimmed():
    assert common.parse_text("  =1+1 ") == "=1+1"
    assert common.parse_text("   ") is None and common.parse_text(None) is None


# -- 6. property-based: round trips and corruptions ---------------------------------------------------------
FAST = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
TEXT = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co", "Zl", "Zp")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
DATES = st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31))


@st.composite
def indicator_tables(draw, config, codes: list[str]) -> pd.DataFrame:
    """Valid indicator values in the schema shape (what export_indicators is given)."""
    units = {i.id: i.eenheid for i in config.indicatoren}
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(codes), st.sampled_from(sorted(units)), st.integers(1900, 2100)),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    rows = []
    for code, indicator, period in keys:
        unit = units[indicator]
        counts = draw(st.none() | st.integers(1, 10**6).flatmap(lambda d: st.tuples(st.integers(0, d - 1), st.just(d))))
        if unit == "%":
            value = st.floats(0, 100)
        elif unit == "per 1000":
            value = st.floats(0, 1000)
        else:
            value = st.floats(-1e12, 1e12)
        computable = counts is not None and unit in ("%", "per 1000", "aantal")
        rows.append(
            {
                "municipality_code": code,
                "indicator_id": indicator,
                "period": period,
                "value": draw(st.none() | value if computable else value),
                "numerator": None if counts is None else counts[0],
                "denominator": None if counts is None else counts[1],
                "source": draw(TEXT),
                "reference_date": draw(st.none() | DATES),
                "data_status": draw(st.sampled_from(DATA_STATUSES)),
            }
        )
    return pd.DataFrame(rows)


def expected_value(config, r: dict) -> float:
    if r["value"] is not None and not (isinstance(r["value"], float) and math.isnan(r["value"])):
        return r["value"]
    unit = config.indicator(r["indicator_id"]).eenheid
    scale = {"%": 100, "per 1000": 1000, "aantal": None}[unit]
    return r["numerator"] if scale is None else r["numerator"] / r["denominator"] * scale


@FAST
@given(data=st.data())
def test_property_exported_indicators_import_back_the_same(config, municipalities, codes, data):
    table = data.draw(indicator_tables(config, codes))
    parsed = parse_file("export.csv", export_indicators(table), config, municipalities)
    got = records(values(parsed))
    want = sorted(records(table), key=lambda r: (r["municipality_code"], r["indicator_id"], r["period"]))
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g["value"] == pytest.approx(expected_value(config, w), rel=1e-12, abs=1e-12)
        assert {k: v for k, v in g.items() if k != "value"} == {k: v for k, v in w.items() if k != "value"}


CHECKED_COLUMNS = ["gemeentecode", "indicator", "periode", "waarde", "teller", "noemer", "peildatum", "status"]
GARBAGE = st.text(st.sampled_from("abcdefghij ?!#/"), max_size=8).map(lambda s: "?" + s)  # "?" is never valid


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@FAST
@given(data=st.data())
def test_property_garbage_in_any_checked_cell_is_an_error(config, municipalities, codes, data):
    rows = _csv_rows(export_indicators(data.draw(indicator_tables(config, codes))))
    line = data.draw(st.integers(1, len(rows) - 1))
    column = data.draw(st.sampled_from(CHECKED_COLUMNS))
    rows[line][HEADER.index(column)] = garbage = data.draw(GARBAGE)
    parsed = parse_file("kapot.csv", csv_bytes(rows), config, municipalities)
    assert not parsed.ok and not parsed.tables
    assert any(p.row == line + 1 and p.column == column for p in parsed.errors), (garbage, parsed.errors)


@FAST
@given(data=st.data())
def test_property_dropping_a_required_column_is_an_error(config, municipalities, codes, data):
    rows = _csv_rows(export_indicators(data.draw(indicator_tables(config, codes))))
    drop = HEADER.index(data.draw(st.sampled_from(["gemeentecode", "indicator", "periode", "waarde"])))
    parsed = parse_file("kapot.csv", csv_bytes([r[:drop] + r[drop + 1 :] for r in rows]), config, municipalities)
    assert not parsed.ok and not parsed.tables
    assert [p.message.split(". ")[0] for p in parsed.errors] == [f"Deze kolommen ontbreken: {HEADER[drop]}"]


@FAST
@given(data=st.data())
def test_property_numerator_above_denominator_is_an_error(config, municipalities, codes, data):
    table = data.draw(indicator_tables(config, codes))
    rated = [
        i
        for i, r in table.iterrows()
        if pd.notna(r["numerator"]) and config.indicator(r["indicator_id"]).eenheid in ("%", "per 1000")
    ]
    assume(rated)
    rows = _csv_rows(export_indicators(table))
    line = data.draw(st.sampled_from(rated)) + 1
    teller, noemer = HEADER.index("teller"), HEADER.index("noemer")
    rows[line][teller], rows[line][noemer] = rows[line][noemer], rows[line][teller]
    parsed = parse_file("kapot.csv", csv_bytes(rows), config, municipalities)
    assert not parsed.ok and not parsed.tables
    assert (line + 1, "teller", t("indicator_import.numerator_above_denominator")) in [
        (p.row, p.column, p.message) for p in parsed.errors
    ]


@st.composite
def plans(draw, config, codes: list[str]) -> dict[str, list[dict]]:
    """A valid plan in the schema shape (what export_plan is given), as lists of records per table."""
    cid = draw(st.from_regex(r"[A-Z]{2}-[A-Z0-9]{1,8}", fullmatch=True))
    optional = st.none() | TEXT
    years = st.integers(1900, 2100)
    numbers = st.floats(-1e9, 1e9, allow_nan=False)
    indicator_ids = sorted(i.id for i in config.indicatoren)
    coalition = {
        "id": cid,
        "name": draw(TEXT),
        "phase": draw(st.integers(0, 5)),
        "start_date": draw(st.none() | DATES),
        "trekker": draw(optional),
    }
    members = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=4, unique=True))
    ambitions, goals, results = [], [], []
    for a in range(1, draw(st.integers(0, 3)) + 1):
        ambition = f"{cid}-A{a}"
        ambitions.append(
            {
                "id": ambition,
                "coalition_id": cid,
                "position": a,
                "title": draw(TEXT),
                "description": draw(optional),
                "horizon_year": draw(st.none() | years),
            }
        )
        mine = []
        for g in range(1, draw(st.integers(0, 2)) + 1):
            indicator = draw(st.none() | st.sampled_from(indicator_ids))
            baseline_year = draw(st.none() | years)
            target_year = draw(st.none() | st.integers(baseline_year or 1900, 2100))
            target = None if target_year is None else draw(numbers if indicator else st.none() | numbers)
            mine.append(
                {
                    "id": f"{cid}-D{len(goals) + len(mine) + 1}",
                    "ambition_id": ambition,
                    "position": g,
                    "title": draw(TEXT),
                    "indicator_id": indicator,
                    "baseline_value": None if baseline_year is None else draw(numbers),
                    "baseline_year": baseline_year,
                    "target_value": target,
                    "target_year": target_year,
                    "owner": draw(optional),
                }
            )
        goals += mine
        for _ in range(draw(st.integers(0, 2))):
            results.append(
                {
                    "id": f"{cid}-R{len(results) + 1}",
                    "ambition_id": ambition,
                    "goal_id": draw(st.none() | st.sampled_from([g["id"] for g in mine])) if mine else None,
                    "title": draw(TEXT),
                    "target": draw(st.floats(0, 1e9)),
                    "realised": draw(st.floats(0, 1e9)),
                    "unit": draw(TEXT),
                    "due_date": draw(st.none() | DATES),
                    "updated_on": draw(st.none() | DATES),
                }
            )
    # A valid action (actions.rules): a date in 2000-2100, partner names as stored (white space collapsed).
    partner = TEXT.filter(lambda s: not any(c in s for c in ",;") and partner_name(s) == s)
    actions = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "coalition_id": st.just(cid),
                    "action_date": st.dates(dt.date(rules.FIRST_YEAR, 1, 1), dt.date(rules.LAST_YEAR, 12, 31)),
                    "title": TEXT,
                    "description": optional,
                    "owner": optional,
                    "status": st.sampled_from(plan.STATUSES),
                    "goal_id": st.none() | st.sampled_from([g["id"] for g in goals]) if goals else st.none(),
                    "principles": st.lists(st.integers(1, 10), max_size=4, unique=True),
                    "partners": st.lists(partner, max_size=3, unique=True),
                    "level": st.none() | st.sampled_from(plan.LEVELS),
                }
            ),
            max_size=4,
            unique_by=lambda a: (a["action_date"], a["title"]),
        )
    )
    return {
        "coalitions": [coalition],
        "coalition_members": [{"coalition_id": cid, "municipality_code": m} for m in members],
        "ambitions": ambitions,
        "goals": goals,
        "results": results,
        "actions": actions,
    }


SORT_KEYS = {
    "coalitions": ["id"],
    "coalition_members": [],
    "ambitions": ["id"],
    "goals": ["id"],
    "results": ["id"],
    "actions": ["action_date", "title"],
}


def _sorted(rows: list[dict], table: str) -> list[dict]:
    keys = SORT_KEYS[table]
    return sorted(rows, key=lambda r: tuple(r[k] for k in keys)) if keys else rows


def assert_same_records(got: list[dict], want: list[dict], table: str) -> None:
    """Equal, with floats equal to float precision (Excel keeps about 16 significant digits)."""
    assert len(got) == len(want), table
    for g, w in zip(_sorted(got, table), _sorted(want, table), strict=True):
        assert g.keys() == w.keys(), table
        for key in g:
            if isinstance(w[key], float) and g[key] is not None:
                assert math.isclose(g[key], w[key], rel_tol=1e-14), (table, key, g[key], w[key])
            else:
                assert g[key] == w[key], (table, key, g[key], w[key])


@FAST
@given(data=st.data(), kind=st.sampled_from(["xlsx", "yaml"]))
def test_property_exported_plan_imports_back_the_same(config, municipalities, codes, data, kind):
    want = data.draw(plans(config, codes))
    exported = export_plan({table: pd.DataFrame(rows) for table, rows in want.items()}, kind)
    parsed = parse_ok(Upload(f"plan.{kind}", exported), config, municipalities)
    assert parsed.scope == {"coalition_id": want["coalitions"][0]["id"]}
    for table, rows in want.items():
        assert_same_records(records(parsed.tables[table]), rows, table)


# Cells where "?..." is never valid, per sheet (YAML section): each must give an error at that row and column.
PLAN_CHECKED = {
    "coalitie": ["fase", "startdatum", "gemeenten"],
    "ambities": ["horizonjaar"],
    "doelen": ["ambitie_id", "indicator", "basiswaarde", "basisjaar", "streefwaarde", "streefjaar"],
    "resultaten": ["ambitie_id", "doel_id", "streefwaarde", "gerealiseerd", "deadline", "bijgewerkt_op"],
    "acties": ["datum", "status", "doel_id", "principes", "niveau"],
}


def _file_tree(want: dict[str, list[dict]]) -> dict:
    """The plan as the user-facing tree (short ids, Dutch keys), via the YAML export."""
    exported = export_plan({table: pd.DataFrame(rows) for table, rows in want.items()}, "yaml")
    return yaml.safe_load(exported)


@FAST
@given(data=st.data(), kind=st.sampled_from(["xlsx", "yaml"]))
def test_property_garbage_in_a_checked_plan_cell_is_an_error(config, municipalities, codes, data, kind):
    tree = _file_tree(data.draw(plans(config, codes)))
    section = data.draw(st.sampled_from([s for s in PLAN_CHECKED if s == "coalitie" or tree[s]]))
    index = None if section == "coalitie" else data.draw(st.integers(0, len(tree[section]) - 1))
    column = data.draw(st.sampled_from(PLAN_CHECKED[section]))
    tree = _set(tree, section, index, **{column: data.draw(GARBAGE)})
    parsed = parse_plan(plan_file(kind, tree), config, municipalities)
    assert not parsed.ok and not parsed.tables
    row = None if index is None and kind == "yaml" else (index or 0) + first_row(kind)
    assert any(p.row == row and p.column == column for p in parsed.errors), [p.text() for p in parsed.errors]


@FAST
@given(data=st.data(), kind=st.sampled_from(["xlsx", "yaml"]))
def test_property_dropping_a_required_plan_column_is_an_error(config, municipalities, codes, data, kind):
    tree = _file_tree(data.draw(plans(config, codes)))
    sheet = data.draw(st.sampled_from([s for s in plan.SHEETS if kind == "xlsx" or s == "Coalitie" or tree[s.lower()]]))
    column = data.draw(st.sampled_from([name for name, required in plan.COLUMNS[sheet] if required]))
    section = tree[sheet.lower()]
    for item in [section] if isinstance(section, dict) else section:
        item.pop(column, None)
    headers = {sheet: [name for name, _ in plan.COLUMNS[sheet] if name != column]}
    upload = Upload(f"plan.{kind}", plan_yaml(tree) if kind == "yaml" else plan_xlsx(tree, headers))
    parsed = parse_plan(upload, config, municipalities)
    assert not parsed.ok and not parsed.tables
    assert any(p.column == column and p.message.startswith(f"Kolom '{column}' ontbreekt") for p in parsed.errors)


# -- 5. provenance and what the data can show ---------------------------------------------------------------
def test_an_indicator_suspended_at_its_source_warns_once_naming_it_and_still_imports(config, municipalities):
    suspended = config.indicator("start_zorg_10wk")
    assert suspended.status == "opgeschort"  # the premise (config.yaml)
    data = long_csv(
        row(indicator="start_zorg_10wk", waarde="80,5", teller="", noemer=""),
        row(gemeentecode="GM0014", indicator="start_zorg_10wk", waarde="79,0", teller="", noemer=""),
        row(gemeentecode="GM0014"),  # vroeggeboorte: active, no warning
    )
    parsed = parse_file("cijfers.csv", data, config, municipalities)
    assert parsed.ok and len(parsed.tables["indicator_values"]) == 3  # lands all the same
    message = t("indicator_import.suspended", name=suspended.naam, id=suspended.id, source=suspended.bron, count=2)
    assert [(p.severity, p.row, p.column, p.value, p.message) for p in parsed.problems] == [
        (WARNING, 2, "indicator", "start_zorg_10wk", message)
    ]
    assert "Start zwangerschapsbegeleiding" in message and "opgeschort" in message


def test_a_plan_goal_on_a_suspended_indicator_warns(config, municipalities):
    tree = _set(base_plan(), "doelen", 0, indicator="start_zorg_10wk", basiswaarde=80.0, streefwaarde=85.0)
    parsed = parse_ok(plan_file("xlsx", tree), config, municipalities)
    suspended = config.indicator("start_zorg_10wk")
    assert [(p.severity, p.sheet, p.row, p.column, p.message) for p in parsed.problems] == [
        (
            WARNING,
            "Doelen",
            2,
            "indicator",
            t("plan_import.suspended_indicator", name=suspended.naam, source=suspended.bron),
        )
    ]


@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
def test_a_target_smaller_than_the_data_can_show_is_flagged_with_advice(config, municipalities, kind):
    """base_plan's goal: vroeggeboorte 7,4% -> 6,5% (a change of 0,9 procentpunt). With 60 births a year the
    smallest change one year can show is 1,96 * sqrt(0,074 * 0,926 / 60) * 100 = 6,6 procentpunt, and three years
    pooled 6,6 / sqrt(3) = 3,8: the target is too small, and the warning says so with advice. With 100.000 births
    a year (0,16 procentpunt) it is not. The file imports either way (a warning, not an error)."""
    asked = []

    def few(codes: list[str], indicator_id: str) -> list[float]:
        asked.append((tuple(codes), indicator_id))
        return [60.0] * 10

    parsed = parse_plan(plan_file(kind, base_plan()), config, municipalities, few)
    assert parsed.ok and asked == [(("GM0344", "GM0307"), "vroeggeboorte")]  # the coalition's municipalities
    (warning,) = parsed.warnings
    assert (warning.sheet, warning.row, warning.column) == (
        "Doelen" if kind == "xlsx" else "doelen",
        first_row(kind),
        "streefwaarde",
    )
    assert (
        "De beoogde verandering (0,9 procentpunt) is kleiner dan wat deze cijfers kunnen laten zien" in warning.message
    )
    assert "in één jaar pas vanaf 6,6 procentpunt, over 3 jaar samen vanaf 3,8 procentpunt" in warning.message
    assert "regionaal cijfer" in warning.message and "procesmaat" in warning.message
    assert warning.message.endswith(t("plan_import.target_too_small", advice="").strip())

    many = parse_plan(plan_file(kind, base_plan()), config, municipalities, lambda codes, ind: [100_000.0] * 10)
    assert many.ok and many.warnings == []
