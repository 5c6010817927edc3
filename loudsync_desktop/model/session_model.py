"""SessionModel: the desktop app's session state, the Qt counterpart of the seed's store.

It owns the host's server and advertiser or the guest's connection, and
turns their events into properties with change signals. Views only read it
and call its coroutines; every session rule stays in the protocol core.

Status and role follow the seed:
  host:  idle --host_party--> hosting --end_session--> idle
  guest: idle --join--> connecting --WELCOME--> connected --ended/lost/refused--> disconnected
         disconnected --acknowledge_end--> idle;  leave() goes straight back to idle
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from PySide6.QtCore import Property, QObject, QTimer, Signal

from .. import __version__
from ..guard import TaskOwner, call_listener
from ..net.addresses import DEFAULT_PORT, InvalidAddress, parse_address
from ..net.client import CONNECT_TIMEOUT_S, HostUnreachable, fetch_session_info
from ..net.discovery import Advertiser, DiscoveryLookup, DiscoveryService, probe_any
from ..net.guest_link import GuestLink
from ..net.server import HostServer, PortInUse
from ..persistence import SessionStore
from ..protocol import events as ev
from ..protocol import guest as g
from ..protocol import messages as m
from ..protocol.codes import format_code, generate_session_id, normalize_code
from ..protocol.discovery import DiscoveredSession
from ..protocol.errors import InvalidSessionCode, LoudSyncError, RemoteProtocolError
from ..protocol.host import DEFAULT_GRACE_MS, DEFAULT_HEARTBEAT_TIMEOUT_MS, HostConfig
from ..audio.devices import MiniaudioOutputDevice
from ..audio.engine import PlaybackEngine
from ..audio.library import TrackLibrary
from ..clock import SystemClock
from ..net.playback_guest import GuestPlayback
from ..net.playback_host import HostPlayback
from ..protocol.playback import FEATURE as PLAYBACK
from .member_list import MemberListModel
from .player_model import PlayerModel

log = logging.getLogger(__name__)

IDLE, CONNECTING, CONNECTED, HOSTING, DISCONNECTED = \
    "idle", "connecting", "connected", "hosting", "disconnected"
ROLE_NONE, ROLE_HOST, ROLE_CLIENT = "none", "host", "client"

CANNOT_JOIN = "Cannot Join Session"
CANNOT_HOST = "Cannot Host Party"
SOMETHING_WRONG = "Something went wrong"   # our own bug, shown rather than lost
FIND_TIMEOUT_S = 5.0
LATENCY_REFRESH_MS = 2000


def default_audio_output(clock: SystemClock):
    return MiniaudioOutputDevice(clock)


@dataclass(frozen=True)
class SessionOptions:
    """How this app hosts and joins; tests change the port and timeouts."""

    port: int = DEFAULT_PORT
    bind: str = "0.0.0.0"
    discovery: bool = True
    heartbeat_timeout_ms: int = DEFAULT_HEARTBEAT_TIMEOUT_MS
    grace_ms: int = DEFAULT_GRACE_MS
    find_timeout_s: float = FIND_TIMEOUT_S
    reconnect_policy: g.ReconnectPolicy = field(default_factory=g.ReconnectPolicy)
    # clock -> output device; None: no sound (the session works without music)
    audio_output: Callable[[SystemClock], object] | None = default_audio_output
    clock: SystemClock = field(default_factory=SystemClock)


class InvalidInput(LoudSyncError, ValueError):
    """Something a person typed that cannot be used; the message says why."""


def person_name(raw: str, what: str) -> str:
    try:
        return m.clean_name(raw, what)
    except RemoteProtocolError as exc:
        text = exc.message.removeprefix("Invalid message: ").replace(f"'{what}'", f"The {what}")
        raise InvalidInput(text[0].upper() + text[1:] + ".") from None


class SessionModel(QObject):
    statusChanged = Signal(str)
    roleChanged = Signal(str)
    sessionChanged = Signal()
    memberCountChanged = Signal(int)
    busyChanged = Signal(bool)
    progressTextChanged = Signal(str)
    errorOccurred = Signal(str, str)     # title, message: shown as an alert
    sessionEnded = Signal(str)           # why the party is over for this guest
    reconnectingChanged = Signal(bool)
    reconnectTextChanged = Signal(str)
    pinNeeded = Signal(str)              # the host wants a PIN: ask, then join_with_pin()
    joinRequested = Signal(object)       # ev.JoinRequested: ask the host person, then approve/decline
    joinRequestEnded = Signal(object)    # ev.JoinRequestEnded: take that question away

    def __init__(self, device_id: str, options: SessionOptions | None = None,
                 sleep_inhibitor=None, store: SessionStore | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device_id = device_id
        self.options = options or SessionOptions()
        self.members = MemberListModel(self)
        self.player = PlayerModel(self)
        self._playback = None        # HostPlayback or GuestPlayback
        self._audio_device = None
        self.members.rowsInserted.connect(self._count_changed)
        self.members.rowsRemoved.connect(self._count_changed)
        self.members.modelReset.connect(self._count_changed)
        self._sleep_inhibitor = sleep_inhibitor
        self._status = IDLE
        self._role = ROLE_NONE
        self._busy = False
        self._progress = ""
        self._session_name = ""
        self._session_id = ""
        self._host_name = ""
        self._max_members = 0
        self._addresses: list[str] = []
        self._server: HostServer | None = None
        self._advertiser: Advertiser | None = None
        self._guest: GuestLink | None = None
        self._lookup: DiscoveryLookup | None = None
        self._store = store
        self._reconnecting = False
        self._reconnect_text = ""
        self._last_target: tuple | None = None   # to retry a join with a PIN
        self._join_task: asyncio.Task | None = None
        self._guest_name = "Guest"
        self._tasks = TaskOwner(on_failure=self._on_failure)
        self._last_count = 0
        self._latency_timer = QTimer(self)
        self._latency_timer.setInterval(LATENCY_REFRESH_MS)
        self._latency_timer.timeout.connect(self._refresh_latencies)

    # -- properties ------------------------------------------------------------------------
    def _get_status(self) -> str:
        return self._status

    def _get_role(self) -> str:
        return self._role

    def _get_busy(self) -> bool:
        return self._busy

    def _get_progress(self) -> str:
        return self._progress

    def _get_session_name(self) -> str:
        return self._session_name

    def _get_code(self) -> str:
        return format_code(self._session_id) if self._session_id else ""

    def _get_member_count(self) -> int:
        return self.members.rowCount()

    def _get_reconnecting(self) -> bool:
        return self._reconnecting

    def _get_reconnect_text(self) -> str:
        return self._reconnect_text

    status = Property(str, _get_status, notify=statusChanged)
    reconnecting = Property(bool, _get_reconnecting, notify=reconnectingChanged)
    reconnectText = Property(str, _get_reconnect_text, notify=reconnectTextChanged)
    role = Property(str, _get_role, notify=roleChanged)
    busy = Property(bool, _get_busy, notify=busyChanged)
    progressText = Property(str, _get_progress, notify=progressTextChanged)
    sessionName = Property(str, _get_session_name, notify=sessionChanged)
    code = Property(str, _get_code, notify=sessionChanged)
    memberCount = Property(int, _get_member_count, notify=memberCountChanged)

    @property
    def session_id(self) -> str:
        return self._session_id

    @property
    def host_name(self) -> str:
        return self._host_name

    @property
    def max_members(self) -> int:
        return self._max_members

    @property
    def addresses(self) -> list[str]:
        """``host:port`` for manual joining (host role only)."""
        return list(self._addresses)

    @property
    def port(self) -> int:
        return self._server.port if self._server else 0

    @property
    def server(self) -> HostServer | None:
        return self._server

    # -- setters that emit only on change ------------------------------------------------
    def _set_status(self, value: str) -> None:
        if value != self._status:
            self._status = value
            self.statusChanged.emit(value)

    def _set_role(self, value: str) -> None:
        if value != self._role:
            self._role = value
            self.roleChanged.emit(value)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)
        if text != self._progress:
            self._progress = text
            self.progressTextChanged.emit(text)

    def _set_session(self, *, session_id: str = "", name: str = "", host_name: str = "",
                     max_members: int = 0, addresses: list[str] | None = None) -> None:
        new = (session_id, name, host_name, max_members, addresses or [])
        old = (self._session_id, self._session_name, self._host_name, self._max_members,
               self._addresses)
        if new != old:
            (self._session_id, self._session_name, self._host_name, self._max_members,
             self._addresses) = new
            self.sessionChanged.emit()

    def _set_reconnecting(self, value: bool, text: str = "") -> None:
        if value != self._reconnecting:
            self._reconnecting = value
            self.reconnectingChanged.emit(value)
        if text != self._reconnect_text:
            self._reconnect_text = text
            self.reconnectTextChanged.emit(text)

    @property
    def access(self) -> str:
        return self._server.config.access if self._server else ""

    @property
    def pin(self) -> str:
        return (self._server.config.pin or "") if self._server else ""

    def _count_changed(self, *args) -> None:
        count = self.members.rowCount()
        if count != self._last_count:
            self._last_count = count
            self.memberCountChanged.emit(count)

    # -- hosting -----------------------------------------------------------------------------
    async def host_party(self, party_name: str, host_name: str, max_members: int,
                         access: str = "open", pin: str | None = None) -> bool:
        """Create the session; on failure emit errorOccurred and stay idle."""
        if self._status != IDLE:
            return False
        try:
            config = HostConfig(
                session_id=generate_session_id(),
                session_name=person_name(party_name or "My Party", "party name"),
                host_id=f"host-{self.device_id}",
                host_name=person_name(host_name or "Party Host", "your name"),
                max_members=max_members,
                heartbeat_timeout_ms=self.options.heartbeat_timeout_ms,
                grace_ms=self.options.grace_ms,
                access=access,
                pin=pin if access == "pin" else None,
            )
        except (InvalidInput, LoudSyncError) as exc:
            self.errorOccurred.emit(CANNOT_HOST, str(exc))
            return False
        return await self._start_hosting(HostServer(config, port=self.options.port,
                                                    bind=self.options.bind, store=self._store))

    def saved_party(self) -> dict | None:
        """A party this app was hosting when it crashed or was killed, if any."""
        return self._store.load() if self._store is not None else None

    def discard_saved_party(self) -> None:
        if self._store is not None:
            self._store.clear()

    async def resume_party(self) -> bool:
        """Host the saved party again: same code; guests still retrying get their place back."""
        saved = self.saved_party()
        if self._status != IDLE or saved is None:
            return False
        try:
            server = HostServer.resume(saved, bind=self.options.bind, store=self._store)
        except LoudSyncError as exc:
            self.discard_saved_party()
            self.errorOccurred.emit(CANNOT_HOST, f"The saved party cannot be resumed: {exc}")
            return False
        return await self._start_hosting(server)

    async def _start_hosting(self, server: HostServer) -> bool:
        config = server.config
        self._set_busy(True, "Starting the party…")
        try:
            await server.start()
        except (PortInUse, OSError) as exc:
            self._set_busy(False)
            self.errorOccurred.emit(CANNOT_HOST, str(exc))
            return False
        self._server = server
        server.add_listener(self._guarded(self._on_host_event))
        if self.options.discovery:
            self._advertiser = Advertiser(server)
            try:
                await self._advertiser.start(wait_for_mdns=False)   # UDP finds it at once
            except OSError as exc:  # still joinable by address
                log.warning("discovery unavailable: %s", exc)
                await self._advertiser.stop()
                self._advertiser = None
        self._start_host_playback(server)
        self.members.set_you(config.host_id)
        self.members.set_members(server.members)
        self._set_session(session_id=config.session_id, name=config.session_name,
                          host_name=config.host_name, max_members=config.max_members,
                          addresses=[u.removeprefix("ws://").rstrip("/") for u in server.urls()])
        self._set_role(ROLE_HOST)
        self._set_status(HOSTING)
        self._set_busy(False)
        self._latency_timer.start()
        if self._sleep_inhibitor is not None:
            self._sleep_inhibitor.acquire("Hosting a LoudSync party")
        return True

    def _start_host_playback(self, server: HostServer) -> None:
        engine = PlaybackEngine(TrackLibrary())
        playback = HostPlayback(server, engine.library, engine)
        self._playback = playback
        playback.on_failure = self._on_failure
        self._start_audio(engine, server.clock, playback)
        self.player.attach_host(playback)

    def _start_audio(self, engine: PlaybackEngine, clock, playback) -> None:
        """Open the sound card with the party's first music, not before."""
        if self.options.audio_output is None:
            return

        tried = False

        def open_speakers(state) -> None:
            nonlocal tried
            if tried or not state.queue or self._playback is not playback:
                return
            tried = True   # once: a card that failed is not retried on every change
            try:
                device = self.options.audio_output(clock)
                device.start(engine.render)
                self._audio_device = device
            except Exception as exc:  # the party goes on without sound on this laptop
                log.warning("no audio output: %s", exc)
                self.player.set_audio_note(
                    f"No audio output ({exc}): this computer stays silent.")
                return
            if getattr(device, "silent", False):
                self.player.set_audio_note("No sound device found: this computer stays silent.")
        playback.add_listener(open_speakers)
        open_speakers(playback.state)

    async def _stop_playback(self) -> None:
        playback, self._playback = self._playback, None
        device, self._audio_device = self._audio_device, None
        self.player.detach()
        if device is not None:
            device.stop()
        if isinstance(playback, HostPlayback):
            await playback.stop()
        elif isinstance(playback, GuestPlayback):
            await playback.detach()

    def _on_host_event(self, event: object) -> None:
        if isinstance(event, ev.SyncReported):
            self.members.set_sync(event.device_id, event.error_us, event.uncertainty_us)
            return
        if isinstance(event, (ev.MemberJoined, ev.MemberLeft, ev.MemberUpdated)) and self._server:
            self.members.set_members(self._server.members)
        elif isinstance(event, ev.JoinRequested):
            self.joinRequested.emit(event)
        elif isinstance(event, ev.JoinRequestEnded):
            self.joinRequestEnded.emit(event)

    def approve(self, request: ev.JoinRequested) -> None:
        if self._server is not None:
            self._server.approve(request.conn)

    def decline(self, request: ev.JoinRequested) -> None:
        if self._server is not None:
            self._server.decline(request.conn)

    def remove_member(self, device_id: str) -> None:
        """Host only: the guest gets REMOVED_BY_HOST, the others MEMBER_LEFT."""
        if self._server is not None:
            self._server.remove(device_id)

    async def end_session(self) -> None:
        """End Session: every guest gets SESSION_CLOSED, discovery says goodbye, port freed."""
        server, advertiser = self._server, self._advertiser
        self._server = self._advertiser = None
        self._latency_timer.stop()
        await self._stop_playback()
        # Goodbyes to scanners while the guests are told: closing may wait ~2 s for a
        # guest that vanished, and an ended party must not stay listed that long.
        closing = asyncio.ensure_future(server.stop()) if server is not None else None
        if advertiser is not None:
            await advertiser.stop()
        if closing is not None:
            await closing
        if self._sleep_inhibitor is not None:
            self._sleep_inhibitor.release()
        self._to_idle()

    # -- joining ---------------------------------------------------------------------------------
    async def join_discovered(self, session: DiscoveredSession, pin: str | None = None) -> bool:
        a = session.announcement
        self._last_target = ("discovered", session)
        if a.access == "pin" and pin is None:   # the list says so: ask before connecting
            self.pinNeeded.emit(f"{a.session_name} needs a PIN")
            return False
        return await self._join(self._reach(list(session.addresses), a.port, a.session_id),
                                a.session_name, pin)

    async def join_with_pin(self, pin: str) -> bool:
        """Retry the last join that was refused for want of the right PIN."""
        target, self._last_target = self._last_target, None
        if target is None:
            return False
        kind, what = target[0], target[1]
        if kind == "discovered":
            return await self.join_discovered(what, pin)
        if kind == "code":
            return await self.join_code(what, target[2], pin)
        return await self.join_address(what, pin)

    async def join_code(self, text: str, discovery: DiscoveryService | None = None,
                        pin: str | None = None) -> bool:
        """Look the code up among parties nearby (up to ``find_timeout_s``), then join."""
        try:
            session_id = normalize_code(text)
        except InvalidSessionCode as exc:
            self.errorOccurred.emit(CANNOT_JOIN, str(exc))
            return False
        self._last_target = ("code", text, discovery)
        return await self._join(self._find_and_reach(session_id, discovery), "", pin)

    async def join_address(self, text: str, pin: str | None = None) -> bool:
        try:
            host, port = parse_address(text)
        except InvalidAddress as exc:
            self.errorOccurred.emit(CANNOT_JOIN, str(exc))
            return False

        async def resolve() -> tuple[str, int, str, str]:
            info = await fetch_session_info(host, port)
            return host, port, info["sessionId"], str(info.get("sessionName", ""))
        self._last_target = ("address", text)
        return await self._join(resolve(), "", pin)

    def cancel_join(self) -> None:
        if self._join_task is not None:
            self._join_task.cancel()

    async def _reach(self, addresses: list[str], port: int, session_id: str):
        answer = await probe_any(addresses, port, session_id, timeout=CONNECT_TIMEOUT_S)
        if answer is None:
            raise HostUnreachable(
                f"None of the party's addresses ({', '.join(addresses)}) answered. "
                f"A firewall on the host may block port {port}.")
        address, announcement = answer
        return address, port, session_id, announcement.session_name

    async def _find_and_reach(self, session_id: str, discovery: DiscoveryService | None):
        self._set_busy(True, f"Looking for party {format_code(session_id)}…")
        own = discovery is None
        if own:
            discovery = DiscoveryService()
            await discovery.start()
        try:
            session = await discovery.find(session_id, self.options.find_timeout_s)
        finally:
            if own:
                await discovery.stop()
        if session is None:
            raise HostUnreachable(
                f"No party with code {format_code(session_id)} was found nearby. Check that "
                "you are on the same Wi-Fi as the host (not a guest network), or join by the "
                "address shown on the host's screen.")
        return await self._reach(list(session.addresses), session.announcement.port, session_id)

    async def _join(self, resolving: Awaitable, name_hint: str, pin: str | None = None) -> bool:
        """Resolve the target, connect, and wait for WELCOME (or a refusal)."""
        if self._status not in (IDLE, DISCONNECTED) or self._join_task is not None:
            resolving.close()
            return False
        self._join_task = asyncio.current_task()
        self._set_role(ROLE_CLIENT)
        self._set_status(CONNECTING)
        self._set_busy(True, f"Connecting to {name_hint}…" if name_hint else "Connecting…")
        try:
            host, port, session_id, session_name = await resolving
            self._set_busy(True, f"Joining {session_name or format_code(session_id)}…")
            welcomed = asyncio.get_running_loop().create_future()
            if self.options.discovery and self._lookup is None:
                self._lookup = DiscoveryLookup()
            playback = GuestPlayback(self.options.clock)
            connection = GuestLink(session_id=session_id, device_id=self.device_id,
                                   device_name=self._guest_name, app_version=__version__,
                                   host=host, port=port, pin=pin, lookup=self._lookup,
                                   clock=self.options.clock, features=(PLAYBACK,),
                                   policy=self.options.reconnect_policy,
                                   on_frame=playback.on_frame,
                                   on_event=self._guarded(
                                       lambda e: self._on_guest_event(e, welcomed, playback)))
            playback.on_failure = self._on_failure
            self._guest = connection
            self.members.set_you(self.device_id)
            self._spawn(self._run_guest(connection, welcomed))
            await asyncio.shield(welcomed)
            return welcomed.result()
        except asyncio.CancelledError:
            connection, self._guest = self._guest, None
            if connection is not None:
                await connection.leave("Cancelled")
            self._to_idle()
            return False
        except (HostUnreachable, LoudSyncError, OSError) as exc:
            self._to_idle()
            self.errorOccurred.emit(CANNOT_JOIN, str(exc))
            return False
        finally:
            self._join_task = None
            self._set_busy(False)

    def set_display_name(self, name: str) -> None:
        """The name this device joins with (validated by the caller with person_name)."""
        self._guest_name = name or "Guest"

    async def _run_guest(self, connection: GuestLink, welcomed: asyncio.Future) -> None:
        try:
            final = await connection.run()
        except HostUnreachable as exc:
            final = g.ErrorReceived("UNREACHABLE", str(exc), str(exc), True)
        except Exception:
            # A bug of ours: the task's failure is reported; the join must not wait on.
            if not welcomed.done():
                welcomed.set_result(False)
            if self._guest is connection:
                self._guest = None
                self._to_idle()
            raise
        finally:
            self._set_reconnecting(False)
            await self._stop_playback()
            if self._lookup is not None:
                lookup, self._lookup = self._lookup, None
                await lookup.close()
        if not welcomed.done():
            welcomed.set_result(False)
            if isinstance(final, g.ErrorReceived) and final.code in (m.PIN_REQUIRED, m.WRONG_PIN):
                self._to_idle()
                self.pinNeeded.emit(final.human)
            elif isinstance(final, g.ErrorReceived):
                self._to_idle()
                self.errorOccurred.emit(CANNOT_JOIN, final.human)
            elif final is not None:
                self._to_idle()
                self.errorOccurred.emit(CANNOT_JOIN, getattr(final, "reason", "Connection closed"))
            return
        if self._guest is not connection:
            return  # we left on purpose; already idle
        self._guest = None
        self._latency_timer.stop()
        if isinstance(final, g.SessionClosed):
            message = "Session ended by host"
        elif isinstance(final, g.ErrorReceived):
            message = final.human
        elif isinstance(final, g.ConnectionLost):
            message = f"Connection to the host was lost ({final.reason})."
        else:
            self._to_idle()
            return
        self._set_status(DISCONNECTED)
        self.sessionEnded.emit(message)

    def _on_guest_event(self, event: object, welcomed: asyncio.Future,
                        playback: GuestPlayback) -> None:
        guest = self._guest
        if guest is None:
            return
        core = guest.core
        if isinstance(event, g.Welcomed):
            s = event.session
            self._set_session(session_id=s.session_id, name=s.session_name, host_name=s.host_name)
            if self._playback is None and PLAYBACK in s.features:
                playback.attach(guest.send_text)
                self._playback = playback
                self._start_audio(playback.engine, self.options.clock, playback)
                self.player.attach_guest(playback)
            self._set_status(CONNECTED)
            if not welcomed.done():
                welcomed.set_result(True)
        elif isinstance(event, (g.MembersReplaced, g.GuestMemberJoined, g.GuestMemberLeft,
                                g.GuestMemberUpdated)):
            self.members.set_members(list(core.members))
        elif isinstance(event, g.HeartbeatAcked) and core.session is not None:
            self.members.set_latency(core.session.host_id, event.rtt_ms)
        elif isinstance(event, g.JoinPending):
            self._set_busy(True, event.message)
        elif isinstance(event, g.Reconnecting):
            self._set_reconnecting(True, f"Reconnecting… (try {event.attempt})")
        elif isinstance(event, g.Reconnected):
            self._set_reconnecting(False)
            if not event.kept_place:
                self.errorOccurred.emit("Back in the party",
                                        "You were away too long, so you are back as a new member.")

    async def leave(self) -> None:
        """Leave on purpose: LEAVE to the host, back to idle."""
        connection, self._guest = self._guest, None
        if self._join_task is not None:
            self._join_task.cancel()
        if connection is not None:
            await connection.leave("Left the party")
        self._to_idle()

    def give_up(self) -> None:
        """Stop reconnecting (the person pressed Give up): back to idle."""
        if self._guest is not None:
            self._guest.give_up()

    def acknowledge_end(self) -> None:
        """The person has seen why the party ended: back to idle."""
        if self._status == DISCONNECTED:
            self._to_idle()

    # -- shutdown -------------------------------------------------------------------------------
    async def shutdown(self) -> None:
        """The one way out: End Session, Leave, window close and SIGTERM all end here."""
        if self._role == ROLE_HOST:
            await self.end_session()
        elif self._role == ROLE_CLIENT:
            await self.leave()
        await self._tasks.cancel_all()

    # -- helpers --------------------------------------------------------------------------------
    def _to_idle(self) -> None:
        self._latency_timer.stop()
        self.members.clear()
        self.members.set_you(None)
        self._set_session()
        self._set_role(ROLE_NONE)
        self._set_status(IDLE)

    def _refresh_latencies(self) -> None:
        if self._server is not None:
            for member in self._server.members[1:]:
                self.members.set_latency(member.id, self._server.latency_ms(member.id))

    def _spawn(self, coro) -> asyncio.Task:
        return self._tasks.spawn(coro)

    def _guarded(self, listener):
        """``listener`` for an adapter: our bug is shown as one, never taken for the peer's."""
        return lambda *args: call_listener(listener, *args, on_failure=self._on_failure)

    def _on_failure(self, exc: BaseException) -> None:
        self.errorOccurred.emit(SOMETHING_WRONG, f"LoudSync hit a bug: {exc}")

