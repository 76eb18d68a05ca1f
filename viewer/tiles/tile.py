"""The tile: one node of a tileset tree, explicit (tileset.py) or implicit (implicit.py) alike.

Rules this module keeps:
1. A Tile's volumes and transform are world ones: its ancestors' transforms are composed into `transform`
   ((4, 4) float64, column vectors: world = parent @ own) and already applied to box and sphere volumes.
2. Children are known up front for explicit tiles and found on demand for the rest: the first call to
   children() of a tile that references an external tileset or roots an implicit tree reads what it needs
   (through the tileset's Reader) and keeps the result. A failure raises LoadError and can be retried.
3. `contents` hold only renderable content (b3dm, i3dm, pnts, cmpt, glTF); an external tileset is not a
   content but the source of the tile's children.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from viewer.tiles.volumes import BoundingVolume


class Refine(StrEnum):
    """How a tile's children refine it: ADD draws them with it, REPLACE instead of it."""

    ADD = "ADD"
    REPLACE = "REPLACE"


@dataclass(frozen=True)
class ContentRef:
    """One content of a tile: its resolved uri (absolute path or URL), its optional tighter volume (world),
    its 1.1 group index and metadata (as written)."""

    uri: str
    bounding_volume: BoundingVolume | None = None
    group: int | None = None
    metadata: dict[str, Any] | None = None


@dataclass(frozen=True)
class ImplicitCoordinates:
    """Where an implicit tile sits in its tree: level and x, y (z for an octree, else 0)."""

    level: int
    x: int
    y: int
    z: int = 0


@dataclass(eq=False)
class Tile:
    """key: unique within the tileset ("r/0/2" for explicit paths, "r/0@i2/3/1" for implicit tiles);
    depth: 0 at the root, external roots and implicit levels counted; documents: the chain of tileset
    documents from the root one to the one holding this tile (for cycle checks)."""

    key: str
    bounding_volume: BoundingVolume
    geometric_error: float
    refine: Refine
    transform: np.ndarray
    contents: tuple[ContentRef, ...]
    depth: int
    documents: tuple[str, ...]
    request_volume: BoundingVolume | None = None
    metadata: dict[str, Any] | None = None
    implicit: ImplicitCoordinates | None = None
    _children: list[Tile] | None = field(default=None, repr=False)
    _expand: Callable[[Tile], list[Tile]] | None = field(default=None, repr=False)

    @property
    def children_known(self) -> bool:
        """Whether children() answers without reading anything."""
        return self._children is not None or self._expand is None

    def children(self) -> list[Tile]:
        """This tile's children, reading an external tileset or a subtree the first time when needed."""
        if self._children is None:
            self._children = self._expand(self) if self._expand is not None else []
        return self._children

    @property
    def is_leaf(self) -> bool:
        return self.children_known and not self.children()
