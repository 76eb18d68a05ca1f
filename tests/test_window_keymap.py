"""One key, one action, in a real window with everything on at once: `citiverse view` under Xvfb with a
recorded feed (layers and a rule), in a meeting on a real loopback server, so the navigation, tools, layers,
rules, sun, shadow hours, feed time and meeting keys are all bound. The window's state dump lists the key
events that more than one part accepts (app/state_dump.py rule 3): a key that did two things at once went
unnoticed before (J both followed the host and flew to an alert)."""

from __future__ import annotations

import math
import time
from pathlib import Path

from test_rules_window import SCENE, OneHot
from window_harness import RealWindow, needs_real_window

from viewer.city.scene import load_scene_models
from viewer.config import load_scene
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_server import ServerThread
from viewer.net.recorder import record_source

pytestmark = needs_real_window

SECRET = b"keymap-window-secret-0123456789ab"


def test_no_key_does_two_things_in_a_meeting_with_layers_and_rules(tmp_path: Path) -> None:
    town = tmp_path / "town.toml"
    town.write_text(SCENE)
    objects = load_scene_models(load_scene(town)).model.objects
    buildings = [objects.ids[i] for i, t in enumerate(objects.types) if t == "Building"]
    feed = tmp_path / "hot.feed.jsonl.gz"
    record_source(OneHot(buildings, buildings[0]), feed, math.inf)
    with ServerThread(SECRET, port=0, ping_interval=0.5, ping_timeout=2.0, tick=0.05) as server:
        token = issue_token(SECRET, "council", "Ana", "host", 600, time.time())
        args = ["view", town, "--camera", "overview", "--feed", feed, "--meet", server.url + "/council",
                "--token", token, "--time", "2026-06-21T15:00+02:00"]
        with RealWindow(tmp_path, args) as win:
            state = win.settled()
            assert "shared_keys" in state
            assert state["shared_keys"] == [], f"keys bound twice: {state['shared_keys']}"
            code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr
