"""`citiverse meet minutes LOG --out minutes.md|.html [--scene S] [--clips]`: the minutes of a recorded meeting
with a still of each pointing moment, and on request a short video of each.

Rules:
1. The document is meeting/minutes.py's; this module adds the media. Stills and clips go to a folder beside
   the document named after it (`minutes.md` -> `minutes_files/`), referenced relatively, so the folder
   and the document move together.
2. Stills and clips need the scene (--scene): without one the minutes say so and carry no media, and the
   objects pointed at are not named (only the points).
3. A still looks at the whole pointer from its side (meeting_render.pointing_camera) a moment after it was
   set; a clip is CLIP_BEFORE + CLIP_AFTER seconds through the pointing participant's eyes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from viewer.errors import ConfigError
from viewer.meeting.minutes import build_minutes, object_resolver, to_html, to_markdown, with_media
from viewer.meeting.replay import MeetingTimeline

FORMATS = {".md": to_markdown, ".html": to_html, ".htm": to_html}
CLIP_BEFORE, CLIP_AFTER = 1.0, 3.0
STILL_SIZE = (960, 540)
CLIP_SIZE = (640, 360)


def write_minutes(timeline: MeetingTimeline, out: Path, scene: Any = None, clips: bool = False,
                  fps: float = 15.0) -> Path:
    """Write the minutes (rules 1-3); ConfigError for an output that is neither .md nor .html."""
    write = FORMATS.get(out.suffix.lower())
    if write is None:
        raise ConfigError(out, "", "the minutes are written as .md (Markdown) or .html")
    resolve = object_resolver(scene.model.objects, scene.model.vertices, scene.model.vertex_object) if scene else None
    minutes = build_minutes(timeline, resolve)
    if scene is None:
        minutes.notes.append("No scene was given (--scene): no stills, and the objects pointed at are not named.")
    elif minutes.pointings:
        media = out.with_name(out.stem + "_files")
        media.mkdir(parents=True, exist_ok=True)
        images = _stills(scene, timeline, minutes, media, out.parent)
        videos = _clips(scene, timeline, minutes, media, out.parent, fps) if clips else {}
        minutes = with_media(minutes, images, videos)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(write(minutes), encoding="utf-8")
    return out


def _stills(scene: Any, timeline: MeetingTimeline, minutes: Any, media: Path, root: Path) -> dict[int, str]:
    from viewer.app.headless import write_png
    from viewer.app.meeting_render import meeting_stills, pointing_camera

    shots = [(p.t + 0.05, *pointing_camera(p.origin, p.target)) for p in minutes.pointings]
    images = meeting_stills(scene, timeline, shots, size=STILL_SIZE)
    names = {}
    for k, image in enumerate(images):
        path = write_png(image, media / f"pointing-{k + 1}.png")
        names[k] = path.relative_to(root).as_posix()
    return names


def _clips(scene: Any, timeline: MeetingTimeline, minutes: Any, media: Path, root: Path, fps: float) -> dict[int, str]:
    from viewer.app.meeting_render import Shot, render_meeting

    names = {}
    for k, p in enumerate(minutes.pointings):
        path = media / f"pointing-{k + 1}.mp4"
        render_meeting(scene, timeline, Shot("eyes", who=p.pid), path, size=CLIP_SIZE, fps=fps,
                       begin=p.t - CLIP_BEFORE, end=p.t + CLIP_AFTER)
        names[k] = path.relative_to(root).as_posix()
    return names
