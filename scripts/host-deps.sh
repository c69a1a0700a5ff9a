#!/bin/bash
# host-deps.sh: install what the host needs: QEMU for every guest arch, the
# host's compilers, debootstrap, the kernel build dependencies and the
# Debian kernel source packages of the bases that bookworm has (all listed
# by cells.toml). Idempotent.
. "$(dirname "$0")/lib.sh"

pkgs=$(cellpy host-packages) || exit 2
# shellcheck disable=SC2086
missing=$(missing_packages $pkgs)
[ -z "$missing" ] && exit 0
need_root "installing$missing"
log=$LOGS/host-deps.log
say "installing on the host:$missing (log: $log)"
{
	apt-get update &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
} >"$log" 2>&1 || { tail -n 25 "$log" >&2; die "apt-get install$missing failed (log: $log)"; }
