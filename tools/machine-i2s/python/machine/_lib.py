# SPDX-License-Identifier: LGPL-2.1-or-later
"""ctypes binding of libmachine-i2s (tools/machine-i2s/include/machine_i2s.h)."""
import ctypes
import ctypes.util
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def _load():
    """The library named by MACHINE_I2S_LIB, the checkout's build, or the
    system's, in that order."""
    candidates = [os.environ.get("MACHINE_I2S_LIB"),
                  os.path.join(_HERE, "..", "..", "..", "..", "build",
                               "machine-i2s", "libmachine-i2s.so.1"),
                  ctypes.util.find_library("machine-i2s")]
    for path in candidates:
        if path and (os.path.exists(path) or not os.path.isabs(path)):
            return ctypes.CDLL(path, use_errno=True)
    raise ImportError("libmachine-i2s not found: build it with `make "
                      "machine-i2s` or set MACHINE_I2S_LIB")


class Config(ctypes.Structure):
    _fields_ = [("id", ctypes.c_int), ("device", ctypes.c_char_p),
                ("sck", ctypes.c_char_p), ("ws", ctypes.c_char_p),
                ("sd", ctypes.c_char_p), ("mck", ctypes.c_char_p),
                ("mode", ctypes.c_int), ("bits", ctypes.c_int),
                ("format", ctypes.c_int), ("rate", ctypes.c_int),
                ("ibuf", ctypes.c_int), ("flags", ctypes.c_uint)]


class Stats(ctypes.Structure):
    _fields_ = [("frames", ctypes.c_uint64), ("xruns", ctypes.c_uint64),
                ("buffer_bytes", ctypes.c_size_t),
                ("period_bytes", ctypes.c_size_t),
                ("fill_bytes", ctypes.c_size_t),
                ("device_channels", ctypes.c_uint),
                ("device_bits", ctypes.c_uint),
                ("device_rate", ctypes.c_uint)]


CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)

lib = _load()
_P = ctypes.c_void_p
for name, res, args in [
        ("machine_i2s_new", _P, [ctypes.POINTER(Config)]),
        ("machine_i2s_init", ctypes.c_int, [_P, ctypes.POINTER(Config)]),
        ("machine_i2s_deinit", ctypes.c_int, [_P]),
        ("machine_i2s_free", None, [_P]),
        ("machine_i2s_write", ctypes.c_ssize_t, [_P, _P, ctypes.c_size_t]),
        ("machine_i2s_readinto", ctypes.c_ssize_t,
         [_P, _P, ctypes.c_size_t]),
        ("machine_i2s_drain", ctypes.c_int, [_P]),
        ("machine_i2s_irq", ctypes.c_int, [_P, CALLBACK, _P]),
        ("machine_i2s_set_nonblocking", ctypes.c_int, [_P, ctypes.c_bool]),
        ("machine_i2s_fileno", ctypes.c_int, [_P]),
        ("machine_i2s_get_stats", ctypes.c_int, [_P, ctypes.POINTER(Stats)]),
        ("machine_i2s_device", ctypes.c_char_p, [_P]),
        ("machine_i2s_shift", ctypes.c_int,
         [_P, ctypes.c_size_t, ctypes.c_int, ctypes.c_int]),
        ("machine_i2s_shift_saturating", ctypes.c_int,
         [_P, ctypes.c_size_t, ctypes.c_int, ctypes.c_int]),
        ("machine_i2s_validate", ctypes.c_int, [ctypes.POINTER(Config)]),
        ("machine_i2s_last_error", ctypes.c_char_p, [])]:
    fn = getattr(lib, name)
    fn.restype = res
    fn.argtypes = args


def last_error():
    return lib.machine_i2s_last_error().decode()
