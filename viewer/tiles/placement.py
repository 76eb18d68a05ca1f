"""Placement: a tileset's coordinates -> a scene's local metres.

A standard tileset is in ECEF (EPSG:4978) and goes through LocalFrame.ecef_to_local (heights become WGS84
ellipsoidal heights, not the scene's vertical datum: see that method). Some writers (py3dtiles, py3dtilers)
put projected coordinates (e.g. EPSG:3946) in a tileset instead; `crs` names them and they go through
LocalFrame.to_local64 like any other source (heights unchanged); crs None takes them as the scene's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from viewer.geo.frame import LocalFrame, normalize_crs

ECEF = "EPSG:4978"


@dataclass(frozen=True)
class TilesetPlacement:
    """frame: the scene's LocalFrame; crs: the tileset's coordinates (ECEF unless the tileset says otherwise)."""

    frame: LocalFrame
    crs: str | None = ECEF

    def to_local(self, points: np.ndarray) -> np.ndarray:
        """(n, 3) float64 tileset coordinates -> (n, 3) float64 local metres (x east, y north, z up)."""
        pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        if self.crs is None:  # a tileset in the scene's own coordinates (or an engineering frame's)
            return self.frame.to_local64(pts)
        if normalize_crs(self.crs) == ECEF:
            return self.frame.ecef_to_local(pts)
        return self.frame.to_local64(pts, self.crs)

    def to_local32(self, points: np.ndarray) -> np.ndarray:
        """(n, 3) float32 local metres, what render/ uploads."""
        return self.to_local(points).astype(np.float32)
