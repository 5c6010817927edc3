"""How a guest's stream is faring: numbers for the wire, words for people.

- ``StreamHealth`` (guest): follows the stream on one connection (start, clear, each
  chunk as it arrives, the first sound) and gives ``SYNC_REPORT``'s optional stream
  fields (``streamState``, ``bufferedMs``, ``lostMs``; messages.stream_fields_of
  validates them on the host).
- ``MemberStreamView`` (host): turns one member's successive reports into what the
  host's screen says of it: "buffering", "behind, catching up", "lost 2 s of audio",
  or None when all is well (the sync words show then). ``MemberStreams`` keeps one
  view per member, for the app and the command line alike.

Pure: no I/O, no clock; every time is a parameter (µs on the guest side, the host's ms
on the host side). See docs/PLAYBACK-PROTOCOL.md, SYNC_REPORT.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .messages import (BUFFERED_MS_FIELD, LOST_MS_FIELD, MAX_BUFFERED_MS, MAX_LOST_MS,
                       STATE_FIELD, STREAM_BEHIND, STREAM_BUFFERING, STREAM_IDLE,
                       STREAM_PLAYING)
from .stream import DEFAULT_LEAD_US

LATE_WINDOW_US = 2_000_000    # a late chunk this recent still counts as "behind" (a report's span)
BEHIND_FRACTION = 4           # playing with under lead / 4 held ahead: "behind"
LOSS_SHOWN_MS = 10_000        # "lost 2 s of audio" stays this long after the trouble ends

BUFFERING_WORDS = "buffering"
BEHIND_WORDS = "behind, catching up"


# -- the guest: what its stream is doing --------------------------------------------------
class StreamHealth:
    """One guest's stream, as SYNC_REPORT tells the host of it.

    Loss is audio that should have played here and will not: chunks that arrived too
    late (dropped), and gaps between consecutive stamps of one contiguous run (chunks the
    host dropped for this guest, or that never got through). A run begins at every start
    and clear, so the jump of a seek is no loss."""

    def __init__(self, chunk_us: int = 20_000, lead_us: int = DEFAULT_LEAD_US) -> None:
        self.chunk_us = chunk_us
        self.lead_us = lead_us
        self._streaming = False
        self._playing = False
        self._run_last_stamp: int | None = None   # the newest stamp of the current run
        self._newest_end_us: int | None = None    # where the audio held ahead runs out
        self._late_at_us: int | None = None       # when the last late chunk arrived
        self._lost_us = 0

    def started(self, lead_us: int | None = None) -> None:
        """A STREAM_START: a new stream on this connection (``lead_us``: its ``leadMs``)."""
        if lead_us is not None and lead_us > 0:
            self.lead_us = lead_us
        self._streaming = True
        self._playing = False
        self._run_last_stamp = self._newest_end_us = self._late_at_us = None
        self._lost_us = 0

    def cleared(self, from_us: int) -> None:
        """A STREAM_CLEAR: chunks from ``from_us`` on are replaced by a new run."""
        self._playing = False
        self._run_last_stamp = None
        self._late_at_us = None        # lateness of the old run says nothing of the new
        if self._newest_end_us is not None:
            self._newest_end_us = min(self._newest_end_us, from_us)

    def ended(self) -> None:
        """A STREAM_END: the party stopped; silence now is no trouble."""
        self._streaming = False
        self._playing = False
        self._run_last_stamp = None

    def chunk(self, stamp_us: int, now_us: int, on_time: bool) -> None:
        """A chunk arrived at ``now_us``; ``on_time`` False: it was late, and dropped."""
        if not self._streaming:
            return   # before any STREAM_START the guest drops it: not part of a stream
        last = self._run_last_stamp
        if last is not None and stamp_us > last:
            # Whole chunks missing between the two: a stamp a microsecond off is none.
            missing = round((stamp_us - last) / self.chunk_us) - 1
            self._lost_us += max(0, missing) * self.chunk_us
        if last is None or stamp_us > last:
            self._run_last_stamp = stamp_us
        if on_time:
            end = stamp_us + self.chunk_us
            if self._newest_end_us is None or end > self._newest_end_us:
                self._newest_end_us = end
        else:
            self._lost_us += self.chunk_us
            self._late_at_us = now_us

    def played(self) -> None:
        """The first sound of this stream (since its start or last clear) left."""
        if self._streaming:
            self._playing = True

    def buffered_us(self, now_us: int) -> int:
        if self._newest_end_us is None:
            return 0
        return max(0, self._newest_end_us - now_us)

    def state(self, now_us: int) -> str:
        if not self._streaming:
            return STREAM_IDLE
        if not self._playing:
            return STREAM_BUFFERING
        late = self._late_at_us is not None and now_us - self._late_at_us < LATE_WINDOW_US
        if late or self.buffered_us(now_us) < self.lead_us // BEHIND_FRACTION:
            return STREAM_BEHIND
        return STREAM_PLAYING

    def fields(self, now_us: int) -> dict[str, Any]:
        """SYNC_REPORT's optional stream fields, as of ``now_us``."""
        return {STATE_FIELD: self.state(now_us),
                BUFFERED_MS_FIELD: min(MAX_BUFFERED_MS, self.buffered_us(now_us) // 1000),
                LOST_MS_FIELD: min(MAX_LOST_MS, self._lost_us // 1000)}


# -- the host: words for people ----------------------------------------------------------
def lost_words(lost_ms: int) -> str:
    """"lost 0.3 s of audio", "lost 2 s of audio", "lost 45 s of audio", "lost 3 min of audio"."""
    if lost_ms < 50:
        amount = "under 0.1 s"
    elif lost_ms < 9_950:
        amount = f"{round(lost_ms / 1000, 1):g} s"
    elif lost_ms < 119_500:
        amount = f"{round(lost_ms / 1000)} s"
    else:
        amount = f"{round(lost_ms / 60_000)} min"
    return f"lost {amount} of audio"


@dataclass
class MemberStreamView:
    """One member's stream health in words, from its successive reports.

    A trouble episode opens with a loss and lasts while losses keep coming or the member
    is not playing smoothly; its loss is shown for ``shown_ms`` after the episode's last
    trouble. A later loss after that starts a new episode, counted from zero."""

    shown_ms: int = LOSS_SHOWN_MS
    _state: str = STREAM_IDLE
    _last_lost_ms: int = 0                  # the member's own cumulative count, last seen
    _episode_lost_ms: int = 0
    _episode_until_ms: int | None = None    # the episode's words go after this

    def report(self, fields: Mapping[str, Any] | None, now_ms: int) -> str | None:
        """A SYNC_REPORT's validated stream fields at the host's ``now_ms``; returns the
        words to show now. None (a playback/1 member, or no field valid) is no news."""
        if fields is None:
            return self.words(now_ms)
        state = fields.get(STATE_FIELD)
        if isinstance(state, str):
            self._state = state
        lost = fields.get(LOST_MS_FIELD)
        delta = 0
        if isinstance(lost, int):
            # A smaller count: the member began a new stream (it counts from zero again).
            delta = lost - self._last_lost_ms if lost >= self._last_lost_ms else lost
            self._last_lost_ms = lost
        if delta > 0:
            if not self._episode_open(now_ms):
                self._episode_lost_ms = 0
            self._episode_lost_ms += delta
            self._episode_until_ms = now_ms + self.shown_ms
        elif self._state == STREAM_BEHIND or (self._state == STREAM_BUFFERING
                                               and self._episode_open(now_ms)):
            # Still in trouble: what was lost stays shown until it is over.
            self._episode_until_ms = now_ms + self.shown_ms
        return self.words(now_ms)

    def _episode_open(self, now_ms: int) -> bool:
        return self._episode_until_ms is not None and now_ms <= self._episode_until_ms

    def words(self, now_ms: int) -> str | None:
        """What to say of this member at ``now_ms`` (None: nothing wrong to say)."""
        if self._state == STREAM_BUFFERING:
            return BUFFERING_WORDS
        if self._state == STREAM_BEHIND:
            return BEHIND_WORDS
        if self._episode_open(now_ms) and self._episode_lost_ms > 0:
            return lost_words(self._episode_lost_ms)
        return None


class MemberStreams:
    """Every member's MemberStreamView, by device id: what the host's faces show."""

    def __init__(self, shown_ms: int = LOSS_SHOWN_MS) -> None:
        self.shown_ms = shown_ms
        self._views: dict[str, MemberStreamView] = {}
        self._shown: dict[str, str | None] = {}

    def report(self, device_id: str, fields: Mapping[str, Any] | None, now_ms: int,
               playing: bool = True) -> bool:
        """A member's report; True when its words changed. While the party is not
        playing (``playing`` False) nothing is said: silence then is no trouble."""
        view = self._views.get(device_id)
        if view is None:
            view = self._views[device_id] = MemberStreamView(self.shown_ms)
        words = view.report(fields, now_ms)
        if not playing:
            words = None
        changed = words != self._shown.get(device_id)
        self._shown[device_id] = words
        return changed

    def status(self, device_id: str) -> str | None:
        """The words last worked out for this member (None: nothing to say)."""
        return self._shown.get(device_id)

    def forget(self, device_id: str) -> None:
        self._views.pop(device_id, None)
        self._shown.pop(device_id, None)

    def clear(self) -> None:
        self._views.clear()
        self._shown.clear()
