"""The NGSI-LD notify endpoint takes the feed's token (or its own), binds where told, and says so at start.

A real NgsiSource HTTP endpoint and a real `citiverse feed serve --source ngsi` subprocess, on 127.0.0.1.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

from test_net_cli import PROJECT, _lines, _next_matching
from test_source_ngsi import VEHICLE_KEYVALUES, _post

from viewer.sources.ngsi import NgsiSource

NOTIFICATION = json.dumps({"type": "Notification", "data": [VEHICLE_KEYVALUES]}).encode()


def _bearer(token: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}


def test_a_token_is_required_before_the_body_is_used():
    """Without the token, or with a wrong one, a POST gets 401 and nothing reaches the twin; with it, 200."""
    source = NgsiSource(token="n0tify-s3cret")
    try:
        source.start()
        assert source.requires_token and source.url == f"http://127.0.0.1:{source.address[1]}/notify"
        for headers in (None, _bearer("wrong"), {"Authorization": "Basic bjBwZQ=="}, _bearer("")):
            assert _post(source.address, NOTIFICATION, headers=headers)[0] == 401
        assert not source.step().upserts
        status, answer = _post(source.address, NOTIFICATION, headers=_bearer("n0tify-s3cret"))
        assert status == 200 and answer["accepted"] == 1
        assert source.step().upserts["vehicle"].ids.tolist() == [VEHICLE_KEYVALUES["id"]]
    finally:
        source.close()


def test_feed_serve_on_every_interface_keeps_the_endpoint_on_loopback_and_behind_the_token(tmp_path):
    """`feed serve --host 0.0.0.0 --token T --source ngsi` prints the notify URL (on 127.0.0.1 by default)
    and that it requires a token; a POST without T is refused, one with T is accepted; --ngsi-token
    replaces T for the endpoint only."""
    for extra, token in (([], "feed-t0ken"), (["--ngsi-token", "own-t0ken"], "own-t0ken")):
        proc = subprocess.Popen(
            [sys.executable, "-m", "viewer.cli", "feed", "serve", "--source", "ngsi", "--host", "0.0.0.0",
             "--port", "0", "--ngsi-port", "0", "--token", "feed-t0ken", *extra],
            cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            lines = _lines(proc.stdout)
            found = _next_matching(lines, r"NGSI-LD notifications: POST http://([\d.]+):(\d+)/notify "
                                          r"\(bearer token required\)")
            address = (found.group(1), int(found.group(2)))
            assert address[0] == "127.0.0.1"
            assert _post(address, NOTIFICATION)[0] == 401
            if extra:
                assert _post(address, NOTIFICATION, headers=_bearer("feed-t0ken"))[0] == 401
            assert _post(address, NOTIFICATION, headers=_bearer(token))[0] == 200
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=15) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_an_open_endpoint_says_so(tmp_path):
    """Without any token the start-up line says that none is required."""
    proc = subprocess.Popen([sys.executable, "-m", "viewer.cli", "feed", "serve", "--source", "ngsi",
                             "--port", "0", "--ngsi-port", "0"],
                            cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _next_matching(_lines(proc.stdout), r"NGSI-LD notifications: POST http://127\.0\.0\.1:\d+/notify "
                                            r"\(no token required\)")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
