#!/bin/bash
# audit-flex.sh [CONFIG]: find the callers of the kmalloc_flex() family that
# can pass a count their __counted_by() counter cannot hold (issue 8, SPEC
# 3.5). In a scratch checkout of the v7.2 tree with its series, every
# _flex allocation calls __flex_audit_count_may_exceed_counter() (declared
# with GCC's warning attribute) where the count is above the counter's
# type maximum. GCC drops the call wherever it can prove the count fits
# (constant counts, narrow types, known ranges), so the warnings that
# remain name exactly the sites that can overflow the counter. Every .c
# file that calls the family is compiled as an object in a CONFIG
# (default allmodconfig) x86_64 build with gcc-15, with -k: files that do
# not build in that configuration are counted, not fatal. Prints the
# figures and writes the sites to $LOGS/audit-flex/sites.txt.
. "$(dirname "$0")/lib.sh"

config=${1:-allmodconfig}
take_lock
resolve_cell v7.2/x86_64/gcc-15
out=$LOGS/audit-flex
wt=$CACHE/audit/src
bdir=$CACHE/audit/build-$config
log=$out/build.log
mkdir -p "$out"
[ -e "$SRC/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"
say "audit of the _flex callers in $config (log: $log)"

# A scratch checkout at the series' head, with the audit hook.
rm -rf "$wt" && mkdir -p "$(dirname "$wt")"
git -C "$SRC" worktree prune
git -C "$SRC" worktree add -q --detach "$wt" HEAD >"$log" 2>&1 ||
	die "cannot check out $SRC into $wt (log: $log)"
git -C "$wt" apply "$TOP/tests/audit/flex-audit.patch" ||
	die "tests/audit/flex-audit.patch does not apply to $SRC"
python3 - "$wt/include/linux/slab.h" <<'PY' || die "cannot hook __alloc_flex() in $wt"
import sys
p = sys.argv[1]
s = open(p).read()
old = '\t\tif (__obj_ptr)\t\t\t\t\t\t\\\n\t\t\t__set_flex_counter(__obj_ptr->FAM, __count);\t\\\n'
new = ('\t\tif (__obj_ptr && (unsigned long long)__count >\t\t\\\n'
       '\t\t    (unsigned long long)__type_max(\t\t\t\\\n'
       '\t\t\t\ttypeof_flex_counter(__obj_ptr->FAM)))\t\\\n'
       '\t\t\t__flex_audit_count_may_exceed_counter();\t\\\n' + old)
if s.count(old) != 1:
    sys.exit('the counter store of __alloc_flex() is not where the audit expects it')
open(p, 'w').write(s.replace(old, new))
PY

files=$(git -C "$wt" grep -l -E '\b(devm_)?(kmalloc|kzalloc|kvmalloc|kvzalloc)_flex\(' -- '*.c' ':!lib/tests/kmalloc_obj_kunit.c')
sites=$(git -C "$wt" grep -c -E '\b(devm_)?(kmalloc|kzalloc|kvmalloc|kvzalloc)_flex\(' -- '*.c' ':!lib/tests/kmalloc_obj_kunit.c' | awk -F: '{ n += $2 } END { print n }')
objs=$(for f in $files; do echo "${f%.c}.o"; done)
nfiles=$(echo "$files" | wc -l)

mkdir -p "$bdir"
$RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" "$config" >>"$log" 2>&1 ||
	die "make $config failed (log: $log)"
$RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" -j"$JOBS" prepare >>"$log" 2>&1 ||
	die "make prepare failed (log: $log)"
# shellcheck disable=SC2086
run_group $RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" -k -j"$JOBS" $objs >"$out/objects.log" 2>&1 || true

built=0
for o in $objs; do [ -f "$bdir/$o" ] && built=$((built + 1)); done
grep -E "warning: call to '__flex_audit_count_may_exceed_counter'" "$out/objects.log" |
	sed -E 's#^[./]*##; s#^.*/audit/src/##' | cut -d: -f1,2 | sort -u >"$out/sites.txt"
while IFS=: read -r f l; do
	printf '%s:%s: %s\n' "$f" "$l" "$(sed -n "${l}p" "$wt/$f" | sed 's/^[[:space:]]*//')"
done <"$out/sites.txt" >"$out/sites-with-source.txt"
flagged=$(wc -l <"$out/sites.txt")
plus1=$(grep -c -E '\+ *1\b' "$out/sites-with-source.txt" || true)
say "call sites of the _flex family in .c files: $sites in $nfiles files"
say "files compiled in $config (x86_64, gcc-15): $built of $nfiles"
say "sites where the count can exceed the counter: $flagged ($plus1 of them with a + 1 count)"
say "list: $out/sites-with-source.txt"
git -C "$SRC" worktree remove --force "$wt" >>"$log" 2>&1 || true
