"""Gebruikers en rollen (pages/beheer.py) as the beheerder uses it, through AppTest: the list of grants, granting
a role (a coalition role needs its coalition), the package's Dutch refusals, and taking a role back. Without
sign-in the local person is the beheerder; the grants count once sign-in is configured (the page says so)."""

from __future__ import annotations

from conftest import open_app
from streamlit.testing.v1 import AppTest

from kansrijke import access
from kansrijke.core.store import Store

PAGE = "pages/beheer.py"


def run(changed) -> AppTest:
    """Run after an interaction (``changed`` is the widget, or the AppTest itself)."""
    at = changed.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "error", "success", "info") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts).replace("\\", "").replace("\u2060", "")


def grants(path) -> set[tuple]:
    Store.close_all()
    rows = access.assignment_rows(Store.open(path))
    return {
        (r.identity, r.role, r.coalition_id if isinstance(r.coalition_id, str) else None) for r in rows.itertuples()
    }


def test_the_page_lists_nobody_yet_and_says_roles_wait_for_sign_in(writable_app):
    at = open_app(PAGE)
    assert not at.exception, at.exception
    assert at.title[0].value == "Gebruikers en rollen"
    text = shown(at)
    assert "Aanmelden is niet ingesteld" in text and "Nog geen rollen toegekend" in text
    assert [o for o in at.selectbox(key="users_role").options] == [
        "kijker",
        "bewerker",
        "coördinator",
        "Pharos",
        "beheerder",
    ]


def test_grant_a_coalition_role_then_take_it_back(writable_app):
    at = open_app(PAGE)
    at.text_input(key="users_email").input(" Bob.Bewerker@Example.nl ")
    run(at.selectbox(key="users_role").select("bewerker"))
    coalition = at.selectbox(key="users_coalition")
    assert len(coalition.options) > 100 and "Coalitie Kansrijke Start Amsterdam (KS-GM0363)" in coalition.options
    coalition.select("KS-GM0363")
    run(at.button(key="users_assign").click())
    assert "Rol toegekend aan bob.bewerker@example.nl" in shown(at)
    assert grants(writable_app) == {("bob.bewerker@example.nl", "bewerker", "KS-GM0363")}
    table = at.dataframe[0].value
    assert table.iloc[0].tolist()[:3] == [
        "bob.bewerker@example.nl",
        "bewerker",
        "Coalitie Kansrijke Start Amsterdam (KS-GM0363)",
    ]
    assert table.iloc[0].tolist()[3] == "lokaal"  # granted by: the local person

    # the same grant again changes nothing
    run(at.button(key="users_assign").click())
    assert "had deze rol al" in shown(at)

    run(at.button(key="users_revoke").click())
    assert "Rol van bob.bewerker@example.nl ingetrokken" in shown(at)
    assert grants(writable_app) == set()


def test_refusals_are_the_packages_dutch_messages_and_change_nothing(writable_app):
    at = open_app(PAGE)
    at.text_input(key="users_email").input("geen-adres")
    run(at.selectbox(key="users_role").select("coordinator"))
    run(at.button(key="users_assign").click())  # no coalition chosen, no e-mail address
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "e-mailadres" in errors and "coalitie" in errors
    assert grants(writable_app) == set()


def test_the_last_beheerder_cannot_be_revoked(writable_app):
    at = open_app(PAGE)
    at.text_input(key="users_email").input("bea@example.nl")
    run(at.selectbox(key="users_role").select("beheerder"))
    run(at.button(key="users_assign").click())
    assert grants(writable_app) == {("bea@example.nl", "beheerder", None)}
    run(at.button(key="users_revoke").click())
    assert at.error and "beheerder" in at.error[0].value
    assert grants(writable_app) == {("bea@example.nl", "beheerder", None)}
