"""Shadow study of Den Haag at 1 m over 8 hours at 10-minute steps (issue 16: goal under 60 s), and the GPU
alternative measured on the same grid, to say which is faster on this machine.

    python bench/bench_shadow.py [--file DenHaag_01.city.json] [--resolution 1] [--no-gpu]

1. CPU (what `citiverse shadow` runs, layers/shadow_study.py): the height field rasterised once, then one
   2.5D ray march per sun position. Wall time of the study and of the whole command (load from cache
   included), with `uptime`'s load beside it.
2. GPU probe (llvmpipe here): the full look's sun depth map (render/shadows.py, 2048 x 2048) drawn for each
   sun position fitted to the study area, read back to RAM, and every grid cell centre looked up in it: the
   per-step cost a depth-rendering study would pay, before any per-cell work of its own.
Writes docs/shadow-denhaag.png with --picture.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import date, timedelta, timezone
from datetime import time as clock
from pathlib import Path

import numpy as np

from viewer.app.shadow_study import default_area
from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig
from viewer.geo.sun import direction, sample_times, sun_position
from viewer.layers.shadow_study import Grid, rasterize, sun_hours

DENHAAG = Path("/work/shared/data/cityjson_denhaag/DenHaag_01.city.json")
PROJECT = Path(__file__).resolve().parents[1]


def load() -> tuple[object, list, list]:
    scene = load_scene_models(SceneConfig.for_file(ARGS.file))
    times = sample_times(date(2026, 3, 21), clock(8), clock(16), timedelta(minutes=10), timezone(timedelta(hours=1)))
    lon, lat = scene.frame.origin_lonlat
    suns = [(p.azimuth, p.elevation) for p in (sun_position(lon, lat, t) for t in times)]
    return scene, times, suns


def cpu(scene, times, suns) -> None:
    area = default_area(scene.model)
    start = time.perf_counter()
    study = sun_hours(scene.model, area, ARGS.resolution, times, suns)
    took = time.perf_counter() - start
    print(f"CPU study: {study.grid.nx} x {study.grid.ny} cells at {ARGS.resolution:g} m, {len(times)} sun positions: "
          f"{took:.2f} s ({took / len(times) * 1e3:.0f} ms a position); BRE share {study.bre_share():.1%}")
    out = PROJECT / "docs" / "shadow-denhaag.png" if ARGS.picture else Path(os.devnull + ".png")
    command = [sys.executable, "-m", "viewer.cli", "shadow", str(ARGS.file), "--date", "2026-03-21",
               "--tz", "+01:00", "--resolution", str(ARGS.resolution)]
    start = time.perf_counter()
    if ARGS.picture:
        subprocess.run([*command, "--out", str(out)], check=True, cwd=PROJECT)
    else:
        subprocess.run([*command, "--out", "/tmp/bench-shadow.csv"], check=True, cwd=PROJECT, capture_output=True)
    print(f"whole command (process start, scene from cache, study, file): {time.perf_counter() - start:.2f} s")


def gpu_probe(scene, suns) -> None:
    from viewer.app.base import offscreen_base
    from viewer.config import Style
    from viewer.render.look import LookSpec
    from viewer.render.stage import build_stage

    base = offscreen_base()
    stage = build_stage(base.render, scene.model, Style(), shaders=True, look=LookSpec("full", None, None),
                        base=base)
    shadows = stage.look.shadows
    grid = Grid.over(default_area(scene.model), ARGS.resolution)
    surface = rasterize(scene.model, grid)  # the cells' heights, so the probe looks up the same points
    xs, ys = grid.centres()
    gx, gy = np.meshgrid(xs, ys)
    points = np.stack([gx.ravel(), gy.ravel(), surface.height.ravel()], axis=1)
    up = [s for s in suns if s[1] > 0.5]
    draw = lookup = 0.0
    for az, el in up:
        begin = time.perf_counter()
        shadows.set_sun(direction(az, el))
        shadows.fit(np.concatenate([points[::97], points[:1]]))
        shadows.redraw()
        base.graphicsEngine.render_frame()
        depth = shadows.read_depth()
        middle = time.perf_counter()
        stm = shadows.world_to_map(points)
        col = np.clip((stm[:, 0] * shadows.size).astype(np.int64), 0, shadows.size - 1)
        row = np.clip((stm[:, 1] * shadows.size).astype(np.int64), 0, shadows.size - 1)
        _ = stm[:, 2] <= depth[row, col] + 1e-4
        draw += middle - begin
        lookup += time.perf_counter() - middle
    n = len(up)
    print(f"GPU probe ({shadows.size}x{shadows.size} depth map, llvmpipe): draw + read back {draw / n * 1e3:.0f} ms, "
          f"look-up of {len(points):,} cells {lookup / n * 1e3:.0f} ms a position; {draw + lookup:.2f} s for {n}")
    stage.remove()


def main() -> None:
    scene, times, suns = load()
    cpu(scene, times, suns)
    if not ARGS.no_gpu:
        gpu_probe(scene, suns)
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DENHAAG)
    parser.add_argument("--resolution", type=float, default=1.0)
    parser.add_argument("--no-gpu", action="store_true")
    parser.add_argument("--picture", action="store_true", help="write docs/shadow-denhaag.png")
    ARGS = parser.parse_args()
    main()
