"""Errors of the twin feed: what a peer sent wrong, or what a caller asked at the wrong time.

    CitiverseError                         (viewer.errors)
    └── FeedError            peer, reason; also ValueError
        ├── MessageError     a message cannot be decoded: malformed, wrong type, unknown kind, bad version
        │   └── MessageTooLarge  an explicit limit was crossed: limit, value, maximum
        └── ProtocolError    an event the state machine does not allow in its state: state, event

Rules:
1. Decoding untrusted bytes raises MessageError (or MessageTooLarge) and nothing else: never IndexError,
   KeyError, TypeError or a numpy error. The protocol objects turn these into "dropped" events.
2. Every error carries structured fields so callers and tests never parse messages; str() names the peer
   and the reason.
"""

from __future__ import annotations

from viewer.errors import CitiverseError


class FeedError(CitiverseError, ValueError):
    """Root of the feed errors: names the peer (a URL, an address or "peer") and the reason."""

    def __init__(self, reason: str, peer: str = "peer") -> None:
        self.reason = reason
        self.peer = peer
        super().__init__(f"{peer}: {reason}")


class MessageError(FeedError):
    """A message that cannot be decoded or breaks the schema: it is dropped whole."""


class MessageTooLarge(MessageError):
    """A message crosses an explicit limit (bytes, rows, nesting depth) and is dropped before it is parsed."""

    def __init__(self, limit: str, value: int, maximum: int, peer: str = "peer") -> None:
        self.limit = limit
        self.value = int(value)
        self.maximum = int(maximum)
        super().__init__(f"{limit} {self.value:,} exceeds the limit of {self.maximum:,}", peer)


class ProtocolError(FeedError):
    """An event that the state machine has no transition for in its current state."""

    def __init__(self, state: str, event: str, peer: str = "peer") -> None:
        self.state = state
        self.event = event
        super().__init__(f"{event!r} is not allowed in state {state!r}", peer)
