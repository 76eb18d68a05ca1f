"""Base maps without a window: tile maths, zoom choice, sources (XYZ, WMTS, MBTiles, GeoTIFF, the neutral
map), the loader against a loopback tile server (URLs, User-Agent, disk cache, hostile tiles, a dead server)
and the [basemap] table."""

from __future__ import annotations

import time

import numpy as np
import pytest
from basemap_helpers import (
    MAGENTA,
    ROTTERDAM,
    SQUARE,
    TileServer,
    capabilities,
    covering_tiles,
    png,
    tile_image,
    write_mbtiles,
    write_orthophoto,
)

from viewer.basemap.drape import GRID, Placement, TerrainSurface, View, select_tiles, tile_mesh
from viewer.basemap.images import MAX_TILE_BYTES, TileError, decode_tile
from viewer.basemap.mercator import (
    Tile,
    lonlat_to_world,
    metres_per_pixel,
    tile_lonlat_bounds,
    tile_of,
    tms_flip,
)
from viewer.basemap.sources import MBTilesSource, parse_source, xyz_source
from viewer.basemap.wmts import parse_capabilities, wmts_source
from viewer.city.terrain import Terrain, flat
from viewer.errors import ConfigError, LoadError
from viewer.geo.frame import LocalFrame
from viewer.net.tile_fetch import USER_AGENT, TileLoader, fetch_document


@pytest.fixture
def server():
    s = TileServer()
    yield s
    s.close()


def rotterdam() -> LocalFrame:
    return LocalFrame("EPSG:28992", (92540.0, 437500.0))


# ---------------------------------------------------------------- tile maths


def test_lonlat_to_tile_and_back_matches_the_slippy_map_convention():
    """Zoom 0 is one tile; lon 0 / lat 0 is the corner of the four zoom-1 tiles; known tiles of Rotterdam."""
    assert tile_of(0.0, 0.0, 0) == Tile(0, 0, 0)
    assert tile_of(0.001, 0.001, 1) == Tile(1, 1, 0) and tile_of(-0.001, -0.001, 1) == Tile(1, 0, 1)
    assert tile_of(*ROTTERDAM, 16) == Tile(16, 33583, 21670)
    west, south, east, north = tile_lonlat_bounds(Tile(16, 33583, 21670))
    assert west <= ROTTERDAM[0] <= east and south <= ROTTERDAM[1] <= north
    assert tms_flip(16, 21670) == 65535 - 21670 and Tile(16, 33583, 21670).tms_y() == 43865
    assert metres_per_pixel(0.0, 0) == pytest.approx(156543.03, rel=1e-6)


def test_children_and_parents_nest():
    """A tile's four children lie in it and name it as their parent."""
    tile = Tile(5, 16, 10)
    for child in tile.children():
        assert child.parent() == tile
        u0, v0, u1, v1 = child.world_rect()
        p0, q0, p1, q1 = tile.world_rect()
        assert p0 <= u0 < u1 <= p1 and q0 <= v0 < v1 <= q1


# ---------------------------------------------------------------- zoom choice


def top_down_view(height: float, size: tuple[int, int] = (1280, 720), fov: float = 50.0,
                  at: tuple[float, float] = (0.0, 0.0)) -> View:
    """A camera `height` m above `at` looking straight down (y up on screen), as clip matrix for row vectors."""
    aspect = size[0] / size[1]
    f = 1.0 / np.tan(np.radians(fov) / 2)
    near, far = 1.0, 1e6
    view = np.eye(4)
    view[3, :3] = [-at[0], -at[1], -height]  # world -> camera (camera looks down -z, OpenGL style)
    proj = np.zeros((4, 4))
    proj[0, 0], proj[1, 1] = f / aspect, f
    proj[2, 2], proj[3, 2], proj[2, 3] = -(far + near) / (far - near), -2 * far * near / (far - near), -1.0
    return View(np.array([at[0], at[1], height]), view @ proj, size[1] / 2 * f)


def test_zoom_follows_the_view_fine_near_and_coarse_far():
    """From 300 m straight above, the tiles under the camera have texels of at most MAX_TEXEL_PIXELS
    pixels and not under half that (the right zoom, not a finer one); from 3 km every tile is coarser."""
    placement = Placement(rotterdam())
    region = (-20000.0, -20000.0, 20000.0, 20000.0)
    near = select_tiles(placement, region, (0.0, 0.0), top_down_view(300.0), max_zoom=22)
    far = select_tiles(placement, region, (0.0, 0.0), top_down_view(3000.0), max_zoom=22)
    below = [t for t in near if placement.tile_box(t)[0] <= 0 <= placement.tile_box(t)[2]
             and placement.tile_box(t)[1] <= 0 <= placement.tile_box(t)[3]]
    assert len(below) == 1
    texel_px = placement.tile_box(below[0])[4] / 256 / 300.0 * top_down_view(300.0).pixels_per_radian
    assert 0.6 < texel_px <= 1.25
    assert max(t.z for t in far) < max(t.z for t in near)
    assert min(t.z for t in near) < max(t.z for t in near) - 3  # the horizon stays coarse
    assert len(near) <= 320 and select_tiles(placement, region, (0.0, 0.0), top_down_view(300.0), max_zoom=22) == near


def test_zoom_stops_at_the_sources_finest_level():
    """max_zoom caps the refinement however close the camera is."""
    placement = Placement(rotterdam())
    tiles = select_tiles(placement, (-3000.0, -3000.0, 3000.0, 3000.0), (0.0, 0.0), top_down_view(20.0),
                         max_zoom=15)
    assert max(t.z for t in tiles) == 15


def test_tile_meshes_land_where_their_lonlat_says():
    """A leaf's corner vertices are its mercator corners moved through the scene's RD New frame (the
    reprojection), lying on the terrain as drawn (plus the lift)."""
    frame = rotterdam()
    placement = Placement(frame)
    terrain = Terrain(-1000.0, -1000.0, 1000.0, np.array([[0, 0, 0], [0, 10, 0], [0, 0, 0]], np.float32), "dem")
    surface = TerrainSurface(terrain)
    tile = tile_of(*ROTTERDAM, 17)
    vertices, uv, triangles = tile_mesh(placement, surface, tile, grid=4)
    west, south, east, north = tile_lonlat_bounds(tile)
    expected = frame.lonlat_to_local(np.array([[west, north], [east, north], [west, south]]))
    assert np.allclose(vertices[[0, 4, 20], :2], expected[:, :2], atol=0.01)
    assert np.allclose(uv[[0, 4, 20]], [[0, 1], [1, 1], [0, 0]])
    assert triangles.shape == (32, 3) and triangles.max() == 24
    assert np.allclose(vertices[:, 2], surface.height(vertices[:, 0], vertices[:, 1]) + 0.02, atol=1e-3)
    assert surface.height(np.array([0.0]), np.array([0.0]))[0] == pytest.approx(10.0)


def mesh_point(vertices: np.ndarray, uv: np.ndarray, triangles: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Where a mesh draws the texture coordinate `point`: barycentric in the triangle whose uv holds it."""
    for tri in triangles:
        a, b, c = uv[tri].astype(np.float64)
        m = np.column_stack([b - a, c - a])
        if abs(np.linalg.det(m)) < 1e-12:
            continue
        s, t = np.linalg.solve(m, point - a)
        if s >= -1e-9 and t >= -1e-9 and s + t <= 1 + 1e-9:
            va, vb, vc = vertices[tri].astype(np.float64)
            return va + s * (vb - va) + t * (vc - va)
    raise AssertionError(f"uv {point} is in no triangle")


@pytest.mark.parametrize("zoom", [9, 12, 15, 18])
def test_a_leaf_on_flat_ground_is_a_few_triangles_that_keep_the_imagery_in_place(zoom):
    """On flat ground a leaf takes the coarsest grid that keeps the imagery within XY_TOLERANCE texels of
    its reprojected place (16 x 16 cells everywhere made imagery cost ~1.4x the bare frame on llvmpipe):
    random points of the tile land where their lon/lat says."""
    frame = rotterdam()
    placement = Placement(frame)
    surface = TerrainSurface(flat(3.0, (-1000.0, -1000.0, 1000.0, 1000.0)))
    tile = tile_of(*ROTTERDAM, zoom)
    vertices, uv, triangles = tile_mesh(placement, surface, tile)
    assert len(triangles) <= 32 and (zoom < 12 or len(triangles) <= 8)
    west, south, east, north = tile_lonlat_bounds(tile)
    texel = placement.tile_box(tile)[4] / 256
    u0, v0, u1, v1 = tile.world_rect()
    for point in np.random.default_rng(zoom).random((20, 2)):
        drawn = mesh_point(vertices, uv, triangles, point)
        exact = placement.world_to_local(np.array([u0 + (u1 - u0) * point[0]]),
                                         np.array([v1 + (v0 - v1) * point[1]]))[0]  # uv v counts northward
        assert np.linalg.norm(drawn[:2] - exact) <= 0.05 * texel + 1e-3
        assert drawn[2] == pytest.approx(3.0, abs=1e-4)  # on flat ground no lift: roads on it stay on top


def test_a_leaf_over_rugged_terrain_keeps_the_fine_grid():
    """Where straight cells would leave the drawn terrain by more than Z_TOLERANCE, the leaf keeps GRID."""
    placement = Placement(rotterdam())
    heights = (np.random.default_rng(1).random((21, 21)) * 30).astype(np.float32)
    surface = TerrainSurface(Terrain(-1000.0, -1000.0, 100.0, heights, "dem"))
    vertices, _, triangles = tile_mesh(placement, surface, tile_of(*ROTTERDAM, 16))
    assert len(triangles) == 2 * GRID * GRID
    assert np.allclose(vertices[:, 2], surface.height(vertices[:, 0], vertices[:, 1]) + 0.02, atol=1e-3)


# ---------------------------------------------------------------- sources


def test_xyz_templates_fill_zoom_column_row_subdomains_and_tms_rows():
    """{z}/{x}/{y}, {s} round-robin over subdomains, {-y} and tms: for TMS rows, {q} for quadkeys."""
    tile = Tile(3, 5, 2)
    assert xyz_source("https://t.example/{z}/{x}/{y}.png").url(tile) == "https://t.example/3/5/2.png"
    assert xyz_source("tms:https://t.example/{z}/{x}/{y}.png").url(tile) == "https://t.example/3/5/5.png"
    assert xyz_source("https://t.example/{z}/{x}/{-y}.png").url(tile) == "https://t.example/3/5/5.png"
    subs = {xyz_source("https://{s}.t.example/{z}/{x}/{y}.png").url(Tile(3, x, 0)) for x in range(3)}
    assert subs == {f"https://{s}.t.example/3/{x}/0.png" for s, x in (("a", 0), ("b", 1), ("c", 2))}
    assert xyz_source("https://t.example/{q}.jpg").url(Tile(3, 3, 5)) == "https://t.example/213.jpg"
    assert "t.example" in xyz_source("https://t.example/{z}/{x}/{y}.png").attribution


@pytest.mark.parametrize("spelling", ["https://t.example/tiles.png", "ftp://t.example/{z}/{x}/{y}",
                                      "satellite", "city.kml"])
def test_a_spelling_that_is_no_base_map_is_one_clear_error(spelling):
    with pytest.raises(ConfigError, match="template|not a base map|lacks"):
        parse_source(spelling, None)


def test_wmts_capabilities_pick_the_layer_and_its_web_mercator_set(server):
    """Layer "ortho" over HTTP: its web-mercator set (not the Swiss one), zooms 0-19 mapped to GM0..GM19, the
    ResourceURL template filled; the provider's name is the attribution."""
    source = wmts_source(f"{server.url}/caps.xml", None, layer="ortho", fetch=fetch_document)
    assert (source.min_zoom, source.max_zoom) == (0, 19)
    assert source.url(Tile(12, 2100, 1350)) == f"{server.url}/wmts/GM12/1350/2100.png"
    assert source.attribution == "(c) Loopback Survey"


def test_wmts_without_resource_url_uses_kvp_gettile():
    source = parse_capabilities(capabilities("http://h", kvp_only=True).encode(), "caps", layer="ortho")
    url = source.url(Tile(4, 3, 2))
    assert url.startswith("http://h/kvp?SERVICE=WMTS&REQUEST=GetTile") and "LAYER=ortho" in url
    assert url.endswith("TILEMATRIX=GM4&TILEROW=2&TILECOL=3") and "TILEMATRIXSET=gm" in url


def test_wmts_refusals_name_the_reason():
    """A layer on a non-mercator set only, an unknown layer, a document that is no capabilities."""
    doc = capabilities("http://h").encode()
    with pytest.raises(LoadError, match="no web-mercator.*swiss"):
        parse_capabilities(doc, "caps", layer="plan")
    with pytest.raises(ConfigError, match="no layer 'roads'.*plan, ortho"):
        parse_capabilities(doc, "caps", layer="roads")
    with pytest.raises(LoadError, match="not a WMTS"):
        parse_capabilities(b"<html/>", "caps")


def test_wmts_entities_are_never_resolved(tmp_path):
    """An external entity in a hostile document reads no file (lxml with entities off)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doc = capabilities("http://h").replace("<ows:Title>Test WMTS", "<ows:Title>&x;")
    doc = doc.replace('<?xml version="1.0" encoding="UTF-8"?>',
                      f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "{secret.as_uri()}">]>')
    try:
        source = parse_capabilities(doc.encode(), "caps", layer="ortho")
    except LoadError:
        return
    assert "TOP-SECRET" not in source.attribution and "TOP-SECRET" not in source.template


def test_mbtiles_rows_are_flipped_and_metadata_read(tmp_path):
    """Tiles stored with TMS rows come back under their XYZ address; zooms and (plain-text) credit from
    the metadata."""
    tiles = covering_tiles(*SQUARE[:2], 200.0, range(14, 17))
    source = MBTilesSource(write_mbtiles(tmp_path / "city.mbtiles", tiles))
    assert (source.min_zoom, source.max_zoom) == (14, 16)
    assert source.attribution == "(c) Test MBTiles"
    tile = tile_of(SQUARE[0], SQUARE[1], 16)
    assert np.array_equal(source.render(tile)[..., :3], tile_image(tile))
    assert source.render(Tile(16, 0, 0)) is None


def test_a_broken_mbtiles_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.mbtiles"
    bad.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(LoadError, match="bad.mbtiles: not an MBTiles"):
        MBTilesSource(bad)


def test_a_geotiff_in_rd_new_is_reprojected_into_mercator_tiles(tmp_path):
    """An orthophoto in EPSG:28992 (0.5 m pixels) with a magenta block around a known RD point: the
    mercator tile there shows magenta at that lon/lat, within a pixel, and grey beside it."""
    frame = rotterdam()
    rgb = np.full((800, 800, 3), 128, np.uint8)
    rgb[380:420, 380:420] = MAGENTA  # 20 m block centred 200 m east and south of the top-left + 200 m
    x0, y0 = 92540.0 - 200.0, 437500.0 + 200.0
    source = parse_source(str(write_orthophoto(tmp_path / "ortho.tif", 28992, x0, y0, 0.5, rgb)), None, frame)
    assert source.max_zoom == 18  # 0.5 m pixels at 52 degrees: zoom 18 has 0.37 m pixels
    lonlat = frame.local_to_lonlat(np.array([[0.0, 0.0]]))[0]
    tile = tile_of(lonlat[0], lonlat[1], 18)
    image = source.render(tile)
    u, v = lonlat_to_world(np.array(lonlat[0]), np.array(lonlat[1]))
    px, py = int((u * 2 ** 18 - tile.x) * 256), int((v * 2 ** 18 - tile.y) * 256)
    assert tuple(image[py, px, :3]) == MAGENTA
    assert tuple(image[py, min(px + 40, 255) if px < 200 else px - 40, :3]) == (128, 128, 128)
    assert source.render(Tile(18, 0, 0)) is None  # far off the photo


def test_the_neutral_map_draws_the_models_roads_water_and_green(tmp_path):
    """Roads, water and parks of the procedural city come out in the map's colours where they are (the
    centre of one of their triangles, moved to lon/lat through the scene's frame)."""
    from viewer.basemap.neutral import LAYERS, MapSource
    from viewer.city.model import SurfaceKind
    from viewer.city.scene import load_scene_models
    from viewer.config import load_scene

    scene_file = tmp_path / "city.toml"
    scene_file.write_text('[scene]\ncrs = "EPSG:28992"\norigin = [92540.0, 437500.0]\n'
                          '[[sources]]\nformat = "procedural"\nseed = 42\nsize = 300\n')
    scene = load_scene_models(load_scene(scene_file), use_cache=False)
    model = scene.model
    source = MapSource(model, scene.frame)
    colours = dict(LAYERS)
    types = np.array(model.objects.types + [""])
    first = model.triangles[:, 0]
    for name, mask in (("water", model.vertex_kind[first] == SurfaceKind.WATER),
                       ("green", types[model.vertex_object[first]] == "Park"),
                       ("road", model.vertex_kind[first] == SurfaceKind.ROAD)):
        a, b = (model.vertices[model.triangles[:, k], :2] - model.vertices[first, :2] for k in (1, 2))
        areas = np.abs(a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0])
        pick = np.flatnonzero(mask)[np.argmax(areas[mask])]  # the largest: its centre is well inside
        centre = model.vertices[model.triangles[pick], :2].astype(np.float64).mean(axis=0)
        lon, lat = scene.frame.local_to_lonlat(centre[None, :])[0]
        tile = tile_of(lon, lat, 19)
        u, v = lonlat_to_world(np.array(lon), np.array(lat))
        px, py = int((u * 2 ** 19 - tile.x) * 256), int((v * 2 ** 19 - tile.y) * 256)
        assert tuple(source.render(tile)[py, px, :3]) == colours[name], name


# ---------------------------------------------------------------- hostile tiles


@pytest.mark.parametrize("data, reason", [
    (b"<html>rate limited</html>", "not a PNG, JPEG or WebP"),
    (b"\x89PNG\r\n\x1a\n" + bytes(MAX_TILE_BYTES), "more than the limit"),
    (png(np.zeros((200, 300, 3), np.uint8)), "is 300x200 pixels, expected 256x256"),
    (png(tile_image(Tile(1, 0, 0)))[:300], "broken PNG"),
])
def test_hostile_tiles_are_refused_with_the_reason(data, reason):
    with pytest.raises(TileError, match=reason):
        decode_tile(data, 256, "tile 1/0/0")


def test_a_decompression_bomb_is_refused_unread():
    """A PNG declaring 20000 x 20000 pixels is refused from its header."""
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    with pytest.raises(TileError, match="bomb: .*(20000x20000|exceeds limit)"):
        decode_tile(buffer.getvalue(), 256, "bomb")


# ---------------------------------------------------------------- the loader


def load_all(loader: TileLoader, tiles: list[Tile], seconds: float = 30.0) -> dict[Tile, np.ndarray | None]:
    loader.request(tiles)
    assert loader.wait(tiles, time.monotonic() + seconds)
    return dict(loader.poll())


def test_the_loader_fetches_politely_and_the_disk_cache_answers_the_second_run(server, tmp_path):
    """Tiles come from the loopback server with citiverse's User-Agent; a second loader over the same cache
    makes no request at all and gives the same pixels."""
    source = xyz_source(f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png")
    tiles = covering_tiles(*SQUARE[:2], 150.0, range(15, 17))
    first = TileLoader(source, cache_root=tmp_path / "cache")
    got = load_all(first, tiles)
    first.close()
    assert len(server.tile_requests()) == len(tiles) == first.stats.requests
    assert {agent for _, agent in server.requests} == {USER_AGENT}
    assert USER_AGENT.startswith("citiverse/") and "(+http" in USER_AGENT
    assert all(np.array_equal(got[t][..., :3], tile_image(t)) for t in tiles)
    second = TileLoader(source, cache_root=tmp_path / "cache")
    again = load_all(second, tiles)
    second.close()
    assert len(server.tile_requests()) == len(tiles) and second.stats.cache_hits == len(tiles)
    assert all(np.array_equal(again[t], got[t]) for t in tiles)


def test_tms_templates_ask_for_flipped_rows(server, tmp_path):
    source = xyz_source(f"tms:{server.url}/tms/{{z}}/{{x}}/{{y}}.png")
    tile = tile_of(*SQUARE[:2], 16)
    got = load_all(TileLoader(source, cache_root=tmp_path), [tile])
    assert server.tile_requests() == [f"/tms/16/{tile.x}/{tile.tms_y()}.png"]
    assert np.array_equal(got[tile][..., :3], tile_image(tile))


@pytest.mark.parametrize("route, reason", [("text", "not a PNG"), ("huge", "limit"), ("wrong", "300x200"),
                                           ("missing", None)])
def test_hostile_servers_fail_tiles_not_the_loader(server, tmp_path, route, reason):
    """Not an image, too big, the wrong size: the tile fails with the URL and reason; a 404 is "no tile
    here". Nothing broken reaches the cache."""
    source = xyz_source(f"{server.url}/{route}/{{z}}/{{x}}/{{y}}.png")
    loader = TileLoader(source, cache_root=tmp_path / "cache")
    tile = Tile(10, 524, 336)
    got = load_all(loader, [tile])
    loader.close()
    assert got[tile] is None
    if reason is None:
        assert loader.status(tile) == "empty" and loader.stats.failures == 0
    else:
        assert loader.status(tile) == "failed" and reason in loader.stats.last_error
        assert f"{server.url}/{route}/10/524/336.png" in loader.stats.last_error
    assert not list((tmp_path / "cache").rglob("*.tile"))


def test_a_dead_server_is_given_up_quickly(tmp_path):
    """Connection refused on 127.0.0.1: after a few failures every tile fails at once, naming the reason."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    source = xyz_source(f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png")
    loader = TileLoader(source, cache_root=tmp_path, workers=1)
    tiles = covering_tiles(*SQUARE[:2], 500.0, range(14, 17))
    got = load_all(loader, tiles)
    loader.close()
    assert all(v is None for v in got.values()) and loader.dead is not None
    assert loader.stats.requests < len(tiles)  # the rest failed without trying
    assert "cannot connect" in loader.stats.last_error or "unreachable" in loader.stats.last_error


# ---------------------------------------------------------------- [basemap]


def test_the_basemap_table_is_read_and_checked(tmp_path):
    from viewer.config import load_scene

    scene = tmp_path / "s.toml"
    scene.write_text('[[sources]]\nformat = "procedural"\n[basemap]\nsource = "ortho.mbtiles"\nopacity = 0.8\n'
                     'brightness = 1.2\nattribution = "(c) City Survey"\n')
    config = load_scene(scene).basemap
    assert (config.source, config.opacity, config.brightness, config.attribution, config.base) == \
        ("ortho.mbtiles", 0.8, 1.2, "(c) City Survey", tmp_path)
    assert load_scene(tmp_path / "s.toml").basemap.dim_under_layers is True
    scene.write_text('[[sources]]\nformat = "procedural"\n[basemap]\nopacity = 2\n')
    with pytest.raises(ConfigError, match="basemap.opacity: must be between 0 and 1"):
        load_scene(scene)
    scene.write_text('[[sources]]\nformat = "procedural"\n[basemap]\nsourc = "map"\n')
    with pytest.raises(ConfigError, match="basemap.sourc: unknown key"):
        load_scene(scene)


def test_flat_terrain_surface_is_the_flat_height():
    surface = TerrainSurface(flat(3.0, (-10, -10, 10, 10)))
    assert np.allclose(surface.height(np.array([-500.0, 0.0, 7.0]), np.array([0.0, 900.0, -3.0])), 3.0)
