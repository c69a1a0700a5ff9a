#!/bin/bash
# conformance.sh CELL: run the suites against the family as the unpatched
# tree has it (SPEC 2) and require them to fail exactly where that tree
# falls short. The series is reverted in the tree's headers, and
# run-with-headers.sh builds the companion module from them against the
# cell's kernel, boots it and compares the failing cases with the section
# "[BASE COMPILER]" of tests/conformance.expect. A case the unpatched tree
# fails unexpectedly, or passes although it should fail (the suite lost its
# power), turns the run red.
#
# The suite of the devm_ helpers (kunit/kmalloc_obj_devm_kunit.c) cannot
# build there: no base's unpatched family has devm_ members. That is its
# expected outcome, checked first: the module with that suite must fail to
# build, the compiler finding no declaration of a devm_ helper in that
# file. The other suites then build and run in a module without it, from
# the same headers: the only difference between the two builds is that
# file.
#
# Only headers may differ: the family is inline code, so a module compiled
# from the unpatched headers exercises exactly the unpatched family. The
# script checks that the series touches nothing else than headers, the
# in-tree tests (with their Kconfig, Makefile and MAINTAINERS lines), the
# kselftest target (a shell script that loads the test module: no kernel
# code) and Coccinelle rules.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: conformance.sh CELL}"
[ "$BASE_HAS_FAMILY" = 1 ] || die "$BASE has no family of its own (cells.toml): nothing to conform to"
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

base_lock shared
other=$(git -C "$SRC" diff --name-only base HEAD -- . ':!include/' \
	":!$(dirname "$BASE_TEST")/kmalloc_obj*_kunit.c" ':!lib/Kconfig.debug' ':!lib/Makefile' \
	':!lib/tests/Makefile' ':!MAINTAINERS' ':!scripts/coccinelle/' \
	':!tools/testing/selftests/kmalloc_obj/' ':!tools/testing/selftests/Makefile')
[ -z "$other" ] || die "the $BASE series changes more than headers ($(echo $other)); a module cannot stand for the unpatched tree"
unpatched_headers "$tmp/unpatched.patch"
judge expect-section "$TOP/tests/conformance.expect" "$BASE" "$COMPILER" >"$tmp/expect" || exit 1

# The devm_ suite against the unpatched family: it must not build.
built_kernel
headers=$CACHE/mod/$CELL_ID/headers-unpatched-devm
trap 'rm -rf "$tmp" "$headers"' EXIT
header_overlay "$tmp/unpatched.patch" "$headers"
rc=0
devm_unbuilt "the unpatched family" KMO_OVERLAY="$headers" || rc=1
rm -rf "$headers"

KMO_DEVM= "$TOP/scripts/run-with-headers.sh" "$CELL" unpatched "$tmp/unpatched.patch" "$tmp/expect" \
	"$CELL_ID unpatched (conformance)" || rc=1
exit $rc
