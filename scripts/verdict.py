#!/usr/bin/env python3
"""Turn a guest's console log into a verdict (SPEC section 5).

A run is PASS only if
  - the guest reached its end marker (the line our init logs after insmod,
    or the kernel's own restart message after the built-in KUnit run),
  - no panic, BUG, WARNING, Oops or sanitizer report appears anywhere,
  - the KTAP stream is complete: kunit.py parse finds every suite and case
    that the plans announce, with no parser errors,
  - and the set of cases that did not pass is exactly the expected set
    (empty unless --expect names a file; a skip never counts as a pass).
QEMU's exit status plays no part. The verdict line is printed, and a row
is appended to --results.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

BEGIN = 'kmalloc-obj-guest: begin'
END = 'kmalloc-obj-guest: end'
INTREE_END = re.compile(r'reboot: (Restarting system|Power down|System halted)')
CRASH = re.compile(r'Kernel panic|\bBUG:|^BUG \S+ \(|kernel BUG at|WARNING:|'
                   r'Oops[:\[]|general protection fault|Unable to handle kernel|'
                   r'UBSAN:|KASAN:|KCSAN:|KFENCE:|KMSAN:|'
                   r'kmalloc-obj-guest: insmod failed')
TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\]\s?')


def suites_in_ko(ko):
    """Number of KUnit suites a module registers: one pointer each in its
    .kunit_test_suites section."""
    r = subprocess.run(['readelf', '-SW', ko], capture_output=True, text=True)
    if r.returncode != 0:
        raise ValueError(f'{ko} is not a readable ELF module: '
                         f'{r.stderr.strip()[:80]}')
    out = r.stdout
    for line in out.splitlines():
        if '.kunit_test_suites' in line:
            fields = line.split(']', 1)[1].split()
            # name type address offset size ...
            return int(fields[4], 16) // 8
    return 0


def walk(test, path, cases, root=True):
    """Collect 'suite.case' -> status from kunit.py's JSON, leaving out the
    name of the root group."""
    name = test.get('name', '')
    sub = test.get('sub_groups') or []
    here = path + [name] if name and not root else path
    for case in test.get('test_cases') or []:
        cases['.'.join(here + [case['name']])] = case.get('status', '?')
    for s in sub:
        walk(s, here, cases, False)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--mode', choices=['intree', 'module'], required=True)
    ap.add_argument('--console', required=True, help='the captured console log')
    ap.add_argument('--kunit', required=True, help="path of the tree's kunit.py")
    ap.add_argument('--label', required=True, help='name of this run for the table')
    ap.add_argument('--ko', action='append', default=[],
                    help='module(s) loaded (module mode), to count their suites')
    ap.add_argument('--expect', help='file listing the cases expected to fail')
    ap.add_argument('--results', help='TSV file to append the verdict row to')
    ap.add_argument('--note', default='', help='extra text for the verdict')
    args = ap.parse_args()

    problems = []
    try:
        with open(args.console, errors='replace') as f:
            lines = [l.rstrip('\r\n').replace('\r', '') for l in f]
    except OSError as e:
        lines = []
        problems.append(f'no console log ({e.strerror})')

    for l in lines:
        if CRASH.search(TIMESTAMP.sub('', l)):
            problems.append(f'console reports: {l.strip()[:120]}')
            break

    body = [TIMESTAMP.sub('', l) for l in lines]
    if args.mode == 'module':
        try:
            b = body.index(BEGIN)
        except ValueError:
            b = None
            problems.append('guest init never started (no begin marker)')
        try:
            e = body.index(END)
        except ValueError:
            e = None
            problems.append('guest never reached its end marker (hung, crashed or timed out)')
        ktap = body[b + 1:e] if b is not None else []
        if b is not None and e is None:
            ktap = body[b + 1:]
        # Kernels that do not print a top-level header for a module's
        # suites number them after the built-in ones. Give the stream the
        # header the built-in executor would have printed, with the plan
        # taken from the modules themselves, and number the module's
        # top-level results from 1 so that the plan can be checked.
        if not any(l == 'KTAP version 1' for l in ktap):
            try:
                n = sum(suites_in_ko(k) for k in args.ko)
                if n == 0:
                    problems.append('the module(s) register no KUnit suite')
            except ValueError as e:
                n = 0
                problems.append(str(e))
            num = 0
            renumbered = []
            for l in ktap:
                m = re.match(r'^(ok|not ok) \d+ (.*)$', l)
                if m:
                    num += 1
                    l = f'{m.group(1)} {num} {m.group(2)}'
                renumbered.append(l)
            ktap = ['KTAP version 1', f'1..{n}'] + renumbered
    else:
        if not any(INTREE_END.search(l) for l in body):
            problems.append('kernel never finished the KUnit run (no restart after it)')
        ktap = body

    cases = {}
    parse_out = ''
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'ktap.txt')
        js = os.path.join(tmp, 'results.json')
        with open(src, 'w') as f:
            f.write('\n'.join(ktap) + '\n')
        p = subprocess.run([sys.executable, args.kunit, 'parse', f'--json={js}', src],
                           capture_output=True, text=True)
        parse_out = p.stdout + p.stderr
        if os.path.exists(js):
            with open(js) as f:
                walk(json.load(f), [], cases)
    with open(args.console + '.parsed', 'w') as f:
        f.write(parse_out)
    if re.search(r'\[ERROR\]|CRASHED|could not find any KTAP|missing expected subtest|'
                 r'errors: [1-9]|crashed: [1-9]', parse_out):
        problems.append('KTAP stream incomplete or malformed (see '
                        f'{args.console}.parsed)')
    if not cases:
        problems.append('no test case results found')

    failed = {c for c, s in cases.items() if s != 'PASS'}
    expected = set()
    if args.expect:
        with open(args.expect) as f:
            expected = {l.split('#', 1)[0].strip() for l in f} - {''}
    unexpected_fail = sorted(failed - expected)
    unexpected_pass = sorted(expected - failed)
    if unexpected_fail:
        problems.append('failed: ' + ', '.join(f'{c} ({cases[c]})' for c in unexpected_fail))
    if unexpected_pass:
        problems.append('expected to fail but did not: ' + ', '.join(unexpected_pass))

    passed = sum(1 for s in cases.values() if s == 'PASS')
    verdict = 'FAIL' if problems else 'PASS'
    detail = f'{passed}/{len(cases)} cases passed'
    if expected and not problems:
        detail += f', the {len(expected)} expected failures seen'
    if args.note:
        detail += f', {args.note}'
    print(f'{verdict}  {args.label}: {detail}')
    for p in problems:
        print(f'      {p}')
    print(f'      console: {args.console}')
    if args.results:
        with open(args.results, 'a') as f:
            f.write('\t'.join([args.label, verdict, f'{passed}/{len(cases)}',
                               '; '.join(problems) or detail]) + '\n')
    return 0 if verdict == 'PASS' else 1


if __name__ == '__main__':
    sys.exit(main())
