#!/bin/bash
# compat.sh CELL: the compat header (include/kmalloc_obj.h) against the
# unpatched tree. The series is reverted in the tree's headers (as for
# conformance.sh), the companion module is built from them with
# KMO_COMPAT=y, which puts the header in front of every suite file as a
# module would include it, and booted on the cell's kernel: every case of
# every suite, the devm_ suite included, must pass (but those the cell
# cannot exercise, tests/skips.expect), whatever family, if any, the
# unpatched tree has. On a kernel with DEBUG_KMEMLEAK kmemleak scans after
# the module, as in cell.sh's insmod runs.
#
# In a cell that also has the mutants check, each tests/mutants/compat/
# NAME.patch breaks one property of the header; run-with-headers.sh
# builds the suites on the broken header against the same unpatched
# headers and requires what NAME.expect says, as mutants.sh does for the
# series (a mutant whose cases all skip in the cell is not exercisable
# there: named, not run). Exit status: 0 if every row passed.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: compat.sh CELL}"
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
built_kernel
tmp=$(mktemp -d)
headers=$CACHE/mod/$CELL_ID/headers-unpatched-compat
trap 'rm -rf "$tmp" "$headers"' EXIT

base_lock shared
unpatched_headers "$tmp/unpatched.patch"
header_overlay "$tmp/unpatched.patch" "$headers"
label="$CELL_ID compat header (unpatched tree)"
ko=$(KMO_COMPAT=y KMO_OVERLAY=$headers KMO_MODLOG=$CELL_LOGS/compat-module.log \
	"$TOP/scripts/module.sh" "$CELL") || {
	why="the module does not build on the compat header (log: $CELL_LOGS/compat-module.log)"
	echo "FAIL  $label: $why"
	judge row --label "$label" --verdict FAIL --cases - --detail "$why" --results "$RESULTS"
	exit 1
}
rm -rf "$headers"

cell_skips
suite_sources "$TOP/kunit"
leaks=()
grep -qx 'CONFIG_DEBUG_KMEMLEAK=y' "$BDIR/.config" && leaks=(--kmemleak)
console=$("$TOP/scripts/boot.sh" "$CELL" compat "${leaks[@]}" $ko)
rc=0
judge verdict --mode module --kunit "$KUNIT_PY" --label "$label" --console "$console" --ko $ko \
	--results "$RESULTS" "${SKIPS[@]}" "${leaks[@]}" "${SOURCES[@]}" || rc=1

[[ " $CELL_CHECKS " == *" mutants "* ]] || exit $rc
mutants=$TOP/tests/mutants/compat
killed=0 total=0 survivors=() absent=()
for p in "$mutants"/*.patch; do
	name=$(basename "$p" .patch)
	[ -f "$mutants/$name.expect" ] || die "compat mutant $name has no $mutants/$name.expect"
	judge kill-cases --expect "$mutants/$name.expect" "${SKIPS[@]}" >"$tmp/$name.expect" ||
		die "cannot read $mutants/$name.expect"
	if [ ! -s "$tmp/$name.expect" ]; then
		say "compat mutant $name: not exercisable in $CELL (every case of its .expect skips here)"
		absent+=("$name")
		continue
	fi
	total=$((total + 1))
	mkdir -p "$tmp/$name"
	cp "$TOP/include/kmalloc_obj.h" "$tmp/$name/"
	patch -s -p2 -d "$tmp/$name" <"$p" || die "compat mutant $name does not apply to include/kmalloc_obj.h"
	if KMO_COMPAT=y KMO_COMPAT_HEADER=$tmp/$name/kmalloc_obj.h \
		"$TOP/scripts/run-with-headers.sh" --kill "$CELL" "compat-mutant-$name" \
		"$tmp/unpatched.patch" "$tmp/$name.expect" "$CELL_ID compat mutant $name"; then
		killed=$((killed + 1))
	else
		survivors+=("$name")
	fi
done
[ "$total" -gt 0 ] || die "no compat mutant can be exercised in $CELL"
if [ "$killed" = "$total" ]; then
	verdict=PASS detail="every mutant of the compat header killed as its .expect says"
else
	verdict=FAIL detail="not killed as expected: ${survivors[*]}" rc=1
fi
cases="$killed/$total"
if [ ${#absent[@]} -gt 0 ]; then
	cases+=" (${#absent[@]} not exercisable)"
	detail+="; not exercisable here, every case of theirs skips (tests/skips.expect): ${absent[*]}"
fi
echo "$verdict  $CELL_ID compat mutation score: $cases"
judge row --label "$CELL_ID compat mutation score" --verdict "$verdict" --cases "$cases" \
	--detail "$detail" --results "$RESULTS"
exit $rc
