"""The bundled UI font: every text the viewer draws (HUD, panels, labels, window overlays) uses it.

Rules:
1. The font ships with the package (assets/fonts, package data; assets/README.md): nothing depends on the
   fonts a machine happens to have, so names in any script the font covers and units such as `m²` look
   the same everywhere. A missing or broken font file is a RenderError naming it, not boxes on screen.
2. use_ui_font() makes it Panda3D's default font (TextNode and DirectGUI) once per process; it is called
   when the ShowBase is made (app/base.py) and before the first HUD (render/hud.py), before any text is
   laid out, so no text is ever drawn with Panda3D's built-in ASCII-only font.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from viewer.errors import RenderError

ASSETS = Path(__file__).resolve().parent.parent / "assets"  # viewer/assets: the top-level assets/ (rule 1)
UI_FONT = ASSETS / "fonts" / "DejaVuSans.ttf"
PIXELS_PER_UNIT = 30  # glyph resolution: text is 12-20 px high on a 720-pixel output (Panda3D's default)

_FONT: dict[str, Any] = {}


def ui_font() -> Any:
    """The bundled font, loaded once (a Panda3D DynamicTextFont); RenderError when it cannot be read."""
    if "font" not in _FONT:
        from panda3d.core import DynamicTextFont, Filename

        if not UI_FONT.is_file():
            raise RenderError(f"{UI_FONT}: the bundled font is missing; reinstall citiverse")
        font = DynamicTextFont(Filename.from_os_specific(str(UI_FONT)))
        if not font.is_valid():
            raise RenderError(f"{UI_FONT}: the bundled font cannot be read; reinstall citiverse")
        font.set_pixels_per_unit(PIXELS_PER_UNIT)
        _FONT["font"] = font
    return _FONT["font"]


def use_ui_font() -> None:
    """Make the bundled font the default of TextNode and DirectGUI (rule 2); idempotent."""
    if _FONT.get("installed"):
        return
    from direct.gui import DirectGuiGlobals
    from panda3d.core import TextNode

    font = ui_font()
    TextNode.set_default_font(font)
    DirectGuiGlobals.setDefaultFont(font)
    _FONT["installed"] = True


def missing_glyphs(text: str) -> str:
    """The characters of `text` (other than white space) the bundled font has no glyph for, in order."""
    from panda3d.core import TextNode

    probe = TextNode("citiverse-glyph-probe")
    probe.set_font(ui_font())
    return "".join(c for c in dict.fromkeys(text) if not c.isspace() and not probe.has_exact_character(c))
