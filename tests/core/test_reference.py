"""The reference facts a new database starts with: the 342 municipalities and the real national series, with
their source, year and data status, exactly as the shipped files (data/) say."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import DATA

from kansrijke.core import reference
from kansrijke.core.store import Store

SHARED_FILES = ("indicatoren_landelijk.csv", "levendgeborenen_cbs_82056NED_partial.csv", "gemeenten_2024.geojson")


@pytest.fixture
def facts_db(tmp_path, config):
    """A fresh database with only the reference facts."""
    store = Store.open(tmp_path / "eigen.duckdb", create=True)
    counts = reference.install_facts(store, config)
    yield store, counts
    store.close()


def national(store: Store) -> pd.DataFrame:
    return store.table("national_values").set_index(["indicator_id", "period"])


def test_install_facts_writes_the_municipalities_and_the_national_series_and_nothing_else(facts_db, config):
    store, counts = facts_db
    tables = store.table_counts()
    assert counts == {"municipalities": 342, "national_values": tables["national_values"]}
    assert tables["municipalities"] == 342 and tables["national_values"] >= 25
    assert not any(tables[t] for t in ("indicator_values", "coalitions", "goals", "actions"))  # no demo rows
    facts = store.table("national_values")
    assert facts["source"].str.len().gt(0).all() and facts["period"].between(2010, 2025).all()
    assert set(facts["data_status"]) <= {"definitief", "ingetrokken"}
    assert set(facts["indicator_id"]) <= {i.id for i in config.indicatoren}
    assert store.meta("demo") is None  # facts are not demo; init/demo set that flag


def test_install_facts_refuses_a_database_that_already_has_facts(facts_db, config):
    store, _ = facts_db
    with pytest.raises(ValueError, match="empty database"):
        reference.install_facts(store, config)
    assert store.table_counts()["municipalities"] == 342


def test_national_values_are_the_published_figures(facts_db):
    """Hand-checked against indicatoren_landelijk.csv and CBS StatLine 82056NED (NL01)."""
    store, _ = facts_db
    nat = national(store)
    big2 = nat.loc[("big2", 2021)]
    assert big2["value"] == 14.8 and pd.isna(big2["numerator"]) and big2["source"] == "Perined (via DIAPER/RIVM)"
    assert big2["data_status"] == "definitief"
    assert nat.loc[("tienermoeders", 2022), "value"] == 2.9  # per 1000, as the catalogue's unit
    assert nat.loc[("roken_zwangerschap", 2023), "value"] == 6.3
    assert nat.loc[("kinderen_armoede", 2022), "source"] == "CBS Armoede en sociale uitsluiting"
    # CBS 82056NED: the yearly series of live births, 2018-2023
    births = nat.loc["levendgeborenen"]["value"]
    assert births.to_dict() == {2018: 168525, 2019: 169680, 2020: 168681, 2021: 179441, 2022: 167504, 2023: 164487}
    # births into a one-parent household over all births, with the counts (2023 has no count in the file)
    one_parent = nat.loc["geboren_eenouder"]
    assert list(one_parent.index) == [2018, 2019, 2020, 2021, 2022]
    row = one_parent.loc[2022]
    assert (row["numerator"], row["denominator"]) == (14859, 167504) and round(row["value"], 1) == 8.9
    assert row["source"] == "CBS 82056NED"
    # counts given in the source's note: 610633 / 2645269 one-parent households (1 January 2023)
    hh = nat.loc[("eenoudergezinnen", 2023)]
    assert (hh["numerator"], hh["denominator"]) == (610633, 2645269) and round(hh["value"], 1) == 23.1
    assert nat.loc[("nnz_gesprekken", 2022), "value"] == 19000  # cumulative 2018-2022: its last year


def test_every_value_matches_the_csv_in_the_catalogues_unit(config):
    facts = reference.national_facts(config)
    csv = pd.read_csv(DATA / "indicatoren_landelijk.csv", dtype={"jaar": str}).set_index("indicator_id")
    units = {i.id: i.eenheid for i in config.indicatoren}
    assert not facts.duplicated(["indicator_id", "period"]).any()
    for row in facts.itertuples():
        source = csv.loc[row.indicator_id]
        assert source["eenheid"].split()[0] == units[row.indicator_id].split()[0]
        if source["jaar"].endswith(str(row.period)):
            assert round(row.value, 1) == round(float(source["landelijke_waarde"]), 1), row.indicator_id


def test_rows_that_do_not_fit_the_catalogue_are_left_out(config):
    ids = set(reference.national_facts(config)["indicator_id"])
    assert {"nnz_beschikbaar", "voorzorg_aangeboden"}.isdisjoint(ids)  # yes/no indicators; the CSV has a count / %
    assert "stevig_ouderschap_bereik" not in ids  # a planning assumption without a year
    assert {"ks_coalitie", "phb_jgz", "kwetsbare_situatie"}.isdisjoint(ids)  # no national value found
    facts = reference.national_facts(config).set_index("indicator_id")
    assert facts.loc["start_zorg_10wk", "data_status"] == "ingetrokken"  # withdrawn at the source (2024)


def test_the_reference_files_are_shipped_and_the_map_credits_its_source():
    for name in SHARED_FILES:
        assert (DATA / name).is_file(), name
    assert reference.BOUNDARIES_FILE == DATA / "gemeenten_2024.geojson"
    assert reference.map_attribution(reference.BOUNDARIES_FILE) == (
        "Kaart: CBS/Kadaster, Wijk- en Buurtkaart 2024, CC BY 4.0"
    )
    assert reference.map_attribution(DATA / "elders.geojson") is None
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "Kaart: CBS/Kadaster, Wijk- en Buurtkaart 2024, CC BY 4.0" in readme
    assert "levendgeborenen_cbs_82056NED_partial.csv" in readme
