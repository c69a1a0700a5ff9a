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
# KMALLOC_OBJ_MODULE names the one module to load, whichever it is.
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
kunit=
[ -d /sys/module/kunit ] && kunit=1

# What to load: "insmod FILE" or "modprobe NAME...".
if [ -n "$KMALLOC_OBJ_MODULE" ]; then
	[ -f "$KMALLOC_OBJ_MODULE" ] ||
		skip_all "KMALLOC_OBJ_MODULE=$KMALLOC_OBJ_MODULE: no such file"
	load="insmod $KMALLOC_OBJ_MODULE"
elif [ -n "$kunit" ] && modprobe -n kmalloc_obj_kunit 2>/dev/null; then
	load="modprobe -a kmalloc_obj_kunit kmalloc_obj_devm_kunit"
elif [ -f "$DIR/kmalloc_obj_test.ko" ]; then
	load="insmod $DIR/kmalloc_obj_test.ko"
else
	skip_all "no kmalloc_obj test module: CONFIG_KMALLOC_OBJ_KUNIT_TEST=m" \
		"(with KUnit), or KMALLOC_OBJ_MODULE=<the suites built to run without KUnit>"
fi
# A KUnit module needs KUnit; the standalone one lists its suites in a
# section of its own (its name is in the file).
file=${load#insmod }
if [ "$file" != "$load" ] && [ -z "$kunit" ] && ! grep -q kmo_ktap_suites "$file"; then
	skip_all "$file is a KUnit module and this kernel has no KUnit"
fi

# The kernel log after a mark of our own holds the suites' KTAP.
mark="kmalloc_obj selftest: loading, $$ $(date +%s)"
echo "$mark" >/dev/kmsg || skip_all "cannot write to /dev/kmsg"
if ! $load; then
	ktap_print_header
	ktap_exit_fail_msg "$load failed"
fi

# One line per case, "SUITE.CASE ok|not ok|skip", and one "plan N" per
# suite, from the KTAP after the mark (printk's time stamp cut off).
results=$(dmesg | sed 's/^\[[^]]*\] \{0,1\}//; s/^\[ *[TC][0-9]*\] \{0,1\}//' |
	awk -v mark="$mark" '
	$0 == mark { on = 1; suite = ""; next }
	!on { next }
	/^    # Subtest: / { suite = $3; next }
	/^    1\.\.[0-9]+$/ && suite != "" { sub(/^    1\.\./, ""); print "plan", $0; next }
	/^    (not )?ok [0-9]+ / && suite != "" {
		bad = ($1 == "not")
		name = bad ? $4 : $3
		status = bad ? "not ok" : (/ # SKIP/ ? "skip" : "ok")
		print suite "." name, status
	}')

planned=0
for n in $(echo "$results" | awk '$1 == "plan" { print $2 }'); do
	planned=$((planned + n))
done
if [ "$planned" = 0 ]; then
	ktap_print_header
	ktap_exit_fail_msg "no suite's KTAP in the kernel log after loading"
fi
ktap_print_header
ktap_set_plan "$planned"
seen=0
while read -r name status; do
	[ -n "$name" ] || continue
	seen=$((seen + 1))
	case $status in
	ok) ktap_test_pass "$name" ;;
	skip) ktap_test_skip "$name" ;;
	*) ktap_test_fail "$name" ;;
	esac
done <<RESULTS
$(echo "$results" | grep -v '^plan ')
RESULTS
while [ "$seen" -lt "$planned" ]; do
	seen=$((seen + 1))
	ktap_test_fail "kmalloc_obj.missing_result_$seen"
done
ktap_finished
