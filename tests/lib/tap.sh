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

# tap_include STATUS WHAT [PROGRAMS] <TAP: the TAP results of PROGRAMS (1)
# programs run one after another, renumbered after ours, their other
# lines as comments. Fewer plan lines than programs (one ended before its
# plan: the producers here print it last), fewer results than planned, or
# a non-zero STATUS that no failed result explains (a crash, or the VM
# runner's 123 to 125: a kernel report, a timeout, a failed boot) is a
# failed result of its own.
tap_include() {
	local status=$1 what=$2 programs=${3:-1} line failed=0 seen=0 planned=0
	local plans=0
	while IFS= read -r line; do
		case "$line" in
		"ok "*|"not ok "*)
			tap_n=$((tap_n + 1))
			seen=$((seen + 1))
			if [ "${line#not }" != "$line" ]; then
				failed=1
				tap_failed=$((tap_failed + 1))
			fi
			echo "$line" | sed -E "s/^(not )?ok [0-9]+/\1ok $tap_n/"
			;;
		1..*)
			line=${line#1..}
			planned=$((planned + ${line%%[!0-9]*}))
			plans=$((plans + 1))
			;;
		*) echo "# $line" ;;
		esac
	done
	[ "$plans" -ge "$programs" ] && [ "$seen" -ge "$planned" ]
	ok $? "$what: $programs plan(s) and all $planned planned results came ($plans, $seen)"
	if [ "$status" -ne 0 ] && { [ "$failed" -eq 0 ] || [ "$status" -gt 1 ]; }; then
		ok 1 "$what: ends cleanly (status $status)"
	fi
}
