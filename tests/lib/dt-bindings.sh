# SPDX-License-Identifier: GPL-2.0
# Devicetree binding checks' shared step, for the shell suites: source it.
#
# bindings_tree TREE KBIND OURS: make TREE a bindings tree, the kernel's
# (KBIND) with ours (OURS) added, so that dt-doc-validate resolves
# references to the kernel's schemas and finds each $id where it says it
# is. Symlinks to the kernel's entries, with real directories only where
# ours go (cp -rs of the whole tree can take seconds). Sets the array
# `bindings` to our schemas' paths relative to OURS. On failure, prints why
# and returns 1.
bindings_tree() {
	local tree=$1 kbind=$2 ours=$3 b
	mkdir "$tree" || return 1
	ln -s "$kbind"/* "$tree"/
	mapfile -t bindings < <(cd "$ours" && find . -name '*.yaml' |
				sed 's|^\./||' | sort)
	for b in "${bindings[@]}"; do
		_bindings_materialize "$tree" "$kbind" "$(dirname "$b")"
		rm -f "$tree/$b"
		cp "$ours/$b" "$tree/$b"
	done

	# The kernel's vendor-prefixes.yaml does not list "openi2s".
	# dt-schema 2022.08 does not check the vendor prefix of compatible
	# strings, but it rejects any vendor-prefixed property name whose
	# prefix is not listed (the schema has additionalProperties: false,
	# so no extra schema can add to it). Until the prefix is upstream,
	# validate against a copy with it.
	grep -q '^  "^openi2s,' "$kbind/vendor-prefixes.yaml" && return 0
	rm "$tree/vendor-prefixes.yaml"
	awk '{ print }
	     /^patternProperties:/ && !done {
		print "  \"^openi2s,.*\":"
		print "    description: OpenI2S project (not yet upstream)"
		done = 1
	     }' "$kbind/vendor-prefixes.yaml" >"$tree/vendor-prefixes.yaml"
	grep -q '^  "^openi2s,' "$tree/vendor-prefixes.yaml" && return 0
	echo "cannot add openi2s to a copy of vendor-prefixes.yaml"
	return 1
}

# _bindings_materialize TREE KBIND DIR: make TREE/DIR a real directory
# (its entries still linked)
_bindings_materialize() {
	local tree=$1 kbind=$2 dir=$3
	[ "$dir" = . ] && return
	_bindings_materialize "$tree" "$kbind" "$(dirname "$dir")"
	if [ -L "$tree/$dir" ]; then
		rm "$tree/$dir"
		mkdir "$tree/$dir"
		ln -s "$kbind/$dir"/* "$tree/$dir"/
	else
		mkdir -p "$tree/$dir"
	fi
}

# bindings_closure TREE FILE...: the schema files a set of schema files
# needs: their $ref chains inside the bindings tree TREE. dtschema's core
# schemas (/schemas/types.yaml, graph, clocks, interrupts, ...) are not in
# the tree; dt-mk-schema always adds them.
ref_re="\\\$ref\"?[[:space:]]*:[[:space:]]*[\"']?[^\"'#[:space:]]*"
bindings_closure() {
	local tree=$1
	shift
	local -A seen=()
	local queue=() f ref target
	for f in "$@"; do
		queue+=("$(realpath -m -s "$f")")
	done
	while [ ${#queue[@]} -gt 0 ]; do
		f=${queue[0]}
		queue=("${queue[@]:1}")
		[ -n "${seen[$f]}" ] && continue
		seen[$f]=1
		echo "$f"
		while read -r ref; do
			case $ref in
			'') continue ;;
			http://devicetree.org/schemas/*)
				target=$tree/${ref#http://devicetree.org/schemas/} ;;
			/schemas/*) target=$tree/${ref#/schemas/} ;;
			/* | *://*) continue ;;
			*) target=$(dirname "$f")/$ref ;;
			esac
			target=$(realpath -m -s "$target")
			[ -f "$target" ] && queue+=("$target")
		done < <(grep -oE "$ref_re" "$f" | sed -E "s/^[^:]*:[[:space:]]*[\"']?//")
	done
}
