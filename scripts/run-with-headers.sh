#!/bin/bash
# run-with-headers.sh [--kill] CELL NAME PATCH EXPECT LABEL: run the suites
# against other headers of the family and judge them against EXPECT (and
# the cell's skips of tests/skips.expect). PATCH is applied to a copy of
# the headers it changes (header_overlay: the tree itself is not touched),
# the companion module is built against the cell's kernel build from
# those headers, and insmod'ed under slub_debug=FZPU. The kernel
# image is not rebuilt: what the suites test is inline code in headers,
# compiled into the module. Used by mutants.sh (one broken property each)
# and conformance.sh (the whole series reverted: the tree as Debian ships
# it).
#
# EXPECT lists the cases that must fail, one "suite.case" a line: exactly
# those (conformance), or with --kill (a mutant) at least those, other
# failures and reports being allowed and named; a mutant's EXPECT may
# instead hold one word:
#   BUILD-FAILS  the module must not build against PATCH's headers;
#   CRASH        the run must crash (an Oops, BUG or panic that ends it).
# One row says what happened; exit status 0 if it was what EXPECT says.
. "$(dirname "$0")/lib.sh"

usage="usage: run-with-headers.sh [--kill] CELL NAME PATCH EXPECT LABEL"
mode=expect
if [ "${1:-}" = --kill ]; then mode=kill; shift; fi
resolve_cell "${1:?$usage}"
NAME=${2:?$usage} PATCH=${3:?$usage} EXPECT=${4:?$usage} LABEL=${5:?$usage}
[ -f "$PATCH" ] || die "no patch $PATCH"
[ -f "$EXPECT" ] || die "no expected-failure list $EXPECT"
kill_by=
[ "$mode" = kill ] && grep -qx 'BUILD-FAILS' "$EXPECT" && kill_by=build
built_kernel
tmp=$(mktemp -d)
# The tree is read for the overlay: no tree.sh or sync-suite meanwhile.
base_lock shared
headers=$CACHE/mod/$CELL_ID/headers-$NAME
trap 'rm -rf "$tmp" "$headers"' EXIT
header_overlay "$PATCH" "$headers"
if ! ko=$(KMO_OVERLAY=$headers "$TOP/scripts/module.sh" "$CELL" 2>"$tmp/build.err"); then
	# A compiler's error, not a failure of the build machinery.
	why=$(grep -m1 -oE ':[0-9]+:[0-9]+: error: .*' "$tmp/build.err" | cut -c1-150 || true)
	why=${why#*: error: }
	if [ "$kill_by" = build ] && [ -n "$why" ]; then
		echo "PASS  $LABEL: killed, the module does not build (error: $why)"
		judge row --label "$LABEL" --verdict PASS --cases - \
			--detail "killed: does not build (error: $why)" --results "$RESULTS"
		exit 0
	fi
	cat "$tmp/build.err" >&2
	exit 1
fi
if [ "$kill_by" = build ]; then
	echo "FAIL  $LABEL: survived, the module builds although $EXPECT says it cannot"
	judge row --label "$LABEL" --verdict FAIL --cases - \
		--detail "survived: the module builds" --results "$RESULTS"
	exit 1
fi
console=$("$TOP/scripts/boot.sh" "$CELL" "$NAME" --kargs slub_debug=FZPU $ko)
# The cell's skips (tests/skips.expect), if it has any, on top of EXPECT.
cell_skips
# With KMO_DEVM= the module has no devm_ suite (Kbuild): the verdict
# neither looks for its cases nor applies their expectations.
if [ "${KMO_DEVM-y}" = y ]; then
	suite_sources "$TOP/kunit"
else
	suite_sources "$TOP/kunit" kmalloc_obj_kunit.c
	SOURCES+=(--left-out kmalloc_obj_devm)
fi
judge verdict --mode module --kunit "$KUNIT_PY" --label "$LABEL" --console "$console" \
	--ko $ko "${SOURCES[@]}" "${SKIPS[@]}" \
	--"$mode" "$EXPECT" --results "$RESULTS"
