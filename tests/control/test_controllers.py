"""The controllers both faces use, driven directly: a real HostController on 127.0.0.1 (any
port, no discovery) and GuestControllers joining it by address."""

from __future__ import annotations

import asyncio

import pytest

from loudsync_desktop.control.events import (Ended, Joining, PinNeeded, PlaybackStarted,
                                             SpeakersSilent)
from loudsync_desktop.control.guest import (AddressTarget, CodeTarget, DiscoveredTarget,
                                            GuestController, GuestOptions, target_from_text)
from loudsync_desktop.control.host import HostController, HostOptions, party_config
from loudsync_desktop.control.speakers import Speakers
from loudsync_desktop.net.addresses import InvalidAddress
from loudsync_desktop.protocol import events as ev
from loudsync_desktop.protocol import guest as g
from loudsync_desktop.protocol.discovery import Announcement, DiscoveredSession
from loudsync_desktop.protocol.errors import InvalidSessionCode
from loudsync_desktop.protocol.playback import PlayState, Track
from tests.support import wait_until

HOST = HostOptions(port=0, bind="127.0.0.1", discovery=False, audio_output=None)
GUEST = GuestOptions(discovery=False, audio_output=None)


def config(**fields):
    return party_config(party_name="Friday", host_name="Dee", host_id="host-1", max_members=8,
                        heartbeat_timeout_ms=15_000, grace_ms=30_000, **fields)


@pytest.fixture
async def start_host():
    started: list[HostController] = []

    async def start(**fields) -> tuple[HostController, list]:
        seen: list = []
        host = HostController.new(config(**fields), HOST, on_event=seen.append)
        await host.start()
        started.append(host)
        return host, seen

    yield start
    for host in started:
        await host.stop()


def make_guest(device_id: str, failures: list | None = None, **kw):
    seen: list = []
    guest = GuestController(device_id, GUEST, name=device_id.title(), on_event=seen.append,
                            on_failure=failures.append if failures is not None else None, **kw)
    return guest, seen


def kinds(seen: list, *types) -> list:
    return [e for e in seen if isinstance(e, types)]


async def test_a_guest_joins_plays_along_and_leaves(start_host):
    host, host_seen = await start_host()
    guest, seen = make_guest("ana")
    assert await guest.join(AddressTarget("127.0.0.1", host.server.port))
    assert [type(e) for e in kinds(seen, Joining, g.Welcomed)] == [Joining, g.Welcomed]
    assert kinds(seen, PlaybackStarted)[0].playback is guest.playback   # the host has music
    assert [x.id for x in guest.members] == ["host-1", "ana"]
    assert kinds(host_seen, ev.MemberJoined)[0].member.id == "ana"
    await guest.leave("Bye")
    [ended] = kinds(seen, Ended)
    assert ended == Ended(None, True) and not guest.busy and guest.playback is None
    await wait_until(lambda: len(host.members) == 1, what="the host to let the guest go")
    assert kinds(host_seen, ev.MemberLeft)[0].reason == "Bye"


async def test_the_host_ending_ends_the_membership(start_host):
    host, _ = await start_host()
    guest, seen = make_guest("ana")
    assert await guest.join(AddressTarget("127.0.0.1", host.server.port))
    await host.stop()
    ended = await asyncio.wait_for(guest.wait_ended(), 10)
    assert isinstance(ended.final, g.SessionClosed) and ended.welcomed
    assert kinds(seen, Ended) == [ended]


async def test_a_pin_refusal_keeps_the_typed_target_for_the_retry(start_host):
    host, _ = await start_host(access="pin", pin="4821")
    target = AddressTarget("127.0.0.1", host.server.port)
    guest, seen = make_guest("ana")
    assert await guest.join(target) is False
    ended, needed = kinds(seen, Ended, PinNeeded)
    assert not ended.welcomed and ended.final.code == "PIN_REQUIRED"
    assert needed.message and guest.pin_target == target

    assert await guest.retry_with_pin("1111") is False
    assert kinds(seen, Ended)[-1].final.code == "WRONG_PIN" and guest.pin_target == target
    assert await guest.retry_with_pin("4821")
    assert guest.pin_target is None
    await guest.leave()


async def test_a_listed_pin_party_is_asked_for_before_connecting():
    a = Announcement("ABC234", "Friday", "h", "Dee", 9, 1, 8, access="pin")
    target = DiscoveredTarget(DiscoveredSession(a, ("127.0.0.1",), frozenset({"udp"}), 0))
    guest, seen = make_guest("ana")
    assert guest.pin_first(target, None) and guest.pin_target == target
    assert kinds(seen, PinNeeded) == [PinNeeded("Friday needs a PIN")]
    assert not guest.pin_first(target, "1234") and not guest.busy


async def test_a_guest_listener_that_raises_is_reported_and_the_join_goes_on(start_host):
    host, _ = await start_host()
    failures: list = []

    def on_event(event):
        if isinstance(event, g.MembersReplaced):
            raise RuntimeError("the view fell over")
    guest = GuestController("ana", GUEST, on_event=on_event, on_failure=failures.append)
    assert await guest.join(AddressTarget("127.0.0.1", host.server.port))
    await wait_until(lambda: failures, what="the failure to be reported")
    assert str(failures[0]) == "the view fell over" and len(host.members) == 2
    await guest.leave()


async def test_a_dying_connection_task_ends_the_join_and_is_reported(start_host, monkeypatch):
    host, _ = await start_host()
    failures: list = []

    async def run_with_a_bug(self):
        raise RuntimeError("the link fell over")
    monkeypatch.setattr("loudsync_desktop.net.guest_link.GuestLink.run", run_with_a_bug)
    guest, seen = make_guest("ana", failures)
    assert await asyncio.wait_for(guest.join(AddressTarget("127.0.0.1", host.server.port)), 10) \
        is False
    [ended] = kinds(seen, Ended)
    assert str(ended.failure) == "the link fell over" and not guest.busy
    await wait_until(lambda: failures, what="the failure to be reported")


async def test_an_unreachable_host_is_an_ended_join_not_an_exception(start_host):
    host, _ = await start_host()
    reached = await make_guest("probe")[0].reach(AddressTarget("127.0.0.1", host.server.port))
    await host.stop()
    guest, seen = make_guest("ana")
    assert await guest.connect(reached) is False
    [ended] = kinds(seen, Ended)
    assert ended.final.code == "UNREACHABLE" and not ended.welcomed


def test_typed_targets_from_text():
    assert target_from_text("abc 234") == CodeTarget("ABC234")
    assert target_from_text("10.0.0.5:9000") == AddressTarget("10.0.0.5", 9000)
    with pytest.raises(InvalidSessionCode):
        target_from_text("JON-234")
    with pytest.raises(InvalidAddress):
        target_from_text("10.0.0.5:notaport")


# -- speakers -------------------------------------------------------------------------------
class FakePlayback:
    def __init__(self) -> None:
        self.state = PlayState()
        self.listeners = []

    def add_listener(self, callback) -> None:
        self.listeners.append(callback)

    def publish(self, state: PlayState) -> None:
        self.state = state
        for callback in self.listeners:
            callback(state)


class CountingDevice:
    opened: list[CountingDevice] = []

    def __init__(self, clock) -> None:
        self.started = self.stopped = False
        CountingDevice.opened.append(self)

    def start(self, render) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True


QUEUE = PlayState(queue=(Track("t1", "One", "", 1000, 10),))


def test_speakers_open_with_the_first_music_and_only_once():
    CountingDevice.opened = []
    playback, notes = FakePlayback(), []
    speakers = Speakers(CountingDevice, None, lambda *a: None, notes.append)
    speakers.follow(playback)
    playback.publish(PlayState())
    assert CountingDevice.opened == []          # no music, no sound card
    playback.publish(QUEUE)
    playback.publish(QUEUE)
    assert len(CountingDevice.opened) == 1 and CountingDevice.opened[0].started
    speakers.stop()
    assert CountingDevice.opened[0].stopped and notes == []


def test_speakers_that_fail_say_so_once_and_are_not_retried():
    tries, notes = [], []

    def broken(clock):
        tries.append(clock)
        raise OSError("device busy")
    playback = FakePlayback()
    Speakers(broken, None, lambda *a: None, notes.append).follow(playback)
    playback.publish(QUEUE)
    playback.publish(QUEUE)
    assert len(tries) == 1 and notes == [SpeakersSilent("device busy")]


def test_stopped_speakers_open_nothing_later():
    CountingDevice.opened = []
    playback = FakePlayback()
    speakers = Speakers(CountingDevice, None, lambda *a: None, lambda note: None)
    speakers.follow(playback)
    speakers.stop()
    playback.publish(QUEUE)
    assert CountingDevice.opened == []
