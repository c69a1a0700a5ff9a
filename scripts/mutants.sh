#!/bin/bash
# mutants.sh CELL: show that the suites can fail. Each
# tests/mutants/BASE/NAME.patch breaks one property of the family in the
# headers (SPEC section 3: type, flags, evaluation, sizes, saturation,
# counter, alignment); for each, run-with-headers.sh builds the module
# against the mutated headers, boots it and requires what NAME.expect
# says: the run fails and at least the cases listed fail, or the module
# does not build (BUILD-FAILS), or the run crashes (CRASH). Each of those
# is a kill;
# the last row is the mutation score, killed/total, PASS only at 100%.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: mutants.sh CELL}"
[ -d "$MUTANTS" ] || die "no mutants for $BASE in $MUTANTS"
killed=0 total=0 survivors=()
for p in "$MUTANTS"/*.patch; do
	name=$(basename "$p" .patch)
	[ -f "$MUTANTS/$name.expect" ] || die "mutant $name has no $MUTANTS/$name.expect"
	total=$((total + 1))
	if "$TOP/scripts/run-with-headers.sh" --kill "$CELL" "mutant-$name" "$p" \
		"$MUTANTS/$name.expect" "$CELL_ID mutant $name"; then
		killed=$((killed + 1))
	else
		survivors+=("$name")
	fi
done
[ "$total" -gt 0 ] || die "no mutants in $MUTANTS"
if [ "$killed" = "$total" ]; then
	verdict=PASS detail="every mutant killed as its .expect says"
else
	verdict=FAIL detail="not killed as expected: ${survivors[*]}"
fi
echo "$verdict  $CELL_ID mutation score: $killed/$total"
judge row --label "$CELL_ID mutation score" --verdict "$verdict" --cases "$killed/$total" \
	--detail "$detail" --results "$RESULTS"
[ "$verdict" = PASS ]
