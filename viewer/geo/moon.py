"""Where the moon stands: azimuth, elevation and lit share from a place (lon, lat) and an aware datetime.

Rules this module keeps:
1. Pure, like viewer/geo/sun.py: numbers in, numbers out; no clock, no Panda3D. Times must carry a UTC
   offset (a naive datetime is refused with ValueError, as for the sun).
2. The algorithm is Meeus, "Astronomical Algorithms" (2nd ed.), chapter 47, with the larger periodic terms
   of tables 47.A and 47.B (those of 0.002 degree and more): the geocentric ecliptic position within about
   0.01 degree of the full series (tests/test_look_night.py checks Meeus's worked example 47.a). The
   horizontal position adds the topocentric parallax (up to 1 degree: the moon is 60 earth radii away) and
   refraction (viewer/geo/sun.py's), and takes UT for TT (69 s in 2026: 0.01 degree of the moon's motion).
3. Azimuth is a compass bearing clockwise from north, elevation degrees above the horizon, as for the sun.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from viewer.geo.sun import direction, refraction

_J2000_UNIX = 946_728_000.0  # 2000-01-01T12:00:00Z (Julian day 2451545.0)
EARTH_RADIUS_KM = 6378.14

# Table 47.A: multiples of D, M, M', F; longitude (1e-6 degree) and distance (1e-3 km) coefficients.
_LONGITUDE = np.array([
    (0, 0, 1, 0, 6288774, -20905355), (2, 0, -1, 0, 1274027, -3699111), (2, 0, 0, 0, 658314, -2955968),
    (0, 0, 2, 0, 213618, -569925), (0, 1, 0, 0, -185116, 48888), (0, 0, 0, 2, -114332, -3149),
    (2, 0, -2, 0, 58793, 246158), (2, -1, -1, 0, 57066, -152138), (2, 0, 1, 0, 53322, -170733),
    (2, -1, 0, 0, 45758, -204586), (0, 1, -1, 0, -40923, -129620), (1, 0, 0, 0, -34720, 108743),
    (0, 1, 1, 0, -30383, 104755), (2, 0, 0, -2, 15327, 10321), (0, 0, 1, 2, -12528, 0),
    (0, 0, 1, -2, 10980, 79661), (4, 0, -1, 0, 10675, -34782), (0, 0, 3, 0, 10034, -23210),
    (4, 0, -2, 0, 8548, -21636), (2, 1, -1, 0, -7888, 24208), (2, 1, 0, 0, -6766, 30824),
    (1, 0, -1, 0, -5163, -8379), (1, 1, 0, 0, 4987, -16675), (2, -1, 1, 0, 4036, -12831),
    (2, 0, 2, 0, 3994, -10445), (4, 0, 0, 0, 3861, -11650), (2, 0, -3, 0, 3665, 14403),
    (0, 1, -2, 0, -2689, -7003), (2, 0, -1, 2, -2602, 0), (2, -1, -2, 0, 2390, 10056),
    (1, 0, 1, 0, -2348, 6322), (2, -2, 0, 0, 2236, -9884), (0, 1, 2, 0, -2120, 5751),
    (0, 2, 0, 0, -2069, 0), (2, -2, -1, 0, 2048, -4950),
], np.float64)
# Table 47.B: multiples of D, M, M', F; latitude (1e-6 degree) coefficients.
_LATITUDE = np.array([
    (0, 0, 0, 1, 5128122), (0, 0, 1, 1, 280602), (0, 0, 1, -1, 277693), (2, 0, 0, -1, 173237),
    (2, 0, -1, 1, 55413), (2, 0, -1, -1, 46271), (2, 0, 0, 1, 32573), (0, 0, 2, 1, 17198),
    (2, 0, 1, -1, 9266), (0, 0, 2, -1, 8822), (2, -1, 0, -1, 8216), (2, 0, -2, -1, 4324),
    (2, 0, 1, 1, 4200), (2, 1, 0, -1, -3359), (2, -1, -1, 1, 2463), (2, -1, 0, 1, 2211),
    (2, -1, -1, -1, 2065), (0, 1, -1, -1, -1870), (4, 0, -1, -1, 1828), (0, 1, 0, 1, -1794),
    (0, 0, 0, 3, -1749), (0, 1, -1, 1, -1565), (1, 0, 0, 1, -1491), (0, 1, 1, 1, -1475),
    (0, 1, 1, -1, -1410), (0, 1, 0, -1, -1344), (1, 0, 0, -1, -1335),
], np.float64)


@dataclass(frozen=True)
class MoonPosition:
    azimuth: float  # degrees clockwise from north
    elevation: float  # degrees above the horizon, seen from the place (parallax and refraction included)
    lit: float  # share of the disc the sun lights, 0 (new) .. 1 (full)

    @property
    def up(self) -> bool:
        return self.elevation > 0.0

    def to_moon(self) -> np.ndarray:
        """Unit (3,) vector from the scene toward the moon (x east, y north, z up)."""
        return direction(self.azimuth, self.elevation)


@dataclass(frozen=True)
class Ecliptic:
    longitude: float  # degrees, of the mean equinox of date (no nutation)
    latitude: float  # degrees
    distance_km: float


def _centuries(when: datetime) -> float:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{when.isoformat()} has no UTC offset (write it as e.g. 2026-06-21T23:00+02:00)")
    seconds = (when - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
    return (seconds - _J2000_UNIX) / 86_400.0 / 36_525.0


def moon_ecliptic(when: datetime) -> Ecliptic:
    """Rule 2: the moon's geocentric ecliptic position at `when` (aware)."""
    return _ecliptic(_centuries(when))


def _ecliptic(t: float) -> Ecliptic:
    lp = 218.3164477 + 481267.88123421 * t - 0.0015786 * t * t + t**3 / 538841 - t**4 / 65194000
    d = 297.8501921 + 445267.1114034 * t - 0.0018819 * t * t + t**3 / 545868 - t**4 / 113065000
    m = 357.5291092 + 35999.0502909 * t - 0.0001536 * t * t + t**3 / 24490000
    mp = 134.9633964 + 477198.8675055 * t + 0.0087414 * t * t + t**3 / 69699 - t**4 / 14712000
    f = 93.2720950 + 483202.0175233 * t - 0.0036539 * t * t - t**3 / 3526000 + t**4 / 863310000
    a1, a2, a3 = 119.75 + 131.849 * t, 53.09 + 479264.290 * t, 313.45 + 481266.484 * t
    e = 1.0 - 0.002516 * t - 0.0000074 * t * t
    args = np.radians(np.array([d, m, mp, f]))

    def series(table: np.ndarray, column: int, wave: np.ufunc) -> float:
        angle = table[:, :4] @ args
        return float(np.sum(table[:, column] * e ** np.abs(table[:, 1]) * wave(angle)))

    sin = math.sin
    rad = math.radians
    sigma_l = series(_LONGITUDE, 4, np.sin) + 3958 * sin(rad(a1)) + 1962 * sin(rad(lp - f)) + 318 * sin(rad(a2))
    sigma_r = series(_LONGITUDE, 5, np.cos)
    sigma_b = (series(_LATITUDE, 4, np.sin) - 2235 * sin(rad(lp)) + 382 * sin(rad(a3)) + 175 * sin(rad(a1 - f))
               + 175 * sin(rad(a1 + f)) + 127 * sin(rad(lp - mp)) - 115 * sin(rad(lp + mp)))
    return Ecliptic((lp + sigma_l / 1e6) % 360.0, sigma_b / 1e6, 385000.56 + sigma_r / 1000.0)


def equatorial(ecliptic: Ecliptic, t: float) -> tuple[float, float]:
    """(right ascension, declination) degrees of an ecliptic position at Julian centuries `t`."""
    obliquity = math.radians(23.439291 - 0.0130042 * t)
    lam, beta = math.radians(ecliptic.longitude), math.radians(ecliptic.latitude)
    ra = math.atan2(math.sin(lam) * math.cos(obliquity) - math.tan(beta) * math.sin(obliquity), math.cos(lam))
    dec = math.asin(math.sin(beta) * math.cos(obliquity) + math.cos(beta) * math.sin(obliquity) * math.sin(lam))
    return math.degrees(ra) % 360.0, math.degrees(dec)


def horizontal(ra: float, dec: float, lon: float, lat: float, t: float) -> tuple[float, float]:
    """Geocentric (azimuth, elevation) degrees of (ra, dec) seen from (lon, lat) at Julian centuries `t`
    (Greenwich mean sidereal time, Meeus 12.4)."""
    days = t * 36_525.0
    gmst = 280.46061837 + 360.98564736629 * days + 0.000387933 * t * t - t**3 / 38_710_000.0
    h = math.radians((gmst + lon - ra) % 360.0)
    phi, delta = math.radians(lat), math.radians(dec)
    elevation = math.asin(math.sin(phi) * math.sin(delta) + math.cos(phi) * math.cos(delta) * math.cos(h))
    azimuth = math.atan2(math.sin(h), math.cos(h) * math.sin(phi) - math.tan(delta) * math.cos(phi))
    return (math.degrees(azimuth) + 180.0) % 360.0, math.degrees(elevation)


def moon_position(lon: float, lat: float, when: datetime) -> MoonPosition:
    """The moon seen from (lon, lat) degrees at `when` (aware): rules 2-3."""
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 360.0):
        raise ValueError(f"({lon}, {lat}) is not a longitude and latitude in degrees")
    t = _centuries(when)
    ecl = _ecliptic(t)
    azimuth, geocentric = horizontal(*equatorial(ecl, t), lon, lat, t)
    parallax = math.degrees(math.asin(EARTH_RADIUS_KM / ecl.distance_km))
    elevation = geocentric - parallax * math.cos(math.radians(geocentric))
    return MoonPosition(azimuth, elevation + refraction(elevation), lit_share(ecl, t))


def sun_longitude(t: float) -> float:
    """The sun's geometric ecliptic longitude, degrees (Meeus 25, as viewer/geo/sun.py's NOAA formula)."""
    mean_lon = 280.46646 + t * (36_000.76983 + t * 0.0003032)
    m = math.radians(357.52911 + t * (35_999.05029 - 0.0001537 * t))
    centre = (math.sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t)) + math.sin(2 * m) * (0.019993 - 0.000101 * t)
              + math.sin(3 * m) * 0.000289)
    return (mean_lon + centre) % 360.0


def lit_share(ecl: Ecliptic, t: float) -> float:
    """The share of the moon's disc lit by the sun, from the elongation (Meeus 48.2 with 48.1's small angle)."""
    lam, beta = math.radians(ecl.longitude), math.radians(ecl.latitude)
    elongation = math.acos(math.cos(beta) * math.cos(lam - math.radians(sun_longitude(t))))
    return 0.5 * (1.0 - math.cos(elongation))
