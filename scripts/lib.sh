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

BASES="v6.1 v6.12 v7.2"
ARCHES="x86_64 arm64"
COMPILERS="gcc-15 gcc-12 clang-22"

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

need_root() {
	[ "$(id -u)" = 0 ] || die "$1 needs root (apt-get, debootstrap, chroot)"
}

# The Debian source package each base is made from. The version is pinned:
# a tree is only made from exactly that version, so every run of the matrix
# tests the same code. v6.1 and v6.12 come from bookworm and are installed on
# the host; v7.2 comes from testing and is fetched into $CACHE/pkg.
base_package() {
	case "$1" in
	v6.1)	echo linux-source-6.1 ;;
	v6.12)	echo linux-source-6.12 ;;
	v7.2)	echo linux-source-7.2 ;;
	*)	die "unknown base '$1' (known: $BASES)" ;;
	esac
}

base_version() {
	case "$1" in
	v6.1)	echo 6.1.192-2 ;;
	v6.12)	echo 6.12.117-1~deb12u1 ;;
	v7.2)	echo 7.2.12-1 ;;
	*)	base_package "$1" ;;
	esac
}

# base_from_host BASE: true if the base's package is installed on the host
# (bookworm has it), false if it is fetched from testing.
base_from_host() { [ "$1" != v7.2 ]; }

# base_tarball BASE: the kernel source tarball of BASE, or a clear error.
base_tarball() {
	local pkg ver have t
	pkg=$(base_package "$1") ver=$(base_version "$1")
	if base_from_host "$1"; then
		have=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
		[ -n "$have" ] || die "$pkg is not installed: run scripts/host-deps.sh"
		[ "$have" = "$ver" ] || die "$pkg $have is installed, but $1 is pinned to $ver"
		t=/usr/src/$pkg.tar.xz
	else
		t=$CACHE/pkg/${pkg}_$ver/usr/src/$pkg.tar.xz
		[ -f "$t" ] || die "$pkg $ver is not fetched ($t missing): run scripts/toolchain.sh"
	fi
	[ -f "$t" ] || die "$t is missing although $pkg is installed"
	echo "$t"
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
	[ -x "$ROOTFS/usr/bin/gcc-15" ] && [ -x "$ROOTFS/usr/bin/clang-22" ] ||
		die "toolchain root $ROOTFS is missing or incomplete: run scripts/toolchain.sh"
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

# Compiler settings for one cell: sets KMAKE (the make variables that select
# the architecture and compilers, for the kernel and its modules), KOBJDUMP
# and RUNNER (in_root, or nothing for the host's own compiler).
# Build directories persist, so make alone rebuilds only what changed; on a
# cold build ccache costs about a quarter more time (measured: 12.5 s
# instead of 9.7 s for mm/slub.c and kernel/sched/core.c), so it is only
# used when asked for with KOBJ_CCACHE=1.
cell_toolchain() {
	local arch=$1 cc=$2 c=
	check_arch "$arch"; check_cc "$cc"
	[ "${KOBJ_CCACHE:-0}" = 1 ] && c="ccache "
	KMAKE=(ARCH="$arch") KOBJDUMP=objdump
	case $cc in
	gcc-15)
		RUNNER=in_root
		case $arch in
		x86_64) KMAKE+=(CC="${c}gcc-15" HOSTCC=gcc-15) ;;
		arm64)	KMAKE+=(CC="${c}aarch64-linux-gnu-gcc-15" HOSTCC=gcc-15
				CROSS_COMPILE=aarch64-linux-gnu-)
			KOBJDUMP=aarch64-linux-gnu-objdump ;;
		esac ;;
	clang-22)
		# LLVM=-22: clang-22, ld.lld-22, llvm-ar-22 and so on.
		RUNNER=in_root KOBJDUMP=llvm-objdump-22
		KMAKE+=(LLVM=-22 CC="${c}clang-22" HOSTCC=clang-22) ;;
	gcc-12)
		[ "$arch" = x86_64 ] ||
			die "compiler gcc-12 is the host's native compiler and cannot build $arch (use gcc-15)"
		RUNNER='' KMAKE+=(CC="${c}gcc-12" HOSTCC=gcc-12) ;;
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

# unpatched_headers BASE FILE: write to FILE the patch that takes the
# headers of BASE's tree back to the base tag (the series reverted there).
unpatched_headers() {
	git -C "$CACHE/src/$1" diff HEAD base -- include/ >"$2"
	[ -s "$2" ] || die "the $1 tree has no header changes over base: is the series applied?"
}

# apply_transient SRC PATCH TMPDIR: apply PATCH to the git tree SRC for a
# while (a module built meanwhile sees the modified headers). The old times
# of the files it touches are noted in TMPDIR; restore_transient puts the
# files and their times back, so that the build directories made from SRC
# do not go stale. Callers call it once more from their EXIT trap, which
# also covers a script that dies half-way; each call sets the times again,
# since git checkout rewrites a file whose time no longer matches its index
# entry.
apply_transient() {
	local f
	_tsrc=$1 _tmtimes=$3/mtimes
	[ -z "$(git -C "$_tsrc" status --porcelain --untracked-files=no)" ] ||
		die "tree $_tsrc has uncommitted changes; refusing to modify it"
	git -C "$_tsrc" apply --numstat "$2" | while read -r _ _ f; do
		echo "$f $(stat -c %Y "$_tsrc/$f")"
	done >"$_tmtimes"
	git -C "$_tsrc" apply "$2" || die "$2 does not apply to $_tsrc"
}

restore_transient() {
	local f t
	[ -n "${_tsrc:-}" ] && [ -f "${_tmtimes:-}" ] || return 0
	git -C "$_tsrc" checkout -q -- .
	while read -r f t; do touch -d "@$t" "$_tsrc/$f"; done <"$_tmtimes"
}

# missing_packages [--root DIR] PKG[=VERSION]...: the packages not installed
# (or not at VERSION) on the host, or in the root DIR; one line.
missing_packages() {
	local root=() p name ver missing=
	if [ "$1" = --root ]; then root=(chroot "$2"); shift 2; fi
	for p; do
		name=${p%%=*} ver=
		[ "$name" != "$p" ] && ver=${p#*=}
		"${root[@]}" dpkg-query -W -f='${Status} ${Version}\n' "$name" 2>/dev/null |
			grep -qx "install ok installed ${ver:-.*}" || missing="$missing $p"
	done
	echo "$missing"
}

# series_hash DIR: identity of the series in DIR (its series file and the
# patches it lists), recorded in a tree by whoever applied or exported it.
series_hash() {
	(cd "$1" && xargs cat series <series | sha256sum | cut -d' ' -f1)
}
