"""The web side of the browsers' live layers over real loopback HTTP (net/web_assets.py rules 6, 7): /feed.json
gives the feed's URLs, and its token only to holders of a valid join token; /frame/CRS.json maps feed
positions to the scene's local metres as the desktop does (within 2 cm); `meet serve --feed` mistakes are one
line each."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tests.test_web_server import get
from viewer.app.meet_cli import feed_link
from viewer.cli import main
from viewer.geo.frame import LocalFrame, transform_xy
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_server import ServerThread
from viewer.net.web_assets import FeedLink, WebSite, frame_from_info, frame_info, scene_info

SECRET = b"web-live-test-secret-0123456789ab"
RD = LocalFrame("EPSG:7415", (92540.0, 437500.0, 0.0))  # the demo scene's frame: RD New + NAP, Rotterdam


def _tiles(tmp_path: Path, frame: LocalFrame = RD) -> Path:
    folder = tmp_path / "tiles"
    folder.mkdir()
    info = scene_info(frame, np.array([-600.0, -500.0, 0.0]), np.array([700.0, 400.0, 60.0]), "t")
    (folder / "scene.json").write_text(json.dumps(info))
    return folder


def _auth_get(url: str, token: str | None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _admits(token: str) -> bool:
    return bool(feed_link("ws://127.0.0.1:1/", "t0k", SECRET).admits(token))


def test_feed_token_only_for_participants(tmp_path: Path) -> None:
    link = FeedLink(("ws://127.0.0.1:8765/", "ws://127.0.0.1:8766/"), "feed-s3cret", _admits)
    with ServerThread(SECRET, port=0, web=WebSite(tiles=_tiles(tmp_path), feed=link)) as server:
        base = f"http://127.0.0.1:{server.server.port}"  # type: ignore[union-attr]
        assert _auth_get(base + "/feed.json", None)[0] == 401
        assert _auth_get(base + "/feed.json", "not-a-token")[0] == 401
        other = issue_token(b"another-server-secret-0123456789", "delft", "Eve", "guest", 600, time.time())
        assert _auth_get(base + "/feed.json", other)[0] == 401
        expired = issue_token(SECRET, "delft", "Old", "guest", 1, time.time() - 10)
        assert _auth_get(base + "/feed.json", expired)[0] == 401
        status, body = _auth_get(base + "/feed.json", issue_token(SECRET, "delft", "Bo", "guest", 600, time.time()))
        assert status == 200
        assert json.loads(body) == {"urls": ["ws://127.0.0.1:8765/", "ws://127.0.0.1:8766/"], "token": "feed-s3cret"}


def test_open_feed_and_no_feed(tmp_path: Path) -> None:
    open_feed = FeedLink(("ws://127.0.0.1:8765/",), None, lambda _: False)
    with ServerThread(SECRET, port=0, web=WebSite(feed=open_feed)) as server:
        base = f"http://127.0.0.1:{server.server.port}"  # type: ignore[union-attr]
        assert json.loads(get(base + "/feed.json")[2]) == {"urls": ["ws://127.0.0.1:8765/"], "token": None}
        # no scene: feed positions are the page's local metres as they come
        assert json.loads(get(base + "/frame/EPSG%3A4326.json")[2])["kind"] == "offset"
    with ServerThread(SECRET, port=0, web=WebSite()) as server:
        assert json.loads(get(f"http://127.0.0.1:{server.server.port}/feed.json")[2])["urls"] == []  # type: ignore[union-attr]


def _apply(map_: dict, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """web/src/feed/client.ts mapper(), in numpy (its Vitest checks the same formula)."""
    if map_["kind"] == "offset":
        return np.stack([x - map_["origin"][0], y - map_["origin"][1]], axis=1)
    u, v = (x - map_["centre"][0]) / map_["span"][0], (y - map_["centre"][1]) / map_["span"][1]
    terms = np.stack([np.ones_like(u), u, v, u * u, u * v, v * v], axis=1)
    return terms @ np.asarray(map_["coef"])


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857", "EPSG:28992", "EPSG:7415"])
def test_frame_maps_feed_positions_within_2_cm(tmp_path: Path, crs: str) -> None:
    with ServerThread(SECRET, port=0, web=WebSite(tiles=_tiles(tmp_path))) as server:
        status, _, body = get(f"http://127.0.0.1:{server.server.port}/frame/{crs}.json")  # type: ignore[union-attr]
    assert status == 200
    reply = json.loads(body)
    assert reply["kind"] == ("offset" if crs == "EPSG:7415" else "quadratic")  # the scene's own plane: exact
    rng = np.random.default_rng(1)
    local = np.stack([rng.uniform(-600, 700, 200), rng.uniform(-500, 400, 200)], axis=1)
    source = transform_xy(RD.local_to_lonlat(local), "EPSG:4326", crs)
    assert np.abs(_apply(reply, source[:, 0], source[:, 1]) - local).max() < 0.02


def test_unknown_crs_is_refused_with_the_reason(tmp_path: Path) -> None:
    with ServerThread(SECRET, port=0, web=WebSite(tiles=_tiles(tmp_path))) as server:
        base = f"http://127.0.0.1:{server.server.port}"  # type: ignore[union-attr]
        status, _, body = get(base + "/frame/EPSG:999999.json")
        assert status == 422 and "EPSG:999999" in json.loads(body)["reason"]
        status, _, body = get(base + "/frame/..%2F..%2Fsecret.json")  # a CRS name, never a path
        assert status == 422 and b"do not serve" not in body
        assert get(base + "/frame/%00.json")[0] == 404


@pytest.mark.parametrize("frame", [RD, LocalFrame("EPSG:4326", (4.47, 51.92, 3.0)), LocalFrame(None, (10.0, 20.0, 1.0))])
def test_scene_json_frame_rebuilds_the_scene_frame(frame: LocalFrame) -> None:
    again = frame_from_info(json.loads(json.dumps(frame_info(frame))))
    assert (again.crs, again.plane, again.origin_z) == (frame.crs, frame.plane, frame.origin_z)
    assert np.allclose(again.origin_xy, frame.origin_xy, atol=1e-6)


@pytest.mark.parametrize(("argv", "says"), [
    (["meet", "serve", "--feed", "ws://127.0.0.1:8765/"], "--feed is for the browsers: add --web"),
    (["meet", "serve", "--web", "--feed", "ws://127.0.0.1:8765/", "--feed-token", "has space"], "--feed-token"),
    (["meet", "serve", "--web", "--feed", "http://127.0.0.1:8765/"], "ws:// or wss://"),
])
def test_meet_serve_feed_mistakes_are_one_line(argv: list[str], says: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*argv, "--port", "0", "--secret-file", str(tmp_path / "s" / "meeting.secret")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and says in err and len(err.splitlines()) == 1 and "Traceback" not in err
