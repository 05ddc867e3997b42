"""Reference facts: municipalities (CBS) and GIDS flags (user data) shipped in ``data/``, the partner types of a
coalition and the demo's snapshot date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kansrijke.core.config import Config

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
