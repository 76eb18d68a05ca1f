"""A Terrain (city/terrain.py) -> one lit Panda3D mesh, out to the horizon, that nothing lying on it z-fights.

Rules this module keeps:
1. The mesh is terrain.mesh(): the grid plus rings of ever larger cells out to TERRAIN_REACH times its size
   at the edge heights, so no edge is seen in an overview. One Geom, indexed (uint32), vertex rows in the
   city's layout (render/geometry.py VERTEX_DTYPE, object = NO_OBJECT so picking never names it) written
   from numpy through memoryview. Normals are the area-weighted mean of the faces around each vertex.
2. Positions are relative to the node, which sits at the terrain's lowest height: `node.get_z()` is the
   base plane users of `stage.ground` expect (the collision index's floor of last resort).
3. No z-fighting with roads, plates and the model's own relief lying on it: the terrain is drawn with a
   depth offset of DEPTH_OFFSET (Panda3D: glPolygonOffset(-offset, -offset), so a negative offset pushes it
   away from the camera). The offset is in depth-buffer steps scaled by the slope, so it holds at every
   distance, where a lift in metres would be too much close up and too little far away. Surfaces on it
   win ties and near-ties; anything really below it (a tunnel) stays hidden. Draped surfaces get a few
   cm of lift as well (city/seat.py), for the terrain's bilinear cells between their vertices.
4. Cells the model's relief covers (a TIN) are not drawn: that mesh draws there (terrain.mesh()).
"""

from __future__ import annotations

import numpy as np
from panda3d.core import BoundingBox, Geom, GeomNode, GeomTriangles, GeomVertexData, NodePath, Point3

from viewer.city.terrain import Terrain, mesh
from viewer.render.bins import TERRAIN_ORDER, draw_in_ground_bin
from viewer.render.geometry import VERTEX_DTYPE, vertex_format

TERRAIN_REACH = 20.0  # times the grid's size
DEPTH_OFFSET = -2  # rule 3
NO_OBJECT = 0xFFFFFFFF


def vertex_normals(vertices: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """(n, 3) float32 unit normals, z up: the sum of the (area-weighted) normals of the faces at each vertex."""
    a, b, c = (vertices[triangles[:, i]] for i in range(3))
    face = np.cross(b - a, c - a)
    face *= np.where(face[:, 2:3] < 0, -1.0, 1.0)  # every face up, whatever the winding
    normals = np.zeros_like(vertices)
    for i in range(3):
        for axis in range(3):
            normals[:, axis] += np.bincount(triangles[:, i], face[:, axis], minlength=vertices.shape[0])
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    normals = np.where(length > 0, normals / np.maximum(length, 1e-12), [0.0, 0.0, 1.0])
    return normals.astype(np.float32)


def terrain_geom(terrain: Terrain, rgb: tuple[float, float, float], base: float) -> Geom:
    """The Geom of rule 1, positions relative to height `base`."""
    vertices, triangles, _ = mesh(terrain, reach=TERRAIN_REACH)
    vdata = GeomVertexData("terrain", vertex_format(), Geom.UH_static)
    vdata.unclean_set_num_rows(vertices.shape[0])
    rows = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), dtype=VERTEX_DTYPE)
    local = vertices - np.array([0.0, 0.0, base])
    rows["vertex"] = local
    rows["normal"] = vertex_normals(vertices, triangles.astype(np.int64))
    rows["color"] = np.array([*(round(255 * v) for v in rgb), 255], np.uint8)
    rows["object"] = NO_OBJECT
    prim = GeomTriangles(Geom.UH_static)
    prim.set_index_type(Geom.NT_uint32)
    handle = prim.modify_vertices()
    handle.unclean_set_num_rows(triangles.size)
    np.frombuffer(memoryview(handle).cast("B"), np.uint32)[:] = triangles.reshape(-1)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    lo, hi = local.min(axis=0), local.max(axis=0)
    geom.set_bounds(BoundingBox(Point3(*lo.tolist()), Point3(*hi.tolist())))
    return geom


def make_terrain_node(parent: NodePath, terrain: Terrain, rgb: tuple[float, float, float]) -> NodePath:
    """The terrain under `parent` (rules 1-3); the caller lights it (shader or fixed-function lights)."""
    base = terrain.height_range[0]
    node = GeomNode("terrain")
    node.add_geom(terrain_geom(terrain, rgb, base))
    path = parent.attach_new_node(node)
    path.set_z(base)
    path.set_two_sided(True)
    path.set_depth_offset(DEPTH_OFFSET)
    draw_in_ground_bin(path, TERRAIN_ORDER)  # after the city: the ground under buildings is never shaded
    return path
