# SPDX-License-Identifier: LGPL-2.1-or-later
# A MicroPython amplifier script: switch a MAX98357A's SD_MODE (enable)
# pin on, play half a second of a tone on bus 0, switch it off. On Linux
# the enable pin is a GPIO line by name ("GPIO18" on a Raspberry Pi; set
# MACHINE_PIN_AMP_EN=CHIP:OFFSET to map another); the I2S pins are names
# only, as the devicetree muxes them.
import math
import time
from array import array

from machine import I2S, Pin

amp_en = Pin("AMP_EN", Pin.OUT, value=0)
audio_out = I2S(0, sck=Pin(18), ws=Pin(19), sd=Pin(21), mode=I2S.TX,
                bits=16, format=I2S.MONO, rate=48000, ibuf=8192)
tone = array("h", (int(6000 * math.sin(2 * math.pi * 1000 * n / 48))
                   for n in range(48)))
amp_en.on()
time.sleep(0.01)                       # the part's turn-on time
print("amplifier on:", amp_en.value())
for _ in range(500):                   # 0.5 s
    audio_out.write(tone)
audio_out.drain()
amp_en.off()
print("amplifier off:", amp_en.value())
audio_out.deinit()
