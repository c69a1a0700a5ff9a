#!/bin/bash
# cocci.sh [BASE...]: show that the series' Coccinelle rules for the devm_
# helpers (scripts/coccinelle/api/devm_kmalloc_objs.cocci, in every series)
# convert a real driver directory (COCCI_DIR, default drivers/gpio: the
# most devm_kzalloc(dev, sizeof(*p)) calls of the small directories) into
# code that builds with no new warning. For each base (default: all), in a
# scratch checkout of the patched tree, every .c file the rules change is
# compiled as an object before and after the conversion, in an
# allmodconfig x86_64 build with gcc-15 (WERROR off, -k: a file that does
# not build in that configuration before the conversion is counted, not
# fatal). After it, each of those files must build, with no warning it did
# not have before -- or be refused as the helpers document: a file whose
# only errors are the devm_ helpers' refusal of a type aligned beyond
# ARCH_KMALLOC_MINALIGN (which devm_kzalloc() misaligns as well) is
# counted as refused, its whole conversion reverted (the calls converted
# still count them), and it must then build as before. spatch runs with
# no options besides -I include: the rule file's "Options:" line (all
# headers parsed for types) is left out, which is quicker and converts
# the .c files only. Prints one line per base, writes the table to $LOGS/cocci.md,
# the conversion to $LOGS/cocci/BASE.diff and the refusals to
# $LOGS/cocci/BASE.refused.
. "$(dirname "$0")/lib.sh"

take_lock
dir=${COCCI_DIR:-drivers/gpio}
bases=$*
[ -n "$bases" ] || bases=$(cellpy bases) || exit 2
missing=$(missing_packages coccinelle)
if [ -n "$missing" ]; then
	say "installing $missing"
	apt-get install -y $missing >"$LOGS/cocci-apt.log" 2>&1 ||
		die "cannot install $missing (log: $LOGS/cocci-apt.log)"
fi
rules=scripts/coccinelle/api/devm_kmalloc_objs.cocci
table=$LOGS/cocci.md
mkdir -p "$LOGS/cocci"
{
	echo "Coccinelle: $rules on $dir ($(spatch --version | head -n 1 | cut -d' ' -f1-3)),"
	echo "allmodconfig, x86_64, gcc-15, $(date -u '+%F %T UTC'), commit $(git -C "$TOP" rev-parse --short HEAD)"
	echo
	echo "| base | calls converted | files changed | built before | built after | refused (reverted) | new warnings |"
	echo "|---|---|---|---|---|---|---|"
} >"$table"

rc=0
for b in $bases; do
	resolve_cell "$b/x86_64/gcc-15"
	wt=$CACHE/cocci/$BASE/src
	bdir=$CACHE/cocci/$BASE/build
	out=$LOGS/cocci/$BASE
	log=$out.log
	: >"$log"
	[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
	say "cocci $BASE: $rules on $dir (log: $log)"
	base_lock shared
	head=$(git -C "$SRC" rev-parse HEAD)
	git -C "$SRC" show "$head:$rules" >/dev/null 2>&1 ||
		die "the $BASE series has no $rules"
	# A scratch checkout of the series' head, kept in the cache.
	if ! { [ -e "$wt/.git" ] && git -C "$wt" checkout -q -f --detach "$head" >>"$log" 2>&1; }; then
		rm -rf "$wt" && mkdir -p "$(dirname "$wt")"
		git -C "$SRC" worktree prune
		git -C "$SRC" worktree add -q --detach "$wt" "$head" >>"$log" 2>&1 ||
			die "cannot check out $SRC into $wt (log: $log)"
	fi
	base_unlock
	git -C "$wt" clean -q -fd -- "$dir"

	spatch --sp-file "$wt/$rules" -D patch --dir "$wt/$dir" --in-place \
		-I "$wt/include" --jobs "$JOBS" >>"$log" 2>&1 || die "spatch failed (log: $log)"
	git -C "$wt" diff -- "$dir" >"$out.diff"
	files=$(git -C "$wt" diff --name-only -- "$dir" | grep '\.c$' || true)
	[ -n "$files" ] || die "the rules change nothing in $dir of $BASE (log: $log)"
	calls=$(grep -cE '^\+.*\bdevm_k[mz]alloc_(obj|objs|flex)\(' "$out.diff" || true)
	nfiles=$(echo "$files" | wc -l)
	objs=$(for f in $files; do echo "${f%.c}.o"; done)

	# Before: the same files, unconverted.
	git -C "$wt" checkout -q -- "$dir"
	prepare_no_werror "$wt" "$bdir" allmodconfig "$log"
	(cd "$bdir" && rm -f $objs)
	# shellcheck disable=SC2086
	run_group $RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" -k -j"$JOBS" $objs >"$out.before.log" 2>&1 || true
	before=$(for o in $objs; do [ ! -f "$bdir/$o" ] || echo "$o"; done)
	[ -n "$before" ] || die "none of the $nfiles files the rules change builds in allmodconfig before the conversion (log: $out.before.log)"
	# After: converted; only what built before counts.
	git -C "$wt" apply "$out.diff" || die "cannot apply $out.diff to $wt"
	(cd "$bdir" && rm -f $objs)
	# shellcheck disable=SC2086
	run_group $RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" -k -j"$JOBS" $before >"$out.after.log" 2>&1 || true
	after=$(for o in $before; do [ ! -f "$bdir/$o" ] || echo "$o"; done)
	failed=$(comm -23 <(echo "$before" | sort) <(echo "$after" | sort))
	# A file the helpers refuse: compiled alone, its only errors are the
	# refusal. Its conversion is reverted, and it must build again.
	broken= refused=
	: >"$out.refused"
	for o in $failed; do
		$RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" "$o" >"$out.one.log" 2>&1 || true
		errs=$(grep -E '(error|Error):' "$out.one.log" | grep -v '^make' || true)
		if [ -n "$errs" ] && ! grep -qvE 'error: static assertion failed.*devm_ allocation: devres aligns its data' <<<"$errs"; then
			refused="$refused $o"
			grep -E 'note: in expansion of macro .{1,3}devm_k[mz]alloc_' "$out.one.log" |
				grep -oE '[^ /]+\.c:[0-9]+' | sort -u >>"$out.refused" || true
			git -C "$wt" checkout -q -- "${o%.o}.c"
			$RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" "$o" >>"$out.after.log" 2>&1 ||
				broken="$broken $o"
		else
			broken="$broken $o"
		fi
	done
	nrefused=$(echo $refused | wc -w)
	# Warnings by file and text, without line numbers (the conversion
	# moves lines).
	warnings() { grep -oE '[^ ]+\.[ch]:[0-9]+:[0-9]+: warning: .*' "$1" | sed -E 's/:[0-9]+:[0-9]+:/:/' | sort -u; }
	new=$(comm -13 <(warnings "$out.before.log") <(warnings "$out.after.log"))
	nbefore=$(echo "$before" | grep -c . || true)
	nafter=$(echo "$after" | grep -c . || true)
	nnew=$(echo "$new" | grep -c . || true)
	echo "| $BASE | $calls | $nfiles | $nbefore | $nafter | $nrefused | $nnew |" >>"$table"
	if [ -n "$broken" ] || [ "$nnew" != 0 ] || [ "$nbefore" = 0 ]; then
		rc=1
		say "FAIL  cocci $BASE: $calls calls converted in $nfiles files; $nafter of the $nbefore that built before build after it, $nrefused refused, $nnew new warnings"
		[ -z "$broken" ] || say "      do not build any more: $(echo $broken)"
		[ -z "$new" ] || echo "$new" | sed 's/^/      new: /'
	else
		say "PASS  cocci $BASE: $calls calls converted in $nfiles files; of the $nbefore that built before, $nafter build after it and $nrefused were refused as documented (reverted: they build), no new warning ($((nfiles - nbefore)) not built in allmodconfig x86_64)"
		[ -z "$refused" ] || sed 's/^/      refused: /' "$out.refused"
	fi
done
say "table: $table"
exit $rc
