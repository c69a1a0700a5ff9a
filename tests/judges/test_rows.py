"""results.tsv rows and the results.md table (scripts/kmo/rows.py)."""
import os
import subprocess
import sys
import tempfile
import unittest

import support
from kmo import rows, summary
from kmo.rows import Row


class RowTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.tsv = os.path.join(self.tmp.name, 'results.tsv')

    def tearDown(self):
        self.tmp.cleanup()

    def test_to_tsv(self):
        r = Row('v6.1-x86_64-gcc-15 insmod', 'PASS', '20/20', '20/20 cases passed')
        self.assertEqual(r.to_tsv(),
                         'v6.1-x86_64-gcc-15 insmod\tPASS\t20/20\t20/20 cases passed\n')

    def test_round_trip(self):
        written = [Row('a in-tree', 'PASS', '5/5', '5/5 cases passed'),
                   Row('b codegen', 'FAIL', '3/4', "helpers vs the unpatched tree's"),
                   Row('cell v6.1/x86_64/gcc-15', 'FAIL', '-', 'error: no tree for v6.1')]
        for r in written:
            r.append(self.tsv)
        self.assertEqual(rows.read(self.tsv), written)

    def test_tabs_and_newlines_do_not_break_the_row(self):
        # A problem text with a line break (readelf's stderr, say) or a tab
        # must stay one row of four columns.
        Row('lab\tel', 'FAIL', '0/0', 'first line\nsecond\r\nthird\tcol').append(self.tsv)
        Row('next', 'PASS', '1/1', 'ok').append(self.tsv)
        with open(self.tsv) as f:
            lines = f.read().split('\n')
        self.assertEqual(lines, ['lab el\tFAIL\t0/0\tfirst line second  third col',
                                 'next\tPASS\t1/1\tok', ''])
        self.assertEqual(rows.read(self.tsv)[0],
                         Row('lab el', 'FAIL', '0/0', 'first line second  third col'))

    def test_read_short_and_long_lines_like_awk(self):
        # matrix.sh's awk gave missing columns as empty and ignored extras.
        with open(self.tsv, 'w') as f:
            f.write('only label\n\nx\tPASS\t1/1\tdetail\textra\n')
        self.assertEqual(rows.read(self.tsv), [Row('only label', '', '', ''),
                                               Row('x', 'PASS', '1/1', 'detail')])

    def test_markdown(self):
        table = rows.markdown([Row('v6.1-x86_64-gcc-15 in-tree', 'PASS', '20/20',
                                   '20/20 cases passed'),
                               Row('cell v7.2/arm64/gcc-15', 'FAIL', '-',
                                   'error: kernel build failed')],
                              'Wall time: 643s (cell v6.1/x86_64/gcc-15: 40s; )')
        self.assertEqual(table,
                         '| run | verdict | cases passed | detail |\n'
                         '|---|---|---|---|\n'
                         '| v6.1-x86_64-gcc-15 in-tree | PASS | 20/20 | 20/20 cases passed |\n'
                         '| cell v7.2/arm64/gcc-15 | FAIL | - | error: kernel build failed |\n'
                         '\n'
                         'Wall time: 643s (cell v6.1/x86_64/gcc-15: 40s; )\n')

    def test_markdown_without_rows_or_timing(self):
        self.assertEqual(rows.markdown([]),
                         '| run | verdict | cases passed | detail |\n|---|---|---|---|\n')
        self.assertTrue(rows.markdown([], ['Wall time: 1s', 'more']).endswith(
            '|---|---|---|---|\n\nWall time: 1s\nmore\n'))

    def test_cli_row_and_table(self):
        # What matrix.sh runs: judge.py row for a failed step, judge.py table.
        def judge(*args):
            return subprocess.run([sys.executable, support.JUDGE] + list(args),
                                  capture_output=True, text=True)
        Row('x in-tree', 'PASS', '5/5', '5/5 cases passed').append(self.tsv)
        r = judge('row', '--label', 'cell v6.1/x86_64/gcc-15', '--verdict', 'FAIL',
                  '--cases', '-', '--detail', 'error: no tree for v6.1\n',
                  '--results', self.tsv)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, '', ''))
        r = judge('table', '--results', self.tsv, '--timing', 'Wall time: 9s (x: 9s; )')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines()[2:],
                         ['| x in-tree | PASS | 5/5 | 5/5 cases passed |',
                          '| cell v6.1/x86_64/gcc-15 | FAIL | - | error: no tree for v6.1  |',
                          '', 'Wall time: 9s (x: 9s; )'])
        # A file that cannot be read is one "error:" line, as lib.sh's die.
        r = judge('table', '--results', os.path.join(self.tmp.name, 'none.tsv'))
        self.assertEqual((r.returncode, r.stdout), (1, ''))
        self.assertRegex(r.stderr, r'^error: \[Errno 2\] No such file or directory: .*none\.tsv.\n$')


class SummaryTests(unittest.TestCase):
    def test_skips_stay_apart_in_the_summary(self):
        # The verdict's cases column says the skips apart ("21/23 (2
        # skipped)"), and the README's table shows it as it is: a skip
        # never reads as a pass.
        table = summary.summary([
            Row('v6.1-arm64-gcc-15 in-tree', 'PASS', '21/23 (2 skipped)',
                '21/23 cases passed, 2 skipped as expected (not exercisable here)'),
            Row('v6.1-arm64-gcc-15 insmod', 'FAIL', '20/23 (2 skipped)', 'failed: a.b (FAIL)'),
            Row('v6.1-arm64-gcc-15 mutant no-align', 'PASS', '19/22', '...'),
            Row('v6.1-arm64-gcc-15 mutant no-saturation', 'FAIL', '22/22', '...'),
            Row('v6.1-arm64-gcc-15 mutation score', 'FAIL', '1/2', '...'),
            Row('v6.1-arm64-gcc-15 bite (out-of-bounds write past the counter)', 'PASS',
                '-', 'reported by KASAN UBSAN')])
        self.assertEqual(table[2], '| v6.1-arm64-gcc-15 | 21/23 (2 skipped) | — | '
                                   '**FAIL** 20/23 (2 skipped) | — | — | — | — | 1/2 caught | - | — | — |')
        # The failed score row is listed under the table.
        self.assertIn('**FAIL** v6.1-arm64-gcc-15 mutation score: ...', table[-1])

    def test_mutants_not_exercisable_stay_apart(self):
        # A cell that cannot exercise some mutants (gcc-12: no counter
        # store) says how many beside the caught ones.
        table = summary.summary([
            Row('v6.1-x86_64-gcc-12 mutant no-align', 'PASS', '27/31', '...'),
            Row('v6.1-x86_64-gcc-12 mutation score', 'PASS', '1/1 (5 not exercisable)',
                '...')])
        self.assertEqual(table[2], '| v6.1-x86_64-gcc-12 | — | — | — | — | — | — | — | '
                                   '1/1 caught (5 not exercisable) | — | — | — |')

    def test_compat_header_with_its_mutants(self):
        # The compat column: the header's run, then how many of its
        # mutants were caught; one that survived makes the column FAIL.
        rows = [Row('v6.1-x86_64-gcc-15 compat header slub_debug=FZPU (unpatched tree)',
                    'PASS', '38/38', '38/38 cases passed'),
                Row('v6.1-x86_64-gcc-15 compat header refusal', 'PASS', '1/1', '...'),
                Row('v6.1-x86_64-gcc-15 compat mutant no-align', 'PASS', '34/38', '...'),
                Row('v6.1-x86_64-gcc-15 compat mutant gfp-ignored', 'PASS', '33/38', '...'),
                Row('v6.1-x86_64-gcc-15 compat mutation score', 'PASS', '2/2', '...')]
        table = summary.summary(rows)
        self.assertEqual(table[2], '| v6.1-x86_64-gcc-15 | — | — | — | — | — | '
                                   '38/38, refusal; mutants 2/2 caught | — | — | — | — | — |')
        rows[3] = Row(rows[3].label, 'FAIL', '38/38', 'survived')
        table = summary.summary(rows)
        self.assertIn('| **FAIL** 38/38, refusal; mutants 1/2 caught |', table[2])
        # A cell without mutants: the run and the refusal.
        table = summary.summary(rows[:2])
        self.assertIn('| 38/38, refusal |', table[2])

    def test_debian_cell(self):
        # A cell of Debian's kernel: the compat runs, the conformance, the
        # kselftest target's reports and the dkms build, each in its column.
        rows = [Row('debian-6.12-x86_64-gcc-12 compat header (unpatched tree)', 'PASS',
                    '28/38 (10 skipped)', '...'),
                Row('debian-6.12-x86_64-gcc-12 compat header slub_debug=FZPU (unpatched tree)',
                    'PASS', '28/38 (10 skipped)', '...'),
                Row('debian-6.12-x86_64-gcc-12 kselftest (compat header)', 'PASS',
                    '38 results', '...'),
                Row('debian-6.12-x86_64-gcc-12 unpatched (conformance)', 'PASS',
                    '18/31 (8 skipped)', '...'),
                Row('debian-6.12-x86_64-gcc-12 kselftest (unpatched)', 'FAIL', '-', '...'),
                Row('debian-6.12-x86_64-gcc-12 dkms build', 'PASS', '1/1', '...')]
        table = summary.summary(rows)
        self.assertEqual(table[2], '| debian-6.12-x86_64-gcc-12 | — | — | — | — | '
                                   '18/31 (8 skipped) | 28/38 (10 skipped), 28/38 (10 skipped) '
                                   '| — | — | — | **FAIL** 38 results, - | 1/1 |')

    def test_borrowed_kernel_names_its_lender(self):
        # A cell that borrows its kernel runs no built-in suites: its
        # in-tree columns say whose kernel (and in-tree runs) it is. Rows
        # of its own, were there any, would show as they are.
        lender = '(kernel of v7.2/x86_64/gcc-15)'
        for row, line in [
                (Row('v7.2-x86_64-gcc-16 insmod', 'PASS', '31/31', '...'),
                 [lender, lender, '31/31'] + ['—'] * 8),
                (Row('v7.2-x86_64-gcc-16 in-tree', 'FAIL', '30/31', '...'),
                 ['**FAIL** 30/31', lender] + ['—'] * 9)]:
            table = summary.summary([row], {'v7.2-x86_64-gcc-16': 'v7.2/x86_64/gcc-15'})
            self.assertEqual(table[2], '| v7.2-x86_64-gcc-16 | ' + ' | '.join(line) + ' |')

if __name__ == '__main__':
    unittest.main()
