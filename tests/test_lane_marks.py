"""Lane markings (city/lanes.py, city/sumo.py rule 3, city/osm.py rule 5, render/lane_marks.py): where they
are painted, and white pixels on real offscreen frames of a generated SUMO street and of the Berlin A10 net."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from panda3d.core import Point2, Point3

from viewer.city import sumo
from viewer.city.lanes import DASH_M, EDGE_INSET_M, GAP_M, MarkLines, marking_mesh
from viewer.city.localize import localize
from viewer.city.model import SurfaceKind
from viewer.config import Limits, SourceConfig, Style
from viewer.geo.frame import LocalFrame
from viewer.render.camera import CameraPose

SIZE = (640, 480)
# A 200 m street: a two-lane edge east (3.2 m lanes, a sidewalk lane on its right), one lane back west.
NET = """<?xml version="1.0" encoding="UTF-8"?>
<net version="1.20">
    <location netOffset="0.00,0.00" convBoundary="0,0,200,20" origBoundary="0,0,1,1" projParameter="!"/>
    <edge id="east" from="a" to="b" priority="5">
        <lane id="east_0" index="0" allow="pedestrian" speed="2" length="200" width="2.0" shape="0,-7.4 200,-7.4"/>
        <lane id="east_1" index="1" speed="13.9" length="200" shape="0,-4.8 200,-4.8"/>
        <lane id="east_2" index="2" speed="13.9" length="200" shape="0,-1.6 200,-1.6"/>
    </edge>
    <edge id="west" from="b" to="a" priority="5">
        <lane id="west_0" index="0" speed="13.9" length="200" shape="200,1.6 0,1.6"/>
    </edge>
</net>
"""
WHITE = 200  # every channel above this: marking paint (the road is dark grey, the ground mid grey)


def street(tmp_path: Path):
    """The generated street as a CityModel in local metres (the net has no projection)."""
    path = tmp_path / "street.net.xml"
    path.write_text(NET)
    return localize([sumo.load(path, SourceConfig(), Limits())], LocalFrame(None, (0.0, 0.0)))


def marking_y(model) -> list[float]:
    """The distinct y (rounded to cm) of the markings' centre lines, south to north."""
    marks = model.vertices[model.vertex_kind == SurfaceKind.MARKING]
    quads = marks.reshape(-1, 4, 3)
    return sorted({round(float(q[:, 1].mean()), 2) for q in quads})


def test_sumo_lanes_get_edge_lines_lane_dashes_and_one_centre_line(tmp_path):
    """The street's markings: a solid line inside the right edge of the rightmost car lane (the sidewalk
    lane gets none), a dashed line between the two eastbound lanes, one dashed centre line (painted once for
    the two opposite edges) and a solid line inside the westbound lane's outer edge."""
    model = street(tmp_path)
    inset = EDGE_INSET_M
    assert marking_y(model) == pytest.approx([-6.4 + inset, -3.2, 0.0, 3.2 - inset], abs=0.01)
    east = model.objects.ids.index("east")
    owners = set(model.vertex_object[model.vertex_kind == SurfaceKind.MARKING].tolist())
    assert owners == {east, model.objects.ids.index("west")}
    centre = model.vertices[(model.vertex_kind == SurfaceKind.MARKING) & (np.abs(model.vertices[:, 1]) < 0.1)]
    assert centre[:, 0].min() > 0.0 and np.ptp(centre[:, 0]) < 200.0  # dashes, not one strip


def test_dashes_are_centred_strokes_of_dash_length():
    """A 100 m line gets floor((100 - 3) / 9) + 1 = 11 strokes of DASH_M, the pattern centred on the line."""
    points = np.array([[0.0, 0.0, 0.0], [60.0, 0.0, 0.0], [100.0, 0.0, 0.0]])
    mesh = marking_mesh(MarkLines(points, np.array([3]), np.array([0.0]), np.array([True]), np.array([7])))
    quads = mesh.positions.reshape(-1, 4, 3)
    assert quads.shape[0] == 11 and set(mesh.vertex_item.tolist()) == {7}
    starts, ends = quads[:, :, 0].min(axis=1), quads[:, :, 0].max(axis=1)
    assert ends - starts == pytest.approx(np.full(11, DASH_M))
    assert starts[0] == pytest.approx(100.0 - ends[-1]) and np.diff(starts) == pytest.approx(np.full(10, DASH_M + GAP_M))


def test_osm_ways_with_a_lanes_tag_get_markings(tmp_path):
    """An OSM primary with lanes=3 (9.75 m) gets two solid edge lines and two dashed lane lines; a way
    without a lanes tag gets none."""
    from tests.test_osm import ORIGIN, SCALE, load, osm_file

    model = load(osm_file(tmp_path / "w.osm", [([(0, 0), (100, 0)], {"highway": "primary", "lanes": "3"}),
                                               ([(0, 50), (100, 50)], {"highway": "primary"})]))
    marks = model.vertex_kind == SurfaceKind.MARKING
    assert set(model.vertex_object[marks].tolist()) == {model.objects.index_of("way/1")}
    y = (model.positions[marks, 1] - ORIGIN[1]) * np.asarray(SCALE).reshape(-1)[-1]
    lines = sorted({round(float(v), 1) for v in y.reshape(-1, 4).mean(axis=1)})
    half = 3 * 3.25 / 2
    assert lines == pytest.approx([-half + EDGE_INSET_M, -half + 3.25, -half + 6.5, half - EDGE_INSET_M], abs=0.06)


# ---------------------------------------------------------------------------- real frames


def render(base, model, pose: CameraPose, points=(), multisamples: int = 0):
    """The image of `model` from `pose` (plain look), and the pixel (column, row) of each of `points`."""
    from viewer.app.headless import OffscreenView
    from viewer.render.stage import background_rgba, build_stage

    stage = build_stage(base.render, model, Style())
    view = OffscreenView(base, SIZE, background_rgba(Style()), multisamples)
    try:
        view.set_pose(pose)
        pixels = []
        for xyz in points:
            film = Point2()
            assert view.lens.project(view.camera.get_relative_point(base.render, Point3(*xyz)), film)
            pixels.append((int((film.x + 1) / 2 * SIZE[0]), int((1 - film.y) / 2 * SIZE[1])))
        return view.capture(2), pixels
    finally:
        view.close()
        stage.remove()


def white(image: np.ndarray) -> np.ndarray:
    return (image.astype(int) > WHITE).all(axis=2)


@pytest.mark.render
def test_markings_are_white_on_the_street_and_not_beside_it(offscreen_gl, tmp_path):
    """Seen from 40 m above the street's middle, the dashed line between the eastbound lanes and the solid
    edge line show white pixels where they lie, the lanes' middles and the sidewalk do not."""
    model = street(tmp_path)
    rows = [(100.0, y, 0.07) for y in (-6.4 + EDGE_INSET_M, -3.2, -4.8, -1.6, -7.4)]
    image, pixels = render(offscreen_gl, model, CameraPose((100.0, -2.0, 40.0), (100.0, -2.0, 0.0), 50.0, 1.0, 500.0),
                           rows)
    mask = white(image)
    (_, edge_row), (_, lane_row), *others = pixels
    assert mask[edge_row - 1:edge_row + 2].any(axis=0).mean() > 0.9  # solid: along almost every column
    share = mask[lane_row - 1:lane_row + 2].any(axis=0).mean()
    assert 0.2 < share < 0.6  # dashed: a third of the length is paint
    for _, row in others:  # lane middles and the sidewalk
        assert not mask[row].any(), row


@pytest.mark.render
def test_markings_do_not_z_fight_with_a_coarse_depth_buffer(offscreen_gl, tmp_path):
    """From 140 m away with the near plane at 0.5 mm (a depth step there is about 2 m, two hundred times the
    markings' lift), the edge line still wins over the road (the depth offset) along the whole view."""
    model = street(tmp_path)
    pose = CameraPose((100.0, -100.0, 100.0), (100.0, -6.4 + EDGE_INSET_M, 0.0), 10.0, 0.0005, 1000.0)
    image, [(_, row)] = render(offscreen_gl, model, pose, [(100.0, -6.4 + EDGE_INSET_M, 0.07)])
    band = (image[row - 2:row + 3].astype(int) > 170).all(axis=2)
    assert band.any(axis=0).mean() > 0.8


@pytest.mark.render
def test_berlin_net_shows_lane_markings(offscreen_gl, shared_data):
    """The real A10 net near Berlin: at a three-lane edge seen from 30 m, markings make white pixels."""
    net = shared_data / "sumo_a10kw_berlin_pypi" / "osm.net.xml"
    source = sumo.load(net, SourceConfig(), Limits())
    lo, hi = source.bbox()
    model = localize([source], LocalFrame(source.crs, ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2)))
    edge = next(k for k, a in enumerate(model.objects.attributes) if a.get("lanes", 0) >= 3)
    centre = model.vertices[model.vertex_object == edge].mean(axis=0)
    pose = CameraPose(tuple(centre + (0.0, -30.0, 20.0)), tuple(centre), 50.0, 1.0, 3000.0)
    image, _ = render(offscreen_gl, model, pose)
    assert white(image).sum() > 200


@pytest.mark.render
def test_markings_are_not_drawn_far_away(offscreen_gl, tmp_path):
    """From 800 m (a 15 cm line is a fifth of a pixel) the street shows no marking paint: only chunks within
    VISIBLE_M of the eye draw (render/lane_marks.py rule 4); from 60 m the same view shows it."""
    model = street(tmp_path)
    far = CameraPose((100.0, -560.0, 560.0), (100.0, -2.0, 0.0), 3.0, 1.0, 3000.0)
    near = CameraPose((100.0, -44.0, 42.0), (100.0, -2.0, 0.0), 40.0, 1.0, 3000.0)
    assert white(render(offscreen_gl, model, near)[0]).sum() > 200
    assert (render(offscreen_gl, model, far)[0].astype(int) > 150).all(axis=2).sum() == 0


def banded_street():
    """A LoadedScene: road r1, one 6.5 m ribbon from x = -100 to 100 along y = 0, with the markings of a
    two-lane road (solid edge lines, a dashed centre line), seen from above."""
    from viewer.city.extrude import ribbons
    from viewer.city.model import CityModel, ObjectTable
    from viewer.city.scene import LoadedScene
    from viewer.config import CameraBookmark, SceneConfig

    line = np.array([[-100.0, 0.0, 0.05], [100.0, 0.0, 0.05]])
    road = ribbons(line, [2], 6.5)
    half = 6.5 / 2 - EDGE_INSET_M
    marks = marking_mesh(MarkLines(np.concatenate([line] * 3), np.array([2, 2, 2]), np.array([-half, half, 0.0]),
                                   np.array([False, False, True]), np.zeros(3, np.int64)), lift=0.05)
    vertices = np.concatenate([road.positions, marks.positions]).astype(np.float32)
    triangles = np.concatenate([road.triangles, marks.triangles + road.positions.shape[0]]).astype(np.uint32)
    kinds = np.concatenate([road.vertex_kind, marks.vertex_kind]).astype(np.uint8)
    model = CityModel(vertices, triangles, np.zeros(vertices.shape[0], np.int32), kinds,
                      ObjectTable(["r1"], ["Road"], np.array([-1], np.int32), [{}]))
    config = SceneConfig(path=None, name="street", crs=None, origin=None, origin_lonlat=None, sources=(),
                         cameras={"top": CameraBookmark((-80.0, -0.01, 30.0), (-80.0, 0.0, 0.0), 40.0)},
                         look="plain")
    return LoadedScene(config, LocalFrame(None, (0.0, 0.0)), model), marks


class Jam:
    """A Source: road r1 at a tenth of its free-flow speed, once."""

    name, crs, kinds, period = "jam", "", ("road",), 1.0

    def start(self):
        from viewer.twin.batch import TwinUpdate, make_batch

        return TwinUpdate(0.0, {"road": make_batch("road", ids=["r1"], speed=[2.0], free_flow_speed=[20.0])},
                          snapshot=True)

    def step(self):
        return None

    def close(self):
        pass


@pytest.mark.render
def test_congestion_band_covers_the_centre_line_and_leaves_the_edge_lines_white(offscreen_gl):
    """With the roads layer on, a centre dash under the congestion band shows the band's colour, while the
    edge lines outside it stay white paint (markings get no band of their own)."""
    from viewer.app.live_headless import live_view

    scene, marks = banded_street()
    quads = marks.positions.reshape(-1, 4, 3)
    centre = quads[np.abs(quads[:, :, 1].mean(axis=1)) < 0.01]
    dash = centre[np.argmin(np.abs(centre[:, :, 0].mean(axis=1) + 80.0))].mean(axis=0)  # the dash nearest x=-80
    with live_view(scene, Jam(), SIZE, camera="top", multisamples=0) as lv:
        image = lv.render(1.0)
        camera = lv.view.camera

        def at(xyz):
            film = Point2()
            assert lv.view.lens.project(camera.get_relative_point(lv.base.render, Point3(*xyz)), film)
            col, row = int((film.x + 1) / 2 * SIZE[0]), int((1 - film.y) / 2 * SIZE[1])
            return image[row - 1:row + 2, col - 1:col + 2].reshape(-1, 3).astype(int)

        band = at(dash)
        assert not (band > WHITE).all(axis=1).any() and (band.max(axis=1) - band.min(axis=1)).min() > 60
        for y in (-3.0, 3.0):
            assert (at((dash[0] + 1.5, y, 0.1)) > WHITE).all(axis=1).any()
        bands = lv.live.bands.node.node().get_geom(0).get_primitive(0)
        assert bands.get_num_primitives() == 2  # the road's quad only: no band on a marking
