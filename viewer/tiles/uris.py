"""Where a tileset's references point, and reading them from disk.

Rules this module keeps:
1. A reference is kept as a string: an absolute local path or an http(s) URL. Nothing is fetched here; net/
   supplies a reader for URLs (a `Reader` is any function uri -> bytes that raises LoadError).
2. Relative references resolve against the document that holds them (a tileset.json, an external tileset, a
   subtree file). Local references are URI-decoded (%20 -> space), lose any ?query or #fragment, and must stay
   inside the root tileset's folder (viewer.city.limits.resolve_inside, as every other loader).
3. Only http, https and relative references are accepted: file:, data: and other schemes are refused, and a
   tileset read over http(s) never reaches the local disk.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from viewer.city.limits import check_file, resolve_inside
from viewer.config import Limits
from viewer.errors import LoadError

Reader = Callable[[str], bytes]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_url(uri: str) -> bool:
    return uri.lower().startswith(("http://", "https://"))


def resolve(document: str, reference: str, root_dir: str | None) -> str:
    """The absolute uri of `reference` found in `document` (a path or URL); root_dir bounds local files.

    root_dir is the root tileset's folder (None when the root is a URL)."""
    if not isinstance(reference, str) or not reference:
        raise LoadError(document, f"content uri must be a non-empty string, got {reference!r}")
    if is_url(reference):
        return reference
    if _SCHEME.match(reference) and not re.match(r"^[A-Za-z]:[\\/]", reference):
        raise LoadError(document, f"reference {reference!r}: only http(s) and relative references are read")
    if is_url(document):
        return urljoin(document, reference)
    if root_dir is None:
        raise LoadError(document, "a local document needs its root tileset's folder")
    relative = unquote(urlsplit(reference).path)
    if os.path.isabs(relative):
        raise LoadError(document, f"reference {reference!r} is an absolute path (only relative ones are read)")
    inside_root = os.path.relpath(os.path.dirname(document), root_dir)
    return str(resolve_inside(Path(root_dir), os.path.join(inside_root, relative), document))


def extension(uri: str) -> str:
    """The lower-case suffix of a uri's path, without query or fragment (".b3dm", ".json", "")."""
    path = urlsplit(uri).path if is_url(uri) else uri
    return os.path.splitext(path)[1].lower()


def local_reader(limits: Limits) -> Reader:
    """A Reader for local files within the file-size limit; URLs need net/'s reader."""

    def read(uri: str) -> bytes:
        if is_url(uri):
            raise LoadError(uri, "http(s) tiles are fetched by the network layer: open the tileset through it")
        path = Path(uri)
        check_file(path, limits)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None

    return read
