# SPDX-License-Identifier: LGPL-2.1-or-later
# The MicroPython TX example from the machine.I2S documentation, unchanged
# but for the tone it writes: a 16 KiB ibuf at 44.1 kHz, 16-bit MONO, on
# bus 2 (set MACHINE_I2S_2=<ALSA PCM> to choose the device).
import math
from array import array

from machine import I2S, Pin

audio_out = I2S(
    2,
    sck=Pin("P2"), ws=Pin("P3"), sd=Pin("P0"),
    mode=I2S.TX,
    bits=16,
    format=I2S.MONO,
    rate=44100,
    ibuf=16384,
)

# 100 ms of a 440 Hz tone, then a quieter copy made with shift().
buf = array("h", (int(8000 * math.sin(2 * math.pi * 440 * n / 44100))
                  for n in range(4410)))
quiet = array("h", buf)
I2S.shift(buf=quiet, bits=16, shift=-2)
for _ in range(5):
    num_written = audio_out.write(buf)     # blocks until buf is queued
    audio_out.write(quiet)
audio_out.drain()
print("wrote", num_written, "bytes per call;", audio_out.stats())
audio_out.deinit()
