"""Web-mercator (EPSG:3857) tile maths: lon/lat <-> z/x/y, the TMS row flip, tile rectangles.

Rules this module keeps:
1. "world" coordinates u, v run 0..1 over the mercator square: u east from lon -180, v SOUTH from lat
   85.0511 (XYZ rows grow southward, as in every slippy map). Tile (z, x, y) spans u in [x, x+1] / 2^z and
   v in [y, y+1] / 2^z. TMS rows count from the south: tms_y = 2^z - 1 - y (MBTiles store them so).
2. Latitudes are clamped to +-MAX_LAT before projecting: the poles are at infinity.
3. Everything is vectorised numpy float64; nothing here knows a CRS other than WGS84 lon/lat.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

MAX_LAT = 85.05112877980659
EARTH_CIRCUMFERENCE = 40075016.685578488  # metres at the equator (the sphere of EPSG:3857)
MAX_ZOOM = 24


class Tile(NamedTuple):
    z: int
    x: int
    y: int

    def children(self) -> tuple[Tile, Tile, Tile, Tile]:
        z, x, y = self.z + 1, 2 * self.x, 2 * self.y
        return Tile(z, x, y), Tile(z, x + 1, y), Tile(z, x, y + 1), Tile(z, x + 1, y + 1)

    def parent(self) -> Tile | None:
        return Tile(self.z - 1, self.x // 2, self.y // 2) if self.z > 0 else None

    def tms_y(self) -> int:
        return tms_flip(self.z, self.y)

    def world_rect(self) -> tuple[float, float, float, float]:
        """(u0, v0, u1, v1) of the tile in world coordinates (rule 1)."""
        n = float(1 << self.z)
        return self.x / n, self.y / n, (self.x + 1) / n, (self.y + 1) / n

    def valid(self) -> bool:
        n = 1 << self.z
        return 0 <= self.z <= MAX_ZOOM and 0 <= self.x < n and 0 <= self.y < n


def tms_flip(z: int, y: int) -> int:
    """XYZ row <-> TMS row (the same function both ways)."""
    return (1 << z) - 1 - y


def lonlat_to_world(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """lon, lat degrees (any equal shapes) -> u, v in 0..1 (rule 1)."""
    lat = np.clip(np.asarray(lat, np.float64), -MAX_LAT, MAX_LAT)
    u = (np.asarray(lon, np.float64) + 180.0) / 360.0
    v = (1.0 - np.arcsinh(np.tan(np.radians(lat))) / np.pi) / 2.0
    return u, v


def world_to_lonlat(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """u, v world coordinates -> lon, lat degrees."""
    lon = np.asarray(u, np.float64) * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(np.pi * (1.0 - 2.0 * np.asarray(v, np.float64)))))
    return lon, lat


def tile_of(lon: float, lat: float, z: int) -> Tile:
    """The XYZ tile at zoom z holding lon, lat."""
    u, v = lonlat_to_world(np.array(lon), np.array(lat))
    n = 1 << z
    return Tile(z, int(min(max(np.floor(u * n), 0), n - 1)), int(min(max(np.floor(v * n), 0), n - 1)))


def tile_lonlat_bounds(tile: Tile) -> tuple[float, float, float, float]:
    """(west, south, east, north) degrees of a tile."""
    u0, v0, u1, v1 = tile.world_rect()
    (west, east), (north, south) = world_to_lonlat(np.array([u0, u1]), np.array([v0, v1]))
    return float(west), float(south), float(east), float(north)


def metres_per_pixel(lat: float, z: int, tile_size: int = 256) -> float:
    """Ground metres of one tile pixel at latitude lat and zoom z."""
    return EARTH_CIRCUMFERENCE * float(np.cos(np.radians(lat))) / (tile_size * (1 << z))


def zoom_for_resolution(metres: float, lat: float, tile_size: int = 256) -> int:
    """The lowest zoom whose pixels are at most `metres` wide at latitude lat (0..MAX_ZOOM)."""
    if metres <= 0:
        return MAX_ZOOM
    z = np.log2(EARTH_CIRCUMFERENCE * np.cos(np.radians(lat)) / (tile_size * metres))
    return int(min(max(np.ceil(z - 1e-9), 0), MAX_ZOOM))


def quadkey(tile: Tile) -> str:
    """Bing-style quadkey of a tile ({q} in URL templates)."""
    digits = []
    for i in range(tile.z, 0, -1):
        mask = 1 << (i - 1)
        digits.append(str((1 if tile.x & mask else 0) + (2 if tile.y & mask else 0)))
    return "".join(digits)
