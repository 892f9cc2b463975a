# SPDX-License-Identifier: LGPL-2.1-or-later
"""The C extensions: machine._i2s, with libmachine-i2s's sources compiled
in (../src), so the installed module needs alsa-lib only, and machine._pin
on libgpiod. The rest of the package's description is in pyproject.toml."""
from glob import glob

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "machine._i2s",
    sources=["machine/_i2s.c"] + sorted(glob("../src/*.c")),
    include_dirs=["../include", "../src"],
    libraries=["asound"],
    # Only PyInit__i2s is exported (see tools/machine-i2s/rules.mk).
    extra_compile_args=["-std=gnu11", "-D_GNU_SOURCE", "-O3",
                        "-fvisibility=hidden", "-pthread"],
    extra_link_args=["-pthread"],
), Extension(
    "machine._pin",
    sources=["machine/_pin.c"],
    libraries=["gpiod"],
    extra_compile_args=["-std=gnu11", "-D_GNU_SOURCE",
                        "-fvisibility=hidden"],
)])
