"""CityModel -> Panda3D geometry: one Geom per spatial tile, written from numpy through memoryview.

Rules this module keeps:
1. Never one node per object and never a per-vertex Python loop: triangles are assigned to a grid of tiles
   over the model's xy bounds by their centroid, sorted by tile (radix sort), and each non-empty tile becomes
   one GeomNode holding one Geom. The grid is sized so a whole city gives at most a few hundred Geoms
   (drawing cost here is ~10 us per Geom) while tiles stay small enough to be culled at street level.
2. Triangles are un-indexed: every triangle owns its three vertices, so its normal is exactly flat whatever
   the loader shared. The primitive is therefore non-indexed (consecutive vertices), which needs no index
   buffer at all; a tile may hold more than 65,535 vertices.
3. Vertex rows are written by viewing the GeomVertexArrayData's buffer (memoryview) as a numpy structured
   array and assigning whole columns. Layout, one interleaved array, stride 32 bytes:
       vertex float32 x3 | normal float32 x3 | color uint8 x4 (RGBA) | object uint32
   `object` is the model's object index (0xFFFFFFFF where a vertex has none) for picking and for colouring
   by a lookup texture later. A model with appearances (city/appearance.py) uses TEXTURED_VERTEX_DTYPE, the
   same plus `texcoord` float32 x2 (stride 40): coordinates in the model's one texture atlas, set on the
   root node (render/atlas.py), (-1, -1) where untextured; models without appearances keep 32 bytes.
4. Colour per vertex: the Style's colour for the object's type (or, failing that, its parent's type), else
   the Style's colour for the surface kind, else KIND_DEFAULTS. A vertex with a material takes the
   material's diffuse colour instead when it has one; a textured vertex (its image is in the atlas) takes
   the material's tint (white but for glTF's baseColorFactor), which the texture multiplies; a vertex whose
   image is missing keeps the diffuse or style colour. Live layers still win (render/colour_lut.py). Normals of up-facing kinds (roofs, ground,
   roads, terrain, water) are turned up whatever the winding; other normals follow the winding, and the
   root is two-sided with lighting that flips back-facing normals (render/lighting.py), so a file's
   inconsistent winding never leaves a wall black.
5. CityGeometry keeps the triangle order and per-tile offsets: Geom primitive i of tile k is model
   triangle order[offsets[k] + i] (triangles set_back_face_culling appends come after those).
6. Back-face culling (the live layers turn it on, app/live.py): the city is drawn one-sided, which halves
   what llvmpipe rasterises and shades, and triangles that cull_safe_triangles cannot vouch for (objects
   that are not closed outward-wound solids, inconsistent winding) are drawn twice, once reversed, through
   an index over the tile's own rows, so the vertex rows and the geometry cache stay as they are. Both
   copies share one normal: the shader turns it toward the eye per vertex (exact, the triangle is planar)
   instead of trusting gl_FrontFacing (render/colour_lut.py).
7. The full look's facades and ambient occlusion (render/lighting.py rule 8) read per object, not per vertex:
   set_object_look puts a float texture on the city's root, one texel per object like the colour LUT
   (object k is texel (k % width, k // width)): the object's base height, its storey height (0: no facade,
   as for what is not a building; negative: shop windows on the ground floor, for commercial or mixed use),
   and its occlusion at the wall's foot (open ground, more in a deep street canyon). The vertex layout
   stays 32 bytes, and the geometry cache stores nothing new: the texture is computed from the object table
   when the city is built or read back (65 ms CPU for the 10,000-building demo's 13,082 objects, loaded machine).
8. Lane markings (SurfaceKind.MARKING) keep their place in `order` but are collapsed to points in the tiles
   (empty triangles): render/lane_marks.py draws them, with a depth offset over their road.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from panda3d.core import (
    BoundingBox,
    Geom,
    GeomNode,
    GeomTriangles,
    GeomVertexArrayFormat,
    GeomVertexData,
    GeomVertexFormat,
    NodePath,
    Point3,
)

from viewer.city.appearance import atlas_uv, build_atlas
from viewer.city.model import CityModel, SurfaceKind
from viewer.config import Style

KIND_DEFAULTS: dict[str, tuple[float, float, float]] = {
    "other": (0.80, 0.78, 0.74),
    "roof": (0.62, 0.40, 0.33),  # warm, darker than walls so roofs read from above
    "wall": (0.91, 0.89, 0.84),
    "ground": (0.60, 0.59, 0.55),
    "road": (0.30, 0.30, 0.32),
    "terrain": (0.50, 0.57, 0.45),
    "water": (0.30, 0.50, 0.74),
    "marking": (0.92, 0.92, 0.88),
}
UP_FACING = (SurfaceKind.ROOF, SurfaceKind.GROUND, SurfaceKind.ROAD, SurfaceKind.TERRAIN, SurfaceKind.WATER,
             SurfaceKind.MARKING)
NO_OBJECT = 0xFFFFFFFF

TRIANGLES_PER_TILE = 16_384  # above this a model gets more tiles ...
MAX_TILES = 256  # ... but never more than about this many (Geom count sets the frame time)
MIN_TRIANGLES_PER_TILE = 1_024  # a small model is not split into crumbs
TILE_METRES = 250.0  # preferred tile edge when there is geometry enough, for culling at street level

VERTEX_DTYPE = np.dtype({"names": ["vertex", "normal", "color", "object"],
                         "formats": [("<f4", 3), ("<f4", 3), ("u1", 4), "<u4"],
                         "offsets": [0, 12, 24, 28], "itemsize": 32})
TEXTURED_VERTEX_DTYPE = np.dtype({"names": ["vertex", "normal", "color", "object", "texcoord"],
                                  "formats": [("<f4", 3), ("<f4", 3), ("u1", 4), "<u4", ("<f4", 2)],
                                  "offsets": [0, 12, 24, 28, 32], "itemsize": 40})


@dataclass(frozen=True)
class TileGrid:
    """nx * ny rectangular tiles of sx by sy metres from (x0, y0); tile id = iy * nx + ix."""

    x0: float
    y0: float
    sx: float
    sy: float
    nx: int
    ny: int

    @property
    def count(self) -> int:
        return self.nx * self.ny

    def tile_of(self, xy: np.ndarray) -> np.ndarray:
        """Tile id (n,) int64 of points xy (n, 2); points outside the grid go to the nearest edge tile."""
        ix = np.clip(np.floor((xy[:, 0] - self.x0) / self.sx), 0, self.nx - 1).astype(np.int64)
        iy = np.clip(np.floor((xy[:, 1] - self.y0) / self.sy), 0, self.ny - 1).astype(np.int64)
        return iy * self.nx + ix


@dataclass
class CityGeometry:
    """The drawn city: root NodePath, its grid, and which model triangles each tile's Geom holds.

    order : (t,) int64 triangle ids sorted by tile; offsets : (grid.count + 1,) int64 so tile k holds
    order[offsets[k]:offsets[k + 1]]; nodes : tile id -> NodePath of its GeomNode (non-empty tiles only).
    atlas : the city/appearance.py Atlas drawn on it (None for a model without appearances).
    """

    root: NodePath
    grid: TileGrid
    order: np.ndarray
    offsets: np.ndarray
    nodes: dict[int, NodePath]
    atlas: Any = None

    def tile_triangles(self, tile: int) -> np.ndarray:
        return self.order[self.offsets[tile]:self.offsets[tile + 1]]


def plan_tiles(bmin: Any, bmax: Any, triangle_count: int, tile_size: float | None = None) -> TileGrid:
    """Choose the grid from the xy extent and triangle count (or a fixed `tile_size` in metres)."""
    x0, y0 = float(bmin[0]), float(bmin[1])
    w = max(float(bmax[0]) - x0, 1.0)
    h = max(float(bmax[1]) - y0, 1.0)
    if tile_size is not None:
        nx, ny = math.ceil(w / tile_size), math.ceil(h / tile_size)
        while nx * ny > 65_535:  # tile ids must fit uint16 for the radix sort
            nx, ny = math.ceil(nx / 2), math.ceil(ny / 2)
    else:
        by_area = min(w * h / TILE_METRES**2, triangle_count / MIN_TRIANGLES_PER_TILE)
        wanted = min(MAX_TILES, max(1.0, triangle_count / TRIANGLES_PER_TILE, by_area))
        # Split along each axis in proportion to the extent so tiles stay close to square.
        nx = max(1, min(round(math.sqrt(wanted * w / h)), int(wanted)))
        ny = max(1, round(wanted / nx))
    # A hair of slack so points exactly on the max edge fall inside the last tile.
    return TileGrid(x0, y0, w / nx * (1 + 1e-6), h / ny * (1 + 1e-6), nx, ny)


def build_city_geometry(model: CityModel, style: Style, tile_size: float | None = None,
                        name: str = "city", atlas: Any = None) -> CityGeometry:
    """One NodePath with a GeomNode per non-empty tile; see the module rules. atlas: the model's already
    built city/appearance.py Atlas (built here when the model has appearances and none is given)."""
    model = _with_contract_dtypes(model)
    bmin, bmax = model.bounds()
    grid = plan_tiles(bmin, bmax, model.triangle_count, tile_size)
    if atlas is None and model.appearance is not None:
        atlas = build_atlas(model.appearance)
    if model.triangle_count == 0:
        return assemble_city(name, grid, np.zeros(0, np.int64), np.zeros(grid.count + 1, np.int64), {}, atlas)
    tile = grid.tile_of(triangle_centroids_xy(model.vertices, model.triangles)).astype(np.uint16)
    order = np.argsort(tile, kind="stable").astype(np.int64)  # radix sort for uint16 keys
    offsets = np.zeros(grid.count + 1, np.int64)
    np.cumsum(np.bincount(tile, minlength=grid.count), out=offsets[1:])
    tris = np.take(model.triangles, order, axis=0)
    kinds = np.take(model.vertex_kind, tris[:, 0])
    records = vertex_records(model, style, atlas)
    geoms = {int(k): _tile_geom(tris[offsets[k]:offsets[k + 1]], kinds[offsets[k]:offsets[k + 1]], records)
             for k in np.flatnonzero(np.diff(offsets))}
    city = assemble_city(name, grid, order, offsets, geoms, atlas)
    set_object_look(city.root, model)  # rule 7
    return city


def assemble_city(name: str, grid: TileGrid, order: np.ndarray, offsets: np.ndarray,
                  geoms: dict[int, Geom], atlas: Any = None) -> CityGeometry:
    """The CityGeometry of already built tile Geoms (tile id -> Geom), named tile_<ix>_<iy>; with an atlas,
    its texture is set on the root (both the shaders and the fixed-function path sample it)."""
    root = NodePath(name)
    root.set_two_sided(True)
    if atlas is not None and atlas.rects:  # materials without any image found need no texture
        from viewer.render.atlas import atlas_texture  # only textured models need it

        root.set_texture(atlas_texture(atlas))
    nodes: dict[int, NodePath] = {}
    for k, geom in geoms.items():
        node = GeomNode(f"tile_{k % grid.nx}_{k // grid.nx}")
        node.add_geom(geom)
        nodes[k] = root.attach_new_node(node)
    return CityGeometry(root, grid, order, offsets, nodes, atlas)


def triangle_centroids_xy(vertices: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Centroid xy (t, 2) float32 of each triangle, gathered per column (no (t, 3, 3) temporary)."""
    out = np.zeros((triangles.shape[0], 2), np.float32)
    for axis in (0, 1):
        column = np.ascontiguousarray(vertices[:, axis])
        out[:, axis] = sum(np.take(column, triangles[:, corner]) for corner in range(3)) / np.float32(3.0)
    return out


def vertex_records(model: CityModel, style: Style, atlas: Any = None) -> np.ndarray:
    """(v,) VERTEX_DTYPE rows per model vertex (TEXTURED_VERTEX_DTYPE with an atlas): position, colour,
    object and atlas coordinates filled in, normal zero. Tiles gather whole rows from it (one take per tile
    instead of one per column)."""
    textured = (atlas is not None and bool(atlas.rects) and model.vertex_material is not None
                and model.vertex_uv is not None)
    records = np.zeros(model.vertex_count, TEXTURED_VERTEX_DTYPE if textured else VERTEX_DTYPE)
    records["vertex"] = model.vertices
    records["color"] = vertex_colours(model, style, atlas)
    records["object"] = model.vertex_object.view(np.uint32)
    if textured:
        records["texcoord"] = atlas_uv(atlas, model.vertex_material, model.vertex_uv)  # type: ignore[arg-type]
    return records


def _tile_geom(tris: np.ndarray, kinds: np.ndarray, records: np.ndarray) -> Geom:
    """One Geom of k un-indexed triangles. tris (k, 3) uint32 model vertex ids; kinds (k,) uint8; records
    (v,) VERTEX_DTYPE per model vertex (vertex_records).

    Rows are gathered straight into the vertex buffer (np.take with out=, mode="clip" so it writes there
    directly instead of through a temporary); normals are then computed from the positions just written.
    The Geom's bounds are set from the same positions: otherwise Panda3D computes them, vertex by vertex,
    in the first frame (0.17 s for a million triangles)."""
    corners = tris.reshape(-1)
    rows = corners.shape[0]
    vdata = GeomVertexData("tile", format_of(records.dtype), Geom.UH_static)
    vdata.unclean_set_num_rows(rows)
    rec = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), dtype=records.dtype)
    np.take(records, corners, out=rec, mode="clip")
    by_triangle = rec.reshape(-1, 3)
    by_triangle["normal"] = face_normals(by_triangle["vertex"], kinds)[:, None, :]
    marks = kinds == SurfaceKind.MARKING  # drawn by render/lane_marks.py: empty here, dropped before setup
    if marks.any():
        by_triangle["vertex"][marks] = by_triangle["vertex"][marks][:, :1]
    return make_geom(vdata, rows, tile_bounds(rec["vertex"]))


def make_geom(vdata: GeomVertexData, rows: int, bounds: np.ndarray) -> Geom:
    """A Geom drawing `rows` un-indexed vertices of `vdata` as triangles, with bounds (2, 3) float32 (min
    and max corner) set explicitly."""
    prim = GeomTriangles(Geom.UH_static)
    prim.set_nonindexed_vertices(0, rows)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    geom.set_bounds(BoundingBox(Point3(*bounds[0].tolist()), Point3(*bounds[1].tolist())))
    return geom


def tile_bounds(vertices: np.ndarray) -> np.ndarray:
    """(2, 3) float32 min and max corner of vertices (n, 3), column by column (also for strided views)."""
    return np.array([[vertices[:, i].min() for i in range(3)], [vertices[:, i].max() for i in range(3)]],
                    np.float32)


def _with_contract_dtypes(model: CityModel) -> CityModel:
    """The model with CityModel's documented dtypes (a no-op, no copy, when it already has them)."""
    return dataclasses.replace(
        model, vertices=np.ascontiguousarray(model.vertices, np.float32),
        triangles=np.ascontiguousarray(model.triangles, np.uint32),
        vertex_object=np.ascontiguousarray(model.vertex_object, np.int32),
        vertex_kind=np.ascontiguousarray(model.vertex_kind, np.uint8))


@functools.cache
def vertex_format(textured: bool = False) -> GeomVertexFormat:
    """The registered format matching VERTEX_DTYPE, or TEXTURED_VERTEX_DTYPE (checked, so a Panda3D layout
    change fails loudly)."""
    dtype = TEXTURED_VERTEX_DTYPE if textured else VERTEX_DTYPE
    array = GeomVertexArrayFormat()
    array.add_column("vertex", 3, Geom.NT_float32, Geom.C_point)
    array.add_column("normal", 3, Geom.NT_float32, Geom.C_normal)
    array.add_column("color", 4, Geom.NT_uint8, Geom.C_color)
    array.add_column("object", 1, Geom.NT_uint32, Geom.C_index)
    if textured:
        array.add_column("texcoord", 2, Geom.NT_float32, Geom.C_texcoord)
    offsets = [array.get_column(i).get_start() for i in range(array.get_num_columns())]
    expected = [dtype.fields[name][1] for name in dtype.names or ()]  # type: ignore[index]
    if array.get_stride() != dtype.itemsize or offsets != expected:
        raise RuntimeError(f"unexpected Panda3D vertex layout: stride {array.get_stride()}, offsets {offsets}")
    return GeomVertexFormat.register_format(array)


def format_of(dtype: np.dtype) -> GeomVertexFormat:
    """The vertex format of rows of `dtype` (VERTEX_DTYPE or TEXTURED_VERTEX_DTYPE)."""
    return vertex_format(dtype == TEXTURED_VERTEX_DTYPE)


def dtype_of(vdata: GeomVertexData) -> np.dtype:
    """The row dtype of a city tile's vertex data, told by its stride."""
    stride = vdata.get_format().get_array(0).get_stride()
    return TEXTURED_VERTEX_DTYPE if stride == TEXTURED_VERTEX_DTYPE.itemsize else VERTEX_DTYPE


def face_normals(corners: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """Unit normal (t, 3) float32 per triangle from corners (t, 3, 3) float32 and the kind (t,) uint8 of
    its first vertex; up-facing kinds (roofs, ground, roads, terrain, water) are turned to point up;
    degenerate triangles get (0, 0, 1)."""
    e1 = corners[:, 1] - corners[:, 0]
    e2 = corners[:, 2] - corners[:, 0]
    n = np.zeros_like(e1)
    n[:, 0] = e1[:, 1] * e2[:, 2] - e1[:, 2] * e2[:, 1]
    n[:, 1] = e1[:, 2] * e2[:, 0] - e1[:, 0] * e2[:, 2]
    n[:, 2] = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    flip = np.isin(kind, np.asarray(UP_FACING, np.uint8)) & (n[:, 2] < 0)
    n[flip] *= np.float32(-1.0)
    length = np.sqrt(np.einsum("ij,ij->i", n, n))[:, None]
    out = np.zeros_like(n)
    out[:, 2] = 1.0
    np.divide(n, length, out=out, where=length > 0)
    return out


def vertex_colours(model: CityModel, style: Style, atlas: Any = None) -> np.ndarray:
    """RGBA (v, 4) uint8 per model vertex from the style, materials and atlas (see rule 4)."""
    kinds = SurfaceKind.names()
    kind_lut = _rgba8([style.surfaces.get(k, KIND_DEFAULTS[k]) for k in kinds])
    out = np.take(kind_lut, model.vertex_kind, axis=0, mode="clip")
    obj_rgba, has = _object_type_colours(model, style)
    if has.any():
        obj = model.vertex_object
        styled = np.zeros(obj.shape[0], bool)
        valid = (obj >= 0) & (obj < has.shape[0])
        styled[valid] = has[obj[valid]]
        out[styled] = obj_rgba[obj[styled]]
    if model.appearance is not None and model.vertex_material is not None:
        _material_colours(out, model, atlas)
    return out


def _material_colours(out: np.ndarray, model: CityModel, atlas: Any) -> None:
    """Overwrite `out` (v, 4) uint8 where a vertex's material has a diffuse colour, or its image is in the
    atlas (then the material's tint), rule 4."""
    materials = model.appearance.materials if model.appearance is not None else []
    if not materials or model.vertex_material is None:
        return
    rects = atlas.rects if atlas is not None else {}
    colour = np.zeros((len(materials), 3), np.float64)
    has = np.zeros(len(materials), bool)
    for i, m in enumerate(materials):
        if i in rects:
            colour[i], has[i] = m.tint, True
        elif m.diffuse is not None:
            colour[i], has[i] = m.diffuse, True
    lut = _rgba8(colour)
    code = model.vertex_material.astype(np.int64)
    use = (code >= 0) & (code < len(materials))
    use[use] = has[code[use]]
    out[use] = lut[code[use]]


def _rgba8(rgb: Any) -> np.ndarray:
    """(n, 3) colours in 0..1 -> (n, 4) uint8 RGBA, opaque."""
    rgb = np.clip(np.asarray(rgb, np.float64).reshape(-1, 3), 0.0, 1.0)
    out = np.full((rgb.shape[0], 4), 255, np.uint8)
    out[:, :3] = np.rint(rgb * 255.0)
    return out


def _object_type_colours(model: CityModel, style: Style) -> tuple[np.ndarray, np.ndarray]:
    """Per object: RGBA (n, 4) uint8 of its type's style colour, and (n,) bool whether it has one.
    An object whose type has no colour borrows the nearest ancestor's (a BuildingPart its Building's)."""
    objects = model.objects
    n = len(objects)
    names = sorted(style.types)
    if n == 0 or not names:
        return np.zeros((n, 4), np.uint8), np.zeros(n, bool)
    lut = {name: i for i, name in enumerate(names)}
    code = np.array([lut.get(t, -1) for t in objects.types], np.int64)  # one entry per object, not vertex
    parents = np.asarray(objects.parents, np.int64)
    ancestor = parents.copy()
    for _ in range(8):  # object trees in city models are shallow
        missing = (code < 0) & (ancestor >= 0) & (ancestor < n)
        if not missing.any():
            break
        code[missing] = code[ancestor[missing]]
        ancestor[missing] = parents[ancestor[missing]]
    colours = _rgba8([style.types[name] for name in names])
    has = code >= 0
    return colours[np.maximum(code, 0)], has


# ---------------------------------------------------------------- back-face culling (rule 6)

CULL_PLANE_TOLERANCE = 0.01  # metres an object's centre may lie in front of one of its faces' planes
CULL_CLOSED_TOLERANCE = 1e-3  # of an object's area: what its vector area may miss for it to count as closed


def cull_safe_triangles(model: CityModel) -> np.ndarray:
    """(t,) bool: triangles that may be drawn with back faces culled (rule 6). A triangle is safe when its
    object is a closed solid wound outward (vector area ~0 but for a missing bottom, positive volume, its
    volume centre behind every face's plane), or when every triangle of its object (or the triangle itself,
    without an object) is an up-facing kind wound upward (roads, water, parks: seen from above)."""
    model = _with_contract_dtypes(model)
    t = model.triangle_count
    if t == 0:
        return np.zeros(0, bool)
    tris, n_obj = model.triangles, len(model.objects)
    obj = np.take(model.vertex_object, tris[:, 0]).astype(np.int64)
    has = (obj >= 0) & (obj < n_obj)
    bucket = np.where(has, obj, n_obj)  # one extra bucket for triangles without an object
    a, b, c = (np.take(model.vertices, tris[:, i], axis=0) for i in range(3))
    normal = np.cross(b - a, c - a)  # (t, 3) float32, length = twice the area
    area2 = np.sqrt(np.einsum("ij,ij->i", normal, normal))
    kind = np.take(model.vertex_kind, tris[:, 0])
    flat_up = np.isin(kind, np.asarray(UP_FACING, np.uint8)) & (normal[:, 2] > 0)
    solid = _outward_solids(bucket, n_obj + 1, a, b, c, normal, area2)
    all_flat = np.bincount(bucket, ~flat_up, n_obj + 1) == 0
    safe_object = solid | all_flat
    return np.where(has, safe_object[bucket], flat_up)


def _outward_solids(bucket: np.ndarray, m: int, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                    normal: np.ndarray, area2: np.ndarray) -> np.ndarray:
    """(m,) bool per object bucket (t,) int64: closed (but perhaps for its bottom), outward-wound, and its
    volume centre behind the plane of each of its triangles (corners a, b, c (t, 3) float32)."""
    count = np.maximum(np.bincount(bucket, minlength=m), 1).astype(np.float64)
    corner_sum = a.astype(np.float64) + b + c
    mean = np.stack([np.bincount(bucket, corner_sum[:, i], m) for i in range(3)], 1) / (3 * count[:, None])
    # Volume centre: tetrahedra from the vertex mean (a better interior point for L-shaped footprints).
    rel = a - mean[bucket].astype(np.float32)
    tet = np.einsum("ij,ij->i", rel, normal).astype(np.float64)  # 6 x signed volume
    volume = np.bincount(bucket, tet, m)
    moment = [np.bincount(bucket, tet * (corner_sum[:, i] + mean[bucket, i]) / 4.0, m) for i in range(3)]
    safe_volume = np.where(volume > 0, volume, 1.0)
    centre = np.where((volume > 0)[:, None], np.stack(moment, 1) / safe_volume[:, None], mean)
    side = np.einsum("ij,ij->i", a - centre[bucket].astype(np.float32), normal)
    behind = side >= -CULL_PLANE_TOLERANCE * area2
    total = np.bincount(bucket, area2.astype(np.float64), m)
    vec = [np.bincount(bucket, normal[:, i].astype(np.float64), m) for i in range(3)]
    slack = CULL_CLOSED_TOLERANCE * total
    closed = (np.abs(vec[0]) <= slack) & (np.abs(vec[1]) <= slack) & (vec[2] >= -slack)
    return closed & (volume > 0) & (np.bincount(bucket, ~behind, m) == 0)


def set_back_face_culling(city: CityGeometry, model: CityModel, safe: np.ndarray | None) -> int:
    """Cull back faces of the city, drawing each unsafe triangle (safe (t,) bool False) a second time with
    the opposite winding, so it shows from both sides; safe=None goes back to two-sided drawing. Returns
    how many triangles are drawn twice. The shader must orient normals toward the eye (rule 6)."""
    twice = 0
    for k, node in city.nodes.items():
        tile = city.tile_triangles(k)
        unsafe = np.zeros(0, np.int64) if safe is None else np.flatnonzero(~np.take(safe, tile))
        geom = node.node().modify_geom(0)
        rows = shared_rows(np.take(model.triangles, tile, axis=0), geom.get_vertex_data())
        index = np.concatenate([rows, rows.reshape(-1, 3)[unsafe][:, [0, 2, 1]].reshape(-1)])
        twice += int(unsafe.size)
        prim = GeomTriangles(Geom.UH_static)
        prim.set_index_type(Geom.NT_uint32)
        handle = prim.modify_vertices()
        handle.unclean_set_num_rows(index.size)
        np.frombuffer(memoryview(handle).cast("B"), np.uint32)[:] = index
        geom.set_primitive(0, prim)
    city.root.set_two_sided(safe is None)
    return twice


def shared_rows(tris: np.ndarray, vdata: GeomVertexData) -> np.ndarray:
    """(3k,) uint32 row of each corner of a tile's triangles (k, 3) model vertex ids: the first row of the
    same model vertex when its normal is the same (rule 7), else the corner's own row."""
    corners = tris.reshape(-1)
    own = np.arange(corners.size, dtype=np.int64)
    _, first, inverse = np.unique(corners, return_index=True, return_inverse=True)
    candidate = first[inverse]
    with memoryview(vdata.get_array(0)) as view:
        normal = np.frombuffer(view.cast("B"), dtype=dtype_of(vdata))["normal"]
        same = np.einsum("ij,ij->i", normal, np.take(normal, candidate, axis=0)) > 0.99999
    return np.where(same, candidate, own).astype(np.uint32)


# ---------------------------------------------------------------- facades and ambient occlusion (rule 7)

STOREY_METRES = 3.0  # a storey where the model does not say (storeys or levels attributes)
SHOP_WORDS = ("retail", "commercial", "shop", "mixed", "store", "winkel")  # ground-floor shop windows
AO_NEIGHBOURS = 8  # nearest buildings that may wall in a street canyon
AO_OPEN, AO_CANYON = 0.22, 0.22  # occlusion at a wall's foot: in the open, plus this much in a deep canyon


def object_look(model: CityModel) -> np.ndarray:
    """(n, 4) float32 per object for the full look's facades and occlusion (rule 7): base z (metres), storey
    height (0: no facade; negative: shop windows on the ground floor), occlusion at the wall's foot (0..1),
    and 0 (spare)."""
    objects = model.objects
    n = len(objects)
    out = np.zeros((max(n, 1), 4), np.float32)
    if n == 0:
        return out
    lo, hi = _object_boxes(model)
    has_box = np.isfinite(lo[:, 2]) & np.isfinite(hi[:, 2])
    out[:, 0] = np.where(has_box, lo[:, 2], 0.0)
    building = np.array(["building" in t.lower() and "installation" not in t.lower() for t in objects.types])
    height = np.where(has_box, hi[:, 2] - lo[:, 2], 0.0)
    storey = _storey_heights(objects, height).astype(np.float32)
    shops = _shops(objects)
    out[:, 1] = np.where(building & has_box, np.where(shops, -storey, storey), 0.0)
    out[:, 2] = np.where(has_box, canyon_occlusion(lo, hi, building & has_box), 0.0)
    return out


def _object_boxes(model: CityModel) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3) float64 min and max corner of each object's own vertices (NaN where it has none)."""
    n = len(model.objects)
    lo, hi = np.full((n, 3), np.nan), np.full((n, 3), np.nan)
    obj = np.asarray(model.vertex_object, np.int64)
    valid = np.flatnonzero((obj >= 0) & (obj < n))
    if valid.size == 0:
        return lo, hi
    order = valid[np.argsort(obj[valid], kind="stable")]
    keys = obj[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    vertices = np.asarray(model.vertices, np.float64)[order]
    lo[keys[starts]] = np.minimum.reduceat(vertices, starts, axis=0)
    hi[keys[starts]] = np.maximum.reduceat(vertices, starts, axis=0)
    return lo, hi


def _inherited(own: np.ndarray, known: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """Per object: its own value where `known`, else its nearest known ancestor's (a BuildingPart its
    Building's), else `own` as it is."""
    value, has, up = own.copy(), known.copy(), np.asarray(parents, np.int64).copy()
    n = value.shape[0]
    for _ in range(8):  # object trees in city models are shallow
        ask = ~has & (up >= 0) & (up < n)
        if not ask.any():
            break
        take = up[ask]
        value[ask], has[ask] = value[take], has[take]
        up[ask] = np.asarray(parents, np.int64)[take]
    return value


def _storey_counts(objects: Any) -> np.ndarray:
    """(n,) float64 storeys above ground each object's attributes give (NaN: none)."""
    out = np.full(len(objects), np.nan)
    for k, attrs in enumerate(objects.attributes):
        if not attrs:
            continue
        for key in ("storeysAboveGround", "storeys", "building:levels", "levels"):
            try:
                out[k] = float(attrs[key])
                break
            except (KeyError, TypeError, ValueError):
                continue
    return out


def _storey_heights(objects: Any, height: np.ndarray) -> np.ndarray:
    """(n,) metres a storey: the object's (or its building's) height over its storey count, else
    STOREY_METRES."""
    count = _storey_counts(objects)
    count = _inherited(count, np.isfinite(count), objects.parents)
    ok = np.isfinite(count) & (count >= 1) & (height > 0)
    return np.where(ok, np.clip(height / np.maximum(np.round(np.nan_to_num(count)), 1.0), 2.4, 6.0),
                    STOREY_METRES)


def _shops(objects: Any) -> np.ndarray:
    """(n,) bool: commercial or mixed use said by the object or its building (default: residential)."""
    own = np.zeros(len(objects), bool)
    for k, attrs in enumerate(objects.attributes):
        if attrs:
            text = " ".join(str(attrs.get(key, "")) for key in ("use", "function", "usage", "shop", "building"))
            own[k] = any(word in text.lower() for word in SHOP_WORDS)
    return _inherited(own, own, objects.parents)


def canyon_occlusion(lo: np.ndarray, hi: np.ndarray, building: np.ndarray) -> np.ndarray:
    """(n,) occlusion at the foot of each building's walls: AO_OPEN, plus up to AO_CANYON by the street
    canyon's height-to-width ratio (the tallest of its AO_NEIGHBOURS nearest buildings over the gap)."""
    from scipy.spatial import cKDTree  # only the full look's geometry needs it

    out = np.where(building, AO_OPEN, 0.0)
    rows = np.flatnonzero(building)
    if rows.size < 2:
        return out
    centre = 0.5 * (lo[rows, :2] + hi[rows, :2])
    radius = 0.25 * ((hi[rows, 0] - lo[rows, 0]) + (hi[rows, 1] - lo[rows, 1]))  # a box's mean half-width
    height = hi[rows, 2] - lo[rows, 2]
    k = min(AO_NEIGHBOURS + 1, rows.size)
    distance, near = cKDTree(centre).query(centre, k=k)
    distance, near = distance[:, 1:], near[:, 1:]  # the first is the building itself
    gap = np.maximum(distance - radius[:, None] - radius[near], 2.0)
    ratio = np.max(height[near] / gap, axis=1)  # H / W of the deepest canyon beside it
    out[rows] = AO_OPEN + AO_CANYON * np.clip(ratio, 0.0, 1.5) / 1.5
    return out


def object_look_texture(data: np.ndarray) -> Any:
    """object_look()'s (n, 4) rows as a float RGBA texture, WIDTH texels a row like render/colour_lut.py's LUT."""
    from panda3d.core import SamplerState, Texture

    width = min(4096, data.shape[0])
    height = math.ceil(data.shape[0] / width)
    texels = np.zeros((width * height, 4), np.float32)
    texels[:data.shape[0]] = data[:, (2, 1, 0, 3)]  # Panda3D keeps RGBA as BGRA
    texture = Texture("citiverse-object-look")
    texture.setup_2d_texture(width, height, Texture.T_float, Texture.F_rgba32)
    texture.set_ram_image(texels.tobytes())
    for setting in (texture.set_minfilter, texture.set_magfilter):
        setting(SamplerState.FT_nearest)
    return texture


FACADE_OBJECTS_TAG = "citiverse-facade-objects"


def set_object_look(root: NodePath, model: CityModel) -> None:
    """Rule 7: the per-object facade and occlusion inputs of the full look, on the city's root; the indices of
    the objects that have any (a storey height) as its FACADE_OBJECTS_TAG python tag (render/colour_lut.py
    rule 5)."""
    data = object_look(model)
    root.set_shader_input("object_look", object_look_texture(data))
    root.set_python_tag(FACADE_OBJECTS_TAG, np.flatnonzero(data[:len(model.objects), 1] != 0.0))
