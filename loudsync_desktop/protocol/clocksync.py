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

Threads: ``add`` and ``add_exchange`` run on the event loop only (they read and
write the window). Every fit is published as one immutable ``ClockFit`` by a
single reference swap, so the audio thread may call ``fit`` and the mapping
methods (``host_us``, ``local_us``, ``offset_us``, ``synced``, ``samples_used``,
``drift_ppm``) at any time and always sees one whole fit, never half of two.
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


@dataclass(frozen=True, slots=True)
class ClockFit:
    """One estimate of the host's clock: offset(local) = intercept + slope * (local - ref).

    Immutable, so a reader on another thread holds a whole one. The default is no
    estimate yet: it maps the guest's clock to itself.
    """

    ref_us: float = 0.0
    intercept_us: float = 0.0    # offset at ref_us
    slope: float = 0.0           # d(offset)/d(local): drift as a fraction
    samples_used: int = 0        # seconds whose best exchange the fit went through
    synced: bool = False         # made from at least one exchange

    def offset_us(self, local_us: float) -> float:
        return self.intercept_us + self.slope * (local_us - self.ref_us)

    def host_us(self, local_us: float) -> float:
        """The host's clock reading at the guest's ``local_us``."""
        return local_us + self.offset_us(local_us)

    def local_us(self, host_us: float) -> float:
        """The guest's clock reading when the host's clock shows ``host_us``."""
        # host = local + a + b (local - ref)  =>  local = (host - a + b ref) / (1 + b)
        return (host_us - self.intercept_us + self.slope * self.ref_us) / (1 + self.slope)


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
        self._samples: deque[ClockSample] = deque()   # event loop only
        self.fit = ClockFit()   # replaced whole, never changed: any thread may read it

    # -- any thread: one read of the published fit ----------------------------------
    @property
    def synced(self) -> bool:
        return self.fit.synced

    @property
    def samples_used(self) -> int:
        return self.fit.samples_used

    @property
    def drift_ppm(self) -> float:
        return self.fit.slope * 1e6

    def offset_us(self, local_us: float) -> float:
        return self.fit.offset_us(local_us)

    def host_us(self, local_us: float) -> float:
        """The host's clock reading at the guest's ``local_us``."""
        return self.fit.host_us(local_us)

    def local_us(self, host_us: float) -> float:
        """The guest's clock reading when the host's clock shows ``host_us``."""
        return self.fit.local_us(host_us)

    # -- event loop only ----------------------------------------------------------------
    @property
    def samples(self) -> list[ClockSample]:
        """The exchanges in the current window, oldest first."""
        return list(self._samples)

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
        self.fit = self._fit()   # one reference swap publishes the new estimate

    def _fit(self) -> ClockFit:
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
        if len(good) < self.min_buckets_for_drift:
            # Too little to see a slope: the freshest good sample, no drift yet.
            latest = good[-1]
            return ClockFit(latest.local_us, latest.offset_us, 0.0, len(good), True)
        mean_t = statistics.fmean(s.local_us for s in good)
        mean_o = statistics.fmean(s.offset_us for s in good)
        var = sum((s.local_us - mean_t) ** 2 for s in good)
        cov = sum((s.local_us - mean_t) * (s.offset_us - mean_o) for s in good)
        limit = self.max_drift_ppm / 1e6
        slope = max(-limit, min(limit, cov / var if var else 0.0))
        return ClockFit(mean_t, mean_o, slope, len(good), True)
