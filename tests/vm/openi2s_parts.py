#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""End-to-end tests of the parts on the virtual boards' wires, through
aplay and arecord: what each sink heard must be what was played, bit for
bit within its significant bits and channel mode; what the controller
recorded of each source must be the source's signal exactly; boards wired
wrong on purpose must get the verdict that names the fault.

Run in the guest by tests/vm/parts-e2e: openi2s_parts.py BOARD_DIR GROUP...
Board facts and helpers come from openi2s_e2e.py. Prints TAP.
"""
import random
import subprocess
import sys
import time

import openi2s_e2e as e2e
import ktap
from openi2s_e2e import ok, read, write, sh, PCM, SIMDEV, BYTES

PARTS = f"{SIMDEV}/parts"
WIDTH = {"S16_LE": 16, "S24_LE": 24, "S32_LE": 32}
SECONDS = 0.15


def state(part):
    """A part's debugfs state as a dict of its "key: value" lines."""
    out = {}
    for line in read(f"{PARTS}/{part}/state").splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def load(board_dir, name):
    return ok(e2e.load_board(board_dir, name), f"{name}: the board comes up")


def sext(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def msb32(v, bits):
    """A bits-wide sample as the top of a 32-bit word."""
    return (v << (32 - bits)) & 0xffffffff


def frames_of(data, fmt, channels):
    """Frames of an ALSA buffer as tuples of ints (sign extended)."""
    size = BYTES[fmt]
    vals = [sext(int.from_bytes(data[i:i + size], "little"), WIDTH[fmt])
            for i in range(0, len(data) - size + 1, size)]
    return [tuple(vals[i:i + channels])
            for i in range(0, len(vals) - channels + 1, channels)]


def tone_frames(fmt, channels, frames, seed):
    """Random frames, none silent, in ALSA's layout for fmt."""
    rnd = random.Random(seed)
    bits = WIDTH[fmt]
    out = bytearray()
    for _ in range(frames * channels):
        v = rnd.getrandbits(bits) | 1 << (bits - 2)
        out += (sext(v, bits) & 0xffffffff).to_bytes(4, "little")[:BYTES[fmt]]
    return bytes(out)


def play(fmt, channels, rate, data):
    with open("/tmp/parts-play.raw", "wb") as f:
        f.write(data)
    return sh(["aplay", "-q", "-D", PCM, "-t", "raw", "-f", fmt, "-c",
               str(channels), "-r", str(rate), "/tmp/parts-play.raw"])


def record(fmt, channels, rate, frames):
    """FRAMES frames recorded, or None and why. A recording that overran
    has a gap: it is made again, up to five times in all, a little later
    each time (the TDM board's 384k slots/s is more than a slow emulated
    guest keeps up with while another guest loads the host)."""
    names = ("rx_overruns", "fs_errors", "clock_losses")
    base = [e2e.debugfs_counter(n) for n in names]
    for attempt in range(5):
        time.sleep(attempt)
        res = sh(["arecord", "-D", PCM, "-B", "1000000", "-t", "raw",
                  "-f", fmt, "-c", str(channels), "-r", str(rate), "-s",
                  str(frames), "/tmp/parts-rec.raw"])
        if res.returncode:
            return None, res.stderr
        if "overrun" not in res.stderr:
            break
    else:
        counts = ", ".join(f"{n} +{e2e.debugfs_counter(n) - b}"
                           for n, b in zip(names, base))
        return None, f"every recording overran ({counts}): {res.stderr}"
    with open("/tmp/parts-rec.raw", "rb") as f:
        return frames_of(f.read(), fmt, channels), ""


def sink_record(part):
    """The part's recorded output frames (s32 per channel)."""
    with open(f"{PARTS}/{part}/record", "rb") as f:
        data = f.read()
    n = int(state(part)["channels"])
    vals = [int.from_bytes(data[i:i + 4], "little", signed=True)
            for i in range(0, len(data), 4)]
    return [tuple(vals[i:i + n]) for i in range(0, len(vals) - n + 1, n)]


def heard(played, fmt, width, sig, chmode, slots):
    """What a part of sample width `width` makes of played frames: each of
    its slots' samples MSB first, its sig bits, then its channel mode."""
    keep = ~((1 << (width - sig)) - 1) if sig < width else -1
    out = []
    for frame in played:
        v = [sext(msb32(frame[s], WIDTH[fmt]) >> (32 - width), width) & keep
             for s in slots]
        out.append(((v[0] + v[1]) >> 1,) if chmode == "mix" else tuple(v))
    return out


def find_run(got, want):
    """Where want appears whole in got: (index, None) or (None, why)."""
    if not want:
        return None, "nothing to look for"
    for i in range(len(got) - len(want) + 1):
        if got[i] == want[0] and got[i:i + len(want)] == want:
            return i, None
    first = next((i for i, f in enumerate(got) if any(f)), None)
    return None, (f"not found in {len(got)} frames; first non-silent at "
                  f"{first}: {got[first:first + 3] if first is not None else ''}"
                  f"; want {want[:3]}")


def sink_check(part, fmt, channels, rate, slots, seed=1):
    """Play random frames; the sink's record must hold what it heard of
    them. Returns (passed, why, state)."""
    frames = max(int(rate * SECONDS), 64)
    data = tone_frames(fmt, channels, frames, seed)
    write(f"{PARTS}/{part}/record", str(frames + rate))
    res = play(fmt, channels, rate, data)
    st = state(part)
    if res.returncode:
        return False, res.stderr, st
    width = min(32, int(st["bus_frame_bits"]) // int(st["slots"])
                if st["slots"].isdigit() and st["slot_width"].startswith(
                    "frame") else int(st["slot_width"]))
    width = min(width, int(st["sample_width"]))
    want = heard(frames_of(data, fmt, channels), fmt, width,
                 int(st["sig_bits"]), st["channel_mode"], slots)
    at, why = find_run(sink_record(part), want)
    if at is None:
        return False, why, st
    return True, f"{frames} frames, at {at}", st


def group_amp(board_dir):
    """MAX98357A, (L+R)/2: every width it takes, three rates."""
    if not load(board_dir, "openi2s-board-amp"):
        return
    for fmt in ("S16_LE", "S24_LE", "S32_LE"):
        for rate in (16000, 44100, 48000):
            passed, why, st = sink_check("audio-amp", fmt, 2, rate, (0, 1))
            ok(passed and st["verdict"] == "locked",
               f"amp: {fmt} {rate} Hz: the MAX98357A plays (L+R)/2 of it, "
               f"bit for bit, verdict {st['verdict']}", why)


def group_graph(board_dir):
    """audio-graph-card2 without a format: the card picks left_j."""
    if not load(board_dir, "openi2s-board-graph"):
        return
    for fmt in ("S16_LE", "S24_LE", "S32_LE"):
        for rate in (8000, 32000, 48000):
            passed, why, st = sink_check("audio-amp", fmt, 2, rate, (0,))
            ok(passed and st["verdict"] == "locked",
               f"graph: {fmt} {rate} Hz: the MAX98357B (left) plays the "
               f"left channel bit for bit, verdict {st['verdict']}", why)
    fmt_reg = [r for r in read(f"{SIMDEV}/registers").splitlines()
               if r.startswith("FMT")]
    ok(fmt_reg and int(fmt_reg[0].split()[-1], 16) & 0x7 == 1,
       f"graph: the controller was programmed left-justified ({fmt_reg})")


# The integer test signal of openi2s_signal_sample(), for exact checks.
def sin_q30(phase):
    q30 = 1 << 30
    quarter, x = phase >> 30, phase & (q30 - 1)
    if quarter & 1:
        x = q30 - x
    th = (x * 1686629713) >> 30
    th2 = (th * th) >> 30
    t = q30
    for d in (110, 72, 42, 20, 6):
        t = q30 - ((th2 * t) >> 30) // d
    t = (th * t) >> 30
    return -t if quarter & 2 else t


def signal_sample(kind, freq, level, rate, channel, n, bits):
    f = (freq * (channel + 1)) & 0xffffffff
    if kind == "ramp":
        return sext(n * f, bits)
    phase = (((n % rate) * f) % rate << 32) // rate
    s = sin_q30(phase)
    mag = (abs(s) * (((1 << (bits - 1)) - 1) * min(level, 1000) // 1000)) \
        >> 30
    return -mag if s < 0 else mag


def source_check(parts, fmt, channels, rate, columns, kind="ramp"):
    """Record; column c must be the signal of parts[c] (name, its channel,
    sig bits, signal args) exactly, within the narrower width."""
    frames = max(int(rate * SECONDS), 64)
    got, err = record(fmt, channels, rate, frames + rate // 10)
    if got is None:
        return False, err
    got = got[rate // 10:]
    wc = WIDTH[fmt]
    for c, (part, ch, sig, args) in zip(columns, parts):
        bits = min(wc, sig)
        col = [msb32(f[c], wc) >> (32 - bits) for f in got]
        # Find n from the first sample: search one period of the signal.
        period = rate if kind == "sine" else 1 << sig
        want0 = None
        for n in range(min(period, 1 << 20)):
            v = msb32(signal_sample(kind, *args, rate, ch, n, sig), sig) \
                >> (32 - bits)
            if v == col[0] and all(
                    msb32(signal_sample(kind, *args, rate, ch, n + i, sig),
                          sig) >> (32 - bits) == col[i] for i in range(8)):
                want0 = n
                break
        if want0 is None:
            return False, f"{part}: column {c} is not its {kind}: {col[:4]}"
        bad = sum(1 for i, v in enumerate(col)
                  if msb32(signal_sample(kind, *args, rate, ch, want0 + i,
                                         sig), sig) >> (32 - bits) != v)
        if bad:
            return False, f"{part}: {bad} of {len(col)} samples differ"
    return True, f"{len(got)} frames"


def set_ramp(part, step):
    write(f"{PARTS}/{part}/signal", f"ramp {step}")


def group_lj24(board_dir):
    """24-bit left-justified in 32-bit slots, MCLK at 256 fs, both ways."""
    if not load(board_dir, "openi2s-board-lj24-mclk"):
        return
    passed, why, st = sink_check("audio-codec", "S24_LE", 2, 48000, (0, 1))
    ok(passed and st["verdict"] == "locked" and st["bus_frame_bits"] == "64",
       f"lj24-mclk: S24_LE in 64-bit frames: the part heard it bit for bit, "
       f"verdict {st['verdict']}", why)
    set_ramp("audio-codec", 40503)
    passed, why = source_check([("audio-codec", 0, 24, (40503, 0)),
                                ("audio-codec", 1, 24, (40503, 0))],
                               "S24_LE", 2, 48000, (0, 1))
    ok(passed, "lj24-mclk: arecord gets the part's two ramps exactly", why)
    # While a stream runs: the controller drives MCLK at 98.304 MHz / 8
    # = 256 fs, and DAPM has the part's MCLK oscillator on.
    with open("/tmp/parts-play.raw", "wb") as f:
        f.write(tone_frames("S24_LE", 2, 48000, 4))
    aplay = subprocess.Popen(["aplay", "-q", "-D", PCM, "-t", "raw", "-f",
                              "S24_LE", "-c", "2", "-r", "48000",
                              "/tmp/parts-play.raw"])
    time.sleep(0.5)
    regs = {r.split()[0]: int(r.split()[-1], 16)
            for r in read(f"{SIMDEV}/registers").splitlines()}
    enables = read("/sys/kernel/debug/clk/openi2s-mclk/clk_enable_count")
    aplay.wait(timeout=30)
    # MCLKDIV holds MDIV - 1.
    ok(regs["CTRL"] & 0x10 and (regs["MCLKDIV"] & 0xff) + 1 == 8 and
       enables == "1",
       f"lj24-mclk: while streaming, the controller drives MCLK at 256 fs "
       f"(CTRL {regs['CTRL']:#x}, MDIV {(regs['MCLKDIV'] & 0xff) + 1}) "
       f"and the part's MCLK is on ({enables} enables)")


def group_consumer(board_dir):
    """The PCM1808 provides BCLK and FS; the controller follows."""
    if not load(board_dir, "openi2s-board-consumer"):
        return
    set_ramp("audio-adc", 7919)
    for fmt in ("S24_LE", "S32_LE"):
        passed, why = source_check([("audio-adc", 0, 24, (7919, 0)),
                                    ("audio-adc", 1, 24, (7919, 0))],
                                   fmt, 2, 48000, (0, 1))
        ok(passed, f"consumer: {fmt}: the PCM1808's ramps arrive exactly "
           f"at the rate it clocks", why)
    ctrl = int([r for r in read(f"{SIMDEV}/registers").splitlines()
                if r.startswith("CTRL")][0].split()[-1], 16)
    # hw_params sets CTRL.PROVIDER (0x8) for a provider; it stays set.
    ok(not ctrl & 0x8, f"consumer: CTRL.PROVIDER is clear (CTRL {ctrl:#x})")


def group_dac_mic(board_dir):
    """PCM5102A and INMP441 on one bus, full duplex."""
    if not load(board_dir, "openi2s-board-dac-mic"):
        return
    for fmt in ("S16_LE", "S24_LE", "S32_LE"):
        for rate in (16000, 44100, 48000):
            passed, why, st = sink_check("audio-dac", fmt, 2, rate, (0, 1))
            ok(passed and st["verdict"] == "locked",
               f"dac-mic: {fmt} {rate} Hz: the PCM5102A heard both channels "
               f"bit for bit, verdict {st['verdict']}", why)
    set_ramp("microphone", 40503)
    for fmt in ("S24_LE", "S32_LE"):
        for rate in (16000, 44100, 48000):
            passed, why = source_check([("microphone", 0, 24, (40503, 0))],
                                       fmt, 2, rate, (0,))
            ok(passed, f"dac-mic: {fmt} {rate} Hz: the INMP441's ramp, its "
               f"24 bits", why)
    write(f"{PARTS}/microphone/signal", "sine 1000 700")
    passed, why = source_check([("microphone", 0, 24, (1000, 700))],
                               "S32_LE", 2, 48000, (0,), kind="sine")
    ok(passed, "dac-mic: the INMP441's 1 kHz sine, exactly as defined", why)
    # Full duplex: both at once.
    data = tone_frames("S32_LE", 2, 48000, 5)
    with open("/tmp/parts-play.raw", "wb") as f:
        f.write(data)
    aplay = subprocess.Popen(["aplay", "-q", "-D", PCM, "-t", "raw", "-f",
                              "S32_LE", "-c", "2", "-r", "48000",
                              "/tmp/parts-play.raw"])
    time.sleep(0.3)
    set_ramp("microphone", 40503)
    passed, why = source_check([("microphone", 0, 24, (40503, 0))],
                               "S32_LE", 2, 48000, (0,))
    aplay.wait(timeout=30)
    st = state("audio-dac")
    ok(passed and aplay.returncode == 0 and st["verdict"] == "locked",
       f"dac-mic: full duplex: the ramp recorded exactly while the DAC "
       f"plays (verdict {st['verdict']})", why)


def group_mic_pair(board_dir):
    """Two INMP441s on one data line, left and right."""
    if not load(board_dir, "openi2s-board-mic-pair"):
        return
    set_ramp("microphone-left", 40503)
    set_ramp("microphone-right", 7919)
    for fmt in ("S24_LE", "S32_LE"):
        for rate in (16000, 44100, 48000):
            passed, why = source_check(
                [("microphone-left", 0, 24, (40503, 0)),
                 ("microphone-right", 0, 24, (7919, 0))],
                fmt, 2, rate, (0, 1))
            ok(passed, f"mic-pair: {fmt} {rate} Hz: left channel the left "
               f"microphone's ramp, right the right one's", why)


def group_tdm(board_dir):
    """Four amplifiers and two microphones on one 8-slot TDM bus."""
    if not load(board_dir, "openi2s-board-tdm"):
        return
    for fmt in ("S16_LE", "S32_LE"):
        frames = 4800
        data = tone_frames(fmt, 4, frames, 9)
        for i in range(4):
            write(f"{PARTS}/audio-amp-{i}/record", str(frames + 48000))
        res = play(fmt, 4, 48000, data)
        played = frames_of(data, fmt, 4)
        for i in range(4):
            st = state(f"audio-amp-{i}")
            want = heard([(f[i],) for f in played], fmt, 32, 32, "left",
                         (0,))
            at, why = find_run(sink_record(f"audio-amp-{i}"), want)
            ok(res.returncode == 0 and at is not None and
               st["verdict"] == "locked",
               f"tdm: {fmt}: amplifier {i} in slot {i} plays channel {i} "
               f"bit for bit, verdict {st['verdict']}", why or res.stderr)
    set_ramp("microphone-0", 40503)
    set_ramp("microphone-1", 7919)
    passed, why = source_check([("microphone-0", 0, 24, (40503, 0)),
                                ("microphone-1", 0, 24, (7919, 0))],
                               "S32_LE", 2, 48000, (0, 1))
    ok(passed, "tdm: capture channels 0 and 1 are the microphones in slots 4 "
       "and 5, their ramps exactly", why)


def mismatch(board_dir, name, part, verdict, fmt="S32_LE", check=None):
    """A board wired wrong: the sink names the fault; check(st, rec,
    played) asserts the symptom."""
    if not load(board_dir, name):
        return
    data = tone_frames(fmt, 2, 4800, 3)
    write(f"{PARTS}/{part}/record", "20000")
    res = play(fmt, 2, 48000, data)
    st = state(part)
    ok(res.returncode == 0 and st["verdict"] == verdict,
       f"{name}: the part's verdict is {verdict} ({st['verdict']}: "
       f"{st['evidence']})", res.stderr)
    if check:
        passed, why = check(st, sink_record(part), frames_of(data, fmt, 2))
        ok(passed, f"{name}: {check.__doc__}", why)


def shifted(rec, played, shift):
    """How many of a stereo part's 32-bit output rows are the played
    frames with the channels swapped (its left the right sample of one
    frame, its right the left one of the next) and shifted by one bit:
    left (1, doubled values), right (-1, halved) or not (0). The bit the
    shift brings in from the neighbouring slot is not compared."""
    move = {1: (lambda x: x << 1 & 0xffffffff, 0xfffffffe),
            -1: (lambda x: x >> 1, 0x7fffffff),
            0: (lambda x: x, 0xffffffff)}
    t, mask = move[shift]
    want = {(t(played[j][1] & 0xffffffff) & mask,
             t(played[j + 1][0] & 0xffffffff) & mask)
            for j in range(len(played) - 1)}
    rows = [f for f in rec if any(f)]
    good = sum(1 for l, r in rows
               if ((l & 0xffffffff) & mask, (r & 0xffffffff) & mask) in want)
    return good >= 0.9 * len(played) and good >= 0.9 * len(rows), \
        f"{good} of {len(rows)} non-silent rows ({len(played)} played)"


def group_mismatch(board_dir):
    def doubled_swapped(st, rec, played):
        """each DAC channel plays the other channel's sample doubled"""
        return shifted(rec, played, 1)

    def halved_swapped(st, rec, played):
        """each channel plays the other channel's sample halved"""
        return shifted(rec, played, -1)

    def swapped(st, rec, played):
        """left plays right and right plays left, unshifted"""
        return shifted(rec, played, 0)

    mismatch(board_dir, "mm-lj-cpu-i2s-dac", "audio-dac", "one_bit_early",
             check=doubled_swapped)
    mismatch(board_dir, "mm-i2s-cpu-lj-dac", "audio-dac", "one_bit_late",
             check=halved_swapped)
    mismatch(board_dir, "mm-fs-inverted", "audio-dac", "channel_swap",
             check=swapped)
    if load(board_dir, "mm-mic-32fs"):
        got, err = record("S16_LE", 2, 48000, 4800)
        st = state("microphone")
        ok(got is not None and st["source_verdict"] == "clock_ratio" and
           st["source_evidence"].startswith("32 bit clocks per frame"),
           f"mm-mic-32fs: the INMP441's verdict is clock_ratio "
           f"({st['source_verdict']}: {st.get('source_evidence')})", err)


GROUPS = {
    "amp": group_amp,
    "graph": group_graph,
    "lj24": group_lj24,
    "consumer": group_consumer,
    "mismatch": group_mismatch,
    "dac-mic": group_dac_mic,
    "mic-pair": group_mic_pair,
    "tdm": group_tdm,
}


def main():
    board_dir = sys.argv[1]
    for name in sys.argv[2:]:
        start = time.monotonic()
        print(f"# group {name}", flush=True)
        GROUPS[name](board_dir)
        print(f"# group {name} took {time.monotonic() - start:.1f}s",
              flush=True)
    return ktap.done()


if __name__ == "__main__":
    sys.exit(main())
