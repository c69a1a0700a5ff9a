#!/bin/bash
# run-with-headers.sh CELL NAME PATCH EXPECT LABEL: run the suites against
# other headers of the family and judge them against EXPECT, the list of
# cases that must fail. PATCH is applied to the cell's source tree, the
# companion module is built against the cell's kernel build (so it is
# compiled from the modified headers), the tree is restored with its old
# file times (so the build directory does not go stale), and the module is
# insmod'ed under slub_debug=FZPU. The kernel image is not rebuilt: what the
# suites test is inline code in headers, compiled into the module. Used by
# mutants.sh (one broken property each) and conformance.sh (the whole
# series reverted: the tree as Debian ships it).
. "$(dirname "$0")/lib.sh"

usage="usage: run-with-headers.sh CELL NAME PATCH EXPECT LABEL"
resolve_cell "${1:?$usage}"
NAME=${2:?$usage} PATCH=${3:?$usage} EXPECT=${4:?$usage} LABEL=${5:?$usage}
[ -f "$PATCH" ] || die "no patch $PATCH"
[ -f "$EXPECT" ] || die "no expected-failure list $EXPECT"
built_kernel
tmp=$(mktemp -d)
trap 'restore_transient; rm -rf "$tmp"' EXIT
apply_transient "$PATCH" "$tmp"
ko=$("$TOP/scripts/module.sh" "$CELL") || exit 1
restore_transient
console=$("$TOP/scripts/boot.sh" "$CELL" "$NAME" --kargs slub_debug=FZPU $ko)
rc=0
judge verdict --mode module --kunit "$KUNIT_PY" --label "$LABEL" --console "$console" \
	--ko $ko --expect "$EXPECT" --results "$RESULTS" || rc=1
# Leave a module built from the real headers behind.
"$TOP/scripts/module.sh" "$CELL" >/dev/null
exit $rc
