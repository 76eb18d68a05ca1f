"""Lane markings painted from lane geometry at load: dashed lines between lanes, solid lines along the edges.

Rules this module keeps:
1. A marking is a line along a road polyline shifted sideways by an offset in metres (positive: left of the
   direction the polyline is drawn in), either solid or dashed. Solid lines are SOLID_WIDTH_M wide; dashed
   ones are DASH_M painted strokes every DASH_M + GAP_M metres (centred on the line's length, so both ends
   look alike), DASH_WIDTH_M wide. Lines shorter than one stroke get none.
2. Loaders say where the lines are (city/sumo.py from lane shapes and widths, city/osm.py from `lanes=`);
   this module turns them into strips of SurfaceKind.MARKING (extrude.ribbons), owned by their road and
   MARK_LIFT_M above the road surface. They flow with the model's other surfaces (localised, merged,
   draped, cached); render/lane_marks.py draws them over the road with a depth offset.
3. Whole arrays, no loop per vertex: offsets use the same mitred joints as extrude.ribbons (so a line keeps
   its distance from the lane it follows through bends), and strokes are cut by interpolating along each
   line's arc length at once for every line.
4. Positions may be lon/lat: `metres_per_unit` (v, 2) converts, as in extrude.ribbons.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from viewer.city.extrude import MITRE_LIMIT, Mesh, ribbons, ring_starts
from viewer.city.model import SurfaceKind

SOLID_WIDTH_M = 0.15
DASH_WIDTH_M = 0.12
DASH_M = 3.0
GAP_M = 6.0
EDGE_INSET_M = 0.25  # an edge line's centre is this far inside the road's edge
MARK_LIFT_M = 0.01  # above the road surface (render/lane_marks.py adds a depth offset)
_MIN_STEP_M = 1e-6


class MarkLines(NamedTuple):
    """Lines to paint (rule 1): polylines back to back in points (v, 3) float64 with lengths (l,) int64;
    offset (l,) float64 metres to the left; dashed (l,) bool; owner (l,) int64 object index."""

    points: np.ndarray
    lengths: np.ndarray
    offset: np.ndarray
    dashed: np.ndarray
    owner: np.ndarray


def marking_mesh(lines: MarkLines, lift: float = 0.0, metres_per_unit: np.ndarray | None = None) -> Mesh:
    """The MARKING strips of `lines` (rules 1-2), `lift` + MARK_LIFT_M above the points' z; vertex_item is
    the owner object."""
    if lines.lengths.size == 0 or lines.points.shape[0] == 0:
        return Mesh.empty()
    drawn = np.asarray(lines.lengths) > 0
    if not drawn.all():
        lines = lines._replace(lengths=lines.lengths[drawn], offset=lines.offset[drawn], dashed=lines.dashed[drawn],
                               owner=lines.owner[drawn])
    scale = np.ones((lines.points.shape[0], 2)) if metres_per_unit is None else np.asarray(metres_per_unit)
    points, lengths, scale = _deduped(lines.points, np.asarray(lines.lengths, np.int64), scale)
    shifted = offset_lines(points, lengths, np.asarray(lines.offset, np.float64), scale)
    line = np.repeat(np.arange(lengths.size), lengths)
    solid = ~np.asarray(lines.dashed, bool)
    keep = solid[line]
    meshes = [_strips(shifted[keep], lengths[solid], SOLID_WIDTH_M, lift, scale[keep], lines.owner[solid])]
    dashed = np.flatnonzero(~solid)
    if dashed.size:
        dash_points, dash_scale, dash_line = strokes(shifted[~keep], lengths[dashed], scale[~keep])
        meshes.append(_strips(dash_points, np.full(dash_line.size, 2, np.int64), DASH_WIDTH_M, lift, dash_scale,
                              lines.owner[dashed][dash_line]))
    return Mesh.concat(meshes)


def _strips(points: np.ndarray, lengths: np.ndarray, width: float, lift: float, scale: np.ndarray,
            owner: np.ndarray) -> Mesh:
    mesh = ribbons(points, lengths, width, lift=lift + MARK_LIFT_M, metres_per_unit=scale, kind=SurfaceKind.MARKING)
    return mesh._replace(vertex_item=np.asarray(owner, np.int64)[mesh.vertex_item])


def offset_lines(points: np.ndarray, lengths: np.ndarray, offset: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """points (v, 3) of polylines (no zero-length segments) shifted `offset` (l,) metres to the left, with
    mitred joints clamped at MITRE_LIMIT (rule 3)."""
    starts = ring_starts(lengths)
    is_last = np.zeros(points.shape[0], bool)
    is_last[starts + lengths - 1] = True
    is_first = np.zeros(points.shape[0], bool)
    is_first[starts] = True
    seg = np.flatnonzero(~is_last)
    d = (points[seg + 1, :2] - points[seg, :2]) * scale[seg]
    u = d / np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-300)[:, None]
    out_normal = np.zeros((points.shape[0], 2))
    out_normal[seg] = np.stack([-u[:, 1], u[:, 0]], axis=1)
    in_normal = np.zeros_like(out_normal)
    in_normal[seg + 1] = out_normal[seg]
    in_normal[is_first] = out_normal[is_first]
    out_normal[is_last] = in_normal[is_last]
    bisector = in_normal + out_normal
    norm = np.hypot(bisector[:, 0], bisector[:, 1])
    unit = in_normal.copy()
    np.divide(bisector, norm[:, None], out=unit, where=norm[:, None] > 1e-9)
    cos_half = np.maximum((unit * in_normal).sum(axis=1), 1.0 / MITRE_LIMIT)
    shifted = points.copy()
    line = np.repeat(np.arange(lengths.size), lengths)
    shifted[:, :2] += unit / cos_half[:, None] * offset[line][:, None] / scale
    return shifted


def strokes(points: np.ndarray, lengths: np.ndarray, scale: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The dashes of polylines (rule 1): (points (2 d, 3), scale (2 d, 2), line (d,) of each dash), each dash
    one straight stroke from its start to its end along its line."""
    line = np.repeat(np.arange(lengths.size), lengths)
    starts = ring_starts(lengths)
    step = np.zeros(points.shape[0])
    step[1:] = np.hypot(*((points[1:, :2] - points[:-1, :2]) * scale[:-1]).T)
    step[starts] = 0.0
    along = np.cumsum(step) + line  # arc length, lines 1 m apart so interpolation never crosses between them
    total = along[starts + lengths - 1] - along[starts]
    period = DASH_M + GAP_M
    count = np.where(total >= DASH_M, np.floor((total - DASH_M) / period) + 1, 0).astype(np.int64)
    phase = (total - (count - 1) * period - DASH_M) / 2.0
    dash_line = np.repeat(np.arange(lengths.size), count)
    k = np.arange(dash_line.size) - np.repeat(np.cumsum(count) - count, count)
    begin = along[starts][dash_line] + phase[dash_line] + k * period
    at = np.stack([begin, begin + DASH_M], axis=1).reshape(-1)
    out = np.stack([np.interp(at, along, points[:, i]) for i in range(3)], axis=1)
    out_scale = np.stack([np.interp(at, along, scale[:, i]) for i in range(2)], axis=1)
    return out, out_scale, dash_line


def _deduped(points: np.ndarray, lengths: np.ndarray, scale: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points closer than _MIN_STEP_M to their predecessor in the same line dropped (lines keep >= 1 point)."""
    line = np.repeat(np.arange(lengths.size), lengths)
    step = np.full(points.shape[0], np.inf)
    step[1:] = np.hypot(*((points[1:, :2] - points[:-1, :2]) * scale[:-1]).T)
    step[ring_starts(lengths)] = np.inf
    keep = step > _MIN_STEP_M
    return points[keep], np.bincount(line[keep], minlength=lengths.size), scale[keep]
