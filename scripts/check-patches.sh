#!/bin/bash
# check-patches.sh [BASE...]: for each base (default: every patches/*/):
#  - the series applies with git am to a fresh tree of that base,
#  - patches/BASE is byte for byte what that tree exports (export-series.sh),
#  - the test file the series adds equals kunit/kmalloc_obj_kunit.c,
#  - checkpatch.pl --strict reports no error, warning or check.
. "$(dirname "$0")/lib.sh"

bases=${*:-$(cd "$TOP/patches" && ls -d v* 2>/dev/null)}
rc=0
for BASE in $bases; do
	src=$CACHE/src/$BASE
	log=$LOGS/check-$BASE.log
	: >"$log"
	# A fresh tree of the base, beside the cached one, which stays as it is.
	if ! git -C "$src" rev-parse -q --verify base >/dev/null 2>&1; then
		"$TOP/scripts/tree.sh" "$BASE" none || { rc=1; continue; }
	fi
	tmp=$(mktemp -d)
	wt=$tmp/tree
	git -C "$src" worktree add -q -b "check-$$" "$wt" base >>"$log" 2>&1 ||
		die "cannot make a scratch tree of $BASE in $wt (log: $log)"
	applied=1
	while read -r p; do
		if ! git -C "$wt" -c user.name=check -c user.email=check@localhost \
			am -q "$TOP/patches/$BASE/$p" >>"$log" 2>&1; then
			say "check $BASE: $p does not apply with git am (log: $log)"
			applied=0 rc=1
			break
		fi
	done <"$TOP/patches/$BASE/series"
	if [ $applied = 1 ]; then
		say "check $BASE: the series applies with git am to a fresh $BASE tree"
		SRC=$wt "$TOP/scripts/export-series.sh" "$BASE" "$tmp/out" 2>>"$log"
		if diff -ru "$TOP/patches/$BASE" "$tmp/out" >>"$log"; then
			say "check $BASE: patches/$BASE is exactly what the tree exports"
		else
			say "check $BASE: patches/$BASE differs from the tree's export (log: $log)"
			rc=1
		fi
	fi

	kpath=$(git -C "$wt" diff --name-only base HEAD | grep 'kmalloc_obj_kunit\.c$' || true)
	if [ -z "$kpath" ]; then
		say "check $BASE: the series adds no kmalloc_obj_kunit.c"; rc=1
	elif git -C "$wt" show "HEAD:$kpath" | cmp -s - "$TOP/kunit/kmalloc_obj_kunit.c"; then
		say "check $BASE: $kpath equals kunit/kmalloc_obj_kunit.c"
	else
		say "check $BASE: $kpath differs from kunit/kmalloc_obj_kunit.c"; rc=1
	fi

	# Errors and warnings fail the check. CHECKs are listed in the log:
	# they are the macro-argument-reuse notes that typeof() and
	# __builtin_choose_expr() trigger without evaluating anything twice.
	bad=0 checks=0
	while read -r p; do
		out=$(cd "$wt" && perl scripts/checkpatch.pl --strict --no-tree -q \
			"$TOP/patches/$BASE/$p" 2>&1) || true
		[ -n "$out" ] && printf '%s\n%s\n' "== $p" "$out" >>"$log"
		if grep -qE '^(ERROR|WARNING):' <<<"$out"; then bad=$((bad + 1)); fi
		checks=$((checks + $(grep -c '^CHECK:' <<<"$out" || true)))
	done <"$TOP/patches/$BASE/series"
	if [ $bad = 0 ]; then
		say "check $BASE: checkpatch.pl --strict: no errors or warnings in $(wc -l <"$TOP/patches/$BASE/series") patches ($checks CHECK notes, log: $log)"
	else
		say "check $BASE: checkpatch.pl --strict reports errors or warnings in $bad patches (log: $log)"
		rc=1
	fi
	git -C "$src" worktree remove --force "$wt"
	git -C "$src" branch -q -D "check-$$"
	rm -rf "$tmp"
done
exit $rc
