"""Errors of shared meetings: what a peer or a token got wrong, or what a state machine does not allow.

MessageError, MessageTooLarge and ProtocolError are viewer/errors.py's peer errors, shared with the twin
feed; MeetingError is PeerError. TokenError and Refused are the meetings' own.

    CitiverseError                          (viewer.errors)
    └── MeetingError          peer, reason; also ValueError
        ├── MessageError      a message cannot be decoded or breaks the schema (NaN pose, unknown field)
        │   └── MessageTooLarge   an explicit limit was crossed: limit, value, maximum
        ├── ProtocolError     an event the state machine has no transition for: state, event
        ├── TokenError        a join token is refused: code (TOKEN_CODES), reason
        └── Refused           a valid token that may not join now: code (REFUSAL_CODES), reason

Rules:
1. Decoding untrusted bytes or tokens raises these and nothing else: never KeyError, TypeError or a
   binascii error. The hub and the client protocol turn them into notices and dropped messages.
2. Every error carries structured fields (tests and the HTTP layer never parse messages); str() names the
   peer and the reason. TokenError and Refused carry the HTTP status a server answers the handshake with.
"""

from __future__ import annotations

from viewer.errors import MessageError, MessageTooLarge, PeerError, ProtocolError

# Token refusals: malformed text, a signature that does not match, an expired token, a token for another
# room, claims that break the schema (role, name). The HTTP status follows RFC 9110: 401 when the token
# itself is no good, 403 when it is good but not for this.
TOKEN_CODES = {"missing": 401, "malformed": 401, "signature": 401, "expired": 401, "claims": 401, "room": 403}
# Admission refusals for a valid token: removed by a host (for the token's lifetime), room or server full.
REFUSAL_CODES = {"removed": 403, "full": 503, "rooms": 503}

__all__ = ["MeetingError", "MessageError", "MessageTooLarge", "ProtocolError", "Refused", "TokenError",
           "REFUSAL_CODES", "TOKEN_CODES"]


MeetingError = PeerError  # the meetings' name for the shared peer-error root (viewer/errors.py)


class TokenError(MeetingError):
    """A join token is refused; `code` is a key of TOKEN_CODES, `status` the HTTP status to answer."""

    def __init__(self, code: str, reason: str, peer: str = "peer") -> None:
        self.code = code
        self.status = TOKEN_CODES[code]
        super().__init__(f"token refused ({code}): {reason}", peer)


class Refused(MeetingError):
    """A valid token that may not join now; `code` is a key of REFUSAL_CODES, `status` the HTTP status."""

    def __init__(self, code: str, reason: str, peer: str = "peer") -> None:
        self.code = code
        self.status = REFUSAL_CODES[code]
        super().__init__(f"join refused ({code}): {reason}", peer)
