#!/bin/bash
# check-patches.sh [BASE...]: for each base (default: every patches/*/):
#  - the series applies with git am to a fresh tree of that base,
#  - patches/BASE is byte for byte what that tree exports (export-series.sh),
#  - each test file the series adds equals its copy here (kunit/,
#    kselftest/: lib.sh carried_files),
#  - checkpatch.pl --strict reports no error or warning;
# and, with the last base's checkpatch.pl and kernel-doc, that the compat
# header (include/kmalloc_obj.h) has no checkpatch error or warning and
# no kernel-doc warning.
# The cached tree serves as the fresh tree when tree.sh left it exactly as
# it applied this very series with git am on a clean checkout of base (its
# .git/kobj-am says so; an export of commits made by hand does not count);
# otherwise a scratch worktree of base is made and the series applied to it
# with git am, and the cached tree stays as it is.
. "$(dirname "$0")/lib.sh"

bases=${*:-$(cd "$TOP/patches" && ls -d v* 2>/dev/null)}
rc=0
for b in $bases; do
	resolve_base "$b"
	log=$LOGS/check-$BASE.log
	: >"$log"
	if ! git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1; then
		"$TOP/scripts/tree.sh" "$BASE" none || { rc=1; continue; }
	fi
	base_lock shared
	tmp=$(mktemp -d)
	if applied_by_am "$SRC" "$(series_hash "$SERIES")"; then
		wt=$SRC applied=1 scratch=
		say "check $BASE: the series applies with git am to a fresh $BASE tree (tree.sh applied it to $SRC)"
	else
		wt=$tmp/tree applied=1 scratch=1
		git -C "$SRC" worktree add -q -b "check-$$" "$wt" base >>"$log" 2>&1 ||
			die "cannot make a scratch tree of $BASE in $wt (log: $log)"
		while read -r p; do
			if ! git -C "$wt" -c user.name=check -c user.email=check@localhost \
				am -q "$SERIES/$p" >>"$log" 2>&1; then
				say "check $BASE: $p does not apply with git am (log: $log)"
				applied=0 rc=1
				break
			fi
		done <"$SERIES/series"
		[ $applied = 1 ] && say "check $BASE: the series applies with git am to a fresh $BASE tree"
	fi
	if [ $applied = 1 ]; then
		"$TOP/scripts/export-series.sh" "$BASE" "$tmp/out" --src "$wt" 2>>"$log"
		if diff -ru "$SERIES" "$tmp/out" >>"$log"; then
			say "check $BASE: patches/$BASE is exactly what the tree exports"
		else
			say "check $BASE: patches/$BASE differs from the tree's export (log: $log)"
			rc=1
		fi
	fi

	while read -r f t; do
		if ! git -C "$wt" diff --name-only base HEAD | grep -qx "$t"; then
			say "check $BASE: the series does not add $t ($f)"; rc=1
		elif git -C "$wt" show "HEAD:$t" | cmp -s - "$TOP/$f"; then
			say "check $BASE: $t equals $f"
		else
			say "check $BASE: $t differs from $f (scripts/sync-suite.sh puts it into the series)"; rc=1
		fi
	done < <(carried_files)

	# Errors and warnings fail the check. CHECKs are listed in the log:
	# they are the macro-argument-reuse notes that typeof() and
	# __builtin_choose_expr() trigger without evaluating anything twice.
	bad=0 checks=0
	while read -r p; do
		# The trees come from Debian's source packages, without mainline's
		# history, so checkpatch cannot look up the commits that Fixes:
		# and "commit <sha> upstream." name; they were checked against
		# mainline's log when written.
		out=$(cd "$wt" && perl scripts/checkpatch.pl --strict --no-tree -q \
			--ignore UNKNOWN_COMMIT_ID "$SERIES/$p" 2>&1) || true
		[ -n "$out" ] && printf '%s\n%s\n' "== $p" "$out" >>"$log"
		if grep -qE '^(ERROR|WARNING):' <<<"$out"; then bad=$((bad + 1)); fi
		checks=$((checks + $(grep -c '^CHECK:' <<<"$out" || true)))
	done <"$SERIES/series"
	if [ $bad = 0 ]; then
		say "check $BASE: checkpatch.pl --strict: no errors or warnings in $(wc -l <"$SERIES/series") patches ($checks CHECK notes, log: $log)"
	else
		say "check $BASE: checkpatch.pl --strict reports errors or warnings in $bad patches (log: $log)"
		rc=1
	fi
	if [ -n "$scratch" ]; then
		git -C "$SRC" worktree remove --force "$wt"
		git -C "$SRC" branch -q -D "check-$$"
	fi
	rm -rf "$tmp"
	base_unlock
done

header=$TOP/include/kmalloc_obj.h
log=$LOGS/check-compat-header.log
base_lock shared
# checkpatch exits 1 when it reports anything; what it prints decides. A
# tree that is not there is no check at all.
[ -f "$SRC/scripts/checkpatch.pl" ] && [ -f "$SRC/scripts/kernel-doc" ] ||
	die "check compat header: no tree of $BASE at $SRC to take checkpatch.pl and kernel-doc from (scripts/tree.sh $BASE)"
out=$(cd "$SRC" && perl scripts/checkpatch.pl --strict --no-tree -q -f "$header" 2>&1) || true
printf '%s\n' "$out" >"$log"
if grep -qE '^(ERROR|WARNING):' <<<"$out"; then
	say "check compat header: checkpatch.pl --strict ($BASE's) reports errors or warnings (log: $log)"
	rc=1
else
	say "check compat header: checkpatch.pl --strict ($BASE's): no errors or warnings ($(grep -c '^CHECK:' <<<"$out" || true) CHECK notes, log: $log)"
fi
# kernel-doc -none exits 0 whatever it found: its words are the verdict.
kdoc=$(cd "$SRC" && ./scripts/kernel-doc -none -Wall "$header" 2>&1) || true
printf '%s\n' "$kdoc" >>"$log"
if [ -n "$kdoc" ]; then
	say "check compat header: kernel-doc warns: $(head -n 1 <<<"$kdoc") (log: $log)"
	rc=1
else
	say "check compat header: kernel-doc: no warnings"
fi
base_unlock
exit $rc
