"""The demo video: the procedural demo city with live demo traffic and energy along a path through its bookmarks.

Rules:
1. The demo video (render_demo_video): the procedural demo city with the demo source's traffic and energy
   (DemoSource, deterministic from its seed and start time) along a path through the scene's three
   bookmarks, eased at both ends and at constant speed, coming down into the street bookmark's street from
   behind it, never through a house (tests/test_flythrough_clearance.py checks it against the city).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.app.flythrough_render import RenderResult, render_flythrough
from viewer.app.video import ProgressLine
from viewer.flythrough.clearance import DEFAULT_CLEARANCE, Obstacles, route_over
from viewer.flythrough.path import CameraPath, Keyframe

if TYPE_CHECKING:
    from viewer.city.scene import LoadedScene
    from viewer.config import CameraBookmark, SceneConfig

DEMO_START = 1_710_226_800.0  # 2024-03-12 07:00 UTC, a Tuesday morning: traffic building up, offices filling
DEMO_SECONDS = 10.0


def demo_path(config: SceneConfig, seconds: float = DEMO_SECONDS, obstacles: Obstacles | None = None) -> CameraPath:
    """The demo's path (rule 1): the overview, a quarter turn round the city lower down, the centre, then
    down into the street the street bookmark looks along, from behind it, and along the street to the
    bookmark (two keyframes on the street's axis keep the last stretch straight, between the houses); routed
    over anything still in the way when `obstacles` are given."""
    cams = config.cameras
    over, centre, street = cams["overview"], cams["centre"], cams["street"]
    ox, oy, oz = over.position
    swing = (-0.85 * oy, 0.85 * ox, 0.7 * oz)  # a quarter turn round the centre, to the south-east
    legs = [(over.position, over.look_at, over.fov), (swing, (0.0, 0.0, 0.0), over.fov),
            (centre.position, centre.look_at, centre.fov),
            (_behind(street, 250.0, 80.0), street.look_at, street.fov),
            (_behind(street, 120.0, 12.0), street.look_at, street.fov),
            (street.position, street.look_at, street.fov)]
    step = seconds / (len(legs) - 1)
    keys = tuple(Keyframe.look(i * step, p, a, f) for i, (p, a, f) in enumerate(legs))
    path = CameraPath("demo", keys, constant_speed=True, ease=min(2.0, seconds / 6.0))
    return path if obstacles is None else route_over(path, obstacles, DEFAULT_CLEARANCE)[0]


def _behind(mark: CameraBookmark, back: float, up: float) -> tuple[float, float, float]:
    """A point `back` metres behind a bookmark along its level view direction and `up` metres higher."""
    (x, y, z), (ax, ay, _) = mark.position, mark.look_at
    length = math.hypot(ax - x, ay - y) or 1.0
    return (x - back * (ax - x) / length, y - back * (ay - y) / length, z + up)


def render_demo_video(scene: LoadedScene, out: Path, size: tuple[int, int] = (1280, 720), fps: float = 30.0,
                      seconds: float = DEMO_SECONDS, seed: int = 42, vehicles: int = 2000,
                      quiet: bool = False) -> RenderResult:
    """The demo city with live demo traffic and energy along demo_path, to an MP4 (rule 1)."""
    from viewer.nav.clearance import CityClearance
    from viewer.sources.demo import DemoSource

    source = DemoSource.from_scene(scene, seed=seed, vehicles=vehicles, start_time=DEMO_START)
    progress = None if quiet else ProgressLine("demo video")
    path = demo_path(scene.config, seconds, CityClearance.from_model(scene.model))
    return render_flythrough(scene, path, out, size=size, fps=fps, feed=source, progress=progress)
