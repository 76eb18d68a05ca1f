"""The three built-in layers on the Layer interface: vehicles, roads (congestion), buildings (energy).

Rules this module keeps:
1. Their configuration stays the typed config.LayerConfig of [layers.vehicles|roads|buildings] (the options
   of docs/layers.md), passed in LayerSettings.options["style"]; their colours are styles.LayerStyle's.
2. Roads and buildings colour scene objects through the lookup texture (ObjectColours, entities.py rule 2):
   draw() returns new texels only when the kind's table, the visibility or the overrides changed, and the
   same drawable otherwise (drawables rule 4). The target of roads is the congestion bands.
3. Vehicles draw through their own instanced renderer (render/vehicles.py): interpolation needs the
   renderer's instance memory and the render clock, which app/live.py owns, so VehiclesLayer.frame() writes
   a VehicleFrame there and draw() returns nothing; everything else (legend, panel, key, visibility,
   overrides) goes through the interface as for any layer.
4. Overrides (base.py rule 4) on roads and buildings replace the colour of every member of the entity;
   on vehicles, the vehicle's instance colour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from viewer.layers.base import Layer, LayerScene, LayerSettings
from viewer.layers.drawables import Drawable, ObjectColours
from viewer.layers.entities import EntityLayer, ReadingHistory
from viewer.layers.picking import PickInfo
from viewer.layers.registry import register
from viewer.layers.styles import LayerStyle, Legend
from viewer.layers.vehicles import VehicleFrame, VehicleLayer
from viewer.twin.state import TwinState


class _ObjectLayer(Layer):
    """A v1 kind bound to scene objects by id (roads, buildings)."""

    kind = ""
    target = "city"

    def __init__(self, settings: LayerSettings, scene: LayerScene) -> None:
        super().__init__(settings, scene)
        self.style = LayerStyle(self.type_name, settings.options["style"])
        self.style.visible = self.visible
        self.entities = EntityLayer(self.kind, scene.objects, self.style)
        self.legend_version = 0
        self._drawn: tuple[Any, ...] | None = None
        self._colours: ObjectColours | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,)

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, shown: bool) -> None:
        self._visible = shown
        if hasattr(self, "style"):
            self.style.visible = shown

    def present(self, state: TwinState) -> bool:
        return len(self.entities.objects) > 0 and self.kind in state.tables and len(state[self.kind]) > 0

    def draw(self, state: TwinState, at: float) -> list[Drawable]:
        table = state[self.kind] if self.kind in state.tables else None
        key = (id(table), None if table is None else table.version, self.visible, self.overrides_version)
        if not len(self.entities.objects):
            return []
        if key != self._drawn or self._colours is None:
            self._drawn = key
            members, rgba, changed = self.entities.texels(table)
            self.legend_version += int(changed)
            if self.visible:
                rgba = self._overridden(rgba)
            self._colours = ObjectColours(members, rgba, self.target)
        return [self._colours]

    def _overridden(self, rgba: np.ndarray) -> np.ndarray:
        """Rule 4: override colours on every member of the entities named."""
        if not self._overrides:
            return rgba
        objects = self.entities.objects
        root_ids = objects.ids if objects.identity else objects.ids[objects.member_root]
        return self.apply_overrides(root_ids, rgba)

    def legend(self, state: TwinState) -> Legend | None:
        return self.style.legend()


@register
class BuildingsLayer(_ObjectLayer):
    type_name = "buildings"
    title = "building energy"
    default_key = "b"
    kind = "building"

    def __init__(self, settings: LayerSettings, scene: LayerScene) -> None:
        super().__init__(settings, scene)
        self.history = ReadingHistory(len(self.entities.objects))

    def record(self, batch: Any, time: float) -> None:
        """Readings of a building batch for the panel's chart (entities.py rule 5); NaN stamps take `time`."""
        stamps = batch.timestamp.copy()
        stamps[~(stamps == stamps)] = time
        self.history.record(self.entities.objects.ranks(batch.ids), stamps, batch.power)


@register
class RoadsLayer(_ObjectLayer):
    type_name = "roads"
    title = "road congestion"
    default_key = "r"
    kind = "road"
    target = "roads"


@register
class VehiclesLayer(Layer):
    type_name = "vehicles"
    title = "vehicles"
    default_key = "v"

    def __init__(self, settings: LayerSettings, scene: LayerScene) -> None:
        super().__init__(settings, scene)
        self.style = LayerStyle("vehicles", settings.options["style"])
        self.style.visible = settings.visible
        self.vehicles = VehicleLayer(self.style)
        self.had_vehicles = False  # whether the feed ever carried vehicles (the legend shows from then on)
        self._painted_overrides = 0

    @property
    def kinds(self) -> tuple[str, ...]:
        return ("vehicle",)

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, shown: bool) -> None:
        self._visible = shown
        if hasattr(self, "style"):
            self.style.visible = shown

    def present(self, state: TwinState) -> bool:
        return self.had_vehicles

    def draw(self, state: TwinState, at: float) -> list[Drawable]:
        return []  # rule 3: frame() below, called by app/live.py with the renderer's memory

    def frame(self, table: Any, t: float, wall: float, newest: float, period: float, memory: Any,
              ghost: float) -> VehicleFrame:
        """The vehicles at render time t written into the renderer's instance memory, overrides applied."""
        if self.overrides_version != self._painted_overrides:
            self.vehicles._painted = None  # repaint the type colours under the old overrides
            self._painted_overrides = self.overrides_version
        frame = self.vehicles.frame(table, t, wall, newest, period, memory, ghost)
        if self._overrides and frame.n:
            self._override_instances(table, frame, memory)
        return frame

    def _override_instances(self, table: Any, frame: VehicleFrame, memory: Any) -> None:
        ids = table.live_ids()[frame.order[:frame.n]]
        columns = memory[:frame.n, 4:8]
        rgba = np.rint(columns * 255.0).clip(0, 255).astype(np.uint8)
        new = self.apply_overrides(ids, rgba)
        if new is not rgba:
            columns[:, :3] = new[:, :3].astype(np.float32) / 255.0  # fade and ghosting keep their alpha

    def legend(self, state: TwinState) -> Legend | None:
        return self.style.legend(self.vehicles.types_seen())


_KIND_LAYERS = {"building": "buildings", "road": "roads", "vehicle": "vehicles"}


def with_badges(info: PickInfo | None, layers: Mapping[str, Layer]) -> PickInfo | None:
    """The panel of a building, road or vehicle with the badges its layer's overrides give it (base.py rule 4)."""
    layer = None if info is None else layers.get(_KIND_LAYERS.get(info.kind, ""))
    if info is None or layer is None:
        return info
    badges = layer.badge_lines(info.id)
    return replace(info, lines=(*badges, *info.lines)) if badges else info
