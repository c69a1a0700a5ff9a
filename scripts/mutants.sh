#!/bin/bash
# mutants.sh CELL: show that the suites can fail. Each
# tests/mutants/BASE/NAME.patch breaks one property of the family in the
# headers (counter store, counter check, saturation, alignment); for each,
# run-with-headers.sh builds the module against the mutated headers, boots
# it and requires the failing cases to be exactly those in NAME.expect.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: mutants.sh CELL}"
[ -d "$MUTANTS" ] || die "no mutants for $BASE in $MUTANTS"
rc=0
for p in "$MUTANTS"/*.patch; do
	name=$(basename "$p" .patch)
	"$TOP/scripts/run-with-headers.sh" "$CELL" "mutant-$name" "$p" \
		"$MUTANTS/$name.expect" "$CELL_ID mutant $name" || rc=1
done
exit $rc
