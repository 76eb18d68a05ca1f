"""Frames per second rendering a flythrough video with every layer on (issue 7's goal: >= 6 fps at 1280x720).

    python bench/bench_flythrough.py [--seconds 4] [--size 1280x720] [--fps 30] [--vehicles 2000]
                                     [--buildings 3000] [--multisamples 4] [--runs 3]

The demo city (procedural, 3000 buildings) with the demo source in lock-step (2000 vehicles, road
congestion, building power), the HUD and legends, along the demo's camera path, encoded to H.264 by the
bundled ffmpeg (x264 veryfast, crf 20) in a temporary folder. Prints, per run: setup seconds (stage, layers,
feed start, encoder), steady frames per second (first frame to last), overall frames per second, and the
minutes one minute of 30 fps video takes at the steady rate. The same path at the same size is rendered
each run, so the runs' frame digests must agree (printed as a check, not a timing).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from viewer.app.flythrough_demo import DEMO_START, demo_path
from viewer.app.flythrough_render import render_flythrough
from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.sources.demo import DemoSource


def parse_size(text: str) -> tuple[int, int]:
    w, h = (int(v) for v in text.lower().split("x"))
    return w, h


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--size", type=parse_size, default=(1280, 720))
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--vehicles", type=int, default=2000)
    parser.add_argument("--buildings", type=int, default=3000)
    parser.add_argument("--multisamples", type=int, default=None, help="MSAA samples (default: the renderer's)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    scene = load_scene_models(demo_scene(buildings=args.buildings))
    path = demo_path(scene.config, args.seconds)
    w, h = args.size
    print(f"demo city {args.buildings:,} buildings, {args.vehicles:,} vehicles, {w}x{h} at {args.fps:g} fps, "
          f"{args.seconds:g} s path, all layers and HUD, x264 veryfast")
    steady_rates, digests = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            stamps: list[float] = []
            stamp = stamps.append
            source = DemoSource.from_scene(scene, seed=42, vehicles=args.vehicles, start_time=DEMO_START)
            began = time.perf_counter()
            result = render_flythrough(scene, path, Path(tmp) / f"run{run}.mp4", size=args.size, fps=args.fps,
                                       feed=source, multisamples=args.multisamples,
                                       on_frame=lambda k, f, stamp=stamp: stamp(time.perf_counter()))
            setup = stamps[0] - began
            steady = (len(stamps) - 1) / (stamps[-1] - stamps[0])
            steady_rates.append(steady)
            digests.append(result.digest)
            print(f"run {run + 1}: {result.frames} frames, setup {setup:.2f} s, steady {steady:.1f} fps, "
                  f"overall {result.frames_per_second:.1f} fps, one minute of 30 fps video in "
                  f"{60 * 30 / steady / 60:.1f} min")
    print(f"median steady rate: {statistics.median(steady_rates):.1f} fps (goal >= 6); "
          f"frames identical across runs: {len(set(digests)) == 1}")


if __name__ == "__main__":
    main()
