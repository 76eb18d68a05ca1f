"""Where the sun stands: azimuth and elevation from a place (lon, lat) and an aware datetime.

Rules this module keeps:
1. Pure: numbers in, numbers out; no clock is read (the caller passes the time), no Panda3D, no pyproj.
2. The algorithm is NOAA's solar calculator (Meeus, "Astronomical Algorithms", as in NOAA's spreadsheet):
   about 0.01 degree against NREL's SPA for years 1900-2100 (tests/test_sun.py checks it within 0.1).
3. Azimuth is a compass bearing in degrees, clockwise from north (0 north, 90 east, 180 south); elevation is
   degrees above the horizon. `apparent=True` (default) adds atmospheric refraction, what an eye or a camera
   sees and what casts the shadows; refraction is NOAA's piecewise formula and is zero below -0.575 degree.
4. Times must carry a UTC offset: a naive datetime is refused (ValueError), because a sun an hour off is
   a wrong shadow study that looks right. parse_time() reads the ISO 8601 spellings the CLI and scenes use;
   it, parse_clock() and parse_step() refuse a wrong spelling with a ConfigError naming the option.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

import numpy as np

from viewer.errors import ConfigError

_J2000_UNIX = 946_728_000.0  # 2000-01-01T12:00:00Z in Unix seconds (Julian day 2451545.0)


@dataclass(frozen=True)
class SunPosition:
    azimuth: float  # degrees clockwise from north
    elevation: float  # degrees above the horizon (apparent unless asked otherwise)

    @property
    def up(self) -> bool:
        return self.elevation > 0.0

    def to_sun(self) -> np.ndarray:
        """Unit (3,) vector from the scene toward the sun in local metres (x east, y north, z up)."""
        return direction(self.azimuth, self.elevation)


def direction(azimuth: float, elevation: float) -> np.ndarray:
    az, el = math.radians(azimuth), math.radians(elevation)
    return np.array([math.sin(az) * math.cos(el), math.cos(az) * math.cos(el), math.sin(el)])


def sun_position(lon: float, lat: float, when: datetime, apparent: bool = True) -> SunPosition:
    """The sun seen from (lon, lat) in degrees at `when` (an aware datetime; rule 4)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{when.isoformat()} has no UTC offset (write it as e.g. 2026-06-21T15:00+02:00)")
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 360.0):
        raise ValueError(f"({lon}, {lat}) is not a longitude and latitude in degrees")
    seconds = (when - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
    az, el = _noaa(float(lon), float(lat), seconds)
    if apparent:
        el += refraction(el)
    return SunPosition(az, el)


def _noaa(lon: float, lat: float, unix_seconds: float) -> tuple[float, float]:
    """NOAA's solar position (geometric elevation, no refraction) for Unix seconds in UTC."""
    t = (unix_seconds - _J2000_UNIX) / 86_400.0 / 36_525.0  # Julian centuries since J2000.0
    mean_lon = (280.46646 + t * (36_000.76983 + t * 0.0003032)) % 360.0
    mean_anom = 357.52911 + t * (35_999.05029 - 0.0001537 * t)
    ecc = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    m = math.radians(mean_anom)
    centre = (math.sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t)) + math.sin(2 * m) * (0.019993 - 0.000101 * t)
              + math.sin(3 * m) * 0.000289)
    true_lon = mean_lon + centre
    omega = math.radians(125.04 - 1934.136 * t)
    app_lon = math.radians(true_lon - 0.00569 - 0.00478 * math.sin(omega))
    mean_obliq = 23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0
    obliq = math.radians(mean_obliq + 0.00256 * math.cos(omega))
    decl = math.asin(math.sin(obliq) * math.sin(app_lon))
    y = math.tan(obliq / 2.0) ** 2
    l0 = math.radians(mean_lon)
    eq_time = 4.0 * math.degrees(  # the equation of time, minutes
        y * math.sin(2 * l0) - 2 * ecc * math.sin(m) + 4 * ecc * y * math.sin(m) * math.cos(2 * l0)
        - 0.5 * y * y * math.sin(4 * l0) - 1.25 * ecc * ecc * math.sin(2 * m))
    minutes_utc = (unix_seconds % 86_400.0) / 60.0
    true_solar = (minutes_utc + eq_time + 4.0 * lon) % 1440.0
    hour_angle = math.radians(true_solar / 4.0 - 180.0)
    phi = math.radians(lat)
    cos_zen = math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.cos(hour_angle)
    zenith = math.acos(max(-1.0, min(1.0, cos_zen)))
    # Azimuth from north, clockwise: atan2 of the east and north components of the sun's direction.
    east = -math.sin(hour_angle) * math.cos(decl)
    north = math.cos(phi) * math.sin(decl) - math.sin(phi) * math.cos(decl) * math.cos(hour_angle)
    azimuth = math.degrees(math.atan2(east, north)) % 360.0
    return azimuth, 90.0 - math.degrees(zenith)


def refraction(elevation: float) -> float:
    """NOAA's atmospheric refraction correction in degrees for a geometric elevation in degrees."""
    if elevation > 85.0:
        return 0.0
    te = math.tan(math.radians(elevation))
    if elevation > 5.0:
        arcsec = 58.1 / te - 0.07 / te**3 + 0.000086 / te**5
    elif elevation > -0.575:
        arcsec = 1735.0 + elevation * (-518.2 + elevation * (103.4 + elevation * (-12.79 + elevation * 0.711)))
    else:
        return 0.0  # the sun is down: no light to bend that matters here
    return arcsec / 3600.0


def parse_time(text: str, what: str = "time") -> datetime:
    """An aware datetime from ISO 8601 ("2026-06-21T15:00+02:00", "...Z"); ConfigError naming `what` and why."""
    raw = text.strip()
    try:
        value = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        raise ConfigError(what, "", f"{text!r} is not an ISO 8601 date and time "
                                    "(e.g. 2026-06-21T15:00+02:00)") from None
    if value.tzinfo is None:
        raise ConfigError(what, "", f"{text!r} has no UTC offset: add one, e.g. {raw}+02:00 or {raw}Z")
    return value


def parse_clock(text: str, what: str) -> time:
    """HH:MM or HH:MM:SS; ConfigError naming `what`."""
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(what, "", f"{text!r} is not a time of day HH:MM") from None


def parse_step(text: str, what: str = "--step") -> timedelta:
    """'10min', '30s', '1h', '15' (minutes); ConfigError naming `what`."""
    raw = text.strip().lower()
    for suffix, unit in (("min", 60.0), ("m", 60.0), ("h", 3600.0), ("s", 1.0)):
        if raw.endswith(suffix):
            number, scale = raw[: -len(suffix)], unit
            break
    else:
        number, scale = raw, 60.0
    try:
        seconds = float(number) * scale
    except ValueError:
        raise ConfigError(what, "", f"{text!r} is not a duration (e.g. 10min, 30s, 1h)") from None
    if not (math.isfinite(seconds) and seconds >= 1.0):
        raise ConfigError(what, "", f"{text!r} must be at least one second")
    return timedelta(seconds=seconds)


def sample_times(day: date, start: time, end: time, step: timedelta, tz: timezone) -> list[datetime]:
    """Times from `start` to `end` inclusive on `day` in `tz`, every `step` (what a shadow study samples)."""
    first = datetime.combine(day, start, tzinfo=tz)
    last = datetime.combine(day, end, tzinfo=tz)
    if last <= first:
        raise ValueError(f"--to {end.isoformat('minutes')} must be after --from {start.isoformat('minutes')}")
    count = int((last - first) / step) + 1
    return [first + i * step for i in range(count)]
