"""The one ShowBase of the process: made once, offscreen (headless) or in a window, and reused.

Rules this module keeps:
1. Panda3D allows one ShowBase per process. `offscreen_base()` creates it on first use and returns the same
   one afterwards; renders attach their own Stage and buffer and remove them when done, so tests and the
   CLI can render any number of images in one process.
2. Offscreen: the ShowBase is created without a window, then a small offscreen main buffer is opened trying
   the display modules in OFFSCREEN_MODULES order (pandagl through EGL renders real OpenGL on llvmpipe;
   p3headlessgl is the same GL without the X11 probe; p3tinydisplay is software with no shaders). If none
   works: RenderError. The main buffer's own cameras are switched off; images come from per-render buffers.
3. Windowed: on Linux without DISPLAY or WAYLAND_DISPLAY we raise RenderError *before* touching Panda3D,
   pointing at `citiverse render` (the offscreen path). A window cannot be opened once the offscreen
   ShowBase exists (and vice versa): RenderError says so.
4. Panda3D is imported inside the functions: importing viewer.app.base is cheap.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from viewer.errors import RenderError
from viewer.render.fonts import use_ui_font

OFFSCREEN_MODULES = ("pandagl", "p3headlessgl", "p3tinydisplay")
QUIET_PRC = """
audio-library-name null
print-pipe-types false
notify-level-display fatal
notify-level-device fatal
notify-level-egldisplay fatal
notify-level-x11display fatal
sync-video false
"""

_STATE: dict[str, Any] = {}  # "base": the ShowBase, "kind": "offscreen" | "window", "module": display module


def display_available() -> bool:
    """Whether a window could be opened: on Linux/BSD that needs an X11 or Wayland display."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def current_base() -> Any | None:
    """The ShowBase if one was made, else None."""
    return _STATE.get("base")


def offscreen_base() -> Any:
    """The process's headless ShowBase with an offscreen main buffer (created on first call)."""
    if "base" in _STATE:
        if _STATE["kind"] != "offscreen":
            raise RenderError("this process already has a window open; render offscreen in a separate process")
        return _STATE["base"]
    from panda3d.core import GraphicsPipeSelection, load_prc_file_data

    # Loaded once per process and never unloaded: the ShowBase is never recreated either.
    load_prc_file_data("citiverse-offscreen", QUIET_PRC + "window-type none\n")
    from direct.showbase.ShowBase import ShowBase

    base = ShowBase(windowType="none")
    selection = GraphicsPipeSelection.get_global_ptr()
    tried = []
    for module in OFFSCREEN_MODULES:
        pipe = selection.make_module_pipe(module)
        if pipe is not None:
            base.pipe = pipe
            if base.openMainWindow(type="offscreen", size=(16, 16)) and base.win is not None:
                _disable_main_cameras(base)
                use_ui_font()
                _STATE.update(base=base, kind="offscreen", module=module)
                return base
        tried.append(module)
    base.destroy()
    raise RenderError(f"no offscreen OpenGL available (tried display modules: {', '.join(tried)}); "
                      "install Mesa (libegl1, libgl1-mesa-dri) or run where a GPU driver is present")


def _disable_main_cameras(base: Any) -> None:
    """The 16x16 main buffer is only a GL context host: don't draw the scene into it every frame."""
    for i in range(base.win.get_num_display_regions()):
        base.win.get_display_region(i).set_active(False)


def window_base(title: str, size: tuple[int, int] = (1280, 720), multisamples: int = 4) -> Any:
    """A ShowBase with a real window titled `title`; RenderError when no display can be opened."""
    if not display_available():
        raise RenderError("no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
                          "use `citiverse render SCENE --out image.png` to render offscreen instead")
    if "base" in _STATE:
        raise RenderError("a Panda3D ShowBase already exists in this process (only one is allowed); "
                          "open the window from a fresh `citiverse view`")
    from panda3d.core import load_prc_file_data

    title = " ".join(title.split())  # one line: a newline would end the prc directive
    prc = QUIET_PRC + f"window-title {title}\nwin-size {size[0]} {size[1]}\nload-display pandagl\n"
    if multisamples > 0:
        prc += f"framebuffer-multisample 1\nmultisamples {multisamples}\n"
    load_prc_file_data("citiverse-window", prc)
    from direct.showbase.ShowBase import ShowBase

    try:
        base = ShowBase(windowType="onscreen")
    except Exception as exc:  # ShowBase raises a bare Exception("Could not open window.")
        raise RenderError(f"cannot open a window ({exc}); "
                          "use `citiverse render SCENE --out image.png` to render offscreen instead") from None
    if base.win is None:
        raise RenderError("cannot open a window; use `citiverse render` to render offscreen instead")
    use_ui_font()  # before any text is made (render/fonts.py rule 2)
    from viewer.app.window_icon import set_window_icon

    set_window_icon(base)  # the app icon of assets/icons (app/window_icon.py)
    _STATE.update(base=base, kind="window", module="pandagl")
    return base


def supports_shaders(base: Any) -> bool:
    """Whether the base's GSG runs GLSL (False on p3tinydisplay, which then draws fixed-function)."""
    gsg = base.win.get_gsg() if base.win is not None else None
    return bool(gsg is not None and gsg.get_supports_basic_shaders())


def close_base() -> None:
    """Destroy the ShowBase (closing its window) and forget it; the next call to *_base makes a new one."""
    base = _STATE.pop("base", None)
    _STATE.clear()
    if base is not None:
        base.destroy()
