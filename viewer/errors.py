"""One exception root for everything CitiVerse raises on purpose.

    CitiverseError
    ├── ConfigError          a scene file is wrong: file, key, reason        (also ValueError)
    ├── CRSError             a CRS is unknown or cannot be transformed        (also ValueError)
    ├── LoadError            a model file cannot be loaded: path, reason      (also ValueError)
    │   └── LimitExceeded    an explicit size or count limit was crossed: limit, value, maximum
    └── RenderError          no way to render (no display, no offscreen GL)   (also RuntimeError)

Every error carries structured fields so callers (and tests) never parse messages, and its str()
names the input and the reason so a user can act on it.
"""

from __future__ import annotations

from pathlib import Path


class CitiverseError(Exception):
    """Root of every error CitiVerse raises deliberately."""


class ConfigError(CitiverseError, ValueError):
    """A scene file is malformed: names the file, the key (dotted path) and the reason."""

    def __init__(self, file: str | Path, key: str, reason: str) -> None:
        self.file = str(file)
        self.key = key
        self.reason = reason
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        super().__init__(where + reason)


class CRSError(CitiverseError, ValueError):
    """A coordinate reference system is unknown or two CRSs cannot be transformed."""

    def __init__(self, crs: str, reason: str) -> None:
        self.crs = crs
        self.reason = reason
        super().__init__(f"CRS {crs!r}: {reason}")


class LoadError(CitiverseError, ValueError):
    """A city model file cannot be loaded: names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class LimitExceeded(LoadError):
    """An explicit limit (file size, vertex, triangle or object count) was crossed."""

    def __init__(self, path: str | Path, limit: str, value: int, maximum: int) -> None:
        self.limit = limit
        self.value = value
        self.maximum = maximum
        super().__init__(path, f"{limit} {value:,} exceeds the limit of {maximum:,} (raise it in the scene's [limits])")


class RenderError(CitiverseError, RuntimeError):
    """Rendering is impossible here: no display for a window, or no offscreen OpenGL."""
