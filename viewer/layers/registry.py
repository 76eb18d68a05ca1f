"""The registry of layer types, keyed by name: the built-in ones and third parties' `citiverse.layers` entry points.

    # a third party's pyproject.toml
    [project.entry-points."citiverse.layers"]
    parking = "citylayers.parking:ParkingLayer"

Rules this module keeps:
1. A layer type is a layers/base.py Layer subclass with a `type_name`; register() adds one (a name taken by
   another class is an error, so a plug-in cannot silently replace a built-in).
2. Entry points of the group ENTRY_POINT_GROUP are loaded once, on the first look-up (importlib.metadata):
   the entry point's name is the type name; one that fails to import or is not a Layer subclass is logged
   with its distribution and skipped, never fatal (a broken plug-in must not stop the viewer).
3. A scene's [layers] table (config.py LayersConfig) configures any type: a table [layers.NAME] makes a layer
   of type `type` (default NAME). check_layers() refuses an unknown type or option with a ConfigError naming
   the scene file and the dotted key; build_layers() makes the scene's layers in a fixed order: the
   built-in three first (always present, so their keys work), then the scene's others in file order.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib.metadata import entry_points
from pathlib import Path

from viewer.config import LAYER_TYPES, LayersConfig, SceneConfig
from viewer.errors import ConfigError
from viewer.layers.base import Layer, LayerScene, LayerSettings, parse_settings

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "citiverse.layers"
BUILT_IN = ("vehicles", "roads", "buildings")  # typed in config.py, always made (rule 3)

_TYPES: dict[str, type[Layer]] = {}
_loaded = False


def register(cls: type[Layer]) -> type[Layer]:
    """Add a layer type under cls.type_name (usable as a class decorator); rule 1."""
    name = cls.type_name
    if not isinstance(cls, type) or not issubclass(cls, Layer) or not name:
        raise TypeError(f"{cls!r} is not a Layer subclass with a type_name")
    known = _TYPES.get(name)
    if known is not None and known is not cls:
        raise ValueError(f"layer type {name!r} is already registered by {known.__module__}.{known.__qualname__}")
    _TYPES[name] = cls
    LAYER_TYPES.add(name)  # scene files may name it from now on (config.py checks types at load)
    return cls


def unregister(name: str) -> None:
    """Remove a layer type (tests; a plug-in being reloaded)."""
    _TYPES.pop(name, None)
    LAYER_TYPES.discard(name)


def load_entry_points(reload: bool = False) -> list[str]:
    """Rule 2: register every `citiverse.layers` entry point; returns the names added."""
    global _loaded
    if _loaded and not reload:
        return []
    _loaded = True
    added = []
    for point in entry_points(group=ENTRY_POINT_GROUP):
        where = f"{point.dist.name if point.dist else '?'}: {point.value}"
        try:
            cls = point.load()
        except Exception as exc:  # noqa: BLE001 - a broken plug-in is reported and skipped (rule 2)
            log.warning("layer plug-in %r (%s) does not load: %s: %s", point.name, where, type(exc).__name__, exc)
            continue
        if not (isinstance(cls, type) and issubclass(cls, Layer)):
            log.warning("layer plug-in %r (%s) is not a Layer subclass: skipped", point.name, where)
            continue
        if cls.type_name != point.name:
            cls.type_name = point.name  # the entry point's name is the one scenes use
        try:
            register(cls)
        except ValueError as exc:
            log.warning("layer plug-in %r (%s): %s", point.name, where, exc)
            continue
        added.append(point.name)
    return added


def layer_types() -> dict[str, type[Layer]]:
    """Every known layer type by name: built-in ones and plug-ins."""
    _builtins()
    load_entry_points()
    return dict(_TYPES)


def layer_type(name: str, file: Path | str = "", key: str = "") -> type[Layer]:
    types = layer_types()
    if name not in types:
        raise ConfigError(file, key, f"unknown layer type {name!r} (known: {', '.join(sorted(types))}; others "
                                     f"come from packages with a {ENTRY_POINT_GROUP!r} entry point)")
    return types[name]


def _builtins() -> None:
    # Imported here: the built-in layer modules import this one to register themselves.
    from viewer.layers import builtin, heatmap, sensors  # noqa: F401


def scene_settings(config: LayersConfig, file: Path | str) -> list[tuple[type[Layer], LayerSettings]]:
    """Rule 3: the type and checked settings of every layer of a scene, built-in three first."""
    out: list[tuple[type[Layer], LayerSettings]] = []
    for name in BUILT_IN:
        style = getattr(config, name)
        out.append((layer_type(name), LayerSettings(name, name, style.visible, style.key, {"style": style}, file)))
    for name, table in config.extra.items():
        kind = table.get("type", name)
        if not isinstance(kind, str):
            raise ConfigError(file, f"layers.{name}.type", "must be a string (a layer type name)")
        if kind in BUILT_IN:
            raise ConfigError(file, f"layers.{name}.type", f"{kind!r} is built in: configure it as [layers.{kind}]")
        cls = layer_type(kind, file, f"layers.{name}.type" if "type" in table else f"layers.{name}")
        out.append((cls, parse_settings(cls, name, table, file)))
    return out


def check_layers(config: SceneConfig) -> None:
    """Rule 3 for a loaded SceneConfig: ConfigError for an unknown layer type or option (nothing is built)."""
    scene_settings(config.layers, config.path or "the scene")


def build_layers(config: SceneConfig, scene: LayerScene) -> dict[str, Layer]:
    """The layers of a SceneConfig over `scene`, by name, in rule 3's order."""
    file = config.path or "the scene"  # a model file given alone has no [layers] to name
    return {settings.name: cls(settings, scene) for cls, settings in scene_settings(config.layers, file)}


def names(layers: Mapping[str, Layer]) -> list[str]:
    return list(layers)
