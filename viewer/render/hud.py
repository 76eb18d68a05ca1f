"""The layers' HUD: legends, the feed status line or a caption, the picking panel with its chart, the keys overlay.

Rules this module keeps:
1. The HUD is its own 2D scene (root, orthographic camera, display region sorted above the 3D one) on any
   GraphicsOutput, so the window and the headless renderer draw it the same way. Units: the output's
   height is 2 (y from -1 at the bottom to 1 at the top, Panda3D's aspect2d convention, drawn in the x-z
   plane); x runs from -aspect to aspect. set_aspect() moves the corner anchors when the window resizes.
2. Draw order is the "fixed" bin: quads 0, chart lines 5, text 10 (depth testing is off).
   Few draw calls: every block (one legend, the panel, the status line) is one Geom of coloured quads
   (quads(): backgrounds, swatches and ramp bars written from numpy in one go) plus a handful of TextNodes
   (a column of labels is one multi-line TextNode whose line height sets the swatch rows).
3. Only what changed is rebuilt: set_legends / set_panel / set_status replace their own block; nothing
   here runs per frame unless called.
4. Text is drawn in the bundled font (render/fonts.py, the default font from the first HUD on). Its glyphs
   are laid out on its texture pages in the order they are first drawn, and that layout shows in the
   pixels. warm_font() draws every printable ASCII glyph once, in order, when the first HUD is made, so the
   same text looks the same in every render (deterministic videos).
5. Legends stack upward from the bottom-left corner, the status line sits at the top right, the picking
   panel below it, the keys overlay in the middle, the caption (what videos and stills carry instead of the
   engineers' status line: place, time, layers) at the top left. legend_rects() and caption_rect() report
   where they were drawn (HUD units; to_pixels() converts) so tests can look for them in a rendered image.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from panda3d.core import (
    Camera,
    Geom,
    GeomNode,
    GeomTriangles,
    GeomVertexData,
    GeomVertexFormat,
    LineSegs,
    NodePath,
    OrthographicLens,
    TextNode,
    TransparencyAttrib,
)

from viewer.layers.picking import PickInfo
from viewer.layers.styles import Legend
from viewer.render.fonts import use_ui_font

TEXT = 0.04  # text scale: about 14 px on a 720-pixel-high output
PAD = 0.02
LEGEND_WIDTH = 0.66
PANEL_WIDTH = 0.9
PANEL_CHARS = 38  # longer ids are cut
CLOSE_SIZE = 0.05  # the picking panel's close button (a square at its top right)
CLOSE_COLOUR = (90, 96, 110, 230)
BACKGROUND = (20, 24, 30, 190)
STATE_COLOURS = {"live": (46, 204, 113, 255), "replay": (52, 152, 219, 255), "ended": (149, 165, 166, 255),
                 "syncing": (241, 196, 15, 255), "connecting": (241, 196, 15, 255),
                 "reconnecting": (230, 126, 34, 255), "stale": (231, 76, 60, 255), "closed": (127, 140, 141, 255)}


def quads(name: str, rects: np.ndarray, colours: np.ndarray) -> NodePath:
    """One Geom of k flat quads: rects (k, 4) x0, y0, x1, y1 (HUD units), colours (k, 4) uint8 RGBA."""
    rects = np.asarray(rects, np.float32).reshape(-1, 4)
    k = rects.shape[0]
    vdata = GeomVertexData(name, GeomVertexFormat.get_v3c4(), Geom.UH_static)
    vdata.unclean_set_num_rows(6 * k)
    rows = np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"),
                         np.dtype([("v", "<f4", 3), ("c", "u1", 4)]))
    corner_x = rects[:, [0, 2, 2, 0, 2, 0]]
    corner_y = rects[:, [1, 1, 3, 1, 3, 3]]
    rows["v"][:, 0], rows["v"][:, 1], rows["v"][:, 2] = corner_x.reshape(-1), 0.0, corner_y.reshape(-1)
    rows["c"] = np.repeat(np.asarray(colours, np.uint8).reshape(-1, 4), 6, axis=0)
    prim = GeomTriangles(Geom.UH_static)
    prim.set_nonindexed_vertices(0, 6 * k)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    node = GeomNode(name)
    node.add_geom(geom)
    path = NodePath(node)
    path.set_transparency(TransparencyAttrib.M_alpha)
    path.set_bin("fixed", 0)  # under the text and lines of its block
    return path


def text(parent: NodePath, content: str, x: float, y: float, align: int = TextNode.A_left,
         colour: tuple[float, ...] = (1, 1, 1, 1), scale: float = TEXT) -> NodePath:
    node = TextNode("hud-text")
    node.set_text(content)
    node.set_align(align)
    node.set_text_color(*colour)
    path = parent.attach_new_node(node)
    path.set_scale(scale)
    path.set_pos(x, 0, y)
    path.set_bin("fixed", 10)
    return path


def line_height(scale: float = TEXT) -> float:
    return TextNode("probe").get_line_height() * scale


_WARMED = False


def warm_font() -> None:
    """Put the printable ASCII glyphs on the bundled font's pages in a fixed order, once (rule 4)."""
    global _WARMED
    if not _WARMED:
        use_ui_font()
        text = TextNode("citiverse-font-warm-up")
        text.set_text("".join(chr(c) for c in range(32, 127)))
        text.generate()
        _WARMED = True


class Hud:
    """The HUD scene on `output` (rules above)."""

    def __init__(self, output: Any, aspect: float | None = None, sort: int = 20) -> None:
        warm_font()
        self.output = output
        self.root = NodePath("citiverse-hud")
        self.root.set_depth_test(False)
        self.root.set_depth_write(False)
        self.root.set_light_off()
        self.lens = OrthographicLens()
        self.lens.set_near_far(-10, 10)
        self.camera = self.root.attach_new_node(Camera("citiverse-hud-camera", self.lens))
        self.region = output.make_display_region()
        self.region.set_sort(sort)
        self.region.set_camera(self.camera)
        self.region.set_clear_depth_active(False)
        self.anchors = {name: self.root.attach_new_node(name) for name in ("tl", "tr", "bl", "br", "c")}
        self.blocks: dict[str, NodePath] = {}
        self.rects: list[tuple[float, float, float, float]] = []
        self.aspect = 1.0
        self.set_aspect(aspect or output.get_x_size() / max(output.get_y_size(), 1))

    def set_aspect(self, aspect: float) -> None:
        self.aspect = float(aspect)
        self.lens.set_film_size(2 * self.aspect, 2)
        for name, (x, y) in {"tl": (-1, 1), "tr": (1, 1), "bl": (-1, -1), "br": (1, -1), "c": (0, 0)}.items():
            self.anchors[name].set_pos(x * self.aspect, 0, y)

    def to_pixels(self, x: float, y: float, size: tuple[int, int]) -> tuple[float, float]:
        """HUD units (relative to the centre) -> pixels from the top-left of an output of `size`."""
        w, h = size
        return (x / self.aspect + 1) / 2 * w, (1 - y) / 2 * h

    def _replace(self, name: str, anchor: str) -> NodePath:
        old = self.blocks.pop(name, None)
        if old is not None:
            old.remove_node()
        block = self.anchors[anchor].attach_new_node(name)
        self.blocks[name] = block
        return block

    # ------------------------------------------------------------ legends

    def set_legends(self, legends: list[Legend]) -> None:
        """Draw these legends stacked up from the bottom-left corner (rule 4)."""
        block = self._replace("legends", "bl")
        self.rects = []
        y = PAD
        for legend in legends:
            node, height = legend_node(legend)
            node.reparent_to(block)
            node.set_pos(PAD, 0, y)
            self.rects.append((-self.aspect + PAD, -1 + y, -self.aspect + PAD + LEGEND_WIDTH, -1 + y + height))
            y += height + PAD

    def legend_rects(self) -> list[tuple[float, float, float, float]]:
        """(x0, y0, x1, y1) of each drawn legend in HUD units from the centre, bottom-up."""
        return list(self.rects)

    # ------------------------------------------------------------ status line, panel, help

    def set_status(self, content: str, state: str) -> None:
        block = self._replace("status", "tr")
        lh = line_height()
        width = min(len(content) * TEXT * 0.52 + 3 * PAD + TEXT, 2 * self.aspect - 2 * PAD)
        rects = [(-width - PAD, -lh - 2 * PAD, -PAD, -PAD), (-width, -lh - PAD + 0.004, -width + TEXT * 0.6,
                                                              -lh - PAD + 0.004 + TEXT * 0.6)]
        quads("status-bg", np.array(rects), np.array([BACKGROUND, STATE_COLOURS.get(state, (200, 200, 200, 255))],
                                                     np.uint8)).reparent_to(block)
        text(block, content, -width + TEXT, -lh - PAD + 0.008)

    def set_bottom_line(self, name: str, content: str | None) -> None:
        """A plain line on a dark band at the bottom centre (the streamed tiles' status); None removes it."""
        block = self._replace(name, "c")
        if not content:
            return
        lh = line_height()
        width = min(len(content) * TEXT * 0.52 + 2 * PAD + TEXT, 2 * self.aspect - 2 * PAD)
        x0, y0 = -width / 2, -1 + PAD
        quads(f"{name}-bg", np.array([(x0, y0, x0 + width, y0 + lh + PAD)]),
              np.array([BACKGROUND], np.uint8)).reparent_to(block)
        text(block, content, x0 + TEXT / 2, y0 + PAD / 2 + 0.008)

    def set_caption(self, content: str | None) -> None:
        """A plain caption line on a dark band at the top left; None or "" removes it."""
        block = self._replace("caption", "tl")
        if not content:
            return
        lh = line_height()
        width = min(len(content) * TEXT * 0.52 + 2 * PAD + TEXT, 2 * self.aspect - 2 * PAD)
        quads("caption-bg", np.array([(PAD, -lh - 2 * PAD, PAD + width, -PAD)]),
              np.array([BACKGROUND], np.uint8)).reparent_to(block)
        text(block, content, PAD + TEXT / 2, -lh - PAD + 0.008)

    def caption_rect(self) -> tuple[float, float, float, float] | None:
        """(x0, y0, x1, y1) of the caption's band in HUD units from the centre, None without a caption."""
        block = self.blocks.get("caption")
        if block is None or block.get_num_children() == 0:
            return None
        low, high = block.get_tight_bounds(self.root)
        return low.x, low.z, high.x, high.z

    def set_panel(self, info: PickInfo | None) -> None:
        """The picking panel under the status line; None removes it."""
        block = self._replace("panel", "tr")
        if info is None:
            return
        lh = line_height()
        name = info.id if len(info.id) <= PANEL_CHARS else info.id[:PANEL_CHARS - 3] + "..."
        lines = [f"{info.type}  {name}" if len(info.type) + len(name) < PANEL_CHARS else f"{info.type}\n{name}",
                 *info.lines]
        lines = "\n".join(lines).split("\n")
        chart = info.chart is not None and info.chart[0].size > 0
        chart_h = 0.3 if chart else 0.0
        height = len(lines) * lh + 2 * PAD + (chart_h + lh + PAD if chart else 0.0)
        top = -lh - 4 * PAD
        button = (-PAD - CLOSE_SIZE - PAD / 2, top - CLOSE_SIZE - PAD / 2, -PAD - PAD / 2, top - PAD / 2)
        quads("panel-bg", np.array([(-PANEL_WIDTH - PAD, top - height, -PAD, top), button]),
              np.array([BACKGROUND, CLOSE_COLOUR], np.uint8)).reparent_to(block)
        text(block, "x", (button[0] + button[2]) / 2, button[1] + CLOSE_SIZE * 0.28, align=TextNode.A_center,
             scale=CLOSE_SIZE * 0.9)  # its close button (app/tools.py closes the panel on a click there)
        text(block, "\n".join(lines), -PANEL_WIDTH + PAD, top - PAD - lh * 0.8)
        if chart and info.chart is not None:
            box = (-PANEL_WIDTH + PAD, top - height + PAD + lh, -2 * PAD, top - height + PAD + lh + chart_h)
            chart_node(block, info.chart, box, info.chart_units)

    def panel_rect(self) -> tuple[float, float, float, float] | None:
        """(x0, y0, x1, y1) of the picking panel in HUD units from the centre, None when closed."""
        block = self.blocks.get("panel")
        if block is None or block.get_num_children() == 0:
            return None
        low, high = block.get_tight_bounds(self.root)
        return low.x, low.z, high.x, high.z

    def panel_close_hit(self, x: float, y: float) -> bool:
        """Whether (x, y) (HUD units from the centre) is on the open picking panel's close button."""
        rect = self.panel_rect()
        if rect is None:
            return False
        x1, y1 = rect[2], rect[3]
        return x1 - CLOSE_SIZE - PAD <= x <= x1 and y1 - CLOSE_SIZE - PAD <= y <= y1

    def set_help(self, lines: list[str] | None) -> None:
        """The keys overlay in the middle; None hides it."""
        block = self._replace("help", "c")
        if not lines:
            return
        lh = line_height()
        w, h = 0.95, len(lines) * lh + 2 * PAD
        quads("help-bg", np.array([(-w / 2, -h / 2, w / 2, h / 2)]), np.array([BACKGROUND], np.uint8)).reparent_to(block)
        text(block, "\n".join(lines), -w / 2 + PAD, h / 2 - PAD - lh * 0.8)

    def remove(self) -> None:
        self.output.remove_display_region(self.region)
        self.root.remove_node()


BAR = 0.045  # height of a ramp bar
RAMP_STEPS = 48  # segments of a ramp bar


def legend_node(legend: Legend) -> tuple[NodePath, float]:
    """One legend (rule 2) with its bottom-left corner at the origin; returns it and its height.

    Bottom up: rows of swatches with labels (bands or categories, then "no data" and the alert), for a
    ramp its tick labels and bar, then the title."""
    node = NodePath("legend")
    lh = line_height()
    extras = [] if legend.no_data is None else [(legend.no_data, "no data")]
    if legend.alert is not None:
        extras.append((legend.alert[1], legend.alert[0]))
    rows = ([] if legend.kind == "ramp" else list(zip(legend.colours, legend.labels, strict=True))) + extras
    top = PAD + len(rows) * lh
    rects = [(PAD, top - (i + 1) * lh + 0.2 * lh, PAD + 0.6 * lh, top - i * lh - 0.2 * lh) for i in range(len(rows))]
    colours = [tuple(int(v) for v in c) for c, _ in rows]
    y = top
    if legend.kind == "ramp":
        # RAMP_STEPS flat segments of a few pixels each: exact colours, no sub-pixel slivers to blend.
        steps = legend.colours[np.linspace(0, legend.colours.shape[0] - 1, RAMP_STEPS).round().astype(int)]
        edges = np.linspace(PAD, LEGEND_WIDTH - PAD, RAMP_STEPS + 1)
        rects += [(edges[i], y + lh, edges[i + 1], y + lh + BAR) for i in range(RAMP_STEPS)]
        colours += [tuple(int(v) for v in c) for c in steps]
        for tick, label in zip(legend.ticks, legend.labels, strict=True):
            align = TextNode.A_left if tick == 0 else TextNode.A_right if tick == 1 else TextNode.A_center
            text(node, label, PAD + tick * (LEGEND_WIDTH - 2 * PAD), y + 0.25 * lh, align)
        y += lh + BAR + 0.5 * PAD
    height = y + lh + PAD
    quads("legend-quads", np.array([(0, 0, LEGEND_WIDTH, height)] + rects),
          np.array([BACKGROUND] + colours, np.uint8)).reparent_to(node)
    if rows:
        text(node, "\n".join(str(label) for _, label in rows), PAD + 0.8 * lh, top - 0.75 * lh)
    title = f"{legend.title} ({legend.units})" if legend.units else legend.title
    text(node, title, PAD, height - PAD - 0.75 * lh)
    return node, height


GAP_FACTOR = 5.0  # a step this many times the series' median step is a gap (no line across it)


def chart_runs(times: np.ndarray) -> list[tuple[int, int]]:
    """(begin, end) index ranges of `times` (n,) to draw as connected lines: a new run starts where time
    goes backwards (a looping recording starting over) or jumps forward by more than GAP_FACTOR times the
    median step (readings missing)."""
    n = int(times.shape[0])
    if n == 0:
        return []
    steps = np.diff(times)
    forward = steps[steps > 0]
    typical = float(np.median(forward)) if forward.size else 0.0
    breaks = (steps <= 0) | ((steps > GAP_FACTOR * typical) if typical > 0 else np.zeros(steps.shape, bool))
    cuts = [0, *(np.flatnonzero(breaks) + 1).tolist(), n]
    return [(a, b) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a]


def chart_node(parent: NodePath, series: tuple[np.ndarray, np.ndarray], box: tuple[float, ...], units: str) -> None:
    """A line chart of (times, values) in box (x0, y0, x1, y1), scaled to the values' range (stated below it,
    with the time span)."""
    times, values = (np.asarray(a, np.float64) for a in series)
    ok = np.isfinite(times) & np.isfinite(values)
    times, values = times[ok], values[ok]
    x0, y0, x1, y1 = box
    quads("chart-bg", np.array([box]), np.array([(255, 255, 255, 28)], np.uint8)).reparent_to(parent)
    if times.size == 0:
        return
    low, top = float(values.min()), float(values.max())
    pad = max((top - low) * 0.1, abs(top) * 0.01, 1e-9)  # a flat series sits mid-height
    low, top = low - pad, top + pad
    span = float(times.max() - times.min())
    fx = (times - times.min()) / span if span > 0 else np.full(times.shape, 0.5)
    xs, ys = x0 + fx * (x1 - x0), y0 + (values - low) / (top - low) * (y1 - y0)
    segs = LineSegs("chart")
    segs.set_thickness(2.0)
    segs.set_color(0.99, 0.82, 0.2, 1)
    for begin, end in chart_runs(times):  # no line across a gap or a jump back in time
        segs.move_to(float(xs[begin]), 0, float(ys[begin]))
        for x, y in zip(xs[begin + 1:end].tolist(), ys[begin + 1:end].tolist(), strict=True):
            segs.draw_to(x, 0, y)
        if end - begin == 1:  # a lone reading is a short dash
            segs.draw_to(float(xs[begin]) + 0.005, 0, float(ys[begin]))
    parent.attach_new_node(segs.create()).set_bin("fixed", 5)
    hours = span / 3600.0
    label = f"last {values.size} readings over {hours:.1f} h" if hours >= 1 else \
        f"last {values.size} readings over {span:.0f} s"
    text(parent, f"{values.min():.3g} to {values.max():.3g} {units}  |  {label}", x0, y0 - line_height() * 0.9,
         scale=TEXT * 0.85)


ATTRIBUTION_TEXT = 0.03  # smaller than the HUD's text: credit, not content


class Attribution:
    """The base map's credit line at the bottom right of `output`, on its own display region above the HUD,
    so stills, videos and the window all carry it (the tile providers' terms ask for it on screen)."""

    def __init__(self, output: Any, content: str, sort: int = 30) -> None:
        warm_font()
        self.output = output
        self.root = NodePath("citiverse-attribution")
        self.root.set_depth_test(False)
        self.root.set_depth_write(False)
        self.root.set_light_off()
        self.lens = OrthographicLens()
        self.lens.set_near_far(-10, 10)
        camera = self.root.attach_new_node(Camera("citiverse-attribution-camera", self.lens))
        self.region = output.make_display_region()
        self.region.set_sort(sort)
        self.region.set_camera(camera)
        self.region.set_clear_depth_active(False)
        self.block: NodePath | None = None
        self.content = ""
        self.aspect = 1.0
        self.set_aspect(output.get_x_size() / max(output.get_y_size(), 1))
        self.set_text(content)

    def set_aspect(self, aspect: float) -> None:
        self.aspect = float(aspect)
        self.lens.set_film_size(2 * self.aspect, 2)
        if self.content:
            self.set_text(self.content)

    def set_text(self, content: str) -> None:
        """Show `content` ("" hides the line)."""
        if self.block is not None:
            self.block.remove_node()
            self.block = None
        self.content = content
        if not content:
            return
        self.block = self.root.attach_new_node("attribution")
        self.block.set_pos(self.aspect, 0, -1)
        scale = ATTRIBUTION_TEXT
        width = min(len(content) * scale * 0.52 + 2 * PAD, 2 * self.aspect)
        height = scale * 1.1 + PAD
        quads("attribution-bg", np.array([(-width, 0.0, 0.0, height)]), np.array([(255, 255, 255, 170)], np.uint8)
              ).reparent_to(self.block)
        text(self.block, content, -PAD / 2, PAD / 2 + 0.002, align=TextNode.A_right, colour=(0.1, 0.1, 0.1, 1.0),
             scale=scale)

    def rect(self) -> tuple[float, float, float, float] | None:
        """(x0, y0, x1, y1) HUD units of the line's band, None when hidden."""
        if self.block is None:
            return None
        low, high = self.block.get_tight_bounds(self.root)
        return low.x, low.z, high.x, high.z

    def remove(self) -> None:
        self.output.remove_display_region(self.region)
        self.root.remove_node()
