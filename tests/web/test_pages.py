"""The one list of pages (kansrijke/web/pages.py) matches pages/ and every page in it opens in the app."""

from __future__ import annotations

import pytest
from conftest import ROOT, open_app

from kansrijke.core.i18n import catalogue
from kansrijke.web.pages import PAGES, page


def test_the_list_holds_every_page_script_once():
    scripts = [p.script for p in PAGES]
    on_disk = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "pages").glob("*.py"))
    assert sorted(scripts) == on_disk
    assert len({p.url_path for p in PAGES}) == len(PAGES)
    assert [p.url_path for p in PAGES if p.default] == ["overzicht"]
    assert all(p.title_key in catalogue("nl") for p in PAGES)
    assert page("doelen").script == "pages/doelen.py"
    with pytest.raises(KeyError):
        page("bestaat-niet")


@pytest.mark.parametrize("listed", PAGES, ids=[p.url_path for p in PAGES])
def test_every_listed_page_opens_from_the_menu(app_env, listed):
    at = open_app(None if listed.default else listed.script)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
