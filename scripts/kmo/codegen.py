"""What the helpers cost: compare the disassembled function pairs of
tests/codegen (scripts/codegen.sh builds and disassembles it).

Each pair is cg_NAME_macro (a kmalloc_obj() family helper) and cg_NAME_hand
(the hand-written call it replaces). Functions are compared instruction by
instruction, with addresses and local branch targets stripped, so that the
same code at another address compares equal.

  - On every tree, each _obj/_objs helper must be identical to its
    hand-written kmalloc()/kmalloc_array()/kcalloc()/kv* pair (SPEC 3.7),
    or, for an int count (pair names ending in _int), no longer and
    calling the same functions.
  - Where the tree already has the family, each helper must also be
    identical to the same helper built from the unpatched headers, except
    _objs with a run-time count: the unpatched trees pass kmalloc() a
    saturated size_mul(), the series refuses it first as kmalloc_array()
    does, so that comparison is printed but not asserted. _flex helpers
    are compared with the unpatched tree's only where that tree already
    stores the counter.
  - A _flex helper must be no longer than the hand-written allocation plus
    counter store, and call the same functions: the checks fold away.
  - A pair whose name ends in _wide (a run-time count wider than the
    counter, which the helper saturates where the hand-written store
    truncates) is a measurement: printed with its instruction counts,
    never asserted.
"""
import re
import sys
from dataclasses import dataclass, field

from kmo.rows import Row

HEADER = re.compile(r'^[0-9a-f]+ <(cg_\w+)>:')
# "  1c:\tcall   21 <cg_x+0x21>" -> "call <local>" (llvm-objdump:
# "0x21 <cg_x+0x21>"); relocations keep their symbol.
LOCAL = re.compile(r'\b(0x)?[0-9a-f]+ <[^>]*>')
# Alignment padding after a function is not part of it.
# i386 pads with lea instructions that change nothing:
# "lea 0x0(%esi,%eiz,1),%esi", "lea 0x0(%esi),%esi", "lea %cs:0x0(...),%esi".
PADDING = re.compile(r'^(nop|data16|xchg %ax,%ax|int3|cs nop|udf'
                     r'|lea (%cs:)?0x0\((?P<r>%e[sd]i)(,%eiz,1)?\),(?P=r)$)')
RELOC = re.compile(r'R_\w+')
OK = ('identical', 'no longer')


def functions(path):
    """{name: [instruction, ...]} of the cg_* functions of an objdump -dr
    listing (GNU or llvm-objdump): each instruction and relocation line
    without its address, local targets as <local>, blanks squeezed, and
    trailing alignment padding dropped."""
    funcs, cur = {}, None
    with open(path) as f:
        for line in f:
            m = HEADER.match(line)
            if m:
                cur = funcs.setdefault(m.group(1), [])
                continue
            # A blank line ends a function; other symbols are skipped.
            if not line.strip():
                cur = None
                continue
            if cur is None:
                continue
            body = line.split(':', 1)[1].strip() if ':' in line else line.strip()
            body = LOCAL.sub('<local>', body)
            cur.append(re.sub(r'\s+', ' ', body))
    for f in funcs.values():
        while f and PADDING.match(f[-1]):
            f.pop()
    return funcs


def calls(f):
    """The relocation targets of a function, in order: the functions it
    calls (and data it addresses)."""
    return [l.split()[-1] for l in f if RELOC.match(l)]


@dataclass
class Comparison:
    what: str          # 'identical', 'no longer', 'DIFFERENT', or '... (not asserted)'
    name: str
    against: str       # 'vs hand-written' or 'vs unpatched tree'
    mine: int          # instructions of the helper
    theirs: int        # instructions of what it is compared with
    asserted: bool

    def ok(self):
        return self.what in OK

    def line(self):
        return f"{self.what:9}  {self.name} {self.against}: {self.mine} vs {self.theirs} instructions"


@dataclass
class Result:
    comparisons: list = field(default_factory=list)
    names: list = field(default_factory=list)
    unpatched: bool = False

    @property
    def checked(self):
        return sum(1 for c in self.comparisons if c.asserted)

    @property
    def bad(self):
        return sum(1 for c in self.comparisons if c.asserted and not c.ok())

    @property
    def verdict(self):
        # No pair at all is a failure too: the listing was not what we built.
        return 'FAIL' if self.bad or not self.names else 'PASS'

    @property
    def cases(self):
        return f'{self.checked - self.bad}/{self.checked}'

    @property
    def detail(self):
        text = 'helpers vs hand-written kmalloc/kmalloc_array/kcalloc/kv* calls'
        if self.unpatched:
            text += " and vs the unpatched tree's"
        return text


def comparison(what, name, a, b, against, asserted=True):
    """One comparison; a failed one that is not asserted says so."""
    if not asserted and what not in OK:
        what = what.lower() + ' (not asserted)'
    return Comparison(what, name, against, len(a), len(b), asserted)


def compare(new, old=None, unpatched_counter=False):
    """Compare the pairs of the patched listing's functions (new), and each
    helper with the unpatched listing's (old, None if there is none).
    unpatched_counter: the unpatched tree already stores the _flex counter."""
    r = Result(names=sorted(f[3:-6] for f in new if f.endswith('_macro')),
               unpatched=old is not None)
    for name in r.names:
        a, hand = new[f'cg_{name}_macro'], new.get(f'cg_{name}_hand', [])
        flex = 'flex' in name
        measured = name.endswith('_wide')
        # A signed count: where the helpers must test the sign themselves
        # (one-byte elements, counts wider than size_t) the compiler then
        # knows the product cannot overflow, where kmalloc_array()
        # multiplies the converted count and checks the overflow; shorter
        # code is allowed there.
        shorter_ok = flex or name.endswith('_int')
        if a and a == hand:
            what = 'identical'
        elif a and shorter_ok and len(a) <= len(hand) and calls(a) == calls(hand):
            what = 'no longer'
        else:
            what = 'DIFFERENT'
        r.comparisons.append(comparison(what, name, a, hand, 'vs hand-written',
                                        asserted=not measured))
        # No unpatched family has devm_ helpers (codegen.sh leaves their
        # pairs out of that build).
        devm = name.startswith('devm_')
        if old is not None and not devm and (not flex or unpatched_counter):
            # A run-time _objs count gains the overflow check that
            # kmalloc_array() has and the unpatched helper lacks.
            objs_at_run_time = 'objs' in name and not name.endswith('_const')
            b = old.get(f'cg_{name}_macro', [])
            r.comparisons.append(comparison('identical' if a and a == b else 'DIFFERENT',
                                            name, a, b, 'vs unpatched tree',
                                            asserted=not (objs_at_run_time or measured)))
    return r


def run(patched, unpatched, unpatched_counter, label, results=None, out=None):
    """What `judge.py codegen` does: compare, print one line per comparison
    and the verdict, append the row to results. unpatched is the unpatched
    listing's path, or empty/None. Returns the exit status: 0 for PASS."""
    out = out or sys.stdout
    new = functions(patched)
    old = functions(unpatched) if unpatched else None
    r = compare(new, old, unpatched_counter)
    for c in r.comparisons:
        print(c.line(), file=out)
    print(f'{r.verdict}  {label}: {r.cases} comparisons show no cost', file=out)
    if results:
        Row(label, r.verdict, r.cases, r.detail).append(results)
    return 1 if r.verdict == 'FAIL' else 0
