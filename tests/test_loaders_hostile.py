"""Hostile model files that used to load for minutes, blow up memory or raise the wrong error (issue 11).

Slow cases run in a subprocess with a generous deadline that only guards against hangs (no timing asserts):
each is tried at n and 4n, so time growing with the square of the input (what these files exploited) shows
as a blown deadline instead of a slow test.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from viewer.city import cityjson, geojson, mesh
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError

HANG_GUARD_S = 30.0
_LOAD = """
import sys
from pathlib import Path
from viewer.city.loaders import run_loader
from viewer.config import Limits, SourceConfig
from viewer.errors import LoadError
path = Path(sys.argv[1])
try:
    model = run_loader(sys.argv[2], path, SourceConfig(crs=sys.argv[3] or None), Limits())
    print("loaded", model.triangle_count, len(model.objects), *model.meta.get("warnings", []))
except LoadError as exc:
    print("refused", exc)
"""


def _load_in_subprocess(path: Path, fmt: str, crs: str = "") -> str:
    """The loader's one-line outcome, or a test failure when it takes longer than the hang guard."""
    try:
        done = subprocess.run([sys.executable, "-c", _LOAD, str(path), fmt, crs], capture_output=True,
                              text=True, timeout=HANG_GUARD_S, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name} still loading after {HANG_GUARD_S:.0f} s")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout.strip()


def _triangle_buffer() -> dict:
    positions = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], np.float32).tobytes()
    return {"uri": "data:application/octet-stream;base64," + base64.b64encode(positions).decode(),
            "byteLength": len(positions)}


def chain_gltf(n: int, buffer: dict | None = None, **extra) -> dict:
    """n nodes, each the only child of the previous one, each carrying the same one-triangle mesh."""
    nodes = [{"mesh": 0, "children": [i + 1], "translation": [1, 0, 0]} for i in range(n - 1)]
    nodes.append({"mesh": 0, "translation": [1, 0, 0]})
    gltf = {"asset": {"version": "2.0"}, "buffers": [buffer or _triangle_buffer()],
            "bufferViews": [{"buffer": 0, "byteLength": 36}],
            "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
                           "min": [0, 0, 0], "max": [1, 1, 0]}],
            "meshes": [{"name": "tri", "primitives": [{"attributes": {"POSITION": 0}}]}],
            "nodes": nodes, "scenes": [{"nodes": [0]}], "scene": 0}
    gltf.update(extra)
    return gltf


def many_objects_obj(n: int) -> str:
    return "".join(f"o b{i}\nv {i} 0 0\nv {i + 1} 0 0\nv {i} 1 0\nf -3 -2 -1\n" for i in range(n))


def ring_geojson(xy: np.ndarray) -> dict:
    ring = np.vstack([xy, xy[:1]]).round(3).tolist()
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"height": 10},
                                                       "geometry": {"type": "Polygon", "coordinates": [ring]}}]}


def dented_circle(n: int) -> np.ndarray:
    """A circle of n vertices with one dent: concave, so earcut's (quadratic here) path triangulates it."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = np.full(n, 1000.0)
    r[0] = 500.0
    return np.stack([r * np.cos(t), r * np.sin(t)], axis=1) + [100_000.0, 400_000.0]


def self_intersecting(n: int) -> np.ndarray:
    """A ring through n random points of a square: nearly every edge crosses many others."""
    return np.random.default_rng(7).uniform(0, 1000, (n, 2)) + [100_000.0, 400_000.0]


# --- time ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [2_000, 8_000])
def test_gltf_node_chain_loads_in_linear_time(tmp_path, n):
    """A chain of n nested nodes each carrying the mesh gives n triangles, each moved by its depth."""
    path = tmp_path / f"chain{n}.gltf"
    path.write_text(json.dumps(chain_gltf(n)))
    assert _load_in_subprocess(path, "gltf") == f"loaded {n} {n}"


def test_gltf_node_chain_transforms_accumulate(tmp_path):
    """Node i of the chain sits i + 1 metres along x: each world matrix is its parent's times its own."""
    path = tmp_path / "chain.gltf"
    path.write_text(json.dumps(chain_gltf(50)))
    model = mesh.load(path, SourceConfig(), Limits())
    lowest_x = [model.positions[model.vertex_object == i, 0].min() for i in range(50)]
    np.testing.assert_allclose(sorted(lowest_x), np.arange(1.0, 51.0))


def test_gltf_instancing_counted_before_expanding(tmp_path):
    """A chain whose instances expand past the triangle limit is refused by the limit, naming instancing."""
    path = tmp_path / "chain.gltf"
    path.write_text(json.dumps(chain_gltf(1000)))
    with pytest.raises(LimitExceeded, match="chain.gltf.*triangle count \\(with instancing\\)"):
        mesh.load(path, SourceConfig(), Limits(max_triangles=999))


@pytest.mark.parametrize("n", [20_000, 80_000])
def test_obj_of_many_objects_loads_in_linear_time(tmp_path, n):
    """n one-triangle OBJ objects (negative indices) give n objects."""
    path = tmp_path / f"many{n}.obj"
    path.write_text(many_objects_obj(n))
    assert _load_in_subprocess(path, "obj") == f"loaded {n} {n}"


@pytest.mark.parametrize("make, n", [(dented_circle, 80_000), (dented_circle, 320_000),
                                     (self_intersecting, 20_000), (self_intersecting, 80_000)])
def test_geojson_huge_concave_ring_left_out_quickly(tmp_path, make, n):
    """A concave ring too big for earcut's quadratic worst case is left out quickly with a warning naming the
    limit, and the rest of the file (a plain building beside it) is kept: nothing good is lost."""
    features = [ring_geojson(make(n))["features"][0],
                {"type": "Feature", "properties": {"height": 10},
                 "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}}]
    path = tmp_path / f"ring{n}.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    outcome = _load_in_subprocess(path, "geojson", "EPSG:28992")
    assert outcome.startswith("loaded ") and " 2 " in outcome, outcome
    assert f"1 polygon too complex to triangulate in bounded time (up to {n:,} vertices" in outcome, outcome


def test_a_huge_concave_ring_is_refused_outside_a_loader():
    """Called directly (no loader to report it), the triangulation still refuses with TooComplex."""
    from viewer.city.triangulate import TooComplex, triangulate_polygons

    ring = np.c_[dented_circle(20_000), np.zeros(20_000)]
    with pytest.raises(TooComplex, match="vertices in one concave polygon"):
        triangulate_polygons(ring, np.array([20_000]), np.array([1]))


def test_geojson_concave_rings_within_the_budget_load(tmp_path):
    """A self-intersecting 2,000-vertex ring and a dented 10,000-vertex circle still load."""
    features = [ring_geojson(self_intersecting(2_000))["features"][0],
                ring_geojson(dented_circle(10_000))["features"][0]]
    path = tmp_path / "rings.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    model = geojson.load(path, SourceConfig(crs="EPSG:28992"), Limits())
    assert len(model.objects) == 2 and model.triangle_count > 10_000


# --- memory ----------------------------------------------------------------------------------------------

def templates_cityjson(n: int) -> dict:
    """n CityObjects, each one GeometryInstance of a single-triangle template."""
    identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    objects = {f"t{i}": {"type": "SolitaryVegetationObject",
                         "geometry": [{"type": "GeometryInstance", "template": 0, "boundaries": [i],
                                       "transformationMatrix": identity}]} for i in range(n)}
    return {"type": "CityJSON", "version": "2.0", "transform": {"scale": [0.001] * 3, "translate": [0, 0, 0]},
            "geometry-templates": {"templates": [{"type": "MultiSurface", "lod": "1",
                                                  "boundaries": [[[0, 1, 2]]]}],
                                   "vertices-templates": [[0, 0, 0], [1, 0, 0], [0, 1, 0]]},
            "CityObjects": objects, "vertices": [[i * 2000, 0, 0] for i in range(n)]}


@pytest.mark.parametrize("limits, limit", [(Limits(max_vertices=1_000), "vertex count"),
                                           (Limits(max_triangles=200), "triangle count")])
def test_cityjson_template_instances_counted_before_expanding(tmp_path, limits, limit):
    """400 single-triangle instances are refused by what they expand to, while the file is walked."""
    path = tmp_path / "trees.city.json"
    path.write_text(json.dumps(templates_cityjson(400)))
    with pytest.raises(LimitExceeded, match=f"trees.city.json: {limit} \\(with template instances\\)") as info:
        cityjson.load(path, SourceConfig(), limits)
    assert info.value.maximum in (1_000, 200)


def test_cityjson_template_instances_within_limits_load(tmp_path):
    """The same file within the limits gives one triangle per instance."""
    path = tmp_path / "trees.city.json"
    path.write_text(json.dumps(templates_cityjson(400)))
    model = cityjson.load(path, SourceConfig(), Limits())
    assert model.triangle_count == 400 and len(model.objects) == 400


# --- wrong errors ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("uri", ["b\x00.bin", "b%00.bin", "%00"])
@pytest.mark.parametrize("where", ["buffers", "images"])
def test_gltf_uri_with_nul_is_a_load_error(tmp_path, uri, where):
    """A buffer or image uri holding NUL (raw or %00) is a LoadError naming the file, not a ValueError."""
    (tmp_path / "b.bin").write_bytes(b"\0" * 36)
    buffer = {"uri": uri, "byteLength": 36} if where == "buffers" else None
    extra = {"images": [{"uri": uri}]} if where == "images" else {}
    path = tmp_path / "nul.gltf"
    path.write_text(json.dumps(chain_gltf(1, buffer, **extra)))
    with pytest.raises(LoadError, match="nul.gltf.*NUL") as info:
        mesh.load(path, SourceConfig(), Limits())
    assert type(info.value) in (LoadError, LimitExceeded)
