"""Who may do what in a meeting: the one table the hub consults before applying a client message.

Rules:
1. Roles come from the signed join token and nothing else (a client never states its role in a message).
2. PERMISSIONS maps every client message type to the roles that may send it. A type without an entry is
   a failed lookup (KeyError), so a new message cannot be added without deciding who may send it.
3. TARGETS says whom a targeted host action may hit: hosts are peers, so a host can mute or remove
   guests but not another host (nor itself).
"""

from __future__ import annotations

HOST, GUEST = "host", "guest"
ROLES = (HOST, GUEST)
_EVERYONE = frozenset(ROLES)
_HOSTS = frozenset({HOST})

PERMISSIONS: dict[str, frozenset[str]] = {
    "pose": _EVERYONE,  # presence: where my avatar stands and where my camera looks
    "pointer": _EVERYONE,  # a ray to a picked world point, or none
    "chat": _EVERYONE,
    "follow": _HOSTS,  # everyone's camera follows mine (or stops following)
    "layer": _HOSTS,  # shared layer visibility
    "feed_time": _HOSTS,  # shared feed time (replay position), or live
    "mute": _HOSTS,  # mute / unmute a guest's chat
    "remove": _HOSTS,  # remove a guest from the room for the rest of its token's lifetime
    "record": _HOSTS,  # start or stop recording the room to a log on the server
    "pin": _EVERYONE,  # a lasting pin with a note (refused while muted: its note is text for others)
    "unpin": _EVERYONE,  # remove a pin: the hub lets its author (the same token) or a host do it
}

TARGETS: dict[str, frozenset[str]] = {"mute": frozenset({GUEST}), "remove": frozenset({GUEST})}

HOST_ACTIONS = tuple(kind for kind, roles in PERMISSIONS.items() if roles == _HOSTS)


def allowed(role: str, kind: str) -> bool:
    """Whether `role` may send a message of type `kind` (KeyError for a type with no entry, rule 2)."""
    return role in PERMISSIONS[kind]


def may_target(kind: str, role: str) -> bool:
    """Whether a participant with `role` may be the target of the action `kind`."""
    return role in TARGETS.get(kind, frozenset())
