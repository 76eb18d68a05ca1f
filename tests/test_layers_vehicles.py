"""Vehicle instances: interpolation behind the data, angle wrapping, extrapolation, fading, grouping by type,
the render clock, ground heights and feed positions mapped to local metres."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.city.model import CityModel, ObjectTable, SurfaceKind
from viewer.config import LayerConfig
from viewer.geo.frame import LocalFrame
from viewer.layers.clock import RenderClock
from viewer.layers.height import HeightField
from viewer.layers.position import PositionMapper, localise_update
from viewer.layers.styles import LayerStyle
from viewer.layers.vehicles import FADE_SECONDS, INSTANCE_FLOATS, VehicleLayer, lerp_angle, sample
from viewer.twin.batch import VEHICLE_TYPES, TwinUpdate, make_batch
from viewer.twin.state import TwinState


def vehicles(state: TwinState, t: float, now: float = 0.0, snapshot: bool = False, **columns) -> None:
    state.apply(TwinUpdate(t, {"vehicle": make_batch("vehicle", **columns)}, snapshot=snapshot), now)


def test_lerp_angle_takes_the_short_way_round():
    """350 -> 10 degrees passes through 0, not 180; 10 -> 350 likewise backwards."""
    f = np.array([0.0, 0.5, 1.0])
    assert np.allclose(lerp_angle(np.full(3, 350.0), np.full(3, 10.0), f), [350.0, 0.0, 10.0])
    assert np.allclose(lerp_angle(np.full(3, 10.0), np.full(3, 350.0), f), [10.0, 0.0, 350.0])


@given(st.floats(0, 360, exclude_max=True), st.floats(0, 360, exclude_max=True), st.floats(0, 1))
def test_lerp_angle_stays_on_the_short_arc(a, b, f):
    """The interpolated heading is within f x (the short arc) of the start, and ends exactly at b."""
    out = float(lerp_angle(np.array([a]), np.array([b]), np.array([f]))[0])
    arc = abs((b - a + 180.0) % 360.0 - 180.0)
    moved = abs((out - a + 180.0) % 360.0 - 180.0)
    assert moved <= arc * f + 1e-6
    end = float(lerp_angle(np.array([a]), np.array([b]), np.array([1.0]))[0])
    assert abs((end - b + 180.0) % 360.0 - 180.0) < 1e-6


def test_positions_interpolate_between_the_two_samples():
    """Halfway in feed time between two samples a vehicle is halfway, with its heading halfway."""
    state = TwinState()
    vehicles(state, 10.0, ids=["a"], x=[0.0], y=[0.0], z=[0.0], heading=[80.0], speed=[10.0])
    vehicles(state, 11.0, ids=["a"], x=[10.0], y=[0.0], z=[2.0], heading=[100.0], speed=[10.0])
    x, y, z, h = sample(state["vehicle"], 10.5, newest=11.0, period=1.0, extrapolate=1.0)
    assert (x[0], y[0], z[0], h[0]) == pytest.approx((5.0, 0.0, 1.0, 90.0))


def test_a_vehicle_not_resent_starts_moving_one_period_before_its_new_sample():
    """A car that stood still for 5 s (not re-sent) and then moved is still at rest until one period before
    the new sample: no jump when it starts."""
    state = TwinState()
    vehicles(state, 0.0, ids=["a"], x=[0.0], y=[0.0], z=[0.0], heading=[90.0], speed=[0.0])
    vehicles(state, 5.0, ids=["a"], x=[8.0], y=[0.0], z=[0.0], heading=[90.0], speed=[8.0])
    table = state["vehicle"]
    assert sample(table, 3.9, newest=5.0, period=1.0, extrapolate=1.0)[0][0] == 0.0
    assert sample(table, 4.0, newest=5.0, period=1.0, extrapolate=1.0)[0][0] == 0.0
    assert sample(table, 4.5, newest=5.0, period=1.0, extrapolate=1.0)[0][0] == pytest.approx(4.0)


def test_vehicles_absent_from_newer_updates_hold_and_late_feeds_extrapolate_briefly():
    """Past the newest update, only vehicles that moved in it continue at their last velocity, for at most
    `extrapolate` seconds; a vehicle not in it (it did not change) holds its place."""
    state = TwinState()
    vehicles(state, 0.0, ids=["mover", "parked"], x=[0.0, 50.0], y=[0.0, 0.0], z=[0.0, 0.0],
             heading=[90.0, 90.0], speed=[10.0, 10.0])
    vehicles(state, 1.0, ids=["mover", "parked"], x=[10.0, 60.0], y=[0.0, 0.0], z=[0.0, 0.0],
             heading=[90.0, 90.0], speed=[10.0, 0.0])
    vehicles(state, 2.0, ids=["mover"], x=[20.0], y=[0.0], z=[0.0], heading=[90.0], speed=[10.0])
    table = state["vehicle"]
    row = {key: table.index[key] for key in ("mover", "parked")}
    x = sample(table, 2.5, newest=2.0, period=1.0, extrapolate=1.0)[0]
    assert x[row["mover"]] == pytest.approx(25.0) and x[row["parked"]] == pytest.approx(60.0)
    x = sample(table, 9.0, newest=2.0, period=1.0, extrapolate=1.0)[0]
    assert x[row["mover"]] == pytest.approx(30.0)


def test_missing_heading_comes_from_the_motion():
    """A vehicle without a heading points where it moves (east = 90 degrees)."""
    state = TwinState()
    vehicles(state, 0.0, ids=["a"], x=[0.0], y=[0.0], z=[0.0], speed=[1.0])
    vehicles(state, 1.0, ids=["a"], x=[1.0], y=[0.0], z=[0.0], speed=[1.0])
    assert sample(state["vehicle"], 0.5, 1.0, 1.0, 1.0)[3][0] == pytest.approx(90.0)


def test_fade_after_silence_and_ghosting():
    """Alpha is 1 until fade_after wall seconds without an update, 0 after FADE_SECONDS more; ghost caps it."""
    state = TwinState()
    vehicles(state, 0.0, now=100.0, ids=["a"], x=[0.0], y=[0.0], z=[0.0], heading=[0.0], speed=[1.0])
    layer = VehicleLayer(LayerStyle("vehicles", LayerConfig(fade_after=30.0)))
    out = np.zeros((4, INSTANCE_FLOATS), np.float32)

    def alpha(wall: float, ghost: float = 1.0) -> float:
        layer.frame(state["vehicle"], 0.0, wall, 0.0, 0.1, out, ghost)
        return float(out[0, 7])

    assert alpha(129.0) == 1.0
    assert alpha(130.0 + FADE_SECONDS / 2) == pytest.approx(0.5)
    assert alpha(130.0 + FADE_SECONDS) == 0.0
    assert alpha(100.0, ghost=0.35) == pytest.approx(0.35)


def fleet(n: int = 8) -> TwinState:
    state = TwinState()
    types = [VEHICLE_TYPES[k % len(VEHICLE_TYPES)] for k in range(n)]
    vehicles(state, 0.0, ids=[f"v{k}" for k in range(n)], x=np.arange(n, dtype=float), y=np.zeros(n),
             z=np.zeros(n), heading=np.zeros(n), speed=np.full(n, 5.0), vtype=types)
    return state


def test_instances_are_grouped_by_type_in_feed_type_order():
    """The instance rows come in runs per type (VEHICLE_TYPES order) with counts and offsets to match, each
    row carrying its vehicle's position, heading in radians and its type's colour."""
    state = fleet(16)
    layer = VehicleLayer(LayerStyle("vehicles", LayerConfig()))
    out = np.zeros((32, INSTANCE_FLOATS), np.float32)
    frame = layer.frame(state["vehicle"], 0.0, 0.0, 0.0, 0.1, out)
    assert frame.n == 16 and frame.counts.tolist() == [2] * 8 and frame.offsets.tolist() == list(range(0, 17, 2))
    ids = state["vehicle"].live_ids()[frame.order]
    assert [VEHICLE_TYPES.index(str(state["vehicle"].column("vtype")[r])) for r in frame.order] == \
        sorted(k % 8 for k in range(16))
    assert out[:16, 0].tolist() == [float(i[1:]) for i in ids]
    palette = layer.style.rgba(np.arange(8))[:, :3] / 255.0
    assert np.allclose(out[:16:2, 4:7], palette, atol=1e-6)
    assert (out[:16, 7] == 1.0).all()


def test_hidden_layer_and_missing_positions_draw_nothing():
    """A hidden vehicle layer draws no instance; a vehicle with a NaN position gets alpha 0."""
    state = fleet(4)
    vehicles(state, 0.5, ids=["v1"], x=[np.nan], y=[np.nan], z=[0.0], heading=[0.0], speed=[0.0], vtype=["bus"])
    layer = VehicleLayer(LayerStyle("vehicles", LayerConfig()))
    out = np.zeros((8, INSTANCE_FLOATS), np.float32)
    frame = layer.frame(state["vehicle"], 0.5, 0.0, 0.5, 0.1, out)
    assert out[int(np.flatnonzero(frame.order == state["vehicle"].index["v1"])[0]), 7] == 0.0
    layer.style.visible = False
    assert layer.frame(state["vehicle"], 0.5, 0.0, 0.5, 0.1, out).n == 0


def test_instance_memory_too_small_is_refused():
    """The layer never writes past the renderer's instance memory."""
    layer = VehicleLayer(LayerStyle("vehicles", LayerConfig()))
    with pytest.raises(ValueError, match="instance memory"):
        layer.frame(fleet(8)["vehicle"], 0.0, 0.0, 0.0, 0.1, np.zeros((4, INSTANCE_FLOATS), np.float32))


def test_clock_draws_one_period_behind_and_never_backwards():
    """With updates every 0.1 s arriving with a jittery delay, the render time trails the newest data by about
    one period, between the two samples kept, and never decreases."""
    clock = RenderClock()
    rng = np.random.default_rng(3)
    out, last_update = [], 0.0
    for k in range(200):
        t = 1000.0 + 0.1 * k
        clock.observe(t, wall=0.05 + 0.1 * k + float(rng.uniform(0, 0.02)))
        last_update = t
        for j in range(6):  # frames until the next update may arrive (at 0.1 (k + 1) + 0.05 at the earliest)
            wall = 0.1 * k + 0.07 + j * 0.013
            out.append((clock.now(wall), last_update))
    times = np.array([o[0] for o in out])
    assert (np.diff(times) >= 0).all()
    assert clock.period == pytest.approx(0.1)
    lag = np.array([b - a for a, b in out[600:]])
    assert 0.0 <= lag.min() and lag.max() <= 0.25


def test_clock_reset_pin_and_jumps():
    """A reset forgets the old stream; a pinned clock returns its time; a far target is jumped to at once."""
    clock = RenderClock(delay=0.5)
    clock.observe(100.0, 0.0)
    assert clock.now(0.0) == pytest.approx(99.5)
    clock.observe(500.0, 1.0)  # the feed skipped ahead: far beyond the slew, so the output jumps
    assert clock.now(1.0) == pytest.approx(499.5)
    clock.reset()
    assert clock.now(2.0) == -math.inf
    clock.pin(42.0)
    assert clock.now(3.0) == 42.0


def slab(z: float, x0: float, x1: float, kind: SurfaceKind) -> tuple[np.ndarray, np.ndarray]:
    v = np.array([[x0, 0, z], [x1, 0, z], [x1, 10, z], [x0, 10, z]], np.float32)
    return v, np.array([[0, 1, 2], [0, 2, 3]], np.uint32)


def test_height_field_prefers_roads_over_ground():
    """Vehicles stand on a road (a bridge deck at 5 m) where there is one, on the ground elsewhere, and at the
    default height off the model."""
    parts = [slab(0.0, 0, 100, SurfaceKind.GROUND), slab(5.0, 40, 60, SurfaceKind.ROAD)]
    kinds = [SurfaceKind.GROUND, SurfaceKind.ROAD]
    verts = np.concatenate([p[0] for p in parts])
    tris = np.concatenate([parts[0][1], parts[1][1] + 4])
    model = CityModel(verts, tris, np.zeros(8, np.int32), np.repeat(np.array(kinds, np.uint8), 4),
                      ObjectTable(["g"], ["Ground"], np.array([-1], np.int32), [{}]))
    field = HeightField.from_model(model, cell=1.0, default=-3.0)
    z = field.at(np.array([10.0, 50.0, 70.0, 500.0]), np.array([5.0, 5.0, 5.0, 5.0]))
    assert z.tolist() == [0.0, 5.0, 0.0, -3.0]


def test_height_field_interpolates_a_slope():
    """On a sloped road the height is the plane's at the cell centre."""
    v = np.array([[0, 0, 0], [100, 0, 10], [100, 10, 10], [0, 10, 0]], np.float32)
    model = CityModel(v, np.array([[0, 1, 2], [0, 2, 3]], np.uint32), np.zeros(4, np.int32),
                      np.full(4, SurfaceKind.ROAD, np.uint8), ObjectTable(["r"], ["Road"], np.array([-1], np.int32), [{}]))
    field = HeightField.from_model(model, cell=1.0)
    assert field.at(np.array([50.2]), np.array([5.0]))[0] == pytest.approx(5.05, abs=1e-4)


def test_positions_in_the_scene_crs_only_lose_the_origin():
    """Feed positions in the scene's own CRS map by subtracting the origin, exactly."""
    frame = LocalFrame("EPSG:7415", (85000.0, 447000.0))
    mapper = PositionMapper(frame, "EPSG:7415", np.zeros(3), np.full(3, 1000.0))
    assert mapper.identity
    x, y = mapper.to_local(np.array([85010.5]), np.array([446990.0]))
    assert (x[0], y[0]) == (10.5, -10.0)


def test_lonlat_positions_use_a_checked_fast_fit():
    """Lon/lat feed positions map through a fitted polynomial within 2 cm of pyproj over the scene's area."""
    frame = LocalFrame("EPSG:7415", (85000.0, 447000.0))
    lo, hi = np.array([-1500.0, -1500.0, 0.0]), np.array([1500.0, 1500.0, 50.0])
    mapper = PositionMapper(frame, "EPSG:4326", lo, hi)
    assert mapper.coef is not None and mapper.error < 0.02
    rng = np.random.default_rng(1)
    local = rng.uniform(-1500, 1500, (500, 2))
    lonlat = frame.local_to_lonlat(local)
    x, y = mapper.to_local(lonlat[:, 0], lonlat[:, 1])
    assert np.abs(np.c_[x, y] - local).max() < 0.02


def test_localise_update_maps_vehicles_and_fills_heights():
    """An update's vehicles come out in local metres with a missing z taken from the ground; others untouched."""
    frame = LocalFrame("EPSG:7415", (85000.0, 447000.0, 2.0))
    mapper = PositionMapper(frame, None, np.zeros(3), np.ones(3))
    field = HeightField(0.0, 0.0, 1.0, np.full((20, 20), 7.0, np.float32), -1.0)
    roads = make_batch("road", ids=["r"], speed=[3.0])
    update = TwinUpdate(5.0, {"vehicle": make_batch("vehicle", ids=["a", "b"], x=[85003.5, 85003.5],
                                                    y=[447004.5, 447004.5], z=[np.nan, 12.0]), "road": roads})
    out = localise_update(update, mapper, field)
    v = out.upserts["vehicle"]
    assert v.x.tolist() == [3.5, 3.5] and v.y.tolist() == [4.5, 4.5] and v.z.tolist() == [7.0, 10.0]
    assert out.upserts["road"] is roads and out.time == 5.0
