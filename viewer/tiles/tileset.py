"""tileset.json (3D Tiles 1.0 and 1.1) -> a tree of Tiles, external tilesets and implicit trees read lazily.

Rules this module keeps:
1. Documents are read whole within the file-size limit (viewer.city.limits) and walked with an explicit stack,
   never by recursion; the tiles of one document count against limits.max_objects.
2. External tilesets (a content whose uri ends in .json) become the children of the tile that references
   them, read on the first children() call. Their root's transform composes with that tile's, their
   refine defaults to its. A document that references itself through any chain is refused (a cycle), and
   so is a chain deeper than MAX_EXTERNAL_DEPTH.
3. refine is inherited from the parent when a tile has none (REPLACE at a root that has none); transforms
   compose down the tree (tile.py rule 1); a region ignores transforms.
4. A tile with `implicitTiling` (1.1, or the 1.0 extension 3DTILES_implicit_tiling) gets one child, the
   root of its implicit tree (implicit.py), as CesiumJS does: the placeholder keeps the declared volume
   and error and has no content of its own.
5. References resolve as uris.py says: relative to their document, local ones inside the root's folder.
6. Required extensions not understood here (extensionsRequired) make the tileset refused, naming them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.limits import DEFAULT_LIMITS, check_count, parse_json_text
from viewer.config import Limits
from viewer.errors import LoadError
from viewer.tiles import fields
from viewer.tiles.placement import ECEF
from viewer.tiles.tile import ContentRef, Refine, Tile
from viewer.tiles.uris import Reader, extension, is_url, local_reader, resolve
from viewer.tiles.volumes import BoundingVolume, Box, Region, Sphere

VERSIONS = ("0.0", "1.0", "1.1")
MAX_EXTERNAL_DEPTH = 16
SUPPORTED_EXTENSIONS = frozenset({
    "3DTILES_implicit_tiling", "3DTILES_multiple_contents", "3DTILES_metadata", "3DTILES_content_gltf",
    "KHR_mesh_quantization", "EXT_meshopt_compression", "KHR_draco_mesh_compression",
    "EXT_mesh_features", "EXT_structural_metadata",
})


@dataclass
class Tileset:
    """A tileset opened from `uri` (absolute path or URL). `crs` names its coordinates (ECEF by default).

    root: the root Tile; version: asset.version; geometric_error: the tileset's own; schema: the 1.1 metadata
    schema as written (None without); reader: how its files are read (local files by default)."""

    uri: str
    root: Tile
    version: str
    geometric_error: float
    crs: str
    reader: Reader
    limits: Limits
    root_dir: str | None
    schema: dict[str, Any] | None = None
    extensions_used: list[str] = field(default_factory=list)
    gltf_up_axis: str = "Y"  # asset.gltfUpAxis (1.0): "Z" when glTF content is already z-up

    def walk(self, max_tiles: int | None = None) -> list[Tile]:
        """Every tile, depth first in document order, expanding external and implicit trees (reads them all:
        for inspection and tests, not for streaming). max_tiles bounds the count (LimitExceeded past it)."""
        limit = self.limits.max_objects if max_tiles is None else max_tiles
        out: list[Tile] = []
        stack = [self.root]
        while stack:
            tile = stack.pop()
            out.append(tile)
            check_count(self.uri, "tile count", len(out), limit)
            stack.extend(reversed(tile.children()))
        return out


def open_tileset(uri: str | Path, limits: Limits = DEFAULT_LIMITS, reader: Reader | None = None,
                 crs: str = ECEF) -> Tileset:
    """Read a tileset.json (a local path or an http(s) URL read through `reader`) into a Tileset."""
    text_uri = str(uri)
    root_dir = None
    if not is_url(text_uri):
        text_uri = str(Path(text_uri).resolve())
        root_dir = str(Path(text_uri).parent)
    read = reader or local_reader(limits)
    document = _document(text_uri, read(text_uri))
    context = _Context(read, limits, root_dir)
    root = context.parse(text_uri, document, np.eye(4), Refine.REPLACE, 0, (text_uri,), "r")
    asset = fields.obj(text_uri, document.get("asset"), "asset")
    return Tileset(uri=text_uri, root=root, version=str(asset.get("version")),
                   geometric_error=fields.number(text_uri, document.get("geometricError"), "geometricError", 0),
                   crs=crs, reader=read, limits=limits, root_dir=root_dir,
                   schema=document.get("schema") if isinstance(document.get("schema"), dict) else None,
                   extensions_used=[e for e in document.get("extensionsUsed", []) if isinstance(e, str)],
                   gltf_up_axis=str(asset.get("gltfUpAxis", "Y")).upper())


def _document(uri: str, data: bytes) -> dict[str, Any]:
    """A tileset document's JSON, checked for version and required extensions."""
    document = fields.obj(uri, parse_json_text(uri, data), "a tileset")
    asset = fields.obj(uri, document.get("asset"), "asset")
    version = asset.get("version")
    if version not in VERSIONS:
        raise LoadError(uri, f"3D Tiles version {version!r} is not supported (only {', '.join(VERSIONS)})")
    required = document.get("extensionsRequired", [])
    unknown = sorted(str(e) for e in fields.items(uri, required, "extensionsRequired")
                     if e not in SUPPORTED_EXTENSIONS)
    if unknown:
        raise LoadError(uri, f"requires extensions this viewer does not read: {', '.join(unknown)}")
    fields.obj(uri, document.get("root"), "root")
    return document


def parse_volume(where: str, value: Any, what: str) -> BoundingVolume:
    """A boundingVolume object -> Region, Box or Sphere in the coordinates it is written in."""
    volume = fields.obj(where, value, what)
    if "region" in volume:
        west, south, east, north, low, high = fields.numbers(where, volume["region"], f"{what}.region", 6)
        if not (-np.pi / 2 <= south <= north <= np.pi / 2) or low > high or abs(west) > 2 * np.pi \
                or abs(east) > 2 * np.pi:
            raise LoadError(where, f"{what}.region is not a valid region in radians")
        return Region(west, south, east, north, low, high)
    if "box" in volume:
        return Box.from_numbers(list(fields.numbers(where, volume["box"], f"{what}.box", 12)))
    if "sphere" in volume:
        values = fields.numbers(where, volume["sphere"], f"{what}.sphere", 4)
        if values[3] < 0:
            raise LoadError(where, f"{what}.sphere has a negative radius")
        return Sphere(values[:3], float(values[3]))
    raise LoadError(where, f"{what} has no region, box or sphere")


def parse_transform(where: str, value: Any, what: str) -> np.ndarray:
    """A column-major 4x4 (16 numbers) -> (4, 4) float64 acting on column vectors."""
    matrix = fields.numbers(where, value, what, 16).reshape(4, 4).T
    if not np.allclose(matrix[3], [0.0, 0.0, 0.0, 1.0]):
        raise LoadError(where, f"{what} is not an affine transform (its last row must be 0 0 0 1)")
    return matrix


class _Context:
    """What parsing one tileset's documents shares: the reader, the limits and the root folder."""

    def __init__(self, reader: Reader, limits: Limits, root_dir: str | None) -> None:
        self.reader, self.limits, self.root_dir = reader, limits, root_dir

    def parse(self, uri: str, document: dict[str, Any], parent_transform: np.ndarray, parent_refine: Refine,
              depth: int, documents: tuple[str, ...], key: str) -> Tile:
        """The root Tile of a document, its explicit descendants linked (rule 1: an explicit stack)."""
        count = 0
        root: Tile | None = None
        stack: list[tuple[Any, np.ndarray, Refine, int, str, Tile | None]] = [
            (document["root"], parent_transform, parent_refine, depth, key, None)]
        while stack:
            node, transform, refine, level, path, parent = stack.pop()
            count += 1
            check_count(uri, "tile count (one tileset document)", count, self.limits.max_objects)
            tile, children = self._tile(uri, node, transform, refine, level, documents, path)
            if parent is None:
                root = tile
            else:
                assert parent._children is not None
                parent._children.append(tile)
            if children:
                tile._children = []
                stack.extend((child, tile.transform, tile.refine, level + 1, f"{path}/{i}", tile)
                             for i, child in reversed(list(enumerate(children))))
        assert root is not None
        return root

    def _tile(self, uri: str, value: Any, parent_transform: np.ndarray, parent_refine: Refine, depth: int,
              documents: tuple[str, ...], key: str) -> tuple[Tile, list[Any]]:
        node = fields.obj(uri, value, f"tile {key}")
        own = parse_transform(uri, node["transform"], f"tile {key} transform") if "transform" in node \
            else np.eye(4)
        transform = parent_transform @ own
        refine = _refine(uri, node.get("refine"), parent_refine, key)
        volume = parse_volume(uri, node.get("boundingVolume"), f"tile {key} boundingVolume").transformed(transform)
        request = node.get("viewerRequestVolume")
        contents, externals = self._contents(uri, node, transform, key)
        tile = Tile(key=key, bounding_volume=volume,
                    geometric_error=fields.number(uri, node.get("geometricError"), f"tile {key} geometricError", 0),
                    refine=refine, transform=transform, contents=contents, depth=depth, documents=documents,
                    request_volume=None if request is None else
                    parse_volume(uri, request, f"tile {key} viewerRequestVolume").transformed(transform),
                    metadata=node.get("metadata") if isinstance(node.get("metadata"), dict) else None)
        children = fields.items(uri, node.get("children", []), f"tile {key} children")
        implicit = node.get("implicitTiling") or node.get("extensions", {}).get("3DTILES_implicit_tiling")
        if implicit is not None:
            self._make_implicit(uri, tile, implicit, externals, children)
        elif externals:
            if children:
                raise LoadError(uri, f"tile {key} references an external tileset and has children")
            tile._expand = lambda parent: self._external(parent, externals)
        return tile, children

    def _contents(self, uri: str, node: dict[str, Any], transform: np.ndarray,
                  key: str) -> tuple[tuple[ContentRef, ...], list[str]]:
        """Renderable contents and external tileset uris of a tile (1.0 `content`, 1.1 `contents`)."""
        raw = []
        if "content" in node:
            raw.append(node["content"])
        raw += fields.items(uri, node.get("contents", []), f"tile {key} contents")
        multiple = node.get("extensions", {}).get("3DTILES_multiple_contents", {})
        raw += fields.items(uri, multiple.get("contents", []) if isinstance(multiple, dict) else [],
                            f"tile {key} 3DTILES_multiple_contents")
        contents, externals = [], []
        for i, item in enumerate(raw):
            content = fields.obj(uri, item, f"tile {key} content {i}")
            reference = content.get("uri", content.get("url"))  # "url" is what 0.0 tilesets wrote
            if "implicitTiling" in node or "3DTILES_implicit_tiling" in node.get("extensions", {}):
                contents.append(ContentRef(fields.string(uri, reference, f"tile {key} content uri")))
                continue  # a template: implicit.py resolves it per tile
            target = resolve(uri, fields.string(uri, reference, f"tile {key} content uri"), self.root_dir)
            if extension(target) == ".json":
                externals.append(target)
                continue
            volume = content.get("boundingVolume")
            group = content.get("group")
            contents.append(ContentRef(
                target,
                None if volume is None else parse_volume(uri, volume, f"tile {key} content boundingVolume")
                .transformed(transform),
                group if isinstance(group, int) and not isinstance(group, bool) else None,
                content.get("metadata") if isinstance(content.get("metadata"), dict) else None))
        return tuple(contents), externals

    def _external(self, tile: Tile, externals: list[str]) -> list[Tile]:
        """Children of a tile from its external tileset(s) (rule 2)."""
        children = []
        for i, target in enumerate(externals):
            if target in tile.documents:
                raise LoadError(target, f"external tileset cycle: {' -> '.join(tile.documents + (target,))}")
            if len(tile.documents) > MAX_EXTERNAL_DEPTH:
                raise LoadError(target, f"external tilesets nest deeper than {MAX_EXTERNAL_DEPTH} levels")
            document = _document(target, self.reader(target))
            children.append(self.parse(target, document, tile.transform, tile.refine, tile.depth + 1,
                                       tile.documents + (target,), f"{tile.key}/x{i}"))
        return children

    def _make_implicit(self, uri: str, tile: Tile, implicit: Any, externals: list[str],
                       children: list[Any]) -> None:
        from viewer.tiles.implicit import ImplicitTree  # implicit.py builds Tiles: imported where used

        if externals or children:
            raise LoadError(uri, f"tile {tile.key}: an implicit root has content templates and no children")
        tree = ImplicitTree.from_json(uri, implicit, [c.uri for c in tile.contents], tile, self.reader,
                                      self.limits, self.root_dir)
        tile.contents = ()
        tile._expand = lambda parent: tree.root_tiles()


def _refine(uri: str, value: Any, inherited: Refine, key: str) -> Refine:
    if value is None:
        return inherited
    if not isinstance(value, str) or value.upper() not in Refine.__members__:
        raise LoadError(uri, f"tile {key} refine must be ADD or REPLACE, got {value!r}")
    return Refine(value.upper())
