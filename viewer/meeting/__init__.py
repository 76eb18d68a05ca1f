"""Pure meeting state and the meeting session protocol (sans-I/O). No sockets, no asyncio, no Panda3D here."""
