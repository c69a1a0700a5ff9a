#!/bin/bash
# bisect-check.sh [CELL [full|users|module]]: check that every patch of the
# series of the cell's base builds on its own, in a scratch worktree and
# build directory (default cell: v6.1/x86_64/gcc-15).
#
# Default: a full kernel build after each patch (slow: most objects
# include slab.h, so every header patch rebuilds nearly everything). The
# KUnit option only exists from the patch that adds the test, so earlier
# patches are built with the rest of kunit/kunitconfig.
#
# "users": after each patch, with the cell's .config in a scratch build
# directory, run modules_prepare, compile the objects of the cell's kernel
# whose sources use the family or the counter helpers (kmalloc_obj() and
# friends, __alloc_objs/__alloc_flex, *_flex_counter*, overflows_type()),
# and build the companion module (every macro in every call shape) once
# slab.h has the family. The series touches only headers and the test, so
# this compiles each changed macro where it is used, in minutes rather
# than an hour. Needs the cell's kernel built (scripts/build.sh). Single
# object targets are slow (objtool is entered once per object): with the
# 117 users of the v7.2 tiny kernel this still takes about 10 min a patch.
#
# "module": as "users", without the kernel's objects: modules_prepare, the
# in-tree test and the companion module, under a minute per patch.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:-v6.1/x86_64/gcc-15}"
MODE=${2:-full}
src=$SRC series=$SERIES
wt=$CACHE/bisect/$BASE-tree
bdir=$CACHE/bisect/build-$CELL_ID-$MODE
log=$CELL_LOGS/bisect-$MODE.log
case $MODE in full|users|module) ;; *) die "unknown mode '$MODE' (full, users or module)" ;; esac
mkdir -p "$CACHE/bisect" "$LOGS"
: >"$log"
say "bisect $CELL ($MODE): worktree $wt (log: $log)"
git -C "$src" worktree remove --force "$wt" >/dev/null 2>&1 || true
rm -rf "$wt"
git -C "$src" worktree add -q --detach "$wt" base >>"$log" 2>&1 || die "cannot make worktree $wt (log: $log)"
trap 'git -C "$src" worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
grep -v KMALLOC_OBJ "$TOP/kunit/kunitconfig" >"$CACHE/bisect/early.kunitconfig"

objs=
if [ "$MODE" != full ]; then
	built_kernel
	cell=$BDIR
	rm -rf "$bdir" && mkdir -p "$bdir"
	[ "$MODE" = users ] && objs=$(cd "$wt" && git grep -lE '\bk(v?z|v?m)alloc_(obj|objs|flex)\(|__alloc_(objs|flex)\(|flex_counter|overflows_type\(' -- '*.c' |
		sed 's/\.c$/.o/' | while read -r o; do [ ! -f "$cell/$o" ] || echo "$o"; done)
	say "bisect $CELL: $(echo $objs | wc -w) objects of the kernel use the family"
	mod=$CACHE/bisect/mod-$CELL_ID
	rm -rf "$mod" && mkdir -p "$mod" && cp -r "$TOP/Kbuild" "$TOP/kunit" "$mod/"
fi

rc=0 i=0
while read -r p; do
	i=$((i + 1))
	git -C "$wt" -c user.name=bisect -c user.email=bisect@localhost am -q "$series/$p" >>"$log" 2>&1 ||
		die "patch $i ($p) does not apply (log: $log)"
	s=$(date +%s) ok=1
	if [ "$MODE" != full ]; then
		test=$(cd "$wt" && for n in $(suite_names); do git ls-files "$(suite_intree "$n")"; done |
			sed 's/\.c$/.o/')
		# The companion module's devm_ suite once the tree has devm_ helpers.
		devm=
		grep -qs '^#define devm_kmalloc_obj(' "$wt/include/linux/device.h" \
			"$wt/include/linux/device/devres.h" && devm=y
		# The cell's options, less those this patch's tree lacks.
		cp "$cell/.config" "$bdir/.config"
		what="modules_prepare, $(echo $objs $test | wc -w) objects"
		{
			$RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" olddefconfig &&
			$RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" -j"$JOBS" modules_prepare $objs $test &&
			if grep -q '^#define kmalloc_obj(' "$wt/include/linux/slab.h"; then
				what="$what, module"
				$RUNNER make -C "$bdir" M="$mod" "${KMAKE[@]}" -j"$JOBS" \
					KBUILD_MODPOST_WARN=1 KMO_DEVM=$devm modules
			fi
		} >>"$log.$i" 2>&1 || ok=0
	else
		kconf=$CACHE/bisect/early.kunitconfig
		grep -q KMALLOC_OBJ_KUNIT_TEST "$wt/lib/Kconfig.debug" && kconf=$TOP/kunit/kunitconfig
		"$TOP/scripts/build.sh" "$CELL" --kunitconfig "$kconf" --src "$wt" \
			--build-dir "$bdir" --log "$log.$i" 2>>"$log" || ok=0
	fi
	if [ $ok = 1 ]; then
		say "bisect $CELL: patch $i builds (${what:-kernel}; $(( $(date +%s) - s ))s): $p"
	else
		say "bisect $CELL: patch $i does NOT build: $p (log: $log.$i)"
		rc=1
	fi
done <"$series/series"
exit $rc
