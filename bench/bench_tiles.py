"""Streaming a tiled city: first complete frame, frame times at overview and street level, a scripted flight,
and peak memory.

    python bench/bench_tiles.py TILESET_DIR [--size 1280x720] [--flight 60] [--memory-mb 512] [--sse 16]
                                [--look plain|full]
    python bench/bench_tiles.py --make 100000 --work /tmp/tiles-bench     # generate, tile, then measure

TILESET_DIR holds a tileset.json written by `citiverse tile` (from bench/make_big_cityjson.py's city). With
--make N the city of N buildings is generated and tiled first, in child processes, so this process's peak
memory is the streaming viewer's alone. Figures:
- first complete frame: from opening tileset.json to a frame with every tile the overview needs drawn
  (offline path: loaded, decoded and built on 2 workers, then drawn);
- overview / street-level frames: the median and max of 20 frames once complete (draw time at the size);
- --look: "plain" (default: the flat light these figures were first taken with) or "full", the window's look
  (sun of 2026-06-21 15:00 at the tileset's place: cascaded shadows refitted as the camera moves, one-tap
  edges, sky, haze, facades; render/look.py);
- flight: a fixed-step flight at 50 m above the ground across the city's diagonal at --speed m/s, 30 frames
  per flight second, run as the window runs it (select, build within [tiles] upload_ms, request, draw:
  never waiting for tiles); reports the max and p99 frame time and how many tiles were drawn at the end;
- peak RSS (getrusage) of this process, and of the tile worker processes together (VmHWM).
Frame times are split into the streaming work on the frame (select, attach, request, evict: what this code
controls) and the draw (llvmpipe: what the triangles cost, and what other processes on the machine take).
--threads decodes on the loader threads instead of worker processes (the former path, for comparison).
"""

from __future__ import annotations

import argparse
import math
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from viewer.app.base import offscreen_base, supports_shaders
from viewer.app.headless import OffscreenView
from viewer.app.tiles_scene import attach_tiles, load_scene, remove_tiles, settle_tiles
from viewer.config import SceneConfig, TilesConfig
from viewer.render.camera import CameraPose, apply_pose, near_far
from viewer.render.stage import background_rgba, build_stage
from viewer.render.tiles_stage import view_of

FRAMES = 20
FLIGHT_FPS = 30.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workers_peak_mb() -> float:
    """Peak RSS (VmHWM) of the tile worker processes together (net/tile_loader.py rule 6), 0 without them."""
    from viewer.net import tile_loader

    pool = tile_loader._pool
    total = 0.0
    for pid in list(getattr(pool, "_processes", None) or {}):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += sum(float(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024
    return total


def make(count: int, work: Path) -> Path:
    """Generate and tile a city of `count` buildings under `work` (child processes); the tileset folder."""
    work.mkdir(parents=True, exist_ok=True)
    city, tiles = work / f"city{count}.city.json", work / f"tiles{count}"
    here = Path(__file__).parent
    if not city.exists():
        subprocess.run([sys.executable, str(here / "make_big_cityjson.py"), str(city), "--count", str(count)],
                       check=True)
    if not (tiles / "tileset.json").exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "viewer.cli", "-q", "tile", str(city), "--out", str(tiles),
                        "--no-cache"], check=True)
        print(f"tiled {count:,} buildings in {time.perf_counter() - start:.1f} s")
    return tiles


BEFORE_FRAME: list = []  # per-frame hooks drawn inside the timed frame (the full look's follow_view)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tileset", type=Path, nargs="?")
    parser.add_argument("--make", type=int, help="generate and tile a city of this many buildings first")
    parser.add_argument("--work", type=Path, default=Path("/tmp/citiverse-tiles-bench"))
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--flight", type=float, default=60.0, help="flight seconds")
    parser.add_argument("--speed", type=float, default=30.0, help="flight speed, m/s")
    parser.add_argument("--memory-mb", type=float, default=TilesConfig.memory_mb)
    parser.add_argument("--sse", type=float, default=TilesConfig.sse)
    parser.add_argument("--threads", action="store_true", help="decode on threads, not worker processes")
    parser.add_argument("--look", choices=("plain", "full"), default="plain")
    args = parser.parse_args()
    folder = make(args.make, args.work) if args.make else args.tileset
    if folder is None:
        parser.error("give TILESET_DIR or --make N")
    size = tuple(int(v) for v in args.size.lower().split("x"))
    start = time.perf_counter()
    config = SceneConfig.for_file(folder / "tileset.json")
    import dataclasses

    config = dataclasses.replace(config, tiles=dataclasses.replace(config.tiles, memory_mb=args.memory_mb,
                                                                    sse=args.sse))
    scene = load_scene(config, use_cache=False)
    base = offscreen_base()
    look = None
    if args.look == "full":
        from viewer.geo.sun import parse_time
        from viewer.render.look import look_spec

        look = dataclasses.replace(look_spec("full", parse_time("2026-06-21T15:00+02:00"), scene.frame),
                                   soft_shadows=False)  # the window's (render/look.py rule 4)
    stage = build_stage(base.render, scene.model, scene.config.style, shaders=supports_shaders(base), look=look,
                        base=base)
    tiles = attach_tiles(stage, scene, supports_shaders(base), processes=not args.threads)
    view = OffscreenView(base, size, background_rgba(scene.config.style), multisamples=0)
    if stage.look is not None:  # the look's per-view hook before every frame, as the window runs it
        BEFORE_FRAME.append(lambda: stage.follow_view(view.camera, view.lens))
    lo, hi = stage.bmin.astype(np.float64), stage.bmax.astype(np.float64)
    try:
        bookmark = scene.config.cameras["overview"]
        place(view, bookmark.position, bookmark.look_at, bookmark.fov, lo, hi)
        settle_tiles(tiles, view.camera, view.lens, base.render, view.size, 600)
        view.capture()
        first = time.perf_counter() - start
        print(f"first complete frame (overview): {first:.2f} s, {describe(tiles)}")
        print(f"overview frames: {frame_times(base, tiles, view)}")
        centre = (lo + hi) / 2
        eye = np.array([centre[0], centre[1], lo[2] + 1.7])
        place(view, eye, eye + [100.0, 60.0, 0.0], 60.0, lo, hi)
        began = time.perf_counter()
        settle_tiles(tiles, view.camera, view.lens, base.render, view.size, 600)
        print(f"street level complete after {time.perf_counter() - began:.2f} s, {describe(tiles)}")
        print(f"street-level frames: {frame_times(base, tiles, view)}")
        flight(base, tiles, view, lo, hi, args.flight, args.speed)
        print(f"peak RSS {peak_mb():.0f} MB, worker processes {workers_peak_mb():.0f} MB more "
              f"(memory cap {args.memory_mb:.0f} MB of tiles)")
    finally:
        view.close()
        remove_tiles(tiles)
        stage.remove()
    return 0


def place(view: OffscreenView, position, look_at, fov: float, lo: np.ndarray, hi: np.ndarray) -> None:
    near, far = near_far(position, lo, hi, margin=0.1 * float(np.linalg.norm(hi - lo)) / 2)
    apply_pose(view.camera, view.lens, CameraPose(tuple(position), tuple(look_at), fov, near, far), view.aspect)


def describe(tiles) -> str:
    return "; ".join(t.status().line() + f", {t.status().triangles:,} triangles" for t in tiles)


def frame_times(base, tiles, view: OffscreenView) -> str:
    times = []
    for _ in range(FRAMES):
        t = time.perf_counter()
        for stage in tiles:
            stage.update(view_of(view.camera, view.lens, base.render, view.size), 0.008)
        for hook in BEFORE_FRAME:
            hook()
        base.graphicsEngine.render_frame()
        times.append(time.perf_counter() - t)
    return f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"


def flight(base, tiles, view: OffscreenView, lo: np.ndarray, hi: np.ndarray, seconds: float, speed: float) -> None:
    """Rule of the window: no waiting; the camera moves a fixed step per frame."""
    budget = 0.008
    start = np.array([lo[0], lo[1], lo[2] + 50.0])
    direction = np.array([hi[0] - lo[0], hi[1] - lo[1], 0.0])
    direction /= np.linalg.norm(direction)
    frames = int(seconds * FLIGHT_FPS)
    times, work, draws = [], [], []
    began = time.perf_counter()
    for k in range(frames):
        eye = start + direction * speed * k / FLIGHT_FPS
        place(view, eye, eye + direction * 100.0 + [0.0, 0.0, -25.0], 60.0, lo, hi)
        t = time.perf_counter()
        for stage in tiles:
            stage.update(view_of(view.camera, view.lens, base.render, view.size), budget)
        mid = time.perf_counter()
        for hook in BEFORE_FRAME:
            hook()
        base.graphicsEngine.render_frame()
        times.append(time.perf_counter() - t)
        work.append(mid - t)
        draws.append(times[-1] - work[-1])
    print(f"flight {seconds:g} s at {speed:g} m/s ({frames} frames in {time.perf_counter() - began:.1f} s): "
          f"frame {spread(times)}, frames over 100 ms: {sum(t > 0.1 for t in times)}; streaming work on the frame "
          f"{spread(work)}; draw {spread(draws)}; at the end {describe(tiles)}")


def spread(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
    return (f"median {statistics.median(times) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
