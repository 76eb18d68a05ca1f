"""LayerDrawers: the drawables of layers/drawables.py turned into Panda3D nodes, one set per layer.

Rules this module keeps:
1. DRAWERS maps a drawable type to the function that (re)builds its node: a new primitive is one entry.
   Each layer has a root under the stage; each of its drawables one node, rebuilt only when the layer hands
   over a different object (drawables rule 4: the same object means unchanged), removed when it stops
   handing one over. ObjectColours and VehicleInstances belong to the built-in layers (app/live.py).
2. Geometry is written from numpy through memoryview in one go (DESIGN rule 3): all columns of a layer are
   one Geom (geometry.VERTEX_DTYPE, the `object` column holding the row for picking), a ground overlay one
   indexed grid Geom with its texture. Labels are TextNodes (a few hundred at most: Labels.limit), drawn
   over everything (no depth test) so a sensor's value is read even behind a building.
3. Picking: a layer's nodes are tagged PICK_TAG "layer" (columns) or "layer-overlay" (ground overlays) and
   carry u_pick_kind = KIND_LAYER + the layer's slot, so an id render says which layer and which row or
   texel (render/picking.py); picked() maps that back to (layer name, the pick of drawables rule 3).
4. Columns are lit by a fixed light from the south-west above (the sun of the stage is for the city); the
   overlay is unlit, blended over the ground with its alpha and a depth offset so it never flickers in it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
from panda3d.core import (
    BoundingBox,
    Geom,
    GeomEnums,
    GeomNode,
    GeomTriangles,
    GeomVertexArrayFormat,
    GeomVertexData,
    GeomVertexFormat,
    NodePath,
    Point3,
    SamplerState,
    Shader,
    TextNode,
    Texture,
    TransparencyAttrib,
)

from viewer.layers.drawables import Columns, Drawable, GroundOverlay, Labels
from viewer.render.geometry import VERTEX_DTYPE, make_geom, vertex_format
from viewer.render.picking import KIND_LAYER, PICK_TAG
from viewer.render.shader_files import load_shader


@functools.cache
def column_shader() -> Shader:
    return load_shader("layer_column.vert", "layer_column.frag")


@functools.cache
def pick_shader() -> Shader:
    return load_shader("layer_pick.vert", "layer_pick.frag")


@functools.cache
def overlay_shader() -> Shader:
    return load_shader("layer_overlay.vert", "layer_overlay.frag")


@functools.cache
def overlay_pick_shader() -> Shader:
    return load_shader("layer_overlay.vert", "layer_overlay_pick.frag")


# ------------------------------------------------------------------ shapes

def _box() -> tuple[np.ndarray, np.ndarray]:
    """A unit column's corners (24, 3) (x, y in -1..1, z in 0..1, four per face, no bottom) and normals."""
    faces = [((0, 0, 1), [(-1, -1, 1), (1, -1, 1), (1, 1, 1), (-1, 1, 1)]),
             ((0, -1, 0), [(-1, -1, 0), (1, -1, 0), (1, -1, 1), (-1, -1, 1)]),
             ((1, 0, 0), [(1, -1, 0), (1, 1, 0), (1, 1, 1), (1, -1, 1)]),
             ((0, 1, 0), [(1, 1, 0), (-1, 1, 0), (-1, 1, 1), (1, 1, 1)]),
             ((-1, 0, 0), [(-1, 1, 0), (-1, -1, 0), (-1, -1, 1), (-1, 1, 1)])]
    quads = np.array([corners for _, corners in faces], np.float32)  # (5, 4, 3)
    normals = np.repeat(np.array([n for n, _ in faces], np.float32)[:, None, :], 4, axis=1)
    tris = quads[:, [0, 1, 2, 0, 2, 3]].reshape(-1, 3)
    return tris, normals[:, [0, 1, 2, 0, 2, 3]].reshape(-1, 3)


def _sphere(rings: int = 6, segments: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """A unit sphere's triangles (k, 3) and normals (the same points): a low-poly UV sphere."""
    theta = np.linspace(0, np.pi, rings + 1)
    phi = np.linspace(0, 2 * np.pi, segments + 1)
    grid = np.stack([np.sin(theta)[:, None] * np.cos(phi), np.sin(theta)[:, None] * np.sin(phi),
                     np.cos(theta)[:, None] * np.ones_like(phi)], axis=-1).astype(np.float32)
    a, b = grid[:-1, :-1], grid[:-1, 1:]
    c, d = grid[1:, 1:], grid[1:, :-1]
    tris = np.stack([a, d, c, a, c, b], axis=2).reshape(-1, 3)
    return tris, tris.copy()


_SHAPES = {"column": _box(), "sphere": _sphere()}


def columns_geom(d: Columns) -> Geom | None:
    """One Geom of every column or sphere (rule 2); None when there is nothing to draw."""
    shown = np.flatnonzero(d.rgba[:, 3] > 0) if len(d.ids) else np.zeros(0, np.int64)
    if shown.size == 0:
        return None
    unit, normals = _SHAPES[d.shape]
    k = unit.shape[0]
    base = d.base[shown].astype(np.float32)
    height = np.maximum(d.height[shown].astype(np.float32), 0.1)
    r = np.float32(d.radius)
    if d.shape == "sphere":
        centre = base + np.stack([np.zeros_like(height), np.zeros_like(height), height], axis=1)
        corners = centre[:, None, :] + unit[None] * r
    else:
        scale = np.stack([np.full_like(height, r), np.full_like(height, r), height], axis=1)
        corners = base[:, None, :] + unit[None] * scale[:, None, :]
    rows = shown.size * k
    vdata = GeomVertexData("layer-columns", vertex_format(False), Geom.UH_static)
    vdata.unclean_set_num_rows(rows)
    rec = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), dtype=VERTEX_DTYPE)
    rec["vertex"] = corners.reshape(-1, 3)
    rec["normal"] = np.tile(normals, (shown.size, 1))
    rec["color"] = np.repeat(d.rgba[shown], k, axis=0)
    rec["object"] = np.repeat(shown.astype(np.uint32), k)
    flat = corners.reshape(-1, 3)
    return make_geom(vdata, rows, np.array([flat.min(axis=0), flat.max(axis=0)], np.float32))


@functools.cache
def _overlay_format() -> GeomVertexFormat:
    array = GeomVertexArrayFormat()
    array.add_column("vertex", 3, Geom.NT_float32, Geom.C_point)
    array.add_column("texcoord", 2, Geom.NT_float32, Geom.C_texcoord)
    return GeomVertexFormat.register_format(array)


def overlay_geom(d: GroundOverlay) -> Geom:
    """The overlay's mesh: d.heights' (h + 1) x (w + 1) vertices at the ground heights + lift, uv over the
    whole image (the mesh's resolution is the ground's, not the image's)."""
    h, w = d.heights.shape[0] - 1, d.heights.shape[1] - 1
    x0, y0, x1, y1 = d.extent
    xs, ys = np.linspace(x0, x1, w + 1, dtype=np.float32), np.linspace(y0, y1, h + 1, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    rows = (h + 1) * (w + 1)
    vdata = GeomVertexData("layer-overlay", _overlay_format(), Geom.UH_static)
    vdata.unclean_set_num_rows(rows)
    rec = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), np.float32).reshape(rows, 5)
    rec[:, 0], rec[:, 1] = gx.reshape(-1), gy.reshape(-1)
    rec[:, 2] = (d.heights.astype(np.float32) + np.float32(d.lift)).reshape(-1)
    u, v = np.meshgrid(np.linspace(0, 1, w + 1, dtype=np.float32), np.linspace(0, 1, h + 1, dtype=np.float32))
    rec[:, 3], rec[:, 4] = u.reshape(-1), v.reshape(-1)
    corner = (np.arange(h)[:, None] * (w + 1) + np.arange(w)[None, :]).reshape(-1).astype(np.uint32)
    quads = np.stack([corner, corner + 1, corner + w + 2, corner, corner + w + 2, corner + w + 1], axis=1)
    prim = GeomTriangles(Geom.UH_static)
    prim.set_index_type(GeomEnums.NT_uint32)
    handle = prim.modify_vertices()
    handle.unclean_set_num_rows(quads.size)
    np.frombuffer(memoryview(handle).cast("B"), np.uint32)[:] = quads.reshape(-1)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    z = rec[:, 2]
    geom.set_bounds(BoundingBox(Point3(x0, y0, float(z.min())), Point3(x1, y1, float(z.max()))))
    return geom


def overlay_texture(rgba: np.ndarray) -> Texture:
    """An RGBA texture of the overlay image (row 0 south), nearest texels (the values, not a blur)."""
    h, w = rgba.shape[:2]
    tex = Texture("layer-overlay")
    tex.setup_2d_texture(w, h, Texture.T_unsigned_byte, Texture.F_rgba8)
    tex.set_ram_image(np.ascontiguousarray(rgba[..., [2, 1, 0, 3]]).tobytes())  # Panda3D keeps BGRA
    tex.set_minfilter(SamplerState.FT_linear)
    tex.set_magfilter(SamplerState.FT_linear)
    tex.set_wrap_u(SamplerState.WM_clamp)
    tex.set_wrap_v(SamplerState.WM_clamp)
    return tex


# ------------------------------------------------------------------ drawers

def _draw_columns(parent: NodePath, d: Columns, kind: int) -> NodePath:
    node = GeomNode("layer-columns")
    geom = columns_geom(d)
    if geom is not None:
        node.add_geom(geom)
    path = parent.attach_new_node(node)
    path.set_shader(column_shader())
    path.set_tag(PICK_TAG, "layer")
    path.set_shader_input("u_pick_kind", float(kind))
    return path


def _draw_labels(parent: NodePath, d: Labels, kind: int) -> NodePath:
    root = parent.attach_new_node("layer-labels")
    colour = tuple(float(c) / 255.0 for c in d.rgba.tolist())
    for xyz, content in zip(d.anchor[:d.limit].tolist(), d.texts[:d.limit], strict=False):
        text = TextNode("layer-label")
        text.set_text(content)
        text.set_align(TextNode.A_center)
        text.set_text_color(*colour)
        text.set_card_color(0.05, 0.05, 0.08, 0.65)
        text.set_card_as_margin(0.2, 0.2, 0.1, 0.1)
        text.set_card_decal(True)
        label = root.attach_new_node(text)
        label.set_pos(*xyz)
        label.set_scale(d.size)
        label.set_billboard_point_eye()
    root.set_depth_test(False)  # a sensor's label stays readable behind a building (rule 2)
    root.set_depth_write(False)
    root.set_bin("fixed", 0)
    root.set_light_off(1)
    root.set_shader_off(1)
    root.set_transparency(TransparencyAttrib.M_alpha)
    return root


def _draw_overlay(parent: NodePath, d: GroundOverlay, kind: int) -> NodePath:
    node = GeomNode("layer-overlay")
    node.add_geom(overlay_geom(d))
    path = parent.attach_new_node(node)
    path.set_texture(overlay_texture(d.rgba))
    path.set_shader(overlay_shader())
    path.set_transparency(TransparencyAttrib.M_alpha)
    path.set_depth_write(False)
    path.set_depth_offset(3)
    path.set_bin("transparent", 0)
    path.set_two_sided(True)
    path.set_tag(PICK_TAG, "layer-overlay")
    path.set_shader_input("u_pick_kind", float(kind))
    return path


DRAWERS: dict[type, Callable[[NodePath, Any, int], NodePath]] = {
    Columns: _draw_columns,
    Labels: _draw_labels,
    GroundOverlay: _draw_overlay,
}


class LayerDrawers:
    """The nodes of the layers named `names` (slots in that order) under `parent` (rules above)."""

    def __init__(self, parent: NodePath, picker: Any, names: list[str]) -> None:
        self.root = parent.attach_new_node("citiverse-layers")
        self.names = list(names)
        self.roots = {name: self.root.attach_new_node(f"layer-{name}") for name in self.names}
        self.nodes: dict[tuple[str, int], tuple[Drawable, NodePath]] = {}
        self.drawn: dict[str, list[Drawable]] = {name: [] for name in self.names}
        if picker is not None:
            picker.add_kind("layer", pick_shader())
            picker.add_kind("layer-overlay", overlay_pick_shader())

    def kind_of(self, name: str) -> int:
        return KIND_LAYER + self.names.index(name)

    def show(self, name: str, drawables: list[Drawable]) -> None:
        """Draw these drawables of layer `name` (only what changed is rebuilt: rule 1)."""
        self.drawn[name] = list(drawables)
        for slot, drawable in enumerate(drawables):
            held = self.nodes.get((name, slot))
            if held is not None and held[0] is drawable:
                continue
            if held is not None:
                held[1].remove_node()
            drawer = DRAWERS.get(type(drawable))
            if drawer is None:
                raise TypeError(f"layer {name!r} returned a {type(drawable).__name__}, which no drawer draws")
            self.nodes[(name, slot)] = (drawable, drawer(self.roots[name], drawable, self.kind_of(name)))
        for key in [k for k in self.nodes if k[0] == name and k[1] >= len(drawables)]:
            self.nodes.pop(key)[1].remove_node()

    def picked(self, kind: int, index: int) -> tuple[str, Any] | None:
        """(layer name, pick) of an id render's hit (rule 3); None when it is not one of these layers'."""
        slot = kind - KIND_LAYER
        if not 0 <= slot < len(self.names):
            return None
        name = self.names[slot]
        for drawable in self.drawn[name]:
            if isinstance(drawable, Columns) and 0 <= index < len(drawable.ids):
                return name, str(drawable.ids[index])
            if isinstance(drawable, GroundOverlay) and 0 <= index < drawable.rgba.shape[0] * drawable.rgba.shape[1]:
                return name, index
        return None

    def remove(self) -> None:
        self.root.remove_node()
        self.nodes.clear()
