"""The chat history of a room: a ring of the most recent lines, sent to every late joiner.

Rules:
1. Bounded: at most `size` lines; the oldest goes when a new one comes. Each line gets the room's next
   sequence number, so a client can tell lines apart and order them whatever arrives first.
2. Lines are stored as the server stamped them (sender id and name from the token, cleaned text), never as
   a client sent them.
"""

from __future__ import annotations

from collections import deque

from viewer.meeting.messages import ChatLine


class ChatHistory:
    """The last `size` ChatLines of one room (rule 1)."""

    def __init__(self, size: int = 50) -> None:
        self.lines: deque[ChatLine] = deque(maxlen=max(0, size))
        self.next_seq = 1

    def add(self, sender: int, name: str, text: str, time: float) -> ChatLine:
        """Stamp and keep a line; returns it."""
        line = ChatLine(self.next_seq, sender, name, text, time)
        self.next_seq += 1
        self.lines.append(line)
        return line

    def recent(self) -> tuple[ChatLine, ...]:
        return tuple(self.lines)

    def __len__(self) -> int:
        return len(self.lines)
