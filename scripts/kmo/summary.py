"""One line per cell from the rows of a run: the short table that the
README shows (scripts/record-results.sh puts it there)."""

COLUMNS = [
    ('in-tree', lambda r: r == 'in-tree'),
    ('in-tree slub_debug', lambda r: r.startswith('in-tree slub_debug')),
    ('insmod', lambda r: r == 'insmod'),
    ('insmod slub_debug', lambda r: r.startswith('insmod slub_debug')),
    ('conformance (unpatched)', lambda r: r.startswith('unpatched')),
    ('compat header', lambda r: r.startswith('compat ')),
    ('codegen', lambda r: r == 'codegen'),
    ('mutants', lambda r: r.startswith('mutant ')),
    ('sanitizers bite', lambda r: r.startswith('bite')),
    ('kselftest', lambda r: r.startswith('kselftest')),
    ('dkms', lambda r: r.startswith('dkms')),
]


def summary(rows, lenders=None):
    """rows: objects with label, verdict, cases, detail (kmo.rows.Row).
    lenders: {cell id: name of the cell whose kernel it borrows}; such a
    cell's empty in-tree columns name that kernel, whose cell runs them.
    Returns markdown lines: one row per cell, the cells in first-seen order;
    rows that belong to no cell (failed setup steps) are listed after."""
    lenders = lenders or {}
    cells, other, absent = {}, [], {}
    for r in rows:
        cell, _, rest = r.label.partition(' ')
        if rest == 'mutation score':
            # "18/18 (5 not exercisable)": what the column says besides
            # the mutants' own rows.
            absent[cell] = r.cases.partition(' ')[2]
        for name, match in COLUMNS:
            if rest and match(rest):
                cells.setdefault(cell, {}).setdefault(name, []).append(r)
                break
        else:
            if r.verdict != 'PASS':
                other.append(r)
    out = ['| cell | ' + ' | '.join(n for n, _ in COLUMNS) + ' |',
           '|---' * (len(COLUMNS) + 1) + '|']
    for cell, cols in cells.items():
        line = []
        for name, _ in COLUMNS:
            rs = cols.get(name)
            if not rs and name.startswith('in-tree') and cell in lenders:
                line.append(f'(kernel of {lenders[cell]})')
            elif not rs:
                line.append('—')
            elif name == 'mutants':
                killed = sum(r.verdict == 'PASS' for r in rs)
                line.append(f'{killed}/{len(rs)} caught'
                            + (f' {absent[cell]}' if absent.get(cell) else ''))
            elif name == 'compat header':
                # The header's run, then its mutants (the score row only
                # counts for the verdict).
                muts = [r for r in rs if ' compat mutant ' in r.label]
                runs = [r for r in rs if r.label.endswith('(unpatched tree)')]
                text = ', '.join(r.cases for r in runs)
                if any(r.label.endswith(' compat header refusal') for r in rs):
                    text += ', refusal'
                if muts:
                    text += (f'; mutants {sum(r.verdict == "PASS" for r in muts)}'
                             f'/{len(muts)} caught')
                bad = not all(r.verdict == 'PASS' for r in rs)
                line.append(('**FAIL** ' if bad else '') + text)
            elif all(r.verdict == 'PASS' for r in rs):
                line.append(', '.join(r.cases for r in rs))
            else:
                line.append('**FAIL** ' + ', '.join(r.cases for r in rs))
        out.append(f'| {cell} | ' + ' | '.join(line) + ' |')
    for r in other:
        out.append(f'\n**FAIL** {r.label}: {r.detail}')
    return out
