"""One home for how charts look: colours, font, the base layout every figure starts from, the year and value
axes, heat-map colours with readable cell text, and the plotly.js config the web layer passes on.

Contrast (WCAG 2.1 AA, checked in ``tests/core/test_palette.py`` and in Chromium by
``tests/web/test_browser_charts.py``): every chart text is dark (``TEXT``) on white and reaches 4,5:1; every
line, marker and area colour reaches 3:1 against the white plot, or has a contrasting outline. The hues are
Okabe–Ito (safe for colour-blind readers), darkened where the original is too light on white (orange
#E69F00 2,25:1, sky blue #56B4E9 2,31:1, reddish purple #CC79A7 3,06:1); every series also keeps its own
marker and line dash, so colour is never the only cue.

Every figure carries its own ``TEMPLATE`` and explicit colours: Streamlit sets its own template as Plotly's
default on import, and its "streamlit" theme would override the colours (``web.figure`` passes ``theme=None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import plotly.graph_objects as go
from babel.dates import get_day_names, get_month_names

from kansrijke.core.i18n import t

FONT = "Source Sans Pro, Arial, sans-serif"

# Text and frame
TEXT = "#1a1a1a"  # 17,4:1 on white
TEXT_MUTED = "#404040"  # 10,4:1 on white: annotations ("vandaag", the lag band's label)
BACKGROUND = "#ffffff"
GRID = "#e6e6e6"  # light: a guide, not information
AXIS_LINE = "#767676"  # 4,5:1 on white
WHITE = "#ffffff"
BLACK = "#1a1a1a"

# Series (Okabe–Ito hues; contrast on white in brackets)
BLUE = "#0072B2"  # blue (5,2:1)
ORANGE = "#A65E00"  # orange, darkened from #E69F00 (5,0:1)
VERMILION = "#D55E00"  # vermilion (3,9:1)
GREEN = "#009E73"  # bluish green (3,4:1)
SKY = "#3B8FC7"  # sky blue, darkened from #56B4E9 (3,5:1)
PURPLE = "#B3588A"  # reddish purple, darkened from #CC79A7 (4,5:1)
GREY = "#595959"  # (7,0:1)
MID_GREY = "#767676"  # (4,5:1)
YELLOW = "#F0E442"  # only with a dark outline (the highlighted municipality's star)
BAND = "rgba(0,114,178,0.15)"  # an interval band: the line on it carries the data, the band is a guide
LAG_BAND = "rgba(120,120,120,0.12)"

# Heat maps: light cells with a dark outline. Counts: white = none, then light to mid blue; the gaps between
# cells show HEAT_GAP, dark enough to outline every cell (>= 3:1), and dark text (``TEXT``) reads on every cell
# (>= 5,7:1). Positions (better/worse than Nederland): light vermilion - near white - light blue, dark text.
HEAT_GAP = "#404040"
HEAT_SCALE = [[0.0, "#ffffff"], [1e-9, "#deebf7"], [1.0, "#4f9bd0"]]
DIVERGING_SCALE = [[0.0, "#DD7A3F"], [0.25, "#EAB896"], [0.5, "#F7F7F7"], [0.75, "#A3C9E4"], [1.0, "#4f9bd0"]]
NO_DATA = "#d0d0d0"  # a heat-map cell without a published figure (its hover and the table say why)


# -- contrast ------------------------------------------------------------------------------------------------------
def rgb(colour: str) -> tuple[int, int, int]:
    """'#0072B2' or 'rgb(0, 114, 178)' as (0, 114, 178)."""
    colour = colour.strip()
    if colour.startswith("#"):
        value = colour[1:]
        if len(value) == 3:
            value = "".join(c * 2 for c in value)
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    inside = colour[colour.index("(") + 1 : colour.index(")")]
    r, g, b = (int(float(v)) for v in inside.split(",")[:3])
    return r, g, b


def luminance(colour: str) -> float:
    """WCAG relative luminance."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: str) -> str:
    """The text colour (``TEXT`` or white) with the higher contrast on ``fill``."""
    return TEXT if contrast(TEXT, fill) >= contrast(WHITE, fill) else WHITE


def scale_colour(scale: Sequence[Sequence], share: float) -> str:
    """The colour of a Plotly colour scale at ``share`` (0-1), interpolated in RGB as plotly.js does."""
    share = min(max(float(share), 0.0), 1.0)
    for (x0, c0), (x1, c1) in zip(scale, scale[1:], strict=False):
        if share <= x1:
            f = 0.0 if x1 == x0 else (share - x0) / (x1 - x0)
            a, b = rgb(c0), rgb(c1)
            return "#{:02x}{:02x}{:02x}".format(*(round(p + (q - p) * f) for p, q in zip(a, b, strict=True)))
    return "#{:02x}{:02x}{:02x}".format(*rgb(scale[-1][1]))


# -- layout --------------------------------------------------------------------------------------------------------
def _axis() -> dict:
    return dict(
        color=TEXT,
        tickfont=dict(color=TEXT),
        title=dict(font=dict(color=TEXT)),
        linecolor=AXIS_LINE,
        gridcolor=GRID,
        zerolinecolor=GRID,
        automargin=True,
    )


TEMPLATE = go.layout.Template(
    layout=dict(
        font=dict(family=FONT, size=13, color=TEXT),
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        colorway=[BLUE, ORANGE, GREEN, PURPLE, VERMILION, SKY, GREY],
        xaxis=_axis(),
        yaxis=_axis(),
        legend=dict(font=dict(color=TEXT), bgcolor="rgba(255,255,255,0)"),
        hoverlabel=dict(font=dict(family=FONT, color=TEXT), bgcolor=BACKGROUND, bordercolor=AXIS_LINE),
        annotationdefaults=dict(font=dict(color=TEXT_MUTED)),
        separators=",.",
    )
)


def base_layout(
    fig: go.Figure,
    height: int | None,
    *,
    margin: dict | None = None,
    hovermode: str | bool = "closest",
    font_size: int = 13,
) -> None:
    """The layout every chart starts from: the project's template, white backgrounds, dark text on every
    axis and in the legend (above the plot), light grid, decimal comma (nl-NL)."""
    fig.update_layout(
        template=TEMPLATE,
        height=height,
        margin=margin or dict(l=8, r=8, t=8, b=8),
        font=dict(family=FONT, size=font_size, color=TEXT),
        plot_bgcolor=BACKGROUND,
        paper_bgcolor=BACKGROUND,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, font=dict(color=TEXT)),
        hovermode=hovermode,
        separators=",.",
    )
    fig.update_xaxes(color=TEXT, tickfont_color=TEXT, title_font_color=TEXT, linecolor=AXIS_LINE, automargin=True)
    fig.update_yaxes(color=TEXT, tickfont_color=TEXT, title_font_color=TEXT, linecolor=AXIS_LINE, automargin=True)


def year_axis(fig: go.Figure, first: float, last: float, **axis: object) -> None:
    """An x-axis of whole years: integer labels ("2019", never "2019.5"), every year while the span is
    small (up to 12 years), every other year beyond that."""
    span = float(last) - float(first)
    fig.update_xaxes(tickmode="linear", tick0=int(first), dtick=1 if span <= 12 else 2, tickformat="d", **axis)


def value_range(values: Iterable[object], pad: float = 0.12, min_span: float | None = None) -> list[float] | None:
    """A y range that follows the data (not forced to 0, so a change from 10,9 to 10,3 shows): from the
    lowest to the highest value with ``pad`` of the span on either side, and at least ``min_span`` wide
    (default: 4% of the largest absolute value, so noise around a flat line is not blown up); None
    without values."""
    numbers = []
    for v in values:
        try:
            f = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if f == f:  # not NaN
            numbers.append(f)
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    least = min_span if min_span is not None else max(0.04 * max(abs(low), abs(high)), 1e-6)
    if high - low < least:
        middle = (low + high) / 2
        low, high = middle - least / 2, middle + least / 2
    room = (high - low) * pad
    low, high = low - room, high + room
    if min(numbers) >= 0 > low:  # never below zero for values that cannot be negative
        low = 0.0
    return [low, high]


# -- plotly.js config ----------------------------------------------------------------------------------------------
def plotly_locale() -> dict:
    """plotly.js's Dutch locale (registered through ``config.locales``): the few interface strings a chart
    still shows, and nl-NL number and date formats (decimal comma, Dutch day and month names)."""
    dictionary = {
        "Download plot as a PNG": t("chart.plotly.download_png"),  # plotly.js 3
        "Download plot as a png": t("chart.plotly.download_png"),  # plotly.js 2
        "Download plot": t("chart.plotly.download"),
        "Taking snapshot - this may take a few seconds": t("chart.plotly.snapshot_busy"),
        "Snapshot succeeded": t("chart.plotly.snapshot_done"),
        "Sorry, there was a problem downloading your snapshot!": t("chart.plotly.snapshot_failed"),
        "Double-click to zoom back out": t("chart.plotly.zoom_back"),
        "Double-click on legend to isolate one trace": t("chart.plotly.legend_isolate"),
        "trace": t("chart.plotly.trace"),
    }
    days = get_day_names("wide", locale="nl_NL")
    short_days = get_day_names("abbreviated", locale="nl_NL")
    months = get_month_names("wide", locale="nl_NL")
    short_months = get_month_names("abbreviated", locale="nl_NL")
    order = [6, 0, 1, 2, 3, 4, 5]  # plotly.js starts the week on Sunday, Babel on Monday
    return {
        "dictionary": dictionary,
        "format": {
            "days": [str(days[i]) for i in order],
            "shortDays": [str(short_days[i]).rstrip(".") for i in order],
            "months": [str(months[i]) for i in range(1, 13)],
            "shortMonths": [str(short_months[i]).rstrip(".") for i in range(1, 13)],
            "date": "%d-%m-%Y",
            "decimal": ",",
            "thousands": ".",
        },
    }


def plotly_config(filename: str = "grafiek", **extra: object) -> dict:
    """The config every chart on a page gets: the Dutch locale, and of the mode bar only "download as image"
    (one tab stop instead of eight, named in Dutch)."""
    return {
        "locale": "nl",
        "locales": {"nl": plotly_locale()},
        "displaylogo": False,
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        **extra,
    }


# -- checking a figure ---------------------------------------------------------------------------------------------
def _solid(colour: object) -> str | None:
    """A plain colour (hex or rgb()) or None for a translucent, array or missing one (not checked here)."""
    if not isinstance(colour, str):
        return None
    if colour.startswith("rgba"):
        return colour if colour.replace(" ", "").endswith(",1)") else None
    return colour if colour.startswith(("#", "rgb(")) else None


def contrast_problems(fig: go.Figure) -> list[str]:
    """What in ``fig`` misses WCAG 2.1 AA contrast, as readable lines (empty: none): every text colour the
    figure sets (layout, axes, legend, annotations, text in traces) against the paper, >= 4,5:1; every line
    and marker colour against the plot background, >= 3:1 unless the marker has an outline that reaches it;
    heat-map text against every colour of its scale, >= 4,5:1. Hover labels are exempt."""
    layout = fig.layout
    paper = _solid(layout.paper_bgcolor) or BACKGROUND
    plot = _solid(layout.plot_bgcolor) or BACKGROUND
    problems = []

    def text(where: str, colour: object, behind: str = paper) -> None:
        c = _solid(colour)
        if c is not None and contrast(c, behind) < 4.5:
            problems.append(f"{where}: text {c} on {behind} = {contrast(c, behind):.2f}:1")

    text("font", layout.font.color)
    text("legend", layout.legend.font.color)
    for name in ("xaxis", "yaxis"):
        axis = layout[name]
        if axis is not None:
            text(f"{name} ticks", axis.tickfont.color)
            text(f"{name} title", axis.title.font.color)
    for note in layout.annotations:
        text(f"annotation {note.text!r}", note.font.color)
    for i, trace in enumerate(fig.data):
        kind = trace.type
        where = f"trace {i} ({trace.name or kind})"
        if kind == "heatmap":
            ink = _solid(trace.textfont.color) or TEXT
            scale = [[x, c] for x, c in trace.colorscale] if trace.colorscale else []
            for _, c in scale:
                text(f"{where} cell", ink, _solid(c) or BACKGROUND)
            continue
        if kind not in ("scatter", "bar"):
            continue
        if kind == "scatter" and trace.textfont is not None:
            text(f"{where} text", trace.textfont.color)
        marker = trace.marker
        outline = _solid(marker.line.color) if marker is not None and marker.line is not None else None
        width = marker.line.width if marker is not None and marker.line is not None else None
        outlined = outline is not None and (width or 0) >= 1 and contrast(outline, plot) >= 3
        colours = []
        if (
            kind == "scatter"
            and trace.line is not None
            and (trace.line.width or 2) > 0
            and trace.fill in (None, "none")
        ):
            mode = trace.mode or "lines"
            if "lines" in mode:
                colours.append(("line", _solid(trace.line.color)))
        if marker is not None and (kind == "bar" or "markers" in (trace.mode or "")):
            colours.append(("marker", _solid(marker.color)))
        for part, c in colours:
            if c is not None and contrast(c, plot) < 3 and not (part == "marker" and outlined):
                problems.append(f"{where} {part}: {c} on {plot} = {contrast(c, plot):.2f}:1")
    return problems
