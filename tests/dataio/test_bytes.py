"""Bytes in text files (issue 13): a NUL anywhere is refused with its row and column, UTF-16 and UTF-8 with a
byte order mark are read like UTF-8, UTF-16 without one is explained ("sla op als UTF-8"), binary stays refused.
Checked on every text path: indicator CSV, tab-separated .txt (Excel's "Unicode-tekst"), StatLine and plan YAML.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kansrijke.core.i18n import t
from kansrijke.core.reference import load_municipalities
from kansrijke.dataio import limits
from kansrijke.dataio.importer import read_upload, template
from kansrijke.dataio.ingest.common import Upload

HEADER = "gemeentecode;indicator;periode;waarde;bron"


@pytest.fixture(scope="module")
def municipalities(config) -> pd.DataFrame:
    return load_municipalities(config)


def figures(count: int, source: str = "Perined") -> str:
    """A long-form indicator CSV with ``count`` valid rows (each about 40 characters)."""
    rows = [f"GM0363;vroeggeboorte;{1900 + n};7,4;{source}" for n in range(count)]
    return "\n".join([HEADER, *rows]) + "\n"


def read(name: str, data: bytes, config, municipalities):
    return read_upload(Upload(name, data), config, municipalities)


def only_error(parsed):
    assert not parsed.tables
    assert len(parsed.errors) == 1, [p.text() for p in parsed.errors]
    return parsed.errors[0]


# -- NUL --------------------------------------------------------------------------------------------------------------
def test_nul_after_the_first_4_kb_of_a_csv_is_refused_with_row_and_column(config, municipalities):
    text = figures(200)
    lines = text.split("\n")
    lines[150] = lines[150].replace("Perined", "Peri\x00ned")  # row 151, in the column "bron"
    data = "\n".join(lines).encode("utf-8")
    assert data.index(b"\x00") > 4096
    error = only_error(read("cijfers.csv", data, config, municipalities))
    assert error.message == t("limits.nul", row=151, char=lines[150].index("\x00") + 1)
    assert (error.file, error.row, error.column) == ("cijfers.csv", 151, "bron")


def test_a_single_nul_early_in_a_csv_is_refused_with_its_row_too(config, municipalities):
    data = figures(3).replace("GM0363;vroeg", "GM0363\x00;vroeg", 1).encode("utf-8")
    error = only_error(read("cijfers.csv", data, config, municipalities))
    assert (error.message, error.row, error.column) == (t("limits.nul", row=2, char=7), 2, "gemeentecode")


def test_nul_in_a_plan_yaml_is_refused_with_its_line(config, municipalities):
    text = template("coalitie", "yaml", config).decode("utf-8")
    padded = text + "".join(f"# regel {n} om voorbij 4 KB te komen\n" for n in range(200))
    lines = padded.split("\n")
    where = len(lines) - 10
    lines[where] = "# een NUL: \x00"
    data = "\n".join(lines).encode("utf-8")
    assert data.index(b"\x00") > 4096
    error = only_error(read("plan.yaml", data, config, municipalities))
    assert (error.message, error.row) == (t("limits.nul", row=where + 1, char=12), where + 1)


def test_nul_in_utf16_text_is_found_after_decoding(config, municipalities):
    data = "\ufeff".encode("utf-16-le") + figures(2).replace("Perined", "Per\x00ined", 1).encode("utf-16-le")
    error = only_error(read("cijfers.csv", data, config, municipalities))
    assert (error.row, error.column) == (2, "bron")


def test_binary_content_is_still_refused_as_binary(config, municipalities):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    error = only_error(read("cijfers.csv", data, config, municipalities))
    assert error.message == t("ingest.not_text", file="cijfers.csv")


# -- encodings ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-32-le-bom"],
)
def test_utf8_and_utf16_with_bom_read_the_same_rows(config, municipalities, codec, bom):
    text = figures(3, source="Perined ë – Súdwest")
    parsed = read("cijfers.csv", bom + text.encode(codec), config, municipalities)
    assert parsed.ok, [p.text() for p in parsed.errors]
    values = parsed.tables["indicator_values"]
    assert values["source"].tolist() == ["Perined ë – Súdwest"] * 3
    assert values["municipality_code"].tolist() == ["GM0363"] * 3  # the BOM does not spoil the first header


def test_excel_unicode_text_tab_separated_utf16_is_read(config, municipalities):
    text = figures(2).replace(";", "\t").replace("\n", "\r\n")
    parsed = read("cijfers.txt", b"\xff\xfe" + text.encode("utf-16-le"), config, municipalities)
    assert parsed.ok, [p.text() for p in parsed.errors]
    assert len(parsed.tables["indicator_values"]) == 2


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_explained(config, municipalities, codec):
    error = only_error(read("cijfers.csv", figures(3).encode(codec), config, municipalities))
    assert error.message == t("limits.utf16_no_bom", file="cijfers.csv")
    assert "UTF-8" in error.message


def test_plan_yaml_in_utf16_with_bom_reads_like_utf8(config, municipalities):
    text = template("coalitie", "yaml", config).decode("utf-8")
    as_utf8 = read("plan.yaml", text.encode("utf-8"), config, municipalities)
    as_utf16 = read("plan.yaml", b"\xff\xfe" + text.encode("utf-16-le"), config, municipalities)
    assert [p.message for p in as_utf16.problems] == [p.message for p in as_utf8.problems]
    assert as_utf16.tables.keys() == as_utf8.tables.keys()
    for name, frame in as_utf8.tables.items():
        pd.testing.assert_frame_equal(as_utf16.tables[name], frame)


def test_plan_yaml_utf16_without_bom_is_explained(config, municipalities):
    data = template("coalitie", "yaml", config).decode("utf-8").encode("utf-16-le")
    error = only_error(read("plan.yaml", data, config, municipalities))
    assert error.message == t("limits.utf16_no_bom", file="plan.yaml")


def test_windows_1252_is_still_read(config, municipalities):
    parsed = read("cijfers.csv", figures(2, source="Perined ë").encode("cp1252"), config, municipalities)
    assert parsed.ok and parsed.tables["indicator_values"]["source"].tolist() == ["Perined ë"] * 2


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"gemeentecode;indicator\n", "text"),
        (b"\xff\xfeg\x00e\x00", "text"),
        ("gemeentecode;indicator\n".encode("utf-16-le"), "utf16"),
        ("gemeentecode;indicator\n".encode("utf-16-be"), "utf16"),
        (b"gemeentecode;indicator" + b"x" * 5000 + b"\x00", "text"),  # a NUL past the sample: check_text names it
        (b"x" * 100 + b"\x00" + b"y" * 100, "text"),  # one stray NUL: check_text names its row
        (b"coalitie:\x00\x00", "binary"),
        (bytes(range(256)), "binary"),
    ],
)
def test_text_kind_from_the_first_bytes(data, kind):
    assert limits.text_kind(data) == kind
