"""Writing 3D Tiles (`citiverse tile`, viewer/tiles/write_*.py): tilesets read back with a small GLB reader here,
checked against the 3D Tiles 1.1 schema essentials, placed on earth through pyproj, and every GLB validated by
Khronos' glTF validator (npm gltf-validator) when it is installed ($CITIVERSE_NODE_MODULES, or the folder
.ci/run installs it into: ~/.cache/citiverse-node/node_modules)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import orjson
import pytest
from pyproj import Transformer

from viewer.city.demo import demo_scene
from viewer.city.model import CityModel, ObjectTable, SurfaceKind
from viewer.city.scene import LoadedScene, load_scene_models
from viewer.cli import main
from viewer.config import SceneConfig
from viewer.geo.frame import LocalFrame
from viewer.tiles.write_hlod import measure_features
from viewer.tiles.write_tileset import TileOptions, write_tileset

HERE = Path(__file__).resolve().parent
COMPONENTS = {5126: np.float32, 5121: np.uint8, 5123: np.uint16, 5125: np.uint32}
WIDTHS = {"SCALAR": 1, "VEC3": 3, "VEC4": 4}

# ---------------------------------------------------------------- reading back


class Glb:
    """A GLB read back: its JSON, its binary chunk, and typed access to accessors and the property table."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        magic, version, total = struct.unpack_from("<III", data, 0)
        assert (magic, version, total) == (0x46546C67, 2, len(data))
        json_len, json_type = struct.unpack_from("<II", data, 12)
        assert json_type == 0x4E4F534A
        self.doc = orjson.loads(data[20:20 + json_len])
        bin_len, bin_type = struct.unpack_from("<II", data, 20 + json_len)
        assert bin_type == 0x004E4942
        self.bin = data[28 + json_len:28 + json_len + bin_len]
        self.primitive = self.doc["meshes"][0]["primitives"][0]

    def view(self, index: int) -> bytes:
        v = self.doc["bufferViews"][index]
        return self.bin[v.get("byteOffset", 0):v.get("byteOffset", 0) + v["byteLength"]]

    def accessor(self, index: int) -> np.ndarray:
        a = self.doc["accessors"][index]
        values = np.frombuffer(self.view(a["bufferView"]), COMPONENTS[a["componentType"]])
        return values.reshape(a["count"], WIDTHS[a["type"]]) if WIDTHS[a["type"]] > 1 else values

    def attribute(self, name: str) -> np.ndarray:
        return self.accessor(self.primitive["attributes"][name])

    def positions_z_up(self) -> np.ndarray:
        """(v, 3) float64 in the tileset frame: node translation added, y-up turned z-up as a runtime does."""
        p = self.attribute("POSITION").astype(np.float64) + self.doc["nodes"][0]["translation"]
        return np.stack([p[:, 0], -p[:, 2], p[:, 1]], axis=1)

    def triangles(self) -> np.ndarray:
        return self.accessor(self.primitive["indices"]).reshape(-1, 3)

    def table(self) -> dict[str, list[object]]:
        """The property table's columns decoded: strings as str, FLOAT64 as float."""
        meta = self.doc["extensions"]["EXT_structural_metadata"]
        table = meta["propertyTables"][0]
        schema = meta["schema"]["classes"][table["class"]]["properties"]
        out: dict[str, list[object]] = {}
        for name, prop in table["properties"].items():
            if schema[name]["type"] == "STRING":
                offsets = np.frombuffer(self.view(prop["stringOffsets"]), np.uint32)
                blob = self.view(prop["values"])
                out[name] = [blob[a:b].decode() for a, b in zip(offsets[:-1], offsets[1:], strict=True)]
            else:
                out[name] = np.frombuffer(self.view(prop["values"]), np.float64).tolist()
            assert len(out[name]) == table["count"]
        return out


def tiles_of(tileset: dict) -> list[dict]:
    out, stack = [], [tileset["root"]]
    while stack:
        tile = stack.pop()
        out.append(tile)
        stack.extend(tile.get("children", []))
    return out


def box_bounds(box: list[float]) -> tuple[np.ndarray, np.ndarray]:
    centre, half = np.array(box[:3]), np.abs(np.array(box[3:]).reshape(3, 3)).sum(axis=0)
    return centre - half, centre + half


def write(scene: LoadedScene, out: Path, n: int = 100) -> dict:
    write_tileset(scene.model, scene.frame, out, TileOptions(max_features=n, min_size=10.0))
    return orjson.loads((out / "tileset.json").read_bytes())


# ---------------------------------------------------------------- scenes


@pytest.fixture(scope="module")
def delft(shared_data) -> LoadedScene:
    return load_scene_models(SceneConfig.for_file(shared_data / "cityjson_delft" / "delft.json"), use_cache=False)


@pytest.fixture(scope="module")
def generated() -> LoadedScene:
    return load_scene_models(demo_scene(seed=3, buildings=1500), use_cache=False)


# ---------------------------------------------------------------- schema essentials


def check_tile(tile: dict, parent_error: float) -> None:
    assert set(tile) <= {"boundingVolume", "viewerRequestVolume", "geometricError", "refine", "transform",
                         "content", "contents", "children", "metadata", "implicitTiling", "extensions", "extras"}
    box = tile["boundingVolume"]["box"]
    assert len(box) == 12 and all(isinstance(v, (int, float)) for v in box)
    assert isinstance(tile["geometricError"], (int, float)) and 0 <= tile["geometricError"] <= parent_error
    assert tile.get("refine", "REPLACE") in ("ADD", "REPLACE")
    if "transform" in tile:
        assert len(tile["transform"]) == 16 and all(isinstance(v, (int, float)) for v in tile["transform"])
    content = tile["content"]
    assert isinstance(content["uri"], str) and len(content["boundingVolume"]["box"]) == 12
    for child in tile.get("children", []):
        assert "transform" not in child
        check_tile(child, tile["geometricError"])


def check_tileset(tileset: dict) -> None:
    """The required keys and types of the 3D Tiles 1.1 tileset, tile, content and box schemas."""
    assert tileset["asset"]["version"] == "1.1"
    assert isinstance(tileset["geometricError"], (int, float)) and tileset["geometricError"] >= 0
    assert tileset["root"]["refine"] in ("ADD", "REPLACE")  # required on the root
    check_tile(tileset["root"], tileset["geometricError"])


def test_tileset_follows_the_3d_tiles_schema_essentials(generated, tmp_path):
    """tileset.json has asset 1.1, a root with refine, boxes of 12 numbers, errors that never grow downwards."""
    tileset = write(generated, tmp_path / "city")
    check_tileset(tileset)
    assert len(tiles_of(tileset)) > 5


# ---------------------------------------------------------------- features and properties


def test_every_feature_lands_in_one_leaf_with_its_properties(delft, tmp_path):
    """Each object with triangles is one feature of exactly one leaf: its vertices carry its row, the row
    holds its id, type and attributes, and it has all its triangles there."""
    tileset = write(delft, tmp_path / "delft")
    objects = delft.model.objects
    tri_obj = delft.model.vertex_object[delft.model.triangles[:, 0]]
    expected_tris = np.bincount(tri_obj, minlength=len(objects))
    seen: dict[str, int] = {}
    for tile in tiles_of(tileset):
        if "children" in tile:
            continue
        glb = Glb(tmp_path / "delft" / tile["content"]["uri"])
        ext = glb.primitive["extensions"]["EXT_mesh_features"]["featureIds"][0]
        table = glb.table()
        feature = glb.attribute("_FEATURE_ID_0")
        assert ext["featureCount"] == len(table["id"]) and feature.max() < ext["featureCount"]
        per_row = np.bincount(feature[glb.triangles()[:, 0]].astype(int), minlength=len(table["id"]))
        for row, object_id in enumerate(table["id"]):
            i = objects.index_of(object_id)
            assert object_id not in seen
            seen[object_id] = i
            assert table["type"][row] == objects.types[i]
            assert per_row[row] == expected_tris[i]
            attrs = objects.attributes[i]
            if "measuredHeight" in attrs:
                assert table["measuredHeight"][row] == pytest.approx(attrs["measuredHeight"])
            if "lokaalid" in attrs:
                assert table["lokaalid"][row] == attrs["lokaalid"]
    assert set(seen.values()) == set(np.flatnonzero(expected_tris > 0).tolist())


# ---------------------------------------------------------------- volumes and levels of detail


def test_bounding_volumes_contain_content_and_children(generated, tmp_path):
    """Every content's vertices lie inside its content box and its tile's box; a child's box inside its parent's."""
    tileset = write(generated, tmp_path / "city")

    def visit(tile: dict) -> None:
        lo, hi = box_bounds(tile["boundingVolume"]["box"])
        clo, chi = box_bounds(tile["content"]["boundingVolume"]["box"])
        p = Glb(tmp_path / "city" / tile["content"]["uri"]).positions_z_up()
        for a, b in ((lo, hi), (clo, chi)):
            assert (p >= a - 2e-3).all() and (p <= b + 2e-3).all()
        for child in tile.get("children", []):
            c_lo, c_hi = box_bounds(child["boundingVolume"]["box"])
            assert (c_lo >= lo - 2e-3).all() and (c_hi <= hi + 2e-3).all()
            visit(child)

    visit(tileset["root"])


def test_parents_draw_fewer_triangles_than_their_children(delft, tmp_path):
    """REPLACE levels of detail: a parent's content has fewer triangles than its children's together, a leaf
    is exact (error 0) and a parent that leaves features out says how wrong it is."""
    tileset = write(delft, tmp_path / "delft", n=60)
    assert tileset["root"]["refine"] == "REPLACE"
    for tile in tiles_of(tileset):
        if "children" not in tile:
            assert tile["geometricError"] == 0
            continue
        own = len(Glb(tmp_path / "delft" / tile["content"]["uri"]).triangles())
        below = sum(len(Glb(tmp_path / "delft" / c["content"]["uri"]).triangles()) for c in tile["children"])
        assert own < below
        assert tile["geometricError"] > 0


def l_building() -> CityModel:
    """One L-shaped building 10 x 10 m with a 5 x 5 m notch, 6 m tall (roof and ground only suffice)."""
    ring = np.array([[0, 0], [10, 0], [10, 5], [5, 5], [5, 10], [0, 10]], np.float32)
    tris = np.array([[0, 1, 2], [0, 2, 3], [0, 3, 4], [0, 4, 5]], np.uint32)
    roof = np.c_[ring, np.full(6, 6.0, np.float32)]
    ground = np.c_[ring, np.zeros(6, np.float32)]
    objects = ObjectTable(ids=["L"], types=["Building"], parents=np.array([-1], np.int32), attributes=[{}])
    return CityModel(vertices=np.concatenate([roof, ground]),
                     triangles=np.concatenate([tris, tris[:, ::-1] + 6]),
                     vertex_object=np.zeros(12, np.int32),
                     vertex_kind=np.repeat(np.array([SurfaceKind.ROOF, SurfaceKind.GROUND], np.uint8), 6),
                     objects=objects)


def test_box_error_is_measured_at_the_corners():
    """An L-shaped building's box is wrong at the notch: the box corner (10, 10) is 5 m from the nearest
    vertices, (10, 5) and (5, 10); its size, the error of leaving it out, is its half diagonal."""
    features = measure_features(l_building())
    assert features.box_error[0] == pytest.approx(5.0)
    assert features.size[0] == pytest.approx(np.hypot(10, 10) / 2)


# ---------------------------------------------------------------- placement on earth


def test_root_transform_places_an_object_at_its_lon_lat(delft, tmp_path):
    """A vertex read back from a leaf, through the root transform, lands in ECEF where pyproj puts the model's
    vertex: within a centimetre (the frame is RD New: its grid is turned 0.8 degrees from east-north-up)."""
    tileset = write(delft, tmp_path / "delft")
    transform = np.array(tileset["root"]["transform"]).reshape(4, 4).T
    leaf = next(t for t in tiles_of(tileset) if "children" not in t)
    glb = Glb(tmp_path / "delft" / leaf["content"]["uri"])
    object_id = glb.table()["id"][0]
    i = delft.model.objects.index_of(object_id)
    row_vertices = np.flatnonzero(glb.attribute("_FEATURE_ID_0") == 0)
    ecef = (transform @ np.c_[glb.positions_z_up()[row_vertices], np.ones(row_vertices.size)].T).T[:, :3]
    to_geodetic = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)
    lon, lat, h = to_geodetic.transform(ecef[:, 0], ecef[:, 1], ecef[:, 2])
    model_vertices = delft.model.vertices[delft.model.vertex_object == i].astype(np.float64)
    expected = delft.frame.local_to_lonlat(model_vertices)
    got = np.stack([lon, lat, h], axis=1)
    # Both sets hold the object's vertices; compare each written vertex with its nearest model vertex.
    metres = np.array([111_320 * np.cos(np.radians(52.0)), 110_540, 1.0])
    nearest = np.abs((got[:, None, :] - expected[None, :, :]) * metres).max(axis=2).min(axis=1)
    assert nearest.max() < 0.01


def test_a_model_without_crs_is_written_without_a_transform(tmp_path):
    """No CRS: local metres are the tileset frame and the root has no transform (nothing claims a place)."""
    model = l_building()
    write_tileset(model, LocalFrame(None, (0.0, 0.0)), tmp_path / "plain")
    tileset = orjson.loads((tmp_path / "plain" / "tileset.json").read_bytes())
    assert "transform" not in tileset["root"]
    check_tileset(tileset)


# ---------------------------------------------------------------- atomic output


def test_an_interrupted_run_leaves_nothing_in_place(generated, tmp_path):
    """Ctrl-C while tiles are written: no OUT folder, no temporary folder left beside it."""

    def interrupt(line: str) -> None:
        if line.startswith("tiles "):
            raise KeyboardInterrupt

    out = tmp_path / "city"
    with pytest.raises(KeyboardInterrupt):
        write_tileset(generated.model, generated.frame, out, TileOptions(max_features=50), interrupt)
    assert list(tmp_path.iterdir()) == []


def test_a_killed_runs_leftovers_are_removed_by_the_next_run(generated, tmp_path):
    """A temporary folder of a run that was killed (its PID no longer runs) is removed by the next run;
    one of a running process is left alone."""
    dead, alive = tmp_path / "city.tmp-4194305", tmp_path / f"city.tmp-{os.getppid()}"  # above pid_max; running
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "tileset.json").write_text("{}")
    write(generated, tmp_path / "city")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city", alive.name]


def test_a_finished_run_replaces_an_old_tileset_whole(generated, tmp_path):
    """Writing over a tileset leaves only the new one's files (no old tiles mixed in)."""
    out = tmp_path / "city"
    write(generated, out, n=50)
    write(generated, out, n=400)
    names = {p.name for p in (out / "tiles").iterdir()}
    uris = {Path(t["content"]["uri"]).name for t in tiles_of(orjson.loads((out / "tileset.json").read_bytes()))}
    assert names == uris
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city"]


def test_cli_refuses_a_folder_that_is_not_a_tileset(tmp_path, capsys):
    """--out naming a folder of other files: one line naming it, exit 2, the folder untouched."""
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"x")
    model = HERE.parent / "scenes" / "demo.toml"
    assert main(["-q", "tile", str(model), "--out", str(tmp_path / "photos")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err and "photos" in err and "Traceback" not in err
    assert [p.name for p in (tmp_path / "photos").iterdir()] == ["a.jpg"]


def test_cli_quiet_prints_only_the_result(tmp_path, capsys):
    """`citiverse -q tile` prints no progress lines on stderr, only the one-line result on stdout."""
    assert main(["-q", "tile", str(HERE.parent / "scenes" / "demo.toml"), "--out", str(tmp_path / "demo")]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.startswith("wrote ") and captured.out.count("\n") == 1
    check_tileset(orjson.loads((tmp_path / "demo" / "tileset.json").read_bytes()))


def test_cli_tiles_den_haag(shared_data, tmp_path):
    """`citiverse tile FILE --out DIR` on Den Haag: a tileset whose leaves hold every building once."""
    out = tmp_path / "dh"
    source = shared_data / "cityjson_denhaag" / "DenHaag_01.city.json"
    result = subprocess.run([sys.executable, "-m", "viewer.cli", "tile", str(source), "--out", str(out),
                             "--max-features-per-tile", "300"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "tiles" in result.stderr and "wrote" in result.stdout
    tileset = orjson.loads((out / "tileset.json").read_bytes())
    check_tileset(tileset)
    ids = [i for t in tiles_of(tileset) if "children" not in t for i in Glb(out / t["content"]["uri"]).table()["id"]]
    assert len(ids) == len(set(ids)) > 1000


# ---------------------------------------------------------------- others' tools


def node_modules(package: str) -> Path:
    """The node_modules folder holding `package` ($CITIVERSE_NODE_MODULES or .ci/run's); skips without it."""
    for candidate in (os.environ.get("CITIVERSE_NODE_MODULES"),
                      str(Path.home() / ".cache" / "citiverse-node" / "node_modules")):
        if candidate and (Path(candidate) / package).is_dir() and shutil.which("node"):
            return Path(candidate)
    pytest.skip(f"npm {package} not installed (.ci/run installs it into ~/.cache/citiverse-node)")


def run_node(script: str, modules: Path, *args: str) -> list[dict]:
    result = subprocess.run(["node", str(HERE / "js" / script), *args], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "NODE_PATH": str(modules)})
    assert result.returncode == 0, result.stderr
    return [orjson.loads(line) for line in result.stdout.splitlines()]


def test_every_glb_passes_khronos_gltf_validator(delft, generated, tmp_path):
    """Khronos' glTF validator reports 0 errors and 0 warnings for every tile of Delft and a generated city."""
    modules = node_modules("gltf-validator")
    files = []
    for name, scene in (("delft", delft), ("city", generated)):
        write(scene, tmp_path / name, n=100)
        files += sorted((tmp_path / name / "tiles").glob("*.glb"))
    reports = run_node("validate_glb.cjs", modules, *map(str, files))
    assert len(reports) == len(files)
    bad = [r for r in reports if r["errors"] or r["warnings"]]
    assert bad == []


def test_loaders_gl_parses_the_tileset_and_its_features(generated, tmp_path):
    """loaders.gl (@loaders.gl/3d-tiles) reads tileset.json and every tile: glTF content whose feature count
    and property-table ids are the ones written."""
    modules = node_modules("@loaders.gl/3d-tiles")
    tileset = write(generated, tmp_path / "city", n=200)
    tiles = {t["content"]["uri"]: t for t in tiles_of(tileset)}
    parsed = run_node("load_loadersgl.cjs", modules, str(tmp_path / "city" / "tileset.json"))
    assert sorted(p["uri"] for p in parsed) == sorted(tiles)
    for p in parsed:
        glb = Glb(tmp_path / "city" / p["uri"])
        assert p["type"] == "glTF" and p["refine"] == 2  # loaders.gl TILE_REFINEMENT.REPLACE
        assert p["ids"] == glb.table()["id"] and p["featureCount"] == len(p["ids"])
        assert p["vertices"] == len(glb.attribute("POSITION"))


def test_our_reader_reads_what_our_writer_wrote(delft, tmp_path):
    """A written tileset read back by viewer/tiles (tileset, content, placement) puts every leaf feature where
    the original object was (within 2 cm) with its id and its type (not the metadata class "cityObject")."""
    from pathlib import Path

    from viewer.tiles.content import decode_content, local_model
    from viewer.tiles.placement import TilesetPlacement
    from viewer.tiles.tileset import open_tileset

    write(delft, tmp_path / "delft")
    tileset = open_tileset(tmp_path / "delft" / "tileset.json")
    placement = TilesetPlacement(delft.frame)
    objects = delft.model.objects
    seen = 0
    stack = [tileset.root]
    while stack:
        tile = stack.pop()
        stack.extend(tile.children())
        if tile.children():
            continue
        for ref in tile.contents:
            content = decode_content(ref.uri, Path(ref.uri).read_bytes(), tile.transform)
            model = local_model(content, placement)
            for row, object_id in enumerate(model.objects.ids):
                i = objects.index_of(object_id)
                assert model.objects.types[row] == objects.types[i]
                assert np.allclose(model.objects.bbox_min[row], objects.bbox_min[i], atol=0.02)
                assert np.allclose(model.objects.bbox_max[row], objects.bbox_max[i], atol=0.02)
                seen += 1
    assert seen == int((np.bincount(delft.model.vertex_object, minlength=len(objects)) > 0).sum())
