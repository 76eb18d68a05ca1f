"""CityGML appearances: X3DMaterial per surface and ParameterizedTexture (TexCoordList, TexCoordGen), by theme.

Rules this module keeps:
1. Read where met, in CityGML 1.0/2.0 and 3.0 encodings: an object's app:appearance (2.0) / core:appearance
   (3.0) at any depth of a member, and global appearanceMembers. Only documents that declare an appearance
   namespace are looked at (citygml.py), so files without appearances cost nothing. What is read is kept
   small (gml:ids hashed, uv as float32 arrays) until the end of the load: targets may come before or after
   their geometry (citygml_geometry rule 6 finds their vertices afterwards).
2. Themes: one for materials and one for textures, each the first theme met with surface data of its kind
   (an Appearance without <theme> is the theme ""); surface data of other themes is ignored, with one warning
   naming them. A surfaceDataMember / surfaceData with xlink:href="#id" puts surface data defined elsewhere
   in the file (any member, before or after) into the referencing Appearance's theme as well.
3. Targets are `#id`s of polygons (gml:Polygon, Triangle, ...). X3DMaterial: diffuseColor, for every
   `target`. ParameterizedTexture: imageURI; a target's TexCoordList gives u v pairs per ring in the ring's
   order, closing point included (2.0: textureCoordinates ring="#id"; 3.0: textureCoordinates and ring
   elements in parallel, or the ring attribute); a TexCoordGen's worldToTexture (3 x 4, row-major) maps the
   polygon's vertices in the model's CRS to (s/q, t/q). Texture coordinates have v = 0 at the image's bottom,
   as the model's vertex_uv (appearance.py rule 1). Targets naming anything but a polygon (a MultiSurface, a
   Solid) and rings whose uv count is short are not resolved (counted in one warning).
4. Images: imageURI relative to the file's folder, or, in a zip, to its member's folder inside the archive;
   anything outside (../, absolute, a URL) is refused and counted missing. Images are only referenced here
   (appearance.py rule 2); a missing one warns when the atlas is built, and its surfaces keep their colour.
5. Per polygon: the chosen texture and material; else its object's dominant X3DMaterial colour
   (citygml_attributes rule 5), else the style colour.
6. GeoreferencedTexture is not read: one warning with the count (its surfaces keep their colours).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.appearance import NO_MATERIAL, ImageRef, Material
from viewer.city.citygml_geometry import RingInfo
from viewer.city.citygml_names import XLINK_HREF

MAX_MATERIALS = 32767  # vertex_material is int16
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_GML_ID = ("{http://www.opengis.net/gml}id", "{http://www.opengis.net/gml/3.2}id")
APPEARANCE_PROPERTY_TAGS = ("{http://www.opengis.net/citygml/appearance/1.0}appearance",
                            "{http://www.opengis.net/citygml/appearance/2.0}appearance",
                            "{http://www.opengis.net/citygml/3.0}appearance")


def declares_appearance(root: Any) -> bool:
    """Whether a document's root declares a CityGML appearance namespace (rule 1)."""
    return any(ns and "/citygml/appearance/" in ns for ns in root.nsmap.values())


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if type(tag) is str else ""


def _target_hash(text: str | None) -> int:
    """hash of the gml:id a `#id` (or `file#id`) names; 0 for none."""
    gid = (text or "").strip().rpartition("#")[2]
    return hash(gid) if gid else 0


def _numbers(text: str | None) -> np.ndarray | None:
    try:
        values = np.array((text or "").split(), np.float64)
    except ValueError:
        return None
    return values if np.isfinite(values).all() else None


@dataclass
class _SurfaceData:
    """One X3DMaterial or ParameterizedTexture: its themes and what it targets (polygon id hashes)."""

    themes: set[str]
    diffuse: tuple[float, float, float] | None = None
    image: ImageRef | None = None
    targets: list[int] = field(default_factory=list)
    rings: dict[int, np.ndarray] = field(default_factory=dict)  # ring hash -> (n, 2) float32 uv
    generated: dict[int, np.ndarray] = field(default_factory=dict)  # polygon hash -> (3, 4) worldToTexture

    @property
    def is_texture(self) -> bool:
        return self.image is not None


class CityGMLAppearance:
    """Surface data of one load (rules above): `read` while streaming, `resolve` at the end."""

    def __init__(self, path: Path, warn: Any) -> None:
        self.path, self.warn = path, warn
        self.data: list[_SurfaceData] = []
        self.by_id: dict[str, int] = {}
        self.links: list[tuple[str, str]] = []  # (theme, gml:id of surface data defined elsewhere)
        self.theme_order: dict[str, int] = {}  # every theme, by first Appearance met in the document
        self.themes: dict[str, set[str]] = {"material": set(), "texture": set()}  # themes with data of a kind
        self.georeferenced = 0
        self.bad_coordinates = 0
        self._images: dict[tuple[str, str], ImageRef] = {}

    def __bool__(self) -> bool:
        return bool(self.data)

    # ----- reading (rule 1) -----

    def read(self, prop: Any, where: str) -> None:
        """An appearance property or appearanceMember: every Appearance under it."""
        for appearance in prop.iter("{*}Appearance"):
            theme = next((" ".join((c.text or "").split()) for c in appearance if _local(c.tag) == "theme"), "")
            self.theme_order.setdefault(theme, len(self.theme_order))
            for member in appearance:
                if _local(member.tag) not in ("surfaceDataMember", "surfaceData"):
                    continue
                href = member.get(XLINK_HREF)
                if href is not None:
                    self.links.append((theme, href.rpartition("#")[2]))
                    continue
                for item in member:
                    self._surface_data(item, theme, where)

    def _surface_data(self, elem: Any, theme: str, where: str) -> None:
        kind = _local(elem.tag)
        if kind == "GeoreferencedTexture":
            self.georeferenced += 1
            return
        if kind not in ("X3DMaterial", "ParameterizedTexture"):
            return
        gid = elem.get(_GML_ID[0]) or elem.get(_GML_ID[1])
        if gid is not None and gid in self.by_id:
            self.data[self.by_id[gid]].themes.add(theme)
            return
        data = _SurfaceData({theme})
        if kind == "X3DMaterial":
            self._material(elem, data)
            group = "material"
        else:
            self._texture(elem, data, where)
            group = "texture"
        self.themes[group].add(theme)
        if gid is not None:
            self.by_id[gid] = len(self.data)
        self.data.append(data)

    def _material(self, elem: Any, data: _SurfaceData) -> None:
        for part in elem:
            local = _local(part.tag)
            if local == "diffuseColor":
                rgb = _numbers(part.text)
                if rgb is not None and rgb.shape == (3,):
                    data.diffuse = tuple(float(v) for v in np.clip(rgb, 0.0, 1.0))  # type: ignore[assignment]
            elif local == "target":
                data.targets.append(_target_hash(part.text or part.get(XLINK_HREF)))
        if data.diffuse is None:
            data.targets.clear()  # a material without a colour changes nothing

    def _texture(self, elem: Any, data: _SurfaceData, where: str) -> None:
        uri = None
        for part in elem:
            local = _local(part.tag)
            if local == "imageURI":
                uri = (part.text or "").strip()
            elif local == "target":  # 2.0: <target uri="#poly"> TexCoordList | TexCoordGen </target>
                self._parameterization(data, _target_hash(part.get("uri")), part)
            elif local == "textureParameterization":  # 3.0: > TextureAssociation > target, parameterization
                for association in part:
                    target = next((c.text for c in association if _local(c.tag) == "target"), None)
                    for param in association:
                        if _local(param.tag) == "textureParameterization":
                            self._parameterization(data, _target_hash(target), param)
        data.image = self._image(uri or "", where)

    def _parameterization(self, data: _SurfaceData, polygon: int, holder: Any) -> None:
        if not polygon:
            return
        for param in holder:
            local = _local(param.tag)
            if local == "TexCoordList":
                data.targets.append(polygon)
                self._coordinate_list(data, param)
            elif local == "TexCoordGen":
                matrix = next((_numbers(m.text) for m in param if _local(m.tag) == "worldToTexture"), None)
                if matrix is None or matrix.shape != (12,):
                    self.bad_coordinates += 1
                    continue
                data.targets.append(polygon)
                data.generated[polygon] = matrix.reshape(3, 4)

    def _coordinate_list(self, data: _SurfaceData, elem: Any) -> None:
        """2.0: textureCoordinates ring="#r"; 3.0: textureCoordinates and ring elements in parallel."""
        lists, rings = [], []
        for part in elem:
            local = _local(part.tag)
            if local == "textureCoordinates":
                lists.append(part)
            elif local == "ring":
                rings.append(_target_hash(part.text))
        for i, coordinates in enumerate(lists):
            ring = _target_hash(coordinates.get("ring")) or (rings[i] if i < len(rings) else 0)
            values = _numbers(coordinates.text)
            if not ring or values is None or values.shape[0] % 2:
                self.bad_coordinates += 1
                continue
            data.rings[ring] = values.reshape(-1, 2).astype(np.float32)

    def _image(self, uri: str, where: str) -> ImageRef:
        """The ImageRef of an imageURI (rule 4), one per (document, uri)."""
        key = (where, uri)
        ref = self._images.get(key)
        if ref is None:
            ref = self._images[key] = self._new_image(uri, where)
        return ref

    def _new_image(self, uri: str, where: str) -> ImageRef:
        if not uri:
            return ImageRef("(empty imageURI)", refused="no image path")
        if not where:  # a file: the folder rule every format shares
            from viewer.city.mesh import image_ref

            return image_ref(self.path, uri)
        name = uri.replace("\\", "/")
        member = posixpath.normpath(posixpath.join(posixpath.dirname(where), name))
        if _URL.match(name) or name.startswith("/") or member.startswith("../") or member == "..":
            return ImageRef(uri, refused="outside the zip archive (only images inside it are read)")
        return ImageRef(uri, path=str(self.path), member=member)

    # ----- the end (rules 2, 3, 5) -----

    def resolve(self, positions: np.ndarray, rings: RingInfo, materials: list[Material],
                vertex_material: np.ndarray | None) -> tuple[list[Material], np.ndarray, np.ndarray]:
        """(materials, vertex_material, vertex_uv) of the model: `materials` and `vertex_material` (the
        object colours, or None) extended with the chosen themes' per-polygon materials and textures."""
        self._link()
        material_theme = self._theme("material")
        texture_theme = self._theme("texture")
        chosen = [d for d in self.data if (texture_theme if d.is_texture else material_theme) in d.themes]
        ring_start = np.zeros(rings.lengths.shape[0] + 1, np.int64)
        np.cumsum(rings.lengths, out=ring_start[1:])
        n = positions.shape[0]
        material_of = _lookup([d for d in chosen if not d.is_texture], self.data, rings.poly_hash)
        texture_of = _lookup([d for d in chosen if d.is_texture], self.data, rings.poly_hash)
        out_material = (np.full(n, NO_MATERIAL, np.int16) if vertex_material is None
                        else np.array(vertex_material, np.int16))
        uv = np.full((n, 2), np.nan, np.float32)
        table = list(materials)
        hit = (material_of >= 0) | (texture_of >= 0)
        if hit.any():
            pairs, inverse = np.unique(np.stack([material_of[hit], texture_of[hit]], 1), axis=0,
                                       return_inverse=True)
            inverse = inverse.reshape(-1)
            if len(table) + len(pairs) > MAX_MATERIALS:
                self.warn(f"more than {MAX_MATERIALS} material and texture combinations; the rest keep their "
                          "object's colour")
                keep = inverse < MAX_MATERIALS - len(table)
                hit[np.flatnonzero(hit)[~keep]] = False
                inverse = inverse[keep]
                pairs = pairs[:MAX_MATERIALS - len(table)]
            slot: dict[Material, int] = {m: i for i, m in enumerate(table)}  # equal materials shared
            remap = np.array([slot.setdefault(self._material_pair(int(m), int(t)), len(slot))
                              for m, t in pairs.tolist()], np.int64)
            table = list(slot)
            per_ring = np.full(rings.lengths.shape[0], -1, np.int64)
            per_ring[hit] = remap[inverse]
            vertex_ring = np.repeat(np.arange(rings.lengths.shape[0]), rings.lengths)
            chosen_vertex = per_ring[vertex_ring] >= 0
            out_material[chosen_vertex] = per_ring[vertex_ring][chosen_vertex]
            self._texture_coordinates(positions, rings, ring_start, texture_of, uv)
        self._report(material_theme, texture_theme, hit, rings)
        return table, out_material, uv

    def _link(self) -> None:
        missing = 0
        for theme, gid in self.links:
            index = self.by_id.get(gid)
            if index is None:
                missing += 1
                continue
            data = self.data[index]
            data.themes.add(theme)
            self.themes["texture" if data.is_texture else "material"].add(theme)
        if missing:
            self.warn(f"{missing} surfaceDataMember xlinks name no surface data in the file")
        self.links.clear()

    def _theme(self, group: str) -> str:
        themes = sorted(self.themes[group], key=self.theme_order.__getitem__)
        if len(themes) > 1:
            self.warn(f"{group} themes {themes[1:]} ignored (showing {themes[0] or 'the unnamed theme'!r})")
        return themes[0] if themes else ""

    def _material_pair(self, material: int, texture: int) -> Material:
        diffuse = self.data[material].diffuse if material >= 0 else None
        image = self.data[texture].image if texture >= 0 else None
        name = f"ParameterizedTexture {image.name}" if image is not None else f"X3DMaterial {diffuse}"
        return Material(name, diffuse, image)

    def _texture_coordinates(self, positions: np.ndarray, rings: RingInfo, ring_start: np.ndarray,
                             texture_of: np.ndarray, uv: np.ndarray) -> None:
        """uv of every textured ring: its TexCoordList (in the ring's written order, so reversed rings take
        their coordinates reversed), else its polygon's TexCoordGen (rule 3)."""
        short = 0
        for r in np.flatnonzero(texture_of >= 0).tolist():
            data = self.data[int(texture_of[r])]
            count = int(rings.lengths[r])
            start = int(ring_start[r])
            listed = data.rings.get(int(rings.ring_hash[r]))
            if listed is not None:
                if listed.shape[0] < count:
                    short += 1
                    continue
                order = np.arange(count)[::-1] if rings.flip[r] else np.arange(count)
                uv[start:start + count] = listed[order]
                continue
            matrix = data.generated.get(int(rings.poly_hash[r]))
            if matrix is not None:
                points = positions[start:start + count]
                stq = points @ matrix[:, :3].T + matrix[:, 3]
                with np.errstate(all="ignore"):
                    st = stq[:, :2] / np.where(stq[:, 2:3] == 0, 1.0, stq[:, 2:3])
                uv[start:start + count] = np.where(np.isfinite(st), st, np.nan)
        self.bad_coordinates += short

    def _report(self, material_theme: str, texture_theme: str, hit: np.ndarray, rings: RingInfo) -> None:
        found = set(np.unique(rings.poly_hash[hit]).tolist()) if hit.any() else set()
        unresolved = sum(1 for d in self.data if (texture_theme if d.is_texture else material_theme) in d.themes
                         for h in d.targets if h not in found)
        if unresolved:
            self.warn(f"{unresolved} appearance targets name no drawn polygon (another LoD, or a surface that "
                      "is not a polygon); not applied")
        if self.bad_coordinates:
            self.warn(f"{self.bad_coordinates} texture coordinate lists malformed or shorter than their ring; "
                      "those rings are untextured")
        if self.georeferenced:
            self.warn(f"{self.georeferenced} GeoreferencedTexture(s) not read; their surfaces keep their colour")


def _lookup(chosen: list[_SurfaceData], data: list[_SurfaceData], poly_hash: np.ndarray) -> np.ndarray:
    """(r,) int64 index into `data` of the surface data targeting each ring's polygon, -1 for none (the last
    one listed wins)."""
    out = np.full(poly_hash.shape[0], -1, np.int64)
    index = {id(d): i for i, d in enumerate(data)}
    keys: list[int] = []
    values: list[int] = []
    for d in chosen:
        keys.extend(d.targets)
        values.extend([index[id(d)]] * len(d.targets))
    if not keys:
        return out
    key_array = np.array(keys, np.int64)
    value_array = np.array(values, np.int64)
    order = np.argsort(key_array, kind="stable")
    key_array, value_array = key_array[order], value_array[order]
    last = np.append(key_array[1:] != key_array[:-1], True)  # the last of equal keys
    key_array, value_array = key_array[last], value_array[last]
    at = np.clip(np.searchsorted(key_array, poly_hash), 0, key_array.shape[0] - 1)
    match = (key_array[at] == poly_hash) & (poly_hash != 0)
    out[match] = value_array[at[match]]
    return out
