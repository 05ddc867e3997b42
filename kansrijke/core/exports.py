"""File exports for people (CSV, XLSX, PDF), shared by the action log, the comparison, the backup, the council
summary and the meeting minutes.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) get a leading apostrophe (OWASP CSV injection).

Fictitious data says so (``demo=True``, from ``store.is_demo()``): a CSV or XLSX made from the demo gets a FIRST
column ``fictief`` holding the label (``demo_label.line``) in every row, so the header stays on the first line
(any CSV reader still gets the table) while a person sees the label in column A of every row, also after
sorting, filtering or copying rows elsewhere. The XLSX also carries the label as its document title and in the
printed page header. A PDF gets ``stamp_pdf``: the label at the top of every page and a light "FICTIEF" across
it. Exports of own data are unchanged (no column, no stamp).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from kansrijke.core.i18n import t

if TYPE_CHECKING:
    from fpdf import FPDF

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would treat as a formula get a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out


def labelled(frame: pd.DataFrame, demo: bool) -> pd.DataFrame:
    """``frame`` with the fictitious label as its first column when ``demo`` (else ``frame`` itself)."""
    if not demo:
        return frame
    out = frame.copy()
    out.insert(0, t("demo_label.column"), t("demo_label.line"))
    return out


def export_csv(frame: pd.DataFrame, *, demo: bool = False) -> bytes:
    """UTF-8 with BOM, ``;`` separated, decimal comma (Dutch Excel); formula-like cells neutralised; the
    fictitious label as first column when ``demo``."""
    return neutralise(labelled(frame, demo)).to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def export_xlsx(frame: pd.DataFrame, sheet: str = "vergelijking", *, demo: bool = False) -> bytes:
    """One sheet; text cells that Excel would run as a formula get a leading apostrophe; when ``demo`` the
    fictitious label as first column, document title and printed page header."""
    buffer = io.BytesIO()
    out = neutralise(labelled(frame, demo))
    for col in out.columns:  # openpyxl refuses pandas' NA in nullable integer columns
        if str(out[col].dtype) == "Int64":
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        out.to_excel(writer, index=False, sheet_name=sheet[:31])
        if demo:
            line = t("demo_label.line")
            writer.book.properties.title = line
            ws = writer.sheets[sheet[:31]]
            ws.oddHeader.center.text = line
            ws.column_dimensions["A"].width = len(line) + 2
    return buffer.getvalue()


def stamp_pdf(pdf: FPDF, family: str, text: Callable[[str], str] = str) -> None:
    """Mark every page of ``pdf`` as fictitious: the label line in the top margin (within 3-7 mm of the edge)
    and a light diagonal "FICTIEF" across the page. Call it when the content is complete; it leaves the
    layout alone. ``text`` converts for the core font (``to_cp1252``) when no Unicode font is used."""
    line, mark = text(t("demo_label.line")), text(t("demo_label.watermark"))
    last = pdf.page
    for number in range(1, pdf.pages_count + 1):
        pdf.page = number
        with pdf.local_context(text_color=(150, 70, 0)):
            pdf.set_font(family, "B", 7.5)
            pdf.set_xy(pdf.l_margin, 3.0)
            pdf.cell(pdf.w - pdf.l_margin - pdf.r_margin, 4.0, line, align="C")
        with pdf.local_context(fill_opacity=0.10, text_color=(213, 94, 0)):
            pdf.set_font(family, "B", 110)
            with pdf.rotation(55, pdf.w / 2, pdf.h / 2):
                pdf.text(pdf.w / 2 - pdf.get_string_width(mark) / 2, pdf.h / 2 + 14, mark)
    pdf.page = last
