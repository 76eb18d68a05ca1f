"""Subtitles for re-shot meetings: the chat as lines at the bottom centre, and a label at the top left.

Rules this module keeps:
1. Its own 2D scene and display region on any output (like hud.Attribution), above the 3D region, so
   offscreen videos and stills carry it. Units as hud.py: height 2, y from -1 (bottom) to 1 (top).
2. Text is only rebuilt when it changed (set_lines / set_label compare), so a video costs nothing per frame
   for subtitles that stay; the font is warmed first (hud.warm_font) so the same text gives the same pixels.
3. Each line is cut to MAX_CHARS characters; at most MAX_LINES lines, newest last.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from panda3d.core import Camera, NodePath, OrthographicLens, TextNode

from viewer.render.hud import PAD, line_height, quads, text, warm_font

SCALE = 0.05
MAX_LINES = 3
MAX_CHARS = 90
BAND = (10, 12, 16, 180)


class Subtitles:
    """Chat subtitles and a corner label on `output` (rules 1-3)."""

    def __init__(self, output: Any, sort: int = 25) -> None:
        warm_font()
        self.output = output
        self.root = NodePath("citiverse-subtitles")
        self.root.set_depth_test(False)
        self.root.set_depth_write(False)
        self.root.set_light_off()
        lens = OrthographicLens()
        lens.set_near_far(-10, 10)
        self.aspect = output.get_x_size() / max(output.get_y_size(), 1)
        lens.set_film_size(2 * self.aspect, 2)
        self.region = output.make_display_region()
        self.region.set_sort(sort)
        self.region.set_camera(self.root.attach_new_node(Camera("citiverse-subtitles-camera", lens)))
        self.region.set_clear_depth_active(False)
        self._blocks: dict[str, NodePath] = {}
        self._shown: dict[str, tuple[str, ...]] = {}

    def set_lines(self, lines: list[str]) -> None:
        """The subtitles (rule 3): centred at the bottom on a dark band; [] shows none."""
        shown = tuple(_cut(line) for line in lines[-MAX_LINES:])
        if self._unchanged("lines", shown):
            return
        block = self._block("lines")
        if not shown:
            return
        step = line_height(SCALE)
        width = min(max(len(s) for s in shown) * SCALE * 0.5 + 2 * PAD, 2 * self.aspect)
        bottom = -0.95
        quads("subtitle-band", np.array([(-width / 2, bottom, width / 2, bottom + step * len(shown) + PAD)]),
              np.array([BAND], np.uint8)).reparent_to(block)
        content = "\n".join(shown)
        text(block, content, 0.0, bottom + PAD / 2 + step * (len(shown) - 1) + 0.012, align=TextNode.A_center,
             scale=SCALE)

    def set_label(self, content: str) -> None:
        """A one-line label at the top left ("" hides it)."""
        if self._unchanged("label", (content,)):
            return
        block = self._block("label")
        if not content:
            return
        width = len(content) * SCALE * 0.5 + 2 * PAD
        top = 0.97
        quads("label-band", np.array([(-self.aspect + 0.02, top - SCALE * 1.3, -self.aspect + 0.02 + width, top)]),
              np.array([BAND], np.uint8)).reparent_to(block)
        text(block, content, -self.aspect + 0.02 + PAD, top - SCALE * 1.0, scale=SCALE)

    def remove(self) -> None:
        self.output.remove_display_region(self.region)
        self.root.remove_node()

    def _unchanged(self, key: str, value: tuple[str, ...]) -> bool:
        if self._shown.get(key) == value:
            return True
        self._shown[key] = value
        return False

    def _block(self, name: str) -> NodePath:
        old = self._blocks.pop(name, None)
        if old is not None:
            old.remove_node()
        self._blocks[name] = self.root.attach_new_node(name)
        return self._blocks[name]


def _cut(line: str) -> str:
    return line if len(line) <= MAX_CHARS else line[: MAX_CHARS - 1] + "~"
