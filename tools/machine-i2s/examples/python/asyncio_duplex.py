# SPDX-License-Identifier: LGPL-2.1-or-later
# MicroPython's asyncio style on Linux: a StreamWriter playing and a
# StreamReader recording on the same bus at once (bus 0, 48 kHz, 16-bit
# STEREO).  On the OpenI2S virtual board the loopback wire brings the
# played ramp back, which this checks.
import asyncio
import struct

from machine import I2S
from machine.aio import StreamReader, StreamWriter

RATE = 48000
FRAMES = RATE // 2


def ramp(k):
    v = k % 30000 + 1
    return struct.pack("<hh", v, -v)


async def play(i2s, data):
    swriter = StreamWriter(i2s)
    for at in range(0, len(data), 4096):
        swriter.write(data[at:at + 4096])
        await swriter.drain()


async def record(i2s, buf):
    sreader = StreamReader(i2s)
    return await sreader.readinto(buf)


async def main():
    rx = I2S(0, mode=I2S.RX, bits=16, format=I2S.STEREO, rate=RATE,
             ibuf=32768)
    tx = I2S(0, mode=I2S.TX, bits=16, format=I2S.STEREO, rate=RATE,
             ibuf=32768)
    buf = bytearray((FRAMES + RATE // 10) * 4)
    # The ramp, then silence while the recording finishes.
    data = b"".join(ramp(k) for k in range(FRAMES)) + bytes(RATE // 5 * 4)
    got, _ = await asyncio.gather(record(rx, buf), play(tx, data))
    frames = [buf[i:i + 4] for i in range(0, len(buf), 4)]
    first = next((i for i, f in enumerate(frames) if any(f)), None)
    same = first is not None and all(
        frames[first + k] == ramp(k) for k in range(FRAMES)
        if first + k < len(frames))
    complete = first is not None and first + FRAMES <= len(frames)
    print(f"recorded {got} bytes; ramp back at frame {first}: "
          f"{'bit-exact' if same and complete else 'WRONG'}; "
          f"xruns TX {tx.stats()['xruns']} RX {rx.stats()['xruns']}")
    tx.deinit()
    rx.deinit()
    return 0 if same and complete else 1


raise SystemExit(asyncio.run(main()))
