"""The web layer: the only part of the package that imports Streamlit (session context, caching,
widgets, badges, the meeting renderer, the first steps on one's own data).

Text is shown as typed (one rule for every page and module here). Streamlit renders Markdown (links, images,
KaTeX ``$...$``, colours ``:red[...]``, emoji and icon shortcodes) in titles, headers, markdown, captions,
alerts, expander, tab, metric and widget labels, radio options, ``help`` and progress texts. Into those go
only our own messages (``t(...)``), with every value that a user, a file or the data supplied passed through
``escape(...)``; a sentence the package composed around such text (a reason, a chart summary, a source line)
is escaped whole. ``show_error`` and ``figure`` escape for you. Plain-text places take the text as it is:
``st.text``, table cells, selectbox and multiselect options, text inputs. Charts: the builders pass user text
through ``core.text.chart_text`` (Plotly draws HTML and templates). Download names: ``file_name(...)``.
"""

from kansrijke.core.text import file_name

from .auth import coalition_choices, current_person, sign_in_configured
from .cache import cached, prepared_upload, shared
from .context import (
    Selection,
    coalition_or_stop,
    config_or_stop,
    demo_banner,
    entered_through_app,
    page_context,
    sidebar,
    store_or_stop,
)
from .gate import sign_in_gate
from .pages import label_document
from .welcome import new_coalition_form, welcome_panel
from .widgets import (
    BADGE_COLOURS,
    STATUS_ICONS,
    error_markdown,
    escape,
    figure,
    show_error,
    status_badge,
    status_badges,
    status_legend,
    table,
)

__all__ = [
    "BADGE_COLOURS",
    "STATUS_ICONS",
    "Selection",
    "cached",
    "shared",
    "coalition_or_stop",
    "config_or_stop",
    "coalition_choices",
    "current_person",
    "demo_banner",
    "entered_through_app",
    "error_markdown",
    "escape",
    "figure",
    "label_document",
    "file_name",
    "page_context",
    "prepared_upload",
    "show_error",
    "sign_in_configured",
    "sign_in_gate",
    "sidebar",
    "status_badge",
    "status_badges",
    "status_legend",
    "store_or_stop",
    "table",
    "new_coalition_form",
    "welcome_panel",
]
