# SPDX-License-Identifier: LGPL-2.1-or-later
"""asyncio for MicroPython programs: `from machine import asyncio` in place
of `import asyncio` is the one change a MicroPython I2S program needs.

Everything of CPython's asyncio is here, plus what MicroPython's asyncio
has and CPython's lacks: sleep_ms(), and StreamWriter / StreamReader that
take an I2S object, as MicroPython's do:

    swriter = asyncio.StreamWriter(audio_out)
    swriter.write(buf)                      # or: swriter.out_buf = mv[:n]
    await swriter.drain()
    sreader = asyncio.StreamReader(audio_in)
    n = await sreader.readinto(buf)         # one partial read

The streams put the I2S object in non-blocking mode and wait on its
fileno() with the running loop's add_reader(): no thread per stream.
"""
import asyncio as _asyncio
from asyncio import *  # noqa: F401,F403 (the rest of asyncio, unchanged)

__all__ = list(_asyncio.__all__) + ["sleep_ms", "Stream", "StreamReader",
                                    "StreamWriter"]


async def sleep_ms(ms):
    """MicroPython's asyncio.sleep_ms()."""
    await _asyncio.sleep(ms / 1000)


async def _ready(s):
    """Wait until s can move a period (its fileno() polls readable)."""
    loop = _asyncio.get_running_loop()
    fut = loop.create_future()
    fd = s.fileno()
    loop.add_reader(fd, lambda: fut.done() or fut.set_result(None))
    try:
        await fut
    finally:
        loop.remove_reader(fd)


class Stream:
    """MicroPython's asyncio stream over an I2S object (extmod/asyncio/
    stream.py): one class for reading and writing, as there."""

    def __init__(self, s, e={}):
        self.s = s
        self.e = e
        self.out_buf = b""
        s.set_nonblocking(True)

    def get_extra_info(self, v):
        """The extra information e given to the constructor, by name."""
        return self.e[v]

    def write(self, buf):
        """Queue buf; what the device takes at once goes now."""
        if not self.out_buf:
            ret = self.s.write(buf)
            if ret == len(buf):
                return
            if ret is not None:
                buf = buf[ret:]
        self.out_buf += buf

    async def drain(self):
        """Write out_buf (also when assigned directly) to the end."""
        if not self.out_buf:
            await _asyncio.sleep(0)   # always yield, as MicroPython
            return
        mv = memoryview(self.out_buf)
        off = 0
        while off < len(mv):
            ret = self.s.write(mv[off:])
            if ret:
                off += ret
            else:
                await _ready(self.s)
        self.out_buf = b""

    async def awrite(self, buf, off=0, sz=-1):
        """write() then drain(); off and sz select part of buf."""
        if off or sz != -1:
            buf = memoryview(buf)
            buf = buf[off:off + sz] if sz != -1 else buf[off:]
        self.write(buf)
        await self.drain()

    async def readinto(self, buf):
        """One read once data is there: returns the bytes read (whole
        frames, at most len(buf)), not necessarily a full buffer."""
        while True:
            n = self.s.readinto(buf)
            if n is not None:
                return n
            await _ready(self.s)

    def close(self):
        """Nothing to do until wait_closed(), as in MicroPython."""

    async def wait_closed(self):
        """Close the I2S object (I2S.close(), an extension)."""
        self.s.close()


StreamReader = Stream
StreamWriter = Stream
