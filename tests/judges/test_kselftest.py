"""The kselftest judge (scripts/kmo/kselftest.py): what the target reported
in a guest must be what the module's KTAP says, case by case, with the
exit status that goes with it. Every way the report can be wrong fails."""
import os
import tempfile
import unittest

import support  # noqa: F401  (puts scripts/ on the path)
from kmo import kselftest

# A module's KTAP (the standalone mode prints the top-level header), two
# suites: a pass, a skip, a failure.
MODULE = [
    'kmalloc-obj-guest: begin',
    'kmalloc_obj selftest: loading, 99 1',
    'KTAP version 1',
    '1..2',
    '    KTAP version 1',
    '    # Subtest: kmo_a',
    '    1..2',
    '    ok 1 a_one_test',
    '    ok 2 a_two_test # SKIP not exercised: no counter',
    'ok 1 kmo_a',
    '    KTAP version 1',
    '    # Subtest: kmo_b',
    '    1..1',
    '    # b_one_test: EXPECTATION FAILED at kunit/x.c:1',
    '    not ok 1 b_one_test',
    'not ok 2 kmo_b',
]
REPORT = [
    'TAP version 13',
    '1..3',
    'ok 1 kmo_a.a_one_test',
    'ok 2 kmo_a.a_two_test # SKIP',
    'not ok 3 kmo_b.b_one_test',
    '# 1 skipped test(s) detected.  Consider enabling relevant config options to improve coverage.',
    '# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0',
]


UNLOADED = 'kmalloc-obj-guest: kselftest unloaded kmalloc_obj_test'


def console(report=REPORT, exit_line='kmalloc-obj-guest: kselftest exit 1', module=MODULE,
            unload=(UNLOADED,)):
    lines = list(module) + ['kselftest: ' + l for l in report]
    if exit_line is not None:
        lines.append(exit_line)
    lines += unload
    lines.append('kmalloc-obj-guest: end')
    return [f'[    1.{i:06d}] {l}' for i, l in enumerate(lines)]


class KselftestJudge(unittest.TestCase):
    def judged(self, lines):
        return kselftest.judge(lines)[0]

    def assertProblem(self, lines, text):
        found = self.judged(lines)
        self.assertTrue(any(text in p for p in found), f'{text!r} not in {found}')

    def test_faithful_report(self):
        self.assertEqual(kselftest.judge(console()), ([], 3, 1))

    def test_all_passed_exits_zero(self):
        module = [l.replace('not ok 1 b_one_test', 'ok 1 b_one_test')
                  .replace('not ok 2 kmo_b', 'ok 2 kmo_b') for l in MODULE]
        report = [l.replace('not ok 3', 'ok 3').replace('pass:1 fail:1', 'pass:2 fail:0')
                  for l in REPORT]
        self.assertEqual(kselftest.judge(console(report, 'kmalloc-obj-guest: kselftest exit 0',
                                                 module)), ([], 3, 0))
        self.assertProblem(console(report, 'kmalloc-obj-guest: kselftest exit 1', module),
                           'exit status 1, 0 due')

    def test_wrong_exit(self):
        self.assertProblem(console(exit_line='kmalloc-obj-guest: kselftest exit 0'),
                           'exit status 0, 1 due')
        self.assertProblem(console(exit_line=None), 'the exit status reported 0 times')

    def test_module_left_loaded(self):
        # The target must unload what it loaded (a wrong module name once
        # left it loaded, unseen).
        self.assertProblem(console(unload=('kmalloc-obj-guest: kselftest left 1_kmalloc_obj_test loaded',)),
                           'the target left 1_kmalloc_obj_test loaded')
        self.assertProblem(console(unload=('kmalloc-obj-guest: kselftest left its module loaded',)),
                           'the target left its module loaded')
        self.assertProblem(console(unload=()), "the module's unloading reported 0 times")
        self.assertProblem(console(unload=(UNLOADED, UNLOADED)), "reported 2 times")

    def test_status_disagrees(self):
        # A failure reported as a pass, a skip as a pass, a pass as a skip.
        for old, new in (('not ok 3 kmo_b.b_one_test', 'ok 3 kmo_b.b_one_test'),
                         ('ok 2 kmo_a.a_two_test # SKIP', 'ok 2 kmo_a.a_two_test'),
                         ('ok 1 kmo_a.a_one_test', 'ok 1 kmo_a.a_one_test # SKIP')):
            with self.subTest(new=new):
                report = [new if l == old else l for l in REPORT]
                found = self.judged(console(report))
                self.assertTrue(any('the module says' in p for p in found), found)

    def test_missing_and_extra_results(self):
        self.assertProblem(console([l for l in REPORT if not l.startswith('not ok 3')]),
                           "1 of the module's cases without a result")
        self.assertProblem(console(REPORT[:5] + ['ok 4 kmo_b.extra_test'] + REPORT[5:]),
                           'a result the module has no case for')

    def test_plan_names_numbers(self):
        self.assertProblem(console(['TAP version 13', '1..4'] + REPORT[2:]),
                           'plan 1..4, the module reported 3 cases')
        self.assertProblem(console([l.replace('kmo_a.a_one_test', 'kmo_a.other_test')
                                    for l in REPORT]),
                           "result 1 names kmo_a.other_test, the module's case 1 is "
                           'kmo_a.a_one_test')
        self.assertProblem(console([l.replace('ok 2 kmo_a', 'ok 5 kmo_a') for l in REPORT]),
                           'result numbered 5 where 2 was due')
        self.assertProblem(console(REPORT[1:]), 'no KTAP header first: 1..3')

    def test_order_and_one_stream(self):
        # The plan after the results, a second header, anything but
        # comments after the last result.
        self.assertProblem(console([REPORT[0]] + REPORT[2:5] + [REPORT[1]] + REPORT[5:]),
                           'the plan after the first result')
        self.assertProblem(console(REPORT + ['KTAP version 1']), '2 KTAP headers, not one')
        self.assertProblem(console(REPORT + ['stray line']), 'after the last result: stray line')

    def test_totals(self):
        self.assertProblem(console([l.replace('pass:1 fail:1', 'pass:2 fail:0')
                                    for l in REPORT]), 'totals pass:2 fail:0 skip:1')
        self.assertProblem(console(REPORT[:-1]), '0 "# Totals:" lines, not one')

    def test_bail_out_and_silence(self):
        self.assertProblem(console(['TAP version 13', 'Bail out! insmod failed']),
                           'the target bailed out: Bail out! insmod failed')
        self.assertEqual(self.judged(console([])), ['the kselftest target printed nothing'])

    def test_kunit_module_without_top_level_header(self):
        # KUnit before 6.6 prints no top-level header for a module's
        # suites (and numbers them after the built-in ones): the cases are
        # read as the verdict reads them.
        lines = open(support.fixture('module-numbered.console')).read().splitlines()
        end = max(i for i, l in enumerate(lines) if 'kmalloc-obj-guest: end' in l)
        names = ['kmalloc_obj_sizes.sizes_obj_test', 'kmalloc_obj_sizes.sizes_objs_test',
                 'kmalloc_obj_sizes.sizes_flex_test', 'kmalloc_obj_align.align_obj_test',
                 'kmalloc_obj_align.align_flex_test']
        report = (['TAP version 13', '1..5'] + [f'ok {i} {n}' for i, n in enumerate(names, 1)]
                  + ['# Totals: pass:5 fail:0 xfail:0 xpass:0 skip:0 error:0'])
        added = ['[    0.650000] kselftest: ' + l for l in report]
        added.append('[    0.650001] kmalloc-obj-guest: kselftest exit 0')
        added.append('[    0.650002] ' + UNLOADED)
        self.assertEqual(kselftest.judge(lines[:end] + added + lines[end:]), ([], 5, 0))
        added[3] = added[3].replace('ok 2 kmalloc_obj_sizes.sizes_objs_test',
                                    'not ok 2 kmalloc_obj_sizes.sizes_objs_test')
        self.assertProblem(lines[:end] + added + lines[end:], 'the module says PASS')

    def test_outside_the_markers(self):
        lines = console()
        self.assertTrue(self.judged(lines[1:]))   # no begin marker

    def test_run_writes_a_row(self):
        with tempfile.TemporaryDirectory() as tmp:
            c = os.path.join(tmp, 'c.console')
            with open(c, 'w') as f:
                f.write('\n'.join(console()) + '\n')
            rows = os.path.join(tmp, 'rows.tsv')
            with open(os.devnull, 'w') as out:
                self.assertEqual(kselftest.run(c, 'x kselftest', rows, out), 0)
                self.assertEqual(kselftest.run(os.path.join(tmp, 'none'), 'y', rows, out), 1)
            with open(rows) as f:
                got = [l.split('\t')[:3] for l in f.read().splitlines()]
            self.assertEqual(got, [['x kselftest', 'PASS', '3 results'], ['y', 'FAIL', '-']])


if __name__ == '__main__':
    unittest.main()
