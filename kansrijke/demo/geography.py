"""Where municipalities lie, for the demo's regional coalitions: centroids and which boundaries touch.

Read from the municipal boundaries (GeoJSON in WGS84, one feature per municipality with property ``statcode``
or feature ``id`` = CBS code): ``reference.boundaries`` when set and present, else the GeoJSON shipped beside the
municipalities file (``data/gemeenten_2025.geojson`` or ``data/gemeenten_2024.geojson``). Plain numpy on the
vertices, nothing cached on disk (about 0.2 s for the 342 municipalities):

- coordinates are projected to kilometres with a flat projection around 52.2° N (good to a few per cent
  across the Netherlands, plenty to tell neighbours apart);
- a municipality's centroid is the area-weighted centroid of its outer rings (shoelace formula);
- two municipalities of the same province *touch* when their boundaries come within ``TOUCH_KM`` of each
  other (the closest pair of vertices; the simplified boundaries share their vertices along a common border,
  a few corners meet within metres).

Without a boundaries file ``geography`` returns None and the demo groups neighbours by code, as before.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kansrijke.core.config import Config

BOUNDARY_FILES = ("gemeenten_2025.geojson", "gemeenten_2024.geojson")
KM_PER_DEGREE = (111.32 * math.cos(math.radians(52.2)), 110.57)  # (longitude, latitude) around 52.2° N
TOUCH_KM = 0.3  # boundaries closer than this touch
NEAR_KM = 25.0  # a coalition takes a member that does not touch it only when its centroid is this close


@dataclass(frozen=True)
class Geography:
    """Per row of the municipalities frame: ``centroids`` (n x 2, km; NaN without a boundary) and
    ``touching`` (n x n, True when two municipalities of the same province share a border)."""

    centroids: np.ndarray
    touching: np.ndarray

    def distance(self, a: int, b: int) -> float:
        """Distance between two centroids in km (inf when one is unknown)."""
        d = float(np.hypot(*(self.centroids[a] - self.centroids[b])))
        return d if math.isfinite(d) else math.inf


def boundaries_file(config: Config) -> Path | None:
    """The boundaries GeoJSON: ``reference.boundaries`` when set (and there), else the shipped file in the folder
    of ``reference.municipalities``; None when there is none."""
    if config.reference.boundaries:
        path = config.resolve(config.reference.boundaries)
        if path.exists():
            return path
    folder = config.resolve(config.reference.municipalities).parent
    return next((folder / name for name in BOUNDARY_FILES if (folder / name).exists()), None)


def _polygons(geometry: dict) -> list:
    kind = (geometry or {}).get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _centroid(outer_rings: list[np.ndarray]) -> np.ndarray:
    """Area-weighted centroid of polygons given by their outer rings (km)."""
    area, moment = 0.0, np.zeros(2)
    for ring in outer_rings:
        x, y = ring[:, 0], ring[:, 1]
        x1, y1 = np.roll(x, -1), np.roll(y, -1)
        cross = x * y1 - x1 * y
        a = cross.sum() / 2
        if a == 0:
            continue
        cx, cy = ((x + x1) * cross).sum() / 6, ((y + y1) * cross).sum() / 6
        sign = 1.0 if a > 0 else -1.0  # rings may run either way round
        area += abs(a)
        moment += sign * np.array([cx, cy])
    if area == 0:
        points = np.vstack(outer_rings) if outer_rings else np.full((1, 2), np.nan)
        return points.mean(axis=0)
    return moment / area


def _gap(a: np.ndarray, b: np.ndarray, box_a: np.ndarray, box_b: np.ndarray) -> float:
    """Smallest distance between the vertices of two boundaries, looking only near the other's box."""
    near_a = a[((a >= box_b[0] - TOUCH_KM) & (a <= box_b[1] + TOUCH_KM)).all(axis=1)]
    near_b = b[((b >= box_a[0] - TOUCH_KM) & (b <= box_a[1] + TOUCH_KM)).all(axis=1)]
    if not len(near_a) or not len(near_b):
        return math.inf
    diff = near_a[:, None, :] - near_b[None, :, :]
    return float(np.sqrt((diff**2).sum(axis=-1)).min())


def geography(config: Config, munis: pd.DataFrame) -> Geography | None:
    """Centroids and touching boundaries for the rows of ``munis`` (None without a boundaries file)."""
    path = boundaries_file(config)
    if path is None:
        return None
    features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
    row = {code: i for i, code in enumerate(munis["code"])}
    n = len(munis)
    scale = np.array(KM_PER_DEGREE)
    centroids = np.full((n, 2), np.nan)
    points: list[np.ndarray | None] = [None] * n
    for feature in features:
        code = (feature.get("properties") or {}).get("statcode") or feature.get("id")
        i = row.get(code)
        polygons = _polygons(feature.get("geometry"))
        if i is None or not polygons:
            continue
        rings = [[np.asarray(ring, dtype=float)[:, :2] * scale for ring in polygon] for polygon in polygons]
        centroids[i] = _centroid([polygon[0] for polygon in rings])
        points[i] = np.vstack([ring for polygon in rings for ring in polygon])
    boxes = np.full((n, 2, 2), np.nan)
    for i, p in enumerate(points):
        if p is not None:
            boxes[i] = [p.min(axis=0), p.max(axis=0)]
    touching = np.zeros((n, n), dtype=bool)
    province = munis["province_code"].to_numpy()
    with np.errstate(invalid="ignore"):
        lo, hi = boxes[:, 0, :], boxes[:, 1, :]
        overlap = (lo[:, None, :] <= hi[None, :, :] + TOUCH_KM).all(-1)
        overlap &= (lo[None, :, :] <= hi[:, None, :] + TOUCH_KM).all(-1)
    overlap &= province[:, None] == province[None, :]
    for i, j in zip(*np.nonzero(np.triu(overlap, k=1)), strict=True):
        if _gap(points[i], points[j], boxes[i], boxes[j]) < TOUCH_KM:
            touching[i, j] = touching[j, i] = True
    return Geography(centroids, touching)


def grow(geo: Geography, first: int, candidates: list[int], size: int) -> list[int]:
    """A group of up to ``size`` municipalities around ``first``: each step adds the candidate that touches the
    group and lies closest to its centroid; when none touches, the closest one within ``NEAR_KM`` of a member."""
    group = [first]
    free = [c for c in candidates if c != first]
    while len(group) < size and free:
        centre = np.nanmean(geo.centroids[group], axis=0)
        touching = [c for c in free if geo.touching[group, c].any()]
        pool = touching or [c for c in free if min(geo.distance(c, g) for g in group) <= NEAR_KM]
        if not pool:
            break
        best = min(pool, key=lambda c: (float(np.hypot(*(geo.centroids[c] - centre))), c))
        group.append(best)
        free.remove(best)
    return group
