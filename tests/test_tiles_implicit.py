"""Implicit tiling: quadtree and octree trees expanded from JSON and binary subtrees written here."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import numpy as np
import pytest

from viewer.errors import LoadError
from viewer.tiles.implicit import morton
from viewer.tiles.tileset import open_tileset
from viewer.tiles.volumes import Box, Region

REGION = [-1.32, 0.698, -1.319, 0.699, 0.0, 80.0]


def binary_subtree(document: dict, binary: bytes = b"") -> bytes:
    """A .subtree file: header, JSON padded to 8 bytes, binary chunk padded to 8 bytes."""
    text = json.dumps(document).encode()
    text += b" " * (-len(text) % 8)
    binary += b"\0" * (-len(binary) % 8)
    return struct.pack("<4sIQQ", b"subt", 1, len(text), len(binary)) + text + binary


def write_tileset(folder: Path, root_volume: dict, implicit: dict, error: float = 64.0) -> Path:
    document = {"asset": {"version": "1.1"}, "geometricError": error,
                "root": {"boundingVolume": root_volume, "geometricError": error, "refine": "REPLACE",
                         "content": {"uri": "content/{level}/{x}/{y}.glb"}, "implicitTiling": implicit}}
    path = folder / "tileset.json"
    path.write_text(json.dumps(document))
    return path


def quadtree(folder: Path) -> Path:
    """Levels 0-3 in subtrees of 2 levels: the root subtree (JSON, external buffer, bitstreams) holds the root
    and 3 of its 4 children; two level-2 subtrees (binary, constants) are full."""
    (folder / "subtrees").mkdir()
    tiles = bytes([0b10111])            # root + children with Morton index 0, 1, 3
    content = bytes([0b10110])          # the same without the root
    children = (1 << 0 | 1 << 5).to_bytes(2, "little")  # level-2 subtrees at (0, 0) and (3, 0)
    buffer = tiles + content + children
    (folder / "subtrees/0.0.0.bin").write_bytes(buffer)
    (folder / "subtrees/0.0.0.json").write_text(json.dumps({
        "buffers": [{"uri": "0.0.0.bin", "byteLength": len(buffer)}],
        "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 1}, {"buffer": 0, "byteOffset": 1, "byteLength": 1},
                        {"buffer": 0, "byteOffset": 2, "byteLength": 2}],
        "tileAvailability": {"bitstream": 0}, "contentAvailability": [{"bitstream": 1}],
        "childSubtreeAvailability": {"bitstream": 2}}))
    full = {"tileAvailability": {"constant": 1}, "contentAvailability": [{"constant": 1}],
            "childSubtreeAvailability": {"constant": 0}}
    for x, y in ((0, 0), (3, 0)):
        (folder / f"subtrees/2.{x}.{y}.json").write_bytes(binary_subtree(full))
    return write_tileset(folder, {"region": REGION}, {
        "subdivisionScheme": "QUADTREE", "subtreeLevels": 2, "availableLevels": 4,
        "subtrees": {"uri": "subtrees/{level}.{x}.{y}.json"}})


def test_morton_order_interleaves_x_then_y_then_z():
    """x is the lowest bit of each group, then y, then z."""
    assert [morton((x, y)) for x, y in ((1, 0), (0, 1), (1, 1), (3, 0), (2, 2))] == [1, 2, 3, 5, 12]
    assert [morton((x, y, z)) for x, y, z in ((1, 1, 1), (2, 0, 0), (0, 0, 2))] == [7, 8, 32]


def test_quadtree_expands_where_subtrees_say(tmp_path):
    """The placeholder, root, 3 children, 2 grandchildren and their 8 children exist, no more."""
    tileset = open_tileset(quadtree(tmp_path))
    placeholder = tileset.root
    assert placeholder.contents == () and not placeholder.children_known
    tiles = tileset.walk()
    levels = [t.implicit.level for t in tiles if t.implicit is not None]
    assert [levels.count(level) for level in range(4)] == [1, 3, 2, 8]
    implicit_root = placeholder.children()[0]
    assert implicit_root.contents == ()  # its content bit is 0
    assert [(t.implicit.x, t.implicit.y) for t in implicit_root.children()] == [(0, 0), (1, 0), (1, 1)]
    deepest = next(t for t in tiles if t.implicit and (t.implicit.level, t.implicit.x, t.implicit.y) == (3, 7, 1))
    assert Path(deepest.contents[0].uri) == tmp_path / "content/3/7/1.glb"
    assert deepest.geometric_error == 8.0 and deepest.refine.value == "REPLACE"
    volume = deepest.bounding_volume
    assert isinstance(volume, Region)
    width = (REGION[2] - REGION[0]) / 8
    assert volume.west == pytest.approx(REGION[0] + 7 * width) and volume.east == pytest.approx(REGION[2])
    assert volume.south == pytest.approx(REGION[1] + (REGION[3] - REGION[1]) / 8)
    assert (volume.min_height, volume.max_height) == (0.0, 80.0)  # a quadtree keeps the heights


def test_octree_with_a_binary_subtree_and_internal_buffer(tmp_path):
    """An octree box: the binary root subtree's bitstream makes children (0,0,0) and (1,1,1), each a
    JSON subtree; child boxes are octants of the root's."""
    binary = bytes([1, 0b10000001])  # content of the root; child subtrees at Morton 0 and 7
    root = {"buffers": [{"byteLength": 2}],
            "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 1}, {"buffer": 0, "byteOffset": 1, "byteLength": 1}],
            "tileAvailability": {"constant": 1}, "contentAvailability": [{"bitstream": 0}],
            "childSubtreeAvailability": {"bitstream": 1}}
    (tmp_path / "0.0.0.0.subtree").write_bytes(binary_subtree(root, binary))
    leaf = {"tileAvailability": {"constant": 1}, "childSubtreeAvailability": {"constant": 0}}
    for x in (0, 1):
        (tmp_path / f"1.{x}.{x}.{x}.subtree").write_text(json.dumps(leaf))
    box = [10, 20, 30, 8, 0, 0, 0, 4, 0, 0, 0, 2]
    path = write_tileset(tmp_path, {"box": box}, {"subdivisionScheme": "OCTREE", "subtreeLevels": 1,
                                                  "availableLevels": 2,
                                                  "subtrees": {"uri": "{level}.{x}.{y}.{z}.subtree"}})
    root_tile = open_tileset(path).root.children()[0]
    assert len(root_tile.contents) == 1
    children = root_tile.children()
    assert [(c.implicit.x, c.implicit.y, c.implicit.z) for c in children] == [(0, 0, 0), (1, 1, 1)]
    far = children[1].bounding_volume
    assert isinstance(far, Box)
    assert np.allclose(far.center, [14, 22, 31]) and np.allclose(np.diag(far.half_axes), [4, 2, 1])
    assert children[1].contents == () and children[1].children() == []  # no content availability: none


def test_huge_levels_read_lazily(tmp_path):
    """A 20-level quadtree of constant subtrees expands one tile at a time (nothing per tile up front)."""
    (tmp_path / "s.json").write_text(json.dumps({"tileAvailability": {"constant": 1},
                                                 "contentAvailability": [{"constant": 1}],
                                                 "childSubtreeAvailability": {"constant": 1}}))
    path = write_tileset(tmp_path, {"region": REGION}, {"subdivisionScheme": "QUADTREE", "subtreeLevels": 10,
                                                        "availableLevels": 20, "subtrees": {"uri": "s.json"}})
    tile = open_tileset(path).root
    for _ in range(20):
        tile = tile.children()[-1]
    assert tile.implicit.level == 19 and tile.implicit.x == 2 ** 19 - 1
    assert tile.geometric_error == pytest.approx(64 / 2 ** 19)
    assert math.isclose(tile.bounding_volume.east, REGION[2])


@pytest.mark.parametrize("data, reason", [
    (b"subt\x01\x00", "truncated subtree header"),
    (struct.pack("<4sIQQ", b"subt", 1, 1000, 0) + b"{}", "declares 1,000 JSON"),
    (struct.pack("<4sIQQ", b"subt", 2, 2, 0) + b"{}", "version 2"),
    (binary_subtree({"buffers": [{"byteLength": 64}], "bufferViews": [{"buffer": 0, "byteLength": 1}],
                     "tileAvailability": {"bitstream": 0}, "childSubtreeAvailability": {"constant": 0}}, b"\1"),
     "declares 64 bytes"),
    (binary_subtree({"buffers": [{"byteLength": 8}], "bufferViews": [{"buffer": 0, "byteOffset": 6, "byteLength": 4}],
                     "tileAvailability": {"bitstream": 0}, "childSubtreeAvailability": {"constant": 0}}, b"\1" * 8),
     "runs past the end"),
    (binary_subtree({"buffers": [{"byteLength": 8}], "bufferViews": [{"buffer": 0, "byteLength": 1}],
                     "tileAvailability": {"constant": 1}, "childSubtreeAvailability": {"bitstream": 0}}, b"\1" * 8),
     "bits, 16 needed"),
    (json.dumps({"buffers": [{"byteLength": 1}], "tileAvailability": {"constant": 1},
                 "childSubtreeAvailability": {"constant": 0}}).encode(), "no uri"),
    (json.dumps({"tileAvailability": {"constant": 2}, "childSubtreeAvailability": {"constant": 0}}).encode(),
     "constant"),
    (json.dumps({"tileAvailability": {"constant": 1}, "childSubtreeAvailability": {"constant": 0},
                 "buffers": [{"uri": "../../etc/passwd", "byteLength": 1}]}).encode(), "outside"),
])
def test_hostile_subtrees_are_refused(tmp_path, data, reason):
    """Each broken subtree is a LoadError saying why, raised when the tree needs it."""
    (tmp_path / "s.subtree").write_bytes(data)
    path = write_tileset(tmp_path, {"region": REGION}, {"subdivisionScheme": "QUADTREE", "subtreeLevels": 2,
                                                        "availableLevels": 3, "subtrees": {"uri": "s.subtree"}})
    with pytest.raises(LoadError, match=reason):
        open_tileset(path).walk()


@pytest.mark.parametrize("volume, implicit, reason", [
    ({"region": REGION}, {"subdivisionScheme": "BINARY", "subtreeLevels": 1, "availableLevels": 1,
                          "subtrees": {"uri": "s"}}, "QUADTREE or OCTREE"),
    ({"sphere": [0, 0, 0, 1]}, {"subdivisionScheme": "QUADTREE", "subtreeLevels": 1, "availableLevels": 1,
                                "subtrees": {"uri": "s"}}, "region or a box"),
    ({"region": REGION}, {"subdivisionScheme": "OCTREE", "subtreeLevels": 11, "availableLevels": 12,
                          "subtrees": {"uri": "s"}}, "subtreeLevels"),
    ({"region": REGION}, {"subdivisionScheme": "QUADTREE", "subtreeLevels": 2, "availableLevels": 40,
                          "subtrees": {"uri": "s"}}, "availableLevels"),
])
def test_bad_implicit_tiling_is_refused(tmp_path, volume, implicit, reason):
    """Schemes, root volumes and level counts outside what is read fail when the tileset is opened."""
    with pytest.raises(LoadError, match=reason):
        open_tileset(write_tileset(tmp_path, volume, implicit))
