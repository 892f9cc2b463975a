# SPDX-License-Identifier: LGPL-2.1-or-later
# A WAV player in the style of the public MicroPython asyncio examples:
# read a chunk of the file into a buffer, hand it to the StreamWriter with
# `swriter.out_buf = mv[:num_read]` and `await swriter.drain()`. The one
# line changed for Linux is the import of asyncio. Usage:
#     wav_player_async.py FILE.wav      (16-bit PCM WAV, bus 0)
import sys

from machine import I2S, Pin
from machine import asyncio


def wav_format(f):
    """(channels, rate, bits) from a canonical 44-byte WAV header."""
    head = f.read(44)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    channels = int.from_bytes(head[22:24], "little")
    rate = int.from_bytes(head[24:28], "little")
    bits = int.from_bytes(head[34:36], "little")
    return channels, rate, bits


async def play(path):
    with open(path, "rb") as wav:
        channels, rate, bits = wav_format(wav)
        audio_out = I2S(0, sck=Pin(32), ws=Pin(25), sd=Pin(33),
                        mode=I2S.TX, bits=bits,
                        format=I2S.STEREO if channels == 2 else I2S.MONO,
                        rate=rate, ibuf=20000)
        swriter = asyncio.StreamWriter(audio_out)
        samples = bytearray(10000)
        mv = memoryview(samples)
        total = 0
        while True:
            num_read = wav.readinto(mv)
            if num_read == 0:
                break
            swriter.out_buf = mv[:num_read]
            await swriter.drain()
            total += num_read
        audio_out.drain()        # extension: wait for the last samples
        audio_out.deinit()
    print(f"played {total} bytes")


asyncio.run(play(sys.argv[1]))
