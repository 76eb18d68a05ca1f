"""Camera paths keep clear of the city: the check (nav/clearance.py, flythrough/clearance.py), routing over
buildings, the recorder, the demo's path and every shipped path, and `flythrough render`/`bookmarks`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from viewer.app.flythrough_demo import demo_path
from viewer.city.demo import demo_scene
from viewer.city.extrude import extrude_polygons
from viewer.city.model import CityModel, ObjectTable
from viewer.city.scene import load_scene_models
from viewer.cli import main
from viewer.flythrough.clearance import check_path, dense_times, route_over
from viewer.flythrough.path import CameraPath, Keyframe
from viewer.flythrough.pathfile import load_paths
from viewer.flythrough.recorder import PathRecorder
from viewer.nav.clearance import GROUND, NONE, CityClearance

PROJECT = Path(__file__).resolve().parents[1]


def boxes_city(boxes: list[tuple[float, float, float, float, float]]) -> CityModel:
    """A city of box buildings (x0, y0, x1, y1, height) "b0", "b1", ... on the ground at z = 0."""
    rings = np.array([[(x0, y0, 0), (x1, y0, 0), (x1, y1, 0), (x0, y1, 0)] for x0, y0, x1, y1, _ in boxes],
                     np.float64).reshape(-1, 3)
    mesh = extrude_polygons(rings, np.full(len(boxes), 4), np.ones(len(boxes), np.int64), np.zeros(len(boxes)),
                            np.array([b[4] for b in boxes], np.float64))
    ids = [f"b{i}" for i in range(len(boxes))]
    return CityModel(mesh.positions.astype(np.float32), mesh.triangles.astype(np.uint32),
                     mesh.vertex_item.astype(np.int32), mesh.vertex_kind,
                     ObjectTable(ids, ["Building"] * len(ids), np.full(len(ids), -1, np.int32), [{}] * len(ids)))


@pytest.fixture(scope="module")
def block() -> CityClearance:
    """One 60 x 60 x 10 m hall from (0, 0) and a 20 m tower at (100, 0)-(110, 10)."""
    return CityClearance.from_model(boxes_city([(0, 0, 60, 60, 10), (100, 0, 110, 10, 20)]))


@pytest.fixture(scope="module")
def demo():
    scene = load_scene_models(demo_scene())
    return scene, CityClearance.from_model(scene.model)


def line(a, b, seconds: float, constant_speed: bool = False) -> CameraPath:
    """A straight path from a to b, looking ahead."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return CameraPath("line", (Keyframe.look(0.0, a, 2 * b - a, 50.0), Keyframe.look(seconds, b, 3 * b - 2 * a, 50.0)),
                      constant_speed=constant_speed)


def test_points_near_walls_inside_and_over_roofs(block):
    """A point 1 m from a wall intrudes at 1 m; deep inside the hall (25 m from every wall, 5 m under its roof)
    is inside; 1.7 m over a roof or the street is clear; 3 m off a wall is clear; under the ground is GROUND."""
    points = [(-1.0, 30.0, 5.0), (30.0, 30.0, 5.0), (30.0, 30.0, 11.7), (-30.0, 30.0, 1.7), (-3.0, 30.0, 5.0),
              (-30.0, 30.0, -0.5), (30.0, 30.0, 9.0)]
    distance, objects = block.intrusions(points, 2.0)
    assert distance[0] == pytest.approx(1.0) and block.name(int(objects[0])) == "b0"
    assert distance[1] == 0.0 and block.name(int(objects[1])) == "b0"
    assert np.isinf(distance[2:5]).all() and (objects[2:5] == NONE).all()
    assert distance[5] == 0.0 and objects[5] == GROUND and block.name(GROUND) == "ground"
    assert distance[6] == 0.0  # 1 m under the roof: inside, not "1 m from the roof"


def test_a_fast_path_through_a_thin_wall_is_caught(block):
    """A path crossing the tower at 10 km/s is still sampled every half metre along the curve: the hit names the
    tower, with the times it is inside."""
    path = line((105.0, -5000.0, 8.0), (105.0, 5000.0, 8.0), 1.0, constant_speed=True)
    assert np.diff(path.sample(dense_times(path, 0.5)).positions, axis=0)[:, 1].max() < 0.55
    hits = check_path(path, block, clearance=2.0)
    assert len(hits) == 1 and hits[0].objects == ("b1",) and hits[0].closest == 0.0
    assert 0.4995 < hits[0].start < hits[0].end < 0.5015
    assert "inside b1" in hits[0].describe()
    assert check_path(line((130.0, -500.0, 8.0), (130.0, 500.0, 8.0), 5.0), block) == []


def test_route_over_lifts_the_path_over_a_building_and_keeps_its_keyframes(block):
    """A low path straight through the hall gets keyframes above it; the routed path is clear; its own
    keyframes are unchanged."""
    path = line((-80.0, 30.0, 5.0), (140.0, 30.0, 5.0), 10.0)
    assert check_path(path, block)
    routed, left = route_over(path, block, 2.0)
    assert left == [] and check_path(routed, block) == []
    assert len(routed.keyframes) > 2
    assert routed.keyframes[0] == path.keyframes[0] and routed.keyframes[-1] == path.keyframes[-1]
    assert max(k.position[2] for k in routed.keyframes) >= 12.0


def test_a_keyframe_inside_a_building_cannot_be_routed(block):
    """A bookmark inside the hall stays a hit: route_over adds nothing there and says so."""
    path = line((-80.0, 30.0, 30.0), (30.0, 30.0, 5.0), 10.0)
    routed, left = route_over(path, block, 2.0)
    assert left and left[-1].objects == ("b0",) and left[-1].end == pytest.approx(10.0)


def test_the_demo_path_and_every_shipped_path_keep_clear_of_the_demo_city(demo):
    """`citiverse demo`'s video path (with and without routing) and each path in scenes/*.flythrough.toml
    stay 2 m from every building and over the ground."""
    scene, city = demo
    assert check_path(demo_path(scene.config), city) == []
    assert check_path(demo_path(scene.config, obstacles=city), city) == []
    files = sorted((PROJECT / "scenes").glob("*.flythrough.toml"))
    assert files
    for file in files:
        for name, path in load_paths(file).items():
            assert check_path(path, city) == [], f"{file.name}: {name}"


@pytest.mark.parametrize(("seed", "buildings"), [(7, 3000), (3, 200)])
def test_the_demo_path_keeps_clear_for_other_seeds_and_sizes(seed, buildings):
    """Another seed or size lays its streets elsewhere: the street bookmark and the path follow them."""
    scene = load_scene_models(demo_scene(seed=seed, buildings=buildings))
    city = CityClearance.from_model(scene.model)
    assert check_path(demo_path(scene.config, obstacles=city), city) == []


def walk_into_the_alley(recorder: PathRecorder) -> None:
    """Walk at 1.5 m/s east 8 m south of two halls, then on a quarter circle of 8 m into the 5 m alley between
    them and up its middle (2.5 m from each wall)."""
    arc = np.radians(np.linspace(-90.0, 0.0, 84))
    east, north = np.arange(20.0, 54.5, 0.15), np.arange(0.15, 40.0, 0.15)
    points = np.concatenate([np.column_stack([east, np.full_like(east, -8.0)]),
                             np.column_stack([54.5 + 8.0 * np.cos(arc), 8.0 * np.sin(arc)]),
                             np.column_stack([np.full_like(north, 62.5), north])])
    recorder.start(0.0)
    for k, (x, y) in enumerate(points):
        recorder.sample(0.1 * k, (float(x), float(y), 1.7), (1.0, 0.0, 0.0, 0.0), 60.0)


def test_the_recorders_thinned_path_does_not_cut_the_corner():
    """With a loose position tolerance the thinned walk cuts the corner of the alley; given the city, the
    recorder keeps the poses that hold the path as clear of the walls as the walk was."""
    city = CityClearance.from_model(boxes_city([(0, 0, 60, 60, 10), (65, 0, 120, 60, 10)]))
    loose = PathRecorder("walk", position_tolerance=2.0)
    walk_into_the_alley(loose)
    cut = loose.stop()
    assert cut is not None and check_path(cut, city)  # the control: thinning alone cuts the corner
    careful = PathRecorder("walk", position_tolerance=2.0, obstacles=city, clearance=2.0)
    walk_into_the_alley(careful)
    path = careful.stop()
    assert path is not None and check_path(path, city) == []
    assert len(path.keyframes) < 40  # still thinned (the walk has 580 poses)


SCENE = """[scene]
name = "two blocks"
crs = "EPSG:7415"
origin = [92540.0, 437500.0]

[[sources]]
format = "procedural"
seed = 42
size = 3000

[cameras.south]
position = [-10.0, -420.0, 8.0]
look_at = [-10.0, 0.0, 8.0]
fov = 50

[cameras.east]
position = [300.0, -170.0, 8.0]
look_at = [0.0, -170.0, 8.0]
fov = 50
"""


def scene_file(tmp_path: Path) -> Path:
    path = tmp_path / "low.toml"
    path.write_text(SCENE)
    return path


def test_bookmarks_routes_the_path_over_buildings(tmp_path, capsys):
    """`flythrough bookmarks` between two street views whose straight leg crosses a block writes a path with
    keyframes added over it, clear of the city, and says how many it added."""
    scene = scene_file(tmp_path)
    assert main(["-q", "flythrough", "bookmarks", str(scene), "--name", "cut", "--seconds", "8"]) == 0
    out = capsys.readouterr().out
    assert "keyframes added" in out
    path = load_paths(scene.with_name("low.flythrough.toml"))["cut"]
    assert len(path.keyframes) > 2 and path.keyframes[0].position == (-10.0, -420.0, 8.0)
    city = CityClearance.from_model(load_scene_models(demo_scene()).model)
    assert check_path(path, city) == []


def test_render_warns_of_each_hit_and_strict_refuses(tmp_path, capsys):
    """`flythrough render` of a path through buildings says, one line per hit, when and what it hits; with
    --strict-clearance it stops there with exit 2 (an error) and writes nothing."""
    scene = scene_file(tmp_path)
    (tmp_path / "low.flythrough.toml").write_text(
        'version = 1\n[paths.cut]\nkeyframes = [\n'
        '  { t = 0.0, position = [-10.0, -420.0, 8.0], look_at = [0.0, 0.0, 8.0] },\n'
        '  { t = 8.0, position = [300.0, -170.0, 8.0], look_at = [0.0, -170.0, 8.0] },\n]\n')
    out = tmp_path / "cut.mp4"
    code = main(["-q", "flythrough", "render", str(scene), "--path", "cut", "--out", str(out),
                 "--strict-clearance"])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    lines = [line for line in err.splitlines() if "bldg-" in line]
    assert lines and all("path cut" in line and " s: " in line for line in lines)
    assert "Traceback" not in err
