#!/bin/bash
# module.sh BASE ARCH CC [MODSRC]: build the companion module (or any
# out-of-tree module whose Kbuild is in MODSRC) against the cell's built
# kernel. The sources are copied to a scratch directory so that the checkout
# stays clean. Prints the path of each .ko built, one per line.
. "$(dirname "$0")/lib.sh"

BASE=${1:?usage: module.sh BASE ARCH CC [MODSRC]} ARCH=${2:?} CC=${3:?}
MODSRC=${4:-$TOP}
cell_toolchain "$ARCH" "$CC"
bdir=$(built_kernel "$BASE" "$ARCH" "$CC")
cell=$BASE-$ARCH-$CC
out=$CACHE/mod/$cell/$(basename "$(realpath "$MODSRC")")
log=$LOGS/module-$cell.log
{ [ -f "$MODSRC/Kbuild" ] || [ -f "$MODSRC/Makefile" ]; } || die "no Kbuild or Makefile in module source $MODSRC"
say "module for $cell from $MODSRC (log: $log)"

rm -rf "$out" && mkdir -p "$out"
if [ "$(realpath "$MODSRC")" = "$TOP" ]; then
	cp -r "$TOP/Kbuild" "$TOP/kunit" "$out/"
else
	cp -r "$MODSRC/." "$out/"
fi
make_args=(-C "$bdir" M="$out" "${KMAKE[@]}" -j"$JOBS" modules)
if ! $RUNNER make "${make_args[@]}" >"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -n 15 >&2 || true
	die "module build for $cell failed (log: $log)"
fi
grep -E 'warning:' "$log" >&2 || true
ls "$out"/*.ko >/dev/null 2>&1 || die "module build for $cell produced no .ko (log: $log)"
ls "$out"/*.ko
