"""A whole party, simulated: do the devices play in step?

Host and two guests (and a late joiner) for 60 simulated seconds: clocks seconds
apart drifting up to 100 ppm, sound cards 200 ppm off, clock exchanges over a
network with random asymmetric delays, 20 ms spikes, a 1 s stall and one exchange
far faster than all the others; every
device's PlaybackEngine renders 20 ms periods of a ramp that names each frame.
Deterministic (seeded), no threads, no sleeping; well under a second of CPU per seed.
See sync_sim.py for the machinery.
"""

from dataclasses import dataclass

import pytest

from loudsync_desktop.protocol.playback import SAMPLE_RATE, PlayState, Track

from .sync_sim import S, Laptop, Simulation

FRAME_US = 1e6 / SAMPLE_RATE
A = Track("A" * 20, "Alpha", "", 20_000, 1, "wav")
B = Track("B" * 20, "Beta", "", 30_000, 1, "wav")
C = Track("C" * 20, "Gamma", "", 20_000, 1, "wav")
HOST = Laptop("host", offset_s=0.0, drift_ppm=20, card_ppm=50)
GUESTS = [Laptop("guest-a", offset_s=2.5, drift_ppm=100, card_ppm=200),
          Laptop("guest-b", offset_s=-1.3, drift_ppm=-100, card_ppm=-200)]
LATE = Laptop("late", offset_s=7.25, drift_ppm=60, card_ppm=-150, joins_at_s=20)
STALL_S = (35.0, 36.0)
CONVERGED_S = 8.0          # initial guests: judged from here (Play is at 3 s, sound at 3.4 s)
LATE_CONVERGE_S = 3.0      # the late joiner: in step within this after joining
LIMIT_MS = 1.0


@dataclass
class Party:
    sim: Simulation
    volume_seq: int


def run_party(seed: int) -> Party:
    sim = Simulation(HOST, [*GUESTS, LATE], [(A, 1), (B, 2), (C, 3)], seed=seed, stall_s=STALL_S)
    sim.add_tracks(1.0)
    sim.command(3.0, lambda p, now: p.play(now))                 # A from 3.4 s
    sim.command(10.0, lambda p, now: p.seek(15_000, now))        # A ends at 15.4: gapless to B
    sim.command(26.0, lambda p, now: p.set_volume(0.5))
    sim.command(28.0, lambda p, now: p.pause(now))
    sim.command(31.0, lambda p, now: p.set_volume(1.0))
    sim.command(33.0, lambda p, now: p.play(now))                # stall at 35..36 s while B plays
    sim.command(38.0, lambda p, now: p.next(now))                # C
    sim.command(45.0, lambda p, now: p.previous(now))            # 6.6 s into C: restart it
    sim.command(50.0, lambda p, now: p.seek(17_000, now))        # C, the last, ends at 53.4: stop
    sim.command(55.0, lambda p, now: p.jump(0, now))
    sim.command(56.0, lambda p, now: p.play(now))
    sim.guests[0].lucky_exchange(41.0)                           # guest-a, while C plays
    sim.run_until(60 * S)
    volume_seq = next(s.seq for _, s in sim.published if s.volume == 0.5)
    return Party(sim, volume_seq)


@pytest.fixture(scope="module", params=[3, 11], ids=["seed3", "seed11"])
def party(request) -> Party:
    return run_party(request.param)


def stats(errors: list[float]) -> tuple[float, float, float]:
    ordered = sorted(errors)
    return (ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
            ordered[-1])


def timeline_moves(before: PlayState, after: PlayState) -> bool:
    def key(s: PlayState) -> tuple:
        return s.playing, s.index, s.start_at_us if s.playing else s.position_ms
    return key(before) != key(after)


def transitions(sim: Simulation) -> list[tuple[PlayState, float]]:
    """States that move the timeline and were announced ahead of their instant:
    (state, true instant of the switch)."""
    out = []
    previous = PlayState()
    for sent_us, state in sim.published:
        switch_us = sim.host.true_of(state.effective_at_us)
        if timeline_moves(previous, state) and switch_us > sent_us:
            out.append((state, switch_us))
        previous = state
    return out


def joined_before(sim: Simulation, true_us: float) -> dict:
    late = {g.laptop.name for g in sim.guests if g.joined_us > true_us - 3 * S}
    return {name: d for name, d in sim.devices.items() if name not in late}


# -- the tests ----------------------------------------------------------------------------------
def test_the_party_happened_as_scripted(party):
    sim = party.sim
    final = sim.player.state
    assert final.playing and final.current == A
    for guest in sim.guests:
        # Every guest heard every state (the last one is the host's) and pinged all along.
        assert guest.playback.state == final
        assert guest.pings > 100
    assert sim.network.spikes > 10
    assert len(transitions(sim)) == 10   # play, seek, gapless, pause, play, next, previous,
    #                                      seek, jump (paused), play


def test_every_device_plays_exactly_the_frames_its_engine_planned(party):
    for name, device in party.sim.devices.items():
        assert device.audio_mismatches == [], name
        assert len(device.parts) > 1000, name
    # The host plays from its first period; splits only add parts.
    assert len(party.sim.host_device.parts) > party.sim.host_device.periods


def test_every_device_stays_within_1_ms_of_the_host_and_of_each_other(party):
    sim = party.sim
    figures = {}
    pairs = [("host", "guest-a", CONVERGED_S), ("host", "guest-b", CONVERGED_S),
             ("guest-a", "guest-b", CONVERGED_S),
             ("host", "late", LATE.joins_at_s + LATE_CONVERGE_S),
             ("guest-a", "late", LATE.joins_at_s + LATE_CONVERGE_S)]
    for a, b, from_s in pairs:
        errors = [e for _, e in sim.errors_ms(a, b, from_s, 60)]
        # Compared every 10 ms while both play (8 s of the minute are paused or stopped).
        assert len(errors) > 0.75 * (60 - from_s - 8) * 100, (a, b, len(errors))
        figures[f"{a}/{b}"] = median, p99, worst = stats(errors)
        assert p99 < LIMIT_MS and worst < LIMIT_MS, \
            f"{a} vs {b}: median {median:.3f} p99 {p99:.3f} max {worst:.3f} ms"
    # Measured (seeds 3 and 11): median 0.01-0.06 ms, p99 0.05-0.25 ms, max under 0.3 ms
    # (guest to guest is the widest: both estimates err).
    # A regression that still fits in 1 ms but loses most of the margin should show:
    assert max(p99 for _, p99, _ in figures.values()) < 0.5, figures


def test_play_seek_pause_next_previous_switch_at_the_same_instant_everywhere(party):
    sim = party.sim
    spreads = []
    for state, switch_us in transitions(sim):
        devices = joined_before(sim, switch_us)
        assert len(devices) >= 3
        instants = {}
        for name, device in devices.items():
            part = device.first_part_of(state.seq, switch_us - 50_000)
            assert part is not None, (name, state.seq)
            # On its own clock mapping, the device switches at the first frame at or
            # after the effective instant: the engine splits the period right there.
            assert 0 <= part.host_us - state.effective_at_us < FRAME_US + 1e-6, \
                (name, state.seq, part.host_us - state.effective_at_us)
            if state.playing:
                assert part.resynced and part.track_id == state.current.track_id
                expected = (part.host_us - state.start_at_us) * SAMPLE_RATE / 1e6
                assert abs(part.start - expected) <= 0.5 + 1e-6, (name, state.seq)
            else:
                assert part.track_id is None   # paused: silence from the switch on
            instants[name] = part.true_us
        spread = max(instants.values()) - min(instants.values())
        spreads.append(spread)
        # In true time the devices differ only by their clock estimates (tens of µs).
        assert spread < 500, (state.seq, instants)
    # Measured: spreads of 13-128 µs, median ~50 µs.
    assert sorted(spreads)[len(spreads) // 2] < 150, spreads


def test_the_next_track_follows_the_last_frame_of_the_previous_one_without_a_gap(party):
    sim = party.sim
    # The state the host's tick published: B from frame 0, switched at A's last frame.
    (state, switch_us), = [(s, t) for s, t in transitions(sim)
                           if s.current == B and s.start_at_us == s.effective_at_us]
    a_frames = sim.track_frames[A.track_id]
    for name, device in joined_before(sim, switch_us).items():
        # Just before the switch (by its own clock) it plays A's very end, just after,
        # B's very start: no silence between them. The device's frames fall anywhere in
        # the timeline's frame: it starts B at frame 0 or 1, whichever is nearer.
        part = device.first_part_of(state.seq, switch_us - 50_000)
        before = device.position_at(part.true_us - 1.5 * part.frame_us)
        after = device.position_at(part.true_us + 0.5 * part.frame_us)
        assert before is not None and before[0] == A.track_id, (name, before)
        assert a_frames - 3 < before[1] < a_frames, (name, before, a_frames)
        assert after[0] == B.track_id and 0.5 - 1e-6 <= after[1] <= 1.5 + 1e-6, (name, after)


def test_once_sounding_no_device_falls_silent_again(party):
    # Not even after guest-a's one exchange that was ten times faster than any other.
    for name, device in party.sim.devices.items():
        assert device.mute_periods == [], \
            (name, f"silent from {device.mute_periods[0] / S:.2f} s", len(device.mute_periods))


def test_a_volume_change_keeps_every_device_where_it_is(party):
    sim = party.sim
    for name, device in sim.devices.items():
        changed = [p for p in device.parts if p.seq == party.volume_seq]
        assert changed and all(p.volume == 0.5 for p in changed), name
        # The new state neither jumps nor restarts: the same track, read on.
        assert not any(p.resynced for p in changed), \
            (name, [(round(p.true_us / S, 3), p.start) for p in changed if p.resynced])


def test_a_late_joiner_comes_in_in_step_within_a_few_seconds(party):
    sim = party.sim
    late = sim.devices["late"]
    joined_s = LATE.joins_at_s
    first = next(p for p in late.parts if p.track_id is not None)
    first_sound_s = first.true_us / S - joined_s
    # Silent until its clock has good exchanges in two different seconds, then in step.
    assert 0 < first_sound_s < 2.5, first_sound_s
    errors = sim.errors_ms("host", "late", joined_s, 60)
    assert errors and errors[0][0] - joined_s < 2.6
    bad = [t for t, e in errors if e >= LIMIT_MS]
    converged_s = (max(bad) - joined_s) if bad else 0.0
    assert converged_s < LATE_CONVERGE_S, (first_sound_s, converged_s)
    assert max(e for _, e in errors) < LIMIT_MS   # in fact never out of step at all


def test_each_guest_learns_the_drift_between_its_clock_and_the_hosts(party):
    for guest in party.sim.guests:
        laptop = guest.laptop
        # host_us = local + offset(local): the slope is the host's rate over the guest's, - 1.
        truth_ppm = ((1 + HOST.drift_ppm / 1e6) / (1 + laptop.drift_ppm / 1e6) - 1) * 1e6
        assert guest.playback.sync.drift_ppm == pytest.approx(truth_ppm, abs=5), laptop.name
