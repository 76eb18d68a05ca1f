"""Frame cost of the full look (sun shadows, sky, haze) against the plain look, with live layers.

    python bench/bench_look.py [--seconds 2] [--size 1280x720] [--buildings 10000] [--vehicles 10000] [--rounds 2]
    python bench/bench_look.py --alternate [--frames 150] [--layers vehicles,roads]

The procedural city of --buildings with --vehicles demo vehicles on its streets (10 Hz) and every building's
power each second, as bench/bench_layers.py case 2, rendered offscreen at --size from the framed overview
(still, then moving 3 m a frame) and from a street-level view: with `look = "plain"`, and with `"full"` at
2026-06-21T15:00+02:00 twice: as the window draws it (one-tap shadow edges) and as stills and videos draw it
(4-tap soft edges; render/look.py rule 4).
Prints the median CPU time (all threads, llvmpipe's included) of render_frame (the draw, read-back included)
after warm-up, and the ratio: on a machine shared with other work, wall time varies 2x from run to run.
The looks are alternated --rounds times in this one process: the best of each look, then the range of the
ratios within each round (plain and full drawn one after the other), which is what a change must beat (on a
shared machine the same frame's CPU time varied by 20% between runs: docs/look.md, "Cost").
--alternate builds the three looks' views side by side in this process and draws them in turn, one frame
each (in a shuffled order per turn, only the drawn look's stage shown and its buffer active), --frames
turns per view: a slow spell of the machine then hits every look alike. It prints each look's median, the
ratio of the medians and the range of the ratios over blocks of 15 turns.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_layers import FPS, Timeline, demo_updates  # noqa: E402

from viewer.app.base import offscreen_base  # noqa: E402
from viewer.app.live import LiveOptions  # noqa: E402
from viewer.app.live_headless import live_view  # noqa: E402
from viewer.city.demo import demo_scene  # noqa: E402
from viewer.city.scene import load_scene_models  # noqa: E402
from viewer.config import CameraBookmark  # noqa: E402
from viewer.geo.sun import parse_time  # noqa: E402
from viewer.render import look as render_look  # noqa: E402
from viewer.render.camera import pose_from_bookmark  # noqa: E402

SCENE_LOOK = render_look.scene_look

WHEN = "2026-06-21T15:00+02:00"


def draw_ms(lv, feed: Timeline, frames: int, move: float = 0.0, warm: int = 5) -> float:
    times = []
    for i in range(frames):
        feed.wall += 1.0 / FPS
        lv.view.camera.set_x(lv.view.camera.get_x() + move)  # a moving camera refits (and redraws) the shadows
        lv.live.update(wall=feed.wall)
        lv.stage.follow_view(lv.view.camera, lv.view.lens)
        begin = time.process_time()  # CPU of all threads (llvmpipe's too): steadier than wall time when shared
        lv.base.graphicsEngine.render_frame()
        if i >= warm:
            times.append((time.process_time() - begin) * 1e3)
    return statistics.median(times)


LOOKS = {"plain": ("plain", True), "full, window": ("full", False), "full, stills": ("full", True)}


def run(scene, look: str, updates, crs: str, size: tuple[int, int], frames: int,
        options: LiveOptions | None = None) -> dict[str, float]:
    name, soft = LOOKS[look]
    scene = dataclasses.replace(scene, config=dataclasses.replace(scene.config, look=name, time=parse_time(WHEN)))
    # The window's one-tap edges: live_view builds its stage from scene_look, here with soft_shadows as asked.
    render_look.scene_look = lambda s: dataclasses.replace(SCENE_LOOK(s), soft_shadows=soft)
    feed = Timeline(updates, crs)
    out = {}
    with live_view(scene, feed, size, options=options or LiveOptions(), multisamples=0) as lv:
        out["overview"] = draw_ms(lv, feed, frames)
        out["overview, moving"] = draw_ms(lv, feed, frames, move=3.0)
        lv.view.set_pose(street_pose(lv))
        out["street"] = draw_ms(lv, feed, frames)
    return out


def workload_parser(doc: str, seconds: float) -> argparse.ArgumentParser:
    """The options of this bench's case (also bench_facades.py's): seconds of feed, window size, city size."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--buildings", type=int, default=10_000)
    parser.add_argument("--vehicles", type=int, default=10_000)
    parser.add_argument("--layers", help="layers shown, as `citiverse render --layers` takes them (default: all; "
                                         "vehicles,roads leaves the buildings their own colours: facades show)")
    return parser


def live_options(args: argparse.Namespace) -> LiveOptions:
    """The layers' options of --layers (all shown without it); a wrong list ends the bench with its reason."""
    from viewer.errors import ConfigError

    try:
        return LiveOptions.from_cli(args.layers)
    except ConfigError as error:
        raise SystemExit(f"bench: {error}") from None


VIEWS = 3  # overview, moving, street: one feed clock runs on through all three


def workload(args: argparse.Namespace, frames: int | None = None):
    """An offscreen base and the case's inputs: (size, scene, feed updates, their CRS, frames to draw per view).
    The feed covers every frame of the VIEWS views (30 a second of --seconds each, or `frames`; the frame clock
    steps 1 / FPS) and a second more:
    vehicles past the feed's end fade out (layers/vehicles.py rule 5), and the last views drew without them."""
    size = tuple(int(v) for v in args.size.split("x"))
    offscreen_base()
    scene = load_scene_models(demo_scene(seed=42, buildings=args.buildings))
    frames = int(args.seconds * 30) if frames is None else frames
    updates, crs = demo_updates(scene, args.vehicles, max(args.seconds, VIEWS * frames / FPS + 1.0))
    return size, scene, updates, crs, frames


def street_pose(lv):
    """bench_look's street-level view of a live view's stage: 2 m up, along the city's middle."""
    lo, hi = lv.stage.bmin, lv.stage.bmax
    centre = 0.5 * (lo + hi)
    return pose_from_bookmark(CameraBookmark((centre[0] - 15, centre[1] - 200, 2.0),
                                             (centre[0] - 15, centre[1] + 200, 2.0), 60.0), lo, hi)


WARM_TURNS = 5


def run_alternated(scene, updates, crs, size: tuple[int, int], turns: int,
                   options: LiveOptions | None = None) -> dict[str, dict[str, list[float]]]:
    """--alternate: every look's view alive at once, drawn one frame each in turn; per view, per look, the
    frames' CPU milliseconds in turn order."""
    times: dict[str, dict[str, list[float]]] = {}
    shuffle = random.Random(7)
    with contextlib.ExitStack() as stack:
        views = {}
        for look, (name, soft) in LOOKS.items():
            looked = dataclasses.replace(scene, config=dataclasses.replace(scene.config, look=name,
                                                                             time=parse_time(WHEN)))
            render_look.scene_look = lambda s, soft=soft: dataclasses.replace(SCENE_LOOK(s), soft_shadows=soft)
            feed = Timeline(updates, crs)
            lv = stack.enter_context(live_view(looked, feed, size, options=options or LiveOptions(), multisamples=0))
            views[look] = (lv, feed, lv.view.camera.get_pos(), lv.view.camera.get_hpr())
        def draw(look: str, move: float) -> float:
            for other, (lv, *_) in views.items():
                lv.stage.root.show() if other == look else lv.stage.root.hide()
                lv.view.buffer.set_active(other == look)
            lv, feed = views[look][:2]
            return draw_ms(lv, feed, 1, move, warm=0)
        for view, move in (("overview", 0.0), ("overview, moving", 3.0), ("street", 0.0)):
            for lv, _, pos, hpr in views.values():
                if view == "street":
                    lv.view.set_pose(street_pose(lv))
                else:
                    lv.view.camera.set_pos_hpr(pos, hpr)
            times[view] = {look: [] for look in LOOKS}
            for turn in range(turns + WARM_TURNS):
                order = list(LOOKS)
                shuffle.shuffle(order)
                for look in order:
                    ms = draw(look, move)
                    if turn >= WARM_TURNS:
                        times[view][look].append(ms)
    return times


def print_alternated(times: dict[str, dict[str, list[float]]], block: int = 15) -> None:
    for view, looks in times.items():
        plain = statistics.median(looks["plain"])
        cells = "   ".join(f"{look} {statistics.median(ms):6.1f} ms x{statistics.median(ms) / plain:.2f}"
                           for look, ms in looks.items() if look != "plain")
        print(f"  {view:17s} plain {plain:6.1f} ms CPU   {cells}")
        block = max(1, min(block, len(looks["plain"])))  # fewer turns than a block: one block of them all
        for look, ms in looks.items():
            if look != "plain":
                ratios = [statistics.median(ms[i:i + block]) / statistics.median(looks["plain"][i:i + block])
                          for i in range(0, len(ms) - block + 1, block)]
                print(f"  {'':17s} {look}: ratio in blocks of {block} turns {min(ratios):.2f}-{max(ratios):.2f}")


def main() -> None:
    parser = workload_parser(__doc__, seconds=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--alternate", action="store_true", help="draw the looks' views in turn, a frame each")
    parser.add_argument("--frames", type=int, default=150, help="--alternate: turns per view")
    args = parser.parse_args()
    size, scene, updates, crs, frames = workload(args, args.frames + WARM_TURNS if args.alternate else None)
    if args.alternate:
        times = run_alternated(scene, updates, crs, size, args.frames, live_options(args))
        print(f"{args.buildings:,} buildings + {args.vehicles:,} vehicles, {size[0]}x{size[1]}, no multisampling, "
              f"looks drawn in turn, {args.frames} turns, layers {args.layers or 'all'}, "
              f"load average {os.getloadavg()[0]:.1f}")
        print_alternated(times)
        return
    # Twice in turn, keeping each view's best: the machine is shared and the first run pays for warm caches.
    runs = [(look, run(scene, look, updates, crs, size, frames, live_options(args)))
            for _ in range(max(args.rounds, 1)) for look in LOOKS]
    results = {look: {view: min(r[view] for name, r in runs if name == look) for view in runs[0][1]}
               for look in LOOKS}
    print(f"{args.buildings:,} buildings + {args.vehicles:,} vehicles, {size[0]}x{size[1]}, no multisampling, "
          f"load average {os.getloadavg()[0]:.1f}")
    for view in ("overview", "overview, moving", "street"):
        plain = results["plain"][view]
        cells = "   ".join(f"{look} {results[look][view]:6.1f} ms x{results[look][view] / plain:.2f}"
                           for look in LOOKS if look != "plain")
        print(f"  {view:17s} plain {plain:6.1f} ms CPU   {cells}")
        for look in LOOKS:
            if look != "plain":
                ratios = [runs[i + list(LOOKS).index(look)][1][view] / runs[i][1][view]
                          for i in range(0, len(runs), len(LOOKS))]
                print(f"  {'':17s} {look}: ratio in each round {min(ratios):.2f}-{max(ratios):.2f}")


if __name__ == "__main__":
    main()
