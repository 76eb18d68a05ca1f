"""Base-map textures and the drape's shader (real offscreen OpenGL): an opaque tile is held as RGB (a quarter
less memory than RGBA), a tile with transparent texels keeps its alpha; the drape's program links."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from basemap_helpers import SQUARE, covering_tiles, one_building_city, png, tile_image

from viewer.config import BasemapConfig, CameraBookmark

pytestmark = pytest.mark.render
SIZE = (320, 240)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A one-building GeoJSON city in an RD New scene whose origin is in Rotterdam."""
    return one_building_city(tmp_path_factory.mktemp("city"))


def write_tiles(path, tiles, alpha: int):
    """An MBTiles file of the test tiles with every texel's alpha `alpha` (255: opaque PNGs without alpha)."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name text, value text)")
    db.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
    zooms = [t.z for t in tiles]
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "t"), ("format", "png"),
                                                         ("minzoom", str(min(zooms))), ("maxzoom", str(max(zooms)))])
    rows = []
    for t in tiles:
        rgb = tile_image(t)
        image = rgb if alpha == 255 else np.dstack([rgb, np.full(rgb.shape[:2], alpha, np.uint8)])
        rows.append((t.z, t.x, t.tms_y(), png(image)))
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    return path


def settled_textures(base, city, source: str):
    """(texture formats, texture_bytes(), texel count) after a still's wait from above the square."""
    from viewer.app.headless import OffscreenView, release_basemap, settle_basemap
    from viewer.render.camera import pose_from_bookmark
    from viewer.render.stage import background_rgba, build_stage

    x, y, _ = city.frame.lonlat_to_local(np.array([SQUARE[:2]]))[0]
    bookmark = CameraBookmark(position=(x, y - 1.0, 400.0), look_at=(x, y, 0.0), fov=40.0)
    stage = build_stage(base.render, city.model, city.config.style, basemap=BasemapConfig(source=source),
                        frame=city.frame)
    view = OffscreenView(base, SIZE, background_rgba(city.config.style), 0)
    try:
        lo, hi = city.model.bounds()
        view.set_pose(pose_from_bookmark(bookmark, lo, hi))
        settle_basemap(stage, view)
        view.capture()
        textures = list(stage.basemap.textures.values())
        texels = sum(t.get_x_size() * t.get_y_size() for t in textures)
        return {t.get_format() for t in textures}, stage.basemap.texture_bytes(), texels
    finally:
        release_basemap(stage, view)
        view.close()
        stage.remove()


def test_opaque_tiles_are_rgb_and_transparent_ones_keep_their_alpha(offscreen_gl, city, tmp_path):
    from panda3d.core import Texture

    tiles = covering_tiles(*SQUARE[:2], 3000.0, range(10, 15)) + covering_tiles(*SQUARE[:2], 400.0, range(15, 18))
    formats, size, texels = settled_textures(offscreen_gl, city, str(write_tiles(tmp_path / "o.mbtiles", tiles, 255)))
    assert formats == {Texture.F_rgb8} and texels > 0 and size == 3 * texels
    formats, size, texels = settled_textures(offscreen_gl, city, str(write_tiles(tmp_path / "t.mbtiles", tiles, 128)))
    assert formats == {Texture.F_rgba8} and texels > 0 and size == 4 * texels


def test_the_drapes_program_comes_from_its_files_and_links(offscreen_gl):
    """The drape's shader is read from assets/shaders/ (render/shader_files.py) and links on the GSG."""
    from viewer.render.basemap_texture import drape_shader
    from viewer.render.shader_files import SHADERS

    assert (SHADERS / "basemap_drape.vert").is_file() and (SHADERS / "basemap_drape.frag").is_file()
    shader = drape_shader()
    gsg = offscreen_gl.win.get_gsg()
    assert shader.prepare_now(gsg.get_prepared_objects(), gsg) is not None and not shader.get_error_flag()
