"""CityGML srsName -> the CRS of a geometry, and coordinates placed in the model's CRS, lon before lat.

Rules this module keeps:
1. Every srsName spelling met in the wild becomes one pyproj-readable string (gml_crs), plus whether the
   spelling asks for the EPSG authority's axis order. URNs and OGC URLs do; the short "EPSG:4979" form is
   read in the GIS order (x = longitude), the convention of GDAL, GeoTools and the files that use it (the
   OGC Jefferson sample writes lon first under "EPSG:4979"; PLATEAU writes lat first under the OGC URL).
2. The model's CRS is options.crs, else the first srsName met; once met it never changes. Geometry in another
   CRS is reprojected to it (horizontal axes; heights pass through), unless options.crs overrides the file.
3. A geographic CRS written lat first is swapped to lon, lat. The order is decided on the first batch that
   holds the CRS: a file whose numbers contradict its declared order (a "latitude" beyond 90) is read the
   other way, with a warning.
4. metric_scale gives degrees-to-metres factors near the data, so that geographic models are triangulated
   and classified (roof, wall, ground by normal) in metres while their positions stay in degrees.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from viewer.errors import CRSError, LoadError
from viewer.geo.frame import crs_from, horizontal, normalize_crs, transform_xy

MAX_CRS = 64  # distinct srsName values in one load

_EPSG_SHORT = re.compile(r"^EPSG:(\d+)(?:\+(\d+))?$", re.IGNORECASE)
_URN = re.compile(r"^urn:ogc:def:crs:EPSG:[^:]*:(\d+)$", re.IGNORECASE)
_URL = re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/[^/]+/(\d+)/?$", re.IGNORECASE)
_URN_COMPOUND = re.compile(r"^urn:ogc:def:crs,crs:EPSG:[^:,]*:(\d+),crs:EPSG:[^:,]*:(\d+)$", re.IGNORECASE)
_URL_COMPOUND = re.compile(r"^https?://www\.opengis\.net/def/crs-compound\?1=https?://www\.opengis\.net/def/crs/"
                           r"EPSG/[^/]+/(\d+)&2=https?://www\.opengis\.net/def/crs/EPSG/[^/]+/(\d+)$", re.IGNORECASE)
# German AdV names (urn:adv:crs:ETRS89_UTM32*DE_DHHN92_NH): the common ones only.
_ADV = {"ETRS89_UTM32": "25832", "ETRS89_UTM33": "25833", "DE_DHDN_3GK2": "31466", "DE_DHDN_3GK3": "31467",
        "DE_DHDN_3GK4": "31468", "DE_DHHN92_NH": "5783", "DE_DHHN2016_NH": "7837", "ETRS89_3GK3": "5677"}


def gml_crs(srs_name: str) -> tuple[str, bool]:
    """(pyproj-readable CRS string, whether the spelling asks for the authority's axis order).

    EPSG:25832, urn:ogc:def:crs:EPSG::25832, http://www.opengis.net/def/crs/EPSG/0/25832 -> EPSG:25832;
    EPSG:25832+5783, urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::5783 and the OGC crs-compound URL ->
    EPSG:25832+5783; urn:adv:crs:ETRS89_UTM32*DE_DHHN92_NH -> EPSG:25832+5783. Anything else is returned
    stripped (validity is checked by the caller with crs_from).
    """
    text = srs_name.strip()
    m = _EPSG_SHORT.match(text)
    if m:
        return f"EPSG:{m.group(1)}" + (f"+{m.group(2)}" if m.group(2) else ""), False
    for pattern in (_URN, _URL):
        m = pattern.match(text)
        if m:
            return f"EPSG:{m.group(1)}", True
    for pattern in (_URN_COMPOUND, _URL_COMPOUND):
        m = pattern.match(text)
        if m:
            return f"EPSG:{m.group(1)}+{m.group(2)}", True
    if text.lower().startswith("urn:adv:crs:"):
        codes = [_ADV.get(part.strip()) for part in text[12:].split("*")]
        if codes and all(codes):
            return "EPSG:" + "+".join(c for c in codes if c), False
    return text, True


class CrsTable:
    """The srsNames of one load, by index (what RingStore records per polygon; -1 for none)."""

    def __init__(self, override: str | None, warn: Callable[[str], None]) -> None:
        self.override = normalize_crs(override) if override else None
        self.warn = warn
        self.keys: dict[str, int] = {}
        self.crs: list[tuple[str, bool]] = []  # (CRS, authority axis order asked)
        self.swaps: dict[int, bool] = {}  # index -> written lat first (rule 3)

    def index(self, srs_name: str, fail: Callable[[str], LoadError]) -> int:
        """The index of a srsName, registering it (a LoadError from fail(reason) when no CRS has that name)."""
        index = self.keys.get(srs_name)
        if index is not None:
            return index
        crs, authority = gml_crs(srs_name)
        try:
            crs_from(crs)
        except CRSError:
            raise fail(f"unknown srsName {srs_name[:120]!r}") from None
        if len(self.crs) >= MAX_CRS:
            raise fail(f"more than {MAX_CRS} distinct srsName values")
        self.crs.append((normalize_crs(crs), authority))
        self.keys[srs_name] = len(self.crs) - 1
        return len(self.crs) - 1

    @property
    def model(self) -> str | None:
        """The model's CRS (rule 2)."""
        return self.override or (self.crs[0][0] if self.crs else None)

    @property
    def model_is_geographic(self) -> bool:
        model = self.model
        return model is not None and bool(horizontal(crs_from(model)).is_geographic)

    @property
    def first(self) -> str | None:
        return self.crs[0][0] if self.crs else None

    def place(self, path: str, positions: np.ndarray, vertex_crs: np.ndarray) -> None:
        """positions (v, 3) float64, vertex_crs (v,) int16 -> positions in the model's CRS, in place."""
        model = self.model
        for index, (crs, authority) in enumerate(self.crs):
            rows = np.flatnonzero(vertex_crs == index)
            if rows.size == 0:
                continue
            if self._swap(index, positions, rows, crs, authority):
                positions[rows, 0], positions[rows, 1] = positions[rows, 1], positions[rows, 0].copy()
            if self.override is None and model is not None and crs != model:
                try:
                    positions[rows, :2] = transform_xy(positions[rows], crs, model)
                except CRSError as exc:
                    raise LoadError(path, f"geometry in {crs} cannot be placed in {model}: {exc.reason}") from None

    def _swap(self, index: int, positions: np.ndarray, rows: np.ndarray, crs: str, authority: bool) -> bool:
        known = self.swaps.get(index)
        if known is not None:
            return known
        plane = horizontal(crs_from(crs))
        swap = False
        if plane.is_geographic:
            swap = plane.axis_info[0].direction.lower() == "north" and authority
            first, second = np.abs(positions[rows, 0]).max(), np.abs(positions[rows, 1]).max()
            if swap and first > 90 >= second:
                self.warn(f"{crs}: coordinates are written longitude first although the srsName asks for latitude "
                          "first; read as longitude, latitude")
                swap = False
            elif not swap and second > 90 >= first:
                self.warn(f"{crs}: coordinates are written latitude first; read as latitude, longitude")
                swap = True
        self.swaps[index] = swap
        return swap


def metric_scale(positions: np.ndarray) -> np.ndarray:
    """(3,) factors turning lon, lat, h around these positions into roughly metres (east, north, up)."""
    lat = float(np.clip(np.median(positions[:, 1]), -89.0, 89.0)) if positions.shape[0] else 0.0
    metres_per_degree = 111_320.0
    return np.array([metres_per_degree * np.cos(np.radians(lat)), metres_per_degree, 1.0])
