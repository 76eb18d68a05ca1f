"""Signed join tokens: who may join which room as what, until when.

    token = base64url(payload) "." base64url(HMAC-SHA256(secret, payload))      (no padding)
    payload = compact JSON {"exp": 1767225600.0, "jti": "k3J...", "name": "Ana", "role": "host", "room": "delft"}

Rules:
1. The signature is checked, in constant time (hmac.compare_digest), over the payload bytes exactly as
   sent, before the payload is parsed: unauthenticated JSON is never parsed.
2. Then the claims, strictly: exactly the five keys; room a room name, name clean text of 1-40
   characters, role one of ROLES, exp a finite number, jti 8-64 URL-safe characters. Expired when
   exp <= now. A token names one room: verify(..., room=R) refuses a token for any other room.
3. Every refusal is a TokenError with a code (errors.TOKEN_CODES) and never reveals the expected
   signature. Text is bounded (MAX_TOKEN_CHARS) before any decoding.
4. Time is an argument (seconds since the Unix epoch); nothing here reads a clock or a file. The secret is
   bytes of at least MIN_SECRET_BYTES.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

import orjson

from viewer.meeting.errors import MessageError, TokenError
from viewer.meeting.fields import as_jti, as_room, clean_text
from viewer.meeting.roles import ROLES
from viewer.wire import as_number

MAX_TOKEN_CHARS = 1024
MAX_NAME_CHARS = 40
MIN_SECRET_BYTES = 16
MAX_TTL = 30 * 24 * 3600.0  # seconds: a join token for a meeting, not a lifetime credential
_B64 = re.compile(r"[A-Za-z0-9_-]*")
_KEYS = frozenset({"room", "name", "role", "exp", "jti"})


@dataclass(frozen=True)
class Claims:
    """What a verified token says: room, display name, role (host|guest), expiry (Unix s), token id."""

    room: str
    name: str
    role: str
    exp: float
    jti: str


def check_secret(secret: bytes) -> bytes:
    """The secret itself, or ValueError when it is too short to sign with."""
    if not isinstance(secret, bytes) or len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the meeting secret must be at least {MIN_SECRET_BYTES} bytes")
    return secret


def new_jti() -> str:
    """A fresh random token id (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def issue_token(secret: bytes, room: str, name: str, role: str, ttl: float, now: float,
                jti: str | None = None) -> str:
    """A token for `name` to join `room` as `role` for `ttl` seconds from `now`. ValueError for a bad
    argument (the same checks a server applies, so an issued token always verifies)."""
    if not 0 < ttl <= MAX_TTL:
        raise ValueError(f"ttl must be between 0 and {MAX_TTL:.0f} seconds, got {ttl}")
    try:
        claims = Claims(as_room(room), clean_text(name, "name", MAX_NAME_CHARS), _role(role),
                        float(now) + float(ttl), as_jti(jti or new_jti()))
    except MessageError as exc:
        raise ValueError(exc.reason) from None
    return sign_token(check_secret(secret), claims)


def sign_token(secret: bytes, claims: Claims) -> str:
    """The token text for `claims` (the caller has checked them; issue_token does)."""
    payload = orjson.dumps({"exp": claims.exp, "jti": claims.jti, "name": claims.name, "role": claims.role,
                            "room": claims.room}, option=orjson.OPT_SORT_KEYS)
    mac = hmac.new(secret, payload, hashlib.sha256).digest()
    return f"{_b64encode(payload)}.{_b64encode(mac)}"


def verify_token(secret: bytes, token: Any, now: float, room: str | None = None, peer: str = "peer") -> Claims:
    """The claims of a genuine, unexpired token (for `room` when given); TokenError otherwise (rules 1-3)."""
    if not token:
        raise TokenError("missing", "no token presented", peer)
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
        raise TokenError("malformed", f"a token is text of at most {MAX_TOKEN_CHARS} characters", peer)
    parts = token.split(".")
    if len(parts) != 2:
        raise TokenError("malformed", "a token is two base64url parts joined by '.'", peer)
    payload, mac = _b64decode(parts[0], peer), _b64decode(parts[1], peer)
    expected = hmac.new(secret, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, mac):
        raise TokenError("signature", "the signature does not match (forged, altered or another server's)", peer)
    claims = _claims(payload, peer)
    if claims.exp <= now:
        raise TokenError("expired", f"expired {now - claims.exp:.0f} s ago", peer)
    if room is not None and claims.room != room:
        raise TokenError("room", f"the token is for room {claims.room!r}, not {room[:64]!r}", peer)
    return claims


def _claims(payload: bytes, peer: str) -> Claims:
    try:
        obj = orjson.loads(payload)
        if not isinstance(obj, dict) or set(obj) != _KEYS:
            raise MessageError(f"the claims must be exactly {', '.join(sorted(_KEYS))}")
        return Claims(as_room(obj["room"]), clean_text(obj["name"], "name", MAX_NAME_CHARS), _role(obj["role"]),
                      as_number(obj["exp"], "exp"), as_jti(obj["jti"]))
    except orjson.JSONDecodeError as exc:
        raise TokenError("claims", f"the payload is not JSON ({exc.msg})", peer) from None
    except MessageError as exc:
        raise TokenError("claims", exc.reason, peer) from None


def _role(value: Any) -> str:
    if value not in ROLES:
        raise MessageError(f"role must be one of {', '.join(ROLES)}, got {str(value)[:32]!r}")
    return str(value)


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str, peer: str) -> bytes:
    if not _B64.fullmatch(text) or len(text) % 4 == 1:
        raise TokenError("malformed", "a part is not base64url", peer)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise TokenError("malformed", "a part is not base64url", peer) from None
