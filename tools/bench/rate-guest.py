#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Frame-rate benchmark, run inside the virtual board by tools/bench/run.

For each rate, records SECONDS of audio through the OpenI2S driver and
compares the frame rate the simulated controller produced (its FRAME_COUNT
register over the guest's monotonic clock) with the programmed one, and
the controller's interrupts per second with the ALSA periods per second.
"""
import subprocess
import sys
import time

CARD = "OpenI2SVirtual"
PCM = f"hw:CARD={CARD},DEV=0"
REGS = "/sys/kernel/debug/openi2s-sim/openi2s-soc-sim/registers"
PERIOD = 1024


def frame_count():
    for line in open(REGS):
        if line.startswith("FRAME_COUNT"):
            return int(line.split()[-1], 16)
    return 0


def irq_count():
    for line in open("/proc/interrupts"):
        if "i2s@1000" in line:
            return sum(int(f) for f in line.split()[1:] if f.isdigit())
    return 0


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(f"{'rate Hz':>9} {'measured Hz':>12} {'ratio':>10} {'ppm':>7} "
          f"{'periods/s':>10} {'irqs/s':>7}")
    for rate in (8000, 44100, 48000, 96000, 192000):
        rec = subprocess.Popen(["arecord", "-D", PCM, "-q", "-t", "raw",
                                "-f", "S16_LE", "-c", "2", "-r", str(rate),
                                "--period-size", str(PERIOD),
                                "-s", str(int(rate * (seconds + 1))),
                                "/dev/null"])
        time.sleep(0.5)
        f0, i0, t0 = frame_count(), irq_count(), time.monotonic()
        time.sleep(seconds)
        f1, i1, t1 = frame_count(), irq_count(), time.monotonic()
        rec.wait()
        measured = ((f1 - f0) & 0xffffffff) / (t1 - t0)
        print(f"{rate:>9} {measured:>12.1f} {measured / rate:>10.6f} "
              f"{(measured / rate - 1) * 1e6:>+7.0f} "
              f"{rate / PERIOD:>10.1f} {(i1 - i0) / (t1 - t0):>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
