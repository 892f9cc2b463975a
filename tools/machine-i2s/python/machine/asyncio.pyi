# SPDX-License-Identifier: LGPL-2.1-or-later
"""Type stubs of machine.asyncio: CPython's asyncio plus MicroPython's
I2S streams and sleep_ms()."""
from asyncio import *  # noqa: F401,F403
from typing import Any

from array import array

# What the buffer protocol gives in practice.
_Buffer = bytes | bytearray | memoryview | array

from . import I2S


async def sleep_ms(ms: float) -> None: ...


class Stream:
    s: I2S
    e: dict[str, Any]
    out_buf: _Buffer

    def __init__(self, s: I2S, e: dict[str, Any] = ...) -> None: ...
    def get_extra_info(self, v: str) -> Any: ...
    def write(self, buf: _Buffer) -> None: ...
    async def drain(self) -> None: ...
    async def awrite(self, buf: _Buffer, off: int = 0,
                     sz: int = -1) -> None: ...
    async def readinto(self, buf: _Buffer) -> int: ...
    def close(self) -> None: ...
    async def wait_closed(self) -> None: ...


StreamReader = Stream
StreamWriter = Stream
