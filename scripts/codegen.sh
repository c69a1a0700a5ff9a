#!/bin/bash
# codegen.sh [BASE ARCH CC]: measure what the helpers cost. Build
# tests/codegen (pairs of functions: a helper call and the hand-written
# call it replaces) against the cell's kernel, disassemble it and compare
# functions instruction by instruction (addresses and symbol offsets
# stripped). Prints one line per comparison and a verdict; exit 1 if an
# asserted comparison fails.
#
# Where the series adds the family (v6.1), SPEC 3.7 is asserted: each
# _obj/_objs helper is identical to its kmalloc()/kmalloc_array()/kcalloc()
# /kv* pair.
#
# Where the tree already has the family (v6.12, v7.2), the series must not
# change what the helpers compile to for ordinary types: the module is also
# built against the tree's unpatched headers, and each _obj/_objs helper
# must be identical to its unpatched self. So must the _flex helpers where
# the unpatched tree already stores the counter (v7.2): for a constant or
# u8 count the new counter check folds away. On v6.12 the series adds the
# store, and the _flex helpers are compared with the hand-written store
# instead. The _obj/_objs pairs against the hand-written calls are printed
# but not asserted there: those trees build _objs on kmalloc(size_mul()),
# not on kmalloc_array().
#
# With a compiler that finds __counted_by() counters, each _flex helper must
# be no longer than the hand-written allocation plus counter store and call
# the same functions: the counter and saturation checks fold away.
. "$(dirname "$0")/lib.sh"

BASE=${1:-v6.1} ARCH=${2:-x86_64} CC=${3:-gcc-15}
cell_toolchain "$ARCH" "$CC"
src=$CACHE/src/$BASE
label="$BASE-$ARCH-$CC codegen"
out=$(mktemp -d)
trap 'restore_transient; rm -rf "$out"' EXIT
[ -e "$src/.git" ] || die "no tree for $BASE: run scripts/tree.sh $BASE"

disassemble() { $RUNNER "$KOBJDUMP" -dr --no-show-raw-insn "$1" >"$2" || die "objdump failed on $1"; }

unpatched=
if git -C "$src" grep -q 'define kmalloc_obj(' base -- include/linux/slab.h; then
	unpatched_headers "$BASE" "$out/unpatched.patch"
	apply_transient "$src" "$out/unpatched.patch" "$out"
	ko=$("$TOP/scripts/module.sh" "$BASE" "$ARCH" "$CC" "$TOP/tests/codegen") || exit 1
	restore_transient
	disassemble "$ko" "$out/unpatched.dis"
	unpatched=$out/unpatched.dis
	# Does the unpatched tree already store the counter?
	git -C "$src" grep -q '__set_flex_counter' base -- include/linux/slab.h &&
		unpatched_counter=1 || unpatched_counter=0
fi
ko=$("$TOP/scripts/module.sh" "$BASE" "$ARCH" "$CC" "$TOP/tests/codegen") || exit 1
disassemble "$ko" "$out/patched.dis"

python3 - "$out/patched.dis" "$unpatched" "${unpatched_counter:-0}" "$label" "${RESULTS:-}" <<'PY'
import re, sys
patched, unpatched, unpatched_counter, label, results = sys.argv[1:6]

def functions(path):
    funcs, cur = {}, None
    for line in open(path):
        m = re.match(r'^[0-9a-f]+ <(cg_\w+)>:', line)
        if m:
            cur = funcs.setdefault(m.group(1), [])
            continue
        if cur is None or not line.strip():
            cur = None if not line.strip() else cur
            continue
        # "  1c:\tcall   21 <cg_x+0x21>" -> "call <local>" (llvm-objdump:
        # "0x21 <cg_x+0x21>"); relocations keep their symbol.
        body = line.split(':', 1)[1].strip() if ':' in line else line.strip()
        body = re.sub(r'\b(0x)?[0-9a-f]+ <[^>]*>', '<local>', body)
        cur.append(re.sub(r'\s+', ' ', body))
    # Alignment padding after a function is not part of it.
    pad = re.compile(r'^(nop|data16|xchg %ax,%ax|int3|cs nop|udf)')
    for f in funcs.values():
        while f and pad.match(f[-1]):
            f.pop()
    return funcs

def calls(f):
    return [l.split()[-1] for l in f if re.match(r'R_\w+', l)]

new = functions(patched)
old = functions(unpatched) if unpatched else None
names = sorted(f[3:-6] for f in new if f.endswith('_macro'))
checked = bad = 0

def report(what, name, a, b, against, asserted=True):
    global checked, bad
    ok = what in ('identical', 'no longer')
    if asserted:
        checked += 1
        bad += not ok
    elif not ok:
        what = what.lower() + ' (not asserted)'
    print(f"{what:9}  {name} {against}: {len(a)} vs {len(b)} instructions")

for name in names:
    a, hand = new[f'cg_{name}_macro'], new.get(f'cg_{name}_hand', [])
    flex = 'flex' in name
    if a and a == hand:
        what = 'identical'
    elif a and flex and len(a) <= len(hand) and calls(a) == calls(hand):
        what = 'no longer'
    else:
        what = 'DIFFERENT'
    report(what, name, a, hand, 'vs hand-written', asserted=flex or old is None)
    if old is not None and (not flex or unpatched_counter == '1'):
        b = old.get(f'cg_{name}_macro', [])
        report('identical' if a and a == b else 'DIFFERENT', name, a, b,
               'vs unpatched tree')

verdict = 'FAIL' if bad or not names else 'PASS'
detail = ('helpers vs hand-written kmalloc/kmalloc_array/kcalloc/kv* calls'
          if old is None else 'helpers vs the unpatched tree\'s')
if old is not None and any('flex' in n for n in names):
    detail += ', _flex vs hand-written counter store'
print(f'{verdict}  {label}: {checked - bad}/{checked} comparisons show no cost')
if results:
    with open(results, 'a') as f:
        f.write(f'{label}\t{verdict}\t{checked - bad}/{checked}\t{detail}\n')
sys.exit(1 if verdict == 'FAIL' else 0)
PY
