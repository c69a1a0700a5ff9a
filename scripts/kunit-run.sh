#!/bin/bash
# kunit-run.sh BASE ARCH CC RUN [kunit.py exec args...]: run the built-in
# KUnit suites of the cell's kernel with kunit.py exec under QEMU (on the
# host, where QEMU is). The raw console is kept as $LOGS/RUN.console.
. "$(dirname "$0")/lib.sh"

BASE=${1:?usage: kunit-run.sh BASE ARCH CC RUN [ARGS...]} ARCH=${2:?} CC=${3:?} RUN=${4:?}
shift 4
cell_toolchain "$ARCH" "$CC"
bdir=$(built_kernel "$BASE" "$ARCH" "$CC")
src=$CACHE/src/$BASE
log=$LOGS/$RUN.log
console=$LOGS/$RUN.console
TIMEOUT=${TIMEOUT:-300}
say "kunit.py exec $RUN $* (log: $log)"
rm -f "$bdir/test.log" "$console"
(cd "$src" && python3 tools/testing/kunit/kunit.py exec --build_dir="$bdir" \
	--arch="$ARCH" --timeout="$TIMEOUT" "$@") >"$log" 2>&1 || true
cp "$bdir/test.log" "$console" 2>/dev/null || say "kunit.py produced no console log (log: $log)"
exit 0
