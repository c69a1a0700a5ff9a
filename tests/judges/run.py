#!/usr/bin/env python3
"""run.py [-v] [PATTERN...]: the judges' unit tests (tests/judges/test_*.py).

Runs every test (or those whose id contains one of the PATTERNs) and exits
non-zero if any fails, errs or is skipped: a skipped judge test reported as
a pass would hide a judge that was never run. The verdict tests run once
per kunit.py: those of KUNIT_PY (colon-separated), or else every tree's
under $CACHE/src; none found is a failure.

Test classes run side by side in threads: most of the time goes to the
kunit.py and judge.py processes they start. Standard library only.
"""
import io
import os
import sys
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import support  # noqa: E402


def classes(suite):
    """The suite's tests grouped by test class, in discovery order."""
    groups = {}
    def walk(s):
        for t in s:
            if isinstance(t, unittest.TestSuite):
                walk(t)
            else:
                groups.setdefault(type(t), unittest.TestSuite()).addTest(t)
    walk(suite)
    return list(groups.values())


def run_group(group, verbosity):
    stream = io.StringIO()
    result = unittest.TextTestResult(unittest.runner._WritelnDecorator(stream),
                                     descriptions=False, verbosity=verbosity)
    group.run(result)
    return result, stream


def main(argv):
    verbosity = 2 if '-v' in argv else 1
    patterns = [a for a in argv if a != '-v']
    parsers = support.kunit_parsers()
    if parsers:
        print('kunit.py parsers: ' + ', '.join(f'{n} ({p})' for n, p in parsers.items()))
    else:
        print(f'error: {support.NO_PARSER}', file=sys.stderr)

    suite = unittest.defaultTestLoader.discover(HERE, pattern='test_*.py', top_level_dir=HERE)
    groups = classes(suite)
    if patterns:
        groups = [unittest.TestSuite(t for t in g if any(p in t.id() for p in patterns))
                  for g in groups]
        groups = [g for g in groups if g.countTestCases()]

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(4, os.cpu_count() or 1)) as pool:
        done = list(pool.map(lambda g: run_group(g, verbosity), groups))
    took = time.monotonic() - start

    run = failures = errors = skipped = unexpected = 0
    for result, stream in done:
        sys.stdout.write(stream.getvalue())
        run += result.testsRun
        failures += len(result.failures)
        errors += len(result.errors)
        skipped += len(result.skipped)
        unexpected += len(result.unexpectedSuccesses)
    print()
    for result, _ in done:
        for kind, items in (('FAIL', result.failures), ('ERROR', result.errors),
                            ('SKIPPED', [(t, r + '\n') for t, r in result.skipped])):
            for test, text in items:
                print('=' * 70)
                print(f'{kind}: {test}')
                print('-' * 70)
                print(text)
    print('-' * 70)
    print(f'Ran {run} tests in {took:.1f}s')
    bad = {'failures': failures, 'errors': errors, 'skipped': skipped,
           'unexpected successes': unexpected}
    if run == 0:
        print('FAILED (no test ran)')
        return 1
    if any(bad.values()):
        print('FAILED (' + ', '.join(f'{k}={v}' for k, v in bad.items() if v) + ')')
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
