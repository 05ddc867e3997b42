"""Dutch (nl-NL) formatting of numbers and dates, via Babel."""

from __future__ import annotations

import datetime as dt
import functools
import math

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "nl_NL"


def number(value: float | int | None, decimals: int = 1) -> str:
    """``1234.5`` -> ``1.234,5``; ``None``/NaN -> ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # Babel is slow and values repeat. The type and repr name the input exactly (equality would not:
    # -0.0 == 0.0 but Babel writes "-0,0")
    return _number(value, value.__class__, repr(value), decimals)


@functools.lru_cache(maxsize=65536)
def _number(value: float | int, _kind: type, _text: str, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def integer(value: float | int | None) -> str:
    return number(value, 0)


def value(value: float | int | None, unit: str) -> str:
    """Format an indicator value in its unit: ``%`` -> ``7,4%``, ``per 1000`` -> ``2,9 per 1.000``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "%":
        return f"{number(value, 1)}%"
    if unit == "per 1000":
        return f"{number(value, 1)} per 1.000"
    if unit == "ja/nee":
        return "ja" if value >= 0.5 else "nee"
    return integer(value)


def signed(delta: float | None, unit: str) -> str:
    """A change with an explicit sign: ``-0,8 procentpunt`` (ASCII minus, so widgets see the direction)."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return "–"
    sign = "+" if delta > 0 else ("-" if delta < 0 else "±")  # ASCII minus: st.metric reads the sign
    size = number(abs(delta), 1)
    suffix = {"%": " procentpunt", "per 1000": " per 1.000"}.get(unit, "")
    return f"{sign}{size}{suffix}"


def difference(delta: float | None, unit: str) -> str:
    """The size of a change without sign: ``0,8 procentpunt``, ``1,2 per 1.000``, ``3`` (counts)."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return "–"
    if unit == "aantal":
        return number(abs(delta), 0 if float(delta).is_integer() else 1)
    suffix = {"%": " procentpunt", "per 1000": " per 1.000"}.get(unit, "")
    return f"{number(abs(delta), 1)}{suffix}"


def day(value: object) -> str:
    """Any date-like value (date, Timestamp, numpy datetime, None/NaT) as ``22 november 2026``."""
    if value is None or pd.isna(value):
        return "–"
    return date(pd.Timestamp(value).date())


def date(day: dt.date | dt.datetime | None) -> str:
    """``2026-11-22`` -> ``22 november 2026``."""
    if day is None:
        return "–"
    return format_date(day, format="d MMMM y", locale=LOCALE)


def moment(value: object) -> str:
    """A timestamp as ``22 november 2026 14:05``."""
    if value is None or pd.isna(value):
        return "–"
    stamp = pd.Timestamp(value)
    return f"{date(stamp.date())} {stamp:%H:%M}"
