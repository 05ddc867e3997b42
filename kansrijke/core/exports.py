"""File exports for people (CSV and XLSX), shared by the action log, the comparison and the backup.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) get a leading apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would treat as a formula get a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out


def export_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, ``;`` separated, decimal comma (Dutch Excel); formula-like cells neutralised."""
    return neutralise(frame).to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def export_xlsx(frame: pd.DataFrame, sheet: str = "vergelijking") -> bytes:
    """One sheet; text cells that Excel would run as a formula get a leading apostrophe."""
    buffer = io.BytesIO()
    out = neutralise(frame)
    for col in out.columns:  # openpyxl refuses pandas' NA in nullable integer columns
        if str(out[col].dtype) == "Int64":
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    out.to_excel(buffer, index=False, sheet_name=sheet[:31], engine="openpyxl")
    return buffer.getvalue()
