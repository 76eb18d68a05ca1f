"""Terrain under the city (city/terrain.py, city/geotiff.py, city/seat.py, render/terrain_mesh.py): the grid and
its bilinear heights, the three sources (a GeoTIFF DEM in another CRS, the model's TIN, the objects' bases),
2D sources seated and draped on it, 3D buildings off it found and moved, the cache, walking, and real renders."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from viewer.city.localize import localize
from viewer.city.model import SourceModelBuilder, SurfaceKind
from viewer.city.seat import DRAPE_LIFT, real_height_mask, seat
from viewer.city.terrain import Terrain, build_terrain, flat, from_samples, mesh, plan_grid, rasterize
from viewer.config import Limits, SceneConfig, load_scene
from viewer.errors import LoadError
from viewer.geo.frame import LocalFrame

K = SurfaceKind
FRAME = LocalFrame(None, (0.0, 0.0, 0.0))


def plane(x, y):
    return 100.0 + 0.02 * np.asarray(x) - 0.01 * np.asarray(y)


def add_box(builder, object_id, x0, y0, x1, y1, z0, z1, object_type="Building"):
    """A box as six quads with their own vertices: ground, roof and four walls."""
    index = builder.add_object(object_id, object_type)
    c = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)
    faces = [(np.c_[c, np.full(4, z0)], K.GROUND), (np.c_[c, np.full(4, z1)], K.ROOF)]
    for i in range(4):
        a, b = c[i], c[(i + 1) % 4]
        faces.append((np.array([[*a, z0], [*b, z0], [*b, z1], [*a, z1]]), K.WALL))
    for quad, kind in faces:
        builder.add_surfaces(quad, np.array([[0, 1, 2], [0, 2, 3]]), index, kind)
    return index


def add_plate(builder, object_id, corners, kind=K.ROAD, object_type="Road"):
    """A flat polygon given by its (4, 3) corners."""
    index = builder.add_object(object_id, object_type)
    builder.add_surfaces(np.asarray(corners, np.float64), np.array([[0, 1, 2], [0, 2, 3]]), index, kind)
    return index


def add_tin(builder, x0, y0, x1, y1, height=plane):
    """A TIN relief: a 10 x 10 grid of triangles over the rectangle, at `height`."""
    index = builder.add_object("tin", "TINRelief")
    xs, ys = np.meshgrid(np.linspace(x0, x1, 11), np.linspace(y0, y1, 11))
    pts = np.c_[xs.ravel(), ys.ravel(), height(xs.ravel(), ys.ravel())]
    corner = (np.arange(10)[:, None] * 11 + np.arange(10)[None, :]).ravel()
    tris = np.r_[np.c_[corner, corner + 1, corner + 12], np.c_[corner, corner + 12, corner + 11]]
    builder.add_surfaces(pts, tris, index, K.TERRAIN)


def source(build, name="s"):
    builder = SourceModelBuilder(name, Limits())
    build(builder)
    return builder.build("test", None)


# ---------------------------------------------------------------- the grid


def test_bilinear_is_exact_on_a_plane_and_clamps_outside():
    """A grid of a plane gives the plane anywhere inside (bilinear is exact there) and the nearest edge's
    height outside: the terrain never extrapolates."""
    xs, ys = np.meshgrid(np.arange(11) * 10.0, np.arange(6) * 10.0)
    terrain = Terrain(0.0, 0.0, 10.0, plane(xs, ys).astype(np.float32), "test")
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 100, 200), rng.uniform(0, 50, 200)
    assert np.allclose(terrain.height_at(x, y), plane(x, y), atol=1e-4)
    assert terrain.height_at(-500.0, 20.0) == pytest.approx(plane(0.0, 20.0), abs=1e-4)
    assert terrain.height_at(1e6, 1e6) == pytest.approx(plane(100.0, 50.0), abs=1e-4)
    assert terrain.height_at(np.zeros((3, 4)), np.zeros((3, 4))).shape == (3, 4)


def test_rasterized_tin_matches_its_plane_and_marks_what_it_covers():
    """TIN triangles rasterised onto a finer grid give their plane at every covered point, and only the
    points under them are covered."""
    src = source(lambda b: add_tin(b, 0, 0, 100, 100))
    model = localize([src], FRAME)
    tri = model.vertices[model.triangles].astype(np.float64)
    heights, covered = rasterize(tri, -20.0, -20.0, 5.0, 29, 29)
    gx, gy = np.meshgrid(-20.0 + 5.0 * np.arange(29), -20.0 + 5.0 * np.arange(29))
    inside = (gx >= 0) & (gx <= 100) & (gy >= 0) & (gy <= 100)
    assert (covered == inside).all()
    assert np.allclose(heights[covered], plane(gx, gy)[covered], atol=1e-3)
    terrain = build_terrain(model, FRAME, real_height_mask([src]))
    assert terrain.source == "relief" and terrain.covered is not None
    assert terrain.height_at(50.0, 50.0) == pytest.approx(plane(50.0, 50.0), abs=0.05)


def test_bases_surface_is_linear_between_samples_and_bounded_outside():
    """Ground samples on a plane give that plane inside their hull; outside it the surface stays within
    the samples' range (nearest values, smoothed), however far away."""
    rng = np.random.default_rng(2)
    xy = rng.uniform(0, 1000, (400, 2))
    samples = np.c_[xy, plane(xy[:, 0], xy[:, 1])]
    terrain = from_samples(samples, plan_grid([-1000, -1000], [2000, 2000], max_points=120))
    assert terrain is not None and terrain.source == "bases"
    x, y = rng.uniform(200, 800, 100), rng.uniform(200, 800, 100)
    assert np.abs(terrain.height_at(x, y) - plane(x, y)).max() < 0.5
    far = terrain.heights
    lo, hi = samples[:, 2].min(), samples[:, 2].max()
    assert far.min() >= lo - 1e-3 and far.max() <= hi + 1e-3


def test_a_model_without_heights_or_relief_is_on_flat_ground_at_zero_and_does_not_move():
    """Footprints extruded from 0 and a road at 2 cm: a flat terrain at 0, one cell, nothing moved."""
    def build(b):
        add_box(b, "a", 0, 0, 10, 10, 0, 12)
        add_plate(b, "r", [[0, 20, 0.02], [50, 20, 0.02], [50, 26, 0.02], [0, 26, 0.02]])
    src = source(build)
    model = localize([src], FRAME)
    before = model.vertices.copy()
    real = real_height_mask([src])
    assert not real.any()
    terrain = build_terrain(model, FRAME, real)
    assert terrain.source == "flat" and terrain.shape == (2, 2) and terrain.height_range == (0.0, 0.0)
    report = seat(model, terrain, real)
    assert (model.vertices == before).all() and report.placed == 0


# ---------------------------------------------------------------- seating


def slope_and_2d_city():
    """A 3D source (a TIN on `plane`) and a 2D source: a 12 m box extruded from 0 and a road at 2 cm."""
    relief = source(lambda b: add_tin(b, -100, -100, 300, 300), "relief")

    def build(b):
        add_box(b, "house", 100, 100, 140, 120, 0, 12)
        add_plate(b, "road", [[0, 150, 0.02], [200, 150, 0.02], [200, 156, 0.02], [0, 156, 0.02]])
    flat_city = source(build, "footprints")
    return [relief, flat_city]


def test_2d_buildings_stand_on_the_lowest_ground_under_them_and_roads_drape():
    """The 2D box moves up whole to the lowest terrain under its footprint (never floating, its height
    kept); each road vertex goes to the terrain under it plus the drape lift."""
    sources = slope_and_2d_city()
    model = localize(sources, FRAME)
    real = real_height_mask(sources)
    assert real.tolist().count(True) == sources[0].vertex_count
    terrain = build_terrain(model, FRAME, real)
    report = seat(model, terrain, real)
    assert report.placed == 1 and report.draped == 1
    house = model.objects.index_of("house")
    corners = np.array([[100, 100], [140, 100], [140, 120], [100, 120]], np.float64)
    lowest = terrain.height_at(corners[:, 0], corners[:, 1]).min()
    assert model.objects.bbox_min[house, 2] == pytest.approx(lowest, abs=0.01)
    assert model.objects.height[house] == pytest.approx(12.0, abs=0.01)
    road = model.vertex_object == model.objects.index_of("road")
    v = model.vertices[road].astype(np.float64)
    assert np.allclose(v[:, 2], terrain.height_at(v[:, 0], v[:, 1]) + DRAPE_LIFT + 0.02, atol=0.01)


def test_3d_buildings_off_the_relief_are_reported_and_seated_on_request():
    """On a TIN, a 3D building 20 m above the ground is floating, one 5 m into it sunk, one on it fine;
    seat_buildings moves the two onto the terrain and leaves the third."""
    def build(b):
        add_tin(b, -100, -100, 300, 300)
        add_box(b, "floating", 0, 0, 10, 10, plane(10, 10) + 20, plane(10, 10) + 30)
        add_box(b, "sunk", 100, 0, 110, 10, plane(110, 10) - 5, plane(110, 10) + 5)
        add_box(b, "fine", 200, 0, 210, 10, plane(210, 10), plane(210, 10) + 10)
    src = source(build)
    for seat_buildings in (False, True):
        model = localize([src], FRAME)
        real = real_height_mask([src])
        terrain = build_terrain(model, FRAME, real)
        fine_before = model.objects.bbox_min[model.objects.index_of("fine")].copy()
        report = seat(model, terrain, real, seat_buildings=seat_buildings)
        assert (report.floating, report.sunk) == (1, 1)
        assert set(report.examples) == {"floating", "sunk"}
        assert report.seated == (2 if seat_buildings else 0)
        base = {name: float(model.objects.bbox_min[model.objects.index_of(name), 2]) for name in
                ("floating", "sunk")}
        if seat_buildings:  # the lowest ground under each footprint: its north-west corner on this plane
            assert base["floating"] == pytest.approx(plane(0, 10), abs=0.1)
            assert base["sunk"] == pytest.approx(plane(100, 10), abs=0.1)
        else:
            assert base["floating"] == pytest.approx(plane(10, 10) + 20, abs=0.01)
        assert np.allclose(model.objects.bbox_min[model.objects.index_of("fine")], fine_before)


def test_walking_follows_the_terrain():
    """The collision index of a model with a terrain answers the terrain's height as the ground between
    the model's objects, not its base plane."""
    from viewer.nav.index import CollisionIndex

    sources = slope_and_2d_city()
    model = localize(sources, FRAME)
    real = real_height_mask(sources)
    terrain = build_terrain(model, FRAME, real)
    seat(model, terrain, real)
    model.terrain = terrain
    index = CollisionIndex.from_model(model, base_z=terrain.height_range[0])
    for x, y in ((-50.0, 250.0), (250.0, -50.0), (20.0, 60.0)):
        assert index.ground(x, y)[0] == pytest.approx(float(terrain.height_at(x, y)), abs=0.05)


def test_mesh_reaches_the_horizon_and_leaves_relief_cells_to_the_model():
    """The mesh extends 20x the grid's size on every side at edge heights; cells the TIN covers are holes."""
    src = source(lambda b: add_tin(b, 0, 0, 100, 100))
    model = localize([src], FRAME)
    terrain = build_terrain(model, FRAME, real_height_mask([src]))
    vertices, triangles, inner = mesh(terrain, reach=20.0)
    x0, y0, x1, y1 = terrain.extent
    assert vertices[:, 0].min() == pytest.approx(x0 - 20 * (x1 - x0), rel=1e-6)
    assert vertices[:, 1].max() == pytest.approx(y1 + 20 * (y1 - y0), rel=1e-6)
    ny, nx = terrain.shape
    cells = (ny - 1) * (nx - 1)
    assert 0 < int(inner.sum()) // 2 < cells  # the TIN's cells are left out
    centroids = vertices[triangles[inner]].mean(axis=1)
    assert not ((centroids[:, 0] > 10) & (centroids[:, 0] < 90) & (centroids[:, 1] > 10)
                & (centroids[:, 1] < 90)).any()


# ---------------------------------------------------------------- a GeoTIFF DEM


def write_dem(path: Path, epsg: int, x0: float, y0: float, pixel: float, heights: np.ndarray) -> Path:
    """A GeoTIFF with ModelPixelScale, ModelTiepoint (pixel corner at x0, y0 = top left) and GeoKeys naming
    the projected CRS `epsg` (PixelIsArea)."""
    import tifffile

    keys = [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, epsg]
    tifffile.imwrite(path, heights.astype(np.float32), extratags=[
        (33550, "d", 3, (pixel, pixel, 0.0), False), (33922, "d", 6, (0.0, 0.0, 0.0, x0, y0, 0.0), False),
        (34735, "H", len(keys), keys, False)])
    return path


def test_geotiff_dem_in_another_projected_crs_is_sampled_through_the_frame(tmp_path):
    """A DEM in UTM 32N (EPSG:32632) under a Swiss LV95 scene (EPSG:2056): each grid point is moved to UTM
    and sampled there, so the terrain equals the DEM's plane at the point's UTM position, plus the
    vertical offset, minus the frame's origin height."""
    from pyproj import Transformer

    frame = LocalFrame("EPSG:2056", (2683000.0, 1248000.0, 400.0))
    to_utm = Transformer.from_crs("EPSG:2056", "EPSG:32632", always_xy=True)
    ux, uy = to_utm.transform(2683000.0, 1248000.0)
    x0, y0, pixel = ux - 2000.0, uy + 2000.0, 10.0
    cols, rows = np.meshgrid(np.arange(400), np.arange(400))
    cx, cy = x0 + (cols + 0.5) * pixel, y0 - (rows + 0.5) * pixel  # pixel centres
    dem_plane = lambda x, y: 450.0 + 0.01 * (x - ux) + 0.03 * (y - uy)  # noqa: E731
    dem = write_dem(tmp_path / "dem.tif", 32632, x0, y0, pixel, dem_plane(cx, cy))
    model = localize([source(lambda b: add_box(b, "a", 2682500, 1247500, 2683500, 1248500, 400, 410))], frame)
    terrain = build_terrain(model, frame, np.ones(model.vertex_count, bool), dem=dem, vertical_offset=2.5)
    assert terrain.source == "dem"
    rng = np.random.default_rng(4)
    lx, ly = rng.uniform(-500, 500, 50), rng.uniform(-500, 500, 50)
    px, py = to_utm.transform(lx + 2683000.0, ly + 1248000.0)
    expected = dem_plane(np.asarray(px), np.asarray(py)) + 2.5 - 400.0
    assert np.abs(terrain.height_at(lx, ly) - expected).max() < 0.05


def test_a_tiff_without_georeferencing_is_one_clear_error(tmp_path, capsys):
    """A plain TIFF as [terrain] file: LoadError naming it and saying why; the CLI prints one line."""
    import tifffile

    from viewer.cli import main

    plain = tmp_path / "plain.tif"
    tifffile.imwrite(plain, np.zeros((4, 4), np.float32))
    model = localize([source(lambda b: add_box(b, "a", 0, 0, 10, 10, 0, 5))], FRAME)
    with pytest.raises(LoadError, match="plain.tif.*GeoTIFF"):
        build_terrain(model, FRAME, np.ones(model.vertex_count, bool), dem=plain)
    city = tmp_path / "city.geojson"
    city.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 0]]]}}]}))
    scene = tmp_path / "scene.toml"
    scene.write_text(f'[scene]\ncrs = "EPSG:2056"\n[[sources]]\npath = "{city.name}"\n'
                     f'[terrain]\nfile = "plain.tif"\n')
    assert main(["-q", "inspect", str(scene)]) == 2
    err = capsys.readouterr().err
    assert "plain.tif" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_terrain_table_is_read_and_checked(tmp_path):
    """[terrain] file (relative to the scene), crs, vertical_offset, seat_buildings; unknown keys refused."""
    from viewer.errors import ConfigError

    scene = tmp_path / "s.toml"
    scene.write_text('[[sources]]\npath = "a.json"\n[terrain]\nfile = "dem.tif"\ncrs = "EPSG:2056"\n'
                     'vertical_offset = -1.5\nseat_buildings = true\n')
    config = load_scene(scene)
    assert config.terrain.file == tmp_path / "dem.tif" and config.terrain.crs == "EPSG:2056"
    assert config.terrain.vertical_offset == -1.5 and config.terrain.seat_buildings
    scene.write_text('[[sources]]\npath = "a.json"\n[terrain]\nfiel = "dem.tif"\n')
    with pytest.raises(ConfigError, match="terrain.fiel"):
        load_scene(scene)


def test_scene_cache_keeps_the_terrain_and_keys_its_options(tmp_path):
    """A cached scene comes back with its terrain; seat_buildings and a changed DEM make other entries."""
    from viewer.city import cache
    from viewer.city.scene import load_scene_models, source_key

    city = tmp_path / "city.geojson"
    city.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 0]]]}}]}))
    config = SceneConfig.for_file(city, crs="EPSG:2056")
    first = load_scene_models(config)
    cache.flush()
    again = load_scene_models(config)
    assert again.model.terrain is not None and again.model.terrain.describe() == first.model.terrain.describe()
    keys = [source_key(config.sources[0], config.limits)]
    seated = dataclasses.replace(config, terrain=dataclasses.replace(config.terrain, seat_buildings=True))
    assert cache.scene_key(keys, seated) != cache.scene_key(keys, config)


# ---------------------------------------------------------------- real data


def most_scene(shared_data, tmp_path):
    scene = tmp_path / "most.toml"
    net = shared_data / "sumo_most_monaco" / "in" / "most.net.xml"
    poly = shared_data / "sumo_most_monaco" / "in" / "add" / "most.poly.xml"
    scene.write_text(f'[[sources]]\npath = "{net}"\n[[sources]]\npath = "{poly}"\n')
    return load_scene(scene)


def lanes_in_buildings(model, real):
    """(lane vertices over a building's footprint box, of those with the building's base 20 m or more
    below the lane): a building far below a road that runs over it is one that was not put on the ground."""
    from shapely import STRtree, box, points

    objects = model.objects
    buildings = np.flatnonzero(np.array([t == "Building" for t in objects.types]))
    lo, hi = objects.bbox_min[buildings], objects.bbox_max[buildings]
    tree = STRtree(box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1]))
    lane = np.flatnonzero(real & (model.vertex_kind == K.ROAD))[::4]
    v = model.vertices[lane]
    hit_point, hit_box = tree.query(points(v[:, 0], v[:, 1]), predicate="intersects")
    sunk = v[hit_point, 2] - lo[hit_box, 2] >= 20.0
    return hit_point.size, int(np.count_nonzero(sunk))


def test_most_monaco_buildings_are_no_longer_far_below_the_lanes(shared_data, tmp_path):
    """MoST's 14,998 footprints (SUMO poly, no heights) are placed on the terrain drawn from the network's
    elevations: lane points over a building's box with that building 20 m or more below them drop from
    most of them to a few (bridges, viaducts over buildings)."""
    from viewer.city.loaders import load_source
    from viewer.city.scene import choose_frame

    config = most_scene(shared_data, tmp_path)
    sources = [load_source(s, config.limits) for s in config.sources]
    frame = choose_frame(config, sources)
    model = localize(sources, frame)
    real = real_height_mask(sources)
    assert real.sum() == sources[0].vertex_count  # the network has heights, the footprints none
    over_before, sunk_before = lanes_in_buildings(model, real)
    terrain = build_terrain(model, frame, real)
    report = seat(model, terrain, real)
    over_after, sunk_after = lanes_in_buildings(model, real)
    assert terrain.source == "bases" and terrain.height_range[1] > 500
    assert report.placed == 14998
    print(f"lane points over building boxes: {over_before} before, {over_after} after; with the building "
          f"20 m or more below: {sunk_before} before, {sunk_after} after")
    assert sunk_before > 0.5 * over_before
    assert sunk_after < 0.2 * over_after and sunk_after < 0.2 * sunk_before


def sky_below_horizon(image: np.ndarray, bookmark, background) -> int:
    """How many pixels more than one row below the horizon show the sky colour."""
    h = image.shape[0]
    p, t = np.asarray(bookmark.position), np.asarray(bookmark.look_at)
    pitch = np.arctan2(t[2] - p[2], np.hypot(*(t[:2] - p[:2])))
    horizon = h / 2 + (h / 2) * np.tan(pitch) / np.tan(np.radians(bookmark.fov) / 2)
    below = image[int(np.ceil(horizon)) + 1:]
    return int(np.all(np.abs(below.astype(int) - np.round(np.asarray(background) * 255)) <= 3, axis=-1).sum())


@pytest.mark.render
@pytest.mark.shared_data
def test_zurich_stands_on_its_terrain(shared_data, offscreen_gl):
    """Zurich's buildings (ground 396-620 m) stand on a terrain through their bases: from the street view
    (eye 1.7 m over a building's base) no sky shows below the horizon (on the old slab at the lowest base,
    200 m down, a band of sky did: 1,038 pixels here), and the pixels just under the viewed building's base
    are ground."""
    from viewer.app.headless import render_model_image
    from viewer.city.scene import load_scene_models
    from viewer.render.camera import pose_from_bookmark

    scene = load_scene_models(SceneConfig.for_file(shared_data / "cityjson_zurich" / "zurich_subset_lod2.json"))
    terrain = scene.model.terrain
    assert terrain.source == "bases" and 390 < terrain.height_range[0] < terrain.height_range[1] < 625
    style, mark = scene.config.style, scene.config.cameras["street"]
    image = render_model_image(scene.model, style, (640, 360), mark)
    assert sky_below_horizon(image, mark, style.background) < 20
    pose = pose_from_bookmark(mark, *scene.model.bounds())
    col, row = project(pose, (640, 360), _nearest_base_point(scene, mark)).astype(int)
    pixel = image[row + 4, col].astype(int)
    assert np.abs(pixel - np.round(np.asarray(style.background) * 255)).max() > 20  # not the sky
    assert pixel[1] >= pixel[0] - 5  # the greenish ground colour, not a wall or a roof


def _nearest_base_point(scene, mark) -> np.ndarray:
    """The point of the viewed building's base closest to the eye (the street view looks at its middle):
    its lowest visible point, with the ground right in front of it."""
    objects = scene.model.objects
    t, p = np.asarray(mark.look_at), np.asarray(mark.position)
    inside = ((objects.bbox_min[:, 0] <= t[0]) & (t[0] <= objects.bbox_max[:, 0])
              & (objects.bbox_min[:, 1] <= t[1]) & (t[1] <= objects.bbox_max[:, 1]) & (objects.parents < 0))
    i = np.flatnonzero(inside)[0]
    lo, hi = objects.bbox_min[i].astype(float), objects.bbox_max[i].astype(float)
    return np.array([np.clip(p[0], lo[0], hi[0]), np.clip(p[1], lo[1], hi[1]), lo[2]])


def project(pose, size, point) -> np.ndarray:
    """Pixel (col, row) of a local point for a pinhole camera at `pose` (vertical fov, square pixels)."""
    w, h = size
    forward = np.asarray(pose.look_at, float) - np.asarray(pose.position, float)
    forward /= np.linalg.norm(forward)
    right = np.cross(forward, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    d = np.asarray(point, float) - np.asarray(pose.position, float)
    f = (h / 2) / np.tan(np.radians(pose.fov) / 2)
    z = d @ forward
    return np.array([w / 2 + f * (d @ right) / z, h / 2 - f * (d @ up) / z])


@pytest.mark.render
def test_a_road_lying_on_the_terrain_does_not_z_fight(offscreen_gl):
    """A 400 m road plate exactly at the terrain's height, seen at a low angle from 850 m: every pixel well
    inside it is road, none terrain (the terrain's depth offset; without it a third of them are terrain)."""
    from viewer.app.headless import render_model_image
    from viewer.config import CameraBookmark, Style

    model = localize([source(lambda b: add_plate(b, "road", [[-200, -200, 0], [200, -200, 0], [200, 200, 0],
                                                             [-200, 200, 0]]))], FRAME)
    model.terrain = flat(0.0, (-300, -300, 300, 300))
    style = Style(surfaces={"road": (0.9, 0.1, 0.1)}, ground=(0.1, 0.9, 0.1))
    mark = CameraBookmark(position=(-600.0, -600.0, 150.0), look_at=(0.0, 0.0, 0.0), fov=30.0)
    image = render_model_image(model, style, (320, 180), mark, multisamples=0).astype(int)
    centre = image[86:98, 145:175]
    assert (centre[..., 0] > centre[..., 1]).all()
