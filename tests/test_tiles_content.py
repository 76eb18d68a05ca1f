"""Tile content: b3dm, i3dm, pnts, cmpt and glTF decoded into per-feature objects, and hostile tiles."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from viewer.config import Limits
from viewer.errors import LoadError
from viewer.tiles.content import decode_content

SAMPLES = "tiles3d_cesium_samples/1.0/TilesetWithRequestVolume"

# Two unit quads side by side in glTF axes (y up): feature 0 at x 0..1, feature 1 at x 2..3, both at y = 5.
QUADS = np.array([[0, 5, 0], [1, 5, 0], [1, 5, -1], [0, 5, -1], [2, 5, 0], [3, 5, 0], [3, 5, -1], [2, 5, -1]],
                 np.float32)
INDICES = np.array([0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7], np.uint32)
FEATURES = np.array([0, 0, 0, 0, 1, 1, 1, 1], np.float32)


def glb(document: dict, binary: bytes) -> bytes:
    binary += b"\0" * (-len(binary) % 4)
    document = {"asset": {"version": "2.0"}, "buffers": [{"byteLength": len(binary)}], **document}
    text = json.dumps(document).encode()
    text += b" " * (-len(text) % 4)
    return (struct.pack("<4sII", b"glTF", 2, 28 + len(text) + len(binary)) + struct.pack("<II", len(text), 0x4E4F534A)
            + text + struct.pack("<II", len(binary), 0x004E4942) + binary)


class Buffer:
    """Accumulates bufferViews and accessors for a test glTF."""

    def __init__(self) -> None:
        self.data, self.views, self.accessors = b"", [], []

    def view(self, data: bytes, **extra) -> int:
        self.data += b"\0" * (-len(self.data) % 4)
        self.views.append({"buffer": 0, "byteOffset": len(self.data), "byteLength": len(data), **extra})
        self.data += data
        return len(self.views) - 1

    def accessor(self, array: np.ndarray, component: int, kind: str, **extra) -> int:
        self.accessors.append({"bufferView": self.view(array.tobytes()), "componentType": component,
                               "count": len(array), "type": kind, **extra})
        return len(self.accessors) - 1

    def gltf(self, primitive: dict, **extra) -> bytes:
        document = {"bufferViews": self.views, "accessors": self.accessors, "meshes": [{"primitives": [primitive]}],
                    "nodes": [{"mesh": 0}], "scenes": [{"nodes": [0]}], **extra}
        return glb(document, self.data)


def metadata_glb() -> bytes:
    """The quads with EXT_mesh_features ids and an EXT_structural_metadata table of two buildings."""
    b = Buffer()
    names = b"TownhallMarket"
    primitive = {"attributes": {"POSITION": b.accessor(QUADS, 5126, "VEC3"),
                                "_FEATURE_ID_0": b.accessor(FEATURES, 5126, "SCALAR")},
                 "indices": b.accessor(INDICES, 5125, "SCALAR"),
                 "extensions": {"EXT_mesh_features": {"featureIds": [
                     {"featureCount": 2, "attribute": 0, "propertyTable": 0}]}}}
    table = {"class": "building", "count": 2, "properties": {
        "name": {"values": b.view(names), "stringOffsets": b.view(np.array([0, 8, 14], np.uint32).tobytes())},
        "height": {"values": b.view(np.array([12.5, 30.0], np.float32).tobytes())},
        "listed": {"values": b.view(bytes([0b10]))},
        "floors": {"values": b.view(np.array([1, 2, 3], np.uint8).tobytes()),
                   "arrayOffsets": b.view(np.array([0, 1, 3], np.uint32).tobytes())}}}
    schema = {"classes": {"building": {"properties": {
        "name": {"type": "STRING"}, "height": {"type": "SCALAR", "componentType": "FLOAT32"},
        "listed": {"type": "BOOLEAN"}, "floors": {"type": "SCALAR", "componentType": "UINT8", "array": True}}}}}
    return b.gltf(primitive, extensionsUsed=["EXT_mesh_features", "EXT_structural_metadata"],
                  extensions={"EXT_structural_metadata": {"schema": schema, "propertyTables": [table]}})


def test_cesium_city_b3dm_features_and_batch_table(shared_data):
    """Each city b3dm has 10 features, objects in batch order with their batch table row, placed near its
    RTC_CENTER, the glTF's z-up-to-y-up node matrix undone by the y-up turn."""
    total = 0
    for name in ("ll", "lr", "ul", "ur"):
        path = shared_data / SAMPLES / f"city/{name}.b3dm"
        content = decode_content(str(path), path.read_bytes())
        objects = content.model.objects
        assert content.kind == "b3dm" and len(objects) == 10
        assert objects.ids[0] == f"{name}#0" and set(objects.attributes[3]) >= {"id", "Longitude", "Height"}
        assert sorted(set(content.model.vertex_object.tolist())) == list(range(10))
        total += len(objects)
        # Every box stands on the ellipsoid: its lowest point is near height 0 and its top at its "Height".
        from viewer.geo.frame import LocalFrame

        lon, lat = np.degrees(objects.attributes[3]["Longitude"]), np.degrees(objects.attributes[3]["Latitude"])
        frame = LocalFrame.from_lonlat(lon, lat)
        local = frame.ecef_to_local(content.model.positions[content.model.vertex_object == 3])
        assert abs(local[:, 2].min()) < 0.5 and local[:, 2].max() == pytest.approx(objects.attributes[3]["Height"], abs=0.5)
        assert np.abs(local[:, :2].mean(axis=0)).max() < 20  # around its Longitude/Latitude
    assert total == 40


def test_building_b3dm_and_points_pnts(shared_data):
    """building.b3dm (BATCH_LENGTH 0) is one object of 66,094 triangles; points.pnts has 125,000 coloured points."""
    building = shared_data / SAMPLES / "building.b3dm"
    content = decode_content(str(building), building.read_bytes())
    assert len(content.model.objects) == 1 and content.model.triangle_count > 60_000
    points = shared_data / SAMPLES / "points.pnts"
    cloud = decode_content(str(points), points.read_bytes()).points[0]
    assert len(cloud) == 125_000 and cloud.colors is not None and cloud.colors.shape == (125_000, 4)
    assert np.abs(cloud.positions).max() < 2  # no RTC: the tile transform places it


def test_composite_of_b3dm_and_pnts(shared_data):
    """A cmpt holding a city b3dm and the point cloud decodes both, with the same transform."""
    inner = [(shared_data / SAMPLES / "city/ll.b3dm").read_bytes(), (shared_data / SAMPLES / "points.pnts").read_bytes()]
    data = struct.pack("<4sIII", b"cmpt", 1, 16 + sum(map(len, inner)), 2) + b"".join(inner)
    shift = np.eye(4)
    shift[:3, 3] = [0, 0, 1000]
    content = decode_content("c.cmpt", data, shift)
    assert content.kind == "cmpt(b3dm,pnts)" and len(content.model.objects) == 10
    assert np.abs(content.points[0].positions[:, 2]).min() > 990


def test_gltf_features_and_structural_metadata():
    """EXT_mesh_features ids with an EXT_structural_metadata table: two objects with typed attributes."""
    content = decode_content("m.glb", metadata_glb())
    objects = content.model.objects
    assert objects.types == ["building", "building"]
    assert objects.attributes == [{"name": "Townhall", "height": 12.5, "listed": False, "floors": [1]},
                                  {"name": "Market", "height": 30.0, "listed": True, "floors": [2, 3]}]
    first = content.model.positions[content.model.vertex_object == 0]
    assert first[:, 0].max() <= 1.0 and content.model.vertex_object.max() == 1


def test_y_up_is_turned_z_up_exactly_once():
    """glTF y = 5 becomes z = 5, glTF -z becomes +y; a tile transform is applied after that."""
    content = decode_content("m.glb", metadata_glb())
    assert np.allclose(content.model.positions[:, 2], 5.0)
    assert content.model.positions[:, 1].min() == pytest.approx(0.0) and content.model.positions[:, 1].max() == 1.0
    moved = np.eye(4)
    moved[:3, 3] = [100, 0, 0]
    assert np.allclose(decode_content("m.glb", metadata_glb(), moved).model.positions[:, 0].min(), 100.0)
    z_up = decode_content("m.glb", metadata_glb(), gltf_up_axis="Z")
    assert np.allclose(z_up.model.positions[:, 1], 5.0)


def test_quantized_positions_are_dequantized():
    """KHR_mesh_quantization: normalized int16 positions scaled back by the node matrix."""
    b = Buffer()
    quantized = np.round(QUADS / 5.0 * 32767).astype(np.int16)
    quantized = np.column_stack([quantized, np.zeros(8, np.int16)])  # VEC3 int16 padded to 4-byte stride
    b.accessors.append({"bufferView": b.view(quantized.tobytes(), byteStride=8), "componentType": 5122,
                        "count": 8, "type": "VEC3", "normalized": True})
    data = b.gltf({"attributes": {"POSITION": 0}, "indices": b.accessor(INDICES, 5125, "SCALAR")},
                  extensionsRequired=["KHR_mesh_quantization"], extensionsUsed=["KHR_mesh_quantization"])
    document = json.loads(data[20:20 + struct.unpack_from("<I", data, 12)[0]])
    document["nodes"][0]["scale"] = [5.0, 5.0, 5.0]
    content = decode_content("q.glb", glb({k: v for k, v in document.items() if k not in ("asset", "buffers")}, b.data))
    assert np.abs(np.sort(content.model.positions[:, 2]) - 5.0).max() < 1e-3


def test_draco_compressed_mesh_with_feature_ids():
    """KHR_draco_mesh_compression decoded by DracoPy, its _FEATURE_ID_0 attribute included."""
    dracopy = pytest.importorskip("DracoPy")
    encoded = dracopy.encode(QUADS, INDICES.reshape(-1, 3), preserve_order=True, quantization_bits=16,
                             generic_attributes={0: FEATURES.reshape(-1, 1)})
    mesh = dracopy.decode(encoded)
    ids = {a["attribute_type"]: a["unique_id"] for a in mesh.attributes}
    b = Buffer()
    view = b.view(encoded)
    b.accessors += [{"componentType": 5126, "count": 8, "type": "VEC3"},
                    {"componentType": 5126, "count": 8, "type": "SCALAR"},
                    {"componentType": 5125, "count": 12, "type": "SCALAR"}]
    primitive = {"attributes": {"POSITION": 0, "_FEATURE_ID_0": 1}, "indices": 2, "extensions": {
        "KHR_draco_mesh_compression": {"bufferView": view, "attributes": {"POSITION": ids[0], "_FEATURE_ID_0": ids[4]}},
        "EXT_mesh_features": {"featureIds": [{"featureCount": 2, "attribute": 0}]}}}
    content = decode_content("d.glb", b.gltf(primitive, extensionsRequired=["KHR_draco_mesh_compression"]))
    assert len(content.model.objects) == 2 and content.model.triangle_count == 4
    assert np.allclose(content.model.positions[:, 2], 5.0, atol=1e-3)


def test_meshopt_compressed_buffers():
    """EXT_meshopt_compression vertex and index streams decoded by the meshopt package."""
    meshopt = pytest.importorskip("meshopt")
    vertices = np.column_stack([QUADS, np.zeros(8, np.float32)])  # 16-byte rows
    b = Buffer()
    packed_vertices = meshopt.encode_gltf_buffer(vertices.view(np.uint8).reshape(8, 16), "ATTRIBUTES")
    packed_indices = meshopt.encode_gltf_buffer(INDICES.reshape(-1, 3), "TRIANGLES")
    ext_v = b.view(packed_vertices)
    ext_i = b.view(packed_indices)
    b.views += [{"buffer": 1, "byteLength": 128, "byteStride": 16, "extensions": {"EXT_meshopt_compression": {
                    **{k: b.views[ext_v][k] for k in ("buffer", "byteOffset", "byteLength")},
                    "byteStride": 16, "count": 8, "mode": "ATTRIBUTES"}}},
                {"buffer": 1, "byteLength": 48, "extensions": {"EXT_meshopt_compression": {
                    **{k: b.views[ext_i][k] for k in ("buffer", "byteOffset", "byteLength")},
                    "byteStride": 4, "count": 12, "mode": "TRIANGLES"}}}]
    b.accessors += [{"bufferView": 2, "componentType": 5126, "count": 8, "type": "VEC3"},
                    {"bufferView": 3, "componentType": 5125, "count": 12, "type": "SCALAR"}]
    data = b.gltf({"attributes": {"POSITION": 0}, "indices": 1}, extensionsRequired=["EXT_meshopt_compression"])
    document = json.loads(data[20:20 + struct.unpack_from("<I", data, 12)[0]])
    document["buffers"].append({"byteLength": 176, "extensions": {"EXT_meshopt_compression": {"fallback": True}}})
    content = decode_content("o.glb", glb({k: v for k, v in document.items() if k not in ("asset",)}, b.data))
    assert content.model.triangle_count == 4 and np.allclose(np.sort(content.model.positions[:, 0])[[0, -1]], [0, 3])


def test_i3dm_instances_with_batch_ids():
    """Three instances of the quads, translated by POSITION, one object each with its batch row."""
    model = metadata_glb()
    feature = json.dumps({"INSTANCES_LENGTH": 3, "POSITION": {"byteOffset": 0}, "BATCH_ID": {"byteOffset": 36}}).encode()
    feature += b" " * (-(32 + len(feature)) % 8)
    binary = np.array([[0, 0, 0], [100, 0, 0], [0, 100, 0]], np.float32).tobytes() + np.array([2, 1, 0], np.uint16).tobytes()
    binary += b"\0" * (-len(binary) % 8)
    batch = json.dumps({"kind": ["bench", "lamp", "tree"]}).encode()
    batch += b" " * (-len(batch) % 8)
    body = feature + binary + batch + model
    header = struct.pack("<4sIIIIIII", b"i3dm", 1, 32 + len(body), len(feature), len(binary), len(batch), 0, 1)
    content = decode_content("i.i3dm", header + body)
    assert [a["kind"] for a in content.model.objects.attributes] == ["bench", "lamp", "tree"]
    third = content.model.positions[content.model.vertex_object == 0]  # instance 2 has batch id 0
    assert third[:, 1].min() == pytest.approx(100.0)


# --- hostile tiles ------------------------------------------------------------------------------------------

def b3dm(feature: bytes = b"", batch: bytes = b"", payload: bytes = b"", length: int | None = None) -> bytes:
    body = feature + batch + payload
    return struct.pack("<4sIIIIII", b"b3dm", 1, length or 28 + len(body), len(feature), 0, len(batch), 0) + body


@pytest.mark.parametrize("data, reason", [
    (b"b3dm\x01\x00", "truncated b3dm header"),
    (b3dm(length=10_000), "header says 10,000 bytes"),
    (struct.pack("<4sIIIIII", b"b3dm", 1, 28, 500, 0, 0, 0), "run past the end"),
    (struct.pack("<4sIIIIII", b"b3dm", 2, 28, 0, 0, 0, 0), "version 2"),
    (b3dm(b'{"BATCH_LENGTH": 99999999}', payload=metadata_glb()), "BATCH_LENGTH"),
    (b3dm(b'{"BATCH_LENGTH": 2}', b'{"name": ["a"]}', metadata_glb()), "1 values for 2 features"),
    (b3dm(b'{"BATCH_LENGTH": 2}', b'{"h": {"byteOffset": 0, "componentType": "FLOAT", "type": "SCALAR"}}',
          metadata_glb()), "binary body has 0"),
    (b3dm(payload=b"glTF\x02\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 8), "GLB header says"),
    (struct.pack("<4sIII", b"cmpt", 1, 16, 3), "ends after 0"),
    (struct.pack("<4sIII", b"cmpt", 1, 28, 1) + struct.pack("<4sII", b"b3dm", 1, 999), "past the end of the composite"),
    (struct.pack("<4sIIIIII", b"pnts", 1, 56, 28, 0, 0, 0) + b'{"POINTS_LENGTH":900000000} ', "POINTS_LENGTH"),
    (b"abcd" + b"\0" * 40, "unknown tile content"),
])
def test_hostile_tiles_name_the_reason(data, reason):
    """Each broken tile is one LoadError whose message says what is wrong, before any large allocation."""
    with pytest.raises(LoadError, match=reason):
        decode_content("bad.tile", data, limits=Limits(max_objects=1000, max_vertices=100_000))


def test_glb_accessor_past_its_buffer_view_is_refused():
    """An accessor whose count runs past its bufferView is refused, not read out of bounds."""
    b = Buffer()
    position = b.accessor(QUADS, 5126, "VEC3")
    b.accessors[position]["count"] = 80
    with pytest.raises(LoadError, match="past the end"):
        decode_content("x.glb", b.gltf({"attributes": {"POSITION": position}}))


def test_nested_composites_are_bounded():
    """A cmpt nested five deep is refused."""
    data = metadata_glb()
    for _ in range(5):
        data = struct.pack("<4sIII", b"cmpt", 1, 16 + len(data), 1) + data
    with pytest.raises(LoadError, match="nest deeper"):
        decode_content("n.cmpt", data)


def test_unknown_required_gltf_extension_is_refused():
    """A glTF that requires an extension not read here names it."""
    b = Buffer()
    data = b.gltf({"attributes": {"POSITION": b.accessor(QUADS, 5126, "VEC3")}}, extensionsRequired=["VENDOR_x"])
    with pytest.raises(LoadError, match="VENDOR_x"):
        decode_content("x.glb", data)
