"""Tables for the "Over deze monitor" page: the catalogue and what the database holds."""

from __future__ import annotations

import pandas as pd

from kansrijke.core import fmt
from kansrijke.core.config import Config
from kansrijke.core.i18n import t
from kansrijke.core.store import Store


def catalogue_table(config: Config) -> pd.DataFrame:
    """One row per catalogue indicator with its definition, source, level and caveats."""
    rows = []
    for ind in config.indicatoren:
        nat = ind.landelijk
        suspended = f" ({t('about.suspended')})" if ind.status == "opgeschort" else ""
        unit = "%" if ind.eenheid == "ja/nee" else ind.eenheid  # national: share of municipalities
        national = "–" if nat.waarde is None else f"{fmt.value(nat.waarde, unit)} ({nat.jaar})"
        rows.append(
            {
                t("about.col_indicator"): ind.naam,
                t("about.col_id"): ind.id,
                t("about.col_definition"): ind.definitie,
                t("about.col_unit"): ind.eenheid,
                t("about.col_direction"): t(f"about.direction_{ind.richting}"),
                t("about.col_source"): ind.bron,
                t("about.col_level"): t(f"about.level_{ind.niveau}") + suspended,
                t("about.col_national"): national,
                t("about.col_lag"): t("about.lag_years", years=ind.vertraging_jaren),
                t("about.col_caveats"): " ".join(ind.kanttekeningen),
            }
        )
    return pd.DataFrame(rows)


def coverage_table(store: Store, config: Config) -> pd.DataFrame:
    """Per indicator in the database: periods, rows, latest reference date and source."""
    cov = store.query("coverage")
    names = {i.id: i.naam for i in config.indicatoren}
    return pd.DataFrame(
        {
            t("about.col_indicator"): [names.get(i, i) for i in cov["indicator_id"]],
            t("about.col_periods"): [
                f"{int(a)}–{int(b)}" for a, b in zip(cov["first_period"], cov["last_period"], strict=True)
            ],
            t("about.col_rows"): [fmt.integer(n) for n in cov["rows"]],
            t("about.col_reference_date"): [fmt.day(d) for d in cov["reference_date"]],
            t("about.col_source"): cov["source"],
        }
    )
