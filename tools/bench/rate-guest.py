#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Frame-rate benchmark, run inside the virtual board by tools/bench/run.

For each rate, records SECONDS of audio through the OpenI2S driver and
compares the frame rate the simulated controller produced with the
programmed one, beside the ALSA periods per second and the controller's
own interrupts per second. Periods complete through the DMA engine, not
through the controller's interrupt, which the driver takes for FIFO
and frame-sync errors only: that column is 0 while the stream is clean.
The rate is the least-squares slope of the frame clock's count against
the time it was reached, latched together by the model (debugfs
"frame_clock"), sampled every 20 ms: reading a frame counter and the
clock apart swung by hundreds of ppm under emulation.
"""
import subprocess
import sys
import os
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "lib"))
from openi2s_board import PCM, frame_clock  # noqa: E402

PERIOD = 1024


def measured_rate(seconds):
    """Frames per second over `seconds`: the slope of the latched pairs."""
    pairs = {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        frames, ns = frame_clock()
        pairs[ns] = frames
        time.sleep(0.02)
    ts = sorted(pairs)
    n = len(ts)
    mt = sum(ts) / n
    mf = sum(pairs[t] for t in ts) / n
    num = sum((t - mt) * (pairs[t] - mf) for t in ts)
    den = sum((t - mt) ** 2 for t in ts)
    # A clock that did not run latched nothing new: no rate.
    return (num / den * 1e9 if den else 0.0), n


def irq_count():
    for line in open("/proc/interrupts"):
        if "i2s@1000" in line:
            return sum(int(f) for f in line.split()[1:] if f.isdigit())
    return 0


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(f"{'rate Hz':>9} {'measured Hz':>12} {'ratio':>10} {'ppm':>7} "
          f"{'periods/s':>10} {'error irqs/s':>13}")
    for rate in (8000, 44100, 48000, 96000, 192000):
        rec = subprocess.Popen(["arecord", "-D", PCM, "-q", "-t", "raw",
                                "-f", "S16_LE", "-c", "2", "-r", str(rate),
                                "--period-size", str(PERIOD),
                                "-s", str(int(rate * (seconds + 1))),
                                "/dev/null"])
        time.sleep(0.5)
        i0, t0 = irq_count(), time.monotonic()
        measured, samples = measured_rate(seconds)
        i1, t1 = irq_count(), time.monotonic()
        rec.wait()
        print(f"{rate:>9} {measured:>12.2f} {measured / rate:>10.7f} "
              f"{(measured / rate - 1) * 1e6:>+7.1f} "
              f"{rate / PERIOD:>10.1f} {(i1 - i0) / (t1 - t0):>13.1f}"
              f"   ({samples} samples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
