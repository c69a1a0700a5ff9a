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

# shellcheck disable=SC2086
missing=$(missing_packages --root "$ROOTFS" $pkgs)
if [ -n "$missing" ]; then
	say "installing into the root:$missing"
	{
		chroot "$ROOTFS" dpkg --add-architecture arm64 &&
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

# Kernel sources that bookworm lacks, at the pinned version.
for b in $bases; do
	resolve_base "$b"
	[ "$BASE_SOURCE" = root ] && [ ! -f "$BASE_TARBALL" ] || continue
	say "fetching $BASE_PACKAGE $BASE_VERSION"
	fetch "$BASE_PACKAGE=$BASE_VERSION" "$CACHE/pkg/${BASE_PACKAGE}_$BASE_VERSION" ||
		die "fetching $BASE_PACKAGE $BASE_VERSION from testing failed; if testing has moved on, pin the new version in cells.toml (log: $log)"
done
for c in $compilers; do
	chroot "$ROOTFS" "$c" --version | head -n 1
done
