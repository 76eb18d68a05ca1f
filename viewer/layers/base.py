"""The Layer interface: data + how to draw it + its legend + its picking + its panel (DESIGN rule 6).

    class Parking(Layer):                      # a third party's layer (docs/layers.md has it whole)
        type_name = "parking"
        options = {"kind": Option("text", "parking"), "field": Option("text", "free")}
        def draw(self, state, at): ...         # -> [Columns(...), Labels(...)]

Rules this module keeps:
1. A layer is configured by one [layers.NAME] table of a scene: `type` (default: NAME), `visible`, `key` and
   the options its class declares in `options`; anything else is a ConfigError naming the scene file and the
   dotted key (parse_options). Built-in and third-party layers go through the same path (registry.py).
2. A layer reads the twin state (twin/state.py TwinState) by the feed kinds it names in `kinds`, and draws
   by returning drawables (layers/drawables.py): data only, never a node; render/layer_draw.py draws them.
   draw() is called once per frame with the feed time to show; a layer returns the same drawables while its
   inputs have not changed (their `version`), so nothing is uploaded again.
3. Its legend is a styles.Legend (or None), its panel a picking.PickInfo for an id it drew (drawables rule 3).
   A hidden layer draws nothing, has no legend and no name in the caption.
4. Overrides (the rules and alerts hook): any code may set the colour and/or a badge of entities by id on a
   layer (set_overrides, under a `source` name so two sources do not clear each other); the layer applies
   them over its own colours in draw() (apply_overrides) and lists the badge in its panel. Overrides are
   ids, so they survive rows moving in the state and entities coming and going.
5. Nothing here imports Panda3D or does I/O: a layer is tested with numpy arrays alone.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from viewer.city.model import ObjectTable
from viewer.errors import ConfigError
from viewer.layers.drawables import Drawable
from viewer.layers.picking import PickInfo
from viewer.layers.styles import Legend
from viewer.twin.kinds import EntityKind
from viewer.twin.state import TwinState

OPTION_KINDS = ("number", "integer", "text", "bool", "colour", "range", "choice")
COMMON_KEYS = ("type", "visible", "key")


@dataclass(frozen=True)
class Option:
    """One option a layer type takes in its [layers.NAME] table. kind: one of OPTION_KINDS; choices for
    "choice"; low/high bound numbers (inclusive); default None means "not given" (the layer decides)."""

    kind: str
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] = ()
    low: float = -math.inf
    high: float = math.inf

    def read(self, file: Path | str, key: str, value: Any) -> Any:
        """The checked value of this option from TOML, or ConfigError naming the file and key."""
        kind = self.kind
        if kind == "bool":
            if not isinstance(value, bool):
                raise ConfigError(file, key, "must be true or false")
            return value
        if kind in ("text", "choice"):
            if not isinstance(value, str):
                raise ConfigError(file, key, f"must be a string, got {type(value).__name__}")
            if kind == "choice" and value not in self.choices:
                raise ConfigError(file, key, f"unknown value {value!r} (known: {', '.join(self.choices)})")
            return value
        if kind == "colour":
            return _colour(file, key, value)
        if kind == "range":
            if (not isinstance(value, list) or len(value) != 2 or not all(_is_number(v) for v in value)
                    or not value[0] < value[1]):
                raise ConfigError(file, key, "must be [low, high] with low < high")
            return (float(value[0]), float(value[1]))
        if not _is_number(value) or (kind == "integer" and not isinstance(value, int)):
            raise ConfigError(file, key, "must be an integer" if kind == "integer" else "must be a finite number")
        if not self.low <= value <= self.high:
            raise ConfigError(file, key, f"must be between {self.low:g} and {self.high:g}")
        return value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _colour(file: Path | str, key: str, value: Any) -> tuple[float, float, float]:
    if isinstance(value, str) and len(value) == 7 and value.startswith("#"):
        try:
            return (int(value[1:3], 16) / 255.0, int(value[3:5], 16) / 255.0, int(value[5:7], 16) / 255.0)
        except ValueError:
            pass
    if isinstance(value, list) and len(value) == 3 and all(_is_number(v) and 0 <= v <= 1 for v in value):
        return (float(value[0]), float(value[1]), float(value[2]))
    raise ConfigError(file, key, 'must be a colour "#rrggbb" or [r, g, b] in 0..1')


@dataclass(frozen=True)
class LayerSettings:
    """A layer's [layers.NAME] table, checked (rule 1): name, type, visible, key, its declared options."""

    name: str
    type: str
    visible: bool = True
    key: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    file: Path | str = ""

    def get(self, option: str, default: Any = None) -> Any:
        value = self.options.get(option)
        return default if value is None else value


def parse_settings(cls: type[Layer], name: str, table: Mapping[str, Any], file: Path | str) -> LayerSettings:
    """Rule 1: the settings of layer `name` of type `cls` from its TOML table, every key checked."""
    prefix = f"layers.{name}"
    allowed = set(COMMON_KEYS) | set(cls.options)
    for key in table:
        if key not in allowed:
            raise ConfigError(file, f"{prefix}.{key}",
                              f"unknown option of a {cls.type_name!r} layer (allowed: {', '.join(sorted(allowed))})")
    visible = table.get("visible", True)
    if not isinstance(visible, bool):
        raise ConfigError(file, f"{prefix}.visible", "must be true or false")
    key = table.get("key", cls.default_key)
    if key is not None and not (isinstance(key, str) and (len(key) == 1 and key.isalnum()
                                                          or key in {f"f{i}" for i in range(1, 13)})):
        raise ConfigError(file, f"{prefix}.key", "must be one letter or digit, or f1..f12")
    options = {opt: spec.read(file, f"{prefix}.{opt}", table[opt]) if opt in table else spec.default
               for opt, spec in cls.options.items()}
    return LayerSettings(name, cls.type_name, visible, key, options, file)


@dataclass
class LayerScene:
    """What a layer may know of the scene: its name, objects (city/model.py ObjectTable), bounds (lo (3,),
    hi (3,)) in local metres, ground height (z (n,) at x, y (n,); 0 without terrain), feed CRS -> local
    metres (x, y arrays in the feed's CRS -> local x, y), and the entity kinds the feed described (v1.1)."""

    name: str
    objects: ObjectTable
    bounds: tuple[np.ndarray, np.ndarray]
    ground: Callable[[np.ndarray, np.ndarray], np.ndarray]
    to_local: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    kinds: dict[str, EntityKind] = field(default_factory=dict)


@dataclass(frozen=True)
class Override:
    """Rule 4: a colour (4,) uint8 RGBA or None (keep the layer's), a badge text or None."""

    rgba: np.ndarray | None = None
    badge: str | None = None


class Layer(ABC):
    """One layer of a scene (rules above). Subclasses set type_name, title, options, and implement draw()."""

    type_name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    options: ClassVar[Mapping[str, Option]] = {}
    default_key: ClassVar[str | None] = None

    def __init__(self, settings: LayerSettings, scene: LayerScene) -> None:
        self.settings, self.scene = settings, scene
        self.name = settings.name
        self.visible = settings.visible
        self._overrides: dict[str, dict[str, Override]] = {}  # source -> id -> override (rule 4)
        self.overrides_version = 0

    # ---- data

    @property
    @abstractmethod
    def kinds(self) -> tuple[str, ...]:
        """The feed kinds this layer reads."""

    def present(self, state: TwinState) -> bool:
        """Whether the layer has anything to show now (its name goes into the caption and its legend shows)."""
        return any(kind in state.tables and len(state[kind]) > 0 for kind in self.kinds)

    def described(self, kinds: Mapping[str, EntityKind]) -> None:  # noqa: B027 - optional hook
        """The feed described its entity kinds (a v1.1 hello): units and fields for the legend and panel."""

    # ---- drawing

    @abstractmethod
    def draw(self, state: TwinState, at: float) -> list[Drawable]:
        """The drawables of this layer at feed time `at` (rule 2); [] when hidden or empty."""

    def legend(self, state: TwinState) -> Legend | None:
        return None

    # ---- picking and panel

    def describe(self, pick: object, state: TwinState, at: float, wall: float) -> PickInfo | None:
        """The panel of what this layer drew as `pick` (drawables rule 3); None when it has gone."""
        return None

    def help_line(self) -> str:
        return f"{self.title or self.name} on / off"

    # ---- overrides (rule 4: the rules and alerts hook)

    def set_overrides(self, source: str, ids: npt.ArrayLike, rgba: np.ndarray | None = None,
                      badges: Sequence[str] | np.ndarray | None = None) -> None:
        """Replace `source`'s overrides with these: ids (n,), rgba (n, 4) uint8 or None, badges (n,) str or
        None. An empty ids clears them."""
        keys = [str(i) for i in np.asarray(ids, dtype=object).reshape(-1).tolist()]
        colours = None if rgba is None else np.asarray(rgba, np.uint8).reshape(len(keys), 4)
        labels = None if badges is None else list(badges)
        self._overrides[source] = {
            key: Override(None if colours is None else colours[i].copy(), None if labels is None else labels[i])
            for i, key in enumerate(keys)}
        if not keys:
            del self._overrides[source]
        self.overrides_version += 1

    def override_of(self, entity: str) -> Override | None:
        """The overrides of one id merged across sources (the later source's colour wins)."""
        rgba, badges = None, []
        for table in self._overrides.values():
            found = table.get(entity)
            if found is not None:
                rgba = found.rgba if found.rgba is not None else rgba
                if found.badge:
                    badges.append(found.badge)
        return None if rgba is None and not badges else Override(rgba, ", ".join(badges) or None)

    def apply_overrides(self, ids: np.ndarray, rgba: np.ndarray) -> np.ndarray:
        """rgba (n, 4) of entities `ids` (n,) with the override colours written over (a copy when any)."""
        if not self._overrides or len(ids) == 0:
            return rgba
        out = rgba.copy()
        index = {key: i for i, key in enumerate(np.asarray(ids, dtype=object).tolist())}
        for table in self._overrides.values():
            for key, found in table.items():
                row = index.get(key)
                if row is not None and found.rgba is not None:
                    out[row] = found.rgba
        return out

    def badge_lines(self, entity: str) -> tuple[str, ...]:
        found = self.override_of(entity)
        return () if found is None or not found.badge else (f"alert: {found.badge}",)
