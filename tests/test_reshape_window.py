"""The window's parts are torn down in reverse order even when building one fails (app/window.py rule 5).

A real window under Xvfb, in its own process (one ShowBase a process): the last part, the control channel,
cannot open because its port is taken (a real socket listens there); run_window must still stop the live
layers' feed (the Source is closed) and close the window, instead of leaving them running.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from window_harness import DEADLINE, needs_real_window, start_xvfb, stop_xvfb

SCRIPT = textwrap.dedent("""
    import json, socket, sys
    from viewer.api import demo_scene
    from viewer.app import base as app_base
    from viewer.app.control_channel import ControlRequest
    from viewer.app.window import FeedRequest, run_window
    from viewer.sources.demo import DemoSource

    closed = []

    class WatchedSource(DemoSource):  # a real Source that says when the window closes it
        def close(self):
            closed.append("source")
            super().close()

    scene = demo_scene(buildings=200).loaded
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    failure = None
    try:
        run_window(scene, size=(320, 240), feed=FeedRequest(WatchedSource.from_scene(scene, vehicles=10)),
                   control=ControlRequest(port=busy.getsockname()[1]))
    except OSError as exc:
        failure = type(exc).__name__
    print(json.dumps({"failure": failure, "closed": closed, "window_left": app_base.current_base() is not None}))
""")


@needs_real_window
def test_a_part_that_fails_to_build_leaves_the_earlier_parts_torn_down(tmp_path: Path) -> None:
    server, display = start_xvfb(800, 600)
    try:
        home = tmp_path / "home"
        home.mkdir()
        env = {**os.environ, "DISPLAY": display, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
        env.pop("CITIVERSE_CONTROLS", None)
        env.pop("CITIVERSE_TEST_STATE", None)
        run = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=tmp_path, capture_output=True,
                             text=True, timeout=DEADLINE)
    finally:
        stop_xvfb(server)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {"failure": "OSError", "closed": ["source"], "window_left": False}, result
