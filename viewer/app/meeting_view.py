"""MeetingView: a shared meeting inside the window: others' avatars and name tags, pointers, the chat
panel with typed entry, the participant list, the host's controls and the follow-the-host camera.

    view = MeetingView.attach(base, controller, client)      # client: a started MeetingClient
    view = join_meeting(base, controller, url, token)         # the same, starting the client itself

Rules this module keeps:
1. The render thread never waits on the network: each frame drains the client's queue within `budget`
   seconds into the view's own RoomView (meeting/view.py), then draws from it. Poses are interpolated
   `delay` behind the newest data (meeting/interp.py); avatars glide, they do not snap.
2. What is drawn changes only when the view says it changed (avatars added/removed and tags relabelled
   on "members", pointers rebuilt on "pointers", panels rewritten on their aspects); only avatar
   placement and tag scaling run every frame, for at most a few dozen people.
3. Keys come from MEETING_KEYS (Enter chat, P point, J follow the host or stop, F2 list, F5 follow-me and
   F6 recording as host). A key the user's controls already use is not bound, and the help says so. While typing, every
   button event is renamed with TYPING_PREFIX on the window's ButtonThrowers, so no other handler
   (movement, layer keys, quit on Esc) sees the keys typed into the chat; characters arrive as keystroke
   events. Held keys are forgotten when typing starts.
4. Follow-the-host: while a host has follow-me on, the camera is put at the host's camera (in orbit mode,
   through the controller's Orbit, so any later drag starts from there). Leaving orbit (walk, fly) detaches
   until J is pressed again.
5. My pose (feet, heading, camera) goes to the client at most POSE_HZ times a second; the client coalesces
   and keeps it alive. Identity is the token's: `name` (the --name option) is only compared with what the
   server calls us, and a difference is shown.
6. Shared layer visibility and feed time are the room's; the app gives `on_layer(name, visible)` and
   `on_feed_time(time or None)` for its layers and feed when it builds the view (join_meeting), and a host
   shares its own changes with
   `share_layer` / `share_feed_time`.
7. Recording is the server's (meeting/hub.py rule 8): while the room is recorded the participant list
   starts with REC and everyone is told once (a joiner too); a host's record request carries `feed_ref`
   (the feed this window follows) so the log names it.
8. Pins are the room's (meeting/messages.py rule 5): the app gives `on_pins(pins)` (app/tools.py draws and
   lists them) and drops or removes them with `share_pin` / `unpin`; someone else's new pin is announced
   under the chat.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from direct.showbase.DirectObject import DirectObject

from viewer.meeting.commands import ChatEntry, CommandError, help_lines, parse_input
from viewer.meeting.fields import MAX_COORD
from viewer.meeting.messages import (
    ClientMessage,
    DropPin,
    FollowMe,
    PointAt,
    Pose,
    Ray,
    RoomPin,
    SetFeedTime,
    SetLayer,
    SetRecording,
    Unpin,
)
from viewer.meeting.protocol import ClientEvent, MessageDropped, Received, Resynced, StateChanged
from viewer.meeting.view import CHANGES, RoomView
from viewer.nav.kinematics import forward_vector
from viewer.render.meeting_hud import MeetingHud
from viewer.render.participants import ParticipantAvatars, participant_colour, tag_label
from viewer.render.pointer import PointerLayer

log = logging.getLogger(__name__)

MEETING_KEYS = {"enter": "open_chat", "p": "point", "j": "toggle_follow", "f2": "toggle_people",
                "f5": "follow_me", "f6": "toggle_record"}
KEY_HELP = {  # method: (hint under the chat, help line)
    "open_chat": ("Enter chat", "Enter  chat (/help: commands)"),
    "point": ("P point", "P  point at what is under the cursor (at nothing: stop)"),
    "toggle_follow": ("J follow", "J  follow the host / stop"),
    "toggle_people": ("F2 list", "F2  participant list on / off"),
    "follow_me": ("F5 follow me", "F5  everyone follows me (host)"),
    "toggle_record": ("F6 record", "F6  record the meeting on the server / stop (host)"),
}
HOST_KEYS = ("follow_me", "toggle_record")
REC = "\u25cf REC"  # the recording indicator: a red dot's text form
TYPING_PREFIX = "meeting-typing-"
KEYSTROKE = "meeting-keystroke"
POSE_HZ = 15.0
NOTICE_SECONDS = 5.0
MAX_LINE = 80  # characters of a chat line shown in the panel
FOLLOW_LOOK = 10.0  # metres ahead of the host's eye the camera looks at
Vec3 = tuple[float, float, float]


class MeetingLink(Protocol):
    """What MeetingView needs from a client (net/meeting_client.MeetingClient; tests pass a fake)."""

    @property
    def state(self) -> str: ...
    @property
    def reason(self) -> str: ...

    def poll(self, max_items: int | None = None) -> list[tuple[float, ClientEvent]]: ...
    def set_pose(self, pose: Pose) -> None: ...
    def send(self, message: ClientMessage) -> None: ...


class MeetingView(DirectObject):
    """The meeting in a window driven by a ViewerController (rules 1-6)."""

    def __init__(self, base: Any, controller: Any, client: MeetingLink, name: str | None = None,
                 clock: Callable[[], float] = time.monotonic, budget: float = 0.003,
                 eye_height: float = 1.65, on_layer: Callable[[str, bool], None] | None = None,
                 on_feed_time: Callable[[float | None], None] | None = None,
                 on_pins: Callable[[list[RoomPin]], None] | None = None) -> None:
        super().__init__()
        self.base, self.controller, self.client, self.name, self.clock = base, controller, client, name, clock
        self.budget, self.eye_height = budget, eye_height
        self.view = RoomView()
        self.avatars = ParticipantAvatars(base.render)
        self.pointers = PointerLayer(base.render)
        self.hud = MeetingHud(base)
        self.entry = ChatEntry()
        self.typing = False
        self.detached = False  # J: not following the host although follow-me is on
        self.following = False  # the camera followed the host last frame
        self.my_pointer: Ray | None = None
        self.on_layer, self.on_feed_time = on_layer, on_feed_time  # rule 6
        self.on_pins = on_pins  # rule 8
        self.owns_client = False
        self.feed_ref: str | None = None  # rule 7
        self.bound: dict[str, str] = {}
        self._notice, self._notice_until = "", 0.0
        self._dirty: set[str] = set(CHANGES) | {"status", "entry"}
        self._pose_sent = float("-inf")
        self._saved_throwers: list[tuple[Any, str, str]] = []

    @classmethod
    def attach(cls, base: Any, controller: Any, client: MeetingLink, **options: Any) -> MeetingView:
        """A MeetingView bound to the window's keys with its frame task (after navigation's)."""
        view = cls(base, controller, client, **options)
        taken = set(controller.controls.events()) if hasattr(controller, "controls") else set()
        for key, method in MEETING_KEYS.items():
            if key in taken:
                log.warning("meeting key %r is used by the controls; %s is not bound", key, method)
                continue
            view.bound[key] = method
            view.accept(key, getattr(view, method))
        base.taskMgr.add(view._task, "citiverse-meeting", sort=5)
        return view

    # ------------------------------------------------------------------ one frame

    def update(self, now: float | None = None) -> None:
        """One frame: drain, follow the host, place avatars, send my pose, refresh what changed."""
        now = self.clock() if now is None else now
        self.drain(now)
        self.follow_host(now)
        self.place_avatars(now)
        self.send_pose(now)
        self.refresh(now)

    def drain(self, now: float) -> None:
        """Apply the client's events to the view, within the time budget (rule 1)."""
        deadline = time.perf_counter() + self.budget
        while time.perf_counter() < deadline:
            batch = self.client.poll(64)
            for arrival, event in batch:
                self._apply(arrival, event)
            if len(batch) < 64:
                break

    def _apply(self, arrival: float, event: ClientEvent) -> None:
        if isinstance(event, Received):
            changed = self.view.apply(event.message, arrival)
            if isinstance(event.message, RoomPin) and event.message.sender != self.view.me:
                pin = event.message
                self.say(f"{pin.name} pinned: {pin.note or '(no note)'} (/ lists pins)")
        elif isinstance(event, Resynced):
            changed = self.view.apply(event.welcome, arrival) if event.welcome is not None else set()
            changed |= self.view.apply(event.state, arrival)
        elif isinstance(event, StateChanged):
            changed = {"status"}
        else:
            assert isinstance(event, MessageDropped)
            changed = set()
        self._dirty |= changed
        if "you" in changed and self.name and self.view.welcome is not None and self.view.welcome.name != self.name:
            self.say(f"the server knows you as {self.view.welcome.name!r} (the name in your token)")
        if "notice" in changed and self.view.notices:
            self.say(self.view.notices[-1].reason)
        if "recording" in changed:
            self.say("this meeting is being recorded" if self.view.recording else "the recording stopped")
        self._hooks(changed)

    def _hooks(self, changed: set[str]) -> None:
        if "layers" in changed and self.on_layer is not None:
            for name, visible in self.view.layers.items():
                self.on_layer(name, visible)
        if "feed_time" in changed and self.on_feed_time is not None:
            self.on_feed_time(self.view.feed_time)
        if "pins" in changed and self.on_pins is not None:
            self.on_pins(list(self.view.pins.values()))

    def follow_host(self, now: float) -> None:
        """Put the camera where the followed host's camera is (rule 4)."""
        host = self.view.follow
        pose = None if host is None or host == self.view.me or self.detached else self.view.pose_at(host, now)
        if pose is None:
            self.following = False
            return
        nav = self.controller.nav
        if nav.mode != "orbit":
            if self.following:  # the user walked or flew away: stop following until J
                self.following, self.detached = False, True
                self.say("stopped following the host (J: follow again)")
                return
            nav.switch("orbit")
        ahead = forward_vector(pose.heading, pose.pitch) * FOLLOW_LOOK
        look_at = (pose.eye[0] + ahead[0], pose.eye[1] + ahead[1], pose.eye[2] + ahead[2])
        self.controller.orbit.look(pose.eye, look_at, self.controller.orbit.fov)
        self.controller.apply()
        self.following = True

    def place_avatars(self, now: float) -> None:
        """Sync, place and scale the avatars; rebuild pointers when they changed (rule 2)."""
        members = self.view.members
        if "members" in self._dirty:
            self.avatars.sync({pid: (m.info.name, m.info.role, m.info.muted) for pid, m in members.items()})
        for pid in members:
            pose = self.view.pose_at(pid, now)
            if pose is None:
                self.avatars.hide(pid)
            else:
                self.avatars.place(pid, pose.position, pose.heading)
        camera = self.base.camera.get_pos(self.base.render)
        self.avatars.scale_tags((camera.x, camera.y, camera.z), self.controller.orbit.fov)
        if self._dirty & {"pointers", "members", "you"}:
            rays = [(m.info.pointer, participant_colour(pid)) for pid, m in members.items() if m.info.pointer]
            if self.my_pointer is not None and self.view.me is not None:
                rays.append((self.my_pointer, participant_colour(self.view.me)))
            self.pointers.update([(ray.origin, ray.target, rgb) for ray, rgb in rays if ray is not None])

    def my_pose(self) -> Pose:
        """My pose now: the walking avatar's feet when it is shown, else below the camera (rule 5)."""
        camera = self.base.camera
        eye = _clamped(camera.get_pos(self.base.render))
        h, p, _ = camera.get_hpr(self.base.render)
        avatar = self.controller.nav.navigator.avatar()
        if avatar is not None:
            feet, heading = _clamped(avatar[0]), float(avatar[1])
        else:
            feet, heading = (eye[0], eye[1], eye[2] - self.eye_height), float(h)
        return Pose(feet, heading, eye, max(-90.0, min(90.0, float(p))))

    def send_pose(self, now: float) -> None:
        if now - self._pose_sent >= 1.0 / POSE_HZ and self.view.me is not None:
            self.client.set_pose(self.my_pose())
            self._pose_sent = now

    def refresh(self, now: float) -> None:
        """Rewrite the panels whose content changed."""
        if self._notice and now > self._notice_until:
            self._notice = ""
            self._dirty.add("entry")
        if self._dirty & {"members", "you", "follow", "status", "recording"}:
            self.hud.set_people(self.people_lines())
        if "chat" in self._dirty:
            self.hud.set_chat([_short(f"{line.name}: {line.text}") for line in self.view.chat])
        if self._dirty & {"entry", "notice", "you"}:
            self.hud.set_entry(self.entry_line())
        self._dirty.clear()

    # ------------------------------------------------------------------ panel text

    def people_lines(self) -> list[str]:
        w = self.view.welcome
        if w is None:
            return [f"Meeting: {self.client.state}" + (f" ({self.client.reason})" if self.client.reason else "")]
        rec = f"{REC}  " if self.view.recording else ""
        lines = [f"{rec}Meeting {w.room}: {self.client.state}", f"In the room ({len(self.view.members) + 1}):",
                 tag_label(f"{w.name} (you)", w.role, self.view.muted)]
        lines += [tag_label(f"{m.info.name} #{pid}", m.info.role, m.info.muted) for pid, m in self.view.members.items()]
        if self.view.follow is not None:
            who = "you" if self.view.follow == w.you else self._name_of(self.view.follow)
            lines.append(f"Following {who}" + ("  (J: follow again)" if self.detached else ""))
        if self.view.is_host:
            lines += ["Host controls:", "F5  follow me on / off", "F6  record on / off", *help_lines()[2:]]
        return lines

    def entry_line(self) -> str:
        if self.typing:
            return f"Say: {self.entry.text}_"
        if self._notice:
            return self._notice
        return "   ".join(KEY_HELP[m][0] for m in self.bound.values() if m not in HOST_KEYS or self.view.is_host)

    def help_lines(self) -> list[str]:
        lines = [KEY_HELP[m][1] for m in self.bound.values()]
        lines += [f"{k} is taken by your controls: {KEY_HELP[m][0]} is not bound"
                  for k, m in MEETING_KEYS.items() if k not in self.bound]
        return lines

    def _name_of(self, pid: int) -> str:
        member = self.view.members.get(pid)
        return member.info.name if member is not None else f"#{pid}"

    def say(self, text: str) -> None:
        """Show a local line under the chat for a few seconds."""
        self._notice, self._notice_until = _short(text, 120), self.clock() + NOTICE_SECONDS
        self._dirty.add("entry")

    # ------------------------------------------------------------------ actions (keys)

    def point(self) -> None:
        """Point at what is under the cursor (the view's centre while the mouse is captured); at nothing:
        stop pointing."""
        nav = self.controller.nav
        at = self.controller.pointer()
        if nav.captured or at is None:
            at = (0.0, 0.0)
        target = nav.pick(*at)
        eye = self.my_pose().eye
        self.my_pointer = None if target is None else Ray(eye, _clamped(target))
        self.client.send(PointAt(None if target is None else _clamped(target), eye))
        self._dirty.add("pointers")

    def toggle_follow(self) -> None:
        self.detached = not self.detached
        self.following = False
        self._dirty.add("follow")

    def toggle_people(self) -> None:
        self.hud.toggle_people()
        self._dirty.add("members")

    def follow_me(self) -> None:
        """Host: everyone follows my camera, or stops."""
        if not self.view.is_host:
            self.say("only a host can ask everyone to follow")
            return
        self.client.send(FollowMe(self.view.follow != self.view.me))

    def toggle_record(self) -> None:
        """Host: start recording the meeting on the server, or stop (rule 7)."""
        if not self.view.is_host:
            self.say("only a host can record the meeting")
            return
        self.client.send(SetRecording(not self.view.recording, self.feed_ref if not self.view.recording else None))

    def share_layer(self, name: str, visible: bool) -> None:
        """Host: show or hide layer `name` for everyone."""
        self.client.send(SetLayer(name, visible))

    def share_pin(self, position: Vec3, note: str, obj: str = "") -> None:
        """Leave a lasting pin for the room (rule 8); it shows here once the server has it."""
        self.client.send(DropPin(_clamped(position), note, obj))

    def unpin(self, pin: int) -> None:
        """Remove the room's pin `pin` (refused by the server unless mine or I am a host)."""
        self.client.send(Unpin(pin))

    def share_feed_time(self, at: float | None) -> None:
        """Host: everyone's feed at time `at` (Unix seconds), or live (None)."""
        self.client.send(SetFeedTime(at))

    # ------------------------------------------------------------------ typing (rule 3)

    def open_chat(self) -> None:
        if self.typing:
            return
        self.typing = True
        self.controller.nav.down.clear()
        for thrower in getattr(self.base, "buttonThrowers", None) or []:
            node = thrower.node()
            self._saved_throwers.append((node, node.get_prefix(), node.get_keystroke_event()))
            node.set_prefix(TYPING_PREFIX)
            node.set_keystroke_event(KEYSTROKE)
        self.accept(TYPING_PREFIX + "enter", self.submit)
        self.accept(TYPING_PREFIX + "escape", self.close_chat)
        self.accept(TYPING_PREFIX + "backspace", self.backspace)
        self.accept(TYPING_PREFIX + "backspace-repeat", self.backspace)
        self.accept(KEYSTROKE, self.type_text)
        self.accept(TYPING_PREFIX + KEYSTROKE, self.type_text)
        self._dirty.add("entry")

    def type_text(self, text: str) -> None:
        if self.typing:
            self.entry.type(text)
            self._dirty.add("entry")

    def backspace(self) -> None:
        self.entry.backspace()
        self._dirty.add("entry")

    def close_chat(self) -> None:
        """Stop typing (the line is kept for next time) and give the keys back."""
        if not self.typing:
            return
        self.typing = False
        for node, prefix, keystroke in self._saved_throwers:
            node.set_prefix(prefix)
            node.set_keystroke_event(keystroke)
        self._saved_throwers.clear()
        for event in ("enter", "escape", "backspace", "backspace-repeat", KEYSTROKE):
            self.ignore(TYPING_PREFIX + event)
        self.ignore(KEYSTROKE)
        self._dirty.add("entry")

    def submit(self) -> None:
        """Send the typed line: a chat message, or a /command (errors are shown, nothing is sent)."""
        line = self.entry.take()
        self.close_chat()
        try:
            message = parse_input(line, self.view)
        except CommandError as exc:
            self.say(str(exc))
            return
        if isinstance(message, SetRecording) and message.on:
            message = SetRecording(True, self.feed_ref)
        if message is not None:
            self.client.send(message)

    # ------------------------------------------------------------------ plumbing

    def _task(self, task: Any) -> Any:
        self.update()
        return task.cont

    def destroy(self) -> None:
        """Unbind, remove everything drawn, and stop the client if this view started it."""
        self.close_chat()
        self.ignore_all()
        self.base.taskMgr.remove("citiverse-meeting")
        self.avatars.remove()
        self.pointers.remove()
        self.hud.destroy()
        if self.owns_client:
            stop = getattr(self.client, "stop", None)
            if stop is not None:
                stop()


def join_meeting(base: Any, controller: Any, url: str, token: str, name: str | None = None,
                 on_layer: Callable[[str, bool], None] | None = None,
                 on_feed_time: Callable[[float | None], None] | None = None,
                 on_pins: Callable[[list[RoomPin]], None] | None = None, **client_options: Any) -> MeetingView:
    """Start a MeetingClient for `url` with `token` and attach a MeetingView for it (destroy() stops it), with
    the app's callbacks of rules 6 and 8."""
    from viewer.net.meeting_client import MeetingClient  # the network layer only when a meeting is joined

    client = MeetingClient(url, token, **client_options).start()
    view = MeetingView.attach(base, controller, client, name=name, on_layer=on_layer, on_feed_time=on_feed_time,
                              on_pins=on_pins)
    view.owns_client = True
    return view


def _clamped(p: Any) -> Vec3:
    """A point within the protocol's coordinate range (the server refuses anything beyond)."""
    return (max(-MAX_COORD, min(MAX_COORD, float(p[0]))), max(-MAX_COORD, min(MAX_COORD, float(p[1]))),
            max(-MAX_COORD, min(MAX_COORD, float(p[2]))))


def _short(text: str, limit: int = MAX_LINE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
