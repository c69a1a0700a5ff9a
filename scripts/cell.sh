#!/bin/bash
# cell.sh CELL: the "run" check of one cell (BASE/ARCH/COMPILER): prepare the
# tree and apply the series, build the kernel, run the built-in suites with
# kunit.py (plain and with slub_debug=FZPU; not in a cell that borrows its
# kernel, whose lender runs them), build the companion module,
# boot QEMU and insmod it (plain, and with slub_debug=FZPU through the
# kselftest target, whose report is judged too; on a kernel
# with DEBUG_KMEMLEAK, kmemleak scans after the module in the slub_debug
# run and must find nothing), and print one verdict per run. Rows are appended to $RESULTS. Exit status: 0 if every
# run passed.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: cell.sh BASE/ARCH/COMPILER}"
slub=slub_debug=FZPU
t0=$(date +%s)
step() { say "[$CELL] $1: $(( $(date +%s) - t0 ))s"; }
"$TOP/scripts/tree.sh" "$BASE"
step "tree ready"
# A borrowed kernel is built by its lender's cell (and by the build lane
# of make test and make run): not again here if that build failed.
if [ "$KERNEL_CELL" = "$CELL" ]; then
	"$TOP/scripts/build.sh" "$CELL"
else
	built_kernel
fi
step "kernel built"

rc=0
# The cases the cell cannot exercise must skip (tests/skips.expect).
cell_skips
# Each run is judged against the suites' source: the tree's copy for the
# built-in runs, kunit/ (what module.sh builds) for the module.
verdict() { judge verdict --kunit "$KUNIT_PY" --results "$RESULTS" "${SKIPS[@]}" "$@" || rc=1; }

# A cell that borrows its kernel has no built-in suites of its own: they
# are the lender's, run by the lender's cell.
if [ "$KERNEL_CELL" = "$CELL" ]; then
	suite_sources "$SRC/$(dirname "$BASE_TEST")"
	console=$("$TOP/scripts/kunit-run.sh" "$CELL" kunit)
	verdict --mode intree --label "$CELL_ID in-tree" --console "$console" "${SOURCES[@]}"
	console=$("$TOP/scripts/kunit-run.sh" "$CELL" kunit-slub --kernel_args="$slub" 'kmalloc_obj*')
	verdict --mode intree --label "$CELL_ID in-tree $slub" --console "$console" "${SOURCES[@]}"
	step "in-tree runs done"
else
	step "no in-tree runs: the kernel is $KERNEL_CELL's, and so are its built-in suites"
fi

ko=$("$TOP/scripts/module.sh" "$CELL")
suite_sources "$TOP/kunit"
leaks=()
grep -qx 'CONFIG_DEBUG_KMEMLEAK=y' "$BDIR/.config" && leaks=(--kmemleak)
# kmemleak scans in the slub_debug run only: there it sees every slab
# object, while the per-CPU sheaves of 7.2's SLUB (caches without
# debugging) keep a copy of the addresses they hand out, which hides a
# leaked object from the scan (found with tests/leak, see bite.sh).
console=$("$TOP/scripts/boot.sh" "$CELL" insmod $ko)
verdict --mode module --label "$CELL_ID insmod" --console "$console" --ko $ko "${SOURCES[@]}"
# The slub_debug run loads the module through the kselftest target
# (kselftest/kmalloc_obj.sh, as the series carries it), which must report
# each case as the module's KTAP does.
console=$("$TOP/scripts/boot.sh" "$CELL" insmod-slub --kargs "$slub" "${leaks[@]}" --kselftest $ko)
verdict --mode module --label "$CELL_ID insmod $slub" --console "$console" --ko $ko \
	"${leaks[@]}" "${SOURCES[@]}"
judge kselftest --console "$console" --label "$CELL_ID kselftest (insmod $slub)" \
	--results "$RESULTS" || rc=1
step "out-of-tree runs done"
exit $rc
