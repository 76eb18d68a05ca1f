"""What `citiverse meet` needs besides parsing: the server's secret file, its state and recordings folders, room
links, and the scene tiled for browsers. viewer/cli/meet.py parses the options, calls these and reports.

Rules:
1. The server's secret is a file (default: $XDG_CONFIG_HOME/citiverse/meeting.secret, else
   ~/.config/citiverse/meeting.secret). `meet serve` creates it when it does not exist (32 random bytes,
   URL-safe text, mode 0600); `meet token` never creates one: a token signed with a fresh secret would be
   refused by the running server. Surrounding whitespace in the file is ignored. Folders it creates are
   mode 0700 whatever the umask; an existing secret that others may read is used with a warning on stderr
   naming the file (chmod 600 fixes it).
2. Removals and mutes survive restarts in a state file beside the secret (state_path(): meeting.secret ->
   meeting.state.json), written by the server (net/meeting_server.py rule 6).
3. Recordings a host starts go to --record-dir (default: $XDG_DATA_HOME/citiverse/meetings, else
   ~/.local/share/citiverse/meetings). The folder is made when the first recording starts, not before.
4. Browsers (docs/web.md): with a scene, the city is tiled on the first start into the cache
   ($CITIVERSE_CACHE/web-tiles/KEY, net/web_assets.py rule 4) and reused while the scene's files are
   unchanged. room_link() is BASE/rooms/ROOM/#token=TOKEN: the token stays in the fragment, which browsers
   never send to a server. feed_link() hands the feed's token only to holders of a valid join token
   (net/web_assets.py rule 6).
5. A wrong input (an unreadable or short secret, a wrong link base or feed URL) is a ConfigError or a
   UsageError naming it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from viewer.errors import ConfigError, UsageError
from viewer.meeting.tokens import MIN_SECRET_BYTES, check_secret

if TYPE_CHECKING:
    import ssl

    from viewer.city.scene import LoadedScene
    from viewer.config import SceneConfig
    from viewer.net.web_assets import FeedLink

DEFAULT_PORT = 8767
DEFAULT_TTL = 8 * 3600.0  # seconds: a working day
MAX_SECRET_FILE = 4096


def default_secret_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "citiverse" / "meeting.secret"


def default_record_dir() -> Path:
    """Where meeting logs go by default (rule 3)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "citiverse" / "meetings"


def state_path(secret: Path) -> Path:
    """Where the server keeps removals and mutes (rule 2): beside the secret, named after it."""
    return secret.with_name(f"{secret.stem}.state.json")


def read_secret(path: Path) -> bytes:
    """The secret in `path` (rule 1); ConfigError naming the file when it cannot be used."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_SECRET_FILE + 1)
            mode = os.fstat(f.fileno()).st_mode
    except OSError as exc:
        raise ConfigError(path, "", f"cannot read the meeting secret: {exc.strerror or exc}") from None
    if mode & 0o077:
        print(f"citiverse meet: warning: {path} is readable by others (mode {mode & 0o777:04o}): anyone who can "
              f"read it can sign join tokens; run: chmod 600 {path}", file=sys.stderr, flush=True)
    secret = data.strip()
    if len(data) > MAX_SECRET_FILE or len(secret) < MIN_SECRET_BYTES:
        raise ConfigError(path, "", f"a meeting secret is {MIN_SECRET_BYTES}..{MAX_SECRET_FILE} bytes")
    return check_secret(secret)


def create_secret(path: Path) -> bytes:
    """Write a new random secret to `path` (mode 0600, never overwriting) and return it."""
    secret = secrets.token_urlsafe(32).encode("ascii")
    try:
        make_private_dirs(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise ConfigError(path, "", f"cannot create the meeting secret: {exc.strerror or exc}") from None
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


def feed_link(feed: str, token: str | None, secret: bytes) -> FeedLink:
    """The FeedLink of a feed URL list and its bearer token (rule 4); ConfigError naming --feed or --feed-token."""
    from viewer.meeting.errors import TokenError
    from viewer.meeting.tokens import verify_token
    from viewer.net.auth import check_token
    from viewer.net.feed_client import split_urls
    from viewer.net.web_assets import FeedLink

    try:
        urls = split_urls(feed)
    except UsageError as exc:
        raise ConfigError(f"--feed {feed!r}", "", str(exc)) from None
    if token is not None:
        try:
            check_token(token)
        except UsageError as exc:
            raise ConfigError("--feed-token", "", str(exc)) from None

    def admits(join_token: str) -> bool:
        try:
            verify_token(secret, join_token, time.time())
        except TokenError:
            return False
        return True

    return FeedLink(tuple(urls), token, admits)


def tiles_for(scene_path: Path, config: SceneConfig, load: Callable[[SceneConfig], LoadedScene]) -> Path:
    """The scene's tileset folder in the cache, written now when missing (rule 4)."""
    from viewer.city.cache import cache_dir
    from viewer.net.web_assets import SCENE_JSON, cache_key, tile_scene

    sources = [s.path for s in config.sources if s.path is not None]
    folder = cache_dir() / "web-tiles" / cache_key(scene_path, sources)
    if (folder / SCENE_JSON).is_file():
        return folder
    print(f"citiverse meet: tiling {scene_path} for the browsers into {folder} (once)", file=sys.stderr, flush=True)
    scene = load(config)
    if scene.model.triangle_count == 0:
        raise ConfigError(scene_path, "", "the scene has no model to tile for the browsers (tilesets only?)")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tile_scene(scene.model, scene.frame, folder, config.name or scene_path.stem)
    return folder


def tls_context(cert: Path | None, key: Path | None) -> ssl.SSLContext | None:
    """The server TLS context of a certificate chain and its key, or None without them."""
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise UsageError("--cert and --key go together (a certificate chain and its private key, PEM)")
    from viewer.net.auth import server_ssl_context

    return server_ssl_context(cert, key)  # UsageError naming the files


def room_link(base: str, room: str, token: str) -> str:
    """BASE/rooms/ROOM/#token=TOKEN (rule 4); ConfigError for a base that is not an http(s) server URL."""
    split = urlsplit(base.strip())
    if split.scheme not in ("http", "https") or not split.netloc or split.query or split.fragment:
        raise ConfigError(f"--link {base!r}", "", "give the server's base URL, e.g. http://127.0.0.1:8767")
    return f"{split.scheme}://{split.netloc}{split.path.rstrip('/')}/rooms/{room}/#token={token}"
