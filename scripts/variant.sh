#!/bin/bash
# variant.sh BASE ARCH CC NAME PATCH EXPECT: judge the suites against a
# variant of the family's headers. PATCH is applied to the cell's source
# tree, the companion module is built against the cell's kernel build
# (so it is compiled from the modified headers), the tree is restored with
# its old file times (so the build directory does not go stale), and the
# module is insmod'ed under slub_debug=FZPU. The cases that fail must be
# exactly those listed in EXPECT. The kernel image is not rebuilt: what
# the suites test is inline code in headers, compiled into the module.
# Used by mutants.sh (one broken property each) and conformance.sh (the
# whole series reverted: the tree as Debian ships it).
. "$(dirname "$0")/lib.sh"

BASE=${1:?usage: variant.sh BASE ARCH CC NAME PATCH EXPECT} ARCH=${2:?} CC=${3:?}
NAME=${4:?} PATCH=${5:?} EXPECT=${6:?}
cell_toolchain "$ARCH" "$CC"
cell=$BASE-$ARCH-$CC
src=$CACHE/src/$BASE
RESULTS=${RESULTS:-$LOGS/results.tsv}
LABEL=${LABEL:-$cell $NAME}
[ -f "$PATCH" ] || die "no patch $PATCH"
[ -f "$EXPECT" ] || die "no expected-failure list $EXPECT"
built_kernel "$BASE" "$ARCH" "$CC" >/dev/null
tmp=$(mktemp -d)
trap 'restore_transient; rm -rf "$tmp"' EXIT
apply_transient "$src" "$PATCH" "$tmp"
ko=$("$TOP/scripts/module.sh" "$BASE" "$ARCH" "$CC") || exit 1
restore_transient
KARGS=slub_debug=FZPU "$TOP/scripts/boot.sh" "$BASE" "$ARCH" "$CC" "$NAME-$cell" $ko
rc=0
python3 "$TOP/scripts/verdict.py" --mode module --kunit "$src/tools/testing/kunit/kunit.py" \
	--label "$LABEL" --console "$LOGS/$NAME-$cell.console" \
	--ko $ko --expect "$EXPECT" --results "$RESULTS" || rc=1
# Leave a module built from the real headers behind.
"$TOP/scripts/module.sh" "$BASE" "$ARCH" "$CC" >/dev/null
exit $rc
