"""The one row format of the results: results.tsv and results.md.

Every judge (verdict, codegen) and the matrix itself (a step that failed
before any judge ran) appends rows here; the matrix renders the table from
them. A row is four tab-separated columns, one run per line:

    label <TAB> verdict <TAB> cases <TAB> detail
"""
from dataclasses import dataclass

HEADER = ('| run | verdict | cases passed | detail |', '|---|---|---|---|')


def clean(field):
    """A field as one TSV cell: a tab or a line break inside it would
    shift the columns or start a row of its own."""
    text = str(field)
    for c in '\t\r\n':
        text = text.replace(c, ' ')
    return text


@dataclass
class Row:
    label: str
    verdict: str
    cases: str
    detail: str

    def fields(self):
        return [clean(self.label), clean(self.verdict), clean(self.cases),
                clean(self.detail)]

    def to_tsv(self):
        """The row as one line of results.tsv, newline included."""
        return '\t'.join(self.fields()) + '\n'

    def append(self, results_path):
        """Add the row to the end of results_path (created if need be)."""
        with open(results_path, 'a') as f:
            f.write(self.to_tsv())


def parse(line):
    """A Row from one line of results.tsv. Like awk -F'\\t' in the old
    matrix.sh: missing columns are empty, columns past the fourth ignored."""
    fields = line.rstrip('\r\n').split('\t')
    fields += [''] * (4 - len(fields))
    return Row(*fields[:4])


def read(results_path):
    """All rows of results_path, in order. Blank lines are not rows."""
    with open(results_path) as f:
        return [parse(l) for l in f if l.strip('\r\n')]


def markdown(rows, timing_lines=()):
    """results.md: the table of rows, then (if given) a blank line and the
    caller's timing text ("Wall time: ..."), which may be one string or a
    list of lines. Fields go in as they are, as the old awk did."""
    out = list(HEADER)
    out += [f'| {r.label} | {r.verdict} | {r.cases} | {r.detail} |' for r in rows]
    if isinstance(timing_lines, str):
        timing_lines = [timing_lines]
    if timing_lines:
        out.append('')
        out += list(timing_lines)
    return '\n'.join(out) + '\n'
