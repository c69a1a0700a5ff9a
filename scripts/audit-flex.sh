#!/bin/bash
# audit-flex.sh [CONFIG]: find the callers of the kmalloc_flex() family that
# can pass a count their __counted_by() counter cannot hold (issue 8, SPEC
# 3.5). In a scratch checkout of the v7.2 tree with its series, every
# _flex allocation calls __flex_audit_count_may_exceed_counter() (declared
# with GCC's warning attribute) where the count is positive and above
# the counter's type maximum (a negative count never gets there: it is
# refused). GCC drops the call wherever it can prove the count fits
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

# A scratch checkout at the series' head, with the audit hook; kept in the
# cache, so that the next audit only checks out what changed.
head=$(git -C "$SRC" rev-parse HEAD)
if [ -e "$wt/.git" ] && git -C "$wt" checkout -q -f --detach "$head" >"$log" 2>&1; then
	:
else
	rm -rf "$wt" && mkdir -p "$(dirname "$wt")"
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q --detach "$wt" "$head" >"$log" 2>&1 ||
		die "cannot check out $SRC into $wt (log: $log)"
fi
git -C "$wt" apply "$TOP/tests/audit/flex-audit.patch" ||
	die "tests/audit/flex-audit.patch does not apply to $SRC"
python3 - "$wt/include/linux/slab.h" <<'PY' || die "cannot hook __alloc_flex() in $wt"
import sys
p = sys.argv[1]
s = open(p).read()
old = '\t\tif (__obj_ptr)\t\t\t\t\t\t\\\n\t\t\t__set_flex_counter(__obj_ptr->FAM, __count);\t\\\n'
new = ('\t\tif (__obj_ptr && (__count > 0 || __count == 0) &&\t\\\n'
       '\t\t    (unsigned long long)__count >\t\t\t\\\n'
       '\t\t    (unsigned long long)__type_max(\t\t\t\\\n'
       '\t\t\t\ttypeof_flex_counter(__obj_ptr->FAM)))\t\\\n'
       '\t\t\t__flex_audit_count_may_exceed_counter();\t\\\n' + old)
if s.count(old) != 1:
    sys.exit('the counter store of __alloc_flex() is not where the audit expects it')
open(p, 'w').write(s.replace(old, new))
PY

# FILE:CALLS for each .c file that calls the family (the suites aside),
# counted once for every figure below.
git -C "$wt" grep -c -E '\b(devm_)?(kmalloc|kzalloc|kvmalloc|kvzalloc)_flex\(' \
	-- '*.c' ':!lib/tests/kmalloc_obj*_kunit.c' >"$out/calls.txt"
files=$(cut -d: -f1 "$out/calls.txt")
sites=$(awk -F: '{ n += $2 } END { print n }' "$out/calls.txt")
objs=$(for f in $files; do echo "${f%.c}.o"; done)
nfiles=$(echo "$files" | wc -l)

# The audit's warnings must not become errors (allmodconfig has WERROR):
# an object that fails stops reporting after its first site.
prepare_no_werror "$wt" "$bdir" "$config" "$log"
# shellcheck disable=SC2086
run_group $RUNNER make -C "$wt" O="$bdir" "${KMAKE[@]}" -k -j"$JOBS" $objs >"$out/objects.log" 2>&1 || true

built=0 built_sites=0
while IFS=: read -r f n; do
	[ -f "$bdir/${f%.c}.o" ] || continue
	built=$((built + 1)) built_sites=$((built_sites + n))
done <"$out/calls.txt"
# Each warning is followed by the macro expansion notes that lead to it;
# the call site is the note that expands one of the family's macros. The
# next diagnostic, function header or make line ends the warning's notes.
python3 - "$out/objects.log" "$wt" >"$out/sites-with-source.txt" <<'PY' || die "cannot read $out/objects.log"
import re, sys
log, wt = sys.argv[1], sys.argv[2].rstrip('/') + '/'
ours = re.compile(r"warning: call to \W*__flex_audit_count_may_exceed_counter\b")
diag = re.compile(r'^\S+:\d+:\d+: (warning|error|fatal error):')
site = re.compile(r"^(\S+?):(\d+):\d+: note: in expansion of macro "
                  r"\W*(devm_)?(kmalloc|kzalloc|kvmalloc|kvzalloc)_flex\W*$")
sites, unplaced, pending = set(), 0, None


def close():
    global pending, unplaced
    if pending is not None:
        if pending:
            sites.add(pending)
        else:
            unplaced += 1
    pending = None


for line in open(log, encoding='utf-8', errors='replace'):
    line = line.rstrip('\n')
    if ours.search(line):
        close()
        pending = ()
        continue
    if pending is None:
        continue
    m = site.match(line)
    if m:
        pending = (m.group(1).replace(wt, ''), int(m.group(2)))
    elif diag.match(line) or line.startswith(('In function', 'In file included', '  CC', 'make')):
        close()
close()
for path, n in sorted(sites):
    src = ''
    try:
        src = open(wt + path).read().split('\n')[n - 1].strip()
    except (OSError, IndexError):
        pass
    print(f'{path}:{n}: {src}')
if unplaced:
    sys.exit(f'{unplaced} warnings name no call site of the family')
PY
cut -d: -f1,2 "$out/sites-with-source.txt" >"$out/sites.txt"
flagged=$(wc -l <"$out/sites.txt")
plus1=$(grep -c -E '\+ *1\b' "$out/sites-with-source.txt" || true)
say "call sites of the _flex family in .c files: $sites in $nfiles files"
say "files compiled in $config (x86_64, gcc-15): $built of $nfiles, with $built_sites of the call sites"
say "sites where the count can exceed the counter: $flagged ($plus1 of them with a + 1 count)"
say "list: $out/sites-with-source.txt"
