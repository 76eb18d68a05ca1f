"""The rules' badges in the 3D scene and the alerts panel on the HUD (layers/rules_view.py says what to draw).

Rules this module keeps:
1. Badges are billboard text cards in the 3D scene (so stills and videos carry them like any object), drawn
   over everything (no depth test, the "fixed" bin) at a world size fitted to the city (`size` metres high).
   A fixed pool of nodes is reused: show() moves, recolours and relabels them, hides the rest.
2. The alerts panel is one HUD block at the top left under the caption: a header line with the count by
   severity after the alert icon (assets/icons/alert-64.png, where the rows have their swatches), then up
   to PANEL_ROWS active alerts (severity swatch, rule, entity, since) and "+N more".
   panel_row_at(x, y) says which alert row a HUD point is on (clicks fly to it, app/live_rules.py).
3. Like render/hud.py: one Geom of quads for the backgrounds and swatches, one TextNode for the lines.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
from panda3d.core import CardMaker, Filename, NodePath, TextNode, Texture, TransparencyAttrib

from viewer.errors import RenderError
from viewer.render.fonts import ASSETS
from viewer.render.hud import BACKGROUND, PAD, TEXT, line_height, quads, text

ALERT_ICON = ASSETS / "icons" / "alert-64.png"  # package data (assets/README.md)

PANEL_ROWS = 8
PANEL_CHARS = 52
SEVERITY_RGBA = {"info": (52, 152, 219, 255), "warning": (245, 158, 18, 255), "critical": (232, 18, 46, 255)}


class BadgeNodes:
    """A pool of billboard badges under `parent` (rule 1)."""

    def __init__(self, parent: NodePath, size: float, pool: int = 48) -> None:
        self.root = parent.attach_new_node("citiverse-rule-badges")
        self.root.set_depth_test(False)
        self.root.set_depth_write(False)
        self.root.set_light_off(1)
        self.root.set_shader_off(1)
        self.root.set_bin("fixed", 40)
        self.size = float(size)
        self.nodes: list[tuple[NodePath, TextNode]] = []
        for k in range(pool):
            node = TextNode(f"badge-{k}")
            node.set_align(TextNode.A_center)
            node.set_text_color(1, 1, 1, 1)
            node.set_card_as_margin(0.3, 0.3, 0.15, 0.15)
            node.set_frame_as_margin(0.3, 0.3, 0.15, 0.15)  # a white rim: the card shows on its own colour
            node.set_frame_color(1, 1, 1, 1)
            node.set_frame_line_width(2.0)
            path = self.root.attach_new_node(node)
            path.set_billboard_point_eye()
            path.set_scale(self.size)
            path.hide()
            self.nodes.append((path, node))
        self.shown = 0

    def show(self, items: Sequence[tuple[str, tuple[float, float, float], Any]]) -> None:
        """Draw badges (text, (r, g, b) 0..1, (x, y, z) local metres of its foot); the rest hidden."""
        count = 0
        for (path, node), (label, rgb, xyz) in zip(self.nodes, items, strict=False):
            if not np.all(np.isfinite(np.asarray(xyz, np.float64))):
                continue
            if node.get_text() != label:
                node.set_text(label)
            node.set_card_color(rgb[0], rgb[1], rgb[2], 1.0)
            path.set_pos(float(xyz[0]), float(xyz[1]), float(xyz[2]) + self.size * 0.8)
            path.show()
            count += 1
        for path, _ in self.nodes[count:self.shown]:
            path.hide()
        self.shown = count

    def move(self, index: int, xyz: Any) -> None:
        """Move shown badge `index` (a vehicle's, each frame) to stand over xyz."""
        path = self.nodes[index][0]
        path.set_pos(float(xyz[0]), float(xyz[1]), float(xyz[2]) + self.size * 0.8)

    def remove(self) -> None:
        self.root.remove_node()


class AlertsPanel:
    """The alerts block of a render/hud.py Hud (rule 2)."""

    def __init__(self, hud: Any) -> None:
        self.hud = hud
        self.block = hud.anchors["tl"].attach_new_node("citiverse-alerts")
        self.rows: list[tuple[float, float, float, float]] = []  # HUD rects of the alert rows, top first

    def set(self, header: str, lines: list[tuple[str, str]], more: int, top_gap: bool) -> None:
        """header: the count line; lines: (severity, text) of the alerts to list; more: how many are not
        listed; top_gap: leave the caption's line free above the panel."""
        self.block.node().remove_all_children()
        self.rows = []
        lh = line_height()
        texts = [header] + [t[:PANEL_CHARS] for _, t in lines] + ([f"+{more} more"] if more else [])
        width = min(max(len(t) for t in texts) * TEXT * 0.52 + 3 * PAD + TEXT, 2 * self.hud.aspect - 2 * PAD)
        top = -(lh + 3 * PAD if top_gap else PAD)
        height = len(texts) * lh + 2 * PAD
        rects = [(PAD, top - height, PAD + width, top)]
        colours = [BACKGROUND]
        for k, (severity, _) in enumerate(lines):
            y = top - PAD - (k + 2) * lh
            rects.append((PAD * 1.5, y + lh * 0.2, PAD * 1.5 + TEXT * 0.5, y + lh * 0.2 + TEXT * 0.5))
            colours.append(SEVERITY_RGBA.get(severity, (200, 200, 200, 255)))
            self.rows.append((PAD, y, PAD + width, y + lh))
        quads("alerts-bg", np.array(rects), np.array(colours, np.uint8)).reparent_to(self.block)
        icon_y = top - PAD - lh + lh * 0.1
        self._icon(PAD * 1.5 - TEXT * 0.1, icon_y, TEXT * 0.8)
        text(self.block, "\n".join(texts), PAD + TEXT, top - PAD - lh * 0.8)

    def _icon(self, x: float, y: float, size: float) -> None:
        """The alert icon, `size` square, its lower left corner at (x, y) in the header's swatch slot."""
        card = CardMaker("alert-icon")
        card.set_frame(x, x + size, y, y + size)
        node = self.block.attach_new_node(card.generate())
        node.set_texture(alert_icon())
        node.set_transparency(TransparencyAttrib.M_alpha)
        node.set_bin("fixed", 1)  # over the panel's background, under nothing else

    def clear(self) -> None:
        self.block.node().remove_all_children()
        self.rows = []

    def rect(self) -> tuple[float, float, float, float] | None:
        """(x0, y0, x1, y1) of the panel in HUD units from the centre, None when empty."""
        if self.block.get_num_children() == 0:
            return None
        low, high = self.block.get_tight_bounds(self.hud.root)
        return low.x, low.z, high.x, high.z

    def row_at(self, x: float, y: float) -> int | None:
        """The alert row (0 = the first listed) at HUD point (x, y) from the centre; None off the rows."""
        origin = self.hud.anchors["tl"].get_pos(self.hud.root)
        lx, ly = x - origin.x, y - origin.z
        for k, (x0, y0, x1, y1) in enumerate(self.rows):
            if x0 <= lx <= x1 and y0 <= ly <= y1:
                return k
        return None

    def remove(self) -> None:
        self.block.remove_node()


@functools.cache
def alert_icon() -> Texture:
    """The alert icon's texture (rule 2), read once; RenderError naming the file when it is missing."""
    texture = Texture("citiverse-alert-icon")
    if not ALERT_ICON.is_file() or not texture.read(Filename.from_os_specific(str(ALERT_ICON))):
        raise RenderError(f"{ALERT_ICON}: the alert icon is missing or unreadable; reinstall citiverse")
    return texture
