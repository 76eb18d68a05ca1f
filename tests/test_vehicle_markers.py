"""Vehicles far away as markers (render/vehicles.py rule 7), in real offscreen frames: a car 2 km away is a
dot of at least MARKER area in its legend colour, and between the shapes and the markers the marker fades in
(both are drawn over the MARKER_FADE band)."""

from __future__ import annotations

import numpy as np
import pytest
from panda3d.core import Point2, Point3

from viewer.app.live_headless import live_view
from viewer.city.model import CityModel, ObjectTable, SurfaceKind
from viewer.city.scene import LoadedScene
from viewer.config import CameraBookmark, SceneConfig
from viewer.geo.frame import LocalFrame
from viewer.render.camera import CameraPose
from viewer.twin.batch import TwinUpdate, make_batch

pytestmark = pytest.mark.render
SIZE = (1280, 720)
CAR = np.array([0.0, 0.0, 0.0])
TOLERANCE = 4  # 0..255 per channel: a fully covered pixel resolves to the colour itself


def ground() -> LoadedScene:
    """A 6 km square of ground around the car, nothing else."""
    half = 3000.0
    vertices = np.array([[-half, -half, 0], [half, -half, 0], [half, half, 0], [-half, half, 0]], np.float32)
    model = CityModel(vertices, np.array([[0, 1, 2], [0, 2, 3]], np.uint32), np.zeros(4, np.int32),
                      np.full(4, SurfaceKind.GROUND, np.uint8),
                      ObjectTable(["ground"], ["Ground"], np.array([-1], np.int32), [{}]))
    config = SceneConfig(path=None, name="ground", crs=None, origin=None, origin_lonlat=None, sources=(),
                         cameras={"top": CameraBookmark((0.0, -100.0, 100.0), (0.0, 0.0, 0.0), 50.0)}, look="plain")
    return LoadedScene(config, LocalFrame(None, (0.0, 0.0)), model)


class OneCar:
    """A Source: one parked car at CAR."""

    name, crs, kinds, period = "one-car", "", ("vehicle",), 1.0

    def start(self) -> TwinUpdate:
        return TwinUpdate(0.0, {"vehicle": make_batch("vehicle", ids=["car-1"], x=[CAR[0]], y=[CAR[1]], z=[CAR[2]],
                                                      heading=[90.0], speed=[0.0], vtype=["car"])}, snapshot=True)

    def step(self) -> TwinUpdate | None:
        return None

    def close(self) -> None:
        pass


@pytest.fixture
def car_view(offscreen_gl):
    with live_view(ground(), OneCar(), SIZE, camera="top") as lv:
        lv.render(1.0)
        yield lv


def look_from(lv, distance: float) -> tuple[float, float]:
    """Put the eye `distance` metres from the car, 20 degrees above it; the car's pixel (column, row)."""
    direction = np.array([0.0, -np.cos(np.radians(20.0)), np.sin(np.radians(20.0))])
    lv.view.set_pose(CameraPose(tuple(CAR + direction * distance), tuple(CAR), 50.0, 1.0, 2.0 * distance))
    p = lv.view.camera.get_relative_point(lv.base.render, Point3(*(CAR + (0.0, 0.0, 1.0))))
    film = Point2()
    assert lv.view.lens.project(p, film)
    return (film.x + 1) / 2 * SIZE[0], (1 - film.y) / 2 * SIZE[1]


def legend_pixels(image: np.ndarray, at: tuple[float, float], rgb: np.ndarray, reach: int = 12) -> int:
    """How many pixels within `reach` of `at` show the colour rgb (0..255) within TOLERANCE."""
    x, y = int(at[0]), int(at[1])
    patch = image[y - reach:y + reach + 1, x - reach:x + reach + 1].astype(int)
    return int((np.abs(patch - rgb).max(axis=2) <= TOLERANCE).sum())


def car_colour(lv) -> np.ndarray:
    """The colour the vehicles layer gives the car (its legend colour), 0..255."""
    return np.rint(lv.live.renderer.rows[0, 4:7] * 255.0)


def test_a_car_2_km_away_is_a_dot_in_its_legend_colour(car_view):
    """From 2 km at 1280x720 the car is a marker of at least 9 pixels (4 x 4, less antialiased edges) that
    show its legend colour exactly (unlit), where a 4.5 m box would be about one pixel."""
    at = look_from(car_view, 2000.0)
    image = car_view.render(1.0)
    renderer = car_view.live.renderer
    assert renderer.point_distance() < 2000.0 and renderer.marker_size == 4
    assert all(node.is_hidden() for node in renderer.nodes)  # only markers are drawn
    assert legend_pixels(image, at, car_colour(car_view)) >= 9


def test_the_marker_fades_in_between_the_shape_and_the_dot(car_view):
    """Well inside the point distance no pixel has the marker's exact colour (the car is a lit shape); in
    the middle of the fade band both are drawn and part of the marker shows; past it the whole marker."""
    renderer = car_view.live.renderer
    look_from(car_view, 300.0)
    car_view.render(1.0)
    point = renderer.point_distance()
    colour = car_colour(car_view)
    counts = []
    for fraction in (0.5, 0.86, 1.3):
        at = look_from(car_view, point * fraction)
        counts.append(legend_pixels(car_view.render(1.0), at, colour))
        if fraction == 0.86:
            assert not renderer.points.is_hidden() and not renderer.nodes[0].is_hidden()
    assert counts[0] == 0 < counts[1] < counts[2], counts


# ---------------------------------------------------------------------------- meeting avatars (avatar.py rule 5)


def avatar_image(base, distance: float) -> tuple[np.ndarray, tuple[bool, bool], tuple[float, float]]:
    """Participant 2 standing at the origin, seen from `distance` metres (20 degrees up, fov 60) at 1280x720:
    the image, whether (figure, marker) are shown, and the pixel of the figure's middle."""
    from viewer.app.headless import OffscreenView
    from viewer.render.participants import ParticipantAvatars

    avatars = ParticipantAvatars(base.render)
    view = OffscreenView(base, SIZE, (0.55, 0.7, 0.9, 1.0), multisamples=4)
    try:
        avatars.sync({2: ("Ana", "guest", False)})
        avatars.place(2, (0.0, 0.0, 0.0), 0.0)
        direction = np.array([0.0, -np.cos(np.radians(20.0)), np.sin(np.radians(20.0))])
        eye = direction * distance + (0.0, 0.0, 1.0)
        view.set_pose(CameraPose(tuple(eye), (0.0, 0.0, 1.0), 60.0, 0.5, 4.0 * distance))
        avatars.scale_tags(tuple(eye), 60.0)
        p = view.camera.get_relative_point(base.render, Point3(0.0, 0.0, 1.0))
        film = Point2()
        assert view.lens.project(p, film)
        image = view.capture(2)
        person = avatars.people[2]
        shown = (not person.avatar.is_hidden(), not person.marker.is_hidden())
        return image, shown, ((film.x + 1) / 2 * SIZE[0], (1 - film.y) / 2 * SIZE[1])
    finally:
        view.close()
        avatars.remove()


def test_a_far_avatar_is_a_marker_in_its_colour_with_its_tag_above(offscreen_gl):
    """At 300 m the figure (8 pixels tall) is replaced by a disc of at least 9 pixels across in the person's
    colour exactly, the name tag above it; at 10 m the figure shows and the marker does not."""
    from viewer.render.participants import participant_colour

    colour = np.rint(np.asarray(participant_colour(2)) * 255.0)
    image, shown, at = avatar_image(offscreen_gl, 300.0)
    assert shown == (False, True)
    assert legend_pixels(image, at, colour, reach=20) >= 40  # the inner disc: 0.72 of 13 pixels across
    assert avatar_image(offscreen_gl, 10.0)[1] == (True, False)


def test_far_look_fades_the_marker_in_and_lifts_the_tag():
    """far_look: no marker up close, opaque far away, in between partly; the tag floats above the marker."""
    from viewer.render.avatar import MARKER_Z, TAG_HEIGHT, far_look

    opacities = [far_look(d, 60.0)[0] for d in (10.0, 40.0, 60.0, 80.0, 120.0, 1000.0)]
    assert opacities[0] == opacities[1] == 0.0 and opacities[-2] == opacities[-1] == 1.0
    assert 0.0 < opacities[2] < opacities[3] < 1.0
    assert far_look(10.0)[2] == TAG_HEIGHT
    opacity, diameter, tag_z = far_look(1000.0, 60.0, tag=5.0)
    assert tag_z >= MARKER_Z + diameter / 2 + 5.0


def test_the_vehicles_are_drawn_before_the_city_in_their_own_bin(car_view):
    """render/bins.py rule 3: the vehicles' root is in the VEHICLE bin, sorted before Panda3D's opaque bin (the
    city's), whatever the opaque bin's state sorting would do; the car still shows (existing tests above)."""
    from panda3d.core import CullBinManager

    from viewer.render.bins import VEHICLE_BIN

    root = car_view.base.render.find("**/vehicles")
    assert not root.is_empty() and root.get_bin_name() == VEHICLE_BIN
    bins = CullBinManager.get_global_ptr()
    assert bins.get_bin_sort(bins.find_bin(VEHICLE_BIN)) < bins.get_bin_sort(bins.find_bin("opaque"))
