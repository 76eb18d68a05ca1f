"""The procedural demo city: deterministic, exactly `size` closed buildings, nothing overlapping in plan."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from viewer.city import procedural
from viewer.city.model import SourceModel, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError


def _city(seed: int = 7, size: int = 3000) -> SourceModel:
    return procedural.load(None, SourceConfig(format="procedural", seed=seed, size=size), Limits())


@pytest.fixture(scope="module")
def city() -> SourceModel:
    return _city()


def _is_building(model: SourceModel) -> np.ndarray:
    return np.array([t == "Building" for t in model.objects.types])


def _triangle_areas(model: SourceModel, kind: SurfaceKind) -> tuple[np.ndarray, np.ndarray]:
    """Plan area and owning object of every triangle of one surface kind."""
    tris = model.triangles[model.vertex_kind[model.triangles[:, 0]] == kind]
    a, b, c = (model.positions[tris[:, k], :2] for k in range(3))
    cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    return np.abs(cross) / 2, model.vertex_object[tris[:, 0]]


def _plan_polygons(model: SourceModel, keep_object: np.ndarray) -> tuple[np.ndarray, float]:
    """Shapely triangles (in plan) of GROUND and flat surfaces of the kept objects, and their summed area."""
    flat_kinds = [SurfaceKind.GROUND, SurfaceKind.ROAD, SurfaceKind.WATER, SurfaceKind.TERRAIN, SurfaceKind.OTHER]
    tris = model.triangles[np.isin(model.vertex_kind[model.triangles[:, 0]], flat_kinds)]
    tris = tris[keep_object[model.vertex_object[tris[:, 0]]]]
    polygons = shapely.polygons(model.positions[tris][:, :, :2])
    return polygons, float(shapely.area(polygons).sum())


def test_same_seed_same_city():
    """Two runs with one seed give identical arrays, ids and attributes."""
    a, b = _city(3, 500), _city(3, 500)
    for name in ("positions", "triangles", "vertex_object", "vertex_kind"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert a.objects.ids == b.objects.ids and a.objects.attributes == b.objects.attributes


def test_different_seed_different_city():
    """Another seed gives another city."""
    a, b = _city(3, 500), _city(4, 500)
    assert a.positions.shape != b.positions.shape or not np.array_equal(a.positions, b.positions)


@pytest.mark.parametrize("size", [1, 7, 250, 3000])
def test_building_count_equals_size(size):
    """Exactly `size` Building objects, numbered bldg-000000 upwards, each with its own geometry."""
    model = _city(11, size)
    ids = [i for i, t in zip(model.objects.ids, model.objects.types, strict=True) if t == "Building"]
    assert ids == [f"bldg-{i:06d}" for i in range(size)]
    assert np.unique(model.vertex_object[np.isin(model.vertex_object, np.arange(size))]).size == size


def test_heights_and_storeys(city):
    """Storeys 1-60, mostly 3-8; height is storeys times the use's storey height; a few towers near the centre."""
    attrs = [a for a, t in zip(city.objects.attributes, city.objects.types, strict=True) if t == "Building"]
    storeys = np.array([a["storeys"] for a in attrs])
    uses = [a["use"] for a in attrs]
    height = np.array([a["height"] for a in attrs])
    storey_height = procedural.STOREY_HEIGHT[[procedural.USES.index(u) for u in uses]]
    assert storeys.min() >= 1 and storeys.max() <= 60
    assert np.mean((storeys >= 3) & (storeys <= 8)) > 0.9
    np.testing.assert_allclose(height, storeys * storey_height, atol=0.01)
    towers = np.flatnonzero(storeys >= 20)
    assert 3 <= towers.size <= 100
    centre = np.array([city.positions[city.vertex_object == i, :2].mean(axis=0) for i in towers])
    radius = np.abs(city.positions[:, :2] - procedural.ORIGIN).max()
    assert np.hypot(*(centre - procedural.ORIGIN).T).max() < 0.5 * radius
    assert set(uses) == set(procedural.USES)
    roof_top = np.array([city.positions[city.vertex_object == i, 2].max() for i in range(20)])
    np.testing.assert_allclose(roof_top, height[:20])


def test_buildings_are_closed_prisms(city):
    """Every building has roof, walls and ground; roof area equals ground area; walls face outward."""
    n = len([t for t in city.objects.types if t == "Building"])
    for kind in (SurfaceKind.ROOF, SurfaceKind.WALL, SurfaceKind.GROUND):
        owners = np.unique(city.vertex_object[city.vertex_kind == kind])
        assert np.array_equal(owners[owners < n], np.arange(n))
    roof, roof_owner = _triangle_areas(city, SurfaceKind.ROOF)
    ground, ground_owner = _triangle_areas(city, SurfaceKind.GROUND)
    roof_area = np.bincount(roof_owner, roof, minlength=n)[:n]
    np.testing.assert_allclose(roof_area, np.bincount(ground_owner, ground, minlength=n)[:n], rtol=1e-9)
    # Divergence theorem: a closed, outward-wound prism has volume = footprint area x height > 0.
    # Coordinates relative to one vertex of each building keep the products exact enough.
    tris = city.triangles[city.vertex_object[city.triangles[:, 0]] < n]
    owner = city.vertex_object[tris[:, 0]]
    objects, first = np.unique(city.vertex_object, return_index=True)
    reference = city.positions[first[np.searchsorted(objects, owner)]]
    a, b, c = (city.positions[tris[:, k]] - reference for k in range(3))
    volume = np.bincount(owner, np.einsum("ij,ij->i", a, np.cross(b, c)) / 6, n)
    heights = np.array([attrs["height"] for attrs in city.objects.attributes[:n]])
    np.testing.assert_allclose(volume, roof_area * heights, rtol=1e-6)


def test_buildings_do_not_overlap(city):
    """Building footprints are disjoint: their summed area equals the area of their union."""
    polygons, total = _plan_polygons(city, _is_building(city))
    assert shapely.union_all(polygons).area == pytest.approx(total, abs=0.5)


def test_streets_water_parks_and_buildings_tile_without_overlap(city):
    """Buildings, streets, canal, parks and plaza (all but the raised diagonal avenue) never overlap in plan."""
    keep = np.array([a.get("name") != "Boulevard Diagonaal" for a in city.objects.attributes])
    polygons, total = _plan_polygons(city, keep)
    assert shapely.union_all(polygons).area == pytest.approx(total, abs=1.0)


def test_diagonal_avenue_misses_buildings(city):
    """The diagonal avenue crosses streets but no building footprint."""
    diagonal = np.array([a.get("name") == "Boulevard Diagonaal" for a in city.objects.attributes])
    assert diagonal.any()
    road, _ = _plan_polygons(city, diagonal)
    buildings, _ = _plan_polygons(city, _is_building(city))
    assert shapely.intersection(shapely.union_all(road), shapely.union_all(buildings)).area < 1e-6


def test_roads_water_and_parks(city):
    """Roads are one quad per segment with name, lanes and speed limit; water, parks and a plaza exist."""
    counts = city.objects.type_counts()
    assert counts["Road"] > 100 and counts["Water"] > 0 and counts["Park"] > 0 and counts["Plaza"] == 1
    roads = [i for i, t in enumerate(city.objects.types) if t == "Road"]
    per_object = np.bincount(city.vertex_object[city.triangles[:, 0]], minlength=len(city.objects))
    assert set(per_object[roads].tolist()) == {2}
    for i in roads:
        attrs = city.objects.attributes[i]
        assert attrs["name"] and attrs["lanes"] in (2, 4) and attrs["speed_limit"] in (30, 50)
    assert set(city.vertex_kind[np.isin(city.vertex_object, roads)].tolist()) == {SurfaceKind.ROAD}


def test_placed_in_rotterdam(city):
    """The city is in EPSG:7415 around the Stadhuis of Rotterdam (51.9225 N, 4.4792 E)."""
    assert city.crs == "EPSG:7415"
    lo, hi = city.bbox()
    centre = (np.array(lo[:2]) + np.array(hi[:2])) / 2
    lon, lat = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True).transform(*centre)
    assert abs(lat - 51.9225) < 0.01 and abs(lon - 4.4792) < 0.01
    assert lo[2] == 0.0


def test_bad_size_and_limits():
    """A size below 1 is a LoadError; a size above the object limit is a LimitExceeded."""
    with pytest.raises(LoadError, match="size"):
        procedural.load(None, SourceConfig(format="procedural", size=0), Limits())
    with pytest.raises(LimitExceeded, match="object count"):
        procedural.load(None, SourceConfig(format="procedural", size=100), Limits(max_objects=10))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(-(2**70), 2**70), size=st.integers(1, 300))
def test_any_seed_and_size(seed, size):
    """Any integer seed and small size gives exactly `size` buildings with finite coordinates."""
    model = _city(seed, size)
    assert model.objects.types.count("Building") == size
    assert np.isfinite(model.positions).all() and model.triangle_count > 0
