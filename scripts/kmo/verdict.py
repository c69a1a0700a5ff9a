"""Turn a guest's console log into a verdict (SPEC section 5).

A run is PASS only if
  - the guest reached its end marker (the line our init logs after insmod,
    or the kernel's own restart message after the built-in KUnit run),
  - no panic, BUG, Oops or sanitizer report appears anywhere, and no
    WARNING outside a test case; a WARNING printed while a case ran (after
    the previous result line of its suite, before its own) fails that
    case, as WARNED, so that an expectation list can name it,
  - the KTAP stream is complete: kunit.py parse finds every suite and case
    that the plans announce, with no parser errors,
  - and the set of cases that did not pass is exactly the expected set
    (empty unless an expectation list is given; a skip never counts as a
    pass).
QEMU's exit status plays no part. The tree's own kunit.py reads the KTAP,
so that the stream is judged by the parser of the kernel that printed it.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

from kmo import expect
from kmo.rows import Row

BEGIN = 'kmalloc-obj-guest: begin'
END = 'kmalloc-obj-guest: end'
INTREE_END = re.compile(r'reboot: (Restarting system|Power down|System halted)')
CRASH = re.compile(r'Kernel panic|\bBUG:|^BUG \S+ \(|kernel BUG at|WARNING:|'
                   r'Oops[:\[]|general protection fault|Unable to handle kernel|'
                   r'UBSAN:|KASAN:|KCSAN:|KFENCE:|KMSAN:|'
                   r'kmalloc-obj-guest: insmod failed')
TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\]\s?')
# What kunit.py parse prints when the stream is not whole.
PARSE_TROUBLE = re.compile(r'\[ERROR\]|CRASHED|could not find any KTAP|'
                           r'missing expected subtest|errors: [1-9]|crashed: [1-9]')
RESULT = re.compile(r'^(ok|not ok) \d+ (.*)$')
WARNING = re.compile(r'WARNING:')
SUBTEST = re.compile(r'^\s*# Subtest: (\S+)')
SUITE_RESULT = re.compile(r'^(?:ok|not ok) \d+ (\S+)')
CASE_RESULT = re.compile(r'^\s+(?:ok|not ok) \d+ (\S+)')


@dataclass
class Judgement:
    verdict: str                  # 'PASS' or 'FAIL'
    passed: int                   # cases that passed
    total: int                    # cases kunit.py found
    problems: list = field(default_factory=list)
    cases: dict = field(default_factory=dict)   # 'suite.case' -> status
    parse_out: str = ''           # what kunit.py parse printed


def read_console(path):
    """The console's lines without line ends or stray carriage returns
    (a serial console ends lines with \\r\\n). Raises OSError."""
    with open(path, errors='replace') as f:
        return [l.rstrip('\r\n').replace('\r', '') for l in f]


def crash_report(lines, skip=()):
    """The problem for the first line that reports a crash, warning or
    sanitizer finding, or None; lines whose index is in skip (WARNINGs
    that warned_cases() gave to a case) do not count."""
    for i, l in enumerate(lines):
        if i not in skip and CRASH.search(TIMESTAMP.sub('', l)):
            return f'console reports: {l.strip()[:120]}'
    return None


def warned_cases(body):
    """({'suite.case': WARNING line}, {index of each such line}): the
    WARNINGs printed while a case of a suite ran, each given to the next
    case result of that suite. A WARNING before any suite header, after a
    suite's own result, or with no case result after it belongs to no
    case and is left out."""
    warned, used = {}, set()
    suite, pending = None, []
    for i, l in enumerate(body):
        m = SUBTEST.match(l)
        if m:
            suite, pending = m.group(1), []
            continue
        if suite is None:
            continue
        if WARNING.search(l):
            pending.append(i)
            continue
        m = CASE_RESULT.match(l)
        if m:
            if pending:
                warned.setdefault(f'{suite}.{m.group(1)}', body[pending[0]].strip())
                used.update(pending)
            pending = []
            continue
        if SUITE_RESULT.match(l):
            suite, pending = None, []
    return warned, used


def suites_in_ko(ko):
    """Number of KUnit suites a module registers: one pointer each in its
    .kunit_test_suites section. Raises ValueError if ko is not ELF."""
    r = subprocess.run(['readelf', '-SW', ko], capture_output=True, text=True)
    if r.returncode != 0:
        raise ValueError(f'{ko} is not a readable ELF module: '
                         f'{r.stderr.strip()[:80]}')
    for line in r.stdout.splitlines():
        if '.kunit_test_suites' in line:
            fields = line.split(']', 1)[1].split()
            # name type address offset size ...
            return int(fields[4], 16) // 8
    return 0


def module_ktap(body, kos):
    """(KTAP lines, problems) of a module run: the lines between the
    guest's markers, given a top-level header if the kernel printed none."""
    problems = []
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
    # Kernels that do not print a top-level header for a module's suites
    # number them after the built-in ones. Give the stream the header the
    # built-in executor would have printed, with the plan taken from the
    # modules themselves, and number the module's top-level results from 1
    # so that the plan can be checked. Indented lines (the suites' own
    # results) do not match and keep their numbers.
    if not any(l == 'KTAP version 1' for l in ktap):
        try:
            n = sum(suites_in_ko(k) for k in kos)
            if n == 0:
                problems.append('the module(s) register no KUnit suite')
        except ValueError as err:
            n = 0
            problems.append(str(err))
        num = 0
        renumbered = []
        for l in ktap:
            m = RESULT.match(l)
            if m:
                num += 1
                l = f'{m.group(1)} {num} {m.group(2)}'
            renumbered.append(l)
        ktap = ['KTAP version 1', f'1..{n}'] + renumbered
    return ktap, problems


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


def parse_ktap(kunit_py, ktap):
    """(cases, output) of the tree's `kunit.py parse --json` on the lines."""
    cases = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'ktap.txt')
        js = os.path.join(tmp, 'results.json')
        with open(src, 'w') as f:
            f.write('\n'.join(ktap) + '\n')
        p = subprocess.run([sys.executable, kunit_py, 'parse', f'--json={js}', src],
                           capture_output=True, text=True)
        if os.path.exists(js):
            with open(js) as f:
                walk(json.load(f), [], cases)
    return cases, p.stdout + p.stderr


def judge(lines, mode, kunit_py, kos=(), expected=(), parsed='the kunit.py output',
          problems=()):
    """Judge a console's lines. mode is 'intree' or 'module'; kos are the
    modules loaded (module mode); expected the cases expected to fail;
    parsed names where the parser output is kept, for the message;
    problems are those found before (a console that could not be read),
    which come first."""
    problems = list(problems)
    body = [TIMESTAMP.sub('', l) for l in lines]
    warned, used = warned_cases(body)
    crash = crash_report(lines, used)
    if crash:
        problems.append(crash)

    if mode == 'module':
        ktap, more = module_ktap(body, kos)
        problems += more
    elif mode == 'intree':
        if not any(INTREE_END.search(l) for l in body):
            problems.append('kernel never finished the KUnit run (no restart after it)')
        ktap = body
    else:
        raise ValueError(f'unknown mode {mode!r}')

    cases, parse_out = parse_ktap(kunit_py, ktap)
    for c, line in warned.items():
        if c in cases:
            cases[c] = 'WARNED' if cases[c] == 'PASS' else cases[c] + '+WARNED'
        else:
            problems.append(f'console reports: {line[:120]}')
    if PARSE_TROUBLE.search(parse_out):
        problems.append(f'KTAP stream incomplete or malformed (see {parsed})')
    if not cases:
        problems.append('no test case results found')

    failed = {c for c, s in cases.items() if s != 'PASS'}
    unexpected_fail, unexpected_pass = expect.compare(failed, expected)
    if unexpected_fail:
        problems.append('failed: ' + ', '.join(f'{c} ({cases[c]})' for c in unexpected_fail))
    if unexpected_pass:
        problems.append('expected to fail but did not: ' + ', '.join(unexpected_pass))

    passed = sum(1 for s in cases.values() if s == 'PASS')
    return Judgement('FAIL' if problems else 'PASS', passed, len(cases),
                     problems, cases, parse_out)


def detail(j, expected=(), note=''):
    """The verdict line's text after the label."""
    text = f'{j.passed}/{j.total} cases passed'
    if expected and not j.problems:
        text += f', the {len(set(expected))} expected failures seen'
    if note:
        text += f', {note}'
    return text


def run(console, mode, kunit_py, label, kos=(), expect_file=None, results=None,
        note='', out=None):
    """What `judge.py verdict` does: judge the console file, keep the
    parser's output beside it (CONSOLE.parsed), print the verdict, append
    the row to results. Returns the exit status: 0 for PASS."""
    out = out or sys.stdout
    before = []
    try:
        lines = read_console(console)
    except OSError as e:
        lines = []
        before.append(f'no console log ({e.strerror})')
    expected = expect.read_list(expect_file) if expect_file else []
    j = judge(lines, mode, kunit_py, kos, expected, f'{console}.parsed', before)
    with open(console + '.parsed', 'w') as f:
        f.write(j.parse_out)

    text = detail(j, expected, note)
    print(f'{j.verdict}  {label}: {text}', file=out)
    for p in j.problems:
        print(f'      {p}', file=out)
    print(f'      console: {console}', file=out)
    if results:
        Row(label, j.verdict, f'{j.passed}/{j.total}',
            '; '.join(j.problems) or text).append(results)
    return 0 if j.verdict == 'PASS' else 1
