#!/bin/bash
# kunit-run.sh CELL RUN [kunit.py exec args...]: run the built-in KUnit
# suites of the cell's kernel with kunit.py exec under QEMU (on the host,
# where QEMU is). The raw console is kept as $CELL_LOGS/RUN.console.
# KMO_TIMEOUT (seconds, default 300) bounds the guest.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: kunit-run.sh CELL RUN [ARGS...]}"
RUN=${2:?usage: kunit-run.sh CELL RUN [ARGS...]}
shift 2
built_kernel
log=$CELL_LOGS/$RUN.log
console=$CELL_LOGS/$RUN.console
say "kunit.py exec $CELL $RUN $* (log: $log)"
rm -f "$BDIR/test.log" "$console"
# oops=panic panic=-1: a crash ends the guest at once (kunit.py runs QEMU
# with -no-reboot) instead of leaving it to the timeout, as in boot.sh.
kexec() (cd "$SRC" && no_kvm python3 "$KUNIT_PY" exec --build_dir="$BDIR" \
	--arch="$KUNIT_ARCH" --timeout="${KMO_TIMEOUT:-300}" \
	--kernel_args=oops=panic --kernel_args=panic=-1 "$@")
run_group kexec "$@" >"$log" 2>&1 || true
cp "$BDIR/test.log" "$console" 2>/dev/null || say "kunit.py produced no console log (log: $log)"
echo "$console"
