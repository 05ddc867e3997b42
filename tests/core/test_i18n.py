"""Plural forms through the catalogue: ``t(key, count=n)`` picks the form by the language's plural rule (Babel,
CLDR) and shows the number in nl-NL notation; a plural entry is one key, not a section."""

from __future__ import annotations

import pytest

from kansrijke.core.i18n import PLURAL_CATEGORIES, catalogue, plural_form, t


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "0 signalen van ouders."),
        (1, "1 signaal van ouders."),
        (2, "2 signalen van ouders."),
        (1234, "1.234 signalen van ouders."),
    ],
)
def test_the_form_follows_the_number(count, shown):
    assert t("signals.count", count=count) == shown


def test_dutch_plural_rule_from_babel():
    assert [plural_form(n) for n in (0, 1, 2, 1.5, -1, 21)] == ["other", "one", "other", "other", "one", "other"]


def test_other_placeholders_are_filled_in_both_forms():
    assert t("compare.without_coalition", count=1, names="Ommen") == (
        "1 gemeente in deze selectie heeft geen coalitie: Ommen."
    )
    assert t("compare.without_coalition", count=3, names="A, B, C").startswith("3 gemeenten in deze selectie hebben")


def test_a_plural_entry_is_one_key_and_needs_a_count():
    entry = catalogue("nl")["plansafe.count.goals"]
    assert entry == {"one": "{count} doel", "other": "{count} doelen"}
    assert "plansafe.count.goals.one" not in catalogue("nl")
    with pytest.raises(TypeError, match="count"):
        t("plansafe.count.goals")


def test_count_on_a_plain_entry_stays_an_ordinary_placeholder():
    assert t("restore.lead", count=3).endswith("3 problemen:")


def test_every_plural_entry_has_the_forms_dutch_needs_and_the_same_placeholders():
    import string

    def names(text):
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    plurals = {k: v for k, v in catalogue("nl").items() if isinstance(v, dict)}
    assert len(plurals) >= 15
    for key, forms in plurals.items():
        assert {"one", "other"} <= set(forms) <= PLURAL_CATEGORIES, key
        assert "{count}" in forms["other"], key
        assert names(forms["one"]) - {"count"} == names(forms["other"]) - {"count"}, key
