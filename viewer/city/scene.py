"""Load every source of a scene, place them in one LocalFrame, and hand back a LoadedScene.

How the frame is chosen: the scene's crs when given, else the CRS of the first source that declares one,
else none (an engineering frame: coordinates are metres, nothing is placed on earth). The origin is the
scene's origin (or origin_lonlat) when given, else the centre of the first source's bounding box at z = 0,
so heights stay heights above the datum. A source without a CRS is taken to be in the scene's CRS.

Caching (city/cache.py): a scene of files is cached whole (localised model and frame); each source also
has its own entry in scenes of several sources. The loaded model's content_key names the scene entry.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city import cache
from viewer.city.limits import check_file
from viewer.city.loaders import detect_format, load_source, run_loader
from viewer.city.localize import localize
from viewer.city.model import CityModel, SourceModel
from viewer.city.seat import real_height_mask, seat
from viewer.city.terrain import build_terrain
from viewer.city.views import default_cameras
from viewer.config import Limits, SceneConfig, SourceConfig
from viewer.geo.frame import LocalFrame, transform_xy

Progress = Callable[[str], None]
log = logging.getLogger(__name__)


@dataclass
class LoadedScene:
    """tilesets: the scene's streamed 3D Tiles sources (app/tiles_scene.py StreamedTileset), placed in the same
    frame as `model`, which holds the whole-file sources (empty when a tileset is the only source)."""

    config: SceneConfig
    frame: LocalFrame
    model: CityModel
    tilesets: list[Any] = field(default_factory=list)


def _quiet(_: str) -> None:
    pass


def load_one(options: SourceConfig, limits: Limits, use_cache: bool = True,
             progress: Progress = _quiet, key: str | None = None, store: bool = True) -> SourceModel:
    """Load one source through the cache (procedural sources are cheap and not cached). `key` is its
    cache key when the caller already computed it (source_key); store=False reads the cache but does not
    write a missing entry."""
    label = options.path.name if options.path else f"procedural city (seed {options.seed})"
    start = time.perf_counter()
    if use_cache and key is None:
        key = source_key(options, limits)
    if not use_cache or key is None:
        model = load_source(options, limits)
        how = "loaded"
    else:
        path = Path(options.path)  # type: ignore[arg-type]  # source_key gives None without a path
        cached = cache.load_cached(key, path)
        if cached is not None:
            model, how = cached, "from cache"
        else:
            model = run_loader(options.format or detect_format(path), path, options, limits)
            if store:
                cache.store(key, model)
            how = "loaded"
    progress(f"{label}: {how} {model.format}, {len(model.objects):,} objects, "
             f"{model.triangle_count:,} triangles in {time.perf_counter() - start:.2f} s")
    return model


def source_key(options: SourceConfig, limits: Limits) -> str | None:
    """The cache key of a file source (checked against the size limit first); None for procedural ones."""
    if options.format == "procedural" or options.path is None:
        return None
    path = Path(options.path)
    check_file(path, limits)
    return cache.cache_key(path, options.format or detect_format(path), options)


def choose_frame(config: SceneConfig, sources: list[SourceModel]) -> LocalFrame:
    crs = config.crs or next((s.crs for s in sources if s.crs), None)
    if config.origin_lonlat is not None:
        return LocalFrame.from_lonlat(*config.origin_lonlat, crs=crs)
    if config.origin is not None:
        return LocalFrame(crs, config.origin)
    first = next((s for s in sources if s.vertex_count), None)
    if first is None:
        return LocalFrame(crs, (0.0, 0.0, 0.0))
    lo, hi = first.bbox()
    centre = (np.asarray(lo) + np.asarray(hi)) / 2.0
    if crs is None or first.crs is None:
        return LocalFrame(crs, (float(centre[0]), float(centre[1]), 0.0))
    # The origin is given in the scene CRS (degrees when it is geographic): move the centre there directly.
    x, y = transform_xy(centre[None, :2], first.crs, crs)[0]
    return LocalFrame(crs, (float(x), float(y), 0.0))


def load_scene_models(config: SceneConfig, use_cache: bool = True, progress: Progress = _quiet) -> LoadedScene:
    """Load all sources of a scene and localise them into one CityModel.

    With use_cache, a scene of files only is looked up whole in the scene cache first (city/cache.py): a hit
    skips loading and localising its sources; a miss loads them (each through the source cache) and stores
    the localised result. The model's content_key is then the scene key (render/ caches by it). A scene of
    one file writes no source entry besides its scene entry: that would be 90 MB more to write per 100k
    buildings, for the rare case of the same file in another frame.
    """
    start = time.perf_counter()
    keys = [source_key(s, config.limits) for s in config.sources] if use_cache else []
    file_keys = [k for k in keys if k is not None]
    key = cache.scene_key(file_keys, config) if keys and len(file_keys) == len(keys) else None
    hit = cache.load_scene(key) if key else None
    if hit is not None:
        model, frame = hit
        model.sources = [str(s.path) for s in config.sources]  # the entry may come from a copy of the files
        progress(f"{config.name}: scene from cache, {len(model.objects):,} objects, "
                 f"{model.triangle_count:,} triangles in {time.perf_counter() - start:.2f} s")
        warn_without_crs(config, frame, model)
        return LoadedScene(config=with_default_cameras(config, model), frame=frame, model=model)
    store = key is None or len(config.sources) > 1
    sources = [load_one(s, config.limits, use_cache, progress, k, store)
               for s, k in zip(config.sources, keys or [None] * len(config.sources), strict=True)]
    frame = choose_frame(config, sources)
    start = time.perf_counter()
    model = localize(sources, frame)
    lo, hi = model.bounds()
    size = np.round(hi - lo).astype(int).tolist()
    progress(f"placed in {frame.crs or 'a local frame (no CRS)'}: {size[0]} x {size[1]} x {size[2]} m "
             f"in {time.perf_counter() - start:.2f} s")
    place_on_terrain(model, frame, config, sources, progress)
    if key:
        model.content_key = key
        cache.store_scene(key, model, frame)
    warn_without_crs(config, frame, model)
    return LoadedScene(config=with_default_cameras(config, model), frame=frame, model=model)


def warn_without_crs(config: SceneConfig, frame: LocalFrame, model: CityModel) -> None:
    """A model placed in a local frame because nothing declares a CRS is legal (an architect's OBJ) but
    rarely what a city's user meant: say so on every load, naming the way to fix it."""
    if frame.crs is None and model.vertex_count:
        names = ", ".join(str(s.path) for s in config.sources if s.path is not None) or config.name
        log.warning("%s: no CRS declared, so it is placed in a local frame in metres, not on the earth (feeds, "
                    "lon/lat and other sources cannot be placed against it); give one with --crs EPSG:CODE "
                    "(or crs in the scene)", names)


def place_on_terrain(model: CityModel, frame: LocalFrame, config: SceneConfig, sources: list[SourceModel],
                     progress: Progress = _quiet) -> None:
    """Build the terrain under the localised model (city/terrain.py), seat what needs seating on it
    (city/seat.py, in place) and keep it as model.terrain, with what seating did as its report."""
    start = time.perf_counter()
    real = real_height_mask(sources)
    options = config.terrain
    terrain = build_terrain(model, frame, real, options.file, options.crs, options.vertical_offset)
    report = seat(model, terrain, real, seat_buildings=options.seat_buildings)
    model.terrain = dataclasses.replace(terrain, report=report.describe())
    lo, hi = terrain.height_range
    off = report.floating + report.sunk
    progress(f"terrain from {terrain.source}: {terrain.shape[1]} x {terrain.shape[0]} grid, {lo:.1f} to "
             f"{hi:.1f} m; {report.placed:,} objects placed on it, {report.draped:,} draped"
             + (f"; {off:,} buildings off it{' moved onto it' if report.seated else ''}" if off else "")
             + f" in {time.perf_counter() - start:.2f} s")


def with_default_cameras(config: SceneConfig, model: CityModel) -> SceneConfig:
    """The config with default bookmarks (overview, street views; city/views.py) when it names none, so a
    bare model file has `--camera overview` and number keys as a scene does."""
    if config.cameras:
        return config
    return dataclasses.replace(config, cameras=default_cameras(model))
