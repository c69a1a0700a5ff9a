#!/bin/bash
# bisect-check.sh [BASE ARCH CC]: build the kernel at every patch of the
# series (in a scratch worktree and build directory, with ccache), so that
# each patch is known to build on its own. The KUnit option only exists
# from the patch that adds the test, so earlier patches are built with the
# rest of kunit/kunitconfig. Slow: a full kernel build per patch.
. "$(dirname "$0")/lib.sh"

BASE=${1:-v6.1} ARCH=${2:-x86_64} CC=${3:-gcc-15}
cell_toolchain "$ARCH" "$CC"
src=$CACHE/src/$BASE
series=$TOP/patches/$BASE
wt=$CACHE/bisect/$BASE-tree
log=$LOGS/bisect-$BASE-$ARCH-$CC.log
: >"$log"
git -C "$src" worktree remove --force "$wt" >/dev/null 2>&1 || true
rm -rf "$wt"
git -C "$src" worktree add -q --detach "$wt" base >>"$log" 2>&1 || die "cannot make worktree $wt (log: $log)"
trap 'git -C "$src" worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
grep -v KMALLOC_OBJ "$TOP/kunit/kunitconfig" >"$CACHE/bisect/early.kunitconfig"

rc=0 i=0
while read -r p; do
	i=$((i + 1))
	git -C "$wt" -c user.name=bisect -c user.email=bisect@localhost am -q "$series/$p" >>"$log" 2>&1 ||
		die "patch $i ($p) does not apply (log: $log)"
	kconf=$CACHE/bisect/early.kunitconfig
	grep -q KMALLOC_OBJ_KUNIT_TEST "$wt/lib/Kconfig.debug" && kconf=$TOP/kunit/kunitconfig
	s=$(date +%s)
	if SRC=$wt BDIR=$CACHE/bisect/build-$ARCH-$CC LOG=$log.$i \
		"$TOP/scripts/build.sh" "$BASE" "$ARCH" "$CC" "$kconf" 2>>"$log"; then
		say "bisect $BASE/$ARCH/$CC: patch $i builds ($(( $(date +%s) - s ))s): $p"
	else
		say "bisect $BASE/$ARCH/$CC: patch $i does NOT build: $p (log: $log.$i)"
		rc=1
	fi
done <"$series/series"
exit $rc
