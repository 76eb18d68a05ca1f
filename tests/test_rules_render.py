"""Rules in real headless frames: a matching building turns the rule's colour, a duration rule waits its
seconds of feed time, badges stand over what matches, and the alerts panel lists and flies to them."""

from __future__ import annotations

import numpy as np
import pytest
from panda3d.core import Point2, Point3

from viewer.app.live import LiveOptions
from viewer.app.live_headless import live_view
from viewer.city.localize import derive_object_columns
from viewer.city.model import CityModel, ObjectTable, SurfaceKind
from viewer.city.scene import LoadedScene
from viewer.config import CameraBookmark, SceneConfig
from viewer.geo.frame import LocalFrame
from viewer.layers.rules import Rule
from viewer.render.lighting import Lighting
from viewer.rules_config import RuleConfig, parse_condition
from viewer.twin.batch import TwinUpdate, make_batch

pytestmark = pytest.mark.render
SIZE = (480, 360)
BUILDINGS = {"cold": ((-60.0, 30.0), 0.0), "warm": ((-10.0, 30.0), 50.0), "hot": ((40.0, 30.0), 200.0)}
RED = (1.0, 0.0, 0.0)


def box(x0: float, y0: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 20 m cube's roof and walls: vertices (20, 3), triangles (10, 3), kinds (20,)."""
    faces = np.array([[[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]], [[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]],
                      [[1, 0, 0], [1, 1, 0], [1, 1, 1], [1, 0, 1]], [[1, 1, 0], [0, 1, 0], [0, 1, 1], [1, 1, 1]],
                      [[0, 1, 0], [0, 0, 0], [0, 0, 1], [0, 1, 1]]], np.float32)
    verts = (np.array([x0, y0, 0.0], np.float32) + faces * 20.0).reshape(-1, 3)
    tris = (np.array([[0, 1, 2], [0, 2, 3]]) + 4 * np.arange(5)[:, None, None]).reshape(-1, 3)
    return verts, tris, np.repeat([SurfaceKind.ROOF] + [SurfaceKind.WALL] * 4, 4).astype(np.uint8)


def town(*rules: RuleConfig) -> LoadedScene:
    """Three 20 m buildings seen from above, with these rules."""
    parts = [box(x, y) for (x, y), _ in BUILDINGS.values()]
    offsets = np.cumsum([0] + [p[0].shape[0] for p in parts[:-1]])
    ids = list(BUILDINGS)
    model = CityModel(np.concatenate([p[0] for p in parts]),
                      np.concatenate([p[1] + o for p, o in zip(parts, offsets, strict=True)]).astype(np.uint32),
                      np.concatenate([np.full(p[0].shape[0], k, np.int32) for k, p in enumerate(parts)]),
                      np.concatenate([p[2] for p in parts]),
                      ObjectTable(ids, ["Building"] * 3, np.full(3, -1, np.int32), [{} for _ in ids]))
    derive_object_columns(model)  # boxes, as a loaded scene has them (badges stand on them)
    config = SceneConfig(path=None, name="town", crs=None, origin=None, origin_lonlat=None, sources=(),
                         cameras={"top": CameraBookmark((0.0, -40.0, 160.0), (0.0, 10.0, 0.0), 50.0)}, rules=rules)
    return LoadedScene(config, LocalFrame(None, (0.0, 0.0)), model)


class Meters:
    """A Source: the three buildings' power once, then a clock tick (an empty vehicle update) every second."""

    name, crs, kinds, period = "meters", "", ("vehicle", "building"), 1.0

    def __init__(self, steps: int = 12) -> None:
        self.k, self.steps = 0, steps

    def start(self) -> TwinUpdate:
        names = list(BUILDINGS)
        return TwinUpdate(0.0, {"building": make_batch("building", ids=names,
                                                       power=[BUILDINGS[n][1] for n in names])}, snapshot=True)

    def step(self) -> TwinUpdate | None:
        self.k += 1
        if self.k > self.steps:
            return None
        return TwinUpdate(float(self.k), {"vehicle": make_batch("vehicle", ids=["far"], x=[5000.0], y=[0.0])})

    def close(self) -> None:
        pass


def pixel_of(lv, xyz) -> tuple[int, int]:
    p = lv.view.camera.get_relative_point(lv.base.render, Point3(*xyz))
    film = Point2()
    assert lv.view.lens.project(p, film)
    return int((film.x + 1) / 2 * SIZE[0]), int((1 - film.y) / 2 * SIZE[1])


def roof(image: np.ndarray, lv, name: str) -> np.ndarray:
    (x, y), _ = BUILDINGS[name]
    px, py = pixel_of(lv, (x + 4.0, y + 4.0, 20.0))  # off the centre, where the badge stands
    return image[py, px].astype(float)


def lit(rgb: tuple[float, float, float]) -> np.ndarray:
    return np.clip(np.asarray(rgb) * Lighting().brightness(np.array([[0.0, 0.0, 1.0]]))[0], 0, 1) * 255


def rule(name: str, when: str, **options) -> RuleConfig:
    return RuleConfig(name, "building", parse_condition(when, "building"), **options)


def test_a_rule_turns_the_matching_building_red(offscreen_gl):
    """`power between 40 and 60` in red: the warm roof is red, the cold and hot roofs are not."""
    with live_view(town(rule("mid", "power between 40 and 60", colour=RED)), Meters(), SIZE, "top") as lv:
        image = lv.render(0.0)
        assert np.abs(roof(image, lv, "warm") - lit(RED)).max() < 12
        for other in ("cold", "hot"):
            assert np.abs(roof(image, lv, other) - lit(RED)).max() > 60, other


def test_a_duration_rule_waits_its_seconds_of_feed_time(offscreen_gl):
    """`power > 150 for 3`: not red at t 1, red at t 5; the alert is raised at t 3 in the log."""
    scene = town(rule("long", "power > 150", hold=3.0, colour=RED, severity="critical"))
    with live_view(scene, Meters(), SIZE, "top") as lv:
        assert np.abs(roof(lv.render(1.0), lv, "hot") - lit(RED)).max() > 60
        assert np.abs(roof(lv.render(5.0), lv, "hot") - lit(RED)).max() < 12
        events = [(e.time, e.event, e.id) for e in lv.live.rules.engine.log.events]
        assert events == [(3.0, "raised", "hot")]


def test_badge_and_panel_are_drawn(offscreen_gl):
    """A badge card in the rule's colour stands over the matching building; the panel counts and lists it."""
    scene = town(rule("hot", "power > 150", colour=(0.0, 1.0, 0.0), badge="!", severity="critical"))
    with live_view(scene, Meters(), SIZE, "top") as lv:
        image = lv.render(0.0)
        rules = lv.live.rules
        assert rules.badges is not None and rules.badges.shown == 1
        (x, y), _ = BUILDINGS["hot"]
        px, py = pixel_of(lv, (x + 10.0, y + 10.0, 20.0 + rules.badges.size * 0.8))
        patch = image[max(py - 12, 0):py + 12, max(px - 12, 0):px + 12].astype(int)
        green = (patch[..., 1] > 200) & (patch[..., 0] < 60) & (patch[..., 2] < 60)
        assert green.sum() > 10, "no badge card in the rule's colour over the building"
        assert rules.header() == "1 alert: 1 critical"
        assert [(a.rule, a.id) for a in rules.listed] == [("hot", "hot")]
        assert rules.panel is not None and rules.panel.rect() is not None


def test_next_alert_flies_to_it_and_opens_its_panel(offscreen_gl):
    """F8's action: the window's fly_to gets the building's top centre, and its picking panel opens."""
    scene = town(rule("hot", "power > 150"))
    with live_view(scene, Meters(), SIZE, "top") as lv:
        lv.render(0.0)
        flown = []
        lv.live.rules.on_fly = lambda point, size: flown.append((tuple(point), size))
        alert = lv.live.rules.next_alert()
        assert alert is not None and alert.id == "hot"
        assert flown[0][0] == (50.0, 40.0, 20.0)
        assert lv.live.selected == ("object", 2)
        assert any(line.startswith("F8  fly to the next alert") for line in lv.live.help_lines())


def test_api_rule_function_colours_through_options(offscreen_gl):
    """A Python function rule (LiveOptions.rules, as api Scene.add_rule passes them) colours like a scene rule."""
    def cold(fields):
        return fields["power"] < 10

    options = LiveOptions(rules=(Rule.make("cold", "building", cold, colour=RED),))
    with live_view(town(), Meters(), SIZE, "top", options) as lv:
        image = lv.render(0.0)
        assert np.abs(roof(image, lv, "cold") - lit(RED)).max() < 12
        assert np.abs(roof(image, lv, "warm") - lit(RED)).max() > 60
    with live_view(town(), Meters(), SIZE, "top") as lv:
        assert lv.live.rules.badges is None and lv.live.rules.panel is None  # no rules: nothing drawn
        assert not any(line.startswith("F8 ") for line in lv.live.help_lines())


def test_a_click_on_a_listed_alert_flies_to_it(offscreen_gl):
    """The panel's first row, clicked (LiveLayers asks LiveRules first), flies to its building; a click on
    the panel's header is taken too (nothing behind it is picked); one off the panel is not."""
    with live_view(town(rule("hot", "power > 150")), Meters(), SIZE, "top") as lv:
        lv.render(0.0)
        rules = lv.live.rules
        flown = []
        rules.on_fly = lambda point, size: flown.append(tuple(point))
        assert rules.panel is not None
        origin = lv.live.hud.anchors["tl"].get_pos(lv.live.hud.root)
        x0, y0, x1, y1 = rules.panel.rows[0]
        assert rules.click(origin.x + (x0 + x1) / 2, origin.z + (y0 + y1) / 2)
        assert flown == [(50.0, 40.0, 20.0)]
        px0, py0, px1, py1 = rules.panel.rect()
        assert rules.click((px0 + px1) / 2, py1 - 0.01) and len(flown) == 1
        assert not rules.click(0.0, 0.0)


def test_a_video_carries_the_rule_colour_and_the_panel(offscreen_gl, tmp_path):
    """api: a rule added to a scene paints its buildings in every frame of a flythrough video (magenta,
    against the same video without it), and the alerts panel shows at the top left."""
    import imageio_ffmpeg

    from viewer import api

    def frames(path):
        reader = imageio_ffmpeg.read_frames(str(path))
        w, h = next(reader)["size"]
        return [np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in reader]

    def magenta(image):
        rgb = image.astype(int)
        return int(np.count_nonzero((rgb[..., 0] > 170) & (rgb[..., 2] > 170) & (rgb[..., 1] < 100)))

    scene = api.demo_scene(buildings=200)
    feed = api.record_demo_feed(scene, tmp_path / "demo.feed.jsonl.gz", seconds=4, vehicles=10)
    plain = frames(scene.render_video(["centre", "centre"], tmp_path / "plain.mp4", size=(320, 180), fps=4,
                                      feed=feed, seconds_per_leg=1.0).path)
    scene.add_rule("everything", "building", lambda f: np.isfinite(f["power"]), colour="#ff00ff", badge="!")
    ruled = frames(scene.render_video(["centre", "centre"], tmp_path / "ruled.mp4", size=(320, 180), fps=4,
                                      feed=feed, seconds_per_leg=1.0).path)
    assert len(ruled) == len(plain) >= 4
    for before, after in zip(plain, ruled, strict=True):
        assert magenta(after) > 200 and magenta(before) < 20
    corner = (slice(20, 60), slice(0, 120))  # under the caption: the panel's count line
    assert np.abs(ruled[-1][corner].astype(int) - plain[-1][corner].astype(int)).mean() > 5
