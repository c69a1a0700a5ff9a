#!/bin/bash
# build.sh BASE ARCH CC [KUNITCONFIG]: configure and build the kernel of one
# cell in its own build directory, which persists, so that a rebuild only
# compiles what changed. The source tree must already be prepared by
# tree.sh. SRC, BDIR and LOG override the source tree, the build directory
# and the log.
#
# kunit.py build would start from the Kconfig defaults (ACPI, PCI, input,
# block layer, io_uring...), which doubles the build time on two cores. So
# the config is allnoconfig plus a fragment: KUNITCONFIG (default
# kunit/kunitconfig), kunit/tiny.config and the console options from
# kunit.py's qemu_configs/ARCH.py. Every line of the fragment is checked in
# the resulting .config, as kunit.py does. The kernel is then run with
# kunit.py exec (kunit-run.sh) and boots the insmod initramfs (boot.sh).
. "$(dirname "$0")/lib.sh"

BASE=${1:?usage: build.sh BASE ARCH CC [KUNITCONFIG]} ARCH=${2:?} CC=${3:?}
KCONF=${4:-$TOP/kunit/kunitconfig}
base_package "$BASE" >/dev/null
cell_toolchain "$ARCH" "$CC"
src=${SRC:-$CACHE/src/$BASE}
bdir=${BDIR:-$(build_dir "$BASE" "$ARCH" "$CC")}
log=${LOG:-$LOGS/build-$BASE-$ARCH-$CC.log}
[ -e "$src/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
[ -f "$KCONF" ] || die "no kunitconfig $KCONF"
mkdir -p "$bdir" "$CACHE/ccache" "$LOGS"
say "build $BASE/$ARCH/$CC in $bdir (log: $log)"

frag=$bdir/kobj.fragment
{
	cat "$KCONF" "$TOP/kunit/tiny.config"
	python3 - "$src/tools/testing/kunit/qemu_configs/$ARCH.py" <<'PY'
import re, sys
print(re.search(r"kconfig='''(.*?)'''", open(sys.argv[1]).read(), re.S).group(1).strip())
PY
} | grep -E '^(CONFIG_|# CONFIG_.* is not set)' >"$frag.new" ||
	die "cannot read the console options of kunit.py for $ARCH"

kmake() { $RUNNER make -C "$src" O="$bdir" "${KMAKE[@]}" "$@"; }
start=$(date +%s)
(
	if [ ! -f "$bdir/.config" ] || ! cmp -s "$frag.new" "$frag"; then
		echo "configuring: allnoconfig + $frag"
		rm -f "$bdir/.config" "$frag"
		kmake KCONFIG_ALLCONFIG="$frag.new" allnoconfig || exit 1
	fi
	kmake -j"$JOBS"
) >"$log" 2>&1 || {
	grep -E 'error:|Error [0-9]|ERROR' "$log" | head -n 15 >&2 || true
	tail -n 5 "$log" >&2
	die "kernel build of $BASE/$ARCH/$CC failed (log: $log)"
}
# Every option asked for must have come out as asked. tiny.config also
# names options that older trees do not have; those are left out of the
# check when the .config does not mention them at all.
missing=$(while read -r line; do
	case $line in
	'# '*)	opt=${line#\# }; opt=${opt%% *}; want="$opt=n" ;;
	*)	opt=${line%%=*}; want=$line ;;
	esac
	case $line in
	'# '*)	grep -q "^$opt=" "$bdir/.config" || continue ;;
	*)	grep -qx "$line" "$bdir/.config" && continue ;;
	esac
	grep -qx "$line" "$TOP/kunit/tiny.config" &&
		! grep -q "\b$opt\b" "$bdir/.config" && continue
	echo "$want"
done <"$frag.new")
[ -z "$missing" ] || die "the $BASE/$ARCH/$CC config lacks (unmet dependencies?): $(echo $missing)"
mv "$frag.new" "$frag"
say "build $BASE/$ARCH/$CC done in $(( $(date +%s) - start ))s"
