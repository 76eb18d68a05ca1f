"""A tile's contents made ready to draw away from the frame: read, decode, place and vertex rows, in a worker
process; the render thread then only copies rows into a GeomVertexData and attaches the node.

Rules this module keeps:
1. `decode_parts(spec, uris, transform)` is what a loader's worker process runs (net/tile_loader.py rule 6):
   read each content (the tileset's own Reader, rebuilt once per process from the picklable DecodeSpec),
   decode it (tiles/content.py), place it (local_model) and gather its un-indexed vertex rows with face
   normals and the Style's colours (render/geometry.py's VERTEX_DTYPE, in triangle order: the rows
   build_city_geometry writes for a one-cell grid, so a tile draws exactly as before). It imports no Panda3D
   object into its results: only numpy arrays, CityModels and point clouds cross the process boundary
   (pickled: about 0.3 ms for a 10k-triangle tile). Errors come back as text, never as exceptions (a
   LoadError does not survive pickling).
2. Models with appearances (textures) travel without rows: the render thread builds them whole as before.
   Tiles are drawn with back faces culled (half of llvmpipe's raster work: street frames 1.8x faster): the
   triangles render/geometry.py's cull_safe_triangles cannot vouch for (not closed outward-wound solids) get
   a second, reversed copy with its own normal, so they still show from both sides.
3. Objects are typed by their `type` property (render/tiles_stage.py rule 2) before colours are chosen.
4. Point clouds (pnts, glTF points) come back placed in local metres with RGBA colours (white when the file
   has none), one PointRows per cloud; `points_geom` makes one Geom of GeomPoints per tile from them.
5. `geom_from_rows` fills a new GeomVertexData through memoryview (a copy, no per-vertex loop). Panda3D's
   scene graph is thread-safe and a node may be built in any thread as long as it is complete before it is
   attached (docs.panda3d.org/1.10, "Asynchronous Loading"): the loader threads call it, the frame attaches.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from panda3d.core import (
    BoundingBox,
    Geom,
    GeomEnums,
    GeomNode,
    GeomPoints,
    GeomVertexArrayFormat,
    GeomVertexData,
    GeomVertexFormat,
    NodePath,
    Point3,
    Shader,
)

from viewer.city.cityjson_geometry import BY_NORMAL, TYPE_FALLBACK
from viewer.city.model import CityModel, SurfaceKind
from viewer.config import Limits, Style
from viewer.errors import LoadError
from viewer.render.geometry import (
    VERTEX_DTYPE,
    cull_safe_triangles,
    face_normals,
    format_of,
    make_geom,
    tile_bounds,
    vertex_records,
)
from viewer.render.shader_files import load_shader
from viewer.tiles.content import decode_content, local_model
from viewer.tiles.placement import TilesetPlacement
from viewer.tiles.uris import Reader, is_url, local_reader

POINT_DTYPE = np.dtype({"names": ["vertex", "color"], "formats": [("<f4", 3), ("u1", 4)],
                        "offsets": [0, 12], "itemsize": 16})
POINT_PIXELS = 2.0


@dataclass(frozen=True)
class DecodeSpec:
    """Everything a worker process needs about one tileset (picklable)."""

    tileset_uri: str
    root_dir: str | None
    limits: Limits
    crs: str
    gltf_up_axis: str
    placement: TilesetPlacement
    style: Style


@dataclass
class ModelRows:
    """One content's mesh: the model (local metres, tile-local object indices) and its vertex rows
    (VERTEX_DTYPE, 3 a triangle) with their bounds (2, 3); rows None: build it on the render side (rule 2)."""

    model: CityModel
    rows: np.ndarray | None
    bounds: np.ndarray | None


@dataclass
class PointRows:
    """One point cloud in local metres: POINT_DTYPE rows and bounds (2, 3)."""

    rows: np.ndarray
    bounds: np.ndarray


@dataclass
class TileParts:
    """What a tile's contents became; error: the reason it failed (then nothing else is set)."""

    meshes: list[ModelRows] = field(default_factory=list)
    points: list[PointRows] = field(default_factory=list)
    error: str | None = None


@functools.lru_cache(maxsize=4)
def _reader(tileset_uri: str, limits: Limits) -> Reader:
    if is_url(tileset_uri):
        from viewer.net.tile_loader import http_reader  # only http tilesets need it

        return http_reader(limits)
    return local_reader(limits)


def decode_parts(spec: DecodeSpec, uris: list[str], transform: np.ndarray) -> TileParts:
    """Rule 1 (run in a worker process, or a thread when processes are off)."""
    reader = _reader(spec.tileset_uri, spec.limits)
    out = TileParts()
    try:
        for uri in uris:
            content = decode_content(uri, reader(uri), transform, limits=spec.limits, reader=reader,
                                     root_dir=spec.root_dir, crs=spec.crs, gltf_up_axis=spec.gltf_up_axis)
            if content.model.triangle_count:
                model = local_model(content, spec.placement)
                types_from_attributes(model)
                out.meshes.append(mesh_rows(model, spec.style))
            out.points += [point_rows(p.positions, p.colors, spec.placement) for p in content.points if len(p)]
    except LoadError as exc:
        return TileParts(error=str(exc))
    except Exception as exc:  # noqa: BLE001 - a decoder's bug is this tile's failure, not the worker's
        return TileParts(error=f"{uris[0] if uris else '?'}: {type(exc).__name__}: {exc}")
    return out


def mesh_rows(model: CityModel, style: Style) -> ModelRows:
    """Rule 1's rows for one model (rule 2: none for textured models)."""
    if model.appearance is not None:
        return ModelRows(model, None, None)
    model.vertices = np.ascontiguousarray(model.vertices, np.float32)
    model.triangles = np.ascontiguousarray(model.triangles, np.uint32)
    model.vertex_object = np.ascontiguousarray(model.vertex_object, np.int32)
    model.vertex_kind = np.ascontiguousarray(model.vertex_kind, np.uint8)
    kinds = model.vertex_kind[model.triangles[:, 0]]
    unsafe = np.flatnonzero(~cull_safe_triangles(model))
    corners = np.concatenate([model.triangles, model.triangles[unsafe][:, [0, 2, 1]]]).reshape(-1)
    rows = np.take(vertex_records(model, style), corners)
    by_triangle = rows.reshape(-1, 3)
    by_triangle["normal"] = face_normals(by_triangle["vertex"], np.concatenate([kinds, kinds[unsafe]]))[:, None, :]
    return ModelRows(model, rows, tile_bounds(rows["vertex"]))


def point_rows(positions: np.ndarray, colors: np.ndarray | None, placement: TilesetPlacement) -> PointRows:
    rows = np.zeros(positions.shape[0], POINT_DTYPE)
    rows["vertex"] = placement.to_local32(positions)
    rows["color"] = 255 if colors is None else colors
    return PointRows(rows, tile_bounds(rows["vertex"]))


def types_from_attributes(model: CityModel) -> None:
    """Objects typed by their `type` property when they have one (what `citiverse tile` writes: Building,
    Road, WaterBody...), not by the property table's class, and the surface kinds of typed objects that are
    not buildings set as the CityJSON loader sets them (a road is road, a land-use plate is not a roof), so
    the Style colours a tile as it colours the file. Buildings and untyped content keep the kinds guessed
    from normals."""
    objects = model.objects
    typed = [a.get("type") if isinstance(a.get("type"), str) and a.get("type") else None for a in objects.attributes]
    if not any(typed):
        return
    objects.types = [t or old for t, old in zip(typed, objects.types, strict=True)]
    kind = np.array([BY_NORMAL if t is None else TYPE_FALLBACK.get(t, SurfaceKind.OTHER) for t in typed], np.int16)
    obj = model.vertex_object
    valid = (obj >= 0) & (obj < len(kind))
    per_vertex = np.full(obj.shape[0], BY_NORMAL, np.int16)
    per_vertex[valid] = kind[obj[valid]]
    fixed = per_vertex != BY_NORMAL
    model.vertex_kind = np.where(fixed, per_vertex, model.vertex_kind).astype(np.uint8)


def geom_from_rows(rows: np.ndarray, bounds: np.ndarray, name: str) -> NodePath:
    """Rule 5: a GeomNode drawing `rows` (VERTEX_DTYPE, 3 a triangle) as un-indexed triangles."""
    vdata = GeomVertexData(name, format_of(VERTEX_DTYPE), Geom.UH_static)
    vdata.unclean_set_num_rows(rows.shape[0])
    np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), VERTEX_DTYPE)[:] = rows
    node = GeomNode(name)
    node.add_geom(make_geom(vdata, rows.shape[0], bounds))
    return NodePath(node)


@functools.cache
def point_format() -> GeomVertexFormat:
    array = GeomVertexArrayFormat()
    array.add_column("vertex", 3, Geom.NT_float32, Geom.C_point)
    array.add_column("color", 4, Geom.NT_uint8, Geom.C_color)
    if array.get_stride() != POINT_DTYPE.itemsize:
        raise RuntimeError(f"unexpected Panda3D point layout: stride {array.get_stride()}")
    return GeomVertexFormat.register_format(array)


@functools.cache
def points_shader() -> Shader:
    """Unlit points in their own colours (a point has no normal to light)."""
    return load_shader("tile_point.vert", "tile_point.frag")


def points_geom(clouds: list[PointRows], name: str, shaders: bool = True) -> NodePath:
    """Rule 4: one Geom of GeomPoints for every cloud of a tile, POINT_PIXELS wide, unlit."""
    rows = np.concatenate([c.rows for c in clouds])
    bounds = np.array([np.min([c.bounds[0] for c in clouds], axis=0), np.max([c.bounds[1] for c in clouds], axis=0)],
                      np.float32)
    vdata = GeomVertexData(name, point_format(), Geom.UH_static)
    vdata.unclean_set_num_rows(rows.shape[0])
    np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), POINT_DTYPE)[:] = rows
    prim = GeomPoints(GeomEnums.UH_static)
    prim.add_consecutive_vertices(0, rows.shape[0])
    geom = Geom(vdata)
    geom.add_primitive(prim)
    geom.set_bounds(BoundingBox(Point3(*bounds[0].tolist()), Point3(*bounds[1].tolist())))
    node = GeomNode(name)
    node.add_geom(geom)
    path = NodePath(node)
    path.set_render_mode_thickness(POINT_PIXELS)
    if shaders:
        path.set_shader(points_shader(), 1)
    else:
        path.set_shader_off(1)
    path.set_light_off(1)
    return path
