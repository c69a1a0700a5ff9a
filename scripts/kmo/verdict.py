"""Turn a guest's console log into a verdict (SPEC section 5).

A run is PASS only if
  - the guest reached its end marker (module runs: exactly one begin and
    one end marker line of our init, in that order; in-tree runs: the
    kernel's own restart message after the built-in KUnit run),
  - no report of the kernel appears anywhere on the console (panic, BUG,
    Oops, sanitizers, SLUB debug, FORTIFY, usercopy, list and refcount
    checks, RCU stalls, hung tasks, OOM, kmemleak, a bare Call Trace...);
    only a WARNING block printed while a case ran, or the report of a
    failed allocation, is given to that case (as WARNED or REPORTED), so
    that an expectation can name it,
  - the region holds exactly one KTAP stream, read strictly here: one
    top-level header and plan, then each suite once ("# Subtest: S", its
    plan, exactly that many case results numbered in order, its own result
    line named S, numbered in turn, with the status its cases give it) and
    nothing of KTAP after the plan is met,
  - the case names are exactly those the suites' C source registers
    (--source), each seen once,
  - every case passed (a plain "ok N name": any "# DIRECTIVE" is not a
    pass), except those an expectation names, which must fail or, if the
    expectation says SKIP, skip,
  - the tree's own kunit.py parse agrees with this reading,
  - and, where the run asked kmemleak to scan after the modules
    (--kmemleak), the scan is reported done once before the end marker;
    what it finds (an object nothing refers to) is a report like the
    others.
QEMU's exit status plays no part.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

from kmo import expect, suites
from kmo.rows import Row

BEGIN = 'kmalloc-obj-guest: begin'
END = 'kmalloc-obj-guest: end'
# What scripts/boot.sh --kmemleak prints after the scan.
SCANNED = 'kmalloc-obj-guest: kmemleak scanned'
INTREE_END = re.compile(r'reboot: (Restarting system|Power down|System halted)')
# The printk time stamp "[    1.234567] " and caller id "[    T1] " or
# "[  C0] " (CONFIG_PRINTK_CALLER), either or both, before the message.
PREFIX = re.compile(r'^(?:\[\s*\d+\.\d+\]\s?)?(?:\[\s*[TC]\d+\]\s?)?')

# What the kernel prints when something went wrong, searched anywhere in
# a line. Each fails the whole run wherever it appears, except WARNING
# blocks and failed allocations during a case (see scan_reports).
REPORT = re.compile('|'.join([
    r'Kernel panic', r'\bBUG:', r'\bBUG [^\s:]+ \(.*\): ', r'kernel BUG at',
    r'\bOops\b', r'general protection fault', r'Unable to handle kernel',
    r'Internal error:', r'invalid opcode:', r'stack-protector',
    r'UBSAN:', r'KASAN:', r'KCSAN:', r'KFENCE:', r'KMSAN:',
    r'Redzone overwritten', r'Poison overwritten', r'[Pp]adding overwritten',
    r'Freepointer corrupt', r'(?i:double free)', r'Object already free',
    r'detected buffer overflow', r'detected field-spanning write',
    r'usercopy: Kernel memory (?:overwrite|exposure) attempt',
    r'\blist_\w+ corruption', r'refcount_t: ',
    r'invoked oom-killer', r'rcu: INFO:', r'detected (?:expedited )?stalls',
    r'self-detected stall', r'blocked for more than \d+ seconds',
    r'suspected memory leak', r'unreferenced object',
    r'kmalloc-obj-guest: insmod failed', r'kmalloc-obj-guest: kmemleak scan failed',
]))
# What a crash of the run (a mutant's CRASH) prints.
CRASH = re.compile(r'Kernel panic|\bBUG:|kernel BUG at|\bOops\b|general protection fault|'
                   r'Unable to handle kernel|Internal error:|invalid opcode:')
CUT_HERE = re.compile(r'-+\[ cut here \]-+')
# The problem of a module run that did not reach its end marker (kill()
# reads it: a CRASH mutant's run must end so).
NO_END = 'guest never reached its end marker (hung, crashed or timed out)'
WARNING = re.compile(r'WARNING:')
END_TRACE = re.compile(r'---\[ end trace')
CALL_TRACE = re.compile(r'Call [Tt]race:')
ALLOC_FAILURE = re.compile(r'page allocation failure|vmalloc error')

# KTAP, after the prefix: the only lines the reader looks at.
VERSION = re.compile(r'^(\s*)K?TAP version (\d+)\s*$')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)')
SUBTEST = re.compile(r'^(\s*)# Subtest: (.*?)\s*$')
RESULT = re.compile(r'^(\s*)(ok|not ok) (\d+)\b(.*)$')
DIRECTIVE_WORD = re.compile(r'[A-Za-z_]*')
# What kunit.py parse prints when the stream is not whole.
PARSE_TROUBLE = re.compile(r'\[ERROR\]|CRASHED|could not find any KTAP|'
                           r'missing expected subtest|errors: [1-9]|crashed: [1-9]')


@dataclass
class Judgement:
    verdict: str                  # 'PASS' or 'FAIL'
    passed: int                   # cases that passed
    total: int                    # cases the source registers
    problems: list = field(default_factory=list)
    cases: dict = field(default_factory=dict)   # 'suite.case' -> status
    parse_out: str = ''           # what kunit.py parse printed
    skipped: int = 0              # cases that skipped (as expected, on a PASS)
    expected_failures: int = 0    # cases expected to fail
    region_reports: list = field(default_factory=list)  # report lines in the run's region


def read_console(path):
    """The console's lines without line ends or stray carriage returns
    (a serial console ends lines with \\r\\n). Raises OSError."""
    with open(path, errors='replace') as f:
        return [l.rstrip('\r\n').replace('\r', '') for l in f]


def strip(line):
    """The line without its time stamp and caller id."""
    return PREFIX.sub('', line, count=1)


def ktap(line):
    """(kind, indent, match) of a KTAP line (kind 'version', 'plan',
    'subtest' or 'result'), or None for any other line: kernel messages
    and "# " diagnostics between KTAP lines are normal."""
    for kind, rx in (('version', VERSION), ('plan', PLAN), ('subtest', SUBTEST),
                     ('result', RESULT)):
        m = rx.match(line)
        if m:
            return kind, len(m.group(1)), m
    return None


def result_fields(m):
    """(number, name, status) of a result line's match. The status is PASS
    for a plain "ok", FAIL for a plain "not ok", and with a "# DIRECTIVE"
    after the name the directive's word in capitals whatever the line
    says (SKIP for "# skip"): never PASS."""
    rest = m.group(4).strip()
    if rest.startswith('- '):
        rest = rest[2:]
    name, hash_, directive = rest.partition('#')
    if not hash_:
        return int(m.group(3)), name.strip(), 'PASS' if m.group(2) == 'ok' else 'FAIL'
    word = DIRECTIVE_WORD.match(directive.strip()).group(0).upper()
    return int(m.group(3)), name.strip(), word if word and word != 'PASS' else 'DIRECTIVE'


def kunit_rule(statuses):
    """The status KUnit gives a suite from the statuses of its case lines:
    FAIL if one failed, else PASS if one passed, else SKIP (all skipped).
    A directive other than SKIP counts as a failure here."""
    if any(s not in ('PASS', 'SKIP') for s in statuses):
        return 'FAIL'
    return 'PASS' if 'PASS' in statuses else 'SKIP'


@dataclass
class Case:
    suite: str
    name: str
    line: str                     # status of the result line alone
    index: int                    # line of the console
    status: str = ''              # with WARNED / REPORTED added


@dataclass
class Suite:
    name: str
    plan: int = None
    cases: list = field(default_factory=list)
    result: str = None            # status of its own result line


class Reader:
    """The strict reading of one KTAP stream, a line at a time (feed),
    then finish(). With synthesized=True the top-level header is taken as
    given (a module on a kernel that prints none), with the plan given
    (None: unknown) and the top-level results numbered from whatever the
    first one says (the kernel numbers them after the built-in suites).

    Afterwards: suites (in order, those never ended included), cases
    ({console line: Case} of every case result inside a suite) and
    problems."""

    def __init__(self, synthesized=False, plan=None):
        self.synthesized = synthesized
        self.header = synthesized
        self.plan_seen = synthesized
        self.plan = plan
        self.results = 0
        self.offset = None if synthesized else 0
        self.suite = None
        self.suites, self.cases, self.problems = [], {}, []
        self.before, self.after = [], []

    def problem(self, text):
        self.problems.append(text)

    def ended(self):
        return self.plan_seen and self.plan is not None and self.results >= self.plan

    def unfinished(self):
        self.problem(f'suite {self.suite.name} never ended (no result line of its own)')
        self.suites.append(self.suite)
        self.suite = None

    def feed(self, i, line):
        """Read console line i (prefix stripped). Returns whether it is
        KTAP."""
        k = ktap(line)
        if not k:
            return False
        kind, indent, m = k
        text = line.strip()
        if self.ended():
            if kind == 'version' and indent == 0:
                self.problem(f'a second KTAP stream after the end of the first: {text}')
            else:
                self.after.append(text)
            return True
        if not self.header:
            if kind == 'version' and indent == 0:
                self.header = True
            else:
                self.before.append(text)
            return True
        getattr(self, 'on_' + kind)(i, indent, m, text)
        return True

    def on_version(self, i, indent, m, text):
        if indent == 0:
            self.problem(f'a second top-level KTAP header (a second stream): {text}')
        elif self.suite and (self.suite.plan is not None or self.suite.cases):
            # A suite's own header starts the next suite.
            self.unfinished()

    def on_plan(self, i, indent, m, text):
        n = int(m.group(2))
        if indent == 0:
            if self.plan_seen:
                self.problem(f'a second top-level plan: {text}')
            else:
                self.plan_seen, self.plan = True, n
        elif not self.suite:
            self.problem(f'a plan outside a suite: {text}')
        elif self.suite.plan is not None or self.suite.cases:
            self.problem(f'suite {self.suite.name}: a second plan: {text}')
        else:
            self.suite.plan = n

    def on_subtest(self, i, indent, m, text):
        if self.suite:
            self.unfinished()
        if indent == 0:
            self.problem(f'a "# Subtest:" line at the top level: {text}')
        if not self.plan_seen:
            self.problem(f'a suite before the top-level plan: {text}')
        self.suite = Suite(m.group(2))

    def on_result(self, i, indent, m, text):
        num, name, status = result_fields(m)
        if not name:
            self.problem(f'a result line without a name: {text}')
        if indent > 0:
            self.case_result(i, num, name, status, text)
        else:
            self.suite_result(num, name, status, text)

    def case_result(self, i, num, name, status, text):
        s = self.suite
        if not s:
            self.problem(f'a case result outside a suite: {text}')
            return
        if s.plan is None:
            self.problem(f'suite {s.name}: a case result before its plan: {text}')
            s.plan = -1     # said once
        elif s.plan >= 0 and len(s.cases) >= s.plan:
            self.problem(f'suite {s.name}: more case results than its plan 1..{s.plan}: {text}')
        if num != len(s.cases) + 1:
            self.problem(f'suite {s.name}: case numbered {num} where {len(s.cases) + 1} '
                         f'was due: {text}')
        c = Case(s.name, name, status, i)
        s.cases.append(c)
        self.cases[i] = c

    def suite_result(self, num, name, status, text):
        self.results += 1
        if self.offset is None:
            self.offset = num - 1
        if num != self.offset + self.results:
            self.problem(f'suite result numbered {num - self.offset} where {self.results} '
                         f'was due: {text}')
        if not self.plan_seen:
            self.problem(f'a suite result before the top-level plan: {text}')
        s = self.suite
        if not s:
            self.problem(f'a suite result without its "# Subtest:" line: {text}')
            self.suites.append(Suite(name, result=status))
            return
        self.suite = None
        self.suites.append(s)
        s.result = status
        if name != s.name:
            self.problem(f'suite {s.name} ends with the result line of "{name}": {text}')
        if s.plan is None:
            self.problem(f'suite {s.name} has no plan')
        elif s.plan >= 0 and len(s.cases) != s.plan:
            self.problem(f'suite {s.name}: {len(s.cases)} case results, its plan says {s.plan}')
        if status not in ('PASS', 'FAIL', 'SKIP'):
            self.problem(f'suite {s.name}: "# {status}" on its result line: {text}')
        else:
            due = kunit_rule([c.line for c in s.cases])
            if status != due:
                self.problem(f'suite {s.name}: its result line says {status}, '
                             f'its cases say {due}: {text}')

    def finish(self):
        if self.suite:
            self.unfinished()
        if self.before:
            self.problem(f'KTAP outside the stream, before its header: {self.before[0]}'
                         + more(self.before))
        if not self.header:
            self.problem('no KTAP stream (no top-level "KTAP version" header)')
        elif not self.plan_seen:
            self.problem('the KTAP stream has no top-level plan')
        elif self.plan is not None and self.results < self.plan:
            self.problem(f'the stream ended after {self.results} of its {self.plan} suites')
        if self.after:
            self.problem(f'KTAP after the end of the stream: {self.after[0]}' + more(self.after))


def more(items, what='lines'):
    return f' (and {len(items) - 1} more {what})' if len(items) > 1 else ''


def region(body, mode):
    """(start, end, problems): the lines of the console that hold the run's
    KTAP, body[start:end]. Module runs: between the one begin and the one
    end marker line; in-tree runs: the console up to the kernel's restart
    line."""
    if mode == 'intree':
        end = next((i for i, l in enumerate(body) if INTREE_END.search(l)), None)
        if end is None:
            return 0, len(body), ['kernel never finished the KUnit run (no restart after it)']
        return 0, end, []
    if mode != 'module':
        raise ValueError(f'unknown mode {mode!r}')
    problems = []
    begins = [i for i, l in enumerate(body) if l == BEGIN]
    ends = [i for i, l in enumerate(body) if l == END]
    if not begins:
        problems.append('guest init never started (no begin marker)')
    elif len(begins) > 1:
        problems.append(f'the begin marker printed {len(begins)} times')
    if not ends:
        problems.append(NO_END)
    elif len(ends) > 1:
        problems.append(f'the end marker printed {len(ends)} times')
    if not begins:
        return len(body), len(body), problems
    start = begins[0] + 1
    end = next((e for e in ends if e >= start), len(body))
    if ends and ends[0] < start:
        problems.append('the end marker before the begin marker')
    return start, end, problems


def suites_in_ko(ko):
    """Number of suites a module registers: one pointer each (8 bytes in an
    ELF64 module, 4 in an ELF32 one: i386) in its .kunit_test_suites
    section (KUnit), or in its .kmo_ktap_suites section (the standalone
    KTAP mode, ktap/kunit_ktap.h). Raises ValueError if ko is not ELF."""
    r = subprocess.run(['readelf', '-hSW', ko], capture_output=True, text=True)
    if r.returncode != 0:
        raise ValueError(f'{ko} is not a readable ELF module: '
                         f'{r.stderr.strip()[:80]}')
    pointer = 8
    size = 0
    for line in r.stdout.splitlines():
        if line.split()[:2] == ['Class:', 'ELF32']:
            pointer = 4
        fields = line.split(']', 1)[1].split() if line.lstrip().startswith('[') else []
        # name type address offset size ...
        if fields[:1] in (['.kunit_test_suites'], ['.kmo_ktap_suites']):
            size += int(fields[4], 16)
    return size // pointer


def kos_suites(kos):
    """(suites the modules register or None, problems)."""
    try:
        n = sum(suites_in_ko(k) for k in kos)
    except ValueError as err:
        return None, [str(err)]
    return n, [] if n else ["the module(s) register no suite (KUnit's or the standalone KTAP mode's)"]


def has_header(lines):
    return any(VERSION.match(l) and not VERSION.match(l).group(1) for l in lines)


def synthesize(lines, n):
    """A module's KTAP lines given the top-level header and plan (n suites)
    of a kernel that prints none. Such kernels number a module's suites
    after the built-in ones: the top-level results are numbered from 1
    here, so that kunit.py can check the plan. Indented lines (the
    suites' own results) keep their numbers."""
    num = 0
    renumbered = []
    for l in lines:
        m = RESULT.match(l)
        if m and not m.group(1):
            num += 1
            l = f'{m.group(2)} {num}{m.group(4)}'
        renumbered.append(l)
    return ['KTAP version 1', f'1..{n or 0}'] + renumbered


def module_ktap(body, kos):
    """(KTAP lines, problems) of a module run for kunit.py: the lines
    between the guest's markers, given a top-level header if the kernel
    printed none, with the plan taken from the modules themselves."""
    start, end, problems = region(body, 'module')
    lines = body[start:end]
    if not has_header(lines):
        n, more_problems = kos_suites(kos)
        problems += more_problems
        lines = synthesize(lines, n)
    return lines, problems


def scan_reports(body, start, end, is_ktap, cases):
    """(report lines, {console line of a case result: [kinds]}).

    Goes through every line of the console. A WARNING block (from
    "[ cut here ]" or the WARNING: line to "---[ end trace", or to the next
    KTAP line) and the report of a failed allocation (to the next KTAP
    line, its dump_stack's Call Trace included) are held until the next
    KTAP line: if that is a case result inside a suite (a line in cases),
    the block belongs to that case (WARNED, REPORTED); otherwise, or at the
    edge of the region, it is a report of the whole run. Every other
    report (REPORT, or a Call Trace outside such a block) is one too.
    is_ktap(i) says whether line i is KTAP of the region."""
    reports, given = [], {}
    block = None            # kind of the open block
    cut_open = False        # the open block is a "cut here" without its WARNING yet
    pending = []            # [kind, console line] of the blocks held

    def flush(to=None):
        for kind, i in pending:
            if to is None:
                reports.append(i)
            else:
                given.setdefault(to, [])
                if kind not in given[to]:
                    given[to].append(kind)
        pending.clear()

    for i, line in enumerate(body):
        if i in (start, end):
            flush()
            block = None
        if REPORT.search(line):
            reports.append(i)
        if start <= i < end and is_ktap(i):
            flush(i if i in cases else None)
            block = None
            continue
        if CUT_HERE.search(line):
            block, cut_open = 'WARNED', True
            pending.append(['WARNED', i])
        elif WARNING.search(line):
            if block == 'WARNED' and cut_open:
                pending[-1][1] = i          # name the block by its WARNING line
            else:
                block = 'WARNED'
                pending.append(['WARNED', i])
            cut_open = False
        elif ALLOC_FAILURE.search(line):
            block, cut_open = 'REPORTED', False
            pending.append(['REPORTED', i])
        elif END_TRACE.search(line) and block == 'WARNED':
            block = None
        elif CALL_TRACE.search(line) and block is None:
            reports.append(i)
    flush()
    return sorted(set(reports)), given


def crash_report(lines):
    """The problem for the first line of lines (a console with no KTAP and
    no region) that reports anything, or None."""
    body = [strip(l) for l in lines]
    reports, _ = scan_reports(body, len(body), len(body), lambda i: False, {})
    return f'console reports: {lines[reports[0]].strip()[:120]}' if reports else None


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


def parse_ktap(kunit_py, ktap_lines):
    """(cases, output) of the tree's `kunit.py parse --json` on the lines."""
    cases = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'ktap.txt')
        js = os.path.join(tmp, 'results.json')
        with open(src, 'w') as f:
            f.write('\n'.join(ktap_lines) + '\n')
        p = subprocess.run([sys.executable, kunit_py, 'parse', f'--json={js}', src],
                           capture_output=True, text=True)
        if os.path.exists(js):
            with open(js) as f:
                walk(json.load(f), [], cases)
    return cases, p.stdout + p.stderr


def status_class(status):
    """PASS, SKIP or FAIL: what kunit.py's JSON can say of a case. kunit.py
    knows only "# SKIP" of the directives and calls a crash ERROR."""
    return status if status in ('PASS', 'SKIP') else 'FAIL'


def names_problems(source, seen):
    """The problems of the suites and cases seen ([Suite]) against the
    source's [(suite, [cases])]: each suite and each case exactly once,
    nothing else."""
    problems = []
    want = dict(source)
    count = {}
    for s in seen:
        count[s.name] = count.get(s.name, 0) + 1
    for name, n in count.items():
        if name not in want:
            problems.append(f'suite {name} is not in the source')
        elif n > 1:
            problems.append(f'suite {name} printed {"twice" if n == 2 else f"{n} times"}')
    missing = [s for s, _ in source if s not in count]
    if missing:
        problems.append('suites missing: ' + ', '.join(missing))
    cases = {}
    for s in seen:
        for c in s.cases:
            cases[f'{s.name}.{c.name}'] = cases.get(f'{s.name}.{c.name}', 0) + 1
    # Cases of a suite missing, unknown or printed twice are said above.
    once = [s for s, n in count.items() if n == 1 and s in want]
    lost = [f'{s}.{c}' for s in once for c in want[s] if f'{s}.{c}' not in cases]
    if lost:
        problems.append('cases missing: ' + ', '.join(lost))
    twice = [c for c, n in cases.items() if n > 1 and c.split('.')[0] in once]
    if twice:
        problems.append('cases reported twice: ' + ', '.join(twice))
    extra = [c for c in cases if c.split('.')[0] in once
             and c.split('.', 1)[1] not in want[c.split('.')[0]]]
    if extra:
        problems.append('cases not in the source: ' + ', '.join(extra))
    return problems


def judge(lines, mode, kunit_py, source, kos=(), expected=None,
          parsed='the kunit.py output', problems=(), kmemleak=False):
    """Judge a console's lines. mode is 'intree' or 'module'; kunit_py the
    tree's kunit.py, whose reading must agree (None: not asked); source the
    suites' [(suite, [cases])] (kmo.suites); kos the modules loaded
    (module mode); expected {'suite.case': FAIL or SKIP} (kmo.expect);
    parsed names where the parser output is kept, for the message;
    problems are those found before (a console that could not be read),
    which come first; kmemleak says the run scanned for leaks (module
    mode)."""
    problems = list(problems)
    expected = expected or {}
    body = [strip(l) for l in lines]
    start, end, region_problems = region(body, mode)
    if kmemleak:
        if mode != 'module':
            raise ValueError('a kmemleak scan is a module run\'s')
        scans = body[start:end].count(SCANNED)
        if scans != 1:
            region_problems.append('no kmemleak scan reported before the end marker' if not scans
                                   else f'the kmemleak scan reported {scans} times')

    # The strict reading of the region. A module on a kernel that prints
    # no top-level header gets one, with the plan its .ko files give.
    kunit_lines, reader = body, Reader()
    if mode == 'module':
        inside = body[start:end]
        header = has_header(inside)
        n = None
        if kos or not header:
            n, more_problems = kos_suites(kos)
            region_problems += more_problems
        if header:
            kunit_lines = inside
            plans = [int(m.group(2)) for m in map(PLAN.match, inside) if m and not m.group(1)]
            if n and plans and plans[0] != n:
                region_problems.append(f'the stream plans {plans[0]} suites, '
                                       f'the module(s) register {n}')
        else:
            kunit_lines = synthesize(inside, n)
            reader = Reader(synthesized=True, plan=n)
    is_ktap = set()
    for i in range(start, end):
        if reader.feed(i, body[i]):
            is_ktap.add(i)
    reader.finish()
    after = [l.strip() for l in body[end + 1:] if ktap(l)] if end < len(body) else []

    reports, given = scan_reports(body, start, end, lambda i: i in is_ktap, reader.cases)
    # The telling lines of the reports ("BUG: KASAN: ...", "UBSAN: ...",
    # "WARNING: ..."), not the "cut here" or call trace around them.
    telling = [i for i in reports if REPORT.search(body[i]) or WARNING.search(body[i])]
    if reports:
        shown = telling[0] if telling else reports[0]
        problems.append(f'console reports: {lines[shown].strip()[:120]}'
                        + more(reports, 'report lines'))
    # What the run itself printed (a module's, after its begin marker), not
    # what the kernel printed before it: a mutant is killed by its own.
    region_reports = [body[i].strip()[:120] for i in telling if start <= i < end]
    problems += region_problems
    if after:
        where = 'the end marker' if mode == 'module' else 'the end of the run (restart line)'
        problems.append(f'KTAP after {where}: {after[0]}' + more(after))

    for c in reader.cases.values():
        kinds = given.get(c.index, [])
        c.status = '+'.join(([] if c.line == 'PASS' and kinds else [c.line]) + kinds)
    seen_cases = [c for s in reader.suites for c in s.cases]
    if not seen_cases:
        problems.append('no test case results found')
    else:
        problems += reader.problems
        problems += names_problems(source, reader.suites)

    # Statuses against the expectations, for the cases seen once.
    count = {}
    for c in seen_cases:
        count[f'{c.suite}.{c.name}'] = count.get(f'{c.suite}.{c.name}', 0) + 1
    known = set(suites.names(source))
    cases = {f'{c.suite}.{c.name}': c for c in seen_cases
             if count[f'{c.suite}.{c.name}'] == 1 and f'{c.suite}.{c.name}' in known}
    statuses = {n: c.status for n, c in cases.items()}
    unknown = sorted(set(expected) - known)
    if unknown:
        problems.append('expected outcomes for cases not in the source: ' + ', '.join(unknown))
    failed, not_failed, not_skipped = expect.compare(statuses, expected)
    if failed:
        problems.append('failed: ' + ', '.join(f'{c} ({s})' for c, s in failed))
    if not_failed:
        problems.append('expected to fail but did not: '
                        + ', '.join(f'{c} ({s})' for c, s in not_failed))
    if not_skipped:
        problems.append('expected to skip but did not: '
                        + ', '.join(f'{c} ({s})' for c, s in not_skipped))

    # kunit.py's reading must agree with this one. (kunit_py None: none,
    # for the judges' own tests of what kunit.py does not read, reports.)
    parse_out = ''
    if kunit_py:
        theirs, parse_out = parse_ktap(kunit_py, kunit_lines)
        ours = {f'{c.suite}.{c.name}': c.line for c in seen_cases}
        disagree = []
        for name in sorted(set(ours) | set(theirs)):
            if name not in theirs:
                disagree.append(f'{name or "(no name)"} not found by kunit.py')
            elif name not in ours:
                disagree.append(f'{name or "(no name)"} found by kunit.py only')
            elif count[name] == 1 and status_class(ours[name]) != status_class(theirs[name]):
                disagree.append(f'{name} {theirs[name]} to kunit.py, {ours[name]} here')
        if disagree:
            problems.append(f'kunit.py parse disagrees (see {parsed}): ' + '; '.join(disagree[:4])
                            + (f' (and {len(disagree) - 4} more)' if len(disagree) > 4 else ''))
        if PARSE_TROUBLE.search(parse_out):
            problems.append(f'KTAP stream incomplete or malformed (see {parsed})')

    passed = sum(1 for s in statuses.values() if s == 'PASS')
    skipped = sum(1 for s in statuses.values() if s == 'SKIP')
    return Judgement('FAIL' if problems else 'PASS', passed, len(known), problems,
                     statuses, parse_out, skipped,
                     sum(1 for s in expected.values() if s == expect.FAIL), region_reports)


def detail(j, note=''):
    """The verdict line's text after the label. A skip is never counted
    as a pass: the skips are said apart."""
    text = f'{j.passed}/{j.total} cases passed'
    if j.skipped:
        text += f', {j.skipped} skipped'
        if not j.problems:
            text += ' as expected (not exercisable here)'
    if j.expected_failures and not j.problems:
        text += f', the {j.expected_failures} expected failures seen'
    if note:
        text += f', {note}'
    return text


def cases_column(j):
    """The row's "cases passed" column: "21/23", with the skips apart."""
    return f'{j.passed}/{j.total}' + (f' ({j.skipped} skipped)' if j.skipped else '')


def kill(j, kill_list):
    """(killed, how) of a mutant's run, judged with no expected failure:
    kill_list is its .expect, either the word CRASH (the run must crash:
    an Oops, BUG or panic between its markers, and no end marker) or the
    cases that must fail. A mutant is killed only if the run fails, and in
    the way its list says: every case listed failed (a skip is no
    failure), or CRASH so.
    Other failures and reports may come with it (a sanitizer may see a
    mutant's short buffer before a case does); they are named."""
    if j.verdict == 'PASS':
        return False, 'survived: the suites pass'
    reports = j.region_reports
    if kill_list == ['CRASH']:
        crashes = [r for r in reports if CRASH.search(r)]
        if crashes and NO_END in j.problems:
            return True, 'killed: the run crashed: ' + crashes[0]
        return False, ('no crash in the run (a crash report between the markers, and no end '
                       'marker after it): ' + '; '.join(j.problems))
    missed = [c for c in kill_list if j.cases.get(c, 'PASS') in ('PASS', expect.SKIP)]
    if missed:
        return False, ('killed, but not by the cases its .expect names: '
                       + ', '.join(f'{c} ({j.cases.get(c, "not run")})' for c in missed))
    how = 'killed: ' + ', '.join(f'{c} ({j.cases[c]})' for c in kill_list)
    extra = sorted(c for c, st in j.cases.items()
                   if st not in ('PASS', expect.SKIP) and c not in kill_list)
    if extra:
        how += '; also failed: ' + ', '.join(f'{c} ({j.cases[c]})' for c in extra)
    if reports:
        how += '; also reported: ' + reports[0]
    return True, how


def run(console, mode, kunit_py, label, kos=(), sources=(), expects=(), sections=(),
        results=None, note='', out=None, kill_file=None, left_out=(), kmemleak=False):
    """What `judge.py verdict` does: judge the console file against the
    suites of the source files and the expectations (files, and
    FILE:SECTION sections; those of the suites in left_out, which the
    build left out on purpose, are dropped), keep the parser's output beside it
    (CONSOLE.parsed), print the verdict, append the row to results.
    Returns the exit status: 0 for PASS. A source or expectation that
    cannot be read fails the run, with the reason."""
    out = out or sys.stdout
    before = []
    try:
        lines = read_console(console)
    except OSError as e:
        lines = []
        before.append(f'no console log ({e.strerror})')
    try:
        source = suites.read(sources)
        expected = expect.gather(expects, sections)
        present = [s for s, _ in source if s in left_out]
        if present:
            raise ValueError('suites both run and left out: ' + ', '.join(present))
        expected = {c: o for c, o in expected.items() if c.split('.')[0] not in left_out}
    except (OSError, ValueError, expect.MissingSection) as e:
        j = Judgement('FAIL', 0, 0, before + [f'error: {e}'])
    else:
        j = judge(lines, mode, kunit_py, source, kos, expected, f'{console}.parsed', before,
                  kmemleak)
    with open(console + '.parsed', 'w') as f:
        f.write(j.parse_out)

    if kill_file:
        # A mutant's run: the row says whether it was killed as its
        # .expect says (PASS) and how, the run's own problems below it.
        try:
            killed, how = kill(j, expect.kill_list(kill_file))
        except (OSError, ValueError) as e:
            killed, how = False, f'error: {e}'
        verdict = 'PASS' if killed else 'FAIL'
        print(f'{verdict}  {label}: {how}', file=out)
        for p in j.problems:
            print(f'      (run) {p}', file=out)
        print(f'      console: {console}', file=out)
        if results:
            Row(label, verdict, cases_column(j), how).append(results)
        return 0 if killed else 1

    text = detail(j, note)
    print(f'{j.verdict}  {label}: {text}', file=out)
    for p in j.problems:
        print(f'      {p}', file=out)
    print(f'      console: {console}', file=out)
    if results:
        Row(label, j.verdict, cases_column(j), '; '.join(j.problems) or text).append(results)
    return 0 if j.verdict == 'PASS' else 1
