"""The commands over recorded meetings: `meet replay`, `meet minutes` and `flythrough render --meeting`.

viewer/cli.py (and app/flythrough_cli.py for the video) parse the arguments and call these.

Rules:
1. The log is read whole and checked first (meeting/log.py): a hostile or truncated log is one line naming
   the file and the line, before any scene loads or window opens.
2. A participant is named by name or #id; an unknown or ambiguous one is a ConfigError listing who was
   there. The video's camera is exactly one of --follow, --eyes, --path.
3. stdout gets one line naming what was written; the rest goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError
from viewer.meeting.log import read_log
from viewer.meeting.replay import MeetingTimeline


def participant(timeline: MeetingTimeline, name: str, option: str) -> int:
    """The id of participant `name` (rule 2)."""
    try:
        return timeline.find(name)
    except ValueError as exc:
        raise ConfigError(option, "", str(exc)) from None


def run_log_command(args: argparse.Namespace, load: Callable[[Path], Any]) -> int:
    """`meet replay` / `meet minutes` (rules 1-3); load(path) loads a scene."""
    timeline = MeetingTimeline(read_log(args.log))
    if args.meet_command == "minutes":
        from viewer.app.meeting_minutes import FORMATS, write_minutes

        if args.out.suffix.lower() not in FORMATS:
            raise ConfigError(args.out, "", "the minutes are written as .md (Markdown) or .html")
        scene = load(args.scene) if args.scene else None
        out = write_minutes(timeline, args.out, scene, clips=args.clips)
        print(f"wrote the minutes of {timeline.log.room} ({len(timeline.stays())} attendances, "
              f"{len(timeline.pointings())} pointings) to {out}")
        return 0
    from viewer.app.meet_replay import run_replay

    follow = participant(timeline, args.follow, "--follow") if args.follow else None
    eyes = participant(timeline, args.eyes, "--eyes") if args.eyes else None
    scene = load(args.scene) if args.scene else None
    run_replay(timeline, scene, start=args.start, follow=follow, eyes=eyes)
    return 0


def render_meeting_command(args: argparse.Namespace, load: Callable[[], Any],
                           find_path: Callable[[Path, str], Any]) -> int:
    """`flythrough render SCENE --meeting LOG (--follow NAME | --eyes NAME | --path P) --out x.mp4`."""
    from viewer.app.flythrough_cli import paths_file, summary
    from viewer.app.live import LiveOptions
    from viewer.app.meeting_render import Shot, render_meeting
    from viewer.app.video import ProgressLine

    chosen = [o for o in ("follow", "eyes", "path") if getattr(args, o, None)]
    if len(chosen) != 1:
        raise ConfigError("--meeting", "", "film it with exactly one of --follow NAME, --eyes NAME, --path P")
    timeline = MeetingTimeline(read_log(args.meeting))
    mode = chosen[0]
    shot = (Shot("path", path=find_path(paths_file(args), args.path)) if mode == "path"
            else Shot(mode, who=participant(timeline, getattr(args, mode), f"--{mode}")))
    if args.feed is None and timeline.log.feed is not None and not _feed_exists(timeline):
        print(f"citiverse: warning: the meeting's feed {timeline.log.feed} is not here: rendering without it "
              f"(--feed RECORDING gives one)", file=sys.stderr)
    progress = None if args.quiet else ProgressLine(f"meeting {timeline.log.room}")
    result = render_meeting(load(), timeline, shot, args.out, size=args.size, fps=args.fps, feed=args.feed,
                            options=LiveOptions.from_cli(args.layers, status_line=args.status_line or None),
                            multisamples=args.multisamples, progress=progress, crf=args.crf)
    print(summary(result))
    return 0


def _feed_exists(timeline: MeetingTimeline) -> bool:
    path = timeline.log.feed_path
    return path is not None and path.is_file()
