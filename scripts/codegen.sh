#!/bin/bash
# codegen.sh [BASE ARCH CC]: SPEC 3.7 says the _obj and _objs helpers cost
# nothing over the hand-written kmalloc()/kmalloc_array()/kcalloc() calls.
# Build tests/codegen against the cell's kernel, disassemble each pair of
# functions, and compare them instruction by instruction (addresses and
# symbol offsets stripped): _obj/_objs pairs must be identical. With a
# compiler that finds __counted_by() counters, _flex pairs check that the
# counter and saturation checks fold away for a constant or u8 count: no
# longer than the hand-written allocation plus counter store, same calls.
# Prints one line per pair and a verdict; exit 1 if any pair fails.
. "$(dirname "$0")/lib.sh"

BASE=${1:-v6.1} ARCH=${2:-x86_64} CC=${3:-gcc-15}
cell_toolchain "$ARCH" "$CC"
ko=$("$TOP/scripts/module.sh" "$BASE" "$ARCH" "$CC" "$TOP/tests/codegen") || exit 1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$RUNNER "$KOBJDUMP" -dr --no-show-raw-insn "$ko" >"$out/dis" || die "objdump failed on $ko"
python3 - "$out/dis" "$BASE-$ARCH-$CC codegen" "${RESULTS:-}" <<'PY'
import re, sys
funcs, cur = {}, None
for line in open(sys.argv[1]):
    m = re.match(r'^[0-9a-f]+ <(cg_\w+)>:', line)
    if m:
        cur = funcs.setdefault(m.group(1), [])
        continue
    if cur is None or not line.strip():
        cur = None if not line.strip() else cur
        continue
    # "  1c:\tcall   21 <cg_x+0x21>" -> "call <sym>"; relocations keep their symbol.
    body = line.split(':', 1)[1].strip() if ':' in line else line.strip()
    body = re.sub(r'\b[0-9a-f]+ <[^>]*>', '<local>', body)
    body = re.sub(r'\s+', ' ', body)
    cur.append(body)
# Alignment padding after a function is not part of it.
pad = re.compile(r'^(nop|data16|xchg %ax,%ax|int3|cs nop|udf)')
for f in funcs.values():
    while f and pad.match(f[-1]):
        f.pop()
def calls(f):
    return [l.split()[-1] for l in f if re.match(r'R_\w+', l)]

# _obj/_objs pairs must be identical. _flex pairs (counter check and
# saturation folded away, counter stored) may arrange the size arithmetic
# differently, but must be no longer and call the same functions.
bad = 0
for name in sorted(f[3:-6] for f in funcs if f.endswith('_macro')):
    a, b = funcs.get(f'cg_{name}_macro', []), funcs.get(f'cg_{name}_hand', [])
    if a and a == b:
        what = 'identical'
    elif a and 'flex' in name and len(a) <= len(b) and calls(a) == calls(b):
        what = 'no longer'
    else:
        what = 'DIFFERENT'
        bad += 1
    print(f"{what:9}  {name}: {len(a)} vs {len(b)} instructions")
n = len([f for f in funcs if f.endswith('_macro')])
verdict = 'FAIL' if bad or not n else 'PASS'
print(f'{verdict}  {sys.argv[2]}: {n - bad}/{n} pairs cost nothing over the hand-written call')
if sys.argv[3]:
    with open(sys.argv[3], 'a') as f:
        f.write(f'{sys.argv[2]}\t{verdict}\t{n - bad}/{n}\t'
                'helpers vs hand-written kmalloc/kmalloc_array/kcalloc/kv* calls\n')
sys.exit(1 if verdict == 'FAIL' else 0)
PY
