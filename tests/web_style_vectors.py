"""Builds tests/vectors/web_styles.json: a scene's custom `[layers]` styles as the server gives them to the page
(net/web_assets.py page_look) and, for readings as the feed carries them, the colour the desktop's style gives
(layers/styles.py LayerStyle.rgba: what its window draws and its legend shows at that value).
tests/test_web_styles.py checks the file is what this builds; web/test/scene_style.test.ts checks the page
colours each reading the same. Run `python tests/web_style_vectors.py` after changing either side."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from viewer.config import load_scene
from viewer.layers.styles import LayerStyle
from viewer.net.web_assets import page_look

OUT = Path(__file__).resolve().parent / "vectors" / "web_styles.json"
SCENE = """
[scene]
name = "styled"
[[sources]]
path = "city.obj"
[layers.buildings]
ramp = "magma"
range = [0, 200]
alert = 180
[layers.roads]
attribute = "speed"
units = "km/h"
ranges = [{below = 20, colour = "#550000", label = "crawl"}, {below = 50, colour = "#ffaa00", label = "town"},
          {colour = "#00aa44", label = "open"}]
[cameras.tower]
position = [10.0, -20.0, 45.0]
look_at = [0.0, 0.0, 5.0]
fov = 40
[cameras.street]
position = [5.0, 5.0, 1.7]
look_at = [50.0, 5.0, 1.7]
"""
READINGS: dict[str, list[dict[str, Any]]] = {
    "buildings": [{"power": p} for p in (0.0, 0.4, 12.5, 99.9, 100.0, 150.0, 179.9, 180.0, 180.5, 250.0, -5.0,
                                         math.nan)] + [{}],
    "roads": [{"speed": s} for s in (0.0, 5.5, 5.56, 5.6, 13.88, 13.9, 30.0, math.nan)] + [{}],
}


def scene_look() -> tuple[Any, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "styled.toml"
        path.write_text(SCENE, encoding="utf-8")
        config = load_scene(path)
    return config, page_look(config)


def build() -> dict[str, Any]:
    config, look = scene_look()
    cases = []
    for layer, readings in READINGS.items():
        style = LayerStyle(layer, getattr(config.layers, layer))
        for values in readings:
            base = values.get(style.attribute, math.nan)
            rgba = style.rgba(np.array([base]))[0]
            cases.append({"layer": layer, "values": {k: _json_number(v) for k, v in values.items()},
                          "rgb": [int(c) for c in rgba[:3]]})
    return {"look": look, "cases": cases}


def _json_number(v: float) -> float | None:
    return None if math.isnan(v) else v  # null in the file: NaN (no data) on both sides


def main() -> None:
    OUT.write_text(json.dumps(build(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
