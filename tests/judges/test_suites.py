"""The reader of the suites' C source (scripts/kmo/suites.py): the cases
the verdict expects, each exactly once."""
import os
import tempfile
import unittest

import support
from kmo import suites


class SourceTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        with open(support.SUITES) as f:
            self.text = f.read()

    def tearDown(self):
        self.tmp.cleanup()

    def doctored(self, old, new, count=1):
        """fixtures/suites.c with old replaced by new, as a file."""
        self.assertIn(old, self.text)
        path = os.path.join(self.tmp.name, 'doctored.c')
        with open(path, 'w') as f:
            f.write(self.text.replace(old, new, count))
        return path

    def assertError(self, path, pattern):
        with self.assertRaises(suites.SourceError) as e:
            suites.read([path])
        self.assertRegex(str(e.exception), pattern)

    def test_fixture(self):
        # Comments and strings that look like cases do not count, nor does
        # a suite that is defined but never registered.
        self.assertEqual(suites.read([support.SUITES]),
                         [('kmalloc_obj_sizes', ['sizes_obj_test', 'sizes_objs_test',
                                                 'sizes_flex_test']),
                          ('kmalloc_obj_align', ['align_obj_test', 'align_flex_test'])])

    def test_two_files_and_kunit_test_suite(self):
        source = suites.read([support.SUITES, support.SUITES_COUNTER])
        self.assertEqual(suites.names(source)[-3:], ['kmalloc_obj_align.align_flex_test',
                                                     'kmalloc_obj_counter.counter_set_test',
                                                     'kmalloc_obj_counter.counter_zero_test'])
        with self.assertRaisesRegex(suites.SourceError, r'suite "kmalloc_obj_sizes" is '
                                                        r'registered by another source too'):
            suites.read([support.SUITES, support.SUITES])

    def test_the_real_suite_reads(self):
        # kunit/kmalloc_obj_kunit.c, whatever it holds today: it must stay
        # within what the reader understands, or every verdict fails.
        source = suites.read([os.path.join(support.TOP, 'kunit', 'kmalloc_obj_kunit.c')])
        names = suites.names(source)
        self.assertTrue(names)
        self.assertEqual(len(names), len(set(names)))
        for n in names:
            self.assertRegex(n, r'^kmalloc_obj_[a-z]+\.\w+$')

    def test_errors_name_the_file_and_the_thing(self):
        cases = [
            ('KUNIT_CASE(align_flex_test)', 'KUNIT_CASE_PARAM(align_flex_test, gen_params)',
             r'doctored\.c:\d+: kmalloc_obj_align_cases\[\]: cannot read the entry '
             r'"KUNIT_CASE_PARAM\(align_flex_test, gen_params\)"'),
            ('KUNIT_CASE(align_flex_test)', 'KUNIT_CASE_SLOW(align_flex_test)',
             r'kmalloc_obj_align_cases\[\]: cannot read the entry "KUNIT_CASE_SLOW'),
            ('\t.test_cases = kmalloc_obj_align_cases,\n', '',
             r'doctored\.c:\d+: suite kmalloc_obj_align_suite: no \.test_cases'),
            ('.test_cases = kmalloc_obj_align_cases', '.test_cases = align_cases',
             r'suite kmalloc_obj_align_suite: \.test_cases = align_cases, no such kunit_case '
             r'array in the file'),
            ('.name = "kmalloc_obj_align"', '.name = KMO_NAME',
             r'suite kmalloc_obj_align_suite: no \.name = "\.\.\." string'),
            ('\tKUNIT_CASE(align_obj_test),\n', '#ifdef CONFIG_X\n\tKUNIT_CASE(align_obj_test),\n#endif\n',
             r'kmalloc_obj_align_cases: a preprocessor line inside it'),
            ('\tKUNIT_CASE(align_flex_test),\n\t{ }\n', '\tKUNIT_CASE(align_flex_test),\n',
             r'kmalloc_obj_align_cases\[\]: no closing \{\} entry'),
            ('\tKUNIT_CASE(align_flex_test),\n\t{ }\n', '\t{ },\n\tKUNIT_CASE(align_flex_test),\n',
             r'kmalloc_obj_align_cases\[\]: entries after the closing \{\}'),
            ('\tKUNIT_CASE(align_flex_test),\n', '\tKUNIT_CASE(align_flex_test),\n'
                                                 '\tKUNIT_CASE(align_flex_test),\n',
             r'kmalloc_obj_align_cases\[\]: case align_flex_test listed twice'),
            ('kunit_test_suites(&kmalloc_obj_sizes_suite,',
             'kunit_test_init_section_suites(&kmalloc_obj_sizes_suite,',
             r'kunit_test_init_section_suites\(\) is not understood'),
            ('&kmalloc_obj_align_suite);', '&kmalloc_obj_aligned_suite);',
             r'kunit_test_suites\(\): "&kmalloc_obj_aligned_suite" is not a kunit_suite defined'),
            ('&kmalloc_obj_align_suite);', '&kmalloc_obj_sizes_suite);',
             r'suite kmalloc_obj_sizes_suite registered twice'),
            ('kunit_test_suites(&kmalloc_obj_sizes_suite,\n\t\t  &kmalloc_obj_align_suite);', '',
             r'doctored\.c: registers no suite'),
        ]
        for old, new, pattern in cases:
            with self.subTest(new=new):
                self.assertError(self.doctored(old, new), pattern)

    def test_kunit_test_suite_of_one(self):
        path = self.doctored('kunit_test_suites(&kmalloc_obj_sizes_suite,\n\t\t  '
                             '&kmalloc_obj_align_suite);',
                             'kunit_test_suite(kmalloc_obj_align_suite);')
        self.assertEqual(suites.read([path]),
                         [('kmalloc_obj_align', ['align_obj_test', 'align_flex_test'])])

    def test_no_file(self):
        with self.assertRaises(OSError):
            suites.read([os.path.join(self.tmp.name, 'none.c')])
        with self.assertRaisesRegex(suites.SourceError, 'no source file given'):
            suites.read([])


if __name__ == '__main__':
    unittest.main()
