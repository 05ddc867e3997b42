"""Disclosure control in one place: which figures of an indicator the product may publish.

**Cells** are (municipality, period) with an event count (the numerator). Every figure the product
publishes is the sum of a set of cells:

* a municipality's single year, and its *window* of ``k`` years ending in a period (``k`` =
  ``status.pool_years`` for goals and ``COMPARE_POOL_YEARS`` = 3 for Vergelijken; a window sums the cells
  that exist in those years);
* a regional coalition's figure (every coalition with more than one member), single year or window;
* "Nederland": all municipalities, single year or window. An independent national series is treated as
  the sum of all municipal cells, which is the safe assumption (its count minus the published municipal
  counts is at most the sum of the hidden ones).

Groups made elsewhere (Vergelijken's sets and comparison groups, peers) are **pooled over published
members only** (``Plan.published_codes``; ``figures.pooled`` does it): every group figure is then a sum of
published figures and adds nothing anyone could subtract. An area the plan does not know is such a group.

Rules (``privacy.min_count`` = m, 10 by default). Each hidden figure carries the rule that hid it and a
Dutch reason (``reason``; ``short`` for a table cell):

=====================  =======================================================================================
rule                   what is hidden
=====================  =======================================================================================
``klein`` (S1)         a figure with fewer than m events (also 0).
``aanvulling_jaren``   (S2, years) a year or window of an area that, with the area's other published years
                       and windows, would give away a hidden year (or hidden years) with fewer than m events.
``aanvulling_gebied``  (S3, areas) a municipality's (rarely a region's) figure that, with a published region
                       or "Nederland" minus the other members, would leave hidden members with fewer than m
                       events together: a published area hides no member, or members with at least m events.
=====================  =======================================================================================

How (``build``): (1) S1. (2) *Swaps*: each small hidden cell gets a partner cell (another member in the
same year, another municipality in the same year, or another year of its own) and every published figure
that holds exactly one of the two is hidden, the cheapest such set (a municipality's year costs 1, its
window 2, a region's year 6, its window 8, "Nederland" 1000): moving events between the two then changes
nothing published, so the small cell cannot be derived, whatever is hidden later. (3) S2/S3 on the exact
decompositions (a window = its years; a region or "Nederland" = its members; "Nederland" = its regions
and the other municipalities), smallest published part first. (4) An exact audit (``_Audit``: linear
algebra over the cells, per region with "Nederland" as the only link) checks that no hidden cell, hidden
figure, hidden part of a figure, or pair of hidden small cells of one area or one year, with fewer than m
events, is a linear combination of the published figures; where one is, one more swap is hidden.

Rolling windows overlap (2021-2023 minus 2020-2022 is 2023 minus 2020), so keeping every window would
mean hiding two of every three single years: the plan keeps windows where it can (they cost twice a
year) but hides the few that hold exactly one cell of a swap, with ``aanvulling_jaren``.

The plan depends only on the data and the settings (never on row order or hashing), so every process
hides the same figures: everything it iterates over is sorted, a swap's cost is an exact integer (a float
sum over a set differs in the last bit with the set's order, which follows PYTHONHASHSEED), and of equally
cheap swaps the first in sorted order wins. It is cached in memory per database file and data version and in
``<database>.disclosure.json`` per fingerprint of the cells, regions and settings (``plan``).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import combinations, groupby, islice, pairwise
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from kansrijke.core.config import SCALE, Config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

SMALL, YEARS, AREA = "klein", "aanvulling_jaren", "aanvulling_gebied"
RULES = (SMALL, YEARS, AREA)
COMPARE_POOL_YEARS = 3  # the "drie jaar samen" switch on Vergelijken
NATIONAL = "NL"
_REASON_KEYS = {
    SMALL: "disclosure.reason.klein",
    YEARS: "disclosure.reason.aanvulling_jaren",
    AREA: "disclosure.reason.aanvulling_gebied",
}
_SHORT_KEYS = {
    SMALL: "disclosure.short.klein",
    YEARS: "disclosure.short.aanvulling_jaren",
    AREA: "disclosure.short.aanvulling_gebied",
}

Area = frozenset  # a set of municipality codes
Key = tuple[frozenset, int, int]  # (area, first period, last period)


def reason(rule: str | None, min_count: int) -> str:
    """The Dutch sentence for a suppression ("Niet getoond: ..."); "" when ``rule`` is None."""
    return t(_REASON_KEYS[rule], min=min_count) if rule else ""


def short(rule: str | None, min_count: int) -> str:
    """The short Dutch label for a table cell; "" when ``rule`` is None."""
    return t(_SHORT_KEYS[rule], min=min_count) if rule else ""


def window_lengths(config: Config) -> tuple[int, ...]:
    """The window lengths the product publishes (goals' ``status.pool_years`` and Vergelijken's 3)."""
    return tuple(sorted({k for k in (config.status.pool_years, COMPARE_POOL_YEARS) if k > 1}))


@dataclass(frozen=True)
class Plan:
    """The publication plan of one indicator: every figure the product may publish or must hide.

    A figure is named by its area (a municipality code, a list of codes, or ``NATIONAL``) and its years
    ``first..last`` (a single year when ``last`` is None or equal). Hidden figures map to their rule.
    ``figures`` lists every figure's key when the plan was made here (``build``); a plan read back from the
    cache file leaves it empty (nothing but the tests needs it).
    """

    indicator_id: str
    min_count: int
    windows: tuple[int, ...]
    national: frozenset[str]
    areas: frozenset[frozenset[str]]
    figures: frozenset[Key]
    hidden_figures: Mapping[Key, str] = field(default_factory=dict)

    def area(self, codes: str | Iterable[str]) -> frozenset[str]:
        """The area of a municipality code, ``NATIONAL`` or a collection of codes."""
        if isinstance(codes, str):
            return self.national if codes == NATIONAL else frozenset([codes])
        return frozenset(codes)

    def knows(self, codes: str | Iterable[str]) -> bool:
        """True for a municipality, a regional coalition or "Nederland"; False for a group (pool it with
        ``pool_published`` over published members)."""
        area = self.area(codes)
        return len(area) == 1 or area in self.areas or area == self.national

    def rule(self, codes: str | Iterable[str], first: int, last: int | None = None) -> str | None:
        """The rule that hides this figure, or None when it may be published (also for a figure without
        counts). Raises KeyError for a group the plan does not know (see ``knows``)."""
        area = self.area(codes)
        if not self.knows(area):
            raise KeyError(f"unknown area of {len(area)} municipalities: pool it over published members")
        last = first if last is None else last
        return self.hidden_figures.get((area, int(first), int(last)))

    def reason(self, codes: str | Iterable[str], first: int, last: int | None = None) -> str:
        return reason(self.rule(codes, first, last), self.min_count)

    def hidden_codes(self, first: int, last: int | None = None) -> dict[str, str]:
        """Municipality code -> rule for every municipality whose figure over ``first..last`` is hidden."""
        last = first if last is None else last
        return dict(self._by_span.get((int(first), int(last)), {}))

    @cached_property
    def _by_span(self) -> dict[tuple[int, int], dict[str, str]]:
        found: dict[tuple[int, int], dict[str, str]] = {}
        for (a, f, la), r in self.hidden_figures.items():
            if len(a) == 1:
                found.setdefault((f, la), {})[next(iter(a))] = r
        return found

    def published_codes(self, codes: Iterable[str], first: int, last: int | None = None) -> list[str]:
        """The codes among ``codes`` whose own figure over ``first..last`` may be published: a group (a set on
        Vergelijken, peers) is pooled over these only (``pool_published``)."""
        hidden = self.hidden_codes(first, last)
        return [c for c in codes if c not in hidden]

    def apply(self, frame: pd.DataFrame, codes: str | Iterable[str]) -> pd.DataFrame:
        """Apply the plan to a published series of one area (``stats.finish`` output; rows with ``period`` and,
        for windows, ``first_period``): sets ``suppressed``, ``suppression`` (the rule) and
        ``suppression_reason`` and blanks ``value``, ``lower``, ``upper`` and ``numerator`` of hidden rows.
        A group the plan does not know raises KeyError (pool it with ``pool_published``)."""
        out = frame.copy()
        if out.empty:
            return _with_columns(out)
        area = self.area(codes)
        last = out["period"].astype(int)
        first = out["first_period"].astype(int) if "first_period" in out else last
        rules = [self.rule(area, f, la) for f, la in zip(first, last, strict=True)]
        return mark(out, rules, self.min_count)


def mark(frame: pd.DataFrame, rules: list[str | None], min_count: int) -> pd.DataFrame:
    """Add the plan's rules to a finished frame (row order): hidden rows are blanked; an earlier ``klein``
    suppression of ``stats.finish`` is kept."""
    out = _with_columns(frame)
    current = out["suppression"].where(out["suppression"].notna(), None).tolist()
    merged = [c if c is not None else r for c, r in zip(current, rules, strict=True)]
    out["suppression"] = pd.Series(merged, index=out.index, dtype=object)
    hidden = out["suppression"].notna()
    out["suppressed"] = hidden
    out["suppression_reason"] = [reason(r, min_count) if r else None for r in out["suppression"]]
    blank = [c for c in ("value", "lower", "upper", "numerator") if c in out]
    out.loc[hidden, blank] = np.nan
    if "margin" in out:
        out.loc[hidden, "margin"] = False
    return out


def _with_columns(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if "suppressed" not in out:
        out["suppressed"] = False
    if "suppression" not in out:
        out["suppression"] = pd.Series([SMALL if s else None for s in out["suppressed"]], index=out.index, dtype=object)
    if "suppression_reason" not in out:
        out["suppression_reason"] = None
    return out


# -- building the plan -----------------------------------------------------------------------------------
RULES_VERSION = 2  # part of every cache key: raise it when the rules change (2: exact swap costs, no hash order)
_CACHE: dict[tuple, Plan] = {}  # per database file and data version
_BY_CONTENT: dict[str, Plan] = {}  # per fingerprint of the cells, regions and settings
_FILE_KEEP = 64  # plans kept in the file beside the database


def plan(store: Store, config: Config, indicator_id: str) -> Plan:
    """The product-wide publication plan of one indicator (``plans``)."""
    return plans(store, config, [indicator_id])[indicator_id]


def plans(store: Store, config: Config, indicator_ids: list[str]) -> dict[str, Plan]:
    """The product-wide publication plans of the indicators, from one query for all of them.

    Cached in memory per database file and data version, and in ``<database>.disclosure.json`` beside the
    database per *fingerprint* (a hash of the indicator's cells, the regions, the municipalities and the
    settings), so a new process (the CLI) does not make it again and a changed or restored database can
    never get a stale plan. The file is only a cache: when it cannot be read or written the plan is made."""
    settings = (config.privacy.min_count, window_lengths(config))
    version = (str(store.path), store.data_version(), *settings)
    out = {i: _CACHE[(*version, i)] for i in indicator_ids if (*version, i) in _CACHE}
    missing = sorted({i for i in indicator_ids if i not in out})
    if not missing:
        return out
    if len(_CACHE) > 256:
        _CACHE.clear()
    cells = store.query("disclosure_cells", {"indicators": missing})
    areas = store.query("disclosure_areas")
    regions = sorted(sorted(m) for m in areas.loc[areas["kind"] == "regio", "members"])
    national_rows = [sorted(m) for m in areas.loc[areas["kind"] == "land", "members"]]
    units = {i.id: i.eenheid for i in config.indicatoren}
    made: dict[str, Plan] = {}
    with without_gc():  # many small objects and no cycles worth collecting: collecting would cost a third
        for indicator_id, (codes, periods, counts) in _cell_counts(cells, units, missing).items():
            national = national_rows[0] if national_rows else sorted(set(codes))
            fingerprint = _fingerprint(indicator_id, codes, periods, counts, regions, national, settings)
            found = _BY_CONTENT.get(fingerprint)
            found = found or _load(store.path, fingerprint, indicator_id, regions, national, settings)
            if found is None:
                cell_counts = dict(zip(zip(codes, periods, strict=True), counts, strict=True))
                found = made[fingerprint] = build(indicator_id, cell_counts, regions, national, *settings)
            if len(_BY_CONTENT) > 256:
                _BY_CONTENT.clear()
            _BY_CONTENT[fingerprint] = found
            _CACHE[(*version, indicator_id)] = out[indicator_id] = found
    _save(store.path, made)
    return out


_GC_LOCK = threading.Lock()
_GC_PAUSES = [0, False]  # [how many callers are inside without_gc, was collection on before the first]


@contextmanager
def without_gc():
    """No cyclic garbage collection inside: for work that makes many small objects and no cycles, where each
    collection would walk every object of the process (pandas and all) again. Collection is process-wide, so
    callers in other threads are counted: it comes back on when the last one leaves (if it was on before)."""
    with _GC_LOCK:
        if _GC_PAUSES[0] == 0:
            _GC_PAUSES[1] = gc.isenabled()
            gc.disable()
        _GC_PAUSES[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_PAUSES[0] -= 1
            if _GC_PAUSES[0] == 0 and _GC_PAUSES[1]:
                gc.enable()


def _cell_counts(
    cells: pd.DataFrame, units: Mapping[str, str], indicator_ids: list[str]
) -> dict[str, tuple[list[str], list[int], list[int]]]:
    """Per indicator its cells in the order of the query (municipality, period): codes, periods and counts,
    as ``_count`` gives them row by row (here for all rows of an indicator at once)."""
    out: dict[str, tuple[list[str], list[int], list[int]]] = {i: ([], [], []) for i in indicator_ids}
    if cells.empty:
        return out
    ind = cells["indicator_id"].to_numpy(dtype=object)
    code = cells["municipality_code"].to_numpy(dtype=object)
    period = cells["period"].to_numpy(dtype=np.int64)
    numerator = cells["numerator"].to_numpy(dtype=float, na_value=np.nan)
    value = cells["value"].to_numpy(dtype=float, na_value=np.nan)
    denominator = cells["denominator"].to_numpy(dtype=float, na_value=np.nan)
    for indicator_id in indicator_ids:
        rows = np.flatnonzero(ind == indicator_id)
        if not rows.size:
            continue
        unit = units.get(indicator_id, "")
        n, v, d = numerator[rows], value[rows], denominator[rows]
        count = n.copy()  # the numerator when there is one (NaN when not)
        if unit in SCALE:
            use = np.isnan(n) & ~np.isnan(v) & ~np.isnan(d)
            count[use] = v[use] * d[use] / SCALE[unit]  # as float(value) * float(denominator) / scale
        elif unit == "aantal":
            use = np.isnan(n) & ~np.isnan(v)
            count[use] = v[use]
        keep = ~np.isnan(count)
        found = count[keep]
        if found.size and not (np.isfinite(found).all() and np.abs(found).max() < 2.0**62):
            rows = rows[keep]  # out of the integer range: the row-by-row rule says what happens
            counts = [_count(unit, numerator[r], value[r], denominator[r]) for r in rows.tolist()]
        else:
            counts = np.rint(found).astype(np.int64).tolist()  # rint rounds half to even, as round() does
            rows = rows[keep]
        out[indicator_id] = (code[rows].tolist(), period[rows].tolist(), counts)
    return out


def _count(unit: str, numerator: object, value: object, denominator: object) -> int | None:
    """The event count a stored row publishes or gives away: its numerator; for a rate without one, value x
    denominator; for a count ("aantal") without one, its value."""
    if _known(numerator):
        return round(float(numerator))
    if unit in SCALE and _known(value) and _known(denominator):
        return round(float(value) * float(denominator) / SCALE[unit])
    if unit == "aantal" and _known(value):
        return round(float(value))
    return None


def _known(x: object) -> bool:
    return x is not None and not pd.isna(x)


def _fingerprint(
    indicator_id: str, codes: list[str], periods: list[int], counts: list[int], regions: list, national: list, settings
) -> str:
    """A hash of everything the plan depends on: the cells (sorted by municipality and period, as the query
    gives them), the regions, the municipalities, the settings and the rules' version."""
    cells = list(zip(codes, periods, strict=True))
    if any(a >= b for a, b in pairwise(cells)):  # not in the query's order: sort them
        order = sorted(range(len(cells)), key=cells.__getitem__)
        codes, periods, counts = ([x[j] for j in order] for x in (codes, periods, counts))
    digest = hashlib.sha256(repr((RULES_VERSION, indicator_id, len(codes), regions, national, settings)).encode())
    digest.update("\0".join(codes).encode("utf-8"))  # a code holds no NUL
    digest.update(np.asarray(periods, dtype="<i8").tobytes())
    digest.update(np.asarray(counts, dtype="<i8").tobytes())
    return digest.hexdigest()


def _cache_file(path: object) -> Path | None:
    try:
        db = Path(str(path))
    except TypeError:
        return None
    return db.with_name(db.name + ".disclosure.json") if db.parent.is_dir() else None


def _load(
    path: object, fingerprint: str, indicator_id: str, regions: list, national: list, settings: tuple
) -> Plan | None:
    entry = _read(_cache_file(path)).get(fingerprint)
    if not entry:
        return None
    nat = frozenset(national)

    def area(codes: object) -> frozenset:
        return nat if codes == NATIONAL else frozenset(codes)

    try:
        hidden = {(area(codes), int(f), int(la)): str(r) for codes, f, la, r in entry["hidden"]}
    except (KeyError, TypeError, ValueError):
        return None
    areas = frozenset([*(frozenset(r) for r in regions), nat])
    return Plan(indicator_id, settings[0], tuple(settings[1]), nat, areas, frozenset(), hidden)


_FILES: dict[Path, tuple[float, dict]] = {}  # cache file -> (modification time, its plans)


def _read(file: Path | None) -> dict:
    """The plans in the cache file (read once per change of the file)."""
    if file is None:
        return {}
    try:
        stamp = file.stat().st_mtime
        if file not in _FILES or _FILES[file][0] != stamp:
            _FILES[file] = (stamp, json.loads(file.read_text(encoding="utf-8")).get("plans", {}))
        return _FILES[file][1]
    except (OSError, ValueError, AttributeError):
        return {}


def _save(path: object, made: Mapping[str, Plan]) -> None:
    """Add the plans just made to the cache file (one write; the newest ``_FILE_KEEP`` are kept)."""
    file = _cache_file(path) if made else None
    if file is None:
        return

    def entry(found: Plan) -> dict:
        def name(area: frozenset) -> object:
            return NATIONAL if area == found.national else sorted(area)

        return {"hidden": [[name(a), f, la, r] for (a, f, la), r in found.hidden_figures.items()]}

    try:
        plans = {**_read(file), **{fingerprint: entry(found) for fingerprint, found in made.items()}}
        plans = dict(list(plans.items())[-_FILE_KEEP:])
        with tempfile.NamedTemporaryFile("w", dir=file.parent, suffix=".tmp", delete=False, encoding="utf-8") as fh:
            fh.write(json.dumps({"plans": plans}))  # dumps: the C encoder (dump writes piece by piece in Python)
        os.replace(fh.name, file)
    except OSError:
        return  # a read-only folder: the plan is simply made again next time


def build(
    indicator_id: str,
    cells: Mapping[tuple[str, int], int],
    regions: Iterable[Iterable[str]],
    national: Iterable[str],
    min_count: int,
    windows: Iterable[int] = (COMPARE_POOL_YEARS,),
) -> Plan:
    """The plan from plain data: ``cells`` (code, period) -> count, the regions' member lists and the codes of
    "Nederland". Pure (no store); the property test calls it directly."""
    nat = frozenset(national)
    windows = tuple(sorted({int(k) for k in windows if int(k) > 1}))
    cells = dict(sorted(cells.items()))  # a fixed order: the plan must not depend on the input's order
    periods = sorted({p for _, p in cells})
    by_code: dict[str, list[int]] = {}
    for code, period in cells:
        by_code.setdefault(code, []).append(period)
    region_sets = {frozenset(r) for r in regions if len(set(r)) > 1}
    content = _Content()
    single = content.single = {c: frozenset([c]) for c in by_code}  # one object per municipality's area
    areas = [*single.values()] + sorted(region_sets, key=sorted) + [nat]
    spans = [(p - k + 1, p) for k in windows for p in periods]  # after the single years
    cells_of: dict[str, list[tuple[str, int]]] = {}
    for cell in cells:
        cells_of.setdefault(cell[0], []).append(cell)
    counts: dict[Key, int] = {}
    for area in areas:
        codes = sorted(area)
        if len(codes) == 1:
            own = cells_of.get(codes[0], ())
            per_year = {cell[1]: [cell] for cell in own}
            year_count = {cell[1]: cells[cell] for cell in own}
        else:
            per_year = {}
            for c in codes:
                for cell in cells_of.get(c, ()):
                    per_year.setdefault(cell[1], []).append(cell)
            year_count = {p: sum(map(cells.__getitem__, cs)) for p, cs in per_year.items()}
        content.years[area] = per_year
        for p in periods:
            if p in year_count:
                counts[(area, p, p)] = year_count[p]
        for first, last in spans:
            present = [year_count[p] for p in range(first, last + 1) if p in year_count]
            if present:
                counts[(area, first, last)] = sum(present)
    content.keys_ = dict.fromkeys(counts)
    hidden: dict[Key, str] = {k: SMALL for k, n in counts.items() if n < min_count}
    # "Nederland" is its own level unless it is also a municipality or a region (then it is that area).
    level = nat if nat not in areas[:-1] else frozenset(["(geen landelijk niveau)"])
    if hidden:
        audit = _Audit(content, counts, hidden, min_count, level, dict(cells))
        audit.protect()
        _secondary(content, counts, hidden, min_count, region_sets, level, by_code)
        audit.refresh()
        audit.run()
    hidden = dict(sorted(hidden.items(), key=lambda item: _order(item[0], nat)))  # as read back from the cache
    return Plan(indicator_id, min_count, windows, nat, frozenset(areas), frozenset(counts), hidden)


def _order(key: Key, nat: frozenset) -> tuple:
    """A total order of figures that does not depend on hashing: municipalities and regions by their sorted
    codes, then "Nederland"; then the years."""
    area, first, last = key
    return (area == nat, sorted(area) if area != nat else [], first, last)


class _Memo(dict):
    """A dict that makes a missing value with ``make`` and keeps it."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


class _Content(Mapping):
    """Figure -> its cells, made when first asked for (most figures never are)."""

    def __init__(self) -> None:
        self.years: dict[frozenset, dict[int, list[tuple[str, int]]]] = {}
        self.single: dict[str, frozenset] = {}  # code -> its area (the same object in every key)
        self.keys_: dict[Key, None] = {}
        self._made: dict[Key, frozenset[tuple[str, int]]] = {}
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._all_spans: list[tuple[int, int]] = []

    def __getitem__(self, key: Key) -> frozenset[tuple[str, int]]:
        found = self._made.get(key)
        if found is None:
            if key not in self.keys_:
                raise KeyError(key)
            per_year = self.years[key[0]]
            found = frozenset(c for p in range(key[1], key[2] + 1) for c in per_year.get(p, ()))
            self._made[key] = found
        return found

    def __contains__(self, key: object) -> bool:
        return key in self.keys_

    def spans_holding(self, year: int) -> list[tuple[int, int]]:
        found = self._spans.get(year)
        if found is None:
            spans = self._all_spans or sorted({(f, la) for _, f, la in self.keys_})
            self._all_spans = spans
            found = self._spans[year] = [(f, la) for f, la in spans if f <= year <= la]
        return found

    def __iter__(self):
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)


def _secondary(content, counts, hidden, min_count, region_sets, nat, by_code) -> None:
    """S2 and S3 on exact decompositions of every published figure (a window = its single years; a region
    or Nederland = its members; Nederland = its regions and the other municipalities), to a fixpoint: the
    hidden parts of a published figure hold no events or at least ``min_count``. Only decompositions with a
    hidden part are ever looked at; their hidden parts and events are kept up to date as parts are hidden."""
    region_sets = sorted(region_sets, key=sorted)  # a fixed order: the plan must not depend on hashing
    in_region: dict[str, frozenset] = {}
    for r in region_sets:
        for c in sorted(r):
            in_region.setdefault(c, r)
    single, keys = content.single, content.keys_
    others = [single[c] for c in sorted(by_code) if c not in in_region]
    members: dict[frozenset, list[frozenset]] = {}  # area -> its members' areas, by code (those with cells)
    parts_of: dict[tuple[Key, str], list[Key]] = {}
    state: dict[tuple[Key, str], list[int]] = {}  # [hidden parts, their events]
    holding: dict[Key, list[tuple[Key, str]]] = {}
    windows_at: dict[int, list[tuple[int, int]]] = {}  # year -> the spans of more than one year that hold it

    def wholes(key: Key) -> list[tuple[Key, str]]:
        """The decompositions that hold ``key`` as a part (made and counted when first needed)."""
        found = holding.get(key)
        if found is not None:
            return found
        area, first, last = key
        if first == last:
            spans = windows_at.get(first)
            if spans is None:
                spans = windows_at[first] = [(f, la) for f, la in content.spans_holding(first) if f != la]
            found = [(w, YEARS) for w in ((area, f, la) for f, la in spans) if w in keys]
        else:
            found = []
        if len(area) == 1:
            code = next(iter(area))
            if code in in_region and (in_region[code], first, last) in keys:
                found.append(((in_region[code], first, last), AREA))
            if (nat, first, last) in keys:
                found.append(((nat, first, last), AREA))
                if code not in in_region:
                    found.append(((nat, first, last), "nat_parts"))
        elif area != nat and (nat, first, last) in keys:
            found.append(((nat, first, last), "nat_parts"))
        for d in found:
            if d not in parts_of:
                whole, kind = d
                w_area, f, la = whole
                if kind == YEARS:
                    parts = [(w_area, p, p) for p in range(f, la + 1) if (w_area, p, p) in keys]
                elif kind == AREA:
                    inside = members.get(w_area)
                    if inside is None:  # a municipality without cells has no figure
                        inside = members[w_area] = [single[c] for c in sorted(w_area) if c in single]
                    parts = [m for m in ((a, f, la) for a in inside) if m in keys]
                else:
                    candidates = [(r, f, la) for r in region_sets] + [(o, f, la) for o in others]
                    parts = [m for m in candidates if m in keys]
                parts_of[d] = parts
                concealed = [counts[q] for q in parts if q in hidden]
                state[d] = [len(concealed), sum(concealed)]
        holding[key] = found
        return found

    def hide(key: Key, rule: str) -> None:
        found = wholes(key)  # made before ``key`` is hidden, so it is counted once, here
        hidden[key] = rule
        for d in found:
            state[d][0] += 1
            state[d][1] += counts[key]
            queue.append(d)

    queue: list[tuple[Key, str]] = []
    for key in list(hidden):
        queue.extend(wholes(key))
    while queue:
        d = queue.pop()
        whole, kind = d
        concealed, events = state[d]
        if whole in hidden or not concealed or events >= min_count:
            continue
        shown = [q for q in parts_of[d] if q not in hidden]
        rule = YEARS if kind == YEARS else AREA
        if shown:
            hide(min(shown, key=lambda q: (len(q[0]), counts[q], q[1], q[2], sorted(q[0]))), rule)
        else:
            hide(whole, rule)


# -- the exact audit ----------------------------------------------------------------------------------------
_TOL = 1e-8


def _complement(rows: np.ndarray, size: int) -> np.ndarray:
    """An orthonormal basis (columns) of the vectors orthogonal to every row: what the rows do not tell."""
    if rows.shape[0] == 0:
        return np.eye(size)
    _, sv, vt = np.linalg.svd(rows, full_matrices=rows.shape[0] < rows.shape[1])
    return vt[_cut(sv, rows.shape) :].T


def _cut(sv: np.ndarray, shape: tuple[int, ...]) -> int:
    """The numerical rank: singular values above an absolute floor (the vectors here are O(1))."""
    return int((sv > max(1e-9, _TOL * max(shape) * (sv[0] if sv.size else 0.0))).sum())


Vec = dict  # cell -> coefficient


def _solve(matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Minimum-norm least squares with the absolute rank floor of ``_cut`` (numpy's lstsq cuts relative to
    the largest singular value, so a matrix of rounding noise would look full rank)."""
    if not matrix.size:
        return np.zeros((matrix.shape[1],) + rhs.shape[1:])
    u, sv, vt = np.linalg.svd(matrix, full_matrices=False)
    k = _cut(sv, matrix.shape)
    return vt[:k].T @ ((u[:, :k].T @ rhs) / (sv[:k] if rhs.ndim == 1 else sv[:k, None]))


_NULL_MEMO_SIZE = 4096  # components whose published rows have at most this many entries are remembered
_NULL_MEMO_KEEP = 4096
_NULLS: dict[tuple[int, int, bytes], np.ndarray] = {}  # (cells, rows, the 0/1 rows) -> _null_space (read-only)


def _unique_rows(rows: np.ndarray) -> np.ndarray:
    """``np.unique(rows, axis=0)`` of 0/1 rows (the distinct rows in lexicographic order), without the
    structured-array machinery when a row fits in 64 bits: the row read as a binary number, first column
    highest, orders rows as the lexicographic order does."""
    if rows.shape[1] > 64:
        return np.unique(rows, axis=0)
    bits = np.zeros((rows.shape[0], 8), dtype=np.uint8)
    bits[:, : (rows.shape[1] + 7) // 8] = np.packbits(rows != 0, axis=1)
    _, first = np.unique(bits.view(">u8").ravel(), return_index=True)
    return rows[first]


def _null_space(rows: np.ndarray, n: int) -> np.ndarray:
    """What the 0/1 ``rows`` (figures x n cells) do not tell, as orthonormal columns over the cells (``_Audit._null``).
    A pure function of ``rows``; the result is read-only (it may be shared)."""
    known = np.zeros(n, dtype=bool)
    while rows.shape[0]:
        open_ = rows[:, ~known]
        per_row = open_.sum(axis=1)
        single = open_[per_row == 1]
        if not single.shape[0]:
            break
        cols = np.flatnonzero(~known)[single.argmax(axis=1)]
        known[cols] = True
        rows = rows[per_row > 1]
    unknown = np.flatnonzero(~known)
    out = np.zeros((n, 0))
    if unknown.size:
        rest = _unique_rows(rows[:, unknown]) if rows.shape[0] else rows[:, unknown]
        inner = _complement(rest, unknown.size)
        out = np.zeros((n, inner.shape[1]))
        out[unknown] = inner
    out.flags.writeable = False
    return out


def _same_space(a: np.ndarray, b: np.ndarray) -> bool:
    """Do the columns of a and b span the same space?"""
    if a.shape[1] != b.shape[1]:
        return False
    if not a.shape[1]:
        return True
    qa, qb = np.linalg.qr(a)[0], np.linalg.qr(b)[0]
    return bool(np.allclose(qa @ qa.T, qb @ qb.T, atol=1e-9))


_WEIGHT = {(1, False): 1, (1, True): 2, (2, False): 6, (2, True): 8, (3, False): 1000, (3, True): 1000}
_PER_EVENT = 100_000  # cost = weight + events / 100 000: of two figures of one kind the smaller is hidden


def _weight_of(nat: frozenset, counts: Mapping[Key, int], key: Key) -> int:
    """The cost of hiding a figure in units of 1/``_PER_EVENT``: an integer, so a sum over a set is exact
    and the same in every order (a float sum is not: equal costs would tie by hash order)."""
    area, first, last = key
    level = 3 if area == nat else (1 if len(area) == 1 else 2)
    return _WEIGHT[(level, first != last)] * _PER_EVENT + counts[key]


def _preference_of(nat: frozenset, counts: Mapping[Key, int], key: Key) -> tuple:
    """The order in which figures of one set are hidden (municipalities first, then the smallest)."""
    area, first, last = key
    kind = 4 if area == nat else (0 if len(area) == 1 else 2) + (first != last)
    return (kind, counts[key], sorted(area), first, last)


class _Audit:
    """Which small counts are linear combinations of the published figures; one more suppression per leak.

    The municipalities fall apart into *components* (a region with its members, or one municipality); only
    "Nederland" ties components together. Per component C with published figure rows P_C, the columns of
    N_C span what P_C does not tell. The published national figures span a space of year totals (basis
    B, years x r; Y_C maps years to C's cells). A vector v over the cells is derivable iff some lam makes
    N_C' (v_C - Y_C B lam) = 0 for every C: one small least-squares system (``derivable``).

    Per component the check is local: lam may only move in null(G - G_C) (G_C = B' Y_C' N_C N_C' Y_C B,
    G their sum), the year totals the other components cannot notice; those national "extras" are added
    to C's published rows. Pairs of small cells in two components use null(G - G_C - G_D); vectors over
    many components (hidden national figures and their hidden parts) use the whole system.
    """

    def __init__(self, content, counts, hidden, min_count, nat, cells):
        self.content, self.counts, self.hidden, self.min = content, counts, hidden, min_count
        self.nat, self.cells = nat, cells
        parent = {c: c for c, _ in cells}

        def root(c: str) -> str:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        areas = [area for area, per_year in content.years.items() if per_year]  # the areas with figures
        for area in areas:
            if 1 < len(area) and area != nat:
                members = [c for c in area if c in parent]
                for c in members[1:]:
                    parent[root(c)] = root(members[0])
        groups: dict[str, list[str]] = {}
        for c in sorted(parent):
            groups.setdefault(root(c), []).append(c)
        self.comps = list(groups.values())
        self.comp_of = {c: i for i, comp in enumerate(self.comps) for c in comp}
        self.years = sorted({p for _, p in cells})
        self.spans = sorted({(f, la) for a, f, la in content if a == nat})
        self.span_years = np.array([[1.0 if f <= y <= la else 0.0 for y in self.years] for f, la in self.spans])
        self.year_ix = {y: j for j, y in enumerate(self.years)}
        self._area_comp: dict[frozenset, int] = {}
        self.keys: list[list[Key]] = [[] for _ in self.comps]
        for area, keys in groupby(content.keys_, key=itemgetter(0)):  # the figures come area by area
            if area != nat:
                self.keys[self._comp(area)].extend(keys)
        codes_of: dict[frozenset, list[str]] = {}
        for keys in self.keys:
            for area in {k[0] for k in keys}:
                codes_of[area] = sorted(area)
            keys.sort(key=lambda k: (codes_of[k[0]], k[1], k[2]))
        self.cell_list: list[list[tuple[str, int]]] = [[] for _ in self.comps]
        for c in sorted(cells):
            self.cell_list[self.comp_of[c[0]]].append(c)
        self.cell_index = [{c: j for j, c in enumerate(cl)} for cl in self.cell_list]
        n = len(self.comps)
        self.matrix: list[np.ndarray | None] = [None] * n  # figures x cells, built when first needed
        self.year_map: list[np.ndarray | None] = [None] * n  # cells x years
        # (functions of the data, not bound methods: the audit holds no cycle, so it is freed at once)
        self._weights = _Memo(partial(_weight_of, nat, counts))  # figure -> the cost of hiding it
        self._preferences = _Memo(partial(_preference_of, nat, counts))  # figure -> its place among figures to hide
        self._containing: dict[tuple[str, int], list[Key]] = {}
        self._nat_holding: dict[int, list[Key]] = {}
        self._touched_set: set[int] = set()  # components with a hidden figure (``_touched``)
        self._touched_upto = 0  # how many figures of ``hidden`` are in it
        self._hidden_in: dict[int, int] = {}  # component -> its hidden figures (``_touched``)
        self._null_of: dict[int, tuple[int, np.ndarray]] = {}  # component -> (its hidden figures, _null)
        self._shown: dict[tuple[str, int], set[Key]] = {}  # cell -> its published municipal/regional figures
        self.regions_of: dict[str, list[frozenset]] = {}
        for area in sorted({a for a in areas if len(a) > 1 and a != nat}, key=sorted):
            for c in sorted(area):
                self.regions_of.setdefault(c, []).append(area)
        self.all_spans = sorted({(f, la) for _, f, la in content})
        self.null: list[np.ndarray] = [np.zeros((len(cl), 0)) for cl in self.cell_list]
        self.log: list[Key] = []  # every figure the audit hid, in order
        self.by_year: dict[int, list[tuple[str, int]]] = {}
        self.by_code: dict[str, list[tuple[str, int]]] = {}
        for c in cells:
            self.by_year.setdefault(c[1], []).append(c)
            self.by_code.setdefault(c[0], []).append(c)
        self.refresh()

    def refresh(self) -> None:
        """Recompute what each component with a hidden figure does not tell."""
        self.hidden_cell = {(next(iter(a)), f) for a, f, la in self.hidden if f == la and len(a) == 1}
        self._shown.clear()  # figures were hidden elsewhere (``_secondary``)
        for i in self._touched():
            self.null[i] = self._null(i)

    def _touched(self) -> set[int]:
        """The components with a hidden figure. Figures are only ever added to ``hidden`` (at its end), so
        only the ones added since the last call are looked at."""
        if len(self.hidden) != self._touched_upto:
            nat, count = self.nat, self._hidden_in
            for k in islice(self.hidden, self._touched_upto, None):
                if k[0] != nat:
                    i = self._comp(k[0])
                    count[i] = count.get(i, 0) + 1
            self._touched_set.update(count)
            self._touched_upto = len(self.hidden)
        return self._touched_set

    def containing(self, cell: tuple[str, int]) -> list[Key]:
        """The figures of municipalities and regions that hold ``cell`` (national figures left out)."""
        found = self._containing.get(cell)
        if found is None:
            code, year = cell
            areas = [self.content.single.get(code) or frozenset([code]), *self.regions_of.get(code, ())]
            spans, keys = self.content.spans_holding(year), self.content.keys_
            found = self._containing[cell] = [(a, f, la) for a in areas for f, la in spans if (a, f, la) in keys]
        return found

    def _comp(self, area: frozenset) -> int:
        """The component of an area (a municipality or a region; members without cells are skipped)."""
        found = self._area_comp.get(area)
        if found is None:
            found = self._area_comp[area] = next(self.comp_of[c] for c in area if c in self.comp_of)
        return found

    def _prep(self, i: int) -> None:
        if self.matrix[i] is not None:
            return
        cells, keys = self.cell_list[i], self.keys[i]
        # a figure holds the cells of its area's members in its years: one row of 0/1 per figure
        codes = [c for c, _ in cells]
        year = np.array([p for _, p in cells], dtype=np.int64)
        area_row: dict[frozenset, int] = {}
        for k in keys:
            area_row.setdefault(k[0], len(area_row))
        member = np.array([[c in area for c in codes] for area in area_row], dtype=bool)
        member = member.reshape(len(area_row), len(codes))
        rows = np.array([area_row[k[0]] for k in keys], dtype=np.intp)
        first = np.array([k[1] for k in keys], dtype=np.int64)[:, None]
        last = np.array([k[2] for k in keys], dtype=np.int64)[:, None]
        m = (member[rows] & (first <= year) & (year <= last)).astype(float)
        ym = np.zeros((len(cells), len(self.years)))
        ym[np.arange(len(cells)), [self.year_ix[p] for _, p in cells]] = 1.0
        self.matrix[i], self.year_map[i] = m, ym

    def _ymap(self, i: int) -> np.ndarray:
        self._prep(i)
        return self.year_map[i]

    # -- state -----------------------------------------------------------------------------------------
    def _null(self, i: int) -> np.ndarray:
        """What component i's published figures do not tell (columns over its cells). Cells a figure
        determines on its own are peeled off first (a published single year; a window or region minus known
        cells that leaves one cell), so the SVD only sees the rest (small matrices are fast). Figures are
        only ever hidden, never shown again, so the same number of hidden figures means the same answer."""
        self._touched()
        hidden_here = self._hidden_in.get(i, 0)
        found = self._null_of.get(i)
        if found is None or found[0] != hidden_here:
            found = self._null_of[i] = (hidden_here, self._null_now(i))
        return found[1]

    def _null_now(self, i: int) -> np.ndarray:
        self._prep(i)
        hidden = self.hidden
        keep = [r for r, k in enumerate(self.keys[i]) if k not in hidden]
        rows = self.matrix[i][keep]
        n = len(self.cell_list[i])
        if rows.size > _NULL_MEMO_SIZE:
            return _null_space(rows, n)
        # the answer depends on the 0/1 rows alone, and many components look alike (a municipality with the
        # same years and the same figures hidden): keep the small ones
        memo = (n, rows.shape[0], np.packbits(rows != 0).tobytes())
        found = _NULLS.get(memo)
        if found is None:
            if len(_NULLS) >= _NULL_MEMO_KEEP:
                _NULLS.clear()
            found = _NULLS[memo] = _null_space(rows, n)
        return found

    def _national(self, without: Key | None = None) -> list[int]:
        return [
            j
            for j, (f, la) in enumerate(self.spans)
            if (self.nat, f, la) not in self.hidden and (self.nat, f, la) != without
        ]

    def _basis(self, national: list[int]) -> np.ndarray:
        """Orthonormal basis (years x r) of the year totals the published national figures tell."""
        rows = self.span_years[national] if national else np.zeros((0, len(self.years)))
        if not rows.size:
            return np.zeros((len(self.years), 0))
        _, sv, vt = np.linalg.svd(rows, full_matrices=False)
        return vt[: _cut(sv, rows.shape)].T

    def _blocks(self, null: list[np.ndarray], basis: np.ndarray) -> list[np.ndarray]:
        r = basis.shape[1]
        return [
            null[i].T @ (self._ymap(i) @ basis) if null[i].shape[1] else np.zeros((0, r))
            for i in range(len(self.comps))
        ]

    # -- the checks ------------------------------------------------------------------------------------
    def _hidden_cells(self) -> set[tuple[str, int]]:
        """The cells whose single-year figure is hidden (kept up to date by ``_hide`` and ``refresh``)."""
        return self.hidden_cell

    def _local(self, i: int, vec: Vec) -> np.ndarray:
        v = np.zeros(len(self.cell_list[i]))
        for cell, coef in vec.items():
            v[self.cell_index[i][cell]] = coef
        return v

    def derivable(self, vectors: list[Vec], null=None, national=None) -> list[bool]:
        """For each vector (cell -> coefficient) whether the published figures determine it exactly."""
        null = self.null if null is None else null
        basis = self._basis(self._national() if national is None else national)
        blocks = self._blocks(null, basis)
        offsets = np.cumsum([0] + [b.shape[0] for b in blocks])
        system = np.vstack(blocks) if blocks else np.zeros((0, basis.shape[1]))
        rhs = np.zeros((system.shape[0], len(vectors)))
        for col, vec in enumerate(vectors):
            for i in {self.comp_of[c[0]] for c in vec}:
                part = {c: x for c, x in vec.items() if self.comp_of[c[0]] == i}
                rhs[offsets[i] : offsets[i + 1], col] = null[i].T @ self._local(i, part)
        if not rhs.shape[0]:
            return [True] * len(vectors)
        rest = rhs - system @ _solve(system, rhs) if system.shape[1] else rhs
        return list(np.linalg.norm(rest, axis=0) < 1e-6)

    def derivable_in(self, i: int, vectors: list[Vec], null: np.ndarray | None = None) -> list[bool]:
        """Per component: v (inside component i) is derivable iff null' v = 0 (``null``: what i does not tell)."""
        null = self.null[i] if null is None else null
        if not null.shape[1]:
            return [True] * len(vectors)
        ix = self.cell_index[i]
        stack = np.zeros((len(ix), len(vectors)))
        for col, vec in enumerate(vectors):
            for cell, coef in vec.items():
                stack[ix[cell], col] = coef
        return list(np.linalg.norm(null.T @ stack, axis=0) < 1e-6)

    def _add(self, out: list[Vec], seen: set, cells: Iterable[tuple[str, int]], total: int | None = None) -> None:
        cs = frozenset(cells)
        if not cs or cs in seen:
            return
        seen.add(cs)
        if (sum(self.cells[c] for c in cs) if total is None else total) < self.min:
            out.append(dict.fromkeys(sorted(cs), 1.0))

    def sensitive(self, keys: Iterable[Key], cells: Iterable[tuple[str, int]], pairs: bool) -> list[Vec]:
        """Vectors that must not be derivable: hidden figures with fewer than m events, the hidden part of any
        figure when it holds fewer than m events (a hidden single cell is the hidden part of itself), and
        pairs of hidden small cells of one area or one period together below m."""
        out: list[Vec] = []
        seen: set[frozenset] = set()
        hidden_cell = self._hidden_cells()
        hidden, counts, minimum, nat, content = self.hidden, self.counts, self.min, self.nat, self.content
        events = self.cells.__getitem__
        keys = list(keys)
        parts = self._hidden_parts(keys)
        for key in keys:  # as _add does it, inline (this runs for every figure in every round)
            if key in hidden and counts[key] < minimum:
                inside = content[key]
                if inside and inside not in seen:
                    seen.add(inside)
                    out.append(dict.fromkeys(sorted(inside), 1.0))
            if key[0] == nat:
                part = [c for c in content[key] if c in hidden_cell]
                if part and len(part) < len(content[key]):
                    self._add(out, seen, part)
                continue
            part = parts.get(key)
            if part and len(part) < len(content[key]):
                cs = frozenset(part)
                if cs not in seen:
                    seen.add(cs)
                    if sum(map(events, cs)) < minimum:
                        out.append(dict.fromkeys(sorted(cs), 1.0))
        if pairs:
            small = sorted(c for c in cells if events(c) < minimum and c in hidden_cell)
            by: dict[object, list] = {}
            for c in small:
                by.setdefault(("code", c[0]), []).append(c)
                by.setdefault(("period", c[1]), []).append(c)
            for group in by.values():
                for a, b in combinations(group, 2):
                    if events(a) + events(b) < minimum:  # a larger pair is never added (nor the same set later)
                        cs = frozenset((a, b))
                        if cs not in seen:
                            seen.add(cs)
                            out.append(dict.fromkeys(sorted(cs), 1.0))
        return out

    def _hidden_parts(self, keys: list[Key]) -> dict[Key, list[tuple[str, int]]]:
        """Figure -> the cells of it whose single-year figure is hidden, for the municipal and regional figures
        among ``keys`` (and others of their components); a figure without hidden cells is left out."""
        hidden_cell = self.hidden_cell
        parts: dict[Key, list[tuple[str, int]]] = {}
        for i in sorted({self._comp(k[0]) for k in keys if k[0] != self.nat}):
            for c in self.cell_list[i]:
                if c in hidden_cell:
                    for key in self.containing(c):
                        parts.setdefault(key, []).append(c)
        return parts

    # -- the fix ---------------------------------------------------------------------------------------
    def _candidates(self, vec: Vec, comp: int | None, extras: np.ndarray | None = None) -> list[Key]:
        """The published figures a derivation of ``vec`` uses (minimum-norm solution): within component
        ``comp`` plus its national ``extras`` (cells x d), or over the whole system when ``comp`` is None."""
        found: list[Key] = []
        national = self._national()
        comps = [comp] if comp is not None else range(len(self.comps))
        rest = {i: self._local(i, {c: x for c, x in vec.items() if self.comp_of[c[0]] == i}) for i in comps}
        totals = np.zeros(len(self.years))
        if comp is not None:
            i = comp
            rows = [r for r, k in enumerate(self.keys[i]) if k not in self.hidden]
            ex = extras if extras is not None else np.zeros((len(self.cell_list[i]), 0))
            self._prep(i)
            system = np.hstack([self.matrix[i][rows].T, ex])
            if system.size:
                mu = _solve(system, rest[i])
                found += [self.keys[i][r] for r, x in zip(rows, mu[: len(rows)], strict=True) if abs(x) > 1e-7]
                if ex.shape[1] and np.abs(mu[len(rows) :]).max() > 1e-7:
                    yearly = _solve(self.year_map[i], ex @ mu[len(rows) :])
                    totals = yearly
        elif national:
            basis = self._basis(national)
            system = np.vstack(self._blocks(self.null, basis))
            rhs = np.concatenate([self.null[i].T @ rest[i] for i in comps])
            lam = _solve(system, rhs) if system.size else np.zeros(basis.shape[1])
            totals = basis @ lam  # the combination of year totals used
            for i in comps:
                rest[i] = rest[i] - self._ymap(i) @ totals
            for i in comps:
                if np.abs(rest[i]).max(initial=0) < 1e-9:
                    continue
                rows = [r for r, k in enumerate(self.keys[i]) if k not in self.hidden]
                if rows:
                    self._prep(i)
                    mu = _solve(self.matrix[i][rows].T, rest[i])
                    found += [self.keys[i][r] for r, x in zip(rows, mu, strict=True) if abs(x) > 1e-7]
        if national and np.abs(totals).max(initial=0) > 1e-7:
            alpha = _solve(self.span_years[national].T, totals)
            found += [(self.nat, *self.spans[j]) for j, a in zip(national, alpha, strict=True) if abs(a) > 1e-7]
        return sorted(set(found), key=self._preferences.__getitem__)

    def _hide(self, key: Key, rule: str, refresh: bool = True) -> None:
        self.hidden[key] = rule
        self.log.append(key)
        if key[0] != self.nat:
            for cell in self.content[key]:
                self._shown.pop(cell, None)
        if key[1] == key[2] and len(key[0]) == 1:
            self.hidden_cell.add((next(iter(key[0])), key[1]))
        if refresh and key[0] != self.nat:
            i = self._comp(key[0])
            self.null[i] = self._null(i)

    # -- per component, with what "Nederland" adds -------------------------------------------------------
    def _others(self, gram_others: np.ndarray, basis: np.ndarray) -> np.ndarray:
        """Year-total combinations (years x d) the other components cannot notice: null(G - G_C)."""
        if not basis.shape[1]:
            return np.zeros((len(self.years), 0))
        values, vectors = np.linalg.eigh(gram_others)
        return basis @ vectors[:, values < 1e-8 * max(1.0, float(np.trace(gram_others)))]

    def _augmented(self, i: int, free: np.ndarray, null: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """What component i does not tell once the national figures are used: (augmented null, extras)."""
        null = self.null[i] if null is None else null
        extras = self._ymap(i) @ free
        if not extras.shape[1] or not null.shape[1]:
            return null, extras
        return null @ _complement((null.T @ extras).T, null.shape[1]), extras

    def _local_pass(self, i: int, free: np.ndarray) -> bool:
        """Hide figures in component i until nothing small is derivable there; True when something was hidden."""
        changed = False
        national = self._national()
        while True:
            sens = self.sensitive(self.keys[i], self.cell_list[i], pairs=True)
            if not sens:
                return changed
            aug, extras = self._augmented(i, free)
            bad = [v for v, d in zip(sens, self.derivable_in(i, sens, aug), strict=True) if d]
            if not bad:
                return changed
            vec = bad[0]  # one fix per round: it often protects other leaks too
            keys, swap = self._pattern(vec, self.cell_list[i], free)
            if swap is not None:
                self._hide_all(keys, vec)
            else:  # no swap inside the component keeps "Nederland": swap with another municipality
                if not self._global_fix(vec):  # cannot happen: hiding every figure that holds vec works
                    raise AssertionError("no swap protects a derivable vector")
                return True  # other components changed: the caller starts over
            changed = True
            if self._national() != national:
                return changed

    def _partners(self, vec: Vec) -> list[tuple[str, int]]:
        """Partners for a swap across components: the same municipality's other years, its region's members in
        the same year, cells of the same year whose own figure is hidden already, and the five smallest
        published ones outside regions (a larger search rarely finds a cheaper swap)."""
        found: set[tuple[str, int]] = set()
        hidden_cell = self._hidden_cells()
        for code, year in vec:
            found.update(self.by_code[code])
            for region in self.regions_of.get(code, ()):
                found.update((c, year) for c in region if (c, year) in self.cells)
            same_year = self.by_year[year]
            found.update(c for c in same_year if c in hidden_cell)  # already hidden: cheap partners
            shown = [c for c in same_year if c not in hidden_cell and c[0] not in self.regions_of]
            found.update(sorted(shown, key=lambda c: (self.cells[c], c))[:5])  # and the smallest shown
        return sorted(found)

    def _global_fix(self, vec: Vec, refresh: bool = True) -> list[Key]:
        """Hide the cheapest swap over the whole product (partners in any component; national figures count)."""
        keys, _ = self._pattern(vec, self._partners(vec), None)
        self._hide_all(keys, vec, refresh=refresh)
        return keys

    # -- patterns ----------------------------------------------------------------------------------------

    def _pattern(
        self, vec: Vec, partners: Iterable[tuple[str, int]], free: np.ndarray | None
    ) -> tuple[list[Key], tuple | None]:
        """The cheapest set of published figures to hide so that a swap z = e_a - e_b (a cell a of ``vec``,
        a partner b outside it, or no partner) changes no published figure: then v.z != 0 and ``vec`` can no
        longer be derived. With ``free`` (years x d, the year totals other components cannot absorb) the
        swap must leave those totals alone and national figures are not hidden; without it national figures
        holding one of a, b are part of the set."""
        best: tuple[int, set[Key], tuple] | None = None
        year_ix = self.year_ix
        local = free is not None  # national figures are then left to the other components
        # a cell's published figures: kept between local calls (``_hide`` forgets the cells of what it hides)
        shown: dict[tuple[str, int], set[Key]] = self._shown if local else {}
        hidden, weight = self.hidden, self._weights.__getitem__
        moves: list[list[bool]] | None = None  # [year of a][year of b]: does the swap move the free totals?
        if local and free.shape[1]:
            # free' (e_a - e_b) = free[a] - free[b] exactly (the other terms are zeros), and free' e_a = free[a]
            gaps = np.abs(free[:, None, :] - free[None, :, :]).max(axis=2) > 1e-7
            alone = (np.abs(free).max(axis=1) > 1e-7).tolist()
            moves = gaps.tolist()

        def published(cell: tuple[str, int] | None) -> set[Key]:
            found = shown.get(cell)
            if found is None:
                if cell is None:
                    return set()
                keys = self.containing(cell)
                if not local:
                    keys = keys + self._national_holding(cell[1])
                found = shown[cell] = {k for k in keys if k not in hidden}
            return found

        for a in sorted(vec):
            with_a = published(a)
            code, year = a
            ya = year_ix[year]
            if moves is None or not alone[ya]:
                found = with_a  # b = None: the swap moves a's events out of every figure that holds a
                if not found:
                    return [], (a, None)
                cost = sum(map(weight, found))
                if best is None or cost < best[0]:
                    best = (cost, found, (a, None))
            for b in partners:
                if b in vec or (b[0] != code and b[1] != year) or b == a:
                    continue  # partners share the year or the municipality
                if moves is not None and b[1] != year and moves[ya][year_ix[b[1]]]:
                    continue
                change = with_a ^ published(b)
                if not change:  # the swap already changes nothing published: a is protected
                    return [], (a, b)
                cost = sum(map(weight, change))
                if best is None or cost < best[0]:  # exact: a tie keeps the first (a, b) in sorted order
                    best = (cost, change, (a, b))
        return (sorted(best[1], key=self._preferences.__getitem__), best[2]) if best else ([], None)

    def _national_holding(self, year: int) -> list[Key]:
        """The national figures that hold ``year``."""
        found = self._nat_holding.get(year)
        if found is None:
            found = self._nat_holding[year] = [(self.nat, f, la) for f, la in self.spans if f <= year <= la]
        return found

    def _refresh(self, i: int) -> None:
        self.null[i] = self._null(i)

    def _hide_all(self, keys: list[Key], vec: Vec, refresh: bool = True) -> None:
        """Hide ``keys``: a figure of a municipality whose own cells are in ``vec`` is hidden for its years,
        any other for its area."""
        own = {c for c, _ in vec}
        for key in keys:
            self._hide(key, YEARS if len(key[0]) == 1 and next(iter(key[0])) in own else AREA, refresh=False)
        if refresh:
            for i in {self._comp(k[0]) for k in keys if k[0] != self.nat}:
                self._refresh(i)

    def protect(self) -> None:
        """Before any check: give every small hidden cell a swap partner (the cheapest set of figures to hide
        so that moving events between the cell and its partner changes nothing published). A swap stays
        valid when more is hidden later, so each small cell is then safe on its own."""
        basis = self._basis(self._national())
        grams = [b.T @ b for b in self._blocks(self.null, basis)]
        total = sum(grams, np.zeros((basis.shape[1], basis.shape[1])))
        for i in sorted(self._touched()):
            free = self._others(total - grams[i], basis)
            swaps: list[tuple] = []
            small = [c for c in self.cell_list[i] if self.cells[c] < self.min and self._single(c) in self.hidden]
            for a in sorted(small, key=lambda c: (self.cells[c], c)):
                if any(a in swap for swap in swaps):
                    continue
                keys, swap = self._pattern({a: 1.0}, self.cell_list[i], free)
                if swap is not None:
                    self._hide_all(keys, {a: 1.0}, refresh=False)
                    swaps.append(swap)
                else:  # "Nederland" ties this component's year totals down: swap with another municipality
                    self._global_fix({a: 1.0}, refresh=False)

    @staticmethod
    def _single(cell: tuple[str, int]) -> Key:
        return (frozenset([cell[0]]), cell[1], cell[1])

    def run(self) -> None:
        national_keys = [k for k in self.content if k[0] == self.nat]
        dirty = [True] * len(self.comps)  # component changed since its last clean local pass
        seen: list[np.ndarray | None] = [None] * len(self.comps)  # the national freedom it was checked with
        while True:
            changed = False
            national = self._national()
            basis = self._basis(national)
            grams = [b.T @ b for b in self._blocks(self.null, basis)]
            total = sum(grams, np.zeros((basis.shape[1], basis.shape[1])))
            for i in sorted(self._touched()):
                free = self._others(total - grams[i], basis)
                if not dirty[i] and seen[i] is not None and _same_space(seen[i], free):
                    continue
                start = len(self.log)
                self._local_pass(i, free)
                dirty[i], seen[i] = False, free
                if len(self.log) == start:
                    continue
                changed = True
                others = {self._comp(k[0]) for k in self.log[start:] if k[0] != self.nat} - {i}
                if self._national() != national or others:
                    for j in others:
                        dirty[j] = True
                    if self._national() != national:
                        dirty = [True] * len(self.comps)
                    break  # a national figure or another component changed: start over
                block = self.null[i].T @ (self._ymap(i) @ basis)
                total = total - grams[i] + block.T @ block
                grams[i] = block.T @ block
            if changed:
                continue
            sens = self.sensitive(national_keys, (), pairs=False) + self._cross_pairs(grams, total)
            bad = [v for v, d in zip(sens, self.derivable(sens) if sens else [], strict=True) if d]
            if not bad:
                return
            start = len(self.log)
            if not self._global_fix(bad[0]):
                raise AssertionError("no swap protects a derivable vector")
            for key in self.log[start:]:
                if key[0] == self.nat:
                    dirty = [True] * len(self.comps)
                else:
                    dirty[self._comp(key[0])] = True

    @staticmethod
    def _robust(grams: list[np.ndarray]) -> bool:
        """Three disjoint groups of components whose Grams each have full rank: then removing any two
        components leaves the year totals fixed (no pair across components can be tied together)."""
        done, acc = 0, None
        for g in grams:
            if not g.any():
                continue
            acc = g.copy() if acc is None else acc + g
            if np.linalg.eigvalsh(acc)[0] > 1e-8 * max(1.0, float(np.trace(acc))):
                done, acc = done + 1, None
                if done == 3:
                    return True
        return False

    def _cross_pairs(self, grams: list[np.ndarray], total: np.ndarray) -> list[Vec]:
        """Pairs of hidden small cells of one period in two components, together below m, that the national
        figures could tie together (only when the other components leave the year totals some freedom)."""
        small = sorted(c for c in self.cells if self.cells[c] < self.min and self._single(c) in self.hidden)
        by_period: dict[int, list] = {}
        for c in small:
            by_period.setdefault(c[1], []).append(c)
        out: list[Vec] = []
        if not small or not total.size or self._robust(grams):
            return out
        free: dict[tuple[int, int], bool] = {}
        for group in by_period.values():
            for a, b in combinations(sorted(group), 2):
                i, j = self.comp_of[a[0]], self.comp_of[b[0]]
                if i == j or self.cells[a] + self.cells[b] >= self.min or not total.size:
                    continue
                pair = (min(i, j), max(i, j))
                if pair not in free:
                    rest = total - grams[i] - grams[j]
                    free[pair] = bool(np.linalg.eigvalsh(rest)[0] < 1e-8 * max(1.0, float(np.trace(rest))))
                if free[pair]:
                    out.append({a: 1.0, b: 1.0})
        return out
