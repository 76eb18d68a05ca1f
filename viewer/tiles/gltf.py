"""glTF 2.0 / GLB tile content -> primitives in glTF scene axes with per-vertex feature ids.

Rules this module keeps:
1. The scene graph (node forest, world matrices, instancing counted against the limits) is walked by
   viewer.city.mesh_gltf.prepare, the same walk the mesh loader uses; this module reads the accessors itself
   because 3D Tiles need what trimesh drops: _BATCHID, _FEATURE_ID_n, quantized and compressed attributes.
2. Accessors are bounds-checked against their bufferView before a view is made; normalized integers become
   floats in [-1, 1] or [0, 1]; KHR_mesh_quantization needs nothing more (the node matrices dequantize).
3. Compressed data is decoded by the libraries made for it, imported where used: EXT_meshopt_compression by
   `meshopt`, KHR_draco_mesh_compression by `DracoPy`. A missing library is a LoadError naming the extension.
   A required extension not listed in READABLE_EXTENSIONS is refused by name.
4. Positions come out in glTF scene axes (y up): content.py turns them z-up exactly once.
5. Sparse accessors and texture feature ids are refused or skipped by name (not silently misread).
"""

from __future__ import annotations

import base64
import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city import mesh_gltf
from viewer.city.limits import check_count, parse_json_text
from viewer.config import Limits
from viewer.errors import LoadError
from viewer.tiles import fields
from viewer.tiles.uris import Reader, resolve

READABLE_EXTENSIONS = frozenset({
    "KHR_mesh_quantization", "EXT_meshopt_compression", "KHR_draco_mesh_compression", "EXT_mesh_features",
    "EXT_structural_metadata", "CESIUM_RTC", "KHR_materials_unlit", "KHR_texture_transform",
    "KHR_materials_variants", "EXT_texture_webp", "KHR_texture_basisu",
})
_DTYPES = {5120: np.int8, 5121: np.uint8, 5122: np.int16, 5123: np.uint16, 5125: np.uint32, 5126: np.float32}
_SIZES = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}
_GLB_JSON, _GLB_BIN = 0x4E4F534A, 0x004E4942
IMPLICIT_IDS = "(vertex index)"  # EXT_mesh_features ids with neither attribute nor texture


@dataclass
class Primitive:
    """One primitive of one node instance. positions : (v, 3) float64 in glTF scene axes (node matrix applied);
    triangles : (t, 3) int64 into positions, None for points; feature_ids : (v,) int64 (-1: none) or None;
    property_table : index into the file's property tables for those ids, or None."""

    positions: np.ndarray
    triangles: np.ndarray | None
    feature_ids: np.ndarray | None
    property_table: int | None
    instance: int
    colors: np.ndarray | None = None


@dataclass
class Gltf:
    """A parsed glTF: its JSON, its buffers (bytes, GLB binary chunk first) and decoded views (cached)."""

    where: str
    json: dict[str, Any]
    buffers: list[bytes]
    limits: Limits
    _views: dict[int, bytes] = field(default_factory=dict)

    def view(self, index: int) -> tuple[bytes, int | None]:
        """A bufferView's bytes (meshopt-decoded when compressed) and its byteStride."""
        views = fields.items(self.where, self.json.get("bufferViews", []), "bufferViews")
        index = fields.integer(self.where, index, "bufferView index", 0, len(views) - 1)
        view = fields.obj(self.where, views[index], f"bufferViews[{index}]")
        stride = view.get("byteStride")
        if index not in self._views:
            meshopt = view.get("extensions", {}).get("EXT_meshopt_compression")
            self._views[index] = self._meshopt(index, meshopt) if meshopt else self._slice(index, view)
        return self._views[index], stride if isinstance(stride, int) and stride > 0 else None

    def _slice(self, index: int, view: dict[str, Any]) -> bytes:
        buffer = fields.integer(self.where, view.get("buffer"), f"bufferViews[{index}].buffer", 0,
                                len(self.buffers) - 1)
        offset = fields.integer(self.where, view.get("byteOffset", 0), f"bufferViews[{index}].byteOffset")
        length = fields.integer(self.where, view.get("byteLength"), f"bufferViews[{index}].byteLength")
        if offset + length > len(self.buffers[buffer]):
            raise LoadError(self.where, f"bufferViews[{index}] runs past the end of buffer {buffer} "
                                        f"({offset + length:,} > {len(self.buffers[buffer]):,} bytes)")
        return self.buffers[buffer][offset:offset + length]

    def _meshopt(self, index: int, ext: dict[str, Any]) -> bytes:
        try:
            import meshopt  # the decoder meshoptimizer ships for glTF; imported only for compressed files
        except ImportError:
            raise LoadError(self.where, "EXT_meshopt_compression needs the 'meshopt' package") from None
        what = f"bufferViews[{index}].EXT_meshopt_compression"
        compressed = self._slice(index, ext)
        count = fields.integer(self.where, ext.get("count"), f"{what}.count")
        stride = fields.integer(self.where, ext.get("byteStride"), f"{what}.byteStride", 1, 256)
        check_count(self.where, "decompressed bufferView (bytes)", count * stride, self.limits.max_file_bytes)
        mode, filter_ = ext.get("mode"), ext.get("filter", "NONE")
        if mode not in ("ATTRIBUTES", "TRIANGLES", "INDICES") or filter_ not in (
                "NONE", "OCTAHEDRAL", "QUATERNION", "EXPONENTIAL", "COLOR"):
            raise LoadError(self.where, f"{what}: unknown mode {mode!r} or filter {filter_!r}")
        try:
            decoded = meshopt.decode_gltf_buffer(bytes(compressed), count, stride, mode, filter_)
        except Exception as exc:  # the decoder reports corrupt data with its own exception types
            raise LoadError(self.where, f"{what}: cannot decode ({exc})") from None
        return np.ascontiguousarray(decoded).tobytes()

    def accessor(self, index: Any) -> np.ndarray:
        """(count, components) array of an accessor: float64 when normalized, else its own dtype."""
        accessors = fields.items(self.where, self.json.get("accessors", []), "accessors")
        index = fields.integer(self.where, index, "accessor index", 0, len(accessors) - 1)
        acc = fields.obj(self.where, accessors[index], f"accessors[{index}]")
        what = f"accessors[{index}]"
        if "sparse" in acc:
            raise LoadError(self.where, f"{what}: sparse accessors are not read")
        dtype = _DTYPES.get(acc.get("componentType"))  # type: ignore[arg-type]
        size = _SIZES.get(acc.get("type"))  # type: ignore[arg-type]
        if dtype is None or size is None:
            raise LoadError(self.where, f"{what} has an unknown componentType or type")
        count = fields.integer(self.where, acc.get("count"), f"{what}.count")
        check_count(self.where, f"{what} count", count, self.limits.max_vertices * 3)
        if "bufferView" not in acc:
            return np.zeros((count, size), dtype)
        data, stride = self.view(acc["bufferView"])
        offset = fields.integer(self.where, acc.get("byteOffset", 0), f"{what}.byteOffset")
        item = np.dtype(dtype).itemsize
        stride = stride or item * size
        if count and offset + stride * (count - 1) + item * size > len(data):
            raise LoadError(self.where, f"{what} runs past the end of its bufferView")
        if offset % item:
            raise LoadError(self.where, f"{what}.byteOffset is not a multiple of its component size")
        array = np.ndarray((count, size), dtype, data, offset, (stride, item)).copy() if count else \
            np.zeros((0, size), dtype)
        return _normalized(array) if acc.get("normalized") else array


def _normalized(array: np.ndarray) -> np.ndarray:
    if array.dtype.kind == "f":
        return array.astype(np.float64)
    top = float(np.iinfo(array.dtype).max)
    return np.maximum(array.astype(np.float64) / top, -1.0)


def parse(where: str, data: bytes, limits: Limits, reader: Reader, root_dir: str | None) -> Gltf:
    """A GLB or glTF JSON file's bytes -> Gltf (buffers with uris read through `reader`)."""
    if data[:4] == b"glTF":
        document, binary = _split_glb(where, data)
    else:
        document, binary = fields.obj(where, parse_json_text(where, data), "glTF"), None
    asset = fields.obj(where, document.get("asset"), "asset")
    if not str(asset.get("version", "")).startswith("2"):
        raise LoadError(where, f"glTF version {asset.get('version')!r} is not supported (only 2.0)")
    unknown = sorted(set(document.get("extensionsRequired", [])) - READABLE_EXTENSIONS)
    if unknown:
        raise LoadError(where, f"glTF requires extensions this viewer does not read: {', '.join(map(str, unknown))}")
    buffers = []
    for i, item in enumerate(fields.items(where, document.get("buffers", []), "buffers")):
        buffers.append(_buffer(where, i, fields.obj(where, item, f"buffers[{i}]"), binary, reader, root_dir))
    return Gltf(where, document, buffers, limits)


def _split_glb(where: str, data: bytes) -> tuple[dict[str, Any], bytes | None]:
    if len(data) < 20:
        raise LoadError(where, f"truncated GLB ({len(data)} bytes)")
    _, version, length = struct.unpack_from("<4sII", data)
    if version != 2:
        raise LoadError(where, f"GLB version {version} is not supported (only 2)")
    if length > len(data) or length < 20:
        raise LoadError(where, f"GLB header says {length:,} bytes but {len(data):,} exist (truncated?)")
    json_length, json_type = struct.unpack_from("<II", data, 12)
    if json_type != _GLB_JSON or 20 + json_length > length:
        raise LoadError(where, "GLB first chunk is not a complete JSON chunk")
    document = fields.obj(where, parse_json_text(where, data[20:20 + json_length]), "glTF")
    binary = None
    at = 20 + json_length
    if at + 8 <= length:
        chunk_length, chunk_type = struct.unpack_from("<II", data, at)
        if chunk_type == _GLB_BIN:
            if at + 8 + chunk_length > length:
                raise LoadError(where, "GLB binary chunk runs past the end of the file")
            binary = data[at + 8:at + 8 + chunk_length]
    return document, binary


def _buffer(where: str, index: int, buffer: dict[str, Any], binary: bytes | None, reader: Reader,
            root_dir: str | None) -> bytes:
    length = fields.integer(where, buffer.get("byteLength"), f"buffers[{index}].byteLength")
    uri = buffer.get("uri")
    if uri is None:
        if buffer.get("extensions", {}).get("EXT_meshopt_compression", {}).get("fallback"):
            return b""  # a placeholder for decompressed data: never read directly
        if binary is None or index != 0:
            raise LoadError(where, f"buffers[{index}] has no uri and is not the GLB binary chunk")
        data = binary
    elif fields.string(where, uri, f"buffers[{index}].uri").startswith("data:"):
        header, _, payload = uri.partition(",")
        if not header.endswith(";base64"):
            raise LoadError(where, f"buffers[{index}]: only base64 data uris are read")
        data = base64.b64decode(payload, validate=False)
    else:
        data = reader(resolve(where, uri, root_dir))
    if length > len(data):
        raise LoadError(where, f"buffers[{index}] declares {length:,} bytes but {len(data):,} exist")
    return data


def primitives(gltf: Gltf, feature_attribute: str | None) -> list[Primitive]:
    """Every primitive of every node instance, node matrices applied (glTF axes), with feature ids from
    `feature_attribute` ("_BATCHID" for b3dm) or from EXT_mesh_features (None)."""
    plan = mesh_gltf.prepare(Path(gltf.where), _instances_only(gltf.json), gltf.limits, lambda uri: None)
    meshes = gltf.json.get("meshes", [])
    out = []
    for number, instance in enumerate(plan.instances):
        for p, primitive in enumerate(fields.items(gltf.where, meshes[instance.mesh].get("primitives", []),
                                                   "mesh primitives")):
            decoded = _primitive(gltf, fields.obj(gltf.where, primitive, f"primitive {p}"), feature_attribute)
            if decoded is None:
                continue
            positions, triangles, ids, table, colors = decoded
            placed = positions @ instance.matrix[:3, :3].T + instance.matrix[:3, 3]
            out.append(Primitive(placed, triangles, ids, table, number, colors))
    return out


def _instances_only(document: dict[str, Any]) -> bytes:
    """A GLB holding only what mesh_gltf.prepare needs to walk the scene graph: no buffers, nothing copied."""
    keep = {k: document[k] for k in ("asset", "scene", "scenes", "nodes", "meshes", "accessors") if k in document}
    text = json.dumps(keep, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)
    return struct.pack("<4sIIII", b"glTF", 2, 20 + len(text), len(text), _GLB_JSON) + text


def _primitive(gltf: Gltf, primitive: dict[str, Any], feature_attribute: str | None) -> tuple[
        np.ndarray, np.ndarray | None, np.ndarray | None, int | None, np.ndarray | None] | None:
    attributes = fields.obj(gltf.where, primitive.get("attributes", {}), "primitive attributes")
    mode = primitive.get("mode", 4)
    if "POSITION" not in attributes or mode not in (0, 4, 5, 6):
        return None  # lines and primitives without positions are not drawn
    draco = primitive.get("extensions", {}).get("KHR_draco_mesh_compression")
    features = primitive.get("extensions", {}).get("EXT_mesh_features")
    id_attribute, table = _feature_attribute(gltf, features, feature_attribute)
    indices: np.ndarray | None
    ids: np.ndarray | None
    if draco:
        positions, indices, ids = _draco(gltf, draco, id_attribute)
    else:
        positions = gltf.accessor(attributes["POSITION"]).astype(np.float64)
        indices = gltf.accessor(primitive["indices"]).ravel().astype(np.int64) if "indices" in primitive else None
        ids = gltf.accessor(attributes[id_attribute]).ravel() if id_attribute in attributes else None
    if id_attribute == IMPLICIT_IDS:
        ids = np.arange(positions.shape[0], dtype=np.int64)  # EXT_mesh_features without attribute: vertex index
    if positions.shape[1] != 3:
        raise LoadError(gltf.where, "POSITION must be VEC3")
    if ids is not None:
        ids = np.asarray(ids, np.float64).round().astype(np.int64)
        if ids.shape[0] != positions.shape[0]:
            raise LoadError(gltf.where, f"{id_attribute} has {ids.shape[0]} values for {positions.shape[0]} vertices")
    colors = gltf.accessor(attributes["COLOR_0"]) if "COLOR_0" in attributes and mode == 0 and not draco else None
    if mode == 0:
        return positions, None, ids, table, colors
    triangles = _triangles(gltf.where, indices, positions.shape[0], mode)
    return positions, triangles, ids, table, None


def _feature_attribute(gltf: Gltf, features: Any, feature_attribute: str | None) -> tuple[str | None, int | None]:
    """Which vertex attribute holds feature ids, and the property table they index (rule 5)."""
    if features is None:
        return feature_attribute, None
    sets = fields.items(gltf.where, fields.obj(gltf.where, features, "EXT_mesh_features").get("featureIds", []),
                        "EXT_mesh_features.featureIds")
    for item in sets:  # the first set with vertex ids (or implicit ids) wins; texture ids need images
        feature_set = fields.obj(gltf.where, item, "EXT_mesh_features featureId")
        if "texture" in feature_set:
            continue
        table = feature_set.get("propertyTable")
        table = table if isinstance(table, int) and not isinstance(table, bool) else None
        attribute = feature_set.get("attribute")
        if attribute is None:
            return IMPLICIT_IDS, table
        return f"_FEATURE_ID_{fields.integer(gltf.where, attribute, 'featureId attribute')}", table
    return feature_attribute, None


def _triangles(where: str, indices: np.ndarray | None, count: int, mode: int) -> np.ndarray:
    """(t, 3) int64 from TRIANGLES, TRIANGLE_STRIP or TRIANGLE_FAN; every index checked against `count`."""
    order = np.arange(count, dtype=np.int64) if indices is None else indices
    if order.size and (order.min() < 0 or order.max() >= count):
        raise LoadError(where, f"a primitive's index is outside its {count:,} vertices")
    if mode == 4:
        return order[: order.size - order.size % 3].reshape(-1, 3)
    n = max(order.size - 2, 0)
    i = np.arange(n)
    if mode == 5:  # strip: every other triangle flips to keep the winding
        even = (i % 2) == 0
        return np.stack([order[i], np.where(even, order[i + 1], order[i + 2]),
                         np.where(even, order[i + 2], order[i + 1])], axis=1)
    return np.stack([np.full(n, order[0]) if n else order[:0], order[i + 1], order[i + 2]], axis=1)


def _draco(gltf: Gltf, ext: dict[str, Any], id_attribute: str | None) -> tuple[
        np.ndarray, np.ndarray, np.ndarray | None]:
    try:
        import DracoPy  # Google's Draco decoder; imported only for compressed files
    except ImportError:
        raise LoadError(gltf.where, "KHR_draco_mesh_compression needs the 'DracoPy' package") from None
    data, _ = gltf.view(fields.integer(gltf.where, ext.get("bufferView"), "KHR_draco_mesh_compression.bufferView"))
    try:
        mesh = DracoPy.decode(bytes(data))
    except Exception as exc:  # DracoPy raises its own types (and ValueError) for corrupt streams
        raise LoadError(gltf.where, f"KHR_draco_mesh_compression: cannot decode ({exc})") from None
    attributes = fields.obj(gltf.where, ext.get("attributes", {}), "KHR_draco_mesh_compression.attributes")

    def attribute(name: str) -> np.ndarray | None:
        if name not in attributes:
            return None
        found = mesh.get_attribute_by_unique_id(attributes[name])
        return None if found is None else np.asarray(found["data"])

    positions = attribute("POSITION")
    positions = np.asarray(mesh.points if positions is None else positions, np.float64).reshape(-1, 3)
    faces = getattr(mesh, "faces", None)
    indices = np.asarray(faces, np.int64).ravel() if faces is not None else np.arange(len(positions))
    ids = attribute(id_attribute) if id_attribute else None
    return positions, indices, None if ids is None else ids.ravel()
