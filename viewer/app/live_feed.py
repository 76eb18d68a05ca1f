"""Feeds for the live layers: a websocket FeedClient, or any Source stepped in feed time without sockets.

Rules this module keeps:
1. A feed is anything with start(), stop(), drain(max_seconds) -> [(TwinUpdate, reset)] and status() ->
   a FeedStatus-like object (state, lag_s, updates_per_s, stale_count, url, last_error): the API of
   viewer.net.feed_client.FeedClient. open_feed() turns what the user gave into one: a ws:// or wss://
   URL becomes a FeedClient (imported here, lazily: it starts asyncio on its own thread), a file path a
   ReplaySource recording, a Source object (SUMO FCD, meter CSV, demo) is wrapped as it is.
2. SourceFeed paces a Source by a clock (time.monotonic unless given): drain() steps it until its feed time
   reaches the pace's (the feed time at the last anchor + wall seconds since x speed; frozen while paused),
   within `max_seconds`; advance_to(t) steps it to feed time t at once (headless renders, tests). Its first
   update is a snapshot delivered with reset=True. Pause, play, speed and steps move the anchor, so the feed
   time never jumps when they change.
3. The positions' CRS: feed_crs() asks the feed (a Source's `crs`, a FeedClient's hello); None until known.
4. A ws:// or wss:// feed is started by open_feed(), which waits for its first connection attempt (at most
   the client's open timeout): a refusal that retrying cannot cure (connection refused, HTTP 401/403, TLS,
   not a websocket server) raises PeerError naming the URL and the reason at once, instead of a command
   waiting for data that will never come. Later losses reconnect as usual.
5. `--at` times: parse_at() reads "+S" (seconds after the feed's first update), an ISO 8601 date and time
   (UTC unless it names an offset) or plain epoch seconds.
6. What the user named is checked before anything opens (check_feed_name): a URL of another scheme (http://)
   or a bare host:port is refused saying a feed URL is ws:// or wss://, a recording that does not exist is
   refused naming it; neither is ever read as a file name. nats://HOST:4222?subject=NAME reads a bus twin
   through a private edge (net/bus_feed.py); its form is checked here too.
7. Time travel in a recording (ReplaySource.seek, sources/replay.py rule 6): seek(t) to an earlier time, or
   one further ahead than JUMP_STEPS steps, hands out the state at t as one snapshot with reset=True (the
   layers rebuild from it); start_index() reads the file once on a daemon thread for the checkpoints that
   keep a seek short, and timeline() says how far it got. A seek is clamped to what is indexed.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError, LoadError, PeerError, UsageError
from viewer.twin.batch import TwinUpdate

JUMP_STEPS = 20  # a recording jumps (rule 7) to a time further ahead than this many steps; nearer ones are stepped


@dataclass(frozen=True)
class LocalFeedStatus:
    """The FeedStatus fields for a feed without a network: state "replay" or "ended"."""

    state: str
    lag_s: float
    updates_per_s: float
    stale_count: int
    url: str
    last_error: str | None


class SourceFeed:
    """A Source as a feed (rules 2 and 7). `label` names it on the status line."""

    def __init__(self, source: Any, speed: float = 1.0, label: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        self.source, self.speed, self.clock = source, float(speed), clock
        self.label = label or str(getattr(source, "path", "") or getattr(source, "name", "source"))
        self.first_time: float | None = None
        self.time = -math.inf  # feed time of the latest update handed out
        self.ended = False
        self.paused = False
        self.index: Any = None  # a ReplayIndex once start_index() ran (rule 7)
        self.seeks = 0  # jumps made (each handed out as a reset snapshot)
        self._pending: list[tuple[TwinUpdate, bool]] = []
        self._anchor = (0.0, 0.0)  # (wall, feed time): the pace runs from here (rule 2)
        self._paused_wall = 0.0  # wall seconds spent paused, up to the last play()
        self._paused_at = 0.0
        self._recent: deque[tuple[float, int]] = deque()
        self.error: str | None = None
        self._ahead: TwinUpdate | None = None  # the first update after advance_through's time, held
        self._indexer: threading.Thread | None = None
        self._stopping = False

    @property
    def crs(self) -> str | None:
        return getattr(self.source, "crs", None)

    @property
    def step_seconds(self) -> float:
        """Feed seconds of one source step."""
        step = getattr(self.source, "source_step", None) or getattr(self.source, "period", None)
        return float(step) if step else 0.1

    @property
    def can_seek(self) -> bool:
        """Whether the source can go back in time (a recording: rule 7)."""
        return callable(getattr(self.source, "seek", None))

    def start(self) -> SourceFeed:
        if self.first_time is None:
            first = self.source.start()
            self.first_time = self.time = first.time
            self._pending.append((first, True))
            self._anchor = (self.clock(), first.time)
        return self

    def stop(self) -> None:
        self._stopping = True
        if self._indexer is not None:
            self._indexer.join(timeout=5.0)
        self.source.close()

    def _step(self) -> TwinUpdate | None:
        update: TwinUpdate | None
        if self._ahead is not None:  # read ahead by advance_through
            update, self._ahead = self._ahead, None
        else:
            update = None if self.ended else self.source.step()
        if update is None:
            self.ended = True
            return None
        self.time = update.time
        return update

    # ------------------------------------------------------------ pace (rules 2 and 7)

    def due(self) -> float:
        """The feed time the pace has reached now: frozen while paused."""
        wall, at = self._anchor
        return at if self.paused else at + (self.clock() - wall) * self.speed

    def view_time(self, delay: float) -> float:
        """The feed time to draw at: `delay` behind the pace while playing (between the two newest samples),
        the feed time itself while paused (what a step shows)."""
        return min(self._anchor[1], self.time) if self.paused else self.due() - delay

    def paused_seconds(self) -> float:
        """Wall seconds spent paused so far (the layers leave them out of fading and expiry)."""
        return self._paused_wall + (self.clock() - self._paused_at if self.paused else 0.0)

    def _anchor_at(self, feed_time: float) -> None:
        self._anchor = (self.clock(), feed_time)

    def pause(self) -> None:
        if not self.paused:
            self._anchor_at(min(self.due(), self.time))
            self.paused, self._paused_at = True, self.clock()

    def play(self) -> None:
        if self.paused:
            self._paused_wall += self.clock() - self._paused_at
            self.paused = False
            self._anchor_at(self._anchor[1])

    def set_speed(self, speed: float) -> None:
        """Feed seconds per wall second from now on; the feed time goes on from where it is."""
        if not speed > 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        self._anchor_at(self.due())
        self.speed = float(speed)

    def step_forward(self) -> None:
        """Pause, then hand out the next step."""
        self.start()
        self.pause()
        update = self._step()
        if update is not None:
            self._pending.append((update, False))
        self._anchor_at(self.time)

    def step_back(self) -> bool:
        """Pause, then go back one step (a recording only); False when the source cannot."""
        self.start()
        self.pause()
        if not self.can_seek:
            return False
        self.seek(self.time - self.step_seconds)
        return True

    # ------------------------------------------------------------ draining

    def drain(self, max_seconds: float = 0.004) -> list[tuple[TwinUpdate, bool]]:
        """The updates due by the clock (rule 2), as many as fit in max_seconds."""
        self.start()
        out, self._pending = self._pending, []
        due = self.due()
        begin = time.perf_counter()
        while not self.ended and self.time < due and time.perf_counter() - begin < max_seconds:
            update = self._step()
            if update is not None:
                out.append((update, False))
        self._count(out)
        return out

    def timeline(self) -> tuple[float, float, float | None] | None:
        """(first, indexed up to, last) feed times of this pass of a recording being indexed (rule 7); last
        None until the whole file was read; None without an index."""
        first = getattr(self.source, "first_time", None)
        if self.index is None or first is None:
            return None
        end = None if self.index.end is None else first + self.index.end
        return first, first + self.index.indexed, end

    def seek(self, t: float | None) -> None:
        """Go to feed time t (a meeting host's shared time, the time bar, a step back); None: carry on as
        paced. A recording jumps there (rule 7: back, or far ahead) and hands out the state there as a reset
        snapshot; another source cannot run backwards (twin revisions never do): a t before the newest
        update holds it where it is, a later one makes the updates up to t due at once."""
        self.start()
        if t is None or self.first_time is None:
            return
        span = self.timeline()
        if span is not None:
            t = min(max(t, span[0]), span[1] if span[2] is None else span[2])
        if self.can_seek and (t < self.time or t - self.time > JUMP_STEPS * self.step_seconds):
            update = self.source.seek(t, self.index)
            self._ahead, self.ended, self.time = None, False, update.time
            self._pending = [(update, True)]  # replaces what was not handed out yet
            self.seeks += 1
            self._anchor_at(update.time)
            return
        self._anchor_at(max(t, self.time))

    def start_index(self, every: float | None = None, background: bool = True) -> None:
        """Index the recording for seeks (rule 7), on a daemon thread unless background is False."""
        if self.index is not None or not self.can_seek or not hasattr(self.source, "path"):
            return
        from viewer.sources.replay import ReplayIndex, build_index

        self.index = ReplayIndex(every)
        path, period, index = self.source.path, self.source.period, self.index

        def run() -> None:
            try:
                build_index(path, period, index, self.source.limits, stop=lambda: self._stopping)
            except LoadError as exc:  # a file that changed under us: seeks then read from the pass's start
                index.error = str(exc)

        if not background:
            run()
            return
        self._indexer = threading.Thread(target=run, name="citiverse-replay-index", daemon=True)
        self._indexer.start()

    def advance_to(self, t: float, count: bool = False) -> list[tuple[TwinUpdate, bool]]:
        """Every update up to the first at or after feed time t (all of them if the feed ends first);
        count: include them in updates_per_s (a video, whose clock advances with t)."""
        self.start()
        out, self._pending = self._pending, []
        while not self.ended and self.time < t:
            update = self._step()
            if update is not None:
                out.append((update, False))
        if count:
            self._count(out)
        return out

    def advance_through(self, t: float, count: bool = False) -> list[tuple[TwinUpdate, bool]]:
        """Every update with feed time <= t, in order, and none later: the first later one is read and held
        for the next call (a video frame shows no reading from its own future). count: as advance_to."""
        self.start()
        out, self._pending = self._pending, []
        while True:
            if self._ahead is None:
                following = None if self.ended else self.source.step()
                if following is None:
                    self.ended = True
                    break
                self._ahead = following
            if self._ahead.time > t:
                break
            update = self._step()
            assert update is not None
            out.append((update, False))
        if count:
            self._count(out)
        return out

    def _count(self, out: list[tuple[TwinUpdate, bool]]) -> None:
        now = self.clock()
        self._recent.append((now, sum(u.count() for u, _ in out)))
        while self._recent and self._recent[0][0] <= now - 1.0:  # the last second only
            self._recent.popleft()

    def status(self) -> LocalFeedStatus:
        rows = sum(n for _, n in self._recent)
        return LocalFeedStatus("ended" if self.ended else "replay", 0.0, float(rows), 0, self.label, self.error)


def feed_crs(feed: Any) -> str | None:
    """The CRS of the feed's positions (rule 3); None while unknown."""
    hello = getattr(feed, "hello", None)
    if hello is not None and getattr(hello, "crs", None) is not None:
        return str(hello.crs)
    crs = getattr(feed, "crs", None)
    return None if crs is None else str(crs)


FEED_SCHEMES = ("ws://", "wss://")
BUS_FEED_SCHEMES = ("nats://", "tls://")


def check_feed_url(url: str) -> str:
    """`url` when it is a ws:// or wss:// URL; else ConfigError saying so, with the URL it may have meant."""
    if url.startswith(FEED_SCHEMES):
        return url
    scheme, sep, rest = url.partition("://")
    where = rest if sep else url
    hint = f"ws://{where}" + ("" if "/" in where else "/")
    reason = (f"a feed URL starts with ws:// or wss://, not {scheme}:// (did you mean {hint}?)" if sep else
              f"not a feed URL, which starts with ws:// or wss:// (did you mean {hint}?)")
    raise ConfigError(url, "", reason)


def check_feed_name(feed: str | Path) -> None:
    """Rule 6: a ws:// or wss:// URL, or a recording file that exists."""
    text = str(feed)
    if text.startswith(BUS_FEED_SCHEMES):  # nats://HOST:4222?subject=NAME: read the bus (net/bus_feed.py)
        from viewer.net.bus_feed import parse_bus_feed

        try:
            parse_bus_feed(text)
        except UsageError as exc:
            raise ConfigError(text, "", str(exc)) from None
    elif "://" in text:
        check_feed_url(text)
    elif not Path(text).is_file():
        raise LoadError(text, "recording not found" if not Path(text).exists() else "not a recording file")


def open_feed(feed: Any, token: str | None = None, cafile: str | Path | None = None, speed: float = 1.0,
              loop: bool = False) -> Any:
    """A feed (rule 1) from a URL, a recording path, a Source or a feed; not started yet, except a URL's client
    (rule 4: its first connection is tried before this returns; PeerError when it cannot work)."""
    if hasattr(feed, "drain") and hasattr(feed, "status"):
        return feed
    if hasattr(feed, "start") and hasattr(feed, "step"):
        return SourceFeed(feed, speed)
    text = str(feed)
    check_feed_name(text)
    if text.startswith(BUS_FEED_SCHEMES):
        from viewer.net.bus_feed import BusFeedClient  # nats-py and a private edge only when asked

        return BusFeedClient(text).start()
    if text.startswith(FEED_SCHEMES):
        from viewer.net.feed_client import FeedClient  # starts asyncio on its own thread: only when asked

        client = FeedClient(text, token=token, cafile=cafile).start()
        failure = client.first_failure(client.open_timeout + 1.0)
        if failure is not None:
            client.stop()
            raise PeerError(failure, client.shown_url)
        return client
    from viewer.sources.replay import ReplaySource

    return SourceFeed(ReplaySource(Path(text), loop=loop), speed, label=Path(text).name)


def parse_at(value: str | float | None, first: float | None) -> float | None:
    """A feed time from `--at` (rule 5); None stays None. ConfigError for text that is none of the forms."""
    if value is None or isinstance(value, (int, float)):
        return None if value is None else float(value)
    text = value.strip()
    try:
        if text.startswith("+"):
            return (first or 0.0) + float(text[1:])
        return float(text)
    except ValueError:  # plain parse of the user's text
        pass
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:  # plain parse of the user's text
        raise ConfigError("--at", "", f"{value!r} is not +SECONDS, epoch seconds or an ISO date and time") from None
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()
