# SPDX-License-Identifier: LGPL-2.1-or-later
"""MicroPython's `machine` module on Linux, for I2S: `machine.I2S` and the
`machine.Pin` it takes, over libmachine-i2s and ALSA.

    from machine import I2S, Pin
    audio_out = I2S(0, sck=Pin("P2"), ws=Pin("P3"), sd=Pin("P0"),
                    mode=I2S.TX, bits=16, format=I2S.MONO, rate=44100,
                    ibuf=16384)
    audio_out.write(buf)

Errors are MicroPython's: ValueError("invalid rate") and friends for bad
arguments, OSError(EPERM) for writing to RX or reading from TX,
OSError(EINVAL) for a buffer that is not a whole number of frames.
Beyond MicroPython: fileno() / set_nonblocking() for event loops (see
machine.aio for asyncio streams), stats(), drain(), and the keyword
arguments device= (any ALSA PCM name) and xrun_errors=True.
"""
import atexit
import collections
import ctypes
import errno as _errno
import weakref

from . import _lib
from ._lib import lib as _c

__all__ = ["I2S", "Pin"]


class Pin:
    """A pin name, as machine.Pin("P2") or machine.Pin(18); I2S accepts
    them so programs port unchanged (Linux muxes pins in devicetree)."""

    def __init__(self, id, *args, **kwargs):
        self._id = id

    def __repr__(self):
        return f"Pin({self._id!r})"

    def __str__(self):
        return str(self._id)


_live = weakref.WeakSet()


@atexit.register
def _close_all():
    # Stop every library thread before the interpreter goes away.
    for obj in list(_live):
        obj.close()


def _check(ret, value_error=True):
    if ret >= 0:
        return ret
    err, msg = -ret, _lib.last_error()
    if value_error and msg.startswith("invalid"):
        raise ValueError(msg)
    raise OSError(err, msg)


def _pin(p):
    return None if p is None else str(p).encode()


def _buffer(buf, writable):
    """(address, length) of an object with the buffer protocol."""
    view = memoryview(buf).cast("B")
    if view.readonly:
        if writable:
            raise TypeError("buffer is read-only")
        # ctypes cannot point into bytes; copy it (write() is the case).
        holder = ctypes.create_string_buffer(view.tobytes(), len(view))
        return ctypes.addressof(holder), len(view), holder
    holder = (ctypes.c_char * len(view)).from_buffer(view)
    return ctypes.addressof(holder), len(view), holder


class I2S:
    TX = 1
    RX = 2
    MONO = 1
    STEREO = 2

    def __init__(self, id, **kwargs):
        self._obj = None
        self._id = id
        self._handler = None
        self._cb = None
        # Buffers of queued callback-mode transfers, oldest first: the
        # library completes them in order, one at a time.
        self._pending = collections.deque()
        cfg = self._config(kwargs)
        obj = _c.machine_i2s_new(ctypes.byref(cfg))
        if not obj:
            err = ctypes.get_errno()
            msg = _lib.last_error()
            if msg.startswith("invalid"):
                raise ValueError(msg)
            raise OSError(err, msg)
        self._obj = obj
        _live.add(self)

    def _config(self, kw):
        known = {"sck", "ws", "sd", "mck", "mode", "bits", "format", "rate",
                 "ibuf", "device", "xrun_errors"}
        unknown = set(kw) - known
        if unknown:
            raise TypeError(f"unexpected keyword argument "
                            f"'{sorted(unknown)[0]}'")
        for key in ("mode", "bits", "format", "rate", "ibuf"):
            if key not in kw:
                raise TypeError(f"'{key}' argument required")
        dev = kw.get("device")
        nums = []
        for key in ("mode", "bits", "format", "rate", "ibuf"):
            try:
                v = int(kw[key])
            except (TypeError, ValueError):
                raise TypeError("can't convert to int") from None
            if not -2**31 <= v < 2**31:     # C int: never wrap silently
                raise ValueError(f"invalid {key}")
            nums.append(v)
        if not -2**31 <= int(self._id) < 2**31:
            raise ValueError("invalid id")
        return _lib.Config(
            id=int(self._id), device=dev.encode() if dev else None,
            sck=_pin(kw.get("sck")), ws=_pin(kw.get("ws")),
            sd=_pin(kw.get("sd")), mck=_pin(kw.get("mck")),
            mode=nums[0], bits=nums[1], format=nums[2], rate=nums[3],
            ibuf=nums[4], flags=1 if kw.get("xrun_errors") else 0)

    def init(self, **kwargs):
        cfg = self._config(kwargs)
        # The library stops its thread first; only then drop our state.
        ret = _c.machine_i2s_init(self._need(), ctypes.byref(cfg))
        self._handler = self._cb = None
        self._pending.clear()
        _check(ret)

    def deinit(self):
        if self._obj:
            _check(_c.machine_i2s_deinit(self._obj))
        self._handler = self._cb = None
        self._pending.clear()

    def _need(self):
        if not self._obj:
            raise OSError(_errno.EBADF, "I2S object is freed")
        return self._obj

    def _io(self, fn, buf, writable):
        addr, n, holder = _buffer(buf, writable)
        if self._handler:
            # The library moves the data later: keep the memory alive
            # until its callback, queued before the call so that a quick
            # completion finds it.
            self._pending.append(holder)
        ret = fn(self._need(), addr, n)
        if ret < 0 and self._handler:
            self._pending.remove(holder)
        if ret == -_errno.EAGAIN:
            return None
        return _check(ret, value_error=False)

    def write(self, buf):
        return self._io(_c.machine_i2s_write, buf, False)

    def readinto(self, buf):
        return self._io(_c.machine_i2s_readinto, buf, True)

    def irq(self, handler):
        if handler is not None and not callable(handler):
            raise ValueError("invalid callback")
        if handler is None:
            _check(_c.machine_i2s_irq(self._need(), _lib.CALLBACK(), None))
            self._handler = self._cb = None
            return

        me = weakref.ref(self)   # no cycle: the object can still die

        def trampoline(obj, arg):
            i2s = me()
            if i2s is None:
                return
            if i2s._pending:
                i2s._pending.popleft()
            handler(i2s)

        cb = _lib.CALLBACK(trampoline)
        _check(_c.machine_i2s_irq(self._need(), cb, None))
        self._handler, self._cb = handler, cb

    @staticmethod
    def shift(*, buf, bits, shift, saturate=False):
        addr, n, _ = _buffer(buf, True)
        fn = (_c.machine_i2s_shift_saturating if saturate
              else _c.machine_i2s_shift)
        _check(fn(addr, n, int(bits), int(shift)))

    # Beyond MicroPython.
    def fileno(self):
        return _check(_c.machine_i2s_fileno(self._need()))

    def set_nonblocking(self, flag=True):
        _check(_c.machine_i2s_set_nonblocking(self._need(), bool(flag)))

    def drain(self):
        _check(_c.machine_i2s_drain(self._need()), value_error=False)

    def stats(self):
        st = _lib.Stats()
        _check(_c.machine_i2s_get_stats(self._need(), ctypes.byref(st)))
        return {name: getattr(st, name) for name, _ in st._fields_}

    @property
    def device(self):
        name = _c.machine_i2s_device(self._need())
        return name.decode() if name else None

    def close(self):
        if self._obj:
            if _c.machine_i2s_deinit(self._obj) < 0:
                # From its own callback: the thread cannot join itself.
                raise OSError(_errno.EDEADLK, _lib.last_error())
            _c.machine_i2s_free(self._obj)
            self._obj = None
        self._pending.clear()
        _live.discard(self)

    def __del__(self):
        try:
            self.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"I2S(id={self._id}, device={self.device!r})" \
            if self._obj else f"I2S(id={self._id}, freed)"
