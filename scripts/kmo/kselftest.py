"""Judge what the kselftest target (kselftest/kmalloc_obj.sh) reported in
a guest booted with `boot.sh --kselftest`: its output, logged as
"kselftest: LINE" lines, then "kmalloc-obj-guest: kselftest exit N", both
before the end marker. The target must report exactly what the module's
own KTAP says, case by case:

  - one KTAP header ("TAP version 13" or "KTAP version 1"), first, and
    one plan 1..N before the first result, N being the number of case
    results in the module's KTAP,
  - N results numbered 1..N in order, named SUITE.CASE after the module's
    cases in their order, each "ok" for a case that passed, "ok ... # SKIP"
    for one that skipped and "not ok" for any other,
  - nothing but comment lines after the last result, one of them a
    "# Totals:" line whose counts are those of the results,
  - the exit status once: 0 if no result is "not ok", else 1,
  - the module unloaded afterwards, as the target promises ("kselftest
    unloaded NAME" once, which the guest says when /sys/module/NAME is
    gone; "kselftest left NAME loaded" otherwise).

Whether the cases themselves passed is the module verdict's business (the
same console, judged by verdict.py); here the reporting alone is judged.
"""
import re

from kmo import verdict
from kmo.rows import Row

PREFIX = 'kselftest: '
EXIT = re.compile(r'^kmalloc-obj-guest: kselftest exit (\d+)$')
UNLOAD = re.compile(r'^kmalloc-obj-guest: kselftest (unloaded \S+|left .* loaded)$')
RESULT = re.compile(r'^(ok|not ok) (\d+) (\S+)(?: # (\S+).*)?$')
TOTALS = re.compile(r'^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) '
                    r'skip:(\d+) error:(\d+)$')


def module_cases(body, start, end):
    """[(SUITE.CASE, PASS|FAIL|SKIP|DIRECTIVE)] of the module's KTAP in the
    region, in order."""
    lines = body[start:end]
    if verdict.has_header(lines):
        reader = verdict.Reader()
    else:
        # A kernel that prints no top-level header for a module's suites
        # (KUnit before 6.6): the verdict's reading of such a stream.
        reader = verdict.Reader(synthesized=True)
        lines = verdict.synthesize(lines, None)
    for i, l in enumerate(lines):
        reader.feed(i, l)
    return [(f'{c.suite}.{c.name}', c.line) for _, c in sorted(reader.cases.items())]


def judge(lines):
    """(problems, number of results, exit status or None)."""
    body = [verdict.strip(l) for l in lines]
    start, end, problems = verdict.region(body, 'module')
    if problems:
        return problems, 0, None
    cases = module_cases(body, start, end)
    out = [l[len(PREFIX):] for l in body[start:end] if l.startswith(PREFIX)]
    exits = [int(m.group(1)) for m in map(EXIT.match, body[start:end]) if m]
    if not out:
        return ['the kselftest target printed nothing'], 0, None
    if out[0] not in ('TAP version 13', 'KTAP version 1'):
        problems.append(f'no KTAP header first: {out[0]}')
    versions = [l for l in out if re.match(r'^K?TAP version', l)]
    if len(versions) > 1:
        problems.append(f'{len(versions)} KTAP headers, not one')
    plans = [i for i, l in enumerate(out) if re.match(r'^1\.\.\d+', l)]
    first = next((i for i, l in enumerate(out) if RESULT.match(l)), len(out))
    last = max([i for i, l in enumerate(out) if RESULT.match(l)], default=-1)
    if len(plans) != 1:
        problems.append(f'{len(plans)} plan lines, not one')
    elif out[plans[0]] != f'1..{len(cases)}':
        problems.append(f'plan {out[plans[0]]}, the module reported {len(cases)} cases')
    elif plans[0] > first:
        problems.append('the plan after the first result')
    after = [l for l in out[last + 1:] if not l.startswith('#')]
    if after:
        problems.append(f'after the last result: {after[0]}')
    results, counts, totals = [], {'ok': 0, 'not ok': 0, 'skip': 0}, []
    for l in out:
        m = RESULT.match(l)
        if m:
            results.append(m)
        elif TOTALS.match(l):
            totals.append(TOTALS.match(l))
        elif l.startswith('Bail out!'):
            problems.append(f'the target bailed out: {l}')
    for n, m in enumerate(results, 1):
        word, num, name, directive = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        counts['skip' if word == 'ok' and directive == 'SKIP' else word] += 1
        if num != n:
            problems.append(f'result numbered {num} where {n} was due: {m.group(0)}')
        if n > len(cases):
            problems.append(f'a result the module has no case for: {m.group(0)}')
            continue
        want, status = cases[n - 1]
        if name != want:
            problems.append(f'result {n} names {name}, the module\'s case {n} is {want}')
        expected = {'PASS': ('ok', None), 'SKIP': ('ok', 'SKIP')}.get(status, ('not ok', None))
        if (word, directive if word == 'ok' else None) != expected:
            problems.append(f'{want}: the module says {status}, the target: {m.group(0)}')
    if len(results) < len(cases):
        problems.append(f'{len(cases) - len(results)} of the module\'s cases without a result')
    if len(totals) != 1:
        problems.append(f'{len(totals)} "# Totals:" lines, not one')
    else:
        t = totals[0]
        if (int(t.group(1)), int(t.group(2)), int(t.group(5))) != \
                (counts['ok'], counts['not ok'], counts['skip']):
            problems.append(f'totals pass:{t.group(1)} fail:{t.group(2)} skip:{t.group(5)}, '
                            f'the results: pass:{counts["ok"]} fail:{counts["not ok"]} '
                            f'skip:{counts["skip"]}')
    unloads = [m.group(1) for m in map(UNLOAD.match, body[start:end]) if m]
    if len(unloads) != 1:
        problems.append(f'the module\'s unloading reported {len(unloads)} times')
    elif not unloads[0].startswith('unloaded '):
        problems.append(f'the target {unloads[0]}')
    want_exit = 1 if counts['not ok'] or len(results) < len(cases) else 0
    if len(exits) != 1:
        problems.append(f'the exit status reported {len(exits)} times')
        code = None
    else:
        code = exits[0]
        if code != want_exit:
            problems.append(f'exit status {code}, {want_exit} due')
    return problems, len(results), code


def run(console, label, results=None, out=None):
    """What `judge.py kselftest` does; returns 0 for PASS."""
    import sys
    out = out or sys.stdout
    try:
        lines = verdict.read_console(console)
    except OSError as e:
        problems, n, code = [f'no console log ({e.strerror})'], 0, None
    else:
        problems, n, code = judge(lines)
    ok = not problems
    detail = (f'{n} results, one per case, as the module\'s KTAP says; exit {code}' if ok
              else '; '.join(problems))
    print(f'{"PASS" if ok else "FAIL"}  {label}: {detail}', file=out)
    print(f'      console: {console}', file=out)
    if results:
        Row(label, 'PASS' if ok else 'FAIL', f'{n} results' if ok else '-', detail).append(results)
    return 0 if ok else 1
