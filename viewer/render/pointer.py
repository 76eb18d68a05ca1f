"""Meeting pointers: a ray from a participant's eye to the world point it picked, and a marker there.

Rules this module keeps:
1. All pointers are one GeomNode with two Geoms (the rays as lines, the markers as triangles), rebuilt
   from numpy in one go through memoryview (geometry.py's vertex layout) when the set of pointers
   changes, never per frame and never vertex by vertex.
2. A marker is a small diamond (an octahedron, MARKER_RADIUS metres) at the target with a vertical pin
   above it, so the point reads from any angle; rays and markers are unlit, in the pointer's colour.
3. Pointers are drawn over the scene (depth test off, "fixed" bin): a point someone shows behind a
   building is still seen, like name tags.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from panda3d.core import Geom, GeomLines, GeomNode, GeomTriangles, GeomVertexData, NodePath

from viewer.render.geometry import NO_OBJECT, VERTEX_DTYPE, vertex_format

MARKER_RADIUS = 0.6
PIN_HEIGHT = 4.0
_OCTA = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], np.float32)
_OCTA_FACES = np.array([[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4], [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]])


class PointerLayer:
    """The pointers of a meeting under `parent` (rules 1-3)."""

    def __init__(self, parent: NodePath) -> None:
        self.root = parent.attach_new_node(GeomNode("meeting-pointers"))
        self.root.set_light_off(1)
        self.root.set_shader_off(1)
        self.root.set_bin("fixed", 40)
        self.root.set_depth_test(False)
        self.root.set_depth_write(False)
        self.root.set_render_mode_thickness(3)
        self.count = 0

    def update(self, pointers: list[tuple[Any, Any, tuple[float, float, float]]]) -> None:
        """Show exactly these pointers: (origin (3,), target (3,), rgb 0..1) each."""
        node = self.root.node()
        node.remove_all_geoms()
        self.count = len(pointers)
        if not pointers:
            return
        origins = np.array([p[0] for p in pointers], np.float32).reshape(-1, 3)
        targets = np.array([p[1] for p in pointers], np.float32).reshape(-1, 3)
        rgb = np.array([p[2] for p in pointers], np.float64).reshape(-1, 3)
        pins = targets + np.array([0.0, 0.0, PIN_HEIGHT], np.float32)
        # Two segments a pointer: eye -> target, target -> pin top.
        lines = np.stack([origins, targets, targets, pins], axis=1).reshape(-1, 3)
        node.add_geom(_geom(lines, np.repeat(rgb, 4, axis=0), GeomLines(Geom.UH_static)))
        corners = (targets[:, None, None, :] + _OCTA[_OCTA_FACES][None] * MARKER_RADIUS).reshape(-1, 3)
        node.add_geom(_geom(corners, np.repeat(rgb, 24, axis=0), GeomTriangles(Geom.UH_static)))

    def remove(self) -> None:
        self.root.remove_node()


def _geom(points: np.ndarray, rgb: np.ndarray, prim: Any) -> Geom:
    """One Geom of un-indexed primitives over `points` (n, 3) float32 with colours `rgb` (n, 3) 0..1."""
    rows = points.shape[0]
    vdata = GeomVertexData("pointers", vertex_format(), Geom.UH_static)
    vdata.unclean_set_num_rows(rows)
    rec = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), dtype=VERTEX_DTYPE)
    rec["vertex"] = points
    rec["normal"] = (0.0, 0.0, 1.0)
    rgba = np.full((rows, 4), 255, np.uint8)
    rgba[:, :3] = np.rint(np.clip(rgb, 0.0, 1.0) * 255.0)
    rec["color"] = rgba
    rec["object"] = NO_OBJECT
    prim.set_nonindexed_vertices(0, rows)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    return geom
