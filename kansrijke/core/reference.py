"""Reference facts: municipalities (CBS) and GIDS flags (user data) shipped in ``data/``, the real national
series of the indicator catalogue, the map's boundaries file and its credit (``map_attribution``), the
partner types of a coalition and the demo's snapshot date.

The national series are facts, never demo: ``national_facts(config)`` reads them from two files shipped in
``data/`` (see ``data/README.md`` for their sources and licences), ``install_facts`` writes them with the
municipalities into an empty database (``python -m kansrijke init`` and the demo build both use it;
``write_facts`` does the same inside a caller's own ``store.write()`` transaction).

- ``indicatoren_landelijk.csv``: one latest national value per indicator (``landelijke_waarde`` in the unit of
  ``eenheid``: a percentage for ``%``, per 1,000 for ``per 1000``, a count for ``aantal``), with its year and
  source (``bron``). A row is used only when its unit and definition match the catalogue entry
  (``config.yaml`` ``indicatoren``); ``SKIPPED`` says why the others are left out. Most rows carry a value
  only (the source gives no counts); where the note gives both counts (``Berekend: 610633 / 2645269``) and
  they give the value, they are stored as numerator and denominator.
- ``levendgeborenen_cbs_82056NED_partial.csv`` (CBS StatLine 82056NED): the national rows (``NL01``) give the
  yearly series of live births (``levendgeborenen``, a count) and of births into a one-parent household over
  all live births (``geboren_eenouder``, with counts). They replace the single value of the first file.

``data_status`` is "definitief" unless the source says otherwise (``STATUS``). ``reference_date`` is left
empty: the files do not record when a figure was published.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from kansrijke.core.config import PROJECT_ROOT, SCALE, Config, Indicator
from kansrijke.core.i18n import t
from kansrijke.core.store import Store

MUNICIPALITY_COLUMNS = {
    "gemeentecode": "code",
    "gemeentenaam": "name",
    "provinciecode": "province_code",
    "provincie": "province",
    "inwoners_2024": "population",
    "stedelijkheid_2024": "urbanity",
    "grootteklasse_2024": "size_class",
}
TRUE_WORDS = {"ja", "j", "1", "true", "waar", "yes", "x"}
# Facts shipped with the app (not user data, so not in config.yaml): read from the repository's data/ folder.
DATA_DIR = PROJECT_ROOT / "data"
NATIONAL_FILE = DATA_DIR / "indicatoren_landelijk.csv"
BIRTHS_FILE = DATA_DIR / "levendgeborenen_cbs_82056NED_partial.csv"
BOUNDARIES_FILE = DATA_DIR / "gemeenten_2024.geojson"  # CBS/Kadaster Wijk- en Buurtkaart 2024 (CC BY 4.0)
BIRTHS_SOURCE = "CBS 82056NED"  # CBS StatLine, Levend geboren kinderen; huishoudenssamenstelling, regio
BIRTHS_REGION = "NL01"  # Nederland
FACT_COLUMNS = [
    "indicator_id",
    "period",
    "value",
    "numerator",
    "denominator",
    "source",
    "reference_date",
    "data_status",
]
# Rows of indicatoren_landelijk.csv that are not a national figure of the catalogue's indicator, and why.
# (A row whose unit differs from the catalogue's ``eenheid`` is skipped as well, see ``_unit_matches``:
# nnz_beschikbaar is "212 gemeenten" and voorzorg_aangeboden "43% van de gemeenten" for yes/no indicators.)
SKIPPED = {
    "stevig_ouderschap_bereik": "NCJ's planning assumption (4% of births), no measured reach and no year",
}
# Data status where the source says more than "definitief".
STATUS = {
    # VZinfo no longer shows this indicator because of a calculation error (Perined update 2024): withdrawn.
    "start_zorg_10wk": "ingetrokken",
}
_COUNTS_NOTE = re.compile(r"Berekend:\s*(\d+)\s*/\s*(\d+)")
_YEAR = re.compile(r"^(\d{4})(?:-(\d{4}))?$")
# The demo's snapshot date: "today" on demo data (the demo also stores it as meta ``demo_today``).
DEMO_TODAY = dt.date(2026, 11, 24)

# Partner types (reference/partnertypen_coalitie.csv): id -> naam_nl.
PARTNERS = {
    "gemeente": "Gemeente (beleid/regie/opdrachtgever)",
    "jgz": "Jeugdgezondheidszorg (JGZ/CJG/consultatiebureau)",
    "ggd": "GGD",
    "verloskundigen": "Verloskundigen (eerste lijn)",
    "kraamzorg": "Kraamzorg",
    "huisartsen": "Huisartsen",
    "ziekenhuis": "Ziekenhuis (gynaecologen/kinderartsen)",
    "vsv": "Verloskundig samenwerkingsverband (VSV/IGO)",
    "pop_poli": "POP-poli",
    "wijkteam": "Sociaal (wijk)team",
    "maatschappelijk_werk": "Maatschappelijk werk / welzijn / social work",
    "schuldhulp": "Schuldhulpverlening / werk en inkomen",
    "ggz": "GGZ",
    "jeugdhulp": "Jeugdhulp / jeugdzorg",
    "kinderopvang_onderwijs": "Kinderopvang / onderwijs (o.a. mbo)",
    "zorgverzekeraar": "Zorgverzekeraar",
    "informeel": "Informele steun / vrijwilligers (o.a. Buurtgezinnen)",
    "ouders": "(Aanstaande) ouders / ervaringsdeskundigen / sleutelfiguren",
}


def load_municipalities(config: Config) -> pd.DataFrame:
    """The municipalities table as stored: code, name, province, population, urbanity, size class, gids.

    GIDS membership comes from the file named in ``reference.gids`` (columns
    ``gemeentecode`` and ``gids``), never from code; missing file -> all False.
    """
    raw = pd.read_csv(config.resolve(config.reference.municipalities), dtype={"cbs_nummer": str})
    frame = raw.rename(columns=MUNICIPALITY_COLUMNS)[list(MUNICIPALITY_COLUMNS.values())].copy()
    frame["population"] = frame["population"].astype("int64")
    frame["urbanity"] = frame["urbanity"].astype("int64")
    frame["ggd_region"] = None
    gids = load_gids(config.resolve(config.reference.gids)) if config.reference.gids else set()
    frame["gids"] = frame["code"].isin(gids)
    return frame.sort_values("code").reset_index(drop=True)


def load_gids(path: Path) -> set[str]:
    """Codes flagged as GIDS in a small CSV (``gemeentecode,gids`` with ja/nee)."""
    if not path.exists():
        return set()
    frame = pd.read_csv(path, dtype=str).fillna("")
    frame.columns = [c.strip().lower() for c in frame.columns]
    flagged = frame["gids"].str.strip().str.lower().isin(TRUE_WORDS)
    return set(frame.loc[flagged, "gemeentecode"].str.strip().str.upper())


def map_attribution(path: Path | None) -> str | None:
    """What a map drawn from the boundaries file ``path`` must say under it: the source and licence of the
    shipped file (``BOUNDARIES_FILE``); None for any other file (its terms are not known here)."""
    if path is None or Path(path).resolve() != BOUNDARIES_FILE.resolve():
        return None
    return t("facts.map_attribution")


# -- the real national series -------------------------------------------------------------------------------
def national_facts(config: Config) -> pd.DataFrame:
    """The real national series of every catalogue indicator that has one: rows for table ``national_values``
    (``FACT_COLUMNS``), sorted by indicator and period. Indicators not in ``config.indicatoren`` are left out."""
    catalogue = {i.id: i for i in config.indicatoren}
    series = _birth_facts(catalogue)
    # the CBS series replaces the single CSV value of the same indicator (the same figure where both exist)
    replaced = {r["indicator_id"] for r in series}
    rows = [r for r in _csv_facts(catalogue) if r["indicator_id"] not in replaced] + series
    frame = pd.DataFrame(rows, columns=FACT_COLUMNS)
    frame = frame.astype({"period": "int64", "value": "float64", "numerator": "Int64", "denominator": "Int64"})
    frame["reference_date"] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame.sort_values(["indicator_id", "period"]).reset_index(drop=True)


def write_facts(w, config: Config) -> dict[str, int]:
    """Insert the municipalities and the national series inside an open ``store.write()`` transaction ``w``
    (for a caller that writes more in the same transaction); returns row counts per table."""
    munis = load_municipalities(config)
    facts = national_facts(config)
    w.insert_df("municipalities", munis)
    w.insert_df("national_values", facts)
    return {"municipalities": len(munis), "national_values": len(facts)}


def install_facts(store: Store, config: Config) -> dict[str, int]:
    """Write the municipalities and the real national series into an EMPTY database in one transaction;
    returns row counts per table. A database that already holds municipalities or national figures is
    refused (``ValueError``): facts are installed once, when the file is made."""
    if store.scalar("count_municipalities") or store.scalar("reference_count_national"):
        raise ValueError("install_facts needs an empty database")
    with store.write() as w:
        return write_facts(w, config)


def _unit_matches(csv_unit: str, ind: Indicator) -> bool:
    """The CSV's unit is the catalogue's (``aantal praktijken`` counts as ``aantal``)."""
    unit = csv_unit.strip()
    return unit == ind.eenheid or (ind.eenheid == "aantal" and unit.split()[0] == "aantal")


def _period(jaar: str, ind: Indicator) -> int | None:
    """The year of a figure; a range ``2018-2022`` only for a cumulative indicator (its last year)."""
    found = _YEAR.match(jaar.strip())
    if not found:
        return None
    if found.group(2):
        return int(found.group(2)) if "cumulatief" in ind.definitie.lower() else None
    return int(found.group(1))


def _csv_facts(catalogue: dict[str, Indicator]) -> list[dict]:
    raw = pd.read_csv(NATIONAL_FILE, dtype={"jaar": str, "landelijke_waarde": str}, keep_default_na=False)
    rows = []
    for rec in raw.to_dict("records"):
        ind = catalogue.get(rec["indicator_id"])
        if ind is None or not rec["landelijke_waarde"].strip() or ind.id in SKIPPED:
            continue
        if not _unit_matches(rec["eenheid"], ind) or ind.eenheid == "ja/nee":
            continue  # not this indicator's unit (see SKIPPED)
        period = _period(rec["jaar"], ind)
        if period is None:
            continue
        value = float(rec["landelijke_waarde"])
        num = den = None
        counts = _COUNTS_NOTE.search(rec["opmerking"] or "")
        if counts and ind.eenheid in SCALE:
            n, d = int(counts.group(1)), int(counts.group(2))
            if 0 < d and n <= d and round(n / d * SCALE[ind.eenheid], 1) == round(value, 1):
                num, den, value = n, d, n / d * SCALE[ind.eenheid]
        rows.append(_fact(ind.id, period, value, num, den, rec["bron"].strip()))
    return rows


def _birth_facts(catalogue: dict[str, Indicator]) -> list[dict]:
    raw = pd.read_csv(BIRTHS_FILE, dtype={"regiocode": str})
    nl = raw[raw["regiocode"] == BIRTHS_REGION].sort_values("jaar")
    rows = []
    births = catalogue.get("levendgeborenen")
    if births is not None and births.eenheid == "aantal":
        for rec in nl.dropna(subset=["levendgeborenen_totaal"]).to_dict("records"):
            rows.append(_fact(births.id, int(rec["jaar"]), float(rec["levendgeborenen_totaal"]), None, None))
    one_parent = catalogue.get("geboren_eenouder")
    # the catalogue's definition: live births into a one-parent household / all live births, in %
    if one_parent is not None and one_parent.eenheid == "%":
        for rec in nl.dropna(subset=["levendgeborenen_totaal", "levendgeborenen_eenouderhuishouden"]).to_dict(
            "records"
        ):
            n, d = int(rec["levendgeborenen_eenouderhuishouden"]), int(rec["levendgeborenen_totaal"])
            rows.append(_fact(one_parent.id, int(rec["jaar"]), n / d * 100.0, n, d))
    return rows


def _fact(indicator_id: str, period: int, value: float, num: int | None, den: int | None, source: str = "") -> dict:
    return {
        "indicator_id": indicator_id,
        "period": period,
        "value": value,
        "numerator": num,
        "denominator": den,
        "source": source or BIRTHS_SOURCE,
        "reference_date": None,
        "data_status": STATUS.get(indicator_id, "definitief"),
    }
