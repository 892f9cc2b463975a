# SPDX-License-Identifier: LGPL-2.1-or-later
"""asyncio streams over machine.I2S, as MicroPython's

    swriter = asyncio.StreamWriter(audio_out)      # MicroPython
    swriter = machine.aio.StreamWriter(audio_out)  # here
    swriter.write(buf); await swriter.drain()
    sreader = machine.aio.StreamReader(audio_in)
    n = await sreader.readinto(buf)

They put the object in non-blocking mode and wait on its fileno().
"""
import asyncio


async def _ready(i2s):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fd = i2s.fileno()
    loop.add_reader(fd, lambda: fut.done() or fut.set_result(None))
    try:
        await fut
    finally:
        loop.remove_reader(fd)


class StreamWriter:
    def __init__(self, i2s):
        self._i2s = i2s
        self._buf = bytearray()
        i2s.set_nonblocking(True)

    def write(self, buf):
        self._buf += buf

    async def drain(self):
        while self._buf:
            n = self._i2s.write(self._buf)
            if n:
                del self._buf[:n]
            else:
                await _ready(self._i2s)


class StreamReader:
    def __init__(self, i2s):
        self._i2s = i2s
        i2s.set_nonblocking(True)

    async def readinto(self, buf):
        """Fill buf completely, as MicroPython's I2S stream does."""
        view = memoryview(buf).cast("B")
        got = 0
        while got < len(view):
            n = self._i2s.readinto(view[got:])
            if n:
                got += n
            else:
                await _ready(self._i2s)
        return got
