#!/bin/bash
# codegen.sh CELL: measure what the helpers cost. Build
# tests/codegen (pairs of functions: a helper call and the hand-written
# call it replaces) against the cell's kernel, disassemble it and compare
# functions instruction by instruction (addresses and symbol offsets
# stripped). Prints one line per comparison and a verdict; exit 1 if an
# asserted comparison fails.
#
# Where the series adds the family, SPEC 3.7 is asserted: each
# _obj/_objs helper is identical to its kmalloc()/kmalloc_array()/kcalloc()
# /kv* pair.
#
# Where the tree already has the family (has_family in cells.toml), the series must not
# change what the helpers compile to for ordinary types: the module is also
# built against the tree's unpatched headers, and each _obj/_objs helper
# must be identical to its unpatched self. So must the _flex helpers where
# the unpatched tree already stores the counter (sets_counter): for a constant or
# u8 count the new counter check folds away. On v6.12 the series adds the
# store, and the _flex helpers are compared with the hand-written store
# instead. The _obj/_objs pairs against the hand-written calls are printed
# but not asserted there: those trees build _objs on kmalloc(size_mul()),
# not on kmalloc_array().
#
# With a compiler that finds __counted_by() counters, each _flex helper must
# be no longer than the hand-written allocation plus counter store and call
# the same functions: the counter and saturation checks fold away.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: codegen.sh CELL}"
label="$CELL_ID codegen"
out=$(mktemp -d)
trap 'restore_transient; rm -rf "$out"' EXIT
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"

disassemble() { $RUNNER "$OBJDUMP" -dr --no-show-raw-insn "$1" >"$2" || die "objdump failed on $1"; }

args=()
if [ "$BASE_HAS_FAMILY" = 1 ]; then
	unpatched_headers "$out/unpatched.patch"
	apply_transient "$out/unpatched.patch" "$out"
	ko=$("$TOP/scripts/module.sh" "$CELL" "$TOP/tests/codegen") || exit 1
	restore_transient
	disassemble "$ko" "$out/unpatched.dis"
	args=(--unpatched "$out/unpatched.dis" --unpatched-counter "$BASE_SETS_COUNTER")
fi
ko=$("$TOP/scripts/module.sh" "$CELL" "$TOP/tests/codegen") || exit 1
disassemble "$ko" "$out/patched.dis"
judge codegen --patched "$out/patched.dis" "${args[@]}" --label "$label" --results "$RESULTS"
