#!/bin/bash
# matrix.sh: the full test matrix. Installs what is missing, checks the
# series (export, kunit/ copy, checkpatch), runs every cell (in-tree and
# insmod, plain and slub_debug), runs the mutants, then prints the verdict
# table and writes it to $LOGS/results.md. Exit status 0 only if all passed.
. "$(dirname "$0")/lib.sh"

# base:arch:compiler
CELLS=${CELLS-"v6.1:x86_64:gcc-15 v6.1:arm64:gcc-15 v6.1:x86_64:gcc-12
	v6.12:x86_64:gcc-15 v6.12:arm64:gcc-15 v6.12:x86_64:gcc-12 v6.12:x86_64:clang-22
	v7.2:x86_64:gcc-15 v7.2:arm64:gcc-15 v7.2:x86_64:gcc-12 v7.2:x86_64:clang-22"}
# The suites against the unpatched family (tests/conformance.expect); each
# needs the cell's kernel, built above.
CONFORMANCE=${CONFORMANCE-"v6.12:x86_64:gcc-15 v6.12:arm64:gcc-15 v6.12:x86_64:gcc-12 v6.12:x86_64:clang-22
	v7.2:x86_64:gcc-15 v7.2:arm64:gcc-15 v7.2:x86_64:gcc-12 v7.2:x86_64:clang-22"}
MUTANTS=${MUTANTS-"v6.1:x86_64:gcc-15"}
# What the helpers compile to (codegen.sh), in every cell.
CODEGEN=${CODEGEN-$CELLS}
export RESULTS=$LOGS/results.tsv
mkdir -p "$LOGS"
: >"$RESULTS"
t0=$(date +%s)
rc=0
timing=()
# timed WHAT CMD...: run one step, note its wall time, and give a step that
# failed before writing any verdict row (a build that broke, say) a row of
# its own, so that the table names it.
timed() {
	local what=$1 s rows step_rc=0; shift
	s=$(date +%s)
	rows=$(wc -l <"$RESULTS")
	# stderr goes to the terminal as it comes and into a file for the row.
	set +e
	{ "$@" 2>&1 >&3 3>&- | tee "$LOGS/step.err" >&2 3>&-; step_rc=${PIPESTATUS[0]}; } 3>&1
	set -e
	timing+=("$what: $(( $(date +%s) - s ))s")
	if [ "$step_rc" != 0 ]; then
		rc=1
		if [ "$(wc -l <"$RESULTS")" = "$rows" ]; then
			why=$(grep '^error: ' "$LOGS/step.err" | tail -n 1 || true)
			printf '%s\tFAIL\t-\t%s\n' "$what" \
				"${why:-step failed with exit $step_rc before any run}" >>"$RESULTS"
		fi
	fi
}

timed "host packages" "$TOP/scripts/host-deps.sh"
timed "toolchain root" "$TOP/scripts/toolchain.sh"
timed "patch check" "$TOP/scripts/check-patches.sh"
# each WHAT SCRIPT LIST: run SCRIPT BASE ARCH CC for every base:arch:compiler
# of LIST as one timed step.
each() {
	local what=$1 script=$2 c b a cc
	for c in $3; do
		IFS=: read -r b a cc <<<"$c"
		timed "$what $b/$a/$cc" "$TOP/scripts/$script" "$b" "$a" "$cc"
	done
}
each cell cell.sh "$CELLS"
each conformance conformance.sh "$CONFORMANCE"
each codegen codegen.sh "$CODEGEN"
each mutants mutants.sh "$MUTANTS"

{
	echo "| run | verdict | cases passed | detail |"
	echo "|---|---|---|---|"
	awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$RESULTS"
	echo
	echo "Wall time: $(( $(date +%s) - t0 ))s ($(printf '%s; ' "${timing[@]}"))"
} >"$LOGS/results.md"
echo
cat "$LOGS/results.md"
pass=$(awk -F'\t' '$2 == "PASS"' "$RESULTS" | wc -l)
fail=$(awk -F'\t' '$2 != "PASS"' "$RESULTS" | wc -l)
[ "$fail" = 0 ] && [ "$pass" -gt 0 ] || rc=1
echo "matrix: $pass passed, $fail failed"
echo "results: $LOGS/results.md"
exit $rc
