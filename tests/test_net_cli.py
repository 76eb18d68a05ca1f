"""`citiverse feed serve` as a subprocess: a client reaches the demo feed; Ctrl-C stops it cleanly."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from test_net_helpers import Mirror, wait_for

from viewer.cli import build_parser
from viewer.net.feed_client import FeedClient

PROJECT = Path(__file__).resolve().parents[1]
TINY_SCENE = """[scene]
name = "tiny demo"
crs = "EPSG:7415"
origin = [92540.0, 437500.0]

[[sources]]
format = "procedural"
seed = 3
size = 150
"""


def _lines(stream) -> queue.Queue:
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    return lines


def _next_matching(lines: queue.Queue, pattern: str, timeout: float = 30.0) -> re.Match:
    seen = []
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line matching {pattern!r}; got {seen}") from None
        seen.append(line)
        if match := re.search(pattern, line):
            return match


def test_feed_serve_demo_is_reached_by_a_client_and_stops_on_ctrl_c(tmp_path):
    """The command prints its URL; a client gets the demo's vehicles, roads and buildings; connect, status and
    disconnect lines are printed; SIGINT ends it with status 0."""
    scene = tmp_path / "tiny.toml"
    scene.write_text(TINY_SCENE)
    proc = subprocess.Popen([sys.executable, "-m", "viewer.cli", "feed", "serve", "--scene", str(scene),
                             "--source", "demo", "--vehicles", "300", "--port", "0", "--status-every", "0.3"],
                            cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = _lines(proc.stdout)
        url = _next_matching(lines, r"serving demo \(vehicle, road, building; positions in EPSG:7415\) at (ws://\S+/)")
        with FeedClient(url.group(1)) as client:
            mirror = Mirror(client)
            wait_for(lambda: mirror.pump().count()["vehicle"] == 300 and mirror.updates > 3, 15, "demo data")
            assert client.hello.crs == "EPSG:7415" and mirror.twin.count()["building"] > 0
            _next_matching(lines, r"client 127\.0\.0\.1:\d+ connected")
            _next_matching(lines, r"status: source running, t=\d+.*300 vehicle.*1 clients")
        _next_matching(lines, r"client 127\.0\.0\.1:\d+ disconnected after .*\(close 1000")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
        _next_matching(lines, r"^stopped")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_feed_serve_with_a_missing_option_fails_with_one_line():
    """`--source replay` without --file: exit status 2 and one error line naming the option."""
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "feed", "serve", "--source", "replay", "--port", "0"],
                         cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and run.stderr.strip() == "citiverse: error: --source replay needs --file"


def test_feed_help_has_examples():
    """`feed serve --help` and `feed record --help` end with runnable examples."""
    parser = build_parser()
    feed = next(a for a in parser._subparsers._group_actions if a.dest == "command").choices["feed"]
    subs = next(a for a in feed._subparsers._group_actions if a.dest == "feed_command").choices
    for name in ("serve", "record"):
        assert subs[name].epilog.startswith("examples:\n  citiverse feed " + name)


def test_feed_record_from_a_source_writes_a_replayable_deterministic_recording(tmp_path, capsys):
    """`feed record --source demo` writes its clock's first 3 s without a server; the file replays from the
    given start with every vehicle, and a second run holds the same messages."""
    import gzip

    from viewer.cli import main
    from viewer.sources.replay import ReplaySource

    outs = [tmp_path / "a.feed.jsonl.gz", tmp_path / "b.feed.jsonl.gz"]
    for out in outs:
        assert main(["feed", "record", "--source", "demo", "--scene", str(PROJECT / "scenes" / "demo.toml"),
                     "--start", "2024-03-12T07:00", "--duration", "3", "--vehicles", "120", "--out", str(out)]) == 0
        assert f"wrote {out}" in capsys.readouterr().out
    replay = ReplaySource(outs[0])
    first = replay.start()
    assert first.time == 1_710_226_800.0 and len(first.upserts["vehicle"].ids) == 120
    times = []
    while (update := replay.step()) is not None:
        times.append(update.time)
    assert 1_710_226_802.5 <= times[-1] <= 1_710_226_803.0
    texts = [gzip.decompress(out.read_bytes()).split(b"\n", 1)[1] for out in outs]  # after the header line
    assert texts[0] == texts[1]


def test_feed_record_needs_a_url_or_a_source_and_demo_needs_a_duration(tmp_path, capsys):
    """Neither a URL nor --source, or an endless demo with no --duration, fails with one line and no file."""
    from viewer.cli import main

    out = tmp_path / "x.feed.jsonl.gz"
    assert main(["feed", "record", "--out", str(out)]) == 2
    assert "URL or --source" in capsys.readouterr().err
    assert main(["feed", "record", "--source", "demo", "--scene", str(PROJECT / "scenes" / "demo.toml"),
                 "--out", str(out)]) == 2
    assert "--duration" in capsys.readouterr().err
    assert not out.exists()
