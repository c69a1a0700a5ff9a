# shellcheck shell=bash
# Common settings and helpers for the kmalloc_obj scripts. Sourced, not run.

set -euo pipefail
# chroot, debootstrap and mount live in sbin, which a minimal PATH lacks.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything expensive (source trees, toolchain root, build dirs, ccache)
# lives under CACHE; override it to keep several caches side by side.
CACHE=${CACHE:-/var/cache/kmalloc-obj}
ROOTFS=${ROOTFS:-$CACHE/testing-root}
LOGS=${LOGS:-$CACHE/logs}
JOBS=${JOBS:-$(nproc)}

BASES="v6.1"
ARCHES="x86_64 arm64"
COMPILERS="gcc-15 gcc-12"

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need_root() {
	[ "$(id -u)" = 0 ] || die "$1 needs root (apt-get, debootstrap, chroot)"
}

# The Debian source package each base is made from, and its version.
base_package() {
	case "$1" in
	v6.1)	echo linux-source-6.1 ;;
	*)	die "unknown base '$1' (known: $BASES)" ;;
	esac
}

check_arch() {
	case " $ARCHES " in
	*" $1 "*) ;;
	*) die "unknown arch '$1' (known: $ARCHES)" ;;
	esac
}

check_cc() {
	case " $COMPILERS " in
	*" $1 "*) ;;
	*) die "unknown compiler '$1' (known: $COMPILERS)" ;;
	esac
}

# run_logged LOG CMD...: run CMD with all output in LOG; on failure print
# the tail of the log and its path.
run_logged() {
	local log=$1; shift
	mkdir -p "$(dirname "$log")"
	if ! "$@" >"$log" 2>&1; then
		tail -n 25 "$log" >&2
		say "failed: $* (log: $log)"
		return 1
	fi
}

# in_root CMD...: run CMD inside the testing root, with CACHE, the project
# checkout, /proc and /dev visible at the same paths as on the host.
in_root() {
	local m mounted=
	[ -x "$ROOTFS/usr/bin/gcc-15" ] || die "toolchain root $ROOTFS is missing: run scripts/toolchain.sh"
	for m in "$CACHE" "$TOP" /dev /proc; do
		mkdir -p "$ROOTFS$m"
		mountpoint -q "$ROOTFS$m" && continue
		if [ "$m" = /proc ]; then
			mount -t proc proc "$ROOTFS/proc"
		else
			mount --bind "$m" "$ROOTFS$m"
		fi
		mounted="$ROOTFS$m $mounted"
	done
	local rc=0
	chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 CCACHE_DIR="$CACHE/ccache" "$@" || rc=$?
	for m in $mounted; do umount "$m" || true; done
	return $rc
}

# Compiler settings for one cell: sets KCC (the C compiler command), KHOSTCC,
# KCROSS (CROSS_COMPILE prefix) and RUNNER (in_root or nothing).
cell_toolchain() {
	local arch=$1 cc=$2
	check_arch "$arch"; check_cc "$cc"
	KCROSS=
	case $cc in
	gcc-15)
		RUNNER=in_root KHOSTCC=gcc-15
		case $arch in
		x86_64) KCC="ccache gcc-15" ;;
		arm64)	KCC="ccache aarch64-linux-gnu-gcc-15"
			KCROSS=aarch64-linux-gnu- ;;
		esac ;;
	gcc-12)
		[ "$arch" = x86_64 ] ||
			die "compiler gcc-12 is the host's native compiler and cannot build $arch (use gcc-15)"
		RUNNER='' KHOSTCC=gcc-12 KCC="ccache gcc-12" ;;
	esac
	export CCACHE_DIR="$CACHE/ccache"
}

build_dir() { echo "$CACHE/build/$1-$2-$3"; }

# built_kernel BASE ARCH CC: the build directory of a cell whose kernel has
# been configured and built, or a clear error.
built_kernel() {
	local bdir
	bdir=$(build_dir "$1" "$2" "$3")
	[ -f "$bdir/.config" ] ||
		die "kernel of $1/$2/$3 is not built: run scripts/build.sh $1 $2 $3"
	echo "$bdir"
}

# missing_packages [--root DIR] PKG...: the packages not installed on the
# host, or in the root DIR; one line, space separated.
missing_packages() {
	local root=() p missing=
	if [ "$1" = --root ]; then root=(chroot "$2"); shift 2; fi
	for p; do
		"${root[@]}" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing="$missing $p"
	done
	echo "$missing"
}

# series_hash DIR: identity of the series in DIR (its series file and the
# patches it lists), recorded in a tree by whoever applied or exported it.
series_hash() {
	(cd "$1" && xargs cat series <series | sha256sum | cut -d' ' -f1)
}
