"""The cases a KUnit source file registers: what verdict --source reads.

The verdict judges a console against the list of case names the suites
define, not against a count: a case that silently vanished (or one printed
in place of another) must not pass for a whole stream. The list comes
from the C source itself, read with a few patterns that fit how KUnit
suites are written:

    static struct kunit_case NAME[] = { KUNIT_CASE(x), ..., {} };
    static struct kunit_suite V = { .name = "S", .test_cases = NAME, ... };
    kunit_test_suites(&V1, &V2, ...);        (or kunit_test_suite(V))

Every case "S.x" of every registered suite is expected. Anything else
that would change the list (KUNIT_CASE_PARAM, a conditional inside a case
array, a suite without .test_cases, an array that is not there) is an
error naming the file and the thing: a list the reader only half
understood would judge the run against the wrong names.
"""
import re

# Comments go (with their line breaks kept, so that line numbers stay
# right); string and character literals are kept as they are.
COMMENT = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
CASE_ARRAY = re.compile(r'\bstruct\s+kunit_case\s+(\w+)\s*\[\s*\]\s*=\s*\{')
SUITE = re.compile(r'\bstruct\s+kunit_suite\s+(\w+)\s*=\s*\{')
REGISTER = re.compile(r'\b(kunit_test_\w*suites?)\s*\(')
CASE = re.compile(r'KUNIT_CASE\s*\(\s*(\w+)\s*\)')
TERMINATOR = re.compile(r'\{\s*\}')
FIELD = re.compile(r'\.(\w+)\s*=\s*(.*)', re.S)
STRING = re.compile(r'"([^"\\]*)"')
IDENT = re.compile(r'&?\s*(\w+)')


class SourceError(ValueError):
    """A source file the reader cannot turn into a list of cases."""


def strip_comments(text):
    def keep(m):
        s = m.group(0)
        return s if s[0] in '"\'' else ' ' + '\n' * s.count('\n')
    return COMMENT.sub(keep, text)


def closing(text, start, open_, close):
    """The index of the bracket that closes the one at text[start]."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == open_:
            depth += 1
        elif text[i] == close:
            depth -= 1
            if depth == 0:
                return i
    return -1


def items(body):
    """The comma-separated items of an initializer or argument list, split
    at commas outside brackets, stripped; empty items (a trailing comma)
    left out."""
    out, depth, cur = [], 0, ''
    for c in body:
        if c in '({[':
            depth += 1
        elif c in ')}]':
            depth -= 1
        if c == ',' and depth == 0:
            out.append(cur.strip())
            cur = ''
        else:
            cur += c
    out.append(cur.strip())
    return [i for i in out if i]


def read_text(text, path):
    """[(suite name, [case names])] in registration order, of one file's
    text. Raises SourceError."""
    text = strip_comments(text)

    def where(pos):
        return f'{path}:{text.count(chr(10), 0, pos) + 1}'

    def block(m, open_='{', close='}'):
        start = m.end() - 1
        end = closing(text, start, open_, close)
        if end < 0:
            raise SourceError(f'{where(m.start())}: {m.group(1)}: no closing "{close}"')
        body = text[start + 1:end]
        if re.search(r'^\s*#', body, re.M):
            raise SourceError(f'{where(m.start())}: {m.group(1)}: a preprocessor line inside '
                              'it: which entries are built cannot be told')
        return body

    arrays = {}
    for m in CASE_ARRAY.finditer(text):
        name, cases = m.group(1), []
        entries = items(block(m))
        for n, item in enumerate(entries):
            c = CASE.fullmatch(item)
            if c:
                if c.group(1) in cases:
                    raise SourceError(f'{where(m.start())}: {name}[]: case {c.group(1)} listed twice')
                cases.append(c.group(1))
            elif TERMINATOR.fullmatch(item):
                if n != len(entries) - 1:
                    raise SourceError(f'{where(m.start())}: {name}[]: entries after the closing {{}}')
                break
            else:
                raise SourceError(f'{where(m.start())}: {name}[]: cannot read the entry '
                                  f'"{" ".join(item.split())[:60]}" (only KUNIT_CASE(name) '
                                  'entries and the closing {} are understood)')
        else:
            raise SourceError(f'{where(m.start())}: {name}[]: no closing {{}} entry')
        arrays[name] = cases

    suites = {}
    for m in SUITE.finditer(text):
        var, fields = m.group(1), {}
        for item in items(block(m)):
            f = FIELD.fullmatch(item)
            if not f:
                raise SourceError(f'{where(m.start())}: suite {var}: cannot read "{item[:60]}" '
                                  '(only .field = value initializers are understood)')
            fields[f.group(1)] = f.group(2).strip()
        name = STRING.fullmatch(fields.get('name', ''))
        if not name:
            raise SourceError(f'{where(m.start())}: suite {var}: no .name = "..." string')
        cases = fields.get('test_cases')
        if cases is None:
            raise SourceError(f'{where(m.start())}: suite {var}: no .test_cases')
        if cases not in arrays:
            raise SourceError(f'{where(m.start())}: suite {var}: .test_cases = {cases}, '
                              'no such kunit_case array in the file')
        suites[var] = (name.group(1), arrays[cases])

    registered, seen = [], set()
    for m in REGISTER.finditer(text):
        if m.group(1) not in ('kunit_test_suites', 'kunit_test_suite'):
            raise SourceError(f'{where(m.start())}: {m.group(1)}() is not understood '
                              '(only kunit_test_suites() and kunit_test_suite())')
        for arg in items(block(m, '(', ')')):
            a = IDENT.fullmatch(arg)
            if not a or a.group(1) not in suites:
                raise SourceError(f'{where(m.start())}: {m.group(1)}(): "{arg[:60]}" is not '
                                  'a kunit_suite defined in the file')
            if a.group(1) in seen:
                raise SourceError(f'{where(m.start())}: suite {a.group(1)} registered twice')
            seen.add(a.group(1))
            registered.append(suites[a.group(1)])
    if not registered:
        raise SourceError(f'{path}: registers no suite (no kunit_test_suites())')
    return registered


def read(paths):
    """[(suite name, [case names])] of all the files, in order. Raises
    SourceError (also for a suite name defined in two files) or OSError."""
    out = []
    for path in paths:
        with open(path, errors='replace') as f:
            text = f.read()
        for suite, cases in read_text(text, path):
            if any(suite == s for s, _ in out):
                raise SourceError(f'{path}: suite "{suite}" is registered by another source too')
            out.append((suite, cases))
    if not out:
        raise SourceError('no source file given')
    return out


def names(source):
    """The "suite.case" names of read()'s list, in order."""
    return [f'{s}.{c}' for s, cases in source for c in cases]
