"""Cost of the stream's chunk codecs: CPU per second of audio and bandwidth per guest.

Run:  .venv/bin/python bench/codec.py                 (a table)
      .venv/bin/python bench/codec.py --json          (one JSON object)
      .venv/bin/python bench/codec.py --file SONG     (a real song instead of the test signal)

What is measured
================

The same audio (default: 20 s of a synthetic mix, a chord with vibrato, a beat envelope and
noise at -24 dB, so neither codec gets a pure tone's free ride; or the first ``--seconds`` of
``--file`` through ``audio.source.FileSource``) is cut into 20 ms chunks of 48 kHz stereo s16 and
put through each codec of ``audio.codec`` chunk by chunk, as the host and a guest do:

- encode: process CPU time to encode every chunk, divided by the audio's length (the host pays
  this once per party, whatever the number of guests);
- decode: the same for decoding every chunk back (each guest pays this);
- wire: payload bytes per second, and with the per-chunk framing (Sendspin's 13-byte header plus
  a 4-byte websocket frame header) in kbit/s: what each guest costs the host's uplink.

``pcm`` is the baseline (a copy each way), measured in the same run. Each codec runs
``--repeat`` times and the fastest run counts (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loudsync_desktop.audio.codec import DEFAULT_OPUS_BITRATE, make_decoder, make_encoder  # noqa: E402
from loudsync_desktop.protocol.stream import (CHUNK_FRAMES, CHUNK_HEADER_BYTES,  # noqa: E402
                                              FRAME_BYTES, SAMPLE_RATE)

WS_HEADER_BYTES = 4                     # a server-to-client binary frame of 126..65535 bytes


def synthetic(seconds: float) -> bytes:
    """A music-like stereo signal: chord + vibrato + beat envelope + quiet noise."""
    rng = random.Random(12)
    frames = int(seconds * SAMPLE_RATE)
    notes = (110.0, 220.0, 277.18, 329.63, 440.0, 659.25)
    out = bytearray(frames * FRAME_BYTES)
    pack = struct.Struct("<hh").pack_into
    for i in range(frames):
        t = i / SAMPLE_RATE
        beat = 0.55 + 0.45 * math.exp(-8 * (t % 0.5))
        vib = 1 + 0.004 * math.sin(2 * math.pi * 5 * t)
        tone = sum(math.sin(2 * math.pi * f * vib * t + k) / (k + 1) for k, f in enumerate(notes))
        left = beat * tone * 0.22 + rng.gauss(0, 0.02)
        right = beat * tone * 0.18 + 0.05 * math.sin(2 * math.pi * 97 * t) + rng.gauss(0, 0.02)
        pack(out, i * FRAME_BYTES, max(-32768, min(32767, int(left * 32767))),
             max(-32768, min(32767, int(right * 32767))))
    return bytes(out)


def from_file(path: str, seconds: float) -> bytes:
    from loudsync_desktop.audio.source import FileSource
    wanted = int(seconds * SAMPLE_RATE) * FRAME_BYTES
    out = bytearray()
    with FileSource(path) as source:
        for chunk in source.chunks():
            out += chunk.pcm
            if len(out) >= wanted:
                break
    return bytes(out[:wanted])


def measure(codec: str, chunks: list[bytes], repeat: int, bitrate: int) -> dict[str, float]:
    seconds = len(chunks) * CHUNK_FRAMES / SAMPLE_RATE
    best_encode = best_decode = math.inf
    units: list[bytes] = []
    for _ in range(repeat):
        encoder = make_encoder(codec, CHUNK_FRAMES, bitrate=bitrate)
        decoder = make_decoder(codec, CHUNK_FRAMES, encoder.header)
        start = time.process_time()
        units = [encoder.encode(c) for c in chunks]
        best_encode = min(best_encode, time.process_time() - start)
        start = time.process_time()
        for unit in units:
            decoder.decode(unit)
        best_decode = min(best_decode, time.process_time() - start)
    payload = sum(map(len, units))
    framed = payload + len(units) * (CHUNK_HEADER_BYTES + WS_HEADER_BYTES)
    return {
        "encode_ms_per_s": 1000 * best_encode / seconds,
        "decode_ms_per_s": 1000 * best_decode / seconds,
        "payload_bytes_per_s": payload / seconds,
        "wire_kbit_per_s": framed * 8 / seconds / 1000,
        "mean_chunk_bytes": payload / len(units),
        "max_chunk_bytes": max(map(len, units)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--file", help="a song to measure instead of the synthetic signal")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bitrate", type=int, default=DEFAULT_OPUS_BITRATE, help="Opus bits/s")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    pcm = from_file(args.file, args.seconds) if args.file else synthetic(args.seconds)
    size = CHUNK_FRAMES * FRAME_BYTES
    chunks = [pcm[i:i + size] for i in range(0, len(pcm) - size + 1, size)]
    results = {codec: measure(codec, chunks, args.repeat, args.bitrate)
               for codec in ("pcm", "flac", "opus")}
    if args.json:
        print(json.dumps({"seconds": len(chunks) * CHUNK_FRAMES / SAMPLE_RATE,
                          "signal": args.file or "synthetic", "opus_bitrate": args.bitrate,
                          "codecs": results}, indent=2))
        return
    print(f"{len(chunks) * 0.02:.0f} s of {args.file or 'synthetic music'}, "
          f"20 ms chunks, Opus at {args.bitrate // 1000} kbit/s; "
          "CPU = ms of one core per s of audio")
    print(f"{'codec':6} {'encode':>8} {'decode':>8} {'payload':>10} {'wire/guest':>12} "
          f"{'8 guests':>10} {'chunk':>7} {'max':>6}")
    for codec, r in results.items():
        print(f"{codec:6} {r['encode_ms_per_s']:7.2f}ms {r['decode_ms_per_s']:7.2f}ms "
              f"{r['payload_bytes_per_s'] / 1000:7.1f}kB/s {r['wire_kbit_per_s']:8.0f}kbit/s "
              f"{r['wire_kbit_per_s'] * 8 / 1000:7.2f}Mbit {r['mean_chunk_bytes']:6.0f}B "
              f"{r['max_chunk_bytes']:5d}B")


if __name__ == "__main__":
    main()
