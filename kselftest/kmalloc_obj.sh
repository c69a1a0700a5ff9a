#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the suites of the kmalloc_obj() family of allocation helpers and
# report each of their cases as one kselftest KTAP result, named
# SUITE.CASE. The suites run when their module is loaded, and print their
# results to the kernel log as KTAP; they are read back from there:
#
#  - on a kernel with KUnit, the in-tree modules kmalloc_obj_kunit and
#    kmalloc_obj_devm_kunit (CONFIG_KMALLOC_OBJ_KUNIT_TEST=m, see config);
#  - on a kernel without KUnit, a module of the same suites built to print
#    KTAP without KUnit (an out-of-tree build), given as
#    KMALLOC_OBJ_MODULE=/path/to/module.ko or found next to this script
#    as kmalloc_obj_test.ko.
#
# KMALLOC_OBJ_MODULE names the one module to load, whichever it is; a
# module that is loaded already is not run again (skip). The modules are
# unloaded afterwards. A kernel report while a case runs (KASAN, UBSAN,
# a WARN) fails the case under KUnit where the report tells KUnit, and
# never in the standalone mode: read the kernel log too.
# Exit status: 0 if every case passed or skipped, 1 if one failed or a
# result is missing, 4 (skip) if no module can be loaded.

DIR=$(dirname "$(readlink -f "$0")")
if [ -f "$DIR/../kselftest/ktap_helpers.sh" ]; then
	. "$DIR/../kselftest/ktap_helpers.sh"
else
	# Trees before 6.9 have no ktap_helpers.sh: the few of its helpers
	# used here.
	KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4 KTAP_TESTNO=1
	KTAP_CNT_PASS=0 KTAP_CNT_FAIL=0 KTAP_CNT_SKIP=0 KSFT_NUM_TESTS=0
	ktap_print_header() { echo "TAP version 13"; }
	ktap_print_msg() { echo "#" "$@"; }
	ktap_set_plan() { KSFT_NUM_TESTS=$1; echo "1..$1"; }
	ktap_skip_all() { echo "1..0 # SKIP" "$@"; }
	ktap_exit_fail_msg() { echo "Bail out!" "$@"; exit "$KSFT_FAIL"; }
	ktap_test_pass() {
		echo "ok $KTAP_TESTNO $1"
		KTAP_TESTNO=$((KTAP_TESTNO + 1)) KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
	}
	ktap_test_skip() {
		echo "ok $KTAP_TESTNO $1 # SKIP"
		KTAP_TESTNO=$((KTAP_TESTNO + 1)) KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
	}
	ktap_test_fail() {
		echo "not ok $KTAP_TESTNO $1"
		KTAP_TESTNO=$((KTAP_TESTNO + 1)) KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
	}
	ktap_finished() {
		echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0" \
			"xpass:0 skip:$KTAP_CNT_SKIP error:0"
		[ $((KTAP_CNT_PASS + KTAP_CNT_SKIP)) -eq "$KSFT_NUM_TESTS" ] && exit "$KSFT_PASS"
		exit "$KSFT_FAIL"
	}
fi

skip_all() {
	ktap_print_header
	ktap_skip_all "$@"
	exit "$KSFT_SKIP"
}

[ "$(id -u)" = 0 ] || skip_all "loading modules needs root"
# KUnit may be a module of its own (CONFIG_KUNIT=m).
modprobe kunit 2>/dev/null
kunit=
[ -d /sys/module/kunit ] && kunit=1

# modname FILE: the name a module file loads under: modinfo's, else the
# name= entry of its .modinfo section (busybox's modinfo answers nothing
# without /lib/modules/$(uname -r)/modules.dep, which an initramfs may
# lack), else the file's name.
modname() {
	n=$(modinfo -F name "$1" 2>/dev/null)
	[ -n "$n" ] || n=$(tr '\0' '\n' <"$1" 2>/dev/null | sed -n 's/^name=//p' | head -n 1)
	[ -n "$n" ] || n=$(basename "$1" | sed 's/\.ko.*//')
	echo "$n" | tr - _
}

# What to load: one module file (insmod), or the in-tree modules.
file= names=
if [ -n "$KMALLOC_OBJ_MODULE" ]; then
	file=$KMALLOC_OBJ_MODULE
	[ -f "$file" ] || skip_all "KMALLOC_OBJ_MODULE=$file: no such file"
elif [ -f "$DIR/kmalloc_obj_test.ko" ]; then
	file=$DIR/kmalloc_obj_test.ko
elif [ -n "$kunit" ] && modinfo kmalloc_obj_kunit >/dev/null 2>&1; then
	names="kmalloc_obj_kunit kmalloc_obj_devm_kunit"
else
	skip_all "no kmalloc_obj test module: CONFIG_KMALLOC_OBJ_KUNIT_TEST=m" \
		"(with KUnit), or KMALLOC_OBJ_MODULE=<the suites built to run without KUnit>"
fi
if [ -n "$file" ]; then
	names=$(modname "$file")
	# A KUnit module needs KUnit; the standalone one lists its suites in
	# a section of its own, whose name is in the file (unless compressed).
	case $file in
	*.ko)
		[ -n "$kunit" ] || grep -q kmo_ktap_suites "$file" ||
			skip_all "$file is a KUnit module and this kernel has no KUnit"
		;;
	esac
fi
# The suites run when their module loads: not again if it is loaded.
for n in $names; do
	[ ! -d "/sys/module/$n" ] || skip_all "$n is loaded already: its suites ran then (rmmod $n)"
done

# The kernel log after a mark of our own holds the suites' KTAP.
mark="kmalloc_obj selftest: loading, $$ $(date +%s)"
echo "$mark" >/dev/kmsg || skip_all "cannot write to /dev/kmsg"
if [ -n "$file" ]; then
	insmod "$file"
else
	# shellcheck disable=SC2086
	modprobe -a $names
fi || { ktap_print_header; ktap_exit_fail_msg "loading $names failed"; }

# From the KTAP after the mark (printk's time stamp cut off), one line each:
#   plan N                a suite's plan,
#   case SUITE.CASE ST    a case's result (ST: ok, not ok, skip),
#   suite SUITE ST SEEN   a suite's own result (SEEN: 1 if its cases were),
#   suites N              a top-level plan (KUnit prints none before 6.6).
results=$(dmesg | sed 's/^\[[^]]*\] \{0,1\}//; s/^\[ *[TC][0-9]*\] \{0,1\}//' |
	awk -v mark="$mark" '
	function st(bad) { return bad ? "not ok" : (/ # SKIP/ ? "skip" : "ok") }
	$0 == mark { on = 1; suite = ""; delete seen; next }
	!on { next }
	/^    # Subtest: / { suite = $3; seen[suite] = 1; next }
	/^    1\.\.[0-9]+$/ && suite != "" { sub(/^    1\.\./, ""); print "plan", $0; next }
	/^    (not )?ok [0-9]+ / && suite != "" {
		bad = ($1 == "not")
		print "case", suite "." (bad ? $4 : $3), st(bad)
		next
	}
	/^1\.\.[0-9]+$/ { sub(/^1\.\./, ""); print "suites", $0; next }
	/^(not )?ok [0-9]+ / {
		bad = ($1 == "not")
		name = bad ? $4 : $3
		known = (name in seen) ? 1 : 0
		print "suite", name, st(bad), known
	}')
for n in $names; do
	rmmod "$n" 2>/dev/null || modprobe -r "$n" 2>/dev/null
done

total() { echo "$results" | awk -v k="$1" '$1 == k { n += $2 } END { print n + 0 }'; }
cases=$(total plan)
suites=$(total suites)
ended=$(echo "$results" | grep -c '^suite ')
# A suite that printed no cases (its init failed, say) is one failure.
unseen=$(echo "$results" | grep -c '^suite .* 0$')
missing=0
[ "$suites" -gt "$ended" ] && missing=$((suites - ended))
planned=$((cases + unseen + missing))
if [ "$planned" = 0 ]; then
	ktap_print_header
	ktap_exit_fail_msg "no suite's KTAP in the kernel log after loading"
fi
ktap_print_header
ktap_set_plan "$planned"
seen=0
while read -r kind name status; do
	case $kind in
	case) seen=$((seen + 1)) ;;
	suite) [ "${status##* }" = 0 ] || continue; status="not ok" ;;
	*) continue ;;
	esac
	case $status in
	ok) ktap_test_pass "$name" ;;
	skip) ktap_test_skip "$name" ;;
	*) ktap_test_fail "$name" ;;
	esac
done <<RESULTS
$results
RESULTS
while [ "$seen" -lt "$cases" ]; do
	seen=$((seen + 1))
	ktap_test_fail "kmalloc_obj.missing_result_$seen"
done
while [ "$missing" -gt 0 ]; do
	ktap_test_fail "kmalloc_obj.missing_suite_$missing"
	missing=$((missing - 1))
done
ktap_finished
