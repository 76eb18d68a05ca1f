"""Mesh loader (glTF/GLB, OBJ, PLY): real exports from ../shared/data and hand-made hostile files."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.city import mesh
from viewer.city.model import SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError

DELFT_MIN = np.array([84616.468, 447422.999, -0.452])
DELFT_MAX = np.array([85140.839, 447750.636, 16.846])
BOX_OBJ = """o box
v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 0 0 1\nv 1 0 1\nv 1 1 1\nv 0 1 1
f 1 4 3 2\nf 5 6 7 8\nf 1 2 6 5\nf 2 3 7 6\nf 3 4 8 7\nf 4 1 5 8
"""


def _load(path: Path, **options) -> mesh.SourceModel:
    return mesh.load(path, SourceConfig(**options), Limits())


def _triangle_gltf(nodes: list[dict], buffer_uri: str | None = None, **extra) -> dict:
    """A glTF with one triangle mesh in its x-y plane: upright (in the x-z plane) once turned Z-up."""
    positions = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], np.float32).tobytes()
    uri = buffer_uri or "data:application/octet-stream;base64," + base64.b64encode(positions).decode()
    gltf = {
        "asset": {"version": "2.0"},
        "buffers": [{"uri": uri, "byteLength": len(positions)}],
        "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": len(positions)}],
        "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
                       "min": [0, 0, 0], "max": [1, 1, 0]}],
        "meshes": [{"name": "tri", "primitives": [{"attributes": {"POSITION": 0}}]}],
        "nodes": nodes,
        "scenes": [{"nodes": [i for i in range(len(nodes))
                              if not any(i in n.get("children", []) for n in nodes)]}],
        "scene": 0,
    }
    gltf.update(extra)
    return gltf


def _write_gltf(tmp_path: Path, gltf: dict, name: str = "m.gltf") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(gltf))
    return path


def _glb_bytes(gltf: dict) -> bytes:
    text = json.dumps(gltf).encode()
    text += b" " * (-len(text) % 4)
    return struct.pack("<4sIII", b"glTF", 2, 20 + len(text), len(text)) + b"JSON" + text


# --- real data -------------------------------------------------------------------------------------------

def test_delft_glb_objects_triangles_and_bounds(shared_data):
    """cjio's Y-up GLB of Delft gives 570 objects, 36,271 triangles, and the CityJSON bbox once turned Z-up."""
    model = _load(shared_data / "cityjson_delft/derived/delft.glb")
    assert len(model.objects) == 570
    assert model.triangle_count == 36_271
    assert model.vertex_count == 3 * 36_271
    lo, hi = model.bbox()
    np.testing.assert_allclose(lo, DELFT_MIN, atol=0.05)
    np.testing.assert_allclose(hi, DELFT_MAX, atol=0.05)
    assert "b0a8da4cc-2d2a-11e6-9a38-393caa90be70" in model.objects.ids
    assert set(model.objects.types) == {"Object"}
    assert model.crs is None and model.format == "gltf"


def test_delft_obj_matches_glb(shared_data):
    """The Z-up OBJ export of Delft has the same bounds, triangle count and object ids as the GLB export."""
    obj = _load(shared_data / "cityjson_delft/derived/delft.obj")
    glb = _load(shared_data / "cityjson_delft/derived/delft.glb")
    assert obj.triangle_count == 36_271
    lo, hi = obj.bbox()
    np.testing.assert_allclose(lo, DELFT_MIN, atol=0.05)
    np.testing.assert_allclose(hi, DELFT_MAX, atol=0.05)
    assert sorted(obj.objects.ids) == sorted(glb.objects.ids)
    assert obj.meta["up_axis"] == "z"


def test_lyon_tower_is_z_up(shared_data):
    """The Part-Dieu tower OBJ (1,176 triangles) is Z-up: 205 x 153 m on the ground, 169 m tall."""
    path = shared_data / "lyon_py3dtilers_samples/obj_tiler_data/MultiLODModel/tour_part_dieu_0.obj"
    model = _load(path)
    assert model.triangle_count == 1176
    lo, hi = model.bbox()
    np.testing.assert_allclose(np.subtract(hi, lo), [205.375, 153.5, 169.04], atol=0.01)
    # Z is up: half the vertices lie on a ground plate at z = 0, and above 100 m only a slender shaft remains.
    assert abs(np.median(model.positions[:, 2])) < 0.5
    shaft = model.positions[model.positions[:, 2] > 100.0]
    assert np.ptp(shaft[:, :2], axis=0).max() < 50.0
    assert model.objects.ids == ["tour_part_dieu_0.obj"]


def test_denhaag_glb_counts(shared_data):
    """Den Haag's LoD2 GLB gives 41,179 triangles in 1,991 objects with all three guessed kinds."""
    model = _load(shared_data / "cityjson_denhaag/derived/DenHaag_01.glb")
    assert model.triangle_count == 41_179
    assert len(model.objects) == 1991
    assert set(np.unique(model.vertex_kind)) == {SurfaceKind.ROOF, SurfaceKind.WALL, SurfaceKind.GROUND}


def test_options_up_axis_offset_type_crs(shared_data):
    """up_axis="z" keeps the file's axes; offset is added; object_type and a normalised crs are applied."""
    model = _load(shared_data / "cityjson_delft/derived/delft.glb", up_axis="z", offset=(1.0, 2.0, 3.0),
                  object_type="Building", crs="https://www.opengis.net/def/crs/EPSG/0/7415")
    lo, hi = model.bbox()
    np.testing.assert_allclose(lo, [DELFT_MIN[0] + 1, DELFT_MIN[2] + 2, -DELFT_MAX[1] + 3], atol=0.05)
    assert model.crs == "EPSG:7415"
    assert model.objects.types[0] == "Building"


# --- hand-made models ------------------------------------------------------------------------------------

def test_box_kinds_and_unwelded_vertices(tmp_path):
    """A unit box: 2 roof, 2 ground and 8 wall triangles, each owning its three vertices."""
    path = tmp_path / "box.obj"
    path.write_text(BOX_OBJ)
    model = _load(path)
    assert model.triangle_count == 12 and model.vertex_count == 36
    assert np.array_equal(model.triangles.reshape(-1), np.arange(36))
    counts = np.bincount(model.vertex_kind[::3], minlength=4)
    assert counts[SurfaceKind.ROOF] == 2 and counts[SurfaceKind.GROUND] == 2 and counts[SurfaceKind.WALL] == 8
    assert model.objects.ids == ["box"]


def test_gltf_instances_named_nodes_and_transforms(tmp_path):
    """One mesh used by two named, translated nodes gives two objects named after the nodes, moved apart."""
    gltf = _triangle_gltf([{"name": "left", "mesh": 0, "translation": [0, 0, 0]},
                           {"name": "right", "mesh": 0, "translation": [10, 5, 0]}])
    model = _load(_write_gltf(tmp_path, gltf))
    assert sorted(model.objects.ids) == ["left", "right"]
    right = model.positions[model.vertex_object == model.objects.index_of("right")]
    # glTF (x, y, z) -> viewer (x, -z, y): the translation (10, 5, 0) lands at x = 10, z = 5.
    np.testing.assert_allclose(right.min(axis=0), [10, 0, 5])
    np.testing.assert_allclose(right.max(axis=0), [11, 0, 6])
    assert model.objects.attributes[0] == {"mesh": "tri"}


def test_glb_hand_made_loads(tmp_path):
    """A minimal GLB (data-URI buffer) loads; an unnamed node takes its mesh's name."""
    path = tmp_path / "m.glb"
    path.write_bytes(_glb_bytes(_triangle_gltf([{"mesh": 0}])))
    model = _load(path)
    assert model.objects.ids == ["tri"] and model.triangle_count == 1


# --- hostile files ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("uri", ["../../etc/passwd", "/etc/passwd", "%2e%2e/%2e%2e/etc/passwd",
                                 "file:///etc/passwd", "http://example.com/b.bin", "sub/../../x.bin"])
def test_gltf_buffer_outside_folder_refused(tmp_path, uri):
    """A glTF buffer referencing a file outside the model's folder (or a URL) is a LoadError naming the file."""
    path = _write_gltf(tmp_path, _triangle_gltf([{"mesh": 0}], buffer_uri=uri))
    with pytest.raises(LoadError, match="m.gltf") as info:
        _load(path)
    assert "outside" in info.value.reason or "URL" in info.value.reason


def test_gltf_image_outside_folder_refused(tmp_path):
    """A glTF image referencing ../secret.png is refused even though images are not drawn."""
    gltf = _triangle_gltf([{"mesh": 0}], images=[{"uri": "../secret.png"}])
    with pytest.raises(LoadError, match="outside"):
        _load(_write_gltf(tmp_path, gltf))


def test_gltf_external_buffer_inside_folder_loads(tmp_path):
    """A buffer in a file next to the model is read."""
    (tmp_path / "b.bin").write_bytes(np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], np.float32).tobytes())
    model = _load(_write_gltf(tmp_path, _triangle_gltf([{"mesh": 0}], buffer_uri="b.bin")))
    assert model.triangle_count == 1


def test_resolver_refuses_outside_reads(tmp_path):
    """The resolver trimesh reads through refuses names escaping the folder and remembers the refusal."""
    resolver = mesh._FolderResolver(tmp_path, tmp_path / "m.gltf", Limits())
    with pytest.raises(LoadError, match="outside"):
        resolver.get("../../etc/passwd")
    assert len(resolver.refused) == 1


def test_gltf_node_cycle_refused(tmp_path):
    """Nodes that are each other's children are a LoadError, not a hang."""
    gltf = _triangle_gltf([{"mesh": 0, "children": [1]}, {"mesh": 0, "children": [0]}])
    gltf["scenes"] = [{"nodes": [0]}]
    with pytest.raises(LoadError, match="cycle|more than one parent"):
        _load(_write_gltf(tmp_path, gltf))


def test_gltf_declared_count_over_limit(tmp_path):
    """An accessor declaring more vertices than the limit fails before trimesh parses anything."""
    gltf = _triangle_gltf([{"mesh": 0}])
    gltf["accessors"][0]["count"] = 10**9
    with pytest.raises(LimitExceeded, match="vertex count"):
        _load(_write_gltf(tmp_path, gltf))


def test_glb_that_is_text(tmp_path):
    """A .glb holding text is a LoadError naming the file."""
    path = tmp_path / "fake.glb"
    path.write_text("hello, I am not binary")
    with pytest.raises(LoadError, match="fake.glb.*GLB"):
        _load(path)


def test_truncated_glb(tmp_path):
    """A GLB cut short is a LoadError."""
    data = _glb_bytes(_triangle_gltf([{"mesh": 0}]))
    path = tmp_path / "cut.glb"
    path.write_bytes(data[:-40])
    with pytest.raises(LoadError, match="cut.glb"):
        _load(path)


def test_obj_binary_garbage(tmp_path):
    """A .obj full of binary bytes is a LoadError, not a decoding crash."""
    path = tmp_path / "g.obj"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(LoadError, match="g.obj.*binary"):
        _load(path)


@pytest.mark.parametrize("text, reason", [("v nan 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", "NaN"),
                                          ("v 1e300 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", "magnitude"),
                                          ("v 0 0 0\nv 1 0 0\nv 0 1 0\n", "no triangle"),
                                          ("", "no triangle")])
def test_obj_bad_coordinates_or_empty(tmp_path, text, reason):
    """NaN, absurd coordinates and files without faces are LoadErrors with the reason."""
    path = tmp_path / "bad.obj"
    path.write_text(text)
    with pytest.raises(LoadError, match=reason):
        _load(path)


def _ply(count: int, body: str, fmt: str = "ascii") -> str:
    return (f"ply\nformat {fmt} 1.0\nelement vertex {count}\nproperty float x\nproperty float y\n"
            "property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n" + body)


def test_ply_loads(tmp_path):
    """An honest ASCII PLY triangle loads as one object named after the file."""
    path = tmp_path / "t.ply"
    path.write_text(_ply(3, "0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n"))
    model = _load(path)
    assert model.triangle_count == 1 and model.objects.ids == ["t.ply"]


@pytest.mark.parametrize("count, fmt, error", [(5, "ascii", LoadError), (10**9, "ascii", LimitExceeded),
                                               (1000, "binary_little_endian", LoadError)])
def test_ply_lying_vertex_count(tmp_path, count, fmt, error):
    """A PLY header declaring more vertices than the file holds is refused (LimitExceeded when absurd)."""
    path = tmp_path / "lie.ply"
    path.write_text(_ply(count, "0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n" if fmt == "ascii" else ""))
    with pytest.raises(error, match="lie.ply"):
        _load(path)


def test_file_size_limit(tmp_path):
    """A file above max_file_bytes is refused before it is read."""
    path = tmp_path / "box.obj"
    path.write_text(BOX_OBJ)
    with pytest.raises(LimitExceeded, match="file size"):
        mesh.load(path, SourceConfig(), Limits(max_file_bytes=10))


def test_obj_face_index_out_of_range(tmp_path):
    """A face pointing at a vertex that does not exist is a LoadError."""
    path = tmp_path / "idx.obj"
    path.write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 99\n")
    with pytest.raises(LoadError, match="idx.obj"):
        _load(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".glb", ".obj", ".ply", ".gltf"]),
       prefix=st.sampled_from([b"", b"glTF\x02\x00\x00\x00", b"ply\nformat ascii 1.0\n", b"v 0 0 0\nf 1 1 1\n"]))
def test_random_bytes_only_load_error(tmp_path, data, suffix, prefix):
    """Random bytes under a mesh suffix give a model or a LoadError, never another exception."""
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(prefix + data)
    try:
        _load(path)
    except LoadError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=4))
def test_mutated_glb_only_load_error(tmp_path, flips):
    """A valid GLB with a few bytes overwritten gives a model or a LoadError, never another exception."""
    data = bytearray(_glb_bytes(_triangle_gltf([{"name": "a", "mesh": 0, "children": [1]}, {"mesh": 0}])))
    for position, value in flips:
        data[position % len(data)] = value
    path = tmp_path / "mut.glb"
    path.write_bytes(bytes(data))
    try:
        _load(path)
    except LoadError:
        pass
