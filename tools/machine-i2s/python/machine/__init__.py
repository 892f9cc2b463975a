# SPDX-License-Identifier: LGPL-2.1-or-later
"""MicroPython's `machine` module on Linux, for I2S: `machine.I2S` over
libmachine-i2s and ALSA, and `machine.Pin` on the GPIO character device.

    from machine import I2S, Pin
    audio_out = I2S(0, sck=Pin("P2"), ws=Pin("P3"), sd=Pin("P0"),
                    mode=I2S.TX, bits=16, format=I2S.MONO, rate=44100,
                    ibuf=16384)
    audio_out.write(buf)

As in MicroPython (extmod/machine_i2s.c, py/argcheck.c, py/stream.c):

- every constructor and init() argument is keyword-only, and sck, ws,
  sd, mode, bits, format, rate and ibuf are required; errors carry
  MicroPython's texts ("'sck' argument required", "extra keyword
  arguments given", ValueError("invalid rate"), ...);
- I2S.TX = 1, I2S.RX = 0 (as on rp2 and mimxrt), I2S.MONO = 0,
  I2S.STEREO = 1;
- a second I2S(id, mode=...) on the same id and direction re-initialises
  and returns the same object;
- write() takes any length and keeps a trailing partial frame for the
  next call; readinto() of a partial frame is OSError(EINVAL); both take
  the stream forms write(buf, max_len), write(buf, off, max_len) and
  readinto(buf, max_len); writing to RX or reading from TX is
  OSError(EPERM);
- irq(handler) makes transfers return at once, and handler(i2s) runs on
  the main thread between bytecodes (Py_AddPendingCall), as MicroPython's
  scheduler runs it: a main thread blocked in one long call (a
  time.sleep(10)) runs it only afterwards, so sleep in short steps or use
  asyncio. An exception in the handler is raised in the main thread.
- Blocking transfers release the GIL, and Ctrl-C stops them within one
  period.

machine.Pin(id, mode, pull, *, value=...) requests a GPIO line through
libgpiod: value(), on(), off(), toggle(), the pin as a callable, Pin.IN,
Pin.OUT, Pin.OPEN_DRAIN, Pin.PULL_UP and Pin.PULL_DOWN (where the kernel
supports bias). id is a line name as on the board ("GPIO18" on a
Raspberry Pi), an offset on MACHINE_PIN_CHIP (default gpiochip0), or a
name mapped by MACHINE_PIN_<id>=CHIP:OFFSET or =LINE-NAME. A Pin without
a mode is a name only: I2S takes its pins by name, as Linux muxes them in
devicetree.

Extensions (not in MicroPython): bits=24 (packed 3-byte samples); the
keyword arguments device= (any ALSA PCM name) and xrun_errors=True
(OSError(EPIPE) on underruns and overruns, which are otherwise recovered
and counted); stats() with the xrun counters; drain(); close() and the
context manager; fileno() and set_nonblocking() for event loops (see
machine.asyncio); shift(saturate=True). A bus id names an ALSA PCM:
device=, else the environment variable MACHINE_I2S_<id>, else hw:<id>,0.
"""
import atexit

from ._i2s import I2S, _close_all
from ._pin import Pin

__all__ = ["I2S", "Pin"]

# Stop every library thread before the interpreter goes away.
atexit.register(_close_all)

