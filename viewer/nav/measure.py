"""Measuring in the scene: distances along the ground and in 3D, heights, footprint areas (the window's M).

Rules this module keeps:
1. Pure: points in local metres (x east, y north, z up: the scene's CRS made metric by geo/LocalFrame) in,
   figures out. The local frame is a conformal plane near the origin, so distances here are the CRS's
   metres (within the projection's scale factor, about 1e-4 for RD or UTM).
2. Of the points clicked in order: `path_3d` sums the straight segments, `ground` the same segments
   flattened (a map distance), `rise` the last point's height minus the first's, `above_ground` how high
   the last point is over the drawn ground (click a roof: the building's height); with three points or
   more, `area` and `perimeter` of the polygon they make, flattened (a footprint).
3. Units as people read them: metres below 1 km with a decimal below 100 m, km beyond; m2 below a
   hectare, ha beyond (the HUD's font is ASCII: "m2").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Vec3 = tuple[float, float, float]


@dataclass(frozen=True)
class Measurement:
    """Figures of rule 2 (metres and square metres; area and perimeter NaN under three points)."""

    points: int
    path_3d: float
    ground: float
    rise: float
    above_ground: float
    area: float
    perimeter: float

    def lines(self) -> list[str]:
        """What the measure panel shows (rule 3)."""
        if self.points == 0:
            return ["Click a point to start (Backspace undoes, Esc clears)"]
        out = [f"points {self.points}"]
        if self.points >= 2:
            out += [f"distance {length(self.path_3d)} (3D)", f"along the ground {length(self.ground)}",
                    f"height difference {self.rise:+.1f} m"]
        out.append(f"last point above the ground {self.above_ground:.1f} m")
        if self.points >= 3:
            out += [f"area {area_text(self.area)} (footprint)", f"perimeter {length(self.perimeter)}"]
        return out


def measure(points: list[Vec3] | np.ndarray, ground_under_last: float = 0.0) -> Measurement:
    """The figures of `points` (k, 3) (rule 2); ground_under_last: the drawn ground's height under the last."""
    p = np.asarray(points, np.float64).reshape(-1, 3)
    k = p.shape[0]
    if k == 0:
        return Measurement(0, 0.0, 0.0, 0.0, 0.0, float("nan"), float("nan"))
    steps = np.diff(p, axis=0)
    path_3d = float(np.linalg.norm(steps, axis=1).sum())
    ground = float(np.hypot(steps[:, 0], steps[:, 1]).sum())
    area = perimeter = float("nan")
    if k >= 3:
        x, y = p[:, 0] - p[0, 0], p[:, 1] - p[0, 1]
        area = 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
        closing = p[0, :2] - p[-1, :2]
        perimeter = ground + float(np.hypot(*closing))
    return Measurement(k, path_3d, ground, float(p[-1, 2] - p[0, 2]), float(p[-1, 2] - ground_under_last),
                       area, perimeter)


def length(metres: float) -> str:
    if metres >= 1000.0:
        return f"{metres / 1000.0:.3f} km"
    return f"{metres:.2f} m" if metres < 100.0 else f"{metres:.1f} m"


def area_text(square_metres: float) -> str:
    if square_metres >= 10_000.0:
        return f"{square_metres / 10_000.0:.2f} ha"
    return f"{square_metres:.1f} m2"
