"""render/ and app/headless: geometry chunking and vertex columns, camera math, real offscreen frames.

Frames are rendered with real OpenGL (Mesa llvmpipe through EGL) on the process's one offscreen ShowBase;
the `offscreen_gl` fixture skips, not fails, where no offscreen GL can be created.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from panda3d.core import Mat4, NodePath, PerspectiveLens, Point2, Point3

from viewer.city.model import CityModel, ObjectTable, SurfaceKind
from viewer.city.scene import LoadedScene
from viewer.config import CameraBookmark, SceneConfig, Style
from viewer.errors import ConfigError
from viewer.geo.frame import LocalFrame
from viewer.render.camera import (
    CameraPose,
    apply_pose,
    frame_bounds,
    look_at_hpr,
    near_far,
    pose_from_bookmark,
)
from viewer.render.geometry import (
    KIND_DEFAULTS,
    MAX_TILES,
    NO_OBJECT,
    VERTEX_DTYPE,
    build_city_geometry,
    face_normals,
    plan_tiles,
    vertex_colours,
)

# Unit box: roof then the south, east, north and west walls, each a quad with its own 4 corners.
_FACES = np.array([
    [[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]],
    [[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]],
    [[1, 0, 0], [1, 1, 0], [1, 1, 1], [1, 0, 1]],
    [[1, 1, 0], [0, 1, 0], [0, 1, 1], [1, 1, 1]],
    [[0, 1, 0], [0, 0, 0], [0, 0, 1], [0, 1, 1]],
], np.float32)
_FACE_KINDS = np.array([SurfaceKind.ROOF] + [SurfaceKind.WALL] * 4, np.uint8)
RED = (1.0, 0.0, 0.0)


def box_model(mins, sizes, types=None, parents=None) -> CityModel:
    """Boxes (roof + 4 walls, 20 vertices, 10 triangles each) from corners (n, 3) and sizes (n, 3)."""
    mins = np.asarray(mins, np.float32).reshape(-1, 3)
    sizes = np.asarray(sizes, np.float32).reshape(-1, 3)
    n = mins.shape[0]
    vertices = (mins[:, None, None, :] + _FACES[None] * sizes[:, None, None, :]).reshape(-1, 3)
    quad = np.array([[0, 1, 2], [0, 2, 3]], np.uint32)
    triangles = (quad[None] + (np.arange(n * 5, dtype=np.uint32) * 4)[:, None, None]).reshape(-1, 3)
    objects = ObjectTable([f"b{i}" for i in range(n)], list(types or ["Building"] * n),
                          np.asarray(parents if parents is not None else [-1] * n, np.int32), [{}] * n)
    return CityModel(vertices, triangles, np.repeat(np.arange(n, dtype=np.int32), 20),
                     np.tile(np.repeat(_FACE_KINDS, 4), n), objects)


def grid_of_boxes(n: int, spacing: float = 30.0, seed: int = 1) -> CityModel:
    """n boxes 8-20 m wide and 5-60 m tall on a square grid."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    xy = np.stack(np.meshgrid(np.arange(side), np.arange(side)), -1).reshape(-1, 2)[:n] * spacing
    sizes = np.c_[rng.uniform(8, 20, (n, 2)), rng.uniform(5, 60, n)]
    return box_model(np.c_[xy, np.zeros(n)], sizes)


def town() -> CityModel:
    """Eight grey buildings and one 'Marker' building (index 8) with its roof centre at (10, 10, 40)."""
    mins = [[x, y, 0] for x in (-80, -20, 60) for y in (-70, 0, 70) if (x, y) != (-20, 0)] + [[0, 0, 0]]
    sizes = [[20, 20, 15 + 3 * i] for i in range(8)] + [[20, 20, 40]]
    return box_model(mins, sizes, types=["Building"] * 8 + ["Marker"])


def project(pose: CameraPose, size: tuple[int, int], point) -> tuple[int, int]:
    """Pixel (column, row) where a local-metres point appears with this pose in an image of `size`."""
    camera, lens = NodePath("probe"), PerspectiveLens()
    apply_pose(camera, lens, pose, size[0] / size[1])
    in_camera = _inverse(camera).xform_point(Point3(*point))
    film = Point2()
    assert lens.project(in_camera, film), f"{point} is outside the view"
    return int((film.x + 1) / 2 * size[0]), int((1 - film.y) / 2 * size[1])


def _inverse(camera: NodePath) -> Mat4:
    """World -> camera matrix of a root-level camera NodePath."""
    inverse = Mat4()
    inverse.invert_from(camera.get_mat())
    return inverse


def count_geoms(root: NodePath) -> int:
    return sum(found.node().get_num_geoms() for found in root.find_all_matches("**/+GeomNode"))


# ---------------------------------------------------------------------------- geometry (no GL needed)


def test_small_model_is_one_tile_and_wide_model_is_chunked():
    """A few boxes make one Geom; 2,500 boxes over 1.5 km are split into several tiles, one Geom each."""
    small = build_city_geometry(town(), Style())
    assert count_geoms(small.root) == 1
    wide = build_city_geometry(grid_of_boxes(2500, spacing=30.0), Style())
    assert 4 <= count_geoms(wide.root) == len(wide.nodes) <= MAX_TILES


def test_100k_boxes_give_at_most_a_few_hundred_geoms():
    """A whole city (100k boxes, 1M triangles) becomes between 64 and ~300 Geoms, every triangle drawn once."""
    model = grid_of_boxes(100_000)
    city = build_city_geometry(model, Style())
    assert 64 <= count_geoms(city.root) <= 300
    assert np.array_equal(np.sort(city.order), np.arange(model.triangle_count))


def test_tile_plan_stays_bounded_for_thin_and_empty_extents():
    """A 20 km long, 1 m wide model and an empty one both get a small grid, never thousands of tiles."""
    assert plan_tiles([0, 0, 0], [20_000, 1, 0], 2_000_000).count <= MAX_TILES * 1.2
    assert plan_tiles([0, 0, 0], [0, 0, 0], 0).count == 1
    assert plan_tiles([0, 0, 0], [1000, 1000, 0], 10, tile_size=100.0).count == 100


def test_object_column_round_trips_per_tile():
    """Each tile's Geom holds exactly its triangles' corners, positions and object ids, in tile order."""
    model = grid_of_boxes(2500)
    city = build_city_geometry(model, Style())
    tile, node = sorted(city.nodes.items())[len(city.nodes) // 2]
    vdata = node.node().get_geom(0).get_vertex_data()
    rows = np.frombuffer(memoryview(vdata.get_array(0)).cast("B"), dtype=VERTEX_DTYPE)
    corners = model.triangles[city.tile_triangles(tile)].reshape(-1)
    assert np.array_equal(rows["object"], model.vertex_object[corners].astype(np.uint32))
    assert np.array_equal(rows["vertex"], model.vertices[corners])
    centroids = model.vertices[model.triangles[city.tile_triangles(tile)]].mean(axis=1)
    assert np.all(city.grid.tile_of(centroids[:, :2]) == tile)


def test_vertices_without_object_get_no_object_and_kind_colour():
    """A surface with object -1 is drawn in its kind's colour and carries NO_OBJECT in the object column."""
    model = box_model([[0, 0, 0], [30, 0, 0]], [[10, 10, 10]] * 2, types=["Building", "Building"])
    model.vertex_object[20:] = -1
    city = build_city_geometry(model, Style(types={"Building": RED}))
    vdata = next(iter(city.nodes.values())).node().get_geom(0).get_vertex_data()
    rows = np.frombuffer(memoryview(vdata.get_array(0)).cast("B"), dtype=VERTEX_DTYPE)
    loose = rows["object"] == NO_OBJECT
    assert loose.sum() == 30 and (rows["object"][~loose] == 0).all()
    assert not (rows["color"][loose][:, :3] == [255, 0, 0]).all(axis=1).any()
    assert (rows["color"][~loose] == [255, 0, 0, 255]).all()


def test_colours_follow_type_then_parent_then_kind_then_defaults():
    """Type colours win, a part borrows its parent's type colour, then the style's kind colour, then defaults."""
    model = box_model([[0, 0, 0], [0, 0, 10], [50, 0, 0]], [[10, 10, 10]] * 3,
                      types=["Building", "BuildingPart", "Tree"], parents=[-1, 0, -1])
    style = Style(types={"Building": RED}, surfaces={"wall": (0.0, 1.0, 0.0)})
    rgba = vertex_colours(model, style)
    assert (rgba[:40] == [255, 0, 0, 255]).all()
    tree_kind = model.vertex_kind[40:]
    assert (rgba[40:][tree_kind == SurfaceKind.WALL] == [0, 255, 0, 255]).all()
    roof = np.rint(np.array(KIND_DEFAULTS["roof"]) * 255)
    assert (rgba[40:][tree_kind == SurfaceKind.ROOF][:, :3] == roof).all()


def test_normals_are_flat_unit_and_roofs_face_up():
    """A roof wound upside down still gets +z, a wall keeps its winding's normal, a degenerate one gets +z."""
    corners = np.array([[[0, 0, 5], [0, 1, 5], [1, 0, 5]],  # roof, clockwise from above
                        [[0, 0, 0], [1, 0, 0], [1, 0, 1]],  # wall facing -y
                        [[0, 0, 0], [0, 0, 0], [1, 1, 1]]], np.float32)
    kinds = np.array([SurfaceKind.ROOF, SurfaceKind.WALL, SurfaceKind.WALL], np.uint8)
    assert np.allclose(face_normals(corners, kinds), [[0, 0, 1], [0, -1, 0], [0, 0, 1]])


# ---------------------------------------------------------------------------- camera math


@pytest.mark.parametrize("target", [(10, 20, 0), (-30, 5, 40), (0, -1, -2), (3, 0, 50)])
def test_look_at_hpr_matches_panda(target):
    """look_at_hpr gives the heading and pitch Panda3D's own NodePath.look_at produces."""
    node = NodePath("n")
    node.set_pos(1, 2, 3)
    node.look_at(Point3(*target))
    assert np.allclose(look_at_hpr((1, 2, 3), target), node.get_hpr(), atol=1e-3)


def test_framing_puts_every_corner_in_view_tightly():
    """The framed south-west view sees all 8 box corners, and at least one lies near the image edge."""
    bmin, bmax = np.array([-300.0, -100, 0]), np.array([500.0, 250, 120])
    pose = frame_bounds(bmin, bmax, 16 / 9)
    assert pose.position[0] < bmin[0] and pose.position[1] < bmin[1] and pose.position[2] > bmax[2]
    camera, lens = NodePath("c"), PerspectiveLens()
    apply_pose(camera, lens, pose, 16 / 9)
    inverse = _inverse(camera)
    film = []
    for corner in np.array(np.meshgrid(*zip(bmin, bmax, strict=True))).reshape(3, -1).T:
        p = Point2()
        assert lens.project(inverse.xform_point(Point3(*corner)), p)
        film.append((abs(p.x), abs(p.y)))
    assert max(max(f) for f in film) > 0.85


def test_clip_planes_cover_the_model():
    """far reaches the farthest corner and near stays positive and in front of the model."""
    near, far = near_far((0, -1000, 200), (-500, -500, 0), (500, 500, 100))
    assert 0 < near < 500 and far > np.linalg.norm([500, 1500, 200])
    near_inside, _ = near_far((0, 0, 2), (-5000, -5000, 0), (5000, 5000, 100))
    assert near_inside < 1.0


# ---------------------------------------------------------------------------- real frames


SIZE = (320, 240)


@pytest.mark.render
def test_frame_is_not_blank_and_sky_is_background(offscreen_gl):
    """A framed town renders many colours, mostly not background, with the background colour in the sky."""
    from viewer.app.headless import render_model_image

    style = Style()
    image = render_model_image(town(), style, SIZE)
    assert image.shape == (SIZE[1], SIZE[0], 3) and image.dtype == np.uint8
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 20
    sky = np.rint(np.array(style.background) * 255)
    assert np.abs(image[2, 2].astype(int) - sky).max() <= 2
    assert np.mean(np.abs(image.astype(int) - sky).max(axis=2) > 4) > 0.3


@pytest.mark.render
def test_marker_colour_appears_where_its_roof_projects(offscreen_gl):
    """The red 'Marker' building's roof centre, projected with the framing camera, shows red."""
    from viewer.app.headless import render_model_image

    model = town()
    image = render_model_image(model, Style(types={"Marker": RED}), SIZE)
    bmin, bmax = model.bounds()
    col, row = project(frame_bounds(bmin, bmax, SIZE[0] / SIZE[1]), SIZE, (10, 10, 40))
    r, g, b = image[row, col].astype(int)
    assert r > 200 and g < 40 and b < 40


@pytest.mark.render
def test_bookmark_pose_is_applied(offscreen_gl):
    """A bookmark looking at the marker's north wall from the north shows it at the image centre, and the
    ground where the bookmark's camera projects a ground point, in the ground colour."""
    from viewer.app.headless import render_model_image

    model = town()
    style = Style(types={"Marker": RED})
    mark = CameraBookmark(position=(10.0, 160.0, 20.0), look_at=(10.0, 20.0, 20.0), fov=30.0)
    image = render_model_image(model, style, SIZE, bookmark=mark)
    r, g, b = image[SIZE[1] // 2, SIZE[0] // 2].astype(int)
    assert r > 90 and g < 25 and b < 25
    bmin, bmax = model.bounds()
    col, row = project(pose_from_bookmark(mark, bmin, bmax), SIZE, (10.0, 60.0, 0.0))
    assert np.abs(image[row, col].astype(int) - np.rint(np.array(style.ground) * 255)).max() <= 2


@pytest.mark.render
def test_renders_of_several_sizes_reuse_one_base_and_clean_up(offscreen_gl):
    """Several renders of different sizes run in one process and leave nothing attached to render."""
    from viewer.app.headless import render_model_image

    before = [child.get_name() for child in offscreen_gl.render.get_children()]
    shapes = [render_model_image(town(), Style(), size).shape for size in ((64, 48), (200, 100), (48, 64))]
    assert shapes == [(48, 64, 3), (100, 200, 3), (64, 48, 3)]
    assert [child.get_name() for child in offscreen_gl.render.get_children()] == before


def town_scene(model: CityModel, cameras: dict[str, CameraBookmark]) -> LoadedScene:
    config = SceneConfig(path=Path("town.toml"), name="town", crs=None, origin=None, origin_lonlat=None,
                         sources=(), cameras=cameras)
    return LoadedScene(config=config, frame=LocalFrame(None, (0.0, 0.0)), model=model)


@pytest.mark.render
def test_render_scene_png_writes_the_named_camera(offscreen_gl, tmp_path):
    """render_scene_png writes a PNG of the requested size from a named bookmark."""
    from PIL import Image

    from viewer.app.headless import render_scene_png

    scene = town_scene(town(), {"north": CameraBookmark((10.0, 160.0, 20.0), (10.0, 20.0, 20.0), 30.0)})
    out = render_scene_png(scene, tmp_path / "shots" / "north.png", size=(160, 120), camera="north")
    with Image.open(out) as png:
        assert png.size == (160, 120) and png.format == "PNG"


def test_unknown_camera_names_the_known_ones(tmp_path):
    """Asking for a camera the scene lacks raises ConfigError listing the scene's cameras, before rendering."""
    from viewer.app.headless import render_scene_png

    scene = town_scene(town(), {"north": CameraBookmark((0.0, 100.0, 20.0), (0.0, 0.0, 0.0)),
                            "street": CameraBookmark((0.0, -50.0, 2.0), (0.0, 0.0, 2.0))})
    with pytest.raises(ConfigError, match="north, street"):
        render_scene_png(scene, tmp_path / "x.png", camera="roof")
    assert not (tmp_path / "x.png").exists()


@pytest.mark.render
def test_software_fallback_renders_without_shaders():
    """Forced onto p3tinydisplay (no GLSL), a fresh process still renders the town fixed-function."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "import numpy as np, viewer.app.base as b\n"
            "b.OFFSCREEN_MODULES = ('p3tinydisplay',)\n"
            "from test_render import town\n"
            "from viewer.app.headless import render_model_image\n"
            "from viewer.config import Style\n"
            "image = render_model_image(town(), Style(), (160, 120))\n"
            "print(b._STATE['module'], b.supports_shaders(b._STATE['base']),"
            " len(np.unique(image.reshape(-1, 3), axis=0)))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    if result.returncode != 0 and "no offscreen OpenGL" in result.stderr:
        pytest.skip("p3tinydisplay is not available here")
    module, shaders, colours = result.stdout.split()
    assert (module, shaders) == ("p3tinydisplay", "False") and int(colours) >= 5  # sky, ground, roofs, two wall shades


@pytest.mark.render
@pytest.mark.shared_data
def test_real_cityjson_renders(offscreen_gl, shared_data):
    """Ten real 3D BAG buildings load and render: building pixels that are neither sky nor ground."""
    from viewer.app.headless import render_model_image
    from viewer.city.scene import load_scene_models

    path = shared_data / "cityjson_3dbag_multilod" / "multi_lod.json"
    scene = load_scene_models(SceneConfig.for_file(path), use_cache=False)
    style = Style()
    image = render_model_image(scene.model, style, (480, 360)).astype(int)
    plain = [np.rint(np.array(c) * 255) for c in (style.background, style.ground)]
    other = np.all([np.abs(image - c).max(axis=2) > 6 for c in plain], axis=0)
    assert other.sum() > 200
