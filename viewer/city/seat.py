"""Objects on the terrain: 2D sources placed on it, 3D buildings that miss it found (and, on request, moved).

Rules this module keeps:
1. A source has no real heights when its loader says so (meta["real_heights"] False) or when every one of its
   objects has its lowest point within [0, FLAT_BASE_MAX] m (footprints extruded from 0, SUMO polygons a
   few cm up, GeoJSON without z). Its objects go ON the terrain: a standing object (`standing_roots`) moves
   up whole by the lowest terrain height under its footprint, so it never floats; a flat one (a road, a
   land-use polygon) is draped, each vertex at the terrain under it plus DRAPE_LIFT.
2. Objects are moved by their root (a Building with its BuildingParts), so parts stay together.
3. Standing objects of sources with real heights whose base is more than `tolerance` above (floating) or
   below (sunk) the lowest terrain under their footprint are counted in the SeatReport; with
   seat_buildings they are moved onto it. Tunnels are expected below the ground and never counted. Only a
   terrain that does not come from the buildings themselves (a DEM, the model's relief) is checked against:
   a "bases" surface is made of their bases, so a building off it only says its neighbours stand lower.
4. On a terrain flat at 0 nothing moves (a model without heights or relief looks as it always did), and
   a model without real heights on it is not even looked at (the procedural demo city loads as fast).
5. Vectorised over vertices and objects (numpy ufunc.at for per-object minima); the object columns are
   derived again when anything moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from viewer.city.localize import derive_object_columns
from viewer.city.model import CityModel, SourceModel
from viewer.city.terrain import FOOTPRINT_BAND, Terrain, roots, standing_roots

FLAT_BASE_MAX = 0.1  # metres (rule 1)
DRAPE_LIFT = 0.05  # metres above the terrain for draped surfaces
SEAT_TOLERANCE = 1.0  # metres (rule 3)
EXAMPLES = 5
_UNDERGROUND_TYPES = ("Tunnel",)
INDEPENDENT_SOURCES = ("dem", "relief")


@dataclass
class SeatReport:
    """What seating did and found. ids in `examples` are object ids of off-terrain buildings."""

    placed: int = 0  # standing objects of 2D sources moved onto the terrain
    draped: int = 0  # flat objects of 2D sources draped on it
    floating: int = 0
    sunk: int = 0
    seated: int = 0  # off-terrain buildings moved onto it (seat_buildings)
    examples: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return {"placed": self.placed, "draped": self.draped, "floating": self.floating, "sunk": self.sunk,
                "seated": self.seated, "examples": list(self.examples)}


def has_real_heights(source: SourceModel) -> bool:
    """Whether the source's heights are real (rule 1)."""
    if "real_heights" in source.meta:
        return bool(source.meta["real_heights"])
    if source.vertex_count == 0:
        return True
    z = source.positions[:, 2]
    if float(z.min()) < 0.0:
        return True
    lowest = np.full(len(source.objects), np.inf)
    np.minimum.at(lowest, source.vertex_object, z)
    lowest = lowest[np.isfinite(lowest)]
    return not bool(((lowest >= 0.0) & (lowest <= FLAT_BASE_MAX)).all())


def real_height_mask(sources: list[SourceModel]) -> np.ndarray:
    """(v,) bool over the localised model's vertices (sources concatenated in order, as localize does)."""
    parts = [np.full(s.vertex_count, has_real_heights(s), bool) for s in sources]
    return np.concatenate(parts) if parts else np.zeros(0, bool)


def seat(model: CityModel, terrain: Terrain, real_heights: np.ndarray, seat_buildings: bool = False,
         tolerance: float = SEAT_TOLERANCE) -> SeatReport:
    """Place 2D sources on the terrain and check (optionally move) 3D buildings (rules 1-5), in place."""
    report = SeatReport()
    flat_terrain = terrain.height_range == (0.0, 0.0)  # rule 4
    if model.vertex_count == 0 or model.objects.bbox_min is None or (flat_terrain and not real_heights.any()):
        return report
    root = roots(model)
    vertex_root = root[model.vertex_object]
    standing = standing_roots(model)
    base = model.objects.bbox_min[:, 2].astype(np.float64)
    lowest = _lowest_under_footprints(model, terrain, vertex_root, standing, base)
    dz = np.zeros(len(model.objects))
    is_2d = np.zeros(len(model.objects), bool)
    is_2d[vertex_root[~real_heights]] = True
    place = is_2d & standing & np.isfinite(lowest) & (not flat_terrain)
    dz[place] = lowest[place] - base[place]
    report.placed = int(np.count_nonzero(place & (root == np.arange(root.size))))
    independent = terrain.source in INDEPENDENT_SOURCES  # rule 3
    off = _off_terrain(model, standing & ~is_2d & np.isfinite(lowest) & independent, lowest - base, tolerance)
    report.floating = int(np.count_nonzero(off & (lowest < base)))
    report.sunk = int(np.count_nonzero(off & (lowest > base)))
    report.examples = [model.objects.ids[i] for i in np.flatnonzero(off)[:EXAMPLES]]
    if seat_buildings:
        dz[off] = lowest[off] - base[off]
        report.seated = int(np.count_nonzero(off))
    moved = dz[vertex_root]
    drape = ~real_heights & ~standing[vertex_root]
    if flat_terrain:
        drape[:] = False
    report.draped = int(np.unique(vertex_root[drape]).size)
    if drape.any():
        v = model.vertices
        moved[drape] = terrain.height_at(v[drape, 0], v[drape, 1]) + DRAPE_LIFT
    if np.any(moved):
        model.vertices[:, 2] += moved.astype(np.float32)
        derive_object_columns(model)
    return report


def _lowest_under_footprints(model: CityModel, terrain: Terrain, vertex_root: np.ndarray, standing: np.ndarray,
                             base: np.ndarray) -> np.ndarray:
    """(n,) float64: per standing root, the lowest terrain height at its footprint vertices (those within
    FOOTPRINT_BAND of its base); inf elsewhere."""
    lowest = np.full(len(model.objects), np.inf)
    z = model.vertices[:, 2].astype(np.float64)
    foot = standing[vertex_root] & (z <= base[vertex_root] + FOOTPRINT_BAND)
    if foot.any():
        v = model.vertices[foot]
        np.minimum.at(lowest, vertex_root[foot], terrain.height_at(v[:, 0], v[:, 1]))
    return lowest


def _off_terrain(model: CityModel, candidates: np.ndarray, gap: np.ndarray, tolerance: float) -> np.ndarray:
    """(n,) bool: candidate roots more than `tolerance` off the terrain, tunnels excepted (rule 3)."""
    underground = np.array([t.startswith(_UNDERGROUND_TYPES) for t in model.objects.types], bool)
    with np.errstate(invalid="ignore"):
        return candidates & ~underground & (np.abs(np.nan_to_num(gap, posinf=0.0, neginf=0.0)) > tolerance)
