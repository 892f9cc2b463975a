# SPDX-License-Identifier: GPL-2.0
"""TAP for the project's Python test suites, the one helper they all
import (as kselftest keeps ksft.py): ok() and skip() per test, done() at
the end for the plan line and the exit status."""
import sys

count = 0
failed = 0


def ok(passed, desc, diag=None, lines=None):
    """Report one test; on failure, DIAG (up to LINES lines) as comments."""
    global count, failed
    count += 1
    print(f"{'' if passed else 'not '}ok {count} - {desc}", flush=True)
    if not passed:
        failed += 1
        for line in str(diag or "").splitlines()[:lines]:
            print(f"# {line}", flush=True)
    return passed


def skip(desc, why):
    global count
    count += 1
    print(f"ok {count} - {desc} # SKIP {why}", flush=True)


def comment(text):
    for line in str(text).splitlines():
        print(f"# {line}", flush=True)


def done():
    """Print the plan; return the exit status (1 if anything failed)."""
    print(f"1..{count}", flush=True)
    sys.stdout.flush()
    return 1 if failed else 0
