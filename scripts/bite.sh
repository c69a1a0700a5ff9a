#!/bin/bash
# bite.sh CELL: show that the cell's sanitizers see what they are there
# for, and that the verdict fails on what they print. Two rows:
# - out-of-bounds write: tests/bite/ writes one element past the count of
#   a kmalloc_flex() allocation; booted on the cell's kernel (built with
#   kunit/sanitizers.config), KASAN must report the access and, with a
#   compiler that reads __counted_by() counters, UBSAN_BOUNDS the index,
#   both between the guest's markers (not from the built-in suites that
#   ran at boot), and the verdict must fail that console naming one of
#   those reports;
# - leak: tests/leak/'s one case passes and leaks a kzalloc_obj() object;
#   booted as cell.sh's insmod run with slub_debug=FZPU is (with the
#   kmemleak scan), kmemleak must list the object with the case's function
#   in its back trace, and the verdict must fail that console on the
#   report alone. (Not as the plain run: in 7.2 and 7.3 the slab allocator's
#   per-CPU sheaves keep a copy of every address they hand out in a free
#   slot until the slot is reused, which kmemleak reads as a reference;
#   caches with debugging have no sheaves.)
# A row is PASS only if all of that happened. Exit status: 0 if both are.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: bite.sh CELL}"
[ -n "$CELL_CONFIG" ] || die "$CELL has no sanitizer config in cells.toml: nothing to bite"
built_kernel
for opt in KASAN DEBUG_KMEMLEAK; do
	grep -qx "CONFIG_$opt=y" "$BDIR/.config" || die "the kernel of $CELL has no $opt"
done

# row LABEL VERDICT_FILE PASS|FAIL DETAIL CASES: print and record a row.
row() {
	sed 's/^/    /' "$2" >&2
	echo "$3  $1: $4"
	echo "      console: ${2%.verdict}"
	judge row --label "$1" --verdict "$3" --cases "$5" --detail "$4" --results "$RESULTS"
}

# judged VERDICT_FILE ARGS...: judge a console into VERDICT_FILE; prints
# PASS or FAIL.
judged() {
	local out=$1
	shift
	if judge verdict --mode module --kunit "$KUNIT_PY" "$@" >"$out"; then
		echo PASS
	else
		echo FAIL
	fi
}

# The module's own part of a console: between the guest's markers.
run_region() { sed -n '/kmalloc-obj-guest: begin/,/kmalloc-obj-guest: end/p' "$1"; }

bite() {
	local label="$CELL_ID bite (out-of-bounds write past the counter)" ko console verdict
	local run s re row detail seen=() missing=() want=(KASAN)
	ko=$("$TOP/scripts/module.sh" "$CELL" "$TOP/tests/bite") || return 1
	# Every report, not only the first of each kind.
	console=$("$TOP/scripts/boot.sh" "$CELL" bite --kargs kasan_multi_shot $ko) || return 1
	verdict=$(judged "$console.verdict" --label "$CELL_ID bite, judged" --console "$console" \
		--ko $ko --source "$TOP/tests/bite/kmalloc_obj_bite.c")
	run=$(run_region "$console")
	[ "$COUNTED_BY" = 1 ] && want+=(UBSAN)
	for s in "${want[@]}"; do
		case $s in
		KASAN)	re='KASAN: .*out-of-bounds.* in bite_index_test' ;;
		UBSAN)	re='UBSAN: array-index-out-of-bounds in .*kmalloc_obj_bite\.c' ;;
		esac
		if grep -qE "$re" <<<"$run"; then seen+=("$s"); else missing+=("$s"); fi
	done
	if [ "$verdict" = PASS ]; then
		row=FAIL detail="the verdict passed a console with an out-of-bounds write"
	elif [ ${#missing[@]} -gt 0 ]; then
		row=FAIL detail="no ${missing[*]} report of the out-of-bounds write in the run"
	elif ! grep -qE '^ +console reports: .*(KASAN|UBSAN): ' "$console.verdict"; then
		row=FAIL detail="the verdict fails the console but does not name the sanitizer report"
	else
		row=PASS detail="reported by ${seen[*]}; the verdict fails the console on it"
	fi
	row "$label" "$console.verdict" $row "$detail" "$(IFS=+; echo "${seen[*]:-none}")"
	[ $row = PASS ]
}

leak() {
	local label="$CELL_ID bite (a leaked allocation, slub_debug=FZPU)" ko console verdict
	local problems row detail
	ko=$("$TOP/scripts/module.sh" "$CELL" "$TOP/tests/leak") || return 1
	console=$("$TOP/scripts/boot.sh" "$CELL" leak --kargs slub_debug=FZPU --kmemleak $ko) ||
		return 1
	verdict=$(judged "$console.verdict" --label "$CELL_ID leak, judged" --console "$console" \
		--ko $ko --source "$TOP/tests/leak/kmalloc_obj_leak.c" --kmemleak)
	# The verdict's problems: the indented lines but the console's.
	problems=$(grep '^      ' "$console.verdict" | grep -v '^      console: ')
	if [ "$verdict" = PASS ]; then
		row=FAIL detail="the verdict passed a console with a leak"
	elif ! run_region "$console" | grep -q 'unreferenced object'; then
		row=FAIL detail="kmemleak listed no unreferenced object after the module"
	elif ! run_region "$console" | grep -qE '\bleak_alloc\+0x'; then
		row=FAIL detail="kmemleak's list has no object allocated by leak_alloc()"
	elif ! grep -q '^FAIL .*: 1/1 cases passed$' "$console.verdict" ||
		[ "$(wc -l <<<"$problems")" != 1 ] ||
		! grep -qE '^ +console reports: .*suspected memory leak' <<<"$problems"; then
		row=FAIL detail="the verdict fails the console, but not on the kmemleak report alone"
	else
		row=PASS detail="kmemleak lists the object of leak_alloc(); the case passed, the verdict fails the console on the report"
	fi
	row "$label" "$console.verdict" $row "$detail" "$([ $row = PASS ] && echo kmemleak || echo none)"
	[ $row = PASS ]
}

rc=0
bite || rc=1
leak || rc=1
exit $rc
