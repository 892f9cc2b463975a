#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The arm64 virtual board, in the guest: one boot per framing format.

The board's devicetree is the platform's own (dts/arm64/), so a format is
a board of its own and a boot of its own; tests/vm/arm64-board boots each
and runs this. Reuses the x86 end-to-end checks (openi2s_e2e.py), so both
architectures are held to the same assertions. Prints TAP.

Usage (inside the guest): arm64_board.py FORMAT [xrun]
"""
import os
import sys

import openi2s_e2e as e2e
import ktap

# FMT.MODE for each format (Documentation/sound/openi2s.rst).
FMT_MODE = {"i2s": 0, "left_j": 1, "right_j": 2, "dsp_a": 3, "dsp_b": 4}


def main():
    fmt = sys.argv[1]
    machine = os.uname().machine
    e2e.ok(machine == "aarch64", f"{fmt}: the guest is arm64 ({machine})")
    if not e2e.ok(e2e.wait_card(True),
                  f"{fmt}: the platform devicetree's card {e2e.CARD} is "
                  "there"):
        return ktap.done()
    # Both widths on the Philips board, one on the others: each boot is
    # a board of its own, and the wire trace shows the framing.
    widths = ("S16_LE", "S32_LE") if fmt == "i2s" else ("S16_LE",)
    for sample, channels in ((w, 2) for w in widths):
        passed, why = e2e.round_trip(sample, channels, 48000)
        e2e.ok(passed, f"{fmt} {sample} {channels} ch 48 kHz: round trip "
               "bit-exact", why)
    # The loopback would pass with any format both ends agree on: the
    # controller must be programmed with the devicetree's. The x86 suite
    # traces every format on the wire; here the Philips board's trace
    # shows the simulated wire on arm64 frames as on x86.
    mode = e2e.sim_reg("FMT") & 0x7
    e2e.ok(mode == FMT_MODE[fmt], f"{fmt}: FMT.MODE is {FMT_MODE[fmt]} "
           f"(read {mode})")
    if fmt == "i2s":
        e2e.trace_format(fmt)
    if "xrun" in sys.argv[2:]:
        e2e.xruns()
    return ktap.done()


if __name__ == "__main__":
    sys.exit(main())
