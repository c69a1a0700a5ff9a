#!/bin/bash
# boot.sh CELL RUN [--kargs ARGS] KO...: boot the cell's kernel under QEMU
# (the machine of kunit.py's record of the arch) with an initramfs, packed
# by the kernel's own usr/gen_init_cpio, whose init loads each KO with
# insmod between two marker lines and powers off. --kargs adds kernel
# arguments; the guest is killed after KMO_TIMEOUT seconds (default 300).
# Prints the console file, $CELL_LOGS/RUN.console; the verdict is the
# judge's.
. "$(dirname "$0")/lib.sh"

usage="usage: boot.sh CELL RUN [--kargs ARGS] KO..."
resolve_cell "${1:?$usage}"
RUN=${2:?$usage}
shift 2
kargs=
if [ "${1:-}" = --kargs ]; then kargs=$2; shift 2; fi
[ $# -gt 0 ] || die "boot.sh: no module given ($usage)"
built_kernel
timeout=${KMO_TIMEOUT:-300}
console=$CELL_LOGS/$RUN.console
work=$CACHE/initramfs/$CELL_ID-$RUN
[ -x "$BUSYBOX" ] || die "no busybox for $ARCH at $BUSYBOX: run scripts/toolchain.sh"
[ -x "$BDIR/usr/gen_init_cpio" ] || die "$BDIR/usr/gen_init_cpio missing: is the kernel of $CELL built?"
for ko; do [ -f "$ko" ] || die "module $ko not found"; done
command -v "${QEMU[0]}" >/dev/null || die "${QEMU[0]} missing: run scripts/host-deps.sh"

rm -rf "$work" && mkdir -p "$work/modules"
cat >"$work/init" <<'INIT'
#!/bin/sh
# The markers go through /dev/kmsg, into the same log as the module's
# KTAP lines: written to the console directly they can overtake KTAP lines
# that the kernel has logged but not yet printed.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
echo "kmalloc-obj-guest: begin" >/dev/kmsg
for m in /modules/*.ko; do
	/bin/busybox insmod "$m" ||
		echo "kmalloc-obj-guest: insmod failed: $m" >/dev/kmsg
done
echo "kmalloc-obj-guest: end" >/dev/kmsg
/bin/busybox reboot -f
INIT
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/kmsg 0644 0 0 c 1 11"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "dir /bin 0755 0 0"
	echo "file /bin/busybox $BUSYBOX 0755 0 0"
	echo "slink /bin/sh busybox 0777 0 0"
	echo "file /init $work/init 0755 0 0"
	echo "dir /modules 0755 0 0"
	i=0
	for ko; do
		i=$((i + 1))
		cp "$ko" "$work/modules/$i-$(basename "$ko")"
		echo "file /modules/$i-$(basename "$ko") $work/modules/$i-$(basename "$ko") 0644 0 0"
	done
} >"$work/list"
$RUNNER "$BDIR/usr/gen_init_cpio" "$work/list" >"$work/initramfs.cpio" ||
	die "gen_init_cpio failed for $work/list"

say "boot $CELL $RUN${kargs:+ ($kargs)} (console: $console)"
rc=0
# oops=panic: a test thread that oopses would leave insmod waiting for
# KUnit's own timeout (300 s); panicking ends the guest at once instead,
# and the verdict fails on the Oops and the panic.
run_group no_kvm timeout "$timeout" "${QEMU[@]}" -nodefaults -m 1024 -nographic -no-reboot \
	-serial stdio -kernel "$IMAGE" -initrd "$work/initramfs.cpio" \
	-append "$KERNEL_CMDLINE oops=panic panic=-1 $kargs" </dev/null >"$console" 2>&1 || rc=$?
if [ $rc = 124 ]; then
	echo "QEMU timed out after ${timeout}s" >>"$console"
	say "boot $CELL $RUN: QEMU timed out after ${timeout}s (console: $console)"
fi
echo "$console"
