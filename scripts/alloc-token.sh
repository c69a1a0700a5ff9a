#!/bin/bash
# alloc-token.sh: does Clang's allocation-token inference
# (CONFIG_KMALLOC_PARTITION_TYPED, v7.2) find the type of each member of
# the kmalloc_obj() family, with mainline's headers and with the series?
# Configures a small kernel with typed partitioning for the
# v7.2/x86_64/clang-22 cell in $CACHE/alloc-token/build (allnoconfig, the
# partitioning options, modules_prepare only: no kernel is built), compiles
# tests/alloc-token with -Rpass=alloc-token against the unpatched headers
# and against the series, and prints, for every function, how many
# allocations Clang reports as not inferred. A measurement: it fails only
# if the control (untyped kmalloc() calls) is not reported, which would
# mean that the remarks were not produced at all.
. "$(dirname "$0")/lib.sh"

take_lock
resolve_cell v7.2/x86_64/clang-22
bdir=$CACHE/alloc-token/build
out=$LOGS/alloc-token
log=$out/build.log
# The module is compiled where the toolchain root sees it, from a copy.
mod=$CACHE/mod/alloc-token
state=$(mktemp -d)
headers=$CACHE/mod/alloc-token-headers
trap 'rm -rf "$state" "$headers"' EXIT
mkdir -p "$bdir" "$out"
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
base_lock shared
say "allocation-token inference of the family, $CELL (log: $log)"

if ! grep -q '^CONFIG_KMALLOC_PARTITION_TYPED=y' "$bdir/.config" 2>/dev/null; then
	$RUNNER make -C "$SRC" O="$bdir" "${KMAKE[@]}" allnoconfig >"$log" 2>&1 ||
		die "make allnoconfig failed (log: $log)"
	"$SRC/scripts/config" --file "$bdir/.config" -e MODULES \
		-e KMALLOC_PARTITION_CACHES -e KMALLOC_PARTITION_TYPED
	$RUNNER make -C "$SRC" O="$bdir" "${KMAKE[@]}" olddefconfig >>"$log" 2>&1 ||
		die "make olddefconfig failed (log: $log)"
	grep -q '^CONFIG_KMALLOC_PARTITION_TYPED=y' "$bdir/.config" ||
		die "$CELL_COMPILER cannot enable CONFIG_KMALLOC_PARTITION_TYPED (log: $log)"
fi
run_group $RUNNER make -C "$SRC" O="$bdir" "${KMAKE[@]}" -j"$JOBS" modules_prepare >>"$log" 2>&1 ||
	die "make modules_prepare failed (log: $log)"

# compile NAME [MAKEVAR...]: the object only (no kernel was built to link
# against), with the remarks in $out/NAME.remarks.
compile() {
	local name=$1; shift
	rm -rf "$mod" && mkdir -p "$mod" && cp -r "$TOP/tests/alloc-token/." "$mod/"
	$RUNNER make -C "$bdir" M="$mod" "${KMAKE[@]}" "$@" KCFLAGS=-Rpass=alloc-token \
		alloc_token.o >"$out/$name.remarks" 2>&1 ||
		die "tests/alloc-token does not build with the $name headers (log: $out/$name.remarks)"
}
unpatched_headers "$state/unpatched.patch"
header_overlay "$state/unpatched.patch" "$headers"
compile unpatched "NOSTDINC_FLAGS=$(cat "$headers/flags")"
compile series

python3 - "$TOP/tests/alloc-token/alloc_token.c" "$out/unpatched.remarks" "$out/series.remarks" <<'PY'
import re, sys
src, *logs = sys.argv[1:]
fn = {}
for n, line in enumerate(open(src), 1):
    m = re.match(r'AT_FN\((\w+),', line)
    if m:
        fn[n] = m.group(1)
counts = []
for log in logs:
    c = dict.fromkeys(fn.values(), 0)
    for line in open(log, errors='replace'):
        m = re.search(r'alloc_token\.c:(\d+):\d+: remark: .*\[-Rpass=alloc-token\]', line)
        if m and int(m.group(1)) in fn:
            c[fn[int(m.group(1))]] += 1
    counts.append(c)
print(f'{"function":20} {"unpatched":>9} {"series":>7}   (allocations whose type Clang could not infer)')
for name in fn.values():
    print(f'{name:20} {counts[0][name]:9} {counts[1][name]:7}')
if not all(c[k] for c in counts for k in c if k.startswith('control_')):
    sys.exit('error: the untyped control allocations were not reported: no remarks were produced')
PY
say "remarks: $out/unpatched.remarks, $out/series.remarks"
