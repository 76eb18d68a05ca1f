"""LiveRules: the scene's rules evaluated on the live layers' twin state, and what they show (docs/rules.md).

    live.rules = LiveRules(live, scene.config.rules + options.rules)   # app/live.py makes it; hooks call it

Rules this module keeps:
1. Evaluated after every applied update (LiveLayers.ingest calls observe()), at the state's feed time, so
   durations and rates see every reading in a video and a seek alike (layers/rules.py).
2. Matching entities are coloured by their layers: when the matches of a kind change, every layer reading
   that kind gets the matches' colours and badges as overrides under the source "rules" (layers/base.py
   rule 4; the built-in layers paint the objects' texels or the vehicles' instances, and list the badge in
   the picking panel). A hidden layer paints nothing; the panel still lists the alert.
3. Badges (render/rule_badges.py) stand over the matched objects; the alerts panel lists the active ones at
   the top left with a count line, in the window, stills and videos alike. Nothing is drawn for a scene
   without rules.
4. In the window (bind_keys): F8 flies to the next active alert (and opens its panel), Shift+F8 shows or hides
   the list (the count line stays); a click on a listed alert flies to it (LiveLayers asks click() first).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from viewer.layers.picking import utc_text
from viewer.layers.rules import Alert, Rule, RuleEngine
from viewer.layers.rules_view import badges, overrides, root_anchors, rule_rgba
from viewer.render.rule_badges import PANEL_ROWS, AlertsPanel, BadgeNodes
from viewer.rules_config import SEVERITIES, RuleConfig

KEYS = {"next": "f8", "list": "shift-f8"}  # not J: a meeting's J follows the host (app/meeting_view.py)


def as_rules(rules: Sequence[Rule | RuleConfig]) -> list[Rule]:
    return [r if isinstance(r, Rule) else Rule.from_config(r) for r in rules]


class LiveRules:
    """The rules of one LiveLayers (module rules)."""

    def __init__(self, live: Any, rules: Sequence[Rule | RuleConfig]) -> None:
        self.live = live
        self.engine = RuleEngine(as_rules(rules))
        self.colours = rule_rgba(self.engine)
        self.on_fly: Callable[[Any, float], None] | None = None  # the window's fly_to(point, size)
        self.show_list = True
        self.cursor = -1  # the alert F8 flew to last
        self.listed: list[Alert] = []
        self._anchors: dict[str, np.ndarray] = {}
        self._shown_version = -1
        self.badges: BadgeNodes | None = None
        self.panel: AlertsPanel | None = None
        self._vehicle_badges: list[tuple[int, int]] = []  # (badge index, vehicle row) moved each frame
        if not len(self.engine):
            return
        self.badges = BadgeNodes(live.stage.root, badge_size(live.scene.model.objects))
        self.panel = AlertsPanel(live.hud) if live.hud is not None else None

    # ------------------------------------------------------------ hooks of LiveLayers

    def observe(self) -> None:
        """Rule 1: after an update was applied to live.state."""
        if not len(self.engine):
            return
        for kind in self.engine.evaluate(self.live.state):
            ids, rgba, labels = overrides(self.engine, kind, self.colours)
            for layer in self.live.layers.values():
                if kind in layer.kinds:
                    layer.set_overrides("rules", ids, rgba, labels)

    def follow_vehicles(self) -> None:
        """Each frame, after the vehicles were drawn: their badges move with them."""
        if self.badges is not None and self._vehicle_badges:
            for index, row in self._vehicle_badges:
                drawn = self.live.vehicles.instance(row)
                if drawn is not None:
                    self.badges.move(index, drawn[:3])

    def refresh_hud(self, force: bool = False) -> None:
        """Badges and the alerts panel, when the matches changed (or `force`)."""
        if not len(self.engine) or (self.engine.version == self._shown_version and not force):
            return
        self._shown_version = self.engine.version
        self._draw_badges()
        if self.panel is not None:
            self._draw_panel()

    def click(self, x: float, y: float) -> bool:
        """Rule 4: a click at HUD point (x, y); True when it was on the panel (the layers do not pick then)."""
        if self.panel is None:
            return False
        row = self.panel.row_at(x, y)
        if row is not None and row < len(self.listed):
            self.fly_to(self.listed[row])
            return True
        rect = self.panel.rect()
        return rect is not None and rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]

    def bind_keys(self, on_fly: Callable[[Any, float], None]) -> None:
        """Rule 4, in the window: keys on the layers' event handler; `on_fly(point, size)` moves the camera."""
        self.on_fly = on_fly
        if len(self.engine):
            self.live.accept(KEYS["next"], self.next_alert)
            self.live.accept(KEYS["list"], self.toggle_list)

    def help_lines(self) -> list[str]:
        """The keys' lines for the layers' help (none without rules)."""
        if not len(self.engine):
            return []
        return ["F8  fly to the next alert (Shift+F8: the list on / off; a click on one: fly there)"]

    def remove(self) -> None:
        if self.badges is not None:
            self.badges.remove()
        if self.panel is not None:
            self.panel.remove()

    # ------------------------------------------------------------ alerts

    def next_alert(self) -> Alert | None:
        """Fly to the next active alert in the panel's order (J); None when there is none."""
        alerts = self.engine.active()
        if not alerts:
            return None
        self.cursor = (self.cursor + 1) % len(alerts)
        self.fly_to(alerts[self.cursor])
        return alerts[self.cursor]

    def toggle_list(self) -> None:
        self.show_list = not self.show_list
        self.refresh_hud(force=True)

    def where(self, alert: Alert) -> tuple[np.ndarray, float] | None:
        """(local point, size in metres) of the alert's entity, None when it is not drawn."""
        if alert.kind == "vehicle":
            row = self.live.state["vehicle"].index.get(alert.id)
            drawn = None if row is None else self.live.vehicles.instance(row)
            return None if drawn is None else (np.asarray(drawn[:3], np.float64), 10.0)
        layer = self.live.entities.get(alert.kind)
        rank = None if layer is None else layer.objects.rank.get(alert.id)
        if rank is None:
            return None
        point = self._anchor(alert.kind)[rank].astype(np.float64)
        if not np.isfinite(point).all():
            return None
        objects = self.live.scene.model.objects
        root = int(layer.objects.roots[rank])
        size = float(np.linalg.norm(objects.bbox_max[root] - objects.bbox_min[root])) \
            if objects.bbox_min is not None and objects.bbox_max is not None else 20.0
        return point, size if math.isfinite(size) else 20.0

    def fly_to(self, alert: Alert) -> None:
        """Fly to the alert's entity and open its panel (a building or road as if clicked)."""
        place = self.where(alert)
        if place is not None and self.on_fly is not None:
            self.on_fly(place[0], place[1])
        layer = self.live.entities.get(alert.kind)
        rank = None if layer is None else layer.objects.rank.get(alert.id)
        if rank is not None:
            self.live.selected = ("object", int(layer.objects.roots[rank]))
        elif alert.kind == "vehicle":
            self.live.selected = ("vehicle", alert.id)
        if self.live.hud is not None:
            self.live.hud.set_panel(self.live.describe(self.live.wall()))

    # ------------------------------------------------------------ drawing

    def _anchor(self, kind: str) -> np.ndarray:
        if kind not in self._anchors:
            self._anchors[kind] = root_anchors(self.live.scene.model.objects, self.live.entities[kind].objects)
        return self._anchors[kind]

    def _draw_badges(self) -> None:
        if self.badges is None:
            return
        items: list[tuple[str, tuple[float, float, float], Any]] = []
        self._vehicle_badges = []
        for badge in badges(self.engine, ("building", "road", "vehicle")):
            if badge.kind == "vehicle":
                drawn = self.live.vehicles.instance(badge.row)
                if drawn is not None:
                    self._vehicle_badges.append((len(items), badge.row))
                    items.append((badge.text, badge.rgb, drawn[:3]))
                continue
            rank = self.live.entities[badge.kind].row_ranks(self.live.state[badge.kind])[badge.row]
            if rank >= 0:
                items.append((badge.text, badge.rgb, self._anchor(badge.kind)[rank]))
        self.badges.show(items)

    def header(self) -> str:
        """The count line: "3 alerts: 1 critical, 2 warning  (J: next)" or "no alerts"."""
        counts = self.engine.counts()
        total = sum(counts.values())
        if not total:
            return "no alerts"
        parts = ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s])
        keys = "  (J: next)" if self.on_fly is not None else ""
        return f"{total} alert{'s' if total != 1 else ''}: {parts}{keys}"

    def _draw_panel(self) -> None:
        assert self.panel is not None
        self.listed = self.engine.active(PANEL_ROWS) if self.show_list else []
        lines = [(a.severity, f"{a.rule}  {a.kind} {a.id}  since {_when(a.since)}") for a in self.listed]
        more = sum(self.engine.counts().values()) - len(self.listed) if self.show_list else 0
        self.panel.set(self.header(), lines, more, top_gap=not self.live.show_status)


def badge_size(objects: Any) -> float:
    """Metres a badge's text is high: a third of the objects' median box diagonal, within 3..30 m."""
    if objects.bbox_min is None or objects.bbox_max is None or not len(objects):
        return 8.0
    with np.errstate(invalid="ignore"):
        sizes = np.linalg.norm(objects.bbox_max.astype(np.float64) - objects.bbox_min.astype(np.float64), axis=1)
    sizes = sizes[np.isfinite(sizes)]
    return float(np.clip(np.median(sizes) / 3.0, 3.0, 30.0)) if sizes.size else 8.0


def _when(t: float) -> str:
    return utc_text(t)[11:19] if abs(t) > 1e8 else f"t {t:.0f} s"
