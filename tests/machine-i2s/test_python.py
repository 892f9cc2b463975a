#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of the Python `machine` module (tools/machine-i2s/python).

    test_python.py host    against the timer-paced ALSA test PCM
                           (ALSA_CONFIG_PATH must load it)
    test_python.py board   in the VM, against the OpenI2S virtual board
                           (MACHINE_I2S_0 names its card)

MicroPython's behaviour is the reference: its error types and texts, its
shift() arithmetic, its callback argument.  Prints TAP.
"""
import asyncio
import errno
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
from array import array

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "machine-i2s", "python"))

from machine import I2S, Pin  # noqa: E402
from machine.aio import StreamReader, StreamWriter  # noqa: E402

count = failed = 0


def ok(cond, what, why=""):
    global count, failed
    count += 1
    print(f"{'' if cond else 'not '}ok {count} - {what}")
    if not cond:
        failed += 1
        for line in str(why).splitlines():
            print(f"# {line}")
    return cond


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
    for key, bad, text in (("mode", 7, "invalid mode"),
                           ("bits", 8, "invalid bits"),
                           ("format", 5, "invalid format"),
                           ("rate", 0, "invalid rate"),
                           ("ibuf", 0, "invalid ibuf")):
        ok(raises(ValueError, text, lambda: I2S(0, **dict(args, **{key: bad}))),
           f"ValueError(\"{text}\") for {key}={bad}")
    ok(raises(ValueError, "invalid id",
              lambda: I2S(-1, **dict(args, device=None))),
       "ValueError(\"invalid id\") for id -1")
    ok(raises(TypeError, None, lambda: I2S(0, mode=I2S.TX)),
       "TypeError for a missing keyword argument")

    # The seed's TX example, pins and all.
    out = I2S(0, sck=Pin("P2"), ws=Pin("P3"), sd=Pin("P0"), **args)
    buf = array("h", range(-2000, 2000))
    ok(out.write(buf) == 8000 and out.write(bytes(8)) == 8,
       "write() takes array('h') and bytes, returns the byte count")
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
    out.init(**dict(args, format=I2S.STEREO))
    ok(out.stats()["buffer_bytes"] == 16384,
       "init() reconfigures; stats() shows the ibuf-sized buffer")
    out.close()

    # irq(): a refused second write() must not free the first one's data.
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, "irq.raw")
        seen = []
        with I2S(0, **dict(args, format=I2S.STEREO,
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
        with I2S(0, mode=I2S.RX, bits=32, format=fmt, rate=48000,
                 ibuf=8192, device=dev + ":CHMIN=2") as rx:
            got = array("i", bytes(1000 * 4 * (2 if fmt == I2S.STEREO else 1)))
            n = rx.readinto(got)
            ch = 2 if fmt == I2S.STEREO else 1
            want = [pattern(k, c, 32) for k in range(1000) for c in range(ch)]
            ok(n == len(got) * 4 and list(got) == want,
               f"readinto() 32-bit {name} on a stereo device: bit-exact")
            ok(raises(OSError, errno.EINVAL, lambda: rx.readinto(bytearray(6))),
               f"readinto() of a partial frame raises OSError(EINVAL) ({name})")

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

    # asyncio: StreamWriter.drain() and StreamReader.readinto().
    async def both():
        tx = I2S(0, mode=I2S.TX, bits=16, format=I2S.STEREO, rate=48000,
                 ibuf=4096, device=dev + ":RECORD=" + record)
        rx = I2S(0, mode=I2S.RX, bits=16, format=I2S.STEREO, rate=48000,
                 ibuf=4096, device=dev)
        w = StreamWriter(tx)
        w.write(data)
        buf = bytearray(4 * 4800)
        n, _ = await asyncio.gather(StreamReader(rx).readinto(buf),
                                    w.drain())
        tx.drain()
        tx.close()
        rx.close()
        return n, buf

    with tempfile.TemporaryDirectory() as tmp:
        record = os.path.join(tmp, "aio.raw")
        data = bytes(range(256)) * 150
        n, buf = asyncio.run(both())
        with open(record, "rb") as f:
            played = f.read()
        first = struct.unpack_from("<hh", buf, 0)
        ok(n == len(buf) and played == data and
           first == (pattern(0, 0, 16), pattern(0, 1, 16)),
           "asyncio StreamWriter/StreamReader move everything, full duplex")


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
        rx = I2S(0, mode=I2S.RX, bits=bits, format=fmt, rate=rate,
                 ibuf=32768)
        tx = I2S(0, mode=I2S.TX, bits=bits, format=fmt, rate=rate,
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
        rec = subprocess.Popen([os.path.join(ex_bin, "wav_record"), "-t",
                                "1.5", dst], stdout=subprocess.PIPE,
                               text=True)
        time.sleep(0.5)
        play = subprocess.run([os.path.join(ex_bin, "wav_play"), src],
                              capture_output=True, text=True, timeout=60)
        out = rec.communicate(timeout=60)[0]
        with wave.open(dst, "rb") as w:
            got = w.readframes(w.getnframes())
        ok(play.returncode == 0 and rec.returncode == 0 and frames in got,
           "examples wav_record and wav_play: the WAV comes back bit-exact",
           play.stdout + play.stderr + out)

    env = dict(os.environ, MACHINE_I2S_2=os.environ["MACHINE_I2S_0"],
               PYTHONPATH=os.path.join(ROOT, "tools", "machine-i2s",
                                       "python"))
    ex = os.path.join(ROOT, "tools", "machine-i2s", "examples", "python")
    for script, word in (("seed_tx.py", "'xruns': 0"),
                         ("seed_rx.py", "callback got True"),
                         ("asyncio_duplex.py", "bit-exact")):
        res = subprocess.run([sys.executable, os.path.join(ex, script)],
                             env=env, capture_output=True, text=True,
                             timeout=120)
        ok(res.returncode == 0 and word in res.stdout,
           f"example {script} runs unchanged from MicroPython and works",
           res.stdout + res.stderr)


def main():
    if sys.argv[1:] == ["host"]:
        host_tests()
    elif sys.argv[1:] == ["board"]:
        board_tests()
    else:
        print("usage: test_python.py host|board", file=sys.stderr)
        return 2
    print(f"1..{count}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
