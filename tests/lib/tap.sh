# SPDX-License-Identifier: GPL-2.0
# Minimal TAP producer for the project's shell test scripts: source it, call
# `plan N`, then `ok CONDITION-STATUS DESCRIPTION` (0 = pass) per test.
tap_n=0
tap_failed=0

plan() { echo "1..$1"; }

# ok STATUS DESCRIPTION: report test number n as passed when STATUS is 0.
ok() {
	local status=$1
	shift
	tap_n=$((tap_n + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $tap_n - $*"
	else
		echo "not ok $tap_n - $*"
		tap_failed=$((tap_failed + 1))
	fi
}

diag() { printf '# %s\n' "$@"; }

# Exit status for the end of a test script.
tap_done() { [ "$tap_failed" -eq 0 ]; }
