"""Lane markings (the model's SurfaceKind.MARKING surfaces, city/lanes.py) drawn over their roads.

Rules this module keeps:
1. One Geom per CHUNK_M square of the city that has markings, indexed (uint32), in the city's vertex layout
   (render/geometry.py VERTEX_DTYPE, or TEXTURED_VERTEX_DTYPE with texcoord (-1, -1) on a textured city),
   normals up, the style's "marking" colour (geometry.KIND_DEFAULTS otherwise: near white). It is a child of
   the city root, so it is lit, shadowed and hazed by the city's own shader and lights; its `object` is
   NO_OBJECT, so no live layer's lookup texture tints a marking with its road's colour (and a click on a
   15 cm line picks nothing rather than the road's paint).
2. No z-fighting with the road: the markings lie MARK_LIFT_M above it (city/lanes.py) and are drawn with a
   depth offset of DEPTH_OFFSET (render/terrain_mesh.py rule 3: depth-buffer steps scaled by the slope, so
   it holds at every distance, where a lift in metres alone fails far away). The congestion bands
   (render/road_bands.py: 0.12 m up, offset 2) stay over them.
3. The city tiles do not draw these triangles (render/geometry.py collapses them to points), so each is drawn
   once, here.
4. Only near the eye: each chunk sits under a LODNode that shows it while the eye is within VISIBLE_M of
   its nearest part (its centre's distance minus its radius). Farther, a 15 cm line is under a third of a
   pixel at 1280x720 and would only speckle the roads (and cost the vertex stage): overviews draw none.
"""

from __future__ import annotations

import numpy as np
from panda3d.core import BoundingBox, Geom, GeomNode, GeomTriangles, GeomVertexData, LODNode, NodePath, Point3

from viewer.city.model import CityModel, SurfaceKind
from viewer.config import Style
from viewer.render.geometry import (
    KIND_DEFAULTS,
    NO_OBJECT,
    TEXTURED_VERTEX_DTYPE,
    VERTEX_DTYPE,
    vertex_format,
)

DEPTH_OFFSET = 1  # rule 2
CHUNK_M = 250.0  # rule 1
VISIBLE_M = 400.0  # rule 4


def marking_triangles(model: CityModel) -> tuple[np.ndarray, np.ndarray]:
    """The markings' own vertices (n, 3) float32 and triangles (t, 3) uint32 into them (rule 1)."""
    tris = np.asarray(model.triangles).reshape(-1, 3)
    if tris.shape[0] == 0:
        return np.zeros((0, 3), np.float32), np.zeros((0, 3), np.uint32)
    marks = tris[np.asarray(model.vertex_kind)[tris[:, 0]] == SurfaceKind.MARKING]
    used, local = np.unique(marks, return_inverse=True)
    return np.asarray(model.vertices, np.float32)[used], local.reshape(-1, 3).astype(np.uint32)


def make_lane_marks(city_root: NodePath, model: CityModel, style: Style, textured: bool = False
                    ) -> NodePath | None:
    """The markings' node under the city root (rules 1-4); None when the model has none."""
    vertices, triangles = marking_triangles(model)
    if triangles.shape[0] == 0:
        return None
    rgb = style.surfaces.get("marking", KIND_DEFAULTS["marking"])
    root = city_root.attach_new_node("lane-marks")
    root.set_depth_offset(DEPTH_OFFSET)
    for chunk in _chunks(vertices, triangles):
        used, local = np.unique(chunk, return_inverse=True)
        points = vertices[used]
        lo, hi = points.min(axis=0), points.max(axis=0)
        lod = LODNode("lane-marks-lod")
        lod.add_switch(VISIBLE_M + float(np.linalg.norm(hi - lo)) / 2.0, 0.0)
        lod.set_center(Point3(*((lo + hi) / 2.0).tolist()))
        node = GeomNode("lane-marks")
        node.add_geom(_geom(points, local.reshape(-1, 3).astype(np.uint32), rgb, textured))
        root.attach_new_node(lod).attach_new_node(node)
    return root


def _chunks(vertices: np.ndarray, triangles: np.ndarray) -> list[np.ndarray]:
    """The triangles (t, 3) split by the CHUNK_M square their centroid lies in (rule 1)."""
    xy = vertices[triangles[:, 0], :2].astype(np.float64)
    cell = np.floor((xy - xy.min(axis=0)) / CHUNK_M).astype(np.int64)
    key = cell[:, 0] * (int(cell[:, 1].max()) + 1) + cell[:, 1]
    order = np.argsort(key, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(key[order]) != 0])
    return [triangles[part] for part in np.split(order, starts[1:])]


def _geom(vertices: np.ndarray, triangles: np.ndarray, rgb: tuple[float, float, float], textured: bool) -> Geom:
    dtype = TEXTURED_VERTEX_DTYPE if textured else VERTEX_DTYPE
    vdata = GeomVertexData("lane-marks", vertex_format(textured), Geom.UH_static)
    vdata.unclean_set_num_rows(vertices.shape[0])
    rows = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), dtype=dtype)
    rows["vertex"] = vertices
    rows["normal"] = (0.0, 0.0, 1.0)
    rows["color"] = (*(round(255 * c) for c in rgb), 255)
    rows["object"] = NO_OBJECT
    if textured:
        rows["texcoord"] = (-1.0, -1.0)
    prim = GeomTriangles(Geom.UH_static)
    prim.set_index_type(Geom.NT_uint32)
    handle = prim.modify_vertices()
    handle.unclean_set_num_rows(triangles.size)
    np.frombuffer(memoryview(handle).cast("B"), np.uint32)[:] = triangles.reshape(-1)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    lo, hi = vertices.min(axis=0), vertices.max(axis=0)
    geom.set_bounds(BoundingBox(Point3(*lo.tolist()), Point3(*hi.tolist())))
    return geom
