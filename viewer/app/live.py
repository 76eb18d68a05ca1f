"""LiveLayers: the twin feed drawn over a city stage (vehicles, road congestion, building energy, HUD, picking).

    live = LiveLayers.attach(base, stage, scene, "ws://host:8765/")    # the window: a task, keys, clicks
    (viewer/app/live_headless.py builds them offscreen: live_view() for tests, stills, videos and the API,
    render_live_png() for `citiverse render --feed`; this module never imports it)

Rules this module keeps:
1. One frame (update()): drain the feed within `budget` seconds and apply every drained update to our own
   TwinState (vehicle positions mapped to local metres first, layers/position.py); recolour buildings and
   roads only when their tables changed (texels of the colour lookup textures, never the mesh: buildings
   in the city's, roads in the bands' of render/road_bands.py, so congestion is a band on the street and
   the street keeps its own colour around it); write every
   vehicle's instance at the render time (layers/clock.py); refresh the HUD text at most HUD_HZ times a
   second. Nothing here waits on the network.
2. Keys (scene `key` overrides the defaults): V vehicles, R roads, B buildings, K legends, F1 the keys
   overlay. A click (mouse button 1 released within CLICK_PIXELS of where it went down, so orbit drags are
   not clicks) picks through an id render (render/picking.py) and opens the panel; clicking nothing
   closes it. A picked vehicle is handed to `on_vehicle` (the window's follow mode).
3. Vehicles not updated for `remove_after` wall seconds are removed from the state (they have faded out
   long before, layers/vehicles.py rule 5); while the feed is stale all vehicles are ghosted.
4. Needs GLSL 3.30 (instancing and the colour lookup): on a GSG without it (p3tinydisplay) construction
   raises RenderError naming the reason.
5. The HUD's top line: in the window the feed status line (state, lag, updates/s, stale: for engineers);
   in videos and stills a caption (place, feed time, the layers shown), the status line only on request
   (LiveOptions.status_line). Hidden layers leave no text: no legend, no name in the caption.
6. Coverage: vehicles placed within the city's area (its bounds plus position.MARGIN), roads and buildings
   matched by id to an object of the scene, are counted by kind on the status line ("2,000 vehicles
   (0 placed)"); the first time a kind arrives and fewer than half of its entities can be shown (another
   city's feed, ids of another model) a warning names the kind, the counts and a few ids. A feed that
   draws nothing never goes unsaid.
7. A recording or a Source in the window (attach()) can pause, step, change speed and seek (app/feed_time.py):
   the view then draws at the feed's own pace (SourceFeed.view_time: exact at any speed, still while
   paused), paused wall time does not fade or expire vehicles, and a seek's reset snapshot replaces the
   vehicles outright (none glides from where it was before the jump). The building chart keeps its
   readings: it breaks at the jump (render/hud.py chart_runs).
8. Streamed tiles (app/tiles_scene.py attach_tiles leaves `tile_stages` and `tile_objects` on the stage) are
   coloured through the same lookup texture by their global object index (DESIGN rule 6): the tile roots
   draw with the LUT shader and are picked as the city; the tile objects get their own EntityLayers over
   tiles/objects.py's table, rebuilt when tiles bring new objects (at most every TILE_OBJECTS_EVERY s, on a
   background thread in the window: 50k objects take tens of ms; at once offline), and their texels are
   written when the feed or that table changed. A picked tile object's panel shows its
   readings and the attributes of the loaded tile that holds it.
9. Layers come from the registry (layers/registry.py): the scene's [layers] table makes the built-in three
   and any others (sensors, heatmap, plug-ins) through the one Layer interface (layers/base.py). Legends,
   caption names, keys, toggles and panels go through it for all of them; the layers beyond the three draw
   their drawables through render/layer_draw.py each frame at the render time and are picked through it
   (pick kind KIND_LAYER + slot). The entity kinds a v1.1 feed describes reach every layer (described()).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from direct.showbase.DirectObject import DirectObject

from viewer.app.base import supports_shaders
from viewer.app.live_feed import SourceFeed, feed_crs, open_feed
from viewer.app.live_rules import LiveRules
from viewer.errors import ConfigError, RenderError
from viewer.layers.base import Layer, LayerScene
from viewer.layers.builtin import with_badges
from viewer.layers.clock import RenderClock
from viewer.layers.drawables import ObjectColours
from viewer.layers.entities import EntityLayer
from viewer.layers.height import HeightField
from viewer.layers.picking import PickInfo, describe_object, describe_vehicle, utc_text
from viewer.layers.position import MARGIN, PositionMapper, localise_update
from viewer.layers.registry import build_layers, layer_types
from viewer.layers.vehicles import VehicleFrame
from viewer.nav.modes import VehiclePose
from viewer.render.colour_lut import ColourLut
from viewer.render.colour_lut import pick_shader as city_pick_shader
from viewer.render.geometry import cull_safe_triangles, set_back_face_culling
from viewer.render.hud import Hud
from viewer.render.layer_draw import LayerDrawers
from viewer.render.picking import KIND_CITY, KIND_LAYER, PICK_TAG, Picker
from viewer.render.road_bands import RoadBands
from viewer.render.vehicles import VehicleRenderer
from viewer.render.vehicles import pick_shader as vehicle_pick_shader
from viewer.render.vehicles import point_pick_shader as vehicle_point_pick_shader
from viewer.twin.state import TwinState

log = logging.getLogger(__name__)

LAYERS = ("vehicles", "roads", "buildings")
DEFAULT_KEYS = {"vehicles": "v", "roads": "r", "buildings": "b", "legends": "k", "help": "f1"}
HUD_HZ = 4.0
CLICK_PIXELS = 4.0
TILE_OBJECTS_EVERY = 0.5  # seconds between rebuilds of the streamed objects' layers (rule 8)


@dataclass
class LiveOptions:
    """visible: layer -> shown (overrides the scene); budget: seconds per frame for draining the feed."""

    visible: dict[str, bool] = field(default_factory=dict)
    legends: bool = True
    hud: bool = True
    budget: float = 0.004
    remove_after: float = 60.0
    ghost: float = 0.35
    status_line: bool | None = None  # rule 5; None: in the window yes, in videos and stills a caption
    only: bool = False  # `--layers` listed the shown ones: every layer not in `visible` is hidden
    rules: tuple[Any, ...] = ()  # rules beyond the scene's [[rules]] (api Scene.add_rule), app/live_rules.py

    @classmethod
    def from_cli(cls, layers: str | None = None, hud: bool = True, status_line: bool | None = None) -> LiveOptions:
        """Options from `--layers LIST` (comma-separated layer names or types, or "none"; None keeps the
        scene's) and `--status-line` (True; None leaves the default of rule 5)."""
        if layers is None:
            return cls(hud=hud, status_line=status_line)
        names = [n.strip() for n in layers.split(",") if n.strip()]
        known = [*LAYERS, *sorted(set(layer_types()) - set(LAYERS))]
        unknown = sorted(set(names) - set(known) - {"none"})
        if unknown or not names:
            raise ConfigError("--layers", "", f"expected a comma-separated list of {', '.join(known)} (or none), "
                                              f"got {layers!r}")
        shown = {name: name in names for name in LAYERS} | {name: True for name in names if name not in LAYERS}
        return cls(visible={k: v for k, v in shown.items() if k != "none"}, hud=hud, status_line=status_line,
                   only=True)

    def apply_visibility(self, layers: dict[str, Layer]) -> None:
        """Show and hide `layers` as these options say (a name or a layer type in `visible`)."""
        for name, layer in layers.items():
            shown = self.visible.get(name, self.visible.get(layer.settings.type))
            if shown is not None:
                layer.visible = bool(shown)
            elif self.only:
                layer.visible = False


@dataclass(frozen=True)
class Coverage:
    """Of `total` entities of `kind` in the state, `shown` are placed in the city's area (vehicles) or matched
    to an object of the scene (roads, buildings); `missing` holds a few ids that are not (rule 6)."""

    kind: str
    shown: int
    total: int
    missing: tuple[str, ...] = ()

    @property
    def verb(self) -> str:
        return "placed" if self.kind == "vehicle" else "matched"

    def text(self) -> str:
        """"2,000 vehicles (0 placed)" for the status line."""
        return f"{self.total:,} {self.kind}s ({self.shown:,} {self.verb})"

    def warning(self, scene: str) -> str:
        where = "within the area of" if self.kind == "vehicle" else "to an object of"
        ids = f" (e.g. {', '.join(repr(i) for i in self.missing)})" if self.missing else ""
        return (f"only {self.shown:,} of the feed's {self.total:,} {self.kind}s {self.verb} {where} {scene}"
                f"{ids}: is it the feed of another city or model?")


@dataclass
class FrameStats:
    """Milliseconds of our own CPU time in one update(), by step, and what it handled."""

    drain_ms: float = 0.0
    colour_ms: float = 0.0
    vehicles_ms: float = 0.0
    hud_ms: float = 0.0
    updates: int = 0
    vehicles: int = 0

    @property
    def total_ms(self) -> float:
        return self.drain_ms + self.colour_ms + self.vehicles_ms + self.hud_ms


class LiveLayers(DirectObject):
    """The layers of one scene fed by `feed` (rules above); `output`, `camera`, `lens` are the view's."""

    def __init__(self, base: Any, stage: Any, scene: Any, feed: Any, output: Any, camera: Any, lens: Any,
                 options: LiveOptions | None = None, clock: Callable[[], float] = time.monotonic, *,
                 on_vehicle: Callable[[str | None], None] | None = None) -> None:
        # (rule 8) streamed tiles of the stage, colored and picked as the city
        self.tile_stages: list[Any] = list(getattr(stage, "tile_stages", None) or [])
        self.tile_objects: Any = getattr(stage, "tile_objects", None)
        self.tile_entities: dict[str, EntityLayer] = {}
        self._tile_version, self._tile_at = -1, -math.inf
        self._tile_built: tuple[int, int, dict[str, EntityLayer]] | None = None  # from the builder thread
        self._tile_building = False
        self.tiles_every = TILE_OBJECTS_EVERY  # 0 offline: every frame sees every tile object (live_headless)
        super().__init__()
        if not supports_shaders(base):
            raise RenderError("the live layers need GLSL 3.30 (instancing, colour lookup); this OpenGL has none")
        self.base, self.stage, self.scene, self.feed = base, stage, scene, feed
        self.output, self.wall = output, clock
        self.options = options or LiveOptions()
        model = scene.model
        self.state = TwinState()
        self.heights = HeightField.from_model(model)
        self.mapper: PositionMapper | None = None
        # Rule 9: every layer of the scene from the registry, the built-in three first.
        self.layers = build_layers(scene.config, self._layer_scene())
        self.options.apply_visibility(self.layers)
        built_in = self.layers
        self.styles = {name: built_in[name].style for name in LAYERS}  # type: ignore[attr-defined]
        self.entities = {"building": built_in["buildings"].entities,  # type: ignore[attr-defined]
                         "road": built_in["roads"].entities}  # type: ignore[attr-defined]
        self.history = built_in["buildings"].history  # type: ignore[attr-defined]
        self.vehicles = built_in["vehicles"].vehicles  # type: ignore[attr-defined]
        self.legend_versions = -1
        self._kinds_seen: tuple[Any, ...] = ()
        self.clock = RenderClock(self.styles["vehicles"].config.delay)
        self.lut = ColourLut(len(model.objects))
        self.lut.attach(stage.city.root)
        for tiles in self.tile_stages:
            self.lut.attach(tiles.root)
            tiles.root.set_tag(PICK_TAG, "city")
        # One-sided with the LUT shader (render/geometry.py rule 6): half the city's raster work on llvmpipe.
        self.drawn_twice = set_back_face_culling(stage.city, model, cull_safe_triangles(model))
        # Congestion as a band along each road, the road's own colour around it (render/road_bands.py).
        self.bands = RoadBands(stage.city.root, model, self.entities["road"].members, len(model.objects))
        self.renderer = VehicleRenderer(stage.root, stage.lighting, self.vehicles.scale, lens=lens, output=output,
                                        camera=camera)
        stage.city.root.set_tag(PICK_TAG, "city")
        for node in [self.renderer.root, *self.renderer.nodes]:  # a type's own (opaque) shader yields too
            node.set_tag(PICK_TAG, "vehicles")
        self.renderer.points.set_tag(PICK_TAG, "vehicle-points")
        self.picker = Picker(base, base.render, camera, lens)
        self.picker.add_kind("city", city_pick_shader())
        self.picker.add_kind("vehicles", vehicle_pick_shader())
        self.picker.add_kind("vehicle-points", vehicle_point_pick_shader())
        self.drawers = LayerDrawers(stage.root, self.picker, list(self.layers)[len(LAYERS):])  # rule 9
        self._written: dict[str, ObjectColours] = {}
        self.hud = Hud(output) if self.options.hud else None
        self.frame: VehicleFrame | None = None
        self.had_vehicles = False  # whether the feed ever carried vehicles (their legend is shown from then on)
        self.selected: tuple[str, Any] | None = None
        self.on_vehicle = on_vehicle
        self.dirty = {"building": True, "road": True, "legends": True}
        self.show_legends, self.show_help = self.options.legends, False
        self.show_status = bool(self.options.status_line)  # attach() (the window) shows it unless told not to
        self.rules = LiveRules(self, (*scene.config.rules, *self.options.rules))  # rules and alerts
        self._legend_types: tuple[str, ...] = ()
        self._hud_at = -math.inf
        lo, hi = model.bounds()
        margin = MARGIN * np.maximum(hi[:2] - lo[:2], 100.0)
        self._area = (lo[:2] - margin, hi[:2] + margin)  # where a vehicle counts as placed (rule 6)
        self._coverage_checked: set[str] = set()
        self._expire_at = -math.inf
        self._press: tuple[float, float] | None = None
        self.picking = True  # False while the window's measure tool takes the clicks
        self.pace_by_feed = False  # rule 7: attach() sets it for a recording or a Source
        self.stats = FrameStats()
        self.feed.start()

    @classmethod
    def attach(cls, base: Any, stage: Any, scene: Any, feed: Any, options: LiveOptions | None = None,
               on_vehicle: Callable[[str | None], None] | None = None, **feed_options: Any) -> LiveLayers:
        """The layers in the window: feed is a URL, a recording path, a Source or a feed (live_feed.open_feed,
        feed_options: token, cafile, speed, loop); adds the frame task and binds keys and clicks. A picked
        vehicle (or None) goes to on_vehicle."""
        live = cls(base, stage, scene, open_feed(feed, **feed_options), base.win, base.cam, base.camLens, options,
                   on_vehicle=on_vehicle)
        live.show_status = live.options.status_line is not False
        live.pace_by_feed = isinstance(live.feed, SourceFeed)
        for name, key in live.keys().items():
            live.accept(key, live.toggle, [name])
        live.accept("mouse1", live._mouse_down)
        live.accept("mouse1-up", live._mouse_up)
        live.accept("window-event", live._resized)
        base.taskMgr.add(live._task, "citiverse-live-layers", sort=-10)
        return live

    # ------------------------------------------------------------ one frame

    def update(self, wall: float | None = None, drain: bool = True) -> FrameStats:
        """One frame's work (rule 1); returns its timings. drain=False: the caller moved the feed itself
        (a video in lock-step), so nothing is drained here."""
        wall = self.wall() if wall is None else wall
        stats = FrameStats()
        begin = time.perf_counter()
        items = self.feed.drain(self.options.budget) if drain else []
        # Rule 7: a paced recording draws at its own pace's time, and paused wall time is not ageing.
        paced = self.pace_by_feed and drain and isinstance(self.feed, SourceFeed)
        entity_wall = wall - self.feed.paused_seconds() if paced else wall
        self.ingest(items, entity_wall)
        if paced:
            self.clock.pin(self.feed.view_time(self.clock.delay))
        self.warn_coverage()
        stats.updates = len(items)
        mid = time.perf_counter()
        self.recolour()
        end = time.perf_counter()
        stats.vehicles = self.draw_vehicles(entity_wall)
        self.rules.follow_vehicles()
        self.draw_layers(entity_wall)
        after = time.perf_counter()
        self.refresh_hud(wall)
        stats.drain_ms, stats.colour_ms = (mid - begin) * 1e3, (end - mid) * 1e3
        stats.vehicles_ms, stats.hud_ms = (after - end) * 1e3, (time.perf_counter() - after) * 1e3
        self.stats = stats
        return stats

    def ingest(self, items: list[tuple[Any, bool]], wall: float) -> None:
        """Apply drained (update, reset) pairs to the state, vehicles mapped to local metres first."""
        if items:
            self._describe_kinds()
        for update, reset in items:
            if reset:
                self.clock.reset()
                if isinstance(self.feed, SourceFeed):  # a seek (rule 7): no vehicle glides from where it was
                    vehicles = self.state["vehicle"]
                    vehicles.remove_rows(np.arange(len(vehicles)))
            if "vehicle" in update.upserts:
                self.dirty["legends"] |= not self.had_vehicles
                self.had_vehicles = self.layers["vehicles"].had_vehicles = True  # type: ignore[attr-defined]
            update = localise_update(update, self._mapper(), self.heights)
            self.state.apply(update, wall, reset=reset)
            self.rules.observe()
            paces = "vehicle" in update.upserts or "vehicle" in update.removals
            self.clock.observe(update.time, wall, paces)
            if "building" in update.upserts:  # the panel's chart
                self.layers["buildings"].record(update.upserts["building"], update.time)  # type: ignore[attr-defined]
            for kind in ("building", "road"):
                self.dirty[kind] |= kind in update.upserts or kind in update.removals or update.snapshot

    def _layer_scene(self) -> LayerScene:
        """What the layers may know of the scene (layers/base.py LayerScene)."""
        model = self.scene.model

        def to_local(x: Any, y: Any) -> tuple[Any, Any]:
            return self._mapper().to_local(x, y)

        return LayerScene(self.scene.config.name, model.objects, model.bounds(), self.heights.at, to_local)

    def _describe_kinds(self) -> None:
        """Rule 9: the entity kinds the feed described (a v1.1 hello, or a Source's own) reach the layers."""
        kinds = feed_entity_kinds(self.feed)
        if kinds and kinds != self._kinds_seen:
            self._kinds_seen = kinds
            described = {kind.name: kind for kind in kinds}
            for layer in self.layers.values():
                layer.scene.kinds = described
                layer.described(described)
            self.dirty["legends"] = True

    def _mapper(self) -> PositionMapper:
        crs = feed_crs(self.feed)
        if self.mapper is None or self.mapper.crs != (crs or None):
            lo, hi = self.scene.model.bounds()
            self.mapper = PositionMapper(self.scene.frame, crs, lo, hi)
        return self.mapper

    def recolour(self) -> None:
        """Rewrite the texels of buildings and roads whose tables changed (entities.py rule 2): the layers'
        ObjectColours, written only when the layer made new ones (drawables.py rule 4)."""
        self._recolour_tiles(dict(self.dirty))
        for name in ("buildings", "roads"):
            for drawable in self.layers[name].draw(self.state, self.state.time):
                if isinstance(drawable, ObjectColours) and self._written.get(name) is not drawable:
                    self._written[name] = drawable
                    roads = drawable.target == "roads" and self.bands.node is not None
                    (self.bands.lut if roads else self.lut).write(drawable.members + drawable.base, drawable.rgba)
        for kind in ("building", "road"):
            self.dirty[kind] = False
        self._check_legends()

    def _check_legends(self) -> None:
        """The legends are redrawn when a layer's legend changed (an auto range widened)."""
        versions = sum(int(getattr(layer, "legend_version", 0)) for layer in self.layers.values())
        if versions != self.legend_versions:
            self.legend_versions = versions
            self.dirty["legends"] = True

    def draw_layers(self, wall: float) -> None:
        """Rule 9: the drawables of every layer beyond the built-in three, at the render time."""
        t = self.clock.now(wall)
        t = t if math.isfinite(t) else self.state.time
        for name in list(self.layers)[len(LAYERS):]:
            layer = self.layers[name]
            self.drawers.show(name, layer.draw(self.state, t) if layer.visible else [])
        self._check_legends()

    def _recolour_tiles(self, dirty: dict[str, bool]) -> None:
        """Rule 8: texels of the streamed tiles' objects."""
        objects = self.tile_objects
        if objects is None:
            return
        now = time.monotonic()
        fresh, self._tile_built = self._tile_built, None
        due = objects.version != self._tile_version and now - self._tile_at >= self.tiles_every
        if due and self.tiles_every <= 0:
            fresh = self._tile_layers()
        elif due and not self._tile_building:
            self._tile_at, self._tile_building = now, True
            threading.Thread(target=self._build_tile_layers, name="citiverse-tile-layers", daemon=True).start()
        grew = fresh is not None
        if fresh is not None:
            self._tile_version, count, self.tile_entities = fresh
            self.lut.grow(objects.base + count)
        for kind, layer in self.tile_entities.items():
            if (grew or dirty[kind]) and len(layer.objects):
                members, rgba, changed = layer.texels(self.state[kind])
                self.lut.write(members + objects.base, rgba)
                self.dirty["legends"] |= changed

    def _tile_layers(self) -> tuple[int, int, dict[str, EntityLayer]]:
        """(registry version, objects, the tile objects' EntityLayers) of rule 8."""
        version = self.tile_objects.version
        table = self.tile_objects.table()
        return version, len(table), {kind: EntityLayer(kind, table, self.entities[kind].style)
                                     for kind in ("building", "road")}

    def _build_tile_layers(self) -> None:
        try:
            self._tile_built = self._tile_layers()
        finally:
            self._tile_building = False

    def draw_vehicles(self, wall: float) -> int:
        """Write every vehicle at the render time into the instance texture; returns how many."""
        table = self.state["vehicle"]
        if wall >= self._expire_at:
            table.remove_rows(table.stale(wall, self.options.remove_after).nonzero()[0])
            self._expire_at = wall + 1.0
        ghost = self.options.ghost if self.feed.status().state == "stale" else 1.0
        memory = self.renderer.memory(len(table)) if len(table) or self.frame is None or self.frame.n else None
        if memory is None:
            return 0
        self.frame = self.layers["vehicles"].frame(  # type: ignore[attr-defined]
            table, self.clock.now(wall), wall, self.clock.newest, self.clock.period, memory, ghost)
        self.renderer.show(self.frame)
        self.dirty["legends"] |= self.vehicles.types_seen() != self._legend_types
        return self.frame.n

    def refresh_hud(self, wall: float, force: bool = False) -> None:
        self.rules.refresh_hud(force)
        if self.hud is None or (not force and wall - self._hud_at < 1.0 / HUD_HZ and not self.dirty["legends"]):
            return
        self._hud_at = wall
        if self.dirty["legends"]:
            self.hud.set_legends(self.legends() if self.show_legends else [])
            self.dirty["legends"] = False
        if self.show_status:
            self.hud.set_status(*self.status_line(wall))
        else:
            self.hud.set_caption(self.caption(wall))
        if self.selected is not None:
            self.hud.set_panel(self.describe(wall))

    def shown_layers(self) -> list[str]:
        """The visible layers that have something to show here, in LAYERS order."""
        def known(kind: str) -> bool:  # objects of this kind in the file or in the tiles seen (rule 8)
            tiles = self.tile_entities.get(kind)
            return len(self.entities[kind].objects) > 0 or (tiles is not None and len(tiles.objects) > 0)

        present = {"vehicles": self.had_vehicles,
                   "roads": known("road") and len(self.state["road"]) > 0,
                   "buildings": known("building") and len(self.state["building"]) > 0}
        return [name for name, layer in self.layers.items()
                if layer.visible and (present[name] if name in present else layer.present(self.state))]

    def legends(self) -> list[Any]:
        """The legends of the shown layers; the vehicle types only those the feed carried."""
        self._legend_types = self.vehicles.types_seen()
        found = (self.layers[name].legend(self.state) for name in self.shown_layers())
        return [legend for legend in found if legend is not None]

    def caption(self, wall: float) -> str:
        """Place, feed time and the layers shown (rule 5)."""
        t = self.clock.now(wall)
        when = utc_text(t) if abs(t) > 1e8 else f"t {t:.1f} s" if math.isfinite(t) else ""
        return "  |  ".join(part for part in (self.scene.config.name, when, ", ".join(self.shown_layers())) if part)

    def status_line(self, wall: float) -> tuple[str, str]:
        s = self.feed.status()
        t = self.clock.now(wall)
        when = utc_text(t) if abs(t) > 1e8 else f"t {t:.1f} s" if math.isfinite(t) else "no data yet"
        counts = "  |  ".join(c.text() for c in self.coverage() if c.kind == "vehicle" or c.total)
        text = (f"{s.state}  |  {when}  |  lag {s.lag_s:.2f} s  |  {s.updates_per_s:,.0f} updates/s  |  "
                f"stale {s.stale_count}  |  {counts}")
        return (text + (f"  |  {s.last_error[:60]}" if s.last_error else ""), s.state)

    def coverage(self, kinds: tuple[str, ...] = ("vehicle", "road", "building")) -> list[Coverage]:
        """How many entities of each kind the scene can show (rule 6), in the order of `kinds`."""
        out = []
        for kind in kinds:
            table = self.state[kind]
            if kind == "vehicle":
                (x0, y0), (x1, y1) = self._area
                x, y = table.column("x"), table.column("y")
                shown = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
            else:
                shown = self.entities[kind].row_ranks(table) >= 0
                if kind in self.tile_entities:  # rule 8: and the tile objects seen so far
                    shown |= self.tile_entities[kind].row_ranks(table) >= 0
            missing = table.live_ids()[~shown][:3]
            out.append(Coverage(kind, int(np.count_nonzero(shown)), len(table), tuple(str(i) for i in missing)))
        return out

    def warn_coverage(self) -> None:
        """Rule 6: once per kind, when it first has entities, warn if fewer than half can be shown."""
        new = tuple(k for k in ("vehicle", "road", "building")
                    if k not in self._coverage_checked and len(self.state[k])
                    and (k == "vehicle" or self.tile_objects is None))  # tiles: objects arrive as they load
        for c in self.coverage(new) if new else ():
            self._coverage_checked.add(c.kind)
            if c.shown * 2 < c.total:
                log.warning(c.warning(self.scene.config.name))

    # ------------------------------------------------------------ interaction

    def keys(self) -> dict[str, str]:
        keys = dict(DEFAULT_KEYS)
        keys.update({name: str(self.styles[name].config.key) for name in LAYERS if self.styles[name].config.key})
        taken = set(keys.values())
        for name, layer in list(self.layers.items())[len(LAYERS):]:  # rule 9: a key only if it is free
            if layer.settings.key and layer.settings.key not in taken:
                keys[name] = taken_key = layer.settings.key
                taken.add(taken_key)
        return keys

    def help_lines(self) -> list[str]:
        k = {name: key.upper() for name, key in self.keys().items()}
        others = [f"{k[name]}  {layer.help_line()}" for name, layer in list(self.layers.items())[len(LAYERS):]
                  if name in k]
        return [f"{k['vehicles']}  vehicles on / off", f"{k['roads']}  road congestion on / off",
                f"{k['buildings']}  building energy on / off", *others, f"{k['legends']}  legends on / off",
                *self.rules.help_lines(),
                f"{k['help']}  this list", "Click  a building, road, vehicle or sensor: its data (again on nothing: close)"]

    def toggle(self, name: str) -> None:
        """Show or hide a layer ("vehicles", "roads", "buildings"), the legends or the keys overlay."""
        if name == "legends":
            self.show_legends = not self.show_legends
        elif name == "help":
            self.show_help = not self.show_help
            if self.hud is not None:
                self.hud.set_help(self.help_lines() if self.show_help else None)
        else:
            self.layers[name].visible = not self.layers[name].visible
            self.dirty.update(building=True, road=True)
        self.dirty["legends"] = True

    def pick_at(self, px: float, py: float, wall: float | None = None) -> PickInfo | None:
        """Select what is drawn at pixel (px, py) of the output (None: nothing) and show it in the panel."""
        wall = self.wall() if wall is None else wall
        self.draw_vehicles(wall)  # the instances the id render draws are the ones `frame` describes
        size = (self.output.get_x_size(), self.output.get_y_size())
        hit = self.picker.pick(px, py, size)
        self.selected = None
        if hit is not None and hit.kind == KIND_CITY and hit.index >= len(self.scene.model.objects):
            self.selected = ("tile object", hit.index)  # rule 8
        elif hit is not None and hit.kind == KIND_CITY:
            self.selected = ("object", hit.index)
        elif hit is not None and hit.kind >= KIND_LAYER:
            found = self.drawers.picked(hit.kind, hit.index)  # rule 9: (layer name, what it drew there)
            self.selected = None if found is None else ("layer", found)
        elif hit is not None and self.frame is not None and hit.index < self.frame.n:
            row = int(self.frame.order[hit.index])
            self.selected = ("vehicle", str(self.state["vehicle"].live_ids()[row]))
        if self.on_vehicle is not None:
            self.on_vehicle(str(self.selected[1]) if self.selected and self.selected[0] == "vehicle" else None)
        info = self.describe(wall)
        if self.hud is not None:
            self.hud.set_panel(info)
        return info

    def close_panel(self) -> None:
        """Close the picking panel (its close button or Esc, app/tools.py): nothing stays selected."""
        self.selected = None
        if self.on_vehicle is not None:
            self.on_vehicle(None)
        if self.hud is not None:
            self.hud.set_panel(None)

    def describe(self, wall: float) -> PickInfo | None:
        """The panel of the current selection (None when nothing is selected or it has gone)."""
        if self.selected is None:
            return None
        kind, key = self.selected
        feed_now = self.clock.now(wall) if math.isfinite(self.clock.now(wall)) else self.state.time
        if kind == "object":
            info = describe_object(self.scene.model.objects, key, self.entities, self.state, feed_now, wall,
                                   self.history)
            return with_badges(info, self.layers)
        if kind == "tile object":
            return self._describe_tile_object(key, feed_now, wall)
        if kind == "layer":
            name, pick = key
            return self.layers[name].describe(pick, self.state, feed_now, wall)
        row = self.state["vehicle"].index.get(key)
        return None if row is None else with_badges(describe_vehicle(self.state["vehicle"], row, feed_now, wall),
                                                    self.layers)

    def _describe_tile_object(self, index: int, feed_now: float, wall: float) -> PickInfo | None:
        """Rule 8: the panel of a streamed tile's object, its attributes from the loaded tile holding it."""
        objects = self.tile_objects
        object_id = objects.id_of(index) if objects is not None else None
        if object_id is None:
            return None
        if objects.version != self._tile_version or not self.tile_entities:
            self._tile_built = self._tile_layers()  # a click: built now, not on the next frames
            self._recolour_tiles({"building": False, "road": False})
        table = objects.table()
        local = index - objects.base
        found = (t.attributes_of(object_id) for t in self.tile_stages)
        attributes: dict[str, Any] = next((a for a in found if a is not None), {})
        table.attributes[local] = attributes  # the snapshot's own list (tiles/objects.py rule 4)
        return describe_object(table, local, self.tile_entities, self.state, feed_now, wall, None)

    def vehicle_pose(self, vehicle: str) -> VehiclePose | None:
        """Where the vehicle was drawn in the last frame (for the window's follow mode); None when gone."""
        row = self.state["vehicle"].index.get(vehicle)
        drawn = None if row is None or self.frame is None or not self.frame.n else self.vehicles.instance(row)
        if drawn is None:
            return None
        x, y, z, heading = drawn
        return VehiclePose((x, y, z), heading)

    def _mouse_down(self) -> None:
        self._press = self._pointer()

    def _mouse_up(self) -> None:
        down, up, self._press = self._press, self._pointer(), None
        if down is not None and up is not None and math.dist(down, up) <= CLICK_PIXELS and self.picking:
            if self.hud is not None and self.hud.panel_close_hit(*self._hud_point(up)):
                return  # the panel's close button (app/tools.py closes it)
            if self.hud is not None and self.rules.click(*self._hud_point(up)):
                return  # the alerts panel (app/live_rules.py flies to the alert clicked)
            self.pick_at(*up)

    def _hud_point(self, pixel: tuple[float, float]) -> tuple[float, float]:
        assert self.hud is not None
        w, h = max(self.output.get_x_size(), 1), max(self.output.get_y_size(), 1)
        return (pixel[0] / w * 2 - 1) * self.hud.aspect, 1 - pixel[1] / h * 2

    def _pointer(self) -> tuple[float, float] | None:
        watcher = getattr(self.base, "mouseWatcherNode", None)
        if watcher is None or not watcher.has_mouse():
            return None
        m = watcher.get_mouse()
        w, h = self.output.get_x_size(), self.output.get_y_size()
        return ((m.x + 1) / 2 * w, (1 - m.y) / 2 * h)

    def _resized(self, window: Any = None) -> None:
        if self.hud is not None and self.output.get_y_size() > 0:
            self.hud.set_aspect(self.output.get_x_size() / self.output.get_y_size())

    def advance_replay(self, target: float, wall: float) -> None:
        """Offline (a video): apply every update of the replayed feed (a SourceFeed) at or before feed time
        `target`, and none later."""
        self.ingest(self.feed.advance_through(target, count=True), wall)

    def draw_replay_at(self, target: float, wall: float) -> None:
        """One offline frame at feed time `target`: what is due applied, the render clock pinned there
        (vehicles one render delay behind, once the feed has any), the layers and the HUD redrawn. The feed
        moves only here, never by its own pace."""
        self.advance_replay(target, wall)
        self.clock.pin(target - self.clock.delay if self.had_vehicles else target)
        self.update(wall, drain=False)
        self.refresh_hud(wall, force=True)

    def _task(self, task: Any) -> Any:
        self.update()
        return task.cont

    def detach(self) -> None:
        """Unbind, stop the feed and remove every node this added (the stage gets its plain shader back)."""
        self.ignore_all()
        self.base.taskMgr.remove("citiverse-live-layers")
        self.feed.stop()
        self.stage.city.root.clear_tag(PICK_TAG)
        for tiles in self.tile_stages:
            tiles.root.clear_tag(PICK_TAG)
            self.lut.detach(tiles.root, self.stage.lighting)
        set_back_face_culling(self.stage.city, self.scene.model, None)  # the plain shader draws two-sided
        self.lut.detach(self.stage.city.root, self.stage.lighting)
        self.renderer.remove()
        self.drawers.remove()
        self.rules.remove()
        self.bands.remove()
        self.picker.remove()
        if self.hud is not None:
            self.hud.remove()


def feed_entity_kinds(feed: Any) -> tuple[Any, ...]:
    """The generic entity kinds (twin/kinds.py) a feed described: its hello's (a URL, a recording) or its
    Source's `entity_kinds`; () for a v1 feed."""
    source = getattr(feed, "source", None)
    for holder in (feed, source):
        hello = getattr(holder, "hello", None)
        described = getattr(hello, "entity_kinds", None)
        if described:
            return tuple(described)
    own = getattr(source, "entity_kinds", None) or getattr(feed, "entity_kinds", None)
    return tuple(own) if own else ()
