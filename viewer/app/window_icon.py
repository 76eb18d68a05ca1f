"""The window's icon: the app icon of assets/icons/ (drawn by bench/make_icons.py) on every window the viewer opens.

Rules:
1. The icon files ship as package data (assets/README.md) and are found through ASSETS (render/fonts.py),
   never through the current folder: citiverse-SIZE.png for each of APP_ICON_SIZES.
2. Two ways, because Panda3D's own does not reach X11 desktops: WindowProperties.set_icon_filename is
   requested (Windows and macOS take it), and on X11 the window's _NET_WM_ICON property (EWMH: what taskbars,
   switchers and docks read) is set to every size, through libX11 on a connection of our own to the same
   display. Panda3D 1.10's X11 window sets neither that nor WM_HINTS' pixmap (xprop shows no icon).
3. An icon is never worth a window: a missing file, no libX11 or a refused property is one warning in the
   log and the window opens without it (set_window_icon returns False).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from viewer.render.fonts import ASSETS

log = logging.getLogger(__name__)

ICONS = ASSETS / "icons"
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
PANDA_ICON_SIZE = 32  # the one size Panda3D's set_icon_filename takes


def app_icon(size: int) -> Path:
    """The app icon's PNG of `size` pixels (rule 1)."""
    return ICONS / f"citiverse-{size}.png"


def set_window_icon(base: Any) -> bool:
    """Give `base`'s window the app icon (rule 2); False (and a warning) when it could not (rule 3)."""
    from panda3d.core import Filename, WindowProperties

    missing = [app_icon(s) for s in APP_ICON_SIZES if not app_icon(s).is_file()]
    if missing:
        log.warning("%s: the window icon is missing; reinstall citiverse", missing[0])
        return False
    props = WindowProperties()
    props.set_icon_filename(Filename.from_os_specific(str(app_icon(PANDA_ICON_SIZE))))
    base.win.request_properties(props)
    if not os.environ.get("DISPLAY"):
        return True  # not X11: Panda3D's request is the way
    handle = base.win.get_window_handle()
    if handle is None:
        return False
    try:
        set_net_wm_icon(int(handle.get_int_handle()), net_wm_icon_data([app_icon(s) for s in APP_ICON_SIZES]))
    except OSError as exc:
        log.warning("window icon not set: %s", exc)
        return False
    return True


def net_wm_icon_data(files: list[Path]) -> np.ndarray:
    """_NET_WM_ICON's CARDINALs for these PNGs: per image width, height, then its rows of 0xAARRGGBB."""
    from PIL import Image

    parts = []
    for path in files:
        with Image.open(path) as image:
            rgba = np.asarray(image.convert("RGBA"), np.uint32)
        argb = (rgba[..., 3] << 24) | (rgba[..., 0] << 16) | (rgba[..., 1] << 8) | rgba[..., 2]
        parts += [np.array([rgba.shape[1], rgba.shape[0]], np.uint32), argb.reshape(-1)]
    return np.concatenate(parts)


def set_net_wm_icon(window: int, cardinals: np.ndarray) -> None:
    """Set X11 `window`'s _NET_WM_ICON (rule 2) on $DISPLAY; OSError when libX11 or the display is not there."""
    name = ctypes.util.find_library("X11")
    if name is None:
        raise OSError("libX11 not found")
    x11 = ctypes.CDLL(name)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XChangeProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_int,
                                    ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = x11.XOpenDisplay(None)
    if not display:
        raise OSError(f"cannot open the X display {os.environ.get('DISPLAY')!r}")
    try:
        # Format-32 properties are passed as C longs, whatever their width (Xlib's convention).
        longs = np.ascontiguousarray(cardinals, np.uint64 if ctypes.sizeof(ctypes.c_ulong) == 8 else np.uint32)
        atom = x11.XInternAtom(display, b"_NET_WM_ICON", 0)
        cardinal = 6  # XA_CARDINAL
        x11.XChangeProperty(display, window, atom, cardinal, 32, 0, longs.ctypes.data, int(longs.size))
        x11.XSync(display, 0)
    finally:
        x11.XCloseDisplay(display)
