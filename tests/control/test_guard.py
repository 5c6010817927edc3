"""No error vanishes: a listener that raises and a task that dies are logged at ERROR with
their traceback and reported to a failure sink; the caller carries on."""

import asyncio
import logging


from loudsync_desktop.clock import SystemClock
from loudsync_desktop.guard import Listeners, TaskOwner, call_listener, watch
from loudsync_desktop.net.playback_guest import GuestPlayback
from loudsync_desktop.net.playback_host import HostPlayback
from loudsync_desktop.net.server import HostServer
from loudsync_desktop.protocol.host import HostConfig
from loudsync_desktop.protocol.playback import PlayState, player_state


class UiBug(Exception):
    pass


def broken(*_args) -> None:
    raise UiBug("the view fell over")


def errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_listener_that_raises_is_logged_with_its_traceback_and_reported(caplog):
    reported: list[BaseException] = []
    assert call_listener(broken, "event", on_failure=reported.append) is False
    assert [type(e) for e in reported] == [UiBug]
    [record] = errors(caplog)
    assert record.exc_info and record.exc_info[0] is UiBug and "broken" in record.getMessage()


def test_the_other_listeners_still_hear_the_event(caplog):
    heard: list[str] = []
    reported: list[BaseException] = []
    listeners: Listeners[str] = Listeners(on_failure=reported.append)
    listeners.add(broken)
    listeners.add(heard.append)
    listeners.emit("hello")
    assert heard == ["hello"] and len(reported) == 1


def test_a_broken_failure_sink_is_logged_not_raised(caplog):
    assert call_listener(broken, on_failure=broken) is False
    assert len(errors(caplog)) == 2


async def test_a_task_that_dies_is_logged_and_reported(caplog):
    reported: list[BaseException] = []
    owner = TaskOwner(on_failure=reported.append)

    async def dies() -> None:
        raise UiBug("task bug")
    task = owner.spawn(dies(), name="dying")
    await asyncio.gather(task, return_exceptions=True)
    await asyncio.sleep(0)   # done callbacks run on the next turn
    assert [str(e) for e in reported] == ["task bug"]
    assert any(r.exc_info and r.exc_info[0] is UiBug and "dying" in r.getMessage()
               for r in errors(caplog))
    assert len(owner) == 0


async def test_a_cancelled_task_is_no_failure(caplog):
    reported: list[BaseException] = []
    owner = TaskOwner(on_failure=reported.append)
    owner.spawn(asyncio.sleep(10))
    await owner.cancel_all()
    await asyncio.sleep(0)
    assert reported == [] and errors(caplog) == [] and len(owner) == 0


async def test_watch_reports_to_the_sink_given():
    reported: list[BaseException] = []

    async def dies() -> None:
        raise UiBug("x")
    task = watch(asyncio.get_running_loop().create_task(dies()), reported.append)
    await asyncio.gather(task, return_exceptions=True)
    await asyncio.sleep(0)
    assert len(reported) == 1


# -- the playback adapters ------------------------------------------------------------------
def test_a_guest_playback_listener_bug_is_an_error_not_a_malformed_frame(caplog):
    caplog.set_level(logging.DEBUG)
    playback = GuestPlayback(SystemClock())
    reported: list[BaseException] = []
    playback.on_failure = reported.append
    heard: list[PlayState] = []
    playback.add_listener(broken)
    playback.add_listener(heard.append)
    playback.on_frame(player_state(PlayState(volume=0.5)), 0.0)
    assert [s.volume for s in heard] == [0.5]          # the frame was applied, others heard it
    assert playback.state.volume == 0.5
    assert [type(e) for e in reported] == [UiBug]
    assert not any("malformed" in r.getMessage() for r in caplog.records)
    assert any(r.exc_info and r.exc_info[0] is UiBug for r in errors(caplog))


def test_a_malformed_frame_is_still_only_a_debug_note(caplog):
    caplog.set_level(logging.DEBUG)
    playback = GuestPlayback(SystemClock())
    reported: list[BaseException] = []
    playback.on_failure = reported.append
    playback.add_listener(broken)
    playback.on_frame('{"type":"PLAYER_STATE","payload":{"volume":"loud"}}', 0.0)
    assert reported == [] and errors(caplog) == []
    assert any("malformed" in r.getMessage() for r in caplog.records)


async def test_a_host_playback_listener_bug_does_not_break_the_command(caplog):
    server = HostServer(HostConfig("ABC234"), port=0, bind="127.0.0.1")
    playback = HostPlayback(server)
    reported: list[BaseException] = []
    playback.on_failure = reported.append
    heard: list[PlayState] = []
    playback.add_listener(broken)
    playback.add_listener(heard.append)
    playback.set_volume(0.25)        # before: UiBug escaped from the command itself
    assert playback.state.volume == 0.25 and [s.volume for s in heard] == [0.25]
    assert [type(e) for e in reported] == [UiBug]
    await playback.stop()
