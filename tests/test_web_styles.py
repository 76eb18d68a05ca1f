"""A scene's `[layers]` styles and camera bookmarks reach the browser (net/web_assets.py rule 8): the server's
/scene.json carries them over loopback HTTP, resolved as the desktop resolves them; tests/vectors/web_styles.json
(what web/test/scene_style.test.ts checks the page's colours against) is what tests/web_style_vectors.py builds
from the desktop's styles, so a building of a scene with a custom ramp takes in the page the colour its legend
says on the desktop."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import numpy as np

from tests.web_style_vectors import OUT, build, scene_look
from viewer.geo.frame import LocalFrame
from viewer.layers.ramps import ramp
from viewer.net.meeting_server import ServerThread
from viewer.net.web_assets import SCENE_JSON, WebSite, scene_info

SECRET = b"web-styles-test-secret-0123456789abc"


def test_the_vectors_are_what_the_desktop_styles_give() -> None:
    """The shared file is current (rebuild it with `python tests/web_style_vectors.py`)."""
    assert json.loads(OUT.read_text(encoding="utf-8")) == json.loads(json.dumps(build()))


def test_a_custom_ramp_is_sent_as_its_legend_draws_it() -> None:
    """buildings: magma over 0..200 kW with an alert at 180; roads: the scene's own speed bands in km/h."""
    _, look = scene_look()
    buildings, roads = look["layers"]["buildings"], look["layers"]["roads"]
    assert (buildings["kind"], buildings["lo"], buildings["hi"], buildings["alert"], buildings["auto"]) == \
        ("ramp", 0.0, 200.0, 180.0, False)
    magma = ramp("magma").lut(256)
    assert buildings["lut"] == ["".join(f"{int(c):02x}" for c in row[:3]) for row in magma]
    assert (roads["kind"], roads["attribute"], roads["units"], roads["edges"]) == ("bands", "speed", "km/h", [20.0, 50.0])
    assert np.isclose(roads["factor"], 3.6)
    assert roads["labels"] == ["crawl  < 20 km/h", "town  < 50 km/h", "open  >= 50 km/h"]
    assert [b["name"] for b in look["bookmarks"]] == ["tower", "street"]
    assert look["bookmarks"][0] == {"name": "tower", "position": [10.0, -20.0, 45.0], "look_at": [0.0, 0.0, 5.0],
                                    "fov": 40.0}


def test_scene_json_carries_the_look(tmp_path: Path) -> None:
    """The page's /scene.json, fetched from the real server: the tiles' info plus the scene's styles and bookmarks."""
    info = scene_info(LocalFrame(None, (0.0, 0.0, 0.0)), np.zeros(3), np.array([100.0, 100.0, 20.0]), "styled")
    (tmp_path / SCENE_JSON).write_text(json.dumps(info), encoding="utf-8")
    _, look = scene_look()
    with ServerThread(SECRET, port=0, web=WebSite(tiles=tmp_path, look=look)) as server:
        port = server.server.port  # type: ignore[union-attr]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/scene.json", timeout=30) as reply:
            served = json.load(reply)
    assert served["bounds"] == info["bounds"] and served["name"] == "styled"
    assert served["layers"] == json.loads(json.dumps(look["layers"]))
    assert [b["name"] for b in served["bookmarks"]] == ["tower", "street"]


def test_scene_json_without_a_look_is_the_tiles_own(tmp_path: Path) -> None:
    info = scene_info(LocalFrame(None, (0.0, 0.0, 0.0)), np.zeros(3), np.ones(3), "plain")
    (tmp_path / SCENE_JSON).write_text(json.dumps(info), encoding="utf-8")
    reply = WebSite(tiles=tmp_path).answer("/scene.json")
    assert reply.status == 200 and "layers" not in json.loads(reply.body)
