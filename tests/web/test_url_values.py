"""Values in the URL are checked: a number out of range or no number at all falls back to the default with a
small Dutch notice, never an exception (``?interval=1e309`` on Vergadermodus and ``?maanden=1e309`` on
Vergelijken once raised inside Streamlit); every page survives hostile values for every parameter the app
reads (AppTest)."""

from __future__ import annotations

import pytest
from conftest import open_app

from kansrijke.core.i18n import t
from kansrijke.core.text import md_unescape
from kansrijke.web.meeting import DEFAULT_INTERVAL, MAX_INTERVAL, MIN_INTERVAL
from kansrijke.web.pages import PAGES

MEETING = "pages/vergadermodus.py"
COMPARE = "pages/vergelijken.py"
EVERY_PARAMETER = (
    "gemeente periode coalitie ambitie indicator lijst selectie tegen drie_jaar weergave maanden provincie "
    "grootteklasse stedelijkheid interval auto status principe doel trekker datums zoek"
).split()


def notices(at) -> list[str]:
    return [md_unescape(i.value) for i in at.info]


def notice(key: str, value: str, minimum: int, maximum: int, default: int) -> str:
    return t("rescue.url_value", value=value, name=key, minimum=minimum, maximum=maximum, default=default)


@pytest.mark.parametrize("value", ["1e309", "-1e309", "nan", "abc", "-5", "99999", "30.5", "0x1f"])
def test_a_meeting_interval_out_of_range_falls_back_to_the_default(app_env, value):
    at = open_app(MEETING, interval=value)
    assert not at.exception, at.exception
    assert notice("interval", value, MIN_INTERVAL, MAX_INTERVAL, DEFAULT_INTERVAL) in notices(at)
    assert at.number_input(key="interval").value == DEFAULT_INTERVAL
    assert "interval" not in at.query_params  # the link no longer carries the bad value


def test_a_good_meeting_interval_is_used_without_a_notice(app_env):
    at = open_app(MEETING, interval="20")
    assert not at.exception, at.exception
    assert at.number_input(key="interval").value == 20
    assert not [n for n in notices(at) if "interval" in n]


def test_quiet_months_out_of_range_on_vergelijken(app_env, config):
    view = t("compare.views.coalities")
    at = open_app(COMPARE, weergave=view, maanden="1e309")
    assert not at.exception, at.exception
    assert notice("maanden", "1e309", 1, 60, config.actions.quiet_months) in notices(at)
    assert at.number_input(key="maanden").value == config.actions.quiet_months
    good = open_app(COMPARE, weergave=view, maanden="12")
    assert not good.exception and good.number_input(key="maanden").value == 12


def test_an_unknown_indicator_on_vergelijken_says_what_is_shown_instead(app_env):
    at = open_app(COMPARE, indicator="bestaat_niet")
    assert not at.exception, at.exception
    assert any("bestaat_niet" in n and "indicator" in n for n in notices(at))


def test_a_long_value_is_quoted_short_and_inert(app_env):
    value = "[klik](https://evil.example)" + "9" * 500
    at = open_app(MEETING, interval=value)
    assert not at.exception, at.exception
    shown = [i.value for i in at.info if "interval" in i.value]
    assert shown and len(shown[0]) < 400
    assert "](https://" not in shown[0]  # escaped: no link


HOSTILE = {key: "<b>x</b>[a](https://evil.example)" + "x" * 300 for key in EVERY_PARAMETER}
HOSTILE.update({key: "1e309" for key in ("periode", "maanden", "interval", "datums", "drie_jaar", "auto")})


@pytest.mark.parametrize("page", [p.script for p in PAGES])
def test_every_page_survives_hostile_values_for_every_parameter(app_env, page):
    at = open_app(page, **HOSTILE)
    assert not at.exception, at.exception
    assert not [e for e in at.error if "Traceback" in e.value]
