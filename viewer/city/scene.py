"""Load every source of a scene, place them in one LocalFrame, and hand back a LoadedScene.

How the frame is chosen: the scene's crs when given, else the CRS of the first source that declares one,
else none (an engineering frame: coordinates are metres, nothing is placed on earth). The origin is the
scene's origin (or origin_lonlat) when given, else the centre of the first source's bounding box at z = 0,
so heights stay heights above the datum. A source without a CRS is taken to be in the scene's CRS.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viewer.city import cache
from viewer.city.limits import check_file
from viewer.city.loaders import detect_format, load_source, loader_for
from viewer.city.localize import localize
from viewer.city.model import CityModel, SourceModel
from viewer.config import Limits, SceneConfig, SourceConfig
from viewer.geo.frame import LocalFrame

Progress = Callable[[str], None]


@dataclass
class LoadedScene:
    config: SceneConfig
    frame: LocalFrame
    model: CityModel


def _quiet(_: str) -> None:
    pass


def load_one(options: SourceConfig, limits: Limits, use_cache: bool = True,
             progress: Progress = _quiet) -> SourceModel:
    """Load one source through the cache (procedural sources are cheap and not cached)."""
    label = options.path.name if options.path else f"procedural city (seed {options.seed})"
    start = time.perf_counter()
    if options.format == "procedural" or options.path is None or not use_cache:
        model = load_source(options, limits)
        how = "loaded"
    else:
        path = Path(options.path)
        check_file(path, limits)
        fmt = options.format or detect_format(path)
        key = cache.cache_key(path, fmt, options)
        cached = cache.load_cached(key, path)
        if cached is not None:
            model, how = cached, "from cache"
        else:
            model = loader_for(fmt)(path, options, limits)
            cache.store(key, model)
            how = "loaded"
    progress(f"{label}: {how} {model.format}, {len(model.objects):,} objects, "
             f"{model.triangle_count:,} triangles in {time.perf_counter() - start:.2f} s")
    return model


def choose_frame(config: SceneConfig, sources: list[SourceModel]) -> LocalFrame:
    crs = config.crs or next((s.crs for s in sources if s.crs), None)
    if config.origin_lonlat is not None:
        return LocalFrame.from_lonlat(*config.origin_lonlat, crs=crs)
    if config.origin is not None:
        return LocalFrame(crs, config.origin)
    first = next((s for s in sources if s.vertex_count), None)
    if first is None:
        return LocalFrame(crs, (0.0, 0.0, 0.0))
    lo, hi = first.positions.min(axis=0), first.positions.max(axis=0)
    centre = (lo + hi) / 2.0
    if crs is None or first.crs is None:
        return LocalFrame(crs, (float(centre[0]), float(centre[1]), 0.0))
    # The first source may be in another CRS than the scene: place its centre through lon/lat.
    probe = LocalFrame(crs, (0.0, 0.0, 0.0))
    x, y, _ = probe.to_local64(centre[None, :], first.crs)[0]
    return LocalFrame(crs, (float(x), float(y), 0.0))


def load_scene_models(config: SceneConfig, use_cache: bool = True, progress: Progress = _quiet) -> LoadedScene:
    """Load all sources of a scene and localise them into one CityModel."""
    sources = [load_one(s, config.limits, use_cache, progress) for s in config.sources]
    frame = choose_frame(config, sources)
    start = time.perf_counter()
    model = localize(sources, frame)
    lo, hi = model.bounds()
    size = np.round(hi - lo).astype(int).tolist()
    progress(f"placed in {frame.crs or 'a local frame (no CRS)'}: {size[0]} x {size[1]} x {size[2]} m "
             f"in {time.perf_counter() - start:.2f} s")
    return LoadedScene(config=config, frame=frame, model=model)
