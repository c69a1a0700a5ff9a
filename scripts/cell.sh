#!/bin/bash
# cell.sh BASE ARCH CC: the whole job for one cell of the matrix: prepare the
# tree and apply the series, build the kernel, run the built-in suites with
# kunit.py (plain and with slub_debug=FZPU), build the companion module,
# boot QEMU and insmod it (plain and with slub_debug=FZPU), and print one
# verdict per run. Rows are appended to $RESULTS. Exit status: 0 if every
# run passed.
. "$(dirname "$0")/lib.sh"

BASE=${1:?usage: cell.sh BASE ARCH CC} ARCH=${2:?} CC=${3:?}
base_package "$BASE" >/dev/null
cell_toolchain "$ARCH" "$CC"
RESULTS=${RESULTS:-$LOGS/results.tsv}
cell=$BASE-$ARCH-$CC
src=$CACHE/src/$BASE
kunit=$src/tools/testing/kunit/kunit.py
SLUB_DEBUG=${SLUB_DEBUG:-slub_debug=FZPU}
mkdir -p "$LOGS"

t0=$(date +%s)
step() { say "[$cell] $1: $(( $(date +%s) - t0 ))s"; }
"$TOP/scripts/tree.sh" "$BASE"
step "tree ready"
"$TOP/scripts/build.sh" "$BASE" "$ARCH" "$CC"
step "kernel built"

rc=0
verdict() { python3 "$TOP/scripts/verdict.py" --kunit "$kunit" --results "$RESULTS" "$@" || rc=1; }

"$TOP/scripts/kunit-run.sh" "$BASE" "$ARCH" "$CC" "kunit-$cell"
verdict --mode intree --label "$cell in-tree" --console "$LOGS/kunit-$cell.console"
"$TOP/scripts/kunit-run.sh" "$BASE" "$ARCH" "$CC" "kunit-$cell-slub" \
	--kernel_args="$SLUB_DEBUG" 'kmalloc_obj*'
verdict --mode intree --label "$cell in-tree $SLUB_DEBUG" --console "$LOGS/kunit-$cell-slub.console"
step "in-tree runs done"

ko=$("$TOP/scripts/module.sh" "$BASE" "$ARCH" "$CC")
"$TOP/scripts/boot.sh" "$BASE" "$ARCH" "$CC" "insmod-$cell" $ko
verdict --mode module --label "$cell insmod" --console "$LOGS/insmod-$cell.console" --ko $ko
KARGS=$SLUB_DEBUG "$TOP/scripts/boot.sh" "$BASE" "$ARCH" "$CC" "insmod-$cell-slub" $ko
verdict --mode module --label "$cell insmod $SLUB_DEBUG" --console "$LOGS/insmod-$cell-slub.console" --ko $ko
step "out-of-tree runs done"
exit $rc
