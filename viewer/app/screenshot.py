"""F12: a PNG of the window as it is, without the keys help, in the current folder or --screenshot-dir.

Rules this module keeps:
1. Named citiverse-YYYYmmdd-HHMMSS.png (local time); a second shot in the same second gets -2, -3, ...
   so no shot overwrites another.
2. The help overlay is hidden for the frame that is captured (a screenshot is of the city, not of the
   keys), then shown again; everything else (legends, panels, caption) is kept.
3. The frame is rendered, read back from the window's framebuffer and written through a temporary file
   renamed into place (a half-written PNG never carries the final name). A folder that cannot be written
   is said on the status line, never a traceback.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from panda3d.core import Filename, PNMImage


def shot_name(folder: Path, now: time.struct_time | None = None) -> Path:
    """The next free citiverse-YYYYmmdd-HHMMSS[-n].png in `folder` (rule 1)."""
    stem = time.strftime("citiverse-%Y%m%d-%H%M%S", now or time.localtime())
    path, n = folder / f"{stem}.png", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.png"
    return path


def take_screenshot(base: Any, folder: Path, hide: Callable[[bool], None]) -> Path:
    """Write the window's next frame to a new PNG in `folder` (rules 1-3); returns its path. OSError when
    the folder cannot be written. `hide(True)` hides the help overlay, `hide(False)` restores it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = shot_name(folder)
    hide(True)
    try:
        base.graphicsEngine.render_frame()
        base.graphicsEngine.render_frame()  # double-buffered: the second frame is the one read back
        image = PNMImage()
        if not base.win.get_screenshot(image):
            raise OSError(f"could not read the window's pixels for {path}")
    finally:
        hide(False)
    temporary = path.with_name(f".{path.stem}.tmp.png")
    if not image.write(Filename.from_os_specific(str(temporary))):
        raise OSError(f"cannot write {path}")
    os.replace(temporary, path)
    return path
