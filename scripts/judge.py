#!/usr/bin/env python3
"""judge.py SUBCOMMAND ...: every judgement of the pipeline, one command.

  verdict         a guest's console log -> PASS/FAIL and a results row
  kselftest       what the kselftest target reported in a guest (boot.sh
                  --kselftest) against the module's own KTAP -> a row
  codegen         objdump listings of tests/codegen -> PASS/FAIL and a row
  expect-section  the case names of one "[BASE CC]" section of
                  tests/conformance.expect, one per line
  kill-cases      a mutant's .expect less the cases a cell skips, one per
                  line (nothing: the mutant cannot be shown in that cell)
  has-section     whether an expectation file has a "[SECTION]" (exit 0/1),
                  e.g. the cell's section of tests/skips.expect
  row             append one row to results.tsv (a step that failed before
                  any judge could write one)
  table           results.tsv as the markdown table of results.md
  summary         results.tsv as one line per cell (the README's table)

The logic lives in scripts/kmo/ (tested by tests/judges/run.py); this file
only reads the options. Exit status 0 means PASS (or done).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kmo import codegen, expect, kselftest, rows, summary, verdict  # noqa: E402


def cmd_verdict(a):
    return verdict.run(a.console, a.mode, a.kunit, a.label, kos=a.ko, sources=a.source,
                       expects=a.expect, sections=a.expect_section,
                       results=a.results, note=a.note, kill_file=a.kill,
                       left_out=a.left_out, kmemleak=a.kmemleak)


def cmd_kselftest(a):
    return kselftest.run(a.console, a.label, a.results)


def cmd_codegen(a):
    return codegen.run(a.patched, a.unpatched, a.unpatched_counter == '1',
                       a.label, a.results)


def cmd_expect_section(a):
    try:
        names = expect.section(a.file, a.base, a.cc)
    except expect.MissingSection as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    for n in names:
        print(n)
    return 0


def cmd_has_section(a):
    try:
        return 0 if expect.has_section(a.file, a.section) else 1
    except OSError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2


def cmd_kill_cases(a):
    try:
        kill = expect.kill_list(a.expect, build_fails_ok=True)
        skips = expect.gather(sections=a.expect_section)
    except (ValueError, expect.MissingSection) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    for c in expect.applicable(kill, skips):
        print(c)
    return 0


def cmd_row(a):
    rows.Row(a.label, a.verdict, a.cases, a.detail).append(a.results)
    return 0


def cmd_table(a):
    sys.stdout.write(rows.markdown(rows.read(a.results), a.timing or ()))
    return 0


def cmd_summary(a):
    from kmo.cells import CellError, Table
    try:
        lenders = {c.id: c.lender.name for c in Table().cells if c.lender}
    except CellError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    print('\n'.join(summary.summary(rows.read(a.results), lenders)))
    return 0


def parser():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='command', required=True)

    p = sub.add_parser('verdict', help='judge a console log',
                       description=verdict.__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--mode', choices=['intree', 'module'], required=True)
    p.add_argument('--console', required=True, help='the captured console log')
    p.add_argument('--kunit', required=True, help="path of the tree's kunit.py")
    p.add_argument('--label', required=True, help='name of this run for the table')
    p.add_argument('--ko', action='append', default=[],
                   help='module(s) loaded (module mode), to count their suites')
    p.add_argument('--source', action='append', required=True,
                   help='C source of the KUnit suites run (repeatable): the cases '
                        'expected, each exactly once')
    p.add_argument('--expect', action='append', default=[],
                   help='file of expected outcomes (repeatable): "suite.case" must '
                        'fail, "suite.case SKIP" must skip')
    p.add_argument('--expect-section', action='append', default=[], metavar='FILE:SECTION',
                   help='the "[SECTION]" of FILE as expected outcomes (repeatable); '
                        'a missing section is an error')
    p.add_argument('--left-out', action='append', default=[], metavar='SUITE',
                   help='a suite this build leaves out on purpose (repeatable): the '
                        'expected outcomes of its cases do not apply; it must not be '
                        'in a --source')
    p.add_argument('--kill', metavar='FILE',
                   help="a mutant's .expect: the row is PASS if the mutant is killed as "
                        'it says (those cases fail, or CRASH), judged with no expected failure')
    p.add_argument('--kmemleak', action='store_true',
                   help='the run scanned for leaks (scripts/boot.sh --kmemleak): the scan '
                        'must be reported done before the end marker (module mode)')
    p.add_argument('--results', help='TSV file to append the verdict row to')
    p.add_argument('--note', default='', help='extra text for the verdict')
    p.set_defaults(func=cmd_verdict)

    p = sub.add_parser('kselftest', help="judge the kselftest target's report",
                       description=kselftest.__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--console', required=True, help='the captured console log')
    p.add_argument('--label', required=True, help='name of this run for the table')
    p.add_argument('--results', help='TSV file to append the row to')
    p.set_defaults(func=cmd_kselftest)

    p = sub.add_parser('codegen', help='compare the disassembled function pairs',
                       description=codegen.__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--patched', required=True, help='objdump -dr of the module')
    p.add_argument('--unpatched', default='',
                   help='objdump -dr of the module built from the unpatched '
                        'headers; empty or absent: there is none')
    p.add_argument('--unpatched-counter', choices=['0', '1'], default='0',
                   help='1 if the unpatched tree already stores the _flex counter')
    p.add_argument('--label', required=True, help='name of this run for the table')
    p.add_argument('--results', help='TSV file to append the row to')
    p.set_defaults(func=cmd_codegen)

    p = sub.add_parser('expect-section', help='print one section of an expectation file')
    p.add_argument('file')
    p.add_argument('base')
    p.add_argument('cc')
    p.set_defaults(func=cmd_expect_section)

    p = sub.add_parser('has-section', help='exit 0 if FILE has "[SECTION]", 1 if not')
    p.add_argument('file')
    p.add_argument('section')
    p.set_defaults(func=cmd_has_section)

    p = sub.add_parser('kill-cases', help="a mutant's .expect less a cell's skips")
    p.add_argument('--expect', required=True, help="the mutant's .expect")
    p.add_argument('--expect-section', action='append', default=[], metavar='FILE:SECTION',
                   help="the cell's skips (tests/skips.expect:CELL), repeatable")
    p.set_defaults(func=cmd_kill_cases)

    p = sub.add_parser('row', help='append one row to results.tsv')
    p.add_argument('--label', required=True)
    p.add_argument('--verdict', required=True)
    p.add_argument('--cases', required=True)
    p.add_argument('--detail', required=True)
    p.add_argument('--results', required=True)
    p.set_defaults(func=cmd_row)

    p = sub.add_parser('table', help='print results.tsv as the results.md table')
    p.add_argument('--results', required=True)
    p.add_argument('--timing', help='the line after the table ("Wall time: ...")')
    p.set_defaults(func=cmd_table)

    p = sub.add_parser('summary', help='print results.tsv as one line per cell')
    p.add_argument('--results', required=True)
    p.set_defaults(func=cmd_summary)
    return ap


def main(argv=None):
    a = parser().parse_args(argv)
    try:
        return a.func(a)
    except OSError as e:
        # A file that cannot be read or written (a listing, the results):
        # one line in the form matrix.sh picks up for a failed step's row.
        print(f'error: {e}', file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
