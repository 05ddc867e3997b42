"""The app's pages in menu order: the one list used by ``app.py`` (``st.navigation``), the page tests and the
benchmarks. Paths are relative to the repository root.
"""

from __future__ import annotations

from dataclasses import dataclass

from kansrijke.core.i18n import t


@dataclass(frozen=True)
class Page:
    script: str  # e.g. "pages/doelen.py", what ``st.Page`` and ``AppTest.switch_page`` take
    title_key: str  # message key of the menu title
    icon: str
    url_path: str  # the page's address: http://host/<url_path>
    default: bool = False  # the start page (at "/")

    @property
    def title(self) -> str:
        return t(self.title_key)


PAGES: tuple[Page, ...] = (
    Page("pages/overzicht.py", "pages.overview", ":material/home:", "overzicht", default=True),
    Page("pages/doelen.py", "pages.goals", ":material/flag:", "doelen"),
    Page("pages/raadsinformatie.py", "pages.council", ":material/description:", "raadsinformatie"),
    Page("pages/actielog.py", "pages.actions", ":material/checklist:", "actielog"),
    Page("pages/vergadermodus.py", "pages.meeting", ":material/co_present:", "vergadermodus"),
    Page("pages/zelfscan.py", "pages.selfscan", ":material/fact_check:", "zelfscan"),
    Page("pages/vergelijken.py", "pages.compare", ":material/compare_arrows:", "vergelijken"),
    Page("pages/gegevens.py", "pages.data", ":material/upload_file:", "gegevens"),
    Page("pages/over.py", "pages.about", ":material/info:", "over"),
)


def page(url_path: str) -> Page:
    """The page at ``url_path`` (KeyError for an unknown one)."""
    for candidate in PAGES:
        if candidate.url_path == url_path:
            return candidate
    raise KeyError(url_path)
