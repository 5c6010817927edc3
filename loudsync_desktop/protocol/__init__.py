"""The pure protocol core: no sockets, no asyncio, no Qt; ``now`` is a parameter."""
