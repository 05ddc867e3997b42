"""Hostile uploads (issue 13): every bomb ends in a Dutch refusal that names its limit, at a bounded cost.

Each bomb is built here, then imported in a process of its own (``read_upload``, as the page and the CLI do);
that process reports its errors and its peak memory (its own high-water mark, ``VmHWM``, and ``ru_maxrss`` of
the workbook reader it starts), which must stay under ``PEAK_MB``. A memory bound, not a timing: no seconds are
asserted.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT, open_app

from kansrijke.core.config import ConfigError, load_config
from kansrijke.core.i18n import t
from kansrijke.core.reference import load_municipalities
from kansrijke.core.text import md_escape
from kansrijke.dataio import limits
from kansrijke.dataio.importer import TEMPLATE_FORMATS, read_upload, template
from kansrijke.dataio.ingest.common import Upload

PEAK_MB = 400  # what one hostile file may cost the process that reads it (Python and its libraries included)
MB = 1_000_000
DEFAULT = limits.DEFAULT

# -- files ------------------------------------------------------------------------------------------------------
MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + MAIN + b" " + RELS + b'><sheets><sheet name="Cijfers" '
    b'sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships '
    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    b'Target="sharedStrings.xml"/></Relationships>'
)
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>gemeentecode</t></is></c><c r="B1" t="inlineStr"><is><t>indicator'
    b'</t></is></c><c r="C1" t="inlineStr"><is><t>periode</t></is></c><c r="D1" t="inlineStr"><is><t>waarde</t>'
    b"</is></c></row>"
)


def sheet(rows: Iterable[bytes], dimension: bytes = b"A1:D2", header: bytes = HEADER_ROW) -> Iterable[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + MAIN + b'><dimension ref="' + dimension + b'"/>'
    yield b"<sheetData>" + header
    yield from rows
    yield b"</sheetData></worksheet>"


def workbook(
    rows: Iterable[bytes] = (), shared: Iterable[bytes] | None = None, dimension: bytes = b"A1:D2", header=HEADER_ROW
) -> bytes:
    """An .xlsx with one sheet "Cijfers" (``header`` row, then ``rows`` of sheet XML) and optionally a
    shared-strings part from the pieces ``shared``; parts are written as streams (a bomb is never whole in
    memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", PACKAGE_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        parts = {"xl/worksheets/sheet1.xml": sheet(rows, dimension, header)}
        if shared is not None:
            parts["xl/sharedStrings.xml"] = shared
        for name, pieces in parts.items():
            with zf.open(name, "w", force_zip64=True) as out:
                for piece in pieces:
                    out.write(piece)
    return buffer.getvalue()


def shared_strings(items: Iterable[bytes], count: int) -> Iterable[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><sst ' + MAIN + b' uniqueCount="%d">' % count
    yield from items
    yield b"</sst>"


def spaces(total: int, piece: int = MB) -> Iterable[bytes]:
    block = b" " * piece
    for _ in range(total // piece):
        yield block


def value_rows(count: int, start: int = 2, columns: str = "ABCD") -> Iterable[bytes]:
    for r in range(start, start + count):
        yield b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (c.encode(), r) for c in columns) + b"</row>"


def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s unpacked size written as ``size`` (central directory and local header)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    out = bytearray(data)
    name = member.encode()
    local = info.header_offset
    central = next(
        pos
        for pos in _find_all(data, b"PK\x01\x02")
        if data[pos + 46 : pos + 46 + struct.unpack_from("<H", data, pos + 28)[0]] == name
    )
    if info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF:
        raise ValueError("zip64 sizes: build the bomb smaller")
    struct.pack_into("<L", out, local + 22, size)
    struct.pack_into("<L", out, central + 24, size)
    return bytes(out)


def _find_all(data: bytes, needle: bytes) -> Iterable[int]:
    pos = data.find(needle)
    while pos >= 0:
        yield pos
        pos = data.find(needle, pos + 1)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def deflated(total: int) -> bytes:
    """``total`` zero bytes as one raw deflate stream (for a member written by hand)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(MB)
    return b"".join(packer.compress(block) for _ in range(total // MB)) + packer.flush()


# -- importing in a process of its own ------------------------------------------------------------------------------
IMPORT = textwrap.dedent(
    """
    import json, resource, sys
    from kansrijke.core.config import load_config
    from kansrijke.core.reference import load_municipalities
    from kansrijke.dataio.importer import read_upload
    from kansrijke.dataio.ingest.common import Upload

    path, name, overrides = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    config = load_config()
    config = config.model_copy(update={"imports": config.imports.model_copy(update=overrides)})
    parsed = read_upload(Upload(name, open(path, "rb").read()), config, load_municipalities(config))
    # this process: its own high-water mark (ru_maxrss also counts the forked test runner's memory before exec);
    # the workbook reader it starts: ru_maxrss of its children
    own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
    peaks = [own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]
    print(json.dumps({"errors": [p.as_dict() for p in parsed.errors], "peak_mb": max(peaks)}))
    """
)


def import_alone(tmp_path: Path, name: str, data: bytes, **overrides) -> tuple[list[dict], float]:
    """The file's errors (as the import report gives them) and the peak memory of the process that read it."""
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", IMPORT, str(path), name, json.dumps(overrides)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,  # a safety net for a broken build, not a timing
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    return report["errors"], report["peak_mb"]


def refused_with(errors: list[dict], message: str, **where) -> None:
    assert [e["melding"] for e in errors] == [message], errors
    for key, value in where.items():
        assert errors[0][key] == value, errors


def n(value: float) -> str:
    return limits.fmt.integer(value)


# -- workbooks ---------------------------------------------------------------------------------------------------------
def test_workbook_of_spaces_with_a_huge_dimension_is_refused_for_its_unpacked_size(tmp_path):
    data = workbook(spaces(400 * MB), dimension=b"A1:XFD1048576")  # 400 MB of spaces: about 0,4 MB packed
    assert len(data) < 2 * MB
    errors, peak = import_alone(tmp_path, "spaties.xlsx", data)
    refused_with(errors, t("limits.unpacked", max=n(200), found="400,0"), bestand="spaties.xlsx")
    assert "200 MB" in errors[0]["melding"] and "imports.max_unpacked_mb" in errors[0]["melding"]
    assert peak < PEAK_MB


def test_workbook_whose_zip_lies_about_a_size_is_refused_while_unpacking(tmp_path):
    data = lie_about_size(workbook(spaces(300 * MB)), "xl/worksheets/sheet1.xml", 5000)
    errors, peak = import_alone(tmp_path, "klein.xlsx", data)
    refused_with(errors, t("limits.zip_lies", member="xl/worksheets/sheet1.xml"))
    assert peak < PEAK_MB


def test_huge_dimension_alone_is_refused_naming_the_cell_limit(tmp_path):
    data = workbook(value_rows(1), dimension=b"A1:XFD1048576")
    errors, peak = import_alone(tmp_path, "dimensie.xlsx", data)
    refused_with(errors, t("limits.dimension", max=n(2_500_000), found=n(16384 * 1048576)), blad="Cijfers")
    assert peak < PEAK_MB


def test_one_cell_far_away_is_refused_before_the_reader_builds_the_grid(tmp_path):
    far = b'<row r="200000"><c r="XFD200000"><v>1</v></c></row>'
    errors, peak = import_alone(tmp_path, "ver.xlsx", workbook([far]))
    at_least = t("limits.at_least", n=n(16384))  # the check stops at the first cell past a bound
    refused_with(errors, t("limits.columns", max=n(1000), found=at_least), blad="Cijfers")
    errors, _ = import_alone(tmp_path, "ver.xlsx", workbook([far.replace(b"XFD", b"ALL")]))  # column 1000
    at_least = t("limits.at_least", n=n(200_000 * 1000))
    refused_with(errors, t("limits.cells", max=n(2_500_000), found=at_least), blad="Cijfers")
    assert peak < PEAK_MB


def test_cells_the_quick_reading_cannot_be_sure_of_are_read_exactly():
    """A large sheet with namespace prefixes (``<x:c>``), or with cells without a reference, goes to expat."""
    prefixed = [b'<x:row r="%d"><x:c r="A%d"><x:v>1</x:v></x:c></x:row>' % (r, r) for r in range(2, 60_000)]
    far = b'<x:row r="70000"><x:c r="ZZ70000"><x:v>1</x:v></x:c></x:row>'  # column 702
    with pytest.raises(limits.Refused) as caught:
        limits.check_workbook(workbook([*prefixed, far]), DEFAULT, "x.xlsx")
    at_least = t("limits.at_least", n=n(70_000 * 702))
    assert caught.value.findings == [limits.Finding(t("limits.cells", max=n(2_500_000), found=at_least), "Cijfers")]
    unnamed = [b"<row><c><v>%d</v></c></row>" % r for r in range(2, 100_000)]  # rows and cells without r
    wide = b"<row>" + b'<c t="s"><v>0</v></c>' * 1200 + b"</row>"
    with pytest.raises(limits.Refused) as caught:
        limits.check_workbook(workbook([*unnamed, wide]), replace(DEFAULT, max_ratio=5000), "x.xlsx")
    at_least = t("limits.at_least", n=n(100_000 * 26))  # row 100.000 reaches the bound at its 26th cell
    assert caught.value.findings == [limits.Finding(t("limits.cells", max=n(2_500_000), found=at_least), "Cijfers")]


def test_twenty_million_cells_are_refused_for_their_ratio_and_at_the_cell_limit(tmp_path):
    cells = (b"<row>" + b"<c/>" * 800 + b"</row>" for _ in range(25_000))  # 20M cells, 80 MB of XML
    data = workbook(cells)
    errors, peak = import_alone(tmp_path, "cellen.xlsx", data)
    assert len(errors) == 1 and starts_like(errors[0]["melding"], "limits.ratio", member=1, found=1, max=1)
    assert peak < PEAK_MB
    errors, peak = import_alone(tmp_path, "cellen.xlsx", data, max_zip_ratio=2000)  # the next bound: cells
    at_least = t("limits.at_least", n=n(3126 * 800))  # the first row that takes the sheet past the bound
    refused_with(errors, t("limits.cells", max=n(2_500_000), found=at_least), blad="Cijfers")
    assert peak < PEAK_MB


def test_five_million_cells_are_refused_for_their_rows_before_reading(tmp_path):
    data = workbook(value_rows(1_250_000))  # 5M cells in 1,25M rows
    errors, peak = import_alone(tmp_path, "rijen.xlsx", data)
    refused_with(errors, t("ingest.too_many_rows", max=250_000), blad="Cijfers")
    assert peak < PEAK_MB


def test_shared_strings_bomb_by_count_is_refused(tmp_path):
    items = (b"<si><t>x%d</t></si>" % i for i in range(1_200_000))
    errors, peak = import_alone(tmp_path, "teksten.xlsx", workbook(shared=shared_strings(items, 1_200_000)))
    more = t("limits.more_than", n=n(1_000_000))
    refused_with(errors, t("limits.shared_strings", max=n(1_000_000), found=more))
    assert peak < PEAK_MB


def test_one_long_shared_string_in_many_cells_is_refused_for_its_text(tmp_path):
    long = b"<si><t>" + b"x" * 200_000 + b"</t></si>"  # 0,2 MB shown in 1.000 cells: 200 MB of text
    rows = (b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (r, r) for r in range(2, 1002))
    errors, peak = import_alone(tmp_path, "herhaald.xlsx", workbook(rows, shared=shared_strings([long], 1)))
    refused_with(errors, t("limits.text", max=n(50), found="200,0"))
    assert peak < PEAK_MB


def starts_like(message: str, key: str, **params) -> bool:
    """Whether ``message`` is ``key``'s text up to its first placeholder (the value found is measured)."""
    return message.startswith(t(key, **{k: "\x00" for k in params}).split("\x00")[0])


def test_workbook_member_with_a_high_ratio_is_refused_from_the_directory(tmp_path):
    parts = zipfile.ZipFile(io.BytesIO(workbook(value_rows(3))))
    members = {i.filename: parts.read(i) for i in parts.infolist()}
    bomb = zip_of(members | {"xl/media/image1.png": bytes(150 * MB)})  # 150 MB of zeros: about 0,15 MB packed
    errors, peak = import_alone(tmp_path, "plaatje.xlsx", bomb)
    assert len(errors) == 1 and starts_like(errors[0]["melding"], "limits.ratio", member=1, found=1, max=1)
    assert "xl/media/image1.png" in errors[0]["melding"] and "imports.max_zip_ratio" in errors[0]["melding"]
    assert peak < PEAK_MB


def test_workbook_with_many_members_is_refused_before_they_are_listed(tmp_path):
    data = zip_of({f"xl/media/{i}.bin": b"" for i in range(5000)} | {"xl/workbook.xml": WORKBOOK})
    errors, peak = import_alone(tmp_path, "leden.xlsx", data)
    refused_with(errors, t("limits.members", max=n(1000), found=t("limits.more_than", n=1000)))
    assert peak < PEAK_MB


def test_a_workbook_the_checks_let_through_but_the_reader_cannot_hold_is_refused_when_its_process_dies(tmp_path):
    """The child process is the guarantee behind the checks: here its memory cap is set below what the reader
    needs for a valid workbook, and the refusal is Dutch, naming that limit."""
    data = workbook(value_rows(150_000, columns="ABCDEFGHI"))
    errors, peak = import_alone(tmp_path, "groot.xlsx", data, max_parse_memory_mb=100)
    refused_with(errors, t("limits.parse_memory", max=n(100)))
    assert peak < PEAK_MB


# -- CSV ------------------------------------------------------------------------------------------------------------
def test_csv_line_of_ten_mb_with_five_million_columns_is_refused_for_its_length(tmp_path):
    data = b"gemeentecode;indicator;periode;waarde\n" + b";" * 5_000_000 + b"x" * 5_000_000 + b"\n"
    errors, peak = import_alone(tmp_path, "kolommen.csv", data)
    refused_with(errors, t("limits.line", max=n(1024 * 1024), found=n(10_000_000)), rij=2)
    assert peak < PEAK_MB


def test_csv_with_too_many_columns_on_a_line_is_refused(tmp_path):
    data = b"gemeentecode;indicator;periode;waarde\n" + b";".join([b"1"] * 5000) + b"\n"
    errors, peak = import_alone(tmp_path, "breed.csv", data)
    refused_with(errors, t("limits.csv_columns", max=n(1000), found=n(5000)), rij=2)
    assert peak < PEAK_MB


def test_csv_field_of_200_kb_is_refused_naming_the_field_limit(tmp_path):
    data = b'gemeentecode;indicator;periode;waarde\nGM0363;big2;2023;"' + b"9" * 200_000 + b'"\n'
    errors, peak = import_alone(tmp_path, "veld.csv", data)
    refused_with(errors, t("limits.field", max=n(128 * 1024)), rij=2)
    assert peak < PEAK_MB


def test_csv_of_blank_lines_is_read_without_keeping_them(tmp_path):
    data = b"gemeentecode;indicator;periode;waarde\n" + b"\n" * 15_000_000 + b"GM0363;big2;2023;7,4\n"
    errors, peak = import_alone(tmp_path, "leeg.csv", data)
    assert errors == []
    assert peak < PEAK_MB


# -- YAML --------------------------------------------------------------------------------------------------------------
def test_deep_yaml_plan_is_refused_naming_the_depth_limit(tmp_path):
    data = b"coalitie:\n  naam: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    errors, peak = import_alone(tmp_path, "diep.yaml", data)
    refused_with(errors, t("limits.yaml_depth", max=20, line=2))
    assert peak < PEAK_MB


def test_yaml_billion_laughs_is_refused_at_its_first_alias(tmp_path):
    lol = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    errors, peak = import_alone(tmp_path, "lachen.yaml", lol.encode())
    refused_with(errors, t("plan_import.yaml_alias", line=2))
    assert peak < PEAK_MB


def test_yaml_with_too_many_values_is_refused_before_it_is_built(tmp_path):
    data = b"acties: [" + b"a, " * 1_500_000 + b"a]\n"
    errors, peak = import_alone(tmp_path, "veel.yaml", data)
    refused_with(errors, t("limits.yaml_nodes", max=n(250_000), line=1))
    assert peak < PEAK_MB


@pytest.mark.parametrize(
    ("text", "key", "limit"),
    [
        ("database: " + "[" * 100_000 + "]" * 100_000 + "\n", "limits.config_depth", 32),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"a{i}: &a{i} [{', '.join(['*a' + ('' if i == 0 else str(i - 1))] * 10)}]\n" for i in range(9)),
            "limits.config_nodes",
            200_000,
        ),
    ],
    ids=["deep", "billion-laughs"],
)
def test_config_yaml_too_deep_or_too_large_is_a_dutch_config_error(tmp_path, text, key, limit):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = caught.value.messages[0]
    prefix = t(key, file=str(path.resolve()), line=999, max=limit).split("999")[0]
    assert message.startswith(prefix)


# -- backups -------------------------------------------------------------------------------------------------------------
def test_backup_zip_bombs_are_refused_by_check_zip():
    """What ``read_backup`` calls first: a 1 MB member that unpacks to 1 GB, a 150 MB member of zeros, and a
    member that lies about its size."""
    bomb = zip_of({"manifest.json": b"{}", "tables/actions.parquet": b""})
    with pytest.raises(limits.Refused) as caught:
        limits.check_zip(_with_member(bomb, "tables/big.parquet", 1000 * MB), file="kopie.zip")
    assert caught.value.findings[0].message == t("limits.unpacked", max=n(200), found="1.000,0")
    assert str(caught.value) == "kopie.zip: " + caught.value.findings[0].message
    with pytest.raises(limits.Refused) as caught:
        limits.check_zip(_with_member(bomb, "tables/big.parquet", 150 * MB), file="kopie.zip")
    assert starts_like(caught.value.findings[0].message, "limits.ratio", member=1, found=1, max=1)
    with pytest.raises(limits.Refused) as caught:
        limits.check_zip(_with_member(bomb, "tables/big.parquet", 300 * MB, declared=1000), file="kopie.zip")
    assert caught.value.findings[0].message == t("limits.zip_lies", member="tables/big.parquet")
    assert [i.filename for i in limits.check_zip(bomb)] == ["manifest.json", "tables/actions.parquet"]


def _with_member(data: bytes, name: str, total: int, declared: int | None = None) -> bytes:
    """The zip with one more deflated member of ``total`` zero bytes, written by hand (sizes as ``declared``)."""
    packed = deflated(total)
    crc = 0
    size = total if declared is None else declared
    zf = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for info in zf.infolist():
            out.writestr(info, zf.read(info))
    body = bytearray(buffer.getvalue())
    end = body.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack_from("<LL", body, end + 12)
    entries = struct.unpack_from("<H", body, end + 10)[0]
    central = bytes(body[cd_offset : cd_offset + cd_size])
    head = bytes(body[:cd_offset])
    encoded = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), size, len(encoded), 0)
    record = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), size, len(encoded), 0, 0, 0, 0, 0, len(head)
    )
    new_head = head + local + encoded + packed
    new_central = central + record + encoded
    tail = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, entries + 1, entries + 1, len(new_central), len(new_head), 0)
    return new_head + new_central + tail


# -- real files still pass -------------------------------------------------------------------------------------------------
NATIONAL_HEADER = ("gemeentecode", "indicator", "periode", "waarde", "teller", "noemer", "bron", "peildatum", "status")


def national_rows(config) -> list[tuple[str, ...]]:
    """A national file's size: 342 municipalities x 20 years x 10 indicators (the catalogue's municipal
    percentages) = 68.400 rows, each a valid figure."""
    ids = [i.id for i in config.indicatoren if i.eenheid == "%" and i.niveau == "gemeente"][:10]
    codes = load_municipalities(config)["code"]
    years = range(2004, 2024)
    return [(c, i, str(y), "7,4", "74", "1000", "RIVM", "", "definitief") for c in codes for y in years for i in ids]


def inline_row(number: int, values: tuple[str, ...]) -> bytes:
    cells = (
        b'<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + j).encode(), number, v.encode())
        for j, v in enumerate(values)
    )
    return b'<row r="%d">' % number + b"".join(cells) + b"</row>"


def test_a_national_indicator_file_passes_every_limit_as_csv_and_as_workbook(config):
    rows = national_rows(config)
    assert len(rows) == 342 * 20 * 10
    municipalities = load_municipalities(config)
    csv_data = "\n".join(";".join(r) for r in [NATIONAL_HEADER, *rows]).encode()
    parsed = read_upload(Upload("landelijk.csv", csv_data), config, municipalities)
    assert parsed.ok, parsed.errors[:3]
    assert len(parsed.tables["indicator_values"]) == len(rows)

    body = [inline_row(1, NATIONAL_HEADER)] + [inline_row(n + 2, r) for n, r in enumerate(rows)]
    data = workbook(body, dimension=b"A1:I%d" % (len(rows) + 1), header=b"")
    parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert max(i.file_size for i in parts) > 20 * MB  # large enough for the quick reading of a part
    parsed = read_upload(Upload("landelijk.xlsx", data), config, municipalities)
    assert parsed.ok, parsed.errors[:3]
    assert len(parsed.tables["indicator_values"]) == len(rows)


@pytest.mark.parametrize(("kind", "suffix"), [(k, s) for k, f in TEMPLATE_FORMATS.items() for s in f])
def test_every_template_passes_every_limit(config, kind, suffix):
    data = template(kind, suffix, config)
    parsed = read_upload(Upload(f"sjabloon.{suffix}", data), config, load_municipalities(config))
    assert not [e for e in parsed.errors if "imports." in e.message], parsed.errors


def test_limits_default_to_config_yaml_and_to_the_schema(config):
    """One set of defaults: the dataclass, the schema (``ImportConfig``) and the shipped config.yaml agree."""
    assert limits.Limits.from_config(config.imports) == DEFAULT
    assert limits.Limits(DEFAULT.max_bytes, DEFAULT.max_rows) == DEFAULT


# -- the page ------------------------------------------------------------------------------------------------------------
def test_gegevens_page_shows_the_refusal_and_stays_up(own_app):
    at = open_app("pages/gegevens.py")
    bomb = b"gemeentecode;indicator;periode;waarde\n" + b";" * 2_000_000 + b"\n"
    at.file_uploader[0].set_value(("kolommen.csv", bomb, "text/csv")).run()
    assert not at.exception
    invalid = t("data_page.invalid", file=md_escape("kolommen.csv"), kind=t("importer.kind.onbekend"), count=1)
    assert [e.value for e in at.error] == [invalid]
    table = at.dataframe[0].value
    expected = t("limits.line", max=n(1024 * 1024), found=n(2_000_000))
    assert expected in set(table[t("importer.col.message")])
    assert not any(b.label == t("data_page.confirm") for b in at.button)
