"""A live feed whose first connection cannot work says why at once: a closed port, a token refused (401), and
a wss:// server whose self-signed certificate the client was not given. Real servers on 127.0.0.1.

The checks are on behaviour (the reason given, instead of "no data from the feed within 20 s"); deadlines
only bound the waits.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_net_helpers import MovingSource

from viewer.app.live_feed import open_feed
from viewer.cli import main
from viewer.errors import PeerError
from viewer.net.auth import server_ssl_context
from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import ServerOptions
from viewer.net.server_thread import ServerThread

PROJECT = Path(__file__).resolve().parents[1]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True, timeout=30)
    return cert, key


@pytest.fixture
def token_server(monkeypatch) -> Iterator[ServerThread]:
    # The server runs in the test's process: its own log line about the refused token belongs to a server's
    # terminal, not to the one-line error the client's user reads.
    monkeypatch.setattr(logging.getLogger("viewer.net.feed_server"), "propagate", False)
    with ServerThread(MovingSource(steps=None), ServerOptions(port=0, token="right-t0ken")) as server:
        yield server


@pytest.fixture
def tls_server(certificate) -> Iterator[ServerThread]:
    cert, key = certificate
    with ServerThread(MovingSource(steps=None), ServerOptions(port=0, ssl=server_ssl_context(cert, key))) as server:
        yield server


def _failure_of(url: str, **options) -> str | None:
    client = FeedClient(url, **options).start()
    try:
        return client.first_failure(10.0)
    finally:
        client.stop()


def test_first_failure_names_a_closed_port_a_refused_token_and_an_untrusted_certificate(token_server, tls_server,
                                                                                        certificate):
    """Each of the three is a reason retrying cannot cure, given after the first attempt; the working
    connections (right token, the CA given) report none."""
    refused = _failure_of(f"ws://127.0.0.1:{closed_port()}/")
    assert refused is not None and "connection refused" in refused
    wrong = _failure_of(token_server.url, token="wrong-t0ken")
    assert wrong is not None and "401" in wrong and "token" in wrong
    untrusted = _failure_of(tls_server.url)
    assert untrusted is not None and "certificate" in untrusted and "--cafile" in untrusted
    plain_to_tls = _failure_of(tls_server.url.replace("wss://", "ws://"))
    assert plain_to_tls is not None and "wss://" in plain_to_tls
    assert _failure_of(token_server.url, token="right-t0ken") is None
    assert _failure_of(tls_server.url, cafile=certificate[0]) is None


def test_open_feed_raises_the_reason_instead_of_returning_a_client_that_waits(token_server):
    """open_feed() (what `render --feed` and `view --feed` use) raises PeerError naming the URL and why."""
    with pytest.raises(PeerError, match="connection refused") as info:
        open_feed(f"ws://127.0.0.1:{closed_port()}/")
    assert info.value.peer.startswith("ws://127.0.0.1:")
    with pytest.raises(PeerError, match="401"):
        open_feed(token_server.url, token="wrong-t0ken")
    client = open_feed(token_server.url, token="right-t0ken")
    try:
        assert isinstance(client, FeedClient)
    finally:
        client.stop()


@pytest.mark.parametrize("case", ["closed port", "wrong token", "untrusted certificate"])
def test_render_with_a_feed_that_cannot_connect_says_why_in_one_line(case, token_server, tls_server, tmp_path,
                                                                      capsys, offscreen_gl):
    """`citiverse render --feed URL` fails with one line giving the reason, not a 20 s wait for data."""
    url, extra, words = {
        "closed port": (f"ws://127.0.0.1:{closed_port()}/", [], ["connection refused"]),
        "wrong token": (token_server.url, ["--feed-token", "wrong-t0ken"], ["401", "token"]),
        "untrusted certificate": (tls_server.url, [], ["certificate", "--cafile"]),
    }[case]
    out = tmp_path / "x.png"
    code = main(["-q", "render", str(PROJECT / "scenes" / "demo.toml"), "--size", "160x90", "--out", str(out),
                 "--feed", url, *extra])
    err = capsys.readouterr().err
    assert code != 0 and not out.exists(), err
    assert all(w in err for w in words) and "within 20 s" not in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
