"""Scenes with streamed 3D Tiles: opening tileset sources, choosing the frame, and attaching tile stages.

Rules this module keeps:
1. A scene's tileset sources ([[sources]] with format "3dtiles", an http(s) url, or a .json that is a
   tileset.json; or a tileset.json on the command line) are opened here (tileset.json only: contents stream
   later); every other source loads whole through city/scene.py as before. Both share one LocalFrame.
2. The frame: the whole-file sources' frame when there are any; else the scene's origin (origin or
   origin_lonlat) when given; else the tileset root's centre in lon/lat (a transverse Mercator frame there,
   or the scene's crs at that point), z = 0 on the ellipsoid, so heights are the tileset's own. A tileset
   whose root lies near the earth's centre has no transform to the globe (the 1.1 samples): its coordinates
   are local metres (z up) in an engineering frame, unless the source names a crs.
3. A scene of tilesets only gets an empty model whose terrain is flat at the lowest point of the tilesets'
   root volumes, and an `overview` bookmark framing them; stages widen their bounds (clip planes, framing)
   to the roots' boxes (attach_tiles).
4. Offline renders settle every tile stage after the camera is placed and before the frame is drawn
   (`settle_tiles`), within [tiles] wait seconds; a frame that cannot complete is a RenderError naming what
   is missing, never a silently different picture.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyproj import Transformer

from viewer.city.localize import derive_object_columns
from viewer.city.model import CityModel, ObjectTable
from viewer.city.scene import LoadedScene, load_scene_models, warn_without_crs
from viewer.city.terrain import flat
from viewer.config import CameraBookmark, SceneConfig, SourceConfig, TilesConfig
from viewer.errors import RenderError
from viewer.geo.frame import LocalFrame
from viewer.net.tile_loader import reader_for
from viewer.render.camera import frame_bounds
from viewer.render.tiles_stage import StreamOptions, TilesStage, build_tiles_stage, view_of
from viewer.tiles.objects import StreamedObjects
from viewer.tiles.placement import ECEF, TilesetPlacement
from viewer.tiles.tileset import Tileset, open_tileset

Progress = Callable[[str], None]
LOCAL = "local"  # a tileset's crs when it is not placed on the globe (rule 2)
NOT_ON_EARTH = 1e6  # metres from the earth's centre: a root centred nearer is in local metres, not ECEF
log = logging.getLogger(__name__)


@dataclass
class StreamedTileset:
    """An opened tileset of a scene and how it is placed in the scene's frame; label names it in messages."""

    tileset: Tileset
    placement: TilesetPlacement
    label: str

    def local_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The root volume's box in local metres, (3,) float64 each."""
        lo, hi = self.tileset.root.bounding_volume.local_bounds(self.placement)
        return np.asarray(lo, np.float64), np.asarray(hi, np.float64)


def _quiet(_: str) -> None:
    pass


def load_scene(config: SceneConfig, use_cache: bool = True, progress: Progress = _quiet) -> LoadedScene:
    """city/scene.py load_scene_models with the tileset sources streamed (rules 1-3)."""
    from viewer.city.loaders import is_tileset_source
    from viewer.tiles.write_auto import auto_tileset

    if not any(is_tileset_source(s) for s in config.sources):  # a tileset is never tiled again
        config = auto_tileset(config, use_cache, progress)  # a big city file: its tileset, tiled once into the cache
    streamed = [s for s in config.sources if is_tileset_source(s)]
    if not streamed:
        return load_scene_models(config, use_cache, progress)
    others = tuple(s for s in config.sources if not is_tileset_source(s))
    tilesets = [_open(s, config) for s in streamed]
    if others:
        scene = load_scene_models(dataclasses.replace(config, sources=others), use_cache, progress)
        frame = scene.frame
    else:
        frame = tileset_frame(config, tilesets[0])
        scene = LoadedScene(config=config, frame=frame, model=empty_model())
    if others:  # the whole-file scene's config (default cameras) with every source named again
        scene.config = dataclasses.replace(scene.config, sources=config.sources)
    scene.tilesets = [StreamedTileset(t, TilesetPlacement(frame, None if t.crs == LOCAL else t.crs), label)
                      for t, label in tilesets]
    if not others:
        lo, hi = tileset_bounds(scene.tilesets)
        scene.model.terrain = flat(float(lo[2]), (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])))
        if not config.cameras:
            pose = frame_bounds(lo, hi, 16 / 9)
            overview = CameraBookmark(tuple(map(float, pose.position)), tuple(map(float, pose.look_at)),  # type: ignore[arg-type]
                                      float(pose.fov))
            scene.config = dataclasses.replace(config, cameras={"overview": overview})
        warn_without_crs(config, frame, scene.model)
    for item in scene.tilesets:
        size = np.round(np.subtract(*reversed(item.local_bounds()))).astype(int).tolist()
        progress(f"{item.label}: 3D Tiles {item.tileset.version}, streamed, root {size[0]} x {size[1]} x "
                 f"{size[2]} m")
    return scene


def _open(source: SourceConfig, config: SceneConfig) -> tuple[Tileset, str]:
    uri = source.url or str(source.path)
    tileset = open_tileset(uri, config.limits, reader_for(uri, config.limits), crs=source.crs or ECEF)
    if source.crs is None and float(np.linalg.norm(tileset.root.bounding_volume.sphere().center)) < NOT_ON_EARTH:
        tileset.crs = LOCAL  # no transform to the globe: metres around its own origin (rule 2)
    return tileset, uri


def tileset_frame(config: SceneConfig, tileset: tuple[Tileset, str]) -> LocalFrame:
    """Rule 2 for a scene whose only sources are tilesets."""
    if config.origin_lonlat is not None:
        return LocalFrame.from_lonlat(*config.origin_lonlat, crs=config.crs)
    if config.origin is not None:
        return LocalFrame(config.crs, config.origin)
    opened = tileset[0]
    centre = opened.root.bounding_volume.sphere().center
    if opened.crs == LOCAL:
        return LocalFrame(config.crs, (0.0, 0.0, 0.0))
    if opened.crs == ECEF:
        lon, lat, _ = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True).transform(*centre)
    else:
        lon, lat = Transformer.from_crs(opened.crs, "EPSG:4326", always_xy=True).transform(*centre[:2])
    return LocalFrame.from_lonlat(float(lon), float(lat), crs=config.crs)


def empty_model() -> CityModel:
    model = CityModel(vertices=np.zeros((0, 3), np.float32), triangles=np.zeros((0, 3), np.uint32),
                      vertex_object=np.zeros(0, np.int32), vertex_kind=np.zeros(0, np.uint8),
                      objects=ObjectTable([], [], np.zeros(0, np.int32), []))
    derive_object_columns(model)
    return model


def tileset_bounds(tilesets: list[StreamedTileset]) -> tuple[np.ndarray, np.ndarray]:
    boxes = [t.local_bounds() for t in tilesets]
    return np.min([b[0] for b in boxes], axis=0), np.max([b[1] for b in boxes], axis=0)


def stream_options(tiles: TilesConfig, processes: bool = True) -> StreamOptions:
    return StreamOptions(sse=tiles.sse, memory_mb=tiles.memory_mb, workers=tiles.workers, upload_ms=tiles.upload_ms,
                         processes=processes)


def attach_tiles(stage: Any, scene: Any, shaders: bool, processes: bool | None = None) -> list[TilesStage]:
    """A TilesStage per streamed tileset of `scene` under the render/stage.py Stage's root (its lights), and the
    stage's bounds widened to the roots' boxes (rule 3). The tile stages share one StreamedObjects numbered
    after the whole-file model's objects; both are left on the Stage (`tile_stages`, `tile_objects`) for the
    live layers (colour lookup, picking). processes=False decodes on the loader threads (the benchmark's
    comparison; render/tiles_stage.py rule 5); None: the scene's `tile_processes` attribute, else True."""
    tilesets: list[StreamedTileset] = list(getattr(scene, "tilesets", []) or [])
    if not tilesets:
        return []
    config = scene.config
    if processes is None:
        processes = bool(getattr(scene, "tile_processes", True))
    objects = StreamedObjects(len(scene.model.objects))
    stages = [build_tiles_stage(stage.root, t.tileset, t.placement, config.style,
                                stream_options(getattr(config, "tiles", TilesConfig()), processes), shaders,
                                stage.lighting, objects)
              for t in tilesets]
    stage.tile_stages, stage.tile_objects = stages, objects
    lo, hi = tileset_bounds(tilesets)
    if scene.model.vertex_count:
        lo, hi = np.minimum(lo, stage.bmin), np.maximum(hi, stage.bmax)
    else:
        stage.frame_points = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                                       for z in (lo[2], hi[2])], np.float32)
    stage.bmin, stage.bmax = lo, hi
    return stages


def settle_tiles(tiles: list[TilesStage], camera: Any, lens: Any, scene_root: Any, size: tuple[int, int],
                 wait: float) -> None:
    """Rule 4: every tile stage complete for this camera, or RenderError."""
    deadline = time.monotonic() + wait
    for stage in tiles:
        if not stage.settle(view_of(camera, lens, scene_root, size), deadline):
            status = stage.status()
            raise RenderError(f"{stage.tileset.uri}: tiles not loaded within {wait:g} s "
                              f"({status.loading} still loading; [tiles] wait sets the time)")
        errors = stage.loader.stats.errors
        for error in errors[stage.reported:]:
            log.warning("%s", error)
        stage.reported = len(errors)


def remove_tiles(tiles: list[TilesStage]) -> None:
    for stage in tiles:
        stage.remove()
