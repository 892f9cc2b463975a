#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Wire-rate benchmark, run inside the virtual board by tools/bench/run.

For each wire rate, up to the controller's 16 slots x 32 bits x 192 kHz,
plays and records SECONDS of audio at once through the OpenI2S card, then
the same through snd-aloop in the same guest: the anchor, a sound card
with no hardware to model. Prints the wall time both streams took, the
xruns aplay and arecord reported, and the ratio of the wall times; then
the model's own cost: the time its ticks took per frame, and that as a
share of the frame period it stands for (above 1, no host keeps up). A
model slower than real time shows as a ratio above 1 (the streams take
longer, since the model's frame clock is their hardware clock) and may
show xruns; both tools wait in poll(), where a blocking read would give
up after 1.1 buffers without a period.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "lib"))
from openi2s_board import PCM, sim_state  # noqa: E402

WIRES = [("S16_LE", 2, 48000), ("S32_LE", 2, 192000), ("S32_LE", 8, 48000),
         ("S32_LE", 8, 192000), ("S32_LE", 16, 96000),
         ("S32_LE", 16, 192000)]
ALOOP_PLAY, ALOOP_REC = "hw:Loopback,0,0", "hw:Loopback,1,0"


def duplex(play_pcm, rec_pcm, fmt, channels, rate, seconds):
    """Wall seconds for aplay and arecord of SECONDS each, and xruns."""
    args = ["-q", "-N", "-t", "raw", "-f", fmt, "-c", str(channels),
            "-r", str(rate), "-d", str(seconds)]
    t0 = time.monotonic()
    rec = subprocess.Popen(["arecord", "-D", rec_pcm] + args + ["/dev/null"],
                           stderr=subprocess.PIPE, text=True)
    play = subprocess.Popen(["aplay", "-D", play_pcm] + args + ["/dev/zero"],
                            stderr=subprocess.PIPE, text=True)
    errs = play.communicate(timeout=60 * seconds)[1] + \
        rec.communicate(timeout=60 * seconds)[1]
    wall = time.monotonic() - t0
    if play.returncode or rec.returncode:
        sys.exit(f"wire-guest: {play_pcm}: aplay {play.returncode}, "
                 f"arecord {rec.returncode}: {errs.strip()[-300:]}")
    return wall, errs.count("underrun") + errs.count("overrun")


def model_cost():
    """(frames the model's clock ran, ns its ticks took) so far."""
    state = sim_state()
    return int(state["clock_frames"]), int(state["clock_frames_ns"])


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    subprocess.run(["modprobe", "snd-aloop", "pcm_substreams=1"], check=True)
    print(f"  {'wire (aplay + arecord, %d s each)' % seconds:<34}"
          f"{'Mbit/s':>7} {'OpenI2S s':>9} {'xruns':>5} {'aloop s':>7} "
          f"{'xruns':>5} {'ratio':>6} {'us/frame':>8} {'of period':>9}")
    for fmt, channels, rate in WIRES:
        before = model_cost()
        sim = duplex(PCM, PCM, fmt, channels, rate, seconds)
        frames, ns = (a - b for a, b in zip(model_cost(), before))
        loop = duplex(ALOOP_PLAY, ALOOP_REC, fmt, channels, rate, seconds)
        bits = 16 if fmt == "S16_LE" else 32
        name = f"{channels} x {bits} bit x {rate // 1000} kHz"
        per_frame = ns / max(frames, 1) / 1000
        print(f"  {name:<34}{channels * bits * rate / 1e6:>7.1f} "
              f"{sim[0]:>9.2f} {sim[1]:>5} {loop[0]:>7.2f} {loop[1]:>5} "
              f"{sim[0] / loop[0]:>5.2f}x {per_frame:>8.2f} "
              f"{per_frame * rate / 1e6:>9.2f}", flush=True)


if __name__ == "__main__":
    main()
