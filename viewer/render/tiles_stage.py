"""A streamed tileset on screen: per frame, select tiles (tiles/select.py), load them in the background
(net/tile_loader.py), build their Geoms within a time budget, attach what is drawn and evict under the cap.

Rules this module keeps:
1. `update(view, budget)` never waits: it builds Geoms for finished tiles until `budget` seconds have gone
   (at least one a frame, so a slow machine still makes progress), selects, requests what is missing and
   shows the selection. `settle(view, deadline)` is the offline path: it loads, builds and reselects until
   the selection is complete at the target detail with no fallbacks, so a still or a video frame shows the
   same tiles whatever the timing (DESIGN rule 4).
2. A tile's CityModel goes through render/geometry.py build_city_geometry as one grid cell (one Geom per
   content: one draw call), coloured by the scene's Style; object ids in the vertex rows are the tile
   model's own (`loaded[tile].models[i].objects`), for picking and recolouring by id. Objects are typed by
   their `type` property when they carry one, so the Style's object colours apply as to the file.
3. The drawn tiles are the children of `root` in the selection's order, re-attached in that order whenever
   the set changes: the scene graph is then the same for the same selection (flythrough rule 4).
4. Memory: each loaded tile counts its arrays and its vertex rows (un-indexed: 96 bytes a triangle) against
   the cap (tiles/cache.py); what this frame draws or relies on is never evicted. Failed tiles count nothing
   and draw nothing.
5. Off the frame (StreamOptions.processes): contents are read, decoded, placed and turned into vertex rows in
   worker processes (render/tile_parts.py), and the loader threads build the tile's node from them
   (`_finish`); the frame only attaches finished nodes, so `upload_ms` bounds attaching, not building. A
   tile whose model has textures is still built here, within the budget. Point clouds draw as one Geom of
   points per tile (tile_parts rule 4).
6. Object ids: with a tiles/objects.py StreamedObjects, every tile's objects are registered there and the
   `object` column of its rows holds their global index (the whole-file model's objects first), so the colour
   lookup texture and the id render see one numbering (DESIGN rule 6). The tile's CityModel keeps its own
   local numbering (collision, walk mode).
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from panda3d.core import NodePath

from viewer.city.model import CityModel
from viewer.config import Style
from viewer.net.tile_loader import LoadedTile, TileContentLoader
from viewer.render.geometry import NO_OBJECT, build_city_geometry, dtype_of
from viewer.render.lighting import Lighting, apply_city_shader
from viewer.render.tile_parts import (
    DecodeSpec,
    TileParts,
    decode_parts,
    geom_from_rows,
    points_geom,
    types_from_attributes,
)
from viewer.tiles.cache import MB, LruCache
from viewer.tiles.objects import StreamedObjects
from viewer.tiles.placement import TilesetPlacement
from viewer.tiles.select import Selection, Selector, View, make_view
from viewer.tiles.tile import Tile
from viewer.tiles.tileset import Tileset

ONE_CELL = 1e12  # metres: build_city_geometry's grid is one cell, so a content is one Geom
ROW_BYTES_PER_TRIANGLE = 96  # three un-indexed 32-byte vertex rows
OBJECT_BYTES = 256  # an object's id, type and attributes, roughly


@dataclass(frozen=True)
class StreamOptions:
    """sse: the target screen-space error in pixels; memory_mb: the cap; workers: loader threads;
    upload_ms: the per-frame budget for building Geoms in the window; processes: decode in worker processes
    and build nodes on the loader threads (rule 5)."""

    sse: float = 16.0
    memory_mb: float = 512.0
    workers: int = 2
    upload_ms: float = 8.0
    processes: bool = True


@dataclass
class LoadedContent:
    """A tile on the render side: its models, their node (None: nothing to draw) and bytes counted."""

    models: list[CityModel]
    node: NodePath | None
    nbytes: int
    error: str | None = None
    depth: int = 0  # the tile's level (tiles/objects.py keeps the deepest tile's geometry columns)


@dataclass
class StreamStatus:
    loading: int = 0
    loaded: int = 0
    drawn: int = 0
    memory_mb: float = 0.0
    triangles: int = 0
    failed: int = 0
    complete: bool = False

    def line(self) -> str:
        """The HUD's words for it."""
        state = "complete" if self.complete else f"{self.loading} loading"
        return (f"tiles: {self.drawn} drawn, {self.loaded} loaded, {state}, {self.memory_mb:.0f} MB"
                + (f", {self.failed} failed" if self.failed else ""))


@dataclass
class TilesStage:
    """One streamed tileset under `root` (rules 1-4)."""

    root: NodePath
    tileset: Tileset
    placement: TilesetPlacement
    style: Style
    options: StreamOptions
    selector: Selector
    loader: TileContentLoader
    cache: LruCache
    loaded: dict[Tile, LoadedContent] = field(default_factory=dict)
    waiting: list[LoadedTile] = field(default_factory=list)
    shown: list[Tile] = field(default_factory=list)
    last: Selection | None = None
    reported: int = 0  # loader errors already reported to the user
    shaders: bool = True
    objects: StreamedObjects | None = None  # rule 6

    # ------------------------------------------------------------ ContentState for the selector

    def is_ready(self, tile: Tile) -> bool:
        return tile in self.loaded

    # ------------------------------------------------------------ per frame

    def update(self, view: View, budget: float, fallbacks: bool = True) -> Selection:
        """Rule 1: build within `budget` seconds, select, request, show, evict."""
        self._build(time.perf_counter() + budget)
        selection = self.selector.select(view, self, fallbacks)
        self.loader.request(selection.wanted, selection.expand)
        self._show(selection.draw)
        self.cache.touch(selection.used)
        for tile in self.cache.evict(protected=set(selection.used)):
            self._drop(tile)  # type: ignore[arg-type]  # the cache's keys are this stage's tiles
        self.last = selection
        return selection

    def settle(self, view: View, deadline: float) -> bool:
        """Rule 1, offline: True when the frame is complete before time.monotonic() passes deadline."""
        while True:
            selection = self.update(view, math.inf, fallbacks=False)
            if selection.complete and not selection.expand and not self.waiting:
                return True
            if time.monotonic() > deadline:
                return False
            self.loader.wait(deadline)

    def status(self) -> StreamStatus:
        last = self.last
        return StreamStatus(loading=self.loader.pending + len(self.waiting), loaded=len(self.loaded),
                            drawn=len(self.shown), memory_mb=self.cache.total_bytes / MB,
                            triangles=sum(m.triangle_count for t in self.shown for m in self.loaded[t].models),
                            failed=self.loader.stats.failed,
                            complete=bool(last is not None and last.complete and not self.loader.pending))

    def attributes_of(self, object_id: str) -> dict[str, Any] | None:
        """The attributes of a loaded tile's object (the picking panel), None when no loaded tile has it."""
        for content in list(self.loaded.values()):
            for model in content.models:
                try:
                    return model.objects.attributes[model.objects.index_of(object_id)] or {}
                except ValueError:
                    continue
        return None

    def models_near(self, point: np.ndarray, radius: float) -> list[CityModel]:
        """Loaded models whose tile box comes within `radius` metres of `point` (collision, walk mode)."""
        out = []
        for tile, content in self.loaded.items():
            box, _ = self.selector.bounds.of(tile)
            if content.models and box.distance(np.asarray(point, np.float64)) <= radius:
                out += content.models
        return out

    def remove(self) -> None:
        self.loader.close()
        self.root.remove_node()
        self.loaded.clear()

    # ------------------------------------------------------------ internals

    def _build(self, until: float) -> None:
        self.waiting += self.loader.poll()
        built = 0
        while self.waiting and (built == 0 or time.perf_counter() < until):
            item = self.waiting.pop(0)
            if item.tile in self.loaded:
                continue
            self.loaded[item.tile] = content = self._content(item)
            self.cache.add(item.tile, content.nbytes)
            built += 1

    def _content(self, item: LoadedTile) -> LoadedContent:
        if isinstance(item.built, LoadedContent):
            return self._textured(item.built)
        if not item.models:
            return LoadedContent([], None, 0, item.error)
        node = NodePath(f"tile {item.tile.key}")
        nbytes = 0
        for i, model in enumerate(item.models):
            types_from_attributes(model)
            geometry = build_city_geometry(model, self.style, tile_size=ONE_CELL, name=f"content {i}")
            geometry.root.reparent_to(node)
            nbytes += _model_bytes(model)
        return LoadedContent(item.models, node, nbytes)

    def _textured(self, content: LoadedContent) -> LoadedContent:
        """Rule 5: models with textures left for the render thread (tile_parts rule 2)."""
        assert content.node is not None or not content.models
        for i, model in enumerate(content.models):
            if model.appearance is not None and content.node is not None:
                geometry = build_city_geometry(model, self.style, tile_size=ONE_CELL, name=f"content {i}")
                if self.objects is not None:  # rule 6, in the rows just written
                    index = self.objects.add(model.objects, content.depth)
                    for node in geometry.nodes.values():
                        vdata = node.node().modify_geom(0).modify_vertex_data()
                        _number_globally(np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"),
                                                       dtype_of(vdata)), index)
                geometry.root.reparent_to(content.node)
        return content

    def _finish(self, tile: Tile, parts: TileParts, seconds: float) -> LoadedTile:
        """Rule 5, on a loader thread: the tile's node from its rows (not attached: the frame does that)."""
        if parts.error is not None:
            return LoadedTile(tile, [], seconds, parts.error)
        models = [m.model for m in parts.meshes]
        if not models and not parts.points:
            return LoadedTile(tile, [], seconds, built=LoadedContent([], None, 0))
        node = NodePath(f"tile {tile.key}")
        nbytes = 0
        for i, mesh in enumerate(parts.meshes):
            if mesh.rows is not None and mesh.bounds is not None:
                if self.objects is not None:
                    _number_globally(mesh.rows, self.objects.add(mesh.model.objects, tile.depth))
                geom_from_rows(mesh.rows, mesh.bounds, f"content {i}").reparent_to(node)
            nbytes += _model_bytes(mesh.model)
        if parts.points:
            points_geom(parts.points, "points", self.shaders).reparent_to(node)
            nbytes += 2 * sum(p.rows.nbytes for p in parts.points)
        return LoadedTile(tile, models, seconds, built=LoadedContent(models, node, nbytes, depth=tile.depth))

    def _show(self, draw: list[Tile]) -> None:
        """Rule 3: re-attach in the selection's order when the drawn set changed."""
        if draw == self.shown:
            return
        for tile in self.shown:
            content = self.loaded.get(tile)
            if content is not None and content.node is not None:
                content.node.detach_node()
        for tile in draw:
            content = self.loaded[tile]
            if content.node is not None:
                content.node.reparent_to(self.root)
        self.shown = list(draw)

    def _drop(self, tile: Tile) -> None:
        content = self.loaded.pop(tile, None)
        if content is not None and content.node is not None:
            content.node.remove_node()


def _number_globally(rows: np.ndarray, index: np.ndarray) -> None:
    """Rule 6: tile-local object numbers in `rows` -> global ones from `index` (NO_OBJECT stays)."""
    local = rows["object"]
    if index.size == 0:
        rows["object"] = NO_OBJECT
        return
    known = local < index.size
    rows["object"] = np.where(known, index[np.minimum(local, index.size - 1)], NO_OBJECT).astype(np.uint32)


def _model_bytes(model: CityModel) -> int:
    arrays = (model.vertices, model.triangles, model.vertex_object, model.vertex_kind)
    return (sum(a.nbytes for a in arrays) + model.triangle_count * ROW_BYTES_PER_TRIANGLE
            + len(model.objects) * OBJECT_BYTES)


def build_tiles_stage(parent: NodePath, tileset: Tileset, placement: TilesetPlacement, style: Style,
                      options: StreamOptions | None = None, shaders: bool = True,
                      lighting: Lighting | None = None, objects: StreamedObjects | None = None) -> TilesStage:
    """A TilesStage under a new node of `parent` (inside a Stage's root, its lights light it); objects: the
    scene's streamed-object numbering (rule 6)."""
    options = options or StreamOptions()
    root = parent.attach_new_node(f"tiles {tileset.uri}")
    root.set_two_sided(False)  # rows from tile_parts carry their own back sides (its rule 2); textured contents
    # are built whole here, two-sided on their own node (render/geometry.py)
    if shaders:
        apply_city_shader(root, lighting or Lighting())
    spec = DecodeSpec(tileset.uri, tileset.root_dir, tileset.limits, tileset.crs, tileset.gltf_up_axis,
                      placement, style)
    stage = TilesStage(root, tileset, placement, style, options, Selector(tileset.root, placement, options.sse),
                       None, LruCache(int(options.memory_mb * MB)), shaders=shaders,  # type: ignore[arg-type]
                       objects=objects)
    stage.loader = TileContentLoader(tileset, placement, workers=options.workers,
                                     job=functools.partial(decode_parts, spec), finish=stage._finish,
                                     processes=options.processes)
    return stage


def view_of(camera: NodePath, lens: Any, scene_root: NodePath, size: tuple[int, int]) -> View:
    """The select.py View of a Panda3D camera and lens drawing `size` (w, h) pixels."""
    position = camera.get_pos(scene_root)
    forward = scene_root.get_relative_vector(camera, (0, 1, 0))
    up = scene_root.get_relative_vector(camera, (0, 0, 1))
    fov_y = float(lens.get_fov()[1])
    return make_view(np.array(position, np.float64), np.array(forward, np.float64), np.array(up, np.float64),
                     fov_y, size[0] / max(1, size[1]), int(size[1]), near=float(lens.get_near()))
