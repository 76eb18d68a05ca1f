"""Removals and mutes belong to the token until it expires and survive restarts; the secret's files are private.

Real meeting servers on 127.0.0.1, real clients, a real state file; the CLI's secret handling on real files.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from test_meeting_loopback import SECRET, Peer, token, wait_for
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from viewer.app.meet_cli import create_secret, read_secret, state_path
from viewer.cli import main
from viewer.meeting.messages import MeetingLimits, Mute, Notice, Remove, Say
from viewer.meeting.sanctions import Sanctions
from viewer.net.meeting_server import MeetingServer, ServerThread

SHORT_GRACE = {"ping_interval": 0.3, "ping_timeout": 0.5, "tick": 0.05,
               "limits": MeetingLimits(presence_timeout=5.0, resume_grace=0.3)}


@pytest.fixture
def peers():
    made: list[Peer] = []

    def make(url: str, tok: str) -> Peer:
        made.append(Peer(url, tok))
        return made[-1]
    yield make
    for peer in made:
        peer.client.stop()


def refused_status(url: str, tok: str) -> int | None:
    """The HTTP status a handshake with `tok` gets (None when it is accepted)."""
    try:
        with connect(url, additional_headers={"Authorization": f"Bearer {tok}"}, open_timeout=3):
            return None
    except InvalidStatus as exc:
        return exc.response.status_code


def test_a_removal_survives_a_server_restart(tmp_path, peers):
    """A guest removed by a host is refused (403) by the next server started with the same state file,
    which is private (0600) and names the token's identity."""
    state = tmp_path / "meeting.state.json"
    srv = ServerThread(SECRET, port=0, state_file=state, **SHORT_GRACE).start()
    try:
        host = peers(srv.url, token("alpha", "Host", "host")).live()
        tok = token("alpha", "Guest", jti="guest-token-001")
        guest = peers(srv.url, tok).live()
        wait_for(lambda: host.members())
        host.client.send(Remove(guest.id))
        wait_for(lambda: any(n.code == "removed" for n in guest.of(Notice)))
        assert refused_status(srv.url, tok) == 403
    finally:
        srv.stop()
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert b"guest-token-001" in state.read_bytes() and b"Guest" in state.read_bytes()
    with ServerThread(SECRET, port=0, state_file=state, **SHORT_GRACE) as again:
        assert refused_status(again.url, tok) == 403
        assert refused_status(again.url, token("alpha", "Guest")) is None  # another token of the same name


def test_a_mute_outlasts_the_resume_grace_and_a_restart(tmp_path, peers):
    """A muted guest who stays away past the resume grace comes back muted (with a new id), and so after a
    server restart; a host's unmute ends it."""
    state = tmp_path / "meeting.state.json"
    tok = token("alpha", "Guest", jti="muted-guest-001")
    with ServerThread(SECRET, port=0, state_file=state, **SHORT_GRACE) as srv:
        host = peers(srv.url, token("alpha", "Host", "host")).live()
        guest = peers(srv.url, tok).live()
        wait_for(lambda: host.members())
        host.client.send(Mute(guest.id, True))
        wait_for(lambda: guest.client.protocol.view.muted)
        guest.client.stop()
        # The grace is over: the server has seen the guest leave (not only "no reservation yet", which is also
        # true before it notices the close) and holds no reservation for a resume.
        wait_for(lambda: guest.id not in host.members()
                 and srv.call(lambda: not srv.server.hub.reservations), 5.0)
        back = peers(srv.url, tok).live()
        assert back.client.protocol.view.welcome.resumed is False
        wait_for(lambda: back.client.protocol.view.muted)
        back.client.send(Say("let me speak"))
        wait_for(lambda: any(n.code == "muted" for n in back.of(Notice)))
        back.client.stop()
    with ServerThread(SECRET, port=0, state_file=state, **SHORT_GRACE) as srv:
        host = peers(srv.url, token("alpha", "Host2", "host")).live()
        again = peers(srv.url, tok).live()
        wait_for(lambda: again.client.protocol.view.muted)
        wait_for(lambda: again.id in host.members())
        host.client.send(Mute(again.id, False))
        wait_for(lambda: not again.client.protocol.view.muted)
        wait_for(lambda: srv.call(lambda: len(srv.server.hub.sanctions)) == 0)
    assert Sanctions.from_bytes(state.read_bytes(), time.time()).entries == {}


def test_sanctions_end_with_the_token_and_stay_bounded():
    """A sanction is forgotten when its token expires; past max_entries the ones ending first give way;
    a state file with garbage rows keeps the good ones."""
    sanctions = Sanctions(max_entries=3)
    for i in range(5):
        sanctions.remove(f"jti-{i:08d}", f"n{i}", "alpha", exp=100.0 + i)
    assert sorted(sanctions.entries) == ["jti-00000002", "jti-00000003", "jti-00000004"]
    assert sanctions.removed("jti-00000004", 103.0) and not sanctions.removed("jti-00000004", 104.0)
    assert sanctions.expire(103.5) == 2 and list(sanctions.entries) == ["jti-00000004"]
    text = sanctions.to_bytes().replace(b'"sanctions": [', b'"sanctions": [7, {"jti": 1}, {"exp": NaN},', 1)
    assert list(Sanctions.from_bytes(text.replace(b"NaN", b"null"), 0.0).entries) == ["jti-00000004"]
    with pytest.raises(ValueError, match="not a"):
        Sanctions.from_bytes(b'{"sanctions": []}', 0.0)


def test_an_unreadable_state_file_stops_the_server_with_its_name(tmp_path, capsys):
    """`meet serve` with a state file that is not ours says so in one line (it does not start and forget
    the removals); so does MeetingServer."""
    secret = tmp_path / "meeting.secret"
    secret.write_text("a-test-secret-that-is-long-enough\n")
    secret.chmod(0o600)
    state_path(secret).write_text("not json")
    with pytest.raises(ValueError, match="meeting.state.json"):
        MeetingServer(SECRET, port=0, state_file=state_path(secret))
    assert main(["meet", "serve", "--port", "0", "--secret-file", str(secret)]) == 2
    err = capsys.readouterr().err
    assert "meeting.state.json" in err and "move it aside" in err and err.count("\n") == 1


def test_secret_folder_is_private_under_umask_000(tmp_path):
    """The folders created for a new secret are 0700 and the secret 0600, even with umask 000."""
    path = tmp_path / "config" / "citiverse" / "meeting.secret"
    old = os.umask(0)
    try:
        create_secret(path)
    finally:
        os.umask(old)
    for folder in (path.parent, path.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_secret_others_can_read_is_used_with_a_warning(tmp_path, capsys):
    """A 0644 secret works, with one warning on stderr naming the file and the fix; 0600 is silent."""
    path: Path = tmp_path / "meeting.secret"
    path.write_text("a-test-secret-that-is-long-enough\n")
    path.chmod(0o644)
    assert read_secret(path) == b"a-test-secret-that-is-long-enough"
    err = capsys.readouterr().err
    assert str(path) in err and "chmod 600" in err and err.count("\n") == 1
    path.chmod(0o600)
    read_secret(path)
    assert capsys.readouterr().err == ""
