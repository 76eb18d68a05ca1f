"""Marks in the 3D scene for the window's tools: the measure line with its points, and pins.

Rules this module keeps:
1. Each set of marks is one node rebuilt when it changes (a handful of points: LineSegs is fine here);
   nothing runs per frame.
2. Marks are drawn on top (no depth test, the "fixed" bin) in bright, fixed colours with lighting off, so
   a measured point behind a corner or a pin behind a building still shows where it is.
3. A pin is a vertical stalk PIN_HEIGHT metres tall with a head, standing on its point; PIN_COLOUR unless
   the caller gives each pin its own (a meeting's pins take their author's colour).
"""

from __future__ import annotations

from typing import Any

from panda3d.core import LineSegs, NodePath

PIN_HEIGHT = 12.0  # metres
MEASURE_COLOUR = (1.0, 0.85, 0.1, 1.0)
PIN_COLOUR = (0.95, 0.25, 0.3, 1.0)


class Marks:
    """The tools' marks under `parent` (usually base.render)."""

    def __init__(self, parent: NodePath) -> None:
        self.root = parent.attach_new_node("citiverse-marks")
        self.root.set_light_off()
        self.root.set_depth_test(False)
        self.root.set_depth_write(False)
        self.root.set_bin("fixed", 50)
        self.root.set_shader_off(1)
        self.measure: NodePath | None = None
        self.pins: NodePath | None = None

    def set_measure(self, points: list[Any]) -> None:
        """The measure polyline through `points` (local metres), each point marked."""
        if self.measure is not None:
            self.measure.remove_node()
            self.measure = None
        if not points:
            return
        segs = LineSegs("measure")
        segs.set_color(*MEASURE_COLOUR)
        segs.set_thickness(3.0)
        segs.move_to(*points[0])
        for p in points[1:]:
            segs.draw_to(*p)
        for p in points:  # a small upright tick at every point
            segs.move_to(p[0], p[1], p[2])
            segs.draw_to(p[0], p[1], p[2] + 2.0)
        self.measure = self.root.attach_new_node(segs.create())

    def set_pins(self, positions: list[Any], colours: list[Any] | None = None) -> None:
        """Pins at `positions` (local metres), each in its RGBA of `colours` (default PIN_COLOUR; rule 3)."""
        if self.pins is not None:
            self.pins.remove_node()
            self.pins = None
        if not positions:
            return
        rgba = colours if colours is not None else [PIN_COLOUR] * len(positions)
        segs = LineSegs("pins")
        segs.set_thickness(4.0)
        for (x, y, z), colour in zip(positions, rgba, strict=True):
            segs.set_color(*colour)
            segs.move_to(x, y, z)
            segs.draw_to(x, y, z + PIN_HEIGHT)
        self.pins = self.root.attach_new_node(segs.create())
        heads = LineSegs("pin-heads")
        heads.set_thickness(14.0)
        for (x, y, z), colour in zip(positions, rgba, strict=True):
            heads.set_color(*colour)
            heads.move_to(x, y, z + PIN_HEIGHT)
            heads.draw_to(x, y, z + PIN_HEIGHT + 1.5)
        self.pins.attach_new_node(heads.create())

    def remove(self) -> None:
        self.root.remove_node()
