"""The window's parts are given their callbacks when built (app/window.py rule 6): the controller's help,
search and Esc, the meeting view's layer, feed time and pins. Nothing sets another part's callbacks later."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from test_meeting_render import FakeLink, window  # noqa: F401  (the fixture)

from viewer.meeting.messages import ParticipantInfo, RoomPin, RoomState, Welcome

APP = Path(__file__).resolve().parent.parent / "viewer" / "app"
# Nothing is set after building: LiveLayers takes its on_vehicle when built (through window.py's `later`).
STILL_SET_LATER: set[tuple[str, str]] = set()


def _callbacks_set_on_others(path: Path) -> set[tuple[str, str]]:
    """(file, "owner.attribute") for each assignment to another object's on_* / *_hook attribute."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in (t for tree in targets for t in ast.walk(tree)):
            if isinstance(target, ast.Attribute) and (target.attr.startswith("on_") or target.attr.endswith("_hook")):
                owner = ast.unparse(target.value)
                if owner != "self":
                    found.add((path.name, f"{owner}.{target.attr}"))
    return found


def test_no_part_sets_another_parts_callbacks_after_building_it() -> None:
    found = set().union(*(_callbacks_set_on_others(APP / name) for name in ("window.py", "tools.py",
                                                                            "meeting_view.py")))
    assert found == STILL_SET_LATER


def test_the_controller_calls_the_callbacks_it_was_built_with(window) -> None:  # noqa: F811
    """Help and Esc go to the callbacks given to the ViewerController; the tools built after it (they need
    it) leave them as they were (they used to put their own Esc there)."""
    from viewer.app.tools import WindowTools
    from viewer.app.window import ViewerController

    base, stage, _ = window
    calls: list[str] = []
    controller = ViewerController(base, stage, [], pointer=lambda: None, on_quit=lambda: calls.append("quit"),
                                  on_help=lambda: calls.append("help"), on_search=lambda: calls.append("search"),
                                  on_escape=lambda: calls.append("escape") is None)
    escape = controller.nav.on_escape
    tools = WindowTools(base, controller, _town_scene(), Path("/nonexistent/pins.json"))
    try:
        assert controller.nav.on_escape is escape
        for key in controller.controls.keys["help"][:1]:
            base.messenger.send(key)
        base.messenger.send("escape")
        assert calls == ["help", "escape"]  # Esc handled by the callback: no quit
    finally:
        tools.destroy()
        controller.destroy()


def _town_scene():
    from types import SimpleNamespace

    from test_render import town

    return SimpleNamespace(model=town(), config=SimpleNamespace(name="town"))


@pytest.mark.parametrize("with_callbacks", [True, False])
def test_the_meeting_view_calls_the_callbacks_it_was_built_with(window, with_callbacks: bool) -> None:  # noqa: F811
    """The room's layers, feed time and pins reach on_layer, on_feed_time and on_pins given at building;
    without them the view just keeps the room's state."""
    from viewer.app.meeting_view import MeetingView

    base, _, controller = window
    seen: list[tuple[str, object]] = []
    hooks = dict(on_layer=lambda name, visible: seen.append(("layer", (name, visible))),
                 on_feed_time=lambda t: seen.append(("time", t)),
                 on_pins=lambda pins: seen.append(("pins", [p.id for p in pins]))) if with_callbacks else {}
    link = FakeLink()
    view = MeetingView.attach(base, controller, link, **hooks)
    try:
        pin = RoomPin(7, 1, "Ana", (1.0, 2.0, 0.0), "look", "", 0.0)
        link.feed(Welcome(2, "Bo", "guest", "delft", False),
                  RoomState((ParticipantInfo(1, "Ana", "host"), ParticipantInfo(2, "Bo", "guest")),
                            layers=(("roads", False),), feed_time=1.7e9, pins=(pin,)))
        view.update()
        assert list(view.view.pins) == [7]
        assert seen == ([("layer", ("roads", False)), ("time", 1.7e9), ("pins", [7])] if with_callbacks else [])
    finally:
        view.destroy()
