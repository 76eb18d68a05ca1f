"""The window's everyday tools: keys help, search, measure, pins, screenshot, north arrow and scale bar,
double-click to fly to, and the panels' close buttons.

Rules this module keeps:
1. WindowTools sits beside the ViewerController (window.py) and uses only its public parts: the orbit, the
   navigation's pick (the collision index's ray cast: exact points, headless-testable) and `fly_to`.
   What it draws goes through render/panels.py (WindowHud); 3D marks (measure lines, pins) through
   render/marks.py.
2. Typing (search, a pin's note) is modal: while a TextEntry is open the window's ButtonThrower prefixes
   every button event with "typing-", so no key reaches the navigation, the layers or the camera paths
   ("q" types a q, it does not quit), and the typed characters arrive as keystroke events. Held keys
   are forgotten when typing starts (their key-up events would not arrive).
3. A click is a left press and release within CLICK_PIXELS (a drag orbits); two clicks within
   DOUBLE_CLICK seconds fly to the point clicked (orbit mode). A click on a panel's close button closes
   it and does nothing else. In measure mode a click adds a point instead.
4. Esc closes, in order: the text being typed, measuring, the tool panel, the keys help, the picking
   panel; only when nothing was open does Esc reach the navigation (release the mouse, then quit). The
   window gives `escape`, `toggle_help` and `open_search` to the controller when it builds it (window.py
   rule 6): nothing here sets another part's callbacks.
5. In a meeting (attach_meeting; the MeetingView built with on_pins=set_room_pins) a dropped pin goes to the room instead of the pins file: everyone sees it
   (in its author's colour), search lists it, and it lasts as long as the room (docs/meetings.md, "Pins").
   The file's pins stay private. Delete removes the pin nearest the cursor: a file pin from the file, a
   room pin through the server (its author or a host only; the server has the last word).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from direct.showbase.DirectObject import DirectObject

from viewer.app.screenshot import take_screenshot
from viewer.layers.search import SearchIndex
from viewer.meeting.messages import RoomPin
from viewer.nav.bindings import describe
from viewer.nav.measure import Measurement, measure
from viewer.nav.pins import Pin, clean_note, load_pins, save_pins
from viewer.render.marks import PIN_COLOUR, Marks
from viewer.render.panels import WindowHud
from viewer.render.participants import participant_colour

CLICK_PIXELS = 4.0
DOUBLE_CLICK = 0.4  # seconds
COMPASS_HZ = 4.0
FLY_TO_MIN, FLY_TO_MAX = 40.0, 400.0  # metres from what is flown to
SHOWN_HITS = 9
UNPIN_REACH = (15.0, 0.08)  # Delete finds a pin within max(15 m, 8% of the distance to the cursor's point)


class TextEntry(DirectObject):
    """One line of text typed into the window (rule 2); calls on_change(text) on every edit, on_key(name)
    for Enter, Tab, Down, Up and Escape (the caller decides what they do)."""

    KEYS = ("enter", "tab", "arrow_down", "arrow_up", "escape")

    def __init__(self, base: Any, on_change: Callable[[str], None], on_key: Callable[[str], None]) -> None:
        super().__init__()
        self.base, self.on_change, self.on_key = base, on_change, on_key
        self.text = ""
        thrower = base.buttonThrowers[0].node()
        self._saved = (thrower.get_prefix(), thrower.get_keystroke_event())
        thrower.set_prefix("typing-")
        thrower.set_keystroke_event("citiverse-keystroke")
        self.accept("citiverse-keystroke", self._typed)
        self.accept("typing-backspace", self._erase)
        self.accept("typing-backspace-repeat", self._erase)
        for key in self.KEYS:
            self.accept(f"typing-{key}", self.on_key, [key])

    def _typed(self, char: str) -> None:
        if char.isprintable() and len(self.text) < 200:
            self.text += char
            self.on_change(self.text)

    def _erase(self) -> None:
        self.text = self.text[:-1]
        self.on_change(self.text)

    def close(self) -> None:
        self.ignore_all()
        thrower = self.base.buttonThrowers[0].node()
        thrower.set_prefix(self._saved[0])
        thrower.set_keystroke_event(self._saved[1])


class WindowTools(DirectObject):
    """The tools of rule 1 for `controller` (window.py ViewerController) over a LoadedScene."""

    def __init__(self, base: Any, controller: Any, scene: Any, pins_file: Path, screenshot_dir: Path | None = None,
                 live: Any = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.base, self.controller, self.scene, self.live, self.clock = base, controller, scene, live, clock
        self.nav = controller.nav
        self.hud = WindowHud(base.win)
        self.marks = Marks(base.render)
        self.search_index = SearchIndex(scene.model.objects)
        self.pins_file, self.screenshot_dir = pins_file, screenshot_dir
        self.pins: list[Pin] = load_pins(pins_file)
        self.room_pins: list[RoomPin] = []  # rule 5
        self.meeting: Any = None  # app/meeting_view.py MeetingView, when in a meeting
        self.sun: Any = None  # app/sun_time.py SunTime: its line goes under the north arrow
        self.entry: TextEntry | None = None
        self.entry_purpose = ""  # "search" | "pin"
        self.tool = ""  # what the tool panel shows: "search" | "measure" | "pin" | ""
        self.hits: list[tuple[str, tuple[float, float, float], float]] = []  # (line, centre, size)
        self.chosen = -1
        self.measuring: list[tuple[float, float, float]] = []
        self.measurement: Measurement | None = None
        self.pending_pin: tuple[tuple[float, float, float], str] | None = None
        self.help_shown = controller.help_shown
        self.compass_shown = True
        self.screenshots: list[str] = []
        self._press: tuple[float, float] | None = None
        self._last_click = (-math.inf, (0.0, 0.0))
        self._compass_at = -math.inf
        self._draw_pins()
        keys = controller.controls.keys
        table = {"search": self.open_search, "measure": self.toggle_measure, "screenshot": self.screenshot,
                 "pin": self.drop_pin, "unpin": self.remove_pin, "compass": self.toggle_compass}
        for action, handler in table.items():
            for key in keys.get(action, ()):
                self.accept(key, handler)
        self.accept("mouse1", self._mouse_down)
        self.accept("mouse1-up", self._mouse_up)
        self.accept("window-event", self._resized)
        base.taskMgr.add(self._task, "citiverse-window-tools", sort=40)
        self.show_help(self.help_shown)

    # ------------------------------------------------------------ help

    def help_lines(self) -> list[str]:
        lines = self.controller.help_text().split("\n")
        if self.live is not None:
            lines += self.live.help_lines()
        return lines

    def show_help(self, shown: bool) -> None:
        self.help_shown = shown
        self.hud.set_help(self.help_lines() if shown else None, avoid=self._others())

    def toggle_help(self) -> None:
        self.show_help(not self.help_shown)

    def _others(self) -> list[tuple[float, float, float, float]]:
        """Blocks of the live layers' HUD the help must keep clear of (legends, picking panel)."""
        hud = getattr(self.live, "hud", None)
        if hud is None:
            return []
        rects = list(hud.legend_rects())
        panel = hud.panel_rect() if hasattr(hud, "panel_rect") else None
        return rects + ([panel] if panel is not None else [])

    # ------------------------------------------------------------ search and pins list

    def open_search(self) -> None:
        """`/` or Ctrl+F: type a query; objects and pins matching it are listed, Enter flies to the first,
        Tab or Down to the next (rule 2)."""
        self._start_entry("search")
        self._search("")

    def _start_entry(self, purpose: str) -> None:
        self._close_entry()
        self.nav.down.clear()
        self.nav.release()
        self.entry_purpose = purpose
        self.entry = TextEntry(self.base, self._changed, self._entry_key)

    def _close_entry(self) -> None:
        if self.entry is not None:
            self.entry.close()
            self.entry = None

    def _changed(self, text: str) -> None:
        if self.entry_purpose == "search":
            self._search(text)
        else:
            self.hud.set_tool("Note for the pin (Enter saves, Esc cancels)", [f"> {text}_"])

    def _search(self, text: str) -> None:
        self.tool, self.chosen = "search", -1
        self.hits = []
        needle = text.strip().lower()
        for i, pin in enumerate(self.pins):
            if not needle or needle in pin.note.lower():
                self.hits.append((f"pin {pin.line(i + 1)}", pin.position, 30.0))
        for room_pin in self.room_pins:
            if not needle or needle in room_pin.note.lower() or needle in room_pin.name.lower():
                line = Pin(room_pin.position, room_pin.note, room_pin.object).line(room_pin.id)
                self.hits.append((f"room pin {line} ({room_pin.name})", room_pin.position, 30.0))
        if needle:
            objects = self.scene.model.objects
            for hit in self.search_index.search(text):
                centre, size = self._object_place(objects, hit.object)
                self.hits.append((hit.line(), centre, size))
        self._show_hits(text)

    def _show_hits(self, text: str) -> None:
        lines = [f"> {text}_" if self.entry is not None else f"  {text}"]
        if not self.hits:
            lines.append("no match" if text.strip() else "type an id, a name, an address or a use")
        for i, (line, _, _) in enumerate(self.hits[:SHOWN_HITS]):
            lines.append(("> " if i == self.chosen else "  ") + line[:60])
        if len(self.hits) > SHOWN_HITS:
            lines.append(f"  ... {len(self.hits) - SHOWN_HITS} more")
        self.hud.set_tool(f"Search ({len(self.hits)} found: Enter flies to it, Tab the next)", lines)

    def _entry_key(self, key: str) -> None:
        if key == "escape":
            self._close_entry()
            if self.entry_purpose == "pin":
                self.pending_pin = None
            self.close_tool()
            return
        if self.entry_purpose == "pin":
            if key == "enter":
                self._save_pin()
            return
        if key in ("enter", "tab", "arrow_down", "arrow_up") and self.hits:
            step = -1 if key == "arrow_up" else 1
            self.chosen = (self.chosen + step) % min(len(self.hits), SHOWN_HITS) if self.chosen >= 0 or step > 0 \
                else 0
            self.chosen = max(self.chosen, 0)
            if key == "enter":
                self._close_entry()
            _, centre, size = self.hits[self.chosen]
            self.controller.fly_to(centre, size)
            self._show_hits(self.entry.text if self.entry is not None else "")

    @staticmethod
    def _object_place(objects: Any, index: int) -> tuple[tuple[float, float, float], float]:
        """Centre (local metres) and size of an object's box (its own or, without one, the origin)."""
        lo, hi = getattr(objects, "bbox_min", None), getattr(objects, "bbox_max", None)
        if lo is None or hi is None or not np.isfinite(lo[index]).all():
            return (0.0, 0.0, 0.0), 50.0
        a, b = np.asarray(lo[index], np.float64), np.asarray(hi[index], np.float64)
        c = (a + b) / 2
        return (float(c[0]), float(c[1]), float(c[2])), float(np.linalg.norm(b - a))

    # ------------------------------------------------------------ pins

    def drop_pin(self) -> None:
        """P: a pin at the point under the cursor (the screen centre without one); type its note."""
        point = self._point_under_cursor()
        if point is None:
            self.nav.say("No pin: nothing under the cursor")
            return
        self.pending_pin = (point, self._object_at(point))
        self._start_entry("pin")
        self.tool = "pin"
        self._changed("")

    def _save_pin(self) -> None:
        assert self.entry is not None
        note = clean_note(self.entry.text)
        self._close_entry()
        if self.pending_pin is None:
            return
        point, obj = self.pending_pin
        self.pending_pin = None
        if self._in_meeting():
            self.meeting.share_pin(point, note, obj)
            self.nav.say("Pin shared with the room (not written to your pins file)")
            self.close_tool()
            return
        self.pins.append(Pin(point, note, obj))
        try:
            save_pins(self.pins_file, self.pins)
            self.nav.say(f"Pin {len(self.pins)} saved in {self.pins_file}")
        except OSError as exc:
            self.nav.say(f"Pin kept but not saved: {self.pins_file}: {exc.strerror or exc}")
        self._draw_pins()
        self.close_tool()

    def _in_meeting(self) -> bool:
        return self.meeting is not None and self.meeting.view.me is not None

    def attach_meeting(self, meeting: Any) -> None:
        """Rule 5: pins dropped from now on go to the room; the room's pins so far are drawn and listed here
        (the meeting was built with on_pins=set_room_pins for the later ones)."""
        self.meeting = meeting
        self.set_room_pins(list(meeting.view.pins.values()))

    def set_room_pins(self, pins: list[RoomPin]) -> None:
        self.room_pins = list(pins)
        self._draw_pins()
        if self.tool == "search":
            self._search(self.entry.text if self.entry is not None else "")

    def _draw_pins(self) -> None:
        positions = [p.position for p in self.pins] + [p.position for p in self.room_pins]
        colours = [PIN_COLOUR] * len(self.pins) + [(*participant_colour(p.sender), 1.0) for p in self.room_pins]
        self.marks.set_pins(positions, colours)

    def remove_pin(self) -> None:
        """Delete: the pin nearest the point under the cursor goes (rule 5)."""
        point = self._point_under_cursor()
        found = self._nearest_pin(point) if point is not None else None
        if found is None:
            self.nav.say("No pin near the cursor to remove")
            return
        if isinstance(found, RoomPin):
            if not self.meeting.view.may_unpin(found):
                self.nav.say(f"Room pin {found.id} is {found.name}'s: only its author or a host can remove it")
                return
            self.meeting.unpin(found.id)
            self.nav.say(f"Room pin {found.id} removed for everyone")
            return
        self.pins.remove(found)
        try:
            save_pins(self.pins_file, self.pins)
            self.nav.say(f"Pin removed from {self.pins_file}")
        except OSError as exc:
            self.nav.say(f"Pin removed here but the file is unchanged: {self.pins_file}: {exc.strerror or exc}")
        self._draw_pins()

    def _nearest_pin(self, point: tuple[float, float, float]) -> Pin | RoomPin | None:
        """The file or room pin standing nearest `point` (horizontally), within UNPIN_REACH."""
        eye = np.array(self.base.camera.get_pos(self.base.render), np.float64)
        reach = max(UNPIN_REACH[0], UNPIN_REACH[1] * float(np.linalg.norm(np.subtract(point, eye))))
        candidates: list[Pin | RoomPin] = [*self.pins, *(self.room_pins if self._in_meeting() else [])]
        best = min(candidates, key=lambda p: math.dist(p.position[:2], point[:2]), default=None)
        return best if best is not None and math.dist(best.position[:2], point[:2]) <= reach else None

    def _object_at(self, point: tuple[float, float, float]) -> str:
        """The id of the object whose box holds the point (the smallest), or "" (the ground)."""
        objects = self.scene.model.objects
        lo, hi = getattr(objects, "bbox_min", None), getattr(objects, "bbox_max", None)
        if lo is None or hi is None or len(objects) == 0:
            return ""
        p = np.asarray(point, np.float64)
        inside = np.all((lo - 0.05 <= p) & (p <= hi + 0.05), axis=1) & np.isfinite(lo).all(axis=1)
        if not inside.any() or p[2] - self.nav.index.ground_under(p[0], p[1]) < 0.3:
            return ""
        volume = np.prod(np.maximum(hi - lo, 0.01), axis=1)
        best = int(np.flatnonzero(inside)[np.argmin(volume[inside])])
        return str(objects.ids[best])

    # ------------------------------------------------------------ measure

    def toggle_measure(self) -> None:
        """M: start measuring (clicks add points) or stop (the marks go)."""
        if self.tool == "measure":
            self.close_tool()
            return
        self.tool, self.measuring = "measure", []
        if self.live is not None:
            self.live.picking = False  # clicks add points, they do not open the picking panel
        self._show_measure()

    def add_measure_point(self, point: tuple[float, float, float]) -> None:
        self.measuring.append(point)
        self._show_measure()

    def undo_measure_point(self) -> None:
        if self.tool == "measure" and self.measuring:
            self.measuring.pop()
            self._show_measure()

    def _show_measure(self) -> None:
        last = self.measuring[-1] if self.measuring else None
        ground = self.nav.index.ground_under(last[0], last[1]) if last else 0.0
        self.measurement = measure(self.measuring, ground)
        self.marks.set_measure(self.measuring)
        key = describe(self.controller.controls.keys.get("measure", ("m",)))
        self.hud.set_tool(f"Measure ({key} or Esc ends)", self.measurement.lines())

    # ------------------------------------------------------------ screenshot, compass

    def screenshot(self) -> None:
        """F12: the window without the help, as a PNG (app/screenshot.py); says where."""
        folder = self.screenshot_dir or Path.cwd()
        region = self.hud.blocks.get("help")

        def hide(hidden: bool) -> None:
            if region is not None:
                (region.hide if hidden else region.show)()

        try:
            path = take_screenshot(self.base, folder, hide)
        except OSError as exc:
            self.nav.say(f"No screenshot: {exc}")
            return
        self.screenshots.append(str(path))
        print(f"screenshot: {path}", flush=True)
        self.nav.say(f"Screenshot saved: {path}")

    def toggle_compass(self) -> None:
        self.compass_shown = not self.compass_shown
        self._compass_at = -math.inf

    def _update_compass(self) -> None:
        now = self.clock()
        if now - self._compass_at < 1.0 / COMPASS_HZ:
            return
        self._compass_at = now
        if not self.compass_shown:
            self.hud.set_compass(None)
            return
        camera = self.base.camera
        heading = float(camera.get_h(self.base.render))
        centre = self.nav.pick(0.0, 0.0)
        eye = np.array(camera.get_pos(self.base.render), np.float64)
        fov = float(self.nav.orbit.fov)
        per_unit = float(np.linalg.norm(np.subtract(centre, eye))) * math.tan(math.radians(fov) / 2) \
            if centre is not None else math.nan
        self.hud.set_compass(heading, per_unit, self._time_note())

    def _time_note(self) -> str:
        """The feed's time and the sun's, one line each, for under the north arrow."""
        lines = [self._feed_note(), self.sun.note() if self.sun is not None else ""]
        return "\n".join(line for line in lines if line)

    def _feed_note(self) -> str:
        if self.live is None:
            return ""
        from viewer.layers.picking import utc_text

        t = self.live.clock.now(self.clock())
        return f"feed {utc_text(t)}" if abs(t) > 1e8 else (f"feed t {t:.1f} s" if math.isfinite(t) else "")

    # ------------------------------------------------------------ clicks

    def _pointer(self) -> tuple[float, float] | None:
        at = self.controller.pointer()
        if at is None:
            return None
        w, h = self.base.win.get_x_size(), self.base.win.get_y_size()
        return (at[0] + 1) / 2 * w, (1 - at[1]) / 2 * h

    def _point_under_cursor(self) -> tuple[float, float, float] | None:
        at = self.controller.pointer() if self.nav.mode == "orbit" else None
        return self.nav.pick(*(at or (0.0, 0.0)))

    def _mouse_down(self) -> None:
        self._press = self._pointer()
        if self._press is not None and self._closer_at(self._press) is not None:
            self.controller.end_drag()  # a press on a close button is not the start of an orbit drag

    def _mouse_up(self) -> None:
        down, up, self._press = self._press, self._pointer(), None
        if down is None or up is None or math.dist(down, up) > CLICK_PIXELS:
            return
        closer = self._closer_at(up)
        if closer is not None:
            self.close(closer)
            return
        if self.nav.mode != "orbit":
            return
        point = self._point_under_cursor()
        if self.tool == "measure":
            if point is not None:
                self.add_measure_point(point)
            return
        now = self.clock()
        if now - self._last_click[0] <= DOUBLE_CLICK and math.dist(self._last_click[1], up) <= 3 * CLICK_PIXELS:
            self._last_click = (-math.inf, up)
            if point is not None:
                self.controller.fly_to(point, 0.0)
            return
        self._last_click = (now, up)

    def _closer_at(self, pixel: tuple[float, float]) -> str | None:
        size = (self.base.win.get_x_size(), self.base.win.get_y_size())
        x, y = self.hud.from_pixels(*pixel, size)
        name = self.hud.close_hit(x, y)
        hud = getattr(self.live, "hud", None)
        if name is None and hud is not None and hasattr(hud, "panel_close_hit") and hud.panel_close_hit(x, y):
            name = "panel"
        return name

    # ------------------------------------------------------------ closing

    def close(self, name: str) -> None:
        if name == "help":
            self.show_help(False)
        elif name == "tool":
            self.close_tool()
        elif name == "panel" and self.live is not None:
            self.live.close_panel()
        elif name == "compass":
            self.toggle_compass()

    def close_tool(self) -> None:
        self._close_entry()
        self.tool, self.hits, self.chosen, self.measuring = "", [], -1, []
        self.measurement = None
        self.marks.set_measure([])
        self.hud.set_tool(None)
        if self.live is not None:
            self.live.picking = True

    def escape(self) -> bool:
        """Rule 4; True when something was closed."""
        if self.tool:
            self.close_tool()
        elif self.help_shown:
            self.show_help(False)
        elif self.live is not None and getattr(self.live, "selected", None) is not None:
            self.live.close_panel()
        else:
            return False
        return True

    # ------------------------------------------------------------ plumbing

    def state(self) -> dict[str, Any]:
        """What the test hook (app/state_dump.py) reports of the tools."""
        m = self.measurement
        return {"help": self.help_shown, "tool": self.tool, "typing": self.entry is not None,
                "hits": [h[0] for h in self.hits[:SHOWN_HITS]], "chosen": self.chosen,
                "measure": None if m is None else {"points": self.measuring, "path_3d": m.path_3d,
                                                   "ground": m.ground, "rise": m.rise,
                                                   "above_ground": m.above_ground,
                                                   "area": None if math.isnan(m.area) else m.area},
                "pins": [{"position": p.position, "note": p.note, "object": p.object} for p in self.pins],
                "room_pins": [{"id": p.id, "author": p.name, "position": p.position, "note": p.note,
                               "object": p.object} for p in self.room_pins],
                "pins_file": str(self.pins_file), "screenshots": list(self.screenshots),
                "rects": {k: list(v) for k, v in self.hud.drawn_rects().items()},
                "live_rects": [list(r) for r in self._others()],
                "compass": self.compass_shown, "compass_note": self._time_note() if self.compass_shown else "",
                **(self.sun.state() if self.sun is not None else {}),
                "panel": self.live is not None and getattr(self.live, "selected", None) is not None}

    def _task(self, task: Any) -> Any:
        self._update_compass()
        return task.cont

    def _resized(self, window: Any = None) -> None:
        if self.base.win.get_y_size() > 0:
            self.hud.set_aspect(self.base.win.get_x_size() / self.base.win.get_y_size())
            self.show_help(self.help_shown)
            if self.tool == "measure":
                self._show_measure()

    def destroy(self) -> None:
        self._close_entry()
        self.ignore_all()
        self.base.taskMgr.remove("citiverse-window-tools")
        self.marks.remove()
        self.hud.remove()
