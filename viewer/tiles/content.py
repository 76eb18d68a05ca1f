"""Tile content (b3dm, i3dm, pnts, cmpt, glTF/GLB) -> a SourceModel in the tileset's coordinates, one object
per feature with its attributes, and point clouds beside it.

Rules this module keeps:
1. The result stays in the tileset's coordinates (ECEF for a standard tileset; crs says otherwise), float64,
   as every loader's SourceModel stays in its file's CRS; local_model() places it in a scene (placement.py).
2. glTF positions go: node matrices -> y-up to z-up, exactly once ((x, y, z) -> (x, -z, y), skipped when the
   tileset says asset.gltfUpAxis "Z") -> i3dm instance transforms -> RTC_CENTER / CESIUM_RTC -> the tile's
   world transform. pnts positions skip the first two.
3. Objects: a b3dm's features are objects 0 .. BATCH_LENGTH-1 in batch-id order with their batch table row as
   attributes; glTF EXT_mesh_features ids become one object per (property table, id) with the table's row;
   geometry without feature ids becomes one object per glTF node instance; an i3dm instance is one object.
   An object's id is its "id" attribute when that is a unique string, else "<name>#<feature>".
4. Triangles are unwelded (model.py rule 2); surface kinds are guessed from face normals against the local up
   direction (the ellipsoid normal for ECEF), as the mesh loader guesses against z.
5. cmpt nests at most MAX_COMPOSITE_DEPTH deep; every count is checked against the limits before allocation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from viewer.city.limits import DEFAULT_LIMITS, check_count
from viewer.city.localize import derive_object_columns
from viewer.city.model import CityModel, SourceModel, SourceModelBuilder, SurfaceKind
from viewer.config import Limits
from viewer.errors import LoadError
from viewer.tiles import fields, formats, gltf, tables
from viewer.tiles.placement import ECEF, TilesetPlacement
from viewer.tiles.points import PointCloud, decode_pnts
from viewer.tiles.uris import Reader, local_reader

MAX_COMPOSITE_DEPTH = 4
Y_UP_TO_Z_UP = np.array([[1.0, 0, 0, 0], [0, 0, -1, 0], [0, 1, 0, 0], [0, 0, 0, 1]])
_ROOF, _GROUND = 0.7, -0.7


@dataclass
class TileContent:
    """What one content decodes to: kinds ("b3dm", or "cmpt(b3dm,pnts)"), the mesh model (tileset
    coordinates, maybe empty) and point clouds."""

    uri: str
    kind: str
    model: SourceModel
    points: list[PointCloud] = field(default_factory=list)

    @property
    def feature_count(self) -> int:
        return len(self.model.objects) + sum(len(p.attributes) for p in self.points)


@dataclass
class _Options:
    uri: str
    name: str
    limits: Limits
    reader: Reader
    root_dir: str | None
    up: np.ndarray  # (4, 4) y-up to z-up, or identity
    ecef: bool


def decode_content(uri: str, data: bytes, transform: np.ndarray | None = None, *,
                   limits: Limits = DEFAULT_LIMITS, reader: Reader | None = None, root_dir: str | None = None,
                   crs: str = ECEF, gltf_up_axis: str = "Y", name: str | None = None) -> TileContent:
    """Decode one content's bytes (see module rules). transform: the tile's world transform ((4, 4), column
    vectors); root_dir bounds local references (a glTF's buffers, an i3dm's glTF uri); name prefixes ids."""
    options = _Options(uri, name or os.path.splitext(os.path.basename(uri.split("?")[0]))[0], limits,
                       reader or local_reader(limits), root_dir,
                       Y_UP_TO_Z_UP if str(gltf_up_axis).upper() == "Y" else np.eye(4), crs == ECEF)
    builder = _ModelBuilder(options)
    kinds = _decode(options, data, np.eye(4) if transform is None else np.asarray(transform, np.float64),
                    builder, 0)
    return TileContent(uri, kinds, builder.build(crs), builder.points)


def _decode(options: _Options, data: bytes, transform: np.ndarray, builder: _ModelBuilder, depth: int) -> str:
    try:
        kind = formats.kind_of(data)
    except LoadError:
        raise LoadError(options.uri, "unknown tile content (not b3dm, i3dm, pnts, cmpt, glb or glTF JSON)") from None
    if kind == "cmpt":
        if depth >= MAX_COMPOSITE_DEPTH:
            raise LoadError(options.uri, f"cmpt tiles nest deeper than {MAX_COMPOSITE_DEPTH} levels")
        inner = [_decode(options, tile, transform, builder, depth + 1) for tile in formats.cmpt(options.uri, data)]
        return f"cmpt({','.join(inner)})"
    if kind == "pnts":
        builder.points.append(decode_pnts(options.uri, formats.pnts(options.uri, data), transform,
                                          options.limits))
    elif kind == "b3dm":
        _b3dm(options, formats.b3dm(options.uri, data), transform, builder)
    elif kind == "i3dm":
        _i3dm(options, formats.i3dm(options.uri, data), transform, builder)
    else:
        _gltf(options, data, transform, builder)
    return kind


def _translation(offset: np.ndarray | None) -> np.ndarray:
    matrix = np.eye(4)
    if offset is not None:
        matrix[:3, 3] = offset
    return matrix


def _b3dm(options: _Options, parts: formats.Parts, transform: np.ndarray, builder: _ModelBuilder) -> None:
    where = options.uri
    table = tables.FeatureTable(where, parts.feature_json, parts.feature_binary)
    document = gltf.parse(where, parts.payload, options.limits, options.reader, options.root_dir)
    primitives = gltf.primitives(document, "_BATCHID")
    count = parts.batch_length if parts.batch_length is not None else table.number("BATCH_LENGTH")
    if count is None:  # some writers (py3dtiles) leave the feature table empty: the batch table tells
        count = _inferred_batch_length(where, parts.batch_json, primitives)
    check_count(where, "BATCH_LENGTH", count, options.limits.max_objects)
    rows = tables.batch_attributes(where, parts.batch_json, parts.batch_binary, count)
    matrix = (transform @ _translation(table.vector("RTC_CENTER", 3)) @ _translation(_gltf_rtc(document))
              @ options.up)
    builder.add_features("batch", rows, "Feature")
    for primitive in primitives:
        builder.add_primitive(primitive, matrix, "batch")


def _inferred_batch_length(where: str, batch_json: bytes, primitives: list[gltf.Primitive]) -> int:
    table = tables.table_json(where, batch_json, "batch table")
    lengths = {len(v) for k, v in table.items() if isinstance(v, list) and k not in ("extensions", "extras")}
    if len(lengths) == 1:
        return lengths.pop()
    ids = [int(p.feature_ids.max()) + 1 for p in primitives if p.feature_ids is not None and p.feature_ids.size]
    return max(ids, default=0)


def _gltf_rtc(document: gltf.Gltf) -> np.ndarray | None:
    center = document.json.get("extensions", {}).get("CESIUM_RTC", {}).get("center")
    if center is None:
        return None
    return fields.numbers(document.where, center, "CESIUM_RTC.center", 3)


def _gltf(options: _Options, data: bytes, transform: np.ndarray, builder: _ModelBuilder) -> None:
    document = gltf.parse(options.uri, data, options.limits, options.reader, options.root_dir)
    primitives = gltf.primitives(document, None)
    matrix = transform @ _translation(_gltf_rtc(document)) @ options.up
    schema = _schema(options, document)
    for index in sorted({p.property_table for p in primitives if p.property_table is not None}):
        class_name, rows = tables.property_table(options.uri, document.json, schema, index,
                                                 lambda i: document.view(i)[0], options.limits.max_objects)
        builder.add_features(f"table{index}", rows, class_name)
    for primitive in primitives:
        source = f"table{primitive.property_table}" if primitive.property_table is not None else None
        builder.add_primitive(primitive, matrix, source)


def _schema(options: _Options, document: gltf.Gltf) -> dict[str, Any]:
    extension = document.json.get("extensions", {}).get("EXT_structural_metadata")
    if not isinstance(extension, dict):
        return {}
    if isinstance(extension.get("schema"), dict):
        return extension["schema"]
    if isinstance(extension.get("schemaUri"), str):
        from viewer.city.limits import parse_json_text
        from viewer.tiles.uris import resolve

        target = resolve(options.uri, extension["schemaUri"], options.root_dir)
        loaded = parse_json_text(target, options.reader(target))
        return loaded if isinstance(loaded, dict) else {}
    return {}


def _i3dm(options: _Options, parts: formats.Parts, transform: np.ndarray, builder: _ModelBuilder) -> None:
    from viewer.tiles.instances import instance_matrices

    where = options.uri
    table = tables.FeatureTable(where, parts.feature_json, parts.feature_binary)
    count = table.number("INSTANCES_LENGTH")
    if count is None:
        raise LoadError(where, "i3dm feature table has no INSTANCES_LENGTH")
    check_count(where, "INSTANCES_LENGTH", count, options.limits.max_objects)
    payload = parts.payload
    if parts.gltf_format == 0:
        from viewer.tiles.uris import resolve

        target = resolve(where, payload.rstrip(b"\x00 ").decode("utf-8", "replace"), options.root_dir)
        payload = options.reader(target)
    document = gltf.parse(where, payload, options.limits, options.reader, options.root_dir)
    primitives = gltf.primitives(document, None)
    vertices = sum(p.positions.shape[0] for p in primitives)
    check_count(where, "vertex count (instances x glTF vertices)", count * vertices, options.limits.max_vertices)
    batch_ids = table.array("BATCH_ID", count, 1, "UNSIGNED_SHORT")
    batch_length = int(batch_ids.max()) + 1 if batch_ids is not None and count else count
    rows = tables.batch_attributes(where, parts.batch_json, parts.batch_binary, batch_length)
    instances = instance_matrices(where, table, count, options.ecef, table.vector("RTC_CENTER", 3))
    features = batch_ids.ravel().astype(np.int64) if batch_ids is not None else np.arange(count)
    builder.add_features("instance", rows, "Instance")
    for i in range(count):
        matrix = transform @ instances[i] @ options.up
        for primitive in primitives:
            ids = np.full(primitive.positions.shape[0], features[i], np.int64)
            builder.add_primitive(gltf.Primitive(primitive.positions, primitive.triangles, ids, None, i),
                                  matrix, "instance")


class _ModelBuilder:
    """Objects and unwelded triangles of one content (rules 3 and 4)."""

    def __init__(self, options: _Options) -> None:
        self.options = options
        self.builder = SourceModelBuilder(options.uri, options.limits)
        self.points: list[PointCloud] = []
        self.sources: dict[str, list[int]] = {}  # feature source -> object index per feature
        self.loose: dict[tuple[str, int], int] = {}  # geometry without a feature: object per (source, key)
        self.used_ids: set[str] = set()

    def _object(self, key: str, object_type: str, attributes: dict[str, Any]) -> int:
        candidate = attributes.get("id")
        object_id = candidate if isinstance(candidate, str) and candidate \
            else f"{self.options.name}#{key}"
        if object_id in self.used_ids:
            object_id = f"{self.options.name}#{key}"
        self.used_ids.add(object_id)
        # A feature's own "type" (a CityJSON/CityGML type written by `citiverse tile` or a converter) is more
        # telling than its metadata class ("cityObject"): styles and layers key on it.
        own_type = attributes.get("type")
        if isinstance(own_type, str) and own_type:
            object_type = own_type
        return self.builder.add_object(object_id, object_type, attributes)

    def add_features(self, source: str, rows: list[dict[str, Any]], object_type: str) -> None:
        prefix = "" if source in ("batch", "instance") else f"{source}:"
        self.sources[source] = [self._object(f"{prefix}{i}", object_type, row) for i, row in enumerate(rows)]

    def _fallback(self, source: str, instance: int) -> int:
        key = (source, instance)
        if key not in self.loose:
            self.loose[key] = self._object(f"{source}{instance}", "Feature", {})
        return self.loose[key]

    def add_primitive(self, primitive: gltf.Primitive, matrix: np.ndarray, source: str | None) -> None:
        positions = primitive.positions @ matrix[:3, :3].T + matrix[:3, 3]
        objects = self._vertex_objects(primitive, source)
        if primitive.triangles is None:
            colors = primitive.colors
            self.points.append(PointCloud(positions, None if colors is None else _rgba8(colors),
                                          None, []))
            return
        corners = primitive.triangles.ravel()
        unwelded = positions[corners]
        kinds = np.repeat(self._kinds(unwelded), 3)
        self.builder.add_surfaces(unwelded, np.arange(corners.size, dtype=np.int64).reshape(-1, 3),
                                  objects[corners], kinds)

    def _vertex_objects(self, primitive: gltf.Primitive, source: str | None) -> np.ndarray:
        n = primitive.positions.shape[0]
        table = self.sources.get(source) if source is not None else None
        if primitive.feature_ids is None or table is None:
            if primitive.feature_ids is not None and source is None:  # ids without a table: object per id
                return self._untabled(primitive)
            return np.full(n, self._fallback("node", primitive.instance), np.int32)
        lookup = np.asarray(table, np.int64)
        ids = primitive.feature_ids
        valid = (ids >= 0) & (ids < lookup.size)
        out = np.zeros(n, np.int32)
        out[valid] = lookup[ids[valid]]
        if not valid.all():
            out[~valid] = self._fallback(f"{source}-unbatched", primitive.instance)
        return out

    def _untabled(self, primitive: gltf.Primitive) -> np.ndarray:
        assert primitive.feature_ids is not None
        unique, inverse = np.unique(primitive.feature_ids, return_inverse=True)
        check_count(self.options.uri, "feature count", len(unique), self.options.limits.max_objects)
        indices = np.array([self._fallback("feature", int(u)) for u in unique], np.int32)
        return indices[inverse.ravel()]

    def _kinds(self, corners: np.ndarray) -> np.ndarray:
        """Surface kind per triangle from its normal against the local up direction (rule 4)."""
        a, b, c = corners[0::3], corners[1::3], corners[2::3]
        normal = np.cross(b - a, c - a)
        length = np.linalg.norm(normal, axis=1)
        up = _up(corners) if self.options.ecef else np.array([0.0, 0.0, 1.0])
        with np.errstate(invalid="ignore", divide="ignore"):
            cosine = np.where(length > 0, normal @ up / np.where(length > 0, length, 1.0), 0.0)
        kinds = np.full(len(a), SurfaceKind.WALL, np.uint8)
        kinds[cosine > _ROOF] = SurfaceKind.ROOF
        kinds[cosine < _GROUND] = SurfaceKind.GROUND
        return kinds

    def build(self, crs: str) -> SourceModel:
        return self.builder.build("3dtiles", crs)


def _up(points: np.ndarray) -> np.ndarray:
    """The ellipsoid normal (WGS84) at the middle of ECEF points: up for a content a few km wide."""
    if not len(points):
        return np.array([0.0, 0.0, 1.0])
    x, y, z = (points.min(axis=0) + points.max(axis=0)) / 2.0
    normal = np.array([x, y, z / (1.0 - 6.69437999014e-3)])
    norm = float(np.linalg.norm(normal))
    return normal / norm if norm > 0 else np.array([0.0, 0.0, 1.0])


def _rgba8(colors: np.ndarray) -> np.ndarray:
    values = colors.astype(np.float64)
    if colors.dtype.kind == "f":
        values = values * 255.0
    rgba = np.full((len(colors), 4), 255, np.uint8)
    rgba[:, :colors.shape[1]] = np.clip(np.round(values[:, :4]), 0, 255).astype(np.uint8)
    return rgba


def local_model(content: TileContent, placement: TilesetPlacement) -> CityModel:
    """The content's mesh placed in a scene: float32 local metres, per-object columns derived."""
    model = content.model
    vertices = placement.to_local32(model.positions) if model.vertex_count else np.zeros((0, 3), np.float32)
    city = CityModel(vertices=vertices, triangles=model.triangles, vertex_object=model.vertex_object,
                     vertex_kind=model.vertex_kind, objects=model.objects, sources=[content.uri])
    derive_object_columns(city)
    return city
