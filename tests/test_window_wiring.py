"""The window's wiring of live layers and meetings: room layer visibility drives the layers, hosts share."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from test_cli_live import record_demo

from viewer.app import window
from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.config import Style
from viewer.render.stage import build_stage


class FakeMeeting:
    def __init__(self, host: bool) -> None:
        self.view = SimpleNamespace(is_host=host)
        self.shared: list[tuple[str, bool]] = []
        self.on_layer = None

    def share_layer(self, name: str, visible: bool) -> None:
        self.shared.append((name, visible))


@pytest.mark.render
@pytest.mark.parametrize("host", [True, False])
def test_room_layers_drive_live_layers_and_hosts_share_theirs(offscreen_gl, tmp_path, monkeypatch, host):
    """A room's layer change toggles the window's layer once; a host's own toggle is shared, a guest's not."""
    scene = load_scene_models(demo_scene(buildings=300))
    stage = build_stage(offscreen_gl.render, scene.model, Style())
    recording = record_demo(tmp_path / "run.feed.jsonl.gz", seconds=1.0)
    live = window._attach_live(offscreen_gl, stage, scene, window.FeedRequest(str(recording)))
    fake = FakeMeeting(host)

    def joined(*args, on_layer=None, on_feed_time=None, on_pins=None, **kwargs):
        fake.on_layer, fake.on_feed_time = on_layer, on_feed_time  # given when built (window.py rule 6)
        return fake

    monkeypatch.setattr("viewer.app.meeting_view.join_meeting", joined)
    try:
        meeting = window._join_meeting(offscreen_gl, None, live, window.MeetRequest("ws://x/room", "token"))
        assert meeting is fake and fake.on_layer is not None
        assert fake.on_feed_time == live.feed.seek  # a recording follows the room's shared feed time
        fake.on_layer("vehicles", False)
        fake.on_layer("vehicles", False)  # idempotent
        assert live.styles["vehicles"].visible is False
        offscreen_gl.messenger.send(live.keys()["roads"])
        assert live.styles["roads"].visible is False
        assert fake.shared == ([("roads", False)] if host else [])
    finally:
        live.detach()
        stage.remove()
