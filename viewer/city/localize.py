"""SourceModels (float64, each in its own CRS) -> one CityModel in a LocalFrame (float32 local metres).

Also derives the per-object columns of the object table, vectorised over all vertices and triangles:
bounding box, height (z extent) and footprint area (xy area of ground surfaces, else of up-facing ones).
A parent (a Building made of BuildingParts) gets the union of its children's boxes and the sum of their
footprints when it has no geometry of its own.

A source's triangle, object and kind arrays are used as they are when they need no re-basing (the first
source) and there is nothing to join them to (one source): the CityModel then shares them with the
SourceModel instead of copying 30 MB per million triangles. Neither is modified in place afterwards.

Appearances (city/model.py rule 5): the material tables are concatenated and each source's vertex_material
re-based onto the joined table; a source without appearance contributes -1 materials and NaN uvs, and when
no source has one the CityModel has none either.
"""

from __future__ import annotations

import numpy as np

from viewer.city.appearance import NO_MATERIAL, merge
from viewer.city.model import CityModel, ObjectTable, SourceModel, SurfaceKind
from viewer.geo.frame import LocalFrame


def localize(sources: list[SourceModel], frame: LocalFrame) -> CityModel:
    """Concatenate sources into one CityModel in `frame` (object indices and parents re-based per source)."""
    vertices, triangles, objs, kinds = [], [], [], []
    ids: list[str] = []
    types: list[str] = []
    attributes: list[dict] = []
    parents = []
    vertex_base = object_base = 0
    for src in sources:
        vertices.append(frame.to_local(src.positions, src.crs))
        # The first source's arrays need no re-basing: used as they are, and not concatenated when alone.
        triangles.append(_rebased(src.triangles, np.uint32, vertex_base))
        objs.append(_rebased(src.vertex_object, np.int32, object_base))
        kinds.append(src.vertex_kind.astype(np.uint8, copy=False))
        ids.extend(src.objects.ids)
        types.extend(src.objects.types)
        attributes.extend(src.objects.attributes)
        p = src.objects.parents.astype(np.int32)
        parents.append(np.where(p >= 0, p + object_base, -1).astype(np.int32))
        vertex_base += src.vertex_count
        object_base += len(src.objects)
    table = ObjectTable(ids, types, _joined(parents, (0,), np.int32), attributes)
    model = CityModel(vertices=_joined(vertices, (0, 3), np.float32),
                      triangles=_joined(triangles, (0, 3), np.uint32),
                      vertex_object=_joined(objs, (0,), np.int32), vertex_kind=_joined(kinds, (0,), np.uint8),
                      objects=table, sources=[s.path for s in sources])
    _join_appearances(model, sources)
    derive_object_columns(model)
    return model


def _join_appearances(model: CityModel, sources: list[SourceModel]) -> None:
    """Set the model's appearance, vertex_material and vertex_uv from its sources' (module docstring)."""
    appearance, bases = merge([(s.appearance, s.vertex_count) for s in sources])
    if appearance is None:
        return
    materials, uvs = [], []
    for src, base in zip(sources, bases, strict=True):
        if src.appearance is None or src.vertex_material is None or src.vertex_uv is None:
            materials.append(np.full(src.vertex_count, NO_MATERIAL, np.int16))
            uvs.append(np.full((src.vertex_count, 2), np.nan, np.float32))
            continue
        m = src.vertex_material.astype(np.int16, copy=False)
        materials.append(np.where(m >= 0, m + np.int16(base), m).astype(np.int16) if base else m)
        uvs.append(src.vertex_uv.astype(np.float32, copy=False))
    model.appearance = appearance
    model.vertex_material = _joined(materials, (0,), np.int16)
    model.vertex_uv = _joined(uvs, (0, 2), np.float32)


def _rebased(array: np.ndarray, dtype: type, base: int) -> np.ndarray:
    """array as `dtype` plus `base` (no copy when it already has the dtype and base is 0)."""
    out: np.ndarray = array.astype(dtype, copy=False)
    return out + dtype(base) if base else out


def _joined(parts: list[np.ndarray], empty_shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """The parts concatenated (the only part itself when there is one)."""
    if not parts:
        return np.zeros(empty_shape, dtype)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def derive_object_columns(model: CityModel) -> None:
    """Fill objects.bbox_min/bbox_max/height/footprint_area from the geometry (NaN where an object has none)."""
    n = len(model.objects)
    lo = np.full((n, 3), np.inf, np.float32)
    hi = np.full((n, 3), -np.inf, np.float32)
    if model.vertex_count:
        obj, verts = model.vertex_object, model.vertices
        if not np.all(obj[1:] >= obj[:-1]):  # loaders usually emit objects in order: sort only when not
            order = np.argsort(obj, kind="stable")
            obj, verts = obj[order], verts[order]
        first = np.flatnonzero(np.concatenate([[True], obj[1:] != obj[:-1]]))
        present = obj[first]
        for axis in range(3):  # per column: reduceat over a (v, 3) array's rows is several times slower
            column = np.ascontiguousarray(verts[:, axis])
            lo[present, axis] = np.minimum.reduceat(column, first)
            hi[present, axis] = np.maximum.reduceat(column, first)
    area = _footprint_areas(model, n)
    # Fold children into parents (one level: BuildingPart -> Building) where the parent has no own geometry.
    parents = model.objects.parents
    child = np.flatnonzero(parents >= 0)
    if child.size:
        own = np.isfinite(lo[:, 0])
        target = parents[child]
        np.minimum.at(lo, target, lo[child])
        np.maximum.at(hi, target, hi[child])
        child_area = np.zeros(n, np.float64)
        np.add.at(child_area, target, np.nan_to_num(area[child], nan=0.0))
        area = np.where(own | (child_area == 0), area, child_area)
    empty = ~np.isfinite(lo[:, 0])
    lo[empty] = np.nan
    hi[empty] = np.nan
    with np.errstate(invalid="ignore"):
        model.objects.bbox_min = lo
        model.objects.bbox_max = hi
        model.objects.height = (hi[:, 2] - lo[:, 2]).astype(np.float32)
    model.objects.footprint_area = area.astype(np.float32)


def _footprint_areas(model: CityModel, n: int) -> np.ndarray:
    """(n,) float64: xy area of each object's ground surfaces, or of its up-facing ones when it has no ground."""
    area = np.full(n, np.nan, np.float64)
    if model.triangle_count == 0:
        return area
    tri = model.triangles
    # Only x and y matter: gathered per column and corner (no (t, 3) float64 temporaries).
    x, y = (np.ascontiguousarray(model.vertices[:, i], np.float64) for i in (0, 1))
    first = tri[:, 0]
    ax, ay = x[first], y[first]
    cross_z = (x[tri[:, 1]] - ax) * (y[tri[:, 2]] - ay) - (y[tri[:, 1]] - ay) * (x[tri[:, 2]] - ax)
    tri_area = 0.5 * np.abs(cross_z)
    obj = model.vertex_object[first]
    kind = model.vertex_kind[first]
    ground = np.bincount(obj, weights=np.where(kind == SurfaceKind.GROUND, tri_area, 0.0), minlength=n)
    upward = np.bincount(obj, weights=np.where(cross_z > 0, tri_area, 0.0), minlength=n)
    has_geometry = np.bincount(obj, minlength=n) > 0
    area[has_geometry] = np.where(ground > 0, ground, upward)[has_geometry]
    return area
