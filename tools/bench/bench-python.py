#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One side of the Python bench: CALLS transfers of 1024 frames (48 kHz
16-bit stereo) to or from alsa-lib's null PCM, through machine.I2S or
through pyalsaaudio's PCM (the anchor), after the set-up. tools/bench/run
counts the instructions of two runs under callgrind and takes the
difference, so start-up and set-up cancel out.

    bench-python.py i2s-write|alsa-write|i2s-read|alsa-read CALLS PCM
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "build", "machine-i2s",
                                "python"))

FRAMES = 1024
RATE = 48000


def main():
    how, calls, pcm = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    data = bytes(FRAMES * 4)
    buf = bytearray(FRAMES * 4)
    if how.startswith("i2s"):
        from machine import I2S
        tx = how == "i2s-write"
        o = I2S(0, sck=1, ws=2, sd=3, mode=I2S.TX if tx else I2S.RX,
                bits=16, format=I2S.STEREO, rate=RATE, ibuf=FRAMES * 16,
                device=pcm)
        step = (lambda: o.write(data)) if tx else (lambda: o.readinto(buf))
    else:
        import alsaaudio
        tx = how == "alsa-write"
        # pyalsaaudio 0.8 (Debian 12): the setters, not the keywords.
        o = alsaaudio.PCM(alsaaudio.PCM_PLAYBACK if tx else
                          alsaaudio.PCM_CAPTURE, alsaaudio.PCM_NORMAL, pcm)
        o.setchannels(2)
        o.setrate(RATE)
        o.setformat(alsaaudio.PCM_FORMAT_S16_LE)
        o.setperiodsize(FRAMES)
        step = (lambda: o.write(data)) if tx else o.read
    for _ in range(calls):
        step()


main()
