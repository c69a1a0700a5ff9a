"""Expected failures: the lists that mutants and conformance runs are
judged against, and the comparison with what actually failed.

An expectation file names one case ("suite.case") per line; "#" starts a
comment, blank lines do not count. tests/conformance.expect holds one such
list per base and compiler, each under a "[BASE CC]" line.
"""


class MissingSection(LookupError):
    """tests/conformance.expect has no section for a base and compiler."""


def names(lines):
    """The case names of an expectation list, in order, each once."""
    seen = []
    for l in lines:
        name = l.split('#', 1)[0].strip()
        if name and name not in seen:
            seen.append(name)
    return seen


def read_list(path):
    """The case names of a plain expectation file (verdict --expect)."""
    with open(path) as f:
        return names(f)


def section(path, base, cc):
    """The case names of section "[BASE CC]" of path, up to the next line
    that starts with "[". The header must match the whole line, as in the
    old awk of conformance.sh; a section given twice counts twice. Raises
    MissingSection if there is none: an absent section must not read as
    "nothing expected to fail"."""
    want = f'[{base} {cc}]'
    found = on = False
    body = []
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('['):
                on = line == want
                found = found or on
            elif on:
                body.append(line)
    if not found:
        raise MissingSection(f'no section {want} in {path}')
    return names(body)


def compare(failed, expected):
    """(unexpected failures, unexpected passes), each sorted: the cases
    that did not pass and were not expected to fail, and the cases
    expected to fail that passed. A run is right only if both are empty."""
    failed, expected = set(failed), set(expected)
    return sorted(failed - expected), sorted(expected - failed)
