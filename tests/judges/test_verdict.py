"""The verdict judge (scripts/kmo/verdict.py) on hand-made console logs.

The verdict hands the KTAP to the tree's own kunit.py, so every test of
VerdictRuns runs once for each parser found (see support.kunit_parsers):
one class per kunit.py, named after its tree. Finding none is a failure,
not a skip: a judge that was never run must not look like one that passed.
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import support
from kmo import verdict
from kmo.rows import Row, read

ALIGN_FLEX = 'kmalloc_obj_align.align_flex_test'
BEGIN = '[    0.623310] kmalloc-obj-guest: begin'
END = '[    0.651002] kmalloc-obj-guest: end'

# Lines that must turn a run red wherever they appear, as the kernels
# print them (timestamps included).
CRASHES = [
    '[    3.141592] WARNING: CPU: 1 PID: 87 at mm/slub.c:4821 __kmalloc_noprof+0x2d1/0x3c0',
    '[    3.141592] BUG: KASAN: slab-out-of-bounds in sizes_flex_test+0x1a4/0x3c0 [kmalloc_obj_kunit]',
    '[    3.141592] BUG: kernel NULL pointer dereference, address: 0000000000000008',
    '[    3.141592] BUG kmalloc-96 (Tainted: G                 N): Right Redzone overwritten',
    '[    3.141592] kernel BUG at mm/slub.c:449!',
    '[    3.141592] Kernel panic - not syncing: Fatal exception',
    '[    3.141592] Oops: general protection fault, probably for non-canonical address '
    '0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN NOPTI',
    '[    3.141592] general protection fault, probably for non-canonical address '
    '0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN NOPTI',
    '[    3.141592] Internal error: Oops: 0000000096000004 [#1] PREEMPT SMP',
    '[    3.141592] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008',
    '[    3.141592] UBSAN: array-index-out-of-bounds in lib/tests/kmalloc_obj_kunit.c:212:9',
    '[    3.141592] KASAN: null-ptr-deref in range [0x0000000000000000-0x0000000000000007]',
    '[    3.141592] BUG: KCSAN: data-race in __kmalloc_noprof / kfree',
    '[    3.141592] BUG: KFENCE: out-of-bounds read in sizes_obj_test+0x4c/0x120',
    '[    3.141592] BUG: KMSAN: uninit-value in counter_set_test+0x30/0x90',
    '[    0.641002] kmalloc-obj-guest: insmod failed: /modules/1-kmalloc_obj_kunit.ko',
]
# Lines that look alarming but are not reports.
HARMLESS = [
    '[    0.000000] kasan: KernelAddressSanitizer initialized (generic)',
    '[    0.012345] ACPI BIOS Warning (bug): Incorrect checksum in table [BGRT]',
    '[    0.971880]     # align_flex_test: EXPECTATION FAILED at lib/tests/kmalloc_obj_kunit.c:389',
    '[    0.640105] kmalloc_obj_kunit: loading out-of-tree module taints kernel.',
    '[    0.100000] DEBUG_BUGVERBOSE: on',
]


def problems(out):
    """The problem lines of a verdict's output (between the verdict line
    and the console line)."""
    lines = out.splitlines()
    return [l[6:] for l in lines[1:-1]]


class VerdictLogic(unittest.TestCase):
    """The parts of the verdict that do not need kunit.py."""

    def test_crash_lines(self):
        for line in CRASHES:
            with self.subTest(line=line):
                self.assertEqual(verdict.crash_report(['[    0.1] boot', line, 'later']),
                                 f'console reports: {line.strip()[:120]}')

    def test_harmless_lines(self):
        for line in HARMLESS:
            with self.subTest(line=line):
                self.assertIsNone(verdict.crash_report([line]))

    def test_first_crash_only(self):
        self.assertEqual(verdict.crash_report([CRASHES[1], CRASHES[0]]),
                         f'console reports: {CRASHES[1][:120]}')

    def test_read_console_serial_line_ends(self):
        # Text mode reads \r as a line end too: "\r\r\n" gives an empty
        # line, which no check minds. Bytes that are not UTF-8 are replaced.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'c')
            with open(path, 'wb') as f:
                f.write(b'[    0.1] a\r\r\nb\r\n\xffc\n')
            self.assertEqual(verdict.read_console(path), ['[    0.1] a', '', 'b', '\ufffdc'])

    def test_suites_in_ko(self):
        with tempfile.TemporaryDirectory() as tmp:
            ko = os.path.join(tmp, 'm.ko')
            support.write_ko(ko, 5)
            self.assertEqual(verdict.suites_in_ko(ko), 5)
            support.write_ko(ko, 0)
            self.assertEqual(verdict.suites_in_ko(ko), 0)
        with self.assertRaisesRegex(ValueError, r'not-elf\.ko is not a readable ELF module: '
                                                r'readelf: Error: '):
            verdict.suites_in_ko(support.fixture('not-elf.ko'))

    def test_module_ktap_renumbers_after_builtin_suites(self):
        # 6.1 prints no top-level header for a module and numbers its
        # suites after the built-in ones (3, 4 here): the header is added,
        # the suites numbered from 1, the cases left alone.
        with tempfile.TemporaryDirectory() as tmp:
            ko = os.path.join(tmp, 'm.ko')
            support.write_ko(ko, 2)
            body = [verdict.TIMESTAMP.sub('', l)
                    for l in verdict.read_console(support.fixture('module-numbered.console'))]
            ktap, found = verdict.module_ktap(body, [ko])
        self.assertEqual(found, [])
        self.assertEqual(ktap[:2], ['KTAP version 1', '1..2'])
        self.assertIn('    KTAP version 1', ktap)
        self.assertIn('ok 1 kmalloc_obj_sizes', ktap)
        self.assertIn('ok 2 kmalloc_obj_align', ktap)
        self.assertIn('    ok 3 sizes_flex_test', ktap)
        self.assertFalse(any('kmalloc-obj-guest' in l or 'list_sort' in l for l in ktap))
        # With the kernel's own header (6.12 on) nothing is added.
        body = [verdict.TIMESTAMP.sub('', l)
                for l in verdict.read_console(support.fixture('module-header.console'))]
        ktap, found = verdict.module_ktap(body, [])
        self.assertEqual((ktap[1:3], found), (['KTAP version 1', '1..2'], []))

    def test_walk(self):
        # kunit.py's JSON: the root group's name is left out, nested groups
        # (parameterised cases) are joined with dots.
        cases = {}
        verdict.walk({'name': 'KUnit Test Group', 'test_cases': [], 'sub_groups': [
            {'name': 'kmalloc_obj_sizes', 'sub_groups': [],
             'test_cases': [{'name': 'sizes_obj_test', 'status': 'PASS'},
                            {'name': 'sizes_gfp_test', 'status': 'SKIP'}]},
            {'name': 'kmalloc_obj_align', 'test_cases': [], 'sub_groups': [
                {'name': 'align_param_test', 'sub_groups': [],
                 'test_cases': [{'name': 'param-0', 'status': 'FAIL'}]}]}]}, [], cases)
        self.assertEqual(cases, {'kmalloc_obj_sizes.sizes_obj_test': 'PASS',
                                 'kmalloc_obj_sizes.sizes_gfp_test': 'SKIP',
                                 'kmalloc_obj_align.align_param_test.param-0': 'FAIL'})

    def test_detail(self):
        j = verdict.Judgement('PASS', 4, 5, [])
        self.assertEqual(verdict.detail(j, [ALIGN_FLEX], 'slub_debug=FZPU'),
                         '4/5 cases passed, the 1 expected failures seen, slub_debug=FZPU')
        j = verdict.Judgement('FAIL', 5, 5, ['x'])
        self.assertEqual(verdict.detail(j, [ALIGN_FLEX]), '5/5 cases passed')


class VerdictRuns:
    """The whole verdict, with one kunit.py (the class attribute kunit)."""
    kunit = None

    def setUp(self):
        self.assertTrue(os.path.isfile(self.kunit), f'no kunit.py at {self.kunit}')
        self.tmp = tempfile.mkdtemp(prefix='judge-verdict-')
        self.tsv = os.path.join(self.tmp, 'results.tsv')
        self.ko = os.path.join(self.tmp, 'kmalloc_obj_kunit.ko')
        support.write_ko(self.ko, 2)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def console(self, name, edit=None):
        """A copy of a fixture console in the temporary directory (the
        verdict writes CONSOLE.parsed beside it), edited by edit(lines)."""
        with open(support.fixture(name)) as f:
            lines = f.read().split('\n')
        if edit:
            lines = edit(lines)
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            f.write('\n'.join(lines))
        return path

    def run_verdict(self, console, mode, kos=None, expect=None, note='', label='run'):
        """(exit status, output, rows written) of one verdict."""
        out = io.StringIO()
        rc = verdict.run(console, mode, self.kunit, label,
                         [self.ko] if kos is None else kos, expect, self.tsv, note, out)
        return rc, out.getvalue(), read(self.tsv)

    def assertPass(self, console, mode, detail='5/5 cases passed', **kw):
        rc, out, rows = self.run_verdict(console, mode, **kw)
        self.assertEqual(out, f'PASS  run: {detail}\n      console: {console}\n')
        self.assertEqual(rc, 0)
        self.assertEqual(rows, [Row('run', 'PASS', detail.split(' ')[0], detail)])

    def assertFail(self, console, mode, *expected, **kw):
        """FAIL, with each of expected among the problems (a str for an
        exact problem, a compiled regex to search). Returns the problems."""
        rc, out, rows = self.run_verdict(console, mode, **kw)
        found = problems(out)
        self.assertRegex(out, r'^FAIL  run: \d+/\d+ cases passed')
        self.assertEqual(rc, 1)
        self.assertTrue(out.endswith(f'      console: {console}\n'), out)
        for e in expected:
            if isinstance(e, str):
                self.assertIn(e, found)
            else:
                self.assertTrue(any(e.search(p) for p in found), f'{e.pattern} not in {found}')
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows[0].label, rows[0].verdict, rows[0].detail),
                         ('run', 'FAIL', '; '.join(found)))
        return found

    def parsed(self, console):
        return f'KTAP stream incomplete or malformed (see {console}.parsed)'

    # The runs that must pass.

    def test_intree_pass(self):
        c = self.console('intree-pass.console')
        self.assertPass(c, 'intree', kos=[])
        with open(c + '.parsed') as f:
            self.assertIn('kmalloc_obj_align', f.read())

    def test_intree_tap14_pass(self):
        # The older framing, which every tree's parser still accepts:
        # "TAP version 14" and suites with "# Subtest:" only.
        def tap14(lines):
            lines = [l for l in lines if not l.endswith('    KTAP version 1')]
            return [l.replace('KTAP version 1', 'TAP version 14') for l in lines]
        self.assertPass(self.console('intree-pass.console', tap14), 'intree', kos=[])

    def test_module_numbered_pass(self):
        self.assertPass(self.console('module-numbered.console'), 'module')

    def test_module_serial_line_ends_pass(self):
        # QEMU's serial console ends lines with \r\n.
        c = self.console('module-numbered.console')
        with open(c) as f:
            text = f.read()
        with open(c, 'w', newline='') as f:
            f.write(text.replace('\n', '\r\n'))
        self.assertPass(c, 'module')

    def test_module_numbered_two_modules(self):
        # Two modules of one suite each count as the two suites.
        a, b = os.path.join(self.tmp, 'a.ko'), os.path.join(self.tmp, 'b.ko')
        support.write_ko(a, 1)
        support.write_ko(b, 1)
        self.assertPass(self.console('module-numbered.console'), 'module', kos=[a, b])

    def test_module_header_pass(self):
        self.assertPass(self.console('module-header.console'), 'module',
                        detail='5/5 cases passed, slub_debug=FZPU', note='slub_debug=FZPU')

    # Crashes, warnings, sanitizers.

    def test_warning_fails_its_case(self):
        # A WARNING while sizes_objs_test ran fails that case, although
        # the case itself reported ok.
        c = self.console('module-warning.console')
        found = self.assertFail(c, 'module')
        self.assertEqual(found, ['failed: kmalloc_obj_sizes.sizes_objs_test (WARNED)'])

    def test_warning_expected(self):
        # An expectation list can name the case that WARNs (conformance
        # runs against trees that WARN where the series does not).
        exp = os.path.join(self.tmp, 'warned.expect')
        with open(exp, 'w') as f:
            f.write('kmalloc_obj_sizes.sizes_objs_test\n')
        rc, out, rows = self.run_verdict(self.console('module-warning.console'), 'module',
                                         expect=exp)
        self.assertEqual(rc, 0, out)
        self.assertIn('the 1 expected failures seen', out)

    def test_warning_outside_a_case_fails(self):
        # Before any suite, or after a suite's own result line, a WARNING
        # belongs to no case: the run fails as a whole.
        line = '[    0.642102] WARNING: CPU: 0 PID: 52 at mm/slub.c:4821 __kmalloc_noprof+0x2d1/0x3c0'
        for where in ('[    0.412210] KTAP version 1', '[    0.642678] ok 3 kmalloc_obj_sizes'):
            with self.subTest(where=where):
                if os.path.exists(self.tsv):
                    os.remove(self.tsv)

                def edit(lines, where=where):
                    lines = [l for l in lines if 'WARNING:' not in l]
                    i = lines.index(where)
                    return lines[:i + 1] + [line] + lines[i + 1:]
                found = self.assertFail(self.console('module-warning.console', edit), 'module')
                self.assertEqual(found, [f'console reports: {line}'])

    def test_crash_lines_fail(self):
        # In the middle of a suite that otherwise passes, in-tree as in a
        # module (crash_report itself is tried on every kind above).
        for mode, name, line in (('intree', 'intree-pass.console', CRASHES[5]),
                                 ('module', 'module-header.console', CRASHES[1])):
            with self.subTest(line=line):
                def crash(lines):
                    i = next(n for n, l in enumerate(lines) if l.endswith('ok 1 sizes_obj_test'))
                    return lines[:i] + [line] + lines[i:]
                found = self.assertFail(self.console(name, crash), mode, kos=[])
                self.assertEqual(found, [f'console reports: {line[:120]}'])
                os.remove(self.tsv)

    def test_insmod_failed(self):
        c = self.console('module-insmod-failed.console')
        found = self.assertFail(c, 'module', 'console reports: [    0.641002] kmalloc-obj-guest: '
                                'insmod failed: /modules/1-kmalloc_obj_kunit.ko', self.parsed(c))
        self.assertEqual(found[0][:16], 'console reports:')

    # Markers and an incomplete stream.

    def test_missing_end_marker(self):
        c = self.console('module-numbered.console', lambda l: [x for x in l if x != END])
        found = self.assertFail(c, 'module')
        self.assertEqual(found, ['guest never reached its end marker (hung, crashed or timed out)'])

    def test_missing_begin_marker(self):
        c = self.console('module-numbered.console', lambda l: [x for x in l if x != BEGIN])
        found = self.assertFail(c, 'module', self.parsed(c))
        self.assertEqual(found[0], 'guest init never started (no begin marker)')

    def test_intree_cut_mid_suite(self):
        c = self.console('intree-cut.console')
        self.assertFail(c, 'intree', 'kernel never finished the KUnit run (no restart after it)',
                        self.parsed(c), kos=[])

    def test_module_cut_mid_suite(self):
        def cut(lines):
            return lines[:next(n for n, l in enumerate(lines) if l.endswith('ok 1 sizes_obj_test')) + 1]
        c = self.console('module-header.console', cut)
        self.assertFail(c, 'module',
                        'guest never reached its end marker (hung, crashed or timed out)',
                        self.parsed(c))

    def test_missing_result_line(self):
        c = self.console('module-missing-result.console')
        self.assertFail(c, 'module', self.parsed(c))

    # Cases that fail, skip or pass against the expectation.

    def test_unexpected_failure(self):
        found = self.assertFail(self.console('module-fail.console'), 'module')
        self.assertEqual(found, [f'failed: {ALIGN_FLEX} (FAIL)'])

    def test_expected_failure_seen(self):
        self.assertPass(self.console('module-fail.console'), 'module',
                        detail='4/5 cases passed, the 1 expected failures seen',
                        expect=support.fixture('align-flex.expect'))

    def test_expected_failure_passed(self):
        found = self.assertFail(self.console('module-header.console'), 'module',
                                expect=support.fixture('align-flex.expect'))
        self.assertEqual(found, [f'expected to fail but did not: {ALIGN_FLEX}'])

    def test_skip_is_not_a_pass(self):
        found = self.assertFail(self.console('module-skip.console'), 'module')
        self.assertEqual(found, ['failed: kmalloc_obj_align.align_obj_test (SKIP)'])

    # What the module is, and no console at all.

    def test_module_not_elf(self):
        ko = support.fixture('not-elf.ko')
        found = self.assertFail(self.console('module-numbered.console'), 'module',
                                re.compile('^' + re.escape(f'{ko} is not a readable ELF module: '
                                                           'readelf: Error: ')),
                                'no test case results found', kos=[ko])
        self.assertNotIn('the module(s) register no KUnit suite', found)

    def test_module_without_suites(self):
        ko = os.path.join(self.tmp, 'empty.ko')
        support.write_ko(ko, 0)
        self.assertFail(self.console('module-numbered.console'), 'module',
                        'the module(s) register no KUnit suite', kos=[ko])

    def test_no_console(self):
        c = os.path.join(self.tmp, 'never-written.console')
        found = self.assertFail(c, 'module', 'guest init never started (no begin marker)')
        self.assertEqual(found[0], 'no console log (No such file or directory)')
        os.remove(self.tsv)
        found = self.assertFail(c, 'intree', kos=[])
        self.assertEqual(found[:2], ['no console log (No such file or directory)',
                                     'kernel never finished the KUnit run (no restart after it)'])

    # The command line, as cell.sh and run-with-headers.sh call it.

    def test_cli(self):
        def judge(*args):
            return subprocess.run([sys.executable, support.JUDGE, 'verdict',
                                   '--kunit', self.kunit, '--results', self.tsv] + list(args),
                                  capture_output=True, text=True)
        c = self.console('module-fail.console')
        r = judge('--mode', 'module', '--label', 'v7.2-arm64-gcc-15 unpatched (conformance)',
                  '--console', c, '--ko', self.ko, '--expect', support.fixture('align-flex.expect'))
        self.assertEqual((r.returncode, r.stderr), (0, ''))
        self.assertEqual(r.stdout, 'PASS  v7.2-arm64-gcc-15 unpatched (conformance): 4/5 cases '
                                   'passed, the 1 expected failures seen\n'
                                   f'      console: {c}\n')
        r = judge('--mode', 'module', '--label', 'v7.2-arm64-gcc-15 insmod', '--console', c,
                  '--ko', self.ko)
        self.assertEqual((r.returncode, r.stderr), (1, ''))
        self.assertEqual(r.stdout, 'FAIL  v7.2-arm64-gcc-15 insmod: 4/5 cases passed\n'
                                   f'      failed: {ALIGN_FLEX} (FAIL)\n'
                                   f'      console: {c}\n')
        self.assertEqual(read(self.tsv), [
            Row('v7.2-arm64-gcc-15 unpatched (conformance)', 'PASS', '4/5',
                '4/5 cases passed, the 1 expected failures seen'),
            Row('v7.2-arm64-gcc-15 insmod', 'FAIL', '4/5', f'failed: {ALIGN_FLEX} (FAIL)')])


PARSERS = support.kunit_parsers()
for _name, _path in PARSERS.items():
    _cls = f'VerdictRuns_{re.sub(r"[^0-9A-Za-z]", "_", _name)}'
    globals()[_cls] = type(_cls, (VerdictRuns, unittest.TestCase),
                           {'kunit': _path, '__doc__': f'The verdict with {_path}'})

if not PARSERS:
    class NoKunitParser(unittest.TestCase):
        def test_a_kunit_py_to_judge_with(self):
            self.fail(support.NO_PARSER)


if __name__ == '__main__':
    unittest.main()
