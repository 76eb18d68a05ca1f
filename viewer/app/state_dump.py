"""A test hook: with CITIVERSE_TEST_STATE=PATH set, the window writes what it shows to PATH as JSON.

Rules this module keeps:
1. For tests that drive a real window with real key and mouse events (tests/window_harness.py): they poll
   this file for the camera pose, the mode and what is open instead of sleeping and hoping. Nobody else
   needs it; without the variable nothing is written and nothing runs.
2. Written at most EVERY seconds and on demand (`write_now`, after an action), atomically (a temporary file
   renamed over the old one), so a reader never sees half a file. `frame` counts the writes.
3. The content comes from a callable the window owns (window.py `ViewerController.state`), plain JSON
   types only, plus `shared_keys`: the key events more than one part of the window accepts (a key that
   does two things at once; tests/test_window_keymap.py keeps the list empty).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ENV = "CITIVERSE_TEST_STATE"
EVERY = 0.2  # seconds


NOT_KEYS = ("window-event", "mouse", "wheel_", "aspectRatioChanged", "render-", "citiverse", "-up", "-repeat")


def shared_keys(messenger: Any) -> list[str]:
    """Key events (press names: "j", "shift-f8", "page_up") that more than one object accepts (rule 3)."""
    shared = []
    for event in messenger.get_events():
        if not isinstance(event, str) or any(part in event for part in NOT_KEYS):
            continue
        if len(messenger.who_accepts(event) or {}) > 1:
            shared.append(event)
    return sorted(shared)


class StateDump:
    """Writes `collect()` to `path` (rules above); `task` is added to the ShowBase's task manager."""

    def __init__(self, base: Any, path: Path, collect: Callable[[], dict[str, Any]]) -> None:
        self.base, self.path, self.collect = base, Path(path), collect
        self.count = 0
        self.last = -float("inf")
        base.taskMgr.add(self._task, "citiverse-state-dump", sort=50)

    @classmethod
    def from_environment(cls, base: Any, collect: Callable[[], dict[str, Any]]) -> StateDump | None:
        path = os.environ.get(ENV)
        return cls(base, Path(path), collect) if path else None

    def write_now(self) -> None:
        self.count += 1
        state = {"frame": self.count, **self.collect(), "shared_keys": shared_keys(self.base.messenger)}
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(state), encoding="utf-8")
        os.replace(temporary, self.path)
        self.last = time.monotonic()

    def _task(self, task: Any) -> Any:
        if time.monotonic() - self.last >= EVERY:
            self.write_now()
        return task.cont

    def remove(self) -> None:
        self.base.taskMgr.remove("citiverse-state-dump")
