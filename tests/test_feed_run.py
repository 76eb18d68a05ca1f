"""app/feed_run.py: the feed's event loops as typed functions (the cli only parses and reports). A real server
on loopback serves the demo, a real recorder records it, and Ctrl-C (a real SIGINT) stops the server."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

from viewer.app.feed_run import record_feed, serve_feed
from viewer.city.demo import demo_scene
from viewer.net.feed_server import ServerOptions
from viewer.sources.demo import DemoSource
from viewer.sources.replay import read_header, recorded_messages


def test_serve_until_ctrl_c_while_a_recorder_records_it(tmp_path: Path) -> None:
    source = DemoSource.from_scene(demo_scene(buildings=200), vehicles=50, start_time=1.7e9)
    out = tmp_path / "run.feed.jsonl.gz"
    lines: list[str] = []
    done: dict[str, object] = {}

    def record_then_interrupt(url: str) -> None:
        try:
            done["recorder"], done["stopped"] = record_feed(url, out, lines.append, duration=1.0)
        finally:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, as a user stops `citiverse feed serve`

    def ready(server) -> None:
        done["url"] = server.url
        threading.Thread(target=record_then_interrupt, args=(server.url,), daemon=True).start()

    stopped = serve_feed(source, ServerOptions(port=0), lines.append, on_ready=ready)
    assert stopped is True  # Ctrl-C returns normally: the cli says "stopped" and exits 0
    assert str(done["url"]).startswith("ws://127.0.0.1:")
    recorder = done["recorder"]
    assert done["stopped"] is False  # the recording ended by its duration, not by Ctrl-C
    assert recorder.writer is not None and recorder.messages > 0
    assert read_header(out)["url"] == done["url"]
    first = next(recorded_messages(out))[2]
    assert '"hello"' in (first if isinstance(first, str) else first.decode("latin-1"))


def test_the_feed_command_runs_no_event_loop_itself() -> None:
    """The cli parses and reports (DESIGN: cli/ has no engine code): asyncio lives in app/feed_run.py."""
    import ast

    import viewer.cli.feed as cli_feed

    tree = ast.parse(Path(cli_feed.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in node.names} | {node.module for node in ast.walk(tree)
                                            if isinstance(node, ast.ImportFrom) and node.module}
    assert "asyncio" not in imported
    assert not any(isinstance(node, ast.AsyncFunctionDef) for node in ast.walk(tree))
