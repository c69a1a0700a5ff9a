#!/bin/bash
# dkms.sh CELL: the "dkms" check of a cell of Debian's kernels (its own
# arch): the companion module built by DKMS from dkms.conf, as a user of
# that Debian suite builds it for that kernel, in the suite's root
# (debian-root.sh) with the kernel's headers package unpacked there
# (debian-kernel.sh): the sources go to /usr/src/NAME-VERSION, then
# `dkms add`, `dkms build -k RELEASE`. The module DKMS built is then booted
# in that kernel, loaded by the kselftest target under slub_debug=FZPU,
# and judged like the others (every case passes; the target reports them
# as the module does). Rows: the build, the run, the target's report.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: dkms.sh debian-NAME/ARCH/COMPILER}"
[ -n "${DEB_RELEASE:-}" ] || die "$CELL is not a cell of Debian's kernels (debian-NAME/ARCH/COMPILER)"
[ -z "${KMAKE[*]}" ] || die "$CELL: dkms builds for the root's own arch, not $ARCH (cross)"
"$TOP/scripts/debian-kernel.sh" "$CELL" >/dev/null
built_kernel
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$TOP/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$TOP/dkms.conf")
[ -n "$name" ] && [ -n "$version" ] || die "dkms.conf names no PACKAGE_NAME and PACKAGE_VERSION"
log=$CELL_LOGS/dkms.log
label="$CELL_ID dkms build"
say "dkms build of $name $version for $DEB_RELEASE in the $DEB_ROOT root (log: $log)"

# What a user copies to /usr/src; nothing of an earlier run stays.
exec 7>>"$ROOTFS.debian.lock"
flock 7
in_root dkms remove -m "$name" -v "$version" --all >/dev/null 2>&1 || true
rm -rf "${ROOTFS:?}/usr/src/$name-$version" "$ROOTFS/var/lib/dkms/$name"
mkdir -p "$ROOTFS/usr/src/$name-$version"
cp -r "$TOP/Kbuild" "$TOP/dkms.conf" "$TOP/include" "$TOP/kunit" "$TOP/ktap" "$ROOTFS/usr/src/$name-$version/"
if ! { in_root dkms add -m "$name" -v "$version" &&
	in_root dkms build -m "$name" -v "$version" -k "$DEB_RELEASE"; } >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	why="dkms build failed (log: $log)"
	echo "FAIL  $label: $why"
	judge row --label "$label" --verdict FAIL --cases - --detail "$why" --results "$RESULTS"
	exit 1
fi
built=$(find "$ROOTFS/var/lib/dkms/$name/$version/$DEB_RELEASE" -name 'kmalloc_obj_test.ko*' \
	-path '*/module/*' 2>/dev/null | head -n 1 || true)
[ -n "$built" ] || die "dkms build succeeded but left no kmalloc_obj_test.ko (log: $log)"
mkdir -p "$CACHE/mod/$CELL_ID/dkms"
ko=$CACHE/mod/$CELL_ID/dkms/kmalloc_obj_test.ko
case $built in
*.ko) cp "$built" "$ko" ;;
*.ko.xz) xz -dc "$built" >"$ko" ;;
*.ko.zst) zstd -qdc "$built" >"$ko" ;;
*) die "dkms built $built: a compression this script does not know" ;;
esac
flock -u 7
# dkms signs what it builds where it can make a key (openssl): with its
# own key, which no kernel trusts until it is enrolled.
signed="unsigned"
grep -q '^Signing module' "$log" && signed="signed by dkms with $(sed -n 's/^Signing key: //p' "$log" | head -n 1)"
why="dkms add, dkms build -k $DEB_RELEASE: $(basename "$built"), $signed (log: $log)"
echo "PASS  $label: $why"
judge row --label "$label" --verdict PASS --cases 1/1 --detail "$why" --results "$RESULTS"

rc=0
cell_skips
suite_sources "$TOP/kunit"
console=$("$TOP/scripts/boot.sh" "$CELL" dkms --kargs slub_debug=FZPU --kselftest "$ko")
judge verdict --mode module --kunit "$KUNIT_PY" --console "$console" --ko "$ko" \
	--label "$CELL_ID dkms module slub_debug=FZPU (compat header)" --results "$RESULTS" \
	"${SKIPS[@]}" "${SOURCES[@]}" || rc=1
judge kselftest --console "$console" --label "$CELL_ID kselftest (dkms module)" \
	--results "$RESULTS" || rc=1
exit $rc
