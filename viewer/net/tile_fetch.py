"""Fetching base-map tiles: background threads, bounded concurrency, a disk cache, polite and bounded HTTP.

Rules this module keeps:
1. The only network code of base maps. A TileLoader runs WORKERS daemon threads; `request(tiles)` replaces
   what is wanted (coarse zooms first: a parent is drawn while its children load), `poll()` hands back what
   finished, and nothing here ever blocks the caller (the window's frame), except `wait`, for offline renders.
2. Remote sources (sources.py UrlSource): GET with USER_AGENT, a TIMEOUT, at most MAX_TILE_BYTES read;
   200 with an image is a tile, 404 and 204 are "no tile here" (None: drawn from a parent), anything else
   is a failure naming the URL. Fetched bytes are decoded (images.py: hostile-safe) before they are cached.
3. Disk cache under the citiverse cache folder (city/cache.py cache_dir()): basemap/<source key>/z/x/y.tile,
   written atomically (temporary file, rename). A cached tile is read, never fetched again: a second run
   over the same view makes no request. A cached file that no longer decodes is deleted and fetched.
4. A dead server is given up quickly: after DEAD_AFTER connection failures in a row, every tile of that
   loader fails at once with the reason (the render goes on without imagery; docs/basemap.md).
5. Local sources (MBTiles, GeoTIFF, the neutral map) are rendered on the same workers: never on the frame.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from viewer import __version__
from viewer.basemap.images import MAX_TILE_BYTES, TileError, decode_tile
from viewer.basemap.mercator import Tile

PROJECT_URL = "https://pypi.org/project/citiverse/"
USER_AGENT = f"citiverse/{__version__} (+{PROJECT_URL})"
WORKERS = 4
TIMEOUT = 10.0  # seconds per request (connect and each read)
DEAD_AFTER = 4  # connection failures in a row (rule 4)
EMPTY_STATUS = (204, 404)


def fetch_document(url: str, limit: int, timeout: float = TIMEOUT) -> bytes:
    """GET url (at most `limit` bytes), a TileError naming it on any failure (WMTS capabilities)."""
    status, data = _get(url, limit, timeout)
    if status != 200:
        raise TileError(url, f"HTTP {status}")
    return data


def _get(url: str, limit: int, timeout: float) -> tuple[int, bytes]:
    """(status, body) of a GET; TileError for a connection failure, a timeout or a body over `limit`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only (sources.py)
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise TileError(url, f"{int(declared):,} bytes is more than the limit of {limit:,}")
            data = response.read(limit + 1)
            status = response.status
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TileError(url, f"cannot connect: {reason}") from None
    if len(data) > limit:
        raise TileError(url, f"more than the limit of {limit:,} bytes")
    return status, data


@dataclass
class LoaderStats:
    """Counts since the loader started: network requests made, tiles read from the disk cache, tiles made
    by local sources, failures, and the last failure's message."""

    requests: int = 0
    cache_hits: int = 0
    rendered: int = 0
    failures: int = 0
    last_error: str = ""
    errors: list[str] = field(default_factory=list)


class TileLoader:
    """Loads tiles of one source in the background (rules 1-5)."""

    def __init__(self, source: Any, cache_root: Path | None = None, workers: int = WORKERS,
                 timeout: float = TIMEOUT) -> None:
        self.source = source
        self.timeout = timeout
        self.cache = None
        if getattr(source, "remote", False):
            from viewer.city.cache import cache_dir

            self.cache = (cache_root or cache_dir() / "basemap") / source.key
        self.stats = LoaderStats()
        self.dead: str | None = None
        self._lock = threading.Condition()
        self._wanted: list[Tile] = []
        self._busy: set[Tile] = set()
        self._known: dict[Tile, str] = {}  # tile -> "ready" | "empty" | "failed" (handed out or waiting)
        self._done: list[tuple[Tile, np.ndarray | None]] = []
        self._in_a_row = 0
        self._stop = False
        self._threads = [threading.Thread(target=self._work, name=f"citiverse-tiles-{i}", daemon=True)
                         for i in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    # ------------------------------------------------------------ the caller's side

    def request(self, tiles: Iterable[Tile]) -> None:
        """Want these tiles (replacing what was wanted before): coarse zooms first."""
        with self._lock:
            self._wanted = sorted(t for t in dict.fromkeys(tiles) if t not in self._known and t not in self._busy)
            self._lock.notify_all()

    def poll(self) -> list[tuple[Tile, np.ndarray | None]]:
        """What finished since the last poll: (tile, (s, s, 4) uint8 RGBA, or None for no tile/failure)."""
        with self._lock:
            done, self._done = self._done, []
        return done

    def status(self, tile: Tile) -> str | None:
        """"ready", "empty", "failed", "busy", "wanted" or None (never asked for)."""
        with self._lock:
            if tile in self._known:
                return self._known[tile]
            if tile in self._busy:
                return "busy"
            return "wanted" if tile in self._wanted else None

    def forget(self, tile: Tile) -> None:
        """The caller dropped this tile's image: fetch it again when it is wanted again."""
        with self._lock:
            self._known.pop(tile, None)

    def wait(self, tiles: Iterable[Tile], deadline: float) -> bool:
        """Block until every tile is resolved (ready, empty or failed) or time.monotonic() passes deadline;
        True when all are resolved."""
        tiles = list(tiles)
        with self._lock:
            while True:
                if all(t in self._known for t in tiles):
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.25))

    def close(self) -> None:
        with self._lock:
            self._stop = True
            self._wanted = []
            self._lock.notify_all()

    # ------------------------------------------------------------ the workers

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._stop and not self._wanted:
                    self._lock.wait()
                if self._stop:
                    return
                tile = self._wanted.pop(0)
                self._busy.add(tile)
            image, state = self._load(tile)
            with self._lock:
                self._busy.discard(tile)
                self._known[tile] = state
                self._done.append((tile, image))
                self._lock.notify_all()

    def _load(self, tile: Tile) -> tuple[np.ndarray | None, str]:
        try:
            if not getattr(self.source, "remote", False):
                image = self.source.render(tile)
                self.stats.rendered += 1
            else:
                image = self._remote(tile)
        except TileError as exc:
            self._fail(str(exc))
            return None, "failed"
        except Exception as exc:  # noqa: BLE001 - a source's bug must not kill a worker thread
            self._fail(f"{getattr(self.source, 'name', 'basemap')} {tuple(tile)}: {type(exc).__name__}: {exc}")
            return None, "failed"
        return image, "ready" if image is not None else "empty"

    def _fail(self, message: str) -> None:
        with self._lock:
            self.stats.failures += 1
            self.stats.last_error = message
            if len(self.stats.errors) < 20:
                self.stats.errors.append(message)

    def _remote(self, tile: Tile) -> np.ndarray | None:
        size = self.source.tile_size
        cached = self._cache_file(tile)
        if cached is not None and cached.is_file():
            try:
                image = decode_tile(cached.read_bytes(), size, str(cached))
                self.stats.cache_hits += 1
                return image
            except (TileError, OSError):
                cached.unlink(missing_ok=True)  # rule 3: broken in the cache, fetched again
        url = self.source.url(tile)
        if self.dead is not None:
            raise TileError(url, f"not fetched: the server is unreachable ({self.dead})")
        try:
            self.stats.requests += 1
            status, data = _get(url, MAX_TILE_BYTES, self.timeout)
        except TileError as exc:
            with self._lock:
                self._in_a_row += 1
                if self._in_a_row >= DEAD_AFTER and "cannot connect" in exc.reason:
                    self.dead = exc.reason
            raise
        self._in_a_row = 0
        if status in EMPTY_STATUS:
            return None
        if status != 200:
            raise TileError(url, f"HTTP {status}")
        image = decode_tile(data, size, url)
        if cached is not None:
            _write_atomic(cached, data)
        return image

    def _cache_file(self, tile: Tile) -> Path | None:
        return None if self.cache is None else self.cache / str(tile.z) / str(tile.x) / f"{tile.y}.tile"


def _write_atomic(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file and a rename (a killed run leaves no half tile)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a full or read-only cache only costs a fetch next time
