"""Collision and movement cost per frame with 100k buildings (goal: under 1 ms a frame).

    python bench/bench_nav.py [--size 100000] [--frames 3000]

Loads the procedural city with `size` buildings, builds the collision index once (timed), then measures:
single queries (ground height, the Local cut around a walker, short and long rays), and the whole per-frame
cost of Navigator.update (mouse look + fixed-step kinematics + collision + the camera pose, everything the
window does per frame except drawing) for scripted runs through the streets: walking first and third
person at 60 and 30 fps, running along a wall (sliding every step) and flying low over the roofs. Prints
mean, median, 99th percentile and worst frame of each.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from viewer.city.model import SurfaceKind
from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig, SourceConfig
from viewer.nav.index import CollisionIndex
from viewer.nav.kinematics import Intent
from viewer.nav.modes import Navigator, NavPose


def per_call_us(fn, repeat: int = 2000) -> float:
    start = time.perf_counter()
    for i in range(repeat):
        fn(i)
    return (time.perf_counter() - start) / repeat * 1e6


def frames(nav: Navigator, count: int, fps: float, intent_of, seed: int = 1) -> tuple[np.ndarray, np.ndarray, float]:
    """Per-frame wall-clock and CPU time (ms) of `count` Navigator updates at `fps`, with input from
    intent_of(frame, rng); and the length of the path the body took (m)."""
    rng = np.random.default_rng(seed)
    wall, cpu = np.zeros(count), np.zeros(count)
    travelled, last = 0.0, None
    for i in range(count):
        intent, turn = intent_of(i, rng)
        start, start_cpu = time.perf_counter(), time.thread_time()
        nav.update(1.0 / fps, intent, turn)
        wall[i], cpu[i] = (time.perf_counter() - start) * 1e3, (time.thread_time() - start_cpu) * 1e3
        now = (nav.walker or nav.flyer).position.copy()
        travelled += 0.0 if last is None else float(np.linalg.norm(now - last))
        last = now
    return wall, cpu, travelled


def wander(i: int, rng: np.random.Generator) -> tuple[Intent, tuple[float, float]]:
    """Run forward, turning a little every frame and sharply now and then (into walls, along them)."""
    turn = float(rng.normal(0.0, 1.0)) + (float(rng.choice([-90.0, 90.0])) if i % 300 == 0 else 0.0)
    return Intent(forward=1.0, right=0.2 * np.sin(i / 50), run=True), (turn, 0.0)


def report(name: str, run: tuple[np.ndarray, np.ndarray, float]) -> None:
    wall, cpu, travelled = run
    print(f"  {name:42s} mean {wall.mean():.3f}  median {np.median(wall):.3f}  p99 {np.percentile(wall, 99):.3f}"
          f"  max {wall.max():.3f} | CPU mean {cpu.mean():.3f}  p99 {np.percentile(cpu, 99):.3f}"
          f"  ({travelled:.0f} m travelled)")


def street_point(model, index: CollisionIndex) -> tuple[float, float]:
    """The centre of a road triangle near the middle of the city."""
    tris = model.triangles[model.vertex_kind[model.triangles[:, 0]] == SurfaceKind.ROAD]
    centres = model.vertices[tris].mean(axis=1)
    best = int(np.argmin(np.hypot(centres[:, 0], centres[:, 1])))
    return float(centres[best, 0]), float(centres[best, 1])


def build_index(size: int) -> tuple[object, CollisionIndex]:
    """The procedural city of `size` buildings and its collision index (built twice: first and warm)."""
    config = SceneConfig(path=None, name="bench", crs=None, origin=None, origin_lonlat=None,
                         sources=(SourceConfig(format="procedural", size=size),))
    start = time.perf_counter()
    model = load_scene_models(config).model
    print(f"procedural city: {size:,} buildings, {model.triangle_count:,} triangles "
          f"({time.perf_counter() - start:.1f} s to generate)")
    builds = []
    for _ in range(2):
        start = time.perf_counter()
        index = CollisionIndex.from_model(model)
        builds.append(time.perf_counter() - start)
    megabytes = sum(a.nbytes for a in (index.floors, index.floor_boxes, index.walls, index.floor_grid.items,
                                       index.floor_grid.offsets, index.wall_grid.items, index.wall_grid.offsets))
    print(f"collision index: {index.floors.shape[0]:,} floors, {index.walls.shape[0]:,} walls; built in "
          f"{builds[0]:.2f} s (again {builds[1]:.2f} s); {megabytes / 2**20:.0f} MB; cells "
          f"{index.floor_grid.cell:.0f} m (floors), {index.wall_grid.cell:.0f} m (walls)")
    return model, index


def single_queries(model, index: CollisionIndex) -> None:
    lo, hi = model.bounds()
    pts = np.random.default_rng(0).uniform(lo[:2] * 0.8, hi[:2] * 0.8, (4000, 2))
    local = index.local(*(pts[0] - 20), *(pts[0] + 20))
    cases = [
        ("ground height at a random point", lambda i: index.ground(*pts[i]), 2000),
        ("Local around a walker (1.5 m square)", lambda i: index.local(*(pts[i] - 0.75), *(pts[i] + 0.75)), 2000),
        (f"slide in a 40 m Local ({local.wall_count} walls)",
         lambda i: local.slide(*pts[0], 0.05, 0.07, 0.3, 0.4, 1.8), 2000),
        ("ray 4 m back from a head (third person)",
         lambda i: index.raycast((*pts[i], 1.7), (0.3, -0.95, -0.1), 4.25), 1000),
        ("ray 2 km across the city (orbit pick)",
         lambda i: index.raycast((*pts[i], 40.0), (1.0, 0.2, -0.02), 2000.0), 200),
    ]
    print("single queries (microseconds per call):")
    for name, fn, repeat in cases:
        print(f"  {name:42s} {per_call_us(fn, repeat):.1f}")


def per_frame(model, index: CollisionIndex, count: int) -> None:
    x, y = street_point(model, index)
    print(f"per frame, Navigator.update, {count} frames each (ms; wall clock, then this thread's CPU "
          "time, which leaves out time the OS gave to other processes):")
    for name, mode, third, fps in (("walk, first person, 60 fps", "walk", False, 60.0),
                                   ("walk, third person, 60 fps", "walk", True, 60.0),
                                   ("walk, first person, 30 fps (2 steps/frame)", "walk", False, 30.0),
                                   ("fly 30 m up, 60 fps", "fly", False, 60.0)):
        nav = Navigator(index)
        nav.third_person = third
        nav.enter(mode, NavPose((x, y, 30.0 if mode == "fly" else 1.65), 0.0, 0.0))
        report(name, frames(nav, count, fps, wander))
    nav = Navigator(index)
    nav.third_person = False
    nav.enter("walk", NavPose((x, y, 1.65), 0.0, 0.0))
    ahead = lambda i, rng: (Intent(forward=1.0, run=True), (0.0, 0.0))  # noqa: E731
    report("running north into a wall (blocked)", frames(nav, 600, 60.0, ahead))
    nav.look.set(-60.0, 0.0)  # east-north-east, into the wall it stopped at: a slide every step
    report("running into walls at 30 degrees (sliding)", frames(nav, count, 60.0, ahead))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--frames", type=int, default=3000)
    args = parser.parse_args()
    model, index = build_index(args.size)
    single_queries(model, index)
    per_frame(model, index, args.frames)


if __name__ == "__main__":
    main()
