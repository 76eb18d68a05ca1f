"""Pins and notes: points of the scene with a short note, kept in a sidecar file next to the scene.

Rules this module keeps:
1. `city.toml` keeps its pins in `city.pins.toml` beside it (a model file `x.json` in `x.pins.toml`; a
   scene with no file, the demo, in the current folder). The file is TOML:
       version = 1
       [[pin]]
       position = [12.5, -40.0, 0.0]    # local metres of the scene (x east, y north, z up)
       note = "broken street light"
       object = "bldg-000123"           # optional: the object it was dropped on
   Saves are atomic (a temporary file in the same folder renamed over the old one), so a crash never
   leaves half a file, and rewrite the whole file (a hand-written comment is not kept).
2. Reading treats the file as hostile: at most MAX_PINS pins, notes at most MAX_NOTE characters of
   printable text, finite coordinates within MAX_COORDINATE; anything else is a ConfigError naming the
   file and the pin. A missing file is no pins.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError

VERSION = 1
MAX_PINS = 1000
MAX_NOTE = 200
MAX_COORDINATE = 1e7
MAX_FILE_BYTES = 1 << 20


@dataclass(frozen=True)
class Pin:
    position: tuple[float, float, float]
    note: str
    object: str = ""

    def line(self, number: int) -> str:
        on = f" on {self.object}" if self.object else ""
        return f"{number}. {self.note or '(no note)'}{on}"


def pins_file_for(config: Any) -> Path:
    """Rule 1: the sidecar of a SceneConfig (its scene file, else its first model file, else the folder)."""
    files = [config.path] if getattr(config, "path", None) is not None else \
        [s.path for s in getattr(config, "sources", ()) if getattr(s, "path", None) is not None]
    if not files:
        return Path("citiverse-demo.pins.toml")
    first = Path(files[0])
    return first.with_name(first.name.split(".")[0] + ".pins.toml")


def clean_note(text: str) -> str:
    """A note as stored: printable characters only, at most MAX_NOTE, trimmed."""
    return "".join(c for c in text if c.isprintable())[:MAX_NOTE].strip()


def load_pins(path: Path) -> list[Pin]:
    """The pins in `path` (rule 2); [] when it does not exist."""
    if not path.is_file():
        return []
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ConfigError(path, "", f"pins file larger than {MAX_FILE_BYTES} bytes")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(path, "", f"cannot read pins: {exc}") from None
    rows = data.get("pin", [])
    if not isinstance(rows, list) or len(rows) > MAX_PINS:
        raise ConfigError(path, "pin", f"must be a list of at most {MAX_PINS} [[pin]] tables")
    return [_pin(path, i, row) for i, row in enumerate(rows)]


def _pin(path: Path, i: int, row: Any) -> Pin:
    key = f"pin[{i}]"
    if not isinstance(row, dict) or set(row) - {"position", "note", "object"}:
        raise ConfigError(path, key, "must be a table with position, note and optionally object")
    position = row.get("position")
    if not (isinstance(position, list) and len(position) == 3 and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            and abs(v) <= MAX_COORDINATE for v in position)):
        raise ConfigError(path, f"{key}.position", "must be three finite numbers (local metres)")
    note, obj = row.get("note", ""), row.get("object", "")
    if not isinstance(note, str) or len(note) > MAX_NOTE or not isinstance(obj, str) or len(obj) > MAX_NOTE:
        raise ConfigError(path, f"{key}.note", f"note and object must be text of at most {MAX_NOTE} characters")
    return Pin((float(position[0]), float(position[1]), float(position[2])), clean_note(note), obj)


def dumps(pins: list[Pin]) -> str:
    lines = ["# CitiVerse pins: points of the scene with a note (docs/navigation.md)", f"version = {VERSION}", ""]
    for pin in pins:
        lines += ["[[pin]]", f"position = [{', '.join(f'{v:.3f}' for v in pin.position)}]",
                  f"note = {json.dumps(pin.note)}"]  # a JSON string of printable text is a TOML basic string
        if pin.object:
            lines.append(f"object = {json.dumps(pin.object)}")
        lines.append("")
    return "\n".join(lines)


def save_pins(path: Path, pins: list[Pin]) -> Path:
    """Write every pin to `path` atomically (rule 1); OSError when the folder cannot be written."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(dumps(pins))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
