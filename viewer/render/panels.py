"""The window's own panels: the keys help, the tool panel (search, measure, pins), the north arrow and scale
bar; each on a dark readable band, each panel with its own close button, none overlapping another.

Rules this module keeps:
1. WindowHud is a Hud (render/hud.py: its own 2D scene and display region, units of half the window's
   height, so text keeps its share of the window from 1280x720 to 4K and on high-DPI screens alike).
2. Places (HUD units from the centre, x across -aspect..aspect):
   - the tool panel at the top left, at most TOOL_LINES lines;
   - the north arrow and scale bar at the bottom right, above the base map's credit line;
   - the help in the box left free by the others: right of the legends' column (the live layers' HUD,
     bottom left) and of the tool panel, left of the picking panel's column (top right, when open),
     below the status line, above the bottom status lines. Its lines flow into as many columns as fit
     and the text shrinks (to MIN_SCALE at least) until they do: it never runs into another block.
   `drawn_rects()` reports every drawn block (x0, y0, x1, y1) so tests check that none overlap.
3. Close buttons: `close_hit(x, y)` names the panel whose button is at a point (HUD units), so a click
   closes it; Esc closes the topmost open panel (window.py).
4. Nothing here runs per frame except set_compass, which redraws only when the heading or the scale
   changed by a visible amount.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from panda3d.core import (
    Geom,
    GeomNode,
    GeomTriangles,
    GeomVertexData,
    GeomVertexFormat,
    GeomVertexWriter,
    NodePath,
    TextNode,
)

from viewer.render.hud import BACKGROUND, LEGEND_WIDTH, PAD, PANEL_WIDTH, TEXT, Hud, line_height, quads, text

TOOL_WIDTH = 1.0
TOOL_LINES = 14
MIN_SCALE = 0.024
CLOSE = 0.05  # side of a close button
STATUS_BAND = 0.14  # the feed status line at the top (render/hud.py set_status)
BOTTOM_BAND = 0.22  # the navigation status lines at the bottom centre (app/navigation.py)
COMPASS_W, COMPASS_H = 0.56, 0.2
CREDIT_BAND = 0.07  # the base map's credit line under the compass
NOTE_LINE, NOTE_LINES = 0.036, 3  # height of a line of the compass's note; at most this many lines
NICE = (1, 2, 5)


def text_width(content: str, scale: float) -> float:
    """Width in HUD units of the widest line of `content` drawn at `scale`."""
    node = TextNode("measure")
    return max((node.calc_width(line) for line in content.split("\n")), default=0.0) * scale


def scale_bar(metres_per_unit: float, longest: float) -> tuple[float, str]:
    """(length in HUD units, label) of the longest round distance (1, 2, 5 x 10^k m) whose bar fits in
    `longest` units, for a view showing metres_per_unit metres per HUD unit."""
    best = (0.0, "")
    if not math.isfinite(metres_per_unit) or metres_per_unit <= 0:
        return best
    for exponent in range(-1, 7):
        for n in NICE:
            metres = n * 10.0 ** exponent
            length = metres / metres_per_unit
            if length <= longest:
                best = (length, f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m")
    return best


class WindowHud(Hud):
    """The window's panels (rules above), drawn above the live layers' HUD (sort 25)."""

    def __init__(self, output: Any, sort: int = 25) -> None:
        super().__init__(output, sort=sort)
        self.drawn: dict[str, tuple[float, float, float, float]] = {}
        self.closers: dict[str, tuple[float, float, float, float]] = {}
        self._compass_key: tuple[float, ...] | None = None

    def set_aspect(self, aspect: float) -> None:
        super().set_aspect(aspect)
        if hasattr(self, "drawn"):
            self._compass_key = None  # redraw at the new width

    def drawn_rects(self) -> dict[str, tuple[float, float, float, float]]:
        """Every block drawn now: name -> (x0, y0, x1, y1) HUD units from the centre."""
        return dict(self.drawn)

    def close_hit(self, x: float, y: float) -> str | None:
        """The panel whose close button holds point (x, y) (HUD units from the centre), or None."""
        for name, (x0, y0, x1, y1) in self.closers.items():
            if x0 <= x <= x1 and y0 <= y <= y1:
                return name
        return None

    def from_pixels(self, px: float, py: float, size: tuple[int, int]) -> tuple[float, float]:
        """Pixels from the top-left of an output of `size` -> HUD units from the centre."""
        w, h = size
        return (px / max(w, 1) * 2 - 1) * self.aspect, 1 - py / max(h, 1) * 2

    def _clear(self, name: str) -> NodePath:
        self.drawn.pop(name, None)
        self.closers.pop(name, None)
        return self._replace(name, "c")

    def _panel(self, block: NodePath, name: str, rect: tuple[float, float, float, float]) -> None:
        """The dark band and the close button (an x on a lighter square at the top right) of a panel."""
        x0, y0, x1, y1 = rect
        button = (x1 - CLOSE - PAD / 2, y1 - CLOSE - PAD / 2, x1 - PAD / 2, y1 - PAD / 2)
        quads(f"{name}-bg", np.array([rect, button]), np.array([BACKGROUND, (90, 96, 110, 230)], np.uint8)
              ).reparent_to(block)
        text(block, "x", (button[0] + button[2]) / 2, button[1] + CLOSE * 0.28, align=TextNode.A_center,
             scale=CLOSE * 0.9)
        self.drawn[name] = rect
        self.closers[name] = button

    # ------------------------------------------------------------ help

    def set_help(self, lines: list[str] | None,
                 avoid: Sequence[tuple[float, float, float, float]] = ()) -> None:
        """The keys help in the free box (rule 2) avoiding the rects in `avoid` (legends, picking panel);
        None hides it."""
        block = self._clear("help")
        if not lines:
            return
        a = self.aspect
        left, right = -a + PAD, a - PAD
        for x0, _, x1, _ in [*avoid, *(r for n, r in self.drawn.items() if n == "tool")]:
            if x1 < 0:
                left = max(left, x1 + PAD)
            elif x0 > 0:
                right = min(right, x0 - PAD)
        top, bottom = 1 - STATUS_BAND, -1 + BOTTOM_BAND
        scale, _, rows = self._fit(lines, right - left - 2 * PAD - CLOSE, top - bottom - 2 * PAD)
        lh = line_height(scale)
        chunks = [lines[i:i + rows] for i in range(0, len(lines), rows)]
        widths = [text_width("\n".join(c), scale) for c in chunks]
        width = sum(widths) + PAD * (len(chunks) + 1) + CLOSE
        height = rows * lh + 2 * PAD
        x0 = max(left, (left + right) / 2 - width / 2)
        y1 = min(top, height / 2 + 0.1)
        self._panel(block, "help", (x0, y1 - height, x0 + width, y1))
        x = x0 + PAD
        for chunk, w in zip(chunks, widths, strict=True):
            text(block, "\n".join(chunk), x, y1 - PAD - lh * 0.8, scale=scale)
            x += w + PAD

    def _fit(self, lines: list[str], width: float, height: float) -> tuple[float, int, int]:
        """(text scale, columns, rows per column) for the lines to fit in width x height (rule 2)."""
        scale = TEXT
        while True:
            lh = line_height(scale)
            columns = math.ceil(len(lines) / max(1, int(height / lh)))
            rows = math.ceil(len(lines) / columns)  # balanced columns
            chunks = [lines[i:i + rows] for i in range(0, len(lines), rows)]
            need = sum(text_width("\n".join(c), scale) for c in chunks) + PAD * (columns + 1)
            if need <= width or scale <= MIN_SCALE:
                return scale, columns, rows
            scale *= 0.92

    # ------------------------------------------------------------ tool panel

    def set_tool(self, title: str | None, lines: Sequence[str] = ()) -> None:
        """The tool panel at the top left: a title and up to TOOL_LINES lines; None hides it."""
        block = self._clear("tool")
        if title is None:
            return
        shown = [title, *list(lines)[:TOOL_LINES]]
        lh = line_height()
        width = max(TOOL_WIDTH, min(text_width("\n".join(shown), TEXT) + 3 * PAD + CLOSE, 1.6))
        height = len(shown) * lh + 2 * PAD
        x0, y1 = -self.aspect + PAD, 1 - PAD
        self._panel(block, "tool", (x0, y1 - height, x0 + width, y1))
        text(block, "\n".join(shown), x0 + PAD, y1 - PAD - lh * 0.8)

    # ------------------------------------------------------------ north arrow and scale bar

    def set_compass(self, heading: float | None, metres_per_unit: float = math.nan, note: str = "") -> None:
        """North arrow for a camera `heading` (degrees, Panda3D: 0 looks north, counter-clockwise) and a
        scale bar at the bottom right, with up to NOTE_LINES lines of `note` under them (the feed's time,
        the sun's, one a line); heading None hides them. The panel grows upward by a line for each extra
        line, so the notes never cover the arrow."""
        key = None if heading is None else (round(heading), round(math.log(max(metres_per_unit, 1e-9)), 2)
                                            if math.isfinite(metres_per_unit) else -1.0, hash(note))
        if key == self._compass_key:
            return
        self._compass_key = key
        block = self._clear("compass")
        if heading is None:
            return
        lines = [line for line in note.split("\n") if line][:NOTE_LINES]
        extra = NOTE_LINE * max(len(lines) - 1, 0)
        x1, y0 = self.aspect - PAD, -1 + CREDIT_BAND
        x0, y1 = x1 - COMPASS_W, y0 + COMPASS_H + extra
        quads("compass-bg", np.array([(x0, y0, x1, y1)]), np.array([BACKGROUND], np.uint8)).reparent_to(block)
        self.drawn["compass"] = (x0, y0, x1, y1)
        cx, cy, r = x1 - 0.09, y0 + extra + COMPASS_H / 2, 0.07
        arrow = _arrow(r)
        arrow.reparent_to(block)
        arrow.set_pos(cx, 0, cy)
        arrow.set_r(heading)  # the view turned left by `heading`: north on screen turns right by as much
        text(block, "N", cx, y1 - 0.035, align=TextNode.A_center, scale=TEXT * 0.7)
        length, label = scale_bar(metres_per_unit, COMPASS_W - 0.25)
        bx = x0 + PAD
        if length > 0:
            quads("scale-bar", np.array([(bx, cy - 0.012, bx + length, cy + 0.004)]),
                  np.array([(240, 240, 240, 255)], np.uint8)).reparent_to(block)
            text(block, label, bx, cy + 0.02, scale=TEXT * 0.8)
        for i, line in enumerate(reversed(lines)):  # the first line on top
            text(block, line, bx, y0 + 0.02 + i * NOTE_LINE, scale=TEXT * 0.7)


def _arrow(r: float) -> NodePath:
    """A north arrow of radius r pointing up (+z of the HUD plane): a red north half, a white south half."""
    tri = [(0, r), (-0.45 * r, 0), (0.45 * r, 0), (0, -r), (0.45 * r, 0), (-0.45 * r, 0)]
    vdata = GeomVertexData("arrow", GeomVertexFormat.get_v3c4(), Geom.UH_static)
    vertex, colour = GeomVertexWriter(vdata, "vertex"), GeomVertexWriter(vdata, "color")
    for i, (x, y) in enumerate(tri):  # six vertices: too few for numpy to matter (render/hud.py rule 2)
        vertex.add_data3(float(x), 0.0, float(y))
        colour.add_data4(*((0.9, 0.2, 0.2, 1.0) if i < 3 else (0.95, 0.95, 0.95, 1.0)))
    prim = GeomTriangles(Geom.UH_static)
    prim.add_next_vertices(6)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    node = GeomNode("north-arrow")
    node.add_geom(geom)
    path = NodePath(node)
    path.set_bin("fixed", 5)
    return path


__all__ = ["LEGEND_WIDTH", "PANEL_WIDTH", "WindowHud", "scale_bar", "text_width"]
