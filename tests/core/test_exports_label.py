"""Issue 12: a CSV or XLSX made from the demo says it is fictitious (the label as first column, in every row),
one made from own data does not; both read back as the same table with any CSV reader or openpyxl. Covers the
exports of Vergelijken (``compare.export_csv``/``export_xlsx``, which the page calls with ``store.is_demo()``)
and of the Actielog (``actions.export_csv``/``export_xlsx``, which read it from the store)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from kansrijke import actions, compare
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

LABEL = t("demo_label.line")
COLUMN = t("demo_label.column")
AMSTERDAM = "KS-GM0363"

FRAME = pd.DataFrame(
    {
        "gemeentecode": ["GM0363", "GM0344"],
        "naam": ['=HYPERLINK("http://x")', "Utrecht"],
        "waarde": [5.25, None],
    }
)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def sheet_rows(data: bytes) -> tuple[openpyxl.Workbook, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return book, list(book.active.iter_rows(values_only=True))


def test_a_csv_from_the_demo_has_the_label_in_every_row_and_still_reads_as_the_table():
    rows = csv_rows(compare.export_csv(FRAME, demo=True))

    assert rows[0] == [COLUMN, "gemeentecode", "naam", "waarde"]  # the header stays on the first line
    assert [row[0] for row in rows[1:]] == [LABEL, LABEL]
    assert [row[1:] for row in rows[1:]] == [["GM0363", '\'=HYPERLINK("http://x")', "5,25"], ["GM0344", "Utrecht", ""]]
    back = pd.read_csv(io.BytesIO(compare.export_csv(FRAME, demo=True)), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back.columns) == [COLUMN, *FRAME.columns] and back["waarde"].iloc[0] == pytest.approx(5.25)


def test_a_csv_from_own_data_is_the_plain_table():
    data = compare.export_csv(FRAME)

    assert csv_rows(data)[0] == ["gemeentecode", "naam", "waarde"]
    assert "FICTIEF" not in data.decode("utf-8-sig") and COLUMN not in data.decode("utf-8-sig")
    assert compare.export_csv(FRAME, demo=False) == data


def test_an_xlsx_from_the_demo_has_the_label_as_first_column_title_and_page_header():
    book, rows = sheet_rows(compare.export_xlsx(FRAME, demo=True))

    assert rows[0] == (COLUMN, "gemeentecode", "naam", "waarde")
    assert [row[0] for row in rows[1:]] == [LABEL, LABEL]
    assert rows[1][2] == '\'=HYPERLINK("http://x")'  # still neutralised
    assert book.properties.title == LABEL
    assert book.active.oddHeader.center.text == LABEL  # on every printed page
    back = pd.read_excel(io.BytesIO(compare.export_xlsx(FRAME, demo=True)))
    assert list(back.columns) == [COLUMN, *FRAME.columns] and len(back) == 2


def test_an_xlsx_from_own_data_has_no_label():
    book, rows = sheet_rows(compare.export_xlsx(FRAME))

    assert rows[0] == ("gemeentecode", "naam", "waarde")
    assert not any("FICTIEF" in str(cell) for row in rows for cell in row)
    assert book.properties.title != LABEL and not book.active.oddHeader.center.text


@pytest.fixture(params=["demo_copy", "own_copy"])
def db(request):
    """The demo (fictitious) and the same rows marked as own data."""
    return request.param == "demo_copy", request.getfixturevalue(request.param)


def test_actielog_exports_are_labelled_exactly_when_made_from_the_demo(db):
    demo, path = db
    store = Store.open(path)
    everything = actions.ActionFilter()
    expected = len(actions.export_frame(store, AMSTERDAM, everything))
    assert expected > 10

    rows = csv_rows(actions.export_csv(store, AMSTERDAM, everything))
    book, sheet = sheet_rows(actions.export_xlsx(store, AMSTERDAM, everything))

    assert len(rows) == len(sheet) == expected + 1
    assert book.active.title == "Acties"
    if demo:
        assert rows[0][:3] == [COLUMN, "id", "datum"] and sheet[0][:3] == (COLUMN, "id", "datum")
        assert {row[0] for row in rows[1:]} == {LABEL} and {row[0] for row in sheet[1:]} == {LABEL}
        assert book.properties.title == LABEL
    else:
        assert rows[0][:2] == ["id", "datum"] and sheet[0][:2] == ("id", "datum")
        assert not any("FICTIEF" in cell for row in rows for cell in row)
        assert not any("FICTIEF" in str(cell) for row in sheet for cell in row)
    store.close()
