"""The verdict judge (scripts/kmo/verdict.py) on doctored console logs.

Three clean consoles are the starting point, one of each format the runs
produce:
  module-numbered.console  a module on v6.1: no top-level KTAP header, the
                           suites numbered after the built-in ones (3, 4)
  module-header.console    a module on v6.12 and later: "KTAP version 1",
                           "1..2" of its own
  intree-pass.console      the built-in run (kunit.py exec), ending at the
                           kernel's restart line
Each test makes one console from them (a line inserted, duplicated,
changed or moved: the test says which) and checks the verdict and the
problem that names the defect. The suites they show are those of
fixtures/suites.c, the --source of every run.

The verdict hands the KTAP to the tree's own kunit.py as well, so every
test of the *Runs classes runs once for each parser found (see
support.kunit_parsers): one class per kunit.py, named after its tree.
Finding none is a failure, not a skip: a judge that was never run must not
look like one that passed.
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
from kmo import suites, verdict
from kmo.rows import Row, read

SIZES, ALIGN = 'kmalloc_obj_sizes', 'kmalloc_obj_align'
ALIGN_FLEX = 'kmalloc_obj_align.align_flex_test'
BEGIN = '[    0.623310] kmalloc-obj-guest: begin'
END = '[    0.651002] kmalloc-obj-guest: end'
T = '[    0.970500] '          # the time stamp of the lines the tests add

# The clean consoles: (fixture, mode) by format.
V61, V72, INTREE = 'v6.1 module', 'v7.2 module', 'in-tree'
FORMATS = {V61: ('module-numbered.console', 'module'),
           V72: ('module-header.console', 'module'),
           INTREE: ('intree-pass.console', 'intree')}

# Reports that fail the whole run wherever they appear, as the kernels
# print them. (WARNINGs and failed allocations during a case are given to
# the case instead: see the tests of WARNED and REPORTED.)
REPORTS = [
    'kunit_try_catch invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    'rcu: INFO: rcu_sched detected stalls on CPUs/tasks:',
    'rcu: INFO: rcu_preempt self-detected stall on CPU',
    'INFO: task kworker/0:1:12 blocked for more than 120 seconds.',
    'kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)',
    'unreferenced object 0xffff888003a1c000 (size 96):',
    'kmalloc-obj-guest: kmemleak scan failed',
    'list_add corruption. prev->next should be next (ffff888003a1c000), but was '
    '0000000000000000. (prev=ffff888003a1c100).',
    'list_del corruption, ffff888003a1c000->next is LIST_POISON1 (dead000000000100)',
    'refcount_t: underflow; use-after-free.',
    'refcount_t: saturated; leaking memory.',
    "usercopy: Kernel memory overwrite attempt detected to SLUB object 'kmalloc-96' "
    '(offset 0, size 128)!',
    "usercopy: Kernel memory exposure attempt detected from SLUB object 'kmalloc-96' "
    '(offset 0, size 128)!',
    'memcpy: detected buffer overflow: 16 byte write of buffer size 8',
    'detected buffer overflow in memcpy',
    'strnlen: detected buffer overflow: 9 byte read of buffer size 8',
    'BUG kmalloc-96 (Not tainted): Right Redzone overwritten',
    'BUG kmalloc-96 (Tainted: G                 N): Poison overwritten',
    'kmalloc-96: Left Redzone overwritten',
    'kmalloc-96: Poison overwritten',
    'kmalloc-96: Object padding overwritten',
    'kmalloc-96: Freepointer corrupt',
    'slab kmalloc-96: double free of 0xffff888003a1c000',
    'BUG: KASAN: slab-out-of-bounds in sizes_flex_test+0x1a4/0x3c0 [kmalloc_obj_kunit]',
    'KASAN: null-ptr-deref in range [0x0000000000000000-0x0000000000000007]',
    'UBSAN: array-index-out-of-bounds in lib/tests/kmalloc_obj_kunit.c:212:9',
    'KFENCE: out-of-bounds read in sizes_obj_test+0x4c/0x120',
    'KCSAN: data-race in __kmalloc_noprof / kfree',
    'KMSAN: uninit-value in counter_set_test+0x30/0x90',
    'kernel BUG at mm/slub.c:449!',
    'BUG: sleeping function called from invalid context at mm/slub.c:4821',
    'BUG: scheduling while atomic: kunit_try_catch/52/0x00000002',
    'BUG: kernel NULL pointer dereference, address: 0000000000000008',
    'Oops: general protection fault, probably for non-canonical address '
    '0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN NOPTI',
    'general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000',
    'Internal error: Oops: 0000000096000004 [#1] PREEMPT SMP',
    'Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008',
    'Kernel panic - not syncing: Fatal exception',
    'stack-protector: Kernel stack is corrupted in: sizes_obj_test+0x1a4/0x1b0',
    'kmalloc-obj-guest: insmod failed: /modules/1-kmalloc_obj_kunit.ko',
]
# Before any of them: nothing, a time stamp, a printk caller id, both.
PREFIXES = ['', '[    3.141592] ', '[    T1] ', '[  C0] ', '[    3.141592][    T1] ',
            '[    3.141592] [ T123] ']
# Lines that look alarming but are not reports.
HARMLESS = [
    '[    0.000000] kasan: KernelAddressSanitizer initialized (generic)',
    '[    0.012345] ACPI BIOS Warning (bug): Incorrect checksum in table [BGRT]',
    '[    0.971880]     # align_flex_test: EXPECTATION FAILED at lib/tests/kmalloc_obj_kunit.c:389',
    '[    0.640105] kmalloc_obj_kunit: loading out-of-tree module taints kernel.',
    '[    0.100000] DEBUG_BUGVERBOSE: on',
    '[    0.100000] Spectre V1 : Vulnerable: __user pointer sanitization and usercopy '
    'barriers only; no swapgs barriers',
    '[    0.100000] mem auto-init: stack:all(zero), heap alloc:off, heap free:off',
]
# A WARNING block as the kernels print it (x86), and arm64's trace line.
WARN_BLOCK = [
    '------------[ cut here ]------------',
    'WARNING: CPU: 0 PID: 52 at mm/slub.c:4821 __kmalloc_noprof+0x2d1/0x3c0',
    'Modules linked in: kmalloc_obj_kunit(O+)',
    'CPU: 0 UID: 0 PID: 52 Comm: kunit_try_catch Tainted: G           O       6.12.117 #1',
    'RIP: 0010:__kmalloc_noprof+0x2d1/0x3c0',
    'Call Trace:',
    ' <TASK>',
    ' sizes_objs_test+0x5c/0x1a0 [kmalloc_obj_kunit]',
    ' kunit_try_run_case+0x6d/0x160',
    ' </TASK>',
    '---[ end trace 0000000000000000 ]---',
]
WARNING_LINE = WARN_BLOCK[1]
# What warn_alloc() prints for an allocation that failed, dump_stack included.
ALLOC_FAILURE = [
    'kunit_try_catch: page allocation failure: order:10, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), '
    'nodemask=(null)',
    'CPU: 0 UID: 0 PID: 52 Comm: kunit_try_catch Tainted: G           O       6.12.117 #1',
    'Call Trace:',
    ' <TASK>',
    ' dump_stack_lvl+0x5d/0x80',
    ' warn_alloc+0x15b/0x1d0',
    ' </TASK>',
    'Mem-Info:',
    'active_anon:0 inactive_anon:0 isolated_anon:0',
]
VMALLOC_ERROR = 'kunit_try_catch: vmalloc error: size 4294967296, exceeds total pages, ' \
                'mode:0xdc0(GFP_KERNEL|__GFP_ZERO), nodemask=(null)'
# Kernel chatter that lands between KTAP lines in real consoles.
CHATTER = [
    'Freeing initrd memory: 2172K',
    'random: crng init done',
    'kmalloc_flex(struct kmo_fa64, items, 1 + __i): 4 of 24 objects not aligned to 64',
    '    Expected __bad == 0, but',
    '        __bad == 4 (0x4)',
    '',
    '    # sizes_objs_test: pass:1 fail:0 skip:0 total:1',
    '# Totals: pass:3 fail:0 skip:0 total:3',
]


def problems(out):
    """The problem lines of a verdict's output (between the verdict line
    and the console line)."""
    lines = out.splitlines()
    return [l[6:] for l in lines[1:-1]]


# Doctoring: lines are found by their message (time stamp off), edited
# as whole lines.

def msg(line):
    return verdict.strip(line)


def find(lines, text, start=0):
    """The index of the first line from start whose message is text."""
    for i in range(start, len(lines)):
        if msg(lines[i]) == text:
            return i
    raise AssertionError(f'{text!r} not in the console')


def region_start(lines):
    """Where the run's KTAP may start: after a module's begin marker."""
    return next((i + 1 for i, l in enumerate(lines) if msg(l) == verdict.BEGIN), 0)


def suite_span(lines, suite):
    """(first, end): lines[first:end] are the suite, from its own KTAP
    header (if it has one) to its result line."""
    s = find(lines, f'    # Subtest: {suite}', region_start(lines))
    first = s - 1 if msg(lines[s - 1]) == '    KTAP version 1' else s
    end = next(i for i in range(s, len(lines))
               if re.fullmatch(rf'(not )?ok \d+ {suite}', msg(lines[i])))
    return first, end + 1


def stream_span(lines):
    """(first, end) of the stream: the top-level header (if the console has
    one) to the last suite's result line."""
    start = region_start(lines)
    first = next((i for i in range(start, len(lines)) if msg(lines[i]) == 'KTAP version 1'),
                 None)
    if first is None:
        first = suite_span(lines, SIZES)[0]
    return first, suite_span(lines, ALIGN)[1]


def renumber(line, n):
    """A result line with the number n."""
    return re.sub(r'\b((?:not )?ok )\d+', rf'\g<1>{n}', line, count=1)


def top_number(line):
    return int(re.search(r'\bok (\d+)', line).group(1))


def failing(lines, case):
    """The lines with case failing, and its suite's result line too (as
    KUnit prints it)."""
    lines = list(lines)
    i = next(n for n, l in enumerate(lines) if re.fullmatch(rf'    ok \d+ {case}', msg(l)))
    j = next(n for n in range(i, len(lines)) if re.fullmatch(r'ok \d+ \S+', msg(lines[n])))
    lines[i] = lines[i].replace('    ok ', '    not ok ', 1)
    lines[j] = re.sub(r'\bok (\d+)', r'not ok \1', lines[j], count=1)
    return lines


def insert_before(lines, text, new, start=0):
    i = find(lines, text, start)
    return lines[:i] + list(new) + lines[i:]


def insert_after(lines, text, new, start=0):
    i = find(lines, text, start) + 1
    return lines[:i] + list(new) + lines[i:]


def replace(lines, text, new, start=0):
    i = find(lines, text, start)
    return lines[:i] + list(new) + lines[i + 1:]


def stamped(block, t=T):
    return [t + l for l in block]


class VerdictLogic(unittest.TestCase):
    """The parts of the verdict that do not need kunit.py."""

    def test_reports_with_every_prefix(self):
        # Every report, behind every prefix, is found (unanchored).
        for line in REPORTS + [WARNING_LINE, 'Call Trace:', 'Call trace:', ALLOC_FAILURE[0],
                               VMALLOC_ERROR]:
            for prefix in PREFIXES:
                with self.subTest(line=prefix + line):
                    self.assertEqual(verdict.crash_report(['[    0.1] boot', prefix + line, 'l']),
                                     f'console reports: {(prefix + line).strip()[:120]}')

    def test_every_report_fails_a_console(self):
        # Each report in the middle of a case of a console of each format,
        # behind each prefix: the whole judge (kunit.py left out: it does
        # not read reports; ReportRuns asks it for a few).
        source = suites.read([support.SUITES])
        with tempfile.TemporaryDirectory() as tmp:
            ko = os.path.join(tmp, 'm.ko')
            support.write_ko(ko, 2)
            for fmt, (name, mode) in FORMATS.items():
                with open(support.fixture(name)) as f:
                    clean = f.read().split('\n')
                self.assertEqual(verdict.judge(clean, mode, None, source, [ko]).problems, [])
                for n, report in enumerate(REPORTS):
                    line = PREFIXES[n % len(PREFIXES)] + report
                    with self.subTest(format=fmt, line=line):
                        j = verdict.judge(insert_before(clean, '    ok 1 sizes_obj_test', [line]),
                                          mode, None, source, [ko])
                        self.assertEqual((j.verdict, j.problems),
                                         ('FAIL', [f'console reports: {line.strip()[:120]}']))

    def test_harmless_lines(self):
        for line in HARMLESS + CHATTER:
            with self.subTest(line=line):
                self.assertIsNone(verdict.crash_report([line]))

    def test_first_report_only(self):
        self.assertEqual(verdict.crash_report([REPORTS[22], REPORTS[0]]),
                         f'console reports: {REPORTS[22][:120]}')

    def test_strip(self):
        for prefix in PREFIXES:
            with self.subTest(prefix=prefix):
                self.assertEqual(verdict.strip(prefix + '    ok 1 x'), '    ok 1 x')

    def test_result_statuses(self):
        # Only a plain "ok" is a pass; a directive of any spelling is its
        # word in capitals, never PASS.
        for line, status in (('ok 1 x', 'PASS'), ('not ok 1 x', 'FAIL'), ('ok 1 - x', 'PASS'),
                             ('ok 1 x # SKIP why', 'SKIP'), ('ok 1 x # skip', 'SKIP'),
                             ('not ok 1 x # SKIP', 'SKIP'), ('ok 1 x #SKIP', 'SKIP'),
                             ('ok 1 x # TODO', 'TODO'), ('ok 1 x # todo soon', 'TODO'),
                             ('ok 1 x # XFAIL', 'XFAIL'), ('ok 1 x # PASS', 'DIRECTIVE'),
                             ('ok 1 x #', 'DIRECTIVE'), ('ok 1 x # 42', 'DIRECTIVE')):
            with self.subTest(line=line):
                self.assertEqual(verdict.result_fields(verdict.RESULT.match(line)),
                                 (1, 'x', status))

    def test_kunit_rule(self):
        # KUnit's own rule for a suite's status.
        self.assertEqual(verdict.kunit_rule(['PASS', 'SKIP']), 'PASS')
        self.assertEqual(verdict.kunit_rule(['SKIP', 'SKIP']), 'SKIP')
        self.assertEqual(verdict.kunit_rule(['PASS', 'FAIL', 'SKIP']), 'FAIL')
        self.assertEqual(verdict.kunit_rule(['PASS', 'TODO']), 'FAIL')

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
            # i386: 4-byte pointers.
            support.write_ko(ko, 6, machine=3, bits=32)
            self.assertEqual(verdict.suites_in_ko(ko), 6)
            # The standalone KTAP mode lists its suites in a section of its
            # own; no other section counts.
            support.write_ko(ko, 7, section_name='.kmo_ktap_suites')
            self.assertEqual(verdict.suites_in_ko(ko), 7)
            support.write_ko(ko, 3, machine=3, bits=32, section_name='.kmo_ktap_suites')
            self.assertEqual(verdict.suites_in_ko(ko), 3)
            support.write_ko(ko, 4, section_name='.kmo_other_suites')
            self.assertEqual(verdict.suites_in_ko(ko), 0)
        with self.assertRaisesRegex(ValueError, r'not-elf\.ko is not a readable ELF module: '
                                                r'readelf: Error: '):
            verdict.suites_in_ko(support.fixture('not-elf.ko'))

    def test_region(self):
        body = ['a', verdict.BEGIN, 'b', verdict.END, 'c']
        self.assertEqual(verdict.region(body, 'module'), (2, 3, []))
        self.assertEqual(verdict.region(body + [verdict.BEGIN], 'module'),
                         (2, 3, ['the begin marker printed 2 times']))
        self.assertEqual(verdict.region([verdict.END, verdict.BEGIN, 'x'], 'module'),
                         (2, 3, ['the end marker before the begin marker']))
        self.assertEqual(verdict.region(['x', 'reboot: Power down', 'y'], 'intree'), (0, 1, []))

    def test_module_ktap_renumbers_after_builtin_suites(self):
        # 6.1 prints no top-level header for a module and numbers its
        # suites after the built-in ones (3, 4 here): the header is added,
        # the suites numbered from 1, the cases left alone.
        with tempfile.TemporaryDirectory() as tmp:
            ko = os.path.join(tmp, 'm.ko')
            support.write_ko(ko, 2)
            body = [verdict.strip(l)
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
        body = [verdict.strip(l)
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
        j = verdict.Judgement('PASS', 4, 5, [], expected_failures=1)
        self.assertEqual(verdict.detail(j, 'slub_debug=FZPU'),
                         '4/5 cases passed, the 1 expected failures seen, slub_debug=FZPU')
        j = verdict.Judgement('FAIL', 5, 5, ['x'], expected_failures=1)
        self.assertEqual(verdict.detail(j), '5/5 cases passed')
        # Skips are never counted as passes, and said apart.
        j = verdict.Judgement('PASS', 21, 23, [], skipped=2)
        self.assertEqual(verdict.detail(j), '21/23 cases passed, 2 skipped as expected '
                                            '(not exercisable here)')
        self.assertEqual(verdict.cases_column(j), '21/23 (2 skipped)')
        j = verdict.Judgement('FAIL', 21, 23, ['x'], skipped=2)
        self.assertEqual(verdict.detail(j), '21/23 cases passed, 2 skipped')


class Runs:
    """The whole verdict, with one kunit.py (the class attribute kunit)."""
    kunit = None

    def setUp(self):
        self.assertTrue(os.path.isfile(self.kunit), f'no kunit.py at {self.kunit}')
        self.tmp = tempfile.mkdtemp(prefix='judge-verdict-')
        self.tsv = os.path.join(self.tmp, 'results.tsv')
        self.ko = os.path.join(self.tmp, 'kmalloc_obj_kunit.ko')
        support.write_ko(self.ko, 2)
        self.n = 0

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def console(self, name, edit=None):
        """A copy of a fixture console (by file name or format) in the
        temporary directory (the verdict writes CONSOLE.parsed beside it),
        edited by edit(lines). Each call writes a new file."""
        name = FORMATS.get(name, (name,))[0]
        with open(support.fixture(name)) as f:
            lines = f.read().split('\n')
        if edit:
            lines = edit(lines)
        self.n += 1
        path = os.path.join(self.tmp, f'{self.n}-{name}')
        with open(path, 'w') as f:
            f.write('\n'.join(lines))
        return path

    def expect_file(self, *lines):
        self.n += 1
        path = os.path.join(self.tmp, f'{self.n}.expect')
        with open(path, 'w') as f:
            f.write(''.join(l + '\n' for l in lines))
        return path

    def run_verdict(self, console, mode, kos=None, expect=None, note='', label='run',
                    sources=None, sections=(), left_out=(), kmemleak=False):
        """(exit status, output, rows written) of one verdict. The rows
        file is started anew."""
        if os.path.exists(self.tsv):
            os.remove(self.tsv)
        if kos is None:
            kos = [self.ko] if mode == 'module' else []
        expects = [expect] if isinstance(expect, str) else list(expect or [])
        out = io.StringIO()
        rc = verdict.run(console, mode, self.kunit, label, kos=kos,
                         sources=sources or [support.SUITES], expects=expects,
                         sections=sections, results=self.tsv, note=note, out=out,
                         left_out=left_out, kmemleak=kmemleak)
        return rc, out.getvalue(), read(self.tsv)

    def assertPass(self, console, mode, detail='5/5 cases passed', cases=None, **kw):
        rc, out, rows = self.run_verdict(console, mode, **kw)
        self.assertEqual(out, f'PASS  run: {detail}\n      console: {console}\n')
        self.assertEqual(rc, 0)
        self.assertEqual(rows, [Row('run', 'PASS', cases or detail.split(' ')[0], detail)])

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

    def each_format(self, edit, *expected, formats=FORMATS, **kw):
        """assertFail (or, with expected == ('PASS',), assertPass) of the
        console of each format edited by edit(lines, format)."""
        for fmt in formats:
            name, mode = FORMATS[fmt]
            with self.subTest(format=fmt):
                c = self.console(name, lambda lines, fmt=fmt: edit(lines, fmt))
                if expected == ('PASS',):
                    self.assertPass(c, mode, **kw)
                else:
                    self.assertFail(c, mode, *expected, **kw)

    def parsed(self, console):
        return f'KTAP stream incomplete or malformed (see {console}.parsed)'


class PassRuns(Runs):
    """Consoles that must pass."""

    def test_clean_consoles_pass(self):
        for fmt, (name, mode) in FORMATS.items():
            with self.subTest(format=fmt):
                c = self.console(name)
                self.assertPass(c, mode)
        with open(c + '.parsed') as f:
            self.assertIn('kmalloc_obj_align', f.read())

    def test_intree_tap14_pass(self):
        # The older framing, which every tree's parser still accepts:
        # "TAP version 14" and suites with "# Subtest:" only.
        def tap14(lines):
            lines = [l for l in lines if not l.endswith('    KTAP version 1')]
            return [l.replace('KTAP version 1', 'TAP version 14') for l in lines]
        self.assertPass(self.console(INTREE, tap14), 'intree')

    def test_serial_line_ends_pass(self):
        # QEMU's serial console ends lines with \r\n.
        c = self.console(V61)
        with open(c) as f:
            text = f.read()
        with open(c, 'w', newline='') as f:
            f.write(text.replace('\n', '\r\n'))
        self.assertPass(c, 'module')

    def test_two_modules_of_one_suite_each_pass(self):
        # v6.1: two modules of one suite each count as the two suites.
        a, b = os.path.join(self.tmp, 'a.ko'), os.path.join(self.tmp, 'b.ko')
        support.write_ko(a, 1)
        support.write_ko(b, 1)
        self.assertPass(self.console(V61), 'module', kos=[a, b])

    def test_note(self):
        self.assertPass(self.console(V72), 'module',
                        detail='5/5 cases passed, slub_debug=FZPU', note='slub_debug=FZPU')

    def test_caller_prefixed_consoles_pass(self):
        # CONFIG_PRINTK_CALLER: "[    T1]" or a CPU's "[  C0]" right after
        # the time stamp, or in its place.
        for fmt, prefix in ((V61, '[    T1]'), (V72, '[  C0]'), (INTREE, '[T12345]')):
            self.each_format(lambda lines, fmt, prefix=prefix: [
                re.sub(r'^(\[\s*\d+\.\d+\])', rf'\1{prefix}', l) for l in lines],
                'PASS', formats=[fmt])
        self.each_format(lambda lines, fmt: [re.sub(r'^\[\s*\d+\.\d+\] ', '[    T1] ', l)
                                             for l in lines], 'PASS', formats=[V72])

    def test_chatter_between_ktap_lines_passes(self):
        # Kernel messages and diagnostics between the KTAP lines of the
        # stream are normal (but see the next test).
        def chatter(lines, fmt):
            first, end = stream_span(lines)
            out = lines[:first]
            for n, l in enumerate(lines[first:end]):
                out.append(l)
                if msg(l) != '    KTAP version 1':
                    out.append(T + CHATTER[n % len(CHATTER)])
            return out + lines[end:]
        self.each_format(chatter, 'PASS')

    def test_chatter_before_a_subtest_line_fails(self):
        # No kunit.py reads a suite whose "# Subtest:" does not follow its
        # KTAP header at once, so neither does the verdict pass it.
        c = self.console(V72, lambda lines: insert_after(
            lines, '    KTAP version 1', [T + CHATTER[0]], region_start(lines)))
        self.assertFail(c, 'module', re.compile(r'^(kunit\.py parse disagrees|KTAP stream '
                                                r'incomplete or malformed) \(see '))

    def test_spectre_usercopy_line_passes(self):
        # x86's boot line names "usercopy barriers": not a usercopy report.
        spectre = T + HARMLESS[5]
        self.assertPass(self.console(INTREE, lambda lines: insert_before(
            lines, 'KTAP version 1', [spectre])), 'intree')
        self.assertPass(self.console(V61, lambda lines: insert_before(
            lines, '    ok 1 sizes_obj_test', [spectre])), 'module')

    def test_expected_warning_with_its_block_passes(self):
        # A WARNING while a case ran fails that case as WARNED, and an
        # expectation can name it: the whole block (cut here .. end trace,
        # its Call Trace included) belongs to the case. On arm64 the trace
        # says "Call trace:".
        exp = self.expect_file('kmalloc_obj_sizes.sizes_objs_test')
        detail = '4/5 cases passed, the 1 expected failures seen'
        for fmt, trace in ((V72, 'Call Trace:'), (INTREE, 'Call trace:')):
            block = [l.replace('Call Trace:', trace) for l in WARN_BLOCK]
            self.each_format(lambda lines, fmt: insert_before(lines, '    ok 2 sizes_objs_test',
                                                              stamped(block)),
                             'PASS', formats=[fmt], detail=detail, expect=exp)
        # v6.1's fixture, as it came.
        self.assertPass(self.console('module-warning.console'), 'module', detail=detail,
                        expect=exp)

    def test_expected_warning_without_cut_here_passes(self):
        # Some WARNs (lockdep, RCU) print no "cut here": the block starts at
        # the WARNING line.
        self.each_format(lambda lines, fmt: insert_before(lines, '    ok 2 sizes_objs_test',
                                                          stamped(WARN_BLOCK[1:])),
                         'PASS', formats=[INTREE],
                         detail='4/5 cases passed, the 1 expected failures seen',
                         expect=self.expect_file('kmalloc_obj_sizes.sizes_objs_test'))

    def test_expected_failure_passes(self):
        self.assertPass(self.console('module-fail.console'), 'module',
                        detail='4/5 cases passed, the 1 expected failures seen',
                        expect=support.fixture('align-flex.expect'))

    def test_expected_skip_passes(self):
        # A case a cell cannot exercise skips, and the expectation says so:
        # the verdict says the skip apart from the passes.
        exp = self.expect_file('# not exercisable here', 'kmalloc_obj_align.align_obj_test SKIP')
        detail = '4/5 cases passed, 1 skipped as expected (not exercisable here)'

        def skip(lines, fmt):
            return [l + ' # SKIP no vmalloc fallback here' if msg(l) == '    ok 1 align_obj_test'
                    else l for l in lines]
        self.each_format(skip, 'PASS', formats=[V61, INTREE], detail=detail,
                         cases='4/5 (1 skipped)', expect=exp)
        self.assertPass(self.console('module-skip.console'), 'module', detail=detail,
                        cases='4/5 (1 skipped)', expect=exp)

    def test_expected_skip_from_a_section_passes(self):
        # tests/skips.expect: one "[BASE/ARCH/COMPILER]" section per cell.
        skips = self.expect_file('[v7.2/arm64/gcc-15]', 'kmalloc_obj_align.align_obj_test SKIP',
                                 '[v7.2/x86_64/gcc-15]', 'kmalloc_obj_align.align_flex_test SKIP')
        self.assertPass(self.console('module-skip.console'), 'module',
                        detail='4/5 cases passed, 1 skipped as expected (not exercisable here)',
                        cases='4/5 (1 skipped)', sections=[f'{skips}:v7.2/arm64/gcc-15'])

    def test_expected_skip_and_failure_pass(self):
        exp = self.expect_file('kmalloc_obj_align.align_obj_test SKIP')
        c = self.console('module-fail.console', lambda lines: replace(
            lines, '    ok 1 align_obj_test', [T + '    ok 1 align_obj_test # SKIP not here']))
        self.assertPass(c, 'module',
                        detail='3/5 cases passed, 1 skipped as expected (not exercisable here), '
                               'the 1 expected failures seen', cases='3/5 (1 skipped)',
                        expect=[exp, support.fixture('align-flex.expect')])

    def test_expected_allocation_failure_passes(self):
        # The report of a failed allocation during a case (warn_alloc(): its
        # dump_stack up to the next KTAP line) fails the case as REPORTED.
        exp = self.expect_file('kmalloc_obj_sizes.sizes_objs_test')
        for fmt, report in ((V61, ALLOC_FAILURE), (V72, [VMALLOC_ERROR] + ALLOC_FAILURE[1:])):
            self.each_format(lambda lines, fmt: insert_before(lines, '    ok 2 sizes_objs_test',
                                                              stamped(report)),
                             'PASS', formats=[fmt],
                             detail='4/5 cases passed, the 1 expected failures seen', expect=exp)

    def test_two_sources_pass(self):
        # --source twice: the suites of both files, each once.
        third = ['    KTAP version 1', '    # Subtest: kmalloc_obj_counter', '    1..2',
                 '    ok 1 counter_set_test', '    ok 2 counter_zero_test']

        def add_suite(lines, fmt):
            end = stream_span(lines)[1]
            last = top_number(lines[end - 1])
            lines = (lines[:end] + stamped(third + [f'ok {last + 1} kmalloc_obj_counter'])
                     + lines[end:])
            plan = find(lines, '1..2', region_start(lines)) if fmt != V61 else None
            if plan is not None:
                lines[plan] = lines[plan].replace('1..2', '1..3')
            return lines
        ko = os.path.join(self.tmp, 'three.ko')
        support.write_ko(ko, 3)
        self.each_format(add_suite, 'PASS', detail='7/7 cases passed', kos=[ko],
                         sources=[support.SUITES, support.SUITES_COUNTER])


class StreamRuns(Runs):
    """One stream, each suite and case once: doctored streams that fail."""

    def test_case_twice_failing_copy_first(self):
        # The failing copy of align_obj_test first, then a passing one (the
        # plan and numbers made to fit): kept by name, the last copy passed.
        def twice(lines, fmt):
            lines = replace(lines, '    1..2', [T + '    1..3'], suite_span(lines, ALIGN)[0])
            lines = replace(lines, '    ok 1 align_obj_test',
                            [T + '    not ok 1 align_obj_test', T + '    ok 2 align_obj_test'])
            lines = replace(lines, '    ok 2 align_flex_test', [T + '    ok 3 align_flex_test'])
            end = suite_span(lines, ALIGN)[1] - 1
            lines[end] = lines[end].replace('] ok ', '] not ok ')
            return lines
        self.each_format(twice, 'cases reported twice: kmalloc_obj_align.align_obj_test')

    def test_same_suites_from_two_modules_failing_copy_first(self):
        # Two modules with the same suites, the first one failing. With a
        # header of its own each module's stream is a second stream; on
        # 6.1 the suites come twice in one.
        a, b = os.path.join(self.tmp, 'a.ko'), os.path.join(self.tmp, 'b.ko')
        support.write_ko(a, 2)
        support.write_ko(b, 2)

        def two(lines, fmt):
            first, end = stream_span(lines)
            copy = failing(lines[first:end], 'align_flex_test')
            if fmt == V61:      # numbered on: 3, 4 then 5, 6
                lines = [renumber(l, top_number(l) + 2)
                         if re.fullmatch(r'ok \d+ kmalloc_obj_\w+', msg(l)) else l for l in lines]
            return lines[:first] + copy + lines[first:]
        self.each_format(two, 'a second KTAP stream after the end of the first: KTAP version 1',
                         'the stream plans 2 suites, the module(s) register 4',
                         f'failed: {ALIGN_FLEX} (FAIL)', formats=[V72], kos=[a, b])
        self.each_format(two, 'suite kmalloc_obj_sizes printed twice',
                         'suite kmalloc_obj_align printed twice', formats=[V61], kos=[a, b])

    def test_complete_stream_then_a_failing_one(self):
        # Reading must not stop once the plan is met.
        def again(lines, fmt):
            first, end = stream_span(lines)
            copy = failing(lines[first:end], 'align_flex_test')
            if fmt == V61:
                copy = [renumber(l, top_number(l) + 2)
                        if re.fullmatch(r'(not )?ok \d+ kmalloc_obj_\w+', msg(l)) else l
                        for l in copy]
            return lines[:end] + copy + lines[end:]
        self.each_format(again, re.compile(r'^a second KTAP stream after the end of the first'),
                         formats=[V72, INTREE])
        self.each_format(again, re.compile(r'^KTAP after the end of the stream: KTAP version 1 '
                                           r'\(and \d+ more lines\)$'), formats=[V61])

    def test_complete_stream_then_an_extra_failing_suite(self):
        extra = ['    KTAP version 1', '    # Subtest: kmalloc_obj_extra', '    1..1',
                 '    not ok 1 extra_test']

        def more(lines, fmt):
            end = stream_span(lines)[1]
            last = top_number(lines[end - 1])
            return (lines[:end] + stamped(extra + [f'not ok {last + 1} kmalloc_obj_extra'])
                    + lines[end:])
        self.each_format(more, 'KTAP after the end of the stream: KTAP version 1 (and 4 more lines)')

    def test_suite_twice_and_another_gone(self):
        # kmalloc_obj_sizes in the place of kmalloc_obj_align: the count of
        # suites fits the plan.
        def swap(lines, fmt):
            first, end = suite_span(lines, ALIGN)
            s_first, s_end = suite_span(lines, SIZES)
            copy = lines[s_first:s_end - 1] + [renumber(lines[s_end - 1],
                                                        top_number(lines[end - 1]))]
            return lines[:first] + copy + lines[end:]
        self.each_format(swap, 'suite kmalloc_obj_sizes printed twice',
                         'suites missing: kmalloc_obj_align')

    def test_case_missing_although_the_plan_fits(self):
        # Three results for a plan of three, but sizes_objs_test is not
        # among them: another name in its place, or another case twice.
        for fmt, other, also in (
                (V61, 'sizes_other_test', 'cases not in the source: kmalloc_obj_sizes.sizes_other_test'),
                (V72, 'sizes_obj_test', 'cases reported twice: kmalloc_obj_sizes.sizes_obj_test'),
                (INTREE, 'sizes_flex_test', 'cases reported twice: kmalloc_obj_sizes.sizes_flex_test')):
            self.each_format(lambda lines, fmt: replace(lines, '    ok 2 sizes_objs_test',
                                                        [T + f'    ok 2 {other}']),
                             'cases missing: kmalloc_obj_sizes.sizes_objs_test', also,
                             formats=[fmt])

    def test_none_of_our_suites(self):
        # A run of some other suite: nothing of ours ran.
        other = ['    KTAP version 1', '    # Subtest: list_sort', '    1..1',
                 '    ok 1 list_sort_test', 'ok 1 list_sort']

        def others(lines, fmt):
            first, end = stream_span(lines)
            head = [l.replace('1..2', '1..1') for l in lines[first:first + 2]] if fmt != V61 else []
            return lines[:first] + head + stamped(other) + lines[end:]
        one = os.path.join(self.tmp, 'one.ko')
        support.write_ko(one, 1)
        self.each_format(others, 'suite list_sort is not in the source',
                         'suites missing: kmalloc_obj_sizes, kmalloc_obj_align',
                         formats=[INTREE, V61], kos=[one])

    def test_no_result_at_all(self):
        # A header and a plan of nothing: no case ran.
        self.each_format(lambda lines, fmt: lines[:stream_span(lines)[0]]
                         + stamped(['KTAP version 1', '1..0']) + lines[stream_span(lines)[1]:],
                         'no test case results found', formats=[V72])

    def test_case_numbers(self):
        self.each_format(
            lambda lines, fmt: replace(lines, '    ok 2 sizes_objs_test',
                                       [T + '    ok 3 sizes_objs_test']),
            'suite kmalloc_obj_sizes: case numbered 3 where 2 was due: ok 3 sizes_objs_test',
            formats=[V72])

    def test_suite_numbers(self):
        # On 6.1 the module's suites are numbered from wherever the first
        # one starts, then in turn.
        def bump(lines, fmt):
            end = suite_span(lines, ALIGN)[1] - 1
            lines[end] = renumber(lines[end], top_number(lines[end]) + 1)
            return lines
        self.each_format(bump, re.compile(r'^suite result numbered 3 where 2 was due: ok \d+ '
                                          r'kmalloc_obj_align$'), formats=[V61, INTREE])

    def test_more_cases_than_the_plan(self):
        self.each_format(
            lambda lines, fmt: replace(lines, '    1..3', [T + '    1..2']),
            'suite kmalloc_obj_sizes: more case results than its plan 1..2: ok 3 sizes_flex_test',
            'suite kmalloc_obj_sizes: 3 case results, its plan says 2', formats=[INTREE])

    def test_fewer_cases_than_the_plan(self):
        self.each_format(
            lambda lines, fmt: replace(lines, '    1..3', [T + '    1..4']),
            'suite kmalloc_obj_sizes: 3 case results, its plan says 4', formats=[V61])

    def test_suite_result_of_another_name(self):
        self.each_format(
            lambda lines, fmt: [re.sub(r'ok (\d+) kmalloc_obj_sizes$', r'ok \1 kmalloc_obj_size', l)
                                for l in lines],
            re.compile(r'^suite kmalloc_obj_sizes ends with the result line of '
                       r'"kmalloc_obj_size"'), formats=[V72])

    def test_suite_status_against_its_cases(self):
        # "not ok" for a suite whose cases all passed, "ok" for one whose
        # case failed (even where that failure is expected).
        def not_ok(lines, fmt):
            end = suite_span(lines, SIZES)[1] - 1
            lines[end] = lines[end].replace('] ok ', '] not ok ')
            return lines
        self.each_format(not_ok, re.compile(r'^suite kmalloc_obj_sizes: its result line says '
                                            r'FAIL, its cases say PASS'), formats=[V61])
        c = self.console('module-fail.console', lambda lines: [
            l.replace('not ok 2 kmalloc_obj_align', 'ok 2 kmalloc_obj_align') for l in lines])
        self.assertFail(c, 'module', 'suite kmalloc_obj_align: its result line says PASS, its '
                                     'cases say FAIL: ok 2 kmalloc_obj_align',
                        expect=support.fixture('align-flex.expect'))

    def test_suite_without_its_result_line(self):
        def drop(lines, fmt):
            end = suite_span(lines, SIZES)[1] - 1
            return lines[:end] + lines[end + 1:]
        self.each_format(drop, 'suite kmalloc_obj_sizes never ended (no result line of its own)',
                         formats=[V61, INTREE])

    def test_second_top_level_plan(self):
        self.each_format(lambda lines, fmt: insert_after(lines, '1..2', [T + '1..2'],
                                                         region_start(lines)),
                         'a second top-level plan: 1..2', formats=[V72])

    def test_plan_of_more_suites(self):
        self.each_format(lambda lines, fmt: replace(lines, '1..2', [T + '1..3']),
                         'the stream ended after 2 of its 3 suites', formats=[INTREE])

    def test_ktap_before_the_header(self):
        self.assertFail(self.console(INTREE, lambda lines: insert_before(
            lines, 'KTAP version 1', [T + '    ok 1 stray_test'])), 'intree',
            'KTAP outside the stream, before its header: ok 1 stray_test')

    def test_module_plan_against_the_module(self):
        # A module's own plan must be the number of suites the .ko holds.
        three = os.path.join(self.tmp, 'three.ko')
        support.write_ko(three, 3)
        self.assertFail(self.console(V72), 'module',
                        'the stream plans 2 suites, the module(s) register 3', kos=[three])


class ExpectRuns(Runs):
    """Statuses against the expectations."""

    def test_unexpected_failure(self):
        found = self.assertFail(self.console('module-fail.console'), 'module')
        self.assertEqual(found, [f'failed: {ALIGN_FLEX} (FAIL)'])

    def test_expected_failure_passed(self):
        found = self.assertFail(self.console(V72), 'module',
                                expect=support.fixture('align-flex.expect'))
        self.assertEqual(found, [f'expected to fail but did not: {ALIGN_FLEX} (PASS)'])

    def test_expected_failure_skipped(self):
        # A skip is not a failure: an expected failure is met only by one.
        self.each_format(lambda lines, fmt: replace(lines, '    ok 2 align_flex_test',
                                                    [T + '    ok 2 align_flex_test # SKIP']),
                         f'expected to fail but did not: {ALIGN_FLEX} (SKIP)',
                         expect=support.fixture('align-flex.expect'))

    def test_expected_skip_passed_or_failed(self):
        self.assertFail(self.console(V61), 'module',
                        'expected to skip but did not: kmalloc_obj_align.align_obj_test (PASS)',
                        expect=self.expect_file('kmalloc_obj_align.align_obj_test SKIP'))
        self.assertFail(self.console('module-fail.console'), 'module',
                        f'expected to skip but did not: {ALIGN_FLEX} (FAIL)',
                        expect=self.expect_file(f'{ALIGN_FLEX} SKIP'))

    def test_unexpected_skip(self):
        found = self.assertFail(self.console('module-skip.console'), 'module')
        self.assertEqual(found, ['failed: kmalloc_obj_align.align_obj_test (SKIP)'])

    def test_directives_are_not_passes(self):
        # Nothing but a plain "ok N name" passes: a directive of any word
        # and any case, on an "ok" line, is that word (SKIP for skip).
        directives = [('# skip', 'SKIP'), ('# Skip not here', 'SKIP'), ('#SKIP', 'SKIP'),
                      ('# TODO', 'TODO'), ('# todo later', 'TODO'), ('# XFAIL', 'XFAIL'),
                      ('# xfail', 'XFAIL'), ('# PASS', 'DIRECTIVE'), ('#', 'DIRECTIVE')]
        fmts = list(FORMATS)
        for n, (directive, status) in enumerate(directives):
            with self.subTest(directive=directive):
                self.each_format(lambda lines, fmt: replace(
                    lines, '    ok 2 align_flex_test', [f'{T}    ok 2 align_flex_test {directive}']),
                    f'failed: {ALIGN_FLEX} ({status})', formats=[fmts[n % len(fmts)]])

    def test_lower_case_skip_expected_still_fails(self):
        # kunit.py takes "# skip" for a pass: the two readings disagree.
        self.each_format(lambda lines, fmt: replace(lines, '    ok 2 align_flex_test',
                                                    [f'{T}    ok 2 align_flex_test # skip']),
                         re.compile(r'^kunit\.py parse disagrees \(see .*\): '
                                    + re.escape(f'{ALIGN_FLEX} PASS to kunit.py, SKIP here')),
                         formats=[V61, INTREE], expect=self.expect_file(f'{ALIGN_FLEX} SKIP'))

    def test_todo_expected_to_fail_still_fails(self):
        # "ok # TODO" is a failure here, a pass to kunit.py.
        self.each_format(lambda lines, fmt: replace(lines, '    ok 2 align_flex_test',
                                                    [f'{T}    ok 2 align_flex_test # TODO']),
                         re.compile(re.escape(f'{ALIGN_FLEX} PASS to kunit.py, TODO here')),
                         formats=[V72], expect=support.fixture('align-flex.expect'))

    def test_expectation_of_a_case_not_in_the_source(self):
        self.assertFail(self.console(V72), 'module',
                        'expected outcomes for cases not in the source: kmalloc_obj_align.gone_test',
                        expect=self.expect_file('kmalloc_obj_align.gone_test'))

    def test_expectations_of_a_suite_left_out_are_dropped(self):
        # A build that leaves a suite out on purpose (the devm_ suite against
        # a family without devm_ helpers) drops that suite's expectations,
        # from a file or a cell's section, and only that suite's.
        skips = self.expect_file('[v7.2/x86_64/gcc-12]', 'kmalloc_obj_devm.devm_counter_test SKIP')
        self.assertPass(self.console(V72), 'module', sections=[f'{skips}:v7.2/x86_64/gcc-12'],
                        left_out=['kmalloc_obj_devm'])
        self.assertPass(self.console(V72), 'module', left_out=['kmalloc_obj_devm'],
                        expect=self.expect_file('kmalloc_obj_devm.devm_lifetime_test'))
        self.assertFail(self.console(V72), 'module',
                        'expected outcomes for cases not in the source: kmalloc_obj_align.gone_test',
                        expect=self.expect_file('kmalloc_obj_align.gone_test'),
                        left_out=['kmalloc_obj_devm'])

    def test_a_suite_both_run_and_left_out_is_an_error(self):
        self.assertFail(self.console(V72), 'module',
                        'error: suites both run and left out: kmalloc_obj_align',
                        left_out=['kmalloc_obj_align'])

    def test_bad_expectations_are_errors(self):
        # An unknown status word, two lists at odds, a missing section: the
        # run fails and says why, before looking at the console.
        c = self.console(V72)
        bad = self.expect_file(f'{ALIGN_FLEX} XFAIL')
        found = self.assertFail(c, 'module', expect=bad)
        self.assertEqual(found, [f'error: {bad}: "{ALIGN_FLEX} XFAIL": a line is "suite.case" '
                                 '(must fail) or "suite.case SKIP" (must skip)'])
        skip = self.expect_file(f'{ALIGN_FLEX} SKIP')
        found = self.assertFail(c, 'module', expect=[support.fixture('align-flex.expect'), skip])
        self.assertEqual(found, [f'error: {ALIGN_FLEX} is expected to fail by '
                                 f'{support.fixture("align-flex.expect")} and to skip by {skip}'])
        found = self.assertFail(c, 'module', sections=[f'{skip}:v7.2/arm64/gcc-15'])
        self.assertEqual(found, [f'error: no section [v7.2/arm64/gcc-15] in {skip}'])

    def test_bad_source_is_an_error(self):
        src = os.path.join(self.tmp, 'param.c')
        with open(support.SUITES) as f:
            text = f.read()
        with open(src, 'w') as f:
            f.write(text.replace('KUNIT_CASE(align_flex_test)',
                                 'KUNIT_CASE_PARAM(align_flex_test, align_gen_params)'))
        found = self.assertFail(self.console(V72), 'module', sources=[src])
        self.assertEqual(len(found), 1)
        self.assertRegex(found[0], r'^error: .*param\.c:\d+: kmalloc_obj_align_cases\[\]: cannot '
                                   r'read the entry "KUNIT_CASE_PARAM\(align_flex_test')


class ReportRuns(Runs):
    """Reports of the kernel on the console. (VerdictLogic judges every
    report of REPORTS behind every prefix; here a few, with kunit.py.)"""

    def test_reports_fail_the_run(self):
        # A report in the middle of a case that otherwise passes, behind one
        # prefix or another, in one format or another: the only problem.
        picks = ['BUG kmalloc-96 (Not tainted): Right Redzone overwritten',
                 'memcpy: detected buffer overflow: 16 byte write of buffer size 8',
                 REPORTS[10], REPORTS[8], REPORTS[7], REPORTS[3], REPORTS[1], REPORTS[4],
                 REPORTS[0]]
        fmts = list(FORMATS)
        for n, report in enumerate(picks):
            name, mode = FORMATS[fmts[n % len(fmts)]]
            line = PREFIXES[(n + 2) % len(PREFIXES)] + report
            with self.subTest(line=line, format=fmts[n % len(fmts)]):
                c = self.console(name, lambda lines: insert_before(
                    lines, '    ok 1 sizes_obj_test', [line]))
                self.assertEqual(self.assertFail(c, mode),
                                 [f'console reports: {line.strip()[:120]}'])

    def test_reports_outside_the_region(self):
        # Before a module's begin marker (the boot), after its end marker.
        for where, insert in ((BEGIN, insert_before), (END, insert_after)):
            with self.subTest(where=where):
                c = self.console(V61, lambda lines: insert(lines, msg(where), [T + REPORTS[22]]))
                self.assertEqual(self.assertFail(c, 'module'),
                                 [f'console reports: {T + REPORTS[22]}'])

    def test_insmod_failed(self):
        c = self.console('module-insmod-failed.console')
        found = self.assertFail(c, 'module', 'console reports: [    0.641002] kmalloc-obj-guest: '
                                'insmod failed: /modules/1-kmalloc_obj_kunit.ko', self.parsed(c))
        self.assertEqual(found[0][:16], 'console reports:')

    def test_warning_fails_its_case(self):
        # A WARNING while sizes_objs_test ran fails that case, although
        # the case itself reported ok.
        found = self.assertFail(self.console('module-warning.console'), 'module')
        self.assertEqual(found, ['failed: kmalloc_obj_sizes.sizes_objs_test (WARNED)'])
        # A failed case that WARNed too says both.
        self.each_format(lambda lines, fmt: failing(insert_before(
            lines, '    ok 2 align_flex_test', stamped(WARN_BLOCK)), 'align_flex_test'),
            f'failed: {ALIGN_FLEX} (FAIL+WARNED)', formats=[V72])

    def test_warning_outside_a_case_fails(self):
        # Before any suite, after a suite's own result line, after the last
        # case of a suite (no case of it follows), after the stream, before
        # the begin marker: a WARNING block that belongs to no case fails
        # the run as a whole.
        places = [(V72, lambda lines: stream_span(lines)[0]),
                  (INTREE, lambda lines: suite_span(lines, SIZES)[1]),
                  (V61, lambda lines: suite_span(lines, SIZES)[1] - 1),
                  (INTREE, lambda lines: stream_span(lines)[1]),
                  (V61, lambda lines: find(lines, msg(BEGIN)))]
        for n, (fmt, where) in enumerate(places):
            with self.subTest(place=n, format=fmt):
                c = self.console(FORMATS[fmt][0], lambda lines: lines[:where(lines)]
                                 + stamped(WARN_BLOCK) + lines[where(lines):])
                self.assertEqual(self.assertFail(c, FORMATS[fmt][1]),
                                 [f'console reports: {T}{WARNING_LINE}'])

    def test_bare_call_trace_fails(self):
        # A stack dump outside a WARNING block: dump_stack() of something
        # that said no more (x86 "Call Trace:", arm64 "Call trace:"), or a
        # second one after a WARNING block ended.
        for trace, fmt in (('Call Trace:', V61), ('Call trace:', V72), ('Call Trace:', INTREE)):
            dump = ['CPU: 0 UID: 0 PID: 52 Comm: kunit_try_catch', trace,
                    ' dump_stack_lvl+0x5d/0x80', ' sizes_objs_test+0x5c/0x1a0']
            self.each_format(lambda lines, fmt: insert_before(lines, '    ok 2 sizes_objs_test',
                                                              stamped(dump)),
                             f'console reports: {T}{trace}', formats=[fmt])
        self.each_format(lambda lines, fmt: insert_before(
            lines, '    ok 2 sizes_objs_test', stamped(WARN_BLOCK + ['Call Trace:', ' x+0x1/0x2'])),
            f'console reports: {T}Call Trace:', 'failed: kmalloc_obj_sizes.sizes_objs_test (WARNED)',
            formats=[V61])

    def test_reports_inside_a_warning_block_still_fail(self):
        # A WARNING block is the case's, but a report inside it (refcount
        # and list checks print theirs there) is not.
        block = WARN_BLOCK[:1] + ['refcount_t: underflow; use-after-free.'] + WARN_BLOCK[1:]
        self.each_format(lambda lines, fmt: insert_before(lines, '    ok 2 sizes_objs_test',
                                                          stamped(block)),
                         f'console reports: {T}refcount_t: underflow; use-after-free.',
                         'failed: kmalloc_obj_sizes.sizes_objs_test (WARNED)', formats=[INTREE])

    def test_allocation_failure_fails_its_case(self):
        for fmt, report in ((V72, ALLOC_FAILURE), (INTREE, [VMALLOC_ERROR] + ALLOC_FAILURE[1:])):
            self.each_format(lambda lines, fmt: insert_before(lines, '    ok 2 sizes_objs_test',
                                                              stamped(report)),
                             'failed: kmalloc_obj_sizes.sizes_objs_test (REPORTED)', formats=[fmt])

    def test_allocation_failure_outside_a_case_fails(self):
        self.each_format(lambda lines, fmt: lines[:suite_span(lines, SIZES)[1]]
                         + stamped([VMALLOC_ERROR]) + lines[suite_span(lines, SIZES)[1]:],
                         f'console reports: {(T + VMALLOC_ERROR)[:120]}', formats=[V61])


class RegionRuns(Runs):
    """Markers, restart line, what comes after them, no console."""

    def test_missing_end_marker(self):
        c = self.console(V61, lambda l: [x for x in l if x != END])
        found = self.assertFail(c, 'module')
        self.assertEqual(found, ['guest never reached its end marker (hung, crashed or timed out)'])

    def test_missing_begin_marker(self):
        c = self.console(V61, lambda l: [x for x in l if x != BEGIN])
        found = self.assertFail(c, 'module', self.parsed(c))
        self.assertEqual(found[0], 'guest init never started (no begin marker)')

    def test_markers_twice(self):
        c = self.console(V61, lambda l: insert_after(l, msg(BEGIN), [BEGIN]))
        self.assertFail(c, 'module', 'the begin marker printed 2 times')
        c = self.console(V61, lambda l: insert_after(l, msg(END), [END]))
        self.assertFail(c, 'module', 'the end marker printed 2 times')

    def test_end_marker_before_begin(self):
        c = self.console(V61, lambda l: insert_before(l, msg(BEGIN), [END]))
        self.assertFail(c, 'module', 'the end marker before the begin marker')

    def test_ktap_after_the_end_marker(self):
        extra = ['    KTAP version 1', '    # Subtest: kmalloc_obj_extra', '    1..1',
                 '    not ok 1 extra_test', 'not ok 3 kmalloc_obj_extra']
        c = self.console(V72, lambda l: insert_after(l, msg(END), stamped(extra)))
        self.assertFail(c, 'module', 'KTAP after the end marker: KTAP version 1 (and 4 more lines)')
        c = self.console(INTREE, lambda l: insert_after(l, 'reboot: System halted', stamped(extra)))
        self.assertFail(c, 'intree', 'KTAP after the end of the run (restart line): KTAP version 1 '
                                     '(and 4 more lines)')

    def test_intree_cut_mid_suite(self):
        c = self.console('intree-cut.console')
        self.assertFail(c, 'intree', 'kernel never finished the KUnit run (no restart after it)',
                        'suite kmalloc_obj_sizes never ended (no result line of its own)',
                        self.parsed(c))

    def test_module_cut_mid_suite(self):
        c = self.console(V72, lambda lines: lines[:find(lines, '    ok 1 sizes_obj_test') + 1])
        self.assertFail(c, 'module',
                        'guest never reached its end marker (hung, crashed or timed out)',
                        'suite kmalloc_obj_sizes never ended (no result line of its own)',
                        self.parsed(c))

    def test_missing_result_line(self):
        c = self.console('module-missing-result.console')
        self.assertFail(c, 'module', 'cases missing: kmalloc_obj_sizes.sizes_objs_test',
                        'suite kmalloc_obj_sizes: case numbered 3 where 2 was due: '
                        'ok 3 sizes_flex_test', self.parsed(c))

    def test_module_not_elf(self):
        ko = support.fixture('not-elf.ko')
        found = self.assertFail(self.console(V61), 'module',
                                re.compile('^' + re.escape(f'{ko} is not a readable ELF module: '
                                                           'readelf: Error: ')), kos=[ko])
        self.assertNotIn("the module(s) register no suite (KUnit's or the standalone KTAP mode's)", found)

    def test_module_without_suites(self):
        ko = os.path.join(self.tmp, 'empty.ko')
        support.write_ko(ko, 0)
        self.assertFail(self.console(V61), 'module', "the module(s) register no suite (KUnit's or the standalone KTAP mode's)",
                        kos=[ko])

    def test_no_console(self):
        c = os.path.join(self.tmp, 'never-written.console')
        found = self.assertFail(c, 'module', 'guest init never started (no begin marker)')
        self.assertEqual(found[0], 'no console log (No such file or directory)')
        found = self.assertFail(c, 'intree')
        self.assertEqual(found[:2], ['no console log (No such file or directory)',
                                     'kernel never finished the KUnit run (no restart after it)'])

    def test_kmemleak_scan(self):
        # boot.sh --kmemleak: the scan's line before the end marker, once.
        scanned = stamped(['kmalloc-obj-guest: kmemleak scanned'])
        for fmt in (V61, V72):
            with self.subTest(format=fmt):
                c = self.console(fmt, lambda l: insert_before(l, msg(END), scanned))
                self.assertPass(c, 'module', kmemleak=True)
                self.assertPass(c, 'module')
                c = self.console(fmt)
                self.assertFail(c, 'module', 'no kmemleak scan reported before the end marker',
                                kmemleak=True)
                c = self.console(fmt, lambda l: insert_after(l, msg(END), scanned))
                self.assertFail(c, 'module', 'no kmemleak scan reported before the end marker',
                                kmemleak=True)
                c = self.console(fmt, lambda l: insert_before(l, msg(END), scanned + scanned))
                self.assertFail(c, 'module', 'the kmemleak scan reported 2 times', kmemleak=True)
                # What the scan found, as boot.sh copies it to the log.
                leak = stamped(['kmemleak: 1 new suspected memory leaks '
                                '(see /sys/kernel/debug/kmemleak)',
                                'unreferenced object 0xffff888003a1c000 (size 96):',
                                '  comm "insmod", pid 61, jiffies 4294893453',
                                '  backtrace (crc 0):',
                                '    kmalloc_trace+0x26/0x90',
                                '    leak_test+0x2d/0x90 [kmalloc_obj_leak]']) + scanned
                c = self.console(fmt, lambda l: insert_before(l, msg(END), leak))
                self.assertFail(c, 'module', 'console reports: ' + leak[0].strip()
                                + ' (and 1 more report lines)', kmemleak=True)
                c = self.console(fmt, lambda l: insert_before(
                    l, msg(END), stamped(['kmalloc-obj-guest: kmemleak scan failed'])))
                self.assertFail(c, 'module', 'no kmemleak scan reported before the end marker',
                                re.compile('^console reports: .*kmemleak scan failed$'),
                                kmemleak=True)
        with self.assertRaisesRegex(ValueError, 'kmemleak'):
            self.run_verdict(self.console(INTREE), 'intree', kmemleak=True)

    # The command line, as cell.sh and run-with-headers.sh call it.

    def test_cli(self):
        def judge(*args):
            return subprocess.run([sys.executable, support.JUDGE, 'verdict',
                                   '--kunit', self.kunit, '--results', self.tsv] + list(args),
                                  capture_output=True, text=True)
        c = self.console('module-fail.console')
        r = judge('--mode', 'module', '--label', 'v7.2-arm64-gcc-15 unpatched (conformance)',
                  '--console', c, '--ko', self.ko, '--source', support.SUITES,
                  '--expect', support.fixture('align-flex.expect'))
        self.assertEqual((r.returncode, r.stderr), (0, ''))
        self.assertEqual(r.stdout, 'PASS  v7.2-arm64-gcc-15 unpatched (conformance): 4/5 cases '
                                   'passed, the 1 expected failures seen\n'
                                   f'      console: {c}\n')
        r = judge('--mode', 'module', '--label', 'v7.2-arm64-gcc-15 insmod', '--console', c,
                  '--ko', self.ko, '--source', support.SUITES)
        self.assertEqual((r.returncode, r.stderr), (1, ''))
        self.assertEqual(r.stdout, 'FAIL  v7.2-arm64-gcc-15 insmod: 4/5 cases passed\n'
                                   f'      failed: {ALIGN_FLEX} (FAIL)\n'
                                   f'      console: {c}\n')
        # The cell's skips from a section.
        skips = self.expect_file('[v7.2/arm64/gcc-15]', 'kmalloc_obj_align.align_obj_test SKIP')
        c = self.console('module-skip.console')
        r = judge('--mode', 'module', '--label', 'v7.2-arm64-gcc-15 insmod', '--console', c,
                  '--ko', self.ko, '--source', support.SUITES,
                  '--expect-section', f'{skips}:v7.2/arm64/gcc-15')
        self.assertEqual((r.returncode, r.stderr), (0, ''), r.stdout)
        # --source is required.
        r = judge('--mode', 'module', '--label', 'x', '--console', c)
        self.assertEqual(r.returncode, 2)
        self.assertIn('--source', r.stderr)
        self.assertEqual(read(self.tsv), [
            Row('v7.2-arm64-gcc-15 unpatched (conformance)', 'PASS', '4/5',
                '4/5 cases passed, the 1 expected failures seen'),
            Row('v7.2-arm64-gcc-15 insmod', 'FAIL', '4/5', f'failed: {ALIGN_FLEX} (FAIL)'),
            Row('v7.2-arm64-gcc-15 insmod', 'PASS', '4/5 (1 skipped)',
                '4/5 cases passed, 1 skipped as expected (not exercisable here)')])


PARSERS = support.kunit_parsers()
for _name, _path in PARSERS.items():
    for _base in (PassRuns, StreamRuns, ExpectRuns, ReportRuns, RegionRuns):
        _cls = f'{_base.__name__}_{re.sub(r"[^0-9A-Za-z]", "_", _name)}'
        globals()[_cls] = type(_cls, (_base, unittest.TestCase),
                               {'kunit': _path, '__doc__': f'{_base.__doc__} With {_path}'})

if not PARSERS:
    class NoKunitParser(unittest.TestCase):
        def test_a_kunit_py_to_judge_with(self):
            self.fail(support.NO_PARSER)


if __name__ == '__main__':
    unittest.main()
