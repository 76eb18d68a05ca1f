"""LocalFrame: georeferencing from any CRS into local metres and back."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pyproj import Transformer

from viewer.errors import CRSError
from viewer.geo.frame import LocalFrame, normalize_crs, to_lonlat


def test_normalize_crs_spellings():
    """OGC URLs and URNs and bare codes become EPSG:n; PROJ strings pass through."""
    assert normalize_crs("https://www.opengis.net/def/crs/EPSG/0/7415") == "EPSG:7415"
    assert normalize_crs("urn:ogc:def:crs:EPSG::3946") == "EPSG:3946"
    assert normalize_crs("urn:ogc:def:crs:OGC:1.3:CRS84") == "OGC:CRS84"
    assert normalize_crs("28992") == "EPSG:28992"
    assert normalize_crs(" +proj=utm +zone=33 ") == "+proj=utm +zone=33"


@pytest.mark.parametrize("crs, origin", [
    ("EPSG:28992", (84900.0, 447600.0)),          # RD New (Delft)
    ("EPSG:4326", (7.42, 43.73)),                 # lon/lat scene: local transverse Mercator
    ("EPSG:2056", (2683000.0, 1248000.0, 400.0)),  # Swiss LV95 (Zurich)
])
def test_round_trip_lonlat_within_a_millimetre(crs, origin):
    """Local metres -> lon/lat -> local metres returns within 1 mm across a city-sized area."""
    frame = LocalFrame(crs, origin)
    rng = np.random.default_rng(1)
    local = np.column_stack([rng.uniform(-3000, 3000, size=(500, 2)), rng.uniform(-5, 300, 500)])
    back = frame.lonlat_to_local(frame.local_to_lonlat(local))
    assert np.abs(back - local).max() < 1e-3
    flat = frame.lonlat_to_local(frame.local_to_lonlat(local[:, :2]))  # 2D: within 2 mm even across a datum
    assert np.abs(flat[:, :2] - local[:, :2]).max() < 2e-3


def test_local_axes_point_east_and_north():
    """In a lon/lat scene, +x is east and +y is north, scaled in metres."""
    frame = LocalFrame.from_lonlat(7.42, 43.73)
    east = frame.lonlat_to_local(np.array([[7.43, 43.73]]))[0]
    north = frame.lonlat_to_local(np.array([[7.42, 43.74]]))[0]
    assert east[0] == pytest.approx(805.7, abs=1.0) and abs(east[1]) < 1.0
    assert north[1] == pytest.approx(1111.9, abs=2.0) and abs(north[0]) < 1e-6


def test_output_is_float32_and_heights_pass_through():
    """to_local returns float32 local metres and keeps z relative to the origin height."""
    frame = LocalFrame("EPSG:7415", (84900.0, 447600.0, 2.0))
    out = frame.to_local(np.array([[84910.0, 447620.0, 12.5]]))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out[0], [10.0, 20.0, 10.5], atol=1e-4)


def test_unknown_crs_is_a_clear_error():
    """An unknown CRS raises CRSError naming it."""
    with pytest.raises(CRSError, match="EPSG:999999"):
        LocalFrame("EPSG:999999", (0, 0))


def test_frame_without_crs_is_identity_and_cannot_reach_earth():
    """An engineering frame keeps coordinates as metres and refuses lon/lat."""
    frame = LocalFrame(None, (100.0, 200.0))
    np.testing.assert_allclose(frame.to_local(np.array([[110.0, 230.0, 5.0]]))[0], [10, 30, 5])
    with pytest.raises(CRSError):
        frame.local_to_lonlat(np.zeros((1, 2)))


def _monaco_buildings(shared_data):
    data = json.loads((shared_data / "osm_monaco/derived/monaco_buildings.geojson").read_text())  # noqa: TID251
    geoms = [f["geometry"] for f in data["features"]]
    rings = [g["coordinates"][0] if g["type"] == "Polygon" else g["coordinates"][0][0] for g in geoms]
    return np.array([np.mean(np.array(r)[:, :2], axis=0) for r in rings[:300]])


def test_monaco_lonlat_and_utm_land_within_a_metre(shared_data):
    """The same Monaco buildings given in EPSG:4326 and reprojected to UTM 32N land within a metre."""
    lonlat = _monaco_buildings(shared_data)
    utm = np.stack(Transformer.from_crs("EPSG:4326", "EPSG:32632", always_xy=True).transform(
        lonlat[:, 0], lonlat[:, 1]), axis=1)
    for scene_crs in ("EPSG:4326", "EPSG:32632", "EPSG:3857"):
        frame = LocalFrame.from_lonlat(7.42, 43.735, crs=None if scene_crs == "EPSG:4326" else scene_crs)
        a = frame.to_local64(lonlat, "EPSG:4326")
        b = frame.to_local64(utm, "EPSG:32632")
        assert np.hypot(*(a - b)[:, :2].T).max() < 1.0, scene_crs


def test_to_lonlat_of_delft_centre():
    """The Delft tile's centre in RD New is where SOURCE.md says (52.01221 N, 4.36580 E)."""
    ll = to_lonlat(np.array([[(84616.468 + 85140.839) / 2, (447422.999 + 447750.636) / 2]]), "EPSG:7415")[0]
    assert ll[0] == pytest.approx(4.36580, abs=1e-4) and ll[1] == pytest.approx(52.01221, abs=1e-4)
