"""What the demo's parts share: the coalition being built and the seeded random streams."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Coalition:
    id: str
    name: str
    area: str
    members: list[int]  # row indexes into the municipalities frame, the lead (lowest code) first
    phase: int
    history: list[tuple[int, dt.date]]  # (phase, since), phase 1 first
    trekker: str
    showcase: bool = False  # the UI's default municipality: a fixed plan with goals in every status
    full: bool = False  # a full plan: example municipalities and the largest cities
    areas: list[str] = field(default_factory=list)  # neighbourhoods or member municipalities named in titles
    ambitions: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)

    @property
    def start(self) -> dt.date:
        return self.history[0][1]

    @property
    def plan_date(self) -> dt.date | None:
        """The day the plan of approach was set (phase 3), None before that."""
        return next((since for p, since in self.history if p == 3), None)

    def phase_on(self, day: dt.date) -> int:
        return max([p for p, since in self.history if since <= day], default=1)


def rng_for(seed: int, part: str) -> np.random.Generator:
    """An independent, stable stream per part, so one part's changes do not shift the others."""
    return np.random.default_rng([seed, zlib.crc32(part.encode())])


def day_between(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, max((last - first).days, 0) + 1)))


def pick(rng: np.random.Generator, items):
    return items[int(rng.integers(len(items)))]
