"""Rules in a real window (`citiverse view --feed` under Xvfb, tests/window_harness.py): F8 flies to the
building an alert is on."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from window_harness import RealWindow, needs_real_window

from viewer.city.scene import load_scene_models
from viewer.config import load_scene
from viewer.net.recorder import record_source
from viewer.twin.batch import TwinUpdate, make_batch

pytestmark = needs_real_window

SCENE = """
[scene]
name = "Alert town"

[[sources]]
format = "procedural"
seed = 7
size = 300

[cameras.overview]
position = [-700.0, -800.0, 650.0]
look_at = [0.0, 0.0, 0.0]
fov = 45

[[rules]]
name = "Overload"
kind = "building"
when = "power > 100"
severity = "critical"
badge = "!"
"""


class OneHot:
    """A Source: every building at 10 kW but one at 500 kW, re-sent each second for a minute."""

    name, crs, kinds, period = "one-hot", "EPSG:7415", ("building",), 1.0

    def __init__(self, ids: list[str], hot: str) -> None:
        self.ids, self.hot, self.k = ids, hot, 0

    def update(self) -> TwinUpdate:
        power = [500.0 if i == self.hot else 10.0 for i in self.ids]
        return TwinUpdate(1.8e9 + self.k, {"building": make_batch("building", ids=self.ids, power=power)},
                          snapshot=self.k == 0)

    def start(self) -> TwinUpdate:
        return self.update()

    def step(self) -> TwinUpdate | None:
        self.k += 1
        return self.update() if self.k <= 60 else None

    def close(self) -> None:
        pass


def test_j_flies_to_the_alerted_building(tmp_path: Path) -> None:
    """F8 (pressed until the first data is in) glides the orbit camera to look at the one building over the
    rule's threshold, at its top centre."""
    town = tmp_path / "town.toml"
    town.write_text(SCENE)
    objects = load_scene_models(load_scene(town)).model.objects
    buildings = [i for i, t in enumerate(objects.types) if t == "Building"]
    hot = buildings[len(buildings) // 2]
    record_source(OneHot([objects.ids[i] for i in buildings], objects.ids[hot]), tmp_path / "hot.feed.jsonl.gz",
                  math.inf)
    lo, hi = np.asarray(objects.bbox_min[hot], float), np.asarray(objects.bbox_max[hot], float)
    top = np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, hi[2]])
    with RealWindow(tmp_path, ["view", town, "--camera", "overview", "--feed", tmp_path / "hot.feed.jsonl.gz"]) as win:
        start = win.settled()
        for _ in range(20):  # until the window has the first update and so an alert to fly to
            win.key("F8")
            state = win.settled("the glide to the alert")
            if state["camera"] != start["camera"]:
                break
        assert state["mode"] == "orbit"
        h, p = (math.radians(v) for v in state["hpr"][:2])
        forward = np.array([-math.sin(h) * math.cos(p), math.cos(h) * math.cos(p), math.sin(p)])
        to_top = top - np.array(state["camera"])
        assert np.linalg.norm(np.cross(to_top, forward)) < 2.0
        assert np.linalg.norm(to_top) < 300.0
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr

