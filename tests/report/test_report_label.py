"""Issue 12: the council PDF made from the demo says FICTIEF on its page (the label line in the top margin, a
"FICTIEF" across the page, "FICTIEF" before the document title) and still fits one A4 page; made from own
data it says none of that. Read back with pypdf."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from kansrijke import report
from kansrijke.core.i18n import t
from kansrijke.core.store import Store
from kansrijke.demo.build import DEMO_TODAY

LABEL = t("demo_label.line")
AMSTERDAM = "KS-GM0363"


@pytest.fixture(params=["demo_copy", "own_copy"])
def db(request):
    """The demo (fictitious) and the same rows marked as own data."""
    return request.param == "demo_copy", request.getfixturevalue(request.param)


@pytest.mark.parametrize("unicode_font", [True, False])
def test_every_page_of_the_council_pdf_says_fictief_for_the_demo_only(db, config, unicode_font):
    demo, path = db
    made = report.council_report(
        Store.open(path), config, AMSTERDAM, 2024, DEMO_TODAY, charts=False, unicode_font=unicode_font
    )

    reader = PdfReader(io.BytesIO(made.pdf))
    assert len(reader.pages) == made.pages == 1  # the stamp does not push anything off the page
    for page in reader.pages:
        text = page.extract_text()
        assert (LABEL in text) is demo
        assert (text.count(t("demo_label.watermark")) >= 2) is demo  # the label line and the mark across
        assert (t("report.demo_warning").split(".")[0] in text) is demo
    title = reader.metadata.title
    assert "Coalitie Kansrijke Start Amsterdam" in title
    assert title.startswith(f"{t('demo_label.watermark')}: ") is demo
    if not demo:
        assert "FICTIEF" not in "\n".join(page.extract_text() for page in reader.pages)
    Store.close_all()
