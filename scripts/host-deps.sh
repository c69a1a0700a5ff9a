#!/bin/bash
# Install what the host needs (QEMU for both guests, debootstrap, the kernel
# build dependencies, the Debian kernel source packages). Idempotent.
. "$(dirname "$0")/lib.sh"

PKGS="qemu-system-x86 qemu-system-arm busybox-static debootstrap ccache
      flex bison bc libelf-dev libssl-dev cpio rsync xz-utils kmod python3
      git make gcc libc6-dev binutils file"
for b in $BASES; do
	base_from_host "$b" && PKGS="$PKGS $(base_package "$b")=$(base_version "$b")"
done

missing=$(missing_packages $PKGS)
[ -z "$missing" ] && exit 0
need_root "installing$missing"
mkdir -p "$LOGS"
log=$LOGS/host-deps.log
say "installing on the host:$missing (log: $log)"
{
	apt-get update &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
} >"$log" 2>&1 || { mkdir -p "$LOGS"; tail -n 25 "$log" >&2; die "apt-get install$missing failed (log: $log)"; }
