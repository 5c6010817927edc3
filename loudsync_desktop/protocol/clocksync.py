"""Clock synchronisation between a guest and its host, without I/O.

Each exchange gives four timestamps in microseconds: the guest sends at t0
(its clock), the host receives at t1 and answers at t2 (host clock), the guest
receives at t3. NTP's estimates follow: offset = ((t1-t0) + (t2-t3)) / 2,
round trip = (t3-t0) - (t2-t1). Queueing on either side only ever adds delay,
and delay that is not symmetric biases the offset by half the asymmetry, so
the estimator trusts the exchanges with the shortest round trips: it keeps
the fastest exchange of each second in a sliding window (dropping seconds
whose fastest was still slow) and fits a line offset(local time) through them,
which gives the drift (slope) as well as the offset. Until a few seconds are
in, it uses the freshest good sample and no drift.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class ClockSample:
    local_us: float     # midpoint of t0..t3 on the guest's clock
    offset_us: float    # host clock minus guest clock at that moment
    rtt_us: float


def sample_from_exchange(t0: float, t1: float, t2: float, t3: float) -> ClockSample:
    rtt = (t3 - t0) - (t2 - t1)
    offset = ((t1 - t0) + (t2 - t3)) / 2
    return ClockSample((t0 + t3) / 2, offset, max(0.0, rtt))


class ClockSync:
    """Maps the guest's clock to the host's: ``host_us(local_us)``."""

    def __init__(self, window_us: float = 60e6, bucket_us: float = 1e6,
                 min_buckets_for_drift: int = 4, rtt_margin_us: float = 300.0,
                 max_drift_ppm: float = 1000.0) -> None:
        self.window_us = window_us
        self.bucket_us = bucket_us
        self.min_buckets_for_drift = min_buckets_for_drift
        self.rtt_margin_us = rtt_margin_us
        self.max_drift_ppm = max_drift_ppm
        self._samples: deque[ClockSample] = deque()
        self._intercept = 0.0    # offset at _ref_us
        self._slope = 0.0        # d(offset)/d(local): drift as a fraction
        self._ref_us = 0.0
        self.samples_used = 0

    @property
    def synced(self) -> bool:
        return bool(self._samples)

    @property
    def samples(self) -> list[ClockSample]:
        """The exchanges in the current window, oldest first."""
        return list(self._samples)

    @property
    def drift_ppm(self) -> float:
        return self._slope * 1e6

    @property
    def best_rtt_us(self) -> float | None:
        return min((s.rtt_us for s in self._samples), default=None)

    def add_exchange(self, t0: float, t1: float, t2: float, t3: float) -> ClockSample:
        sample = sample_from_exchange(t0, t1, t2, t3)
        self.add(sample)
        return sample

    def add(self, sample: ClockSample) -> None:
        self._samples.append(sample)
        while self._samples and self._samples[0].local_us < sample.local_us - self.window_us:
            self._samples.popleft()
        self._fit()

    def offset_us(self, local_us: float) -> float:
        return self._intercept + self._slope * (local_us - self._ref_us)

    def host_us(self, local_us: float) -> float:
        """The host's clock reading at the guest's ``local_us``."""
        return local_us + self.offset_us(local_us)

    def local_us(self, host_us: float) -> float:
        """The guest's clock reading when the host's clock shows ``host_us``."""
        # host = local + a + b (local - ref)  =>  local = (host - a + b ref) / (1 + b)
        return (host_us - self._intercept + self._slope * self._ref_us) / (1 + self._slope)

    def _fit(self) -> None:
        # The best exchange of each bucket (NTP's clock filter), minus buckets whose
        # best was still slow (congestion), then a line through what is left.
        buckets: dict[int, ClockSample] = {}
        for s in self._samples:
            key = int(s.local_us // self.bucket_us)
            if key not in buckets or s.rtt_us < buckets[key].rtt_us:
                buckets[key] = s
        # "Slow" is measured against a typical fast second (the lower quartile), not the
        # single fastest exchange: one far luckier than all the others must not
        # disqualify them (the line, and the device's sound, would go with them).
        bests = sorted(s.rtt_us for s in buckets.values())
        reference = bests[len(bests) // 4]
        good = [buckets[k] for k in sorted(buckets)
                if buckets[k].rtt_us <= reference * 1.5 + self.rtt_margin_us]
        self.samples_used = len(good)
        if len(good) < self.min_buckets_for_drift:
            # Too little to see a slope: the freshest good sample, no drift yet.
            latest = good[-1]
            self._ref_us, self._intercept, self._slope = latest.local_us, latest.offset_us, 0.0
            return
        mean_t = statistics.fmean(s.local_us for s in good)
        mean_o = statistics.fmean(s.offset_us for s in good)
        var = sum((s.local_us - mean_t) ** 2 for s in good)
        cov = sum((s.local_us - mean_t) * (s.offset_us - mean_o) for s in good)
        limit = self.max_drift_ppm / 1e6
        self._slope = max(-limit, min(limit, cov / var if var else 0.0))
        self._ref_us = mean_t
        self._intercept = mean_o
