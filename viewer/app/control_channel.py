"""A live window driven from another process or a notebook: `citiverse view SCENE --control PORT|auto`.

Protocol: JSON lines over TCP on the loopback interface. The client's first line is {"token": "..."}; the
window answers {"ok": true, "hello": "citiverse-control", "version": 1}, or {"ok": false, "error": ...} and
closes. Then each request is {"id": N, "cmd": NAME, ...arguments} (e.g.
{"id": 3, "cmd": "fly_to", "object": "bldg-12"}), answered by {"id": N, "ok": true, ...}
or {"id": N, "ok": false, "error": REASON}. Commands (COMMANDS): ping, state, pose, fly_to, layer,
feed_time, screenshot, pin.

Rules this module keeps:
1. Loopback only: the channel binds 127.0.0.1 (or another loopback address); any other host is a
   ConfigError before a socket is opened. Nothing on the network can reach it.
2. Authenticated: a random token (secrets.token_urlsafe(32)) is written with the port to a control file
   created 0600 (never printed), compared in constant time; a wrong token gets one error line and the
   connection is closed, before any command is read. The file is removed when the window closes.
3. Commands run on the window's own thread: the socket threads queue them and wait; a Panda3D task runs
   what is queued each frame, so a command touches the camera, the layers and the pins exactly as a key
   press does, between two frames. A reply that takes longer than REPLY_TIMEOUT is an error, not a hang.
4. Input is hostile: a line is at most MAX_LINE bytes, numbers must be finite and coordinates within
   MAX_COORDINATE, unknown commands and arguments are named in the error; a bad request never closes the
   window or the channel.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import json
import math
import os
import queue
import secrets
import shutil
import socket
import socketserver
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.config import CameraBookmark
from viewer.errors import ConfigError, PeerError

VERSION = 1
MAX_LINE = 1 << 16
MAX_COORDINATE = 1e7
REPLY_TIMEOUT = 60.0  # seconds a socket thread waits for the window to run a command
TASK = "citiverse-control"
Reply = dict[str, Any]


@dataclass(frozen=True)
class ControlRequest:
    """What `--control` asked for: a port (0: any free one) and where to write the control file (None: a
    private temporary folder's citiverse-control.json)."""

    port: int = 0
    file: Path | None = None
    host: str = "127.0.0.1"


def check_loopback(host: str) -> str:
    """The host as an address if it is a loopback one (rule 1); ConfigError otherwise."""
    text = "127.0.0.1" if host == "localhost" else host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:  # plain parse of the user's text
        raise ConfigError("--control", "", f"{host!r} is not an IP address (the channel binds loopback only)") from None
    if not address.is_loopback:
        raise ConfigError("--control", "", f"refusing to bind {host}: the control channel listens on loopback only "
                                           "(127.0.0.1)")
    return text


def parse_port(text: str) -> int:
    """`--control PORT|auto`: auto is 0 (any free port)."""
    if text == "auto":
        return 0
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ConfigError("--control", "", f"expected a port 1-65535 or auto, got {text!r}")
    return int(text)


def write_control_file(path: Path, port: int, token: str) -> Path:
    """The port and token as JSON in a file only this user can read (rule 2), written atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"port": port, "token": token, "pid": os.getpid()}, fh)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path


def read_control_file(path: Path) -> tuple[int, str]:
    """(port, token) of a control file; ConfigError naming it when it is missing or not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8")[:MAX_LINE])  # noqa: TID251  (our own small file)
        return int(data["port"]), str(data["token"])
    except (OSError, ValueError, KeyError, TypeError) as exc:  # plain parse of the file's text
        raise ConfigError(path, "", f"not a control file of a citiverse window ({exc})") from None


# ---------------------------------------------------------------- the window side


class ControlChannel:
    """The server of the module docstring on a running window; `parts` answers the commands (WindowParts)."""

    def __init__(self, base: Any, parts: WindowParts, request: ControlRequest = ControlRequest()) -> None:
        host = check_loopback(request.host)
        self.base, self.parts = base, parts
        self.token = secrets.token_urlsafe(32)
        self.pending: queue.Queue[tuple[dict[str, Any], queue.Queue[Reply]]] = queue.Queue()
        self.server = _Server((host, request.port), _Handler)
        self.server.channel = self
        self.port = int(self.server.server_address[1])
        self._folder = None if request.file is not None else Path(tempfile.mkdtemp(prefix="citiverse-control-"))
        self.file = request.file or self._folder / "citiverse-control.json"  # type: ignore[operator]
        write_control_file(self.file, self.port, self.token)
        self.thread = threading.Thread(target=self.server.serve_forever, name=TASK, daemon=True)
        self.thread.start()
        base.taskMgr.add(self._task, TASK, sort=45)

    def authenticate(self, token: Any) -> bool:
        return isinstance(token, str) and hmac.compare_digest(token.encode(), self.token.encode())

    def submit(self, request: dict[str, Any]) -> Reply:
        """Run a request on the window's thread (rule 3) and return its reply (socket threads call this)."""
        box: queue.Queue[Reply] = queue.Queue(maxsize=1)
        self.pending.put((request, box))
        try:
            return box.get(timeout=REPLY_TIMEOUT)
        except queue.Empty:
            return {"ok": False, "error": f"the window did not run {request.get('cmd')!r} within {REPLY_TIMEOUT:.0f} s"}

    def _task(self, task: Any) -> Any:
        while True:
            try:
                request, box = self.pending.get_nowait()
            except queue.Empty:
                return task.cont
            box.put(self.parts.run(request))

    def close(self) -> None:
        self.base.taskMgr.remove(TASK)
        self.server.shutdown()
        self.server.server_close()
        self.file.unlink(missing_ok=True)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    channel: ControlChannel


class _Handler(socketserver.StreamRequestHandler):
    """One client: the token line, then requests until it closes (rule 2, 4)."""

    server: _Server

    def handle(self) -> None:
        channel = self.server.channel
        hello = self._read()
        if hello is None or not channel.authenticate(hello.get("token")):
            self._send({"ok": False, "error": "wrong or missing token: send {\"token\": ...} from the control file"})
            return
        self._send({"ok": True, "hello": "citiverse-control", "version": VERSION})
        while (request := self._read()) is not None:
            reply = channel.submit(request) if "error" not in request else {"ok": False, **request}
            self._send({"id": request.get("id"), **reply})

    def _read(self) -> dict[str, Any] | None:
        """The next request as a dict; {"error": ...} for a bad line; None at the end of the stream."""
        line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            return None
        if len(line) > MAX_LINE:
            self._send({"ok": False, "error": f"line longer than {MAX_LINE} bytes"})
            return None
        try:
            data = json.loads(line)  # noqa: TID251  (bounded above)
        except ValueError as exc:
            return {"error": f"not JSON: {exc}"}
        return data if isinstance(data, dict) else {"error": "a request is a JSON object"}

    def _send(self, reply: Reply) -> None:
        try:
            self.wfile.write(json.dumps(reply).encode() + b"\n")
        except OSError:  # the client went away
            pass


class WindowParts:
    """The commands (rule 3) over the window's controller, tools, live layers and scene."""

    def __init__(self, controller: Any, tools: Any, live: Any, scene: Any) -> None:
        self.controller, self.tools, self.live, self.scene = controller, tools, live, scene
        self.commands: dict[str, Callable[..., Reply]] = {
            "ping": lambda: {}, "state": self.state, "pose": self.pose, "fly_to": self.fly_to, "layer": self.layer,
            "feed_time": self.feed_time, "screenshot": self.screenshot, "pin": self.pin}

    def run(self, request: dict[str, Any]) -> Reply:
        args = {k: v for k, v in request.items() if k not in ("id", "cmd")}
        command = self.commands.get(str(request.get("cmd")))
        if command is None:
            return {"ok": False, "error": f"unknown command {request.get('cmd')!r} (known: {', '.join(self.commands)})"}
        try:
            return {"ok": True, **command(**args)}
        except TypeError as exc:  # an argument missing or unknown: name it
            return {"ok": False, "error": f"{request.get('cmd')}: {exc}"}
        except (ConfigError, PeerError, OSError) as exc:
            return {"ok": False, "error": str(exc)}

    def state(self) -> Reply:
        state = dict(self.controller.state())
        if self.live is not None:
            state["layers"] = {name: layer.visible for name, layer in self.live.layers.items()}
            state["feed_time"] = _finite_or_none(self.live.state.time)
        state["pins"] = len(self.tools.pins)
        return state

    def pose(self, position: Any, look_at: Any, fov: float = 50.0) -> Reply:
        mark = CameraBookmark(position=_point(position, "position"), look_at=_point(look_at, "look_at"),
                              fov=_number(fov, "fov", 1.0, 170.0))
        self.controller.take_view(mark)
        return {}

    def fly_to(self, object: str) -> Reply:  # noqa: A002  (the protocol's name for it; "id" numbers requests)
        objects = self.scene.model.objects
        row = {object_id: k for k, object_id in enumerate(objects.ids)}.get(str(object))
        if row is None or objects.bbox_min is None:
            raise ConfigError("fly_to", "object", f"no object {object!r} in the scene")
        lo, hi = objects.bbox_min[row].astype(float), objects.bbox_max[row].astype(float)
        if not all(math.isfinite(v) for v in (*lo, *hi)):
            raise ConfigError("fly_to", "object", f"object {object!r} has no geometry to fly to")
        centre = (lo + hi) / 2
        self.controller.fly_to(centre, float(math.dist(lo, hi)))
        return {"look_at": [float(v) for v in centre]}

    def layer(self, name: str, visible: bool | None = None) -> Reply:
        live = self._live("layers")
        if name == "legends":
            shown = bool(live.show_legends)
        elif name in live.layers:  # any layer of the scene (app/live.py rule 9)
            shown = bool(live.layers[name].visible)
        else:
            raise ConfigError("layer", "name", f"unknown layer {name!r} (known: {', '.join(live.layers)}, legends)")
        want = (not shown) if visible is None else bool(visible)
        if want != shown:
            live.toggle(name)
        return {"visible": want}

    def feed_time(self, t: float) -> Reply:
        live = self._live("feed time")
        if not hasattr(live.feed, "seek"):
            raise ConfigError("feed_time", "", "this feed is live: its time cannot be set (only a recording's)")
        live.feed.seek(_number(t, "t", -1e12, 1e12))
        return {}

    def screenshot(self, path: str | None = None, inline: bool = False) -> Reply:
        before = len(self.tools.screenshots)
        self.tools.screenshot()  # F12's own path: help hidden, written atomically
        if len(self.tools.screenshots) == before:
            raise OSError(f"no screenshot: {self.controller.nav.message}")
        shot = Path(self.tools.screenshots[-1])
        if path is not None:
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shot = Path(shutil.move(shot, target))
        reply: Reply = {"path": str(shot)}
        if inline:
            reply["png"] = base64.b64encode(shot.read_bytes()).decode("ascii")
        return reply

    def pin(self, position: Any, note: str = "", object: str = "") -> Reply:  # noqa: A002
        from viewer.nav.pins import Pin, clean_note, save_pins

        pin = Pin(_point(position, "position"), clean_note(str(note)), str(object)[:200])
        self.tools.pins.append(pin)
        save_pins(self.tools.pins_file, self.tools.pins)
        self.tools.marks.set_pins([p.position for p in self.tools.pins])
        return {"pins": len(self.tools.pins), "file": str(self.tools.pins_file)}

    def _live(self, what: str) -> Any:
        if self.live is None:
            raise ConfigError("--feed", "", f"no feed layers in this window: {what} needs `citiverse view ... --feed`")
        return self.live


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _number(value: Any, name: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= float(value) <= hi:
        raise ConfigError("control", name, f"expected a number from {lo:g} to {hi:g}, got {value!r}")
    return float(value)


def _point(value: Any, name: str) -> tuple[float, float, float]:
    if not isinstance(value, list | tuple) or len(value) != 3:
        raise ConfigError("control", name, f"expected [x, y, z] in local metres, got {value!r}")
    x, y, z = (_number(v, name, -MAX_COORDINATE, MAX_COORDINATE) for v in value)
    return (x, y, z)


def open_control(base: Any, request: ControlRequest, controller: Any, tools: Any, live: Any, scene: Any) -> ControlChannel:
    """The window's hook: open the channel and say where its control file is (never the token)."""
    channel = ControlChannel(base, WindowParts(controller, tools, live, scene), request)
    print(f"control: 127.0.0.1:{channel.port} (token in {channel.file})", flush=True)
    return channel


# ---------------------------------------------------------------- the client side


class ControlClient:
    """One connection to a window's channel: call(cmd, **args) -> the reply's fields; PeerError for a
    refused token or command, a closed window or a timeout."""

    def __init__(self, port: int, token: str, host: str = "127.0.0.1", timeout: float = 60.0) -> None:
        self.peer = f"{check_loopback(host)}:{port}"
        try:
            self.sock = socket.create_connection((check_loopback(host), int(port)), timeout=timeout)
        except OSError as exc:
            raise PeerError(f"cannot connect: {exc.strerror or exc} (is the window open with --control?)",
                            self.peer) from None
        self.reader = self.sock.makefile("rb")
        self.next_id = 0
        hello = self._exchange({"token": token})
        if not hello.get("ok"):
            self.close()
            raise PeerError(str(hello.get("error", "refused")), self.peer)

    def call(self, cmd: str, **args: Any) -> dict[str, Any]:
        self.next_id += 1
        reply = self._exchange({"id": self.next_id, "cmd": cmd, **args})
        if not reply.get("ok"):
            raise PeerError(f"{cmd}: {reply.get('error', 'refused')}", self.peer)
        return {k: v for k, v in reply.items() if k not in ("ok", "id")}

    def _exchange(self, message: dict[str, Any]) -> dict[str, Any]:
        try:
            self.sock.sendall(json.dumps(message).encode() + b"\n")
            line = self.reader.readline(64 << 20)  # a screenshot inline is a few MB
        except OSError as exc:
            raise PeerError(f"connection lost: {exc.strerror or exc}", self.peer) from None
        if not line:
            raise PeerError("the window closed the connection", self.peer)
        data = json.loads(line)  # noqa: TID251  (bounded read from the window we connected to)
        return data if isinstance(data, dict) else {"ok": False, "error": "not a reply"}

    def close(self) -> None:
        self.reader.close()
        self.sock.close()
