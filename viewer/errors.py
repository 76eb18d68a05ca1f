"""One exception root for everything CitiVerse raises on purpose.

    CitiverseError
    ├── ConfigError          a scene file is wrong: file, key, reason        (also ValueError)
    ├── CRSError             a CRS is unknown or cannot be transformed        (also ValueError)
    ├── LoadError            a model file cannot be loaded: path, reason      (also ValueError)
    │   └── LimitExceeded    an explicit size or count limit was crossed: limit, value, maximum
    ├── RenderError          no way to render (no display, no offscreen GL)   (also RuntimeError)
    ├── UsageError           a command's options cannot work: names the option and the reason  (also ValueError)
    └── PeerError            a network peer got it wrong: peer, reason        (also ValueError)
        │                    (the twin feed calls it FeedError, meetings MeetingError)
        ├── MessageError     a message cannot be decoded or breaks the schema: dropped whole
        │   └── MessageTooLarge  an explicit limit was crossed: limit, value, maximum
        ├── ProtocolError    an event a state machine has no transition for: state, event
        └── TokenError, Refused   (viewer/meeting/errors.py: a join token refused, a join refused)

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


class UsageError(CitiverseError, ValueError):
    """Options (of a command or an API call) that cannot work together or a value that cannot be used (a token, a
    TLS certificate): the message names the option or the input and the reason, whole."""


class PeerError(CitiverseError, ValueError):
    """Root of what a peer (a feed server or client, a meeting participant) got wrong: names the peer (a URL,
    an address, a participant or "peer") and the reason."""

    def __init__(self, reason: str, peer: str = "peer") -> None:
        self.reason = reason
        self.peer = peer
        super().__init__(f"{peer}: {reason}")


class MessageError(PeerError):
    """A message that cannot be decoded or breaks the schema: it is dropped whole."""


class MessageTooLarge(MessageError):
    """A message crosses an explicit limit (bytes, rows, characters, items, nesting depth) and is dropped."""

    def __init__(self, limit: str, value: int, maximum: int, peer: str = "peer") -> None:
        self.limit = limit
        self.value = int(value)
        self.maximum = int(maximum)
        super().__init__(f"{limit} {self.value:,} exceeds the limit of {self.maximum:,}", peer)


class ProtocolError(PeerError):
    """An event that a protocol state machine has no transition for in its current state."""

    def __init__(self, state: str, event: str, peer: str = "peer") -> None:
        self.state = state
        self.event = event
        super().__init__(f"{event!r} is not allowed in state {state!r}", peer)
