"""config.yaml is validated on load and every problem is one Dutch sentence naming the key."""

from __future__ import annotations

import pytest
from conftest import DATA, write_config

from kansrijke.core.config import ConfigError, load_config


def test_shipped_config_is_valid_and_has_the_catalogue(config):
    ids = [i.id for i in config.indicatoren]
    # every indicator id of the reference research table, exactly
    import csv

    with open(DATA / "indicatoren_landelijk.csv", encoding="utf-8") as fh:
        expected = [row["indicator_id"] for row in csv.DictReader(fh)]
    assert ids == expected
    big2 = config.indicator("big2")
    assert (big2.eenheid, big2.richting, big2.niveau) == ("%", "lager_beter", "gemeente")
    assert config.indicator("start_zorg_10wk").status == "opgeschort"
    assert config.indicator("roken_zwangerschap").niveau == "landelijk"
    assert any("9,5%" in c for c in config.indicator("geen_kraamzorg").kanttekeningen)


@pytest.mark.parametrize(
    ("replace", "append", "key", "expected"),
    [
        ({"  min_count: 10": "  min_count: tien"}, "", "privacy.min_count", "een geheel getal"),
        ({"  min_count: 10": "  min_count: 0"}, "", "privacy.min_count", "een getal ≥ 1"),
        ({"  path: linear": "  path: exponential"}, "", "status.path", "een van 'linear'"),
        ({"  seed: 1000": "  seed: 1000\n  colour: red"}, "", "demo.colour", "bestaat niet"),
        ({"  on_track_ratio: 0.9": "  on_track_ratio: 0.3"}, "", "status", "attention_ratio moet kleiner"),
        (
            {"  default_municipality: GM0363": "  default_municipality: Amsterdam"},
            "",
            "ui.default_municipality",
            "patroon",
        ),
        ({"  key_indicators: [big2,": "  key_indicators: [bigtwo,"}, "", "(hoofdniveau)", "bigtwo"),
        (
            {"  eenheid: '%'\n  richting: lager_beter": "  eenheid: procent\n  richting: lager_beter"},
            "",
            "indicatoren[",
            "een van",
        ),
    ],
)
def test_bad_config_names_the_key_and_what_is_allowed(tmp_path, replace, append, key, expected):
    path = write_config(tmp_path, replace, append)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert f"sleutel '{key}" in message
    assert any(place.startswith(key) for place in info.value.places)  # the key the message is about
    assert expected in message
    assert "Traceback" not in message


def test_missing_section_and_broken_yaml(tmp_path):
    path = write_config(tmp_path, {"privacy:\n  min_count: 10": "privacy_typo:\n  min_count: 10"})
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "sleutel 'privacy'" in str(info.value) and "moet aanwezig zijn" in str(info.value)
    broken = tmp_path / "broken.yaml"
    broken.write_text("database:\n  path: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="geen geldige YAML"):
        load_config(broken)
    with pytest.raises(ConfigError, match="niet gevonden"):
        load_config(tmp_path / "nope.yaml")


def test_cli_exits_non_zero_with_the_dutch_message(cli, tmp_path):
    path = write_config(tmp_path, {"  min_count: 10": "  min_count: tien"})
    proc = cli("--config", str(path), "info")
    assert proc.returncode == 2
    assert "privacy.min_count" in proc.stderr and "een geheel getal" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_own_and_demo_database_paths_and_the_active_one(tmp_path, monkeypatch):
    """The own database is ``database.path`` (or KANSRIJKE_DB); the demo file ``demo.path`` (or
    KANSRIJKE_DEMO_DB), by default ``demo.duckdb`` beside the own database; the active one is the own database
    once that file exists, else the demo file."""
    monkeypatch.delenv("KANSRIJKE_DB", raising=False)
    monkeypatch.delenv("KANSRIJKE_DEMO_DB", raising=False)
    path = write_config(tmp_path, {"  path: data/kansrijke.duckdb": f"  path: {tmp_path / 'eigen.duckdb'}"})
    config = load_config(path)
    assert config.demo.path is None
    assert config.own_database_path == tmp_path / "eigen.duckdb"
    assert config.demo_database_path == tmp_path / "demo.duckdb"
    assert config.database_path == config.active_database_path == tmp_path / "demo.duckdb"  # no own data yet
    (tmp_path / "eigen.duckdb").write_bytes(b"")
    assert config.database_path == tmp_path / "eigen.duckdb"  # the own database exists: that one

    moved = write_config(tmp_path, {"  path: null": "  path: elders/voorbeeld.duckdb"})
    assert load_config(moved).demo_database_path == tmp_path / "elders" / "voorbeeld.duckdb"  # relative to config

    monkeypatch.setenv("KANSRIJKE_DB", str(tmp_path / "ander" / "k.duckdb"))
    assert config.own_database_path == tmp_path / "ander" / "k.duckdb"
    assert config.demo_database_path == tmp_path / "ander" / "demo.duckdb"
    assert config.database_path == tmp_path / "ander" / "demo.duckdb"
    monkeypatch.setenv("KANSRIJKE_DEMO_DB", str(tmp_path / "d.duckdb"))
    assert config.demo_database_path == config.database_path == tmp_path / "d.duckdb"


def test_an_empty_demo_path_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="sleutel 'demo.path'"):
        load_config(write_config(tmp_path, {"  path: null": "  path: ''"}))
