# SPDX-License-Identifier: GPL-2.0
#
# Shared steps of the kernel-tree scripts (build, cross-tree): the cache,
# one kernel build at a time, unpacking a Debian linux-source tarball, and
# checking that a configuration fragment survived Kconfig. Sourced, not run.

cache=${OPENI2S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openi2s}

say() { printf 'kernel: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

start=$(date +%s)
elapsed() {
	local s=$(( $(date +%s) - start ))
	printf '%dm%02ds' $((s / 60)) $((s % 60))
}

# source_version SERIES: the installed linux-source-SERIES package version.
source_version() {
	dpkg-query -W -f='${Version}' "linux-source-$1" 2>/dev/null || echo unknown
}

# tree_top SERIES: the cache directory of that source package version.
tree_top() {
	local v
	v=$(source_version "$1")
	echo "$cache/linux-${v//[^A-Za-z0-9._-]/_}"
}

# fragment_key RECIPE FRAGMENT...: the cache key of a configuration.
fragment_key() {
	local recipe=$1
	shift
	{ echo "recipe $recipe"; cat "$@"; } | sha256sum | cut -c1-12
}

# take_lock: one kernel build at a time on this machine, as each takes
# both cores. Held until the script exits.
take_lock() {
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	if ! flock -n 9; then
		say "another kernel build is running; waiting for it"
		flock 9
	fi
}

# unpack_source SERIES SRC: unpack /usr/src/linux-source-SERIES.tar.xz into
# SRC once.
unpack_source() {
	local tarball=/usr/src/linux-source-$1.tar.xz src=$2
	[ -e "$src/.openi2s-unpacked" ] && return 0
	[ -r "$tarball" ] || die "$tarball missing: run 'make deps'"
	say "unpacking $(basename "$tarball") (linux-source $(source_version "$1"))"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.openi2s-unpacked"
	mv "$src.tmp" "$src"
}

# check_fragment CONFIG FRAGMENT...: Kconfig silently drops hidden symbols
# and symbols with unmet dependencies; fail if any symbol's last value in
# the fragments is not what CONFIG has.
# (A list first: a failure inside a process substitution would go unseen.)
check_fragment() {
	local config=$1 wanted lost="" line sym
	shift
	wanted=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$@" |
		 awk -F= '/^CONFIG_/ { v[$1] = $0; if (!($1 in o)) o[$1] = n++ }
			  END { for (k in v) print o[k], v[k] }' |
		 sort -n | cut -d' ' -f2-)
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n)
			sym=${line%%=*}
			grep -q "^$sym=" "$config" && lost="$lost $line"
			;;
		CONFIG_*=*)
			grep -qxF "$line" "$config" || lost="$lost $line"
			;;
		esac
	done <<<"$wanted"
	[ -z "$lost" ] ||
		die "these fragment symbols did not survive olddefconfig:$lost"
	say "configuration: every symbol of the fragment survived"
}

# variant_arch VARIANT: the kernel ARCH a kernel variant is built for
# (tools/kernel/build --variant); the default kernel is "".
variant_arch() {
	case "$1" in
	arm64) echo arm64 ;;
	*) echo x86 ;;
	esac
}

# cross_compile ARCH: Debian's cross-compiler prefix for a kernel ARCH.
cross_compile() {
	case "$1" in
	arm64) echo aarch64-linux-gnu- ;;
	arm) echo arm-linux-gnueabihf- ;;
	*) die "no cross compiler known for ARCH=$1" ;;
	esac
}
