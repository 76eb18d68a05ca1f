"""`citiverse alerts SCENE --feed RECORDING`: the alert log of a scene's [[rules]] over a recorded feed.

Rules:
1. The log (text, or CSV with --csv) goes to stdout or --out; warnings about the recording to stderr.
2. Exit 1 when --fail-on SEVERITY is given and an alert that severe or worse was raised (for a city's CI).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viewer.cli.common import check_inputs
from viewer.cli.examples import Command
from viewer.errors import ConfigError


def add_alerts(command: Command) -> None:
    p = command("alerts", "Print the alert log of a scene's [[rules]] over a recorded feed, "
                          "without a window (docs/rules.md): text or CSV.")
    p.add_argument("scene", type=Path, help="scene .toml with [[rules]]")
    p.add_argument("--feed", required=True, metavar="RECORDING", help="a feed recording (`citiverse feed record`)")
    p.add_argument("--from", dest="start", metavar="TIME", help="report from this feed time: +SECONDS from the "
                                                                "start, ISO 8601 or epoch (default: the start)")
    p.add_argument("--to", dest="end", metavar="TIME", help="report up to this feed time (default: the end)")
    p.add_argument("--csv", action="store_true", help="CSV (time,utc,event,rule,severity,kind,id,value)")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    p.add_argument("--fail-on", choices=("info", "warning", "critical"), metavar="SEVERITY",
                   help="exit 1 when an alert of this severity (info, warning, critical) or higher was raised")


def run_alerts(args: argparse.Namespace) -> int:
    check_inputs(args)
    from viewer.api import replay_alerts
    from viewer.config import load_scene
    from viewer.layers.rules_log import as_csv, as_text
    from viewer.rules_config import SEVERITIES

    if args.scene.suffix.lower() != ".toml":
        raise ConfigError(args.scene, "", "alerts reads the [[rules]] of a scene file (.toml), not a model")
    config = load_scene(args.scene)
    if not config.rules:
        raise ConfigError(args.scene, "rules", "the scene has no [[rules]]: nothing to alert on (docs/rules.md)")
    report = replay_alerts(config.rules, args.feed, args.start, args.end)
    text = as_csv(report.events) if args.csv else as_text(report.events, report.active)
    if args.out is not None:
        try:
            args.out.write_text(text)
        except OSError as exc:
            raise ConfigError(f"--out {args.out}", "", f"cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    for error in report.errors:
        print(f"citiverse: warning: {error}", file=sys.stderr)
    worst = max((SEVERITIES.index(e.severity) for e in report.events if e.event == "raised"), default=-1)
    return 1 if args.fail_on is not None and worst >= SEVERITIES.index(args.fail_on) else 0
