# SPDX-License-Identifier: LGPL-2.1-or-later
"""Type stubs of machine: MicroPython's machine.I2S on Linux."""
from typing import Any, Callable, Optional

from array import array

# What the buffer protocol gives in practice.
_Buffer = bytes | bytearray | memoryview | array

__all__ = ["I2S", "Pin"]


class Pin:
    """A pin name: I2S takes it, Linux muxes the pins in devicetree."""

    def __init__(self, id: int | str, *args: Any, **kwargs: Any) -> None: ...


class I2S:
    """MicroPython's machine.I2S on an ALSA PCM."""

    RX: int
    TX: int
    MONO: int
    STEREO: int

    def __init__(self, id: int, *, sck: Any, ws: Any, sd: Any,
                 mck: Any = None, mode: int, bits: int, format: int,
                 rate: int, ibuf: int, device: Optional[str] = None,
                 xrun_errors: bool = False) -> None: ...

    def init(self, *, sck: Any, ws: Any, sd: Any, mck: Any = None,
             mode: int, bits: int, format: int, rate: int, ibuf: int,
             device: Optional[str] = None,
             xrun_errors: bool = False) -> None: ...

    def deinit(self) -> None: ...

    def write(self, buf: _Buffer, off_or_max_len: int = ...,
              max_len: int = ...) -> Optional[int]: ...

    def readinto(self, buf: _Buffer,
                 max_len: int = ...) -> Optional[int]: ...

    def irq(self, handler: Optional[Callable[["I2S"], Any]]) -> None: ...

    @staticmethod
    def shift(*, buf: _Buffer, bits: int, shift: int,
              saturate: bool = False) -> None: ...

    # Extensions (not in MicroPython).
    def fileno(self) -> int: ...
    def set_nonblocking(self, flag: bool = True) -> None: ...
    def drain(self) -> None: ...
    def stats(self) -> dict[str, int]: ...
    def close(self) -> None: ...
    def __enter__(self) -> "I2S": ...
    def __exit__(self, *exc: Any) -> None: ...

    @property
    def device(self) -> Optional[str]: ...
