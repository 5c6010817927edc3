"""Exceptions of the protocol core, split by whose fault they are.

::

    LoudSyncError
     ├── InvalidSessionCode      a person typed something that is not a code
     ├── LocalProtocolError      our own code misused the core (a bug here)
     └── RemoteProtocolError     a peer sent something the contract forbids
                                 (carries the ERROR code to answer with)

A peer's bad input never escapes an adapter as an exception: the host core
turns RemoteProtocolError into an ``ERROR`` frame.
"""

from __future__ import annotations


class LoudSyncError(Exception):
    """Base of every error LoudSync raises on purpose."""


class InvalidSessionCode(LoudSyncError, ValueError):
    """Typed text that does not normalise to a 6-character session code."""


class LocalProtocolError(LoudSyncError):
    """Our side asked the core for something impossible in its state."""


class RemoteProtocolError(LoudSyncError):
    """The peer broke the wire contract; ``code`` is the ERROR code to send."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
