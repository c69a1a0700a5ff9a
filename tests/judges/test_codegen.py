"""The codegen judge (scripts/kmo/codegen.py) on objdump listings: GNU
objdump of x86_64 and arm64 modules, and llvm-objdump. The expected
outputs below are what the bash heredoc of codegen.sh printed for the same
listings before it moved here."""
import io
import os
import subprocess
import sys
import tempfile
import unittest

import support
from kmo import codegen, rows

X86 = support.fixture('x86_64-gcc.dis')
ARM64 = support.fixture('arm64-gcc.dis')
LLVM = support.fixture('x86_64-llvm.dis')
V612 = support.fixture('x86_64-gcc-v6.12.dis')
V612_UNPATCHED = support.fixture('x86_64-gcc-v6.12-unpatched.dis')

HAND_WRITTEN = 'helpers vs hand-written kmalloc/kmalloc_array/kcalloc/kv* calls'
UNPATCHED = HAND_WRITTEN + " and vs the unpatched tree's"


def listing(text):
    """codegen.functions() of an objdump listing given as text."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'listing.dis')
        with open(path, 'w') as f:
            f.write(text)
        return codegen.functions(path)


def lines(result):
    return [c.line() for c in result.comparisons]


class FunctionsTests(unittest.TestCase):
    def test_gnu_x86_64(self):
        f = codegen.functions(X86)
        # __pfx_ padding symbols and functions that are not cg_* are not read.
        self.assertEqual(sorted(f), sorted(f'cg_{n}_{k}' for k in ('macro', 'hand') for n in
                                           ('kmalloc_obj', 'kzalloc_objs',
                                            'kmalloc_flex_u8', 'kmalloc_flex_const')))
        self.assertEqual(f['cg_kmalloc_obj_macro'], [
            'endbr64',
            'call <local>',
            'R_X86_64_PLT32 __fentry__-0x4',
            'mov 0x0(%rip),%rdi # <local>',
            'R_X86_64_PC32 kmalloc_caches+0x2c',
            'mov $0x10,%edx',
            'mov $0xcc0,%esi',
            'jmp <local>',
            'R_X86_64_PLT32 __kmalloc_cache_noprof-0x4'])
        self.assertEqual(f['cg_kmalloc_obj_macro'], f['cg_kmalloc_obj_hand'])

    def test_padding_is_stripped_but_not_inside(self):
        f = codegen.functions(X86)
        # Trailing int3, data16 cs nopw, nopl, cs nopw, xchg %ax,%ax go...
        self.assertEqual(f['cg_kzalloc_objs_macro'][-1], 'R_X86_64_PLT32 __x86_return_thunk-0x4')
        self.assertEqual(f['cg_kzalloc_objs_macro'], f['cg_kzalloc_objs_hand'])
        # ...a nop that aligns a branch target inside the function stays.
        self.assertIn('nopl 0x0(%rax,%rax,1)', f['cg_kzalloc_objs_macro'])
        # arm64: the next function's patchable-entry nops after ret go, the
        # function's own entry nops stay.
        a = codegen.functions(ARM64)
        self.assertEqual(a['cg_kmalloc_obj_macro'][:3], ['bti c', 'nop', 'nop'])
        self.assertEqual(a['cg_kmalloc_obj_macro'][-1], 'ret')
        self.assertEqual(a['cg_kmalloc_flex_const_macro'], a['cg_kmalloc_flex_const_hand'])

    def test_every_padding_form(self):
        f = listing('0000000000000000 <cg_pad_macro>:\n'
                    '   0:\tret\n'
                    '   1:\tnop\n'
                    '   2:\tnopw   0x0(%rax,%rax,1)\n'
                    '   8:\tdata16 cs nopw 0x0(%rax,%rax,1)\n'
                    '  13:\txchg   %ax,%ax\n'
                    '  15:\tint3\n'
                    '  16:\tcs nopw 0x0(%rax,%rax,1)\n'
                    '  20:\tudf\t#0\n'
                    '  24:\tlea    0x0(%esi,%eiz,1),%esi\n'
                    '  28:\tlea    0x0(%esi),%esi\n'
                    '  2b:\tlea    %cs:0x0(%esi,%eiz,1),%esi\n'
                    '  2f:\tlea    0x0(%edi,%eiz,1),%edi\n'
                    '\n'
                    '0000000000000030 <cg_allpad_macro>:\n'
                    '  30:\tint3\n')
        self.assertEqual(f, {'cg_pad_macro': ['ret'], 'cg_allpad_macro': []})

    def test_lea_that_does_something_is_not_padding(self):
        f = listing('00000000 <cg_lea_macro>:\n'
                    '   0:\tlea    0x8(%esi),%esi\n'
                    '   3:\tlea    0x0(%esi),%eax\n'
                    '   6:\tlea    0x0(,%eax,4),%esi\n'
                    '   9:\tlea    0x0(%esi,%eiz,1),%edi\n')
        self.assertEqual(len(f['cg_lea_macro']), 4)

    def test_llvm_objdump_local_targets(self):
        # llvm-objdump writes local targets as "0x79 <cg_x+0x19>" and puts
        # the relocation's full address before it.
        f = codegen.functions(LLVM)
        self.assertIn('je <local>', f['cg_kzalloc_objs_macro'])
        self.assertIn('R_X86_64_PLT32 __kmalloc_noprof-0x4', f['cg_kzalloc_objs_macro'])
        self.assertIn('movq (%rip), %rdi # <local>', f['cg_kmalloc_obj_macro'])
        for name, body in f.items():
            for insn in body:
                self.assertNotRegex(insn, r'0x[0-9a-f]+ <', f'{name}: {insn}')
        self.assertEqual(f['cg_kzalloc_objs_macro'], f['cg_kzalloc_objs_hand'])
        # The trailing int3/nopw %cs:/nopl/nop go.
        self.assertEqual(f['cg_kmalloc_obj_macro'], f['cg_kmalloc_obj_hand'])

    def test_gnu_arm64_targets(self):
        f = codegen.functions(ARM64)
        self.assertNotIn('cg_kmalloc_obj_macro-0x8', f)
        self.assertIn('bl <local>', f['cg_kmalloc_obj_macro'])
        self.assertIn('adrp x0, <local>', f['cg_kmalloc_obj_macro'])
        self.assertIn('cbnz x1, <local>', f['cg_kmalloc_objs_macro'])

    def test_calls(self):
        f = codegen.functions(X86)
        self.assertEqual(codegen.calls(f['cg_kmalloc_flex_u8_macro']),
                         ['__fentry__-0x4', '__kmalloc_noprof-0x4', '__x86_return_thunk-0x4'])
        a = codegen.functions(ARM64)
        self.assertEqual(codegen.calls(a['cg_kmalloc_obj_macro']),
                         ['kmalloc_caches+0x20', 'kmalloc_caches+0x20', '__kmalloc_cache_noprof'])


class CompareTests(unittest.TestCase):
    def test_identical_pairs_and_flex_no_longer(self):
        r = codegen.compare(codegen.functions(X86))
        self.assertEqual(lines(r), [
            'identical  kmalloc_flex_const vs hand-written: 14 vs 14 instructions',
            'no longer  kmalloc_flex_u8 vs hand-written: 15 vs 17 instructions',
            'identical  kmalloc_obj vs hand-written: 9 vs 9 instructions',
            'identical  kzalloc_objs vs hand-written: 14 vs 14 instructions'])
        self.assertEqual((r.verdict, r.cases, r.detail), ('PASS', '4/4', HAND_WRITTEN))

    def test_arm64_and_llvm(self):
        r = codegen.compare(codegen.functions(ARM64))
        self.assertEqual(lines(r), [
            'identical  kmalloc_flex_const vs hand-written: 20 vs 20 instructions',
            'identical  kmalloc_obj vs hand-written: 17 vs 17 instructions',
            'identical  kmalloc_objs vs hand-written: 11 vs 11 instructions'])
        self.assertEqual((r.verdict, r.cases), ('PASS', '3/3'))
        r = codegen.compare(codegen.functions(LLVM))
        self.assertEqual(lines(r), [
            'identical  kmalloc_obj vs hand-written: 9 vs 9 instructions',
            'identical  kzalloc_objs vs hand-written: 13 vs 13 instructions'])
        self.assertEqual((r.verdict, r.cases), ('PASS', '2/2'))

    def test_different_pair_fails_without_unpatched_tree(self):
        # Where the series adds the family, every pair is asserted.
        r = codegen.compare(codegen.functions(V612))
        self.assertEqual(lines(r), [
            'identical  kmalloc_flex_u8 vs hand-written: 15 vs 15 instructions',
            'identical  kmalloc_obj vs hand-written: 9 vs 9 instructions',
            'DIFFERENT  kzalloc_objs vs hand-written: 10 vs 14 instructions'])
        self.assertEqual((r.verdict, r.cases), ('FAIL', '2/3'))

    def test_vs_unpatched_without_counter(self):
        # Every pair vs hand-written is asserted, each helper vs the
        # unpatched tree's too, except _objs with a run-time count; _flex
        # only vs hand-written. This 6.12 listing is of an older series
        # whose kzalloc_objs() passed kmalloc() a saturated size: it must
        # fail against kcalloc().
        r = codegen.compare(codegen.functions(V612), codegen.functions(V612_UNPATCHED), False)
        self.assertEqual(lines(r), [
            'identical  kmalloc_flex_u8 vs hand-written: 15 vs 15 instructions',
            'identical  kmalloc_obj vs hand-written: 9 vs 9 instructions',
            'identical  kmalloc_obj vs unpatched tree: 9 vs 9 instructions',
            'DIFFERENT  kzalloc_objs vs hand-written: 10 vs 14 instructions',
            'identical  kzalloc_objs vs unpatched tree: 10 vs 10 instructions'])
        self.assertEqual([c.asserted for c in r.comparisons], [True, True, True, True, False])
        self.assertEqual((r.verdict, r.cases), ('FAIL', '3/4'))
        self.assertEqual(r.detail, UNPATCHED)

    def test_vs_unpatched_with_counter(self):
        # Where the unpatched tree stores the counter, _flex must match it too.
        r = codegen.compare(codegen.functions(V612), codegen.functions(V612_UNPATCHED), True)
        self.assertEqual(lines(r)[:2], [
            'identical  kmalloc_flex_u8 vs hand-written: 15 vs 15 instructions',
            'DIFFERENT  kmalloc_flex_u8 vs unpatched tree: 15 vs 8 instructions'])
        self.assertEqual((r.verdict, r.cases), ('FAIL', '3/5'))

    def test_objs_like_kcalloc_passes_vs_unpatched(self):
        # The same listing with kzalloc_objs() compiled like kcalloc(): the
        # comparison with the unpatched tree's differs, unasserted.
        new = codegen.functions(V612)
        new['cg_kzalloc_objs_macro'] = new['cg_kzalloc_objs_hand']
        r = codegen.compare(new, codegen.functions(V612_UNPATCHED), False)
        self.assertEqual(lines(r)[-1],
                         'different (not asserted)  kzalloc_objs vs unpatched tree: 14 vs 10 instructions')
        self.assertEqual((r.verdict, r.cases, r.detail), ('PASS', '4/4', UNPATCHED))

    def test_flex_rule_limits(self):
        f = codegen.functions(X86)
        hand = f['cg_kmalloc_flex_u8_hand']

        def verdict(macro, name='kmalloc_flex_u8'):
            new = {f'cg_{name}_macro': macro, f'cg_{name}_hand': hand}
            return lines(codegen.compare(new))[0].split('  ')[0]
        self.assertEqual(verdict(f['cg_kmalloc_flex_u8_macro']), 'no longer')
        # Longer than the hand-written store: a cost.
        self.assertEqual(verdict(hand + ['nop']), 'DIFFERENT')
        # Shorter, but calling something else: not the same allocation.
        other = [l.replace('__kmalloc_noprof', '__kvmalloc_node_noprof')
                 for l in f['cg_kmalloc_flex_u8_macro']]
        self.assertEqual(verdict(other), 'DIFFERENT')
        # Only _flex helpers, and _objs with an int count, may be merely
        # no longer.
        self.assertEqual(verdict(f['cg_kmalloc_flex_u8_macro'], 'kmalloc_objs_u8'), 'DIFFERENT')
        self.assertEqual(verdict(f['cg_kmalloc_flex_u8_macro'], 'kmalloc_objs_int'), 'no longer')
        # An empty function is never identical, not even to an empty one.
        self.assertEqual(verdict([]), 'DIFFERENT')

    def test_wide_pairs_are_measured_not_asserted(self):
        # A _wide pair costs what it costs: printed, never a failure, not
        # counted among the comparisons, whether vs hand-written or vs the
        # unpatched tree.
        f = codegen.functions(X86)
        new = dict(f)
        new['cg_kmalloc_flex_wide_macro'] = f['cg_kmalloc_flex_u8_hand'] + ['nop', 'nop']
        new['cg_kmalloc_flex_wide_hand'] = f['cg_kmalloc_flex_u8_hand']
        r = codegen.compare(new)
        self.assertIn('different (not asserted)  kmalloc_flex_wide vs hand-written: '
                      '19 vs 17 instructions', lines(r))
        self.assertEqual((r.verdict, r.cases), ('PASS', '4/4'))
        old = {'cg_kmalloc_flex_wide_macro': ['ret']}
        r = codegen.compare(new, old, True)
        self.assertIn('different (not asserted)  kmalloc_flex_wide vs unpatched tree: '
                      '19 vs 1 instructions', lines(r))
        # Only the name makes a pair a measurement.
        new['cg_kmalloc_flex_u8_macro'] = new['cg_kmalloc_flex_wide_macro']
        self.assertEqual(codegen.compare(new).verdict, 'FAIL')

    def test_missing_functions(self):
        f = codegen.functions(X86)
        del f['cg_kmalloc_obj_hand']
        r = codegen.compare(f)
        self.assertIn('DIFFERENT  kmalloc_obj vs hand-written: 9 vs 0 instructions', lines(r))
        self.assertEqual((r.verdict, r.cases), ('FAIL', '3/4'))
        old = codegen.functions(V612_UNPATCHED)
        del old['cg_kmalloc_obj_macro']
        r = codegen.compare(codegen.functions(V612), old)
        self.assertIn('DIFFERENT  kmalloc_obj vs unpatched tree: 9 vs 0 instructions', lines(r))
        self.assertEqual(r.verdict, 'FAIL')

    def test_no_pairs_fail(self):
        r = codegen.compare({'cg_lonely_hand': ['ret']})
        self.assertEqual((lines(r), r.verdict, r.cases), ([], 'FAIL', '0/0'))


class RunTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.tsv = os.path.join(self.tmp.name, 'results.tsv')

    def tearDown(self):
        self.tmp.cleanup()

    def test_run_prints_and_writes_the_row(self):
        out = io.StringIO()
        rc = codegen.run(V612, V612_UNPATCHED, False, 'v6.12-x86_64-gcc-15 codegen', self.tsv, out)
        self.assertEqual(rc, 1)
        self.assertEqual(out.getvalue().splitlines()[-1],
                         'FAIL  v6.12-x86_64-gcc-15 codegen: 3/4 comparisons show no cost')
        self.assertEqual(rows.read(self.tsv), [rows.Row(
            'v6.12-x86_64-gcc-15 codegen', 'FAIL', '3/4', UNPATCHED)])

    def test_cli(self):
        def judge(*args):
            return subprocess.run([sys.executable, support.JUDGE, 'codegen'] + list(args),
                                  capture_output=True, text=True)
        # An empty --unpatched is no unpatched listing, as is none.
        for extra in ([], ['--unpatched', '']):
            r = judge('--patched', V612, *extra, '--label', 'v6.1-x86_64-gcc-15 codegen',
                      '--results', self.tsv)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertEqual(r.stdout,
                             'identical  kmalloc_flex_u8 vs hand-written: 15 vs 15 instructions\n'
                             'identical  kmalloc_obj vs hand-written: 9 vs 9 instructions\n'
                             'DIFFERENT  kzalloc_objs vs hand-written: 10 vs 14 instructions\n'
                             'FAIL  v6.1-x86_64-gcc-15 codegen: 2/3 comparisons show no cost\n')
        r = judge('--patched', V612, '--unpatched', V612_UNPATCHED, '--unpatched-counter', '1',
                  '--label', 'v7.2-x86_64-gcc-15 codegen', '--results', self.tsv)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn('DIFFERENT  kmalloc_flex_u8 vs unpatched tree: 15 vs 8 instructions\n',
                      r.stdout)
        r = judge('--patched', X86, '--label', 'v6.1-x86_64-gcc-15 codegen')
        self.assertEqual((r.returncode, r.stdout.splitlines()[-1]),
                         (0, 'PASS  v6.1-x86_64-gcc-15 codegen: 4/4 comparisons show no cost'))
        self.assertEqual(rows.read(self.tsv), [
            rows.Row('v6.1-x86_64-gcc-15 codegen', 'FAIL', '2/3', HAND_WRITTEN),
            rows.Row('v6.1-x86_64-gcc-15 codegen', 'FAIL', '2/3', HAND_WRITTEN),
            rows.Row('v7.2-x86_64-gcc-15 codegen', 'FAIL', '3/5', UNPATCHED)])


if __name__ == '__main__':
    unittest.main()
