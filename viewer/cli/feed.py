"""The `citiverse feed` commands: `feed serve` (a FeedServer on a chosen source) and `feed record`.

Rules:
1. Sources are built by SOURCES[name](args, scene): a new source is one function and one entry. Errors in
   the user's input (missing option, unreadable file) are the project's own (FeedUsageError, UsageError,
   LoadError) with one clear line; cli/__init__.py prints it. A port in use is one line too.
2. Source time is epoch seconds: the demo, SUMO and NGSI sources start at --start (default: the wall clock
   at startup, so lag and time of day mean what they say); meter CSVs keep their own times, from their first
   row or from a --start within their readings; recordings keep their own times (--start is refused).
   The URL of `feed record` is checked to be ws:// or wss:// before anything connects.
3. Output: the URL served (always), then one line per client connect and disconnect and a status line every
   --status-every seconds (not with -q). Ctrl-C closes every connection and the source, then returns 0.
   The event loops are app/feed_run.py's: this module parses, builds the source, calls it and reports.
5. `feed record --source NAME` (demo, sumo, csv) writes the source straight into a recording, as fast as it
   runs, with no server: each message stamped with its source time, so the file replays as the source ran
   (deterministic sources give identical files). --duration counts the source's seconds.
4. The token comes from --token, --token-file or the CITIVERSE_FEED_TOKEN environment variable (a token on
   the command line is visible to other users in the process list: prefer the file or the variable).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.cli.common import port_number, positive
from viewer.cli.examples import Command, subcommands
from viewer.errors import UsageError

if TYPE_CHECKING:
    from viewer.config import SceneConfig
    from viewer.net.bus import BusPublisher
    from viewer.net.feed_server import FeedServer, ServerOptions
    from viewer.sources.base import Source

TOKEN_ENV = "CITIVERSE_FEED_TOKEN"


def add_feed(command: Command) -> None:
    feed = command("feed", "Serve a live twin feed over websockets, or record one.")
    parsers = subcommands(feed, "feed_command", "feed", (
        ("serve", "Serve a twin feed (hello, snapshot, deltas) from a source, or from a NATS bus "
                  "(an edge), to many clients."),
        ("record", "Record every message of a feed, with its receive time, to a replayable file."),
        ("publish", "Run a source once and publish it to NATS JetStream for any number of edges.")))
    _add_feed_serve_options(parsers["serve"])
    _add_feed_record_options(parsers["record"])
    _add_feed_publish_options(parsers["publish"])


def _add_source_options(p: Any, choices: tuple[str, ...], required: bool) -> None:
    a = p.add_argument
    a("--source", required=required, choices=choices, help="what to serve" if required else
      "record this source straight to the file, as fast as it runs, instead of a URL")
    a("--scene", type=Path, help="scene .toml or model file (demo needs it; csv checks building ids against it)")
    a("--file", type=Path, help="replay: a recording; sumo: FCD output (.xml/.xml.gz); csv: a meters CSV")
    a("--net", type=Path, help="sumo: the .net.xml placing an FCD replay (default: the scene's SUMO net)")
    a("--edgedata", type=Path, help="sumo: an edgeData file (road congestion) for an FCD replay")
    a("--sumocfg", type=Path, help="sumo: run this configuration live (libsumo or TraCI)")
    a("--mapping", type=Path, help="csv: meter -> building ids; ngsi: entity -> road ids (CSV or TOML); "
                                   "mqtt: topic patterns -> entities (TOML, docs/sources.md)")
    a("--broker", help="mqtt: the broker, mqtt://[USER:PASSWORD@]HOST[:PORT] (default port 1883)")
    a("--loop", action="store_true", help="replay: start again at the end (time keeps increasing)")
    a("--start", help="source start time, epoch seconds or ISO 8601 (default: now)")
    a("--vehicles", type=int, default=2000, help="demo: number of vehicles (default 2000)")
    a("--seed", type=int, default=1, help="demo: random seed (default 1)")


def _add_feed_serve_options(p: argparse.ArgumentParser) -> None:
    a = p.add_argument
    _add_source_options(p, SERVE_SOURCES, required=False)
    a("--speed", type=positive, default=1.0, help="source seconds per wall second (default 1)")
    _add_bus_options(p, "serve as an edge of this twin on the bus instead of a --source")
    a("--from", dest="time_from", metavar="TIME", help="with --nats: replay the bus's history from this time "
      "(ISO 8601 or epoch seconds) instead of serving it live")
    a("--to", dest="time_to", metavar="TIME", help="with --from: end of the replay (default: the newest data)")
    a("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 = every interface)")
    a("--port", type=port_number, default=8765, help="port (default 8765; 0 = any free port)")
    a("--ngsi-port", type=port_number, default=8766, help="ngsi: port of the HTTP notify endpoint (default 8766)")
    a("--ngsi-host", default="127.0.0.1", help="ngsi: address of the notify endpoint (default 127.0.0.1, "
                                                 "whatever --host is)")
    a("--ngsi-token", help="ngsi: bearer token the notify endpoint requires (default: the feed's --token)")
    _add_token_options(p)
    a("--cert", type=Path, help="TLS certificate chain (PEM): serve wss://")
    a("--key", type=Path, help="TLS private key (PEM) of --cert")
    a("--status-every", type=float, default=10.0, help="seconds between status lines (default 10)")


def _add_feed_record_options(p: argparse.ArgumentParser) -> None:
    a = p.add_argument
    a("url", nargs="?", help="feed URL: ws://HOST:PORT/ or wss://... (or --source instead)")
    a("--out", type=Path, required=True, help="recording to write (gzip JSON lines, e.g. run.feed.jsonl.gz)")
    a("--duration", type=float, help="seconds to record (default: until Ctrl-C; with --source: until it "
                                     "ends), of the source's clock with --source")
    _add_token_options(p)
    a("--cafile", type=Path, help="CA certificate (PEM) to verify a wss:// server")
    a("--encoding", choices=("binary", "columns", "objects"), help="ask the server for this encoding")
    a("--kinds", help="comma-separated kinds to record, e.g. vehicle,road (default: all the server has)")
    _add_source_options(p.add_argument_group("recording a source without a server"), ("demo", "sumo", "csv"),
                        required=False)
    history = p.add_argument_group("recording a time range of a twin's history on NATS JetStream")
    _add_bus_options(history, "read the history of this twin from the bus instead of a URL")
    history.add_argument("--from", dest="time_from", metavar="TIME", help="first time to record (ISO 8601 or epoch)")
    history.add_argument("--to", dest="time_to", metavar="TIME", help="last time (default: the newest data)")


SERVE_SOURCES = ("demo", "replay", "sumo", "csv", "ngsi", "mqtt")


def _add_bus_options(p: Any, nats_help: str) -> None:
    p.add_argument("--nats", metavar="URL", help=f"NATS server, nats://HOST:4222: {nats_help}")
    p.add_argument("--subject", metavar="NAME", help="the twin's name on the bus (A-Z a-z 0-9 _ -)")


def _add_feed_publish_options(p: argparse.ArgumentParser) -> None:
    a = p.add_argument
    _add_source_options(p, SERVE_SOURCES, required=True)
    a("--speed", type=positive, default=1.0, help="source seconds per wall second (default 1)")
    a("--nats", metavar="URL", required=True, help="NATS server with JetStream, nats://HOST:4222")
    a("--subject", metavar="NAME", required=True, help="the twin's name on the bus (A-Z a-z 0-9 _ -)")
    a("--checkpoint-every", type=positive, default=5.0, metavar="S",
      help="seconds between checkpoints of the whole state (default 5)")
    a("--history-hours", type=positive, default=24.0, metavar="H", help="hours of history kept (default 24)")
    a("--history-mb", type=positive, default=4096.0, metavar="MB", help="megabytes of history kept (default 4096)")
    a("--ngsi-port", type=port_number, default=8766, help="ngsi: port of the HTTP notify endpoint (default 8766)")
    a("--ngsi-host", default="127.0.0.1", help="ngsi: address of the notify endpoint (default 127.0.0.1)")
    a("--ngsi-token", help="ngsi: bearer token the notify endpoint requires")
    a("--status-every", type=float, default=10.0, help="seconds between status lines (default 10)")
    a("-q", "--quiet", action="store_true", help="no status lines")


def _add_token_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--token", help="bearer token (shows in the process list: prefer --token-file or "
                                       "$CITIVERSE_FEED_TOKEN)")
    group.add_argument("--token-file", type=Path, help="file holding the bearer token")




class FeedUsageError(UsageError):
    """The options given cannot make a feed (missing file, conflicting options)."""


def parse_start(text: str | None, flag: str = "--start") -> float:
    """Epoch seconds from epoch seconds or ISO 8601 ("2026-01-05T08:00", naive = UTC); None = now. `flag` names
    the option the text came from in the error."""
    if text is None:
        return round(time.time(), 1)
    try:
        return float(text)
    except ValueError:  # plain parse of the user's text
        pass
    try:
        when = datetime.fromisoformat(text)
    except ValueError:  # plain parse of the user's text
        raise FeedUsageError(f"{flag} must be epoch seconds or an ISO 8601 time, got {text!r}") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def _scene(args: argparse.Namespace) -> SceneConfig | None:
    from viewer.config import SceneConfig, load_scene

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
    from viewer.net.auth import check_token
    from viewer.sources.energy_csv import read_mapping
    from viewer.sources.ngsi import NgsiSource

    road_ids = read_mapping(args.mapping) if args.mapping is not None else None
    own = getattr(args, "ngsi_token", None)  # the notify endpoint takes its own token, else the feed's
    try:
        token = check_token(own) if own else token_of(args)
    except UsageError as exc:
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
    from viewer.net.auth import check_token, read_token_file

    try:
        if getattr(args, "token", None):
            return check_token(args.token)
        if getattr(args, "token_file", None):
            return read_token_file(args.token_file)
        env = os.environ.get(TOKEN_ENV)
        return check_token(env.strip()) if env else None
    except UsageError as exc:
        raise FeedUsageError(str(exc)) from None


def server_options(args: argparse.Namespace) -> ServerOptions:
    from viewer.net.auth import server_ssl_context
    from viewer.net.feed_server import ServerOptions

    if not args.speed > 0:
        raise FeedUsageError("--speed must be > 0")
    if (args.cert is None) != (args.key is None):
        raise FeedUsageError("--cert and --key go together (wss://)")
    context = server_ssl_context(args.cert, args.key) if args.cert is not None else None  # UsageError naming them
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
    except ValueError as exc:  # documented: twin/bus.py BusNames says a wrong name with a plain ValueError
        raise FeedUsageError(f"--subject: {exc}") from None
    return args.nats, args.subject


def _time_range(args: argparse.Namespace) -> tuple[float, float | None]:
    if args.time_from is None:
        raise FeedUsageError("reading the bus's history needs --from TIME (and --to TIME, default the newest)")
    start = parse_start(args.time_from, "--from")
    end = None if args.time_to is None else parse_start(args.time_to, "--to")
    if end is not None and not end > start:
        raise FeedUsageError(f"--to {args.time_to} is not after --from {args.time_from}")
    return start, end


def _history(args: argparse.Namespace) -> Any:
    from viewer.net.bus import BusHistorySource

    url, name = check_bus(args)
    start, end = _time_range(args)
    return BusHistorySource(url, name, start, end)


def cmd_feed_publish(args: argparse.Namespace) -> int:
    """`feed publish`: a source onto the bus (net/bus.py BusPublisher, run by app/feed_run.py)."""
    from viewer.app.feed_run import publish_feed
    from viewer.net.bus import BusOptions

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    url, name = check_bus(args)
    options = BusOptions(speed=args.speed, checkpoint_every=args.checkpoint_every,
                         max_age=args.history_hours * 3600.0, max_bytes=int(args.history_mb * 1024 * 1024))
    source = SOURCES[args.source](args, _scene(args))

    def ready(publisher: BusPublisher) -> None:
        print(f"publishing {source.name} ({', '.join(source.kinds)}) to {args.nats} as {args.subject!r} "
              f"(stream {publisher.names.stream}, run {publisher.epoch}); Ctrl-C stops", flush=True)
        if source.name == "ngsi":
            print(ngsi_line(source), flush=True)

    publisher, stopped = publish_feed(source, url, name, options, _printer(getattr(args, "quiet", False)),
                                      args.status_every, on_ready=ready)
    if stopped:
        print("stopped", flush=True)
    else:
        print(f"source ended: {publisher.step} steps, {publisher.published} messages published, "
              f"{publisher.failed} lost, {publisher.checkpoints} checkpoints (edges keep serving the last state)",
              flush=True)
    return 0


def cmd_feed_serve(args: argparse.Namespace) -> int:
    from viewer.app.feed_run import serve_feed

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if (args.source is None) == (args.nats is None):
        raise FeedUsageError("feed serve takes --source NAME, or --nats URL --subject NAME (an edge): one of them")
    if args.nats is not None and args.time_from is None:
        return _serve_edge(args)
    if args.nats is None and (args.time_from or args.time_to):
        raise FeedUsageError("--from and --to read a bus's history: give them with --nats and --subject")
    options = server_options(args)
    source = _history(args) if args.nats is not None else SOURCES[args.source](args, _scene(args))
    if serve_feed(source, options, _printer(getattr(args, "quiet", False)), on_ready=_serving(source, options)):
        print("stopped", flush=True)
    return 0


def _serve_edge(args: argparse.Namespace) -> int:
    """`feed serve --nats`: an edge, serving the bus's twin to websocket viewers (net/bus.py rule 3)."""
    from viewer.app.feed_run import serve_edge

    url, name = check_bus(args)
    options = server_options(args)

    def ready(server: FeedServer) -> None:
        _serving(server.source, options, f" (edge of {name!r} on {url})")(server)

    if serve_edge(url, name, options, _printer(getattr(args, "quiet", False)), on_ready=ready):
        print("stopped", flush=True)
    return 0


def _serving(source: Source, options: ServerOptions, via: str = "") -> Callable[[FeedServer], None]:
    """The start-up lines of `feed serve` (rule 3), printed once the server listens."""

    def ready(server: FeedServer) -> None:
        kinds = ", ".join(source.kinds)
        crs = source.crs or "scene coordinates"
        auth = "; bearer token required" if options.token else ""
        print(f"serving {source.name}{via} ({kinds}; positions in {crs}) at {server.url}{auth}; Ctrl-C stops",
              flush=True)
        if source.name == "ngsi":
            print(ngsi_line(source), flush=True)

    return ready


def ngsi_line(source: Any) -> str:
    """The start-up line of the NGSI-LD notify endpoint: its URL and whether it requires a token."""
    if source.requires_token:
        return f"NGSI-LD notifications: POST {source.url} (bearer token required)"
    exposed = source.address[0] not in ("127.0.0.1", "::1", "localhost")
    return (f"NGSI-LD notifications: POST {source.url} (no token required"
            + ("; anyone who can reach this address can change the twin: give --token or --ngsi-token)"
               if exposed else ")"))


def cmd_feed_record(args: argparse.Namespace) -> int:
    from viewer.app.feed_run import record_feed
    from viewer.app.live_feed import check_feed_url
    from viewer.net.auth import redact

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
    token = token_of(args)
    print(f"recording {redact(args.url)} to {args.out}"
          + (f" for {args.duration:g} s" if args.duration else "") + "; Ctrl-C ends the recording", flush=True)
    try:
        recorder, _ = record_feed(args.url, args.out, _printer(getattr(args, "quiet", False)), args.duration,
                                  token, args.cafile, kinds, (args.encoding,) if args.encoding else None)
    except ConnectionError as exc:
        raise FeedUsageError(str(exc)) from None
    if recorder.writer is None:
        return 2
    print(f"wrote {args.out}: {recorder.messages} messages, {recorder.writer.bytes / 1e6:.1f} MB received "
          f"in {recorder.seconds:.1f} s", flush=True)
    return 0


def record_offline(args: argparse.Namespace) -> int:
    """`feed record --source`: the source straight into a recording, as fast as it runs (rule 5)."""
    if args.source == "demo" and args.duration is None:
        raise FeedUsageError("--source demo never ends: give --duration (seconds of its clock)")
    source = SOURCES[args.source](args, _scene(args))
    _record_and_report(source, args.out, math.inf if args.duration is None else args.duration, source.name)
    return 0


def record_history(args: argparse.Namespace) -> int:
    """`feed record --nats --from [--to]`: a time range of the bus's history into a recording."""
    source = _history(args)
    seconds = math.inf if source.end is None else source.end - source.begin
    _record_and_report(source, args.out, seconds, f"{args.subject!r} from {args.nats}")
    return 0


def _record_and_report(source, out, seconds: float, what: str) -> None:
    """`seconds` of `source` into the recording `out` (the source closed after), then one line of what was written."""
    from viewer.net.recorder import record_source

    began = time.perf_counter()
    try:
        writer = record_source(source, out, seconds)
    finally:
        source.close()
    print(f"wrote {out}: {writer.messages} messages of {what}, {writer.bytes / 1e6:.1f} MB, "
          f"in {time.perf_counter() - began:.1f} s", flush=True)


def run_feed(args: argparse.Namespace) -> int:
    """Dispatch `feed serve` / `record` / `publish`; bad input becomes one CitiverseError line."""
    command = {"serve": cmd_feed_serve, "record": cmd_feed_record, "publish": cmd_feed_publish}[args.feed_command]
    try:
        return command(args)
    except OSError as exc:  # a port in use, an address that is not ours
        raise FeedUsageError(str(exc)) from None
