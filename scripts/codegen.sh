#!/bin/bash
# codegen.sh CELL: measure what the helpers cost. Build
# tests/codegen (pairs of functions: a helper call and the hand-written
# call it replaces) against the cell's kernel, disassemble it and compare
# functions instruction by instruction (addresses and symbol offsets
# stripped). Prints one line per comparison and a verdict; exit 1 if an
# asserted comparison fails.
#
# On every tree SPEC 3.7 is asserted: each _obj/_objs helper is identical
# to its kmalloc()/kmalloc_array()/kcalloc()/kv* pair (an _objs helper with
# an int count may be shorter, as a helper that tests the sign itself knows
# that the product cannot overflow). A _wide pair (a run-time count wider
# than the counter) is measured, printed and not asserted.
#
# Where the tree already has the family (has_family in cells.toml), the
# series must not change what the helpers compile to otherwise: the module
# is also built against the tree's unpatched headers, and each helper must
# be identical to its unpatched self, except _objs with a run-time count,
# which gains kmalloc_array()'s overflow check (printed, not asserted).
# The devm_ pairs (tests/codegen/devm.c) are left out of that build: no
# unpatched family has devm_ helpers to compare with.
# The _flex helpers are compared with the unpatched tree's where that tree
# already stores the counter (sets_counter): for a constant or u8 count the
# saturation of the counter folds away.
#
# With a compiler that finds __counted_by() counters, each _flex helper must
# be no longer than the hand-written allocation plus counter store and call
# the same functions: the count, size and counter checks fold away.
#
# What the helpers must not compile: a devm_ allocation of a type aligned
# beyond ARCH_KMALLOC_MINALIGN (tests/refuse), which devres cannot align
# behind its header, must fail to build with the helpers' own message (a
# row of its own, "codegen refusal").
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: codegen.sh CELL}"
label="$CELL_ID codegen"
out=$(mktemp -d)
headers=$CACHE/mod/$CELL_ID/headers-codegen
trap 'rm -rf "$out" "$headers"' EXIT
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"

disassemble() { $RUNNER "$OBJDUMP" -dr --no-show-raw-insn "$1" >"$2" || die "objdump failed on $1"; }

args=()
base_lock shared
if [ "$BASE_HAS_FAMILY" = 1 ]; then
	unpatched_headers "$out/unpatched.patch"
	header_overlay "$out/unpatched.patch" "$headers"
	ko=$(KMO_DEVM= KMO_OVERLAY=$headers "$TOP/scripts/module.sh" "$CELL" "$TOP/tests/codegen") ||
		exit 1
	disassemble "$ko" "$out/unpatched.dis"
	args=(--unpatched "$out/unpatched.dis" --unpatched-counter "$BASE_SETS_COUNTER")
fi
ko=$("$TOP/scripts/module.sh" "$CELL" "$TOP/tests/codegen") || exit 1
disassemble "$ko" "$out/patched.dis"
rc=0
judge codegen --patched "$out/patched.dis" "${args[@]}" --label "$label" --results "$RESULTS" || rc=1

rlabel="$CELL_ID codegen refusal"
rlog=$CELL_LOGS/codegen-refuse.log
msg="devres aligns its data to ARCH_KMALLOC_MINALIGN only"
if KMO_MODLOG=$rlog "$TOP/scripts/module.sh" "$CELL" "$TOP/tests/refuse" >/dev/null 2>&1; then
	verdict=FAIL why="an over-aligned type builds with devm_kzalloc_obj()"
# GCC: static assertion failed: "MESSAGE"; Clang: static assertion failed
# due to requirement '...': MESSAGE.
elif grep -qE "error: static assertion failed.*devm_ allocation: $msg" "$rlog"; then
	verdict=PASS why="an over-aligned type is refused at build time ($msg)"
else
	verdict=FAIL why="the over-aligned module fails to build, but not with the helpers' message (log: $rlog)"
fi
echo "$verdict  $rlabel: $why"
judge row --label "$rlabel" --verdict $verdict --cases "1/1" --detail "$why" --results "$RESULTS"
[ $verdict = PASS ] || rc=1
exit $rc
