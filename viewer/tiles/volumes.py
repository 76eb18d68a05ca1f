"""Bounding volumes of 3D Tiles (region, box, sphere) and where they land in a scene's local frame.

Rules this module keeps:
1. Every volume is stored in the tileset's coordinates (ECEF, EPSG:4978, for a standard tileset) with the
   tile's transform already applied: box and sphere are moved by it, a region never is (the spec's rule).
2. Every bound a volume reports is conservative: it contains the volume, never cuts into it (a region's curved
   faces are sampled on a grid, then the sagitta between samples is added).
3. Arrays: centre (3,) float64, half_axes (3, 3) float64 whose columns are the box's half axes, region in
   radians and metres above the WGS84 ellipsoid. A volume never changes after it is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

# WGS84 ellipsoid, the one regions are defined on.
_A = 6378137.0
_E2 = 6.69437999014e-3
_REGION_SAMPLES = 5  # per horizontal axis of a region: corners, edge midpoints and the middle, and between


class Placement(Protocol):
    """Whatever maps (n, 3) float64 tileset coordinates to (n, 3) float64 local metres (placement.py)."""

    def to_local(self, points: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class Sphere:
    """centre (3,) float64 and radius in metres."""

    center: np.ndarray
    radius: float

    def sphere(self) -> Sphere:
        return self

    def box(self) -> Box:
        return Box(self.center, np.eye(3) * self.radius)

    def corners(self) -> np.ndarray:
        return self.box().corners()

    def transformed(self, matrix: np.ndarray) -> Sphere:
        """The sphere moved by a (4, 4) affine matrix; the radius grows with its largest axis scale."""
        scale = float(np.linalg.norm(matrix[:3, :3], axis=0).max())
        return Sphere(_apply(matrix, self.center[None])[0], self.radius * scale)

    def local_sphere(self, placement: Placement) -> Sphere:
        """This sphere in local metres: centre placed, radius with a margin for the projection's scale."""
        return Sphere(placement.to_local(self.center[None])[0], self.radius * 1.001 + 0.01)

    def local_bounds(self, placement: Placement) -> tuple[np.ndarray, np.ndarray]:
        local = self.local_sphere(placement)
        return local.center - local.radius, local.center + local.radius


@dataclass(frozen=True)
class Box:
    """An oriented box: centre (3,) and half_axes (3, 3), columns x, y, z (the spec's 12 numbers)."""

    center: np.ndarray
    half_axes: np.ndarray

    @classmethod
    def from_numbers(cls, numbers: list[float]) -> Box:
        values = np.asarray(numbers, dtype=np.float64)
        return cls(values[:3], values[3:12].reshape(3, 3).T)

    def corners(self) -> np.ndarray:
        """(8, 3) float64: the box's corners."""
        signs = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)], np.float64)
        return self.center + signs @ self.half_axes.T

    def sphere(self) -> Sphere:
        radius = float(np.linalg.norm(self.corners() - self.center, axis=1).max())
        return Sphere(self.center, radius)

    def box(self) -> Box:
        return self

    def transformed(self, matrix: np.ndarray) -> Box:
        return Box(_apply(matrix, self.center[None])[0], matrix[:3, :3] @ self.half_axes)

    def local_sphere(self, placement: Placement) -> Sphere:
        return self.sphere().local_sphere(placement)

    def local_bounds(self, placement: Placement) -> tuple[np.ndarray, np.ndarray]:
        return _local_bounds(self.corners(), 0.0, placement)


@dataclass(frozen=True)
class Region:
    """west, south, east, north in radians (east < west crosses the antimeridian); heights in metres above
    the WGS84 ellipsoid. Always in ECEF terms: a region ignores tile transforms."""

    west: float
    south: float
    east: float
    north: float
    min_height: float
    max_height: float

    def samples(self) -> np.ndarray:
        """(2 k^2, 3) ECEF points on the region's top and bottom faces, a k x k grid each."""
        east = self.east if self.east >= self.west else self.east + 2 * math.pi
        lon = np.linspace(self.west, east, _REGION_SAMPLES)
        lat = np.linspace(self.south, self.north, _REGION_SAMPLES)
        lon_grid, lat_grid = np.meshgrid(lon, lat)
        points = [geodetic_to_ecef(lon_grid.ravel(), lat_grid.ravel(), np.full(lon_grid.size, h))
                  for h in (self.min_height, self.max_height)]
        return np.concatenate(points)

    def _sagitta(self) -> float:
        """How far a face bulges out between two neighbouring samples (metres): the margin bounds add."""
        east = self.east if self.east >= self.west else self.east + 2 * math.pi
        step = max(east - self.west, self.north - self.south) / (_REGION_SAMPLES - 1)
        return (_A + max(self.max_height, 0.0)) * (1.0 - math.cos(min(step, math.pi) / 2.0)) + 0.01

    def corners(self) -> np.ndarray:
        return self.samples()

    def sphere(self) -> Sphere:
        points = self.samples()
        center = (points.min(axis=0) + points.max(axis=0)) / 2.0
        return Sphere(center, float(np.linalg.norm(points - center, axis=1).max()) + self._sagitta())

    def box(self) -> Box:
        """An axis-aligned ECEF box around the region (conservative, not tight)."""
        points = self.samples()
        lo, hi = points.min(axis=0) - self._sagitta(), points.max(axis=0) + self._sagitta()
        return Box((lo + hi) / 2.0, np.diag((hi - lo) / 2.0))

    def transformed(self, matrix: np.ndarray) -> Region:
        return self

    def local_sphere(self, placement: Placement) -> Sphere:
        return self.sphere().local_sphere(placement)

    def local_bounds(self, placement: Placement) -> tuple[np.ndarray, np.ndarray]:
        return _local_bounds(self.samples(), self._sagitta(), placement)

    def lonlat_bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        return (math.degrees(self.west), math.degrees(self.south), math.degrees(self.east),
                math.degrees(self.north))


BoundingVolume = Region | Box | Sphere


def geodetic_to_ecef(lon: np.ndarray, lat: np.ndarray, height: np.ndarray) -> np.ndarray:
    """Radians and ellipsoidal heights (WGS84) -> (n, 3) ECEF metres (closed form, no pyproj needed)."""
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    normal = _A / np.sqrt(1.0 - _E2 * sin_lat * sin_lat)
    return np.stack([(normal + height) * cos_lat * np.cos(lon), (normal + height) * cos_lat * np.sin(lon),
                     (normal * (1.0 - _E2) + height) * sin_lat], axis=1)


def _apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    return points @ matrix[:3, :3].T + matrix[:3, 3]


def _local_bounds(points: np.ndarray, margin: float, placement: Placement) -> tuple[np.ndarray, np.ndarray]:
    """The local box around placed points, grown by `margin` plus 0.1% of its size: straight edges in the
    tileset's coordinates bend slightly in a projected frame."""
    local = placement.to_local(points)
    lo, hi = local.min(axis=0), local.max(axis=0)
    grow = margin + float(np.max(hi - lo)) * 1e-3 + 0.01
    return lo - grow, hi + grow
