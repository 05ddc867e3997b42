"""``web.show_error``: the one way a page shows a problem (bold title, the error's lead, one escaped bullet per
message), and the pages use it instead of writing ``st.error`` Markdown by hand."""

from __future__ import annotations

import re

from conftest import ROOT

from kansrijke.core.errors import UserError
from kansrijke.core.text import md_unescape
from kansrijke.web import error_markdown


def test_a_lone_message_is_a_sentence_and_user_text_in_it_is_inert():
    shown = error_markdown(UserError("Doel '[x](https://evil.example)' hoort niet bij deze coalitie."))
    assert "](" not in shown and "https://" not in shown and not shown.startswith("- ")
    assert md_unescape(shown) == "Doel '[x](https://evil.example)' hoort niet bij deze coalitie."


def test_a_title_and_several_messages_become_a_heading_and_a_list():
    error = UserError(["Vul een datum in.", "Vul een titel in: wat wordt er gedaan?"], places=["action_date", "title"])
    shown = error_markdown(error, title="De actie is niet opgeslagen:")
    heading, items = shown.split("\n\n")
    assert md_unescape(heading) == "**De actie is niet opgeslagen:**"
    assert [md_unescape(line[2:]) for line in items.split("\n")] == error.messages
    assert all(line.startswith("- ") for line in items.split("\n"))
    led = error_markdown(UserError(["a", "b"], lead="config.yaml bevat 2 fout(en):"))
    assert [md_unescape(part) for part in led.split("\n\n")] == ["config.yaml bevat 2 fout(en):", "- a\n- b"]


def test_pages_render_no_error_by_hand():
    """Every ``st.error`` of the app is in ``web.show_error``, except the import review's per-file heading."""
    allowed = {("pages/gegevens.py", 1), ("kansrijke/web/widgets.py", 1)}
    files = sorted(ROOT.glob("pages/*.py")) + sorted((ROOT / "kansrijke").rglob("*.py")) + [ROOT / "app.py"]
    found = set()
    for path in files:
        count = len(re.findall(r"\bst\.error\(", path.read_text(encoding="utf-8")))
        if count:
            found.add((str(path.relative_to(ROOT)), count))
    assert found == allowed
