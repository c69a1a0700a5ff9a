#!/bin/bash
# mutants.sh [BASE ARCH CC]: show that the suites can fail. Each
# tests/mutants/BASE/NAME.patch breaks one property of the family in the
# headers (counter store, counter check, saturation, alignment). For each,
# the companion module is rebuilt against the mutated headers, booted with
# slub_debug=FZPU, and the failing cases must be exactly those listed in
# NAME.expect. The kernel image itself is not rebuilt: everything under
# test is inline code in headers, compiled into the module.
. "$(dirname "$0")/lib.sh"

BASE=${1:-v6.1} ARCH=${2:-x86_64} CC=${3:-gcc-15}
cell_toolchain "$ARCH" "$CC"
cell=$BASE-$ARCH-$CC
src=$CACHE/src/$BASE
dir=$TOP/tests/mutants/$BASE
RESULTS=${RESULTS:-$LOGS/results.tsv}
[ -d "$dir" ] || die "no mutants for $BASE in $dir"
built_kernel "$BASE" "$ARCH" "$CC" >/dev/null
[ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] ||
	die "tree $src has uncommitted changes; refusing to mutate it"

restore() {
	local f
	git -C "$src" checkout -q -- .
	# Give the restored headers back their old times so the kernel build
	# directory does not think it is stale.
	while read -r f t; do touch -d "@$t" "$src/$f"; done <"$tmp/mtimes"
}
tmp=$(mktemp -d)
trap 'restore; rm -rf "$tmp"' EXIT
: >"$tmp/mtimes"

rc=0
for p in "$dir"/*.patch; do
	name=$(basename "$p" .patch)
	git -C "$src" apply --numstat "$p" | while read -r _ _ f; do
		echo "$f $(stat -c %Y "$src/$f")"
	done >"$tmp/mtimes"
	git -C "$src" apply "$p" || die "mutant $name does not apply to $src"
	ko=$("$TOP/scripts/module.sh" "$BASE" "$ARCH" "$CC") || { restore; rc=1; continue; }
	restore
	KARGS=slub_debug=FZPU "$TOP/scripts/boot.sh" "$BASE" "$ARCH" "$CC" "mutant-$cell-$name" $ko
	python3 "$TOP/scripts/verdict.py" --mode module --kunit "$src/tools/testing/kunit/kunit.py" \
		--label "$cell mutant $name" --console "$LOGS/mutant-$cell-$name.console" \
		--ko $ko --expect "$dir/$name.expect" --results "$RESULTS" || rc=1
done
# Leave a module built from the real headers behind.
"$TOP/scripts/module.sh" "$BASE" "$ARCH" "$CC" >/dev/null
exit $rc
