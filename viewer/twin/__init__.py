"""Pure twin state and the feed protocol (sans-I/O). No sockets, no asyncio, no Panda3D here."""
