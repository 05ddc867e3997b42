"""One-page council summary (bijlage bij een raadsinformatiebrief) as an A4 PDF, made with fpdf2.

``council_pdf(store, config, coalition_id, period, today, municipality_code)`` returns the PDF bytes;
``council_report(...)`` returns the same with what happened on the way (were the charts images, which
layout level was needed, how long it took).

What is on the page, top to bottom: title with the coalition's name, its member municipalities, the
period and the date it was made, the filters it was made with (coalition, period, peer group), the demo
warning when the database holds demo data (and then on every page the fictitious label in the top margin and a
light "FICTIEF" across it, ``core.exports.stamp_pdf``, and "FICTIEF" before the document title), the counts per
status; one or two "turn the curve" charts of
the goals that need attention most (PNG images rendered by kaleido with the local Chromium, never the
network); per ambition its status (symbol and word, never colour alone) and one-sentence reason, EVERY goal
and result with its status, latest figure and source (peildatum) or deadline, "wat is gedaan" (the latest
actions linked to the ambition's goals) and "wat komt" (planned actions from today on); the coalition-wide
actions; a legend.

One page, always: the page is composed at the most generous layout level first and measured; when it
overflows, the next level uses a smaller font, smaller or fewer charts, fewer actions and folds results
into "en N meer ..." lines. Goals are never folded (the council asks about every goal) unless even the
tightest level overflows; then the rest is cut with one "en N meer" line.

Charts: when kaleido or a Chrome/Chromium browser is missing, or rendering fails or hangs, the chart's
summary and numbers are printed instead, with a line saying the image could not be made
(``charts=False`` forces that path). One kaleido browser is started per process and reused (about 2 s for
the first image, about 0.3 s for each next one); MathJax is switched off and plotly.js comes from the plotly
package, so rendering needs no network.

Font: DejaVu Sans Condensed (regular and bold; Debian/Ubuntu package ``fonts-dejavu-core``, also looked
for in the usual Fedora, Arch, macOS and user font folders) so Dutch text and the status symbols print as
they are. Without it the PDF falls back to the PDF core font Helvetica in its WinAnsi (cp1252) encoding:
Dutch letters (ë, é), en dash and curly quotes still print, the status symbols are replaced by ASCII
equivalents and any other character outside cp1252 by its base letter or "?" (``unicode_font=False``
forces that path).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import datetime as dt
import math
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from fpdf import FPDF

from kansrijke.core import figures, fmt, palette
from kansrijke.core.config import Config
from kansrijke.core.errors import UserError
from kansrijke.core.exports import stamp_pdf
from kansrijke.core.i18n import t
from kansrijke.core.pdf import (  # noqa: F401 - FONT_DIRS, FONT_FILES, ASCII_SYMBOLS, LIGHT re-exported by the report
    ASCII_SYMBOLS,
    FAMILY,
    FONT_DIRS,
    FONT_FILES,
    GREY,
    INK,
    LIGHT,
    rgb,
    to_cp1252,
    unicode_font_files,
)
from kansrijke.core.store import Store
from kansrijke.plan import overview
from kansrijke.plan.charts import goal_chart, member_lines
from kansrijke.plan.overview import reference_day
from kansrijke.plan.progress import (
    AANDACHT,
    ACHTER,
    BEHAALD,
    GEEN_GEGEVENS,
    ONBEPAALD,
    OP_KOERS,
    SEVERITY,
    VERLOPEN,
    CoalitionProgress,
    GoalProgress,
    coalition_progress,
    status_legend,
)
from kansrijke.plan.text import (
    counts_text,
    goal_figure,
    goal_source,
    result_due,
    result_figure,
    status_label,
)


# -- chart images (kaleido) ------------------------------------------------------------------------------------
class ChartImageError(UserError):
    """A chart could not be turned into an image; the one message says why in Dutch."""


FIRST_IMAGE_TIMEOUT = 60.0  # seconds: starting Chromium
IMAGE_TIMEOUT = 30.0


def _browser_found() -> bool:
    """Is there a Chrome/Chromium kaleido can start (``BROWSER_PATH``, PATH, or kaleido's own download)?"""
    try:
        from choreographer.browsers.chromium import Chromium  # lazy: kaleido's browser finder, optional (text fallback)
    except ImportError:  # pragma: no cover - kaleido's own dependency
        return True  # let kaleido try
    try:
        path = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - best effort look-up
        return False
    return bool(path) and os.access(path, os.X_OK)


class _Renderer:
    """One Chromium kept open by kaleido on a private event-loop thread, shared by every report of the
    process (the first image about 2 s, each next one about 0.3 s). Unlike ``kaleido.start_sync_server``,
    a browser that fails to start raises here instead of leaving every request waiting forever, and each
    request has a timeout."""

    def __init__(self) -> None:
        import kaleido  # lazy: ~0.3 s and optional (charts fall back to text without it)

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="kansrijke-kaleido")
        self.thread.start()

        async def start() -> kaleido.Kaleido:
            browser = kaleido.Kaleido(n=1, timeout=IMAGE_TIMEOUT, mathjax=False)  # MathJax would come from a CDN
            await browser.__aenter__()
            return browser

        try:
            self.kaleido = self._run(start(), FIRST_IMAGE_TIMEOUT)
        except BaseException:
            self.loop.call_soon_threadsafe(self.loop.stop)
            raise
        atexit.register(self.close)

    def _run(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def png(self, figure, width: int, height: int, scale: float) -> bytes:
        opts = {"format": "png", "width": width, "height": height, "scale": scale}
        return self._run(self.kaleido.calc_fig(figure.to_dict(), opts=opts), IMAGE_TIMEOUT)

    def close(self) -> None:
        with contextlib.suppress(BaseException):
            self._run(self.kaleido.__aexit__(None, None, None), 10)
        self.loop.call_soon_threadsafe(self.loop.stop)


_RENDER_LOCK = threading.Lock()
_RENDERER: dict[str, object] = {"renderer": None, "broken": None}


def chart_png(figure, width: int, height: int, scale: float = 2.0) -> bytes:
    """A Plotly figure as PNG bytes, rendered by kaleido with the local Chrome/Chromium (never the network).

    Raises ``ChartImageError`` when kaleido or a browser is missing, the browser does not start, or rendering
    fails or takes too long. When the browser cannot be used, it is not tried again in this process."""
    with _RENDER_LOCK:
        if _RENDERER["broken"]:
            raise ChartImageError(str(_RENDERER["broken"]))
        if _RENDERER["renderer"] is None:
            try:
                import kaleido  # noqa: F401  # lazy: optional; a missing kaleido prints the chart as text
            except ImportError:
                _RENDERER["broken"] = t("report.chart_no_kaleido")
                raise ChartImageError(str(_RENDERER["broken"])) from None
            if not _browser_found():
                _RENDERER["broken"] = t("report.chart_no_browser")
                raise ChartImageError(str(_RENDERER["broken"]))
            try:
                _RENDERER["renderer"] = _Renderer()
            except concurrent.futures.TimeoutError:
                _RENDERER["broken"] = t("report.chart_timeout", seconds=int(FIRST_IMAGE_TIMEOUT))
                raise ChartImageError(str(_RENDERER["broken"])) from None
            except Exception as exc:  # noqa: BLE001 - any failure to start the browser
                _RENDERER["broken"] = t("report.chart_no_start", error=type(exc).__name__)
                raise ChartImageError(str(_RENDERER["broken"])) from None
        renderer: _Renderer = _RENDERER["renderer"]  # type: ignore[assignment]
        try:
            return renderer.png(figure, width, height, scale)
        except concurrent.futures.TimeoutError:
            raise ChartImageError(t("report.chart_timeout", seconds=int(IMAGE_TIMEOUT))) from None
        except Exception as exc:  # noqa: BLE001 - one figure that failed: say so, keep the PDF
            raise ChartImageError(t("report.chart_failed", error=type(exc).__name__)) from None


# -- the data on the page ---------------------------------------------------------------------------------------
class ReportError(UserError):
    """The report cannot be made (unknown coalition): one Dutch sentence."""


@dataclass
class ChartPart:
    goal: GoalProgress
    ambition_title: str
    summary: str
    table: pd.DataFrame
    png: bytes | None = None
    aspect: float = 1.75  # width / height of the image
    member: str | None = None  # the member municipality whose own line is drawn (regional coalitions)


@dataclass
class ActionLists:
    done: pd.DataFrame
    planned: pd.DataFrame


@dataclass
class Facts:
    progress: CoalitionProgress
    member_names: list[str]
    area_name: str
    peer_base: str | None
    peer_names: list[str]
    demo: bool
    made_on: dt.date
    charts: list[ChartPart]
    chart_note: str | None  # why the charts are text, when they are
    actions: dict[str | None, ActionLists]  # per ambition id; None = coalition-wide


@dataclass
class CouncilReport:
    pdf: bytes
    charts_as_images: bool
    chart_note: str | None
    level: int
    seconds: float
    pages: int = 1
    title: str = ""
    notes: list[str] = field(default_factory=list)


def _action_lists(actions: pd.DataFrame, today: dt.date, ambition_id: str | None) -> ActionLists:
    own = (
        actions[actions["ambition_id"].isna()]
        if ambition_id is None
        else actions[actions["ambition_id"] == ambition_id]
    )
    days = pd.to_datetime(own["action_date"]).dt.date
    done = own[own["status"].isin(["afgerond", "lopend"]) & (days <= today)]
    planned = own[(own["status"] == "gepland") & (days >= today)]
    return ActionLists(
        done.sort_values(["action_date", "id"], ascending=False), planned.sort_values(["action_date", "id"])
    )


def _chart_goals(state: CoalitionProgress, limit: int = 2) -> list[tuple[GoalProgress, str]]:
    """The goals to draw: with a figure, worst status first, from different ambitions when possible."""
    candidates = [
        (SEVERITY.index(g.status), a_pos, g_pos, g, a)
        for a_pos, a in enumerate(state.ambitions)
        for g_pos, g in enumerate(a.goals)
        if g.indicator is not None and g.latest and g.series is not None
    ]
    candidates.sort(key=lambda c: c[:3])
    chosen: list[tuple[GoalProgress, str]] = []
    used: set[str] = set()
    for *_, g, a in candidates:
        if a.id not in used and len(chosen) < limit:
            chosen.append((g, a.title))
            used.add(a.id)
    for *_, g, a in candidates:
        if len(chosen) < limit and all(g is not c[0] for c in chosen):
            chosen.append((g, a.title))
    return chosen


CHART_PIXELS = (640, 250)  # CSS pixels of the chart image (rendered at twice that)
PRINT_FONT = 19  # px in the image: about 7 pt at the chart's width on paper (92 mm)


def print_chart(fig):
    """A goal's chart made for paper, in place: larger type, dark text; no legend or band label inside the
    image (the caption under the charts explains lines and band; the label's text would also stretch the x
    axis); a label for every year (every other or fifth year when they would not fit) and margins that
    grow to fit the labels (``automargin``), so no year and no value is cut off."""
    fig.update_layout(
        width=CHART_PIXELS[0],
        height=CHART_PIXELS[1],
        font=dict(size=PRINT_FONT, color=palette.TEXT),
        showlegend=False,
        margin=dict(l=6, r=14, t=10, b=6),
    )
    fig.layout.annotations = ()
    low, high = fig.layout.xaxis.range or (None, None)
    if low is not None and high is not None:
        span = float(high) - float(low)
        step = 1 if span <= 8 else 2 if span <= 16 else 5
        first = math.ceil(float(low))
        fig.update_xaxes(tickmode="linear", tick0=first - first % step, dtick=step, tickformat="d")
    axis = dict(automargin=True, tickfont=dict(size=PRINT_FONT, color=palette.TEXT), color=palette.TEXT)
    fig.update_xaxes(ticks="outside", ticklen=4, tickcolor=palette.AXIS_LINE, showline=True, **axis)
    fig.update_yaxes(title_font=dict(size=PRINT_FONT - 2, color=palette.TEXT), nticks=5, **axis)
    return fig


def _chart_parts(
    store: Store,
    config: Config,
    state: CoalitionProgress,
    actions: pd.DataFrame,
    peer_codes: list[str],
    area_name: str,
    today: dt.date,
    images: bool,
    member: tuple[str, str] | None = None,
) -> tuple[list[ChartPart], str | None]:
    """The charts of the goals that need attention most; ``member`` (code, name): a member of a regional
    coalition whose own line is drawn beside the region's (held back where it would give away small counts)."""
    chosen = _chart_goals(state)
    if not chosen:
        return [], None
    ids = sorted({g.indicator.id for g, _ in chosen})
    nation = figures.national(store, config, ids)
    peers = figures.pooled(store, config, peer_codes, ids)
    code, name = member if member is not None else ("", None)
    own = member_lines(store, config, state, [g for g, _ in chosen], code, name)
    parts, note = [], None if images else t("report.chart_off")
    for goal, amb_title in chosen:
        ind = goal.indicator.id

        def upto(frame: pd.DataFrame | None) -> pd.DataFrame | None:
            return None if frame is None else frame[frame["period"] <= state.period].reset_index(drop=True)

        mine = actions[(actions["goal_id"] == goal.id) & (actions["status"] != "vervallen")]
        chart = goal_chart(
            goal,
            upto(nation.get(ind)),
            upto(peers.get(ind)),
            mine,
            today,
            area_name,
            height=CHART_PIXELS[1],
            member=own.get(goal.id),
        )
        part = ChartPart(goal, amb_title, chart.summary, chart.table, aspect=CHART_PIXELS[0] / CHART_PIXELS[1])
        part.member = own[goal.id][0] if goal.id in own else None
        if images and note is None:
            fig = print_chart(chart.figure)
            try:
                part.png = chart_png(fig, *CHART_PIXELS)
            except ChartImageError as exc:
                note = str(exc)
        parts.append(part)
    if note is not None:
        for part in parts:
            part.png = None
    return parts, note


def _facts(
    store: Store,
    config: Config,
    coalition_id: str,
    period: int | None,
    today: dt.date | None,
    municipality_code: str | None,
    charts: bool,
) -> Facts:
    today = today or reference_day(store)
    period = period or overview.report_period(store, config.periods.min_coverage, today)
    state = coalition_progress(store, config, coalition_id, period, today)
    coalition = overview.coalition(store, coalition_id)
    if state is None or coalition is None:
        raise ReportError(t("report.unknown_coalition", id=coalition_id))
    members = coalition.members
    names = list(members["name"])
    codes = list(members["code"])
    if municipality_code in codes:
        base = municipality_code
    elif len(members):
        base = str(members.sort_values(["population", "code"], ascending=[False, True]).iloc[0]["code"])
    else:
        base = None
    peer_codes = [c for c in figures.peers(store, config, base, period) if c not in codes] if base else []
    by_code = overview.municipalities(store).set_index("code")["name"]
    area_name = coalition.name if coalition.regional else (names[0] if names else coalition.name)
    actions = store.query("report_actions", {"coalition_id": coalition_id})
    lists = {a.id: _action_lists(actions, today, a.id) for a in state.ambitions}
    lists[None] = _action_lists(actions, today, None)
    member = (
        (municipality_code, by_code.get(municipality_code))
        if coalition.regional and municipality_code in codes
        else None
    )
    parts, note = _chart_parts(store, config, state, actions, peer_codes, area_name, today, charts, member)
    return Facts(
        state,
        names,
        area_name,
        by_code.get(base) if base else None,
        [by_code.get(c, c) for c in peer_codes],
        store.meta("demo") == "1",
        today,
        parts,
        note,
        lists,
    )


# -- composing the page -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Level:
    font: float  # body size in pt
    chart_count: int
    chart_height: float  # mm
    done: int  # actions per ambition
    planned: int
    max_results: int | None  # per ambition; None = all
    interval: bool  # show the 95% interval in the table
    peer_names: int | None  # names of peers listed; None = all


LEVELS = (
    Level(8.0, 2, 46, 3, 2, None, True, None),
    Level(7.6, 2, 44, 2, 2, None, True, None),
    Level(7.3, 2, 40, 2, 1, None, True, None),
    Level(7.0, 2, 36, 2, 1, None, False, 8),
    Level(6.8, 2, 32, 1, 1, None, False, 8),
    Level(6.6, 2, 30, 1, 1, 3, False, 8),
    Level(6.3, 1, 30, 1, 1, 2, False, 5),
    Level(6.0, 1, 28, 1, 1, 1, False, 3),
    Level(5.8, 0, 0, 1, 0, 0, False, 3),
)

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 12.0, 10.0, 10.0
COLS = (32.0, 73.0, 33.0, 48.0)  # status, item, figure, source / deadline (sum 186 mm)


# Never colour alone: on paper each status has a colour (the bar beside it) and a symbol before its word.
STATUS_COLOURS = {
    BEHAALD: "#009E73",
    OP_KOERS: "#56B4E9",
    AANDACHT: "#E69F00",
    ACHTER: "#D55E00",
    VERLOPEN: "#D55E00",
    ONBEPAALD: "#999999",
    GEEN_GEGEVENS: "#999999",
}


def status_meanings() -> str:
    """The status legend of the page: every status with its symbol, its word and what it means
    (``progress.status_legend``, the same sentences as on Overzicht)."""
    items = " ".join(t("report.status_legend_item", label=status_label(s), text=text) for s, text in status_legend())
    return t("report.status_legend", items=items)


def _n(count: int, key: str) -> str:
    """'1 doel' / '11 doelen'."""
    return t(f"report.{key}_{'one' if count == 1 else 'other'}", count=count)


class _Page:
    """One attempt at the page with one layout level; ``fits`` tells whether everything landed on it."""

    def __init__(self, facts: Facts, level: Level, fonts: tuple[Path, Path] | None, clip: bool = False):
        self.f, self.lv, self.clip = facts, level, clip
        self.unicode = fonts is not None
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        pdf.set_auto_page_break(False)
        pdf.c_margin = 0.6
        if fonts:
            pdf.add_font(FAMILY, "", str(fonts[0]))
            pdf.add_font(FAMILY, "B", str(fonts[1]))
            self.family = FAMILY
        else:
            pdf.core_fonts_encoding = "cp1252"
            self.family = "helvetica"
        self.pdf = pdf
        self.width = pdf.w - 2 * MARGIN_X
        self.limit = pdf.h - MARGIN_BOTTOM
        self.clipped = 0
        self.images = 0

    # helpers ---------------------------------------------------------------
    def txt(self, text: object) -> str:
        text = "" if text is None else str(text)
        return text if self.unicode else to_cp1252(text)

    def font(self, delta: float = 0.0, bold: bool = False, colour: tuple[int, int, int] = INK) -> float:
        size = self.lv.font + delta
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_text_color(*colour)
        return size * 0.3528 * 1.22  # line height in mm

    def para(
        self,
        text: str,
        delta: float = 0.0,
        bold: bool = False,
        colour=INK,
        w: float | None = None,
        x: float | None = None,
    ) -> None:
        lh = self.font(delta, bold, colour)
        if x is not None:
            self.pdf.set_x(x)
        self.pdf.multi_cell(w or self.width, lh, self.txt(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def lines(self, w: float, text: str, lh: float) -> int:
        return len(self.pdf.multi_cell(w, lh, self.txt(text), dry_run=True, output="LINES", align="L")) or 1

    def labelled(self, label: str, text: str, delta: float = -0.5) -> None:
        """'Wat is gedaan: ...' with the label in bold, flowing over lines."""
        lh = self.font(delta, True)
        self.pdf.set_x(MARGIN_X)
        self.pdf.write(lh, self.txt(label + " "))
        self.font(delta)
        self.pdf.write(lh, self.txt(text))
        self.pdf.ln(lh)

    def gap(self, mm: float) -> None:
        self.pdf.set_y(self.pdf.get_y() + mm)

    def room(self) -> float:
        return self.limit - self.pdf.get_y()

    # parts -------------------------------------------------------------------
    def header(self) -> None:
        f, p = self.f, self.f.progress
        self.para(t("report.kicker"), delta=-0.5, bold=True, colour=GREY)
        self.para(t("report.title", name=p.name), delta=5, bold=True)
        self.gap(0.6)
        key = "report.members_one" if len(f.member_names) == 1 else "report.members"
        self.para(t(key, names=", ".join(f.member_names), count=len(f.member_names)), delta=0.5)
        self.para(t("report.period_line", period=p.period, date=fmt.date(f.made_on)), delta=0.5)
        names = f.peer_names if self.lv.peer_names is None else f.peer_names[: self.lv.peer_names]
        listed = ", ".join(names)
        if len(names) < len(f.peer_names):
            listed += " " + t("report.more", count=len(f.peer_names) - len(names))
        peers = (
            t("report.peers", count=len(f.peer_names), name=f.peer_base, names=listed)
            if f.peer_names
            else t("report.peers_none")
        )
        self.para(t("report.filters", coalition=p.coalition_id, period=p.period, peers=peers), delta=-1, colour=GREY)
        if f.demo:
            self.gap(0.8)
            lh = self.font(0.5, True, (120, 60, 0))
            self.pdf.set_fill_color(255, 240, 214)
            self.pdf.set_draw_color(230, 159, 0)
            self.pdf.multi_cell(
                self.width,
                lh + 1.2,
                self.txt(t("report.demo_warning")),
                border=1,
                fill=True,
                align="L",
                new_x="LMARGIN",
                new_y="NEXT",
                padding=(0.4, 1.5),
            )
        self.gap(0.8)
        counts = p.counts()
        n_goals = sum(len(a.goals) for a in p.ambitions)
        n_results = sum(len(a.results) for a in p.ambitions)
        self.para(
            t(
                "report.totals",
                ambitions=_n(len(p.ambitions), "ambitions"),
                goals=_n(n_goals, "goals"),
                results=_n(n_results, "results"),
                counts=counts_text(counts) or "–",
            ),
            bold=True,
        )

    def charts(self) -> None:
        parts = self.f.charts[: self.lv.chart_count]
        if not parts:
            return
        self.gap(1.2)
        col_gap = 4.0
        col_w = (self.width - col_gap) / 2
        top = self.pdf.get_y()
        bottoms = []
        for i, part in enumerate(parts):
            x = MARGIN_X + i * (col_w + col_gap)
            self.pdf.set_xy(x, top)
            goal = part.goal
            self.para(f"{goal.title} ({status_label(goal.status)})", delta=-0.3, bold=True, w=col_w, x=x)
            self.pdf.set_x(x)
            self.para(part.ambition_title, delta=-1.3, colour=GREY, w=col_w, x=x)
            self.gap(0.4)
            if part.png is not None:
                h = self.lv.chart_height
                w = min(col_w, h * part.aspect)
                self.pdf.image(
                    part.png,
                    x=x,
                    y=self.pdf.get_y(),
                    w=w,
                    h=w / part.aspect,
                    alt_text=self.txt(part.summary),
                    title=self.txt(goal.title),
                )
                self.images += 1
                self.pdf.set_y(self.pdf.get_y() + w / part.aspect + 0.4)
            else:
                self.chart_text(part, x, col_w)
            self.para(t("report.chart_source", source=goal_source(goal)), delta=-1.5, colour=GREY, w=col_w, x=x)
            bottoms.append(self.pdf.get_y())
        self.pdf.set_xy(MARGIN_X, max(bottoms))
        if self.f.chart_note:
            self.para(t("report.chart_note", reason=self.f.chart_note), delta=-1, colour=GREY)
        if any(part.png is not None for part in parts):
            legend = t("report.chart_legend")
            named = next((part.member for part in parts if part.member), None)
            if named:
                legend += " " + t("report.chart_legend_member", name=named)
            self.para(legend, delta=-1.5, colour=GREY)

    def chart_text(self, part: ChartPart, x: float, w: float) -> None:
        """The chart as words and numbers, when it could not be an image."""
        self.para(t("report.chart_unavailable"), delta=-1, bold=True, w=w, x=x)
        self.para(part.summary, delta=-1, w=w, x=x)
        table = part.table.tail(4)
        if not table.empty:
            rows = [
                t(
                    "report.chart_row",
                    year=row[t("chart.col_year")],
                    value=row[t("chart.col_value")],
                    path=row[t("chart.goal_path")],
                    national=row[t("chart.col_national")],
                )
                for _, row in table.iterrows()
            ]
            self.para("\n".join(rows), delta=-1.5, colour=GREY, w=w, x=x)

    def table_header(self) -> None:
        self.gap(1.2)
        lh = self.font(-1, True, GREY)
        x = MARGIN_X
        for width, key in zip(COLS, ("col_status", "col_item", "col_figure", "col_source"), strict=True):
            self.pdf.set_xy(x, self.pdf.get_y())
            self.pdf.cell(width, lh, self.txt(t(f"report.{key}")))
            x += width
        self.pdf.ln(lh)
        self.pdf.set_draw_color(180, 180, 180)
        self.pdf.line(MARGIN_X, self.pdf.get_y(), MARGIN_X + self.width, self.pdf.get_y())

    def ambition(self, amb, reserve: float) -> None:
        lh = self.font(0.5, True)
        self.gap(1.0)
        y = self.pdf.get_y()
        text = f"{status_label(amb.status)}  ·  {amb.title}"
        height = self.lines(self.width - 3, text, lh) * lh + 1.0
        self.pdf.set_fill_color(*LIGHT)
        self.pdf.rect(MARGIN_X, y, self.width, height, style="F")
        self.pdf.set_fill_color(*rgb(STATUS_COLOURS[amb.status]))
        self.pdf.rect(MARGIN_X, y, 1.6, height, style="F")
        self.pdf.set_xy(MARGIN_X + 2.6, y + 0.5)
        self.pdf.multi_cell(self.width - 3, lh, self.txt(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_y(y + height + 0.3)
        self.para(amb.reason, delta=-0.5, colour=GREY)
        rows = [
            (g.status, t("report.goal", title=g.title), goal_figure(g, self.lv.interval), goal_source(g))
            for g in amb.goals
        ]
        results = list(amb.results)
        limit = self.lv.max_results
        shown = results if limit is None else sorted(results, key=lambda r: SEVERITY.index(r.status))[:limit]
        shown_ids = {id(r) for r in shown}
        rows += [
            (r.status, t("report.result", title=r.title), result_figure(r), result_due(r))
            for r in results
            if id(r) in shown_ids
        ]
        hidden = [r for r in results if id(r) not in shown_ids]
        for i, row in enumerate(rows):
            if self.clip and self.room() - reserve < self.row_height(row):
                self.clipped += len(rows) - i + len(hidden)
                return
            self.row(*row)
        if hidden:
            counts: dict[str, int] = {}
            for r in hidden:
                counts[r.status] = counts.get(r.status, 0) + 1
            ordered = {s: counts[s] for s in SEVERITY if s in counts}
            self.para(
                t("report.more_results", count=len(hidden), counts=counts_text(ordered)),
                delta=-1,
                colour=GREY,
                x=MARGIN_X + COLS[0],
                w=self.width - COLS[0],
            )
        self.actions(self.f.actions[amb.id])

    def row_height(self, row: tuple[str, str, str, str]) -> float:
        lh = self.font(-0.5)
        texts = (status_label(row[0]), *row[1:])
        return max(self.lines(w - 1.2, s, lh) for w, s in zip(COLS, texts, strict=True)) * lh + 0.6

    def row(self, status: str, item: str, figure: str, source: str) -> None:
        height = self.row_height((status, item, figure, source))
        lh = self.font(-0.5)
        y = self.pdf.get_y()
        self.pdf.set_fill_color(*rgb(STATUS_COLOURS[status]))
        self.pdf.rect(MARGIN_X, y + 0.6, 1.1, lh - 0.6, style="F")
        x = MARGIN_X
        for i, (width, text) in enumerate(zip(COLS, (status_label(status), item, figure, source), strict=True)):
            self.font(-0.5, bold=i == 0, colour=GREY if i == 3 else INK)
            self.pdf.set_xy(x + (1.6 if i == 0 else 0), y + 0.3)
            self.pdf.multi_cell(
                width - 1.2 - (1.6 if i == 0 else 0), lh, self.txt(text), align="L", new_x="RIGHT", new_y="TOP"
            )
            x += width
        self.pdf.set_draw_color(225, 225, 225)
        self.pdf.line(MARGIN_X, y + height, MARGIN_X + self.width, y + height)
        self.pdf.set_xy(MARGIN_X, y + height)

    def action_text(self, frame: pd.DataFrame, limit: int, kind: str) -> str:
        """'Title (date); Title (date) (en 9 eerder).' for kind 'done', '... (en 2 later).' for 'next'."""
        if frame.empty:
            return t(f"report.none_{kind}")
        if limit <= 0:
            return t("report.more_actions", count=len(frame))
        items = [t("report.action", date=fmt.day(r.action_date), title=r.title) for r in frame.head(limit).itertuples()]
        text = "; ".join(items)
        if len(frame) > limit:
            text += " " + t(f"report.more_{kind}", count=len(frame) - limit)
        return text + "."

    def actions(self, lists: ActionLists) -> None:
        self.gap(0.5)
        self.labelled(t("report.done"), self.action_text(lists.done, self.lv.done, "done"))
        self.labelled(t("report.next"), self.action_text(lists.planned, self.lv.planned, "next"))

    def general(self) -> None:
        lists = self.f.actions[None]
        if lists.done.empty and lists.planned.empty:
            return
        self.gap(1.0)
        self.para(t("report.general"), delta=0.5, bold=True)
        self.actions(lists)

    def footer(self) -> None:
        self.gap(1.5)
        self.pdf.set_draw_color(180, 180, 180)
        self.pdf.line(MARGIN_X, self.pdf.get_y(), MARGIN_X + self.width, self.pdf.get_y())
        self.gap(0.5)
        self.para(t("report.legend"), delta=-1.5, colour=GREY)
        self.para(status_meanings(), delta=-1.5, colour=GREY)
        self.para(t("report.footer"), delta=-1.5, colour=GREY)

    def footer_height(self) -> float:
        lh = (self.lv.font - 1.5) * 0.3528 * 1.22
        self.font(-1.5)
        texts = (t("report.legend"), status_meanings(), t("report.footer"))
        return 2.0 + sum(self.lines(self.width, text, lh) for text in texts) * lh

    def build(self) -> FPDF:
        p = self.f.progress
        self.pdf.add_page()
        self.header()
        self.charts()
        if not p.ambitions:
            self.gap(1.5)
            self.para(t("report.no_ambitions"))
        else:
            self.table_header()
        reserve = self.footer_height() + 4 * self.lv.font * 0.3528 * 1.22
        for amb in p.ambitions:
            if self.clip and self.clipped:
                self.clipped += len(amb.goals) + len(amb.results)
                continue
            self.ambition(amb, reserve)
        if self.clipped:
            self.para(t("report.clipped", count=self.clipped), delta=-0.5, bold=True)
        else:
            self.general()
        self.footer()
        return self.pdf

    @property
    def fits(self) -> bool:
        return self.pdf.get_y() <= self.limit + 0.01 and self.pdf.pages_count == 1


def _metadata(pdf: FPDF, facts: Facts) -> str:
    p = facts.progress
    title = t("report.pdf_title", name=p.name, period=p.period)
    if facts.demo:
        title = f"{t('demo_label.watermark')}: {title}"
    pdf.set_title(title)
    pdf.set_lang("nl-NL")
    pdf.set_subject(t("report.pdf_subject", name=p.name, period=p.period, date=fmt.date(facts.made_on)))
    pdf.set_author(t("report.pdf_author"))
    pdf.set_creator(t("report.pdf_author"))
    pdf.set_keywords(t("report.pdf_keywords"))
    pdf.set_creation_date(dt.datetime.now(dt.UTC))
    pdf.set_display_mode(zoom="fullpage")
    return title


def compose(facts: Facts, unicode_font: bool = True) -> tuple[FPDF, int, str]:
    """The page at the first layout level that fits (the tightest one, cut with "en N meer", otherwise)."""
    fonts = unicode_font_files() if unicode_font else None

    def attempt(number: int) -> _Page | None:
        page = _Page(facts, LEVELS[number], fonts)
        page.build()
        return page if page.fits else None

    # Each level is tighter than the one before: find the first that fits by bisection (3 builds, not 8).
    low, high, best = 0, len(LEVELS) - 1, None
    while low <= high:
        mid = (low + high) // 2
        page = attempt(mid)
        if page is not None:
            best, high = (mid, page), mid - 1
        else:
            low = mid + 1
    if best is None:
        number, page = len(LEVELS), _Page(facts, LEVELS[-1], fonts, clip=True)
        page.build()
    else:
        number, page = best
    if facts.demo:  # after the page is measured: the stamp sits in the margin and behind the text
        stamp_pdf(page.pdf, page.family, page.txt)
    title = _metadata(page.pdf, facts)
    return page.pdf, number, title


def council_report(
    store: Store,
    config: Config,
    coalition_id: str,
    period: int | None = None,
    today: dt.date | None = None,
    municipality_code: str | None = None,
    *,
    charts: bool = True,
    unicode_font: bool = True,
) -> CouncilReport:
    """The council summary PDF with what it took to make it. ``period`` None = the latest period with data;
    ``today`` None = ``reference_day(store)``; ``municipality_code`` (a member) chooses whose peers are the
    comparison group (default: the largest member). Raises ``ReportError`` for an unknown coalition."""
    started = time.perf_counter()
    facts = _facts(store, config, coalition_id, period, today, municipality_code, charts)
    pdf, level, title = compose(facts, unicode_font)
    data = bytes(pdf.output())
    images = bool(facts.charts) and all(part.png is not None for part in facts.charts)
    notes = [] if level < len(LEVELS) else [t("report.clipped_note")]
    return CouncilReport(
        data, images, facts.chart_note, level, time.perf_counter() - started, pdf.pages_count, title, notes
    )


def council_pdf(
    store: Store,
    config: Config,
    coalition_id: str,
    period: int | None = None,
    today: dt.date | None = None,
    municipality_code: str | None = None,
    *,
    charts: bool = True,
    unicode_font: bool = True,
) -> bytes:
    """A one-page A4 PDF summary of a coalition's progress for the municipal council (see module docstring)."""
    return council_report(
        store, config, coalition_id, period, today, municipality_code, charts=charts, unicode_font=unicode_font
    ).pdf
