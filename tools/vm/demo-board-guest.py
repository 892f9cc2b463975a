#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make demo BOARD=NAME`, run inside the virtual board.

Swaps in the board dts/openi2s-board-NAME.dtso, plays a tone to the parts
that listen on its wire and records the ones that speak, then reports what
each part heard (its verdict and the evidence) or the signal it sent, draws
the recorded waveforms and the wire with every part's slot labelled.
"""
import math
import os
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "lib"))
from openi2s_board import PCM, SIMDEV, WIRE_TRACE_FILE, load_board  # noqa: E402

PARTS = f"{SIMDEV}/parts"
WIRE_TRACE = os.path.join(ROOT, "tools", "wire-trace")
RATE = 48000
# Sample format and channels, playback and capture, where the default
# (S32_LE, stereo both ways) is not what the board's parts take.
STREAMS = {"lj24-mclk": ("S24_LE", 2, 2), "tdm": ("S32_LE", 4, 2)}
BYTES = {"S16_LE": 2, "S24_LE": 4, "S32_LE": 4}
BITS = {"S16_LE": 16, "S24_LE": 24, "S32_LE": 32}


def read(path):
    with open(path) as f:
        return f.read()


def write(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def state(part):
    out = {}
    for line in read(f"{PARTS}/{part}/state").splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def tone(fmt, channels, seconds):
    """Channel c: a sine of 440 * (c + 2) / 2 Hz at half of full scale."""
    full = (1 << (BITS[fmt] - 1)) - 1
    out = bytearray()
    for n in range(int(RATE * seconds)):
        for c in range(channels):
            v = int(full / 2 * math.sin(2 * math.pi * 220 * (c + 2) * n /
                                        RATE))
            out += (v & 0xffffffff).to_bytes(4, "little")[:BYTES[fmt]]
    return bytes(out)


def draw(values, full, width=72, height=9):
    """An ASCII oscilloscope of one channel."""
    rows = [[" "] * width for _ in range(height)]
    for x in range(width):
        v = values[x * len(values) // width] / full
        y = int((1 - (max(-1, min(1, v)) + 1) / 2) * (height - 1) + 0.5)
        rows[y][x] = "*"
    return "\n".join("    |" + "".join(r) for r in rows)


def trace_while(proc):
    """Arm the wire trace for two frames while proc streams; the
    picture, as text."""
    time.sleep(0.4)
    write(WIRE_TRACE_FILE, "2")
    proc.wait()
    out = os.environ.get("OPENI2S_SHARE", "/tmp")
    res = subprocess.run([sys.executable, WIRE_TRACE, "--svg",
                          f"{out}/wire-trace.svg"], capture_output=True,
                         text=True)
    return res.stdout or res.stderr


def board_comment(name):
    lines = read(f"{ROOT}/dts/openi2s-board-{name}.dtso").splitlines()
    text = []
    for line in lines[2:]:
        if line.startswith(" */"):
            break
        text.append("    " + line[3:])
    return "\n".join(text)


def show_sinks(sinks, fmt, channels):
    data = tone(fmt, channels, 1.0)
    write("/tmp/demo-board.raw", data)
    for p in sinks:
        write(f"{PARTS}/{p}/record", "2400")
    print(f"demo: playing 1 s of {channels} tones ({fmt}) on {PCM}")
    play = subprocess.Popen(["aplay", "-q", "-D", PCM, "-t", "raw", "-f",
                             fmt, "-c", str(channels), "-r", str(RATE),
                             "/tmp/demo-board.raw"])
    picture = trace_while(play)
    for p in sinks:
        st = state(p)
        print(f"demo: {p} ({st['part']}, {st['format']}, slots "
              f"{st['slot_mask']}, {st['channel_mode']}) heard "
              f"{st['frames']} frames: {st['verdict']}")
        print(f"      evidence: {st['evidence']}")
        rec = read_bytes(f"{PARTS}/{p}/record")
        n = int(st["channels"])
        vals = struct.unpack(f"<{len(rec) // 4}i", rec)[0::n]
        width = int(st["sample_width"])
        if any(vals):
            print("      what it played, channel 0, 10 ms:")
            print(draw(vals[:480], 1 << (width - 1)))
    return picture, play.returncode


def show_sources(sources, fmt, channels):
    for i, p in enumerate(sources):
        write(f"{PARTS}/{p}/signal", f"sine {500 * (i + 1)} 700")
    print(f"demo: recording 1 s ({fmt}, {channels} channels) from {PCM}")
    rec = subprocess.Popen(["arecord", "-q", "-D", PCM, "-t", "raw", "-f",
                            fmt, "-c", str(channels), "-r", str(RATE), "-d",
                            "1", "/tmp/demo-board-rec.raw"])
    picture = trace_while(rec)
    got = read_bytes("/tmp/demo-board-rec.raw")
    size = BYTES[fmt]
    vals = [int.from_bytes(got[i:i + size], "little", signed=True)
            for i in range(0, len(got) - size + 1, size)]
    for p in sources:
        st = state(p)
        print(f"demo: {p} ({st['part']}, {st['format']}, slots "
              f"{st['slot_mask']}, {st['sig_bits']} significant bits) sent "
              f"{st['frames_sent']} frames of {st['signal']}: "
              f"{st['source_verdict']}")
    for c in range(channels):
        col = vals[c::channels][RATE // 4:RATE // 4 + 480]
        print(f"demo: recorded channel {c}, 10 ms:")
        print(draw(col, 1 << (BITS[fmt] - 1)))
    return picture, rec.returncode


def main():
    name = sys.argv[1]
    print(f"demo: board {name}:")
    print(board_comment(name))
    if not load_board(f"{ROOT}/build/dts", f"openi2s-board-{name}"):
        print(f"demo: the board {name} did not come up")
        return 1
    parts = sorted(os.listdir(PARTS))
    sinks = [p for p in parts if "sink" in state(p)["role"]]
    sources = [p for p in parts if "source" in state(p)["role"]]
    fmt, play_ch, rec_ch = STREAMS.get(name, ("S32_LE", 2, 2))
    rc, pictures = 0, []
    if sinks:
        picture, r = show_sinks(sinks, fmt, play_ch)
        pictures.append(("playing", picture))
        rc |= r or any(state(p)["verdict"] != "locked" for p in sinks)
    if sources:
        picture, r = show_sources(sources, fmt, rec_ch)
        pictures.append(("recording", picture))
        rc |= r
    for what, picture in pictures:
        print(f"demo: a frame on the wire while {what}, every part's slot "
              f"labelled:")
        print("\n".join("    " + line for line in picture.splitlines()))
    return 1 if rc else 0


if __name__ == "__main__":
    sys.exit(main())
