"""Other participants of a meeting in the 3D scene: one avatar and one name tag per person.

Rules this module keeps:
1. One NodePath per participant (an avatar Geom and a name tag): a meeting has at most a few dozen
   people, so this is the "few nodes" case, not the per-building one. The avatar is render/avatar.py's
   figure in the participant's colour; the tag says the name, and "host" / "muted" when they apply.
2. Colours come from PALETTE by participant id, so everyone sees a given person in the same colour
   (pointers use the same colour).
3. `sync` adds and removes people and rewrites tags only when their label changed; `place` moves one;
   `scale_tags` keeps every tag legible from the camera (avatar.tag_scale) and turns far figures into
   markers (avatar.far_look, render/avatar.py rule 5). Nothing else runs per frame.
4. A participant without a pose yet is hidden, never drawn at the origin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from panda3d.core import NodePath

from viewer.render.avatar import avatar_marker, far_look, make_avatar, name_tag, tag_scale

PALETTE: tuple[tuple[float, float, float], ...] = (
    (0.90, 0.25, 0.20), (0.20, 0.55, 0.95), (0.20, 0.75, 0.35), (0.95, 0.65, 0.10),
    (0.65, 0.35, 0.85), (0.10, 0.75, 0.75), (0.90, 0.40, 0.65), (0.55, 0.55, 0.20),
)
TAG_SCALE = 0.22  # metres: the tag's text height up close


def participant_colour(pid: int) -> tuple[float, float, float]:
    """The colour of participant `pid` (rule 2)."""
    return PALETTE[(pid - 1) % len(PALETTE)]


def tag_label(name: str, role: str, muted: bool) -> str:
    extras = [x for x, on in (("host", role == "host"), ("muted", muted)) if on]
    return f"{name} ({', '.join(extras)})" if extras else name


@dataclass
class _Person:
    root: NodePath
    avatar: NodePath
    tag: NodePath
    label: str
    marker: NodePath
    placed: bool = False


class ParticipantAvatars:
    """The avatars of everyone but me, under `parent` (rules 1-4)."""

    def __init__(self, parent: NodePath) -> None:
        self.root = parent.attach_new_node("meeting-participants")
        self.people: dict[int, _Person] = {}

    def sync(self, members: dict[int, tuple[str, str, bool]]) -> None:
        """Make the set of avatars `members` ({id: (name, role, muted)}): add, relabel, remove."""
        for pid in [p for p in self.people if p not in members]:
            self.people.pop(pid).root.remove_node()
        for pid, (name, role, muted) in members.items():
            label = tag_label(name, role, muted)
            person = self.people.get(pid)
            if person is None:
                root = self.root.attach_new_node(f"participant-{pid}")
                person = _Person(root, make_avatar(root, participant_colour(pid), f"avatar-{pid}"),
                                 name_tag(root, label, scale=TAG_SCALE), label,
                                 avatar_marker(root, participant_colour(pid), f"marker-{pid}"))
                root.hide()
                self.people[pid] = person
            elif person.label != label:
                person.tag.remove_node()
                person.tag, person.label = name_tag(person.root, label, scale=TAG_SCALE), label

    def place(self, pid: int, position: Any, heading: float) -> None:
        """Stand participant `pid` at `position` (feet, local metres) facing `heading` (degrees)."""
        person = self.people.get(pid)
        if person is None:
            return
        person.root.set_pos(float(position[0]), float(position[1]), float(position[2]))
        person.root.set_h(float(heading))
        if not person.placed:
            person.root.show()
            person.placed = True

    def hide(self, pid: int) -> None:
        person = self.people.get(pid)
        if person is not None and person.placed:
            person.root.hide()
            person.placed = False

    def scale_tags(self, camera: Any, fov: float) -> None:
        """Scale every tag for its distance from `camera` (a position, local metres)."""
        for person in self.people.values():
            if person.placed:
                p = person.root.get_pos()
                distance = math.dist((p.x, p.y, p.z), (float(camera[0]), float(camera[1]), float(camera[2])))
                person.tag.set_scale(tag_scale(distance, TAG_SCALE, fov))
                opacity, diameter, tag_z = far_look(distance, fov, person.tag.get_sz() * 0.5)
                person.tag.set_z(tag_z)
                _show(person.marker, opacity > 0.0)
                person.marker.set_scale(diameter)
                person.marker.set_alpha_scale(opacity)
                _show(person.avatar, opacity < 1.0)

    def remove(self) -> None:
        self.root.remove_node()
        self.people.clear()


def _show(node: NodePath, shown: bool) -> None:
    if shown:
        node.show()
    else:
        node.hide()
