"""`citiverse meet serve` and `citiverse meet token` end to end, and the purity of viewer/meeting."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.meeting.tokens import verify_token

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture
def secret_file(tmp_path) -> Path:
    path = tmp_path / "meeting.secret"
    path.write_text("a-test-secret-that-is-long-enough\n")
    path.chmod(0o600)  # a secret others may read is used with a warning (test_meeting_persist.py)
    return path


def test_token_prints_only_a_verifiable_token(secret_file, capsys):
    """`meet token` prints one line: a token for the room, name and role, signed with the file's secret."""
    assert main(["meet", "token", "--room", "delft", "--name", "Ana", "--role", "host", "--ttl", "60",
                 "--secret-file", str(secret_file)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    claims = verify_token(b"a-test-secret-that-is-long-enough", out.strip(), time.time(), "delft")
    assert (claims.name, claims.role) == ("Ana", "host") and claims.exp <= time.time() + 60


@pytest.mark.parametrize("args, message", [
    (["--room", "delft", "--name", "Ana", "--role", "host", "--secret-file", "/nonexistent/secret"], "cannot read"),
    (["--room", "no spaces", "--name", "Ana", "--role", "host"], "room must be"),
    (["--room", "delft", "--name", "Ana", "--role", "host", "--ttl", "-5"], "ttl"),
])
def test_token_errors_are_one_line(secret_file, capsys, args, message):
    """A missing secret file, a bad room name or a bad ttl is one error line and exit status 2."""
    if "--secret-file" not in args:
        args = [*args, "--secret-file", str(secret_file)]
    assert main(["meet", "token", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_short_secret_is_refused(tmp_path, capsys):
    """A secret file with fewer than 16 bytes is refused."""
    short = tmp_path / "short"
    short.write_text("tiny")
    assert main(["meet", "token", "--room", "r", "--name", "A", "--role", "guest", "--secret-file", str(short)]) == 2
    assert "16" in capsys.readouterr().err


def test_help_has_examples():
    """`meet serve --help` and `meet token --help` end with examples."""
    for sub in ("serve", "token"):
        out = subprocess.run([sys.executable, "-m", "viewer.cli", "meet", sub, "--help"], capture_output=True,
                             text=True, cwd=PROJECT, timeout=60).stdout
        assert "examples:" in out and "citiverse meet" in out


def test_serve_creates_a_private_secret_and_accepts_its_tokens(tmp_path):
    """`meet serve` on a new secret file creates it (mode 0600), prints its URL, lets a `meet token` token
    join, and stops cleanly on Ctrl-C."""
    from viewer.meeting.protocol import LIVE
    from viewer.net.meeting_client import MeetingClient

    secret = tmp_path / "sub" / "meeting.secret"
    server = subprocess.Popen([sys.executable, "-m", "viewer.cli", "meet", "serve", "--port", "0",
                               "--secret-file", str(secret)], cwd=PROJECT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith("meeting server on ws://127.0.0.1:") and "new secret created" in line
        assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
        token = subprocess.run([sys.executable, "-m", "viewer.cli", "meet", "token", "--room", "delft", "--name",
                                "Ana", "--role", "host", "--secret-file", str(secret)], capture_output=True,
                               text=True, cwd=PROJECT, timeout=60).stdout.strip()
        client = MeetingClient(line.split()[3], token).start()
        try:
            deadline = time.monotonic() + 10
            while client.state != LIVE and time.monotonic() < deadline:
                time.sleep(0.02)
            assert client.state == LIVE and client.protocol.view.welcome.name == "Ana"
        finally:
            client.stop()
        server.send_signal(signal.SIGINT)
        assert server.wait(10) == 0
    finally:
        server.kill()
        server.wait()


def test_meeting_package_is_pure():
    """Importing every module of viewer.meeting loads no asyncio, websockets or Panda3D."""
    code = ("import pkgutil, importlib, sys, viewer.meeting as m\n"
            "for info in pkgutil.iter_modules(m.__path__): importlib.import_module(f'viewer.meeting.{info.name}')\n"
            "print(sorted({n.split('.')[0] for n in sys.modules} & {'asyncio', 'websockets', 'panda3d', 'direct'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
