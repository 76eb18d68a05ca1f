"""PositionMapper: feed positions (the hello's CRS) to the scene's local metres, fast enough for every update.

Rules this module keeps:
1. Same CRS as the scene's projected plane (or a scene without a CRS): subtract the origin; exact. A feed
   without a CRS ("" / None) is in the scene's own CRS: already local only when that CRS is projected; a
   geographic scene's plane is a tangent projection, so its lon/lat feeds are mapped like any other CRS.
2. Another CRS: the exact map is LocalFrame.to_local64 (pyproj, about a microsecond a point: 50 ms for 50k
   lon/lat vehicles, too slow at 10 Hz). Over the scene's area a quadratic polynomial in the source
   coordinates is fitted to the exact map once; it is used when its largest error on a check grid over the
   area plus MARGIN is below TOLERANCE metres, else the exact map is used. Outside that area the polynomial
   is not checked: vehicles far from the scene may be misplaced (they are not in view anyway).
3. Heights: z in the feed is metres in the scene's vertical datum; the frame's origin z is subtracted.
   localise_update() applies all this to an update's vehicles on the way into the twin state, taking a
   missing z from the HeightField (vehicles sit on the road or the ground).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from viewer.errors import CRSError
from viewer.geo.frame import LocalFrame, normalize_crs, transform_xy
from viewer.layers.height import HeightField
from viewer.twin.batch import EntityBatch, TwinUpdate, VehicleBatch

TOLERANCE = 0.02  # metres
MARGIN = 0.25  # fraction of the area's size added on every side


def _terms(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.stack([np.ones_like(u), u, v, u * u, u * v, v * v], axis=1)


class PositionMapper:
    """Maps (n,) x, y in `crs` to (n,) local x, y float64 (rules above)."""

    def __init__(self, frame: LocalFrame, crs: str | None, lo: np.ndarray, hi: np.ndarray) -> None:
        self.frame = frame
        self.crs = normalize_crs(crs) if crs else frame.crs
        # A scene without a CRS cannot place anything: positions are taken to be in its coordinates.
        self.identity = self.crs is None or frame.plane is None or self.crs == frame.plane
        self.coef: np.ndarray | None = None
        self.error = 0.0
        if not self.identity:
            self._fit(np.asarray(lo, np.float64), np.asarray(hi, np.float64))

    def _source_points(self, local: np.ndarray) -> np.ndarray:
        """(k, 2) points of the source CRS at local points (k, 2)."""
        assert self.crs is not None  # identity otherwise
        return transform_xy(self.frame.local_to_lonlat(local), "EPSG:4326", self.crs)

    def _fit(self, lo: np.ndarray, hi: np.ndarray) -> None:
        size = np.maximum(hi[:2] - lo[:2], 100.0)
        a, b = lo[:2] - MARGIN * size, hi[:2] + MARGIN * size
        try:
            grid = np.stack(np.meshgrid(np.linspace(a[0], b[0], 12), np.linspace(a[1], b[1], 12)), -1)
            local = grid.reshape(-1, 2)
            src = self._source_points(local)
            self.centre, self.span = src.mean(axis=0), np.maximum(np.ptp(src, axis=0), 1e-12)
            design = _terms(*((src - self.centre) / self.span).T)
            coef, *_ = np.linalg.lstsq(design, local, rcond=None)
            check = np.stack(np.meshgrid(np.linspace(a[0], b[0], 23), np.linspace(a[1], b[1], 23)), -1)
            check_local = check.reshape(-1, 2)
            fitted = _terms(*((self._source_points(check_local) - self.centre) / self.span).T) @ coef
            self.error = float(np.abs(fitted - check_local).max())
        except (CRSError, ValueError, np.linalg.LinAlgError):
            self.error = np.inf
            return
        self.coef = coef if self.error < TOLERANCE else None

    @property
    def fast(self) -> bool:
        return self.identity or self.coef is not None

    def to_local(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(n,) float64 local x and y of feed positions x, y (n,)."""
        x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
        if self.identity:
            ox, oy = self.frame.origin_xy
            return x - ox, y - oy
        if self.coef is not None:
            out = _terms((x - self.centre[0]) / self.span[0], (y - self.centre[1]) / self.span[1]) @ self.coef
            return out[:, 0], out[:, 1]
        out = self.frame.to_local64(np.stack([x, y], axis=1), self.crs)
        return out[:, 0], out[:, 1]

    def z_to_local(self, z: np.ndarray) -> np.ndarray:
        return np.asarray(z, np.float64) - self.frame.origin_z


def localise_update(update: TwinUpdate, mapper: PositionMapper, heights: HeightField) -> TwinUpdate:
    """The update with its vehicles' x, y in local metres and z local (rule 3), missing z from the ground;
    and the same for the points and line ends of generic kinds (protocol v1.1, twin/kinds.py)."""
    update = _localise_entities(update, mapper, heights)
    batch = update.upserts.get("vehicle")
    if not isinstance(batch, VehicleBatch) or len(batch.ids) == 0:
        return update
    x, y = mapper.to_local(batch.x, batch.y)
    z = mapper.z_to_local(batch.z)
    missing = ~np.isfinite(z)
    if missing.any():
        z[missing] = heights.at(x[missing], y[missing])
    local = dataclasses.replace(batch, x=x, y=y, z=z.astype(np.float32))
    return TwinUpdate(update.time, {**update.upserts, "vehicle": local}, update.removals, update.snapshot)


def _localise_entities(update: TwinUpdate, mapper: PositionMapper, heights: HeightField) -> TwinUpdate:
    """Generic kinds with point or line geometry (columns x, y, z and x2, y2, z2) in local metres."""
    mapped = {}
    for kind, batch in update.upserts.items():
        if not isinstance(batch, EntityBatch) or "x" not in batch.columns or len(batch.ids) == 0:
            continue
        columns = dict(batch.columns)
        for sx, sy, sz in (("x", "y", "z"), ("x2", "y2", "z2")):
            if sx not in columns:
                continue
            x, y = mapper.to_local(columns[sx], columns[sy])
            z = mapper.z_to_local(columns[sz])
            missing = ~np.isfinite(z)
            if missing.any():
                z[missing] = heights.at(x[missing], y[missing])
            columns.update({sx: x, sy: y, sz: z.astype(np.float32)})
        mapped[kind] = EntityBatch(kind, batch.ids, columns)
    if not mapped:
        return update
    return TwinUpdate(update.time, {**update.upserts, **mapped}, update.removals, update.snapshot)
