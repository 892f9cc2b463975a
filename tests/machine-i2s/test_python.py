#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of the Python `machine` module (tools/machine-i2s/python), the
C extension built into build/machine-i2s/python, with Debian's Python.

    test_python.py host    against the timer-paced ALSA test PCM
                           (ALSA_CONFIG_PATH must load it)
    test_python.py board   in the VM, against the OpenI2S virtual board
                           (MACHINE_I2S_0 names its card)

MicroPython's behaviour is the reference: its error types and texts, its
shift() arithmetic, its callback argument. The comments name the lines of
MicroPython's sources (commit 1c3c201149, 2026-08-19) each test follows:
extmod/machine_i2s.c as "i2s.c", py/argcheck.c as "argcheck.c".
Prints TAP.
"""
import errno
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from array import array

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PYPATH = os.path.join(ROOT, "build", "machine-i2s", "python")
sys.path[:0] = [PYPATH, os.path.join(ROOT, "tests", "lib")]

from machine import I2S, Pin, asyncio as masyncio  # noqa: E402
import ktap  # noqa: E402
from ktap import ok  # noqa: E402

# The pins MicroPython requires: names only on Linux.
PINS = dict(sck=Pin("P2"), ws=Pin("P3"), sd=Pin("P0"))


def raises(exc, text, fn):
    try:
        fn()
    except exc as e:
        if text is None or str(e) == text or \
                (isinstance(e, OSError) and e.errno == text):
            return True
        print(f"# {type(e).__name__}: {e}")
        return False
    print("# no exception")
    return False


def pattern(frame, ch, bits):
    """tests/alsa-testpcm/testpcm.h's capture pattern."""
    key = (frame << 8) + ch + 1
    top = ((key * 0x9e3779b97f4a7c15) % (1 << 64)) >> (64 - bits)
    return top - (1 << bits) if top & (1 << (bits - 1)) else top


def host_tests():
    dev = "mi2s_test"
    args = dict(mode=I2S.TX, bits=16, format=I2S.MONO, rate=44100,
                ibuf=16384, device=dev)
    pins = PINS
    for key, bad, text in (("mode", 7, "invalid mode"),
                           ("bits", 8, "invalid bits"),
                           ("format", 5, "invalid format"),
                           ("rate", 0, "invalid rate"),
                           ("ibuf", 0, "invalid ibuf")):
        ok(raises(ValueError, text,
                  lambda: I2S(0, **pins, **dict(args, **{key: bad}))),
           f"ValueError(\"{text}\") for {key}={bad}")
    ok(raises(ValueError, "invalid id",
              lambda: I2S(-1, **pins, **dict(args, device=None))),
       "ValueError(\"invalid id\") for id -1")
    # argcheck.c:96, in the order of i2s.c:346-356: the pins first.
    ok(raises(TypeError, "'sck' argument required",
              lambda: I2S(0, mode=I2S.TX)),
       "TypeError(\"'sck' argument required\") for I2S(0, mode=TX)")
    ok(raises(TypeError, "'mode' argument required",
              lambda: I2S(0, **pins)),
       "TypeError(\"'mode' argument required\") once the pins are given")
    ok(raises(TypeError, "'ibuf' argument required",
              lambda: I2S(0, **pins, mode=I2S.TX, bits=16, format=I2S.MONO,
                          rate=8000)),
       "TypeError(\"'ibuf' argument required\") for a missing ibuf")
    # argcheck.c:121 (every argument is keyword-only) and :129.
    ok(raises(TypeError, "extra positional arguments given",
              lambda: I2S(0, 1, **pins, **args)),
       "TypeError(\"extra positional arguments given\")")
    ok(raises(TypeError, "extra keyword arguments given",
              lambda: I2S(0, **pins, **args, bogus=1)),
       "TypeError(\"extra keyword arguments given\")")
    # i2s.c:391 (mp_arg_check_num, argcheck.c:64), runtime.c:1767.
    ok(raises(TypeError, "function missing 1 required positional arguments",
              lambda: I2S()), "I2S() without an id: MicroPython's TypeError")
    ok(raises(TypeError, "can't convert str to int",
              lambda: I2S(0, **pins, **dict(args, rate="44100"))),
       "TypeError(\"can't convert str to int\") for rate=\"44100\"")
    # i2s.c:518-521 with rp2/mimxrt's RX and TX (mpconfigport.h:194).
    ok((I2S.RX, I2S.TX, I2S.MONO, I2S.STEREO) == (0, 1, 0, 1),
       "constants: RX 0, TX 1, MONO 0, STEREO 1, as on rp2 and mimxrt")
    # A failed constructor leaves nothing behind to complain on exit.
    res = subprocess.run([sys.executable, "-c",
                          "import sys; sys.path.insert(0, sys.argv[1])\n"
                          "from machine import I2S\n"
                          "try:\n    I2S(0, mode=I2S.TX)\n"
                          "except TypeError:\n    pass\n", PYPATH],
                         capture_output=True, text=True)
    ok(res.returncode == 0 and res.stderr == "",
       "a failed constructor prints nothing at exit", res.stderr)

    # The seed's TX example, pins and all.
    out = I2S(0, **pins, **args)
    buf = array("h", range(-2000, 2000))
    ok(out.write(buf) == 8000 and out.write(bytes(8)) == 8,
       "write() takes array('h') and bytes, returns the byte count")
    # i2s.c:367-377, with mck (the ports that have it).
    want = ("I2S(id=0,\nsck=P2,\nws=P3,\nsd=P0,\nmck=None,\nmode=1,\n"
            "bits=16, format=0,\nrate=44100, ibuf=16384)")
    ok(repr(out) == want, "repr() in MicroPython's layout", repr(out))
    # rp2's machine_i2s.c:581: the bus's object again, re-initialised.
    again = I2S(0, **pins, **dict(args, rate=48000))
    ok(again is out and "rate=48000" in repr(out) and
       out.stats()["device_rate"] == 48000,
       "a second I2S(0, mode=TX) re-initialises and returns the same object")
    ok(raises(OSError, errno.EPERM, lambda: out.readinto(bytearray(8))),
       "readinto() on TX raises OSError(EPERM)")
    ok(raises(ValueError, "invalid callback", lambda: out.irq(42)),
       "irq(42) raises ValueError(\"invalid callback\")")
    seen = []
    out.irq(lambda i2s: seen.append(i2s))
    t0 = time.monotonic()
    n = out.write(bytearray(44100 // 10 * 2))
    quick = time.monotonic() - t0 < 0.05
    for _ in range(200):
        if seen:
            break
        time.sleep(0.01)
    ok(n == 8820 and quick and seen == [out],
       "irq(): write() returns at once, the handler gets the I2S object")
    out.irq(None)
    out.deinit()
    out.deinit()
    ok(raises(OSError, errno.EBADF, lambda: out.write(bytes(2))),
       "deinit() twice is fine; write() after it raises OSError(EBADF)")
    out.init(**pins, **dict(args, format=I2S.STEREO))
    ok(out.stats()["buffer_bytes"] == 16384,
       "init() reconfigures; stats() shows the ibuf-sized buffer")
    out.close()

    # irq(): a refused second write() must not free the first one's data.
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, "irq.raw")
        seen = []
        with I2S(0, **pins, **dict(args, format=I2S.STEREO,
                                   device=f"{dev}:RECORD={rec}")) as o:
            o.irq(lambda i2s: seen.append(1))
            o.write(b"\x11" * 32000)
            busy = raises(OSError, errno.EBUSY, lambda: o.write(bytes(8)))
            junk = [bytes([0x77]) * 32000 for _ in range(50)]
            for _ in range(300):
                if seen:
                    break
                time.sleep(0.01)
            o.irq(None)
            o.drain()
        del junk
        with open(rec, "rb") as f:
            played = f.read()
        ok(busy and seen and played == b"\x11" * 32000,
           "irq(): EBUSY for a second write(), the first one's data intact",
           f"{len(played)} bytes, {played[:8]!r}")

    # RX: the test PCM's pattern comes back, MONO keeps the left channel.
    for fmt, name in ((I2S.STEREO, "STEREO"), (I2S.MONO, "MONO")):
        with I2S(0, **pins, mode=I2S.RX, bits=32, format=fmt, rate=48000,
                 ibuf=8192, device=dev + ":CHMIN=2") as rx:
            got = array("i", bytes(1000 * 4 * (2 if fmt == I2S.STEREO else 1)))
            n = rx.readinto(got)
            ch = 2 if fmt == I2S.STEREO else 1
            want = [pattern(k, c, 32) for k in range(1000) for c in range(ch)]
            ok(n == len(got) * 4 and list(got) == want,
               f"readinto() 32-bit {name} on a stereo device: bit-exact")
            # i2s.c:534
            ok(raises(OSError, errno.EINVAL, lambda: rx.readinto(bytearray(6))),
               f"readinto() of a partial frame raises OSError(EINVAL) ({name})")
            # Longer than the pieces a blocking readinto() goes in: still
            # refused before a frame is read.
            before = rx.stats()["frames"]
            ok(raises(OSError, errno.EINVAL,
                      lambda: rx.readinto(bytearray(8192 * 3 + 6))) and
               rx.stats()["frames"] == before,
               f"readinto() of 3 buffers and a partial frame reads nothing "
               f"and raises OSError(EINVAL) ({name})")

    # shift(): MicroPython's arithmetic, in place, wrapping; saturate opt-in.
    a = array("h", [1000, -1000, 0x4000, 3])
    I2S.shift(buf=a, bits=16, shift=1)
    ok(list(a) == [2000, -2000, -32768, 6], "shift() left wraps like MicroPython")
    I2S.shift(buf=a, bits=16, shift=-2)
    ok(list(a) == [500, -500, -8192, 1], "shift() right is arithmetic")
    b = array("i", [1 << 29, -(1 << 29)])
    I2S.shift(buf=b, bits=32, shift=3, saturate=True)
    ok(list(b) == [2**31 - 1, -2**31], "shift(saturate=True) clips")
    ok(raises(ValueError, "invalid bits",
              lambda: I2S.shift(buf=bytearray(4), bits=24, shift=1)),
       "shift(bits=24) raises ValueError(\"invalid bits\")")

    # asyncio (machine.asyncio): MicroPython's Stream over I2S.
    async def both():
        tx = I2S(0, **PINS, mode=I2S.TX, bits=16, format=I2S.STEREO,
                 rate=48000, ibuf=4096, device=dev + ":RECORD=" + record)
        rx = I2S(0, **PINS, mode=I2S.RX, bits=16, format=I2S.STEREO,
                 rate=48000, ibuf=4096, device=dev)
        w = masyncio.StreamWriter(tx)
        r = masyncio.StreamReader(rx)
        buf = bytearray(4 * 4800)
        reads = []

        async def reader():
            got = 0
            while got < len(buf):
                n = await r.readinto(memoryview(buf)[got:])
                reads.append(n)
                got += n

        async def writer():
            w.write(data[:4000])
            await w.drain()
            # The idiom of MicroPython WAV players: assign, then drain.
            mv = memoryview(data)
            w.out_buf = mv[4000:20000]
            await w.drain()
            await w.awrite(data, 20000)
            w.close()
            await w.wait_closed()

        await masyncio.gather(reader(), writer())
        rx.close()
        return reads, buf, tx

    with tempfile.TemporaryDirectory() as tmp:
        record = os.path.join(tmp, "aio.raw")
        data = bytes(range(256)) * 150
        reads, buf, tx = masyncio.run(both())
        with open(record, "rb") as f:
            played = f.read()
        first = struct.unpack_from("<hh", buf, 0)
        ok(played == data,
           "asyncio: write() + drain(), out_buf = mv[...] + drain() and "
           "awrite(buf, off) play everything in order",
           f"{len(played)} of {len(data)} bytes")
        ok(len(reads) > 1 and sum(reads) == len(buf) and
           first == (pattern(0, 0, 16), pattern(0, 1, 16)),
           "asyncio: readinto() returns after one partial read "
           f"({len(reads)} reads), the data exact")
        ok(raises(OSError, errno.EBADF, lambda: tx.write(bytes(4))),
           "asyncio: wait_closed() closes the I2S object")

    partial_and_stream_tests(dev)
    thread_tests(dev)
    package_tests()


def partial_and_stream_tests(dev):
    """write() of any length (i2s.c's stream write takes bytes), and the
    stream forms of py/stream.c:280-297."""
    data = bytes(range(1, 201))
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, "partial.raw")
        with I2S(0, **PINS, mode=I2S.TX, bits=16, format=I2S.STEREO,
                 rate=48000, ibuf=4096, device=f"{dev}:RECORD={rec}") as o:
            cuts = [3, 5, 1, 7, 2, 14, 68]   # 100 bytes
            at, counts = 0, []
            for c in cuts:
                counts.append(o.write(data[at:at + c]))
                at += c
            counts.append(o.write(data, 100, 40))    # (buf, off, max_len)
            counts.append(o.write(data[140:], 30))   # (buf, max_len)
            counts.append(o.write(data, 170, 1000))  # max_len past the end
            o.drain()
        with open(rec, "rb") as f:
            played = f.read()
        ok(counts == cuts + [40, 30, 30] and played == data,
           "write() of lengths that split frames, and write(buf, max_len) / "
           "write(buf, off, max_len): the bytes play in order",
           f"counts {counts}, {len(played)} bytes played")
        with I2S(0, **PINS, mode=I2S.TX, bits=16, format=I2S.STEREO,
                 rate=48000, ibuf=4096, device=f"{dev}:RECORD={rec}") as o:
            o.write(data[:6])
            o.drain()
        with open(rec, "rb") as f:
            played = f.read()
        ok(played == data[:4],
           "a trailing partial frame is kept, not played by drain()",
           f"{played!r}")
    with I2S(0, **PINS, mode=I2S.RX, bits=16, format=I2S.STEREO, rate=48000,
             ibuf=4096, device=dev) as rx:
        buf = bytearray(64)
        n = rx.readinto(buf, 8)
        ok(n == 8 and buf[8:] == bytes(56) and
           struct.unpack_from("<hh", buf) == (pattern(0, 0, 16),
                                              pattern(0, 1, 16)),
           "readinto(buf, max_len) reads max_len bytes")
        ok(raises(TypeError, "function expected at most 3 arguments, got 4",
                  lambda: rx.readinto(buf, 1, 2)),
           "readinto(buf, off, max_len) is MicroPython's TypeError "
           "(argcheck.c:72)")


def interrupted_write(o, send, *args):
    """A 3 s blocking write() of 16-bit stereo at 48 kHz, with send(*args)
    called from a timer thread 0.2 s in: how long after the send the
    KeyboardInterrupt came, or None when the write ran to its end."""
    timer = threading.Timer(0.2, send, args)
    t0 = time.monotonic()
    timer.start()
    try:
        o.write(bytes(48000 * 3 * 4))
        late = None
    except KeyboardInterrupt:
        late = time.monotonic() - t0 - 0.2
    timer.join()
    return late


def thread_tests(dev):
    """irq handlers on the main thread, the GIL released while blocking,
    and Ctrl-C within a period."""
    # Python leaves SIGINT alone when it starts ignored (a background job
    # of a shell without job control): give it the handler under test.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main = threading.main_thread()
    seen = []
    with I2S(0, **PINS, mode=I2S.TX, bits=16, format=I2S.STEREO, rate=48000,
             ibuf=4096, device=dev) as o:
        o.irq(lambda i2s: seen.append((threading.current_thread(), i2s)))
        o.write(bytes(4800))
        end = time.monotonic() + 2
        while not seen and time.monotonic() < end:
            time.sleep(0.001)      # bytecodes run: the handler can too
        o.irq(None)
        ok(seen and seen[0] == (main, o),
           "irq(): the handler runs on the main thread with the object")

    # close() from another thread while a blocking write() waits: the
    # write fails with EBADF, nothing is freed under it.
    o = I2S(0, **PINS, mode=I2S.TX, bits=16, format=I2S.STEREO, rate=48000,
            ibuf=4096, device=dev)
    got = []

    def blocked():
        try:
            got.append(o.write(bytes(48000 * 4)))
        except OSError as e:
            got.append(e.errno)
    t = threading.Thread(target=blocked)
    t.start()
    time.sleep(0.2)
    o.close()
    t.join()
    ok(got == [errno.EBADF], "close() from another thread during a blocking "
       f"write(): the write fails with EBADF ({got})")

    # irq() from another thread while a blocking write() goes on: the
    # write stops with EBADF rather than queue the rest of the caller's
    # buffer behind its back, and the handler never runs.
    o = I2S(0, **PINS, mode=I2S.TX, bits=16, format=I2S.STEREO, rate=48000,
            ibuf=4096, device=dev)
    got, calls = [], []
    t = threading.Thread(target=blocked)
    t.start()
    time.sleep(0.2)
    o.irq(calls.append)
    t.join()
    o.irq(None)
    time.sleep(0.05)
    o.close()
    ok(got == [errno.EBADF] and not calls, "irq() from another thread "
       f"during a blocking write(): the write fails with EBADF ({got}), "
       f"no handler runs ({len(calls)} calls)")

    # init() onto a direction another object has: refused, both intact.
    a = I2S(0, **PINS, mode=I2S.TX, bits=16, format=I2S.STEREO, rate=48000,
            ibuf=4096, device=dev)
    b = I2S(0, **PINS, mode=I2S.RX, bits=16, format=I2S.STEREO, rate=48000,
            ibuf=4096, device=dev)
    refused = raises(OSError, errno.EBUSY, lambda: a.init(
        **PINS, mode=I2S.RX, bits=16, format=I2S.STEREO, rate=48000,
        ibuf=4096, device=dev))
    again = I2S(0, **PINS, mode=I2S.RX, bits=16, format=I2S.STEREO,
                rate=8000, ibuf=4096, device=dev)
    ok(refused and again is b and a.write(bytes(8)) == 8,
       "init() onto a direction another object has: EBUSY, both objects "
       "keep theirs")
    a.close()
    b.close()

    ticks = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks[0] += 1

    with I2S(0, **PINS, mode=I2S.TX, bits=16, format=I2S.STEREO, rate=48000,
             ibuf=4096, device=dev) as o:
        t = threading.Thread(target=count)
        t.start()
        before = ticks[0]
        o.write(bytes(48000 // 2 * 4))     # 0.5 s, blocking
        during = ticks[0] - before
        stop.set()
        t.join()
        ok(during > 1000, "a blocking write() releases the GIL: another "
           f"thread ran meanwhile ({during} steps)")

        # To the main thread, as a terminal's Ctrl-C arrives: a kill()
        # of the process from the timer thread may be taken by the
        # sender, and then no wait in the main thread ends.
        late = interrupted_write(o, signal.pthread_kill,
                                 main.ident, signal.SIGINT)
        period = o.stats()["period_bytes"] / 4 / 48000
        ok(late is not None and late < period + 0.05,
           "Ctrl-C interrupts a blocking write() within one period "
           f"({late if late is None else round(late * 1000)} ms, period "
           f"{period * 1000:.0f} ms)")

        # A SIGINT another thread takes interrupts no wait of the main
        # thread, as one that lands between two waits does: the write
        # still stops within a piece of ibuf bytes.
        late = interrupted_write(o, signal.raise_signal, signal.SIGINT)
        buffer = o.stats()["buffer_bytes"] / 4 / 48000
        ok(late is not None and late < buffer + period + 0.05,
           "Ctrl-C handled off the main thread stops a blocking write() "
           f"within one buffer ({late if late is None else round(late * 1000)}"
           f" ms, buffer {buffer * 1000:.0f} ms)")


def stub_names(path):
    """Top-level and class-level names a .pyi stub declares."""
    import ast
    names = set()
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
            names |= {f"{node.name}.{n.name}" for n in node.body
                      if isinstance(n, (ast.FunctionDef,
                                        ast.AsyncFunctionDef))}
            names |= {f"{node.name}.{t.id}" for n in node.body
                      if isinstance(n, ast.AnnAssign)
                      for t in [n.target]}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def package_tests():
    """Stubs and docstrings cover the public names, and the package
    installs with pip from the source tree, as the README says."""
    import machine
    pkg = os.path.dirname(machine.__file__)
    public = {"I2S", "Pin"} | {f"{c.__name__}.{n}" for c in (I2S, Pin)
                               for n in dir(c) if not n.startswith("_")}
    stubs = stub_names(os.path.join(pkg, "__init__.pyi"))
    ok(public <= stubs and os.path.exists(os.path.join(pkg, "py.typed")),
       "machine: the stub declares every public name; py.typed is there",
       f"missing: {sorted(public - stubs)}")
    apublic = {"sleep_ms", "Stream", "StreamReader", "StreamWriter"} | {
        f"Stream.{n}" for n in dir(masyncio.Stream) if not n.startswith("_")}
    astubs = stub_names(os.path.join(pkg, "asyncio.pyi"))
    ok(apublic <= astubs, "machine.asyncio: the stub declares its names",
       f"missing: {sorted(apublic - astubs)}")
    def doc(name):
        owner, _, attr = name.rpartition(".")
        scope = {"I2S": I2S, "Pin": Pin, "Stream": masyncio.Stream,
                 "": None}[owner]
        obj = getattr(scope, attr) if scope else \
            getattr(machine, attr, None) or getattr(masyncio, attr)
        return obj.__doc__
    constants = {"I2S.RX", "I2S.TX", "I2S.MONO", "I2S.STEREO", "Pin.IN",
                 "Pin.OUT", "Pin.OPEN_DRAIN", "Pin.PULL_UP", "Pin.PULL_DOWN",
                 "StreamReader", "StreamWriter"}     # ints and aliases
    undocumented = [n for n in sorted((public | apublic) - constants)
                    if not doc(n)]
    ok(not undocumented, "every public name has a docstring",
       f"undocumented: {undocumented}")

    # pip, from a copy of the sources (an in-tree build writes beside them).
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "machine-i2s")
        os.makedirs(src)
        for part in ("python", "src", "include"):
            subprocess.run(["cp", "-r", os.path.join(ROOT, "tools",
                                                     "machine-i2s", part),
                            src], check=True)
        target = os.path.join(tmp, "site")
        res = subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                              "--no-build-isolation", "--no-deps",
                              "--no-cache-dir", "--target", target,
                              os.path.join(src, "python")],
                             capture_output=True, text=True, timeout=300)
        probe = subprocess.run(
            [sys.executable, "-c",
             "import machine, machine.asyncio\n"
             "print(machine.__file__, machine.I2S.STEREO,"
             " machine.asyncio.StreamWriter.__name__)"],
            capture_output=True, text=True,
            env=dict(os.environ, PYTHONPATH=target))
        ok(res.returncode == 0 and probe.returncode == 0 and
           probe.stdout.startswith(os.path.join(target, "machine")) and
           probe.stdout.split()[1:] == ["1", "Stream"] and
           os.path.exists(os.path.join(target, "machine", "py.typed")),
           "pip install --no-build-isolation installs the extension, "
           "stubs and asyncio module",
           res.stdout + res.stderr + probe.stdout + probe.stderr)


def board_tests():
    rate = 48000
    for bits, fmt, name in ((16, I2S.STEREO, "16-bit STEREO"),
                            (32, I2S.MONO, "32-bit MONO")):
        ch = 2 if fmt == I2S.STEREO else 1
        width = bits // 8
        frames = rate // 5
        seq = b"".join(struct.pack("<" + ("h" if bits == 16 else "i") * ch,
                                   *[((k * 7 + c * 3) % 20000 + 1) *
                                     (1 if bits == 16 else 65536)
                                     for c in range(ch)])
                       for k in range(frames))
        rx = I2S(0, **PINS, mode=I2S.RX, bits=bits, format=fmt, rate=rate,
                 ibuf=32768)
        tx = I2S(0, **PINS, mode=I2S.TX, bits=bits, format=fmt, rate=rate,
                 ibuf=32768)
        rec = bytearray(len(seq) + rate // 2 * width * ch)
        # Capture runs before the first played frame reaches the wire.
        rx.readinto(bytearray(64 * width * ch))
        reader = threading.Thread(target=rx.readinto, args=(rec,))
        reader.start()
        tx.write(seq + bytes(rate // 10 * width * ch))
        reader.join()
        fb = width * ch
        first = next((i for i in range(0, len(rec), fb)
                      if any(rec[i:i + fb])), None)
        ok(first is not None and rec[first:first + len(seq)] == seq,
           f"Python round trip {name} {rate} Hz through the loopback: "
           f"bit-exact", f"first sound at byte {first}")
        tx.close()
        rx.close()

    # The C examples: wav_record while wav_play plays a file.
    import wave
    ex_bin = os.path.join(ROOT, "build", "machine-i2s", "examples")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "play.wav"), os.path.join(tmp, "rec.wav")
        frames = b"".join(struct.pack("<hh", k % 30000 + 1, -(k % 30000) - 1)
                          for k in range(rate // 4))
        with wave.open(src, "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(frames + bytes(rate // 10 * 4))
        play, rec, out = record_while(ex_bin, dst,
                                      [os.path.join(ex_bin, "wav_play"), src])
        with wave.open(dst, "rb") as w:
            got = w.readframes(w.getnframes())
        ok(play.returncode == 0 and rec.returncode == 0 and frames in got,
           "examples wav_record and wav_play: the WAV comes back bit-exact",
           play.stdout + play.stderr + out)

        # The asyncio WAV player (out_buf + drain()), recorded by the C
        # example; its file ends in a partial frame, which write() keeps.
        with open(src, "ab") as f:
            f.write(b"\x01\x02\x03")
        play, rec, out = record_while(ex_bin, dst, [
            sys.executable, os.path.join(ROOT, "tools", "machine-i2s",
                                         "examples", "python",
                                         "wav_player_async.py"), src],
            env=dict(os.environ, PYTHONPATH=PYPATH))
        with wave.open(dst, "rb") as w:
            got = w.readframes(w.getnframes())
        ok(play.returncode == 0 and rec.returncode == 0 and frames in got,
           "example wav_player_async.py (out_buf + drain()): the WAV comes "
           "back bit-exact", play.stdout + play.stderr + out)

    env = dict(os.environ, MACHINE_I2S_2=os.environ["MACHINE_I2S_0"],
               PYTHONPATH=PYPATH)
    ex = os.path.join(ROOT, "tools", "machine-i2s", "examples", "python")
    gpio_tests()
    for script, word in (("seed_tx.py", "'xruns': 0"),
                         ("seed_rx.py", "callback got True"),
                         ("asyncio_duplex.py", "bit-exact")):
        log = ""
        for _ in range(3):
            res = subprocess.run([sys.executable, os.path.join(ex, script)],
                                 env=env, capture_output=True, text=True,
                                 timeout=120)
            log += res.stdout + res.stderr
            # A loaded host may starve the guest's Python into an xrun,
            # which is reported and counted: only that earns a rerun.
            # Frames lost with no xrun counted fail at once.
            counted = re.search(r"xruns: TX (\d+), RX (\d+)", res.stdout)
            if not (counted and res.returncode != 0 and
                    int(counted[1]) + int(counted[2]) > 0):
                break
        ok(res.returncode == 0 and word in res.stdout,
           f"example {script} runs unchanged from MicroPython and works",
           log)


def record_while(ex_bin, dst, player, env=None):
    """Record dst with the C example wav_record while player runs, and
    stop it once the player is done: a fixed length would lose the end
    when the player starts slowly (Python takes 2.5 s to start in the
    emulated guest). Returns the player's and recorder's results and the
    recorder's output."""
    rec = subprocess.Popen([os.path.join(ex_bin, "wav_record"), "-t", "30",
                            dst], stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)            # the capture runs before a sample comes
        play = subprocess.run(player, capture_output=True, text=True,
                              timeout=60, env=env)
        time.sleep(0.4)            # the last samples cross the wire
        rec.send_signal(signal.SIGTERM)
        return play, rec, rec.communicate(timeout=60)[0]
    finally:
        if rec.poll() is None:
            rec.kill()


def write_sys(path, text):
    with open(path, "w") as f:
        f.write(text)


def read_sys(path):
    with open(path) as f:
        return f.read().strip()


def gpio_tests():
    """machine.Pin on the GPIO character device, against a gpio-sim chip
    whose lines the test reads back (value) and pulls (pull)."""
    cfs = "/sys/kernel/config/gpio-sim/machine"
    subprocess.run(["modprobe", "gpio-sim"], check=True)
    os.makedirs(f"{cfs}/bank0")
    write_sys(f"{cfs}/bank0/num_lines", "16")
    # Named as on a board: the script's enable line, a Raspberry Pi name.
    for line, name in ((3, "AMP_EN"), (9, "GPIO9")):
        os.makedirs(f"{cfs}/bank0/line{line}")
        write_sys(f"{cfs}/bank0/line{line}/name", name)
    write_sys(f"{cfs}/live", "1")
    chip = read_sys(f"{cfs}/bank0/chip_name")
    sim = f"/sys/devices/platform/{read_sys(f'{cfs}/dev_name')}/{chip}"

    def line(n, attr="value"):
        return read_sys(f"{sim}/sim_gpio{n}/{attr}")

    try:
        p = Pin("GPIO9", Pin.OUT, value=1)
        states = [line(9)]
        p.off()
        states.append(line(9))
        p.on()
        states.append(line(9))
        p.toggle()
        states.append(line(9))
        p(1)
        states.append(line(9))
        p.value(0)
        states.append(line(9))
        ok(states == ["1", "0", "1", "0", "1", "0"],
           "Pin(\"GPIO9\", Pin.OUT, value=1): on(), off(), toggle(), "
           "p(1) and value(0) drive the line", f"line values {states}")
        del p

        os.environ["MACHINE_PIN_CHIP"] = chip
        q = Pin(5, Pin.IN)
        write_sys(f"{sim}/sim_gpio5/pull", "pull-up")
        up = q.value()
        write_sys(f"{sim}/sim_gpio5/pull", "pull-down")
        down = q()
        ok((up, down) == (1, 0), "Pin(5, Pin.IN) on MACHINE_PIN_CHIP "
           f"reads the line as it is pulled ({up}, {down})")
        q.init(Pin.IN, Pin.PULL_UP)
        ok(line(5, "pull") == "pull-up" and q.value() == 1,
           "Pin.PULL_UP biases the line", line(5, "pull"))
        del q

        os.environ["MACHINE_PIN_P2"] = f"{chip}:7"
        r = Pin("P2", Pin.OUT, value=1)
        ok(line(7) == "1" and str(r) == "P2",
           "MACHINE_PIN_P2=CHIP:7 maps the board's name P2 to a line")
        del r
        ok(raises(ValueError, "invalid pin",
                  lambda: Pin("NO_SUCH_LINE", Pin.OUT)),
           "a name no line has is ValueError(\"invalid pin\")")

        # The amplifier script: its enable line is high while it plays.
        env = dict(os.environ, PYTHONPATH=PYPATH)
        proc = subprocess.Popen([sys.executable, os.path.join(
            ROOT, "tools", "machine-i2s", "examples", "python",
            "amp_enable.py")], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        seen = set()
        while proc.poll() is None:
            seen.add(line(3))
            time.sleep(0.02)
        out = proc.stdout.read()
        ok(proc.returncode == 0 and seen >= {"0", "1"} and
           "amplifier on: 1" in out and "amplifier off: 0" in out,
           "example amp_enable.py drives its enable line (AMP_EN) around "
           f"the stream (line seen {sorted(seen)})", out)
    finally:
        os.environ.pop("MACHINE_PIN_CHIP", None)
        os.environ.pop("MACHINE_PIN_P2", None)
        write_sys(f"{cfs}/live", "0")


def main():
    if sys.argv[1:] == ["host"]:
        host_tests()
    elif sys.argv[1:] == ["board"]:
        board_tests()
    else:
        print("usage: test_python.py host|board", file=sys.stderr)
        return 2
    return ktap.done()


if __name__ == "__main__":
    sys.exit(main())
