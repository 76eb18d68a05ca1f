"""A test hook: with CITIVERSE_TEST_STATE=PATH set, the window writes what it shows to PATH as JSON.

Rules this module keeps:
1. For tests that drive a real window with real key and mouse events (tests/window_harness.py): they poll
   this file for the camera pose, the mode and what is open instead of sleeping and hoping. Nobody else
   needs it; without the variable nothing is written and nothing runs.
2. Written at most EVERY seconds and on demand (`write_now`, after an action), atomically (a temporary file
   renamed over the old one), so a reader never sees half a file. `frame` counts the writes.
3. The content comes from a callable the window owns (window.py `ViewerController.state`), plain JSON
   types only.
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
        state = {"frame": self.count, **self.collect()}
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
