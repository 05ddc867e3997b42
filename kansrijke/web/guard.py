"""No traceback and no English error page, ever: one guard around every run, URL values checked, and a favicon
served from the app's own address.

- ``page_guard()``: app.py runs the store opening, the sign-in gate, the navigation and the page inside it. A
  ``UserError`` that escaped a page is shown as it is (``show_error``); anything nobody foresaw is written with
  its traceback to the log (``core/logs.py``, and to the server's console) under a reference, and the page shows
  one Dutch sentence with that reference ("melding K-3F2A"); a database file that turns out damaged while a
  page reads it opens the rescue page (``web.rescue``) from the next run on. Streamlit's own control flow
  (``st.stop``, ``st.rerun``, page switches) passes untouched. Streamlit's error details are off as well
  (``client.showErrorDetails = "none"`` in ``.streamlit/config.toml``).
- ``guarded``: the same guard for a fragment or a dialog, whose own reruns do not pass through app.py (put it
  under ``@st.fragment``/``@st.dialog``).
- ``url_number_ok(key, minimum, maximum, default)``: for a number input bound to the URL (``bind=
  "query-params"``): True when the URL has no value for it or a whole number in range; otherwise the value is
  dropped from the URL, a small Dutch notice says the default is used, and False tells the caller to render
  the widget without ``bind`` for this run (Streamlit would otherwise read the value itself: ``?interval=1e309``
  raised an OverflowError inside Streamlit).
- ``FAVICON``: the app's icon as a file in the package, which Streamlit serves from the app's own address (a
  ``:material/...:`` page icon makes the browser fetch the icon from fonts.gstatic.com).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st
from streamlit.errors import FragmentHandledException

from kansrijke.core import logs
from kansrijke.core.config import get_config
from kansrijke.core.errors import UserError
from kansrijke.core.i18n import t
from kansrijke.core.text import md_escape
from kansrijke.web import rescue
from kansrijke.web.widgets import show_error

FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
_LOG = logging.getLogger("kansrijke")
_WHOLE = re.compile(r"[+-]?\d{1,9}")
_SHOWN = 40  # characters of a URL value quoted back in a notice
F = TypeVar("F", bound=Callable[..., Any])


def _where(label: str) -> str:
    try:
        return f"{label} {st.context.url}"
    except Exception:  # noqa: BLE001 - no browser context (a test harness): the label alone
        return label


def _record(exc: BaseException, where: str) -> logs.Failure:
    """The traceback to the log file and to the server's console (never to the person)."""
    try:
        config = get_config()
    except Exception:  # noqa: BLE001 - the log beside the configuration file that could not be read
        config = None
    failure = logs.record(exc, where, logs.log_path(config))
    _LOG.error("melding %s (%s)", failure.reference, where, exc_info=exc)
    return failure


def _show(exc: BaseException, failure: logs.Failure) -> None:
    text = t("rescue.page_failed", what=t(f"rescue.failure.{logs.kind_of(exc)}"), ref=failure.reference)
    if not failure.written:
        text += " " + t("rescue.page_no_log")
    try:
        show_error(text)
    except Exception:  # noqa: BLE001 - showing the message must never raise in its turn
        _LOG.exception("the failure message %s could not be shown", failure.reference)


@contextlib.contextmanager
def page_guard(label: str = "app") -> Iterator[None]:
    """Run the block; turn any failure into a Dutch message (see the module docstring)."""
    try:
        yield
    except FragmentHandledException:  # Streamlit has already shown and logged it (an unguarded fragment)
        raise
    except UserError as exc:
        show_error(exc)
    except Exception as exc:  # noqa: BLE001 - the one place that catches everything, so nobody sees a traceback
        failure = _record(exc, _where(label))
        if rescue.note_damage(exc, failure.reference):
            st.rerun()  # the next run opens the rescue page
        _show(exc, failure)


def guarded(func: F) -> F:
    """``page_guard`` around a fragment or dialog (their own reruns do not pass through app.py)."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        with page_guard(func.__qualname__):
            return func(*args, **kwargs)

    return run  # type: ignore[return-value]


def url_number_ok(key: str, minimum: int, maximum: int, default: int) -> bool:
    """Whether the number input ``key`` may bind to the URL in this run (see the module docstring)."""
    raw = st.query_params.get(key)
    if raw is None:
        return True
    text = raw.strip()
    if _WHOLE.fullmatch(text) and minimum <= int(text) <= maximum:
        return True
    with contextlib.suppress(Exception):
        del st.query_params[key]
    shown = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
    st.info(
        t("rescue.url_value", value=md_escape(shown), name=key, minimum=minimum, maximum=maximum, default=default),
        icon=":material/link_off:",
    )
    return False


def url_unknown(key: str, value: str, shown_instead: str) -> None:
    """A small Dutch notice: the URL's ``value`` for ``key`` is no known choice; ``shown_instead`` is shown."""
    text = value.strip()
    text = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
    st.info(
        t("rescue.url_unknown", value=md_escape(text), name=key, instead=md_escape(shown_instead)),
        icon=":material/link_off:",
    )
