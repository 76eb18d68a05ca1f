"""Base maps in rendered frames (real offscreen OpenGL): imagery from a loopback tile server, an MBTiles and
the neutral map lands where its lon/lat says, within a tile pixel; a second render is served by the disk
cache; a dead server leaves a complete frame without imagery and one warning; the credit line is drawn;
`citiverse render --basemap` works and refuses nonsense in one line."""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pytest
from basemap_helpers import (
    MAGENTA,
    SQUARE,
    TileServer,
    covering_tiles,
    one_building_city,
    square_bounds,
    write_mbtiles,
)
from panda3d.core import Mat4, NodePath, PerspectiveLens, Point2, Point3

from viewer.config import BasemapConfig, CameraBookmark
from viewer.render.camera import apply_pose, pose_from_bookmark

pytestmark = pytest.mark.render
SIZE = (480, 360)


@pytest.fixture
def server():
    s = TileServer()
    yield s
    s.close()


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A one-building GeoJSON city in an RD New scene whose origin is in Rotterdam."""
    return one_building_city(tmp_path_factory.mktemp("city"))


def above_square(scene) -> CameraBookmark:
    """Straight down (nearly) from 400 m over the magenta square's centre."""
    x, y, _ = scene.frame.lonlat_to_local(np.array([SQUARE[:2]]))[0]
    return CameraBookmark(position=(x, y - 1.0, 400.0), look_at=(x, y, 0.0), fov=40.0)


def render(scene, source: str, bookmark: CameraBookmark, **options):
    from viewer.app.headless import render_model_image

    config = BasemapConfig(source=source, **options)
    return render_model_image(scene.model, scene.config.style, SIZE, bookmark, multisamples=0, basemap=config,
                              frame=scene.frame)


def project(scene, bookmark: CameraBookmark, local_xyz) -> tuple[float, float]:
    """Pixel (column, row) where a local point appears in the render from `bookmark`."""
    lo, hi = scene.model.bounds()
    pose = pose_from_bookmark(bookmark, lo, hi)
    camera, lens = NodePath("probe"), PerspectiveLens()
    apply_pose(camera, lens, pose, SIZE[0] / SIZE[1])
    inverse = Mat4()
    inverse.invert_from(camera.get_mat())
    film = Point2()
    assert lens.project(inverse.xform_point(Point3(*local_xyz)), film)
    return (film.x + 1) / 2 * SIZE[0], (1 - film.y) / 2 * SIZE[1]


def magenta(image: np.ndarray) -> np.ndarray:
    rgb = image.astype(int)
    return (rgb[..., 0] > 200) & (rgb[..., 1] < 60) & (rgb[..., 2] > 200)


def check_square_lands_in_place(scene, image, bookmark):
    """The magenta square's drawn extent matches its projected corners within a tile pixel (+1 px)."""
    west, south, east, north = square_bounds()
    corners = scene.frame.lonlat_to_local(np.array([[west, south], [east, north]]))
    (c0, r1), (c1, r0) = (project(scene, bookmark, (x, y, 0.0)) for x, y, _ in corners)
    rows, cols = np.nonzero(magenta(image))
    assert rows.size > 100
    pixels_per_metre = (c1 - c0) / SQUARE[2]
    tolerance = 1.0 + 0.74 * pixels_per_metre  # one tile pixel: zoom 17 at 52 N has 0.74 m pixels
    assert abs(cols.min() - c0) <= tolerance and abs(cols.max() + 1 - c1) <= tolerance
    assert abs(rows.min() - r0) <= tolerance and abs(rows.max() + 1 - r1) <= tolerance


def test_imagery_from_a_tile_server_lands_where_its_lonlat_says(offscreen_gl, city, server):
    """A magenta square at a known lon/lat in the served tiles is drawn at the pixels its corners project to,
    through the RD New frame, within a tile pixel; the building stands where it stands, not magenta."""
    bookmark = above_square(city)
    image = render(city, f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png", bookmark)
    check_square_lands_in_place(city, image, bookmark)
    zooms = {int(p.split("/")[2]) for p in server.tile_requests()}
    # 400 m up, 360 px high, 40 degrees: zoom 17's 0.74 m texels are 0.9 px (zoom 16's would be 1.8 px)
    assert max(zooms) == 17 and min(zooms) < 17  # fine under the camera, coarser out to the horizon


def test_a_second_render_is_served_from_the_disk_cache(offscreen_gl, city, server):
    bookmark = above_square(city)
    first = render(city, f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png", bookmark)
    asked = len(server.tile_requests())
    second = render(city, f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png", bookmark)
    assert asked > 0 and len(server.tile_requests()) == asked
    assert np.array_equal(first, second)


def test_wmts_imagery_renders_the_same_square(offscreen_gl, city, server):
    bookmark = above_square(city)
    image = render(city, f"wmts:{server.url}/caps.xml", bookmark, layer="ortho")
    check_square_lands_in_place(city, image, bookmark)
    assert any(p.startswith("/wmts/GM17/") for p in server.tile_requests())


def test_an_mbtiles_file_gives_imagery_offline(offscreen_gl, city, tmp_path):
    tiles = covering_tiles(*SQUARE[:2], 3000.0, range(10, 16)) + covering_tiles(*SQUARE[:2], 400.0, range(16, 19))
    path = write_mbtiles(tmp_path / "city.mbtiles", tiles)
    bookmark = above_square(city)
    image = render(city, str(path), bookmark)
    check_square_lands_in_place(city, image, bookmark)


def test_a_dead_server_leaves_a_complete_frame_and_one_warning(offscreen_gl, city, caplog):
    """Connection refused: the frame is drawn on the plain ground (no imagery), one warning names why."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    bookmark = above_square(city)
    with caplog.at_level(logging.WARNING):
        image = render(city, f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png", bookmark, wait=30.0)
    plain = render(city, "none", bookmark)
    assert not magenta(image).any()
    assert np.array_equal(image[: SIZE[1] - 30], plain[: SIZE[1] - 30])  # all but the credit line's corner
    warnings = [r.getMessage() for r in caplog.records if "basemap" in r.getMessage()]
    assert len(warnings) == 1 and ("unreachable" in warnings[0] or "cannot connect" in warnings[0])


def test_the_credit_line_is_drawn_in_the_bottom_right_corner(offscreen_gl, city, server):
    bookmark = above_square(city)
    image = render(city, f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png", bookmark, attribution="(c) Loopback Survey")
    plain = render(city, f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png", bookmark, attribution=" ")
    corner = (slice(SIZE[1] - 14, SIZE[1]), slice(SIZE[0] - 150, SIZE[0]))
    assert not np.array_equal(image[corner], plain[corner])
    assert np.array_equal(image[: SIZE[1] - 30], plain[: SIZE[1] - 30])


def test_dimmed_under_live_layers_and_opacity(offscreen_gl, city, server):
    """Brightness and saturation scale the imagery; opacity 0 shows the plain ground."""
    bookmark = above_square(city)
    url = f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png"
    full = render(city, url, bookmark)
    dim = render(city, url, bookmark, brightness=0.5, saturation=0.0)
    col, row = (int(v) for v in project(city, bookmark, city.frame.lonlat_to_local(np.array([SQUARE[:2]]))[0]))
    assert tuple(full[row, col]) == pytest.approx(MAGENTA, abs=3)
    grey = 0.5 * (0.299 * 255 + 0.114 * 255)
    assert np.allclose(dim[row, col], grey, atol=3)
    clear = render(city, url, bookmark, opacity=0.0)
    assert np.array_equal(clear[: SIZE[1] - 30], render(city, "none", bookmark)[: SIZE[1] - 30])


def test_the_neutral_map_renders_without_any_imagery(offscreen_gl, city):
    """source = "map": the land colour under the camera, no network involved."""
    from viewer.basemap.neutral import LAND

    bookmark = above_square(city)
    image = render(city, "map", bookmark)
    col, row = (int(v) for v in project(city, bookmark, city.frame.lonlat_to_local(np.array([SQUARE[:2]]))[0]))
    assert np.allclose(image[row, col], LAND, atol=2)


def test_cli_render_with_basemap_and_a_wrong_one(offscreen_gl, city, tmp_path, capsys):
    from viewer.cli import main

    tiles = covering_tiles(*SQUARE[:2], 3000.0, range(10, 14))
    mbtiles = write_mbtiles(tmp_path / "c.mbtiles", tiles)
    scene = city.config.path
    out = tmp_path / "shot.png"
    assert main(["render", str(scene), "--out", str(out), "--size", "320x240", "--basemap", str(mbtiles)]) == 0
    assert out.is_file()
    capsys.readouterr()
    code = main(["render", str(scene), "--out", str(out), "--basemap", "satellite-please"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1 and "satellite-please" in err[0] and "Traceback" not in err[0]


def test_the_window_key_cycles_imagery_map_none(offscreen_gl, city, server):
    """The drape's modes in the window's order; the credit follows the mode."""
    from viewer.render.stage import build_stage

    config = BasemapConfig(source=f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png")
    stage = build_stage(offscreen_gl.render, city.model, city.config.style, basemap=config, frame=city.frame,
                        basemap_always=True)
    try:
        drape = stage.basemap
        assert drape.mode == "imagery" and "127.0.0.1" in drape.attribution()
        assert [drape.cycle(), drape.cycle(), drape.cycle()] == ["map", "none", "imagery"]
        drape.set_mode("map")
        assert drape.attribution() == "Map: the scene's own data"
    finally:
        stage.remove()
    plain = build_stage(offscreen_gl.render, city.model, city.config.style,
                        basemap=dataclasses.replace(config, source="none"), frame=city.frame, basemap_always=True)
    try:
        assert plain.basemap.modes == ["map", "none"] and plain.basemap.mode == "none"
    finally:
        plain.remove()


def test_the_window_path_never_waits_and_fills_in_coarse_first(offscreen_gl, city, server):
    """update() returns at once (tiles arrive on the loader's threads); meanwhile leaves show a loaded
    ancestor's texture, and after enough frames every leaf shows its own tile."""
    import time

    from viewer.app.headless import OffscreenView
    from viewer.render.camera import pose_from_bookmark
    from viewer.render.stage import background_rgba, build_stage

    config = BasemapConfig(source=f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png")
    stage = build_stage(offscreen_gl.render, city.model, city.config.style, basemap=config, frame=city.frame)
    view = OffscreenView(offscreen_gl, SIZE, background_rgba(city.config.style), 0)
    try:
        lo, hi = city.model.bounds()
        view.set_pose(pose_from_bookmark(above_square(city), lo, hi))
        drape = stage.basemap
        assert drape.update(view.camera, view.lens, SIZE, offscreen_gl.render) is False  # nothing loaded yet
        deadline = time.monotonic() + 60
        while not drape.update(view.camera, view.lens, SIZE, offscreen_gl.render):
            assert time.monotonic() < deadline, "the imagery never completed"
            time.sleep(0.02)
        assert set(drape.nodes) == set(drape.leaves)
        assert all(shown == leaf for leaf, (_, shown) in drape.nodes.items())
        check_square_lands_in_place(city, view.capture(), above_square(city))
    finally:
        view.close()
        stage.remove()
