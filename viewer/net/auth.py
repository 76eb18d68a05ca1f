"""Bearer tokens and TLS for the feed's websockets: what the server checks and what the client presents.

Rules:
1. A token travels in the `Authorization: Bearer <token>` header (preferred: proxies log query strings) or
   as `?token=<token>` in the URL (for clients that cannot set headers, such as browsers). The server
   compares in constant time (hmac.compare_digest over UTF-8 bytes) and answers 401 with
   `WWW-Authenticate: Bearer` otherwise, before the websocket is opened.
2. A token is 1-4096 printable ASCII characters without spaces (what fits an HTTP header unquoted); one read
   from a file is stripped of surrounding whitespace (a trailing newline is the usual case).
3. TLS: the server loads a certificate chain and key (wss://); the client verifies the server against the
   system CAs or a given CA file (ssl.create_default_context(cafile=...)), hostname checked.
4. URLs are shown and recorded with the token query parameter replaced by "***".
5. A token, token file or certificate that cannot be used is a UsageError (viewer/errors.py) saying why.
"""

from __future__ import annotations

import hmac
import ssl
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from viewer.errors import UsageError

MAX_TOKEN = 4096


def check_token(token: str) -> str:
    """The token itself, or ValueError when it cannot travel in a header (rule 2)."""
    if not 1 <= len(token) <= MAX_TOKEN or not token.isascii() or not token.isprintable() or " " in token:
        raise UsageError("a token is 1-4096 printable ASCII characters without spaces")
    return token


def read_token_file(path: Path) -> str:
    """The token in a file (whitespace around it stripped); ValueError when unreadable or not a token."""
    try:
        text = Path(path).read_text(encoding="ascii", errors="strict")[: MAX_TOKEN + 64]
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the token: {exc}") from None
    return check_token(text.strip())


def presented_token(headers_authorization: str | None, path: str) -> str | None:
    """The token a request presents: the Authorization Bearer header, else the `token` query parameter."""
    if headers_authorization:
        scheme, _, value = headers_authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    for key, value in parse_qsl(urlsplit(path).query, keep_blank_values=True):
        if key == "token":
            return value
    return None


def token_matches(presented: str | None, expected: str) -> bool:
    """Constant-time comparison (for tokens of equal length; the length itself may leak, as with any MAC)."""
    if presented is None:
        return False
    return hmac.compare_digest(presented.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


def server_ssl_context(cert: Path, key: Path) -> ssl.SSLContext:
    """A TLS server context with this certificate chain and private key; ValueError naming what failed."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(str(cert), str(key))
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"cannot load the certificate {cert} with the key {key}: {exc}") from None
    return context


def client_ssl_context(cafile: Path | str | None) -> ssl.SSLContext:
    """Verify the server against `cafile` (PEM), or the system CAs when None; ValueError when unreadable."""
    try:
        return ssl.create_default_context(cafile=str(cafile) if cafile is not None else None)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"cannot load the CA file {cafile}: {exc}") from None


def redact(url: str) -> str:
    """The URL with the value of a `token` query parameter replaced by *** (for logs and recordings)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [(k, "***" if k == "token" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))
