"""ECEF (EPSG:4978, where 3D Tiles live) to a scene's local frame and back (LocalFrame.ecef_to_local)."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer

from viewer.errors import CRSError
from viewer.geo.frame import LocalFrame


@pytest.mark.parametrize("crs, origin", [
    ("EPSG:3946", (1843097.75, 5174345.75, 170.0)),  # Lyon, RGF93 CC46
    ("EPSG:28992", (84900.0, 447600.0)),              # RD New (Delft)
    ("EPSG:4326", (-75.61, 40.04)),                   # lon/lat scene: local transverse Mercator
])
def test_ecef_round_trip_within_a_millimetre(crs, origin):
    """Local metres -> ECEF -> local metres returns within 1 mm across a city-sized area."""
    frame = LocalFrame(crs, origin)
    rng = np.random.default_rng(3)
    local = np.column_stack([rng.uniform(-5000, 5000, size=(400, 2)), rng.uniform(-20, 400, 400)])
    back = frame.ecef_to_local(frame.local_to_ecef(local))
    assert np.abs(back - local).max() < 1e-3


def test_ecef_lands_at_the_origin_with_its_ellipsoidal_height():
    """The ECEF point of the origin's lon/lat at ellipsoidal height h is local (0, 0, h - origin z)."""
    frame = LocalFrame.from_lonlat(4.8395, 45.7543, 10.0, crs="EPSG:3946")
    to_ecef = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    ecef = np.array([to_ecef.transform(4.8395, 45.7543, 250.0)])
    local = frame.ecef_to_local(ecef)
    assert np.abs(local[0] - [0.0, 0.0, 240.0]).max() < 1e-3
    east = np.array([to_ecef.transform(4.8395 + 0.001, 45.7543, 250.0)])
    assert frame.ecef_to_local(east)[0, 0] == pytest.approx(77.8, abs=0.5)  # 0.001 deg east is ~78 m here


def test_a_frame_without_crs_cannot_place_ecef():
    """An engineering frame (no CRS) refuses ECEF input with a CRSError."""
    with pytest.raises(CRSError):
        LocalFrame(None, (0.0, 0.0)).ecef_to_local(np.zeros((1, 3)))
