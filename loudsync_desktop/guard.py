"""Where our own errors go: nowhere out of sight.

A listener that raises and a background task that dies are bugs on this side,
not the peer's fault: they are logged at ERROR with the traceback and handed to
a failure sink (the app shows an alert, the CLI prints an ``error`` event and
exits), and the code that called the listener carries on.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Generic, TypeVar
from collections.abc import Callable, Coroutine

log = logging.getLogger(__name__)

T = TypeVar("T")
FailureSink = Callable[[BaseException], None]


def _describe(what: object) -> str:
    return getattr(what, "__qualname__", None) or repr(what)


def report(exc: BaseException, on_failure: FailureSink | None) -> None:
    """Hand a failure that was already logged to its sink (a broken sink is logged too)."""
    if on_failure is None:
        return
    try:
        on_failure(exc)
    except Exception:  # noqa: BLE001 - the sink is the last resort; it must not raise on
        log.exception("reporting a failure failed")


def call_listener(listener: Callable[..., object], *args: Any,
                  on_failure: FailureSink | None = None) -> bool:
    """``listener(*args)``; if it raises: log, report, and return False (the caller goes on)."""
    try:
        listener(*args)
        return True
    except Exception as exc:  # noqa: BLE001 - any bug in a listener, never the peer's fault
        log.error("listener %s failed on %r", _describe(listener), args, exc_info=exc)
        report(exc, on_failure)
        return False


class Listeners(Generic[T]):
    """Callbacks for one kind of event, each called guarded, in the order added."""

    def __init__(self, on_failure: FailureSink | None = None) -> None:
        self._callbacks: list[Callable[[T], object]] = []
        self.on_failure = on_failure

    def add(self, callback: Callable[[T], object]) -> None:
        self._callbacks.append(callback)

    def remove(self, callback: Callable[[T], object]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, event: T) -> None:
        for callback in list(self._callbacks):
            call_listener(callback, event, on_failure=self.on_failure)


def start_watched(coro: Coroutine[Any, Any, T], name: str | None = None,
                  on_failure: FailureSink | None = None) -> asyncio.Task[T]:
    """A task on the running loop whose failure is logged and reported (see ``watch``)."""
    return watch(asyncio.get_running_loop().create_task(coro, name=name), on_failure)


def watch(task: asyncio.Task, on_failure: FailureSink | None = None) -> asyncio.Task:
    """Log and report the exception a task dies with (cancelling is no failure)."""
    def done(finished: asyncio.Task) -> None:
        if finished.cancelled():
            return
        exc = finished.exception()
        if exc is not None:
            log.error("task %s failed", finished.get_name(), exc_info=exc)
            report(exc, on_failure)
    task.add_done_callback(done)
    return task


class TaskOwner:
    """The background tasks of one object: kept alive, watched, cancelled together."""

    def __init__(self, on_failure: FailureSink | None = None) -> None:
        self.on_failure = on_failure
        self._tasks: set[asyncio.Task] = set()

    def spawn(self, coro: Coroutine[Any, Any, T], name: str | None = None) -> asyncio.Task[T]:
        # Through the attribute, so a sink set after spawning is still the one told.
        task = start_watched(coro, name, lambda exc: report(exc, self.on_failure))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    async def cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
