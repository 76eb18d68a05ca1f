"""Network code: the only asyncio/websockets layer (feed client and server)."""
