#!/bin/bash
# debian-root.sh SUITE: make (or complete) the root of a Debian suite,
# $CACHE/debian-root/SUITE, where modules for Debian's own kernels of that
# suite (cells.toml: [debian.*] with root = SUITE) build as a user of the
# suite builds them: the suite's compiler that built the kernel (and its
# cross compiler for a foreign arch), what linux-kbuild depends on, dkms
# (cell.py debian-root-packages SUITE). Every arch of its cells is a dpkg
# arch of the root, so that its apt fetches their kernel packages. Not the
# toolchain root: what a module build for Debian's kernel needs (pahole)
# would change the configs of the kernels built there.
# Idempotent; two steps that call it at once wait for each other.
. "$(dirname "$0")/lib.sh"

SUITE=${1:?usage: debian-root.sh SUITE}
need_root "the $SUITE root"
root=$CACHE/debian-root/$SUITE
log=$LOGS/debian-root-$SUITE.log
mkdir -p "$LOGS" "$CACHE/debian-root"
command -v debootstrap >/dev/null || die "debootstrap missing: run scripts/host-deps.sh"
pkgs=$(cellpy debian-root-packages "$SUITE") || exit 2
arches=$(cellpy debian-root-arches "$SUITE") || exit 2
[ -n "$arches" ] || die "no cell of cells.toml builds in a $SUITE root"
# testing's Release file may be past its Valid-Until on a stale mirror.
apt_opts="-o Acquire::Check-Valid-Until=false -o APT::Install-Recommends=false"
exec 7>>"$CACHE/debian-root/.$SUITE.lock"
flock 7

if [ ! -x "$root/usr/bin/apt-get" ]; then
	say "$SUITE root: $root (log: $log)"
	rm -rf "$root.tmp"
	run_logged "$log" debootstrap --variant=minbase "$SUITE" "$root.tmp" ||
		die "debootstrap of Debian $SUITE failed (log: $log)"
	mv "$root.tmp" "$root"
fi

updated=
# debootstrap's sources.list has the suite alone; a stable release's
# kernels come from its -security suite and point releases too. The root
# of the host's own release (bookworm) takes the host's Debian sources:
# every list of /etc/apt that names the suite, and nothing else of the
# host's.
if [ "$SUITE" = "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" ] &&
	[ ! -e "$root/etc/apt/.kmo-host-sources" ]; then
	found=
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && grep -q "^[^#]*$SUITE" "$f" || continue
		! grep -iqE 'signed-by[:=] *[^ ]' "$f" ||
			! grep -ioE 'signed-by[:=] *[^] ]+' "$f" | grep -vq '/usr/share/keyrings/debian-archive-' ||
			continue
		cp "$f" "$root$f" && found=1
	done
	[ -n "$found" ] || die "the host's apt has no $SUITE sources to give the $SUITE root"
	[ -f /etc/apt/sources.list ] && grep -q "^[^#]*$SUITE" /etc/apt/sources.list ||
		rm -f "$root/etc/apt/sources.list"
	chroot "$root" apt-get $apt_opts update >>"$log" 2>&1 ||
		die "apt-get update failed in $root (log: $log)"
	touch "$root/etc/apt/.kmo-host-sources"
	updated=1
fi

native=$(chroot "$root" dpkg --print-architecture)
for darch in $arches; do
	[ "$darch" = "$native" ] && continue
	chroot "$root" dpkg --print-foreign-architectures | grep -qx "$darch" && continue
	chroot "$root" dpkg --add-architecture "$darch" ||
		die "dpkg --add-architecture $darch failed in $root"
	chroot "$root" apt-get $apt_opts update >>"$log" 2>&1 ||
		die "apt-get update failed in $root (log: $log)"
	updated=1
done

# shellcheck disable=SC2086
missing=$(missing_packages --root "$root" $pkgs)
if [ -n "$missing" ]; then
	say "installing into the $SUITE root:$missing (log: $log)"
	{
		{ [ -n "$updated" ] || chroot "$root" apt-get $apt_opts update; } &&
		chroot "$root" env DEBIAN_FRONTEND=noninteractive \
			apt-get $apt_opts install -y $missing
	} >>"$log" 2>&1 || { tail -n 25 "$log" >&2; die "installing$missing into $root failed (log: $log)"; }
fi
