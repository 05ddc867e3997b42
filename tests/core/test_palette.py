"""The chart palette (``core.palette``) as a reader with low vision or colour blindness meets it: dark text on
white (>= 4,5:1), series colours that stand out from the white plot (>= 3:1), heat-map counts readable on every
cell and every cell outlined; y ranges that show a change instead of starting at 0; and plotly.js told to
speak Dutch with one download button."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from kansrijke.core import palette
from kansrijke.core.i18n import t


def test_contrast_matches_the_audit():
    assert palette.contrast("#808495", "#ffffff") == pytest.approx(3.72, abs=0.01)  # Streamlit's axis grey
    assert palette.contrast("#E69F00", "#ffffff") == pytest.approx(2.25, abs=0.01)  # the old "Nederland"
    assert palette.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert palette.contrast("rgb(26, 26, 26)", "#1a1a1a") == pytest.approx(1.0)


def test_text_is_dark_and_every_series_colour_stands_out_from_white():
    for colour in (palette.TEXT, palette.TEXT_MUTED, palette.AXIS_LINE, palette.GREY, palette.MID_GREY):
        assert palette.contrast(colour, palette.BACKGROUND) >= 4.5, colour
    series = (palette.BLUE, palette.ORANGE, palette.VERMILION, palette.GREEN, palette.SKY, palette.PURPLE)
    for colour in series:
        assert palette.contrast(colour, palette.BACKGROUND) >= 3.0, colour
    assert len({c.lower() for c in series}) == len(series)


@pytest.mark.parametrize("scale", [palette.HEAT_SCALE, palette.DIVERGING_SCALE], ids=["counts", "positions"])
def test_heat_map_text_reads_on_every_cell_and_every_cell_is_outlined(scale):
    for step in range(101):
        cell = palette.scale_colour(scale, step / 100)
        assert palette.contrast(palette.TEXT, cell) >= 4.5, cell
        assert palette.contrast(cell, palette.HEAT_GAP) >= 3.0, cell  # the gap between cells: a dark outline
    assert palette.scale_colour(palette.HEAT_SCALE, 0) == "#ffffff"  # none stays white
    assert palette.text_on("#08306b") == palette.WHITE and palette.text_on("#ffffff") == palette.TEXT


def test_a_small_change_fills_the_y_axis_instead_of_a_flat_line_at_the_top():
    low, high = palette.value_range([10.9, 10.7, 10.3, 10.0])  # a path from 10,9 to the target 10,0
    assert low > 9 and high < 12  # not from 0
    assert (10.9 - 10.0) / (high - low) > 0.7  # the change uses most of the height
    assert low < 10.0 and high > 10.9  # with room around the data
    # a flat series is not blown up: at least 4% of the value tall
    low, high = palette.value_range([50.0, 50.01])
    assert high - low >= 2.0
    # a rate near zero never gets a negative axis; missing values are left out
    low, high = palette.value_range([0.05, 1.5, None, float("nan")])
    assert low == 0.0 and high > 1.5
    assert palette.value_range([None]) is None


def test_year_axis_has_whole_years():
    fig = go.Figure(go.Scatter(x=[2015, 2024], y=[1, 2]))
    palette.year_axis(fig, 2015, 2024)
    axis = fig.layout.xaxis
    assert (axis.tickformat, axis.dtick, axis.tick0, axis.tickmode) == ("d", 1, 2015, "linear")
    palette.year_axis(fig, 2005, 2030)
    assert fig.layout.xaxis.dtick == 2


def test_the_checker_finds_what_the_audit_found():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2], mode="lines", line=dict(color="#E69F00")))
    palette.base_layout(fig, 200)
    assert palette.contrast_problems(fig) == ["trace 0 (scatter) line: #E69F00 on #ffffff = 2.25:1"]
    fig.update_traces(line_color=palette.ORANGE)
    fig.update_xaxes(tickfont_color="#808495")
    assert palette.contrast_problems(fig) == ["xaxis ticks: text #808495 on #ffffff = 3.72:1"]
    # a light marker with a dark outline is fine
    light = go.Figure(
        go.Scatter(x=[1], y=[1], mode="markers", marker=dict(color="#F0E442", line=dict(color="#1a1a1a", width=2)))
    )
    palette.base_layout(light, 200)
    assert palette.contrast_problems(light) == []


def test_plotly_speaks_dutch_with_one_download_button():
    config = palette.plotly_config("doelen")
    assert config["locale"] == "nl" and config["modeBarButtons"] == [["toImage"]]
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"] == {"format": "png", "filename": "doelen", "scale": 2}
    nl = config["locales"]["nl"]
    assert nl["dictionary"]["Download plot as a PNG"] == t("chart.plotly.download_png")
    assert nl["format"]["decimal"] == "," and nl["format"]["thousands"] == "."
    assert nl["format"]["months"][2] == "maart" and nl["format"]["shortMonths"][9] == "okt"
    assert nl["format"]["days"][0] == "zondag"  # plotly.js starts the week on Sunday
    assert len(nl["format"]["shortDays"]) == 7
