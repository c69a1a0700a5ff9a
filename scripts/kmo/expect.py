"""Expected outcomes: the lists that mutants, conformance runs and cells
that cannot exercise a case are judged against, and the comparison with
what the run reported.

An expectation names one case per line:

    suite.case          the case must fail: FAIL, WARNED, REPORTED or any
                        other status that is neither a pass nor a skip
    suite.case SKIP     the case must skip (a cell that cannot exercise
                        it says so by skipping, and the verdict must see
                        exactly those skips)

"#" starts a comment, blank lines do not count, any other word after the
name is an error. Every case not named must pass. tests/conformance.expect
holds one list per base and compiler, each under a "[BASE CC]" line;
tests/skips.expect one per cell, under "[BASE/ARCH/COMPILER]".
"""
import fnmatch

FAIL = 'FAIL'        # expected to fail, whatever the failure
SKIP = 'SKIP'        # expected to skip
WORDS = {SKIP}       # the status words a line may carry


class MissingSection(LookupError):
    """An expectation file has no section of that name."""


def names(lines):
    """The entries of an expectation list (comments and blank lines
    dropped), in order, each once."""
    seen = []
    for l in lines:
        name = l.split('#', 1)[0].strip()
        if name and name not in seen:
            seen.append(name)
    return seen


def read_list(path):
    """The entries of a plain expectation file."""
    with open(path) as f:
        return names(f)


def _header_matches(header, name):
    """Whether a "[...]" header line stands for section name: the whole
    line, or, where the header holds a shell pattern ("[v7.*/*/gcc-12]",
    for tests/skips.expect), a name the pattern matches."""
    if header == f'[{name}]':
        return True
    inner = header[1:-1] if header.endswith(']') else None
    return (inner is not None and any(c in inner for c in '*?')
            and fnmatch.fnmatchcase(name, inner))


def section_lines(path, name):
    """The lines of section "[name]" of path, up to the next line that
    starts with "[": of every section whose header is that name or a
    pattern that matches it, in order. A section given twice counts twice.
    Raises MissingSection if there is none: an absent section must not
    read as "nothing expected"."""
    found = on = False
    body = []
    with open(path) as f:
        for line in f:
            line = line.rstrip()
            if line.startswith('['):
                on = _header_matches(line, name)
                found = found or on
            elif on:
                body.append(line)
    if not found:
        raise MissingSection(f'no section [{name}] in {path}')
    return body


def has_section(path, name):
    """Whether path has a "[name]" section. Raises OSError."""
    try:
        section_lines(path, name)
    except MissingSection:
        return False
    return True


def section(path, base, cc):
    """The entries of section "[BASE CC]" (tests/conformance.expect)."""
    return names(section_lines(path, f'{base} {cc}'))


def parse(entries, where):
    """{'suite.case': FAIL or SKIP} of the entries of one list. Raises
    ValueError for a status word it does not know, a name that is not
    "suite.case", or a case given twice with different statuses."""
    out = {}
    for e in entries:
        words = e.split()
        if len(words) > 2 or (len(words) == 2 and words[1] not in WORDS):
            raise ValueError(f'{where}: "{e}": a line is "suite.case" (must fail) or '
                             f'"suite.case SKIP" (must skip)')
        name = words[0]
        if name.count('.') != 1 or name.startswith('.') or name.endswith('.'):
            raise ValueError(f'{where}: "{name}" is not a suite.case name')
        status = words[1] if len(words) == 2 else FAIL
        if out.get(name, status) != status:
            raise ValueError(f'{where}: {name} expected both to {out[name].lower()} '
                             f'and to {status.lower()}')
        out[name] = status
    return out


def read(path):
    """The expectations of a plain file (verdict --expect FILE)."""
    return parse(read_list(path), path)


def read_section(spec):
    """The expectations of "FILE:SECTION" (verdict --expect-section)."""
    path, sep, name = spec.rpartition(':')
    if not sep or not path or not name:
        raise ValueError(f'--expect-section {spec}: FILE:SECTION expected')
    return parse(names(section_lines(path, name)), f'{path} [{name}]')


def gather(files=(), sections=()):
    """All expectations of the files and sections, merged. The files are
    a run's own (a conformance run's failures), the sections a cell's
    skips: a case that a file says must fail and a section says skips in
    the cell must fail (a tree that lacks what the case tests fails it
    before the case could find that the cell cannot exercise it). Any
    other case that two of them expect differently is an error
    (ValueError); MissingSection and OSError pass through."""
    out, origin = {}, {}
    lists = [(p, read(p)) for p in files] + [(s, read_section(s)) for s in sections]
    for where, exp in lists:
        for name, status in exp.items():
            if (status == SKIP and out.get(name) == FAIL and where in sections
                    and origin[name] in files):
                continue
            if out.get(name, status) != status:
                raise ValueError(f'{name} is expected to {out[name].lower()} by '
                                 f'{origin[name]} and to {status.lower()} by {where}')
            out[name], origin[name] = status, where
    return out


def compare(statuses, expected):
    """(failed, not failed, not skipped): each a sorted list of
    (case, status) of the cases in statuses ({'suite.case': status}) whose
    status is not what expected asks: not PASS although nothing is expected
    of them; expected to fail but PASS or SKIP (a skip is not a failure);
    expected to skip but not SKIP. A run is right only if all are empty."""
    failed, not_failed, not_skipped = [], [], []
    for case, status in sorted(statuses.items()):
        want = expected.get(case)
        if want is None and status != 'PASS':
            failed.append((case, status))
        elif want == FAIL and status in ('PASS', SKIP):
            not_failed.append((case, status))
        elif want == SKIP and status != SKIP:
            not_skipped.append((case, status))
    return failed, not_failed, not_skipped


def kill_list(path, build_fails_ok=False):
    """The cases a mutant's .expect says must fail, or ['CRASH']. The
    words CRASH and BUILD-FAILS stand alone (BUILD-FAILS is the shell's:
    a mutant that does not build never reaches a verdict, so it is
    accepted only with build_fails_ok). Raises
    ValueError for an empty list, a status word, or CRASH among cases."""
    entries = read_list(path)
    if not entries:
        raise ValueError(f'{path} names nothing that must fail')
    if 'CRASH' in entries or 'BUILD-FAILS' in entries:
        if len(entries) != 1 or (entries == ['BUILD-FAILS'] and not build_fails_ok):
            raise ValueError(f'{path}: CRASH stands alone, BUILD-FAILS is not judged here')
        return entries
    bad = [e for e in entries if ' ' in e]
    if bad:
        raise ValueError(f'{path}: a mutant lists cases that must fail, no status: {bad[0]}')
    return entries


def applicable(kill, skips):
    """A mutant's kill list (kill_list()) for a cell whose expectations
    (gather() of its skips) are skips: the cases that the cell skips are
    left out, since a skip is never a failure. CRASH and BUILD-FAILS stay
    as they are. An empty result means that nothing this mutant breaks can
    be exercised in the cell (mutants.sh then does not count it)."""
    if kill in (['CRASH'], ['BUILD-FAILS']):
        return kill
    return [c for c in kill if skips.get(c) != SKIP]
