"""The `citiverse meet` commands: `meet serve` (a meeting server) and `meet token` (a signed join token).

viewer/cli.py parses the arguments and calls run(args); everything else is here.

Rules:
1. The server's secret is a file (default: $XDG_CONFIG_HOME/citiverse/meeting.secret, else
   ~/.config/citiverse/meeting.secret). `meet serve` creates it when it does not exist (32 random bytes,
   URL-safe text, mode 0600); `meet token` never creates one: a token signed with a fresh secret would be
   refused by the running server. Surrounding whitespace in the file is ignored. Folders it creates are
   mode 0700 whatever the umask; an existing secret that others may read is used with a warning on stderr
   naming the file (chmod 600 fixes it).
4. Removals and mutes survive restarts in a state file beside the secret (state_path(): meeting.secret ->
   meeting.state.json), written by the server (net/meeting_server.py rule 6).
5. Recordings a host starts go to --record-dir (default: $XDG_DATA_HOME/citiverse/meetings, else
   ~/.local/share/citiverse/meetings). The folder is made when the first recording starts, not before: a
   folder that cannot be made or written refuses that recording with a notice, and the server runs on.
2. `meet token` prints only the token on stdout (so `T=$(citiverse meet token ...)` works); anything
   else goes to stderr.
3. User errors (unreadable or short secret, bad room name, ttl out of range) print one line and return 2;
   Ctrl-C stops the server and returns 0.
6. Browsers (`--web`, docs/web.md): the room pages and bundle come from viewer/web_dist; with `--scene` the
   city is tiled on the first start into the cache ($CITIVERSE_CACHE/web-tiles/KEY, net/web_assets.py
   rule 4) and reused while the scene's files are unchanged. `--cert`/`--key` serve https:// and wss://.
   `meet token --link BASE` prints BASE/rooms/ROOM/#token=TOKEN and nothing else: the token stays in the
   fragment, which browsers never send to a server. `--feed URL[,URL...]` (with --web) gives the pages the
   live feed the desktops use, with `--feed-token` or $CITIVERSE_FEED_TOKEN as its bearer token, handed only
   to holders of a valid join token (net/web_assets.py rule 6).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from viewer.errors import CitiverseError
from viewer.meeting.tokens import MIN_SECRET_BYTES, check_secret, issue_token

DEFAULT_PORT = 8767
DEFAULT_TTL = 8 * 3600.0  # seconds: a working day
MAX_SECRET_FILE = 4096


def default_secret_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "citiverse" / "meeting.secret"


def default_record_dir() -> Path:
    """Where meeting logs go by default (rule 5)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "citiverse" / "meetings"


def state_path(secret: Path) -> Path:
    """Where the server keeps removals and mutes (rule 4): beside the secret, named after it."""
    return secret.with_name(f"{secret.stem}.state.json")


def read_secret(path: Path) -> bytes:
    """The secret in `path` (rule 1); ValueError naming the file when it cannot be used."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_SECRET_FILE + 1)
            mode = os.fstat(f.fileno()).st_mode
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the meeting secret: {exc.strerror or exc}") from None
    if mode & 0o077:
        print(f"citiverse meet: warning: {path} is readable by others (mode {mode & 0o777:04o}): anyone who can "
              f"read it can sign join tokens; run: chmod 600 {path}", file=sys.stderr, flush=True)
    secret = data.strip()
    if len(data) > MAX_SECRET_FILE or len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"{path}: a meeting secret is {MIN_SECRET_BYTES}..{MAX_SECRET_FILE} bytes")
    return check_secret(secret)


def create_secret(path: Path) -> bytes:
    """Write a new random secret to `path` (mode 0600, never overwriting) and return it."""
    secret = secrets.token_urlsafe(32).encode("ascii")
    try:
        make_private_dirs(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise ValueError(f"{path}: cannot create the meeting secret: {exc.strerror or exc}") from None
    with os.fdopen(fd, "wb") as f:
        f.write(secret + b"\n")
    return secret


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and its missing parents with mode 0700, whatever the umask (rule 1)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):
            part.mkdir(mode=0o700)
            os.chmod(part, 0o700)  # mkdir's mode is masked by the umask; this is not


def web_site(args: argparse.Namespace, load: SceneLoader | None, secret: bytes = b"") -> Any:
    """The WebSite of rule 6 (None without --web); the city tiled into the cache when not there yet."""
    if not getattr(args, "web", False):
        for option in ("scene", "feed"):
            if getattr(args, option, None) is not None:
                raise ValueError(f"--{option} is for the browsers: add --web")
        return None
    from viewer.net.web_assets import WebSite

    feed = feed_link(args, secret)  # checked before a long first tiling
    tiles = None if args.scene is None or load is None else tiles_for(args.scene, *load)
    return WebSite(tiles=tiles, feed=feed)


def feed_link(args: argparse.Namespace, secret: bytes) -> Any:
    """The FeedLink of --feed and --feed-token / $CITIVERSE_FEED_TOKEN (rule 6), or None without --feed."""
    if getattr(args, "feed", None) is None:
        return None
    from viewer.meeting.errors import TokenError
    from viewer.meeting.tokens import verify_token
    from viewer.net.auth import check_token
    from viewer.net.feed_client import split_urls
    from viewer.net.web_assets import FeedLink

    try:
        urls = split_urls(args.feed)
    except ValueError as exc:
        raise ValueError(f"--feed {args.feed!r}: {exc}") from None
    token = getattr(args, "feed_token", None) or os.environ.get("CITIVERSE_FEED_TOKEN") or None
    if token is not None:
        try:
            check_token(token)
        except ValueError as exc:
            raise ValueError(f"--feed-token: {exc}") from None

    def admits(join_token: str) -> bool:
        try:
            verify_token(secret, join_token, time.time())
        except TokenError:
            return False
        return True

    return FeedLink(tuple(urls), token, admits)


SceneLoader = tuple[Callable[[Any], Any], Callable[[Path], Any]]  # (load(config), scene_config(path))


def tiles_for(scene_path: Path, load: Callable[[Any], Any], scene_config: Callable[[Path], Any]) -> Path:
    """The scene's tileset folder in the cache, written now when missing (rule 6)."""
    from viewer.city.cache import cache_dir
    from viewer.net.web_assets import SCENE_JSON, cache_key, tile_scene

    config = scene_config(scene_path)
    sources = [s.path for s in config.sources if getattr(s, "path", None) is not None]
    folder = cache_dir() / "web-tiles" / cache_key(scene_path, sources)
    if (folder / SCENE_JSON).is_file():
        return folder
    print(f"citiverse meet: tiling {scene_path} for the browsers into {folder} (once)", file=sys.stderr, flush=True)
    scene = load(config)
    if scene.model.triangle_count == 0:
        raise ValueError(f"{scene_path}: the scene has no model to tile for the browsers (tilesets only?)")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tile_scene(scene.model, scene.frame, folder, config.name or scene_path.stem)
    return folder


def tls_context(args: argparse.Namespace) -> Any:
    """The server TLS context of --cert/--key, or None; ValueError when only one is given or they fail."""
    cert, key = getattr(args, "cert", None), getattr(args, "key", None)
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise ValueError("--cert and --key go together (a certificate chain and its private key, PEM)")
    from viewer.net.auth import server_ssl_context

    return server_ssl_context(cert, key)


def cmd_serve(args: argparse.Namespace, load: SceneLoader | None = None) -> int:
    from viewer.net.meeting_server import MeetingServer, run_server  # websockets only when serving

    path = Path(args.secret_file) if args.secret_file else default_secret_path()
    created = not path.exists()
    secret = create_secret(path) if created else read_secret(path)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(asctime)s %(message)s",
                        stream=sys.stderr)

    site, ssl = web_site(args, load, secret), tls_context(args)
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
        raise ValueError(f"--nats {nats!r}: give a NATS URL, e.g. nats://127.0.0.1:4222")
    run_server(secret, args.host, args.port, on_ready=ready, state_file=state, record_dir=record_dir, web=site,
               ssl=ssl, nats=nats)
    return 0


def cmd_token(args: argparse.Namespace, load: SceneLoader | None = None) -> int:
    path = Path(args.secret_file) if args.secret_file else default_secret_path()
    secret = read_secret(path)
    token = issue_token(secret, args.room, args.name, args.role, args.ttl, time.time())
    link = getattr(args, "link", None)
    print(room_link(link, args.room, token) if link else token)
    return 0


def room_link(base: str, room: str, token: str) -> str:
    """BASE/rooms/ROOM/#token=TOKEN (rule 6); ValueError for a base that is not an http(s) server URL."""
    split = urlsplit(base.strip())
    if split.scheme not in ("http", "https") or not split.netloc or split.query or split.fragment:
        raise ValueError(f"--link {base!r}: give the server's base URL, e.g. http://127.0.0.1:8767")
    return f"{split.scheme}://{split.netloc}{split.path.rstrip('/')}/rooms/{room}/#token={token}"


COMMANDS = {"serve": cmd_serve, "token": cmd_token}


def run(args: argparse.Namespace, load: Callable[[Any], Any] | None = None,
        scene_config: Callable[[Path], Any] | None = None) -> int:
    """Run `citiverse meet SUBCOMMAND` (rule 3); `load` and `scene_config` read a scene for --web --scene."""
    loader = (load, scene_config) if load is not None and scene_config is not None else None
    try:
        return COMMANDS[args.meet_command](args, loader)
    except ValueError as exc:
        print(f"citiverse meet: error: {exc}", file=sys.stderr)
        return 2
    except CitiverseError as exc:  # the NATS bus of --nats cannot be reached (net/bus.py BusUnavailable)
        print(f"citiverse meet: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the port is taken, or the address is not ours
        print(f"citiverse meet: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
