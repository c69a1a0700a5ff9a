#!/bin/bash
# mutants.sh CELL: show that the suites can fail. Each
# tests/mutants/BASE/NAME.patch breaks one property of the family in the
# headers (SPEC section 3: type, flags, evaluation, sizes, saturation,
# counter, alignment); for each, run-with-headers.sh builds the module
# against the mutated headers, boots it and requires what NAME.expect
# says: the run fails and at least the cases listed fail, or the module
# does not build (BUILD-FAILS), or the run crashes (CRASH). Each of those
# is a kill.
#
# In a cell that skips cases (tests/skips.expect: an arch or compiler
# that lacks what they test), a mutant must be killed by the cases of its
# .expect that the cell runs; a mutant all of whose cases the cell skips
# breaks something the cell cannot exercise: it is not run, not counted,
# and named in the score row. The last row is the mutation score,
# killed/counted, PASS only at 100%.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: mutants.sh CELL}"
[ -d "$MUTANTS" ] || die "no mutants for $BASE in $MUTANTS"
cell_skips
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
killed=0 total=0 survivors=() absent=()
for p in "$MUTANTS"/*.patch; do
	name=$(basename "$p" .patch)
	[ -f "$MUTANTS/$name.expect" ] || die "mutant $name has no $MUTANTS/$name.expect"
	judge kill-cases --expect "$MUTANTS/$name.expect" "${SKIPS[@]}" >"$tmp/$name.expect" ||
		die "cannot read $MUTANTS/$name.expect"
	if [ ! -s "$tmp/$name.expect" ]; then
		say "mutant $name: not exercisable in $CELL (every case of its .expect skips here)"
		absent+=("$name")
		continue
	fi
	total=$((total + 1))
	if "$TOP/scripts/run-with-headers.sh" --kill "$CELL" "mutant-$name" "$p" \
		"$tmp/$name.expect" "$CELL_ID mutant $name"; then
		killed=$((killed + 1))
	else
		survivors+=("$name")
	fi
done
[ "$total" -gt 0 ] || die "no mutant in $MUTANTS can be exercised in $CELL"
mutation_score "$CELL_ID mutation score" "every mutant killed as its .expect says"
