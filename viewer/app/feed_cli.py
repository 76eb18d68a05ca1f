"""The `citiverse feed` commands: `feed serve` (a FeedServer on a chosen source) and `feed record`.

viewer/cli.py parses the arguments and calls cmd_feed_serve / cmd_feed_record; everything else is here.

Rules:
1. Sources are built by SOURCES[name](args, scene): a new source is one function and one entry. Errors in
   the user's input (missing option, unreadable file) raise CitiverseError or ValueError with one clear
   line; cli.py prints it.
2. Source time is epoch seconds: the demo, SUMO and NGSI sources start at --start (default: the wall clock
   at startup, so lag and time of day mean what they say); meter CSVs keep their own times, from their first
   row or from a --start within their readings; recordings keep their own times (--start is refused).
   The URL of `feed record` is checked to be ws:// or wss:// before anything connects.
3. Output: the URL served (always), then one line per client connect and disconnect and a status line every
   --status-every seconds (not with -q). Ctrl-C closes every connection and the source, then returns 0.
5. `feed record --source NAME` (demo, sumo, csv) writes the source straight into a recording, as fast as it
   runs, with no server: each message stamped with its source time, so the file replays as the source ran
   (deterministic sources give identical files). --duration counts the source's seconds.
4. The token comes from --token, --token-file or the CITIVERSE_FEED_TOKEN environment variable (a token on
   the command line is visible to other users in the process list: prefer the file or the variable).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from viewer.app.live_feed import check_feed_url
from viewer.config import SceneConfig, load_scene
from viewer.errors import CitiverseError
from viewer.net.auth import check_token, read_token_file, redact, server_ssl_context
from viewer.net.feed_server import FeedServer, ServerOptions
from viewer.net.recorder import Recorder
from viewer.sources.base import Source
from viewer.twin.messages import ENCODINGS

TOKEN_ENV = "CITIVERSE_FEED_TOKEN"


class FeedUsageError(CitiverseError, ValueError):
    """The options given cannot make a feed (missing file, conflicting options)."""


def parse_start(text: str | None) -> float:
    """Epoch seconds from epoch seconds or ISO 8601 ("2026-01-05T08:00", naive = UTC); None = now."""
    if text is None:
        return round(time.time(), 1)
    try:
        return float(text)
    except ValueError:
        pass
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise FeedUsageError(f"--start must be epoch seconds or an ISO 8601 time, got {text!r}") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def _scene(args: argparse.Namespace) -> SceneConfig | None:
    if args.scene is None:
        return None
    path = Path(args.scene)
    return load_scene(path) if path.suffix.lower() == ".toml" else SceneConfig.for_file(path)


def _need(args: argparse.Namespace, *names: str) -> None:
    for name in names:
        if getattr(args, name) is None:
            raise FeedUsageError(f"--source {args.source} needs --{name.replace('_', '-')}")


def _demo(args: argparse.Namespace, scene: SceneConfig | None) -> Source:
    from viewer.sources.demo import DemoSource

    if scene is None:
        raise FeedUsageError("--source demo needs --scene (its road network and buildings)")
    if not 0 <= args.vehicles <= 1_000_000:
        raise FeedUsageError("--vehicles must be between 0 and 1,000,000")
    source = DemoSource.from_scene(scene, seed=args.seed, vehicles=args.vehicles, start_time=parse_start(args.start))
    return source


def _replay(args: argparse.Namespace, scene: SceneConfig | None) -> Source:
    from viewer.sources.replay import ReplaySource

    _need(args, "file")
    if args.start is not None:
        raise FeedUsageError("--start does not apply to --source replay: a recording keeps its own times")
    return ReplaySource(args.file, loop=args.loop)


def _sumo(args: argparse.Namespace, scene: SceneConfig | None) -> Source:
    epoch = parse_start(args.start)
    if args.sumocfg is not None:
        from viewer.sources.sumo_live import SumoLiveSource

        return SumoLiveSource(args.sumocfg, epoch=epoch, quiet=getattr(args, "quiet", False))
    from viewer.sources.sumo_fcd import FcdSource

    if args.file is None and args.edgedata is None:
        raise FeedUsageError("--source sumo needs --sumocfg (live) or --file FCD [--net NET] (replay)")
    net = args.net or _scene_net(scene)
    return FcdSource(args.file, net=net, edgedata=args.edgedata, epoch=epoch)


def _scene_net(scene: SceneConfig | None) -> Path | None:
    """The first SUMO network of the scene, for an FCD replay given no --net."""
    for source in scene.sources if scene is not None else ():
        if source.path is not None and (source.format == "sumo-net" or str(source.path).endswith(".net.xml")):
            return Path(source.path)
    return None


def _csv(args: argparse.Namespace, scene: SceneConfig | None) -> Source:
    """Meter readings from their first row, or from --start, which must fall within them."""
    from viewer.sources.energy_csv import EnergyCsvSource, MeterTable

    _need(args, "file", "mapping")
    table = MeterTable(args.file)
    start = None if args.start is None else parse_start(args.start)
    if start is not None and not table.covers(start):
        raise FeedUsageError(f"--start {args.start}: outside the readings: {table.span_text()}")
    return EnergyCsvSource(table, args.mapping, start=start, building_ids=_building_ids(scene))


def _building_ids(scene: SceneConfig | None) -> list[str] | None:
    """The scene's Building object ids (to check the mapping against), None without a scene."""
    if scene is None:
        return None
    from viewer.city.scene import load_scene_models
    from viewer.sources.demo import building_table

    ids, _, _ = building_table(load_scene_models(scene).model.objects)
    return [str(i) for i in ids.tolist()]


def _ngsi(args: argparse.Namespace, scene: SceneConfig | None) -> Source:
    from viewer.sources.energy_csv import read_mapping
    from viewer.sources.ngsi import NgsiSource

    road_ids = read_mapping(args.mapping) if args.mapping is not None else None
    own = getattr(args, "ngsi_token", None)  # the notify endpoint takes its own token, else the feed's
    try:
        token = check_token(own) if own else token_of(args)
    except ValueError as exc:
        raise FeedUsageError(f"--ngsi-token: {exc}") from None
    return NgsiSource(host=getattr(args, "ngsi_host", "127.0.0.1"), port=getattr(args, "ngsi_port", 8766),
                      road_ids=road_ids, start_time=parse_start(args.start), token=token)


def _mqtt(args: argparse.Namespace, scene: SceneConfig | None) -> Source:
    from viewer.sources.mqtt import MqttSource

    _need(args, "broker", "mapping")
    return MqttSource(args.broker, args.mapping, start_time=parse_start(args.start))


SOURCES: dict[str, Callable[[argparse.Namespace, SceneConfig | None], Source]] = {
    "demo": _demo, "replay": _replay, "sumo": _sumo, "csv": _csv, "ngsi": _ngsi, "mqtt": _mqtt,
}


def token_of(args: argparse.Namespace) -> str | None:
    """--token, else --token-file, else $CITIVERSE_FEED_TOKEN, else None (rule 4)."""
    try:
        if getattr(args, "token", None):
            return check_token(args.token)
        if getattr(args, "token_file", None):
            return read_token_file(args.token_file)
        env = os.environ.get(TOKEN_ENV)
        return check_token(env.strip()) if env else None
    except ValueError as exc:
        raise FeedUsageError(str(exc)) from None


def server_options(args: argparse.Namespace) -> ServerOptions:
    if not args.speed > 0:
        raise FeedUsageError("--speed must be > 0")
    if (args.cert is None) != (args.key is None):
        raise FeedUsageError("--cert and --key go together (wss://)")
    try:
        context = server_ssl_context(args.cert, args.key) if args.cert is not None else None
    except ValueError as exc:
        raise FeedUsageError(str(exc)) from None
    return ServerOptions(host=args.host, port=args.port, speed=args.speed, token=token_of(args), ssl=context,
                         status_every=args.status_every)


def _printer(quiet: bool) -> Callable[[str], None]:
    def report(line: str) -> None:
        if not quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)

    return report


def check_bus(args: argparse.Namespace) -> tuple[str, str]:
    """(NATS URL, twin name) from --nats and --subject, checked (rule 6)."""
    from viewer.twin.bus import BusNames

    if args.nats is None or args.subject is None:
        raise FeedUsageError("--nats URL and --subject NAME go together")
    if not args.nats.startswith(("nats://", "tls://")):
        raise FeedUsageError(f"--nats: a NATS URL starts with nats:// (e.g. nats://127.0.0.1:4222), got {args.nats!r}")
    try:
        BusNames(args.subject)
    except ValueError as exc:
        raise FeedUsageError(f"--subject: {exc}") from None
    return args.nats, args.subject


def _time_range(args: argparse.Namespace) -> tuple[float, float | None]:
    if args.time_from is None:
        raise FeedUsageError("reading the bus's history needs --from TIME (and --to TIME, default the newest)")
    start = parse_start(args.time_from)
    end = None if args.time_to is None else parse_start(args.time_to)
    if end is not None and not end > start:
        raise FeedUsageError(f"--to {args.time_to} is not after --from {args.time_from}")
    return start, end


def _history(args: argparse.Namespace) -> Any:
    from viewer.net.bus import BusHistorySource

    url, name = check_bus(args)
    start, end = _time_range(args)
    return BusHistorySource(url, name, start, end)


def cmd_feed_publish(args: argparse.Namespace) -> int:
    """`feed publish`: a source onto the bus (net/bus.py BusPublisher)."""
    from viewer.net.bus import BusOptions, BusPublisher

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    url, name = check_bus(args)
    options = BusOptions(speed=args.speed, checkpoint_every=args.checkpoint_every,
                         max_age=args.history_hours * 3600.0, max_bytes=int(args.history_mb * 1024 * 1024))
    source = SOURCES[args.source](args, _scene(args))
    publisher = BusPublisher(source, url, name, options, _printer(getattr(args, "quiet", False)))
    try:
        asyncio.run(_publish(publisher, args))
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


async def _publish(publisher: Any, args: argparse.Namespace) -> None:
    try:
        await publisher.start()
        source = publisher.source
        print(f"publishing {source.name} ({', '.join(source.kinds)}) to {args.nats} as {args.subject!r} "
              f"(stream {publisher.names.stream}, run {publisher.epoch}); Ctrl-C stops", flush=True)
        if source.name == "ngsi":
            print(ngsi_line(source), flush=True)
        status = asyncio.create_task(_publish_status(publisher, args))
        await publisher.run()
        status.cancel()
        print(f"source ended: {publisher.step} steps, {publisher.published} messages published, "
              f"{publisher.failed} lost, {publisher.checkpoints} checkpoints (edges keep serving the last state)",
              flush=True)
    finally:
        await publisher.close()


async def _publish_status(publisher: Any, args: argparse.Namespace) -> None:
    report = _printer(getattr(args, "quiet", False))
    while True:
        await asyncio.sleep(args.status_every)
        counts = ", ".join(f"{n} {kind}" for kind, n in publisher.state.count().items())
        report(f"status: step {publisher.step}, {counts}; {publisher.published} messages published, "
               f"{publisher.failed} lost, {publisher.checkpoints} checkpoints")


def cmd_feed_serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if (args.source is None) == (args.nats is None):
        raise FeedUsageError("feed serve takes --source NAME, or --nats URL --subject NAME (an edge): one of them")
    if args.nats is not None and args.time_from is None:
        return _serve_edge(args)
    if args.nats is None and (args.time_from or args.time_to):
        raise FeedUsageError("--from and --to read a bus's history: give them with --nats and --subject")
    options = server_options(args)
    source = _history(args) if args.nats is not None else SOURCES[args.source](args, _scene(args))
    server = FeedServer(source, options, _printer(getattr(args, "quiet", False)))
    try:
        asyncio.run(_serve(server, source, options))
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


def _serve_edge(args: argparse.Namespace) -> int:
    """`feed serve --nats`: an edge, serving the bus's twin to websocket viewers (net/bus.py rule 3)."""
    from viewer.net.bus import BusEdgeDriver, BusTwin

    url, name = check_bus(args)
    options = server_options(args)
    report = _printer(getattr(args, "quiet", False))
    server = FeedServer(BusTwin(), options, report, driver=lambda s: BusEdgeDriver(s, url, name))
    try:
        asyncio.run(_serve(server, server.source, options, f" (edge of {name!r} on {url})"))
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


async def _serve(server: FeedServer, source: Source, options: ServerOptions, via: str = "") -> None:
    try:
        await server.start()
    except BaseException:
        await server.close()
        raise
    kinds = ", ".join(source.kinds)
    crs = source.crs or "scene coordinates"
    auth = "; bearer token required" if options.token else ""
    print(f"serving {source.name}{via} ({kinds}; positions in {crs}) at {server.url}{auth}; Ctrl-C stops",
          flush=True)
    if source.name == "ngsi":
        print(ngsi_line(source), flush=True)
    await server.serve_forever()


def ngsi_line(source: Any) -> str:
    """The start-up line of the NGSI-LD notify endpoint: its URL and whether it requires a token."""
    if source.requires_token:
        return f"NGSI-LD notifications: POST {source.url} (bearer token required)"
    exposed = source.address[0] not in ("127.0.0.1", "::1", "localhost")
    return (f"NGSI-LD notifications: POST {source.url} (no token required"
            + ("; anyone who can reach this address can change the twin: give --token or --ngsi-token)"
               if exposed else ")"))


def cmd_feed_record(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if args.duration is not None and not args.duration > 0:
        raise FeedUsageError("--duration must be > 0 seconds")
    given = [args.url is not None, getattr(args, "source", None) is not None, getattr(args, "nats", None) is not None]
    if sum(given) != 1:
        raise FeedUsageError("feed record takes a feed URL or --source NAME, or --nats URL --subject NAME (one of them)")
    if getattr(args, "nats", None) is not None:
        return record_history(args)
    if args.url is None:
        return record_offline(args)
    check_feed_url(args.url)  # http://, or a bare host:port, would fail deep inside websockets
    kinds = tuple(k for k in (args.kinds or "").split(",") if k)
    encodings = (args.encoding,) if args.encoding else ENCODINGS
    try:
        recorder = Recorder(args.url, args.out, duration=args.duration, token=token_of(args), cafile=args.cafile,
                            kinds=kinds, encodings=encodings, report=_printer(getattr(args, "quiet", False)))
    except ValueError as exc:
        raise FeedUsageError(str(exc)) from None
    print(f"recording {redact(args.url)} to {args.out}"
          + (f" for {args.duration:g} s" if args.duration else "") + "; Ctrl-C ends the recording", flush=True)
    try:
        asyncio.run(recorder.run())
    except KeyboardInterrupt:
        pass
    except ConnectionError as exc:
        raise FeedUsageError(str(exc)) from None
    if recorder.writer is None:
        return 2
    print(f"wrote {args.out}: {recorder.messages} messages, {recorder.writer.bytes / 1e6:.1f} MB received "
          f"in {recorder.seconds:.1f} s", flush=True)
    return 0


def record_offline(args: argparse.Namespace) -> int:
    """`feed record --source`: the source straight into a recording, as fast as it runs (rule 5)."""
    from viewer.net.recorder import record_source

    if args.source == "demo" and args.duration is None:
        raise FeedUsageError("--source demo never ends: give --duration (seconds of its clock)")
    source = SOURCES[args.source](args, _scene(args))
    began = time.perf_counter()
    try:
        writer = record_source(source, args.out, math.inf if args.duration is None else args.duration)
    finally:
        source.close()
    print(f"wrote {args.out}: {writer.messages} messages of {source.name}, {writer.bytes / 1e6:.1f} MB, "
          f"in {time.perf_counter() - began:.1f} s", flush=True)
    return 0


def record_history(args: argparse.Namespace) -> int:
    """`feed record --nats --from [--to]`: a time range of the bus's history into a recording."""
    from viewer.net.recorder import record_source

    source = _history(args)
    began = time.perf_counter()
    try:
        writer = record_source(source, args.out, math.inf if source.end is None else source.end - source.begin)
    finally:
        source.close()
    print(f"wrote {args.out}: {writer.messages} messages of {args.subject!r} from {args.nats}, "
          f"{writer.bytes / 1e6:.1f} MB, in {time.perf_counter() - began:.1f} s", flush=True)
    return 0


def run(args: argparse.Namespace) -> int:
    """Dispatch `feed serve` / `record` / `publish` (called by cli.py); bad input becomes one CitiverseError line."""
    command = {"serve": cmd_feed_serve, "record": cmd_feed_record, "publish": cmd_feed_publish}[args.feed_command]
    try:
        return command(args)
    except CitiverseError:
        raise
    except (ValueError, OSError) as exc:  # a port in use, an option a source refuses
        raise FeedUsageError(str(exc)) from None
