"""Errors of the twin feed: what a peer sent wrong, or what a caller asked at the wrong time.

The classes are viewer/errors.py's peer errors, shared with meetings; FeedError is PeerError.

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

from viewer.errors import MessageError, MessageTooLarge, PeerError, ProtocolError

FeedError = PeerError  # the feed's name for the shared peer-error root (viewer/errors.py)

__all__ = ["FeedError", "MessageError", "MessageTooLarge", "ProtocolError"]
