"""Base maps drawn on the terrain: one small textured mesh per quadtree leaf, under the model.

Rules this module keeps:
1. A Drape belongs to a Stage (its node sits under the stage's root, after the ground). Its modes are
   "imagery" (the scene's [basemap] source when it is imagery), "map" (the neutral map drawn from the
   model: basemap/neutral.py) and "none"; `cycle()` steps through those available (the window's I key).
2. Each leaf of the view's quadtree cut (basemap/drape.py) is one Geom laid on the drawn terrain, with the
   leaf's own texture, or meanwhile its nearest loaded ancestor's through a uv window (coarser parents while
   the fine tiles load). Geoms and textures are cached (at most MAX_TEXTURES textures, least recently used
   dropped first). A texture is RGB when its tile is opaque, RGBA only when it has transparent texels.
3. Depth: the drape is drawn with a depth offset of DEPTH_OFFSET, between the terrain's (-2, pushed back)
   and the roads and plates lying on it (0): it hides the bare ground and never a road.
4. Drawn unlit (imagery carries its own light) through a small shader (assets/shaders/basemap_drape.*,
   read by render/shader_files.py): saturation, brightness and opacity uniforms; with live layers on and
   dim_under_layers, DIM_SATURATION and DIM_BRIGHTNESS multiply them so energy colours and congestion stay
   readable on top. Fixed-function outputs get brightness only. The scene's daylight (render/lighting.py
   daylight(), set by the stage and the window's sun keys through set_daylight) scales the brightness, so the
   imagery darkens with the city at night.
5. The window calls `update()` every frame: it never waits (tiles arrive from net/tile_fetch.py's threads;
   at most UPLOADS_PER_FRAME textures are made per frame). Stills and videos call `settle()`: it waits,
   up to the config's `wait` seconds, until every tile the frame needs is loaded, empty or failed, so the
   frame is the same every time; failures give one warning line and the frame is drawn without them.
6. The attribution of the mode's source is shown on every output the drape draws on (render/hud.py
   Attribution); `release(output)` removes it before the output closes.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Any

import numpy as np
from panda3d.core import (
    Geom,
    GeomNode,
    GeomTriangles,
    GeomVertexData,
    GeomVertexFormat,
    NodePath,
    SamplerState,
    Shader,
    Texture,
    TextureStage,
    TransparencyAttrib,
    Vec4,
)

from viewer.basemap.drape import Placement, TerrainSurface, View, ancestor_window, select_tiles, tile_mesh
from viewer.basemap.mercator import Tile
from viewer.errors import CitiverseError
from viewer.render.bins import DRAPE_ORDER, draw_in_ground_bin
from viewer.render.shader_files import load_shader

log = logging.getLogger(__name__)

DEPTH_OFFSET = -1  # rule 3
MAX_TEXTURES = 384  # at most about 130 MB of tiles with mipmaps
MAX_GEOMS = 1024
UPLOADS_PER_FRAME = 8
DIM_SATURATION, DIM_BRIGHTNESS = 0.35, 0.8  # rule 4
MOVE_FRACTION = 0.02  # the window reselects when the camera moved this share of its distance to the ground


def drape_shader() -> Shader:
    """The drape's unlit program (rule 4): assets/shaders/basemap_drape.vert and .frag."""
    return load_shader("basemap_drape.vert", "basemap_drape.frag")


def view_of(camera: NodePath, lens: Any, size: tuple[int, int], world: NodePath) -> View:
    """The selection's View (basemap/drape.py) of a Panda3D camera and lens drawing `world`, at `size`."""
    cam_to_world = camera.get_mat(world)
    inverse = type(cam_to_world)(cam_to_world)
    inverse.invert_in_place()
    clip = inverse * lens.get_projection_mat()
    matrix = np.array([[clip.get_cell(i, j) for j in range(4)] for i in range(4)], np.float64)
    position = camera.get_pos(world)
    fov_y = float(lens.get_fov()[1])
    ppr = size[1] / 2.0 / np.tan(np.radians(fov_y) / 2.0)
    return View(np.array([position.x, position.y, position.z], np.float64), matrix, float(ppr))


class Drape:
    """Base maps on a stage's terrain (rules 1-6)."""

    def __init__(self, parent: NodePath, terrain: Any, frame: Any, config: Any, model: Any = None,
                 shaders: bool = True, fetch: Any = None) -> None:
        self.config, self.model, self.frame, self.shaders = config, model, frame, shaders
        self.fetch = fetch
        self.placement = Placement(frame)
        from viewer.render.terrain_mesh import TERRAIN_REACH

        self.surface = TerrainSurface(terrain, TERRAIN_REACH)
        self.root = parent.attach_new_node("basemap")
        self.root.set_depth_offset(DEPTH_OFFSET)
        self.root.set_two_sided(True)
        draw_in_ground_bin(self.root, DRAPE_ORDER)  # after the city, before the terrain (render/bins.py rule 1)
        self.root.set_light_off(1)
        if shaders:
            self.root.set_shader(drape_shader(), 1)
        self.live = False
        self.daylight = 1.0  # rule 4
        self.sources: dict[str, Any] = {}
        self.loaders: dict[str, Any] = {}
        self.textures: OrderedDict[tuple[str, Tile], Texture] = OrderedDict()
        self.geoms: OrderedDict[Tile, Geom] = OrderedDict()
        self.nodes: dict[Tile, tuple[NodePath, Tile]] = {}
        self.leaves: list[Tile] = []
        self.last_view: View | None = None
        self.outputs: dict[int, Any] = {}
        self.warned: set[str] = set()
        self.pending: list[tuple[Tile, np.ndarray | None]] = []  # finished tiles not yet made textures
        configured = self._open(config.source)
        self.modes = ["imagery", "map", "none"] if configured is not None and configured.kind == "imagery" \
            else ["map", "none"]
        if configured is not None:
            self.sources[configured.kind] = configured
        self.mode = configured.kind if configured is not None else "none"
        self._apply_look()

    # ------------------------------------------------------------ sources and modes

    def _open(self, spelling: str) -> Any:
        from viewer.basemap.sources import parse_source

        return parse_source(spelling, self.config.base, frame=self.frame, model=self.model,
                            attribution=self.config.attribution, crs=self.config.crs, layer=self.config.layer,
                            fetch=self.fetch, label="--basemap / [basemap] source")

    def source(self, mode: str | None = None) -> Any:
        mode = mode or self.mode
        if mode == "none":
            return None
        if mode not in self.sources and mode == "map":
            self.sources["map"] = self._open("map")
        return self.sources.get(mode)

    def loader(self) -> Any:
        from viewer.net.tile_fetch import TileLoader  # net/ is the only network code

        source = self.source()
        if source is None:
            return None
        if self.mode not in self.loaders:
            self.loaders[self.mode] = TileLoader(source)
        return self.loaders[self.mode]

    def set_mode(self, mode: str) -> None:
        if mode not in self.modes:
            raise CitiverseError(f"basemap mode {mode!r} is not available (available: {', '.join(self.modes)})")
        old = self.loaders.get(self.mode)
        for tile, _ in self.pending:  # dropped unseen: the loader must fetch them again when wanted
            if old is not None:
                old.forget(tile)
        self.mode = mode
        self.pending = []
        self._clear_nodes()
        self.last_view = None
        for attribution in self.outputs.values():
            attribution.set_text(self.attribution())

    def cycle(self) -> str:
        """Step to the next available mode (imagery -> map -> none -> ...); returns it."""
        self.set_mode(self.modes[(self.modes.index(self.mode) + 1) % len(self.modes)])
        return self.mode

    def attribution(self) -> str:
        source = self.source()
        return "" if source is None else str(source.attribution)

    def set_live(self, live: bool) -> None:
        """Live layers are shown (or not): dim the imagery under them (rule 4)."""
        self.live = live
        self._apply_look()

    def set_daylight(self, daylight: float) -> None:
        """The scene's light changed: scale the imagery's brightness by `daylight` (rule 4)."""
        self.daylight = float(daylight)
        self._apply_look()

    def look(self) -> tuple[float, float, float]:
        """(saturation, brightness, opacity) in force."""
        c = self.config
        saturation, brightness = c.saturation, c.brightness * self.daylight
        if self.live and c.dim_under_layers:
            saturation, brightness = saturation * DIM_SATURATION, brightness * DIM_BRIGHTNESS
        return saturation, brightness, c.opacity

    def _apply_look(self) -> None:
        saturation, brightness, opacity = self.look()
        if self.shaders:
            self.root.set_shader_input("look", (saturation, brightness, opacity))
        else:
            self.root.set_color_scale(brightness, brightness, brightness, opacity)
        if opacity < 1.0:
            self.root.set_transparency(TransparencyAttrib.M_alpha)
            self.root.set_depth_write(False)
        else:
            self.root.set_transparency(TransparencyAttrib.M_none)
            self.root.clear_depth_write()

    # ------------------------------------------------------------ per frame (window) and per still (offline)

    def wanted(self, view: View) -> list[Tile]:
        """The leaves for `view` and their ancestors down to the root zoom (fallbacks), coarse first."""
        source = self.source()
        if source is None:
            return []
        max_zoom = source.max_zoom if self.config.max_zoom is None else min(source.max_zoom, self.config.max_zoom)
        self.leaves = select_tiles(self.placement, self.surface.extent, (self.surface.lowest, self.surface.highest),
                                   view, min_zoom=source.min_zoom, max_zoom=max(max_zoom, source.min_zoom),
                                   tile_size=source.tile_size)
        root_zoom = min((t.z for t in self.leaves), default=0)
        wanted = dict.fromkeys(self.leaves)
        for leaf in self.leaves:
            parent = leaf.parent()
            while parent is not None and parent.z >= root_zoom:
                wanted[parent] = None
                parent = parent.parent()
        return sorted(wanted)

    def update(self, camera: NodePath, lens: Any, size: tuple[int, int], world: NodePath) -> bool:
        """The window's per-frame step (rule 5); True when every leaf shows its own tile."""
        loader = self.loader()
        if loader is None:
            return True
        view = view_of(camera, lens, size, world)
        if self._moved(view):
            self.last_view = view
            loader.request(self.wanted(view))
        self._take(loader.poll(), UPLOADS_PER_FRAME)
        self._warn_failures(loader)
        return self._show()

    def settle(self, camera: NodePath, lens: Any, size: tuple[int, int], world: NodePath,
               output: Any = None) -> bool:
        """Stills and videos (rule 5): wait for the tiles of this view, then show them; True when complete."""
        if output is not None:
            self.show_attribution(output)
        loader = self.loader()
        if loader is None:
            return True
        view = view_of(camera, lens, size, world)
        wanted = self.wanted(view)
        loader.request(wanted)
        complete = loader.wait(wanted, time.monotonic() + self.config.wait)
        self._take(loader.poll(), None)
        if not complete:
            self._warn_once("timeout", f"basemap: not every tile arrived within {self.config.wait:g} s "
                                       f"([basemap] wait); drawn without the missing ones")
        self._warn_failures(loader)
        return self._show() and complete

    def _moved(self, view: View) -> bool:
        last = self.last_view
        if last is None:
            return True
        distance = max(abs(float(view.position[2]) - self.surface.lowest), 1.0)
        moved = float(np.linalg.norm(view.position - last.position))
        return moved > MOVE_FRACTION * distance or not np.allclose(view.clip, last.clip, rtol=0.02, atol=0.02)

    def _warn_failures(self, loader: Any) -> None:
        if loader.stats.failures and "failures" not in self.warned:
            detail = f"server unreachable ({loader.dead})" if loader.dead else loader.stats.last_error
            self._warn_once("failures", f"basemap: some tiles of {self.source().name or 'the source'} could not "
                                        f"be loaded: {detail}; drawn without them")

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            log.warning(message)

    # ------------------------------------------------------------ textures and nodes

    def _take(self, done: list[tuple[Tile, np.ndarray | None]], limit: int | None) -> None:
        """Make textures of finished tiles (at most `limit`; the rest wait for the next frame)."""
        self.pending.extend(done)
        count = len(self.pending) if limit is None else min(limit, len(self.pending))
        taken, self.pending = self.pending[:count], self.pending[count:]
        for tile, image in taken:
            if image is not None:
                self._store(tile, image)

    def _store(self, tile: Tile, image: np.ndarray) -> None:
        texture = Texture(f"basemap-{tile.z}-{tile.x}-{tile.y}")
        size = image.shape[0]
        if image[..., 3].min() == 255:  # opaque, as most imagery is: a quarter less memory (rule 2)
            texture.setup_2d_texture(size, size, Texture.T_unsigned_byte, Texture.F_rgb8)
            texture.set_ram_image_as(np.ascontiguousarray(image[::-1, :, :3]).tobytes(), "RGB")  # rows bottom-up
        else:
            texture.setup_2d_texture(size, size, Texture.T_unsigned_byte, Texture.F_rgba8)
            texture.set_ram_image_as(np.ascontiguousarray(image[::-1]).tobytes(), "RGBA")
        texture.set_wrap_u(SamplerState.WM_clamp)
        texture.set_wrap_v(SamplerState.WM_clamp)
        # Bilinear in the nearest mipmap level: tiles are chosen at about a texel a pixel (basemap/drape.py), so
        # blending two levels buys little, and on llvmpipe texture sampling is most of the drape's cost.
        texture.set_minfilter(SamplerState.FT_linear_mipmap_nearest)
        texture.set_magfilter(SamplerState.FT_linear)
        key = (self.mode, tile)
        self.textures[key] = texture
        self.textures.move_to_end(key)
        while len(self.textures) > MAX_TEXTURES:
            (mode, old), _ = self.textures.popitem(last=False)
            if mode in self.loaders:
                self.loaders[mode].forget(old)

    def _texture_for(self, leaf: Tile) -> tuple[Tile, Texture] | None:
        """The leaf's own texture, else its nearest ancestor's (rule 2)."""
        tile: Tile | None = leaf
        while tile is not None:
            texture = self.textures.get((self.mode, tile))
            if texture is not None:
                self.textures.move_to_end((self.mode, tile))
                return tile, texture
            tile = tile.parent()
        return None

    def _show(self) -> bool:
        """Put the current leaves on screen; True when each has its own texture (or none exists)."""
        complete = True
        keep = set(self.leaves)
        for tile in [t for t in self.nodes if t not in keep]:
            self.nodes.pop(tile)[0].remove_node()
        loader = self.loaders.get(self.mode)
        for leaf in self.leaves:
            found = self._texture_for(leaf)
            if found is None or found[0] != leaf:
                complete = complete and loader is not None and loader.status(leaf) in ("empty", "failed")
            shown = self.nodes.get(leaf)
            if found is None:
                if shown is not None:
                    self.nodes.pop(leaf)[0].remove_node()
                continue
            if shown is not None and shown[1] == found[0]:
                continue
            if shown is not None:
                shown[0].remove_node()
            self.nodes[leaf] = (self._leaf_node(leaf, *found), found[0])
        return complete

    def _leaf_node(self, leaf: Tile, source_tile: Tile, texture: Texture) -> NodePath:
        node = GeomNode(f"basemap-{leaf.z}-{leaf.x}-{leaf.y}")
        node.add_geom(self._geom(leaf))
        path = self.root.attach_new_node(node)
        path.set_texture(texture)
        ox, oy, sx, sy = ancestor_window(leaf, source_tile)
        if self.shaders:
            path.set_shader_input("window", Vec4(ox, oy, sx, sy))
        else:
            path.set_tex_offset(TextureStage.get_default(), ox, oy)
            path.set_tex_scale(TextureStage.get_default(), sx, sy)
        return path

    def _geom(self, tile: Tile) -> Geom:
        geom = self.geoms.get(tile)
        if geom is None:
            geom = leaf_geom(*tile_mesh(self.placement, self.surface, tile))
            self.geoms[tile] = geom
            while len(self.geoms) > MAX_GEOMS:
                self.geoms.popitem(last=False)
        else:
            self.geoms.move_to_end(tile)
        return geom

    def _clear_nodes(self) -> None:
        for path, _ in self.nodes.values():
            path.remove_node()
        self.nodes.clear()

    # ------------------------------------------------------------ outputs, figures, cleanup

    def show_attribution(self, output: Any) -> None:
        """The credit line on `output` (rule 6), once per output."""
        from viewer.render.hud import Attribution

        if id(output) not in self.outputs:
            self.outputs[id(output)] = Attribution(output, self.attribution())

    def release(self, output: Any) -> None:
        attribution = self.outputs.pop(id(output), None)
        if attribution is not None:
            attribution.remove()

    def texture_bytes(self) -> int:
        """Bytes of imagery held in textures (RAM copies; the GPU holds the same plus mipmaps)."""
        return sum(t.get_x_size() * t.get_y_size() * t.get_num_components() for t in self.textures.values())

    def close(self) -> None:
        for loader in self.loaders.values():
            loader.close()
        for attribution in list(self.outputs.values()):
            try:
                attribution.remove()
            except Exception:  # noqa: BLE001 - the output may be gone already
                pass
        self.outputs.clear()
        self.root.remove_node()


def leaf_geom(vertices: np.ndarray, uv: np.ndarray, triangles: np.ndarray) -> Geom:
    """One Geom of a leaf mesh (basemap/drape.py tile_mesh), written from numpy through memoryview."""
    vdata = GeomVertexData("basemap", GeomVertexFormat.get_v3t2(), Geom.UH_static)
    vdata.unclean_set_num_rows(vertices.shape[0])
    rows = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), np.dtype([("v", "<f4", 3), ("t", "<f4", 2)]))
    rows["v"] = vertices
    rows["t"] = uv
    prim = GeomTriangles(Geom.UH_static)
    prim.set_index_type(Geom.NT_uint32)
    handle = prim.modify_vertices()
    handle.unclean_set_num_rows(triangles.size)
    np.frombuffer(memoryview(handle).cast("B"), np.uint32)[:] = triangles.reshape(-1)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    return geom


def make_drape(parent: NodePath, terrain: Any, frame: Any, config: Any, model: Any, shaders: bool) -> Drape:
    """A Drape whose WMTS capabilities URLs are fetched by net/tile_fetch.py."""
    from viewer.net.tile_fetch import fetch_document

    return Drape(parent, terrain, frame, config, model, shaders, fetch=fetch_document)
