"""Loading 3D Tiles content in the background: fetch (disk or http(s)), decode, place; handed over by poll().

Rules this module keeps:
1. Nothing here blocks the caller's frame: `request` replaces what is wanted (sorted by the selection's
   priority, select.py rule 4) and returns; WORKERS daemon threads read, decode (tiles/content.py) and place
   (local_model) the most urgent tile next; `poll` hands finished tiles over. Only `wait` blocks: offline
   renders wait for what their frame needs (DESIGN rule 4).
2. Queues are bounded: at most MAX_DONE finished tiles wait for the caller; a worker that would exceed it
   waits until the caller polls, so decoded geometry never piles up faster than the frame uploads it.
   What is wanted is only what the last selection asked for: tiles that left the view are not loaded.
3. Tiles whose children must be read (external tilesets, implicit subtrees) are expanded on the workers too,
   before any content. A failed expansion leaves the tile a leaf (its failure reported once), never retried
   every frame.
4. A content that fails (missing, hostile, HTTP error) is handed over as a LoadedTile with its error and no
   models: drawn as empty, reported once, not retried while it stays loaded.
5. http(s) reads: GET with the project's User-Agent, TIMEOUT, at most limits.max_file_bytes; any status but
   200 is a LoadError naming the URL. Local files go through tiles/uris.py local_reader (inside the root).
6. With a `job` (the render side's picklable read-decode-place-rows function, render/tile_parts.py), the
   threads only schedule: each hands its tile's content uris to a worker PROCESS of one pool shared by every
   loader of this process (PROCESSES at most, started at NICE so the frame's threads and llvmpipe's win the
   cores) and waits for the result without holding the GIL, then runs `finish` (the render side builds the
   tile's nodes, off the frame). A decode in Python in a thread held the GIL against the frame: 294 ms
   frames in a flight. When the pool cannot run (broken, not startable), the job runs in the thread.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from viewer.city.model import CityModel
from viewer.config import Limits
from viewer.errors import LoadError
from viewer.net.tile_fetch import USER_AGENT
from viewer.tiles.content import decode_content, local_model
from viewer.tiles.placement import TilesetPlacement
from viewer.tiles.tile import Tile
from viewer.tiles.tileset import Tileset
from viewer.tiles.uris import Reader, is_url, local_reader

WORKERS = 2  # decoding is CPU work on a 2-core machine; a third thread only adds contention
MAX_DONE = 16
TIMEOUT = 20.0
PROCESSES = 2  # worker processes shared by every loader (rule 6)
NICE = 10  # their priority: decoding yields to the frame on a busy machine

Job = Callable[[list[str], np.ndarray], Any]  # (content uris, tile transform) -> what `finish` takes
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.RLock()  # re-entered when a warm-up finishes at once
_pool_ready = threading.Event()  # set when every worker has started (until then jobs run in the threads)


def _lower_priority() -> None:
    try:
        os.nice(NICE)
    except OSError:  # not permitted: run at the same priority
        pass


def _warm() -> int:
    return os.getpid()


@contextlib.contextmanager
def _without_main_script() -> Iterator[None]:
    """Spawned workers import the parent's __main__ by path or name (multiprocessing's spawn): a script
    without an `if __name__ == "__main__"` guard would run again in every worker. They need nothing from it,
    so it is hidden while they start (they start here, in submit, not later)."""
    main = sys.modules.get("__main__")
    path, spec = getattr(main, "__file__", None), getattr(main, "__spec__", None)
    if path is not None:
        del main.__file__  # type: ignore[union-attr]
    if spec is not None:
        main.__spec__ = None  # type: ignore[union-attr]
    try:
        yield
    finally:
        if path is not None:
            main.__file__ = path  # type: ignore[union-attr]
        if spec is not None:
            main.__spec__ = spec  # type: ignore[union-attr]


def shared_pool() -> ProcessPoolExecutor | None:
    """The worker processes of rule 6, started on first use (spawned: a fork of a process with a GL
    context and threads is not safe); None when they cannot start."""
    global _pool
    with _pool_lock:
        if _pool is None:
            try:
                _pool = ProcessPoolExecutor(PROCESSES, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_lower_priority)
                # Start the interpreters now; the first tiles decode in the threads meanwhile (a cold start).
                with _without_main_script():
                    warming = [_pool.submit(_warm) for _ in range(PROCESSES)]
                for pid in list(getattr(_pool, "_processes", None) or {}):  # their imports yield to the threads
                    with contextlib.suppress(OSError):
                        os.setpriority(os.PRIO_PROCESS, pid, NICE)
                left = [len(warming)]

                def started(_: object) -> None:
                    with _pool_lock:
                        left[0] -= 1
                        if left[0] == 0:
                            _pool_ready.set()

                for future in warming:
                    future.add_done_callback(started)
            except (OSError, RuntimeError):
                return None
        return _pool


def _drop_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
        _pool_ready.clear()


def http_reader(limits: Limits, timeout: float = TIMEOUT) -> Reader:
    """A Reader for http(s) URLs (rule 5), falling back to local files for paths."""
    local = local_reader(limits)

    def read(uri: str) -> bytes:
        if not is_url(uri):
            return local(uri)
        limit = limits.max_file_bytes
        request = urllib.request.Request(uri, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                declared = response.headers.get("Content-Length")
                if declared is not None and declared.isdigit() and int(declared) > limit:
                    raise LoadError(uri, f"{int(declared):,} bytes is more than the file size limit of {limit:,}")
                data = response.read(limit + 1)
        except urllib.error.HTTPError as exc:
            raise LoadError(uri, f"HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise LoadError(uri, f"cannot fetch: {getattr(exc, 'reason', exc)}") from None
        if len(data) > limit:
            raise LoadError(uri, f"more than the file size limit of {limit:,} bytes")
        return data

    return read


def reader_for(uri: str, limits: Limits) -> Reader:
    """The Reader a tileset at `uri` needs: http(s) or local files."""
    return http_reader(limits) if is_url(uri) else local_reader(limits)


@dataclass
class LoadedTile:
    """One tile's decoded contents placed in the scene: models (one per content with triangles), the
    seconds spent, and the error when it failed (models then empty)."""

    tile: Tile
    models: list[CityModel] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    built: Any = None  # what `finish` made of a job's result (rule 6): the render side's nodes


@dataclass
class LoaderStats:
    loaded: int = 0
    failed: int = 0
    expanded: int = 0
    errors: list[str] = field(default_factory=list)


class TileContentLoader:
    """Background loading of one tileset's contents (rules 1-5)."""

    def __init__(self, tileset: Tileset, placement: TilesetPlacement, workers: int = WORKERS,
                 max_done: int = MAX_DONE, job: Job | None = None,
                 finish: Callable[[Tile, Any, float], LoadedTile] | None = None, processes: bool = True) -> None:
        self.tileset, self.placement, self.max_done = tileset, placement, max_done
        self.job, self.finish = job, finish
        self.pool = shared_pool() if job is not None and processes else None
        self.stats = LoaderStats()
        self._lock = threading.Condition()
        self._wanted: list[Tile] = []
        self._expand: list[Tile] = []
        self._busy: set[Tile] = set()
        self._done: list[LoadedTile] = []
        self._stop = False
        self._finished = 0  # tiles loaded or expanded so far: what wait() watches
        self._threads = [threading.Thread(target=self._work, name=f"citiverse-3dtiles-{i}", daemon=True)
                         for i in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    # ------------------------------------------------------------ the caller's side

    def request(self, wanted: Sequence[tuple[object, Tile]], expand: Sequence[Tile] = ()) -> None:
        """Want these tiles' contents (already sorted, soonest first) and these tiles' children."""
        with self._lock:
            waiting = {d.tile for d in self._done}
            self._wanted = [t for _, t in wanted if t not in self._busy and t not in waiting]
            self._expand = [t for t in expand if t not in self._busy]
            if self._wanted or self._expand:
                self._lock.notify_all()

    def poll(self) -> list[LoadedTile]:
        """What finished since the last poll, in the order it finished."""
        with self._lock:
            done, self._done = self._done, []
            self._lock.notify_all()  # workers waiting for room (rule 2)
        return done

    @property
    def pending(self) -> int:
        """Tiles wanted or being loaded (not yet handed over)."""
        with self._lock:
            return len(self._wanted) + len(self._expand) + len(self._busy)

    def wait(self, deadline: float) -> bool:
        """Block until a tile finished loading or expanding since the last poll (or nothing is pending) or
        time.monotonic() passes deadline; True unless the deadline passed."""
        with self._lock:
            seen = self._finished
            while not self._done and seen == self._finished and (self._wanted or self._expand or self._busy):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.25))
            return True

    def close(self) -> None:
        with self._lock:
            self._stop = True
            self._wanted, self._expand, self._done = [], [], []
            self._lock.notify_all()
        self.pool = None  # the shared pool stays for other loaders

    # ------------------------------------------------------------ the workers

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._stop and (len(self._done) >= self.max_done or not (self._wanted or self._expand)):
                    self._lock.wait()
                if self._stop:
                    return
                expanding = bool(self._expand)
                tile = self._expand.pop(0) if expanding else self._wanted.pop(0)
                self._busy.add(tile)
            result = None if expanding else self._load(tile)
            if expanding:
                self._expand_tile(tile)
            with self._lock:
                self._busy.discard(tile)
                self._finished += 1
                if result is not None and not self._stop:
                    self._done.append(result)
                self._lock.notify_all()

    def _expand_tile(self, tile: Tile) -> None:
        try:
            tile.children()
            self.stats.expanded += 1
        except LoadError as exc:
            tile._children = []  # rule 3: a leaf from now on
            self._fail(str(exc))

    def _load(self, tile: Tile) -> LoadedTile:
        if self.job is not None and self.finish is not None:
            return self._run_job(tile, self.job, self.finish)
        start = time.perf_counter()
        models = []
        try:
            for ref in tile.contents:
                data = self.tileset.reader(ref.uri)
                content = decode_content(ref.uri, data, tile.transform, limits=self.tileset.limits,
                                         reader=self.tileset.reader, root_dir=self.tileset.root_dir,
                                         crs=self.tileset.crs, gltf_up_axis=self.tileset.gltf_up_axis)
                if content.model.triangle_count:
                    models.append(local_model(content, self.placement))
        except LoadError as exc:
            self._fail(str(exc))
            return LoadedTile(tile, [], time.perf_counter() - start, str(exc))
        except Exception as exc:  # noqa: BLE001 - a decoder's bug must not kill a worker thread (rule 4)
            message = f"{tile.contents[0].uri if tile.contents else tile.key}: {type(exc).__name__}: {exc}"
            self._fail(message)
            return LoadedTile(tile, [], time.perf_counter() - start, message)
        self.stats.loaded += 1
        return LoadedTile(tile, models, time.perf_counter() - start)

    def _run_job(self, tile: Tile, job: Job, finish: Callable[[Tile, Any, float], LoadedTile]) -> LoadedTile:
        """Rule 6: the job in a worker process (in this thread when the pool is gone), then `finish` here."""
        start = time.perf_counter()
        uris = [ref.uri for ref in tile.contents]
        result: Any = None
        if self.pool is not None and _pool_ready.is_set():
            try:
                result = self.pool.submit(job, uris, tile.transform).result()
            except (BrokenProcessPool, RuntimeError, OSError):  # a worker died or the pool shut down
                _drop_pool()
                self.pool = None
        if result is None:
            result = job(uris, tile.transform)
        try:
            loaded = finish(tile, result, time.perf_counter() - start)
        except Exception as exc:  # noqa: BLE001 - rule 4: a tile that cannot be built is drawn as nothing
            loaded = LoadedTile(tile, [], time.perf_counter() - start, f"{tile.key}: {type(exc).__name__}: {exc}")
        if loaded.error is not None:
            self._fail(loaded.error)
        else:
            with self._lock:
                self.stats.loaded += 1
        return loaded

    def _fail(self, message: str) -> None:
        with self._lock:
            self.stats.failed += 1
            if len(self.stats.errors) < 20:
                self.stats.errors.append(message)
