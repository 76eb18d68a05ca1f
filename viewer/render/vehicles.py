"""VehicleRenderer: every vehicle drawn by GPU instancing, one Geom and one draw call per vehicle type.

Rules this module keeps:
1. One GeomNode per type in VEHICLE_TYPES holds that type's small indexed mesh (boxes without bottoms,
   8 corners each, modelled with +y forward, z up, the origin on the ground at the centre) and is drawn
   with set_instance_count(count of the type). Faces are lit flat with the normal the fragment shader
   derives from the position's screen-space derivatives: 2.5x fewer vertices to shade than with normals.
2. Per-instance data is a second vertex array with divisor 1 (one row per instance, not per vertex) in the
   type's GeomVertexData: i_place (x, y, z, heading radians) and i_tint (r, g, b, a), float32, exactly the
   rows of layers/vehicles.py rule 6. Vertex attributes cost the vertex shader far less than fetching the
   same data from a texture (measured on llvmpipe: half the vertex time).
3. The layer writes every instance into `memory()`, a numpy array owned here whose rows persist between
   frames (colours are rewritten only when the grouping changes); show() copies each type's run into its
   instance array through memoryview (one copy of 32 bytes per vehicle per frame) and sets the counts.
4. Fade without sorting: a fragment is discarded when its alpha is below a 4x4 ordered-dither threshold,
   so vehicles fade out with depth writes on and no transparency bin; alpha 0 puts the instance outside
   the clip volume. A type none of whose instances is fading draws with opaque_shader(), the same without
   the discard (a shader that may discard makes llvmpipe shade every fragment before the depth test). The
   nodes are never culled (their bounds are infinite: instances are everywhere).
5. pick_shader() writes the instance index + 1 (`first`, the type's run start, + gl_InstanceID) and kind 2
   (render/picking.py) for picking; the picking camera's tag state leaves the shader inputs in place.
6. Level of detail without regrouping: each mesh vertex also carries its corner in a far shape, one box
   around the type's boxes with the other boxes' corners collapsed to one point (empty triangles, which
   llvmpipe drops before setting them up: setup, not shading, is what vehicles cost there). The vertex
   shader takes the far corners for an instance farther from the eye than `lod_distance`, where a car is
   under LOD_PIXELS long on the output (from the lens and output given to the renderer; never without).
   The picking camera sits at the eye with a cropped lens, so picking sees the same shapes.
7. Farther still, where a car is under POINT_PIXELS long, a vehicle is a marker: one square point of
   marker_pixels() (MARKER_PIXELS at a 720-pixel-tall output, scaled with the output, never under
   MARKER_MIN_PIXELS) in one non-instanced draw of every vehicle (`points`, its rows the instance rows
   themselves, so its gl_VertexID is the instance index and picking works the same). A car 2 km away stays a
   visible dot. The marker is unlit: its pixels are the layer's legend colour exactly (the shapes are lit).
   It fades in by the ordered dither of rule 4 over the MARKER_FADE band of distances before the point
   distance, drawn over the shrinking far shape; past the point distance the instanced shapes put the
   vehicle outside the clip volume. A marker's depth is MARKER_PULL of its distance nearer the eye (the
   same pixel): a point has one depth, and the ground in front would otherwise hide its lower half at a
   grazing view. llvmpipe pays per instance and per triangle even for tiny ones: 10k far
   cars cost about 14 ms as boxes and 1 ms as points. When the nearest vehicle is past the point distance,
   the instanced draws are skipped altogether (the eye is the `camera`'s position, when one is given).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from panda3d.core import (
    Geom,
    GeomEnums,
    GeomNode,
    GeomPoints,
    GeomTriangles,
    GeomVertexArrayFormat,
    GeomVertexData,
    GeomVertexFormat,
    NodePath,
    OmniBoundingVolume,
    Shader,
    Vec3,
)

from viewer.layers.vehicles import INSTANCE_FLOATS, VehicleFrame
from viewer.render.bins import draw_in_vehicle_bin
from viewer.render.lighting import Lighting
from viewer.render.shader_files import load_shader
from viewer.twin.batch import VEHICLE_TYPES

ALPHA = 7  # the instance row's alpha column (layers/vehicles.py rule 6)
LOD_LENGTH = 4.5  # metres: a car's length ...
LOD_PIXELS = 6.0  # ... below this many pixels on the output, vehicles draw their far shape (rule 6)
POINT_PIXELS = 3.0  # ... below this many, a marker (rule 7)
MARKER_PIXELS = 4.0  # the marker's side at a 720-pixel-tall output (rule 7) ...
MARKER_MIN_PIXELS = 3.0  # ... and never less
MARKER_FADE = 0.7  # markers fade in from this fraction of the point distance to the point distance
MARKER_PULL = 0.03  # a marker's depth is this fraction of its distance nearer (rule 7)
FAR_NEVER = 1e18  # the lod_distance that keeps every vehicle near (squared, still a finite float32)

# Boxes per type: (centre x, centre y, bottom z, width, length, height) in metres, +y forward.
SHAPES: dict[str, tuple[tuple[float, ...], ...]] = {
    "car": ((0, 0, 0.25, 1.8, 4.5, 0.75), (0, -0.3, 1.0, 1.6, 2.3, 0.5)),
    "bus": ((0, 0, 0.3, 2.5, 12.0, 2.8),),
    "truck": ((0, -1.3, 0.5, 2.5, 7.4, 3.1), (0, 3.6, 0.4, 2.4, 2.3, 2.6)),
    "bike": ((0, 0, 0.3, 0.5, 1.8, 0.7), (0, -0.1, 1.0, 0.4, 0.5, 0.75)),
    "tram": ((0, 0, 0.3, 2.65, 30.0, 3.1),),
    "motorcycle": ((0, 0, 0.3, 0.7, 2.1, 0.7), (0, -0.2, 1.0, 0.5, 0.6, 0.6)),
    "pedestrian": ((0, 0, 0.0, 0.5, 0.35, 1.75),),
    "other": ((0, 0, 0.3, 1.8, 4.0, 1.3),),
}

@functools.cache
def point_shader() -> Shader:
    return load_shader("vehicle_marker.vert", "vehicle_marker.frag", {"MARKER_PULL": MARKER_PULL})


@functools.cache
def point_pick_shader() -> Shader:
    """pick_shader() for the points node: the instance index is the vertex index (rule 7)."""
    return load_shader("vehicle_marker.vert", "vehicle_pick.frag", {"MARKER_PULL": MARKER_PULL})


@functools.cache
def vehicle_shader() -> Shader:
    return load_shader("vehicle.vert", "vehicle.frag", ["FADE"])


@functools.cache
def opaque_shader() -> Shader:
    """vehicle_shader() without the fade (rule 4): for a type whose instances are all fully opaque."""
    return load_shader("vehicle.vert", "vehicle.frag")


@functools.cache
def pick_shader() -> Shader:
    return load_shader("vehicle_pick.vert", "vehicle_pick.frag")


_QUADS = np.array([[4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]])  # top, S, E, N, W
_CORNERS = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]],
                    np.float32)


def far_mesh(boxes: tuple[tuple[float, ...], ...]) -> np.ndarray:
    """Corners (8 b, 3) float32 of the far shape (rule 6): the first box's corners on the box around all
    the boxes, every other box's corners on one point, so that their triangles are empty."""
    corners = box_mesh(boxes)[0]
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    far = np.repeat(lo[None, :], corners.shape[0], axis=0)
    far[:8] = lo + _CORNERS * (hi - lo)
    return far


def box_mesh(boxes: tuple[tuple[float, ...], ...]) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (8 b, 3) float32 (each box's corners) and triangles (10 b, 3) uint16 of the boxes without
    their bottoms, counter-clockwise seen from outside. No normals: the fragment shader takes each face's
    from the screen-space derivatives of the position, so a box needs 8 vertices instead of 20."""
    verts, tris = [], []
    for i, (cx, cy, z, w, length, h) in enumerate(boxes):
        lo = np.array([cx - w / 2, cy - length / 2, z], np.float32)
        verts.append(lo + _CORNERS * np.array([w, length, h], np.float32))
        tris.append(_QUADS[:, [0, 1, 2, 0, 2, 3]].reshape(-1, 3) + 8 * i)
    return np.concatenate(verts), np.concatenate(tris).astype(np.uint16)


@functools.cache
def _format() -> GeomVertexFormat:
    mesh = GeomVertexArrayFormat()
    mesh.add_column("vertex", 3, Geom.NT_float32, Geom.C_point)
    mesh.add_column("far", 3, Geom.NT_float32, Geom.C_other)
    instances = GeomVertexArrayFormat()
    instances.add_column("i_place", 4, Geom.NT_float32, Geom.C_other)
    instances.add_column("i_tint", 4, Geom.NT_float32, Geom.C_other)
    instances.set_divisor(1)
    if instances.get_stride() != 4 * INSTANCE_FLOATS:
        raise RuntimeError(f"unexpected instance layout: stride {instances.get_stride()}")
    fmt = GeomVertexFormat()
    fmt.add_array(mesh)
    fmt.add_array(instances)
    return GeomVertexFormat.register_format(fmt)


def _type_geom(boxes: tuple[tuple[float, ...], ...]) -> Geom:
    """A type's Geom: its mesh in array 0, an empty per-instance array 1."""
    verts, tris = box_mesh(boxes)  # rows: corner x, y, z, then the same corner in the far shape
    vdata = GeomVertexData("vehicle", _format(), Geom.UH_static)
    vdata.unclean_set_num_rows(verts.shape[0])
    rows = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), np.float32).reshape(-1, 6)
    rows[:, :3], rows[:, 3:] = verts, far_mesh(boxes)
    instances = vdata.modify_array(1)
    instances.set_usage_hint(GeomEnums.UH_dynamic)
    instances.unclean_set_num_rows(0)
    prim = GeomTriangles(Geom.UH_static)
    prim.set_index_type(GeomEnums.NT_uint16)
    index = prim.modify_vertices()
    index.unclean_set_num_rows(tris.size)
    np.frombuffer(memoryview(index).cast("B"), np.uint16)[:] = tris.reshape(-1)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    return geom


def _points_geom() -> Geom:
    """The points Geom (rule 7): one vertex per vehicle, its columns those of an instance row."""
    rows = GeomVertexArrayFormat()
    rows.add_column("i_place", 4, Geom.NT_float32, Geom.C_other)
    rows.add_column("i_tint", 4, Geom.NT_float32, Geom.C_other)
    vdata = GeomVertexData("vehicle-points", GeomVertexFormat.register_format(GeomVertexFormat(rows)),
                           Geom.UH_dynamic)
    vdata.unclean_set_num_rows(0)
    geom = Geom(vdata)
    geom.add_primitive(GeomPoints(Geom.UH_dynamic))
    return geom


class VehicleRenderer:
    """The instanced vehicle nodes under `parent` (rules above), lit like the city."""

    def __init__(self, parent: NodePath, lighting: Lighting, scale: float = 1.0, capacity: int = 1024,
                 lens: Any = None, output: Any = None, camera: Any = None) -> None:
        self.root = parent.attach_new_node("vehicles")
        draw_in_vehicle_bin(self.root)  # before the city: what they cover is never shaded (render/bins.py rule 3)
        self.root.set_shader(vehicle_shader())
        self.root.set_shader_input("scale", float(scale))
        self.lens, self.output, self.scale, self.camera = lens, output, float(scale), camera
        self.lod_distance = math.inf
        self.root.set_shader_input("lod_distance", FAR_NEVER)
        self.root.set_shader_input("point_distance", FAR_NEVER)
        self.root.set_shader_input("marker_near", FAR_NEVER * MARKER_FADE)
        for name, value in (("sun_to", lighting.sun_to()), ("sun_color", lighting.sun_color),
                            ("fill_to", lighting.fill_to()), ("fill_color", lighting.fill_color),
                            ("ambient", lighting.ambient)):
            self.root.set_shader_input(name, Vec3(*value))
        self.nodes: list[NodePath] = []
        for name in VEHICLE_TYPES:
            node = GeomNode(f"vehicles-{name}")
            node.add_geom(_type_geom(SHAPES[name]))
            node.set_bounds(OmniBoundingVolume())
            node.set_final(True)
            path = self.root.attach_new_node(node)
            path.set_shader_input("first", 0)
            path.hide()
            self.nodes.append(path)
        points = GeomNode("vehicle-points")
        points.add_geom(_points_geom())
        points.set_bounds(OmniBoundingVolume())
        points.set_final(True)
        self.points = self.root.attach_new_node(points)
        self.points.set_shader(point_shader())
        self.marker_size = MARKER_PIXELS
        self.points.set_render_mode_thickness(self.marker_size)
        self.points.hide()
        self.point_rows = points.modify_geom(0).modify_vertex_data().modify_array(0)
        self.point_prim = points.modify_geom(0).modify_primitive(0)
        # The per-instance array of each type, kept: writing through it marks it for upload.
        self.arrays = [n.node().modify_geom(0).modify_vertex_data().modify_array(1) for n in self.nodes]
        self.rows = np.zeros((max(capacity, 1), INSTANCE_FLOATS), np.float32)
        self.opaque = [False] * len(self.nodes)

    @property
    def capacity(self) -> int:
        return int(self.rows.shape[0])

    def memory(self, n: int = 0) -> np.ndarray:
        """(capacity, INSTANCE_FLOATS) float32 instance rows, grown (keeping their contents) to hold n."""
        if n > self.capacity:
            grown = np.zeros((max(n, 2 * self.capacity), INSTANCE_FLOATS), np.float32)
            grown[:self.capacity] = self.rows
            self.rows = grown
        return self.rows

    def far_distance(self) -> float:
        """Metres from the eye beyond which a car is under LOD_PIXELS long on the output (rule 6); inf
        without a perspective lens and an output."""
        if self.lens is None or self.output is None or not self.lens.is_perspective():
            return math.inf
        focal = self.output.get_y_size() / 2 / math.tan(math.radians(self.lens.get_fov()[1]) / 2)
        return LOD_LENGTH * self.scale * focal / LOD_PIXELS

    def marker_pixels(self) -> float:
        """The marker's side in pixels for the output's height (rule 7)."""
        if self.output is None:
            return MARKER_PIXELS
        return max(MARKER_MIN_PIXELS, round(MARKER_PIXELS * self.output.get_y_size() / 720.0))

    def show(self, frame: VehicleFrame) -> None:
        """Draw `frame`'s instances: copy each type's run into its instance array, set counts and `first`;
        and every vehicle into the points node (rule 7)."""
        distance = self.far_distance()
        if distance != self.lod_distance:
            self.lod_distance = distance
            self.root.set_shader_input("lod_distance", min(distance, FAR_NEVER))
            point_distance = min(distance * LOD_PIXELS / POINT_PIXELS, FAR_NEVER)
            self.root.set_shader_input("point_distance", point_distance)
            self.root.set_shader_input("marker_near", point_distance * MARKER_FADE)
        size = self.marker_pixels()
        if size != self.marker_size:
            self.marker_size = size
            self.points.set_render_mode_thickness(size)
        all_points = self._show_points(frame.n if frame.n else 0)
        for k, node in enumerate(self.nodes):
            count = int(frame.counts[k]) if frame.n else 0
            if count == 0 or all_points:
                node.hide()
                continue
            first = int(frame.offsets[k])
            array = self.arrays[k]
            array.unclean_set_num_rows(count)
            np.frombuffer(memoryview(array).cast("B"), np.float32).reshape(count, INSTANCE_FLOATS)[:] = \
                self.rows[first:first + count]
            node.set_shader_input("first", first)
            node.set_instance_count(count)
            self._set_opaque(k, bool(self.rows[first:first + count, ALPHA].min() >= 1.0))
            node.show()

    def _show_points(self, n: int) -> bool:
        """Copy the n instance rows to the points node; True when every vehicle is far enough to be a point
        (the eye is known and the nearest vehicle is beyond the point distance)."""
        if n == 0 or not math.isfinite(self.lod_distance):
            self.points.hide()
            return False
        self.point_rows.unclean_set_num_rows(n)
        np.frombuffer(memoryview(self.point_rows).cast("B"), np.float32).reshape(n, INSTANCE_FLOATS)[:] = \
            self.rows[:n]
        self.point_prim.clear_vertices()
        self.point_prim.add_consecutive_vertices(0, n)
        self.points.show()
        if self.camera is None:
            return False
        eye = self.camera.get_pos(self.root)
        d2 = np.square(self.rows[:n, :3] - np.array([eye.x, eye.y, eye.z], np.float32)).sum(axis=1)
        return bool(d2.min() > self.point_distance() ** 2)

    def point_distance(self) -> float:
        """Metres from the eye beyond which a vehicle is only a marker (rule 7); inf when never."""
        return self.lod_distance * LOD_PIXELS / POINT_PIXELS

    def _set_opaque(self, k: int, opaque: bool) -> None:
        """Draw type k without the fade's discard while none of its instances is fading (rule 4)."""
        if self.opaque[k] != opaque:
            self.opaque[k] = opaque
            if opaque:
                self.nodes[k].set_shader(opaque_shader())
            else:
                self.nodes[k].clear_shader()  # the root's vehicle_shader()

    def remove(self) -> None:
        self.root.remove_node()
