#!/bin/bash
# toolchain.sh: make (or refresh) the Debian testing root that carries the
# compilers the host lacks (every compiler of cells.toml with where =
# "root", for the arches of its cells), busybox for every guest arch, and
# the pinned linux-source of the bases that only testing has. Idempotent:
# a root that already has every package is left alone.
. "$(dirname "$0")/lib.sh"

need_root toolchain
log=$LOGS/toolchain.log
mkdir -p "$LOGS"
say "toolchain root: $ROOTFS (log: $log)"
command -v debootstrap >/dev/null || die "debootstrap missing: run scripts/host-deps.sh"
pkgs=$(cellpy root-packages) || exit 2
arches=$(cellpy guest-arches) || exit 2
bases=$(cellpy bases) || exit 2
compilers=$(cellpy root-compilers) || exit 2
# testing's Release file may be past its Valid-Until on a stale mirror.
apt_opts="-o Acquire::Check-Valid-Until=false -o APT::Install-Recommends=false"

if [ ! -x "$ROOTFS/usr/bin/apt-get" ]; then
	rm -rf "$ROOTFS.tmp"
	run_logged "$log" debootstrap --variant=minbase testing "$ROOTFS.tmp" ||
		die "debootstrap of Debian testing failed (log: $log)"
	mv "$ROOTFS.tmp" "$ROOTFS"
fi

# Every guest's Debian arch other than the root's own is a foreign arch
# of the root, so that its busybox-static can be fetched.
native=$(chroot "$ROOTFS" dpkg --print-architecture)
added=
while read -r arch darch; do
	[ "$darch" = "$native" ] && continue
	chroot "$ROOTFS" dpkg --print-foreign-architectures | grep -qx "$darch" && continue
	chroot "$ROOTFS" dpkg --add-architecture "$darch" || die "dpkg --add-architecture $darch failed in $ROOTFS"
	added=1
done <<<"$arches"
if [ -n "$added" ]; then
	chroot "$ROOTFS" apt-get $apt_opts update >>"$log" 2>&1 || die "apt-get update failed in $ROOTFS (log: $log)"
fi

# shellcheck disable=SC2086
missing=$(missing_packages --root "$ROOTFS" $pkgs)
if [ -n "$missing" ]; then
	say "installing into the root:$missing"
	{
		chroot "$ROOTFS" apt-get $apt_opts update &&
		chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive \
			apt-get $apt_opts install -y $missing
	} >>"$log" 2>&1 || { tail -n 25 "$log" >&2; die "installing$missing into $ROOTFS failed (log: $log)"; }
fi

# fetch PKG DEST: download PKG (name=version or name:arch) through the
# root's apt and unpack it into DEST; nothing is installed.
fetch() {
	rm -rf "$ROOTFS/tmp/fetch" "$2.tmp" && mkdir -p "$ROOTFS/tmp/fetch" "$(dirname "$2")"
	{
		chroot "$ROOTFS" sh -c "cd /tmp/fetch && apt-get $apt_opts download $1" &&
		dpkg-deb -x "$ROOTFS"/tmp/fetch/*.deb "$2.tmp"
	} >>"$log" 2>&1 || return 1
	rm -rf "$ROOTFS/tmp/fetch" "$2" && mv "$2.tmp" "$2"
}

# busybox for the guests' initramfs. Two architectures' busybox-static
# cannot be installed side by side, so they are unpacked next to the root.
while read -r arch darch; do
	[ -x "$CACHE/busybox/$arch/usr/bin/busybox" ] && continue
	fetch "busybox-static:$darch" "$CACHE/busybox/$arch" ||
		die "fetching busybox-static:$darch failed (log: $log)"
done <<<"$arches"

# add_suite SUITE: let the root's apt see SUITE (trixie-backports, say) from
# the same mirror as its own suite, for the root's own arch, and refresh
# the lists. The mirror is
# read from the root's sources.list, which debootstrap wrote.
add_suite() {
	local list=$ROOTFS/etc/apt/sources.list.d/kmalloc-obj-$1.list mirror
	[ -f "$list" ] && return 0
	mirror=$(awk '$1 == "deb" { print $2; exit }' "$ROOTFS/etc/apt/sources.list")
	[ -n "$mirror" ] || die "no mirror in $ROOTFS/etc/apt/sources.list to add $1 from"
	# Only the root's own arch: kernel sources are arch "all", and other
	# arches' indexes of that suite are not needed (nor always in sync).
	echo "deb [arch=$native] $mirror $1 main" >"$list.tmp" && mv "$list.tmp" "$list"
	chroot "$ROOTFS" apt-get $apt_opts update >>"$log" 2>&1 ||
		{ rm -f "$list"; die "apt-get update with $1 failed in $ROOTFS (log: $log)"; }
}

# Kernel sources that bookworm lacks, at the pinned version.
for b in $bases; do
	resolve_base "$b"
	[ "$BASE_SOURCE" = root ] && [ ! -f "$BASE_TARBALL" ] || continue
	[ -z "$BASE_SUITE" ] || add_suite "$BASE_SUITE"
	say "fetching $BASE_PACKAGE $BASE_VERSION${BASE_SUITE:+ from $BASE_SUITE}"
	fetch "$BASE_PACKAGE=$BASE_VERSION" "$CACHE/pkg/${BASE_PACKAGE}_$BASE_VERSION" ||
		die "fetching $BASE_PACKAGE $BASE_VERSION from ${BASE_SUITE:-testing} failed; if the suite has moved on, pin the new version in cells.toml (log: $log)"
done
for c in $compilers; do
	chroot "$ROOTFS" "$c" --version | head -n 1
done
