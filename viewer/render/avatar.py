"""A procedural avatar (head, body, arms, legs, a visor that shows which way it faces) and name tags.

Rules this module keeps:
1. Geometry is built in numpy from a few primitives (tapered elliptic cylinders, an icosphere, boxes) and
   written into one Geom in one go through memoryview, with geometry.py's vertex layout; no per-vertex
   Python loop. Triangles are un-indexed and flat-shaded (each owns its vertices), which keeps a low-poly
   figure crisp and readable at a distance.
2. Lighting is baked into the vertex colours with the city's default Lighting, and the avatar is drawn
   unlit and without the city shader: it looks the same on every renderer (p3tinydisplay included) and
   wherever it is parented (the walk view, a meeting's participants).
3. Local frame: feet at the origin, z up, facing +y (Panda3D heading 0), about AVATAR_HEIGHT metres tall,
   so NodePath.set_pos(feet) and set_h(heading) place it. It fits inside the walker's collision cylinder
   (radius 0.3 m), so it never shows poking through a wall it stands against.
4. Name tags are TextNodes on a translucent card, billboarded toward the camera, drawn over the scene (a
   participant behind a wall can still be found); `tag_scale` keeps them legible far away.
5. Far away a figure becomes a marker (`avatar_marker`): a disc in the person's colour inside a white ring,
   billboarded, unlit (the colour is the person's colour exactly), drawn over the scene like the tags and
   under them, at least MARKER_FRACTION of the screen's height across. `far_look` says, for a distance and
   a field of view, how opaque the marker is (0 while the figure is over MARKER_SHOW_FRACTION of the
   screen's height, 1 under MARKER_FULL_FRACTION, smooth between), its diameter, and where the tag floats
   (above the marker). The figure is hidden once the marker is opaque.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from panda3d.core import Geom, GeomNode, GeomTriangles, GeomVertexData, NodePath, TextNode, TransparencyAttrib

from viewer.render.geometry import NO_OBJECT, VERTEX_DTYPE, vertex_format
from viewer.render.lighting import Lighting

AVATAR_HEIGHT = 1.78
TAG_HEIGHT = 2.05  # metres above the feet where a name tag floats
MARKER_Z = 1.0  # metres above the feet: the marker's centre (rule 5)
MARKER_SIZE = 0.9  # metres: its diameter up close ...
MARKER_FRACTION = 0.018  # ... and at least this fraction of the screen's height
MARKER_SHOW_FRACTION = 0.03  # the figure's height on screen below which the marker fades in ...
MARKER_FULL_FRACTION = 0.015  # ... and below which it is opaque and the figure hidden
MARKER_SEGMENTS = 24
SKIN = (0.93, 0.82, 0.70)
VISOR = (0.10, 0.12, 0.16)
Mesh = tuple[np.ndarray, np.ndarray]  # positions (n, 3) float64, triangles (m, 3) int64


def avatar_mesh(colour: tuple[float, float, float] = (0.20, 0.45, 0.85)) -> tuple[np.ndarray, np.ndarray]:
    """The figure as triangle corners (t, 3, 3) float32 and linear RGB per triangle (t, 3) float64."""
    body = np.asarray(colour, np.float64)
    legs = body * 0.55
    parts: list[tuple[Mesh, Any]] = [
        (_tapered((0.0, 0.0, 0.92), (0.0, 0.0, 1.44), (0.17, 0.11), (0.21, 0.12)), body),  # torso
        (_tapered((0.0, 0.0, 1.44), (0.0, 0.0, 1.50), (0.21, 0.12), (0.07, 0.06)), body),  # shoulders
        (_icosphere((0.0, 0.0, 1.63), 0.125), SKIN),  # head
        (_box((0.0, 0.085, 1.645), (0.17, 0.07, 0.055)), VISOR),  # visor: shows the facing
    ]
    for side in (-1.0, 1.0):
        parts += [
            (_tapered((0.095 * side, 0.0, 0.94), (0.095 * side, 0.0, 0.08), (0.075, 0.075), (0.055, 0.055)), legs),
            (_box((0.095 * side, 0.04, 0.04), (0.10, 0.22, 0.08)), legs * 0.7),  # foot
            (_tapered((0.235 * side, 0.0, 1.42), (0.255 * side, 0.02, 0.98), (0.05, 0.05), (0.042, 0.042)), body),
            (_icosphere((0.255 * side, 0.02, 0.95), 0.045), SKIN),  # hand
        ]
    corners = np.concatenate([p[t] for (p, t), _ in parts]).astype(np.float32)
    rgb = np.concatenate([np.tile(np.asarray(c, np.float64), (t.shape[0], 1)) for (_, t), c in parts])
    return corners, rgb


def make_avatar(parent: NodePath, colour: tuple[float, float, float] = (0.20, 0.45, 0.85),
                name: str = "avatar") -> NodePath:
    """An avatar NodePath under `parent` (see rules 2-3): one GeomNode, unlit, lighting baked."""
    corners, rgb = avatar_mesh(colour)
    normals = _face_normals(corners)
    shade = np.clip(rgb * Lighting().brightness(normals), 0.0, 1.0)
    node = GeomNode(name)
    node.add_geom(_geom(corners, normals, shade))
    avatar = parent.attach_new_node(node)
    avatar.set_light_off(1)
    avatar.set_shader_off(1)
    return avatar


def name_tag(parent: NodePath, text: str, colour: tuple[float, float, float] = (1.0, 1.0, 1.0),
             height: float = TAG_HEIGHT, scale: float = 0.22) -> NodePath:
    """A billboarded name tag `height` metres above `parent`'s origin, text `scale` metres tall, drawn over
    the scene. Returns the tag's NodePath (set_scale it with tag_scale to keep it legible far away)."""
    label = TextNode(f"tag-{text}")
    label.set_text(text)
    label.set_align(TextNode.A_center)
    label.set_text_color(*colour, 1.0)
    label.set_card_color(0.05, 0.06, 0.08, 0.6)
    label.set_card_as_margin(0.35, 0.35, 0.18, 0.12)
    label.set_card_decal(True)
    tag = parent.attach_new_node(label)
    tag.set_pos(0.0, 0.0, height)
    tag.set_scale(scale)
    tag.set_billboard_point_eye()
    tag.set_light_off(1)
    tag.set_shader_off(1)
    tag.set_transparency(TransparencyAttrib.M_alpha)
    tag.set_bin("fixed", 50)
    tag.set_depth_test(False)
    tag.set_depth_write(False)
    return tag


def tag_scale(distance: float, scale: float = 0.22, fov: float = 60.0, min_fraction: float = 0.025) -> float:
    """Text height (metres) for a tag `distance` metres from a camera with vertical `fov` degrees: its
    natural `scale`, grown when needed so the text stays at least min_fraction of the screen's height."""
    visible = 2.0 * max(distance, 0.0) * math.tan(math.radians(fov) / 2.0)
    return max(scale, visible * min_fraction)


def avatar_marker(parent: NodePath, colour: tuple[float, float, float], name: str = "marker") -> NodePath:
    """The far marker of rule 5 under `parent`, 1 m across (set_scale it to far_look's diameter), hidden."""
    node = GeomNode(name)
    node.add_geom(_disc_geom(colour))
    marker = parent.attach_new_node(node)
    marker.set_pos(0.0, 0.0, MARKER_Z)
    marker.set_billboard_point_eye()
    marker.set_light_off(1)
    marker.set_shader_off(1)
    marker.set_two_sided(True)
    marker.set_transparency(TransparencyAttrib.M_alpha)
    marker.set_bin("fixed", 49)  # under the tags (50)
    marker.set_depth_test(False)
    marker.set_depth_write(False)
    marker.hide()
    return marker


def far_look(distance: float, fov: float = 60.0, tag: float = 0.22) -> tuple[float, float, float]:
    """(marker opacity 0..1, marker diameter in metres, tag height above the feet in metres) for a figure
    `distance` metres from a camera of vertical `fov` degrees whose tag text is `tag` metres tall (rule 5)."""
    visible = 2.0 * max(distance, 1e-6) * math.tan(math.radians(fov) / 2.0)
    on_screen = AVATAR_HEIGHT / visible
    t = (MARKER_SHOW_FRACTION - on_screen) / (MARKER_SHOW_FRACTION - MARKER_FULL_FRACTION)
    t = min(max(t, 0.0), 1.0)
    opacity = t * t * (3.0 - 2.0 * t)
    diameter = max(MARKER_SIZE, visible * MARKER_FRACTION)
    tag_z = TAG_HEIGHT if opacity == 0.0 else max(TAG_HEIGHT, MARKER_Z + diameter / 2.0 + tag)
    return opacity, diameter, tag_z


def _disc_geom(colour: tuple[float, float, float]) -> Geom:
    """A disc of diameter 1 in the xz plane (facing -y): `colour` inside, a white ring outside."""
    a = np.linspace(0.0, 2.0 * math.pi, MARKER_SEGMENTS + 1)
    ring = np.stack([np.cos(a), np.zeros_like(a), np.sin(a)], 1)
    inner, outer = ring * 0.36, ring * 0.5
    fan = np.stack([np.zeros((MARKER_SEGMENTS, 3)), inner[:-1], inner[1:]], 1)
    band = np.concatenate([np.stack([inner[:-1], outer[:-1], outer[1:]], 1),
                           np.stack([inner[:-1], outer[1:], inner[1:]], 1)])
    corners = np.concatenate([fan, band]).astype(np.float32)
    rgb = np.concatenate([np.tile(np.asarray(colour, np.float64), (MARKER_SEGMENTS, 1)),
                          np.ones((2 * MARKER_SEGMENTS, 3))])
    normals = np.tile([0.0, -1.0, 0.0], (corners.shape[0], 1))
    return _geom(corners, normals, rgb)


# ---------------------------------------------------------------------------- primitives


def _tapered(p0: Any, p1: Any, r0: tuple[float, float], r1: tuple[float, float], segments: int = 12) -> Mesh:
    """A capped elliptic frustum from p0 to p1 (an upright-ish axis); r0, r1: (x, y) radii at each end."""
    p0, p1 = np.asarray(p0, np.float64), np.asarray(p1, np.float64)
    a = np.linspace(0.0, 2.0 * math.pi, segments, endpoint=False)
    ring = np.stack([np.cos(a), np.sin(a), np.zeros(segments)], 1)
    bottom = p0 + ring * [r0[0], r0[1], 0.0]
    top = p1 + ring * [r1[0], r1[1], 0.0]
    positions = np.concatenate([bottom, top, [p0, p1]])
    i = np.arange(segments)
    j = (i + 1) % segments
    s = segments
    sides = np.concatenate([np.stack([i, j, s + j], 1), np.stack([i, s + j, s + i], 1)])
    caps = np.concatenate([np.stack([np.full(s, 2 * s), j, i], 1), np.stack([np.full(s, 2 * s + 1), s + i, s + j], 1)])
    return positions, np.concatenate([sides, caps])


def _box(centre: Any, size: Any) -> Mesh:
    """An axis-aligned box (8 corners, 12 outward-wound triangles)."""
    c, half = np.asarray(centre, np.float64), np.asarray(size, np.float64) / 2.0
    corners = np.array([[x, y, z] for z in (-1, 1) for y in (-1, 1) for x in (-1, 1)], np.float64)
    faces = np.array([[0, 2, 1], [1, 2, 3], [4, 5, 6], [5, 7, 6], [0, 1, 4], [1, 5, 4],
                      [2, 6, 3], [3, 6, 7], [0, 4, 2], [2, 4, 6], [1, 3, 5], [3, 7, 5]])
    return c + corners * half, faces


def _icosphere(centre: Any, radius: float) -> Mesh:
    """An icosahedron subdivided once (80 faces), projected onto the sphere."""
    t = (1.0 + math.sqrt(5.0)) / 2.0
    v = np.array([[-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0], [0, -1, t], [0, 1, t], [0, -1, -t],
                  [0, 1, -t], [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1]], np.float64)
    f = np.array([[0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4],
                  [11, 10, 2], [10, 7, 6], [7, 1, 8], [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9],
                  [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1]])
    a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
    ab, bc, ca = (a + b) / 2, (b + c) / 2, (c + a) / 2
    tris = np.concatenate([np.stack(x, 1) for x in ((a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca))])
    points = tris.reshape(-1, 3)
    points = points / np.linalg.norm(points, axis=1, keepdims=True) * radius + np.asarray(centre, np.float64)
    return points, np.arange(points.shape[0]).reshape(-1, 3)


def _face_normals(corners: np.ndarray) -> np.ndarray:
    """Unit normal (t, 3) float64 per triangle of corners (t, 3, 3)."""
    c = corners.astype(np.float64)
    n = np.cross(c[:, 1] - c[:, 0], c[:, 2] - c[:, 0])
    length = np.linalg.norm(n, axis=1, keepdims=True)
    return n / np.where(length > 0, length, 1.0)


def _geom(corners: np.ndarray, normals: np.ndarray, rgb: np.ndarray) -> Geom:
    """One Geom of t un-indexed triangles: corners (t, 3, 3) float32, normals (t, 3), rgb (t, 3) in 0..1."""
    rows = corners.shape[0] * 3
    vdata = GeomVertexData("avatar", vertex_format(), Geom.UH_static)
    vdata.unclean_set_num_rows(rows)
    rec = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), dtype=VERTEX_DTYPE)
    rec["vertex"] = corners.reshape(-1, 3)
    rec["normal"] = np.repeat(normals, 3, axis=0)
    rgba = np.full((corners.shape[0], 4), 255, np.uint8)
    rgba[:, :3] = np.rint(rgb * 255.0)
    rec["color"] = np.repeat(rgba, 3, axis=0)
    rec["object"] = NO_OBJECT
    prim = GeomTriangles(Geom.UH_static)
    prim.set_nonindexed_vertices(0, rows)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    return geom
