#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The `make demo` show, run inside the virtual board.

Plays a generated two-tone signal through the OpenI2S driver while
recording it back through the board's loopback wire, checks that the
recording is bit-exact and that the wire trace caught frames of the tone
(not an idle line), measures the frame rate the simulated controller
actually produced, and draws the recorded waveform.
"""
import json
import math
import os
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "lib"))
from openi2s_board import CARD, PCM, WIRE_TRACE_FILE, frame_count  # noqa: E402

RATE = 48000
SECONDS = 2
WIRE_TRACE = os.path.join(ROOT, "tools", "wire-trace")


def tone():
    """440 Hz left, 660 Hz right, 16-bit stereo."""
    out = bytearray()
    for n in range(RATE * SECONDS):
        left = int(12000 * math.sin(2 * math.pi * 440 * n / RATE))
        right = int(12000 * math.sin(2 * math.pi * 660 * n / RATE))
        out += struct.pack("<hh", left, right)
    return bytes(out)


def draw(samples, width=72, height=11):
    """An ASCII oscilloscope of one channel."""
    rows = [[" "] * width for _ in range(height)]
    for x in range(width):
        v = samples[x * len(samples) // width]
        y = int((1 - (v / 32768 + 1) / 2) * (height - 1) + 0.5)
        rows[y][x] = "*"
    return "\n".join("    |" + "".join(r) for r in rows)


def traced_frame(data):
    """Where in the played data the traced frames are, or None: an idle
    or silent line, or anything but the tone, is not in it."""
    res = subprocess.run([sys.executable, WIRE_TRACE, "--json"],
                         capture_output=True, text=True)
    try:
        t = json.loads(res.stdout)
    except ValueError:
        return None
    # The samples up to the first one the trace cut off (a Philips
    # frame's last bit falls in the next frame).
    samples = []
    for d in t["decoded"]:
        if d["sample"] is None:
            break
        samples.append(d["sample"])
    if not t["tx_on"] or len(samples) < 3 or not any(samples):
        return None
    at = data.find(struct.pack(f"<{len(samples)}h", *samples))
    while at >= 0 and at % 4:
        at = data.find(struct.pack(f"<{len(samples)}h", *samples), at + 1)
    return at // 4 if at >= 0 else None


def main():
    data = tone()
    with open("/tmp/demo-play.raw", "wb") as f:
        f.write(data)
    common = ["-D", PCM, "-t", "raw", "-f", "S16_LE", "-c", "2",
              "-r", str(RATE), "-q"]
    print(f"demo: playing {SECONDS} s of 440/660 Hz on {PCM} while "
          f"recording it back")
    rec = subprocess.Popen(["arecord"] + common +
                           ["-s", str(RATE * (SECONDS + 2)),
                            "/tmp/demo-rec.raw"])
    status = f"/proc/asound/{CARD}/pcm0c/sub0/status"
    for _ in range(500):
        if os.path.exists(status) and "RUNNING" in open(status).read():
            break
        time.sleep(0.01)
    f0, t0 = frame_count(), time.monotonic()
    play = subprocess.Popen(["aplay"] + common + ["/tmp/demo-play.raw"])
    # Meanwhile, a logic analyser on the wire: two frames, drawn.
    pstatus = f"/proc/asound/{CARD}/pcm0p/sub0/status"
    for _ in range(500):
        if os.path.exists(pstatus) and "RUNNING" in open(pstatus).read():
            break
        time.sleep(0.01)
    time.sleep(0.2)
    # Arm the trace here, while the tone plays: starting the drawing
    # tool first can take longer than the tone lasts in an emulated
    # guest, and then it caught the idle line after the stream.
    with open(WIRE_TRACE_FILE, "w") as f:
        f.write("2")
    if play.wait():
        return 1
    out = os.environ.get("OPENI2S_SHARE", "/tmp")
    trace = subprocess.run([sys.executable, WIRE_TRACE,
                            "--svg", f"{out}/wire-trace.svg",
                            "--vcd", f"{out}/wire-trace.vcd"],
                           capture_output=True, text=True)
    f1, t1 = frame_count(), time.monotonic()
    rec.wait()
    got = open("/tmp/demo-rec.raw", "rb").read()

    at = got.find(data[:4096])
    exact = at >= 0 and at % 4 == 0 and got[at:at + len(data)] == data
    measured = (f1 - f0) / (t1 - t0)
    print(f"demo: round trip: {'bit-exact' if exact else 'NOT bit-exact'}"
          f" ({len(data) // 4} frames, found at frame {at // 4})")
    print(f"demo: frame rate: programmed {RATE} Hz, measured "
          f"{measured:.1f} Hz over {t1 - t0:.2f} s "
          f"({(measured / RATE - 1) * 1e6:+.0f} ppm, wall clock of a "
          f"software-emulated guest)")
    print("demo: two frames on the I2S wire, as the simulated SoC "
          "serialised them:")
    print("\n".join("    " + line for line in
                    (trace.stdout or trace.stderr).splitlines()))
    on_wire = traced_frame(data)
    if on_wire is None:
        print("demo: the wire trace does NOT show the played tone")
    else:
        print(f"demo: the traced frames are frames {on_wire} and "
              f"{on_wire + 1} of the played tone")
    if at >= 0:
        left = struct.unpack("<%dh" % (RATE // 220 * 2),
                             got[at:at + RATE // 220 * 4])[0::2]
        print("demo: recorded left channel, first 4.5 ms (two periods "
              "of 440 Hz):")
        print(draw(left))
    return 0 if exact and on_wire is not None else 1


if __name__ == "__main__":
    sys.exit(main())
