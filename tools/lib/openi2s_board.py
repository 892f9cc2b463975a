# SPDX-License-Identifier: GPL-2.0
"""The virtual board as the guest sees it: its facts (card, PCM, the
simulated SoC's debugfs directory, read from openi2s-board.env) and the
helpers every guest script shares to read the simulated registers and to
swap boards. Imported by the tests, the demo, the bench and wire-trace.
"""
import glob
import os
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def _facts():
    facts = {}
    with open(os.path.join(HERE, "openi2s-board.env")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, value = line.split("=", 1)
                facts[name] = value
    return facts


_FACTS = _facts()
CARD = _FACTS["OPENI2S_CARD"]
PCM = _FACTS["OPENI2S_PCM"]
SIM = _FACTS["OPENI2S_SIM"]
SIMDEV = _FACTS["OPENI2S_SIMDEV"]
I2S_DEV = _FACTS["OPENI2S_I2S_DEV"]
I2S_SYSFS = f"/sys/bus/platform/devices/{I2S_DEV}"
DRIVER = _FACTS["OPENI2S_DRIVER"]
WIRE_TRACE_FILE = f"{SIMDEV}/wire_trace"
WIRE_BIT_LEVEL_FILE = f"{SIMDEV}/wire_bit_level"


def read(path):
    with open(path) as f:
        return f.read().strip()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def registers():
    """The simulated controller's registers: {name: value}."""
    regs = {}
    for line in read(f"{SIMDEV}/registers").splitlines():
        fields = line.split()
        if len(fields) >= 2:
            try:
                regs[fields[0]] = int(fields[-1], 16)
            except ValueError:
                pass
    return regs


def reg(name):
    """One register's value, -1 if the controller has none of that name."""
    return registers().get(name, -1)


def frame_count():
    return reg("FRAME_COUNT")


def sim_state():
    """The controller model's state file: {name: text}."""
    return dict(line.split(": ", 1)
                for line in read(f"{SIMDEV}/state").splitlines()
                if ": " in line)


def wire_skipped_frames():
    """Frames the receiver took without the wire being serialised."""
    return int(sim_state()["wire_skipped_frames"])


def dma_unseen_laps():
    """Laps of a cyclic DMA buffer, both directions together, that the
    simulated DMA made before ALSA read its position again."""
    state = sim_state()
    return sum(int(state[f"{d}_dma_unseen_laps"]) for d in ("tx", "rx"))


def frame_clock():
    """The frame clock latched with its time: (frames, ns)."""
    frames, ns = read(f"{SIMDEV}/frame_clock").split()
    return int(frames), int(ns)


def card_present():
    try:
        return f"[{CARD}" in read("/proc/asound/cards").replace(" ", "")
    except OSError:
        return False


def wait_card(present=True, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if card_present() == present:
            return True
        time.sleep(0.05)
    return False


def unload_board():
    """Remove the board the simulator carries, and wait for its card."""
    with open(f"{SIM}/board", "wb"):
        pass
    return wait_card(False)


def apply_board(board_dir, name):
    """Hand BOARD_DIR/NAME.dtbo to the simulator, without waiting."""
    with open(os.path.join(board_dir, name + ".dtbo"), "rb") as src:
        blob = src.read()
    with open(f"{SIM}/board", "wb") as f:
        f.write(blob)


def load_board(board_dir, name, timeout=10.0):
    """Swap the virtual board for BOARD_DIR/NAME.dtbo; wait for its card."""
    unload_board()
    apply_board(board_dir, name)
    return wait_card(True, timeout)


def wait_running(*directions, timeout=10.0):
    """Wait for the substreams of DIRECTIONS ("p" playback, "c" capture;
    capture when none is named) to run; False if one did not in time."""
    return all(_wait_running(d, timeout) for d in directions or ("c",))


def _wait_running(direction, timeout):
    status = f"/proc/asound/{CARD}/pcm0{direction}/sub0/status"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if "RUNNING" in read(status):
                return True
        except OSError:
            pass
        time.sleep(0.01)
    return False


def debugfs_counter(name):
    """One of the driver's debugfs counters (tx_underruns, ...), or -1."""
    paths = glob.glob(f"/sys/kernel/debug/asoc/{CARD}/*i2s@1000*/{name}") + \
        glob.glob(f"/sys/kernel/debug/asoc/*/*i2s@1000*/{name}")
    return int(read(paths[0])) if paths else -1
