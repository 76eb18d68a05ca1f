"""What a participant types into the chat panel: plain text is a chat line, "/command" a host action.

    /follow  /unfollow               everyone follows my camera / stops following      (host)
    /mute NAME  /unmute NAME         mute or unmute a guest's chat (NAME or #id)        (host)
    /remove NAME                     remove a guest for the rest of its token's life    (host)
    /layer NAME on|off               show or hide a layer for everyone                  (host)
    /time SECONDS|live               set everyone's feed time (Unix seconds) or go live (host)
    /record on|off                   record the meeting to a log on the server, or stop     (host)
    /help                            list these

Rules:
1. COMMANDS is the table: name -> (usage, parser). A parser turns the arguments into a ClientMessage or
   raises CommandError with a line to show locally. Nothing is sent for a command that does not parse.
2. Whether the sender may do it is the server's decision (roles.PERMISSIONS); the panel only offers host
   commands to hosts, as a courtesy.
3. ChatEntry is the line being typed: printable characters only, bounded length; pure, so the window's
   key handling is a thin mapping onto it.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable

from viewer.meeting.messages import (
    ClientMessage,
    FollowMe,
    Mute,
    Remove,
    Say,
    SetFeedTime,
    SetLayer,
    SetRecording,
)
from viewer.meeting.view import RoomView

MAX_ENTRY = 500


class CommandError(ValueError):
    """A typed command that cannot be sent; str() is the line to show."""


def _target(args: list[str], view: RoomView) -> int:
    if len(args) != 1:
        raise CommandError("name one participant (a name or #id)")
    found = view.find(args[0])
    if not found:
        raise CommandError(f"nobody called {args[0]!r} here")
    if len(found) > 1:
        raise CommandError(f"{args[0]!r} matches {len(found)} participants: use #id")
    return found[0]


def _layer(args: list[str], view: RoomView) -> ClientMessage:
    if len(args) != 2 or args[1] not in ("on", "off"):
        raise CommandError("usage: /layer NAME on|off")
    return SetLayer(args[0], args[1] == "on")


def _time(args: list[str], view: RoomView) -> ClientMessage:
    if len(args) != 1:
        raise CommandError("usage: /time SECONDS|live")
    if args[0] == "live":
        return SetFeedTime(None)
    try:
        value = float(args[0])
    except ValueError:
        raise CommandError(f"not a time: {args[0]!r}") from None
    if not math.isfinite(value):
        raise CommandError("the time must be finite")
    return SetFeedTime(value)


def _record(args: list[str], view: RoomView) -> ClientMessage:
    if len(args) != 1 or args[0] not in ("on", "off"):
        raise CommandError("usage: /record on|off")
    return SetRecording(args[0] == "on")


def _no_args(message: ClientMessage) -> Callable[[list[str], RoomView], ClientMessage]:
    def parse(args: list[str], view: RoomView) -> ClientMessage:
        if args:
            raise CommandError("this command takes no arguments")
        return message
    return parse


COMMANDS: dict[str, tuple[str, Callable[[list[str], RoomView], ClientMessage]]] = {
    "follow": ("/follow  everyone follows my camera", _no_args(FollowMe(True))),
    "unfollow": ("/unfollow  stop follow-me", _no_args(FollowMe(False))),
    "mute": ("/mute NAME  mute a guest's chat", lambda a, v: Mute(_target(a, v), True)),
    "unmute": ("/unmute NAME", lambda a, v: Mute(_target(a, v), False)),
    "remove": ("/remove NAME  remove a guest", lambda a, v: Remove(_target(a, v))),
    "layer": ("/layer NAME on|off  for everyone", _layer),
    "time": ("/time SECONDS|live  shared feed time", _time),
    "record": ("/record on|off  record the meeting", _record),
}


def help_lines() -> list[str]:
    return [usage for usage, _ in COMMANDS.values()]


def parse_input(text: str, view: RoomView) -> ClientMessage | None:
    """The message for a submitted line (None for an empty line); CommandError for a bad command."""
    text = text.strip()
    if not text:
        return None
    if not text.startswith("/") or text.startswith("//"):
        return Say(text[1:] if text.startswith("//") else text)  # "//" sends a line starting with "/"
    name, *args = text[1:].split()
    if name == "help":
        raise CommandError("commands: " + "; ".join(help_lines()))
    entry = COMMANDS.get(name)
    if entry is None:
        raise CommandError(f"unknown command /{name} (try /help)")
    return entry[1](args, view)


class ChatEntry:
    """The line being typed (rule 3)."""

    def __init__(self, max_chars: int = MAX_ENTRY) -> None:
        self.text = ""
        self.max_chars = max_chars

    def type(self, characters: str) -> None:
        """Append printable characters (control and format characters are ignored)."""
        keep = "".join(c for c in characters if unicodedata.category(c)[0] != "C")
        self.text = (self.text + keep)[: self.max_chars]

    def backspace(self) -> None:
        self.text = self.text[:-1]

    def take(self) -> str:
        """The line, and an empty entry."""
        text, self.text = self.text, ""
        return text
