"""The live layers in real headless frames: energy colours where buildings project, smooth vehicle motion,
legends drawn, and picking of buildings, roads and vehicles at known screen points."""

from __future__ import annotations

import numpy as np
import pytest
from panda3d.core import Point2, Point3

from viewer.app.live import LiveOptions
from viewer.app.live_headless import live_view
from viewer.city.model import CityModel, ObjectTable, SurfaceKind
from viewer.city.scene import LoadedScene
from viewer.config import CameraBookmark, LayerConfig, LayersConfig, SceneConfig
from viewer.geo.frame import LocalFrame
from viewer.layers.ramps import ramp
from viewer.render.lighting import Lighting
from viewer.twin.batch import TwinUpdate, make_batch

pytestmark = pytest.mark.render
SIZE = (480, 360)
SPEED = 10.0  # m/s of the scripted car
BUILDINGS = {"cold": ((-60.0, 30.0), 0.0), "warm": ((-10.0, 30.0), 50.0), "hot": ((40.0, 30.0), 200.0)}
ALERT = (1.0, 0.0, 1.0)


def box(x0: float, y0: float, w: float, h: float, z0: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A roof and four walls: vertices (20, 3), triangles (10, 3), kinds (20,)."""
    faces = np.array([[[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]], [[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]],
                      [[1, 0, 0], [1, 1, 0], [1, 1, 1], [1, 0, 1]], [[1, 1, 0], [0, 1, 0], [0, 1, 1], [1, 1, 1]],
                      [[0, 1, 0], [0, 0, 0], [0, 0, 1], [0, 1, 1]]], np.float32)
    verts = (np.array([x0, y0, z0], np.float32) + faces * np.array([w, w, h], np.float32)).reshape(-1, 3)
    tris = (np.array([[0, 1, 2], [0, 2, 3]]) + 4 * np.arange(5)[:, None, None]).reshape(-1, 3)
    return verts, tris, np.repeat([SurfaceKind.ROOF] + [SurfaceKind.WALL] * 4, 4).astype(np.uint8)


def town() -> LoadedScene:
    """Three 20 m buildings north of an east-west road (r1, 8 m wide from y = 0), seen from above."""
    parts, ids, types = [], [], []
    for name, ((x, y), _) in BUILDINGS.items():
        parts.append(box(x, y, 20.0, 20.0))
        ids.append(name)
        types.append("Building")
    road = np.array([[-100, 0, 0.05], [100, 0, 0.05], [100, 8, 0.05], [-100, 8, 0.05]], np.float32)
    parts.append((road, np.array([[0, 1, 2], [0, 2, 3]]), np.full(4, SurfaceKind.ROAD, np.uint8)))
    ids.append("r1")
    types.append("Road")
    offsets = np.cumsum([0] + [p[0].shape[0] for p in parts[:-1]])
    model = CityModel(np.concatenate([p[0] for p in parts]),
                      np.concatenate([p[1] + o for p, o in zip(parts, offsets, strict=True)]).astype(np.uint32),
                      np.concatenate([np.full(p[0].shape[0], k, np.int32) for k, p in enumerate(parts)]),
                      np.concatenate([p[2] for p in parts]),
                      ObjectTable(ids, types, np.full(len(ids), -1, np.int32), [{} for _ in ids]))
    layers = LayersConfig(buildings=LayerConfig(range=(0.0, 100.0), alert=150.0, alert_colour=ALERT),
                          vehicles=LayerConfig(scale=2.0))
    config = SceneConfig(path=None, name="town", crs=None, origin=None, origin_lonlat=None, sources=(),
                         cameras={"top": CameraBookmark((0.0, -40.0, 160.0), (0.0, 10.0, 0.0), 50.0)}, layers=layers)
    return LoadedScene(config, LocalFrame(None, (0.0, 0.0)), model)


class Scripted:
    """A Source: the buildings' readings, r1's speeds and one car driving east along r1 at SPEED, 1 Hz."""

    name, crs, kinds, period = "scripted", "", ("vehicle", "road", "building"), 1.0

    def __init__(self, steps: int = 12) -> None:
        self.k, self.steps = 0, steps

    def car(self) -> object:
        return make_batch("vehicle", ids=["car-1"], x=[-60.0 + SPEED * self.k], y=[4.0], z=[0.05], heading=[90.0],
                          speed=[SPEED], vtype=["car"])

    def start(self) -> TwinUpdate:
        names = list(BUILDINGS)
        return TwinUpdate(0.0, {"vehicle": self.car(),
                                "building": make_batch("building", ids=names, power=[BUILDINGS[n][1] for n in names]),
                                "road": make_batch("road", ids=["r1"], speed=[18.0], free_flow_speed=[20.0])},
                          snapshot=True)

    def step(self) -> TwinUpdate | None:
        self.k += 1
        return None if self.k > self.steps else TwinUpdate(float(self.k), {"vehicle": self.car()})

    def close(self) -> None:
        pass


def to_pixel(lv, xyz) -> tuple[float, float]:
    """Where world point xyz lands in the view, pixels from the top-left."""
    p = lv.view.camera.get_relative_point(lv.base.render, Point3(*xyz))
    film = Point2()
    assert lv.view.lens.project(p, film)
    return (film.x + 1) / 2 * SIZE[0], (1 - film.y) / 2 * SIZE[1]


def lit_roof(rgb: tuple[float, float, float]) -> np.ndarray:
    """The colour a roof of this base colour shows under the default lighting, 0..255."""
    return np.clip(np.asarray(rgb) * Lighting().brightness(np.array([[0.0, 0.0, 1.0]]))[0], 0, 1) * 255


def roof_pixel(image: np.ndarray, lv, name: str) -> np.ndarray:
    (x, y), _ = BUILDINGS[name]
    px, py = to_pixel(lv, (x + 10.0, y + 10.0, 20.0))
    return image[int(py), int(px)].astype(float)


@pytest.fixture
def town_view(offscreen_gl):
    with live_view(town(), Scripted(), SIZE, camera="top") as lv:
        yield lv


def test_energy_colours_show_where_buildings_project(town_view):
    """At the roof centres: the hot building (above the alert) in the alert colour, the cold one in the
    ramp's low colour, the middle one in its middle colour, each lit like a roof."""
    image = town_view.render(0.0)
    lut = ramp("viridis").lut() / 255.0
    expected = {"hot": ALERT, "cold": tuple(lut[0, :3]), "warm": tuple(lut[128, :3])}
    for name, rgb in expected.items():
        assert np.abs(roof_pixel(image, town_view, name) - lit_roof(rgb)).max() < 10, name


def test_hiding_the_buildings_layer_restores_style_colours(town_view):
    """With the buildings layer toggled off the hot roof no longer shows the alert colour."""
    town_view.render(0.0)
    town_view.live.toggle("buildings")
    image = town_view.render()
    assert np.abs(roof_pixel(image, town_view, "hot") - lit_roof(ALERT)).max() > 60


def car_centre(image: np.ndarray, lv) -> tuple[float, float]:
    """Centroid of the car's blue pixels within the road's rows."""
    _, top = to_pixel(lv, (0.0, 8.0, 0.0))
    _, bottom = to_pixel(lv, (0.0, 0.0, 0.0))
    rows = slice(int(top) - 6, int(bottom) + 6)
    band = image[rows].astype(int)
    mask = (band[..., 2] > 120) & (band[..., 2] - band[..., 0] > 70) & (band[..., 2] - band[..., 1] > 20)
    ys, xs = np.nonzero(mask)
    assert xs.size > 10, "the car is not drawn"
    return float(xs.mean()), float(ys.mean()) + rows.start


def test_vehicle_moves_smoothly_between_frames(offscreen_gl):
    """Rendered every 0.1 s of feed time across three 1 Hz updates, the car advances every frame by about what
    10 m/s allows (never a jump, never backwards), and ends where the data says it is."""
    with live_view(town(), Scripted(), SIZE, camera="top", options=LiveOptions(hud=False)) as lv:
        xs = [car_centre(lv.render(2.0 + 0.1 * k), lv)[0] for k in range(31)]
        px_per_m = to_pixel(lv, (1.0, 4.0, 0.0))[0] - to_pixel(lv, (0.0, 4.0, 0.0))[0]
        steps = np.diff(xs) / px_per_m  # metres per 0.1 s frame: 1 m at 10 m/s
        assert steps.min() > 0.7 and steps.max() < 1.3, steps
        end = to_pixel(lv, (-60.0 + SPEED * 5.0, 4.0, 0.0))[0]
        assert abs(xs[-1] - end) < 0.5 * px_per_m


def test_legends_are_drawn(town_view):
    """The buildings legend's ramp shows in its HUD rectangle: its low and high colours from left to right."""
    image = town_view.render(0.0)
    hud = town_view.live.hud
    rects = hud.legend_rects()
    assert len(rects) == 3  # vehicles, roads, buildings (the scene has all three)
    lut = ramp("viridis").lut()[:, :3].astype(int)
    found = 0
    for x0, y0, x1, y1 in rects:
        left, top = hud.to_pixels(x0, y1, SIZE)
        right, bottom = hud.to_pixels(x1, y0, SIZE)
        area = image[int(top):int(bottom), int(left):int(right)].astype(int)
        low = np.nonzero(np.abs(area - lut[0]).max(axis=2) <= 2)
        high = np.nonzero(np.abs(area - lut[-1]).max(axis=2) <= 2)
        if low[0].size and high[0].size:
            assert low[1].mean() < high[1].mean()
            found += 1
    assert found == 1


def test_picking_returns_the_object_under_the_point(town_view):
    """Picking at a roof centre gives that building, on the road gives the road, on the car gives the car,
    on empty ground nothing; the panel then describes the pick."""
    town_view.render(3.5)
    live = town_view.live
    assert live.pick_at(*to_pixel(town_view, (50.0, 40.0, 20.0))).id == "hot"
    assert live.pick_at(*to_pixel(town_view, (-80.0, 2.0, 0.05))).id == "r1"
    info = live.pick_at(*to_pixel(town_view, (-60.0 + SPEED * 3.5, 4.0, 2.0)))  # on the car's roof
    assert info is not None and (info.kind, info.id) == ("vehicle", "car-1")
    assert live.pick_at(*to_pixel(town_view, (0.0, -30.0, 0.0))) is None
    assert live.describe(live.wall()) is None


def test_a_picked_building_shows_its_readings_chart(town_view):
    """The panel of a picked building lists its power with units and charts its recorded readings."""
    town_view.render(0.0)
    info = town_view.live.pick_at(*to_pixel(town_view, (-50.0, 40.0, 20.0)))
    assert info is not None and info.id == "cold" and "power: 0 kW" in info.lines
    assert info.chart is not None and info.chart[1].tolist() == [0.0]
    assert town_view.live.hud is not None and "panel" in town_view.live.hud.blocks


def test_layers_hidden_from_options(offscreen_gl):
    """Layers hidden from the command line (LiveOptions.visible) draw nothing and have no legend."""
    with live_view(town(), Scripted(), SIZE, camera="top",
                   options=LiveOptions(visible={"vehicles": False, "buildings": False})) as lv:
        lv.render(1.0)
        assert lv.live.frame is not None and lv.live.frame.n == 0
        assert len(lv.live.hud.legend_rects()) == 1


def test_a_far_vehicle_is_one_point_that_shows_and_picks(town_view):
    """Seen from beyond the point distance the car is drawn by the points node alone (the instanced shapes
    are skipped), it still shows where it is, and picking there returns it."""
    from viewer.render.camera import CameraPose
    from viewer.render.vehicles import LOD_PIXELS, POINT_PIXELS

    lv, live = town_view, town_view.live
    car = np.array([-60.0 + SPEED * 3.5, 4.0, 0.05])
    pose = lambda d: CameraPose(tuple(car + np.array([0.0, -0.6, 0.8]) * d), tuple(car), 20.0, 1.0, 3 * d)  # noqa: E731
    lv.view.set_pose(pose(100.0))
    lv.render(3.5)
    far = live.renderer.lod_distance * LOD_PIXELS / POINT_PIXELS * 1.5
    lv.view.set_pose(pose(far))
    with_car = lv.render(3.5)
    assert not live.renderer.points.is_hidden()
    assert all(node.is_hidden() for node in live.renderer.nodes)
    px, py = to_pixel(lv, car + (0.0, 0.0, 1.0))
    live.toggle("vehicles")
    without = lv.render(3.5)
    live.toggle("vehicles")
    lv.render(3.5)
    patch = (slice(int(py) - 2, int(py) + 3), slice(int(px) - 2, int(px) + 3))
    assert np.abs(with_car[patch].astype(int) - without[patch].astype(int)).max() > 40
    info = live.pick_at(px, py)
    assert info is not None and (info.kind, info.id) == ("vehicle", "car-1")
