#!/bin/bash
# build.sh CELL [--kunitconfig FILE] [--src DIR] [--build-dir DIR] [--log FILE]:
# configure and build the kernel of one cell (BASE/ARCH/COMPILER), or of the
# cell it borrows its kernel from, in that kernel's own build directory,
# which persists, so that a rebuild only compiles what changed. The source
# tree must already be prepared by tree.sh. The options replace the suite's
# kunitconfig, the source tree, the build directory and the log
# (bisect-check.sh builds a scratch tree with them).
#
# kunit.py build would start from the Kconfig defaults (ACPI, PCI, input,
# block layer, io_uring...), which doubles the build time on two cores. So
# the config is allnoconfig plus a fragment: the kunitconfig, kunit/tiny.config,
# the arch's and the cell's fragments of cells.toml (config = [...]) and the
# console options of kunit.py's record of the arch. Every line of
# the fragment is checked in the resulting .config, as kunit.py does. The
# kernel is then run with kunit.py exec (kunit-run.sh) and boots the insmod
# initramfs (boot.sh).
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: build.sh CELL [--kunitconfig F] [--src D] [--build-dir D] [--log F]}"
shift
kconf=$TOP/kunit/kunitconfig src='' bdir='' log=''
while [ $# -gt 0 ]; do
	case $1 in
	--kunitconfig)	kconf=$2 ;;
	--src)		src=$2 ;;
	--build-dir)	bdir=$2 ;;
	--log)		log=$2 ;;
	*)		die "build.sh: unknown option '$1'" ;;
	esac
	shift 2
done
# A cell that borrows its kernel (kernel = ... in cells.toml) has the
# lender's built, unless it builds one of its own in a build directory of
# its own (bisect-check.sh: with its own compiler, the lender's config).
if [ "$KERNEL_CELL" != "$CELL" ] && [ -z "$bdir" ]; then
	say "$CELL uses the kernel of $KERNEL_CELL"
	resolve_cell "$KERNEL_CELL"
fi
SRC=${src:-$SRC} BDIR=${bdir:-$BDIR} log=${log:-$CELL_LOGS/build.log}
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
[ -f "$kconf" ] || die "no kunitconfig $kconf"
[ -n "${ARCH_KCONFIG:-}" ] || die "no kunit.py record of $KUNIT_ARCH in $SRC/tools/testing/kunit/qemu_configs"
mkdir -p "$BDIR" "$CACHE/ccache"
say "build $CELL in $BDIR (log: $log)"

frag=$BDIR/kobj.fragment
# shellcheck disable=SC2086 # ARCH_CONFIG, CELL_CONFIG: the arch's and the cell's extra fragments
printf '%s\n' "$(cat "$kconf" "$TOP/kunit/tiny.config" $ARCH_CONFIG $CELL_CONFIG)" "$ARCH_KCONFIG" |
	grep -E '^(CONFIG_|# CONFIG_.* is not set)' >"$frag.new" ||
	die "cannot make the config fragment of $CELL"

base_lock shared
kmake() { $RUNNER make -C "$SRC" O="$BDIR" "${KMAKE[@]}" "$@"; }
start=$(date +%s)
build() (
	if [ ! -f "$BDIR/.config" ] || ! cmp -s "$frag.new" "$frag"; then
		echo "configuring: allnoconfig + $frag"
		rm -f "$BDIR/.config" "$frag"
		kmake KCONFIG_ALLCONFIG="$frag.new" allnoconfig || exit 1
	fi
	kmake -j"$JOBS"
)
run_group build >"$log" 2>&1 || {
	grep -E 'error:|Error [0-9]|ERROR' "$log" | head -n 15 >&2 || true
	tail -n 5 "$log" >&2
	die "kernel build of $CELL failed (log: $log)"
}
# Every option asked for must have come out as asked. tiny.config and the
# arch's and the cell's fragments also name options that older or newer
# trees do not have; those are left out of the check when no Kconfig file of the tree
# defines them (an option whose dependencies are unmet is also absent from
# the .config, and must not pass for one the tree lacks).
kconfig_defines() {
	grep -rqsE "^[[:space:]]*(menu)?config[[:space:]]+${1#CONFIG_}[[:space:]]*\$" \
		--include='Kconfig*' "$SRC"
}
missing=$(while read -r line; do
	case $line in
	'# '*)	opt=${line#\# }; opt=${opt%% *}; want="$opt=n" ;;
	*)	opt=${line%%=*}; want=$line ;;
	esac
	case $line in
	'# '*)	grep -q "^$opt=" "$BDIR/.config" || continue ;;
	*)	grep -qx "$line" "$BDIR/.config" && continue ;;
	esac
	# shellcheck disable=SC2086
	grep -qx "$line" "$TOP/kunit/tiny.config" $ARCH_CONFIG $CELL_CONFIG &&
		! grep -q "\b$opt\b" "$BDIR/.config" && ! kconfig_defines "$opt" && continue
	echo "$want"
done <"$frag.new")
[ -z "$missing" ] || die "the $CELL config lacks (unmet dependencies?): $(echo $missing)"
mv "$frag.new" "$frag"
say "build $CELL done in $(( $(date +%s) - start ))s"
