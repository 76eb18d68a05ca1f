"""Geometry build time, Geom count and offscreen frame time for a city of N box buildings.

    python bench/bench_render.py [--count 100000] [--size 1280x720] [--frames 10]

Builds N boxes (roof + 4 walls, 10 triangles each) with numpy, turns them into tiled Geoms (first run and
the best of three, since the first pays for fresh memory pages), then renders the whole city framed from
the south-west and a street-level view offscreen, without and with 4x multisampling, and prints the mean
time of a frame after two warm-up frames. Reading the pixels back is part of every frame (RTM_copy_ram).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_render import grid_of_boxes  # noqa: E402  (the box city the tests draw, at bench size)

from viewer.app.base import offscreen_base, supports_shaders  # noqa: E402
from viewer.app.headless import OffscreenView  # noqa: E402
from viewer.config import CameraBookmark, Style  # noqa: E402
from viewer.render.camera import frame_bounds, pose_from_bookmark  # noqa: E402
from viewer.render.geometry import build_city_geometry  # noqa: E402
from viewer.render.stage import background_rgba, build_stage  # noqa: E402


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def frame_ms(view: OffscreenView, frames: int) -> float:
    view.capture(2)  # upload the geometry and settle
    start = time.perf_counter()
    for _ in range(frames):
        view.base.graphicsEngine.render_frame()
    return (time.perf_counter() - start) / frames * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--frames", type=int, default=10)
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))

    seconds, model = timed(grid_of_boxes, args.count)
    print(f"model: {args.count:,} boxes, {model.triangle_count:,} triangles, "
          f"{model.vertex_count:,} vertices (numpy, {seconds:.2f} s)")
    first, city = timed(build_city_geometry, model, Style())
    runs = [timed(build_city_geometry, model, Style())[0] for _ in range(3)]
    print(f"build Geoms: first {first:.3f} s, best of 3 {min(runs):.3f} s; "
          f"{len(city.nodes)} Geoms on a {city.grid.nx}x{city.grid.ny} grid")
    del city

    base = offscreen_base()
    stage = build_stage(base.render, model, Style(), shaders=supports_shaders(base))
    framed = frame_bounds(stage.bmin, stage.bmax, size[0] / size[1], points=stage.frame_points)
    centre = 0.5 * (stage.bmin + stage.bmax)
    street = pose_from_bookmark(CameraBookmark((centre[0] - 15, centre[1] - 200, 2.0),
                                               (centre[0] - 15, centre[1] + 200, 2.0), 60.0),
                                stage.bmin, stage.bmax)
    print(f"display: {base.win.get_gsg().get_driver_renderer()}, shaders={supports_shaders(base)}")
    for samples in (0, 4):
        view = OffscreenView(base, size, background_rgba(Style()), multisamples=samples)
        try:
            for name, pose in (("whole city", framed), ("street level", street)):
                view.set_pose(pose)
                print(f"frame {size[0]}x{size[1]} msaa={samples} {name}: {frame_ms(view, args.frames):.1f} ms")
        finally:
            view.close()
    stage.remove()


if __name__ == "__main__":
    main()
