"""Chunk codecs of the stream: Opus, FLAC and PCM behind one interface (PyAV/FFmpeg).

The host encodes each chunk of party PCM (interleaved s16, 48 kHz stereo) once
and sends the bytes to every guest; each guest decodes them back into exactly
one chunk of PCM. One chunk is one codec unit, as in Sendspin: one raw Opus
packet (no Ogg), one FLAC frame, or the PCM itself.

- ``encoder.header``: what ``STREAM_START.codecHeader`` carries (FLAC: ``fLaC`` +
  STREAMINFO; Opus and PCM: None).
- ``encoder.delay_frames``: the encoder's look-ahead. What chunk k decodes to
  starts this many frames *before* the PCM chunk k it was fed with (Opus: 312,
  others 0), so the host stamps chunk k ``delay_frames`` earlier and every guest
  plays a decoded chunk at its stamp, whatever the codec.

Bad bytes from the network raise ``CodecError`` and leave the decoder usable.
"""

from __future__ import annotations

from typing import Protocol

import av

from ..protocol.errors import LoudSyncError
from ..protocol.playback import CHANNELS, SAMPLE_RATE
from ..protocol.stream import CHUNK_FRAMES, CODECS, DEFAULT_CODEC, FRAME_BYTES

DEFAULT_OPUS_BITRATE = 128_000          # transparent for music; ~0.14 Mbit/s per guest framed
FLAC_COMPRESSION = 5                    # FFmpeg's default; the bench shows what it costs
_FLAC_MARKER = b"fLaC"
_STREAMINFO_BYTES = 34
FLAC_HEADER_BYTES = 4 + 4 + _STREAMINFO_BYTES
_OPUS_FRAMES = {120, 240, 480, 960, 1920, 2880}   # 2.5 to 60 ms at 48 kHz



def frame_pcm(frame: av.AudioFrame) -> bytes:
    """A decoded packed s16 frame's samples, copied once (its plane is padded past them)."""
    return bytes(memoryview(frame.planes[0])[:frame.samples * FRAME_BYTES])

class CodecError(LoudSyncError):
    """A chunk or header that does not decode to one chunk of the stream's PCM."""


class ChunkEncoder(Protocol):
    codec: str
    chunk_frames: int
    delay_frames: int
    header: bytes | None

    def encode(self, pcm: bytes) -> bytes: ...
    def reset(self) -> None: ...


class ChunkDecoder(Protocol):
    codec: str
    chunk_frames: int

    def decode(self, payload: bytes) -> bytes: ...
    def reset(self) -> None: ...


def _check_pcm(pcm: bytes, chunk_frames: int) -> None:
    if len(pcm) != chunk_frames * FRAME_BYTES:
        raise ValueError(f"a chunk is {chunk_frames * FRAME_BYTES} bytes of PCM, not {len(pcm)}")


class PcmEncoder:
    codec = "pcm"
    delay_frames = 0
    header = None

    def __init__(self, chunk_frames: int) -> None:
        self.chunk_frames = chunk_frames

    def encode(self, pcm: bytes) -> bytes:
        _check_pcm(pcm, self.chunk_frames)
        return bytes(pcm)

    def reset(self) -> None:
        pass


class PcmDecoder:
    codec = "pcm"

    def __init__(self, chunk_frames: int) -> None:
        self.chunk_frames = chunk_frames

    def decode(self, payload: bytes) -> bytes:
        if len(payload) != self.chunk_frames * FRAME_BYTES:
            raise CodecError(f"a PCM chunk is {self.chunk_frames * FRAME_BYTES} bytes, "
                             f"not {len(payload)}")
        return bytes(payload)

    def reset(self) -> None:
        pass


class _AvEncoder:
    """One FFmpeg encoder fed one chunk at a time; every chunk comes out as one packet."""

    codec = ""
    _ffmpeg_name = ""

    def __init__(self, chunk_frames: int) -> None:
        self.chunk_frames = chunk_frames
        self._context = self._open()
        self._pts = 0

    def _configure(self, context: av.AudioCodecContext) -> None:
        raise NotImplementedError

    def _open(self) -> av.AudioCodecContext:
        context = av.CodecContext.create(self._ffmpeg_name, "w")
        context.sample_rate = SAMPLE_RATE
        context.layout = "stereo"
        context.format = "s16"
        self._configure(context)
        context.open()
        if context.frame_size != self.chunk_frames:
            raise ValueError(f"{self.codec} cannot encode chunks of {self.chunk_frames} frames")
        return context

    def encode(self, pcm: bytes) -> bytes:
        _check_pcm(pcm, self.chunk_frames)
        frame = av.AudioFrame(format="s16", layout="stereo", samples=self.chunk_frames)
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._pts
        self._pts += self.chunk_frames
        frame.planes[0].update(pcm)
        packets = self._context.encode(frame)
        if len(packets) != 1:
            raise CodecError(f"the {self.codec} encoder gave {len(packets)} packets for a chunk")
        return bytes(packets[0])

    def reset(self) -> None:
        """Start afresh (after a seek): no audio of the old position leaks into the new."""
        self._context = self._open()
        self._pts = 0


class OpusEncoder(_AvEncoder):
    codec = "opus"
    # FFmpeg's own Opus encoder is experimental; libopus is the reference.
    _ffmpeg_name = "libopus"
    header = None

    def __init__(self, chunk_frames: int, bitrate: int = DEFAULT_OPUS_BITRATE) -> None:
        if chunk_frames not in _OPUS_FRAMES:
            raise ValueError(f"Opus chunks are 2.5 to 60 ms, not {chunk_frames} frames")
        if not 6_000 <= bitrate <= 510_000:
            raise ValueError("Opus bitrate is 6 to 510 kbit/s")
        self.bitrate = bitrate
        super().__init__(chunk_frames)
        extradata = bytes(self._context.extradata or b"")
        # OpusHead: the pre-skip (the encoder's look-ahead) is a little-endian u16 at 10.
        self.delay_frames = (int.from_bytes(extradata[10:12], "little")
                             if len(extradata) >= 12 else 0)

    def _configure(self, context: av.AudioCodecContext) -> None:
        context.bit_rate = self.bitrate
        context.options = {"application": "audio",
                           "frame_duration": str(self.chunk_frames * 1000 / SAMPLE_RATE),
                           "vbr": "on"}


class FlacEncoder(_AvEncoder):
    codec = "flac"
    _ffmpeg_name = "flac"
    delay_frames = 0

    def __init__(self, chunk_frames: int, compression: int = FLAC_COMPRESSION) -> None:
        self.compression = compression
        super().__init__(chunk_frames)
        info = bytes(self._context.extradata or b"")
        if len(info) != _STREAMINFO_BYTES:
            raise CodecError("the FLAC encoder gave no STREAMINFO")
        # The stream marker, then STREAMINFO as the last (0x80) metadata block (type 0).
        self.header = _FLAC_MARKER + bytes([0x80]) + len(info).to_bytes(3, "big") + info

    def _configure(self, context: av.AudioCodecContext) -> None:
        # Fixed block size = our chunk: one FLAC frame per chunk.
        context.options = {"frame_size": str(self.chunk_frames),
                           "compression_level": str(self.compression)}


class _AvDecoder:
    codec = ""

    def __init__(self, chunk_frames: int) -> None:
        self.chunk_frames = chunk_frames
        self._context = self._open()

    def _open(self) -> av.AudioCodecContext:
        raise NotImplementedError

    def decode(self, payload: bytes) -> bytes:
        # An empty packet would tell FFmpeg the stream ended: never pass one on.
        if not payload:
            raise CodecError(f"an empty {self.codec} chunk")
        try:
            frames = self._context.decode(av.Packet(payload))
        except (av.FFmpegError, ValueError, OverflowError) as error:
            raise CodecError(f"a {self.codec} chunk that does not decode "
                             f"({error.__class__.__name__})") from None
        total = sum(f.samples for f in frames)
        if total != self.chunk_frames:
            raise CodecError(f"a {self.codec} chunk of {total} frames, not {self.chunk_frames}")
        out = []
        for frame in frames:
            if frame.format.name != "s16" or frame.layout.nb_channels != CHANNELS \
                    or frame.sample_rate != SAMPLE_RATE:
                raise CodecError(f"a {self.codec} chunk not in the stream's format")
            out.append(frame_pcm(frame))
        return out[0] if len(out) == 1 else b"".join(out)

    def reset(self) -> None:
        self._context = self._open()


class OpusDecoder(_AvDecoder):
    codec = "opus"

    def _open(self) -> av.AudioCodecContext:
        # libopus decodes straight to interleaved s16; no header: the format is the party's.
        context = av.CodecContext.create("libopus", "r")
        context.sample_rate = SAMPLE_RATE
        context.layout = "stereo"
        context.open()
        return context


class FlacDecoder(_AvDecoder):
    codec = "flac"

    def __init__(self, chunk_frames: int, header: bytes) -> None:
        if (len(header) != FLAC_HEADER_BYTES or header[:4] != _FLAC_MARKER
                or header[4] & 0x7F != 0
                or int.from_bytes(header[5:8], "big") != _STREAMINFO_BYTES):
            raise CodecError("the FLAC stream header is not fLaC + STREAMINFO")
        info = header[8:]
        rate = int.from_bytes(info[10:13], "big") >> 4
        channels = ((info[12] >> 1) & 0x07) + 1
        bits = (((info[12] & 0x01) << 4) | (info[13] >> 4)) + 1
        if (rate, channels, bits) != (SAMPLE_RATE, CHANNELS, 16):
            raise CodecError(f"a FLAC stream of {rate} Hz, {channels} channels, {bits} bits "
                             "is not the party's format")
        self._info = info
        super().__init__(chunk_frames)

    def _open(self) -> av.AudioCodecContext:
        context = av.CodecContext.create("flac", "r")
        context.extradata = self._info
        context.open()
        return context


def make_encoder(codec: str = DEFAULT_CODEC, chunk_frames: int = CHUNK_FRAMES, *,
                 bitrate: int = DEFAULT_OPUS_BITRATE) -> ChunkEncoder:
    if codec == "opus":
        return OpusEncoder(chunk_frames, bitrate)
    if codec == "flac":
        return FlacEncoder(chunk_frames)
    if codec == "pcm":
        return PcmEncoder(chunk_frames)
    raise ValueError(f"unknown codec {codec!r}: one of {', '.join(CODECS)}")


def make_decoder(codec: str, chunk_frames: int = CHUNK_FRAMES,
                 header: bytes | None = None) -> ChunkDecoder:
    """A decoder for a ``STREAM_START``'s codec; CodecError for one it cannot serve."""
    if codec == "opus":
        if chunk_frames not in _OPUS_FRAMES:
            raise CodecError(f"Opus chunks cannot be {chunk_frames} frames")
        return OpusDecoder(chunk_frames)
    if codec == "flac":
        if header is None:
            raise CodecError("a FLAC stream needs its header")
        return FlacDecoder(chunk_frames, header)
    if codec == "pcm":
        return PcmDecoder(chunk_frames)
    raise CodecError(f"unknown codec {codec!r}")
