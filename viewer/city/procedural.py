"""The demo city: a deterministic procedural district placed in central Rotterdam (format "procedural").

Rules this module keeps:
1. Same (seed, size) -> identical arrays, ids and attributes: every random draw comes from one numpy Generator
   seeded with options.seed, in a fixed order. Exactly options.size buildings are made.
2. Coordinates are EPSG:7415 (Amersfoort / RD New + NAP height), the CRS of the Dutch CityJSON data. The city
   centre sits at RD (92 540, 437 500), Rotterdam's Stadhuis on the Coolsingel (51.9225 N, 4.4792 E): a flat
   city whose streets lie near 0 m NAP, so ground, streets, parks and water are at z = 0.
3. Nothing overlaps in plan: every building lies inside its own lot, lots inside blocks, blocks between street
   surfaces. The one exception is the diagonal avenue, drawn 5 cm above the grid streets, parks and canal it
   crosses (lots it would touch stay empty).
4. Vectorised: buildings, lots, blocks and street pieces are arrays; Python loops run over grid lines and over
   objects (their attribute dicts), never over vertices.

Layout: a grid of blocks of varying size between streets (12 m wide; every fifth line a 26 m avenue), a canal
(water between two quays, bridged by every crossing street) on large grids, a diagonal avenue, a plaza on the
block nearest the centre and a few parks (some with a pond). Blocks are cut into one or two rows of lots, wider
in the centre and in the industrial sector east of it. Each lot holds one building: a rectangle, an L-shape
(25 %) or, near the centre, a tower on a square footprint. The `size` lots nearest the centre are built on.
Storeys: 3-8 (more near the centre); industrial halls 1-3 storeys of 5 m; towers 20-60 storeys (Pareto tail).

Objects: "bldg-000123" (type "Building"; height, storeys, use, floor_area), "road-00042" ("Road"; name, lanes,
speed_limit in km/h, width), "water-000" ("Water"), "park-000" ("Park", TERRAIN), "plaza-000" ("Plaza", OTHER).
Sidewalks are not modelled. Prisms and flat surfaces come from viewer/city/extrude.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viewer.city.extrude import extrude_polygons, flat_polygons
from viewer.city.limits import check_count
from viewer.city.model import SourceModel, SourceModelBuilder, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LoadError

CRS = "EPSG:7415"
ORIGIN = (92540.0, 437500.0)  # RD New: Rotterdam Stadhuis, Coolsingel
STREET, AVENUE, QUAY, CANAL_WATER, DIAGONAL = 12.0, 26.0, 8.0, 24.0, 30.0
USES = ("residential", "office", "retail", "industrial")
STOREY_HEIGHT = np.array([3.0, 3.6, 3.5, 5.0])  # metres, by use
CENTRE, MIDDLE, INDUSTRIAL = 0, 1, 2  # zones
_USE_CUMULATIVE = np.array([[0.2, 0.7, 1.0, 1.0], [0.75, 0.85, 1.0, 1.0], [0.0, 0.0, 0.1, 1.0]])
_FRONTAGE = np.array([[24.0, 36.0], [10.0, 18.0], [35.0, 55.0]])  # lot width range by zone, metres
_STEMS = ("Maas", "Rotte", "Schie", "Haven", "Molen", "Linden", "Eiken", "Beuken", "Kerk", "Markt", "Vis",
          "Hout", "Zand", "Veer", "Dijk", "Polder", "Tuin", "Bloem", "Koren", "Laurens", "Erasmus", "Spinoza",
          "Vondel", "Rembrandt", "Hals", "Steen", "Vermeer", "Huygens", "Tromp", "De Ruyter", "Piet Hein",
          "Oranje", "Nassau", "Wilhelmina", "Juliana", "Mauritius", "Coolhaven", "Delfshaven", "Kralingen")


def load(path: Path | None, options: SourceConfig, limits: Limits) -> SourceModel:
    """Generate the demo city for options.seed with options.size buildings (path is ignored: None)."""
    where = f"procedural:seed={options.seed}"
    size = int(options.size)
    if size < 1:
        raise LoadError(where, f"size must be at least 1 building, got {size}")
    check_count(where, "object count", size, limits.max_objects)
    rng = np.random.default_rng(options.seed % (1 << 63))
    grid, lots = _plan(rng, size)
    rings, lengths, height, attrs = _buildings(rng, lots, grid.radius)
    check_count(where, "vertex count", 6 * int(lengths.sum()), limits.max_vertices)
    builder = SourceModelBuilder(where, limits)
    for i, a in enumerate(attrs):
        builder.add_object(f"bldg-{i:06d}", "Building", a)
    prisms = extrude_polygons(np.column_stack([rings, np.zeros(rings.shape[0])]), lengths,
                              np.ones(size, np.int64), np.zeros(size), height)
    builder.add_surfaces(prisms.positions, prisms.triangles, prisms.vertex_item, prisms.vertex_kind)
    _add_flat(builder, grid, lots)
    model = builder.build("procedural", CRS, {})
    model.positions[:, :2] += ORIGIN  # generated around (0, 0): place the centre on the Stadhuis
    model.meta = {"location": "Rotterdam, NL (Stadhuis, Coolsingel)", "origin": ORIGIN, "seed": options.seed,
                  "buildings": size, "towers": int((height >= 20 * STOREY_HEIGHT.min()).sum())}
    return model


@dataclass
class _Grid:
    """Street centre lines and widths (x: north-south streets, y: east-west), metres around the centre."""

    xs: np.ndarray
    xw: np.ndarray
    ys: np.ndarray
    yw: np.ndarray
    canal: int  # index into ys of the canal line, -1 for none
    parks: np.ndarray  # block indices
    plaza: int  # block index, -1 for none
    diagonal: tuple[np.ndarray, np.ndarray, float, float] | None  # point, unit direction, t0, t1

    @property
    def radius(self) -> float:
        return float(max(np.abs(self.xs).max(), np.abs(self.ys).max()))

    def blocks(self) -> np.ndarray:
        """(b, 4) x0, y0, x1, y1 of every block, row-major (block j * nx + i lies east of x-line i)."""
        x0, x1 = self.xs[:-1] + self.xw[:-1] / 2, self.xs[1:] - self.xw[1:] / 2
        y0, y1 = self.ys[:-1] + self.yw[:-1] / 2, self.ys[1:] - self.yw[1:] / 2
        gx0, gy0 = np.meshgrid(x0, y0)
        gx1, gy1 = np.meshgrid(x1, y1)
        return np.stack([gx0.ravel(), gy0.ravel(), gx1.ravel(), gy1.ravel()], axis=1)


def _lines(rng: np.random.Generator, n: int, lo: float, hi: float, canal: int) -> tuple[np.ndarray, np.ndarray]:
    """Centres (n+1,) and widths (n+1,) of the street lines around n blocks of random size in [lo, hi)."""
    widths = np.where((np.arange(n + 1) + rng.integers(0, 5)) % 5 == 0, AVENUE, STREET)
    if canal >= 0:
        widths[canal] = CANAL_WATER + 2 * QUAY
    sizes = rng.uniform(lo, hi, n)
    centres = np.concatenate([[0.0], np.cumsum(widths[:-1] / 2 + sizes + widths[1:] / 2)])
    return centres - centres[-1] / 2, widths.astype(np.float64)


def _make_grid(rng: np.random.Generator, n: int) -> _Grid:
    canal = int(rng.integers(2, n - 1)) if n >= 6 else -1
    xs, xw = _lines(rng, n, 70.0, 130.0, -1)
    ys, yw = _lines(rng, n, 60.0, 110.0, canal)
    grid = _Grid(xs, xw, ys, yw, canal, np.zeros(0, np.int64), -1, None)
    centre = grid.blocks().reshape(-1, 2, 2).mean(axis=1)
    dist = np.hypot(centre[:, 0], centre[:, 1]) / grid.radius
    if n >= 3:
        grid.plaza = int(np.argmin(dist))
    if n >= 4:
        candidates = np.flatnonzero((dist > 0.25) & (dist < 0.75))
        grid.parks = np.sort(rng.choice(candidates, size=min(candidates.size, max(1, n * n // 50)),
                                        replace=False))
    if n >= 5:
        angle = rng.uniform(math.radians(25), math.radians(65)) * rng.choice([-1.0, 1.0])
        direction = np.array([math.cos(angle), math.sin(angle)])
        point = rng.uniform(-0.15, 0.15, 2) * grid.radius
        ends = [(np.array([xs[0], ys[0]]) - point) / direction, (np.array([xs[-1], ys[-1]]) - point) / direction]
        t0, t1 = np.minimum(*ends).max(), np.maximum(*ends).min()  # clip the line to the grid's box
        grid.diagonal = (point, direction, float(t0), float(t1))
    return grid


def _plan(rng: np.random.Generator, size: int) -> tuple[_Grid, dict[str, np.ndarray]]:
    """A grid with at least `size` free lots; the `size` lots nearest the centre, in block order."""
    n = max(2, math.ceil(math.sqrt(size / 9.0)) + 1)
    while True:
        grid = _make_grid(rng, n)
        lots = _lots(rng, grid)
        if lots["x0"].size >= size:
            break
        n += 1  # rare: random block sizes left too few lots; draw a larger grid
    centre_x, centre_y = (lots["x0"] + lots["x1"]) / 2, (lots["y0"] + lots["y1"]) / 2
    keep = np.sort(np.argsort(np.hypot(centre_x, centre_y), kind="stable")[:size])
    return grid, {k: v[keep] for k, v in lots.items()}


def _lots(rng: np.random.Generator, grid: _Grid) -> dict[str, np.ndarray]:
    """Lots of every block (one or two rows, equal widths per block) outside parks, plaza and the diagonal."""
    blocks = grid.blocks()
    bw, bh = blocks[:, 2] - blocks[:, 0], blocks[:, 3] - blocks[:, 1]
    cx, cy = (blocks[:, 0] + blocks[:, 2]) / 2, (blocks[:, 1] + blocks[:, 3]) / 2
    r = np.hypot(cx, cy) / grid.radius
    zone = np.where(r < 0.3, CENTRE, np.where((r > 0.55) & (np.abs(np.arctan2(cy, cx)) < np.pi / 4),
                                              INDUSTRIAL, MIDDLE))
    frontage = rng.uniform(_FRONTAGE[zone, 0], _FRONTAGE[zone, 1])
    ncol = np.maximum(1, np.floor(bw / frontage)).astype(np.int64)
    nrow = np.where(bh >= 45.0, 2, 1)
    ncol[grid.parks] = 0
    if grid.plaza >= 0:
        ncol[grid.plaza] = 0
    count = ncol * nrow
    block = np.repeat(np.arange(blocks.shape[0]), count)
    k = np.arange(block.size) - np.repeat(np.cumsum(count) - count, count)
    col, row = k % ncol[block], k // ncol[block]
    x0 = blocks[block, 0] + bw[block] * col / ncol[block]
    x1 = blocks[block, 0] + bw[block] * (col + 1) / ncol[block]
    y0 = blocks[block, 1] + bh[block] * row / nrow[block]
    y1 = blocks[block, 1] + bh[block] * (row + 1) / nrow[block]
    lots = {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "row": row, "zone": zone[block], "block": block}
    if grid.diagonal is not None:
        point, direction, _, _ = grid.diagonal
        rel_x, rel_y = (x0 + x1) / 2 - point[0], (y0 + y1) / 2 - point[1]
        distance = np.abs(rel_x * direction[1] - rel_y * direction[0])
        # A lot touches the band when its extent across the band's axis reaches it (1 m margin).
        across = (np.abs(direction[1]) * (x1 - x0) + np.abs(direction[0]) * (y1 - y0)) / 2
        clear = distance > DIAGONAL / 2 + across + 1.0
        lots = {key: value[clear] for key, value in lots.items()}
    return lots


def _buildings(rng: np.random.Generator, lots: dict[str, np.ndarray], radius: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict[str, object]]]:
    """One building per lot: footprint rings (v, 2) CCW, ring lengths (n,), heights (n,), attribute dicts."""
    n = lots["x0"].size
    lw, ld = lots["x1"] - lots["x0"], lots["y1"] - lots["y0"]
    r = np.hypot(lots["x0"] + lots["x1"], lots["y0"] + lots["y1"]) / 2 / radius
    use = (rng.random(n)[:, None] > _USE_CUMULATIVE[lots["zone"]]).sum(axis=1)
    storeys = np.clip(np.rint(rng.normal(7.5 - 4.5 * r, 1.3)), 3, 8)
    storeys = np.where(use == 3, rng.integers(1, 4, n), storeys)
    tower = (rng.random(n) < 0.35 * np.exp(-(r / 0.2) ** 2)) & (lots["zone"] == CENTRE)
    tower &= np.minimum(lw, ld) >= 22.0
    storeys = np.where(tower, np.clip(np.rint(20.0 * (1.0 + rng.pareto(2.5, n))), 20, 60), storeys)
    use = np.where(tower & (use != 1), np.where(rng.random(n) < 0.7, 1, 0), use)
    height = storeys * STOREY_HEIGHT[use]

    side = rng.uniform(0.5, 2.0, (n, 2))
    front = rng.uniform(0.0, 3.0, n)
    depth = np.minimum(ld * rng.uniform(0.55, 0.85, n), ld - front - 1.0)
    x0, x1 = lots["x0"] + side[:, 0], lots["x1"] - side[:, 1]
    y0 = np.where(lots["row"] == 0, lots["y0"] + front, lots["y1"] - front - depth)
    y1 = y0 + depth
    square = np.minimum(lw, ld) * rng.uniform(0.5, 0.7, n) / 2  # tower half-size, centred in its lot
    mx, my = (lots["x0"] + lots["x1"]) / 2, (lots["y0"] + lots["y1"]) / 2
    x0, x1 = np.where(tower, mx - square, x0), np.where(tower, mx + square, x1)
    y0, y1 = np.where(tower, my - square, y0), np.where(tower, my + square, y1)

    w, d = x1 - x0, y1 - y0
    is_l = ~tower & (w >= 12.0) & (d >= 12.0) & (rng.random(n) < 0.25)
    cut_w, cut_h = w * rng.uniform(0.35, 0.6, n), d * rng.uniform(0.35, 0.6, n)
    rings, lengths = _footprints(x0, y0, x1, y1, is_l, cut_w, cut_h, rng.integers(0, 4, n))
    area = np.where(is_l, w * d - cut_w * cut_h, w * d)
    height, floor_area = np.round(height, 2), np.round(area * storeys, 1)
    attrs: list[dict[str, object]] = [
        {"height": h, "storeys": s, "use": USES[u], "floor_area": a} for h, s, u, a in
        zip(height.tolist(), storeys.astype(np.int64).tolist(), use.tolist(), floor_area.tolist(), strict=True)]
    return rings, lengths, height, attrs


def _footprints(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, is_l: np.ndarray,
                cut_w: np.ndarray, cut_h: np.ndarray, corner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rectangles (4 vertices) and L-shapes (6, a corner cut_w x cut_h removed) as CCW rings back to back."""
    lengths = np.where(is_l, 6, 4)
    starts = np.cumsum(lengths) - lengths
    rings = np.zeros((int(lengths.sum()), 2))
    rect = np.stack([np.stack([x0, y0], 1), np.stack([x1, y0], 1), np.stack([x1, y1], 1),
                     np.stack([x0, y1], 1)], axis=1)
    rings[(starts[~is_l][:, None] + np.arange(4)).ravel()] = rect[~is_l].reshape(-1, 2)
    # The L with its north-east corner cut, then mirrored to the chosen corner (a mirror flips the winding,
    # so the ring is then read backwards).
    xs = np.stack([x1 - cut_w, x1 - cut_w, x0, x0, x1, x1], axis=1)
    ys = np.stack([y1 - cut_h, y1, y1, y0, y0, y1 - cut_h], axis=1)
    flip_x, flip_y = (corner & 1).astype(bool), (corner & 2).astype(bool)
    xs = np.where(flip_x[:, None], (x0 + x1)[:, None] - xs, xs)
    ys = np.where(flip_y[:, None], (y0 + y1)[:, None] - ys, ys)
    order = np.where((flip_x ^ flip_y)[:, None], [0, 5, 4, 3, 2, 1], np.arange(6))
    ell = np.stack([np.take_along_axis(xs, order, 1), np.take_along_axis(ys, order, 1)], axis=2)
    rings[(starts[is_l][:, None] + np.arange(6)).ravel()] = ell[is_l].reshape(-1, 2)
    return rings, lengths


class _Flat:
    """Flat surfaces collected as polygons (outer ring + holes, back to back), one object per polygon."""

    _ID = {"Road": "road-{:05d}", "Water": "water-{:03d}", "Park": "park-{:03d}", "Plaza": "plaza-{:03d}"}

    def __init__(self) -> None:
        self.xy: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []
        self.counts: list[np.ndarray] = []
        self.z: list[np.ndarray] = []
        self.kind: list[np.ndarray] = []
        self.objects: list[tuple[str, dict[str, object]]] = []

    def polygons(self, xy: np.ndarray, lengths: np.ndarray, counts: np.ndarray, z: float, kind: SurfaceKind,
                 object_type: str, attrs: list[dict[str, object]]) -> None:
        self.xy.append(xy.reshape(-1, 2))
        self.lengths.append(np.asarray(lengths, np.int64))
        self.counts.append(np.asarray(counts, np.int64))
        self.z.append(np.full(len(attrs), z))
        self.kind.append(np.full(len(attrs), kind, np.uint8))
        self.objects.extend((object_type, a) for a in attrs)

    def rects(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, kind: SurfaceKind,
              object_type: str, attrs: list[dict[str, object]]) -> None:
        xy = np.stack([x0, y0, x1, y0, x1, y1, x0, y1], axis=1)
        self.polygons(xy, np.full(len(attrs), 4), np.ones(len(attrs)), 0.0, kind, object_type, attrs)

    def add_to(self, builder: SourceModelBuilder) -> None:
        counters: dict[str, int] = {}
        index = np.zeros(len(self.objects), np.int32)
        for k, (object_type, attrs) in enumerate(self.objects):
            number = counters[object_type] = counters.get(object_type, -1) + 1
            index[k] = builder.add_object(self._ID[object_type].format(number), object_type, attrs)
        xy, lengths, counts = (np.concatenate(a) for a in (self.xy, self.lengths, self.counts))
        vertex_polygon = np.repeat(np.repeat(np.arange(counts.size), counts), lengths)
        positions = np.column_stack([xy, np.concatenate(self.z)[vertex_polygon]])
        flat = flat_polygons(positions, lengths, counts, np.concatenate(self.kind))
        builder.add_surfaces(flat.positions, flat.triangles, index[flat.vertex_item], flat.vertex_kind)


def _street_names(widths: np.ndarray, offset: int, suffix: str, avenue_suffix: str) -> list[str]:
    names = []
    for i, width in enumerate(widths.tolist()):
        stem = _STEMS[(i + offset) % len(_STEMS)]
        number = "" if i + offset < len(_STEMS) else f" {(i + offset) // len(_STEMS) + 1}"
        names.append(stem + (avenue_suffix if width == AVENUE else suffix) + number)
    return names


def _road(name: str, width: float) -> dict[str, object]:
    avenue = width >= AVENUE
    return {"name": name, "lanes": 4 if avenue else 2, "speed_limit": 50 if avenue else 30, "width": width}


def _add_flat(builder: SourceModelBuilder, grid: _Grid, lots: dict[str, np.ndarray]) -> None:
    """Streets, junctions, canal, diagonal avenue, parks and plaza around the built blocks."""
    nx, ny = grid.xs.size - 1, grid.ys.size - 1
    blocks = grid.blocks()
    reach = np.hypot(lots["x0"] + lots["x1"], lots["y0"] + lots["y1"]).max() / 2
    centre = blocks.reshape(-1, 2, 2).mean(axis=1)
    special = np.zeros(nx * ny, bool)
    special[grid.parks] = True
    special[grid.plaza] = grid.plaza >= 0
    special &= np.hypot(centre[:, 0], centre[:, 1]) <= reach
    active = np.zeros((ny + 2, nx + 2), bool)  # padded so every street line has blocks on both sides
    active[1:-1, 1:-1] = ((np.bincount(lots["block"], minlength=nx * ny) > 0) | special).reshape(ny, nx)
    flat = _Flat()
    _grid_streets(flat, grid, active)
    _diagonal(flat, grid, reach)
    _parks(flat, blocks, grid, special)
    flat.add_to(builder)


def _grid_streets(flat: _Flat, grid: _Grid, active: np.ndarray) -> None:
    """Street segments between junctions, the junctions themselves (bridges on the canal) and the canal."""
    xs, xw, ys, yw = grid.xs, grid.xw, grid.ys, grid.yw
    nx, ny = xs.size - 1, ys.size - 1
    x_names = _street_names(xw, 0, "straat", "laan")
    y_names = _street_names(yw, 17, "weg", "singel")
    # North-south segments: line i between east-west lines j and j + 1.
    i, j = (a.ravel() for a in np.meshgrid(np.arange(nx + 1), np.arange(ny)))
    keep = active[j + 1, i] | active[j + 1, i + 1]
    i, j = i[keep], j[keep]
    flat.rects(xs[i] - xw[i] / 2, ys[j] + yw[j] / 2, xs[i] + xw[i] / 2, ys[j + 1] - yw[j + 1] / 2,
               SurfaceKind.ROAD, "Road", [_road(x_names[a], float(xw[a])) for a in i.tolist()])
    _east_west(flat, grid, active, y_names)
    # Junctions: line i crossing line j.
    i, j = (a.ravel() for a in np.meshgrid(np.arange(nx + 1), np.arange(ny + 1)))
    keep = active[j, i] | active[j, i + 1] | active[j + 1, i] | active[j + 1, i + 1]
    i, j = i[keep], j[keep]
    attrs = [_road(f"{x_names[a]} (brug)", float(xw[a])) if c == grid.canal
             else _road(f"{x_names[a]} / {y_names[c]}", float(max(xw[a], yw[c])))
             for a, c in zip(i.tolist(), j.tolist(), strict=True)]
    flat.rects(xs[i] - xw[i] / 2, ys[j] - yw[j] / 2, xs[i] + xw[i] / 2, ys[j] + yw[j] / 2,
               SurfaceKind.ROAD, "Road", attrs)


def _east_west(flat: _Flat, grid: _Grid, active: np.ndarray, y_names: list[str]) -> None:
    """East-west segments: one band per line, three on the canal line (quay, water, quay)."""
    xs, xw, ys, yw = grid.xs, grid.xw, grid.ys, grid.yw
    bands: list[tuple[int, float, float, str, bool]] = []  # line, y offsets from/to, name, is water
    for j in range(ys.size):
        half = float(yw[j]) / 2
        if j == grid.canal:
            stem = _STEMS[(j + 17) % len(_STEMS)]
            bands += [(j, -half, -half + QUAY, stem + "kade Zuid", False),
                      (j, -half + QUAY, half - QUAY, stem + "haven", True),
                      (j, half - QUAY, half, stem + "kade Noord", False)]
        else:
            bands.append((j, -half, half, y_names[j], False))
    band, col = (a.ravel() for a in np.meshgrid(np.arange(len(bands)), np.arange(xs.size - 1)))
    line, lo, hi, water = (np.array([b[k] for b in bands])[band] for k in (0, 1, 2, 4))
    keep = active[line, col + 1] | active[line + 1, col + 1]
    for is_water in (False, True):
        sel = keep & (water == is_water)
        chosen = [bands[k] for k in band[sel].tolist()]
        attrs = [{"name": b[3]} if is_water else _road(b[3], b[2] - b[1]) for b in chosen]
        c, y = col[sel], ys[line[sel]]
        flat.rects(xs[c] + xw[c] / 2, y + lo[sel], xs[c + 1] - xw[c + 1] / 2, y + hi[sel],
                   SurfaceKind.WATER if is_water else SurfaceKind.ROAD, "Water" if is_water else "Road", attrs)


def _diagonal(flat: _Flat, grid: _Grid, reach: float) -> None:
    """The diagonal avenue as pieces of about 160 m, 5 cm above what it crosses."""
    if grid.diagonal is None:
        return
    point, direction, t0, t1 = grid.diagonal
    ts = np.linspace(t0, t1, max(1, math.ceil((t1 - t0) / 160.0)) + 1)
    a, b = point + ts[:-1, None] * direction, point + ts[1:, None] * direction
    keep = np.hypot(*((a + b) / 2).T) <= reach + 60.0
    side = np.array([-direction[1], direction[0]]) * DIAGONAL / 2
    a, b = a[keep], b[keep]
    xy = np.stack([a - side, b - side, b + side, a + side], axis=1)
    attrs = [_road("Boulevard Diagonaal", DIAGONAL) for _ in range(xy.shape[0])]
    flat.polygons(xy, np.full(len(attrs), 4), np.ones(len(attrs)), 0.05, SurfaceKind.ROAD, "Road", attrs)


def _parks(flat: _Flat, blocks: np.ndarray, grid: _Grid, special: np.ndarray) -> None:
    """Parks (TERRAIN, each with an octagonal pond cut out as a hole and drawn as WATER) and the plaza."""
    parks = grid.parks[special[grid.parks]]
    if grid.plaza >= 0 and special[grid.plaza]:
        p = blocks[grid.plaza:grid.plaza + 1]
        flat.rects(p[:, 0], p[:, 1], p[:, 2], p[:, 3], SurfaceKind.OTHER, "Plaza", [{"name": "Stadhuisplein"}])
    if parks.size == 0:
        return
    x0, y0, x1, y1 = blocks[parks].T
    outer = np.stack([x0, y0, x1, y0, x1, y1, x0, y1], axis=1).reshape(-1, 4, 2)
    angle = np.arange(8) * np.pi / 4 + np.pi / 8
    radius = 0.3 * np.minimum(x1 - x0, y1 - y0)
    pond = np.stack([(x0 + x1)[:, None] / 2 + radius[:, None] * np.cos(angle),
                     (y0 + y1)[:, None] / 2 + radius[:, None] * np.sin(angle)], axis=2)
    names = [f"{_STEMS[(k * 7 + 3) % len(_STEMS)]}park" for k in range(parks.size)]
    flat.polygons(np.concatenate([outer, pond], axis=1), np.tile([4, 8], parks.size), np.full(parks.size, 2),
                  0.0, SurfaceKind.TERRAIN, "Park", [{"name": n} for n in names])
    flat.polygons(pond, np.full(parks.size, 8), np.ones(parks.size), 0.0, SurfaceKind.WATER, "Water",
                  [{"name": f"Vijver {n}"} for n in names])



# ---------------------------------------------------------------- street centre-line graph (for traffic sources)


@dataclass(frozen=True)
class StreetGraph:
    """The demo city's streets as an undirected centre-line graph in EPSG:7415 metres (what traffic drives on).

    nodes (n, 2) float64: junction centres; on the canal line a south and a north quay node per crossing.
    node_road (n,) object: the id of the junction Road object each node lies in ("road-00042", "" for none).
    edges (e, 2) int64 node indices; edge_road (e,) object: the Road object each edge runs along (grid segment,
    quay, bridge between its quay nodes, diagonal piece; the two links from the diagonal's ends to the nearest
    junction carry the id of the diagonal's end piece); width (e,) float64 metres; lanes (e,) int64 (both
    directions together); speed_limit (e,) float64 km/h; z (e,) float64 metres.
    """

    nodes: np.ndarray
    node_road: np.ndarray
    edges: np.ndarray
    edge_road: np.ndarray
    width: np.ndarray
    lanes: np.ndarray
    speed_limit: np.ndarray
    z: np.ndarray


def street_graph(seed: int, size: int) -> StreetGraph:
    """The street graph of the city load() makes for (seed, size): the same draws, the same Road ids.

    Road objects are numbered as load() numbers them: north-south segments, east-west segments (quays
    included), junctions (bridges included), diagonal pieces.
    """
    if size < 1:
        raise LoadError(f"procedural:seed={seed}", f"size must be at least 1 building, got {size}")
    rng = np.random.default_rng(seed % (1 << 63))
    grid, lots = _plan(rng, size)  # load() draws the buildings after this: the streets do not depend on them
    nx, ny = grid.xs.size - 1, grid.ys.size - 1
    centre = grid.blocks().reshape(-1, 2, 2).mean(axis=1)
    reach = np.hypot(lots["x0"] + lots["x1"], lots["y0"] + lots["y1"]).max() / 2
    special = np.zeros(nx * ny, bool)  # the same `active` blocks as _add_flat
    special[grid.parks] = True
    special[grid.plaza] = grid.plaza >= 0
    special &= np.hypot(centre[:, 0], centre[:, 1]) <= reach
    active = np.zeros((ny + 2, nx + 2), bool)
    active[1:-1, 1:-1] = ((np.bincount(lots["block"], minlength=nx * ny) > 0) | special).reshape(ny, nx)
    return _StreetGraphBuilder(grid, active).build(reach)


class _StreetGraphBuilder:
    """Edges gathered in load()'s Road order. The node of east-west line j and north-south line i has index
    j * (nx + 1) + i; on the canal line that is the south quay node, and the north quay nodes follow all
    the others (index north0 + i)."""

    def __init__(self, grid: _Grid, active: np.ndarray) -> None:
        self.grid, self.active = grid, active
        xs, ys = grid.xs, grid.ys
        gx, gy = np.meshgrid(xs, ys)
        south = np.stack([gx.ravel(), gy.ravel()], axis=1)
        north = np.stack([xs, np.zeros(xs.size)], axis=1)
        if grid.canal >= 0:
            off = grid.yw[grid.canal] / 2 - QUAY / 2  # quay centre lines
            south.reshape(ys.size, xs.size, 2)[grid.canal, :, 1] = ys[grid.canal] - off
            north[:, 1] = ys[grid.canal] + off
        self.nodes = np.concatenate([south, north])
        self.north0 = south.shape[0]
        self.node_road = np.full(self.nodes.shape[0], "", dtype=object)
        self.parts: list[tuple[np.ndarray, ...]] = []  # (a, b, road number, width, z) per group of edges
        self.count = 0  # Road objects numbered so far

    def node(self, j: np.ndarray, i: np.ndarray, north: bool = False) -> np.ndarray:
        index = j * (self.grid.xs.size) + i
        return np.where(j == self.grid.canal, self.north0 + i, index) if north else index

    def add(self, a: np.ndarray, b: np.ndarray, width: np.ndarray, z: float = 0.0) -> np.ndarray:
        """Edges a-b, each along a Road object of its own numbered next; returns the numbers."""
        numbers = self.count + np.arange(a.size)
        self.count += a.size
        self.parts.append((a, b, numbers, np.asarray(width, np.float64), np.full(a.size, z)))
        return numbers

    def build(self, reach: float) -> StreetGraph:
        grid, active, nx, ny = self.grid, self.active, self.grid.xs.size - 1, self.grid.ys.size - 1
        i, j = (a.ravel() for a in np.meshgrid(np.arange(nx + 1), np.arange(ny)))  # north-south segments
        keep = active[j + 1, i] | active[j + 1, i + 1]
        i, j = i[keep], j[keep]
        self.add(self.node(j, i, north=True), self.node(j + 1, i), grid.xw[i])
        self.east_west()
        i, j = (a.ravel() for a in np.meshgrid(np.arange(nx + 1), np.arange(ny + 1)))  # junctions
        keep = active[j, i] | active[j, i + 1] | active[j + 1, i] | active[j + 1, i + 1]
        i, j = i[keep], j[keep]
        numbers = self.count + np.arange(i.size)
        self.count += i.size
        self.node_road[self.node(j, i)] = _road_ids(numbers)
        self.node_road[self.node(j, i, north=True)] = _road_ids(numbers)
        bridge = j == grid.canal  # a bridge joins its two quay nodes
        self.parts.append((self.node(j[bridge], i[bridge]), self.node(j[bridge], i[bridge], north=True),
                           numbers[bridge], grid.xw[i[bridge]], np.zeros(int(bridge.sum()))))
        self.diagonal(reach)
        return self.finish()

    def east_west(self) -> None:
        """One edge per kept street band (the canal line has two, its quays; its water band is no street)."""
        grid, active = self.grid, self.active
        line, width, north = [], [], []
        for j in range(grid.ys.size):
            quays = j == grid.canal
            line += [j, j] if quays else [j]
            width += [QUAY, QUAY] if quays else [float(grid.yw[j])]
            north += [False, True] if quays else [False]
        band, col = (a.ravel() for a in np.meshgrid(np.arange(len(line)), np.arange(grid.xs.size - 1)))
        lines, widths, is_north = np.array(line)[band], np.array(width)[band], np.array(north)[band]
        keep = active[lines, col + 1] | active[lines + 1, col + 1]
        lines, col, widths, is_north = lines[keep], col[keep], widths[keep], is_north[keep]
        a = np.where(is_north, self.node(lines, col, north=True), self.node(lines, col))
        b = np.where(is_north, self.node(lines, col + 1, north=True), self.node(lines, col + 1))
        self.add(a, b, widths)

    def diagonal(self, reach: float) -> None:
        """The diagonal's kept pieces as a chain of nodes, its two ends linked to the nearest junction."""
        if self.grid.diagonal is None:
            return
        point, direction, t0, t1 = self.grid.diagonal
        ts = np.linspace(t0, t1, max(1, math.ceil((t1 - t0) / 160.0)) + 1)
        mid = point + (ts[:-1, None] + ts[1:, None]) / 2 * direction
        kept = np.flatnonzero(np.hypot(mid[:, 0], mid[:, 1]) <= reach + 60.0)  # as _diagonal (contiguous)
        if kept.size == 0:
            return
        ends = point + ts[kept[0]:kept[-1] + 2, None] * direction
        first = self.nodes.shape[0]
        chain = first + np.arange(ends.shape[0])
        junctions = np.flatnonzero(self.node_road != "")
        self.nodes = np.concatenate([self.nodes, ends])
        self.node_road = np.concatenate([self.node_road, np.full(ends.shape[0], "", dtype=object)])
        numbers = self.add(chain[:-1], chain[1:], np.full(kept.size, DIAGONAL), 0.05)
        if junctions.size:
            near = [junctions[np.argmin(np.hypot(*(self.nodes[junctions] - end).T))] for end in ends[[0, -1]]]
            self.parts.append((chain[[0, -1]], np.array(near), numbers[[0, -1]], np.full(2, DIAGONAL),
                               np.zeros(2)))

    def finish(self) -> StreetGraph:
        a, b, numbers, width, z = (np.concatenate([p[k] for p in self.parts]) for k in range(5))
        used = np.unique(np.concatenate([a, b]))
        remap = np.full(self.nodes.shape[0], -1, np.int64)
        remap[used] = np.arange(used.size)
        origin = np.asarray(ORIGIN)
        return StreetGraph(nodes=self.nodes[used] + origin, node_road=self.node_road[used],
                           edges=np.stack([remap[a], remap[b]], axis=1), edge_road=_road_ids(numbers),
                           width=width, lanes=np.where(width >= AVENUE, 4, 2).astype(np.int64),
                           speed_limit=np.where(width >= AVENUE, 50.0, 30.0), z=z)


def _road_ids(numbers: np.ndarray) -> np.ndarray:
    """(k,) object array of Road ids "road-00042" for Road numbers (k,) int."""
    return np.array([f"road-{n:05d}" for n in np.asarray(numbers).tolist()], dtype=object)
