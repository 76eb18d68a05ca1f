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


def test_meet_serve_scene_gives_the_page_its_look(tmp_path: Path) -> None:
    """`meet serve --web --scene S`'s site: a small OBJ scene with a custom ramp and a bookmark, tiled, its look served."""
    from viewer.cli import build_parser
    from viewer.cli.meet import web_site

    (tmp_path / "box.obj").write_text("v 0 0 0\nv 10 0 0\nv 10 10 0\nv 0 10 0\nv 0 0 8\nv 10 0 8\nv 10 10 8\nv 0 10 8\n"
                                      "f 1 2 3 4\nf 5 6 7 8\nf 1 2 6 5\nf 2 3 7 6\nf 3 4 8 7\nf 4 1 5 8\n", encoding="utf-8")
    scene = tmp_path / "box.toml"
    scene.write_text('[scene]\nname = "box"\n[[sources]]\npath = "box.obj"\n[layers.buildings]\nramp = "magma"\n'
                     'range = [0, 50]\n[cameras.above]\nposition = [5.0, -30.0, 40.0]\nlook_at = [5.0, 5.0, 0.0]\n',
                     encoding="utf-8")
    args = build_parser().parse_args(["meet", "serve", "--port", "0", "--secret-file", str(tmp_path / "s.secret"),
                                      "--web", "--scene", str(scene)])
    site = web_site(args, b"0123456789abcdef0123456789abcdef")
    assert site is not None
    served = json.loads(site.answer("/scene.json").body)
    assert served["name"] == "box" and served["tileset"] == "/tiles/tileset.json"
    buildings = served["layers"]["buildings"]
    assert (buildings["kind"], buildings["lo"], buildings["hi"]) == ("ramp", 0.0, 50.0)
    assert buildings["lut"][-1] == "".join(f"{int(c):02x}" for c in ramp("magma").lut(256)[-1][:3])
    assert served["bookmarks"] == [{"name": "above", "position": [5.0, -30.0, 40.0], "look_at": [5.0, 5.0, 0.0],
                                    "fov": 50.0}]
