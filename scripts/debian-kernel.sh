#!/bin/bash
# debian-kernel.sh CELL: get Debian's own kernel of a cell "debian-NAME/ARCH/
# COMPILER" (cells.toml, [debian.NAME]) ready to build modules for and
# boot, the way a user of that Debian release has it:
#   - its headers (linux-headers-RELEASE, -common) and the host programs
#     of kbuild, fetched at the pinned version through the apt of the
#     root of the record's Debian suite (debian-root.sh) and unpacked into
#     that root where apt would install
#     them (/usr/src, /usr/lib/linux-kbuild-*, /lib/modules/RELEASE/build),
#   - its vmlinuz, from the image package, to $DEB_DIR/vmlinuz,
#   - usr/gen_init_cpio, for the initramfs: one for every Debian cell,
#     $CACHE/debian/gen_init_cpio, built from the source of the first base
#     tree that needs it (the program has not changed in years).
# It checks that the root's compiler for the arch is the kernel's
# (CONFIG_CC_VERSION_TEXT's version). Packages are only unpacked, not
# installed: the headers of 6.12 depend on the image itself, whose
# installation would build an initramfs in the root for nothing.
# Idempotent: a release already unpacked at the pinned version is kept.
. "$(dirname "$0")/lib.sh"

resolve_cell "${1:?usage: debian-kernel.sh debian-NAME/ARCH/COMPILER}"
[ -n "${DEB_RELEASE:-}" ] || die "$CELL is not a cell of Debian's kernels (debian-NAME/ARCH/COMPILER)"
need_root "fetching Debian's $DEB_RELEASE kernel"
log=$CELL_LOGS/debian-kernel.log
stamp=$DEB_DIR/.fetched
want="$DEB_VERSION ${DEB_HEADERS[*]} $DEB_KBUILD $DEB_IMAGE"
say "Debian's $DEB_RELEASE kernel, $DEB_VERSION (log: $log)"
: >"$log"

"$TOP/scripts/debian-root.sh" "$DEB_ROOT"

fetched() { [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -f "$IMAGE" ] && [ -f "$BDIR/.config" ]; }
if ! fetched; then
	# One unpacking into a root at a time: cells of the same release share
	# the -common and kbuild packages.
	exec 7>>"$ROOTFS.debian.lock"
	flock 7
fi
if ! fetched; then
	native=$(chroot "$ROOTFS" dpkg --print-architecture)
	chroot "$ROOTFS" dpkg --print-foreign-architectures | grep -qx "$DEBIAN_ARCH" ||
		[ "$DEBIAN_ARCH" = "$native" ] ||
		die "the $DEB_ROOT root has no dpkg arch $DEBIAN_ARCH (run scripts/debian-root.sh $DEB_ROOT)"
	fetchdir=/tmp/debian-$DEB_RELEASE
	rm -rf "${ROOTFS:?}$fetchdir" && mkdir -p "$ROOTFS$fetchdir"
	# name:arch=version for apt; the kbuild programs run on the host.
	pkgs=()
	for p in "${DEB_HEADERS[@]}" "$DEB_KBUILD:$native" "$DEB_IMAGE"; do
		pkgs+=("${p%:all}=$DEB_VERSION")
	done
	# testing's Release file may be past its Valid-Until.
	apt_opts="-o Acquire::Check-Valid-Until=false"
	updated=
	for p in "${pkgs[@]}"; do
		until chroot "$ROOTFS" sh -c "cd $fetchdir && apt-get $apt_opts download '$p'" >>"$log" 2>&1; do
			# The root's package lists may predate the pinned version.
			[ -z "$updated" ] && chroot "$ROOTFS" apt-get $apt_opts update >>"$log" 2>&1 &&
				updated=1 && continue
			die "Debian's package ${p%%=*} version $DEB_VERSION cannot be fetched through the $DEB_ROOT root's apt (lists updated): gone from the archive? Pin the release that is there in cells.toml ([debian.\"$DEB_NAME\"]) (log: $log)"
		done
	done
	for p in "${pkgs[@]:0:${#pkgs[@]}-1}"; do
		deb=$(ls "$ROOTFS$fetchdir/${p%%[:=]*}_"*.deb)
		# Not dpkg-deb -x: its tar would replace the root's /lib -> usr/lib
		# with the package's ./lib/ directory (6.1's /lib/modules).
		dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$ROOTFS" ||
			die "unpacking $deb into $ROOTFS failed"
	done
	[ -f "$BDIR/.config" ] || die "the headers of $DEB_RELEASE have no $BDIR/.config"
	img=${pkgs[-1]}
	deb=$(ls "$ROOTFS$fetchdir/${img%%[:=]*}_"*.deb)
	member=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -E '/vmlinuz(-[^/]*)?$') ||
		die "no vmlinuz in $deb"
	[ "$(wc -l <<<"$member")" = 1 ] || die "more than one vmlinuz in $deb: $(echo $member)"
	mkdir -p "$DEB_DIR"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "$member" >"$IMAGE.tmp" && mv "$IMAGE.tmp" "$IMAGE" ||
		die "extracting $member from $deb failed"
	rm -rf "${ROOTFS:?}$fetchdir"
	echo "$want" >"$stamp"
	flock -u 7
fi

# The kernel's compiler: the version that built it, and the root's.
kcc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$BDIR/.config")
cross=
for v in "${KMAKE[@]}"; do [[ $v == CROSS_COMPILE=* ]] && cross=${v#CROSS_COMPILE=}; done
rcc=$(chroot "$ROOTFS" "${cross}$COMPILER" --version 2>/dev/null | head -n 1) ||
	die "no ${cross}$COMPILER in the $DEB_ROOT root, the compiler of Debian's $DEB_RELEASE kernel ($kcc)"
[ "${kcc##* }" = "${rcc##* }" ] ||
	die "Debian's $DEB_RELEASE kernel was built by $kcc, the $DEB_ROOT root has $rcc"
say "$DEB_RELEASE: built by $kcc; modules by $rcc"

if [ ! -x "$GEN_INIT_CPIO" ]; then
	[ -f "$SRC/usr/gen_init_cpio.c" ] || die "no tree for $BASE at $SRC: run scripts/tree.sh $BASE"
	mkdir -p "$(dirname "$GEN_INIT_CPIO")"
	gcc -O2 -o "$GEN_INIT_CPIO.$$" "$SRC/usr/gen_init_cpio.c" && mv "$GEN_INIT_CPIO.$$" "$GEN_INIT_CPIO" ||
		die "building $SRC/usr/gen_init_cpio.c failed"
fi
echo "$IMAGE"
