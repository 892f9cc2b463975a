# SPDX-License-Identifier: LGPL-2.1-or-later
# The MicroPython RX example from the machine.I2S documentation: 22.05 kHz,
# 32-bit STEREO, a 16 KiB ibuf, on bus 2, read blocking and then with an
# irq() callback.
import time

from machine import I2S, Pin

audio_in = I2S(
    2,
    sck=Pin("P2"), ws=Pin("P3"), sd=Pin("P1"),
    mode=I2S.RX,
    bits=32,
    format=I2S.STEREO,
    rate=22050,
    ibuf=16384,
)

buf = bytearray(22050 // 10 * 8)           # 100 ms
num_read = audio_in.readinto(buf)          # blocks until buf is filled
print("read", num_read, "bytes blocking")

done = []


def i2s_callback(i2s):
    done.append(i2s)


audio_in.irq(i2s_callback)
num_read = audio_in.readinto(buf)          # returns immediately
while not done:
    time.sleep(0.01)
print("read", num_read, "bytes with irq; callback got", done[0] is audio_in)
audio_in.deinit()
