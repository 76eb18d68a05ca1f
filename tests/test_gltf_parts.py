"""glTF meshes of several primitives (one per material, as exporters write them) load as one object per node."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import numpy as np
import pytest

from viewer.city import mesh
from viewer.config import Limits, SourceConfig

GLB_FOLDERS = ("tiles3d_cesium_samples", "cityjson_delft", "cityjson_denhaag")


def _data_uri(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


def two_primitive_gltf() -> dict:
    """One mesh "house" of two primitives with different materials: a 1-triangle roof and a 2-triangle wall
    (indexed), used by two nodes, the second translated."""
    roof = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], np.float32).tobytes()
    wall = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], np.float32).tobytes()
    index = np.array([0, 1, 2, 0, 2, 3], np.uint16).tobytes()
    blob = roof + wall + index
    return {
        "asset": {"version": "2.0"},
        "buffers": [{"uri": _data_uri(blob), "byteLength": len(blob)}],
        "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 36},
                        {"buffer": 0, "byteOffset": 36, "byteLength": 48},
                        {"buffer": 0, "byteOffset": 84, "byteLength": 12}],
        "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
                       "min": [0, 0, 0], "max": [1, 1, 0]},
                      {"bufferView": 1, "componentType": 5126, "count": 4, "type": "VEC3",
                       "min": [0, 0, 0], "max": [1, 1, 0]},
                      {"bufferView": 2, "componentType": 5123, "count": 6, "type": "SCALAR"}],
        "materials": [{"pbrMetallicRoughness": {"baseColorFactor": [1, 0, 0, 1]}},
                      {"pbrMetallicRoughness": {"baseColorFactor": [0, 0, 1, 1]}}],
        "meshes": [{"name": "house", "primitives": [{"attributes": {"POSITION": 0}, "material": 0},
                                                    {"attributes": {"POSITION": 1}, "indices": 2,
                                                     "material": 1}]}],
        "nodes": [{"name": "a", "mesh": 0}, {"name": "b", "mesh": 0, "translation": [10, 0, 0]}],
        "scenes": [{"nodes": [0, 1]}],
        "scene": 0,
    }


def _glb(gltf: dict) -> bytes:
    text = json.dumps(gltf).encode()
    text += b" " * (-len(text) % 4)
    return struct.pack("<4sIII", b"glTF", 2, 20 + len(text), len(text)) + b"JSON" + text


@pytest.mark.parametrize("suffix", [".gltf", ".glb"])
def test_two_primitives_load_as_one_object_per_node(tmp_path: Path, suffix: str):
    """Both primitives of a mesh belong to each node's object: 2 nodes x (1 + 2) triangles."""
    gltf = two_primitive_gltf()
    path = tmp_path / f"house{suffix}"
    path.write_bytes(_glb(gltf) if suffix == ".glb" else json.dumps(gltf).encode())
    model = mesh.load(path, SourceConfig(), Limits())
    assert model.triangle_count == 6
    assert model.objects.ids == ["a", "b"]
    assert model.objects.attributes == [{"mesh": "house"}, {"mesh": "house"}]
    b = model.positions[model.vertex_object == 1]
    assert b.shape == (9, 3)
    np.testing.assert_allclose(b[:, 0].min(), 10.0)  # the translation reached every primitive


def _shared_glbs(shared_data: Path) -> list[Path]:
    found = []
    for folder in GLB_FOLDERS:
        found += sorted((shared_data / folder).rglob("*.glb")) + sorted((shared_data / folder).rglob("*.gltf"))
    return found


def test_every_shared_glb_loads(shared_data):
    """Every GLB of the 3D Tiles samples (4 of 20 have multi-primitive meshes) and the CityJSON exports loads."""
    paths = _shared_glbs(shared_data)
    assert len(paths) >= 22
    for path in paths:
        model = mesh.load(path, SourceConfig(), Limits())
        assert model.triangle_count > 0, path


def test_multi_material_house_keeps_every_primitive(shared_data):
    """house1-1.glb: one node, one mesh of 5 primitives (one per material): all of them are drawn."""
    path = shared_data / "tiles3d_cesium_samples/1.1/MetadataGranularities/house1-1.glb"
    with path.open("rb") as fh:
        head = fh.read(20)
        gltf = json.loads(fh.read(struct.unpack_from("<I", head, 12)[0]))
    accessors = gltf["accessors"]
    declared = sum(accessors[p["indices"]]["count"] // 3 for p in gltf["meshes"][0]["primitives"])
    model = mesh.load(path, SourceConfig(), Limits())
    assert model.triangle_count == declared
    assert model.objects.ids == ["house_type01"]
