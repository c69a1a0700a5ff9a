#!/bin/bash
# module.sh CELL [MODSRC]: build the companion module (or any out-of-tree
# module whose Kbuild is in MODSRC) against the cell's built kernel. The
# sources are copied to a scratch directory so that the checkout stays
# clean. Prints the path of each .ko built, one per line.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: module.sh CELL [MODSRC]}"
MODSRC=${2:-$TOP}
built_kernel
out=$CACHE/mod/$CELL_ID/$(basename "$(realpath "$MODSRC")")
log=$CELL_LOGS/module-$(basename "$(realpath "$MODSRC")").log
{ [ -f "$MODSRC/Kbuild" ] || [ -f "$MODSRC/Makefile" ]; } || die "no Kbuild or Makefile in module source $MODSRC"
say "module for $CELL from $MODSRC (log: $log)"

rm -rf "$out" && mkdir -p "$out"
if [ "$(realpath "$MODSRC")" = "$TOP" ]; then
	cp -r "$TOP/Kbuild" "$TOP/kunit" "$out/"
else
	cp -r "$MODSRC/." "$out/"
fi
base_lock shared
if ! run_group $RUNNER make -C "$BDIR" M="$out" "${KMAKE[@]}" -j"$JOBS" modules >"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -n 15 >&2 || true
	die "module build for $CELL failed (log: $log)"
fi
grep -E 'warning:' "$log" >&2 || true
ls "$out"/*.ko >/dev/null 2>&1 || die "module build for $CELL produced no .ko (log: $log)"
ls "$out"/*.ko
