"""The council PDF's charts and legend on paper (issue 14): the chart images have a label for every (other) year
under the x-axis, value labels that are not cut off at the left, dark type large enough to read at print size,
and the page explains what each status means."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from kansrijke import report
from kansrijke.core import palette
from kansrijke.core.store import Store
from kansrijke.demo.build import DEMO_TODAY
from kansrijke.plan import charts, progress
from kansrijke.report import council

AMSTERDAM = "KS-GM0363"


@pytest.fixture(scope="module")
def printed(demo_db, config):
    """The goal charts of Amsterdam made for paper, as the report hands them to kaleido."""
    store = Store.open(demo_db)
    found = charts.goal_charts(store, config, AMSTERDAM, 2024, DEMO_TODAY, "GM0363", "Amsterdam")
    return [council.print_chart(chart.figure) for chart in found.values()]


def test_the_figure_for_paper_has_year_labels_margins_that_grow_and_dark_type(printed):
    for fig in printed:
        x, y = fig.layout.xaxis, fig.layout.yaxis
        first, last = x.range
        assert x.tickformat == "d" and x.tickmode == "linear" and float(x.tick0).is_integer()
        assert x.dtick == (1 if last - first <= 8 else 2 if last - first <= 16 else 5)
        assert x.automargin and y.automargin  # labels never cut off by the small margins
        assert x.tickfont.size >= 18 and y.tickfont.size >= 18  # about 7 pt at the chart's width on paper
        assert x.tickfont.color == y.tickfont.color == palette.TEXT
        assert fig.layout.showlegend is False and fig.layout.annotations == ()
        assert (fig.layout.width, fig.layout.height) == council.CHART_PIXELS
        assert palette.contrast_problems(fig) == []


def test_the_printed_image_has_year_labels_and_nothing_cut_off_at_its_edges(printed):
    Image = pytest.importorskip("PIL.Image")
    try:
        png = council.chart_png(printed[0], *council.CHART_PIXELS)
    except council.ChartImageError as exc:  # no kaleido or no browser: the report prints numbers instead
        pytest.skip(str(exc))
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    assert (width, height) == (council.CHART_PIXELS[0] * 2, council.CHART_PIXELS[1] * 2)

    def dark(box) -> int:
        return sum(1 for v in image.crop(box).getdata() if v < 90)

    assert dark((0, 0, 3, height)) == 0  # no value label cut at the left edge
    assert dark((0, height - 3, width, height)) == 0  # no year label cut at the bottom edge
    assert dark((width // 4, height - height // 7, width, height - 3)) > 200  # the year labels are there


def test_the_page_explains_every_status(demo_db, config):
    pdf = report.council_pdf(Store.open(demo_db), config, AMSTERDAM, 2024, DEMO_TODAY, municipality_code="GM0363")
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    for status, meaning in progress.status_legend():
        assert re.sub(r"\s+", "", f"{report.STATUS_SYMBOLS[status]} {status}: {meaning}") in text, status
