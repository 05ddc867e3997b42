"""What reading one uploaded file may cost, checked before a library reads it.

A file from outside can be small and still ask for gigabytes: a zip member that unpacks a thousand times its
size, a sheet with one cell at XFD1048576 (the reader builds the whole grid), a shared text repeated in a
million cells, a CSV line of five million fields, YAML nested a hundred thousand levels deep. Every such file
ends in a Dutch refusal (``Refused``, a ``UserError``: one ``Finding`` per problem, each naming the limit and
the value found) at a cost of at most a few hundred MB and a few seconds; the limits are ``Limits`` (from
``config.yaml`` ``imports:``). What is checked, and before what:

- **zips** (workbooks and backups), ``check_zip``: from the central directory, before anything is unpacked:
  member count, total unpacked size, each member's ratio, duplicate names, encryption and compression method,
  members that overlap or do not start where the directory says; then every member is unpacked as a capped
  stream (memory: one piece at a time) and must be exactly as large as the directory says (the directory is
  not trusted blindly);
- **workbooks**, ``check_workbook``: every XML part streamed through expat (no DTD, no entities) while it is
  unpacked: per sheet the rows, columns and the area (rows x columns, what the reader allocates), the
  declared dimension, all cells together, the shared strings and the text of all cells (a shared text counted
  in every cell that shows it);
- **text**, ``text_kind``, ``decode``, ``check_text``: binary content, UTF-8 (with or without BOM), UTF-16 and
  UTF-32 with a BOM, UTF-16 without a BOM explained ("sla op als UTF-8"), Windows-1252 otherwise; a NUL
  character anywhere is refused with its row and position;
- **CSV**, ``check_csv_lines`` and ``csv_rows``: line length before parsing, then field length (the csv module's
  field limit), columns per line, rows and cells while reading row by row;
- **YAML**, ``check_yaml``: nesting depth, values and aliases from the parser's events (libyaml stops as soon as
  a bound is passed; ``core.config.yaml_bounds``), before anything is built.

**Reading workbooks in a child process.** The checks above are exact for the Python code that follows them
(CSV, YAML), which reads the same bytes with the same parser. Workbooks are read by calamine (Rust), which has
its own zip and XML code and *aborts the whole process* when an allocation fails; a difference between what
the checks see and what calamine reads, or a calamine version that allocates on something new, would take the
server down for every session. So ``read_workbook`` runs calamine (and openpyxl, for formula cells) in a
child process (``ingest/xlsx_child.py``) with its address space capped (``RLIMIT_AS``,
``imports.max_parse_memory_mb``) and a time limit (``imports.max_parse_seconds``); a child that dies or
overruns becomes a Dutch refusal too. It costs about 0.1 s per workbook. Where ``resource`` does not exist
(Windows) the workbook is read in-process, after the same checks.
"""

from __future__ import annotations

import array
import csv
import io
import operator
import os
import pickle
import posixpath
import re
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import numpy as np

from kansrijke.core import fmt
from kansrijke.core.config import ImportConfig, yaml_bounds
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.dataio.ingest import xlsx_child

MB = 1_000_000
KB = 1024
CHILD = Path(xlsx_child.__file__)
SMALL_MEMBER = MB  # a member that unpacks to less than this is never refused for its ratio
CHUNK = 1 << 16  # packed bytes unpacked at a time
SAMPLE = 4096  # bytes looked at to tell text from binary
try:  # POSIX only: where it is missing (Windows) workbooks are read in-process, after the same checks
    import resource  # noqa: F401 - only whether it exists matters here

    ISOLATE = os.name == "posix"
except ImportError:  # pragma: no cover - Windows
    ISOLATE = False


@dataclass(frozen=True)
class Limits:
    """The bounds on one file (``config.yaml`` ``imports:``; ``Limits.from_config``). Sizes in bytes/characters."""

    max_bytes: int
    max_rows: int
    max_unpacked: int = 200 * MB
    max_members: int = 1000
    max_ratio: float = 200
    max_cells: int = 2_500_000
    max_shared_strings: int = 1_000_000
    max_text: int = 50 * MB
    max_columns: int = 1000
    max_line: int = 1024 * KB
    max_field: int = 128 * KB
    max_yaml_depth: int = 20
    max_yaml_nodes: int = 250_000
    max_parse_memory_mb: int = 800
    max_parse_seconds: float = 60

    @classmethod
    def from_config(cls, imports: ImportConfig) -> Limits:
        return cls(
            max_bytes=int(imports.max_file_mb * MB),
            max_rows=imports.max_rows,
            max_unpacked=int(imports.max_unpacked_mb * MB),
            max_members=imports.max_zip_members,
            max_ratio=imports.max_zip_ratio,
            max_cells=imports.max_cells,
            max_shared_strings=imports.max_shared_strings,
            max_text=int(imports.max_text_mb * MB),
            max_columns=imports.max_columns,
            max_line=int(imports.max_line_kb * KB),
            max_field=int(imports.max_field_kb * KB),
            max_yaml_depth=imports.max_yaml_depth,
            max_yaml_nodes=imports.max_yaml_nodes,
            max_parse_memory_mb=imports.max_parse_memory_mb,
            max_parse_seconds=imports.max_parse_seconds,
        )


DEFAULT = Limits.from_config(ImportConfig())


@dataclass(frozen=True)
class Finding:
    """One reason a file is refused, with where it is (as ``ingest.common.Problem`` shows it)."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def text(self, file: str) -> str:
        where = [file] if file else []
        if self.sheet:
            where.append(t("ingest.where_sheet", sheet=self.sheet))
        if self.row is not None:
            where.append(t("ingest.where_row", row=self.row))
        if self.column:
            where.append(t("ingest.where_column", column=self.column))
        return f"{', '.join(where)}: {self.message}" if where else self.message


class Refused(UserError):
    """A file refused before it was read: ``findings`` say why (Dutch, each naming the limit); nothing changed."""

    kind = "refused"

    def __init__(self, file: str, findings: list[Finding]):
        self.file = file
        self.findings = list(findings)
        super().__init__([f.text(file) for f in self.findings], kind=self.kind)


def _mb(size: float) -> str:
    return fmt.number(size / MB, 1)


def _refuse(file: str, message: str, **where: object) -> Refused:
    return Refused(file, [Finding(message, **where)])  # type: ignore[arg-type]


# -- zips -----------------------------------------------------------------------------------------------------
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CD_ENTRY = struct.Struct("<4s4B4HL2L5H2L")  # one central directory record, before name, extra and comment
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # a local file header, before name and extra


@dataclass
class _Member:
    info: zipfile.ZipInfo
    start: int  # where the packed data starts


def _directory(data: bytes, limits: Limits, file: str) -> tuple[int, int]:
    """(offset, size) of the central directory after checking the end record, the member count and that
    nothing was put before the first member; ``Refused`` otherwise. Reads no member."""
    broken = _refuse(file, t("limits.zip_broken"))
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - _EOCD.size - 0xFFFF))
    if end < 0 or end + _EOCD.size > len(data):
        raise broken
    _sig, disk, cd_disk, _on_disk, entries, cd_size, cd_offset, comment = _EOCD.unpack_from(data, end)
    if disk or cd_disk or end + _EOCD.size + comment != len(data):
        raise broken
    directory_end = end
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:  # zip64
        locator = end - _EOCD64_LOCATOR.size
        if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
            raise broken
        where = _EOCD64_LOCATOR.unpack_from(data, locator)[2]
        if where + _EOCD64.size > locator or data[where : where + 4] != b"PK\x06\x06":
            raise broken
        fields = _EOCD64.unpack_from(data, where)
        entries, cd_size, cd_offset = fields[7], fields[8], fields[9]
        directory_end = where
    if cd_offset + cd_size != directory_end:  # data before the first member, or a directory not where it says
        raise broken
    count, pos = 0, cd_offset
    while pos < directory_end:  # count the records themselves: the count in the end record may lie
        if data[pos : pos + 4] != b"PK\x01\x02" or pos + _CD_ENTRY.size > directory_end:
            raise broken
        record = _CD_ENTRY.unpack_from(data, pos)
        pos += _CD_ENTRY.size + record[12] + record[13] + record[14]
        count += 1
        if count > limits.max_members:
            raise _refuse(
                file,
                t("limits.members", max=fmt.integer(limits.max_members), found=t("limits.more_than", n=count - 1)),
            )
    if count != entries:
        raise broken
    return cd_offset, cd_size


def _members(data: bytes, limits: Limits, file: str) -> list[_Member]:
    """The members from the central directory, checked before anything is unpacked."""
    _directory(data, limits, file)
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error):
        raise _refuse(file, t("limits.zip_broken")) from None
    seen: set[str] = set()
    total = 0
    steep = ""  # the first member unpacked too many times its packed size
    members: list[_Member] = []
    for info in infos:
        name = info.filename
        if name.casefold() in seen:
            raise _refuse(file, t("limits.zip_duplicate", member=name))
        seen.add(name.casefold())
        if info.flag_bits & 0x1:
            raise _refuse(file, t("limits.zip_encrypted", member=name))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(file, t("limits.zip_method", member=name))
        total += info.file_size
        if info.file_size >= SMALL_MEMBER and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            steep = steep or _ratio_message(name, info.file_size / max(info.compress_size, 1), limits)
        head = info.header_offset
        if head + _LOCAL.size > len(data) or data[head : head + 4] != b"PK\x03\x04":
            raise _refuse(file, t("limits.zip_broken"))
        local = _LOCAL.unpack_from(data, head)
        start = head + _LOCAL.size + local[10] + local[11]
        local_name = data[head + _LOCAL.size : head + _LOCAL.size + local[10]]
        if local_name.decode("utf-8" if local[2] & 0x800 else "cp437", "replace") != name:
            raise _refuse(file, t("limits.zip_broken"))
        if start + info.compress_size > len(data):
            raise _refuse(file, t("limits.zip_broken"))
        members.append(_Member(info, start))
    if total > limits.max_unpacked:
        raise _refuse(file, _unpacked_message(total, limits))
    if steep:
        raise _refuse(file, steep)
    ranges = sorted((m.info.header_offset, m.start + m.info.compress_size) for m in members)
    if any(later[0] < earlier[1] for earlier, later in zip(ranges, ranges[1:], strict=False)):
        raise _refuse(file, t("limits.zip_overlap"))  # the members share bytes: the classic small zip bomb
    return members


def _ratio_message(name: str, ratio: float, limits: Limits) -> str:
    return t("limits.ratio", member=name, found=fmt.integer(ratio), max=fmt.integer(limits.max_ratio))


def _unpacked_message(found: int | str, limits: Limits) -> str:
    shown = found if isinstance(found, str) else _mb(found)
    return t("limits.unpacked", max=fmt.integer(limits.max_unpacked / MB), found=shown)


def _unpack(data: bytes, member: _Member, budget: int, file: str, limits: Limits) -> Iterator[bytes]:
    """The member unpacked piece by piece; ``Refused`` as soon as it is larger than the directory says (or than
    ``budget``), or when its data is broken."""
    info = member.info
    packed = memoryview(data)[member.start : member.start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _refuse(file, t("limits.zip_lies", member=info.filename))
        for pos in range(0, len(packed), CHUNK):
            yield bytes(packed[pos : pos + CHUNK])
        return
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    produced, pos = 0, 0
    try:
        while not inflate.eof:
            if inflate.unconsumed_tail:
                piece = inflate.unconsumed_tail
            elif pos < len(packed):
                piece, pos = packed[pos : pos + CHUNK], pos + CHUNK
            else:
                break
            out = inflate.decompress(piece, CHUNK * 4)
            produced += len(out)
            if produced > info.file_size:
                raise _refuse(file, t("limits.zip_lies", member=info.filename))
            if produced > budget:  # cannot happen when every member is as large as it says; kept as a guard
                raise _refuse(file, _unpacked_message(t("limits.more_than", n=_mb(limits.max_unpacked)), limits))
            if out:
                yield out
    except zlib.error:
        raise _refuse(file, t("limits.zip_broken")) from None
    if not inflate.eof or produced != info.file_size:
        raise _refuse(file, t("limits.zip_broken"))


def check_zip(
    data: bytes,
    limits: Limits | None = None,
    *,
    file: str = "",
    visit: Callable[[zipfile.ZipInfo], Callable[[bytes], None] | None] | None = None,
) -> list[zipfile.ZipInfo]:
    """Check a zip (a workbook or a backup) and unpack every member as a capped stream; its members when
    within ``limits`` (default: ``config.yaml``'s defaults), else ``Refused`` naming the limit and the value.

    ``visit(info)`` may return a function that gets the member's unpacked pieces (``check_workbook`` reads XML
    that way). Memory: one piece at a time, whatever the file says. ``limits.max_bytes`` is not checked here
    (the caller knows how large a file may be)."""
    return [m.info for m in _walk(data, limits or DEFAULT, file, visit)]


def _walk(
    data: bytes, limits: Limits, file: str, visit: Callable[[zipfile.ZipInfo], Callable[[bytes], None] | None] | None
) -> list[_Member]:
    members = _members(data, limits, file)
    budget = limits.max_unpacked
    for member in members:
        feed = visit(member.info) if visit else None
        size = 0
        for piece in _unpack(data, member, budget, file, limits):
            size += len(piece)
            if feed is not None:
                feed(piece)
        budget -= size
    return members


# -- workbooks ----------------------------------------------------------------------------------------------------
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?")


class _Stop(Exception):
    """A bound was passed in this part: stop reading it (the finding is recorded)."""


def _column_number(letters: str, _cache: dict[str, int] = {}) -> int:  # noqa: B006 - a deliberate cache
    number = _cache.get(letters)
    if number is None:
        number = 0
        for ch in letters:
            number = number * 26 + ord(ch) - 64
        _cache[letters] = number
    return number


@dataclass
class _Book:
    """What the XML parts of a workbook hold, counted while they are unpacked."""

    limits: Limits
    cells: int = 0  # cell elements in all parts
    text: int = 0  # characters of cell text outside the shared strings
    shared: dict[str, array.array] = field(default_factory=dict)  # part -> length of each shared string
    refs: array.array = field(default_factory=lambda: array.array("q"))  # shared string index of each cell
    sheets: dict[str, dict] = field(default_factory=dict)  # part -> {rows, columns, dimension, stopped}
    titles: list[tuple[str, str]] = field(default_factory=list)  # (sheet title, relationship id)
    relations: dict[str, dict[str, str]] = field(default_factory=dict)  # rels part -> {id: target}
    findings: list[Finding] = field(default_factory=list)
    fatal: Finding | None = None


class _Part:
    """One XML part of a workbook read by expat as it is unpacked (any part may hold cells: nothing is assumed
    from its name)."""

    def __init__(self, book: _Book, name: str):
        self.book, self.name = book, name
        self.limits = book.limits
        self.row = 0
        self.col = 0
        self.max_row = 0
        self.max_col = 0
        self.in_cell = False
        self.shared_cell = False
        self.mode = 0  # 0: text not counted, 1: cell text, 2: a shared string index, 3: a shared string
        self.buffer: list[str] = []
        self.si_length = 0
        self.lengths: array.array | None = None
        self.dimension = 0
        self.stopped = False
        self.failed = False
        self.started = False
        self.handlers: dict[str, Callable | None] = {}
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser = parser

    # expat's handlers ---------------------------------------------------------------------------------------
    def _doctype(self, *_args: object) -> None:
        self.book.fatal = Finding(t("limits.xml_dtd", member=self.name))
        raise _Stop

    def _handler(self, name: str) -> Callable | None:
        local = name.rpartition(":")[2]
        handler = {
            "c": self._cell,
            "row": self._row,
            "v": self._value,
            "is": self._inline,
            "si": self._si,
            "dimension": self._dimension,
            "sheet": self._sheet,
            "Relationship": self._relationship,
        }.get(local)
        self.handlers[name] = handler
        return handler

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        handler = self.handlers[name] if name in self.handlers else self._handler(name)
        if handler is not None:
            handler(attrs)

    def _end(self, name: str) -> None:
        local = name.rpartition(":")[2] if ":" in name else name
        if local == "c":
            self.in_cell = False
            self.mode = 0
        elif local == "v" and self.mode == 2:
            text = "".join(self.buffer).strip()
            self.buffer.clear()
            self.book.refs.append(int(text) if text.isdigit() and len(text) < 12 else 0)
            self.mode = 1 if self.in_cell else 0
        elif local == "si" and self.lengths is not None:
            self.lengths.append(self.si_length)
            self.mode = 0

    def _text(self, data: str) -> None:
        mode = self.mode
        if mode == 1:
            self.book.text += len(data)
            if self.book.text > self.limits.max_text:
                self._too_much_text()
        elif mode == 2:
            self.buffer.append(data)
        elif mode == 3:
            self.si_length += len(data)

    def _row(self, attrs: dict[str, str]) -> None:
        r = attrs.get("r")
        self.row = int(r) if r and r.isdigit() else self.row + 1
        self.col = 0

    def _cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        m = _REF.fullmatch(ref) if ref else None
        if m:
            col, row = _column_number(m.group(1)), int(m.group(2))
        else:
            col, row = self.col + 1, max(self.row, 1)
        self.col = col
        self.in_cell = True
        self.shared_cell = attrs.get("t") == "s"
        self.mode = 1
        book, limits = self.book, self.limits
        book.cells += 1
        if row > self.max_row:
            self.max_row = row
        if col > self.max_col:
            self.max_col = col
        if book.cells > limits.max_cells:
            book.fatal = Finding(
                t(
                    "limits.cells_book",
                    found=t("limits.more_than", n=fmt.integer(limits.max_cells)),
                    max=fmt.integer(limits.max_cells),
                )
            )
            raise _Stop
        if row > limits.max_rows + 1 or col > limits.max_columns or self.max_row * self.max_col > limits.max_cells:
            raise _Stop  # this sheet is refused (rows, columns or area: see _Book's findings)

    def _value(self, _attrs: dict[str, str]) -> None:
        if self.in_cell and self.shared_cell:
            self.mode = 2
            self.buffer.clear()

    def _inline(self, _attrs: dict[str, str]) -> None:
        self.mode = 1 if self.in_cell else 0

    def _si(self, _attrs: dict[str, str]) -> None:
        if self.lengths is None:
            self.lengths = self.book.shared.setdefault(self.name, array.array("q"))
        if len(self.lengths) >= self.limits.max_shared_strings:
            self.book.fatal = Finding(
                t(
                    "limits.shared_strings",
                    max=fmt.integer(self.limits.max_shared_strings),
                    found=t("limits.more_than", n=fmt.integer(self.limits.max_shared_strings)),
                )
            )
            raise _Stop
        self.si_length = 0
        self.mode = 3

    def _dimension(self, attrs: dict[str, str]) -> None:
        self.dimension = _dimension_area(attrs.get("ref", ""))

    def _sheet(self, attrs: dict[str, str]) -> None:
        rid = next((v for k, v in attrs.items() if k == "id" or k.endswith(":id")), "")
        if "name" in attrs:
            self.book.titles.append((attrs["name"], rid))

    def _relationship(self, attrs: dict[str, str]) -> None:
        if "Id" in attrs and "Target" in attrs:
            self.book.relations.setdefault(self.name, {})[attrs["Id"]] = attrs["Target"]

    def _too_much_text(self) -> None:
        self.book.fatal = Finding(
            t(
                "limits.text",
                max=fmt.integer(self.limits.max_text / MB),
                found=t("limits.more_than", n=fmt.integer(self.limits.max_text / MB)),
            )
        )
        raise _Stop

    # feeding ----------------------------------------------------------------------------------------------------
    def feed(self, piece: bytes) -> None:
        if self.stopped or self.failed or self.book.fatal is not None:
            return
        if not self.started:
            head = piece.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            if not head:
                return
            self.started = True
            if head != b"<":  # not XML (an image, a binary part): the child's reader will judge it
                self.failed = True
                return
        try:
            self.parser.Parse(piece, False)
        except _Stop:
            self.stopped = True
        except expat.ExpatError:
            self.failed = True
            self.book.fatal = self.book.fatal or Finding(t("limits.xml_broken", member=self.name))

    def close(self) -> None:
        if self.started and not (self.stopped or self.failed or self.book.fatal is not None):
            try:
                self.parser.Parse(b"", True)
            except _Stop:
                self.stopped = True
            except expat.ExpatError:
                self.book.fatal = Finding(t("limits.xml_broken", member=self.name))
        if self.max_row or self.dimension or self.stopped:
            self.book.sheets[self.name] = {
                "rows": self.max_row,
                "columns": self.max_col,
                "dimension": self.dimension,
                "stopped": self.stopped,
            }


# The fast reading of a large part: counts and regular expressions over the unpacked bytes (a part is cut before
# its last closing tag, so no tag or value is split). Each count is checked against another one: an element with a
# namespace prefix, a cell without a plain ``r`` reference, a shared-string cell without its value, an empty
# ``<si/>``, anything the expressions might read differently from an XML parser, sends the part to the exact
# reading (``_Part``, expat) instead.
_CELL_STARTS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")
_PREFIXED = re.compile(rb"<[^\s<>/!?]+:c[\s/>]")
_CELL_REF = re.compile(rb"<c\s[^>]*?(?<=\s)r\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_CELL_REF_FIRST = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_SHARED_MARKS = (b' t="s"', b" t='s'")
_SHARED_REF = re.compile(rb"<c\s[^>]*?(?<=\s)t\s*=\s*[\"']s[\"'][^>]*>\s*<v>\s*([0-9]{1,12})\s*(?:<|$)")
_SI_OPEN = re.compile(rb"<si(?:\s[^>]*)?(?<!/)>")
_SI_CLOSE = re.compile(rb"</si\s*>")
_SI_EMPTY = re.compile(rb"<si(?:\s[^>]*)?/>")
_DIMENSION = re.compile(rb"<dimension\s[^>]*?(?<=\s)ref\s*=\s*[\"']([^\"']*)[\"']")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)
CARRY = 4 << 20  # bytes kept back at most when a piece has no closing tag


class _FastPart:
    """A large XML part read with regular expressions as it is unpacked (see above); ``slow`` when the exact
    reading must decide."""

    def __init__(self, book: _Book, name: str):
        self.book, self.name, self.limits = book, name, book.limits
        self.carry = b""
        self.offset = 0  # position of ``carry`` in the part
        self.max_row = self.max_col = self.dimension = 0
        self.opens: list[int] = []
        self.closes: list[int] = []
        self.started = self.stopped = self.slow = self.skip = False

    def feed(self, piece: bytes) -> None:
        if self.stopped or self.slow or self.skip or self.book.fatal is not None:
            return
        if not self.started:
            head = piece.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            if not head:
                return
            self.started = True
            if head != b"<":
                self.skip = True  # not XML: the child's reader judges it
                return
        buf = self.carry + piece if self.carry else piece
        cut = buf.rfind(b"</")
        if cut <= 0:
            cut = len(buf) if len(buf) > CARRY else 0
        if cut:
            self._read(buf[:cut], self.offset)
            self.offset += cut
        self.carry = buf[cut:]

    def close(self) -> None:
        if self.started and not (self.stopped or self.slow or self.skip) and self.book.fatal is None:
            self._read(self.carry, self.offset)
            self.carry = b""
            if len(self.opens) != len(self.closes):
                self.slow = True
            elif self.opens:
                lengths = np.asarray(self.closes, dtype=np.int64) - np.asarray(self.opens, dtype=np.int64)
                if (lengths < 0).any():
                    self.slow = True
                else:
                    self.book.shared[self.name] = array.array("q", lengths.tolist())
        if self.slow or self.skip:
            return
        if self.max_row or self.dimension or self.stopped:
            self.book.sheets[self.name] = {
                "rows": self.max_row,
                "columns": self.max_col,
                "dimension": self.dimension,
                "stopped": self.stopped,
            }

    def _read(self, buf: bytes, base: int) -> None:
        book, limits = self.book, self.limits
        if not base:  # a DTD and the dimension come before the sheet's data
            if _DTD.search(buf):
                book.fatal = Finding(t("limits.xml_dtd", member=self.name))
                return
            m = _DIMENSION.search(buf)
            if m:
                self.dimension = _dimension_area(m.group(1).decode("ascii", "replace"))
        if b":si" in buf or b":c" in buf and _PREFIXED.search(buf):
            self.slow = True  # elements with a namespace prefix (<x:c>): the exact reading knows them
            return
        cells = buf.count(b"<c")  # also <col>, <cfRule>, ...: counted exactly only when it matters
        if cells:
            refs = _CELL_REF_FIRST.findall(buf)  # what Excel, LibreOffice and openpyxl write
            if len(refs) != cells:
                refs = _CELL_REF.findall(buf)
            if len(refs) != cells:
                cells = sum(map(buf.count, _CELL_STARTS))
            shared = sum(map(buf.count, _SHARED_MARKS))
            indexes = _SHARED_REF.findall(buf) if shared else []
            if len(refs) != cells or len(indexes) != shared:
                self.slow = True
                return
            self.max_row = max(self.max_row, max(map(int, map(_SECOND, refs))))
            self.max_col = max(self.max_col, max(_column_number(x.decode()) for x in set(map(_FIRST, refs))))
            book.cells += cells
            book.refs.extend(map(int, indexes))
            if book.cells > limits.max_cells:
                more = t("limits.more_than", n=fmt.integer(limits.max_cells))
                book.fatal = Finding(t("limits.cells_book", found=more, max=fmt.integer(limits.max_cells)))
                return
            if (
                self.max_row > limits.max_rows + 1
                or self.max_col > limits.max_columns
                or self.max_row * self.max_col > limits.max_cells
            ):
                self.stopped = True
                return
        if b"si" in buf:
            if _SI_EMPTY.search(buf):
                self.slow = True  # an empty shared string: the order of the lengths needs the exact reading
                return
            self.opens.extend(m.end() + base for m in _SI_OPEN.finditer(buf))
            self.closes.extend(m.start() + base for m in _SI_CLOSE.finditer(buf))
            if len(self.opens) > limits.max_shared_strings:
                top = fmt.integer(limits.max_shared_strings)
                more = t("limits.more_than", n=top)
                book.fatal = Finding(t("limits.shared_strings", max=top, found=more))


def _dimension_area(ref: str) -> int:
    """Rows x columns of a range such as ``A1:XFD1048576`` (0 when it is one cell or unreadable)."""
    m = _RANGE.fullmatch(ref.upper())
    if not (m and m.group(3)):
        return 0
    rows = int(m.group(4)) - int(m.group(2)) + 1
    cols = _column_number(m.group(3)) - _column_number(m.group(1)) + 1
    return max(rows, 0) * max(cols, 0)


def check_workbook(data: bytes, limits: Limits, file: str) -> None:
    """Check a workbook (.xlsx) before any reader sees it: the zip (``check_zip``), then per sheet the rows
    (the existing ``imports.max_rows`` message), columns, area and declared dimension, and for the whole
    workbook the cells, shared strings and text. ``Refused`` with every sheet's problems, or with the one
    problem that stopped the check.

    Parts under 1 MB are read exactly (expat: no DTD, every element); larger ones quickly (``_FastPart``),
    and again exactly when the quick reading cannot be sure."""
    book = _Book(limits)
    parts: list[_Part | _FastPart] = []

    def visit(info: zipfile.ZipInfo) -> Callable[[bytes], None] | None:
        if parts:
            parts[-1].close()
        if book.fatal is not None:
            raise Refused(file, [book.fatal])
        part = _Part(book, info.filename) if info.file_size < SMALL_MEMBER else _FastPart(book, info.filename)
        parts.append(part)
        return part.feed

    members = {m.info.filename: m for m in _walk(data, limits, file, visit)}
    if parts:
        parts[-1].close()
    for part in parts:
        if book.fatal is None and isinstance(part, _FastPart) and part.slow:
            exact = _Part(book, part.name)
            for piece in _unpack(data, members[part.name], limits.max_unpacked, file, limits):
                exact.feed(piece)
            exact.close()
    if book.fatal is not None:
        raise Refused(file, [book.fatal])
    findings = _sheet_findings(book)
    text = book.text + _shared_text(book)
    if not findings and text > limits.max_text:
        findings.append(Finding(t("limits.text", max=fmt.integer(limits.max_text / MB), found=_mb(text))))
    if findings:
        raise Refused(file, findings)


def _sheet_findings(book: _Book) -> list[Finding]:
    limits = book.limits
    titles = _titles(book)
    findings: list[Finding] = []
    area = 0
    for part, shape in book.sheets.items():
        title = titles.get(part, part)
        rows, columns = shape["rows"], shape["columns"]
        area += rows * columns

        def found(value: int, stopped: bool = shape["stopped"]) -> str:  # a part read up to a bound: at least
            return t("limits.at_least", n=fmt.integer(value)) if stopped else fmt.integer(value)

        if rows > limits.max_rows + 1:
            findings.append(Finding(t("ingest.too_many_rows", max=limits.max_rows), sheet=title))
        elif columns > limits.max_columns:
            message = t("limits.columns", max=fmt.integer(limits.max_columns), found=found(columns))
            findings.append(Finding(message, sheet=title))
        elif rows * columns > limits.max_cells:
            message = t("limits.cells", max=fmt.integer(limits.max_cells), found=found(rows * columns))
            findings.append(Finding(message, sheet=title))
        elif shape["dimension"] > limits.max_cells:
            found = fmt.integer(shape["dimension"])
            findings.append(Finding(t("limits.dimension", max=fmt.integer(limits.max_cells), found=found), sheet=title))
    if not findings and area > limits.max_cells:
        findings.append(Finding(t("limits.cells_book", max=fmt.integer(limits.max_cells), found=fmt.integer(area))))
    return findings


def _titles(book: _Book) -> dict[str, str]:
    """Part name -> sheet title, from workbook.xml and its relationships (for messages only)."""
    targets: dict[str, str] = {}
    for rels, relations in book.relations.items():
        folder = posixpath.dirname(posixpath.dirname(rels))  # xl/_rels/workbook.xml.rels -> xl
        for rid, target in relations.items():
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            targets[rid] = posixpath.normpath(path)
    return {targets[rid]: title for title, rid in book.titles if rid in targets}


def _shared_text(book: _Book) -> int:
    """Characters the cells that show a shared string hold together (each cell counts its string again)."""
    if not book.shared or not book.refs:
        return 0
    longest = max(len(lengths) for lengths in book.shared.values())
    table = np.zeros(longest, dtype=np.int64)
    for lengths in book.shared.values():  # more than one table: count the longest text per index
        values = np.frombuffer(lengths, dtype=np.int64)
        np.maximum(table[: len(values)], values, out=table[: len(values)])
    refs = np.frombuffer(book.refs, dtype=np.int64)
    return int(table[refs[refs < longest]].sum())


def read_workbook(
    data: bytes, limits: Limits, file: str
) -> tuple[list[tuple[str, list | None]], dict[str, list[tuple[int, int]]]]:
    """The workbook's grids and formula cells (``xlsx_child.read_cells``), read in a child process capped at
    ``limits.max_parse_memory_mb`` and ``limits.max_parse_seconds``; ``Refused`` when it needs more, ``ValueError``
    when the workbook cannot be read. Call ``check_workbook`` first (it refuses what can be known up front)."""
    if not ISOLATE:  # pragma: no cover - Windows: in-process, after the same checks
        return xlsx_child.read_cells(data, limits.max_rows)
    request = pickle.dumps((data, limits.max_rows), protocol=pickle.HIGHEST_PROTOCOL)
    command = [sys.executable, "-I", str(CHILD), str(limits.max_parse_memory_mb)]
    try:
        done = subprocess.run(command, input=request, capture_output=True, timeout=limits.max_parse_seconds)
    except subprocess.TimeoutExpired:
        seconds = fmt.number(limits.max_parse_seconds, 0)
        raise _refuse(file, t("limits.parse_seconds", max=seconds)) from None
    del request
    died_of = -done.returncode if done.returncode < 0 else None
    if done.returncode == xlsx_child.MEMORY_EXIT or died_of in (signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV):
        raise _refuse(file, t("limits.parse_memory", max=fmt.integer(limits.max_parse_memory_mb)))
    if done.returncode != 0 or not done.stdout:
        raise ValueError("the workbook reader stopped")
    status, answer = pickle.loads(done.stdout)  # noqa: S301 - written by our own child process
    if status != "ok":
        raise ValueError(answer)
    return answer


# -- text ---------------------------------------------------------------------------------------------------------
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL = bytes(range(32)).translate(None, b"\t\n\r\x0b\x0c")  # bytes a text file does not hold


def _bom(data: bytes) -> tuple[str, int] | None:
    for mark, codec in BOMS:
        if data.startswith(mark):
            return codec, len(mark)
    return None


def text_kind(data: bytes) -> str:
    """``"text"``, ``"binary"`` or ``"utf16"`` (UTF-16 without a byte order mark) from the first bytes.

    A BOM decides. Without one: NULs at every other position in the sample are UTF-16 text; control bytes
    making up more than one in a hundred of the sample (at least two) are binary; a stray NUL in text is
    left to ``check_text``, which names its row."""
    if _bom(data):
        return "text"
    sample = data[:SAMPLE]
    if b"\x00" not in sample:
        return "text"
    pairs = len(sample) // 2
    if pairs >= 2:
        even, odd = sample[0 : pairs * 2 : 2].count(0), sample[1 : pairs * 2 : 2].count(0)
        if max(even, odd) >= pairs * 0.3 and min(even, odd) <= pairs * 0.02:
            return "utf16"
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return "binary" if controls > 1 and controls * 100 > len(sample) else "text"


def decode(data: bytes) -> str:
    """Text as written: a BOM's encoding (UTF-8, UTF-16, UTF-32), else UTF-8, else Windows-1252."""
    found = _bom(data)
    if found:
        codec, skip = found
        return data[skip:].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def check_text(text: str, file: str, separator: str | None = None) -> None:
    """``Refused`` when the text holds a NUL character, naming its row (line) and its position in the line;
    for a CSV (``separator`` given) also the column by its header."""
    at = text.find("\x00")
    if at < 0:
        return
    line_start = text.rfind("\n", 0, at) + 1
    row = text.count("\n", 0, at) + 1
    char = at - line_start + 1
    column = None
    if separator and row > 1:
        header = next(csv.reader([text[: text.find("\n")].rstrip("\r")], delimiter=separator), [])
        before = next(csv.reader([text[line_start:at]], delimiter=separator), [""])
        index = max(len(before) - 1, 0)
        column = header[index].strip().lower() if index < len(header) else None
    raise _refuse(file, t("limits.nul", row=row, char=char), row=row, column=column)


# -- CSV ------------------------------------------------------------------------------------------------------------
def check_csv_lines(text: str, limits: Limits, file: str) -> None:
    """``Refused`` for the first line longer than ``limits.max_line`` characters (before the csv module reads it).

    Looks at windows of ``max_line + 1`` characters from a line start: the last line break in the window is the
    next line start, so the text is searched in large steps (by ``str.rfind``), whatever its lines."""
    limit, pos, size = limits.max_line, 0, len(text)
    while size - pos > limit:
        end = pos + limit + 1
        brk = max(text.rfind("\n", pos, end), text.rfind("\r", pos, end))
        if brk >= 0:
            pos = brk + 1
            continue
        row = text.count("\n", 0, pos) + 1
        stop = re.compile(r"[\r\n]").search(text, pos)
        found = fmt.integer((stop.start() if stop else size) - pos)
        raise _refuse(file, t("limits.line", max=fmt.integer(limit), found=found), row=row)


def csv_rows(text: str, separator: str, limits: Limits, file: str) -> Iterator[tuple[int, list[str]]]:
    """(record number, header = 1; fields) of every non-empty record, checked as it is read: fields up to
    ``limits.max_field`` characters, at most ``limits.max_columns`` fields, ``limits.max_rows`` rows and
    ``limits.max_cells`` cells (rows x header width); ``Refused`` at the first record past a bound."""
    csv.field_size_limit(limits.max_field)  # the module's one setting; every reader in the process uses it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    width = 0
    count = 0
    record = 0
    while True:
        line = reader.line_num + 1  # where the record starts, as a text editor counts lines
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            top = fmt.integer(limits.max_field)
            raise _refuse(file, t("limits.field", max=top), row=line) from None
        record += 1
        if not fields:
            continue
        count += 1
        if len(fields) > limits.max_columns:
            found = fmt.integer(len(fields))
            raise _refuse(file, t("limits.csv_columns", max=fmt.integer(limits.max_columns), found=found), row=line)
        width = width or len(fields)
        if count > limits.max_rows + 1:
            raise _refuse(file, t("ingest.too_many_rows", max=limits.max_rows))
        if count * width > limits.max_cells:
            top = fmt.integer(limits.max_cells)
            raise _refuse(file, t("limits.cells", max=top, found=t("limits.more_than", n=top)))
        yield record, fields


# -- YAML -------------------------------------------------------------------------------------------------------------
def check_yaml(text: str, limits: Limits, file: str) -> None:
    """``Refused`` for YAML nested deeper than ``limits.max_yaml_depth``, with more than ``limits.max_yaml_nodes``
    values, or with an alias (``&``/``*``: the plan format has none; "billion laughs" stops at the first one),
    from the parser's events before anything is built. A syntax error is left to the loader."""
    broken = yaml_bounds(text, limits.max_yaml_depth, limits.max_yaml_nodes, aliases=False)
    if broken is None:
        return
    kind, line = broken
    if kind == "alias":
        raise _refuse(file, t("plan_import.yaml_alias", line=line))
    if kind == "depth":
        raise _refuse(file, t("limits.yaml_depth", max=limits.max_yaml_depth, line=line))
    raise _refuse(file, t("limits.yaml_nodes", max=fmt.integer(limits.max_yaml_nodes), line=line))
