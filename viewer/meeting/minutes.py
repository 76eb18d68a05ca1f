"""Minutes of a recorded meeting: who attended and when, the chat, each pointing with the object pointed at,
and the host's actions, as Markdown or HTML.

    minutes = build_minutes(timeline, resolve=object_resolver(model))   # resolve: optional
    text = to_markdown(minutes) / to_html(minutes)                        # images: Pointing.image / .clip

Rules:
1. Everything comes from the log (meeting/replay.py): times are server times, shown as UTC and as the time
   since the recording started. Nothing here reads a clock or renders: stills and clips are made by the
   app (app/meeting_minutes.py) and named in Pointing.image / Pointing.clip, relative to the document.
2. The object pointed at (object_resolver): of the scene's objects whose box, grown by REACH metres, holds
   the target, the smallest; none when no box does. Shown with its id, type and first MAX_ATTRIBUTES
   attributes (values cut to MAX_VALUE characters).
3. Text from the log is untrusted even though it passed the protocol's checks: HTML escapes every piece
   (html.escape), Markdown escapes the characters that would make markup (`|`, `*`, `_`, `[`, `<`...).
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from viewer.meeting.fields import Vec3
from viewer.meeting.messages import ChatLine, FeedTime, Following, LayerShown, Left, Muted, Recording
from viewer.meeting.replay import MeetingTimeline, Stay

REACH = 1.0  # metres a box is grown by when finding what a pointer touches
MAX_ATTRIBUTES = 12
MAX_VALUE = 80
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>])")


@dataclass(frozen=True)
class PointedObject:
    id: str
    type: str
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Pointing:
    """Participant `who` (a name) pointed at `target` at server time `t`."""

    t: float
    who: str
    pid: int
    origin: Vec3
    target: Vec3
    object: PointedObject | None = None
    image: str | None = None
    clip: str | None = None


@dataclass
class Minutes:
    room: str
    start: float
    end: float
    stays: list[Stay]
    chat: list[ChatLine]
    pointings: list[Pointing]
    actions: list[tuple[float, str]]  # (server time, what a host did)
    notes: list[str] = field(default_factory=list)


def build_minutes(timeline: MeetingTimeline, resolve: Callable[[Vec3], PointedObject | None] | None = None
                  ) -> Minutes:
    """The minutes of `timeline` (rules 1-2)."""
    pointings = [Pointing(t, timeline.name(pid), pid, ray.origin, ray.target,
                          resolve(ray.target) if resolve is not None else None)
                 for t, pid, ray in timeline.pointings()]
    chat = [line for line in timeline.moment(timeline.end).chat if line.time >= timeline.start - 1e-6]
    return Minutes(timeline.log.room, timeline.start, timeline.end, timeline.stays(), list(chat), pointings,
                   host_actions(timeline))


def host_actions(timeline: MeetingTimeline) -> list[tuple[float, str]]:
    """What hosts did, in order: follow me, layers, feed time, mutes, removals, recording."""
    out: list[tuple[float, str]] = []
    for entry in timeline.events:
        m, t = entry.message, entry.t
        if isinstance(m, Following):
            out.append((t, f"everyone follows {timeline.name(m.host)}" if m.host else "follow-me ended"))
        elif isinstance(m, LayerShown):
            out.append((t, f"{timeline.name(m.sender)} {'showed' if m.visible else 'hid'} layer {m.name}"))
        elif isinstance(m, FeedTime):
            shown = "live" if m.time is None else utc(m.time)
            out.append((t, f"{timeline.name(m.sender)} set the feed time to {shown}"))
        elif isinstance(m, Muted):
            verb = "muted" if m.muted else "unmuted"
            out.append((t, f"{timeline.name(m.sender)} {verb} {timeline.name(m.target)}"))
        elif isinstance(m, Left) and m.reason.startswith("removed from the room by"):
            out.append((t, f"{timeline.name(m.id)} was {m.reason}"))
        elif isinstance(m, Recording):
            out.append((t, f"{timeline.name(m.sender)} {'started' if m.on else 'stopped'} recording"))
    return out


def object_resolver(objects: Any, vertices: Any = None, vertex_object: Any = None
                    ) -> Callable[[Vec3], PointedObject | None]:
    """A function from a target point to the object it touches (rule 2), over a city ObjectTable (its
    bbox_min / bbox_max (n, 3), or boxes computed from vertices (v, 3) and vertex_object (v,))."""
    lo, hi = _boxes(objects, vertices, vertex_object)
    volume = np.prod(np.maximum(hi - lo, 0.01), axis=1)

    def resolve(target: Vec3) -> PointedObject | None:
        p = np.asarray(target, np.float64)
        inside = np.all((lo - REACH <= p) & (p <= hi + REACH), axis=1)
        if not inside.any():
            return None
        i = int(np.flatnonzero(inside)[np.argmin(volume[inside])])
        attributes = tuple((str(k)[:MAX_VALUE], _value(v)) for k, v in list(objects.attributes[i].items())[:MAX_ATTRIBUTES])
        return PointedObject(str(objects.ids[i]), str(objects.types[i]), attributes)
    return resolve


def _boxes(objects: Any, vertices: Any, vertex_object: Any) -> tuple[np.ndarray, np.ndarray]:
    n = len(objects.ids)
    if objects.bbox_min is not None and objects.bbox_max is not None:
        lo, hi = np.asarray(objects.bbox_min, np.float64), np.asarray(objects.bbox_max, np.float64)
        return np.where(np.isfinite(lo), lo, np.inf), np.where(np.isfinite(hi), hi, -np.inf)
    lo, hi = np.full((n, 3), np.inf), np.full((n, 3), -np.inf)
    if vertices is not None and len(vertices):
        owner = np.asarray(vertex_object)
        ok = (owner >= 0) & (owner < n)
        np.minimum.at(lo, owner[ok], np.asarray(vertices, np.float64)[ok])
        np.maximum.at(hi, owner[ok], np.asarray(vertices, np.float64)[ok])
    return lo, hi


def _value(v: Any) -> str:
    text = str(v)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def utc(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(t))


def since(t: float, start: float) -> str:
    s = max(0, int(round(t - start)))
    return f"+{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}"


def with_media(minutes: Minutes, images: dict[int, str], clips: dict[int, str]) -> Minutes:
    """The minutes with pointing k's still `images[k]` and clip `clips[k]` (paths relative to the document)."""
    return replace(minutes, pointings=[replace(p, image=images.get(k), clip=clips.get(k))
                                       for k, p in enumerate(minutes.pointings)])


# ---------------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(m: Minutes) -> str:
    """The minutes as Markdown (rule 3)."""
    lines = [f"# Meeting {_md(m.room)}", "", f"{utc(m.start)} to {utc(m.end)} ({since(m.end, m.start)[1:]})", ""]
    lines += [*(f"_{_md(n)}_" for n in m.notes), "", "## Attendance", "", "| who | role | from | to | left because |",
              "| --- | --- | --- | --- | --- |"]
    for s in m.stays:
        left = since(s.left, m.start) if s.left is not None else "end"
        lines.append(f"| {_md(s.name)} | {s.role} | {since(s.joined, m.start)} | {left} | {_md(s.reason)} |")
    lines += ["", "## Chat", ""]
    lines += [f"- {since(c.time, m.start)} **{_md(c.name)}**: {_md(c.text)}" for c in m.chat] or ["(none)"]
    lines += ["", "## Pointing", ""]
    for k, p in enumerate(m.pointings, 1):
        lines.append(f"### {k}. {since(p.t, m.start)} {_md(p.who)} points at {_point(p.target)}")
        lines.append("")
        if p.object is not None:
            lines.append(f"Object **{_md(p.object.id)}** ({_md(p.object.type)})")
            lines += [f"- {_md(key)}: {_md(value)}" for key, value in p.object.attributes]
        else:
            lines.append("No object of the scene here.")
        if p.image:
            lines += ["", f"![{_md(p.who)} pointing at {since(p.t, m.start)}]({p.image})"]
        if p.clip:
            lines += ["", f"[video of this moment]({p.clip})"]
        lines.append("")
    if not m.pointings:
        lines += ["(none)", ""]
    lines += ["## Host actions", ""]
    lines += [f"- {since(t, m.start)} {_md(text)}" for t, text in m.actions] or ["(none)"]
    return "\n".join(lines) + "\n"


def _point(p: Vec3) -> str:
    return f"({p[0]:.1f}, {p[1]:.1f}, {p[2]:.1f})"


# ---------------------------------------------------------------------------- HTML


def to_html(m: Minutes) -> str:
    """The minutes as one HTML page (rule 3)."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>Meeting {e(m.room)}</title>",
           "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
           "td,th{border:1px solid #ccc;padding:.2em .6em}img{max-width:100%}</style></head><body>",
           f"<h1>Meeting {e(m.room)}</h1>",
           f"<p>{e(utc(m.start))} to {e(utc(m.end))} ({e(since(m.end, m.start)[1:])})</p>"]
    out += [f"<p><em>{e(n)}</em></p>" for n in m.notes]
    out.append("<h2>Attendance</h2><table><tr><th>who</th><th>role</th><th>from</th><th>to</th><th>left because</th></tr>")
    for s in m.stays:
        left = since(s.left, m.start) if s.left is not None else "end"
        out.append(f"<tr><td>{e(s.name)}</td><td>{e(s.role)}</td><td>{since(s.joined, m.start)}</td>"
                   f"<td>{left}</td><td>{e(s.reason)}</td></tr>")
    out.append("</table><h2>Chat</h2><ul>")
    out += [f"<li>{since(c.time, m.start)} <b>{e(c.name)}</b>: {e(c.text)}</li>" for c in m.chat]
    out.append("</ul><h2>Pointing</h2>")
    for k, p in enumerate(m.pointings, 1):
        out.append(f"<h3>{k}. {since(p.t, m.start)} {e(p.who)} points at {_point(p.target)}</h3>")
        if p.object is not None:
            out.append(f"<p>Object <b>{e(p.object.id)}</b> ({e(p.object.type)})</p><ul>")
            out += [f"<li>{e(key)}: {e(value)}</li>" for key, value in p.object.attributes]
            out.append("</ul>")
        if p.image:
            out.append(f'<p><img src="{e(p.image)}" alt="{e(p.who)} pointing"></p>')
        if p.clip:
            out.append(f'<p><a href="{e(p.clip)}">video of this moment</a></p>')
    out.append("<h2>Host actions</h2><ul>")
    out += [f"<li>{since(t, m.start)} {e(text)}</li>" for t, text in m.actions]
    out.append("</ul></body></html>")
    return "\n".join(out) + "\n"
