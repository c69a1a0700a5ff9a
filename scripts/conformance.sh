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
# Only headers may differ: the family is inline code, so a module compiled
# from the unpatched headers exercises exactly the unpatched family. The
# script checks that the series touches nothing else than headers and the
# in-tree test (with its Kconfig, Makefile and MAINTAINERS lines).
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: conformance.sh CELL}"
[ "$BASE_HAS_FAMILY" = 1 ] || die "$BASE has no family of its own (cells.toml): nothing to conform to"
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

base_lock shared
other=$(git -C "$SRC" diff --name-only base HEAD -- . ':!include/' \
	":!$BASE_TEST" ':!lib/Kconfig.debug' ':!lib/Makefile' \
	':!lib/tests/Makefile' ':!MAINTAINERS')
[ -z "$other" ] || die "the $BASE series changes more than headers ($(echo $other)); a module cannot stand for the unpatched tree"
unpatched_headers "$tmp/unpatched.patch"
judge expect-section "$TOP/tests/conformance.expect" "$BASE" "$COMPILER" >"$tmp/expect" || exit 1
"$TOP/scripts/run-with-headers.sh" "$CELL" unpatched "$tmp/unpatched.patch" "$tmp/expect" \
	"$CELL_ID unpatched (conformance)"
