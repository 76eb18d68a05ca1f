"""The sun's position (viewer/geo/sun.py) against NREL's SPA, and the time parsing the CLI and scenes use."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from viewer.geo.sun import parse_step, parse_time, sample_times, sun_position

# NREL's Solar Position Algorithm (Reda & Andreas 2004) as pvlib 0.16.1 spa_python computes it, sea level,
# 1013.25 hPa, 12 C: (place, lon, lat, local time, azimuth, apparent elevation, geometric elevation).
# The Golden row is SPA's own published example (azimuth 194.34024; zenith 50.11162 at 820 hPa, 11 C).
SPA = [
    ("Den Haag", 4.3, 52.08, "2026-03-21T12:00+01:00", 164.2480, 37.2203, 37.1981),
    ("Den Haag", 4.3, 52.08, "2026-06-21T15:00+02:00", 213.9268, 57.9404, 57.9299),
    ("Den Haag", 4.3, 52.08, "2026-12-21T09:30+01:00", 137.1514, 3.9634, 3.7669),
    ("Berlin", 13.4, 52.52, "2026-06-21T06:00+02:00", 62.5678, 8.8466, 8.7453),
    ("Sydney", 151.21, -33.87, "2026-01-15T17:00+11:00", 267.8173, 36.9645, 36.9421),
    ("Quito", -78.47, -0.18, "2026-09-23T12:00-05:00", 93.4926, 88.4528, 88.4524),
    ("Tromso", 18.96, 69.65, "2026-06-21T00:30+02:00", 356.3584, 3.3499, 3.1288),
    ("Golden", -105.1786, 39.742476, "2003-10-17T12:30:30-07:00", 194.3402, 39.8922, 39.8720),
    ("Singapore", 103.82, 1.35, "2030-02-10T08:15+08:00", 105.1334, 13.2926, 13.2236),
]


def _angle_diff(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


@pytest.mark.parametrize("place, lon, lat, when, azimuth, apparent, geometric", SPA, ids=[r[0] + r[3] for r in SPA])
def test_sun_position_matches_spa_within_a_tenth_of_a_degree(place, lon, lat, when, azimuth, apparent, geometric):
    sun = sun_position(lon, lat, parse_time(when))
    assert _angle_diff(sun.azimuth, azimuth) < 0.1 or apparent > 88.0  # near the zenith azimuth is ill-defined
    assert abs(sun.elevation - apparent) < 0.1
    assert abs(sun_position(lon, lat, parse_time(when), apparent=False).elevation - geometric) < 0.1


def test_the_same_instant_in_any_offset_gives_the_same_sun():
    a = sun_position(4.3, 52.08, parse_time("2026-06-21T15:00+02:00"))
    b = sun_position(4.3, 52.08, parse_time("2026-06-21T13:00Z"))
    assert (a.azimuth, a.elevation) == pytest.approx((b.azimuth, b.elevation))


def test_direction_points_at_the_sun():
    sun = sun_position(4.3, 52.08, parse_time("2026-06-21T13:40+02:00"))  # about solar noon: due south, high
    to = sun.to_sun()
    assert to[1] < -0.45 and to[2] > 0.85 and abs(to[0]) < 0.05  # 61.4 degrees up


def test_night_is_below_the_horizon():
    assert not sun_position(4.3, 52.08, parse_time("2026-12-21T23:00+01:00")).up


@pytest.mark.parametrize("text, reason", [
    ("2026-06-21T15:00", "no UTC offset"),
    ("21/06/2026 3pm", "not an ISO 8601"),
    ("2026-13-01T10:00Z", "not an ISO 8601"),
])
def test_bad_times_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_time(text, "--time")


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="no UTC offset"):
        sun_position(4.3, 52.08, datetime(2026, 6, 21, 15))


def test_steps_and_samples():
    assert parse_step("10min") == timedelta(minutes=10)
    assert parse_step("1h") == timedelta(hours=1)
    assert parse_step("30s") == timedelta(seconds=30)
    assert parse_step("15") == timedelta(minutes=15)
    for bad in ("soon", "0min", "-5min"):
        with pytest.raises(ValueError, match="--step"):
            parse_step(bad)
    times = sample_times(date(2026, 3, 21), time(8), time(16), timedelta(minutes=10), timezone(timedelta(hours=1)))
    assert len(times) == 49 and times[0].hour == 8 and times[-1].hour == 16
