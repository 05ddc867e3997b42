"""Safe reading of uploaded files and parsing of the values in them.

Every sheet comes back as a DataFrame of *text* (nothing is guessed by a library), with
normalised headers and an index equal to the row number a person sees in Excel or a text
editor (header = row 1). Parsers return ``None`` for a missing value and raise ``ValueError``
with no message for a value that cannot be read; callers turn that into a ``Problem``.

Municipalities are named the same way in every file kind (indicator files, StatLine downloads, the
coalition workbook): ``resolve_municipality`` is the one rule. It takes a CBS code (``GM0363``, ``0363``,
``363``), the CBS name (``'s-Gravenhage``, ``Súdwest-Fryslân``) or a common variant: case, spaces,
hyphens, apostrophes and accents ignored, a ``Gemeente``/``gemeente`` prefix or ``(gemeente)`` suffix
(StatLine), ``Den Haag`` and ``Den Bosch``, the province suffix written out (``Bergen (Noord-Holland)``)
or left out where the base name is unique (``Hengelo``), ``a/d`` for ``aan den``, ``St.`` for ``Sint``.
A name that does not resolve gets at most three close names from ``suggest_municipalities`` (for
"bedoelde u ...?"); a name that fits more than one municipality (``Bergen``) is never guessed.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import difflib
import functools
import hashlib
import io
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from kansrijke.core.i18n import t
from kansrijke.dataio import limits as bounds
from kansrijke.dataio.limits import Limits, Refused  # noqa: F401 - the ingest modules take Limits from here

ERROR: Literal["fout"] = "fout"
WARNING: Literal["waarschuwing"] = "waarschuwing"
MISSING_MARKERS = {"", ".", "-", "x", "X", "NA", "n.v.t."}
YES_WORDS = {"ja", "j", "waar", "true", "yes"}
NO_WORDS = {"nee", "n", "onwaar", "false", "no"}
XLSX_MAGIC = b"PK\x03\x04"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (``fout``, blocks the import) or odd (``waarschuwing``, does not)."""

    severity: Literal["fout", "waarschuwing"]
    file: str
    message: str  # what was expected, in Dutch
    sheet: str | None = None
    row: int | None = None  # as the user sees it: header = row 1
    column: str | None = None
    value: str | None = None

    def text(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(t("ingest.where_sheet", sheet=self.sheet))
        if self.row is not None:
            where.append(t("ingest.where_row", row=self.row))
        if self.column:
            where.append(t("ingest.where_column", column=self.column))
        head = ", ".join(where)
        value = "" if self.value is None else " " + t("ingest.where_value", value=_short(self.value))
        return f"{head}:{value} {self.message}"

    def as_dict(self) -> dict:
        return {
            "ernst": self.severity,
            "bestand": self.file,
            "blad": self.sheet,
            "rij": self.row,
            "kolom": self.column,
            "waarde": self.value,
            "melding": self.message,
        }


def _short(value: str, limit: int = 60) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


@dataclass
class Upload:
    """A file as received: its name and bytes (and what reading it gave, so it is read only once)."""

    name: str
    data: bytes
    _read: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def suffix(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


@dataclass
class Parsed:
    """A file read and validated: the rows per table it would write, and what is wrong with it."""

    file: str
    kind: str  # "indicatoren", "statline" or "coalitie"
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows not imported
    scope: dict = field(default_factory=dict)  # what the file covers (e.g. {"coalition_id": ...})

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, severity: str, message: str, **where: object) -> None:
        self.problems.append(Problem(severity, self.file, message, **where))  # type: ignore[arg-type]

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[reason] = self.skipped.get(reason, 0) + count


# -- reading files ---------------------------------------------------------------------------------
def file_type(upload: Upload) -> str:
    """'xlsx', 'csv' or 'yaml' from the name, checked against the content; ValueError(message) if not."""
    suffix = upload.suffix
    looks_zip = upload.data[:4] == XLSX_MAGIC
    if suffix in ("xlsx", "xlsm"):
        if not looks_zip or not _is_xlsx(upload.data):
            raise ValueError(t("ingest.not_xlsx", file=upload.name))
        return "xlsx"
    if suffix == "xls":
        raise ValueError(t("ingest.old_xls", file=upload.name))
    if suffix in ("csv", "txt", "tsv", "yaml", "yml"):
        kind = bounds.text_kind(upload.data)
        if looks_zip or kind == "binary":
            raise ValueError(t("ingest.not_text", file=upload.name))
        if kind == "utf16":
            raise ValueError(t("limits.utf16_no_bom", file=upload.name))
        return "yaml" if suffix in ("yaml", "yml") else "csv"
    raise ValueError(t("ingest.unknown_type", file=upload.name))


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return False
    return "xl/workbook.xml" in names


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM, else Windows-1252 (``limits.decode``)."""
    return bounds.decode(data)


def read_text(upload: Upload, separator: str | None = None) -> str:
    """A text file's content (``decode_text``); ``Refused`` when it holds a NUL character, naming its row (and,
    for a CSV with ``separator``, its column)."""
    text = decode_text(upload.data)
    bounds.check_text(text, upload.name, separator)
    return text


def csv_separator(text: str) -> str:
    """``;``, ``,`` or tab: the one the first line has most of."""
    first = text[: text.find("\n")] if "\n" in text else text
    return max([";", ",", "\t"], key=first.count)


def normalise_header(name: object) -> str:
    return re.sub(r"\s+", " ", str(name or "")).strip().lower()


def read_csv_text(text: str, limits: Limits, file: str) -> pd.DataFrame:
    """A CSV (``;``, ``,`` or tab separated) as text cells; index = row number with header = 1.

    Bounded before and while reading (``limits.check_csv_lines``, ``limits.csv_rows``): ``Refused`` for a line,
    field, row count, column count or cell count over its limit."""
    bounds.check_csv_lines(text, limits, file)
    rows = list(bounds.csv_rows(text, csv_separator(text), limits, file))
    if not rows:
        return pd.DataFrame()
    first, names = rows[0]
    header = [normalise_header(h) for h in names]
    width = len(header)
    body = [(r + [""] * width)[:width] if len(r) != width else r for _, r in rows[1:]]
    numbers = [number - first + 1 for number, _ in rows[1:]]
    del rows
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame.index = numbers
    blank = frame.apply(lambda col: col.astype(str).str.strip() == "").all(axis=1) if len(frame) else []
    return frame[~blank] if len(frame) else frame


def read_xlsx(data: bytes, limits: Limits, file: str) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every sheet of a workbook as text cells (cached values; formulas are never evaluated).

    Checked first (``limits.check_workbook``: ``Refused`` for a workbook over a limit), then read with calamine
    (a Rust reader, about ten times faster than openpyxl on large sheets) in a capped child process
    (``limits.read_workbook``). A formula cell without a cached value is reported, as is a sheet with more than
    ``limits.max_rows`` rows.
    """
    bounds.check_workbook(data, limits, file)
    grids, formulas = bounds.read_workbook(data, limits, file)
    problems: list[Problem] = []
    sheets: dict[str, pd.DataFrame] = {}
    while grids:
        title, grid = grids.pop(0)
        if grid is None:
            problems.append(Problem(ERROR, file, t("ingest.too_many_rows", max=limits.max_rows), sheet=title))
            sheets[title] = pd.DataFrame()
            continue
        frame = _text_frame(grid)
        del grid
        header = list(frame.columns)
        for row_no, col_no in formulas.get(title, []):
            if row_no in frame.index and col_no - 1 < len(header) and frame.at[row_no, header[col_no - 1]] == "":
                problems.append(
                    Problem(
                        ERROR,
                        file,
                        t("ingest.formula_without_value"),
                        sheet=title,
                        row=row_no,
                        column=header[col_no - 1],
                    )
                )
        sheets[title] = frame
    return sheets, problems


def _text_frame(grid: list[list]) -> pd.DataFrame:
    """Rows of cells (header first) as a frame of text, blank rows left out, index = Excel's row number.

    Works column by column on one array of all cells: a column of text is taken as it is, other cells become
    the text a person sees (once per distinct value), and a row is blank when every cell is blank after
    trimming."""
    header = [normalise_header(h) for h in grid[0]] if grid else []
    while header and header[-1] == "":  # trailing empty header cells
        header.pop()
    width = len(header)
    body = grid[1:]
    if body and min(map(len, body)) < width:  # calamine's rows are all as wide as the sheet; be safe anyway
        body = [row + [""] * (width - len(row)) if len(row) < width else row for row in body]
    if body and max(map(len, body)) > width:
        body = [row[:width] for row in body]
    cells = np.empty((len(body), width), dtype=object)
    if body and width:
        cells[:] = body  # rows of plain values (calamine gives no lists): one row of the array each
    del body
    kept = np.zeros(len(cells), dtype=bool)
    for j in range(width):
        values = cells[:, j].tolist()
        if set(map(type, values)) != {str}:
            values = _texts(values)
            cells[:, j] = values
        if not kept.all():  # usually the first column has text in every row and decides alone
            kept |= np.fromiter(map(bool, map(str.strip, values)), dtype=bool, count=len(values))
    numbers = np.flatnonzero(kept)
    if len(numbers) < len(kept):
        cells = cells[numbers]
    return pd.DataFrame(cells, columns=header, dtype=object, index=(numbers + 2).tolist(), copy=False)


def _texts(values: tuple) -> list[str]:
    """Cells as text, each distinct value converted once (typed: ``1``, ``1.0`` and ``True`` stay apart)."""
    return list(map(functools.lru_cache(maxsize=None, typed=True)(_cell_text), values))


def _cell_text(value: object) -> str:
    """A cell's cached value as the text a person sees (numbers without float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_sheets(upload: Upload, limits: Limits) -> tuple[dict[str | None, pd.DataFrame], list[Problem]]:
    """The file's sheets as text (CSV: one sheet named None), or problems that stop reading it.

    Read once per upload and limits; callers get their own copies of the frames."""
    key = limits
    if key not in upload._read:
        upload._read[key] = _read_sheets(upload, limits)
    sheets, problems = upload._read[key]
    # Shallow copies: with copy-on-write a caller's changes never reach the cached frames.
    return {name: frame.copy(deep=False) for name, frame in sheets.items()}, list(problems)


def _read_sheets(upload: Upload, limits: Limits) -> tuple[dict[str | None, pd.DataFrame], list[Problem]]:
    if len(upload.data) > limits.max_bytes:
        mb = limits.max_bytes / 1_000_000
        return {}, [Problem(ERROR, upload.name, t("ingest.too_big", max=f"{mb:g}"))]
    try:
        kind = file_type(upload)
    except ValueError as exc:
        return {}, [Problem(ERROR, upload.name, str(exc))]
    if kind == "xlsx":
        try:
            sheets, problems = read_xlsx(upload.data, limits, upload.name)
        except Refused as refused:
            return {}, refused_problems(refused)
        except Exception:  # noqa: BLE001 - any unreadable workbook becomes one clear message
            return {}, [Problem(ERROR, upload.name, t("ingest.not_xlsx", file=upload.name))]
        return dict(sheets), problems
    try:
        text = decode_text(upload.data)
        separator = csv_separator(text)
        bounds.check_text(text, upload.name, separator)
        frame = read_csv_text(text, limits, upload.name)
    except Refused as refused:
        return {}, refused_problems(refused)
    if len(frame) > limits.max_rows:
        return {}, [Problem(ERROR, upload.name, t("ingest.too_many_rows", max=limits.max_rows))]
    return {None: frame}, []


def refused_problems(refused: Refused) -> list[Problem]:
    """A file refused before reading (``limits.Refused``) as the problems the import report shows."""
    file = refused.file
    return [Problem(ERROR, file, f.message, sheet=f.sheet, row=f.row, column=f.column) for f in refused.findings]


# -- memory -------------------------------------------------------------------------------------------
def release_memory() -> None:
    """Hand memory that was used and freed (reading, comparing or writing a large file) back to the OS.

    Arrow's pool (mimalloc) and glibc's heap keep freed memory for their own reuse, and DuckDB allocates with
    an allocator of its own that cannot use it; without this the process grows to the sum of those peaks.
    It costs some milliseconds, so call it after large data was freed, not for every small table."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():  # noqa: ANN202 - a ctypes function, or None
    """glibc's ``malloc_trim`` (None elsewhere: other C libraries return freed memory by themselves or not)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


# -- parsing values ----------------------------------------------------------------------------------
def is_missing(text: object) -> bool:
    return text is None or str(text).strip() in MISSING_MARKERS


def parse_number(text: object) -> float | None:
    """Dutch or English decimals: ``7,4``, ``1.234,5``, ``7.4``, ``1,234.5``; None when missing."""
    if is_missing(text):
        return None
    s = str(text).strip().replace("\u00a0", "").replace(" ", "").replace("%", "")
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif "," in s:
        s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", s):
        raise ValueError
    return float(s)


def parse_count(text: object) -> int | None:
    """A whole, non-negative number (``1.234`` is one thousand two hundred thirty-four)."""
    if is_missing(text):
        return None
    s = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    if re.fullmatch(r"\d+[.,]0+", s):
        s = re.split(r"[.,]", s)[0]
    if not re.fullmatch(r"\d+", s):
        raise ValueError
    return int(s)


def parse_municipality(text: object) -> str | None:
    """``GM0363``, ``0363``, ``363``, `` 363 `` or ``363.0`` -> ``GM0363``."""
    if is_missing(text):
        return None
    s = str(text).strip().upper().replace(" ", "")
    if s.startswith("GM"):
        s = s[2:]
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    if not re.fullmatch(r"\d{1,4}", s):
        raise ValueError
    return f"GM{int(s):04d}"


# -- municipality names -----------------------------------------------------------------------------------
# Names in common use that no rule below derives from the CBS name -> the CBS name they stand for.
MUNICIPALITY_ALIASES: dict[str, str] = {
    "Den Haag": "'s-Gravenhage",
    "Den Bosch": "'s-Hertogenbosch",
    "Hertogenbosch": "'s-Hertogenbosch",
    "Nuenen c.a.": "Nuenen, Gerwen en Nederwetten",
    "Dantumadeel": "Dantumadiel",
    "Tietjerksteradeel": "Tytsjerksteradiel",
    "De Friese Meren": "De Fryske Marren",
}
# CBS's province suffixes ("Bergen (NH.)", "Hengelo (O.)") -> the province names people write instead.
PROVINCE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "nh": ("Noord-Holland",),
    "zh": ("Zuid-Holland",),
    "l": ("Limburg",),
    "o": ("Overijssel",),
    "z": ("Zeeland",),
    "gld": ("Gelderland",),
    "u": ("Utrecht",),
    "nb": ("Noord-Brabant",),
    "fr": ("Fryslân", "Friesland"),
    "gr": ("Groningen",),
    "dr": ("Drenthe",),
    "fl": ("Flevoland",),
}
SUGGESTIONS = 3  # at most this many names in "bedoelde u ...?"
CLOSE_ENOUGH = 0.8  # difflib's similarity of the compared keys, from 0 to 1
_CODE_LIKE = re.compile(r"(GM)?[\d\s.]+", re.IGNORECASE)


def _name_key(text: object) -> str:
    """A name as compared: no accents, case, spaces or punctuation, no "gemeente" prefix or "(gemeente)" suffix."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()
    s = re.sub(r"^(gemeente|gem\.)\s+", "", s)
    s = re.sub(r"\s*\(gemeente\)$", "", s)
    return re.sub(r"[^0-9a-z]", "", s)


def _name_variants(name: str) -> list[str]:
    """Other ways of writing a CBS name that the rules derive (aliases aside)."""
    out = name.split(",") if "," in name else []  # "Nuenen, Gerwen en Nederwetten": "Nuenen" (a list splits it)
    m = re.fullmatch(r"(.*?)\s*\(([^)]*)\)", name)
    if m:
        base, suffix = m.group(1), m.group(2).replace(".", "").strip().lower()
        out.append(base)
        out.extend(f"{base} {province}" for province in PROVINCE_SUFFIXES.get(suffix, ()))
    for long, shorts in ((" aan den ", (" a/d ", " aan de ")), (" aan de ", (" a/d ", " aan den "))):
        if long in name:
            out.extend(name.replace(long, short) for short in shorts)
    if re.match(r"Sint[- ]", name):
        out.append("St. " + name[5:])
    return out


class MunicipalityNames:
    """The municipalities of one frame (columns ``code`` and ``name``), by every accepted way of naming them."""

    def __init__(self, municipalities: pd.DataFrame):
        pairs = [(str(c), str(n)) for c, n in zip(municipalities["code"], municipalities["name"], strict=True)]
        self.codes = {code for code, _ in pairs}
        self.name = dict(pairs)
        by_name = {name: code for code, name in pairs}
        exact = {_name_key(name): code for code, name in pairs}
        derived: dict[str, set[str]] = {}
        for code, name in pairs:
            for variant in _name_variants(name):
                derived.setdefault(_name_key(variant), set()).add(code)
        for alias, name in MUNICIPALITY_ALIASES.items():
            if name in by_name:
                derived.setdefault(_name_key(alias), set()).add(by_name[name])
        derived = {key: codes for key, codes in derived.items() if key and key not in exact}
        # every key with the municipalities it may mean (more than one: never resolved, only suggested)
        self._candidates = {key: [code] for key, code in exact.items()} | {
            key: sorted(codes, key=self.name.__getitem__) for key, codes in derived.items()
        }
        self._keys = list(self._candidates)
        self._unique = {key: codes[0] for key, codes in self._candidates.items() if len(codes) == 1}

    def resolve(self, text: object) -> str | None:
        """The code of the municipality a code or name stands for; None when missing, unknown or ambiguous."""
        if is_missing(text):
            return None
        try:
            code = parse_municipality(text)
        except ValueError:
            return self._unique.get(_name_key(text))
        return code if code in self.codes else None

    def suggest(self, text: object, limit: int = SUGGESTIONS) -> list[str]:
        """CBS names close to ``text`` (best first, at most ``limit``); none for codes or when nothing is close."""
        if is_missing(text) or looks_like_code(text):
            return []
        key = _name_key(text)
        if len(key) < 3:
            return []
        same = [key] if key in self._candidates else []  # a name that fits more than one ("Bergen")
        starting = sorted((k for k in self._keys if k.startswith(key) and k != key), key=len) if len(key) >= 4 else []
        close = difflib.get_close_matches(key, self._keys, n=limit * 3, cutoff=CLOSE_ENOUGH)
        names: list[str] = []
        for found in same + starting + close:
            for code in self._candidates[found]:
                if self.name[code] not in names:
                    names.append(self.name[code])
        return names[:limit]

    def did_you_mean(self, text: object) -> str:
        """ "Onbekende gemeente; bedoelde u A, B of C?" for the names close to ``text``; "" when none is close."""
        return did_you_mean(self.suggest(text))


def looks_like_code(text: object) -> bool:
    """Whether a text is written as a code (digits, with or without ``GM``) rather than a name."""
    return not is_missing(text) and bool(_CODE_LIKE.fullmatch(str(text).strip()))


@functools.lru_cache(maxsize=8)
def _names_of(pairs: tuple[tuple[str, str], ...]) -> MunicipalityNames:
    return MunicipalityNames(pd.DataFrame(pairs, columns=["code", "name"]))


def municipality_names(municipalities: pd.DataFrame | MunicipalityNames) -> MunicipalityNames:
    """The lookup for a municipalities frame (built once per distinct frame content)."""
    if isinstance(municipalities, MunicipalityNames):
        return municipalities
    codes, names = municipalities["code"].astype(str), municipalities["name"].astype(str)
    return _names_of(tuple(zip(codes, names, strict=True)))


def resolve_municipality(text: object, municipalities: pd.DataFrame | MunicipalityNames) -> str | None:
    """``GM0363``, ``363``, ``Den Haag``, ``'s Gravenhage`` or ``gemeente súdwest fryslan`` -> its CBS code.

    None when the text is missing, names no municipality of ``municipalities``, or fits more than one."""
    return municipality_names(municipalities).resolve(text)


def suggest_municipalities(
    text: object, municipalities: pd.DataFrame | MunicipalityNames, limit: int = SUGGESTIONS
) -> list[str]:
    """The CBS names closest to a name that did not resolve (for "bedoelde u ...?"); [] when none is close."""
    return municipality_names(municipalities).suggest(text, limit)


def did_you_mean(names: list[str]) -> str:
    """ "Onbekende gemeente; bedoelde u A, B of C?" for suggested names ("" when there are none)."""
    if not names:
        return ""
    shown = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {t('friendly.or')} {names[-1]}"
    return t("friendly.did_you_mean", names=shown)


def parse_yes_no(text: object) -> float | None:
    """A yes/no answer: ``ja`` 1.0, ``nee`` 0.0 (also ``j``, ``n``, ``waar``, ``onwaar`` and Excel's TRUE/FALSE as
    the reader shows them), or a number as ``parse_number`` reads it (whether it is 0 or 1 is the caller's check)."""
    if is_missing(text):
        return None
    s = str(text).strip().casefold()
    if s in YES_WORDS or s in NO_WORDS:
        return 1.0 if s in YES_WORDS else 0.0
    return parse_number(s)


def parse_period(text: object) -> int | None:
    """A year: ``2023``, ``2023.0``, ``2023,0`` or CBS style ``2023JJ00``."""
    if is_missing(text):
        return None
    s = str(text).strip().upper()
    m = re.fullmatch(r"(\d{4})(JJ00|[.,]0+)?", s)
    if not m:
        raise ValueError
    return int(m.group(1))


def parse_date(text: object) -> dt.date | None:
    """``2024-05-01``, ``2024-05-01 00:00:00``, ``1-5-2024`` or ``01/05/2024`` (day first)."""
    if is_missing(text):
        return None
    s = str(text).strip()
    m = _ISO_DATE.fullmatch(s)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DAY_FIRST_DATE.fullmatch(s)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        pass
    raise ValueError


def looks_like_date(text: object) -> bool:
    """Whether a text is written as a date (that may still not exist, such as 31-02-2024)."""
    s = "" if text is None else str(text).strip()
    return bool(_ISO_DATE.fullmatch(s) or _DAY_FIRST_DATE.fullmatch(s))


def parse_text(text: object) -> str | None:
    """Text exactly as written (trimmed); None when empty. Never interpreted as a formula or markup."""
    if text is None:
        return None
    s = str(text).strip()
    return s or None
