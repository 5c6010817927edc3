"""SessionModel: the desktop app's session state, the Qt face of the controllers.

The host's and the guest's lifecycles live in control/ (HostController,
GuestController), shared with the command line. This model turns their events
into properties with change signals and alerts; views only read it and call
its coroutines.

Status and role follow the seed:
  host:  idle --host_party--> hosting --end_session--> idle
  guest: idle --join--> connecting --WELCOME--> connected --ended/lost/refused--> disconnected
         disconnected --acknowledge_end--> idle;  leave() goes straight back to idle
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from PySide6.QtCore import Property, QObject, QTimer, Signal

from ..clock import SystemClock
from ..control.events import (ControlEvent, DiscoveryOff, Ended, Joining, Looking, PinNeeded,
                              PlaybackStarted, SpeakersSilent, TrackSkipped)
from ..control.guest import (FIND_TIMEOUT_S, PIN_REFUSALS, AddressTarget, CodeTarget,
                             DiscoveredTarget, GuestController, GuestOptions, JoinTarget)
from ..control.host import HostController, HostOptions, party_config
from ..control.speakers import OutputFactory, default_output
from ..guard import TaskOwner
from ..net.addresses import DEFAULT_PORT, InvalidAddress, parse_address
from ..net.client import HostUnreachable
from ..net.discovery import DiscoveryService
from ..net.server import HostServer, PortInUse
from ..persistence import SessionStore
from ..protocol import events as ev
from ..protocol import guest as g
from ..protocol import messages as m
from ..protocol.codes import format_code, normalize_code
from ..protocol.discovery import DiscoveredSession
from ..protocol.errors import InvalidSessionCode, LoudSyncError, RemoteProtocolError
from ..protocol.host import DEFAULT_GRACE_MS, DEFAULT_HEARTBEAT_TIMEOUT_MS
from ..protocol.stream import DEFAULT_CODEC, DEFAULT_LEAD_US
from ..protocol.stream_health import MemberStreams
from .member_list import MemberListModel
from .player_model import PlayerModel

log = logging.getLogger(__name__)

IDLE, CONNECTING, CONNECTED, HOSTING, DISCONNECTED = \
    "idle", "connecting", "connected", "hosting", "disconnected"
ROLE_NONE, ROLE_HOST, ROLE_CLIENT = "none", "host", "client"

CANNOT_JOIN = "Cannot Join Party"
CANNOT_HOST = "Cannot Host Party"
SOMETHING_WRONG = "Something went wrong"   # our own bug, shown rather than lost
LATENCY_REFRESH_MS = 2000
DEFAULT_BUFFER_MS = DEFAULT_LEAD_US // 1000



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
    audio_output: OutputFactory | None = default_output
    clock: SystemClock = field(default_factory=SystemClock)

    def host_options(self, codec: str = DEFAULT_CODEC,
                     buffer_ms: int = DEFAULT_BUFFER_MS) -> HostOptions:
        """``codec``, ``buffer_ms``: the party's stream, as the host chose it."""
        return HostOptions(port=self.port, bind=self.bind, discovery=self.discovery,
                           wait_for_mdns=False,   # UDP beacons find it at once
                           audio_output=self.audio_output, codec=codec, buffer_ms=buffer_ms)

    def guest_options(self) -> GuestOptions:
        return GuestOptions(discovery=self.discovery, find_timeout_s=self.find_timeout_s,
                            reconnect_policy=self.reconnect_policy, playback=True,
                            audio_output=self.audio_output, clock=self.clock)


class InvalidInput(LoudSyncError, ValueError):
    """Something a person typed that cannot be used; the message says why."""


def person_name(raw: str, what: str) -> str:
    try:
        return m.clean_name(raw, what)
    except RemoteProtocolError as exc:
        text = exc.message.removeprefix("Invalid message: ").replace(f"'{what}'", f"The {what}")
        raise InvalidInput(text[0].upper() + text[1:] + ".") from None


def _readonly(kind: type, attr: str, notify: Signal) -> Property:
    """A Qt property that reads ``self.<attr>``; ``SessionModel._change`` writes it."""
    return Property(kind, lambda self: getattr(self, attr), notify=notify)


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
    joinRequested = Signal(object)       # ev.JoinRequested: ask the host, then approve/decline
    joinRequestEnded = Signal(object)    # ev.JoinRequestEnded: take that question away
    trackSkipped = Signal(str, str)      # title, message: a file the party could not play

    status = _readonly(str, "_status", statusChanged)
    role = _readonly(str, "_role", roleChanged)
    busy = _readonly(bool, "_busy", busyChanged)
    progressText = _readonly(str, "_progress", progressTextChanged)
    reconnecting = _readonly(bool, "_reconnecting", reconnectingChanged)
    reconnectText = _readonly(str, "_reconnect_text", reconnectTextChanged)
    sessionName = _readonly(str, "_session_name", sessionChanged)
    code = Property(str, lambda self: format_code(self._session_id) if self._session_id else "",
                    notify=sessionChanged)
    memberCount = Property(int, lambda self: self.members.rowCount(), notify=memberCountChanged)

    def __init__(self, device_id: str, options: SessionOptions | None = None,
                 sleep_inhibitor=None, store: SessionStore | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device_id = device_id
        self.options = options or SessionOptions()
        self.members = MemberListModel(self)
        self.player = PlayerModel(self)
        self.members.rowsInserted.connect(self._count_changed)
        self.members.rowsRemoved.connect(self._count_changed)
        self.members.modelReset.connect(self._count_changed)
        self._sleep_inhibitor = sleep_inhibitor
        self._store = store
        self._status, self._role = IDLE, ROLE_NONE
        self._busy, self._progress = False, ""
        self._reconnecting, self._reconnect_text = False, ""
        self._session_id = self._session_name = self._host_name = ""
        self._max_members = 0
        self._addresses: list[str] = []
        self._last_count = 0
        self._host: HostController | None = None
        self._guest = GuestController(device_id, self.options.guest_options(),
                                      on_event=self._on_guest_event, on_failure=self._on_failure)
        self._join_task: asyncio.Task | None = None
        self._tasks = TaskOwner(on_failure=self._on_failure)
        self._streams = MemberStreams()   # how each guest's sound fares, in words (hosting)
        self._latency_timer = QTimer(self)
        self._latency_timer.setInterval(LATENCY_REFRESH_MS)
        self._latency_timer.timeout.connect(self._refresh_latencies)

    # -- state, emitted only on change ------------------------------------------------------
    def _change(self, signal_name: str, **fields) -> None:
        """Set ``self._<name>`` for each field; emit ``signal_name`` once if any changed
        (with the first field's value, for the signals that carry one)."""
        changed = False
        for name, value in fields.items():
            if getattr(self, "_" + name) != value:
                setattr(self, "_" + name, value)
                changed = True
        if not changed:
            return
        signal = getattr(self, signal_name)
        if signal_name == "sessionChanged":   # several fields, one signal without a value
            signal.emit()
        else:
            signal.emit(next(iter(fields.values())))

    def _set_status(self, value: str) -> None:
        self._change("statusChanged", status=value)

    def _set_role(self, value: str) -> None:
        self._change("roleChanged", role=value)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._change("busyChanged", busy=busy)
        self._change("progressTextChanged", progress=text)

    def _set_reconnecting(self, value: bool, text: str = "") -> None:
        self._change("reconnectingChanged", reconnecting=value)
        self._change("reconnectTextChanged", reconnect_text=text)

    def _set_session(self, *, session_id: str = "", name: str = "", host_name: str = "",
                     max_members: int = 0, addresses: list[str] | None = None) -> None:
        self._change("sessionChanged", session_id=session_id, session_name=name,
                     host_name=host_name, max_members=max_members, addresses=addresses or [])

    def _count_changed(self, *args) -> None:
        count = self.members.rowCount()
        if count != self._last_count:
            self._last_count = count
            self.memberCountChanged.emit(count)

    # -- read-only views for the UI -----------------------------------------------------------
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
    def server(self) -> HostServer | None:
        return self._host.server if self._host is not None else None

    @property
    def port(self) -> int:
        return self.server.port if self.server is not None else 0

    @property
    def access(self) -> str:
        return self.server.config.access if self.server is not None else ""

    @property
    def pin(self) -> str:
        return (self.server.config.pin or "") if self.server is not None else ""

    @property
    def codec(self) -> str:
        """The stream codec of the party this app hosts ("" when not hosting)."""
        return self._host.options.codec if self._host is not None else ""

    @property
    def buffer_ms(self) -> int:
        """How far ahead the party this app hosts sends its music (0 when not hosting)."""
        return self._host.options.buffer_ms if self._host is not None else 0

    @property
    def playback(self):
        """The HostPlayback or GuestPlayback of the party, if one runs."""
        if self._host is not None:
            return self._host.playback
        return self._guest.playback

    # -- hosting -----------------------------------------------------------------------------
    async def host_party(self, party_name: str, host_name: str, max_members: int,
                         access: str = "open", pin: str | None = None,
                         codec: str = DEFAULT_CODEC, buffer_ms: int = DEFAULT_BUFFER_MS) -> bool:
        """Create the session; on failure emit errorOccurred and stay idle."""
        if self._status != IDLE:
            return False
        try:
            config = party_config(
                party_name=person_name(party_name or "My Party", "party name"),
                host_name=person_name(host_name or "Party Host", "your name"),
                host_id=f"host-{self.device_id}", max_members=max_members,
                heartbeat_timeout_ms=self.options.heartbeat_timeout_ms,
                grace_ms=self.options.grace_ms, access=access, pin=pin)
        except LoudSyncError as exc:
            self.errorOccurred.emit(CANNOT_HOST, str(exc))
            return False
        return await self._start_hosting(HostController.new(
            config, self.options.host_options(codec, buffer_ms), self._store,
            **self._host_callbacks()))

    def saved_party(self) -> dict | None:
        """A party this app was hosting when it crashed or was killed, if any."""
        return self._store.load() if self._store is not None else None

    def discard_saved_party(self) -> None:
        if self._store is not None:
            self._store.clear()

    async def resume_party(self, codec: str = DEFAULT_CODEC,
                           buffer_ms: int = DEFAULT_BUFFER_MS) -> bool:
        """Host the saved party again: same code; guests still retrying get their place back."""
        saved = self.saved_party()
        if self._status != IDLE or saved is None:
            return False
        try:
            host = HostController.resume(saved, self.options.host_options(codec, buffer_ms),
                                         self._store, **self._host_callbacks())
        except LoudSyncError as exc:
            self.discard_saved_party()
            self.errorOccurred.emit(CANNOT_HOST, f"The saved party cannot be resumed: {exc}")
            return False
        return await self._start_hosting(host)

    def _host_callbacks(self) -> dict:
        return {"on_event": self._on_host_event, "on_failure": self._on_failure}

    async def _start_hosting(self, host: HostController) -> bool:
        self._set_busy(True, "Starting the party…")
        try:
            await host.start()
        except (PortInUse, OSError) as exc:
            self._set_busy(False)
            self.errorOccurred.emit(CANNOT_HOST, str(exc))
            return False
        self._host = host
        config, server = host.config, host.server
        self.player.attach_host(host.playback)
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

    def _on_host_event(self, event: object) -> None:
        if isinstance(event, ev.SyncReported):
            self._streams.report(event.device_id, event.stream, self._host_now_ms(),
                                 self.player.state.playing)
            self.members.set_sync(event.device_id, event.error_us, event.uncertainty_us,
                                  self._streams.status(event.device_id))
        elif isinstance(event, (ev.MemberJoined, ev.MemberLeft, ev.MemberUpdated)):
            if isinstance(event, ev.MemberLeft):
                self._streams.forget(event.device_id)
            if self.server is not None:
                self.members.set_members(self.server.members)
        elif isinstance(event, ev.JoinRequested):
            self.joinRequested.emit(event)
        elif isinstance(event, ev.JoinRequestEnded):
            self.joinRequestEnded.emit(event)
        elif isinstance(event, SpeakersSilent):
            self.player.set_audio_note(event.message + ".")
        elif isinstance(event, TrackSkipped):
            self.trackSkipped.emit(event.title, event.message)
        elif isinstance(event, DiscoveryOff):
            pass   # logged by the controller; guests can still join by address

    def _host_now_ms(self) -> int:
        server = self.server
        return server.clock.now_ms() if server is not None else self.options.clock.now_ms()

    def approve(self, request: ev.JoinRequested) -> None:
        if self._host is not None:
            self._host.approve(request.conn)

    def decline(self, request: ev.JoinRequested) -> None:
        if self._host is not None:
            self._host.decline(request.conn)

    def remove_member(self, device_id: str) -> None:
        """Host only: the guest gets REMOVED_BY_HOST, the others MEMBER_LEFT."""
        if self._host is not None:
            self._host.remove(device_id)

    async def end_session(self) -> None:
        """End Session: every guest gets SESSION_CLOSED, discovery says goodbye, port freed."""
        host, self._host = self._host, None
        self._latency_timer.stop()
        self.player.detach()
        if host is not None:
            await host.stop()
        if self._sleep_inhibitor is not None:
            self._sleep_inhibitor.release()
        self._to_idle()

    # -- joining ---------------------------------------------------------------------------------
    def set_display_name(self, name: str) -> None:
        """The name this device joins with (validated by the caller with person_name)."""
        self._guest.name = name or "Guest"

    async def join_discovered(self, session: DiscoveredSession, pin: str | None = None) -> bool:
        target = DiscoveredTarget(session)
        if self._guest.pin_first(target, pin):   # the list says so: ask before connecting
            return False
        return await self._join(target, session.announcement.session_name, pin)

    async def join_code(self, text: str, discovery: DiscoveryService | None = None,
                        pin: str | None = None) -> bool:
        """Look the code up among parties nearby (up to ``find_timeout_s``), then join."""
        try:
            session_id = normalize_code(text)
        except InvalidSessionCode as exc:
            self.errorOccurred.emit(CANNOT_JOIN, str(exc))
            return False
        return await self._join(CodeTarget(session_id, discovery), "", pin)

    async def join_address(self, text: str, pin: str | None = None) -> bool:
        try:
            host, port = parse_address(text)
        except InvalidAddress as exc:
            self.errorOccurred.emit(CANNOT_JOIN, str(exc))
            return False
        return await self._join(AddressTarget(host, port), "", pin)

    async def join_with_pin(self, pin: str) -> bool:
        """Retry the last join that was refused for want of the right PIN."""
        target = self._guest.pin_target
        if target is None or not self._may_join():
            return False
        name = target.session.announcement.session_name \
            if isinstance(target, DiscoveredTarget) else ""
        return await self._join(None, name, pin)

    def cancel_join(self) -> None:
        if self._join_task is not None:
            self._join_task.cancel()

    def _may_join(self) -> bool:
        return self._status in (IDLE, DISCONNECTED) and self._join_task is None \
            and not self._guest.busy

    async def _join(self, target: JoinTarget | None, name_hint: str, pin: str | None) -> bool:
        """Connect and wait for WELCOME (or a refusal); ``target`` None: retry with a PIN."""
        if not self._may_join():
            return False
        self._join_task = asyncio.current_task()
        self._set_role(ROLE_CLIENT)
        self._set_status(CONNECTING)
        self._set_busy(True, f"Connecting to {name_hint}…" if name_hint else "Connecting…")
        self.members.set_you(self.device_id)
        try:
            if target is None:
                return await self._guest.retry_with_pin(pin or "")
            return await self._guest.join(target, pin)
        except asyncio.CancelledError:   # the controller has left already
            self._to_idle()
            return False
        except (HostUnreachable, LoudSyncError, OSError) as exc:
            self._to_idle()
            self.errorOccurred.emit(CANNOT_JOIN, str(exc))
            return False
        finally:
            self._join_task = None
            self._set_busy(False)

    def _on_guest_event(self, event: object) -> None:
        if self._role != ROLE_CLIENT and not isinstance(event, ControlEvent):
            return   # the last words of a connection we left: we are idle already
        if isinstance(event, Looking):
            self._set_busy(True, f"Looking for party {format_code(event.session_id)}…")
        elif isinstance(event, Joining):
            self._set_busy(True, f"Joining {event.session_name or format_code(event.session_id)}…")
        elif isinstance(event, PinNeeded):
            self.pinNeeded.emit(event.message)
        elif isinstance(event, PlaybackStarted):
            self.player.attach_guest(event.playback)
        elif isinstance(event, SpeakersSilent):
            self.player.set_audio_note(event.message + ".")
        elif isinstance(event, g.Welcomed):
            s = event.session
            self._set_session(session_id=s.session_id, name=s.session_name, host_name=s.host_name,
                              max_members=s.max_members)
            self._set_status(CONNECTED)
        elif isinstance(event, (g.MembersReplaced, g.GuestMemberJoined, g.GuestMemberLeft,
                                g.GuestMemberUpdated)):
            self.members.set_members(self._guest.members)
        elif isinstance(event, g.HeartbeatAcked) and self._guest.session is not None:
            self.members.set_latency(self._guest.session.host_id, event.rtt_ms)
        elif isinstance(event, g.JoinPending):
            self._set_busy(True, event.message)
        elif isinstance(event, g.Reconnecting):
            self._set_reconnecting(True, f"Reconnecting… (try {event.attempt})")
        elif isinstance(event, g.Reconnected):
            self._set_reconnecting(False)
            if not event.kept_place:
                self.errorOccurred.emit("Back in the party",
                                        "You were away too long, so you are back as a new member.")
        elif isinstance(event, Ended):
            self._on_guest_ended(event)

    def _on_guest_ended(self, ended: Ended) -> None:
        self._set_reconnecting(False)
        self.player.detach()
        if self._role != ROLE_CLIENT:
            return   # left on purpose (or cancelled): already idle
        final = ended.final
        if ended.failure is not None or final is None:
            self._to_idle()   # a bug is shown by _on_failure; leaving needs no words
        elif not ended.welcomed:
            self._to_idle()
            if isinstance(final, g.ErrorReceived) and final.code not in PIN_REFUSALS:
                self.errorOccurred.emit(CANNOT_JOIN, final.human)
            elif not isinstance(final, g.ErrorReceived):
                self.errorOccurred.emit(CANNOT_JOIN, getattr(final, "reason", "Connection closed"))
        else:
            self._latency_timer.stop()
            if isinstance(final, g.SessionClosed):
                message = "The host ended the party."
            elif isinstance(final, g.ErrorReceived):
                message = final.human
            elif isinstance(final, g.ConnectionLost):
                message = f"Connection to the host was lost ({final.reason})."
            else:
                self._to_idle()
                return
            self._set_status(DISCONNECTED)
            self.sessionEnded.emit(message)

    async def leave(self) -> None:
        """Leave on purpose: LEAVE to the host, back to idle."""
        if self._join_task is not None:
            self._join_task.cancel()
        self._to_idle()   # first: the Ended that follows is ours, not news
        await self._guest.leave("Left the party")

    def give_up(self) -> None:
        """Stop reconnecting (the person pressed Give up): back to idle."""
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
        await self._guest.stop()
        await self._tasks.cancel_all()

    # -- helpers --------------------------------------------------------------------------------
    def _to_idle(self) -> None:
        self._latency_timer.stop()
        self._streams.clear()
        self.members.clear()
        self.members.set_you(None)
        self._set_session()
        self._set_role(ROLE_NONE)
        self._set_status(IDLE)

    def _refresh_latencies(self) -> None:
        server = self.server
        if server is not None:
            for member in server.members[1:]:
                self.members.set_latency(member.id, server.latency_ms(member.id))

    def _on_failure(self, exc: BaseException) -> None:
        """A bug of ours (already logged with its traceback): say so."""
        self.errorOccurred.emit(SOMETHING_WRONG, f"LoudSync hit a bug: {exc}")

