"""The meeting server's web side (net/web_assets.py, meeting_server.py rule 8) over real loopback HTTP:
room pages, the bundle, tiles and scene.json on the websocket port, nothing outside their folders, the
websocket unchanged beside them, https/wss with a certificate; `meet token --link`; the local<->ENU maps."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from websockets.sync.client import connect

from viewer.app.meet_cli import room_link
from viewer.cli import main
from viewer.geo.frame import LocalFrame
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_server import ServerThread
from viewer.net.web_assets import WebSite, apply_map, cache_key, scene_info
from viewer.tiles.write_place import Placement

SECRET = b"web-server-test-secret-0123456789"


@pytest.fixture
def tiles(tmp_path: Path) -> Path:
    folder = tmp_path / "tiles"
    (folder / "tiles").mkdir(parents=True)
    (folder / "tileset.json").write_text('{"asset": {"version": "1.1"}}')
    (folder / "tiles" / "r.glb").write_bytes(b"glTF" + bytes(16))
    (folder / "scene.json").write_text('{"name": "t"}')
    (tmp_path / "secret.txt").write_text("do not serve")
    return folder


def get(url: str, context: ssl.SSLContext | None = None) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_pages_bundle_and_tiles_beside_the_websocket(tiles: Path) -> None:
    """GETs get the page, bundle, tiles and scene.json; a websocket with a token joins on the same port."""
    with ServerThread(SECRET, port=0, web=WebSite(tiles=tiles)) as server:
        base = f"http://127.0.0.1:{server.server.port}"  # type: ignore[union-attr]
        status, headers, body = get(base + "/rooms/delft/")
        assert status == 200 and b"/static/app.js" in body and headers["Content-Type"].startswith("text/html")
        status, headers, _ = get(base + "/rooms/delft")
        assert status == 301 and headers["Location"] == "/rooms/delft/"
        status, headers, body = get(base + "/static/app.js")
        assert status == 200 and len(body) > 100_000 and "javascript" in headers["Content-Type"]
        assert get(base + "/tiles/tiles/r.glb")[1]["Content-Type"] == "model/gltf-binary"
        assert json.loads(get(base + "/tiles/tileset.json")[2])["asset"]["version"] == "1.1"
        assert json.loads(get(base + "/scene.json")[2]) == {"name": "t"}
        token = issue_token(SECRET, "delft", "Ana", "host", 600, time.time())
        with connect(f"ws://127.0.0.1:{server.server.port}/delft?token={token}") as ws:  # type: ignore[union-attr]
            assert json.loads(ws.recv(timeout=5))["type"] == "welcome"


@pytest.mark.parametrize("path", ["/tiles/../secret.txt", "/tiles/%2e%2e/secret.txt", "/static/../web_assets.py",
                                  "/tiles/tiles/../../secret.txt", "/rooms/../", "/rooms/-bad/", "/nothing",
                                  "/tiles/", "/static/.hidden", "/"])
def test_nothing_outside_the_folders_is_served(tiles: Path, path: str) -> None:
    """Paths that climb out of a folder, or name nothing served, are 404 and never read the file."""
    with ServerThread(SECRET, port=0, web=WebSite(tiles=tiles)) as server:
        status, _, body = get(f"http://127.0.0.1:{server.server.port}{path}")  # type: ignore[union-attr]
        assert status == 404 and b"do not serve" not in body


def test_links_from_the_cli(tmp_path: Path, capsys) -> None:
    """`meet token --link BASE` prints only BASE/rooms/ROOM/#token=T; a base that is no http(s) URL is one line."""
    secret = tmp_path / "s.secret"
    secret.write_text("x" * 40)
    secret.chmod(0o600)
    assert main(["meet", "token", "--room", "delft", "--name", "Bo", "--role", "guest", "--secret-file", str(secret),
                 "--link", "https://meet.example.org:8767/"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("https://meet.example.org:8767/rooms/delft/#token=")
    assert room_link("http://h:1", "r", "T") == "http://h:1/rooms/r/#token=T"
    assert main(["meet", "token", "--room", "delft", "--name", "Bo", "--role", "guest", "--secret-file", str(secret),
                 "--link", "meet.example.org"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "--link" in captured.err


def test_scene_without_web_and_cert_without_key_are_one_line_errors(tmp_path: Path, capsys) -> None:
    """--scene needs --web; --cert needs --key: one line on stderr, exit 2, before listening."""
    secret = tmp_path / "s.secret"
    assert main(["meet", "serve", "--port", "0", "--secret-file", str(secret), "--scene", "scenes/demo.toml"]) == 2
    assert "--web" in capsys.readouterr().err
    assert main(["meet", "serve", "--port", "0", "--secret-file", str(secret), "--cert", "c.pem"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--key" in err


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed to make a certificate")
def test_https_and_wss_with_a_certificate(tiles: Path, tmp_path: Path) -> None:
    """With a certificate the page comes over https:// and the meeting over wss:// on one port."""
    from viewer.net.auth import server_ssl_context

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    client = ssl.create_default_context(cafile=str(cert))
    with ServerThread(SECRET, port=0, web=WebSite(tiles=tiles), ssl=server_ssl_context(cert, key)) as server:
        assert server.url.startswith("wss://")
        port = server.server.port  # type: ignore[union-attr]
        status, _, body = get(f"https://127.0.0.1:{port}/rooms/delft/", client)
        assert status == 200 and b"app.js" in body
        token = issue_token(SECRET, "delft", "Ana", "host", 600, time.time())
        with connect(f"wss://127.0.0.1:{port}/delft?token={token}", ssl=client) as ws:
            assert json.loads(ws.recv(timeout=5))["type"] == "welcome"


def test_local_enu_maps_agree_with_pyproj() -> None:
    """scene.json's quadratic maps put local metres where pyproj puts them, both ways, within a millimetre,
    across a 4 km city in RD New (grid convergence and the earth's curvature included)."""
    frame = LocalFrame("EPSG:7415", (84000.0, 447000.0, 0.0))
    lo, hi = np.array([-2000.0, -2000.0, 0.0]), np.array([2000.0, 2000.0, 200.0])
    info = scene_info(frame, lo, hi, "delft")
    rng = np.random.default_rng(1)
    local = lo + rng.random((200, 3)) * (hi - lo)
    enu = Placement(frame).to_enu_exact(local)
    assert np.abs(enu[:, :2] - local[:, :2]).max() > 1.0  # the maps do real work here
    assert np.abs(apply_map(info["local_to_enu"], local) - enu).max() < 0.001
    assert np.abs(apply_map(info["enu_to_local"], enu) - local).max() < 0.001


def test_cache_key_follows_the_scene_files(tmp_path: Path) -> None:
    """The tiles' cache key changes when the scene or one of its sources changes, not otherwise."""
    scene, source = tmp_path / "s.toml", tmp_path / "city.json"
    scene.write_text("a")
    source.write_text("b")
    first = cache_key(scene, [source])
    assert cache_key(scene, [source]) == first
    source.write_text("bb")
    assert cache_key(scene, [source]) != first
