"""Friendly imports: a municipality may be named the way people write it, in every file kind, a near miss
gets "bedoelde u ...?", and each message says what is wrong with that value (an empty value is "leeg", not a
range error).

The parsers are pure (they take the municipalities frame); one test goes end to end through
``importer.prepare`` and ``apply`` on a copy of the demo marked as own data.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
import yaml

from kansrijke import access
from kansrijke.core.i18n import t
from kansrijke.core.reference import load_municipalities
from kansrijke.core.store import Store
from kansrijke.dataio import importer
from kansrijke.dataio.ingest.common import (
    WARNING,
    Upload,
    resolve_municipality,
    suggest_municipalities,
)
from kansrijke.dataio.ingest.indicators import parse_indicators, template_indicators
from kansrijke.dataio.ingest.plan import parse_plan, template_plan

AMSTERDAM, DEN_HAAG, ZWOLLE, SUDWEST = "GM0363", "GM0518", "GM0193", "GM1900"
# The forms of the brief, each with the code it must give.
NAME_FORMS = [
    ("Zwolle", ZWOLLE),
    ("Den Haag", DEN_HAAG),
    ("s-Gravenhage", DEN_HAAG),
    ("'s-Gravenhage", DEN_HAAG),
    ("GM0363", AMSTERDAM),
    ("363", AMSTERDAM),
    ("0363", AMSTERDAM),
    ("Súdwest Fryslan", SUDWEST),
]


def named(name: str) -> access.Person:
    """The command line's operator (beheerder) with the name given as ``--wie``: the import log says that name."""
    return access.with_typed_name(access.operator(), name)


@pytest.fixture(scope="module")
def municipalities(config) -> pd.DataFrame:
    return load_municipalities(config)


def indicator_csv(
    *rows: list[object], header: tuple[str, ...] = ("gemeente", "indicator", "periode", "waarde")
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([list(header), *rows])
    return buffer.getvalue().encode("utf-8")


def parse(data: bytes, config, municipalities, name: str = "cijfers.csv"):
    return parse_indicators(Upload(name, data), config, municipalities)


def texts(parsed) -> list[str]:
    return [p.text() for p in parsed.problems]


def stored_codes(parsed) -> list[str]:
    assert parsed.ok, texts(parsed)
    return parsed.tables["indicator_values"].sort_values("period")["municipality_code"].tolist()


# -- the one rule ----------------------------------------------------------------------------------------
def test_every_cbs_name_resolves_to_its_own_code_in_any_case_and_without_accents(municipalities):
    for code, name in zip(municipalities["code"], municipalities["name"], strict=True):
        assert resolve_municipality(name, municipalities) == code
        assert resolve_municipality(f"  {name.upper()} ", municipalities) == code
        assert resolve_municipality(f"Gemeente {name}", municipalities) == code
        plain = name.translate(str.maketrans("úâéëïöü", "uaeeiou"))
        assert resolve_municipality(plain, municipalities) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        *NAME_FORMS,
        ("gm 0518", DEN_HAAG),
        ("518.0", DEN_HAAG),  # an Excel number
        ("'s Gravenhage", DEN_HAAG),
        ("’s-Gravenhage", DEN_HAAG),  # a typographic apostrophe
        ("'s-Gravenhage (gemeente)", DEN_HAAG),  # StatLine's label
        ("DEN HAAG", DEN_HAAG),
        ("Den Bosch", "GM0796"),
        ("'s-Hertogenbosch", "GM0796"),
        ("s Hertogenbosch", "GM0796"),
        ("Sudwest-Fryslan", SUDWEST),
        ("Súdwest-Fryslân", SUDWEST),
        ("Hengelo", "GM0164"),  # "Hengelo (O.)": the only Hengelo
        ("Bergen NH", "GM0373"),
        ("Bergen (Noord-Holland)", "GM0373"),
        ("Bergen Limburg", "GM0893"),
        ("Nuenen", "GM0820"),
        ("Alphen a/d Rijn", "GM0484"),
        ("St. Michielsgestel", "GM0845"),
    ],
)
def test_codes_names_and_common_variants_resolve(municipalities, text, code):
    assert resolve_municipality(text, municipalities) == code


@pytest.mark.parametrize("text", ["Bergen", "Atlantis", "Utrecht (PV)", "Nederland", "GM9999", "", "x"])
def test_what_is_unknown_missing_or_ambiguous_resolves_to_nothing(municipalities, text):
    assert resolve_municipality(text, municipalities) is None


def test_suggestions_are_close_names_at_most_three_and_none_when_nothing_is_close(municipalities):
    assert suggest_municipalities("Zwole", municipalities) == ["Zwolle"]
    assert suggest_municipalities("Amsterdm", municipalities) == ["Amsterdam"]
    bergen = suggest_municipalities("Bergen", municipalities)
    assert bergen[:2] == ["Bergen (L.)", "Bergen (NH.)"] and len(bergen) == 3
    assert suggest_municipalities("Atlantis", municipalities) == []
    assert suggest_municipalities("GM9999", municipalities) == []  # a code is not a near miss of a name


# -- indicator files ---------------------------------------------------------------------------------------
def test_an_indicator_file_accepts_every_name_form(config, municipalities):
    rows = [[text, "vroeggeboorte", 2000 + i, "7,4"] for i, (text, _) in enumerate(NAME_FORMS)]
    assert stored_codes(parse(indicator_csv(*rows), config, municipalities)) == [code for _, code in NAME_FORMS]


def test_an_indicator_workbook_with_names_and_a_code_stored_as_a_number(config, municipalities):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Gemeentenaam", "Indicator", "Jaar", "Waarde"])
    ws.append(["Den Haag", "big2", 2022, 14.1])
    ws.append([363, "big2", 2022, 13.9])  # Excel keeps it as the number 363
    ws.append(["Súdwest Fryslan", "big2", 2022, 12.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    parsed = parse(buffer.getvalue(), config, municipalities, "cijfers.xlsx")
    assert sorted(stored_codes(parsed)) == sorted([DEN_HAAG, AMSTERDAM, SUDWEST])


def test_a_near_miss_gets_bedoelde_u_with_file_row_column_and_value(config, municipalities):
    parsed = parse(indicator_csv(["Zwolle", "big2", 2022, "14"], ["Zwole", "big2", 2022, "14"]), config, municipalities)
    assert not parsed.tables
    [error] = parsed.errors
    assert (error.row, error.column, error.value) == (3, "gemeente", "Zwole")
    assert "bedoelde u Zwolle?" in error.message
    assert (
        error.text() == "cijfers.csv, rij 3, kolom 'gemeente': waarde 'Zwole': Onbekende gemeente; bedoelde u Zwolle?"
    )


def test_an_ambiguous_name_lists_the_candidates_and_an_unknown_one_says_how_to_write_it(config, municipalities):
    parsed = parse(
        indicator_csv(["Bergen", "big2", 2022, "14"], ["Atlantis", "big2", 2021, "14"]), config, municipalities
    )
    bergen, atlantis = parsed.errors
    assert bergen.message.startswith("Onbekende gemeente; bedoelde u Bergen (L.), Bergen (NH.) of ")
    assert atlantis.message == t("friendly.unknown_name")
    assert "bedoelde" not in atlantis.message


def test_a_blank_value_is_leeg_never_a_percentage_range_error(config, municipalities):
    header = ("gemeentecode", "indicator", "periode", "waarde", "teller", "noemer")
    data = indicator_csv(
        ["Zwolle", "vroeggeboorte", 2023, "", "", ""],  # nothing: skipped, and the reason says leeg
        ["Zwolle", "vroeggeboorte", 2022, "", "583", ""],  # a teller but no noemer: cannot be computed
        ["Zwolle", "vroeggeboorte", 2021, "", "600", "500"],  # computed 120%: the counts are the problem
        header=header,
    )
    parsed = parse(data, config, municipalities)
    messages = [p.message for p in parsed.problems]
    assert not any(t("indicator_import.bad_percentage") in m for m in messages), messages
    [warning] = parsed.warnings
    assert (warning.row, warning.column, warning.value) == (3, "waarde", "")
    assert warning.message.startswith("De waarde is leeg")
    assert [(e.row, e.column, e.message) for e in parsed.errors] == [
        (4, "teller", t("indicator_import.numerator_above_denominator"))
    ]
    assert all("leeg" in reason for reason in parsed.skipped)


def test_a_blank_value_with_counts_is_computed_and_imports(config, municipalities):
    header = ("gemeentecode", "indicator", "periode", "waarde", "teller", "noemer")
    parsed = parse(
        indicator_csv(["Den Haag", "vroeggeboorte", 2023, "", "583", "7878"], header=header), config, municipalities
    )
    assert parsed.problems == []
    assert parsed.tables["indicator_values"]["value"].tolist() == pytest.approx([583 / 7878 * 100])


CHECKS = [
    # (column, text, indicator, message key, params) -- each message says what is wrong with that value
    ("teller", "veel", "vroeggeboorte", "friendly.not_a_number", {}),
    ("teller", "1,500", "vroeggeboorte", "friendly.count_with_comma", {"number": "1500"}),
    ("teller", "-5", "vroeggeboorte", "indicator_import.negative_count", {}),
    ("noemer", "7878,5", "vroeggeboorte", "indicator_import.bad_count", {}),
    ("waarde", "zeven", "vroeggeboorte", "indicator_import.bad_number", {}),
    ("waarde", "-3", "vroeggeboorte", "indicator_import.negative_value", {}),
    ("waarde", "120", "vroeggeboorte", "indicator_import.bad_percentage", {}),
    ("periode", "1850", "vroeggeboorte", "friendly.year_out_of_range", {"low": 1900, "high": 2100}),
    ("periode", "2023Q1", "vroeggeboorte", "indicator_import.bad_period", {}),
    ("peildatum", "31-02-2024", "vroeggeboorte", "friendly.no_such_date", {}),
    ("peildatum", "gisteren", "vroeggeboorte", "indicator_import.bad_date", {}),
    ("waarde", "misschien", "nnz_beschikbaar", "friendly.yes_no", {}),
    ("indicator", "vroeggeboort", None, "friendly.did_you_mean_indicator", {"ids": "vroeggeboorte"}),
]


@pytest.mark.parametrize(
    ("column", "text", "indicator", "key", "params"), CHECKS, ids=[f"{c[0]}-{c[1]}" for c in CHECKS]
)
def test_each_check_names_what_is_wrong_with_that_value(config, municipalities, column, text, indicator, key, params):
    header = ("gemeentecode", "indicator", "periode", "waarde", "teller", "noemer", "peildatum")
    cells = {
        "gemeentecode": "Zwolle",
        "indicator": indicator,
        "periode": "2023",
        "waarde": "",
        "teller": "",
        "noemer": "",
    }
    cells |= {"waarde": "7,4"} if column != "waarde" else {}
    cells[column] = text
    parsed = parse(indicator_csv([cells.get(h, "") for h in header], header=header), config, municipalities)
    assert [(e.column, e.value, e.message) for e in parsed.errors] == [(column, text, t(key, **params))]


def test_a_percentage_with_a_point_and_a_comma_says_how_it_was_read(config, municipalities):
    [error] = parse(indicator_csv(["Zwolle", "big2", 2022, "1.234,5"]), config, municipalities).errors
    assert error.message == f"{t('friendly.read_as', number='1234,5')} {t('indicator_import.bad_percentage')}"


def test_yes_no_indicators_take_ja_and_nee_and_warn_on_other_numbers(config, municipalities):
    data = indicator_csv(
        ["Zwolle", "nnz_beschikbaar", 2023, "ja"],
        ["Zwolle", "nnz_beschikbaar", 2022, "Nee"],
        ["Zwolle", "nnz_beschikbaar", 2021, "1"],
        ["Zwolle", "nnz_beschikbaar", 2020, "2"],
    )
    parsed = parse(data, config, municipalities)
    assert parsed.ok
    values = parsed.tables["indicator_values"].sort_values("period")["value"].tolist()
    assert values == [2.0, 1.0, 0.0, 1.0]
    assert [(w.row, w.message) for w in parsed.warnings] == [(5, t("friendly.yes_no_number"))]
    assert all(w.severity == WARNING for w in parsed.warnings)


def test_a_count_value_reads_thousands_like_the_teller_column(config, municipalities):
    parsed = parse(indicator_csv(["Zwolle", "levendgeborenen", 2023, "1.234"]), config, municipalities)
    assert parsed.tables["indicator_values"]["value"].tolist() == [1234.0]


def test_statline_regions_by_name_use_the_same_rule(config, municipalities):
    data = (
        "RegioS;Perioden;LevendGeborenKinderen_1\n"
        "Nederland;2023JJ00;164487\nUtrecht (PV);2023JJ00;14000\n"
        "Zwolle;2023JJ00;1400\n's-Gravenhage (gemeente);2023JJ00;5900\nSúdwest-Fryslân;2023JJ00;900\n"
    ).encode()
    parsed = parse(data, config, municipalities, "statline.csv")
    assert parsed.problems == []
    assert sorted(parsed.tables["indicator_values"]["municipality_code"]) == sorted([ZWOLLE, DEN_HAAG, SUDWEST])
    assert parsed.skipped == {t("indicator_import.skipped_not_municipality"): 2}


def test_the_indicator_template_says_names_are_accepted():
    wb = openpyxl.load_workbook(io.BytesIO(template_indicators("xlsx")))
    assert t("friendly.template_names") in [row[0] for row in wb["Uitleg"].iter_rows(values_only=True)]


# -- the coalition workbook (and its YAML form) -------------------------------------------------------------
def plan_with_members(kind: str, members: str) -> Upload:
    """The plan template with another ``gemeenten`` cell."""
    if kind == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(template_plan("xlsx")))
        ws = wb["Coalitie"]
        column = [c.value for c in ws[1]].index("gemeenten") + 1
        ws.cell(row=2, column=column).value = members
        buffer = io.BytesIO()
        wb.save(buffer)
        return Upload("plan.xlsx", buffer.getvalue())
    tree = yaml.safe_load(template_plan("yaml"))
    tree["coalitie"]["gemeenten"] = members
    return Upload("plan.yaml", yaml.safe_dump(tree, allow_unicode=True).encode("utf-8"))


@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
def test_the_coalition_workbook_accepts_every_name_form(config, municipalities, kind):
    members = ", ".join(text for text, _ in NAME_FORMS) + ", Nuenen, Gerwen en Nederwetten"
    parsed = parse_plan(plan_with_members(kind, members), config, municipalities)
    assert parsed.ok, texts(parsed)
    got = parsed.tables["coalition_members"]["municipality_code"].tolist()
    assert got == [ZWOLLE, DEN_HAAG, AMSTERDAM, SUDWEST, "GM0820"]


@pytest.mark.parametrize("kind", ["xlsx", "yaml"])
def test_the_coalition_workbook_near_miss_gets_bedoelde_u(config, municipalities, kind):
    parsed = parse_plan(plan_with_members(kind, "Amsterdam, Zwole, Atlantis"), config, municipalities)
    assert not parsed.tables
    zwole, atlantis = (e for e in parsed.errors if e.column == "gemeenten")
    assert (zwole.value, zwole.message) == ("Zwole", "Onbekende gemeente; bedoelde u Zwolle?")
    assert (atlantis.value, atlantis.message) == ("Atlantis", t("plan_import.unknown_municipality"))


# -- end to end: into the own database --------------------------------------------------------------------
def test_an_import_by_name_lands_under_the_cbs_codes(config, own_copy):
    store = Store.open(own_copy)
    try:
        data = indicator_csv(
            ["Den Haag", "vroeggeboorte", 2003, "6,1"],
            ["Súdwest Fryslan", "vroeggeboorte", 2003, "5,9"],
            ["Gemeente Zwolle", "vroeggeboorte", 2003, "6,3"],
        )
        prepared = importer.prepare(store, config, Upload("namen.csv", data))
        assert prepared.parsed.ok, texts(prepared.parsed)
        assert prepared.counts == {"added": 3, "changed": 0, "removed": 0}
        importer.apply(store, prepared, named("tester"))
        stored = store.table("indicator_values")
        landed = stored[(stored["period"] == 2003) & (stored["indicator_id"] == "vroeggeboorte")]
        assert dict(zip(landed["municipality_code"], landed["value"], strict=True)) == pytest.approx(
            {DEN_HAAG: 6.1, SUDWEST: 5.9, ZWOLLE: 6.3}
        )

        refused = importer.prepare(store, config, Upload("fout.csv", indicator_csv(["Zwole", "big2", 2003, "14"])))
        assert not refused.parsed.ok
        assert importer.problem_lines(refused.parsed.errors) == [
            "fout.csv, rij 2, kolom 'gemeente': waarde 'Zwole': Onbekende gemeente; bedoelde u Zwolle?"
        ]
    finally:
        Store.close_all()
