#!/bin/bash
# mutants.sh [BASE ARCH CC]: show that the suites can fail. Each
# tests/mutants/BASE/NAME.patch breaks one property of the family in the
# headers (counter store, counter check, saturation, alignment); for each,
# variant.sh builds the module against the mutated headers, boots it and
# requires the failing cases to be exactly those in NAME.expect.
. "$(dirname "$0")/lib.sh"

BASE=${1:-v6.1} ARCH=${2:-x86_64} CC=${3:-gcc-15}
cell_toolchain "$ARCH" "$CC"
dir=$TOP/tests/mutants/$BASE
[ -d "$dir" ] || die "no mutants for $BASE in $dir"
rc=0
for p in "$dir"/*.patch; do
	name=$(basename "$p" .patch)
	LABEL="$BASE-$ARCH-$CC mutant $name" \
		"$TOP/scripts/variant.sh" "$BASE" "$ARCH" "$CC" "mutant-$name" "$p" "$dir/$name.expect" || rc=1
done
exit $rc
