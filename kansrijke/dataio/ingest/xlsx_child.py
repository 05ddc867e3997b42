"""A workbook's cells as Python values (calamine) and its formula cells (openpyxl), also as a child process.

``read_cells`` gives every sheet's grid of cached values (never evaluates a formula), or ``None`` for a sheet
with more than ``max_rows`` rows, and ``formula_cells`` the (row, column) of every formula cell per sheet.

Run as a script (``python -I xlsx_child.py MEMORY_MB``) it reads ``(data, max_rows)`` pickled from stdin, caps
its own address space at ``MEMORY_MB`` and writes ``("ok", (sheets, formulas))`` or ``("error", text)`` pickled
to stdout; exit code 3 when it ran out of memory. ``dataio/limits.py`` runs it so that a workbook the checks
before it did not foresee costs at most that much memory and never the server itself (calamine aborts the
whole process when an allocation fails). This module imports nothing of the package: the child starts in
isolated mode (``-I``) with only the standard library, python-calamine and openpyxl.
"""

from __future__ import annotations

import io
import pickle
import re
import sys
import zipfile

import python_calamine

Grid = list[list]  # rows of cell values, header first
MEMORY_EXIT = 3  # the child's exit code when it ran out of memory


def read_cells(data: bytes, max_rows: int) -> tuple[list[tuple[str, Grid | None]], dict[str, list[tuple[int, int]]]]:
    """(title, grid or None when over ``max_rows`` rows) per sheet in workbook order, and the formula cells."""
    formulas = formula_cells(data)
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets: list[tuple[str, Grid | None]] = []
    try:
        for title in wb.sheet_names:
            ws = wb.get_sheet_by_name(title)
            if ws.height and ws.end[0] > max_rows:  # end is the 0-based last row: header + max_rows rows
                sheets.append((title, None))
                continue
            sheets.append((title, ws.to_python(skip_empty_area=False) if ws.height else []))
            del ws  # the reader's own copy of the cells
    finally:
        wb.close()
    return sheets, formulas


def formula_cells(data: bytes) -> dict[str, list[tuple[int, int]]]:
    """(row, column) of formula cells per sheet title; cheap when the workbook has none."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if not any(_has_formula(zf, n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")):
            return {}
    import openpyxl  # lazy: most workbooks have no formula, and the child starts faster without it

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    found: dict[str, list[tuple[int, int]]] = {}
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # never pad rows to the size the file claims (A1:XFD1048576)
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        found.setdefault(ws.title, []).append((cell.row, cell.column))
    finally:
        wb.close()
    return found


_FORMULA = re.compile(rb"<f[ >/]")  # a formula element, not <formula1> of a drop-down list


def _has_formula(zf: zipfile.ZipFile, name: str) -> bool:
    """Whether a sheet's XML has a formula element; read in pieces (a large sheet is tens of MB of XML)."""
    with zf.open(name) as f:
        tail = b""
        while chunk := f.read(1 << 22):
            if _FORMULA.search(tail + chunk[:2]) or _FORMULA.search(chunk):
                return True
            tail = chunk[-2:]
    return False


def _main(memory_mb: int) -> int:
    """The child: cap the address space, read the request from stdin, answer on stdout."""
    try:
        import resource  # lazy: POSIX only; the parent starts this child only where it exists

        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    try:
        data, max_rows = pickle.load(sys.stdin.buffer)
        answer = ("ok", read_cells(data, max_rows))
        del data
        out = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return MEMORY_EXIT
    except Exception as exc:  # noqa: BLE001 - an unreadable workbook: the parent says so in Dutch
        out = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"[:500]))
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_main(int(sys.argv[1])))
