"""Implicit tiling (3D Tiles 1.1 `implicitTiling`, 1.0's 3DTILES_implicit_tiling): quadtrees and octrees whose
tiles exist where subtree files say, expanded on demand into the same Tile objects as explicit trees.

Rules this module keeps:
1. A tile at (level, x, y[, z]) lives in the subtree rooted at level - level % subtreeLevels; inside it, tiles
   are numbered level by level, each level in Morton order (x in the lowest bit, then y, then z), so tile
   (l, m) has bit (4^l - 1) / 3 + m of a quadtree's tileAvailability ((8^l - 1) / 7 + m for an octree).
   childSubtreeAvailability has one bit per tile of the level just below the subtree, in Morton order.
2. Bitstreams are little-endian in bits (bit i is byte i // 8, bit i % 8); an availability may instead be a
   `constant` (0 or 1). Nothing is ever expanded to one value per tile: bits are read where asked.
3. Subtree files are JSON or binary (magic "subt", version 1, JSON and binary byte lengths as uint64, then the
   chunks); every buffer and bufferView is bounds-checked against the bytes that exist, and a bitstream must
   hold every bit its level count implies. Buffers with a uri resolve against the subtree file (uris.py).
4. Child volumes are cut from the root's (region or box; a sphere cannot be subdivided) in one step from the
   root, never from the parent, so no error accumulates: a quadtree halves x and y, an octree also z.
   The geometric error halves per level; refine and transform are the root tile's.
5. Subtrees are read the first time a tile needs them (through the tileset's Reader) and kept per tree.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.city.limits import parse_json_text
from viewer.config import Limits
from viewer.errors import LoadError
from viewer.tiles import fields
from viewer.tiles.tile import ContentRef, ImplicitCoordinates, Tile
from viewer.tiles.uris import Reader, extension, resolve
from viewer.tiles.volumes import BoundingVolume, Box, Region

SUBTREE_MAGIC = b"subt"
MAX_LEVELS = 31  # tile coordinates stay below 2**31
_HEADER = struct.Struct("<4sIQQ")


# --- Morton order and tile numbering (rule 1) ---------------------------------------------------------------

def morton(coordinates: tuple[int, ...]) -> int:
    """Interleave the bits of (x, y) or (x, y, z): x in bit 0, y in bit 1 (, z in bit 2) of each group."""
    dims = len(coordinates)
    index = 0
    for bit in range(MAX_LEVELS + 1):
        for axis, value in enumerate(coordinates):
            index |= ((value >> bit) & 1) << (bit * dims + axis)
    return index


def level_offset(level: int, branching: int) -> int:
    """Index of the first tile of `level` inside a subtree (levels 0 .. level-1 come first)."""
    return (branching ** level - 1) // (branching - 1)


def tiles_in_subtree(levels: int, branching: int) -> int:
    return level_offset(levels, branching)


# --- Availability and subtrees (rules 2 and 3) ------------------------------------------------------------

@dataclass(frozen=True)
class Availability:
    """Either a constant or a bitstream (uint8 bytes); `count` bits are meaningful."""

    count: int
    constant: bool | None = None
    bits: bytes | None = None

    def __getitem__(self, index: int) -> bool:
        if not 0 <= index < self.count:
            return False
        if self.constant is not None:
            return self.constant
        assert self.bits is not None
        return bool((self.bits[index >> 3] >> (index & 7)) & 1)

    def available_count(self) -> int:
        if self.constant is not None:
            return self.count if self.constant else 0
        assert self.bits is not None
        ones = int(np.unpackbits(np.frombuffer(self.bits, np.uint8), bitorder="little")[:self.count].sum())
        return ones


@dataclass(frozen=True)
class Subtree:
    """tiles: tileAvailability; contents: contentAvailability, one per content template; children:
    childSubtreeAvailability."""

    tiles: Availability
    contents: tuple[Availability, ...]
    children: Availability


def parse_subtree(uri: str, data: bytes, levels: int, branching: int, reader: Reader,
                  root_dir: str | None) -> Subtree:
    """A JSON or binary subtree file -> Subtree (rule 3)."""
    if data[:4] == SUBTREE_MAGIC:
        document, binary = _split_binary(uri, data)
    else:
        document, binary = fields.obj(uri, parse_json_text(uri, data), "a subtree"), None
    buffers = _buffers(uri, document, binary, reader, root_dir)
    views = _buffer_views(uri, document, buffers)
    tile_count = tiles_in_subtree(levels, branching)
    tiles = _availability(uri, document.get("tileAvailability"), "tileAvailability", tile_count, views)
    content_json = document.get("contentAvailability", [])
    if isinstance(content_json, dict):  # 1.0 extension: one object
        content_json = [content_json]
    contents = tuple(_availability(uri, item, f"contentAvailability[{i}]", tile_count, views)
                     for i, item in enumerate(fields.items(uri, content_json, "contentAvailability")))
    children = _availability(uri, document.get("childSubtreeAvailability"), "childSubtreeAvailability",
                             branching ** levels, views)
    return Subtree(tiles, contents, children)


def _split_binary(uri: str, data: bytes) -> tuple[dict[str, Any], bytes]:
    if len(data) < _HEADER.size:
        raise LoadError(uri, f"truncated subtree header ({len(data)} bytes, need {_HEADER.size})")
    _, version, json_length, binary_length = _HEADER.unpack_from(data)
    if version != 1:
        raise LoadError(uri, f"subtree version {version} is not supported (only 1)")
    if _HEADER.size + json_length + binary_length > len(data):
        raise LoadError(uri, f"subtree header declares {json_length:,} JSON + {binary_length:,} binary bytes "
                             f"but the file has {len(data) - _HEADER.size:,} after its header")
    text = data[_HEADER.size:_HEADER.size + json_length]
    binary = data[_HEADER.size + json_length:_HEADER.size + json_length + binary_length]
    return fields.obj(uri, parse_json_text(uri, text), "subtree JSON"), binary


def _buffers(uri: str, document: dict[str, Any], binary: bytes | None, reader: Reader,
             root_dir: str | None) -> list[bytes]:
    out = []
    for i, item in enumerate(fields.items(uri, document.get("buffers", []), "buffers")):
        buffer = fields.obj(uri, item, f"buffers[{i}]")
        length = fields.integer(uri, buffer.get("byteLength"), f"buffers[{i}].byteLength")
        if "uri" in buffer:
            data = reader(resolve(uri, fields.string(uri, buffer["uri"], f"buffers[{i}].uri"), root_dir))
        elif binary is None or i != 0:
            raise LoadError(uri, f"buffers[{i}] has no uri and is not the binary chunk of a .subtree file")
        else:
            data = binary
        if length > len(data):
            raise LoadError(uri, f"buffers[{i}] declares {length:,} bytes but {len(data):,} exist")
        out.append(data[:length])
    return out


def _buffer_views(uri: str, document: dict[str, Any], buffers: list[bytes]) -> list[bytes]:
    out = []
    for i, item in enumerate(fields.items(uri, document.get("bufferViews", []), "bufferViews")):
        view = fields.obj(uri, item, f"bufferViews[{i}]")
        buffer = fields.integer(uri, view.get("buffer"), f"bufferViews[{i}].buffer", 0, len(buffers) - 1)
        offset = fields.integer(uri, view.get("byteOffset", 0), f"bufferViews[{i}].byteOffset")
        length = fields.integer(uri, view.get("byteLength"), f"bufferViews[{i}].byteLength")
        if offset + length > len(buffers[buffer]):
            raise LoadError(uri, f"bufferViews[{i}] runs past the end of buffer {buffer}")
        out.append(buffers[buffer][offset:offset + length])
    return out


def _availability(uri: str, value: Any, what: str, count: int, views: list[bytes]) -> Availability:
    item = fields.obj(uri, value, what)
    if "constant" in item:
        constant = fields.integer(uri, item["constant"], f"{what}.constant", 0, 1)
        return Availability(count, constant=bool(constant))
    stream = item.get("bitstream", item.get("bufferView"))  # "bufferView": the 1.0 extension's name
    if not views:
        raise LoadError(uri, f"{what} has a bitstream but the subtree has no bufferViews")
    index = fields.integer(uri, stream, f"{what}.bitstream", 0, len(views) - 1)
    bits = views[index]
    if len(bits) * 8 < count:
        raise LoadError(uri, f"{what} bitstream holds {len(bits) * 8:,} bits, {count:,} needed")
    return Availability(count, bits=bits)


# --- The tree (rules 4 and 5) -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImplicitTiling:
    """The implicitTiling object: branching 4 (QUADTREE) or 8 (OCTREE), levels per subtree, levels in all,
    and the subtree uri template."""

    branching: int
    subtree_levels: int
    available_levels: int
    subtrees: str

    @property
    def dims(self) -> int:
        return 2 if self.branching == 4 else 3

    @classmethod
    def from_json(cls, uri: str, value: Any) -> ImplicitTiling:
        item = fields.obj(uri, value, "implicitTiling")
        scheme = item.get("subdivisionScheme")
        if scheme not in ("QUADTREE", "OCTREE"):
            raise LoadError(uri, f"implicitTiling.subdivisionScheme must be QUADTREE or OCTREE, got {scheme!r}")
        if "availableLevels" in item:
            levels = fields.integer(uri, item["availableLevels"], "implicitTiling.availableLevels", 1, MAX_LEVELS)
        else:  # the 1.0 extension's maximumLevel is the last level's index
            levels = fields.integer(uri, item.get("maximumLevel"), "implicitTiling.maximumLevel", 0,
                                    MAX_LEVELS - 1) + 1
        subtree_levels = fields.integer(uri, item.get("subtreeLevels"), "implicitTiling.subtreeLevels", 1,
                                        16 if scheme == "QUADTREE" else 10)  # a bitstream of 4^16 bits: 512 MB
        subtrees = fields.obj(uri, item.get("subtrees"), "implicitTiling.subtrees")
        template = fields.string(uri, subtrees.get("uri", subtrees.get("url")), "implicitTiling.subtrees.uri")
        return cls(4 if scheme == "QUADTREE" else 8, subtree_levels, levels, template)


def expand_template(template: str, coordinates: ImplicitCoordinates) -> str:
    return (template.replace("{level}", str(coordinates.level)).replace("{x}", str(coordinates.x))
            .replace("{y}", str(coordinates.y)).replace("{z}", str(coordinates.z)))


def child_volume(root: BoundingVolume, at: ImplicitCoordinates, octree: bool) -> BoundingVolume:
    """The volume of the tile at `at`, cut from the root's in one step (rule 4)."""
    n = 1 << at.level
    if isinstance(root, Region):
        east = root.east if root.east >= root.west else root.east + 2 * math.pi
        width, height = (east - root.west) / n, (root.north - root.south) / n
        west, south = root.west + at.x * width, root.south + at.y * height
        low, high = root.min_height, root.max_height
        if octree:
            step = (high - low) / n
            low, high = low + at.z * step, low + (at.z + 1) * step
        return Region(west, south, west + width, south + height, low, high)  # east past pi: still valid
    assert isinstance(root, Box)
    offsets = np.array([(2 * at.x + 1) / n - 1, (2 * at.y + 1) / n - 1, (2 * at.z + 1) / n - 1 if octree else 0])
    scales = np.array([1 / n, 1 / n, 1 / n if octree else 1.0])
    return Box(root.center + root.half_axes @ offsets, root.half_axes * scales)


class ImplicitTree:
    """One implicit tree: its tiling, the placeholder tile it hangs from, content templates and the subtrees
    read so far."""

    def __init__(self, uri: str, tiling: ImplicitTiling, placeholder: Tile, templates: list[str],
                 reader: Reader, limits: Limits, root_dir: str | None) -> None:
        if not isinstance(placeholder.bounding_volume, (Region, Box)):
            raise LoadError(uri, f"tile {placeholder.key}: an implicit root's volume must be a region or a box")
        for template in templates:
            if extension(template) == ".json":
                raise LoadError(uri, f"tile {placeholder.key}: external tilesets as implicit content are not read")
        self.uri, self.tiling, self.placeholder = uri, tiling, placeholder
        self.templates, self.reader, self.limits, self.root_dir = templates, reader, limits, root_dir
        self.subtrees: dict[ImplicitCoordinates, Subtree] = {}

    @classmethod
    def from_json(cls, uri: str, value: Any, templates: list[str], placeholder: Tile, reader: Reader,
                  limits: Limits, root_dir: str | None) -> ImplicitTree:
        return cls(uri, ImplicitTiling.from_json(uri, value), placeholder, templates, reader, limits, root_dir)

    def root_tiles(self) -> list[Tile]:
        """The implicit root (level 0) when its subtree says it exists, else nothing."""
        origin = ImplicitCoordinates(0, 0, 0, 0)
        subtree = self.subtree(origin)
        return [self._tile(origin, subtree, 0)] if subtree.tiles[0] else []

    def subtree(self, root: ImplicitCoordinates) -> Subtree:
        """The subtree rooted at `root` (read once, rule 5)."""
        if root not in self.subtrees:
            target = resolve(self.uri, expand_template(self.tiling.subtrees, root), self.root_dir)
            self.subtrees[root] = parse_subtree(target, self.reader(target), self.tiling.subtree_levels,
                                                self.tiling.branching, self.reader, self.root_dir)
        return self.subtrees[root]

    def children(self, tile: Tile) -> list[Tile]:
        assert tile.implicit is not None
        at, levels = tile.implicit, self.tiling.subtree_levels
        if at.level + 1 >= self.tiling.available_levels:
            return []
        local_level = at.level % levels + 1
        root = self._subtree_root(at)
        subtree = self.subtree(root)
        out = []
        for child in range(self.tiling.branching):
            coordinates = ImplicitCoordinates(at.level + 1, 2 * at.x + (child & 1), 2 * at.y + (child >> 1 & 1),
                                              2 * at.z + (child >> 2 & 1))
            if local_level < levels:
                index = level_offset(local_level, self.tiling.branching) + morton(
                    self._relative(coordinates, root))
                if subtree.tiles[index]:
                    out.append(self._tile(coordinates, subtree, index))
            elif subtree.children[morton(self._relative(coordinates, root))]:
                below = self.subtree(coordinates)
                if below.tiles[0]:
                    out.append(self._tile(coordinates, below, 0))
        return out

    def _subtree_root(self, at: ImplicitCoordinates) -> ImplicitCoordinates:
        shift = at.level % self.tiling.subtree_levels
        return ImplicitCoordinates(at.level - shift, at.x >> shift, at.y >> shift, at.z >> shift)

    def _relative(self, at: ImplicitCoordinates, root: ImplicitCoordinates) -> tuple[int, ...]:
        shift = at.level - root.level
        relative = (at.x - (root.x << shift), at.y - (root.y << shift), at.z - (root.z << shift))
        return relative[:self.tiling.dims]

    def _tile(self, at: ImplicitCoordinates, subtree: Subtree, index: int) -> Tile:
        base = self.placeholder
        contents = tuple(ContentRef(resolve(self.uri, expand_template(template, at), self.root_dir))
                         for template, available in zip(self.templates, subtree.contents, strict=False)
                         if available[index])
        key = f"{base.key}@i{at.level}/{at.x}/{at.y}" + (f"/{at.z}" if self.tiling.dims == 3 else "")
        return Tile(key=key, bounding_volume=child_volume(base.bounding_volume, at, self.tiling.dims == 3),
                    geometric_error=base.geometric_error / (1 << at.level), refine=base.refine,
                    transform=base.transform, contents=contents, depth=base.depth + 1 + at.level,
                    documents=base.documents, implicit=at, _expand=self.children)
