"""The shadow-hours overlay: a shadow study's hours of sun (layers/shadow_study.py Study) drawn on the ground.

Rules this module keeps:
1. One textured mesh over the study's area, draped on the ground (the stage's terrain heights at a coarse
   grid of at most DRAPE_CELLS a side, LIFT metres up and drawn after the ground with a depth offset, so it
   neither z-fights with the ground or the base map nor floats visibly). One texel per study cell, nearest
   filtering: each cell shows its own hours.
2. Unlit, unhazed and opaque: the pixel is the legend's colour (layers/shadow_study.py RAMP, the same ramp
   as `citiverse shadow`'s picture), whatever the sun or the look. Buildings hide it where they stand.
3. legend() is the overlay's ramp as a render/hud.py Legend (0 to the study's whole span of hours).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from panda3d.core import (
    Geom,
    GeomNode,
    GeomTriangles,
    GeomVertexData,
    GeomVertexFormat,
    GeomVertexWriter,
    NodePath,
    SamplerState,
    Texture,
)

from viewer.layers.shadow_study import Study, colours
from viewer.layers.styles import Legend, fmt

DRAPE_CELLS = 96
LIFT = 0.15  # metres above the ground
DEPTH_OFFSET = 2


def hours_image(study: Study) -> np.ndarray:
    """(ny, nx, 4) uint8 RGBA of the study's hours, row 0 the north row (rule 2: opaque)."""
    rgb = colours(study.hours, study.total_hours)
    return np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, np.uint8)], axis=2)


def legend(study: Study, title: str) -> Legend:
    """Rule 3: the ramp from 0 to the study's span, ticks at its ends and middle."""
    full = float(study.total_hours)
    ramp = np.concatenate([colours(np.linspace(0.0, full, 256), full), np.full((256, 1), 255, np.uint8)], axis=1)
    return Legend(title, "h of sun", "ramp", ramp, ("0", fmt(full / 2), fmt(full)), (0.0, 0.5, 1.0))


def make_overlay(parent: NodePath, study: Study, height_at: Any) -> NodePath:
    """The overlay's node under `parent`; `height_at(xs, ys)` gives the ground's heights (numpy arrays)."""
    x0, y0, x1, y1 = study.grid.area
    n = int(min(DRAPE_CELLS, max(study.grid.nx, study.grid.ny)))
    xs, ys = np.meshgrid(np.linspace(x0, x1, n + 1), np.linspace(y0, y1, n + 1))
    zs = np.asarray(height_at(xs.ravel(), ys.ravel()), np.float64).reshape(xs.shape) + LIFT
    data = GeomVertexData("shadow-hours", GeomVertexFormat.get_v3t2(), Geom.UH_static)
    data.unclean_set_num_rows((n + 1) * (n + 1))
    vertex, uv = GeomVertexWriter(data, "vertex"), GeomVertexWriter(data, "texcoord")
    for x, y, z in zip(xs.ravel(), ys.ravel(), zs.ravel(), strict=True):
        vertex.add_data3(float(x), float(y), float(z))
        uv.add_data2(float((x - x0) / (x1 - x0)), float((y - y0) / (y1 - y0)))
    triangles = GeomTriangles(Geom.UH_static)
    corners = (np.arange(n)[None, :] + (n + 1) * np.arange(n)[:, None]).ravel()
    quads = np.stack([corners, corners + 1, corners + n + 2, corners, corners + n + 2, corners + n + 1], axis=1)
    triangles.set_index_type(Geom.NT_uint32)
    handle = triangles.modify_vertices()
    handle.unclean_set_num_rows(quads.size)
    memoryview(handle).cast("B")[:] = quads.astype(np.uint32).tobytes()
    geom = Geom(data)
    geom.add_primitive(triangles)
    node = GeomNode("shadow-hours")
    node.add_geom(geom)
    overlay = parent.attach_new_node(node)
    overlay.set_texture(hours_texture(study))
    overlay.set_shader_off(10)  # rule 2: no city shader, no haze
    overlay.set_light_off(10)
    overlay.set_two_sided(True)
    overlay.set_depth_offset(DEPTH_OFFSET)
    overlay.set_bin("fixed", 5)  # after the ground and the base map
    return overlay


def hours_texture(study: Study) -> Texture:
    """The hours as a texture, row 0 at the south (Panda's t = 0), nearest-filtered (rule 1)."""
    image = hours_image(study)[::-1]  # north row first -> south row first
    texture = Texture("shadow-hours")
    ny, nx = image.shape[:2]
    texture.setup_2d_texture(nx, ny, Texture.T_unsigned_byte, Texture.F_rgba8)
    texture.set_ram_image(np.ascontiguousarray(image[:, :, [2, 1, 0, 3]]).tobytes())  # Panda keeps BGRA
    texture.set_minfilter(SamplerState.FT_nearest)
    texture.set_magfilter(SamplerState.FT_nearest)
    texture.set_wrap_u(SamplerState.WM_clamp)
    texture.set_wrap_v(SamplerState.WM_clamp)
    return texture
