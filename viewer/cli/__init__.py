"""The `citiverse` command. Thin: parse arguments, call the typed functions of app/ (and the library), report;
errors become one clear line.

One module per command group (view.py: view, render, demo; inspect.py; tile.py; shadow.py; alerts.py;
feed.py; flythrough.py; meet.py), each with add_NAME(command) for its parser and run_NAME(args);
common.py holds the argument types and option groups they share. Panda3D and the loaders are imported inside
the commands that need them, so `citiverse --help` starts fast.

Rules:
1. A user mistake is caught as early as it can be known: by the argument types (numbers in range, an LoD,
   a port), then by check_inputs() before anything is loaded or a display is looked for (files that must
   exist, a feed that is a ws:// URL or a recording, output names, a CRS), then by the loaders. Each ends
   as one line "citiverse: error: ..." (or argparse's) and exit status 2, never a traceback.
2. Nothing answers a different question than the one asked: an option that does not apply is refused
   (--at without --feed), never ignored.
3. Only the project's own errors (viewer/errors.py) become that line: no `except ValueError` turns an
   unknown failure into a usage message (tests/test_cli_errors.py checks the package and app/).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from viewer import __version__
from viewer.cli.alerts import add_alerts, run_alerts
from viewer.cli.examples import EXAMPLES
from viewer.cli.feed import add_feed, run_feed
from viewer.cli.flythrough import add_flythrough, run_flythrough
from viewer.cli.inspect import add_inspect, run_inspect
from viewer.cli.meet import add_meet, run_meet
from viewer.cli.shadow import add_shadow, run_shadow
from viewer.cli.tile import add_tile, run_tile
from viewer.cli.view import add_demo, add_render, add_view, run_demo, run_render, run_view
from viewer.errors import CitiverseError

__all__ = ["COMMANDS", "build_parser", "main"]

# In the order `citiverse --help` lists them.
PARSERS = (add_view, add_render, add_inspect, add_demo, add_tile, add_shadow, add_alerts, add_feed, add_flythrough,
           add_meet)
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "view": run_view, "render": run_render, "inspect": run_inspect, "demo": run_demo, "feed": run_feed,
    "flythrough": run_flythrough, "meet": run_meet, "tile": run_tile, "alerts": run_alerts, "shadow": run_shadow}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citiverse", description="A 3D viewer for city digital twins.",
        epilog="Run `citiverse COMMAND --help` for the options and examples of each command.")
    parser.add_argument("--version", action="version", version=f"citiverse {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    for add in PARSERS:
        add(command)
    return parser


class _StderrLines(logging.Handler):
    """Each record as one line "citiverse: warning: ..." on the sys.stderr of the moment it is logged."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"citiverse: {record.levelname.lower()}: {record.getMessage()}", file=sys.stderr, flush=True)


def _warnings_to_stderr() -> None:
    """The library's warnings (a feed whose ids match nothing, a skipped geometry) as one line each on
    stderr; `feed` and `meet` set up their own logging. Once per process: main() may be called again."""
    root = logging.getLogger()
    if not any(isinstance(h, _StderrLines) for h in root.handlers):
        root.addHandler(_StderrLines(logging.WARNING))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in ("feed", "meet"):
        _warnings_to_stderr()
    from viewer.city.tuning import set_huge_page_advice

    set_huge_page_advice(False)  # bulk geometry loads 30-50% faster without it (see viewer/city/tuning.py)
    try:
        return COMMANDS[args.command](args)
    except CitiverseError as exc:
        print(f"citiverse: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
