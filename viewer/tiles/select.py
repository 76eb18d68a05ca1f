"""Which tiles to draw this frame: screen-space error selection over a tileset tree, with no holes.

Rules this module keeps:
1. Pure: no Panda3D, no I/O. The caller passes the camera as a View (local metres), the tree's root, how
   tiles are placed (a Placement: tileset coordinates -> local metres) and what is loaded (a ContentState).
   Children that are not known yet (external tilesets, implicit subtrees) are never read here: the tile is
   listed in `Selection.expand` for a background thread to read, and is treated as a leaf meanwhile.
2. A tile is refined when its screen-space error, geometric_error * height_px / (2 * d * tan(fov_y / 2))
   with d the distance from the eye to its bounds, exceeds `max_sse` pixels. Tiles outside the frustum or
   whose viewerRequestVolume does not hold the eye are skipped with their subtrees.
3. REPLACE draws the children instead of the parent only when every visible child covers its area (its own
   content is ready, or its own visible children cover it); otherwise the parent stays drawn (no holes),
   or, when it is not ready either, the nearest ready ancestor does. ADD draws a tile's content with its
   children's. A tile without content covers its area by drawing nothing.
4. `Selection.complete` is true when every tile the target detail needs is ready: what offline renders wait
   for. `wanted` lists the tiles to load with their priorities (smaller is sooner: coarser levels first,
   then near the screen centre and near the eye); with fallbacks, a REPLACE parent whose children are not
   all ready is wanted too, so moving never shows a hole for long (the window; offline renders skip them).
5. Bounds are computed once per tile (a dict keyed by the Tile object) as axis-aligned boxes in local
   metres (volumes.py's conservative local_bounds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from viewer.tiles.tile import Refine, Tile
from viewer.tiles.volumes import Placement

DEFAULT_MAX_SSE = 16.0  # pixels, as CesiumJS and 3DTilesRendererJS
_CENTRE_WEIGHT = 2.0  # how much an off-centre tile's priority is pushed back (rule 4)


class ContentState(Protocol):
    """What the loader knows: whether a tile's content is ready to draw (failed counts as ready, empty)."""

    def is_ready(self, tile: Tile) -> bool: ...


@dataclass(frozen=True)
class View:
    """The camera in local metres: eye (3,) float64, forward (3,) unit, vertical fov in radians, the
    viewport's height in pixels and the frustum planes (k, 4) float64, inside where n . p + d >= 0."""

    eye: np.ndarray
    forward: np.ndarray
    fov_y: float
    height_px: int
    planes: np.ndarray

    @property
    def sse_factor(self) -> float:
        """Pixels per metre of error at one metre: height_px / (2 tan(fov_y / 2))."""
        return self.height_px / (2.0 * math.tan(self.fov_y / 2.0))


def make_view(eye: np.ndarray, forward: np.ndarray, up: np.ndarray, fov_y_deg: float, aspect: float,
              height_px: int, near: float = 0.1) -> View:
    """A View of a symmetric perspective camera: the four side planes and the near plane (no far plane:
    streaming decides what far tiles draw, not a clip distance)."""
    eye = np.asarray(eye, np.float64)
    f = _unit(np.asarray(forward, np.float64))
    right = _unit(np.cross(f, np.asarray(up, np.float64)))
    top = np.cross(right, f)
    half_y = math.radians(fov_y_deg) / 2.0
    half_x = math.atan(math.tan(half_y) * aspect)
    normals = [f,
               right * math.cos(half_x) + f * math.sin(half_x), -right * math.cos(half_x) + f * math.sin(half_x),
               top * math.cos(half_y) + f * math.sin(half_y), -top * math.cos(half_y) + f * math.sin(half_y)]
    planes = np.array([[*n, -float(n @ eye)] for n in normals])
    planes[0, 3] -= near
    return View(eye, f, math.radians(fov_y_deg), int(height_px), planes)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True)
class Bounds:
    """lo, hi (3,) float64: a tile's axis-aligned box in local metres."""

    lo: np.ndarray
    hi: np.ndarray

    def distance(self, point: np.ndarray) -> float:
        """Metres from point to the box (0 inside)."""
        return float(np.linalg.norm(np.maximum(np.maximum(self.lo - point, point - self.hi), 0.0)))

    def contains(self, point: np.ndarray) -> bool:
        return bool(np.all(point >= self.lo) and np.all(point <= self.hi))

    def in_frustum(self, planes: np.ndarray) -> bool:
        """False only when the box lies wholly outside one plane (conservative)."""
        corner = np.where(planes[:, :3] >= 0, self.hi, self.lo)  # the corner furthest along each normal
        return bool(np.all(np.einsum("ij,ij->i", planes[:, :3], corner) + planes[:, 3] >= 0))

    @property
    def centre(self) -> np.ndarray:
        return (self.lo + self.hi) / 2.0


class BoundsCache:
    """Local bounds per tile, computed once (rule 5); request volumes too."""

    def __init__(self, placement: Placement) -> None:
        self.placement = placement
        self._boxes: dict[int, tuple[Tile, Bounds, Bounds | None]] = {}

    def of(self, tile: Tile) -> tuple[Bounds, Bounds | None]:
        entry = self._boxes.get(id(tile))
        if entry is None or entry[0] is not tile:
            box = Bounds(*tile.bounding_volume.local_bounds(self.placement))
            request = None if tile.request_volume is None \
                else Bounds(*tile.request_volume.local_bounds(self.placement))
            entry = (tile, box, request)
            self._boxes[id(tile)] = entry
        return entry[1], entry[2]


@dataclass
class Selection:
    """draw: tiles whose content is drawn this frame; wanted: (priority, tile) to load, soonest first;
    expand: tiles whose children must be read; used: ready tiles this frame relies on (drawn, or waiting for
    their siblings: never evicted); complete: rule 4; visited: tiles whose bounds were tested."""

    draw: list[Tile] = field(default_factory=list)
    wanted: list[tuple[tuple[int, float], Tile]] = field(default_factory=list)
    expand: list[Tile] = field(default_factory=list)
    used: list[Tile] = field(default_factory=list)
    complete: bool = True
    visited: int = 0


class Selector:
    """Runs the selection (rules 1-4) for one tileset; keeps the bounds between frames."""

    def __init__(self, root: Tile, placement: Placement, max_sse: float = DEFAULT_MAX_SSE) -> None:
        if not (max_sse > 0 and math.isfinite(max_sse)):
            raise ValueError(f"max_sse must be a positive number of pixels, got {max_sse}")
        self.root, self.max_sse = root, float(max_sse)
        self.bounds = BoundsCache(placement)

    def select(self, view: View, state: ContentState, fallbacks: bool = True) -> Selection:
        walk = _Walk(self, view, state, fallbacks)
        drawn, _covered, complete = walk.visit(self.root)
        walk.out.draw, walk.out.complete = drawn, complete
        walk.out.wanted.sort(key=lambda item: item[0])
        return walk.out


class _Walk:
    """One frame's traversal; visit() answers (tiles drawn for the subtree, area covered, target reached)."""

    def __init__(self, selector: Selector, view: View, state: ContentState, fallbacks: bool) -> None:
        self.selector, self.view, self.state, self.fallbacks = selector, view, state, fallbacks
        self.out = Selection()

    def visit(self, tile: Tile) -> tuple[list[Tile], bool, bool]:
        box, request = self.selector.bounds.of(tile)
        self.out.visited += 1
        if not box.in_frustum(self.view.planes) or (request is not None and not request.contains(self.view.eye)):
            return [], True, True
        distance = box.distance(self.view.eye)
        if not tile.children_known:
            self.out.expand.append(tile)
        children = tile.children() if tile.children_known else []
        if not children or self._sse(tile, distance) <= self.selector.max_sse:
            return self._final(tile, box, distance)
        if tile.refine == Refine.ADD:
            own, own_covered, own_complete = self._final(tile, box, distance)
            kids, covered, complete = self._children(children)
            return own + kids, own_covered and covered, own_complete and complete
        kids, covered, complete = self._children(children)
        if covered:
            return kids, True, complete
        if tile.contents and self.state.is_ready(tile):  # rule 3: the parent stays drawn
            self.out.used.append(tile)
            return [tile], True, False
        if tile.contents and self.fallbacks:
            self._want(tile, box, distance)
        return kids, False, False

    def _children(self, children: list[Tile]) -> tuple[list[Tile], bool, bool]:
        drawn: list[Tile] = []
        covered = complete = True
        for child in children:
            tiles, child_covered, child_complete = self.visit(child)
            drawn += tiles
            covered, complete = covered and child_covered, complete and child_complete
        return drawn, covered, complete

    def _final(self, tile: Tile, box: Bounds, distance: float) -> tuple[list[Tile], bool, bool]:
        """The tile drawn at this detail: its content when ready, else wanted."""
        if not tile.contents:
            return [], True, True
        if self.state.is_ready(tile):
            self.out.used.append(tile)
            return [tile], True, True
        self._want(tile, box, distance)
        return [], False, False

    def _sse(self, tile: Tile, distance: float) -> float:
        if distance <= 0.0:
            return math.inf
        return tile.geometric_error * self.view.sse_factor / distance

    def _want(self, tile: Tile, box: Bounds, distance: float) -> None:
        """Coarser levels first, then by distance pushed back by how far off the screen centre it is."""
        to_centre = box.centre - self.view.eye
        norm = float(np.linalg.norm(to_centre))
        cos = float(to_centre @ self.view.forward) / norm if norm > 0 else 1.0
        score = (distance + 1.0) * (1.0 + _CENTRE_WEIGHT * (1.0 - cos))
        self.out.wanted.append(((tile.depth, score), tile))
