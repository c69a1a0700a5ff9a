"""Expectation files and sections (scripts/kmo/expect.py)."""
import os
import subprocess
import sys
import tempfile
import unittest

import support
from kmo import expect

CONFORMANCE = support.fixture('conformance.expect')


class SectionTests(unittest.TestCase):
    def test_section_up_to_the_next(self):
        # Comments, trailing comments and blank lines go; the section ends
        # at the next "[" line even without a blank line before it.
        self.assertEqual(expect.section(CONFORMANCE, 'v6.12', 'gcc-15'),
                         ['kmalloc_obj_counter.counter_set_test',
                          'kmalloc_obj_counter.counter_zero_test',
                          'kmalloc_obj_align.align_flex_test'])
        self.assertEqual(expect.section(CONFORMANCE, 'v6.12', 'gcc-12'),
                         ['kmalloc_obj_align.align_flex_test'])

    def test_section_of_comments_only_is_empty_not_missing(self):
        # The header must match the whole line: "[v7.2 gcc-15 extra]" is
        # another section.
        self.assertEqual(expect.section(CONFORMANCE, 'v7.2', 'gcc-15'), [])

    def test_missing_section(self):
        with self.assertRaises(expect.MissingSection) as e:
            expect.section(CONFORMANCE, 'v6.1', 'gcc-15')
        self.assertEqual(str(e.exception), f'no section [v6.1 gcc-15] in {CONFORMANCE}')

    def test_every_section_of_the_real_file(self):
        # Each "[BASE CC]" of tests/conformance.expect reads as a non-empty
        # list of suite.case names (a comment lost its "#" would show).
        real = os.path.join(support.TOP, 'tests', 'conformance.expect')
        with open(real) as f:
            headers = [l.strip()[1:-1].split() for l in f if l.startswith('[')]
        self.assertTrue(headers)
        for base, cc in headers:
            with self.subTest(base=base, cc=cc):
                names = expect.section(real, base, cc)
                self.assertTrue(names)
                for n in names:
                    self.assertRegex(n, r'^kmalloc_obj_[a-z]+\.\w+$')

    def test_cli(self):
        def judge(*args):
            return subprocess.run([sys.executable, support.JUDGE, 'expect-section'] + list(args),
                                  capture_output=True, text=True)
        r = judge(CONFORMANCE, 'v6.12', 'gcc-15')
        self.assertEqual((r.returncode, r.stderr), (0, ''))
        self.assertEqual(r.stdout, 'kmalloc_obj_counter.counter_set_test\n'
                                   'kmalloc_obj_counter.counter_zero_test\n'
                                   'kmalloc_obj_align.align_flex_test\n')
        r = judge(CONFORMANCE, 'v7.2', 'gcc-15')
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, '', ''))
        r = judge(CONFORMANCE, 'v6.1', 'clang-22')
        self.assertEqual((r.returncode, r.stdout), (1, ''))
        self.assertEqual(r.stderr, f'error: no section [v6.1 clang-22] in {CONFORMANCE}\n')


class ListTests(unittest.TestCase):
    def test_read_list(self):
        self.assertEqual(expect.read_list(support.fixture('align-flex.expect')),
                         ['kmalloc_obj_align.align_flex_test'])

    def test_names(self):
        self.assertEqual(expect.names(['# only a comment\n', '\n', '  a.b  # why\n',
                                       'c.d\n', 'a.b\n', '   \n']),
                         ['a.b', 'c.d'])

    def test_compare(self):
        # (failed though nothing was expected, expected to fail but passed
        # or skipped, expected to skip but did not), each sorted.
        statuses = {'s.a': 'FAIL', 's.z': 'WARNED', 's.e': 'REPORTED', 's.x': 'PASS',
                    's.k': 'SKIP', 's.p': 'PASS', 's.q': 'TODO', 's.w': 'SKIP+WARNED'}
        expected = {'s.e': 'FAIL', 's.x': 'FAIL', 's.k': 'FAIL', 's.q': 'SKIP', 's.w': 'FAIL'}
        self.assertEqual(expect.compare(statuses, expected),
                         ([('s.a', 'FAIL'), ('s.z', 'WARNED')],
                          [('s.k', 'SKIP'), ('s.x', 'PASS')],
                          [('s.q', 'TODO')]))
        self.assertEqual(expect.compare({}, {}), ([], [], []))
        self.assertEqual(expect.compare({'s.e': 'SKIP'}, {'s.e': 'SKIP'}), ([], [], []))


class StatusTests(unittest.TestCase):
    """Lines with a status word (SKIP), several lists, sections of skips."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, *lines):
        path = os.path.join(self.tmp.name, name)
        with open(path, 'w') as f:
            f.write(''.join(l + '\n' for l in lines))
        return path

    def test_parse(self):
        self.assertEqual(expect.parse(['a.b', 'c.d SKIP', 'a.b', 'e.f   SKIP'], 'x'),
                         {'a.b': 'FAIL', 'c.d': 'SKIP', 'e.f': 'SKIP'})

    def test_parse_errors(self):
        for entries, message in (
                (['a.b skip'], 'x: "a.b skip": a line is "suite.case" (must fail) or '
                               '"suite.case SKIP" (must skip)'),
                (['a.b FAIL'], 'x: "a.b FAIL": a line is "suite.case" (must fail) or '
                               '"suite.case SKIP" (must skip)'),
                (['a.b SKIP now'], 'x: "a.b SKIP now": a line is "suite.case" (must fail) or '
                                   '"suite.case SKIP" (must skip)'),
                (['ab'], 'x: "ab" is not a suite.case name'),
                (['a.b.c'], 'x: "a.b.c" is not a suite.case name'),
                (['a.b', 'a.b SKIP'], 'x: a.b expected both to fail and to skip')):
            with self.subTest(entries=entries):
                with self.assertRaises(ValueError) as e:
                    expect.parse(entries, 'x')
                self.assertEqual(str(e.exception), message)

    def test_gather(self):
        fails = self.write('fails.expect', '# must fail', 'a.b', 'c.d')
        skips = self.write('skips.expect', '[v6.1/arm64/gcc-15]', 'e.f SKIP', 'c.d',
                           '[v6.1/x86_64/gcc-15]', 'g.h SKIP')
        self.assertEqual(expect.gather([fails], [f'{skips}:v6.1/arm64/gcc-15']),
                         {'a.b': 'FAIL', 'c.d': 'FAIL', 'e.f': 'SKIP'})
        self.assertEqual(expect.gather(), {})
        other = self.write('other.expect', 'a.b SKIP')
        with self.assertRaises(ValueError) as e:
            expect.gather([fails, other])
        self.assertEqual(str(e.exception), f'a.b is expected to fail by {fails} and to skip '
                                           f'by {other}')
        # A run's own failure wins over the cell's skip (an unpatched tree
        # fails the case before it could skip), not the other way round.
        skip_ab = self.write('skip-ab.expect', '[v6.12/x86_64/gcc-12]', 'a.b SKIP')
        self.assertEqual(expect.gather([fails], [f'{skip_ab}:v6.12/x86_64/gcc-12']),
                         {'a.b': 'FAIL', 'c.d': 'FAIL'})
        fail_ab = self.write('fail-ab.expect', '[v6.12/x86_64/gcc-12]', 'a.b')
        with self.assertRaises(ValueError):
            expect.gather([other], [f'{fail_ab}:v6.12/x86_64/gcc-12'])
        with self.assertRaises(ValueError):
            expect.gather([], [f'{fail_ab}:v6.12/x86_64/gcc-12',
                               f'{skip_ab}:v6.12/x86_64/gcc-12'])
        with self.assertRaises(expect.MissingSection) as e:
            expect.gather([], [f'{skips}:v7.2/arm64/gcc-15'])
        self.assertEqual(str(e.exception), f'no section [v7.2/arm64/gcc-15] in {skips}')
        with self.assertRaises(ValueError):
            expect.gather([], [skips])          # no ":SECTION"

    def test_has_section(self):
        skips = self.write('skips.expect', '# [v6.1/arm64/gcc-15] in a comment is none',
                           '[v6.1/x86_64/gcc-15]', '# nothing yet')
        self.assertTrue(expect.has_section(skips, 'v6.1/x86_64/gcc-15'))
        self.assertFalse(expect.has_section(skips, 'v6.1/arm64/gcc-15'))
        with self.assertRaises(OSError):
            expect.has_section(os.path.join(self.tmp.name, 'none'), 'x')

    def test_has_section_cli(self):
        skips = self.write('skips.expect', '[v6.1/x86_64/gcc-15]')

        def judge(*args):
            return subprocess.run([sys.executable, support.JUDGE, 'has-section'] + list(args),
                                  capture_output=True, text=True)
        self.assertEqual(judge(skips, 'v6.1/x86_64/gcc-15').returncode, 0)
        r = judge(skips, 'v6.1/arm64/gcc-15')
        self.assertEqual((r.returncode, r.stdout, r.stderr), (1, '', ''))
        r = judge(os.path.join(self.tmp.name, 'none'), 'x')
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r'^error: \[Errno 2\] No such file or directory')

    def test_the_real_skips_file(self):
        # tests/skips.expect: every section named after a cell of
        # cells.toml, or a pattern that matches at least one; every line of
        # it "suite.case SKIP".
        import fnmatch
        from kmo import cells
        names = [c.name for c in cells.Table().cells]
        real = os.path.join(support.TOP, 'tests', 'skips.expect')
        with open(real) as f:
            headers = [l.strip()[1:-1] for l in f if l.startswith('[')]
        self.assertTrue(headers)
        for h in headers:
            with self.subTest(section=h):
                self.assertRegex(h, r'^[\w.*?-]+/[\w*?]+/[\w.*?-]+$')
                matched = [n for n in names if fnmatch.fnmatchcase(n, h)]
                self.assertTrue(matched, f'[{h}] names no cell of cells.toml')
                for n in matched:
                    for name, status in expect.read_section(f'{real}:{n}').items():
                        self.assertEqual(status, 'SKIP', name)


class KillTests(unittest.TestCase):
    """A mutant's .expect (kill_list) and what kills it (verdict.kill)."""

    def write(self, text):
        f = tempfile.NamedTemporaryFile('w', suffix='.expect', delete=False)
        f.write(text)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_kill_list(self):
        self.assertEqual(expect.kill_list(self.write('# why\na.b\nc.d  # note\n')),
                         ['a.b', 'c.d'])
        self.assertEqual(expect.kill_list(self.write('# crashes\nCRASH\n')), ['CRASH'])
        for bad in ('# nothing\n', 'CRASH\na.b\n', 'BUILD-FAILS\n', 'a.b SKIP\n'):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                expect.kill_list(self.write(bad))

    def test_kill_cases_in_a_cell_that_skips(self):
        # A mutant is judged by the cases of its .expect that the cell
        # runs; with none left it cannot be shown there (mutants.sh).
        skips = {'a.b': 'SKIP', 'e.f': 'SKIP'}
        self.assertEqual(expect.applicable(['a.b', 'c.d'], skips), ['c.d'])
        self.assertEqual(expect.applicable(['a.b', 'e.f'], skips), [])
        self.assertEqual(expect.applicable(['a.b', 'c.d'], {}), ['a.b', 'c.d'])
        # A case a section expects to fail is not a skip.
        self.assertEqual(expect.applicable(['c.d'], {'c.d': 'FAIL'}), ['c.d'])
        for word in ('CRASH', 'BUILD-FAILS'):
            self.assertEqual(expect.applicable([word], skips), [word])
        # BUILD-FAILS is read only where a caller says it judges it.
        build = self.write('# the cast is gone\nBUILD-FAILS\n')
        self.assertEqual(expect.kill_list(build, build_fails_ok=True), ['BUILD-FAILS'])
        with self.assertRaises(ValueError):
            expect.kill_list(build)
        with self.assertRaises(ValueError):
            expect.kill_list(self.write('BUILD-FAILS\na.b\n'), build_fails_ok=True)

    def test_kill_cases_command(self):
        # judge.py kill-cases: one case a line, nothing at all when every
        # case skips, exit 1 with the reason for a bad .expect.
        skips = self.write('[v6.1/x86_64/gcc-12]\na.b SKIP\n[*/i386/*]\nc.d SKIP\n')

        def run(expect_text, *sections):
            args = [sys.executable, support.JUDGE, 'kill-cases', '--expect', self.write(expect_text)]
            for sec in sections:
                args += ['--expect-section', f'{skips}:{sec}']
            return subprocess.run(args, capture_output=True, text=True)
        r = run('a.b\nc.d\n', 'v6.1/x86_64/gcc-12')
        self.assertEqual((r.returncode, r.stdout), (0, 'c.d\n'))
        r = run('a.b\n', 'v6.1/x86_64/gcc-12')
        self.assertEqual((r.returncode, r.stdout), (0, ''))
        r = run('a.b\nc.d\n')
        self.assertEqual((r.returncode, r.stdout), (0, 'a.b\nc.d\n'))
        r = run('BUILD-FAILS\n', 'v6.1/x86_64/gcc-12')
        self.assertEqual((r.returncode, r.stdout), (0, 'BUILD-FAILS\n'))
        r = run('# nothing\n')
        self.assertEqual(r.returncode, 1)
        self.assertIn('names nothing that must fail', r.stderr)
        r = run('a.b\n', 'v7.2/arm64/gcc-15')
        self.assertEqual(r.returncode, 1)
        self.assertIn('no section [v7.2/arm64/gcc-15]', r.stderr)

    def judgement(self, cases, problems=()):
        from kmo import verdict
        failed = [f'{c} ({s})' for c, s in cases.items() if s != 'PASS']
        problems = list(problems) + (['failed: ' + ', '.join(failed)] if failed else [])
        reports = [p[len('console reports: '):] for p in problems
                   if p.startswith('console reports: ')]
        return verdict.Judgement('FAIL' if problems else 'PASS', 0, len(cases),
                                 problems, dict(cases), region_reports=reports)

    def test_kill(self):
        from kmo import verdict
        passing = self.judgement({'a.b': 'PASS', 'c.d': 'PASS'})
        self.assertEqual(verdict.kill(passing, ['a.b'])[0], False)
        self.assertEqual(verdict.kill(passing, ['CRASH'])[0], False)
        # The listed case failed: killed; another failure and a report are named.
        j = self.judgement({'a.b': 'WARNED', 'c.d': 'FAIL'},
                           ['console reports: BUG: KASAN: slab-out-of-bounds in x'])
        killed, how = verdict.kill(j, ['a.b'])
        self.assertTrue(killed)
        self.assertIn('a.b (WARNED)', how)
        self.assertIn('also failed: c.d (FAIL)', how)
        self.assertIn('KASAN', how)
        # Killed by another case than the one listed: not as it says.
        killed, how = verdict.kill(self.judgement({'a.b': 'PASS', 'c.d': 'FAIL'}), ['a.b'])
        self.assertFalse(killed)
        self.assertIn('not by the cases', how)
        # A skip is no failure.
        self.assertFalse(verdict.kill(self.judgement({'a.b': 'SKIP', 'c.d': 'FAIL'}),
                                      ['a.b'])[0])
        # CRASH needs a report, not just a failed case.
        self.assertFalse(verdict.kill(self.judgement({'a.b': 'FAIL'}), ['CRASH'])[0])
        crash = self.judgement({'a.b': 'PASS'}, [
            'console reports: BUG: kernel NULL pointer',
            'guest never reached its end marker (hung, crashed or timed out)'])
        self.assertEqual(verdict.kill(crash, ['CRASH']),
                         (True, 'killed: the run crashed: BUG: kernel NULL pointer'))
        # A report that is no crash, or a run that went on to its end, is
        # no CRASH.
        ubsan = self.judgement({'a.b': 'PASS'}, [
            'console reports: UBSAN: array-index-out-of-bounds in x.c:1',
            'guest never reached its end marker (hung, crashed or timed out)'])
        self.assertFalse(verdict.kill(ubsan, ['CRASH'])[0])
        self.assertFalse(verdict.kill(self.judgement(
            {'a.b': 'PASS'}, ['console reports: BUG: kernel NULL pointer']), ['CRASH'])[0])
        # A report from before the run (the kernel's own built-in suites)
        # kills nothing.
        crash.region_reports = []
        self.assertFalse(verdict.kill(crash, ['CRASH'])[0])


class PatternSectionTests(unittest.TestCase):
    def test_pattern_headers_merge(self):
        # tests/skips.expect: a header may be a pattern of cells; every
        # section that matches counts, the exact one and the patterns.
        f = tempfile.NamedTemporaryFile('w', suffix='.expect', delete=False)
        f.write('[v6.1/arm64/gcc-15]\na.one SKIP\n[*/*/gcc-12]\na.two SKIP\n'
                '[v7.*/*/*]\na.three SKIP\n[v7.2 gcc-15]\na.four\n')
        f.close()
        self.addCleanup(os.unlink, f.name)
        self.assertEqual(expect.read_section(f'{f.name}:v7.2/x86_64/gcc-12'),
                         {'a.two': 'SKIP', 'a.three': 'SKIP'})
        self.assertEqual(expect.read_section(f'{f.name}:v6.1/arm64/gcc-15'), {'a.one': 'SKIP'})
        self.assertFalse(expect.has_section(f.name, 'v6.12/arm64/gcc-15'))
        # Headers without a pattern match only themselves.
        self.assertEqual(expect.section(f.name, 'v7.2', 'gcc-15'), ['a.four'])
        self.assertFalse(expect.has_section(f.name, 'v7.2 gcc-1'))


if __name__ == '__main__':
    unittest.main()
