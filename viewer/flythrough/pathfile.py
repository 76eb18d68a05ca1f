"""The flythrough file: several named camera paths beside a scene, in TOML a person can read and edit.

Format (docs/flythrough.md):

    version = 1
    [paths.tour]
    constant_speed = false      # true: one speed along the whole path
    ease = 1.5                  # seconds of speed ramp at each end
    keyframes = [
      { t = 0.0, position = [-1150.0, -1400.0, 900.0], orientation = [0.93, 0.27, -0.07, -0.22], fov = 45.0 },
      { t = 6.0, position = [-350.0, -520.0, 260.0], look_at = [0.0, 0.0, 40.0], fov = 50.0 },
    ]

Rules this module keeps:
1. Each keyframe gives t (seconds), position ([x, y, z] local metres) and exactly one orientation: a
   quaternion `orientation = [w, x, y, z]` (normalised on reading), `hpr = [heading, pitch, roll]` degrees
   or `look_at = [x, y, z]`; fov (vertical degrees) defaults to DEFAULT_FOV. Saving writes quaternions.
2. Every mistake is a ConfigError naming the file, the dotted key (paths.tour.keyframes[3].fov) and the
   reason; unknown keys are mistakes too. Sizes are bounded (MAX_FILE_BYTES, read with a cap so a device
   file cannot stream forever; MAX_PATHS, MAX_KEYFRAMES) before anything is built, and so are dotted keys
   and table headers, counted as dots outside float literals before tomllib sees the text: at most
   MAX_KEY_DOTS on a line (tomllib's memory grows with the square of a key's depth: `a.a.a...` of 200 kB
   exhausts it) and MAX_DOTTED in the file (each distinct dotted key costs tomllib kilobytes: 15 MB of
   `[x1.a.a.a]` lines take 3 GB). Path names are PATH_NAME in full (so they are TOML bare keys).
3. Saving is atomic (a temporary file in the same folder, then a rename) and rewrites the whole file from
   the paths it holds: comments in a hand-edited file are not kept. save_path() reads, replaces one path
   and saves, keeping the others.
4. The file of a scene `city.toml` is `city.flythrough.toml` beside it; of a model file `model.json`,
   `model.json.flythrough.toml`.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError
from viewer.flythrough import quat
from viewer.flythrough.path import MAX_COORDINATE, MAX_FOV, MAX_TIME, MIN_TIME_STEP, CameraPath, Keyframe

VERSION = 1
DEFAULT_FOV = 50.0
MAX_FILE_BYTES = 16 << 20  # 100,000 keyframes as dumps() writes them; tomllib reads that in about 4 s
MAX_PATHS = 1000
MAX_KEYFRAMES = 100_000
MAX_KEY_DOTS = 64  # dots outside numbers on one line (rule 2); a real key has two or three
MAX_DOTTED = 5000  # dots outside numbers in the file (repeated [[...]] headers once); a real file has few
PATH_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")  # always with fullmatch: `$` would accept a final newline
# A float literal not touching other dots, so a dotted key of digits (0.0.0.0) is not mistaken for floats.
_FLOAT = re.compile(r"(?<![\w.])[+-]?\d[\d_]*\.\d[\d_]*(?:[eE][+-]?\d[\d_]*)?(?![\w.])")
_KEYFRAME_KEYS = {"t", "position", "orientation", "hpr", "look_at", "fov"}
_ORIENTATIONS = ("orientation", "hpr", "look_at")


def flythrough_file_for(scene: str | Path) -> Path:
    """The flythrough file beside a scene or model file (rule 4)."""
    scene = Path(scene)
    if scene.suffix.lower() == ".toml":
        return scene.with_suffix(".flythrough.toml")
    return scene.with_name(scene.name + ".flythrough.toml")


def load_paths(file: str | Path, missing_ok: bool = False) -> dict[str, CameraPath]:
    """All paths of a flythrough file, by name in file order; {} for a missing file when missing_ok."""
    file = Path(file)
    try:
        with file.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        if missing_ok:
            return {}
        raise ConfigError(file, "", "flythrough file not found") from None
    except OSError as exc:
        raise ConfigError(file, "", f"cannot read: {exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError(file, "", f"file is larger than {MAX_FILE_BYTES >> 20} MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(file, "", f"not UTF-8 text: {exc}") from None
    _check_keys(file, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, "", f"not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(file, "", "not valid TOML: arrays or tables nested too deeply") from None
    return parse_paths(file, data)


def _check_keys(file: Path, text: str) -> None:
    """ConfigError when dotted keys could make tomllib use far more memory than the text holds (rule 2)."""
    if text.count(".") - _FLOAT.subn("", text)[1] <= MAX_KEY_DOTS:
        return  # the usual file: hardly a dot outside its numbers
    total, headers = 0, set()
    for number, line in enumerate(text.splitlines(), 1):
        dots = _FLOAT.sub("", line).count(".") if "." in line else 0
        if dots > MAX_KEY_DOTS:
            raise ConfigError(file, "", f"line {number}: more than {MAX_KEY_DOTS} dots outside numbers "
                                        "(keys nested that deep are refused)")
        stripped = line.strip()
        if stripped.startswith("[["):  # the same [[paths.x.keyframes]] again costs tomllib nothing new
            dots = 0 if stripped in headers else dots
            headers.add(stripped)
        total += dots
        if total > MAX_DOTTED:
            raise ConfigError(file, "", f"more than {MAX_DOTTED:,} dots outside numbers by line {number} "
                                        "(too many dotted keys or tables)")


def parse_paths(file: Path, data: dict[str, Any]) -> dict[str, CameraPath]:
    """The paths of an already parsed TOML document (rule 2)."""
    _unknown(file, data, {"version", "paths"}, "")
    version = data.get("version", VERSION)
    if type(version) is not int or version != VERSION:
        raise ConfigError(file, "version", f"unsupported version {version!r} (this viewer reads {VERSION})")
    paths = data.get("paths", {})
    if not isinstance(paths, dict):
        raise ConfigError(file, "paths", "must be a table of named paths")
    if len(paths) > MAX_PATHS:
        raise ConfigError(file, "paths", f"{len(paths):,} paths, more than the limit of {MAX_PATHS:,}")
    return {name: _path(file, name, table) for name, table in paths.items()}


def _path(file: Path, name: str, table: Any) -> CameraPath:
    if not PATH_NAME.fullmatch(name):
        raise ConfigError(file, f"paths.{name[:80]!r}", "a path name is 1-64 letters, digits, '-' or '_'")
    key = f"paths.{name}"
    if not isinstance(table, dict):
        raise ConfigError(file, key, "must be a table")
    _unknown(file, table, {"keyframes", "constant_speed", "ease"}, key)
    constant = table.get("constant_speed", False)
    if not isinstance(constant, bool):
        raise ConfigError(file, f"{key}.constant_speed", "must be true or false")
    ease = _number(file, f"{key}.ease", table.get("ease", 0.0))
    if ease < 0:
        raise ConfigError(file, f"{key}.ease", "must be >= 0 seconds")
    raw = table.get("keyframes")
    if not isinstance(raw, list) or len(raw) < 2:
        raise ConfigError(file, f"{key}.keyframes", "must be a list of at least two keyframes")
    if len(raw) > MAX_KEYFRAMES:
        raise ConfigError(file, f"{key}.keyframes", f"{len(raw):,} keyframes, more than {MAX_KEYFRAMES:,}")
    keys = tuple(_keyframe(file, f"{key}.keyframes[{i}]", k) for i, k in enumerate(raw))
    for i in range(1, len(keys)):
        if not keys[i].t - keys[i - 1].t >= MIN_TIME_STEP:
            raise ConfigError(file, f"{key}.keyframes[{i}].t", "times must increase from keyframe to keyframe, "
                                                                f"by at least {MIN_TIME_STEP:g} s")
    try:
        return CameraPath(name, keys, constant_speed=constant, ease=ease)
    except ValueError as exc:  # anything check_keyframes finds that the reader did not
        raise ConfigError(file, f"{key}.keyframes", str(exc)) from None


def _keyframe(file: Path, key: str, table: Any) -> Keyframe:
    if not isinstance(table, dict):
        raise ConfigError(file, key, "must be a table { t = ..., position = [...], ... }")
    _unknown(file, table, _KEYFRAME_KEYS, key)
    if "t" not in table or "position" not in table:
        raise ConfigError(file, f"{key}.{'t' if 't' not in table else 'position'}", "is required")
    t = _number(file, f"{key}.t", table["t"])
    if abs(t) > MAX_TIME:
        raise ConfigError(file, f"{key}.t", f"must be within {MAX_TIME:g} seconds of 0")
    position = _vector(file, f"{key}.position", table["position"], 3, MAX_COORDINATE)
    fov = _number(file, f"{key}.fov", table.get("fov", DEFAULT_FOV))
    if not 0 < fov < MAX_FOV:
        raise ConfigError(file, f"{key}.fov", f"must be between 0 and {MAX_FOV:g} degrees")
    given = [name for name in _ORIENTATIONS if name in table]
    if len(given) != 1:
        raise ConfigError(file, key, "needs exactly one of orientation = [w, x, y, z], hpr = [h, p, r] "
                                     f"or look_at = [x, y, z] (found {', '.join(given) or 'none'})")
    return Keyframe(t, position, _orientation(file, f"{key}.{given[0]}", given[0], table[given[0]], position),
                    fov)


def _orientation(file: Path, key: str, kind: str, value: Any,
                 position: tuple[float, float, float]) -> tuple[float, float, float, float]:
    if kind == "orientation":  # the form dumps() writes: plain Python, numpy per keyframe would be slow
        w, x, y, z = _vector(file, key, value, 4, 1e6)
        norm = math.hypot(w, x, y, z)
        if norm < 1e-6:
            raise ConfigError(file, key, "a quaternion must not be zero")
        return (w / norm, x / norm, y / norm, z / norm)
    if kind == "hpr":
        q = tuple(quat.from_hpr(_vector(file, key, value, 3, 1e6)))
    else:
        target = _vector(file, key, value, 3, MAX_COORDINATE)
        try:
            q = tuple(quat.from_look_at(position, target))
        except ValueError:  # the target (almost) at the position: no direction
            raise ConfigError(file, key, "must differ from position (by more than a nanometre)") from None
    n = quat.normalize(q)
    return (float(n[0]), float(n[1]), float(n[2]), float(n[3]))


def _unknown(file: Path, table: dict[str, Any], allowed: set[str], prefix: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        key = f"{prefix}.{extra[0]}" if prefix else extra[0]
        raise ConfigError(file, key, f"unknown key (allowed: {', '.join(sorted(allowed))})")


def _finite(value: Any) -> float | None:
    """value as a finite float, or None: not a number, a bool, nan, inf or an integer beyond float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)  # OverflowError for TOML integers past 1e308 (tomllib does not bound them)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _number(file: Path, key: str, value: Any) -> float:
    number = _finite(value)
    if number is None:
        raise ConfigError(file, key, "must be a finite number")
    return number


def _vector(file: Path, key: str, value: Any, size: int, bound: float) -> Any:
    numbers = [_finite(v) for v in value] if isinstance(value, list) and len(value) == size else []
    if len(numbers) != size or not all(v is not None and abs(v) <= bound for v in numbers):
        raise ConfigError(file, key, f"must be a list of {size} finite numbers (each within {bound:g})")
    return tuple(numbers)


# ---------------------------------------------------------------- writing


def dumps(paths: dict[str, CameraPath], title: str = "") -> str:
    """The TOML text of a flythrough file holding `paths` (rule 1: orientations as quaternions)."""
    lines = [f"# {_printable(line)}" for line in title.splitlines()]
    lines += ["# CitiVerse flythrough paths (docs/flythrough.md). A keyframe may give hpr = [h, p, r] or",
              "# look_at = [x, y, z] instead of orientation = [w, x, y, z]; times in seconds, fov vertical.",
              f"version = {VERSION}"]
    for name, path in paths.items():
        if not PATH_NAME.fullmatch(name):
            raise ValueError(f"path name {name!r}: use 1-64 letters, digits, '-' or '_'")
        lines += ["", f"[paths.{name}]", f"constant_speed = {'true' if path.constant_speed else 'false'}",
                  f"ease = {_num(path.ease, 6)}", "keyframes = ["]
        rounded = [round(k.t, 6) for k in path.keyframes]
        # Rounding must not bring two keyframes closer than a path allows: then this path's times go in full.
        exact = any(b - a < MIN_TIME_STEP for a, b in zip(rounded, rounded[1:], strict=False))
        lines += [f"  {_keyframe_line(k, exact)}," for k in path.keyframes]
        lines.append("]")
    return "\n".join(lines) + "\n"


def _keyframe_line(k: Keyframe, exact_time: bool) -> str:
    """One keyframe as an inline table, rounded for reading (0.1 mm, 1 us) where rounding keeps it valid."""
    t = repr(float(k.t)) if exact_time else _num(k.t, 6)
    pos = ", ".join(_num(v, 4) for v in k.position)
    q = ", ".join(_num(v, 9) for v in k.orientation)
    fov = _num(k.fov, 4) if 0 < round(k.fov, 4) < MAX_FOV else repr(float(k.fov))
    return f"{{ t = {t}, position = [{pos}], orientation = [{q}], fov = {fov} }}"


def _num(value: float, digits: int) -> str:
    """A short TOML float: rounded to `digits` decimals, always with a decimal point."""
    text = repr(round(float(value), digits) + 0.0)  # + 0.0 turns -0.0 into 0.0
    return text if any(c in text for c in ".en") else text + ".0"


def _printable(line: str) -> str:
    """A title line safe in a TOML comment, which may hold no control character but tab."""
    return "".join(c if c == "\t" or c.isprintable() else "?" for c in line)


def save_paths(file: str | Path, paths: dict[str, CameraPath], title: str = "") -> Path:
    """Write `paths` to `file` atomically (rule 3); returns the file."""
    file = Path(file)
    text = dumps(paths, title)
    file.parent.mkdir(parents=True, exist_ok=True)
    mode = file.stat().st_mode & 0o777 if file.exists() else 0o644  # mkstemp's own 0600 would hide it
    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())  # the bytes reach the disk before the rename makes them the file
        os.chmod(tmp, mode)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return file


def save_path(file: str | Path, path: CameraPath, title: str = "") -> Path:
    """Add or replace one path in `file` (created when missing), keeping the other paths."""
    paths = load_paths(file, missing_ok=True)
    paths[path.name] = path
    return save_paths(file, paths, title)
