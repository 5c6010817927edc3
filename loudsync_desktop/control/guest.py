"""A guest's side of a party: find the host, join, stay in (reconnecting), play along, leave.

  idle --join(target)--> reaching --> connecting --WELCOME--> in --> Ended --> idle
                                         `--refused / unreachable--> Ended (welcomed=False)

A join target is typed (a party seen in the list, a code, an address); a join
refused for want of the right PIN is kept as ``pin_target`` and retried with
``retry_with_pin``. Everything the face needs comes as events: the guest
core's (Welcomed, MembersReplaced, Reconnecting, ...) and the controller's own
(control.events), ending with exactly one ``Ended`` per connection attempt.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from collections.abc import Callable

from .. import __version__
from ..clock import SystemClock
from ..guard import FailureSink, TaskOwner, call_listener, report
from ..net.addresses import parse_address
from ..net.client import CONNECT_TIMEOUT_S, HostUnreachable, fetch_session_info
from ..net.discovery import DiscoveryLookup, DiscoveryService, probe_any
from ..net.guest_link import GuestLink
from ..net.playback_guest import GuestPlayback
from ..protocol import guest as g
from ..protocol import messages as m
from ..protocol.codes import check_code_shape, format_code, looks_like_code, normalize_code
from ..protocol.discovery import DiscoveredSession
from ..protocol.stream import FEATURE as PLAYBACK
from ..protocol.stream import STREAM_WATCH_MS
from .events import Ended, Joining, Looking, PinNeeded, PlaybackStarted
from .speakers import OutputFactory, Speakers, default_output

log = logging.getLogger(__name__)

FIND_TIMEOUT_S = 5.0   # how long joining by code looks for the party
PIN_REFUSALS = (m.PIN_REQUIRED, m.WRONG_PIN)

GuestListener = Callable[[object], None]   # guest core events and ControlEvents


# -- where to join ----------------------------------------------------------------------------
@dataclass(frozen=True)
class DiscoveredTarget:
    """A party from the Nearby list: its addresses and access are known already."""

    session: DiscoveredSession


@dataclass(frozen=True)
class CodeTarget:
    """A party code: looked up among the parties nearby (``discovery``: a running scanner
    to ask, or None for one of our own)."""

    session_id: str
    discovery: DiscoveryService | None = field(default=None, compare=False)


@dataclass(frozen=True)
class AddressTarget:
    host: str
    port: int


JoinTarget = DiscoveredTarget | CodeTarget | AddressTarget


def target_from_text(text: str) -> CodeTarget | AddressTarget:
    """A code (``ABC-234``) or an address (``host:port``, ``ws://...``); raises
    InvalidSessionCode or InvalidAddress (a ValueError) with a reason."""
    check_code_shape(text)
    if looks_like_code(text):
        return CodeTarget(normalize_code(text))
    return AddressTarget(*parse_address(text))


@dataclass(frozen=True)
class Reached:
    """A host that answered for the party."""

    host: str
    port: int
    session_id: str
    session_name: str
    access: str


class PartyNotFound(HostUnreachable):
    def __init__(self, session_id: str, timeout_s: float) -> None:
        self.session_id = session_id
        self.timeout_s = timeout_s
        super().__init__(
            f"No party with code {format_code(session_id)} was found nearby. Check that you "
            "are on the same Wi-Fi as the host (not a guest network), or join by the address "
            "shown on the host's screen.")


class PartyUnreachable(HostUnreachable):
    def __init__(self, session_id: str, addresses: list[str], port: int) -> None:
        super().__init__(
            f"Found party {format_code(session_id)}, but none of its addresses "
            f"({', '.join(addresses)}) answered. A firewall on the host may block port {port}.")


# -- the controller ---------------------------------------------------------------------------
@dataclass(frozen=True)
class GuestOptions:
    discovery: bool = True          # look the host up again when it moved (reconnecting)
    find_timeout_s: float = FIND_TIMEOUT_S
    reconnect_policy: g.ReconnectPolicy = field(default_factory=g.ReconnectPolicy)
    playback: bool = True           # play along with the host's music
    audio_output: OutputFactory | None = default_output   # None: keep time, but stay silent
    clock: SystemClock = field(default_factory=SystemClock)


class GuestController:
    def __init__(self, device_id: str, options: GuestOptions | None = None, *,
                 name: str = "Guest", on_event: GuestListener = lambda event: None,
                 on_failure: FailureSink | None = None) -> None:
        self.device_id = device_id
        self.name = name
        self.options = options or GuestOptions()
        self._on_event = on_event
        self.on_failure = on_failure   # told of our own bugs (may be set after construction)
        self._tasks = TaskOwner(self._report)
        self.link: GuestLink | None = None
        self.playback: GuestPlayback | None = None
        self.pin_target: JoinTarget | None = None
        self._target: JoinTarget | None = None
        self._runner: asyncio.Task | None = None
        self._ended: asyncio.Future[Ended] | None = None
        self._speakers: Speakers | None = None

    @property
    def busy(self) -> bool:
        """A join or a membership is under way."""
        return self._target is not None

    @property
    def members(self) -> list[m.Member]:
        return list(self.link.members) if self.link is not None else []

    @property
    def session(self) -> g.SessionInfo | None:
        core = self.link.core if self.link is not None else None
        return core.session if core is not None else None

    def _report(self, exc: BaseException) -> None:
        report(exc, self.on_failure)

    def _emit(self, event: object) -> None:
        call_listener(self._on_event, event, on_failure=self._report)

    # -- finding the host ------------------------------------------------------------------------
    async def reach(self, target: JoinTarget) -> Reached:
        """A host that answers for ``target``; raises HostUnreachable (PartyNotFound,
        PartyUnreachable), LoudSyncError or OSError."""
        if isinstance(target, AddressTarget):
            info = await fetch_session_info(target.host, target.port)
            return Reached(target.host, target.port, info["sessionId"],
                           str(info.get("sessionName", "")), str(info.get("access", "open")))
        if isinstance(target, CodeTarget):
            self._emit(Looking(target.session_id))
            session = await self._find(target)
        else:
            session = target.session
        a = session.announcement
        answer = await probe_any(list(session.addresses), a.port, a.session_id,
                                 timeout=CONNECT_TIMEOUT_S)
        if answer is None:
            raise PartyUnreachable(a.session_id, list(session.addresses), a.port)
        address, announcement = answer
        return Reached(address, a.port, a.session_id, announcement.session_name,
                       announcement.access)

    async def _find(self, target: CodeTarget) -> DiscoveredSession:
        discovery = target.discovery
        own = discovery is None
        if discovery is None:
            discovery = DiscoveryService()
            await discovery.start()
        try:
            session = await discovery.find(target.session_id, self.options.find_timeout_s)
        finally:
            if own:
                await discovery.stop()
        if session is None:
            raise PartyNotFound(target.session_id, self.options.find_timeout_s)
        return session

    # -- joining ---------------------------------------------------------------------------------
    def pin_first(self, target: JoinTarget, pin: str | None) -> bool:
        """True (and PinNeeded said) if the list already says this party wants a PIN."""
        if isinstance(target, DiscoveredTarget) and pin is None \
                and target.session.announcement.access == "pin":
            self.pin_target = target
            self._emit(PinNeeded(f"{target.session.announcement.session_name} needs a PIN"))
            return True
        return False

    async def join(self, target: JoinTarget, pin: str | None = None) -> bool:
        """Reach the host, connect, and wait for WELCOME: True once in. False if it was
        refused or ended first (``Ended`` says why). Reaching raises (see ``reach``)."""
        if self.busy:
            return False
        self._target = target
        try:
            reached = await self.reach(target)
        except BaseException:
            self._target = None
            raise
        return await self._connect(reached, pin)

    async def connect(self, reached: Reached, pin: str | None = None) -> bool:
        """Join a host already reached (the CLI asks for a PIN in between)."""
        if self.busy:
            return False
        self._target = AddressTarget(reached.host, reached.port)
        return await self._connect(reached, pin)

    async def retry_with_pin(self, pin: str) -> bool:
        """Join again the party that wanted a PIN, with this one."""
        target, self.pin_target = self.pin_target, None
        if target is None:
            return False
        return await self.join(target, pin)

    async def _connect(self, reached: Reached, pin: str | None) -> bool:
        self._emit(Joining(reached.session_id, reached.session_name))
        loop = asyncio.get_running_loop()
        welcomed: asyncio.Future[bool] = loop.create_future()
        self._ended = loop.create_future()
        lookup = DiscoveryLookup() if self.options.discovery else None
        playback = GuestPlayback(self.options.clock) if self.options.playback else None
        link = GuestLink(session_id=reached.session_id, device_id=self.device_id,
                         device_name=self.name, app_version=__version__,
                         host=reached.host, port=reached.port, pin=pin, lookup=lookup,
                         clock=self.options.clock,
                         features=(PLAYBACK,) if playback is not None else (),
                         policy=self.options.reconnect_policy,
                         on_frame=playback.on_frame if playback is not None else None,
                         on_event=lambda event: self._on_link_event(event, welcomed, playback))
        if playback is not None:
            playback.on_failure = self._report
        self.link = link
        self._runner = self._tasks.spawn(self._run(link, lookup, playback, welcomed),
                                         name="guest-link")
        try:
            return await asyncio.shield(welcomed)
        except asyncio.CancelledError:   # the person cancelled the join
            await self.leave("Cancelled")
            raise

    def _on_link_event(self, event: object, welcomed: asyncio.Future,
                       playback: GuestPlayback | None) -> None:
        if isinstance(event, g.Welcomed) and playback is not None and not playback.attached \
                and PLAYBACK in event.session.features:
            assert self.link is not None
            playback.attach(self.link.send_text)   # the host plays music: keep time with it
            self.link.watch_stream(STREAM_WATCH_MS)
            self.playback = playback
            self._speakers = Speakers(self.options.audio_output, self.options.clock,
                                      playback.engine.render, self._emit)
            self._emit(PlaybackStarted(playback))
            self._speakers.follow(playback)
        self._emit(event)
        if isinstance(event, g.Welcomed) and not welcomed.done():
            welcomed.set_result(True)

    async def _run(self, link: GuestLink, lookup: DiscoveryLookup | None,
                   playback: GuestPlayback | None, welcomed: asyncio.Future) -> None:
        """The membership, then the one ordered cleanup, then ``Ended``."""
        final: object | None = None
        failure: BaseException | None = None
        try:
            final = await link.run()
        except HostUnreachable as exc:
            final = g.ErrorReceived("UNREACHABLE", str(exc), str(exc), True)
        except Exception as exc:  # noqa: BLE001 - a bug of ours: ended, then reported below
            failure = exc
        finally:
            speakers, self._speakers = self._speakers, None
            if speakers is not None:
                speakers.stop()
            if playback is not None:
                await playback.detach()
            if lookup is not None:
                await lookup.close()
            in_party = welcomed.done() and welcomed.result()
            if not welcomed.done():
                welcomed.set_result(False)
            self.link = self.playback = None
            target, self._target = self._target, None
            refused_for_pin = (not in_party and isinstance(final, g.ErrorReceived)
                               and final.code in PIN_REFUSALS)
            if refused_for_pin:
                self.pin_target = target
            ended = Ended(final, in_party, failure)
            if self._ended is not None and not self._ended.done():
                self._ended.set_result(ended)
            self._emit(ended)
            if refused_for_pin:
                assert isinstance(final, g.ErrorReceived)
                self._emit(PinNeeded(final.human))
        if failure is not None:
            raise failure   # the task's failure: logged and reported by its owner

    async def wait_ended(self) -> Ended:
        """Until the membership that was joined last is over."""
        if self._ended is None:
            raise RuntimeError("nothing was joined")
        return await asyncio.shield(self._ended)

    # -- leaving ------------------------------------------------------------------------------
    async def leave(self, reason: str = "Left the party") -> None:
        """Leave on purpose (LEAVE to the host) and wait until everything is closed."""
        link, runner = self.link, self._runner
        if link is not None:
            await link.leave(reason)
        if runner is not None and runner is not asyncio.current_task():
            await asyncio.gather(runner, return_exceptions=True)

    def spawn_leave(self, reason: str) -> None:
        """leave() from a signal handler or a failure sink (not a coroutine): its own task."""
        self._tasks.spawn(self.leave(reason), name="leave")

    def give_up(self) -> None:
        """Stop reconnecting (the person pressed Give up)."""
        if self.link is not None:
            self.link.give_up()

    async def stop(self) -> None:
        """The way out: leave if in, then cancel what is left."""
        await self.leave()
        await self._tasks.cancel_all()
