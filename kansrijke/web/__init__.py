"""The web layer: the only part of the package that imports Streamlit (session context, caching,
widgets, badges, the meeting renderer, the first steps on one's own data).
"""

from .cache import cached, prepared_upload, shared
from .context import (
    Selection,
    coalition_or_stop,
    config_or_stop,
    current_user,
    demo_banner,
    entered_through_app,
    page_context,
    sidebar,
    store_or_stop,
)
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
    "current_user",
    "demo_banner",
    "entered_through_app",
    "error_markdown",
    "escape",
    "figure",
    "page_context",
    "prepared_upload",
    "show_error",
    "sidebar",
    "status_badge",
    "status_badges",
    "store_or_stop",
    "table",
    "new_coalition_form",
    "welcome_panel",
]
