#!/bin/bash
# boot.sh CELL RUN [--kargs ARGS] [--kmemleak] [--kselftest] KO...: boot the cell's
# kernel under QEMU (the machine of kunit.py's record of the arch) with an
# initramfs, packed by the kernel's own usr/gen_init_cpio (for Debian's
# kernels, the base tree's, built by debian-kernel.sh), whose init loads
# each KO with insmod between two marker lines and powers off. --kargs adds
# kernel arguments. --kmemleak (a kernel with DEBUG_KMEMLEAK): after the
# modules, wait until what they allocated is old enough to be reported,
# have kmemleak scan (kmemleak=on: the sanitizer kernels have it off by
# default, so that the runs that do not scan do not pay for it), copy what it lists to the log and say that the scan
# happened, all before the end marker. --kselftest (one KO): the guest
# does not insmod the module itself but runs the kselftest target
# (kselftest/kmalloc_obj.sh, with the base tree's kselftest/ktap_helpers.sh
# if it has one) with KMALLOC_OBJ_MODULE=KO, which loads it and reports
# each case; its output goes to the log as "kselftest: LINE" lines, then
# "kmalloc-obj-guest: kselftest exit N" and whether the module is still
# loaded ("kselftest unloaded NAME" or "kselftest left NAME loaded";
# judge.py kselftest reads them), before the end marker. The guest is killed after
# KMO_TIMEOUT seconds (default 300).
# Prints the console file, $CELL_LOGS/RUN.console; the verdict is the
# judge's.
. "$(dirname "$0")/lib.sh"

usage="usage: boot.sh CELL RUN [--kargs ARGS] [--kmemleak] [--kselftest] KO..."
resolve_cell "${1:?$usage}"
RUN=${2:?$usage}
shift 2
kargs='' kmemleak=0 kselftest=0
while [ $# -gt 0 ]; do
	case $1 in
	--kargs)	kargs=${2:?$usage}; shift 2 ;;
	--kmemleak)	kmemleak=1; shift ;;
	--kselftest)	kselftest=1; shift ;;
	-*)		die "boot.sh: unknown option $1 ($usage)" ;;
	*)		break ;;
	esac
done
[ $# -gt 0 ] || die "boot.sh: no module given ($usage)"
[ $kselftest = 0 ] || [ $# = 1 ] || die "boot.sh --kselftest: one module, not $#"
built_kernel
[ $kmemleak = 0 ] || grep -qx 'CONFIG_DEBUG_KMEMLEAK=y' "$BDIR/.config" ||
	die "boot.sh --kmemleak: the kernel of $CELL has no DEBUG_KMEMLEAK"
[ $kmemleak = 0 ] || kargs="${kargs:+$kargs }kmemleak=on"
timeout=${KMO_TIMEOUT:-300}
console=$CELL_LOGS/$RUN.console
work=$CACHE/initramfs/$CELL_ID-$RUN
[ -x "$BUSYBOX" ] || die "no busybox for $ARCH at $BUSYBOX: run scripts/toolchain.sh"
[ -x "$GEN_INIT_CPIO" ] || die "$GEN_INIT_CPIO missing: is the kernel of $CELL built?"
for ko; do [ -f "$ko" ] || die "module $ko not found"; done
command -v "${QEMU[0]}" >/dev/null || die "${QEMU[0]} missing: run scripts/host-deps.sh"

# The name the kselftest run's module loads under, for the guest's check
# that the target unloaded it: read here (kmod's modinfo), not by the
# guest's busybox, which would scan the whole file under TCG.
modname=''
if [ $kselftest = 1 ]; then
	modname=$(PATH=$PATH:/usr/sbin:/sbin modinfo -F name "$1" 2>/dev/null) && [ -n "$modname" ] ||
		die "cannot read the module name of $1 (modinfo -F name)"
fi

rm -rf "$work" && mkdir -p "$work/modules"
{
	echo '#!/bin/sh'
	echo "kmemleak=$kmemleak kselftest=$kselftest modname=$modname"
	cat <<'INIT'
# The markers go through /dev/kmsg, into the same log as the module's
# KTAP lines: written to the console directly they can overtake KTAP lines
# that the kernel has logged but not yet printed.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
echo "kmalloc-obj-guest: begin" >/dev/kmsg
if [ $kselftest = 1 ]; then
	# The target's script runs busybox's applets by name.
	/bin/busybox --install -s /bin
	m=$(echo /modules/*.ko)
	KMALLOC_OBJ_MODULE=$m /bin/sh /kselftest/kmalloc_obj/kmalloc_obj.sh >/kselftest.out 2>&1
	rc=$?
	while IFS= read -r l; do
		echo "kselftest: $l" >/dev/kmsg
	done </kselftest.out
	echo "kmalloc-obj-guest: kselftest exit $rc" >/dev/kmsg
	# The target unloads what it loaded.
	if [ ! -d "/sys/module/$modname" ]; then
		echo "kmalloc-obj-guest: kselftest unloaded $modname" >/dev/kmsg
	else
		echo "kmalloc-obj-guest: kselftest left $modname loaded" >/dev/kmsg
	fi
else
	for m in /modules/*.ko; do
		/bin/busybox insmod "$m" ||
			echo "kmalloc-obj-guest: insmod failed: $m" >/dev/kmsg
	done
fi
if [ $kmemleak = 1 ]; then
	# kmemleak reports an object only if it is older than 5 s and its
	# contents are those the previous scan saw (the first scan sees every
	# object for the first time): two scans. A leak makes a scan print
	# "N new suspected memory leaks"; the list has the objects'
	# allocation back traces. A scan that cannot run (kmemleak disabled
	# itself: no memory for its metadata) fails the write.
	k=/sys/kernel/debug/kmemleak
	/bin/busybox sleep 6
	if /bin/busybox mount -t debugfs debugfs /sys/kernel/debug &&
		echo scan >$k && echo scan >$k; then
		/bin/busybox cat $k | while IFS= read -r l; do
			echo "$l" >/dev/kmsg
		done
		echo "kmalloc-obj-guest: kmemleak scanned" >/dev/kmsg
	else
		echo "kmalloc-obj-guest: kmemleak scan failed" >/dev/kmsg
	fi
fi
echo "kmalloc-obj-guest: end" >/dev/kmsg
/bin/busybox reboot -f
INIT
} >"$work/init"
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
	if [ $kselftest = 1 ]; then
		# Copies: gen_init_cpio may run in a root that sees $CACHE only.
		echo "dir /kselftest 0755 0 0"
		echo "dir /kselftest/kmalloc_obj 0755 0 0"
		cp "$TOP/kselftest/kmalloc_obj.sh" "$work/kmalloc_obj.sh"
		echo "file /kselftest/kmalloc_obj/kmalloc_obj.sh $work/kmalloc_obj.sh 0755 0 0"
		if [ -f "$SRC/tools/testing/selftests/kselftest/ktap_helpers.sh" ]; then
			cp "$SRC/tools/testing/selftests/kselftest/ktap_helpers.sh" "$work/ktap_helpers.sh"
			echo "dir /kselftest/kselftest 0755 0 0"
			echo "file /kselftest/kselftest/ktap_helpers.sh $work/ktap_helpers.sh 0644 0 0"
		fi
	fi
	i=0
	for ko; do
		i=$((i + 1))
		cp "$ko" "$work/modules/$i-$(basename "$ko")"
		echo "file /modules/$i-$(basename "$ko") $work/modules/$i-$(basename "$ko") 0644 0 0"
	done
} >"$work/list"
$RUNNER "$GEN_INIT_CPIO" "$work/list" >"$work/initramfs.cpio" ||
	die "gen_init_cpio failed for $work/list"

leaks=; [ $kmemleak = 0 ] || leaks=", then a kmemleak scan"
[ $kselftest = 0 ] || leaks=" through the kselftest target$leaks"
say "boot $CELL $RUN${kargs:+ ($kargs)}$leaks (console: $console)"
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
