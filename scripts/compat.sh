#!/bin/bash
# compat.sh CELL: the compat header (include/kmalloc_obj.h) against the
# unpatched tree. The series is reverted in the tree's headers (as for
# conformance.sh) and the header is tested on them:
# - run: the companion module is built with KMO_COMPAT=y, which puts the
#   header in front of every suite file as a module would include it, and
#   booted on the cell's kernel with slub_debug=FZPU (red zones move
#   objects: the alignment the header promises must hold there too, and
#   without sheaves kmemleak sees every slab object): every case of every
#   suite, the devm_ suite included, must pass (but those the cell cannot
#   exercise, tests/skips.expect), whatever family, if any, the unpatched
#   tree has; on a kernel with DEBUG_KMEMLEAK kmemleak scans after the
#   module and must find nothing;
# - refusal: tests/refuse (a devm_ allocation of a type aligned beyond
#   ARCH_KMALLOC_MINALIGN) built on the header must not build, with the
#   header's message.
# In a cell that also has the mutants check, each tests/mutants/compat/
# NAME.patch breaks one property of the header, and must be killed as
# NAME.expect says: the cases it lists fail (run-with-headers.sh, on the
# same unpatched headers), or, for REFUSAL-BUILDS, tests/refuse builds
# on it. A mutant whose cases all skip in the cell is not exercisable
# there: named, not run. Exit status: 0 if every row passed.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: compat.sh CELL}"
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
built_kernel
tmp=$(mktemp -d)
headers=$CACHE/mod/$CELL_ID/headers-unpatched-compat
trap 'rm -rf "$tmp" "$headers"' EXIT
slub=slub_debug=FZPU

base_lock shared
unpatched_headers "$tmp/unpatched.patch"
header_overlay "$tmp/unpatched.patch" "$headers"

# refused HEADER: whether tests/refuse, built on HEADER against the
# unpatched headers, fails with the header's message (0), builds (1), or
# fails otherwise (2). Its log: $CELL_LOGS/compat-refuse.log.
refused() {
	local src=$tmp/compat-refuse log=$CELL_LOGS/compat-refuse.log
	rm -rf "$src" && mkdir -p "$src/include"
	cp -r "$TOP/tests/refuse/." "$src/"
	cp "$1" "$src/include/kmalloc_obj.h"
	# shellcheck disable=SC2016 # for make to expand
	echo 'ccflags-y += -include $(src)/include/kmalloc_obj.h' >>"$src/Kbuild"
	if KMO_OVERLAY=$headers KMO_MODLOG=$log "$TOP/scripts/module.sh" "$CELL" "$src" \
		>/dev/null 2>&1; then
		return 1
	fi
	# GCC: static assertion failed: "MESSAGE"; Clang: static assertion
	# failed due to requirement '...': MESSAGE.
	grep -qE 'error: static assertion failed.*devm_ allocation: devres aligns its data to ARCH_KMALLOC_MINALIGN only' "$log" ||
		return 2
}

rc=0
label="$CELL_ID compat header $slub (unpatched tree)"
if ! ko=$(KMO_COMPAT=y KMO_OVERLAY=$headers KMO_MODLOG=$CELL_LOGS/compat-module.log \
	"$TOP/scripts/module.sh" "$CELL"); then
	why="the module does not build on the compat header (log: $CELL_LOGS/compat-module.log)"
	echo "FAIL  $label: $why"
	judge row --label "$label" --verdict FAIL --cases - --detail "$why" --results "$RESULTS"
	rc=1
else
	cell_skips
	suite_sources "$TOP/kunit"
	leaks=()
	grep -qx 'CONFIG_DEBUG_KMEMLEAK=y' "$BDIR/.config" && leaks=(--kmemleak)
	console=$("$TOP/scripts/boot.sh" "$CELL" compat --kargs "$slub" "${leaks[@]}" $ko)
	judge verdict --mode module --kunit "$KUNIT_PY" --label "$label" --console "$console" \
		--ko $ko --results "$RESULTS" "${SKIPS[@]}" "${leaks[@]}" "${SOURCES[@]}" || rc=1
fi

rlabel="$CELL_ID compat header refusal"
r=0
refused "$TOP/include/kmalloc_obj.h" || r=$?
case $r in
0) verdict=PASS why="a devm_ allocation of an over-aligned type does not build, with the header's message" ;;
1) verdict=FAIL why="a devm_ allocation of an over-aligned type builds on the header" ;;
*) verdict=FAIL why="tests/refuse fails to build, but not with the header's message (log: $CELL_LOGS/compat-refuse.log)" ;;
esac
echo "$verdict  $rlabel: $why"
judge row --label "$rlabel" --verdict $verdict --cases 1/1 --detail "$why" --results "$RESULTS"
[ $verdict = PASS ] || rc=1

[[ " $CELL_CHECKS " == *" mutants "* ]] || exit $rc
mutants=$TOP/tests/mutants/compat
killed=0 total=0 survivors=() absent=()
for p in "$mutants"/*.patch; do
	name=$(basename "$p" .patch)
	expect=$mutants/$name.expect
	[ -f "$expect" ] || die "compat mutant $name has no $expect"
	mkdir -p "$tmp/$name"
	cp "$TOP/include/kmalloc_obj.h" "$tmp/$name/"
	# git apply: no fuzz, no question asked.
	(cd "$tmp/$name" && git apply -p2 "$p") ||
		die "compat mutant $name does not apply to include/kmalloc_obj.h"
	mlabel="$CELL_ID compat mutant $name"
	if grep -qx 'REFUSAL-BUILDS' "$expect"; then
		total=$((total + 1))
		r=0
		refused "$tmp/$name/kmalloc_obj.h" || r=$?
		if [ $r = 1 ]; then
			echo "PASS  $mlabel: killed, tests/refuse builds on it"
			judge row --label "$mlabel" --verdict PASS --cases - \
				--detail "killed: tests/refuse builds" --results "$RESULTS"
			killed=$((killed + 1))
		else
			echo "FAIL  $mlabel: survived, tests/refuse still does not build"
			judge row --label "$mlabel" --verdict FAIL --cases - \
				--detail "survived: tests/refuse does not build" --results "$RESULTS"
			survivors+=("$name")
		fi
		continue
	fi
	judge kill-cases --expect "$expect" "${SKIPS[@]}" >"$tmp/$name.expect" ||
		die "cannot read $expect"
	if [ ! -s "$tmp/$name.expect" ]; then
		say "compat mutant $name: not exercisable in $CELL (every case of its .expect skips here)"
		absent+=("$name")
		continue
	fi
	total=$((total + 1))
	if KMO_COMPAT=y KMO_COMPAT_HEADER=$tmp/$name/kmalloc_obj.h \
		"$TOP/scripts/run-with-headers.sh" --kill "$CELL" "compat-mutant-$name" \
		"$tmp/unpatched.patch" "$tmp/$name.expect" "$mlabel"; then
		killed=$((killed + 1))
	else
		survivors+=("$name")
	fi
done
[ "$total" -gt 0 ] || die "no compat mutant can be exercised in $CELL"
mutation_score "$CELL_ID compat mutation score" \
	"every mutant of the compat header killed as its .expect says" || rc=1
exit $rc
