#!/bin/bash
# debian.sh CELL: the "debian" check of a cell of Debian's own kernels
# (debian-NAME/ARCH/COMPILER; cells.toml). The kernel is Debian's, as its
# image package ships it, and has no KUnit: the companion module is built
# in the standalone KTAP mode (ktap/, KMO_KTAP=y) against the kernel's
# headers package, by the kernel's compiler, in the record's root, and
# booted in that kernel with an initramfs that loads it (boot.sh).
#   - compat: the suites on the compat header (include/kmalloc_obj.h),
#     plain (insmod by the guest's init) and with slub_debug=FZPU (loaded
#     by the kselftest target, kselftest/kmalloc_obj.sh): every case must
#     pass (the cell's skips of tests/skips.expect aside), the console as
#     strict as ever.
#   - conformance, where the kernel has a family of its own (6.12, 7.2):
#     the devm_ suite must not build, and the other suites on the kernel's
#     family, with slub_debug=FZPU, through the kselftest target, must fail
#     exactly as the section "[BASE COMPILER]" of tests/conformance.expect
#     says: Debian's kernel is the unpatched tree of its base.
#   - each run through the kselftest target has a row of its own: the
#     target must report every case as the module's KTAP does, and exit
#     accordingly (judge.py kselftest).
# Exit status 0 if every row passed.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: debian.sh debian-NAME/ARCH/COMPILER}"
[ -n "${DEB_RELEASE:-}" ] || die "$CELL is not a cell of Debian's kernels (debian-NAME/ARCH/COMPILER)"
"$TOP/scripts/debian-kernel.sh" "$CELL" >/dev/null
built_kernel
slub=slub_debug=FZPU
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
cell_skips
kernel="Debian's $DEB_RELEASE kernel"

# The compat header's family.
if ! ko=$(KMO_KTAP=y KMO_COMPAT=y KMO_MODLOG=$CELL_LOGS/compat-module.log \
	"$TOP/scripts/module.sh" "$CELL"); then
	why="the module does not build on the compat header against the headers of $kernel (log: $CELL_LOGS/compat-module.log)"
	echo "FAIL  $CELL_ID compat header: $why"
	judge row --label "$CELL_ID compat header (unpatched tree)" --verdict FAIL --cases - \
		--detail "$why" --results "$RESULTS"
	rc=1
else
	suite_sources "$TOP/kunit"
	console=$("$TOP/scripts/boot.sh" "$CELL" compat $ko)
	judge verdict --mode module --kunit "$KUNIT_PY" --console "$console" --ko $ko \
		--label "$CELL_ID compat header (unpatched tree)" --results "$RESULTS" \
		"${SKIPS[@]}" "${SOURCES[@]}" || rc=1
	console=$("$TOP/scripts/boot.sh" "$CELL" compat-slub --kargs "$slub" --kselftest $ko)
	judge verdict --mode module --kunit "$KUNIT_PY" --console "$console" --ko $ko \
		--label "$CELL_ID compat header $slub (unpatched tree)" --results "$RESULTS" \
		"${SKIPS[@]}" "${SOURCES[@]}" || rc=1
	judge kselftest --console "$console" --label "$CELL_ID kselftest (compat header)" \
		--results "$RESULTS" || rc=1
fi

[ "$BASE_HAS_FAMILY" = 1 ] || exit $rc

# The kernel's own family.
judge expect-section "$TOP/tests/conformance.expect" "$BASE" "$COMPILER" >"$tmp/expect" || exit 1
devm_unbuilt "the family of $kernel" KMO_KTAP=y || rc=1

label="$CELL_ID unpatched (conformance)"
if ! ko=$(KMO_KTAP=y KMO_DEVM= KMO_MODLOG=$CELL_LOGS/conformance-module.log \
	"$TOP/scripts/module.sh" "$CELL"); then
	why="the module does not build on the family of $kernel (log: $CELL_LOGS/conformance-module.log)"
	echo "FAIL  $label: $why"
	judge row --label "$label" --verdict FAIL --cases - --detail "$why" --results "$RESULTS"
	exit 1
fi
suite_sources "$TOP/kunit" kmalloc_obj_kunit.c
SOURCES+=(--left-out kmalloc_obj_devm)
console=$("$TOP/scripts/boot.sh" "$CELL" unpatched --kargs "$slub" --kselftest $ko)
judge verdict --mode module --kunit "$KUNIT_PY" --console "$console" --ko $ko --label "$label" \
	--results "$RESULTS" "${SKIPS[@]}" "${SOURCES[@]}" --expect "$tmp/expect" || rc=1
judge kselftest --console "$console" --label "$CELL_ID kselftest (unpatched)" \
	--results "$RESULTS" || rc=1
exit $rc
