"""The adapters' one timer: sleep until the core's next deadline, wake early on input."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

Deadline = TypeVar("Deadline", int, float)   # ms or µs: whatever the core counts in


async def run_deadlines(next_deadline: Callable[[], Deadline | None],
                        seconds_until: Callable[[Deadline], float],
                        wake: asyncio.Event,
                        on_due: Callable[[], Awaitable[bool | None] | bool | None]) -> None:
    """Call ``on_due`` each time the core's next deadline passes, until it returns True.

    Setting ``wake`` makes the loop read the deadline again (an input may have moved it).
    """
    while True:
        deadline = next_deadline()
        wake.clear()
        timeout = None if deadline is None else seconds_until(deadline)
        try:
            # Not wait_for: on Python 3.11 it can swallow a cancel that lands just as
            # `wake` is set, and whoever cancelled this task then waits for it forever.
            async with asyncio.timeout(timeout):
                await wake.wait()
        except TimeoutError:
            done = on_due()
            if inspect.isawaitable(done):
                done = await done
            if done:
                return
