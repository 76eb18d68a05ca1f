"""CityJSON "appearance": materials and textures of one theme each, per polygon and per ring vertex.

Rules this module keeps:
1. One theme of each: the file's "default-theme-material" / "default-theme-texture" when given, else the
   first theme met in a geometry. Other themes are ignored (one warning naming them).
2. A polygon's material is the theme's value for it (or the geometry's single "value"); its texture is the
   value of its outer ring ([texture index, uv index per ring vertex]); [null] leaves it untextured. The model's
   material table holds one entry per (material, texture) pair met (city/appearance.py), built in numpy.
3. Walked like the boundaries (cityjson_geometry.py rule 1): one extend per ring of uv indices, one append per
   ring and polygon; every check (nesting, counts, index ranges) is done on whole arrays in `resolve`. A
   geometry whose appearance does not mirror its boundaries loses it (one warning), never the geometry.
4. Image paths are relative to the file's folder; one outside it, or a URL, is refused (counted missing).
5. CityJSON Text Sequences: the header line's "appearance" serves every feature without its own; a
   CityJSONFeature's own "appearance" (materials, textures, vertices-texture) serves its geometries, whose
   indices are local to it: its arrays join the tables and its indices are offset as they are read
   (begin_feature). Themes are matched by name across features.
6. Geometry templates carry no appearance here (their instances keep their object's style colour).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.appearance import NO_MATERIAL, ImageRef, Material

_chain = itertools.chain.from_iterable


class CityJSONAppearance:
    """Collects the appearance of every geometry added to a PolygonSoup, in the same order."""

    def __init__(self, path: Path, raw: Any, warn: Any) -> None:
        self.path, self.warn = path, warn
        raw = raw if isinstance(raw, dict) else {}
        self.materials = [_diffuse(m) for m in _list(raw.get("materials"))]
        self.textures = [_image(path, t) for t in _list(raw.get("textures"))]
        self.uv_parts = [_uv_array(raw.get("vertices-texture"))]
        self.uv = self.uv_parts[0]
        self.offsets = (0, 0, 0)  # material, texture, uv index offsets of the current feature (rule 5)
        self.theme = {"material": raw.get("default-theme-material"), "texture": raw.get("default-theme-texture")}
        self.other_themes: set[str] = set()
        self.enabled = bool(self.materials or self.textures)
        self.poly_material: list[int] = []  # per polygon of the soup (main geometries)
        self.ring_texture: list[int] = []  # per ring: texture index, -1 none
        self.ring_uv_count: list[int] = []  # per ring: uv indices given (0 when untextured)
        self.uv_flat: list[Any] = []  # uv indices of textured rings, back to back

    def begin_feature(self, raw: Any, polygons: int, rings: int) -> None:
        """The next geometries belong to a CityJSONFeature with this "appearance" (None: the header's);
        `polygons` and `rings` were added to the soup before it (rule 5)."""
        if not isinstance(raw, dict):
            self.offsets = (0, 0, 0)
            return
        materials = [_diffuse(m) for m in _list(raw.get("materials"))]
        textures = [_image(self.path, t) for t in _list(raw.get("textures"))]
        uv = _uv_array(raw.get("vertices-texture"))
        self.offsets = (len(self.materials), len(self.textures), sum(p.shape[0] for p in self.uv_parts))
        self.materials.extend(materials)
        self.textures.extend(textures)
        self.uv_parts.append(uv)
        for kind in ("material", "texture"):
            if self.theme[kind] is None and isinstance(raw.get(f"default-theme-{kind}"), str):
                self.theme[kind] = raw[f"default-theme-{kind}"]
        if not self.enabled and (materials or textures):
            self.enabled = True  # geometries before this feature: no appearance
            self.poly_material.extend([NO_MATERIAL] * polygons)
            self.ring_texture.extend([-1] * rings)
            self.ring_uv_count.extend([0] * rings)

    def add(self, geometry: dict[str, Any], depth: int, rings: list[int]) -> None:
        """Record one geometry just added to the soup: `rings` holds its polygons' ring counts."""
        if not self.enabled:
            return
        count = len(rings)
        material_offset, texture_offset, uv_offset = self.offsets
        materials = self._materials(geometry, depth, count)
        if material_offset:
            materials = [m + material_offset if m >= 0 else m for m in materials]
        self.poly_material.extend(materials)
        textures = self._texture_values(geometry, depth, count, rings)
        if textures is None:
            total = sum(rings)
            self.ring_texture.extend([-1] * total)
            self.ring_uv_count.extend([0] * total)
            return
        for surface in textures:
            for ring in surface:
                first = ring[0] if type(ring) is list and ring else None
                self.ring_texture.append(first + texture_offset if type(first) is int and first >= 0 else -1)
                self.ring_uv_count.append(len(ring) - 1 if type(first) is int else 0)
                if type(first) is int:
                    self.uv_flat.extend([u + uv_offset if type(u) is int else u for u in ring[1:]] if uv_offset
                                        else ring[1:])

    def _pick(self, kind: str, themes: Any) -> Any:
        if not isinstance(themes, dict) or not themes:
            return None
        if self.theme[kind] is None:
            self.theme[kind] = next(iter(themes))
        self.other_themes.update(str(k) for k in themes if k != self.theme[kind])
        return themes.get(self.theme[kind])

    def _materials(self, geometry: dict[str, Any], depth: int, count: int) -> list[int]:
        chosen = self._pick("material", geometry.get("material"))
        if not isinstance(chosen, dict):
            return [NO_MATERIAL] * count
        if type(chosen.get("value")) is int:
            return [chosen["value"]] * count
        values = chosen.get("values")
        for _ in range(depth - 1):
            values = list(_chain(values)) if type(values) is list else None
        if type(values) is not list or len(values) != count:
            self.warn("a geometry's material values do not mirror its surfaces; its material is ignored")
            return [NO_MATERIAL] * count
        return [v if type(v) is int else NO_MATERIAL for v in values]

    def _texture_values(self, geometry: dict[str, Any], depth: int, count: int, rings: list[int]) -> Any:
        chosen = self._pick("texture", geometry.get("texture"))
        values: Any = chosen.get("values") if isinstance(chosen, dict) else None
        try:
            for _ in range(depth - 1):
                values = list(_chain(values))
            if len(values) != count or any(type(s) is not list or len(s) != r for s, r in zip(values, rings,
                                                                                               strict=True)):
                raise ValueError
        except (TypeError, ValueError):
            if values is not None:
                self.warn("a geometry's texture values do not mirror its boundaries; its texture is ignored")
            return None
        return values

    def resolve(self, raw_ring_len: list[int], ring_len: np.ndarray, poly_rings: np.ndarray
                ) -> tuple[list[Material], np.ndarray, np.ndarray]:
        """(materials, vertex_material (v,) int16, vertex_uv (v, 2) float32) for the soup's vertices after
        closing points were dropped (raw_ring_len: ring lengths as written; ring_len: as kept)."""
        if len(self.uv_parts) > 1:
            self.uv = np.concatenate(self.uv_parts)
        if self.other_themes:
            self.warn(f"appearance themes {sorted(self.other_themes)} ignored (showing "
                      f"{self.theme['texture'] or self.theme['material']})")
        raw = np.asarray(raw_ring_len, np.int64)
        n_vertices = int(ring_len.sum())
        uv_count = np.asarray(self.ring_uv_count, np.int64)
        tex = np.asarray(self.ring_texture, np.int64)
        uv_index = self._uv_indices(raw, uv_count, tex)
        vertex_uv = np.full((int(raw.sum()), 2), np.nan, np.float32)
        textured_ring = uv_count > 0
        if textured_ring.any():
            vertex_uv[np.repeat(textured_ring, raw)] = self.uv[uv_index]
        vertex_uv = vertex_uv[_kept(raw, ring_len)] if raw.sum() != n_vertices else vertex_uv
        outer = np.concatenate([[0], np.cumsum(poly_rings)[:-1]]).astype(np.int64) if poly_rings.size else \
            np.zeros(0, np.int64)
        poly_tex = tex[outer] if tex.size else np.zeros(0, np.int64)
        poly_mat = np.asarray(self.poly_material, np.int64)
        poly_mat = np.where((poly_mat >= 0) & (poly_mat < len(self.materials)), poly_mat, -1)
        poly_tex = np.where((poly_tex >= 0) & (poly_tex < len(self.textures)), poly_tex, -1)
        pairs, table = np.unique(np.stack([poly_mat, poly_tex], 1), axis=0, return_inverse=True)
        materials = [Material(f"material {m} texture {t}", self.materials[m] if m >= 0 else None,
                              self.textures[t] if t >= 0 else None) for m, t in pairs.tolist()]
        none = np.flatnonzero((pairs == -1).all(axis=1))
        poly_index = table.reshape(-1).astype(np.int64)
        if none.size:
            poly_index = np.where(poly_index == none[0], NO_MATERIAL, poly_index)
        per_poly = np.diff(np.concatenate([[0], np.cumsum(ring_len)])[np.concatenate([[0], np.cumsum(poly_rings)])])
        vertex_material = np.repeat(poly_index, per_poly).astype(np.int16)
        return materials, vertex_material, vertex_uv

    def _uv_indices(self, raw: np.ndarray, uv_count: np.ndarray, tex: np.ndarray) -> np.ndarray:
        """uv indices of the textured rings' vertices, checked (rule 3): rings with the wrong count or an
        index out of range are made untextured."""
        textured = uv_count > 0
        bad = textured & (uv_count != raw)
        if bad.any():
            self.warn(f"{int(bad.sum())} textured rings have a uv count unlike their vertex count; untextured")
        try:
            flat = np.array(self.uv_flat, dtype=np.int64) if self.uv_flat else np.zeros(0, np.int64)
        except (TypeError, ValueError, OverflowError):
            flat = np.full(len(self.uv_flat), -1, np.int64)
        ring_of = np.repeat(np.arange(uv_count.shape[0]), uv_count)
        out_of_range = (flat < 0) | (flat >= self.uv.shape[0])
        if out_of_range.any():
            self.warn("texture coordinate indices out of range; those rings are untextured")
            bad[np.unique(ring_of[out_of_range])] = True
        if bad.any():
            keep = ~bad[ring_of]
            flat = flat[keep]
            uv_count[bad] = 0
            tex[bad] = -1
        return flat


def _kept(raw: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """(sum raw,) bool: False for the last vertex of each ring whose closing point was dropped."""
    keep = np.ones(int(raw.sum()), bool)
    ends = np.cumsum(raw) - 1
    keep[ends[kept < raw]] = False
    return keep


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _diffuse(material: Any) -> tuple[float, float, float] | None:
    rgb = material.get("diffuseColor") if isinstance(material, dict) else None
    if type(rgb) is not list or len(rgb) != 3 or not all(type(v) in (int, float) for v in rgb):
        return None
    return tuple(min(max(float(v), 0.0), 1.0) for v in rgb)  # type: ignore[return-value]


def _image(path: Path, texture: Any) -> ImageRef:
    from viewer.city.mesh import image_ref  # the one rule for references inside the model's folder

    name = texture.get("image") if isinstance(texture, dict) else None
    if not isinstance(name, str) or not name:
        return ImageRef(str(name), refused="no image path")
    return image_ref(path, name)


def _uv_array(raw: Any) -> np.ndarray:
    if not isinstance(raw, list) or not raw:
        return np.zeros((0, 2), np.float32)
    try:
        uv = np.array(raw, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return np.zeros((0, 2), np.float32)
    if uv.ndim != 2 or uv.shape[1] != 2 or not np.isfinite(uv).all():
        return np.zeros((0, 2), np.float32)
    return uv.astype(np.float32)
