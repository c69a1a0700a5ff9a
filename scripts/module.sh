#!/bin/bash
# module.sh CELL [MODSRC]: build the companion module (or any out-of-tree
# module whose Kbuild is in MODSRC) against the cell's built kernel. The
# sources are copied to a scratch directory so that the checkout stays
# clean. With KMO_OVERLAY set to a directory made by header_overlay
# (lib.sh), the module is compiled from those headers in front of the
# tree's; with KMO_DEVM set and empty, the companion module leaves out the
# suite of the devm_ helpers, KMO_COMPAT=y builds the suites on the
# compat header (include/kmalloc_obj.h, or the file KMO_COMPAT_HEADER
# names: a mutant of it), KMO_KTAP=y the standalone KTAP mode (ktap/:
# for a kernel without KUnit). The build's log is KMO_MODLOG, by default
# $CELL_LOGS/module-NAME.log (NAME: MODSRC's directory name), kept on
# failure too for a caller that reads the compiler's errors. Prints the
# path of each .ko built, one per line.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: module.sh CELL [MODSRC]}"
MODSRC=${2:-$TOP}
built_kernel
out=$CACHE/mod/$CELL_ID/$(basename "$(realpath "$MODSRC")")
log=${KMO_MODLOG:-$CELL_LOGS/module-$(basename "$(realpath "$MODSRC")").log}
{ [ -f "$MODSRC/Kbuild" ] || [ -f "$MODSRC/Makefile" ]; } || die "no Kbuild or Makefile in module source $MODSRC"
say "module for $CELL from $MODSRC (log: $log)"

rm -rf "$out" && mkdir -p "$out"
if [ "$(realpath "$MODSRC")" = "$TOP" ]; then
	cp -r "$TOP/Kbuild" "$TOP/kunit" "$TOP/include" "$TOP/ktap" "$out/"
	if [ -n "${KMO_COMPAT_HEADER:-}" ]; then
		cp "$KMO_COMPAT_HEADER" "$out/include/kmalloc_obj.h" ||
			die "no compat header $KMO_COMPAT_HEADER"
	fi
else
	cp -r "$MODSRC/." "$out/"
fi
overlay=()
# KMO_DEVM= (set and empty) leaves the devm_ suite out, KMO_COMPAT=y
# takes the compat header's family, KMO_KTAP=y runs without KUnit (Kbuild).
suites=()
[ "${KMO_DEVM+set}" != set ] || suites=("KMO_DEVM=$KMO_DEVM")
[ -z "${KMO_COMPAT:-}" ] || suites+=("KMO_COMPAT=$KMO_COMPAT")
[ -z "${KMO_KTAP:-}" ] || suites+=("KMO_KTAP=$KMO_KTAP")
: >"$log"
if [ -n "${KMO_OVERLAY:-}" ]; then
	[ -f "$KMO_OVERLAY/flags" ] || die "KMO_OVERLAY=$KMO_OVERLAY is not a header overlay"
	overlay=("NOSTDINC_FLAGS=$(cat "$KMO_OVERLAY/flags")")
	echo "headers: $KMO_OVERLAY/include in front of the tree's" >"$log"
fi
base_lock shared
if ! run_group $RUNNER make -C "$MAKE_KDIR" M="$out" "${KMAKE[@]}" "${overlay[@]}" "${suites[@]}" -j"$JOBS" modules >>"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -n 15 >&2 || true
	die "module build for $CELL failed (log: $log)"
fi
grep -E 'warning:' "$log" >&2 || true
ls "$out"/*.ko >/dev/null 2>&1 || die "module build for $CELL produced no .ko (log: $log)"
ls "$out"/*.ko
