#!/bin/bash
# boot.sh BASE ARCH CC RUN KO...: boot the cell's kernel under QEMU with an
# initramfs (packed by the kernel's own usr/gen_init_cpio) whose init loads
# each KO with insmod between two marker lines and powers off. Extra kernel
# arguments come from KARGS; the guest is killed after TIMEOUT seconds.
# The console goes to $LOGS/RUN.console; the verdict is verdict.py's job.
. "$(dirname "$0")/lib.sh"

BASE=${1:?usage: boot.sh BASE ARCH CC RUN KO...} ARCH=${2:?} CC=${3:?} RUN=${4:?}
shift 4
[ $# -gt 0 ] || die "boot.sh: no module given"
cell_toolchain "$ARCH" "$CC"
bdir=$(build_dir "$BASE" "$ARCH" "$CC")
TIMEOUT=${TIMEOUT:-300}
console=$LOGS/$RUN.console
work=$CACHE/initramfs/$RUN
bb=$CACHE/busybox/$ARCH/usr/bin/busybox
[ -x "$bb" ] || die "no busybox for $ARCH at $bb: run scripts/toolchain.sh"
[ -x "$bdir/usr/gen_init_cpio" ] || die "$bdir/usr/gen_init_cpio missing: is the kernel of $BASE/$ARCH/$CC built?"
for ko; do [ -f "$ko" ] || die "module $ko not found"; done

case $ARCH in
x86_64)	qemu=(qemu-system-x86_64 -bios qboot.rom)
	kernel=$bdir/arch/x86/boot/bzImage tty=ttyS0 ;;
arm64)	qemu=(qemu-system-aarch64 -machine virt -cpu cortex-a57)
	kernel=$bdir/arch/arm64/boot/Image.gz tty=ttyAMA0 ;;
esac
[ -f "$kernel" ] || die "kernel image $kernel missing: run scripts/build.sh $BASE $ARCH $CC"
command -v "${qemu[0]}" >/dev/null || die "${qemu[0]} missing: run scripts/host-deps.sh"

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
	echo "file /bin/busybox $bb 0755 0 0"
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
$RUNNER "$bdir/usr/gen_init_cpio" "$work/list" >"$work/initramfs.cpio" ||
	die "gen_init_cpio failed for $work/list"

say "boot $RUN: $ARCH ${KARGS:+($KARGS) }(console: $console)"
rc=0
timeout "$TIMEOUT" "${qemu[@]}" -nodefaults -m 1024 -nographic -no-reboot \
	-serial stdio -kernel "$kernel" -initrd "$work/initramfs.cpio" \
	-append "console=$tty panic=-1 ${KARGS:-}" </dev/null >"$console" 2>&1 || rc=$?
if [ $rc = 124 ]; then
	echo "QEMU timed out after ${TIMEOUT}s" >>"$console"
	say "boot $RUN: QEMU timed out after ${TIMEOUT}s (console: $console)"
fi
exit 0
