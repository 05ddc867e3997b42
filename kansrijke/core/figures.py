"""Figures several features share: "vergelijkbare gemeenten" (peers), series pooled over a set of
municipalities and the national series, all published (rates, intervals, small counts suppressed).

Peers of a municipality are the ``size`` municipalities nearest to it on a few named characteristics,
each standardised (z-score; population on a log scale) and weighted as ``peer_groups`` in config.yaml
says. Distances are weighted Euclidean. The list of peers is always shown with the figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kansrijke.core import disclosure
from kansrijke.core.config import Config
from kansrijke.core.stats import finish, split_by_indicator
from kansrijke.core.store import Store

INDICATOR_CHARACTERISTICS = ("kinderen_armoede", "bijstandskinderen", "eenoudergezinnen")


def characteristics(store: Store, config: Config, period: int | None = None) -> pd.DataFrame:
    """Per municipality (index = code) the peer characteristics that have a weight, standardised; indicator
    characteristics are the latest value up to ``period`` (all years when None)."""
    weights = config.peer_groups.vergelijkbare_gemeenten.weights
    munis = store.query("municipalities").set_index("code")
    frame = pd.DataFrame(index=munis.index)
    if "inwoners" in weights:
        frame["inwoners"] = np.log10(munis["population"].astype(float).clip(lower=1))
    if "stedelijkheid" in weights:
        frame["stedelijkheid"] = munis["urbanity"].astype(float)
    wanted = [c for c in INDICATOR_CHARACTERISTICS if c in weights]
    if wanted:
        latest = store.query("latest_values", {"indicators": wanted, "period": period})
        wide = latest.pivot(index="municipality_code", columns="indicator_id", values="value")
        for c in wanted:
            frame[c] = wide[c] if c in wide else np.nan
    frame = frame.astype(float)
    frame = frame.fillna(frame.median())
    std = frame.std(ddof=0).replace(0, 1)
    return (frame - frame.mean()) / std


def peers(store: Store, config: Config, code: str, period: int | None = None) -> list[str]:
    """The codes of the municipalities most like ``code`` (itself excluded), nearest first, by their
    characteristics up to ``period``."""
    z = characteristics(store, config, period)
    if code not in z.index:
        return []
    weights = config.peer_groups.vergelijkbare_gemeenten.weights
    w = np.array([weights[c] for c in z.columns])
    distance = np.sqrt((((z - z.loc[code]) ** 2) * w).sum(axis=1))
    distance = distance.drop(code).sort_values(kind="stable")
    return list(distance.index[: config.peer_groups.vergelijkbare_gemeenten.size])


def pooled(store: Store, config: Config, codes: list[str], indicator_ids: list[str]) -> dict[str, pd.DataFrame]:
    """Published series per indicator pooled over ``codes`` (sum of numerators / sum of denominators), through
    the disclosure plan. A municipality, a regional coalition's members or all municipalities are areas the
    plan knows: their figures are hidden where the plan says (``suppression`` names the rule). Any other set
    (peers, a chosen group) is pooled over the members whose own figure is published in that year only;
    ``hidden_members`` counts the members left out."""
    if not codes or not indicator_ids:
        return {}
    codes = list(dict.fromkeys(codes))
    plans = disclosure.plans(store, config, list(dict.fromkeys(indicator_ids)))
    known = all(p.knows(codes) for p in plans.values())
    hidden_members: dict[tuple[str, int], int] = {}
    if known:
        raw = store.query("pooled_series", {"codes": codes, "indicators": list(indicator_ids), "hidden": []})
    else:
        members = set(codes)
        hidden = []
        for i, p in plans.items():
            for (area, first, last), _ in p.hidden_figures.items():
                if first == last and len(area) == 1 and next(iter(area)) in members:
                    hidden.append(f"{i}|{next(iter(area))}|{first}")
                    hidden_members[(i, first)] = hidden_members.get((i, first), 0) + 1
        params = {"codes": codes, "indicators": list(indicator_ids), "hidden": hidden}
        raw = store.query("pooled_series", params)
    out = {}
    for i, frame in split_by_indicator(raw).items():
        done = finish(frame, config.indicator(i), config.privacy.min_count, config.status.confidence_level)
        if known:
            done = plans[i].apply(done, codes)
        else:
            done["hidden_members"] = [hidden_members.get((i, int(p)), 0) for p in done["period"]]
        out[i] = done
    return out


def national(store: Store, config: Config, indicator_ids: list[str]) -> dict[str, pd.DataFrame]:
    """Published national series per indicator: the national series where one exists for a period, else pooled
    over all municipalities (``basis`` says which), through the disclosure plan."""
    raw = split_by_indicator(store.query("national_series", {"indicators": list(indicator_ids)}))
    plans = disclosure.plans(store, config, list(raw))
    return {
        i: plans[i].apply(
            finish(frame, config.indicator(i), config.privacy.min_count, config.status.confidence_level),
            disclosure.NATIONAL,
        )
        for i, frame in raw.items()
    }
