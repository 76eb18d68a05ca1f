"""Where a model's objects are, and the camera bookmarks a bare model file opens with.

Rules this module keeps:
1. The focus is where the objects are, not the bounding box. Plates much larger than the rest (a 32 km
   "plateau" polygon, a terrain TIN, a forest) do not widen it, and objects scattered thinly over
   kilometres (Zurich's 49 buildings over 9 x 10 km) are framed at their densest group, not as specks.
2. Objects are taken whole: a BuildingPart counts through its Building (its root), whose box is the union.
3. Default street views stand at eye height above the ground (the terrain where the model has one) outside
   every object's box, and look at a real building.
4. Pure numpy over the object table's derived boxes; no Python loop over objects (only over a few views).
"""

from __future__ import annotations

import math

import numpy as np

from viewer.city.model import CityModel, SurfaceKind
from viewer.config import CameraBookmark

PLATE_FRACTION = 0.25  # an object wider than this share of the model's extent is ground, not a focus
MIN_COVERAGE = 0.005  # objects' boxes cover at least this share of the area framed, or it is "specks"
WINDOW_SIZES = 16.0  # a sparse model is framed on the densest window this many median object sizes wide
WINDOW_MIN = 150.0  # metres
EYE_HEIGHT = 1.7  # metres above an object's base
STREET_VIEWS = 3
OVERVIEW_FOV = 45.0
STREET_FOV = 60.0
OVERVIEW_AZIMUTH, OVERVIEW_ELEVATION = 225.0, 35.0  # from the south-west, as the default framing
_DIRECTIONS = np.array([(-1, -1), (0, -1), (-1, 0), (1, -1), (-1, 1), (0, 1), (1, 0), (1, 1)], np.float64)


def _boxes(model: CityModel) -> tuple[np.ndarray, np.ndarray]:
    """The object table's (n, 3) float64 box corners (derived after localisation: city/localize.py)."""
    lo, hi = model.objects.bbox_min, model.objects.bbox_max
    if lo is None or hi is None:
        empty = np.zeros((len(model.objects), 3))
        return empty + np.nan, empty + np.nan
    return lo.astype(np.float64), hi.astype(np.float64)


def _roots(model: CityModel) -> np.ndarray:
    """(k,) int: objects without a parent that have geometry (their own or their parts')."""
    if len(model.objects) == 0:
        return np.zeros(0, np.int64)
    lo, _ = _boxes(model)
    return np.flatnonzero((model.objects.parents < 0) & np.isfinite(lo[:, 0]))


def _plates(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """(k,) bool: boxes wider than PLATE_FRACTION of the union's horizontal diagonal."""
    size = hi[:, :2] - lo[:, :2]
    diagonal = np.hypot(size[:, 0], size[:, 1])
    extent = hi[:, :2].max(axis=0) - lo[:, :2].min(axis=0)
    return diagonal > PLATE_FRACTION * float(np.hypot(*extent))


def focus_objects(model: CityModel) -> np.ndarray:
    """(n,) bool over the object table: the root objects the default view frames (rule 1). All False for a
    model without objects that have geometry."""
    focus = np.zeros(len(model.objects), bool)
    roots = _roots(model)
    if roots.size == 0:
        return focus
    all_lo, all_hi = _boxes(model)
    lo, hi = all_lo[roots], all_hi[roots]
    keep = ~_plates(lo, hi)
    if not keep.any():
        keep[:] = True
    roots, lo, hi = roots[keep], lo[keep], hi[keep]
    size = np.maximum(hi[:, :2] - lo[:, :2], 1.0)
    area = size.prod(axis=1)
    extent = np.maximum(hi[:, :2].max(axis=0) - lo[:, :2].min(axis=0), 1.0)
    if area.sum() >= MIN_COVERAGE * extent.prod():
        focus[roots] = True
        return focus
    centres = 0.5 * (lo[:, :2] + hi[:, :2])
    window = max(WINDOW_MIN, WINDOW_SIZES * float(np.median(np.hypot(size[:, 0], size[:, 1]))))
    focus[roots[_densest_window(centres, window)]] = True
    return focus


def _densest_window(centres: np.ndarray, window: float) -> np.ndarray:
    """(k,) bool: the centres inside the square `window` metres wide that holds the most of them (searched on
    a grid of half-window cells, each window four cells; ties go to the first in sorted cell order)."""
    cell = window / 2.0
    ij = np.floor((centres - centres.min(axis=0)) / cell).astype(np.int64)
    width = int(ij[:, 1].max()) + 2
    keys = ij[:, 0] * width + ij[:, 1]
    cells, counts = np.unique(keys, return_counts=True)
    total = np.zeros(cells.size, np.int64)
    for di, dj in ((0, 0), (1, 0), (0, 1), (1, 1)):  # each occupied cell as a window's lower-left corner
        other = cells + di * width + dj
        at = np.clip(np.searchsorted(cells, other), 0, cells.size - 1)
        total += np.where(cells[at] == other, counts[at], 0)
    corner = cells[int(np.argmax(total))]
    ci, cj = divmod(int(corner), width)
    return (ij[:, 0] >= ci) & (ij[:, 0] <= ci + 1) & (ij[:, 1] >= cj) & (ij[:, 1] <= cj + 1)


def focus_vertex_mask(model: CityModel, focus: np.ndarray | None = None) -> np.ndarray:
    """(v,) bool: vertices of the focus objects or of their parts."""
    focus = focus_objects(model) if focus is None else focus
    parents = model.objects.parents
    root = np.where(parents >= 0, parents, np.arange(parents.size))
    return focus[root][model.vertex_object] if parents.size else np.zeros(model.vertex_count, bool)


def focus_points(model: CityModel, limit: int = 200_000) -> np.ndarray:
    """(k, 3) float32: up to about `limit` vertices of the focus, an even stride through them (all vertices
    when nothing is in focus)."""
    step = max(1, -(-model.vertex_count // limit))
    mask = focus_vertex_mask(model)[::step]
    sample = model.vertices[::step]
    return sample[mask] if mask.any() else sample


def focus_bounds(model: CityModel, focus: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) (3,) float64 corners of the focus objects' boxes; the model's bounds without a focus."""
    focus = focus_objects(model) if focus is None else focus
    if not focus.any():
        lo, hi = model.bounds()
        return lo.astype(np.float64), hi.astype(np.float64)
    all_lo, all_hi = _boxes(model)
    return all_lo[focus].min(axis=0), all_hi[focus].max(axis=0)


def default_cameras(model: CityModel, aspect: float = 16 / 9) -> dict[str, CameraBookmark]:
    """Bookmarks for a model that has none: `overview` (the focus from the south-west), `all` (the whole
    model, when the focus leaves something out) and up to three eye-height views `street`, `street-2`, ...
    Empty for a model without geometry."""
    if model.vertex_count == 0:
        return {}
    focus = focus_objects(model)
    cameras = {"overview": _overview(*focus_bounds(model, focus), aspect)}
    roots = _roots(model)
    if roots.size and not focus[roots].all():
        lo, hi = model.bounds()
        cameras["all"] = _overview(lo.astype(np.float64), hi.astype(np.float64), aspect)
    for i, view in enumerate(_street_views(model, focus, _GroundSurface(model))):
        cameras["street" if i == 0 else f"street-{i + 1}"] = view
    return cameras


def _overview(lo: np.ndarray, hi: np.ndarray, aspect: float) -> CameraBookmark:
    """The box seen whole from the south-west: its bounding sphere inside the narrower field of view."""
    target = 0.5 * (lo + hi)
    radius = max(0.5 * float(np.linalg.norm(hi - lo)), 5.0)
    half_v = math.radians(OVERVIEW_FOV) / 2.0
    half = min(half_v, math.atan(math.tan(half_v) * aspect))
    distance = radius / math.sin(half)
    a, e = math.radians(OVERVIEW_AZIMUTH), math.radians(OVERVIEW_ELEVATION)
    back = np.array([math.cos(e) * math.sin(a), math.cos(e) * math.cos(a), math.sin(e)])
    return _bookmark(target + distance * back, target, OVERVIEW_FOV)


class _GroundSurface:
    """Heights of the model's terrain (TIN relief, land use) where it has some, so a street view's eye is
    1.7 m above the ground it stands on, not above a building's foundation below the terrain."""

    def __init__(self, model: CityModel) -> None:
        ground = np.isin(model.vertex_kind, (SurfaceKind.TERRAIN, SurfaceKind.GROUND, SurfaceKind.ROAD))
        plates = np.zeros(len(model.objects), bool)
        roots = _roots(model)
        if roots.size:
            lo, hi = _boxes(model)
            plates[roots[_plates(lo[roots], hi[roots])]] = True
        on_plate = plates[model.vertex_object] | (model.vertex_kind == SurfaceKind.TERRAIN)
        triangles = model.triangles[on_plate[model.triangles[:, 0]] & ground[model.triangles[:, 0]]]
        self.corners = model.vertices[triangles].astype(np.float64)  # (t, 3, 3)

    def height(self, x: float, y: float, default: float) -> float:
        """The highest ground surface at (x, y), or `default` where there is none."""
        if self.corners.shape[0] == 0:
            return default
        a, b, c = self.corners[:, 0], self.corners[:, 1], self.corners[:, 2]
        det = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
        with np.errstate(divide="ignore", invalid="ignore"):
            u = ((b[:, 1] - c[:, 1]) * (x - c[:, 0]) + (c[:, 0] - b[:, 0]) * (y - c[:, 1])) / det
            v = ((c[:, 1] - a[:, 1]) * (x - c[:, 0]) + (a[:, 0] - c[:, 0]) * (y - c[:, 1])) / det
        w = 1.0 - u - v
        inside = (det != 0) & (u >= 0) & (v >= 0) & (w >= 0)
        if not inside.any():
            return default
        z = u[inside] * a[inside, 2] + v[inside] * b[inside, 2] + w[inside] * c[inside, 2]
        return float(z.max())


def _street_views(model: CityModel, focus: np.ndarray, ground: _GroundSurface) -> list[CameraBookmark]:
    """Eye-height views of the tallest focus objects (rule 3); one view along the largest flat object (a
    road, a square) when nothing stands up."""
    rows = np.flatnonzero(focus)
    if rows.size == 0:
        return []
    lo, hi = _boxes(model)
    obstacles = _roots(model)
    obstacles = obstacles[~_plates(lo[obstacles], hi[obstacles])]
    tall = rows[(hi[rows, 2] - lo[rows, 2]) >= 3.0]
    if tall.size == 0:
        return [_along(lo[r], hi[r]) for r in rows[np.argsort(-_xy_area(lo[rows], hi[rows]))[:1]]]
    order = tall[np.argsort(-(hi[tall, 2] - lo[tall, 2]) * np.sqrt(_xy_area(lo[tall], hi[tall])), kind="stable")]
    views: list[CameraBookmark] = []
    chosen: list[np.ndarray] = []
    for r in order[:200]:  # the first few well-spaced ones are all that is needed
        centre = 0.5 * (lo[r] + hi[r])
        if any(np.hypot(*(centre[:2] - c[:2])) < 60.0 for c in chosen):
            continue
        view = _facing(lo[r], hi[r], lo[obstacles], hi[obstacles], ground)
        if view is not None:
            views.append(view)
            chosen.append(centre)
        if len(views) == STREET_VIEWS:
            break
    return views


def _facing(lo: np.ndarray, hi: np.ndarray, obstacle_lo: np.ndarray, obstacle_hi: np.ndarray,
            ground: _GroundSurface) -> CameraBookmark | None:
    """An eye-height view of the box lo..hi from the first open spot around it (south-west first)."""
    centre, half = 0.5 * (lo + hi), 0.5 * (hi - lo)
    height = float(hi[2] - lo[2])
    step = max(20.0, 1.2 * height)
    for direction in _DIRECTIONS:
        unit = direction / np.linalg.norm(direction)
        reach = float(np.abs(unit * half[:2]).sum()) + step
        x, y = centre[0] + unit[0] * reach, centre[1] + unit[1] * reach
        eye = np.array([x, y, ground.height(x, y, float(lo[2])) + EYE_HEIGHT])
        inside = ((obstacle_lo[:, 0] - 0.5 <= eye[0]) & (eye[0] <= obstacle_hi[:, 0] + 0.5)
                  & (obstacle_lo[:, 1] - 0.5 <= eye[1]) & (eye[1] <= obstacle_hi[:, 1] + 0.5)
                  & (obstacle_lo[:, 2] <= eye[2]) & (eye[2] <= obstacle_hi[:, 2]))
        if not inside.any():
            return _bookmark(eye, np.array([centre[0], centre[1], float(lo[2]) + 0.5 * height]), STREET_FOV)
    return None


def _along(lo: np.ndarray, hi: np.ndarray) -> CameraBookmark:
    """At eye height over the middle of a flat object, looking along its longer side."""
    centre = 0.5 * (lo + hi)
    eye = np.array([centre[0], centre[1], float(hi[2]) + EYE_HEIGHT])
    axis = np.array([1.0, 0.0, 0.0]) if hi[0] - lo[0] >= hi[1] - lo[1] else np.array([0.0, 1.0, 0.0])
    return _bookmark(eye, eye + 100.0 * axis, STREET_FOV)


def _xy_area(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.maximum(hi[..., 0] - lo[..., 0], 0.0) * np.maximum(hi[..., 1] - lo[..., 1], 0.0)


def _bookmark(position: np.ndarray, look_at: np.ndarray, fov: float) -> CameraBookmark:
    return CameraBookmark(position=tuple(round(float(v), 2) for v in position),  # type: ignore[arg-type]
                          look_at=tuple(round(float(v), 2) for v in look_at), fov=fov)  # type: ignore[arg-type]
