"""Writing 3D Tiles from input read in chunks (viewer/city/chunks.py, cityjson/citygml iter_chunks,
viewer/tiles/write_stream.py), tiling a big scene on first load (viewer/tiles/write_auto.py), and a tileset
given to `citiverse tile` refused. Real files written by bench/make_big_cityjson.py, real CLI runs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import orjson
import pytest

from viewer.app.tiles_scene import load_scene
from viewer.city import citygml, cityjson
from viewer.city.chunks import LocalChunks, chunked_source
from viewer.cli import main
from viewer.config import Limits, SceneConfig, SourceConfig
from viewer.config import load_scene as load_scene_config
from viewer.errors import LoadError
from viewer.tiles.write_tileset import TileOptions, write_streamed

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from test_tiles_write import Glb, check_tileset, tiles_of  # noqa: E402


def _generator():
    spec = importlib.util.spec_from_file_location("make_big_cityjson", HERE.parent / "bench" / "make_big_cityjson.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[Path, Path]:
    """The same 3000 generated buildings as CityJSON and as CityJSONSeq."""
    folder = tmp_path_factory.mktemp("city")
    make = _generator()
    make.main([str(folder / "city.city.json"), "--count", "3000", "--seed", "5"])
    make.main([str(folder / "city.city.jsonl"), "--count", "3000", "--seed", "5", "--seq"])
    return folder / "city.city.json", folder / "city.city.jsonl"


def leaf_ids(out: Path) -> list[str]:
    tileset = orjson.loads((out / "tileset.json").read_bytes())
    check_tileset(tileset)
    return [i for t in tiles_of(tileset) if "children" not in t for i in Glb(out / t["content"]["uri"]).table()["id"]]


@pytest.mark.parametrize("which", [0, 1], ids=["city.json", "city.jsonl"])
def test_chunks_hold_what_a_whole_load_holds(city, which):
    """iter_chunks of a CityJSON and of a CityJSONSeq: every object once, in file order, the same triangles and
    positions as load(), and a read fraction that grows to 1."""
    path = city[which]
    whole = cityjson.load(path, SourceConfig(path=path), Limits())
    chunks = list(cityjson.iter_chunks(path, SourceConfig(path=path), Limits(), 700))
    assert len(chunks) == 5
    assert sum((c.objects.ids for c in chunks), []) == whole.objects.ids
    assert np.array_equal(np.concatenate([c.positions for c in chunks]), whole.positions)
    assert sum(c.triangle_count for c in chunks) == whole.triangle_count
    fractions = [c.meta["read_fraction"] for c in chunks]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_a_family_stays_in_one_chunk(tmp_path):
    """A chunk of a CityJSON ends only before an object without parents: a Building's parts stay with it, and
    their parent is resolved."""
    objects = {}
    for b in range(3):
        objects[f"B{b}"] = {"type": "Building", "children": [f"B{b}p0", f"B{b}p1"]}
        for p in range(2):
            objects[f"B{b}p{p}"] = {"type": "BuildingPart", "parents": [f"B{b}"], "geometry": [
                {"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2]]]}]}
    doc = {"type": "CityJSON", "version": "2.0", "CityObjects": objects,
           "vertices": [[0, 0, 0], [10, 0, 0], [0, 10, 0]]}
    path = tmp_path / "parts.city.json"
    path.write_bytes(orjson.dumps(doc))
    chunks = list(cityjson.iter_chunks(path, SourceConfig(path=path), Limits(), 2))
    assert [c.objects.ids for c in chunks] == [["B0", "B0p0", "B0p1"], ["B1", "B1p0", "B1p1"],
                                               ["B2", "B2p0", "B2p1"]]
    assert all(c.objects.parents.tolist() == [-1, 0, 0] for c in chunks)


def test_tile_streams_a_sequence_bigger_than_the_file_limit(city, tmp_path, capsys):
    """`citiverse tile` of a CityJSONSeq over the scene's max_file_bytes and max_objects (which a whole load
    refuses) converts it chunk by chunk: every building in exactly one leaf, as from the plain CityJSON."""
    scene = tmp_path / "big.toml"
    scene.write_text(f'[[sources]]\npath = "{city[1]}"\n\n[limits]\nmax_file_bytes = 100000\nmax_objects = 25000\n')
    with pytest.raises(LoadError):
        cityjson.load(city[1], SourceConfig(path=city[1]), load_scene_config(scene).limits)
    assert main(["-q", "tile", str(scene), "--out", str(tmp_path / "seq"), "--max-features-per-tile", "200"]) == 0
    assert main(["-q", "tile", str(city[0]), "--out", str(tmp_path / "doc"), "--max-features-per-tile", "200"]) == 0
    ids = leaf_ids(tmp_path / "seq")
    assert sorted(ids) == sorted(leaf_ids(tmp_path / "doc")) and len(set(ids)) == len(ids) == 3000


def test_progress_has_a_bar_per_stage(city, tmp_path):
    """The command's progress: a line with a percentage bar for reading, routing and writing tiles."""
    result = subprocess.run([sys.executable, "-m", "viewer.cli", "tile", str(city[1]), "--out", str(tmp_path / "t")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for stage in ("read ", "route", "tiles"):
        assert any(stage in line and "100%" in line and "[####" in line for line in result.stderr.splitlines())


def test_a_bad_line_late_in_the_input_leaves_no_tileset(city, tmp_path, capsys):
    """A malformed feature after many good chunks: one line naming the file and line, exit 2, and neither the
    output folder nor a temporary one left behind."""
    bad = tmp_path / "bad.city.jsonl"
    lines = city[1].read_bytes().splitlines()
    bad.write_bytes(b"\n".join(lines[:2500] + [b'{"type": "CityJSONFeature", "CityObjects": 3}'] + lines[2500:]))
    assert main(["-q", "tile", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.city.jsonl" in err and "line 2501" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.city.jsonl"]


def test_tile_refuses_a_tileset(city, tmp_path, capsys):
    """`citiverse tile tileset.json`: one line saying it is already a tileset, exit 2, nothing written."""
    assert main(["-q", "tile", str(city[1]), "--out", str(tmp_path / "a")]) == 0
    capsys.readouterr()
    assert main(["-q", "tile", str(tmp_path / "a" / "tileset.json"), "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already a 3D Tiles tileset" in err and "Traceback" not in err
    assert not (tmp_path / "b").exists()


def test_citygml_chunks_hold_what_a_whole_load_holds(shared_data):
    """CityGML read in chunks (a reader thread handing over SourceModels): the objects and triangles of a whole
    load, in order; closing the iterator early stops the reader."""
    path = shared_data / "citygml_ogc_samples" / "Transportation" / "citygml3_roads_roundabout.gml"
    if not path.is_file():
        path = next(shared_data.glob("citygml_ogc_samples/**/citygml3_roads_roundabout.gml"))
    whole = citygml.load(path, SourceConfig(path=path), Limits())
    chunks = list(citygml.iter_chunks(path, SourceConfig(path=path), Limits(), 2))
    assert len(chunks) > 1
    assert sum((c.objects.ids for c in chunks), []) == whole.objects.ids
    assert sum(c.triangle_count for c in chunks) == whole.triangle_count
    early = citygml.iter_chunks(path, SourceConfig(path=path), Limits(), 2)
    next(early)
    early.close()


def test_a_streamed_tileset_equals_the_whole_models(city, tmp_path):
    """The same file written from chunks and from one chunk (the whole model): the same tree and leaves."""
    config = SceneConfig.for_file(city[1])
    source = chunked_source(config)
    assert source is not None
    chunks = LocalChunks(config, source, per_chunk=400)
    small = write_streamed(chunks, chunks.placed_frame, tmp_path / "small", TileOptions(max_features=300))
    one = LocalChunks(config, source, per_chunk=10_000)
    whole = write_streamed(one, one.placed_frame, tmp_path / "whole", TileOptions(max_features=300))
    assert (small.tiles, small.levels, small.leaf_triangles) == (whole.tiles, whole.levels, whole.leaf_triangles)
    assert leaf_ids(tmp_path / "small") == leaf_ids(tmp_path / "whole")


def test_a_big_scene_is_tiled_on_first_load_and_reused(city, tmp_path, monkeypatch):
    """A file over [limits] auto_tile_mb opens as a streamed tileset written into the cache; the second open
    reuses it (no new writing), and a smaller file still loads whole."""
    monkeypatch.setenv("CITIVERSE_CACHE", str(tmp_path / "cache"))
    scene = tmp_path / "big.toml"
    scene.write_text(f'[[sources]]\npath = "{city[1]}"\n\n[limits]\nauto_tile_mb = 1\n')
    lines: list[str] = []
    first = load_scene(load_scene_config(scene), progress=lines.append)
    assert len(first.tilesets) == 1 and first.model.triangle_count == 0
    assert any("auto_tile_mb" in line for line in lines)
    written = list((tmp_path / "cache" / "tiles").glob("*/tileset.json"))
    assert len(written) == 1
    stamp = written[0].stat().st_mtime_ns
    lines.clear()
    second = load_scene(load_scene_config(scene), progress=lines.append)
    assert len(second.tilesets) == 1 and any("from the cache" in line for line in lines)
    assert not any("tiles [" in line for line in lines)
    assert list((tmp_path / "cache" / "tiles").glob("*/tileset.json")) == written
    assert written[0].stat().st_mtime_ns >= stamp
    small = load_scene(SceneConfig.for_file(city[1]))
    assert not small.tilesets and small.model.triangle_count > 0


def test_tilesets_follow_the_official_3d_tiles_schemas(city, tmp_path):
    """Written tilesets (from chunks, from a whole model without a CRS, with one tile only) validate against
    the official 3D Tiles 1.1 JSON schemas (tests/data/3d-tiles-schema) with ajv: 0 errors; a broken copy
    does not (so the check checks)."""
    from test_tiles_write import node_modules, run_node

    modules = node_modules("ajv")
    assert main(["-q", "tile", str(city[1]), "--out", str(tmp_path / "seq"), "--max-features-per-tile", "100"]) == 0
    assert main(["-q", "tile", str(HERE.parent / "scenes" / "demo.toml"), "--out", str(tmp_path / "demo")]) == 0
    config = SceneConfig.for_file(city[0])
    chunks = LocalChunks(config, chunked_source(config))  # type: ignore[arg-type]
    write_streamed(chunks, chunks.placed_frame, tmp_path / "one", TileOptions(max_features=10_000))
    broken = orjson.loads((tmp_path / "one" / "tileset.json").read_bytes())
    broken["root"]["geometricError"] = -1
    del broken["asset"]
    (tmp_path / "broken.json").write_bytes(orjson.dumps(broken))
    files = [tmp_path / name / "tileset.json" for name in ("seq", "demo", "one")] + [tmp_path / "broken.json"]
    reports = run_node("validate_tileset_schema.cjs", modules, str(HERE / "data" / "3d-tiles-schema"), *map(str, files))
    assert [r["errors"] for r in reports[:3]] == [[], [], []]
    assert len(reports[3]["errors"]) == 2
