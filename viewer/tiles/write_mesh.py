"""The triangles of one written tile, in the tileset's ENU frame: features at full detail (from the pieces
write_stream.py spilled), or as flat-roofed boxes (write_hlod.py rule 3). Colours come from surface kinds so
roofs read as roofs in any 3D Tiles viewer.

Rules:
1. A tile's vertices are the features' own (each surface owns its vertices, city/model.py rule 2), so a
   vertex normal is its surface's normal: face normals summed per vertex and normalised.
2. Feature rows follow the order of the `ids` given: row i of the property table is ids[i].
"""

from __future__ import annotations

import numpy as np

from viewer.city.model import SurfaceKind
from viewer.tiles.write_glb import TileMesh
from viewer.tiles.write_hlod import Features
from viewer.tiles.write_place import Placement

KIND_RGBA = np.full((256, 4), 255, np.uint8)
KIND_RGBA[: len(SurfaceKind)] = [
    (205, 200, 190, 255),  # OTHER
    (186, 96, 80, 255),  # ROOF
    (222, 216, 204, 255),  # WALL
    (140, 136, 128, 255),  # GROUND
    (90, 90, 96, 255),  # ROAD
    (150, 170, 120, 255),  # TERRAIN
    (110, 150, 200, 255),  # WATER
    (235, 235, 225, 255),  # MARKING
]

# A box as 5 quads (4 walls, a roof; no floor): corner indices into the 8 corners (bit 0 x, bit 1 y, bit 2 z).
_BOX_QUADS = np.array([[0, 1, 5, 4], [1, 3, 7, 5], [3, 2, 6, 7], [2, 0, 4, 6], [4, 5, 7, 6]])
_BOX_KINDS = np.array([SurfaceKind.WALL] * 4 + [SurfaceKind.ROOF], np.uint8)


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The concatenation of arange(s, s + c) for each start s and count c, without a Python loop."""
    total = int(counts.sum())
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return shift + np.arange(total)


def spilled_mesh(vertices: list[np.ndarray], kinds: list[np.ndarray], vertex_feature: list[np.ndarray],
                 triangles: list[np.ndarray], feature_ids: np.ndarray, placement: Placement) -> TileMesh:
    """Features at full detail from pieces spilled by write_stream.py: per piece, vertices (v, 3) float32 local
    metres, kinds (v,) uint8 SurfaceKind, vertex_feature (v,) int64 feature index, triangles (t, 3) uint32 into
    the piece's vertices. feature_ids : (f,) int64 ascending, the features drawn: row i of the table is
    feature_ids[i] (rule 2)."""
    base = np.cumsum([0] + [v.shape[0] for v in vertices[:-1]])
    tris = np.concatenate([t + np.uint32(b) for t, b in zip(triangles, base, strict=True)])
    positions = placement.to_enu(np.concatenate(vertices).astype(np.float64))
    rows = np.searchsorted(feature_ids, np.concatenate(vertex_feature))
    return TileMesh(positions=positions, normals=_normals(positions, tris), colours=KIND_RGBA[np.concatenate(kinds)],
                    feature=rows, triangles=tris, feature_count=int(feature_ids.size))


def box_mesh(features: Features, ids: np.ndarray, placement: Placement) -> TileMesh:
    """Features `ids` as boxes from their lowest point to a flat roof at their top: 20 vertices, 10 triangles
    each (the corners go through the placement, so a box is exact where its building is)."""
    k = ids.size
    lo, hi = features.lo[ids], features.hi[ids]
    bits = (np.arange(8)[:, None] >> np.arange(3)[None, :]) & 1  # (8, 3) corner selectors
    corners = np.where(bits[None, :, :] == 1, hi[:, None, :], lo[:, None, :])  # (k, 8, 3)
    enu = placement.to_enu(corners.reshape(-1, 3)).reshape(k, 8, 3)
    positions = enu[:, _BOX_QUADS.reshape(-1), :].reshape(-1, 3)  # (k * 20, 3)
    quad = np.array([[0, 1, 2], [0, 2, 3]])
    local = (np.arange(5)[:, None, None] * 4 + quad[None, :, :]).reshape(-1, 3)  # (10, 3) within a box
    triangles = (local[None, :, :] + (np.arange(k) * 20)[:, None, None]).reshape(-1, 3).astype(np.uint32)
    kinds = np.tile(np.repeat(_BOX_KINDS, 4), k)
    return TileMesh(positions=positions, normals=_normals(positions, triangles), colours=KIND_RGBA[kinds],
                    feature=np.repeat(np.arange(k), 20), triangles=triangles, feature_count=int(k))


def merge(meshes: list[TileMesh]) -> TileMesh:
    """One mesh of several (feature rows renumbered in order: the second mesh's rows follow the first's)."""
    if len(meshes) == 1:
        return meshes[0]
    vertex_base = np.cumsum([0] + [m.positions.shape[0] for m in meshes[:-1]])
    row_base = np.cumsum([0] + [m.feature_count for m in meshes[:-1]])
    return TileMesh(
        positions=np.concatenate([m.positions for m in meshes]),
        normals=np.concatenate([m.normals for m in meshes]),
        colours=np.concatenate([m.colours for m in meshes]),
        feature=np.concatenate([m.feature + b for m, b in zip(meshes, row_base, strict=True)]),
        triangles=np.concatenate([m.triangles + np.uint32(b) for m, b in zip(meshes, vertex_base, strict=True)]),
        feature_count=int(sum(m.feature_count for m in meshes)))


def _normals(positions: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """(v, 3) float32 unit vertex normals (rule 1); straight up where a vertex has only degenerate faces."""
    a, b, c = (positions[triangles[:, i]] for i in range(3))
    face = np.cross(b - a, c - a)
    sums = np.zeros_like(positions)
    for corner in range(3):
        for axis in range(3):
            sums[:, axis] += np.bincount(triangles[:, corner], weights=face[:, axis], minlength=positions.shape[0])
    length = np.linalg.norm(sums, axis=1)
    flat = length < 1e-12
    sums[flat] = (0.0, 0.0, 1.0)
    length[flat] = 1.0
    return (sums / length[:, None]).astype(np.float32)
