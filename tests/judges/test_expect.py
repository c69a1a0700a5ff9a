"""Expectation files and sections (scripts/kmo/expect.py)."""
import os
import subprocess
import sys
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
        # (failed but not expected, expected but not failed), sorted.
        self.assertEqual(expect.compare({'s.z', 's.a', 's.e'}, ['s.e', 's.x']),
                         (['s.a', 's.z'], ['s.x']))
        self.assertEqual(expect.compare(set(), []), ([], []))
        self.assertEqual(expect.compare({'s.e'}, {'s.e'}), ([], []))


if __name__ == '__main__':
    unittest.main()
