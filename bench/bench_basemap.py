"""Base-map figures on the demo city (procedural, seed 42, 3000 buildings, central Rotterdam):

1. time until the imagery of a view is complete, from a loopback tile server (cold: empty disk cache;
   warm: the disk cache) and from the neutral map (drawn from the model), at the overview and street views;
2. imagery held in textures at the whole-city view and at street level (tiles and MB);
3. frame cost with imagery on against off (headless, 1280x720, 4x multisampling), goal under 1.2x: CPU time
   of all threads (llvmpipe's included), steadier than wall time on a shared machine. Measured as
   alternated pairs (off, then on, each a fresh stage), `--pairs` of them per view: the ratio of each pair
   (the machine's load changes less within a pair than across the run), their median, and the best
   times' ratio.

    python bench/bench_basemap.py [--frames 20] [--pairs 3] [--part all|settle|frame]

The tile server generates 256x256 PNG tiles on the fly (bench only: every request on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

SIZE = (1280, 720)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20, help="frames a frame-cost run times (median)")
    parser.add_argument("--pairs", type=int, default=3, help="alternated off/on pairs per view")
    parser.add_argument("--part", choices=("all", "settle", "frame"), default="all",
                        help="settle: time until complete and memory only; frame: frame cost only")
    args = parser.parse_args()
    os.environ["CITIVERSE_CACHE"] = tempfile.mkdtemp(prefix="bench-basemap-")

    from basemap_helpers import TileServer

    from viewer.city.demo import demo_scene
    from viewer.city.scene import load_scene_models

    scene = load_scene_models(demo_scene(seed=42, buildings=3000))
    server = TileServer()
    url = f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png"
    try:
        if args.part in ("all", "settle"):
            print_settle(scene, server, url)
        if args.part in ("all", "frame"):
            for camera in ("overview", "street"):
                print_frame_cost(scene, url, camera, args.frames, args.pairs)
    finally:
        server.close()


def print_settle(scene, server, url):
    """Figures 1 and 2: time until complete, leaves, requests made and imagery MB, per view and source."""
    from viewer.config import BasemapConfig

    print("view       source        complete s  tiles  requests  imagery MB")
    for camera in ("overview", "street"):
        for label, source in (("server cold", url), ("server warm", url), ("map", "map")):
            before = len(server.tile_requests())
            seconds, tiles, mb = settle_once(scene, BasemapConfig(source=source), camera)
            print(f"{camera:10s} {label:12s} {seconds:10.2f}  {tiles:5d}  {len(server.tile_requests()) - before:8d}"
                  f"  {mb:10.1f}")


def print_frame_cost(scene, url, camera, frames, pairs):
    """Figure 3 for one view: alternated off/on pairs, each pair's ratio, their median and the best times."""
    from viewer.config import BasemapConfig

    off, on, loads = [], [], []
    for _ in range(pairs):
        off.append(frame_cost(scene, BasemapConfig(source="none"), camera, frames))
        on.append(frame_cost(scene, BasemapConfig(source=url), camera, frames))
        loads.append(os.getloadavg()[0])
    ratios = sorted(b / a for a, b in zip(off, on, strict=True))
    print(f"frame cost {camera}: pairs (off/on ms) "
          + ", ".join(f"{a * 1000:.0f}/{b * 1000:.0f}" for a, b in zip(off, on, strict=True))
          + f"; pair ratios {', '.join(f'{r:.2f}' for r in ratios)}, median {ratios[len(ratios) // 2]:.2f}x; "
          f"best off {min(off) * 1000:.1f} ms, on {min(on) * 1000:.1f} ms ({min(on) / min(off):.2f}x) CPU; "
          f"load average {min(loads):.1f}-{max(loads):.1f}")


def _stage_and_view(scene, config, camera):
    from viewer.app.base import offscreen_base, supports_shaders
    from viewer.app.headless import OffscreenView, find_bookmark, model_pose
    from viewer.render.stage import background_rgba, build_stage

    base = offscreen_base()
    stage = build_stage(base.render, scene.model, scene.config.style, shaders=supports_shaders(base), basemap=config,
                        frame=scene.frame)
    view = OffscreenView(base, SIZE, background_rgba(scene.config.style))
    view.set_pose(model_pose(stage, SIZE, find_bookmark(scene.config, camera)))
    return base, stage, view


def settle_once(scene, config, camera):
    """(seconds until complete, leaves, imagery MB in textures) for one fresh stage."""
    from viewer.app.headless import release_basemap, settle_basemap

    base, stage, view = _stage_and_view(scene, config, camera)
    try:
        start = time.perf_counter()
        settle_basemap(stage, view)
        seconds = time.perf_counter() - start
        view.capture()
        return seconds, len(stage.basemap.leaves), stage.basemap.texture_bytes() / 1e6
    finally:
        release_basemap(stage, view)
        view.close()
        stage.remove()


def frame_cost(scene, config, camera, frames):
    """CPU seconds a frame (render + read-back), median of `frames`, after the imagery settled."""
    from viewer.app.headless import release_basemap, settle_basemap

    base, stage, view = _stage_and_view(scene, config, camera)
    try:
        settle_basemap(stage, view)
        view.capture(3)
        times = []
        for _ in range(frames):
            start = time.process_time()
            view.capture()
            times.append(time.process_time() - start)
        return sorted(times)[len(times) // 2]
    finally:
        release_basemap(stage, view)
        view.close()
        stage.remove()


if __name__ == "__main__":
    main()
