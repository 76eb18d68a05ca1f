"""Triangulate planar 3D polygons (with holes) in bulk.

Theory of operation: most city surfaces are convex rings without holes (walls, flat roofs, LoD1 boxes). Those
are fan-triangulated for all polygons at once with numpy. Only rings that are non-convex or have holes go to
earcut, one call each, projected onto the plane their Newell normal is most aligned with. Calling earcut for
every surface from Python is about 10x slower on a real city.

Input layout, shared by every loader:
    positions        : (v, 3) float64, the rings' vertices back to back, rings not closed (no repeated first point)
    ring_lengths     : (r,) int, vertices per ring
    poly_ring_counts : (p,) int, rings per polygon; a polygon's first ring is its outer boundary, the rest holes
Rings with fewer than 3 vertices are ignored (a polygon whose outer ring is such is dropped).
"""

from __future__ import annotations

import mapbox_earcut
import numpy as np


def _ring_starts(lengths: np.ndarray) -> np.ndarray:
    starts = np.zeros(lengths.shape[0], dtype=np.int64)
    if lengths.shape[0] > 1:
        np.cumsum(lengths[:-1], out=starts[1:])
    return starts


def triangulate_polygons(positions: np.ndarray, ring_lengths: np.ndarray,
                         poly_ring_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Returns (triangles (t, 3) int64 indices into positions, polygon index of each triangle (t,) int64)."""
    ring_lengths = np.asarray(ring_lengths, dtype=np.int64)
    poly_ring_counts = np.asarray(poly_ring_counts, dtype=np.int64)
    if ring_lengths.sum() != positions.shape[0] or poly_ring_counts.sum() != ring_lengths.shape[0]:
        raise ValueError("ring_lengths / poly_ring_counts do not match positions")
    empty = (np.zeros((0, 3), np.int64), np.zeros(0, np.int64))
    if ring_lengths.shape[0] == 0:
        return empty

    ring_start = _ring_starts(ring_lengths)
    ring_poly = np.repeat(np.arange(poly_ring_counts.shape[0]), poly_ring_counts)
    first_ring = _ring_starts(poly_ring_counts)
    is_outer = np.zeros(ring_lengths.shape[0], dtype=bool)
    is_outer[first_ring[poly_ring_counts > 0]] = True

    # Keep rings of >= 3 vertices whose polygon's outer ring is valid.
    ring_ok = ring_lengths >= 3
    outer_ok = np.zeros(poly_ring_counts.shape[0], dtype=bool)
    outer_ok[ring_poly[is_outer]] = ring_ok[is_outer]
    ring_ok &= outer_ok[ring_poly]
    if not ring_ok.any():
        return empty

    keep_rings = np.flatnonzero(ring_ok)
    lengths = ring_lengths[keep_rings]
    vidx = np.repeat(ring_start[keep_rings], lengths) + (
        np.arange(lengths.sum()) - np.repeat(_ring_starts(lengths), lengths))
    pts = positions[vidx]
    starts = _ring_starts(lengths)
    rpoly = ring_poly[keep_rings]
    router = is_outer[keep_rings]

    # Newell normal per ring (robust to collinear first vertices), then per polygon from its outer ring.
    nxt = np.arange(pts.shape[0]) + 1
    nxt[starts + lengths - 1] = starts
    a, b = pts, pts[nxt]
    newell = np.stack([(a[:, 1] - b[:, 1]) * (a[:, 2] + b[:, 2]),
                       (a[:, 2] - b[:, 2]) * (a[:, 0] + b[:, 0]),
                       (a[:, 0] - b[:, 0]) * (a[:, 1] + b[:, 1])], axis=1)
    ring_normal = np.add.reduceat(newell, starts, axis=0)
    drop_axis = np.argmax(np.abs(ring_normal), axis=1)  # per ring; holes use their polygon's below
    poly_axis = np.zeros(poly_ring_counts.shape[0], dtype=np.int64)
    poly_axis[rpoly[router]] = drop_axis[router]
    ring_axis = poly_axis[rpoly]
    vert_axis = np.repeat(ring_axis, lengths)
    keep_u = np.where(vert_axis == 0, 1, 0)
    keep_v = np.where(vert_axis == 2, 1, 2)
    rows = np.arange(pts.shape[0])
    u, v = pts[rows, keep_u], pts[rows, keep_v]

    rings_per_poly = np.bincount(rpoly, minlength=poly_ring_counts.shape[0])
    simple_ring = router & (rings_per_poly[rpoly] == 1)

    # Convexity of simple rings: every turn has the sign of the ring's area.
    nn = nxt[nxt]
    e1u, e1v = u[nxt] - u, v[nxt] - v
    e2u, e2v = u[nn] - u[nxt], v[nn] - v[nxt]
    cross = e1u * e2v - e1v * e2u
    area2 = np.add.reduceat(u * v[nxt] - u[nxt] * v, starts)
    sign = np.repeat(np.sign(area2), lengths)
    tol = 1e-9 * np.hypot(e1u, e1v) * np.hypot(e2u, e2v)
    concave = np.add.reduceat((cross * sign < -tol).astype(np.int64), starts) > 0
    fan = simple_ring & ~concave & (area2 != 0)

    out_tris: list[np.ndarray] = []
    out_poly: list[np.ndarray] = []
    fan_rings = np.flatnonzero(fan)
    if fan_rings.size:
        ntri = lengths[fan_rings] - 2
        rep = np.repeat(np.arange(fan_rings.size), ntri)
        k = np.arange(ntri.sum()) - np.repeat(_ring_starts(ntri), ntri) + 1
        s = starts[fan_rings][rep]
        out_tris.append(np.stack([s, s + k, s + k + 1], axis=1))
        out_poly.append(rpoly[fan_rings][rep])

    # Everything else through earcut, one polygon (outer + holes, consecutive rings) at a time.
    slow_polys = np.unique(rpoly[~fan & router & (area2 != 0)])
    if slow_polys.size:
        poly_first = np.searchsorted(rpoly, slow_polys, side="left")
        poly_last = np.searchsorted(rpoly, slow_polys, side="right")
        uv = np.stack([u, v], axis=1)
        for poly, r0, r1 in zip(slow_polys.tolist(), poly_first.tolist(), poly_last.tolist(), strict=True):
            v0 = int(starts[r0])
            ends = (np.cumsum(lengths[r0:r1])).astype(np.uint32)
            idx = mapbox_earcut.triangulate_float64(uv[v0:v0 + int(ends[-1])], ends)
            if idx.size:
                tri = idx.reshape(-1, 3).astype(np.int64) + v0
                # earcut emits one winding whatever the ring's: restore the ring's, so normals stay outward.
                a, b, c = uv[tri[0, 0]], uv[tri[0, 1]], uv[tri[0, 2]]
                if ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) * area2[r0] < 0:
                    tri = tri[:, ::-1]
                out_tris.append(tri)
                out_poly.append(np.full(idx.size // 3, poly, dtype=np.int64))

    if not out_tris:
        return empty
    tris = vidx[np.concatenate(out_tris)]
    return tris, np.concatenate(out_poly)
