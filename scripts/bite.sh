#!/bin/bash
# bite.sh CELL: show that the cell's sanitizers see what they are there
# for, and that the verdict fails on what they print. tests/bite/ writes
# one element past the count of a kmalloc_flex() allocation; booted on
# the cell's kernel (built with kunit/sanitizers.config), KASAN must
# report the access and, with a compiler that reads __counted_by()
# counters, UBSAN_BOUNDS the index, both between the guest's markers (not
# from the built-in suites that ran at boot), and the verdict must fail
# that console naming one of those reports. The row is PASS only if all of
# that happened.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: bite.sh CELL}"
[ -n "$CELL_CONFIG" ] || die "$CELL has no sanitizer config in cells.toml: nothing to bite"
built_kernel
grep -qx 'CONFIG_KASAN=y' "$BDIR/.config" || die "the kernel of $CELL has no KASAN"
label="$CELL_ID bite (out-of-bounds write past the counter)"
ko=$("$TOP/scripts/module.sh" "$CELL" "$TOP/tests/bite") || exit 1
# Every report, not only the first of each kind.
console=$("$TOP/scripts/boot.sh" "$CELL" bite --kargs kasan_multi_shot $ko)
if judge verdict --mode module --kunit "$KUNIT_PY" --label "$CELL_ID bite, judged" \
	--console "$console" --ko $ko --source "$TOP/tests/bite/kmalloc_obj_bite.c" \
	>"$console.verdict"; then
	verdict=PASS
else
	verdict=FAIL
fi
sed 's/^/    /' "$console.verdict" >&2
# The module's own part of the console: between the guest's markers.
run=$(sed -n '/kmalloc-obj-guest: begin/,/kmalloc-obj-guest: end/p' "$console")
want=(KASAN)
[ "$COUNTED_BY" = 1 ] && want+=(UBSAN)
seen=() missing=()
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
echo "$row  $label: $detail"
echo "      console: $console"
reports=$(IFS=+; echo "${seen[*]:-none}")
judge row --label "$label" --verdict "$row" --cases "$reports" --detail "$detail" --results "$RESULTS"
[ "$row" = PASS ]
