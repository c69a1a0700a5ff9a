#!/bin/bash
# build.sh BASE ARCH CC [KUNITCONFIG]: configure and build the kernel of one
# cell with kunit.py in its own build directory (ccache makes rebuilds
# cheap). The source tree must already be prepared by tree.sh. SRC and BDIR
# override the source tree and the build directory.
. "$(dirname "$0")/lib.sh"

BASE=${1:?usage: build.sh BASE ARCH CC [KUNITCONFIG]} ARCH=${2:?} CC=${3:?}
KCONF=${4:-$TOP/kunit/kunitconfig}
base_package "$BASE" >/dev/null
cell_toolchain "$ARCH" "$CC"
src=${SRC:-$CACHE/src/$BASE}
bdir=${BDIR:-$(build_dir "$BASE" "$ARCH" "$CC")}
log=${LOG:-$LOGS/build-$BASE-$ARCH-$CC.log}
[ -e "$src/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
mkdir -p "$bdir" "$CACHE/ccache"
say "build $BASE/$ARCH/$CC in $bdir (log: $log)"

args=(python3 tools/testing/kunit/kunit.py build --build_dir="$bdir"
      --arch="$ARCH" --kunitconfig="$KCONF" --jobs="$JOBS"
      --make_options="CC=$KCC" --make_options="HOSTCC=$KHOSTCC")
[ -n "$KCROSS" ] && args+=(--cross_compile="$KCROSS")

start=$(date +%s)
if ! (cd "$src" && $RUNNER /bin/sh -c 'cd "$0" && exec "$@"' "$src" "${args[@]}") >"$log" 2>&1; then
	grep -E 'error:|Error [0-9]|ERROR' "$log" | head -n 15 >&2 || true
	tail -n 5 "$log" >&2
	die "kernel build of $BASE/$ARCH/$CC failed (log: $log)"
fi
say "build $BASE/$ARCH/$CC done in $(( $(date +%s) - start ))s"
