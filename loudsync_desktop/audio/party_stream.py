"""The party's stream as the host makes it: which file, from where, chunk by chunk.

``PartyStream`` follows the host's PlayState. It decodes the current track as far
as the stream's lead asks (FileSource), cuts it into chunks with one Chunker
across tracks (so the next track's first frame follows the last one's: gapless),
encodes each chunk once and stamps it (HostStream). A track's file ends about a
lead before its last frame is heard: the stream goes on into the queue's next
track at once and says when that track starts (``announcements``), so the host
tells everyone just in time. Until then the queue may change under it; what
was decoded ahead that no longer follows is replaced from where it would have
started (``follow``).

Threads: the event loop only. No network: the host hands the chunks out.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..protocol.playback import SAMPLE_RATE, START_LEAD_US, PlayState, Track
from ..protocol.stream import FRAME_BYTES, HostStream, SentChunk, chunk_us
from .codec import make_encoder
from .source import Chunk, Chunker, FileSource, SourceError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Advance:
    """Track ``track_id`` starts at ``at_us`` (None: the queue ends there)."""

    track_id: str | None
    at_us: int


@dataclass(frozen=True)
class Made:
    chunk: SentChunk                    # the encoded frame, for every guest
    pcm: bytes                          # its PCM, for the host's own speakers
    pcm_stamp_us: int


class PartyStream:
    def __init__(self, files: Mapping[str, Path], codec: str, lead_us: int, *,
                 on_clear: Callable[[int, int], None],
                 on_skip: Callable[[Track, SourceError], None]) -> None:
        """``on_clear(from_us, pcm_from_us)``: everyone drops what they hold from there
        (guests by decoded stamps, the host's speakers by PCM stamps)."""
        self.files = files
        self.encoder = make_encoder(codec)        # CodecError: this FFmpeg lacks it
        self.stream = HostStream(lead_us=lead_us, delay_frames=self.encoder.delay_frames)
        self._on_clear = on_clear
        self._on_skip = on_skip
        self._queue: tuple[Track, ...] = ()       # the queue as the last state had it
        self._chunker = Chunker()
        self._ready: deque[Chunk] = deque()
        self._source: FileSource | None = None
        self._blocks: Iterator[bytes] | None = None
        self._decoding: str | None = None         # the track the blocks come from
        self._fed_frames = 0                      # into the chunker since the stream's start
        self._start_us = 0                        # host time of the stream's frame 0
        # What plays, as the last state said: (track id, host time of its position 0).
        self.following: tuple[str, int] | None = None
        # Tracks decoded ahead whose start nobody was told yet, in order, and the queue's
        # end (the chunker then holds the last frames until it is certain nothing follows).
        self._ahead: deque[Advance] = deque()
        self._end: Advance | None = None
        self.over = True                          # every chunk of this stream was made
        self.unplayable: set[str] = set()         # tracks that failed: passed over from now

    # -- following the player ---------------------------------------------------------------
    def command_us(self, now_us: int) -> int:
        """"Now" for a command, so that it takes effect (START_LEAD later) on a chunk
        boundary: the stream then switches without cutting a chunk in two."""
        return self.stream.boundary_after(now_us + START_LEAD_US) - START_LEAD_US

    def follow(self, state: PlayState, now_us: int) -> None:
        """Make the stream play what ``state`` says, replacing only what it must."""
        self._queue = state.queue
        current = state.current
        wanted = (current.track_id, state.start_at_us) \
            if state.playing and current is not None else None
        if wanted != self.following:
            # A command: it takes effect at its state's instant, on a chunk boundary.
            self.following = wanted
            self._ahead.clear()
            self._end = None
            if wanted is None:
                self.stop(state.effective_at_us)
            else:
                self._restart(state.effective_at_us, wanted[0], wanted[1])
            return
        if wanted is None or self.over:
            return   # the volume, or the queue around what plays: nobody hears a thing
        plan = [a.track_id for a in self._ahead]
        upcoming = self._upcoming(state)
        if upcoming[:len(plan)] == plan:
            if self._end is not None and len(upcoming) > len(plan):
                # Music was added before the last track's end was told: on with it.
                end, self._end = self._end, None
                self._continue_at(end.at_us, upcoming[len(plan):])
            return
        # What was decoded ahead no longer follows: replace it from where it diverges,
        # or (when that is too close) as soon as everyone can hear of it.
        keep = next(i for i, track_id in enumerate(plan)
                    if i >= len(upcoming) or upcoming[i] != track_id)
        diverges = self._ahead[keep].at_us if keep < len(self._ahead) else \
            (self._end.at_us if self._end is not None else now_us)
        self._replan(max(self.stream.boundary_before(diverges),
                         self.stream.boundary_after(now_us + START_LEAD_US)), keep)

    def resync_if_behind(self, now_us: int) -> bool:
        """After the loop stalled past the lead, jump to where the music should be instead
        of making every chunk that is already late."""
        if self.over or not self.stream.running or self._blocks is None:
            return False   # (no blocks: the last frames wait for the end to be told)
        if self.stream.stamp(self.stream.next_index) + chunk_us() > now_us:
            return False
        self._replan(self.stream.boundary_after(now_us + START_LEAD_US), len(self._ahead))
        return True

    def _upcoming(self, state: PlayState) -> list[str]:
        return [t.track_id for t in state.queue[state.index + 1:]
                if t.track_id not in self.unplayable]

    def _replan(self, at_us: int, keep: int) -> None:
        """Restart at ``at_us`` with what the plan has playing then, keeping the first
        ``keep`` tracks decoded ahead (they still follow) and forgetting the rest."""
        assert self.following is not None
        playing = Advance(*self.following)
        kept = [a for a in list(self._ahead)[:keep] if a.at_us <= at_us]
        if kept:
            playing = kept[-1]
        # Those starting by then are still to be told; the rest is decoded again after.
        self._ahead = deque(kept)
        self._end = None
        assert playing.track_id is not None
        self._restart(at_us, playing.track_id, playing.at_us)

    def _restart(self, at_us: int, track_id: str, track_start_us: int) -> None:
        """From ``at_us`` on, ``track_id`` from where its start at ``track_start_us`` puts it."""
        from_us = self.stream.start(at_us)
        at_us = self.stream.pcm_stamp(0)            # snapped onto the frame grid
        self._on_clear(from_us, at_us)
        self.encoder.reset()
        self._chunker.reset(0)
        self._ready.clear()
        self._fed_frames = 0
        self._start_us = at_us
        self.over = False
        self._close_source()
        position = max(0, round((at_us - track_start_us) * SAMPLE_RATE / 1e6))
        track = self._track(track_id)
        if track is None or not self._open(track, position):
            self._track_ended(track_id)

    def stop(self, at_us: int) -> None:
        if self.stream.running:
            self._on_clear(at_us, at_us)
        self.stream.stop()
        self._close_source()
        self._ahead.clear()
        self._end = None
        self.over = True

    def close(self) -> None:
        self._close_source()

    # -- telling everyone -------------------------------------------------------------------
    def announcements(self, now_us: int) -> list[Advance]:
        """The track starts (and the queue's end) that are near enough to be told now."""
        due: list[Advance] = []
        while self._ahead and now_us >= self._ahead[0].at_us - START_LEAD_US:
            due.append(self._ahead.popleft())
        if self._end is not None and not self._ahead and \
                now_us >= self._end.at_us - START_LEAD_US:
            due.append(self._end)
            self._end = None
            last = self._chunker.finish()   # nothing follows: the last frames go out
            if last is not None:
                self._ready.append(last)
        for advance in due:
            if advance.track_id is not None:
                self.following = (advance.track_id, advance.at_us)
            else:
                self.following = None
        return due

    # -- making chunks ----------------------------------------------------------------------
    def make(self, now_us: int, max_chunks: int) -> list[Made]:
        """The chunks due now (those playing within the lead), encoded and stamped."""
        made: list[Made] = []
        if self.over or not self.stream.running:
            return made
        for _ in range(self.stream.due(now_us, max_chunks)):
            pcm = self._next_pcm()
            if pcm is None:
                # The last frames wait in the chunker until the end is told; once they
                # are out, the stream is over.
                self.over = self._end is None and self._blocks is None
                break
            sent = self.stream.add(self.encoder.encode(pcm), now_us)
            made.append(Made(sent, pcm, self.stream.pcm_stamp(sent.index)))
        return made

    def _next_pcm(self) -> bytes | None:
        while not self._ready:
            if self._blocks is None:
                return None
            try:
                block = next(self._blocks)
            except StopIteration:
                self._track_ended(self._decoding)
                continue
            except SourceError as exc:
                failed = self._decoding
                track = self._track(failed) if failed is not None else None
                if track is not None:
                    self._skip(track, exc)
                self._track_ended(failed)
                continue
            self._fed_frames += len(block) // FRAME_BYTES
            self._ready.extend(self._chunker.feed(block))
        return self._ready.popleft().pcm

    def _track_ended(self, finished: str | None) -> None:
        """``finished`` has no more audio: the queue's next track follows at the instant
        its last frame ends."""
        self._close_source()
        end_us = self._start_us + self._fed_frames * 1_000_000 // SAMPLE_RATE
        ids = [t.track_id for t in self._queue]
        after = ids.index(finished) + 1 if finished in ids else len(ids)
        self._continue_at(end_us, [i for i in ids[after:] if i not in self.unplayable])

    def _continue_at(self, at_us: int, candidates: list[str]) -> None:
        for track_id in candidates:
            track = self._track(track_id)
            if track is not None and self._open(track, 0):
                self._ahead.append(Advance(track_id, at_us))
                return
        self._end = Advance(None, at_us)

    # -- files ------------------------------------------------------------------------------
    def _track(self, track_id: str) -> Track | None:
        return next((t for t in self._queue if t.track_id == track_id), None)

    def _open(self, track: Track, position: int) -> bool:
        """Start decoding ``track`` at frame ``position``; False (and told) if it cannot."""
        path = self.files.get(track.track_id)
        try:
            if path is None:
                raise SourceError(f"{track.title}: its file is not on this computer")
            source = FileSource(path)
        except SourceError as exc:
            self._skip(track, exc)
            return False
        source.seek(position)
        self._source, self._blocks, self._decoding = source, source.blocks(), track.track_id
        return True

    def _skip(self, track: Track, exc: SourceError) -> None:
        self.unplayable.add(track.track_id)
        log.warning("skipping %s: %s", track.title, exc.message)
        self._on_skip(track, exc)

    def _close_source(self) -> None:
        source, self._source, self._blocks, self._decoding = self._source, None, None, None
        if source is not None:
            source.close()
