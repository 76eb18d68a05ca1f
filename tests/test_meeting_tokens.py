"""Join tokens: signed, expiring, bound to one room; forged, altered, expired and other-room tokens refused."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.meeting.errors import TokenError
from viewer.meeting.tokens import Claims, issue_token, sign_token, verify_token

SECRET = b"meeting-secret-for-tests-0123456789"
NOW = 1_750_000_000.0


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def refused(token, code, now=NOW, room=None, secret=SECRET):
    with pytest.raises(TokenError) as info:
        verify_token(secret, token, now, room)
    assert info.value.code == code, info.value
    return info.value


def test_issued_token_verifies_with_its_claims():
    """A token issued for a room, name and role verifies to exactly those claims until it expires."""
    token = issue_token(SECRET, "delft", "Ana", "host", 60, NOW, jti="abcdefgh1234")
    claims = verify_token(SECRET, token, NOW + 59, "delft")
    assert claims == Claims("delft", "Ana", "host", NOW + 60, "abcdefgh1234")


def test_expired_token_is_refused_with_401():
    """At or after its expiry a token is refused as expired (HTTP 401)."""
    token = issue_token(SECRET, "delft", "Ana", "guest", 60, NOW)
    assert refused(token, "expired", now=NOW + 60).status == 401


def test_other_room_token_is_refused_with_403():
    """A genuine token for another room is refused with code 'room' (HTTP 403)."""
    token = issue_token(SECRET, "delft", "Ana", "guest", 60, NOW)
    assert refused(token, "room", room="rotterdam").status == 403


def test_token_from_another_secret_is_refused():
    """A token signed with another server's secret fails the signature check."""
    token = issue_token(b"another-secret-of-sufficient-size", "delft", "Ana", "host", 60, NOW)
    refused(token, "signature")


def test_altered_payload_is_refused_even_when_well_formed():
    """Promoting a guest token to host by rewriting its payload breaks the signature."""
    token = issue_token(SECRET, "delft", "Bo", "guest", 60, NOW)
    payload, mac = token.split(".")
    forged = base64.urlsafe_b64decode(payload + "==").replace(b'"guest"', b'"host"')
    refused(f"{b64(forged)}.{mac}", "signature")


def test_forged_signature_with_a_guessed_secret_is_refused():
    """A token HMAC'd with an empty secret over a valid payload is refused."""
    payload = b'{"exp":9999999999,"jti":"abcdefgh","name":"Eve","role":"host","room":"delft"}'
    mac = hmac.new(b"", payload, hashlib.sha256).digest()
    refused(f"{b64(payload)}.{b64(mac)}", "signature")


@pytest.mark.parametrize("token, code", [
    ("", "missing"), (None, "missing"), ("abc", "malformed"), ("a.b.c", "malformed"), ("a!.b", "malformed"),
    ("x" * 2000, "malformed"), (12345, "malformed"), ("a.b", "malformed"),
])
def test_malformed_tokens_are_refused(token, code):
    """Missing, non-text, oversized or non-base64url tokens are refused before any HMAC or JSON work."""
    refused(token, code)


@pytest.mark.parametrize("claims", [
    b'[1, 2]', b'{"room":"delft"}', b'not json',
    b'{"exp":1e300,"jti":"abcdefgh","name":"Eve","role":"admin","room":"delft"}',
    b'{"exp":9999999999,"jti":"abcdefgh","name":"Eve","role":"host","room":"../etc"}',
    b'{"exp":9999999999,"jti":"abcdefgh","name":"","role":"host","room":"delft"}',
    b'{"exp":9999999999,"jti":"short","name":"Eve","role":"host","room":"delft"}',
    b'{"exp":9999999999,"jti":"abcdefgh","name":"Eve","role":"host","room":"delft","admin":true}',
])
def test_signed_but_invalid_claims_are_refused(claims):
    """Even correctly signed claims must match the schema exactly (a buggy issuer cannot mint a bad role)."""
    mac = hmac.new(SECRET, claims, hashlib.sha256).digest()
    refused(f"{b64(claims)}.{b64(mac)}", "claims")


def test_issue_refuses_bad_arguments():
    """issue_token applies the server's checks: bad room, bad role, empty name, absurd ttl, short secret."""
    for args in (("bad room", "Ana", "host", 60), ("delft", "Ana", "admin", 60), ("delft", " ", "host", 60),
                 ("delft", "Ana", "host", 0), ("delft", "Ana", "host", 1e12)):
        with pytest.raises(ValueError):
            issue_token(SECRET, *args, NOW)
    with pytest.raises(ValueError):
        issue_token(b"short", "delft", "Ana", "host", 60, NOW)


def test_names_are_cleaned_of_control_and_bidi_characters():
    """A name with a newline and a right-to-left override is signed as plain visible text."""
    token = issue_token(SECRET, "delft", "Ana\n\u202eevil", "guest", 60, NOW)
    assert verify_token(SECRET, token, NOW).name == "Ana evil"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_verifies_and_never_crashes(text):
    """Random text is refused with a TokenError, never another exception."""
    with pytest.raises(TokenError):
        verify_token(SECRET, text, NOW)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_signed_arbitrary_payloads_raise_only_token_errors(payload):
    """Correctly signed garbage payloads are refused as claims errors (never a crash)."""
    mac = hmac.new(SECRET, payload, hashlib.sha256).digest()
    with pytest.raises(TokenError):
        verify_token(SECRET, f"{b64(payload)}.{b64(mac)}", NOW)


def test_sign_is_deterministic_for_given_claims():
    """The same claims give the same token (compact JSON with sorted keys)."""
    claims = Claims("delft", "Ana", "host", NOW, "abcdefgh")
    assert sign_token(SECRET, claims) == sign_token(SECRET, claims)
