"""The meeting's 2D panels: who is in the room, the chat with the line being typed, and the host's controls.

Rules this module keeps:
1. Three text blocks on the ShowBase's aspect2d corners, placed where the other overlays are not (the
   help text is top-left, navigation's status bottom-left, the layers' legends bottom-left and their status
   and picking panel top-right): the participant list on the right edge, the chat in the bottom-right
   corner, right-aligned, growing upward.
2. Text only changes when its content changed (`_set` compares), so the panels cost nothing per frame.
3. The caller decides what the lines say (meeting_view.py); this module only lays them out.
"""

from __future__ import annotations

from typing import Any

from direct.gui.OnscreenText import OnscreenText
from panda3d.core import TextNode

SCALE = 0.042
CHAT_LINES = 8


class MeetingHud:
    """The meeting panels on `base` (rules 1-3)."""

    def __init__(self, base: Any) -> None:
        common = {"scale": SCALE, "fg": (1, 1, 1, 1), "shadow": (0, 0, 0, 0.8), "mayChange": True,
                  "align": TextNode.A_right}
        self.people = OnscreenText(text="", parent=base.a2dRightCenter, pos=(-0.04, 0.35), **common)
        self.chat = OnscreenText(text="", parent=base.a2dBottomRight, pos=(-0.04, 0.05 + SCALE * 1.25),
                                 **common)
        self.entry = OnscreenText(text="", parent=base.a2dBottomRight, pos=(-0.04, 0.05), **common)
        for block in (self.people, self.chat):
            block.textNode.set_card_color(0.05, 0.06, 0.08, 0.55)
            block.textNode.set_card_as_margin(0.4, 0.4, 0.3, 0.2)
        self._shown: dict[str, str] = {}
        self.people_visible = True

    def set_people(self, lines: list[str]) -> None:
        """The participant list (and the host's controls below it)."""
        self._set("people", self.people, "\n".join(lines) if self.people_visible else "")

    def set_chat(self, lines: list[str]) -> None:
        """The newest CHAT_LINES lines of the chat, oldest first."""
        text = "\n".join(lines[-CHAT_LINES:])
        if self._set("chat", self.chat, text):
            # Right-aligned text grows downward from pos: lift the block by its line count to grow upward.
            count = text.count("\n") + 1 if text else 0
            self.chat.setPos(-0.04, 0.05 + SCALE * 1.25 * count)

    def set_entry(self, text: str) -> None:
        """The line being typed, or the hint line when nothing is."""
        self._set("entry", self.entry, text)

    def toggle_people(self) -> None:
        self.people_visible = not self.people_visible
        self._shown.pop("people", None)

    def destroy(self) -> None:
        for block in (self.people, self.chat, self.entry):
            block.destroy()

    def _set(self, key: str, block: OnscreenText, text: str) -> bool:
        if self._shown.get(key) == text:
            return False
        self._shown[key] = text
        block.setText(text)
        return True
