"""Role assignments are data: the config seed makes the first beheerder, a signed-in person without a grant gets
the default role (or none), grants are given and taken back with every problem said in Dutch, the last beheerder
cannot be revoked, who granted is stored, and the table travels with a backup. On a real own database."""

from __future__ import annotations

import datetime as dt

import pytest

from kansrijke import access
from kansrijke.core.config import AccessConfig
from kansrijke.core.i18n import t
from kansrijke.core.store import LATEST_SCHEMA, Store
from kansrijke.dataio import backup, importer, start
from kansrijke.dataio.ingest.common import Upload
from kansrijke.dataio.ingest.plan import BIJWERKEN
from kansrijke.plan import create

OPERATOR = access.operator()
ZWOLLE = "KS-GM0193"


@pytest.fixture
def store(config, tmp_path, monkeypatch) -> Store:
    """An own database with one coalition (Zwolle)."""
    monkeypatch.setenv("KANSRIJKE_DB", str(tmp_path / "kansrijke.duckdb"))
    monkeypatch.setenv("KANSRIJKE_DEMO_DB", str(tmp_path / "demo.duckdb"))
    Store.close_all()
    opened = Store.open(start.create_own_database(config, OPERATOR))
    create.create_coalition(opened, "Coalitie Zwolle", ["GM0193"], dt.date(2024, 1, 1), OPERATOR)
    yield opened
    Store.close_all()


def with_access(config, **settings):
    return config.model_copy(update={"access": AccessConfig(**settings)})


def grants(store: Store, config, identity: str) -> set[tuple[str, str | None]]:
    return set(access.person_for(store, config, identity, "Iemand").grants)


# -- who someone is when they sign in -----------------------------------------------------------------------------
def test_the_config_seed_makes_the_first_beheerder_whatever_the_case_of_the_address(store, config):
    seeded = with_access(config, beheerders=["Bea.Beheerder@Gemeente.nl"])
    assert seeded.access.beheerders == ["bea.beheerder@gemeente.nl"]
    bea = access.person_for(store, seeded, "  BEA.beheerder@gemeente.NL ", "Bea Beheerder")
    assert bea.identity == "bea.beheerder@gemeente.nl" and bea.name == "Bea Beheerder" and bea.signed_in
    assert set(bea.grants) == {(access.BEHEERDER, None)}
    assert access.can(bea, "users") and access.can(bea, "restore")
    # the first beheerder grants the next one; the table holds that, the seed is never written
    assert access.assign(store, bea, "Piet@Gemeente.nl", "beheerder")
    assert grants(store, config, "piet@gemeente.nl") == {(access.BEHEERDER, None)}
    assert set(store.table("role_assignments")["identity"]) == {"piet@gemeente.nl"}


def test_without_a_grant_a_signed_in_person_gets_the_default_role_or_none(store, config):
    assert config.access.standaardrol == "kijker"  # config.yaml ships with kijker
    kim = access.person_for(store, config, "kim@example.nl", "Kim")
    assert set(kim.grants) == {(access.KIJKER, None)} and access.can(kim, "read") and not access.can(kim, "compare")
    assert grants(store, with_access(config, standaardrol="pharos"), "kim@example.nl") == {(access.PHAROS, None)}
    nobody = access.person_for(store, with_access(config, standaardrol=None), "kim@example.nl", "Kim")
    assert nobody.grants == frozenset() and not access.can(nobody, "read")
    with pytest.raises(access.NotAllowed, match="Uw rol: geen"):
        access.require(nobody, "actions", ZWOLLE)
    # a grant replaces the default role
    access.assign(store, OPERATOR, "kim@example.nl", "bewerker", ZWOLLE)
    assert grants(store, config, "kim@example.nl") == {(access.BEWERKER, ZWOLLE)}
    # a sign-in without an e-mail address matches nothing and gets nothing
    assert access.person_for(store, config, "", "Zonder adres").grants == frozenset()


def test_the_config_refuses_a_seed_that_is_no_e_mail_address(config):
    with pytest.raises(ValueError, match="geen e-mailadres"):
        AccessConfig(beheerders=["beheerder"])
    with pytest.raises(ValueError):
        AccessConfig(standaardrol="beheerder")  # the default role never writes


# -- granting and taking back --------------------------------------------------------------------------------------
def test_assign_and_revoke_a_coalition_role(store, config):
    assert access.assign(store, OPERATOR, " Bo@Example.nl", "Bewerker", ZWOLLE) is True
    assert access.assign(store, OPERATOR, "bo@example.nl", "bewerker", ZWOLLE) is False  # already there
    rows = store.table("role_assignments")
    assert len(rows) == 1 and rows.iloc[0]["identity"] == "bo@example.nl"
    bo = access.person_for(store, config, "bo@example.nl", "Bo")
    assert access.can(bo, "actions", ZWOLLE) and not access.can(bo, "plan", ZWOLLE)
    version = store.data_version()
    access.assign(store, OPERATOR, "bo@example.nl", "bewerker", ZWOLLE)
    assert store.data_version() == version  # "already there" writes nothing
    access.assign(store, OPERATOR, "bo@example.nl", "coördinator", ZWOLLE)  # as people type it
    assert grants(store, config, "bo@example.nl") == {(access.BEWERKER, ZWOLLE), (access.COORDINATOR, ZWOLLE)}
    access.revoke(store, OPERATOR, "BO@example.nl", "bewerker", ZWOLLE)
    assert grants(store, config, "bo@example.nl") == {(access.COORDINATOR, ZWOLLE)}
    with pytest.raises(access.AssignmentError, match="heeft de rol bewerker voor coalitie KS-GM0193 niet"):
        access.revoke(store, OPERATOR, "bo@example.nl", "bewerker", ZWOLLE)


def test_every_problem_with_a_grant_is_said_at_once_and_nothing_is_written(store):
    before = store.data_version()
    with pytest.raises(access.AssignmentError) as caught:
        access.assign(store, OPERATOR, "geen adres", "bewerker")
    assert caught.value.messages == [
        t("access.error.email", value="geen adres"),
        t("access.error.coalition_needed", role="bewerker"),
    ]
    with pytest.raises(access.AssignmentError, match="Onbekende rol 'admin'. Kies uit: kijker, bewerker"):
        access.assign(store, OPERATOR, "a@example.nl", "admin")
    with pytest.raises(access.AssignmentError, match="Er is geen coalitie KS-GM9999"):
        access.assign(store, OPERATOR, "a@example.nl", "coordinator", "KS-GM9999")
    with pytest.raises(access.AssignmentError, match="De rol kijker geldt voor alle coalities"):
        access.assign(store, OPERATOR, "a@example.nl", "kijker", ZWOLLE)
    assert store.data_version() == before and store.table("role_assignments").empty


def test_only_a_beheerder_grants_or_revokes(store, config):
    access.assign(store, OPERATOR, "bo@example.nl", "coordinator", ZWOLLE)
    cor = access.person_for(store, config, "bo@example.nl", "Bo de Coördinator")
    before = store.table("role_assignments")
    with pytest.raises(access.NotAllowed, match="Bo de Coördinator mag dit niet: rollen toekennen of intrekken"):
        access.assign(store, cor, "vriend@example.nl", "beheerder")
    with pytest.raises(access.NotAllowed):
        access.revoke(store, cor, "bo@example.nl", "coordinator", ZWOLLE)
    with pytest.raises(access.NotAllowed, match="niet aangemeld"):
        access.assign(store, None, "vriend@example.nl", "kijker")
    assert store.table("role_assignments").equals(before)


def test_the_last_beheerder_cannot_be_revoked(store, config):
    access.assign(store, OPERATOR, "bea@example.nl", "beheerder")
    with pytest.raises(access.AssignmentError, match="bea@example.nl is de laatste beheerder"):
        access.revoke(store, OPERATOR, "bea@example.nl", "beheerder")
    access.assign(store, OPERATOR, "piet@example.nl", "beheerder")
    access.revoke(store, OPERATOR, "bea@example.nl", "beheerder")  # Piet stays
    with pytest.raises(access.AssignmentError, match="laatste beheerder"):
        access.revoke(store, OPERATOR, "piet@example.nl", "beheerder")
    # with the config seed, the seeded beheerder stays: the last one in the table may go
    seeded = with_access(config, beheerders=["bea@example.nl"])
    access.revoke(store, OPERATOR, "piet@example.nl", "beheerder", config=seeded)
    assert store.table("role_assignments").empty
    # a seeded beheerder is taken away in config.yaml, not here
    with pytest.raises(access.AssignmentError, match=r"beheerder via config\.yaml \(access\.beheerders\)"):
        access.revoke(store, OPERATOR, "bea@example.nl", "beheerder", config=seeded)


def test_who_granted_is_stored_and_listed(store, config):
    bea = access.person_for(store, with_access(config, beheerders=["bea@example.nl"]), "bea@example.nl", "Bea")
    access.assign(store, bea, "bo@example.nl", "bewerker", ZWOLLE)
    row = store.table("role_assignments").iloc[0]
    assert row["granted_by"] == "bea@example.nl" and row["granted_at"] is not None
    listed = access.assignments(store, with_access(config, beheerders=["bea@example.nl"]))
    assert list(listed.columns) == ["E-mailadres", "Rol", "Coalitie", "Toegekend door", "Toegekend op"]
    records = listed.to_dict("records")
    assert records[0]["E-mailadres"] == "bea@example.nl" and records[0]["Toegekend door"] == "config.yaml"
    assert records[0]["Rol"] == "beheerder" and records[0]["Coalitie"] == "–"
    assert records[1] | {"Toegekend op": None} == {
        "E-mailadres": "bo@example.nl",
        "Rol": "bewerker",
        "Coalitie": "Coalitie Zwolle (KS-GM0193)",
        "Toegekend door": "bea@example.nl",
        "Toegekend op": None,
    }
    assert records[1]["Toegekend op"] != "–"


def test_a_grant_for_a_coalition_that_is_gone_grants_nothing_and_does_not_block_an_undo(store, config):
    plan = (
        b"coalitie: {coalitie_id: KS-GM0014, naam: Coalitie Groningen, fase: 2, startdatum: 2024-01-01, "
        b"gemeenten: GM0014}\nambities: []\ndoelen: []\nresultaten: []\nacties: []\n"
    )
    prepared = importer.prepare(store, config, Upload("groningen.yaml", plan), BIJWERKEN)
    assert prepared.parsed.ok, [p.text() for p in prepared.parsed.errors]
    importer.apply(store, prepared, OPERATOR)
    access.assign(store, OPERATOR, "gert@example.nl", "coordinator", "KS-GM0014")
    assert grants(store, config, "gert@example.nl") == {(access.COORDINATOR, "KS-GM0014")}
    importer.undo_last(store, OPERATOR)  # the coalition goes; its grant stays in the table, pointing nowhere
    assert "KS-GM0014" not in set(store.table("coalitions")["id"])
    assert grants(store, config, "gert@example.nl") == {(access.KIJKER, None)}  # nothing: the default role
    assert "KS-GM0014 (bestaat niet meer)" in set(access.assignments(store)["Coalitie"])
    access.revoke(store, OPERATOR, "gert@example.nl", "coordinator", "KS-GM0014")  # and it can be cleaned up


# -- the table in the schema and in a backup --------------------------------------------------------------------------
def test_the_grants_travel_with_a_backup_and_come_back_on_restore(store, tmp_path):
    access.assign(store, OPERATOR, "bo@example.nl", "bewerker", ZWOLLE)
    access.assign(store, OPERATOR, "bea@example.nl", "beheerder")
    data = backup.backup_zip(store, OPERATOR)
    target = tmp_path / "terug" / "kansrijke.duckdb"
    target.parent.mkdir()
    counts = backup.restore_zip(target, data, OPERATOR)
    assert counts["role_assignments"] == 2
    restored = Store.open(target).table("role_assignments")
    assert restored.equals(store.table("role_assignments"))


def test_a_database_of_schema_4_gets_the_empty_table(tmp_path):
    path = tmp_path / "oud.duckdb"
    Store.create_at_version(path, 4)
    store = Store.open(path)
    assert store.schema_version() == LATEST_SCHEMA >= 5 and "role_assignments" in store.tables()
    assert store.table("role_assignments").empty
    with pytest.raises(Exception, match="CHECK"), store.write() as w:  # the schema itself refuses a bad grant
        w.run(
            "access_assign_insert",
            {
                "identity": "bo@example.nl",
                "role": "bewerker",
                "coalition_id": None,
                "granted_by": "test",
                "granted_at": dt.datetime(2024, 1, 1),
            },
        )
