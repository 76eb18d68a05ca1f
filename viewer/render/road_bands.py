"""Congestion on the street, not as the street: a band along the middle of each road surface, in the
congestion colour, the road's own colour left around it.

Rules this module keeps:
1. Geometry (band_mesh, pure numpy): the road objects' triangles, split into connected pieces (a lane
   segment, a street between junctions, a junction), each squeezed toward its own middle: across its long
   axis to BAND_FRACTION of its width when it is longer than wide (ELONGATED), to JUNCTION_FRACTION both
   ways when it is not (a patch in the middle of a junction). The squeeze is affine per piece, so the
   triangles stay valid; the band is lifted BAND_LIFT metres and drawn with a depth offset, so it never
   z-fights with the road under it. One Geom for the whole city (rule 3 of the design: one Geom per layer).
   Lane markings (SurfaceKind.MARKING, render/lane_marks.py) belong to their road but get no band: the band
   is drawn over them (higher and with a larger depth offset) and they keep their paint where it is not.
2. Colour: the band's vertices carry their road's object id; the band reads its own lookup texture
   (render/colour_lut.py ColourLut, written by app/live.py with the roads layer's texels instead of the
   city's). A texel with alpha 0 (no data, layer hidden) draws nothing: the fragment is discarded.
3. The band is lit like the city (the stage's lighting inputs are inherited from the city root), at night at
   least LAYER_NIGHT_LIGHT like the city's layer colours (render/colour_lut.py rule 3), so its legend still
   reads; it is tagged for picking as part of the city, so a click on the band picks its road.
"""

from __future__ import annotations

import functools

import numpy as np
from panda3d.core import BoundingBox, Geom, GeomNode, GeomTriangles, GeomVertexData, NodePath, Point3, Shader

from viewer.city.model import SurfaceKind
from viewer.render.colour_lut import LAYER_NIGHT_LIGHT, ColourLut
from viewer.render.geometry import VERTEX_DTYPE, vertex_format
from viewer.render.picking import PICK_TAG
from viewer.render.shader_files import load_shader

BAND_FRACTION = 0.4
JUNCTION_FRACTION = 0.5
ELONGATED = 1.5  # length / width above which a piece is a street (a band along it), else a junction
BAND_LIFT = 0.12  # metres
DEPTH_OFFSET = 2

@functools.cache
def band_shader() -> Shader:
    """The band's program: lit like the city, and at night at least LAYER_NIGHT_LIGHT like its layer colours."""
    return load_shader("road_band.vert", "road_band.frag",
                       fragment_defines={"LAYER_NIGHT_LIGHT": f"{LAYER_NIGHT_LIGHT:.3f}"})


def band_mesh(vertices: np.ndarray, triangles: np.ndarray, vertex_object: np.ndarray,
              roads: np.ndarray, vertex_kind: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bands (rule 1) of the triangles whose first vertex belongs to an object in `roads` (object
    indices) and is not a lane marking (by vertex_kind, when given): (vertices (n, 3) float64, triangles
    (t, 3) int64, object (n,) uint32)."""
    from scipy.sparse import coo_matrix  # only when a feed with roads draws bands
    from scipy.sparse.csgraph import connected_components

    tris = np.asarray(triangles, np.int64).reshape(-1, 3)
    is_road = np.zeros(int(max(int(vertex_object.max(initial=0)) + 1, 1)), bool)
    is_road[np.asarray(roads, np.int64)] = True
    tris = tris[is_road[np.asarray(vertex_object)[tris[:, 0]]]]
    if vertex_kind is not None:
        tris = tris[np.asarray(vertex_kind)[tris[:, 0]] != SurfaceKind.MARKING]
    if tris.shape[0] == 0:
        return np.zeros((0, 3)), np.zeros((0, 3), np.int64), np.zeros(0, np.uint32)
    used, local = np.unique(tris, return_inverse=True)
    local = local.reshape(-1, 3)
    p = np.asarray(vertices, np.float64)[used]
    n = used.shape[0]
    edges = np.concatenate([local[:, [0, 1]], local[:, [1, 2]]])
    graph = coo_matrix((np.ones(edges.shape[0]), (edges[:, 0], edges[:, 1])), shape=(n, n))
    count, piece = connected_components(graph, directed=False)
    squeezed = _squeeze(p[:, :2], piece, count)
    out = np.column_stack([squeezed, p[:, 2] + BAND_LIFT])
    return out, local, np.asarray(vertex_object)[used].astype(np.uint32)


def _squeeze(xy: np.ndarray, piece: np.ndarray, count: int) -> np.ndarray:
    """Each piece's points (n, 2) squeezed toward its middle along its principal axes (rule 1)."""
    weight = np.bincount(piece, minlength=count).astype(np.float64)
    mean = np.stack([np.bincount(piece, xy[:, i], count) / weight for i in range(2)], 1)
    d = xy - mean[piece]
    cxx, cyy = np.bincount(piece, d[:, 0] ** 2, count), np.bincount(piece, d[:, 1] ** 2, count)
    cxy = np.bincount(piece, d[:, 0] * d[:, 1], count)
    angle = 0.5 * np.arctan2(2 * cxy, cxx - cyy)
    u = np.stack([np.cos(angle), np.sin(angle)], 1)
    v = np.stack([-u[:, 1], u[:, 0]], 1)
    s, t = (d * u[piece]).sum(1), (d * v[piece]).sum(1)
    lo_s, hi_s = np.full(count, np.inf), np.full(count, -np.inf)
    lo_t, hi_t = np.full(count, np.inf), np.full(count, -np.inf)
    np.minimum.at(lo_s, piece, s)
    np.maximum.at(hi_s, piece, s)
    np.minimum.at(lo_t, piece, t)
    np.maximum.at(hi_t, piece, t)
    street = (hi_s - lo_s) >= ELONGATED * (hi_t - lo_t)
    across = np.where(street, BAND_FRACTION, JUNCTION_FRACTION)
    along = np.where(street, 1.0, JUNCTION_FRACTION)
    mid_s, mid_t = (lo_s + hi_s) / 2, (lo_t + hi_t) / 2
    s2 = mid_s[piece] + (s - mid_s[piece]) * along[piece]
    t2 = mid_t[piece] + (t - mid_t[piece]) * across[piece]
    return mean[piece] + u[piece] * s2[:, None] + v[piece] * t2[:, None]


class RoadBands:
    """The band node under the stage's city root and its own lookup texture (rules above); None-like when
    the scene has no road triangles (`node` is None)."""

    def __init__(self, city_root: NodePath, model: object, roads: np.ndarray, objects: int) -> None:
        self.lut = ColourLut(objects)
        self.node: NodePath | None = None
        vertices, triangles, owner = band_mesh(model.vertices, model.triangles,  # type: ignore[attr-defined]
                                               model.vertex_object, roads,  # type: ignore[attr-defined]
                                               model.vertex_kind)  # type: ignore[attr-defined]
        if triangles.shape[0] == 0:
            return
        node = GeomNode("road-bands")
        node.add_geom(_geom(vertices, triangles, owner))
        self.node = city_root.attach_new_node(node)
        self.node.set_shader(band_shader())
        self.node.set_tag(PICK_TAG, "city")  # rule 3: the band picks as its road
        self.node.set_shader_input("lut", self.lut.texture)
        self.node.set_depth_offset(DEPTH_OFFSET)
        self.node.set_two_sided(True)

    def remove(self) -> None:
        if self.node is not None:
            self.node.remove_node()
            self.node = None


def _geom(vertices: np.ndarray, triangles: np.ndarray, owner: np.ndarray) -> Geom:
    vdata = GeomVertexData("road-bands", vertex_format(), Geom.UH_static)
    vdata.unclean_set_num_rows(vertices.shape[0])
    rows = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), dtype=VERTEX_DTYPE)
    rows["vertex"] = vertices
    rows["normal"] = (0.0, 0.0, 1.0)
    rows["color"] = (255, 255, 255, 255)
    rows["object"] = owner
    prim = GeomTriangles(Geom.UH_static)
    prim.set_index_type(Geom.NT_uint32)
    handle = prim.modify_vertices()
    handle.unclean_set_num_rows(triangles.size)
    np.frombuffer(memoryview(handle).cast("B"), np.uint32)[:] = triangles.reshape(-1).astype(np.uint32)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    lo, hi = vertices.min(axis=0), vertices.max(axis=0)
    geom.set_bounds(BoundingBox(Point3(*lo.tolist()), Point3(*hi.tolist())))
    return geom
