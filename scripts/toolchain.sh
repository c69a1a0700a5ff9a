#!/bin/bash
# Make (or refresh) the Debian testing root that carries the compilers the
# host lacks: gcc-15 for x86_64 and arm64 and clang-22 (LLVM=-22), the
# __builtin_counted_by_ref path; plus busybox for both guest architectures
# and the pinned linux-source of the bases that only testing has (v7.2).
# Idempotent: a root that already has every package is left alone.
. "$(dirname "$0")/lib.sh"

need_root toolchain
PKGS="gcc-15 gcc-15-aarch64-linux-gnu binutils binutils-aarch64-linux-gnu
      libc6-dev make bc flex bison libelf-dev libssl-dev python3 ccache cpio
      kmod clang-22 lld-22 llvm-22"
log=$LOGS/toolchain.log
mkdir -p "$LOGS"
say "toolchain root: $ROOTFS (log: $log)"

command -v debootstrap >/dev/null || die "debootstrap missing: run scripts/host-deps.sh"

if [ ! -x "$ROOTFS/usr/bin/apt-get" ]; then
	rm -rf "$ROOTFS.tmp"
	run_logged "$log" debootstrap --variant=minbase testing "$ROOTFS.tmp" ||
		die "debootstrap of Debian testing failed (log: $log)"
	mv "$ROOTFS.tmp" "$ROOTFS"
fi

missing=$(missing_packages --root "$ROOTFS" $PKGS)
if [ -n "$missing" ]; then
	say "installing into the root:$missing"
	# testing's Release file may be past its Valid-Until on a stale mirror.
	apt_opts="-o Acquire::Check-Valid-Until=false -o APT::Install-Recommends=false"
	{
		chroot "$ROOTFS" dpkg --add-architecture arm64 &&
		chroot "$ROOTFS" apt-get $apt_opts update &&
		chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive \
			apt-get $apt_opts install -y $missing
	} >>"$log" 2>&1 || { tail -n 25 "$log" >&2; die "installing$missing into $ROOTFS failed (log: $log)"; }
fi

# busybox for the guests' initramfs. The two architectures' busybox-static
# cannot be installed side by side, so unpack them next to the root instead.
for arch in x86_64 arm64; do
	bb=$CACHE/busybox/$arch/usr/bin/busybox
	[ -x "$bb" ] && continue
	case $arch in x86_64) darch=amd64 ;; *) darch=$arch ;; esac
	rm -rf "$ROOTFS/tmp/bb" && mkdir -p "$ROOTFS/tmp/bb"
	{
		chroot "$ROOTFS" sh -c "cd /tmp/bb && apt-get -o Acquire::Check-Valid-Until=false download busybox-static:$darch" &&
		rm -rf "$CACHE/busybox/$arch" && mkdir -p "$CACHE/busybox/$arch" &&
		dpkg-deb -x "$ROOTFS"/tmp/bb/busybox-static_*.deb "$CACHE/busybox/$arch"
	} >>"$log" 2>&1 || die "fetching busybox-static:$darch failed (log: $log)"
	file "$bb" >>"$log" 2>&1 || true
done
# Kernel sources that bookworm lacks, at the pinned version, unpacked next to
# the root (the package is only a tarball; nothing is installed).
for b in $BASES; do
	base_from_host "$b" && continue
	pkg=$(base_package "$b") ver=$(base_version "$b")
	dir=$CACHE/pkg/${pkg}_$ver
	[ -f "$dir/usr/src/$pkg.tar.xz" ] && continue
	say "fetching $pkg $ver"
	rm -rf "$ROOTFS/tmp/src" "$dir.tmp" && mkdir -p "$ROOTFS/tmp/src" "$CACHE/pkg"
	{
		chroot "$ROOTFS" sh -c "cd /tmp/src && apt-get -o Acquire::Check-Valid-Until=false download $pkg=$ver" &&
		dpkg-deb -x "$ROOTFS"/tmp/src/"$pkg"_*.deb "$dir.tmp"
	} >>"$log" 2>&1 || die "fetching $pkg $ver from testing failed; if testing has moved on, pin the new version in base_version() (log: $log)"
	rm -rf "$ROOTFS/tmp/src" "$dir" && mv "$dir.tmp" "$dir"
done
chroot "$ROOTFS" gcc-15 --version | head -n 1
chroot "$ROOTFS" clang-22 --version | head -n 1
