# SPDX-License-Identifier: LGPL-2.1-or-later
# The machine.I2S documentation's asyncio style, as a MicroPython program
# writes it: a StreamWriter playing and a StreamReader recording on one
# bus at once (bus 0, 48 kHz, 16-bit STEREO). The one line changed for
# Linux is the import: `from machine import asyncio` for `import asyncio`.
# On the OpenI2S virtual board the loopback wire brings the played ramp
# back, which this checks.
import struct

from machine import I2S, Pin
from machine import asyncio

RATE = 48000
FRAMES = RATE // 2


def ramp(k):
    v = k % 30000 + 1
    return struct.pack("<hh", v, -v)


async def play(audio_out, data):
    swriter = asyncio.StreamWriter(audio_out)
    for at in range(0, len(data), 4096):
        swriter.write(data[at:at + 4096])
        await swriter.drain()


async def record(audio_in, buf):
    sreader = asyncio.StreamReader(audio_in)
    mv = memoryview(buf)
    got = 0
    while got < len(buf):
        got += await sreader.readinto(mv[got:])
    return got


def xruns(i2s):
    # Linux only: stats() counts the underruns and overruns that were
    # recovered, which MicroPython hides; None where there is no stats().
    stats = getattr(i2s, "stats", None)
    return stats()["xruns"] if stats else None


async def main():
    audio_in = I2S(0, sck=Pin(16), ws=Pin(17), sd=Pin(19), mode=I2S.RX,
                   bits=16, format=I2S.STEREO, rate=RATE, ibuf=32768)
    audio_out = I2S(0, sck=Pin(16), ws=Pin(17), sd=Pin(18), mode=I2S.TX,
                    bits=16, format=I2S.STEREO, rate=RATE, ibuf=32768)
    buf = bytearray((FRAMES + RATE // 10) * 4)
    # The ramp, then silence while the recording finishes.
    data = b"".join(ramp(k) for k in range(FRAMES)) + bytes(RATE // 5 * 4)
    got, _ = await asyncio.gather(record(audio_in, buf),
                                  play(audio_out, data))
    frames = [buf[i:i + 4] for i in range(0, len(buf), 4)]
    first = next((i for i, f in enumerate(frames) if any(f)), None)
    wrong = None if first is None else next(
        (k for k in range(FRAMES)
         if first + k < len(frames) and frames[first + k] != ramp(k)), None)
    same = first is not None and wrong is None
    complete = first is not None and first + FRAMES <= len(frames)
    print(f"recorded {got} bytes; ramp back at frame {first}: "
          f"{'bit-exact' if same and complete else 'WRONG'}"
          + ("" if wrong is None else f"; ramp frame {wrong} differs"))
    tx, rx = xruns(audio_out), xruns(audio_in)
    if tx is not None:
        print(f"xruns: TX {tx}, RX {rx}")
    audio_out.deinit()
    audio_in.deinit()
    return 0 if same and complete else 1


raise SystemExit(asyncio.run(main()))
