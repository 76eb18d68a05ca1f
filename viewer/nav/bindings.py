"""Controls: which key does what, mouse-look settings and walk/fly speeds, rebindable in a user file.

Rules this module keeps:
1. One table, ACTIONS, lists every action with its kind ("held": a state while the key is down, "press":
   an event), its default keys and its help label. The window binds from it and the help overlay is
   written from it, so the keys shown are always the keys bound.
2. Key names are Panda3D's event names ("w", "arrow_up", "space", "shift", "f1"); a modifier name stands
   for both its left and right keys (MODIFIER_SIDES). Keys 1-9 are the scene's camera bookmarks and
   cannot be rebound; one key may serve one action only.
3. The user file (TOML, `user_controls_path()`) may set any subset:
       [keys]   forward = ["w", "arrow_up"]   fly = "u"       # an action's keys replace the defaults
       [mouse]  sensitivity = 1.0   invert_y = false   smoothing = 0.04
       [walk]   speed = 2.0  run_speed = 6.0  eye_height = 1.65 ...   (any WalkParams field)
       [fly]    min_speed = 3.0  speed_per_metre = 0.8 ...            (any FlyParams field)
   Anything wrong gives a ConfigError naming the file, the key and the reason; a missing file means the
   defaults. A key the file gives to an action is taken from the window tools' and the base map's
   default keys (YIELDING, added later: a file written before them keeps working); any other clash
   between two actions is an error.
5. A recorded feed's time has its own keys (FEED_ACTIONS, one help line), apart from the camera path's
   (Z, [ ], Backspace, .): both can be under way at once (a path flown over a feed scrubbed back), so no
   key means one thing here and another there. They sit beside the path keys on a US layout: Backslash
   (or Pause) pauses, ; and ' step, - and = change the speed (docs/navigation.md). The sun's time of day
   (SUN_ACTIONS, one help line) is on Page Down / Page Up: every letter and the brackets are taken.
4. Pure: no Panda3D; reading the file is the only I/O.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError
from viewer.nav.kinematics import FlyParams, WalkParams

ACTIONS: dict[str, tuple[str, tuple[str, ...], str]] = {  # action: (kind, default keys, help label)
    "forward": ("held", ("w", "arrow_up"), "forward"),
    "back": ("held", ("s", "arrow_down"), "back"),
    "left": ("held", ("a", "arrow_left"), "left"),
    "right": ("held", ("d", "arrow_right"), "right"),
    "up": ("held", ("space", "e"), "up (fly), jump (walk)"),
    "down": ("held", ("c", "control"), "down (fly)"),
    "run": ("held", ("shift",), "run / fly faster"),
    "walk": ("press", ("g",), "walk on the ground"),
    "fly": ("press", ("u",), "fly"),
    "orbit": ("press", ("o",), "orbit (left drag turns, middle or Shift drag pans, wheel zooms)"),
    "follow": ("press", ("l",), "follow the chosen vehicle"),
    "cycle": ("press", ("tab",), "next mode: walk, fly, orbit"),
    "view": ("press", ("t",), "third / first person (walk), chase / cab (follow)"),
    "collision": ("press", ("n",), "collision on / off"),
    "frame": ("press", ("f",), "frame the whole model (orbit)"),
    "record_path": ("press", ("x",), "record"),
    "add_keyframe": ("press", (",",), "add the view as a keyframe"),
    "play_path": ("press", ("z",), "play / pause"),
    "stop_path": ("press", ("backspace",), "stop"),
    "next_path": ("press", (".",), "next path"),
    "seek_back": ("press", ("[",), "back 5 s"),
    "seek_forward": ("press", ("]",), "on 5 s"),
    "feed_pause": ("press", ("\\", "pause"), "pause / play"),
    "feed_step_back": ("press", (";",), "a step back"),
    "feed_step_forward": ("press", ("'",), "a step on"),
    "feed_slower": ("press", ("-",), "slower"),
    "feed_faster": ("press", ("=",), "faster"),
    "sun_earlier": ("press", ("page_down",), "earlier"),
    "sun_later": ("press", ("page_up",), "later"),
    "search": ("press", ("/",), "search objects and pins by id, name, address, use (also Ctrl+F)"),
    "measure": ("press", ("m",), "measure: click points (distance, height, area)"),
    "pin": ("press", ("insert",), "drop a pin with a note under the cursor"),
    "unpin": ("press", ("delete",), "remove the pin nearest the cursor"),
    "screenshot": ("press", ("f12",), "screenshot (PNG, without this help)"),
    "compass": ("press", ("f3",), "north arrow and scale bar on / off"),
    "basemap": ("press", ("i",), "base map: imagery, map, none"),
    "shadow_hours": ("press", ("f4",), "shadow hours: the day's hours of sun on the ground (08:00-16:00)"),
    "help": ("press", ("h",), "show / hide this help"),
    "release": ("press", ("escape",), "release the mouse (again: quit)"),
    "quit": ("press", ("q",), "quit"),
}
MOVES = ("forward", "left", "back", "right")
PATH_ACTIONS = ("record_path", "add_keyframe", "play_path", "stop_path", "next_path", "seek_back", "seek_forward")  # one line
FEED_ACTIONS = ("feed_pause", "feed_step_back", "feed_step_forward", "feed_slower", "feed_faster")  # one line
SUN_ACTIONS = ("sun_earlier", "sun_later")  # one line; bound by app/sun_time.py
MODIFIER_SIDES = {"shift": ("lshift", "rshift"), "control": ("lcontrol", "rcontrol"), "alt": ("lalt", "ralt")}
NAMED_KEYS = frozenset({
    "space", "tab", "enter", "backspace", "escape", "insert", "delete", "home", "end", "page_up", "page_down",
    "arrow_up", "arrow_down", "arrow_left", "arrow_right", "shift", "control", "alt", "lshift", "rshift",
    "lcontrol", "rcontrol", "lalt", "ralt", "caps_lock", "num_lock", "scroll_lock", "print_screen", "pause",
    "menu", *(f"f{i}" for i in range(1, 13))})
TOOL_ACTIONS = ("search", "measure", "pin", "unpin", "screenshot", "compass")  # bound by app/tools.py
YIELDING = (*TOOL_ACTIONS, "basemap", "shadow_hours", *FEED_ACTIONS, *SUN_ACTIONS)  # rule 3: their default keys give way to a user file's
RESERVED = frozenset("123456789")  # camera bookmarks
MAX_SETTING = 1e5  # no speed, size or sensitivity is sensible beyond this
PRETTY = {"arrow_up": "Up", "arrow_down": "Down", "arrow_left": "Left", "arrow_right": "Right",
          "escape": "Esc", "control": "Ctrl", "page_up": "PgUp", "page_down": "PgDn", ",": "Comma", ".": "Period",
          "\\": "Backslash", "pause": "Pause"}


@dataclass(frozen=True)
class Controls:
    """Keys per action (action -> key names), mouse look and body parameters.

    sensitivity: 1.0 turns the view by the field of view for a drag across the window; smoothing: seconds
    (time constant of the look's exponential smoothing, 0 for none)."""

    keys: dict[str, tuple[str, ...]] = field(default_factory=lambda: {a: k for a, (_, k, _) in ACTIONS.items()})
    sensitivity: float = 1.0
    invert_y: bool = False
    smoothing: float = 0.04
    walk: WalkParams = field(default_factory=WalkParams)
    fly: FlyParams = field(default_factory=FlyParams)

    def events(self) -> dict[str, str]:
        """Panda3D key event name -> action, every key of every action (modifiers on both sides)."""
        table: dict[str, str] = {}
        for action, keys in self.keys.items():
            for key in keys:
                for name in (key, *MODIFIER_SIDES.get(key, ())):
                    table[name] = action
        return table

    def held(self) -> tuple[str, ...]:
        return tuple(a for a in self.keys if ACTIONS[a][0] == "held")

    def help_lines(self) -> list[str]:
        """The keyboard part of the help overlay, one line per action (the four moves on one line, the camera
        path keys on another)."""
        moves = " ".join(describe(self.keys[a][:1]) for a in MOVES)
        extra = " ".join(describe(self.keys[a][1:2]) for a in MOVES if len(self.keys[a]) > 1)
        lines = [f"{moves}{' or ' + extra if extra else ''}  move"]
        lines += [f"{describe(self.keys[a])}  {label}" for a, (_, _, label) in ACTIONS.items()
                  if a not in (*MOVES, *PATH_ACTIONS, *FEED_ACTIONS, *SUN_ACTIONS) and self.keys[a]]
        paths = [f"{describe(self.keys[a])} {ACTIONS[a][2]}" for a in PATH_ACTIONS if self.keys[a]]
        if paths:
            lines.insert(-3, "camera paths: " + ", ".join(paths))
        feed = [f"{describe(self.keys[a])} {ACTIONS[a][2]}" for a in FEED_ACTIONS if self.keys[a]]
        if feed:
            lines.insert(-3, "recorded feed: " + ", ".join(feed) + ", click or drag the time bar")
        sun = [f"{describe(self.keys[a])} {ACTIONS[a][2]}" for a in SUN_ACTIONS if self.keys[a]]
        if sun:
            lines.insert(-3, "sun time: " + ", ".join(sun) + " by 15 min (Shift: an hour; --time gives the day)")
        return lines


def describe(keys: tuple[str, ...] | list[str]) -> str:
    """Key names as a person reads them: "W / Up", "Space / E", "Esc"."""
    return " / ".join(PRETTY.get(k, k.upper() if len(k) == 1 else k.replace("_", " ").title()) for k in keys)


def user_controls_path() -> Path:
    """$CITIVERSE_CONTROLS, else $XDG_CONFIG_HOME/citiverse/controls.toml, else ~/.config/citiverse/..."""
    explicit = os.environ.get("CITIVERSE_CONTROLS")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "citiverse" / "controls.toml"


def load_controls(path: Path | None = None) -> Controls:
    """The controls from a user file (default: user_controls_path()); the defaults when it is absent."""
    path = path or user_controls_path()
    if not path.is_file():
        return Controls()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(path, "", f"cannot read controls: {exc}") from None
    return parse_controls(path, table)


def parse_controls(path: Path, table: dict[str, Any]) -> Controls:
    """Controls from a parsed TOML table (see rule 3); ConfigError names the file and key on any mistake."""
    _only(path, "", table, {"keys", "mouse", "walk", "fly"})
    keys = _keys(path, _table(path, "keys", table.get("keys", {})))
    mouse = _table(path, "mouse", table.get("mouse", {}))
    _only(path, "mouse.", mouse, {"sensitivity", "invert_y", "smoothing"})
    invert = mouse.get("invert_y", False)
    if not isinstance(invert, bool):
        raise ConfigError(path, "mouse.invert_y", "must be true or false")
    return Controls(
        keys=keys, invert_y=invert,
        sensitivity=_number(path, "mouse.sensitivity", mouse.get("sensitivity", 1.0), positive=True),
        smoothing=_number(path, "mouse.smoothing", mouse.get("smoothing", 0.04), positive=False),
        walk=_params(path, "walk", WalkParams(), table.get("walk", {})),
        fly=_params(path, "fly", FlyParams(), table.get("fly", {})))


def _keys(path: Path, table: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    keys = {a: k for a, (_, k, _) in ACTIONS.items()}
    _only(path, "keys.", table, set(ACTIONS))
    for action, value in table.items():
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ConfigError(path, f"keys.{action}", "must be a key name or a list of key names")
        for name in names:
            _check_key(path, f"keys.{action}", name)
        keys[action] = tuple(names)
    claimed = {side for action in table for name in keys[action] for side in (name, *MODIFIER_SIDES.get(name, ()))}
    for action in set(YIELDING) - set(table):  # a key the user gave an action leaves these defaults
        keys[action] = tuple(k for k in keys[action] if k not in claimed)
    owner: dict[str, str] = {}
    for action, names in keys.items():
        for name in names:
            for side in (name, *MODIFIER_SIDES.get(name, ())):
                if owner.setdefault(side, action) != action:
                    raise ConfigError(path, f"keys.{action}", f"key {name!r} is already bound to {owner[side]!r}")
    return keys


def _check_key(path: Path, key: str, name: str) -> None:
    if name in RESERVED:
        raise ConfigError(path, key, f"key {name!r} is reserved for camera bookmarks (1-9)")
    if name not in NAMED_KEYS and not re.fullmatch(r"[a-z0\-=\[\];'`,./\\]", name):
        raise ConfigError(path, key, f"unknown key {name!r}: use a lower-case letter, a punctuation key or "
                                     f"one of {', '.join(sorted(NAMED_KEYS))}")


def _params(path: Path, section: str, defaults: Any, table: Any) -> Any:
    table = _table(path, section, table)
    names = {f.name for f in dataclasses.fields(defaults)}
    _only(path, f"{section}.", table, names)
    values = {k: _number(path, f"{section}.{k}", v, positive=True) for k, v in table.items()}
    return dataclasses.replace(defaults, **values)


def _table(path: Path, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(path, key, "must be a table")
    return value


def _only(path: Path, prefix: str, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(path, prefix + unknown[0], f"unknown setting; known: {', '.join(sorted(allowed))}")


def _number(path: Path, key: str, value: Any, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(path, key, "must be a finite number")
    if value < 0 or (positive and value == 0):
        raise ConfigError(path, key, "must be positive" if positive else "must not be negative")
    if value > MAX_SETTING:
        raise ConfigError(path, key, f"must be at most {MAX_SETTING:g}")
    return float(value)
