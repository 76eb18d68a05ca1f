"""One tile's content as a binary glTF 2.0 (GLB) with per-feature identity, from numpy arrays.

Rules:
1. Input is z-up (the tileset's ENU frame); glTF is y-up, so positions and normals are written as (x, z, -y)
   exactly once here, and a 3D Tiles runtime turns them back (its y-up to z-up step).
2. Positions are float32 relative to the content's centre, which becomes the node's translation: float32 keeps
   millimetres only near zero.
3. Every vertex carries _FEATURE_ID_0 (float32: exact to 2^24, and a vertex attribute may not be UNSIGNED_INT),
   the row of its feature in the EXT_structural_metadata property table (EXT_mesh_features).
4. Every bufferView starts on an 8-byte boundary (property tables need it; glTF needs 4).
5. Property values: numbers FLOAT64 (NaN where a feature has none), everything else STRING ("" where none).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field

import numpy as np

from viewer.tiles.write_place import column_bounds

ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963
FLOAT, UNSIGNED_BYTE, UNSIGNED_SHORT, UNSIGNED_INT = 5126, 5121, 5123, 5125
METADATA_CLASS = "cityObject"


@dataclass
class PropertyColumn:
    """One property of the metadata class: name (a glTF identifier), kind "FLOAT64" or "STRING", the name
    it has in the source (its attribute key), and its values, one per feature of the tile."""

    name: str
    kind: str
    source_name: str
    values: list[object] = field(default_factory=list)


@dataclass
class TileMesh:
    """positions : (v, 3) float64 ENU metres; normals : (v, 3) float32 unit; colours : (v, 4) uint8;
    feature : (v,) int, the feature row of each vertex; triangles : (t, 3) uint32."""

    positions: np.ndarray
    normals: np.ndarray
    colours: np.ndarray
    feature: np.ndarray
    triangles: np.ndarray
    feature_count: int


class _Bin:
    """The GLB's binary chunk as it grows, and the bufferViews/accessors that point into it."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.views: list[dict[str, object]] = []
        self.accessors: list[dict[str, object]] = []

    def view(self, data: bytes, target: int | None = None) -> int:
        pad = (-self.size) % 8
        if pad:
            self.parts.append(b"\0" * pad)
            self.size += pad
        entry: dict[str, object] = {"buffer": 0, "byteOffset": self.size, "byteLength": len(data)}
        if target is not None:
            entry["target"] = target
        self.parts.append(data)
        self.size += len(data)
        self.views.append(entry)
        return len(self.views) - 1

    def accessor(self, array: np.ndarray, component: int, kind: str, target: int, **extra: object) -> int:
        view = self.view(np.ascontiguousarray(array).tobytes(), target)
        count = array.shape[0]
        self.accessors.append({"bufferView": view, "componentType": component, "count": count, "type": kind,
                               **extra})
        return len(self.accessors) - 1

    def blob(self) -> bytes:
        data = b"".join(self.parts)
        return data + b"\0" * ((-len(data)) % 4)


def _y_up(xyz: np.ndarray) -> np.ndarray:
    return np.stack([xyz[:, 0], xyz[:, 2], -xyz[:, 1]], axis=1)


def encode_glb(mesh: TileMesh, columns: list[PropertyColumn], generator: str) -> bytes:
    """The GLB bytes of one tile: one node, one mesh, one triangle primitive, one property table."""
    buf = _Bin()
    lo, hi = column_bounds(mesh.positions)
    centre = (lo + hi) / 2.0
    rel = _y_up(mesh.positions - centre).astype(np.float32)
    rel_lo, rel_hi = column_bounds(rel)
    position = buf.accessor(rel, FLOAT, "VEC3", ARRAY_BUFFER, min=[float(v) for v in rel_lo],
                            max=[float(v) for v in rel_hi])
    normal = buf.accessor(_y_up(mesh.normals).astype(np.float32), FLOAT, "VEC3", ARRAY_BUFFER)
    colour = buf.accessor(mesh.colours.astype(np.uint8), UNSIGNED_BYTE, "VEC4", ARRAY_BUFFER, normalized=True)
    feature = buf.accessor(mesh.feature.astype(np.float32), FLOAT, "SCALAR", ARRAY_BUFFER)
    small = mesh.positions.shape[0] <= 0xFFFF
    flat = mesh.triangles.reshape(-1).astype(np.uint16 if small else np.uint32)
    indices = buf.accessor(flat, UNSIGNED_SHORT if small else UNSIGNED_INT, "SCALAR", ELEMENT_ARRAY_BUFFER)
    metadata = _property_table(buf, columns, mesh.feature_count)
    primitive = {
        "attributes": {"POSITION": position, "NORMAL": normal, "COLOR_0": colour, "_FEATURE_ID_0": feature},
        "indices": indices, "material": 0, "mode": 4,
        "extensions": {"EXT_mesh_features": {"featureIds": [
            {"featureCount": mesh.feature_count, "attribute": 0, "propertyTable": 0}]}},
    }
    centre_y_up = _y_up(centre[None, :])[0]
    document = {
        "asset": {"version": "2.0", "generator": generator},
        "extensionsUsed": ["EXT_mesh_features", "EXT_structural_metadata"],
        "extensions": {"EXT_structural_metadata": metadata},
        "scene": 0, "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "translation": [float(v) for v in centre_y_up]}],
        "meshes": [{"primitives": [primitive]}],
        "materials": [{"pbrMetallicRoughness": {"baseColorFactor": [1.0, 1.0, 1.0, 1.0], "metallicFactor": 0.0,
                                                "roughnessFactor": 1.0}}],
        "accessors": buf.accessors, "bufferViews": buf.views,
    }
    blob = buf.blob()
    document["buffers"] = [{"byteLength": len(blob)}]
    return _container(document, blob)


def _property_table(buf: _Bin, columns: list[PropertyColumn], count: int) -> dict[str, object]:
    """EXT_structural_metadata: the schema (one class) and one property table of `count` rows."""
    schema_props: dict[str, object] = {}
    table_props: dict[str, object] = {}
    for column in columns:
        if column.kind == "FLOAT64":
            values = np.array([np.nan if v is None else float(v) for v in column.values], np.float64)  # type: ignore[arg-type]
            schema_props[column.name] = {"type": "SCALAR", "componentType": "FLOAT64", "name": column.source_name}
            table_props[column.name] = {"values": buf.view(values.tobytes())}
        else:
            encoded = [("" if v is None else str(v)).encode("utf-8") for v in column.values]
            offsets = np.zeros(len(encoded) + 1, np.uint32)
            np.cumsum([len(e) for e in encoded], out=offsets[1:])
            schema_props[column.name] = {"type": "STRING", "name": column.source_name}
            # A bufferView is never empty (glTF): a column of empty strings keeps one unused byte.
            table_props[column.name] = {"values": buf.view(b"".join(encoded) or b"\0"),
                                        "stringOffsets": buf.view(offsets.tobytes()), "stringOffsetType": "UINT32"}
    return {
        "schema": {"id": "citiverse", "classes": {METADATA_CLASS: {"properties": schema_props}}},
        "propertyTables": [{"class": METADATA_CLASS, "count": count, "properties": table_props}],
    }


def _container(document: dict[str, object], blob: bytes) -> bytes:
    """The 12-byte GLB header, the JSON chunk (padded with spaces) and the BIN chunk."""
    text = json.dumps(document, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-len(text)) % 4)
    total = 12 + 8 + len(text) + 8 + len(blob)
    return b"".join([struct.pack("<III", 0x46546C67, 2, total), struct.pack("<II", len(text), 0x4E4F534A), text,
                     struct.pack("<II", len(blob), 0x004E4942), blob])

