"""One exception tree for user errors end to end (issue 15, "The app reshaped").

Only the project's own errors (viewer/errors.py) become a usage line. An `except ValueError` in the command
paths (viewer/cli/, viewer/app/) that turns into one (a raise of an ...Error, argparse's ArgumentTypeError, or a
print to stderr) could hide a bug as a usage message, so each is allowed only when its except line says why:
"plain parse of ..." (int(), float(), fromisoformat() of the user's own text or file, nothing of ours inside)
or "documented: ..." (a lower module, named, that says a user's mistake with a plain ValueError).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.errors import CitiverseError, ConfigError, UsageError

PROJECT = Path(__file__).resolve().parents[1]
COMMAND_PATHS = ("viewer/cli", "viewer/app")
ALLOWED = ("# plain parse of", "# documented:")


def _catches_value_error(handler: ast.ExceptHandler) -> bool:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(k, ast.Name) and k.id == "ValueError" for k in kinds)


def _reports_usage(handler: ast.ExceptHandler) -> bool:
    """The handler raises an ...Error (or argparse's ArgumentTypeError) or prints to stderr."""
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name.endswith("Error"):
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            if any(k.arg == "file" for k in node.keywords):
                return True
    return False


def usage_value_errors() -> list[str]:
    """file:line of every `except ValueError` in the command paths turned into a usage message, not allowed."""
    found = []
    for folder in COMMAND_PATHS:
        for path in sorted((PROJECT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            lines = text.splitlines()
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.ExceptHandler) and node.type is not None and _catches_value_error(node):
                    if _reports_usage(node) and not any(a in lines[node.lineno - 1] for a in ALLOWED):
                        found.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_no_value_error_becomes_a_usage_message():
    """Fails on the broad `except (ValueError, OSError)` of the old `feed` dispatch and `except ValueError` of
    `meet`, and on any new one."""
    assert usage_value_errors() == []


def test_the_checker_sees_a_broad_catch(tmp_path, monkeypatch):
    """The checker itself: a catch-all turned into a usage line is reported, a marked plain parse is not."""
    folder = tmp_path / "viewer" / "cli"
    folder.mkdir(parents=True)
    (tmp_path / "viewer" / "app").mkdir()
    (folder / "x.py").write_text(
        "def run(args):\n    try:\n        return work(args)\n    except (ValueError, OSError) as exc:\n"
        "        raise UsageError(str(exc)) from None\n\n\n"
        "def port(text):\n    try:\n        return int(text)\n    except ValueError:  # plain parse of the user's text\n"
        "        raise ArgumentTypeError(text) from None\n")
    monkeypatch.setattr(sys.modules[__name__], "PROJECT", tmp_path)
    assert usage_value_errors() == ["viewer/cli/x.py:4: except (ValueError, OSError) as exc:"]


def test_sun_times_are_config_errors_naming_the_option():
    """geo/sun.py's parsers raise the project's own error at the source (the CLI no longer re-wraps them)."""
    from viewer.geo.sun import parse_clock, parse_step, parse_time

    for parse, text, option in ((parse_time, "noon", "--time"), (parse_clock, "25:99", "--from"),
                                (parse_step, "0s", "--step")):
        with pytest.raises(ConfigError) as caught:
            parse(text, option)
        assert str(caught.value).startswith(f"{option}: {text!r} ")


def test_tokens_and_broker_urls_are_usage_errors():
    from viewer.net.auth import check_token
    from viewer.net.bus_feed import parse_bus_feed
    from viewer.net.feed_client import split_urls
    from viewer.sources.mqtt import parse_broker

    for call in (lambda: check_token("a b"), lambda: split_urls("http://x/"), lambda: parse_broker("tcp://x"),
                 lambda: parse_bus_feed("nats://h:4222?subject=bad name")):
        with pytest.raises(UsageError):
            call()
    assert issubclass(UsageError, CitiverseError) and issubclass(UsageError, ValueError)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer.cli", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def test_the_same_lines_as_before(tmp_path):
    """The messages did not change: one line each, exit 2, no traceback."""
    scene = PROJECT / "scenes" / "demo.toml"
    run = _cli("render", str(scene), "--out", str(tmp_path / "x.png"), "--time", "noon", cwd=tmp_path)
    assert run.returncode == 2 and run.stderr == (
        "citiverse: error: --time: 'noon' is not an ISO 8601 date and time (e.g. 2026-06-21T15:00+02:00)\n")
    secret = tmp_path / "s.secret"
    secret.write_text("a-test-secret-that-is-long-enough\n")
    secret.chmod(0o600)
    run = _cli("meet", "token", "--room", "r", "--name", "A", "--role", "host", "--ttl", "-1",
               "--secret-file", str(secret), cwd=tmp_path)
    assert run.returncode == 2 and run.stderr.startswith("citiverse meet: error: ttl must be between 0 and ")
    assert run.stderr.count("\n") == 1 and run.stdout == ""
    run = _cli("meet", "token", "--room", "r", "--name", "A", "--role", "host", "--link", "ftp://x",
               "--secret-file", str(secret), cwd=tmp_path)
    assert run.returncode == 2 and run.stderr == ("citiverse meet: error: --link 'ftp://x': give the server's base "
                                                  "URL, e.g. http://127.0.0.1:8767\n")
    run = _cli("feed", "serve", "--source", "mqtt", "--broker", "tcp://x", "--mapping", str(secret), cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().endswith("--broker: an MQTT broker URL is mqtt://HOST[:PORT], got 'tcp://x'")
