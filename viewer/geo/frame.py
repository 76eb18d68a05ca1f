"""LocalFrame: coordinates from any CRS to local metres (x east, y north, z up) around a scene origin.

Rules:
1. float64 in the source CRS on the way in; float32 local metres on the way out (GPU precision is fine within
   a few kilometres of the origin).
2. The frame's horizontal axes are a projected CRS: the scene's own when it is projected (city models align
   with their grid), otherwise a transverse Mercator centred on the origin, so x is east and y north there.
3. Heights pass through unchanged (metres above the source's vertical datum); horizontal axes only are
   reprojected. Sources of one scene should share a vertical datum.
4. pyproj Transformers are built once per CRS pair and cached (building one costs milliseconds).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError as ProjCRSError

from viewer.errors import CRSError

_OGC_URL = re.compile(r"^https?://www\.opengis\.net/def/crs/(\w+)/[^/]+/(\w+)/?$", re.IGNORECASE)
_OGC_URN = re.compile(r"^urn:ogc:def:crs:(\w+):[^:]*:(\w+)$", re.IGNORECASE)


def normalize_crs(text: str) -> str:
    """Turn CityJSON/GeoJSON CRS spellings (OGC URLs and URNs, 'EPSG:7415', '7415') into 'EPSG:7415'.

    Anything else (a PROJ string, WKT) is returned stripped; validity is checked by crs_from().
    """
    text = str(text).strip()
    for pattern in (_OGC_URL, _OGC_URN):
        m = pattern.match(text)
        if m:
            authority, code = m.group(1).upper(), m.group(2)
            return "OGC:CRS84" if (authority, code.upper()) == ("OGC", "CRS84") else f"{authority}:{code}"
    if text.isdigit():
        return f"EPSG:{text}"
    return text


@lru_cache(maxsize=64)
def crs_from(text: str) -> CRS:
    """A pyproj CRS from any accepted spelling, or a CRSError naming it."""
    try:
        return CRS.from_user_input(normalize_crs(text))
    except ProjCRSError as exc:
        raise CRSError(text, f"unknown or invalid CRS ({exc})") from None


def horizontal(crs: CRS) -> CRS:
    """The horizontal part of a compound CRS (e.g. RD New of RD New + NAP)."""
    if crs.is_compound:
        for sub in crs.sub_crs_list:
            if sub.is_projected or sub.is_geographic:
                return sub
    return crs


@lru_cache(maxsize=256)
def _transformer_for(a: str, b: str) -> Transformer:
    try:
        return Transformer.from_crs(horizontal(crs_from(a)), horizontal(crs_from(b)), always_xy=True)
    except ProjCRSError as exc:
        raise CRSError(a, f"cannot transform to {b}: {exc}") from None


class _Directed:
    """One Transformer per unordered CRS pair, run forward or inverse, so a round trip uses the same operation
    both ways (PROJ may otherwise pick different operations per direction and lose millimetres)."""

    def __init__(self, src: str, dst: str) -> None:
        self.inverse = src > dst
        self.transformer = _transformer_for(dst, src) if self.inverse else _transformer_for(src, dst)

    def transform(self, x: Any, y: Any) -> Any:
        direction = "INVERSE" if self.inverse else "FORWARD"
        return self.transformer.transform(x, y, direction=direction)


@lru_cache(maxsize=64)
def _transformer_3d(plane: str) -> Transformer:
    """plane (made 3D) <-> WGS84 3D (EPSG:4979), for height-carrying round trips."""
    return Transformer.from_crs(horizontal(crs_from(plane)).to_3d(), CRS("EPSG:4979"), always_xy=True)


@lru_cache(maxsize=64)
def _transformer_ecef(plane: str) -> Transformer:
    """plane (made 3D, ellipsoidal heights) <-> ECEF (EPSG:4978), for 3D Tiles placement."""
    return Transformer.from_crs(horizontal(crs_from(plane)).to_3d(), CRS("EPSG:4978"), always_xy=True)


@lru_cache(maxsize=256)
def _transformer(src: str, dst: str) -> _Directed:
    return _Directed(src, dst)


class LocalFrame:
    """Maps coordinates of any CRS into local metres around `origin`, and back to lon/lat.

    crs    : the scene CRS (any pyproj spelling), or None for an engineering frame of a model without a CRS
             (coordinates are taken as metres; nothing can be placed on earth).
    origin : (x, y[, z]) in the scene CRS; z defaults to 0.
    """

    def __init__(self, crs: str | None, origin: tuple[float, ...]) -> None:
        ox, oy = float(origin[0]), float(origin[1])
        self.origin_z = float(origin[2]) if len(origin) > 2 else 0.0
        self.crs: str | None = None
        self.plane: str | None = None
        self.origin_xy = (ox, oy)
        if crs is None:
            return
        scene = horizontal(crs_from(crs))
        self.crs = normalize_crs(crs)
        if scene.is_projected:
            self.plane = self.crs
            self.origin_xy = (ox, oy)
        else:
            lon, lat = _transformer(self.crs, "EPSG:4326").transform(ox, oy)
            self.plane = (f"+proj=tmerc +lat_0={lat:.10f} +lon_0={lon:.10f} +k=1 +x_0=0 +y_0=0 "
                          "+ellps=WGS84 +units=m +no_defs +type=crs")
            self.origin_xy = (0.0, 0.0)

    @classmethod
    def from_lonlat(cls, lon: float, lat: float, z: float = 0.0, crs: str | None = None) -> LocalFrame:
        """A frame whose origin is given as lon/lat; the frame's CRS is `crs` or a local tangent projection."""
        if crs is None:
            return cls("EPSG:4326", (lon, lat, z))
        x, y = _transformer("EPSG:4326", crs).transform(lon, lat)
        return cls(crs, (x, y, z))

    @property
    def georeferenced(self) -> bool:
        return self.plane is not None

    def _require_plane(self) -> str:
        if self.plane is None:
            raise CRSError("none", "this scene has no CRS, so it cannot be placed on earth")
        return self.plane

    @property
    def origin_lonlat(self) -> tuple[float, float]:
        lon, lat = _transformer(self._require_plane(), "EPSG:4326").transform(*self.origin_xy)
        return float(lon), float(lat)

    def to_local(self, xyz: np.ndarray, src_crs: str | None = None) -> np.ndarray:
        """(n, 2|3) float64 in src_crs (default: the scene CRS) -> (n, 3) float32 local metres."""
        pts = np.asarray(xyz, dtype=np.float64)
        x, y = self._to_plane(pts[:, 0], pts[:, 1], src_crs)
        out = np.zeros((pts.shape[0], 3), dtype=np.float32)
        out[:, 0] = x - self.origin_xy[0]
        out[:, 1] = y - self.origin_xy[1]
        if pts.shape[1] > 2:
            out[:, 2] = pts[:, 2] - self.origin_z
        return out

    def to_local64(self, xyz: np.ndarray, src_crs: str | None = None) -> np.ndarray:
        """Like to_local but float64, for tests and exact round trips."""
        pts = np.asarray(xyz, dtype=np.float64)
        x, y = self._to_plane(pts[:, 0], pts[:, 1], src_crs)
        z = pts[:, 2] - self.origin_z if pts.shape[1] > 2 else np.zeros_like(x)
        return np.stack([x - self.origin_xy[0], y - self.origin_xy[1], z], axis=1)

    def local_to_lonlat(self, local: np.ndarray) -> np.ndarray:
        """(n, 2) local metres -> (n, 2) lon/lat degrees; (n, 3) -> (n, 3) lon, lat, WGS84 ellipsoidal height.

        Give heights for millimetre round trips: a 2D datum shift (e.g. CH1903+ -> WGS84) holds the height
        fixed and so moves points by about a millimetre each way; the 3D transformation is exact both ways.
        """
        pts = np.asarray(local, dtype=np.float64)
        x, y = pts[:, 0] + self.origin_xy[0], pts[:, 1] + self.origin_xy[1]
        if pts.shape[1] < 3:
            lon, lat = _transformer(self._require_plane(), "EPSG:4326").transform(x, y)
            return np.stack([lon, lat], axis=1)
        lon, lat, h = _transformer_3d(self._require_plane()).transform(x, y, pts[:, 2] + self.origin_z)
        return np.stack([lon, lat, h], axis=1)

    def lonlat_to_local(self, lonlat: np.ndarray) -> np.ndarray:
        """(n, 2) lon/lat degrees -> (n, 3) local metres with z = 0; (n, 3) with heights as from local_to_lonlat."""
        pts = np.asarray(lonlat, dtype=np.float64)
        if pts.shape[1] < 3:
            return self.to_local64(pts[:, :2], "EPSG:4326")
        x, y, z = _transformer_3d(self._require_plane()).transform(
            pts[:, 0], pts[:, 1], pts[:, 2], direction="INVERSE")
        return np.stack([x - self.origin_xy[0], y - self.origin_xy[1], z - self.origin_z], axis=1)

    def ecef_to_local(self, ecef: np.ndarray) -> np.ndarray:
        """(n, 3) ECEF metres (EPSG:4978, as 3D Tiles store them) -> (n, 3) float64 local metres.

        z is the WGS84 ellipsoidal height minus origin_z, not a height above the scene's vertical datum (NAP,
        NGF-IGN69, ...): the geoid lies 40-55 m above the ellipsoid in Europe, so a tileset can sit that far
        above or below a scene whose heights are orthometric; an offset in z lines them up.
        """
        pts = np.asarray(ecef, dtype=np.float64).reshape(-1, 3)
        x, y, z = _transformer_ecef(self._require_plane()).transform(
            pts[:, 0], pts[:, 1], pts[:, 2], direction="INVERSE")
        out = np.stack([np.asarray(x) - self.origin_xy[0], np.asarray(y) - self.origin_xy[1],
                        np.asarray(z) - self.origin_z], axis=1)
        if not np.isfinite(out).all():
            raise CRSError("EPSG:4978", f"coordinates cannot be transformed to {self.plane}")
        return out

    def local_to_ecef(self, local: np.ndarray) -> np.ndarray:
        """(n, 3) local metres -> (n, 3) float64 ECEF metres (EPSG:4978); the inverse of ecef_to_local."""
        pts = np.asarray(local, dtype=np.float64).reshape(-1, 3)
        x, y, z = _transformer_ecef(self._require_plane()).transform(
            pts[:, 0] + self.origin_xy[0], pts[:, 1] + self.origin_xy[1], pts[:, 2] + self.origin_z)
        return np.stack([np.asarray(x), np.asarray(y), np.asarray(z)], axis=1)

    def _to_plane(self, x: np.ndarray, y: np.ndarray, src_crs: str | None) -> tuple[np.ndarray, np.ndarray]:
        src = normalize_crs(src_crs) if src_crs else self.crs
        if src is None or src == self.plane:  # a source without a CRS is taken to be in the scene's
            return x, y
        if self.plane is None:
            raise CRSError(src, "the scene has no CRS to transform into; give the scene a crs")
        tx, ty = _transformer(src, self.plane).transform(x, y)
        tx, ty = np.asarray(tx), np.asarray(ty)
        if not (np.isfinite(tx).all() and np.isfinite(ty).all()):
            raise CRSError(src, f"coordinates fall outside the area where it can be transformed to {self.plane}")
        return tx, ty


def transform_xy(xy: np.ndarray, src_crs: str, dst_crs: str) -> np.ndarray:
    """(n, 2+) coordinates in `src_crs` -> (n, 2) float64 in `dst_crs` (degrees for a geographic CRS, lon first).

    The one way to move a point between two CRSs without a frame: choosing a frame's origin must not go
    through a frame of its own (metres of a probe frame are not degrees of a geographic scene CRS).
    """
    pts = np.asarray(xy, dtype=np.float64)
    if normalize_crs(src_crs) == normalize_crs(dst_crs):
        return pts[:, :2].copy()
    x, y = _transformer(normalize_crs(src_crs), normalize_crs(dst_crs)).transform(pts[:, 0], pts[:, 1])
    out = np.stack([np.asarray(x, np.float64), np.asarray(y, np.float64)], axis=1)
    if not np.isfinite(out).all():
        raise CRSError(src_crs, f"coordinates fall outside the area where it can be transformed to {dst_crs}")
    return out


def is_geographic(crs: str) -> bool:
    """Whether `crs` (any accepted spelling) has angular horizontal axes (lon/lat), not metres."""
    return bool(horizontal(crs_from(crs)).is_geographic)


def to_lonlat(xy: np.ndarray, crs: str) -> np.ndarray:
    """(n, 2+) coordinates in `crs` -> (n, 2) lon/lat, for reporting (inspect)."""
    pts = np.asarray(xy, dtype=np.float64)
    lon, lat = _transformer(crs, "EPSG:4326").transform(pts[:, 0], pts[:, 1])
    return np.stack([np.asarray(lon), np.asarray(lat)], axis=1)
