"""The `citiverse meet` commands: `serve` (a meeting server), `token` (a signed join token), and over recorded
meetings `replay` and `minutes`; also the video of one (`flythrough render --meeting`, render_meeting).

Rules:
1. The secret, state and recordings files are app/meet_cli.py's (its rules 1-3): `meet serve` creates the
   secret when missing, `meet token` never does.
2. `meet token` prints only the token on stdout (so `T=$(citiverse meet token ...)` works), or with
   --link BASE the room's link BASE/rooms/ROOM/#token=TOKEN; anything else goes to stderr.
3. `serve` and `token`: a user error (unreadable or short secret, bad room name, ttl out of range, a port
   taken) prints one line "citiverse meet: error: ..." and returns 2; Ctrl-C stops the server and returns 0.
4. Browsers (`--web`, docs/web.md): the room pages and bundle come from viewer/web_dist; `--scene` is tiled
   once into the cache; `--cert`/`--key` serve https:// and wss://; `--feed URL[,URL...]` with
   `--feed-token` or $CITIVERSE_FEED_TOKEN gives the pages the live feed. --scene and --feed need --web.
5. A meeting log is read whole and checked first (meeting/log.py): a hostile or truncated log is one line
   naming the file and the line, before any scene loads or window opens. A participant is named by name or
   #id; an unknown or ambiguous one is a ConfigError listing who was there. The video's camera is exactly
   one of --follow, --eyes, --path. stdout gets one line naming what was written.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.cli.common import add_model_options, check_inputs, load, port_number, scene_config
from viewer.cli.examples import Command, subcommands
from viewer.errors import CitiverseError, ConfigError, UsageError

if TYPE_CHECKING:
    from viewer.city.scene import LoadedScene
    from viewer.meeting.replay import MeetingTimeline
    from viewer.net.web_assets import WebSite


def add_meet(command: Command) -> None:
    meet = command("meet", "Run a meeting server, or make a signed join token for one.")
    parsers = subcommands(meet, "meet_command", "meet", (
        ("serve", "Serve shared meetings (rooms, avatars, pointers, chat) over websockets."),
        ("token", "Print a signed join token for a room, a name and a role."),
        ("replay", "Play a recorded meeting back in the window: pause, seek, speed, follow anyone."),
        ("minutes", "Write the minutes of a recorded meeting (.md or .html) with stills.")))
    _add_meet_options(parsers["serve"], parsers["token"])
    _add_meet_log_options(parsers["replay"], parsers["minutes"])


def _add_meet_options(serve: argparse.ArgumentParser, token: argparse.ArgumentParser) -> None:
    secret_help = "file holding the server's secret (default: ~/.config/citiverse/meeting.secret)"
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8767, help="port to listen on (default 8767)")
    serve.add_argument("--secret-file", type=Path, help=secret_help + "; created when missing")
    serve.add_argument("--record-dir", type=Path, metavar="DIR", help="where a host's recordings of a meeting go "
                       "(default: $XDG_DATA_HOME/citiverse/meetings, else ~/.local/share/citiverse/meetings)")
    serve.add_argument("--nats", metavar="URL", help="share rooms with every meeting server on this NATS "
                       "JetStream bus, e.g. nats://127.0.0.1:4222 (docs/meetings.md, Several servers)")
    web = serve.add_argument_group("browsers (docs/web.md)")
    web.add_argument("--web", action="store_true", help="also serve room pages (/rooms/NAME/) and the scene's "
                     "city as 3D Tiles on the same port, for joining from a browser")
    web.add_argument("--scene", type=Path, help="the scene the browsers see (with --web): .toml or a model file")
    web.add_argument("--cert", type=Path, help="TLS certificate chain (PEM): serve https:// and wss://")
    web.add_argument("--key", type=Path, help="TLS private key (PEM) of --cert")
    web.add_argument("--feed", metavar="URL[,URL...]", help="the live feed the pages draw (ws:// or wss://, as "
                     "browsers reach it; a comma list fails over): vehicles, roads and buildings")
    web.add_argument("--feed-token", help="bearer token of --feed (or $CITIVERSE_FEED_TOKEN), given to participants")
    add_model_options(serve)
    token.add_argument("--link", metavar="BASE_URL", help="print a link to the room's page with the token in it "
                       "(e.g. http://127.0.0.1:8767) instead of the bare token")
    token.add_argument("--room", required=True, help="room name: letters, digits, '.', '_', '-'")
    token.add_argument("--name", required=True, help="the name others see")
    token.add_argument("--role", required=True, choices=("host", "guest"), help="host or guest")
    token.add_argument("--ttl", type=float, default=8 * 3600.0, help="seconds the token is valid (default 8 h)")
    token.add_argument("--secret-file", type=Path, help=secret_help)



def _add_meet_log_options(replay: argparse.ArgumentParser, minutes: argparse.ArgumentParser) -> None:
    for p in (replay, minutes):
        p.add_argument("log", type=Path, help="a meeting log (*.meeting.jsonl.gz)")
        p.add_argument("--scene", type=Path, help="the scene the meeting was held in (.toml or a model file)")
        p.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
        add_model_options(p)
    replay.add_argument("--follow", metavar="NAME", help="start following this participant")
    replay.add_argument("--eyes", metavar="NAME", help="start seeing through this participant's eyes")
    replay.add_argument("--start", type=float, default=0.0, metavar="SECONDS",
                        help="seconds into the recording to start at (default 0)")
    minutes.add_argument("--out", type=Path, required=True, help="minutes.md (Markdown) or minutes.html")
    minutes.add_argument("--clips", action="store_true", help="also a short video of each pointing moment")



def run_meet(args: argparse.Namespace) -> int:
    """Dispatch `citiverse meet SUBCOMMAND` (rule 3)."""
    if args.meet_command in ("replay", "minutes"):
        check_inputs(args)
        return run_log_command(args)
    if args.meet_command == "serve" and args.web:
        check_inputs(args)
    try:
        return run_serve(args) if args.meet_command == "serve" else run_token(args)
    except CitiverseError as exc:  # a wrong secret, option or state file; the bus of --nats unreachable
        print(f"citiverse meet: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the port is taken, or the address is not ours
        print(f"citiverse meet: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2


def run_serve(args: argparse.Namespace) -> int:
    from viewer.app.meet_cli import (
        create_secret,
        default_record_dir,
        default_secret_path,
        read_secret,
        state_path,
        tls_context,
    )
    from viewer.net.meeting_server import MeetingServer, run_server  # websockets only when serving

    path = Path(args.secret_file) if args.secret_file else default_secret_path()
    created = not path.exists()
    secret = create_secret(path) if created else read_secret(path)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(asctime)s %(message)s",
                        stream=sys.stderr)

    site, ssl = web_site(args, secret), tls_context(args.cert, args.key)
    state = state_path(path)
    record_dir = Path(args.record_dir) if getattr(args, "record_dir", None) else default_record_dir()

    def ready(server: MeetingServer) -> None:
        note = " (new secret created)" if created else ""
        print(f"meeting server on {server.url}  secret: {path}{note}  removals and mutes: {state}  "
              f"recordings: {record_dir}", flush=True)
        if server.bus is not None:
            print(f"rooms shared on {server.nats} as server number {server.bus.node}", flush=True)
        if site is not None:
            print(f"room pages: {server.web_url}/rooms/ROOM/  links: citiverse meet token ... --link "
                  f"{server.web_url}", flush=True)
        print(f"join tokens: citiverse meet token --room ROOM --name NAME --role host|guest --secret-file {path}",
              file=sys.stderr, flush=True)

    nats = getattr(args, "nats", None)
    if nats is not None and not nats.startswith(("nats://", "tls://")):
        raise UsageError(f"--nats {nats!r}: give a NATS URL, e.g. nats://127.0.0.1:4222")
    run_server(secret, args.host, args.port, on_ready=ready, state_file=state, record_dir=record_dir, web=site,
               ssl=ssl, nats=nats)
    return 0


def web_site(args: argparse.Namespace, secret: bytes) -> WebSite | None:
    """The WebSite of rule 4 (None without --web); the city tiled into the cache when not there yet."""
    if not getattr(args, "web", False):
        for option in ("scene", "feed"):
            if getattr(args, option, None) is not None:
                raise UsageError(f"--{option} is for the browsers: add --web")
        return None
    from viewer.app.meet_cli import feed_link, tiles_for
    from viewer.net.web_assets import WebSite, page_look

    token = getattr(args, "feed_token", None) or os.environ.get("CITIVERSE_FEED_TOKEN") or None
    feed = None if args.feed is None else feed_link(args.feed, token, secret)  # checked before a long first tiling
    if args.scene is None:
        return WebSite(feed=feed)
    config = scene_config(args.scene, args)
    tiles = tiles_for(args.scene, config, lambda config: load(args, config))
    return WebSite(tiles=tiles, feed=feed, look=page_look(config))  # web_assets rule 8


def run_token(args: argparse.Namespace) -> int:
    from viewer.app.meet_cli import default_secret_path, read_secret, room_link
    from viewer.meeting.tokens import issue_token

    path = Path(args.secret_file) if args.secret_file else default_secret_path()
    secret = read_secret(path)
    try:
        token = issue_token(secret, args.room, args.name, args.role, args.ttl, time.time())
    except ValueError as exc:  # documented: meeting/tokens.py says a bad room, name or ttl with a plain ValueError
        raise UsageError(str(exc)) from None
    link = getattr(args, "link", None)
    print(room_link(link, args.room, token) if link else token)
    return 0


def participant(timeline: MeetingTimeline, name: str, option: str) -> int:
    """The id of participant `name` (rule 5)."""
    try:
        return timeline.find(name)
    except ValueError as exc:  # documented: meeting/replay.py says an unknown or ambiguous name with a ValueError
        raise ConfigError(option, "", str(exc)) from None


def run_log_command(args: argparse.Namespace) -> int:
    """`meet replay` / `meet minutes` (rule 5)."""
    from viewer.meeting.log import read_log
    from viewer.meeting.replay import MeetingTimeline

    timeline = MeetingTimeline(read_log(args.log))
    if args.meet_command == "minutes":
        from viewer.app.meeting_minutes import FORMATS, write_minutes

        if args.out.suffix.lower() not in FORMATS:
            raise ConfigError(args.out, "", "the minutes are written as .md (Markdown) or .html")
        scene = load(args, scene_config(args.scene, args)) if args.scene else None
        out = write_minutes(timeline, args.out, scene, clips=args.clips)
        print(f"wrote the minutes of {timeline.log.room} ({len(timeline.stays())} attendances, "
              f"{len(timeline.pointings())} pointings) to {out}")
        return 0
    from viewer.app.meet_replay import run_replay

    follow = participant(timeline, args.follow, "--follow") if args.follow else None
    eyes = participant(timeline, args.eyes, "--eyes") if args.eyes else None
    scene = load(args, scene_config(args.scene, args)) if args.scene else None
    run_replay(timeline, scene, start=args.start, follow=follow, eyes=eyes)
    return 0


def render_meeting(args: argparse.Namespace, load_scene: Callable[[], LoadedScene]) -> int:
    """`flythrough render SCENE --meeting LOG (--follow NAME | --eyes NAME | --path P) --out x.mp4` (rule 5)."""
    from viewer.app.live import LiveOptions
    from viewer.app.meeting_render import Shot
    from viewer.app.meeting_render import render_meeting as render
    from viewer.app.video import ProgressLine
    from viewer.cli.flythrough import find_path, paths_file, summary
    from viewer.meeting.log import read_log
    from viewer.meeting.replay import MeetingTimeline

    chosen = [o for o in ("follow", "eyes", "path") if getattr(args, o, None)]
    if len(chosen) != 1:
        raise ConfigError("--meeting", "", "film it with exactly one of --follow NAME, --eyes NAME, --path P")
    timeline = MeetingTimeline(read_log(args.meeting))
    mode = chosen[0]
    shot = (Shot("path", path=find_path(paths_file(args), args.path)) if mode == "path"
            else Shot(mode, who=participant(timeline, getattr(args, mode), f"--{mode}")))
    if args.feed is None and timeline.log.feed is not None and not _feed_exists(timeline):
        print(f"citiverse: warning: the meeting's feed {timeline.log.feed} is not here: rendering without it "
              f"(--feed RECORDING gives one)", file=sys.stderr)
    progress = None if args.quiet else ProgressLine(f"meeting {timeline.log.room}")
    result = render(load_scene(), timeline, shot, args.out, size=args.size, fps=args.fps, feed=args.feed,
                    options=LiveOptions.from_cli(args.layers, status_line=args.status_line or None),
                    multisamples=args.multisamples, progress=progress, crf=args.crf)
    print(summary(result))
    return 0


def _feed_exists(timeline: MeetingTimeline) -> bool:
    path = timeline.log.feed_path
    return path is not None and path.is_file()
