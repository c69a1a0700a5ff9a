#!/bin/bash
# conformance.sh BASE ARCH CC: run the suites against the family as the
# unpatched tree has it (SPEC 2) and require them to fail exactly where that
# tree falls short. The series is reverted in the tree's headers, and
# variant.sh builds the companion module from them against the cell's
# kernel, boots it and compares the failing cases with the section for
# BASE and CC of tests/conformance.expect. A case the unpatched tree fails
# unexpectedly, or passes although it should fail (the suite lost its
# power), turns the run red.
#
# Only headers may differ: the family is inline code, so a module compiled
# from the unpatched headers exercises exactly the unpatched family. The
# script checks that the series touches nothing else than headers and the
# in-tree test (with its Kconfig, Makefile and MAINTAINERS lines).
. "$(dirname "$0")/lib.sh"

BASE=${1:?usage: conformance.sh BASE ARCH CC} ARCH=${2:?} CC=${3:?}
cell_toolchain "$ARCH" "$CC"
src=$CACHE/src/$BASE
expect_all=$TOP/tests/conformance.expect
[ -e "$src/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

other=$(git -C "$src" diff --name-only base HEAD -- . ':!include/' \
	':!lib/*kmalloc_obj_kunit.c' ':!lib/Kconfig.debug' ':!lib/Makefile' \
	':!lib/tests/Makefile' ':!MAINTAINERS')
[ -z "$other" ] || die "the $BASE series changes more than headers ($(echo $other)); a module cannot stand for the unpatched tree"
unpatched_headers "$BASE" "$tmp/unpatched.patch"

# The section "[BASE CC]" of the expectations, up to the next section.
awk -v want="[$BASE $CC]" '
	/^\[/ { on = ($0 == want); found = found || on; next }
	on { print }
	END { exit !found }' "$expect_all" >"$tmp/expect" ||
	die "no section [$BASE $CC] in $expect_all"
LABEL="$BASE-$ARCH-$CC unpatched (conformance)" \
	"$TOP/scripts/variant.sh" "$BASE" "$ARCH" "$CC" unpatched "$tmp/unpatched.patch" "$tmp/expect"
