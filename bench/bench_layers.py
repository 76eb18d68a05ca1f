"""Frame time and our own CPU time per frame for the live layers (vehicles, roads, building energy, HUD).

    python bench/bench_layers.py [--seconds 2] [--size 1280x720] [--quick] [--case denhaag|10k|100k ...]

Cases (all offscreen at --size, the whole city framed from the south-west, the way `citiverse render` sees it):
  1. Den Haag (real CityJSON, 844 buildings, 1,653 parts) with 10,000 synthetic vehicles (straight lines at
     8-15 m/s over the model, all sent at 10 Hz) and every building's power updated each second.
  2. the procedural city with 10,000 buildings, 10,000 demo vehicles on its streets (10 Hz), roads each
     second, every building each second.
  3. the procedural city with 100,000 buildings and 50,000 demo vehicles.
Feed updates are generated before the timed loop (a feed server makes them, not the viewer) and handed over
at 60 frames per feed second, like a FeedClient's queue. Per frame we time LiveLayers.update (drain and
apply, recolour, vehicle instances, HUD) and the engine's render_frame (the draw, with read-back to RAM).
Draw calls are counted as the Geoms under the 3D scene and the HUD (instanced types count once each).
Micro-timings: VehicleLayer.frame into the instance texture without and with a regroup (after an update),
and a full recolour of every building (EntityLayer.texels + ColourLut.write).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from viewer.app.base import offscreen_base
from viewer.app.live import LiveOptions
from viewer.app.live_headless import live_view
from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig
from viewer.sources.demo import DemoSource
from viewer.twin.batch import TwinUpdate, make_batch

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FPS = 60


class Timeline:
    """A prepared feed: (feed time, update) pairs released as the frame clock reaches them (FeedClient API)."""

    def __init__(self, updates: list[TwinUpdate], crs: str) -> None:
        self.updates, self.crs, self.at, self.t0 = updates, crs, 0, updates[0].time
        self.wall = 0.0

    def start(self) -> Timeline:
        return self

    def stop(self) -> None:
        pass

    def drain(self, max_seconds: float = 0.004) -> list[tuple[TwinUpdate, bool]]:
        out = []
        while self.at < len(self.updates) and self.updates[self.at].time <= self.t0 + self.wall:
            out.append((self.updates[self.at], self.at == 0))
            self.at += 1
        return out

    def status(self) -> object:
        from viewer.app.live_feed import LocalFeedStatus

        return LocalFeedStatus("replay", 0.0, 0.0, 0, "bench", None)


def synthetic(scene, vehicles: int, seconds: float, seed: int = 1) -> list[TwinUpdate]:
    """Vehicles on straight lines over the model at 10 Hz plus every building each second, in the scene CRS."""
    rng = np.random.default_rng(seed)
    lo, hi = scene.model.bounds()
    ox, oy = scene.frame.origin_xy
    start = rng.uniform(lo[:2], hi[:2], (vehicles, 2))
    angle = rng.uniform(0, 2 * np.pi, vehicles)
    speed = rng.uniform(8, 15, vehicles)
    ids = np.array([f"veh-{i:06d}" for i in range(vehicles)], dtype=object)
    buildings = np.array([i for i, t in zip(scene.model.objects.ids, scene.model.objects.types, strict=True)
                          if t == "Building"], dtype=object)
    out = []
    for k in range(int(seconds * 10) + 1):
        t = 1.56e9 + 0.1 * k
        pos = start + (speed * 0.1 * k)[:, None] * np.c_[np.sin(angle), np.cos(angle)]
        upserts = {"vehicle": make_batch("vehicle", ids=ids, x=pos[:, 0] + ox, y=pos[:, 1] + oy,
                                         heading=np.degrees(angle), speed=speed, vtype=np.full(vehicles, "car"))}
        if k % 10 == 0:
            upserts["building"] = make_batch("building", ids=buildings, power=rng.uniform(0, 200, buildings.size))
        out.append(TwinUpdate(t, upserts, snapshot=k == 0))
    return out


def demo_updates(scene, vehicles: int, seconds: float) -> tuple[list[TwinUpdate], str]:
    source = DemoSource.from_scene(scene, vehicles=vehicles, start_time=1.56e9, building_period=1.0)
    updates = [source.start()] + [source.step() for _ in range(int(seconds * 10))]
    return [u for u in updates if u is not None], source.crs


def draw_calls(lv) -> int:
    total = 0
    for root in (lv.base.render, lv.live.hud.root if lv.live.hud else None):
        if root is None:
            continue
        for path in root.find_all_matches("**/+GeomNode"):
            if not path.is_hidden():
                total += path.node().get_num_geoms()
    return total


def run(name: str, scene, updates: list[TwinUpdate], crs: str, size: tuple[int, int], seconds: float,
        multisamples: int | None) -> None:
    feed = Timeline(updates, crs)
    with live_view(scene, feed, size, options=LiveOptions(), multisamples=multisamples) as lv:
        live, engine = lv.live, lv.base.graphicsEngine
        ours: list[float] = []
        draws: list[float] = []
        frames: list[float] = []
        applies: list[float] = []
        cpu: list[float] = []
        for i in range(int(seconds * FPS)):
            feed.wall = i / FPS
            begin, cpu_begin = time.perf_counter(), time.process_time()
            stats = live.update(wall=feed.wall)
            mid = time.perf_counter()
            engine.render_frame()
            end = time.perf_counter()
            if i >= 10:  # after uploads and the first snapshot
                (applies if stats.updates else ours).append(stats.total_ms)
                draws.append((end - mid) * 1e3)
                frames.append((end - begin) * 1e3)
                cpu.append((time.process_time() - cpu_begin) * 1e3)
        n = len(live.state["vehicle"])
        print(f"\n{name}: {len(scene.model.objects):,} objects, {scene.model.triangle_count:,} triangles, "
              f"{n:,} vehicles, {size[0]}x{size[1]}, multisamples {lv.view.buffer.get_fb_properties().get_multisamples()}")
        print(f"  frame (our update + draw): median {statistics.median(frames):.1f} ms, "
              f"p95 {np.percentile(frames, 95):.1f} ms")
        print(f"  draw (render_frame): median {statistics.median(draws):.1f} ms")
        print(f"  CPU per frame, all threads (llvmpipe's included; steadier than wall time on a shared machine): "
              f"median {statistics.median(cpu):.1f} ms")
        print(f"  our CPU per frame without a feed update: median {statistics.median(ours):.2f} ms "
              f"(vehicles {live.stats.vehicles_ms:.2f} ms in the last frame)")
        if applies:
            print(f"  our CPU in frames applying updates: median {statistics.median(applies):.1f} ms, "
                  f"max {max(applies):.1f} ms ({len(applies)} frames)")
        print(f"  draw calls (Geoms drawn, 3D + HUD): {draw_calls(lv)}")
        micro(live)


def micro(live) -> None:
    table = live.state["vehicle"]
    memory = live.renderer.memory(len(table))
    clock = live.clock
    t = clock.newest - 0.05

    def vehicles() -> None:
        live.vehicles.frame(table, t, 0.0, clock.newest, clock.period, memory)

    def update() -> None:  # what a frame after a feed update pays: Motion again (the grouping stays)
        live.vehicles._version = None
        vehicles()

    def regroup() -> None:  # ... and after rows moved (vehicles added or removed): the grouping too
        live.vehicles._version = live.vehicles._layout = None
        vehicles()

    def show() -> None:
        live.renderer.show(live.frame)

    layer = live.entities["building"]

    def recolour() -> None:
        members, rgba, _ = layer.texels(live.state["building"])
        live.lut.write(members, rgba)

    for label, fn in (("vehicle instances (layer)", vehicles), ("instance arrays copied to the Geoms", show),
                      ("vehicle instances after an update (new Motion)", update),
                      ("vehicle instances after vehicles came or went (regroup + Motion)", regroup),
                      (f"recolour all {len(layer.objects):,} buildings (texels + texture write)", recolour)):
        times = []
        for _ in range(20):
            begin = time.perf_counter()
            fn()
            times.append((time.perf_counter() - begin) * 1e3)
        print(f"  {label}: median {statistics.median(times):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--multisamples", type=int, default=0, help="0 (default, as bench_render) or 4")
    parser.add_argument("--quick", action="store_true", help="skip the 100k case")
    parser.add_argument("--case", action="append", choices=("denhaag", "10k", "100k"),
                        help="run only this case (repeatable); default: all (--quick: all but 100k)")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    size = (w, h)
    chosen = set(args.case or (["denhaag", "10k"] + ([] if args.quick else ["100k"])))
    offscreen_base()
    denhaag = DATA / "cityjson_denhaag" / "DenHaag_01.city.json"
    if denhaag.is_file() and "denhaag" in chosen:
        scene = load_scene_models(SceneConfig.for_file(denhaag))
        run("Den Haag + 10k synthetic vehicles", scene, synthetic(scene, 10_000, args.seconds), scene.frame.crs or "",
            size, args.seconds, args.multisamples)
    cases = [case for name, case in (("10k", (10_000, 10_000)), ("100k", (100_000, 50_000))) if name in chosen]
    for buildings, vehicles in cases:
        scene = load_scene_models(demo_scene(seed=42, buildings=buildings))
        updates, crs = demo_updates(scene, vehicles, args.seconds)
        run(f"procedural {buildings:,} buildings + {vehicles:,} demo vehicles", scene, updates, crs, size,
            args.seconds, args.multisamples)


if __name__ == "__main__":
    main()
