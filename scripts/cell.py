#!/usr/bin/env python3
"""cell.py: the resolver between cells.toml and the steps.

  cell.py env CELL          shell assignments for one cell (BASE/ARCH/COMPILER)
  cell.py base-env BASE     shell assignments for one base's tree
  cell.py plan [CELL...]    "CHECK CELL" lines of the matrix, in order
                            (only the given cells, if any)
  cell.py cells             the matrix's cells, one per line
  cell.py kernels CELL...   one "CELL KERNEL WHERE BASE" line per CELL: KERNEL
                            is the cell whose kernel CELL uses (itself, or
                            its lender: kernel = ...), WHERE is where that
                            kernel's compiler is (host or root; "debian":
                            Debian's kernel, fetched, not built), BASE the
                            base whose tree it needs
  cell.py bases             every base, one per line
  cell.py paths             shell assignments of CACHE ROOTFS LOGS RESULTS
  cell.py host-packages     what the host needs (QEMU, host compilers, sources)
  cell.py root-packages     what the testing root needs (compilers, binutils)
  cell.py root-compilers    the root's compilers that cells use (their hostcc)
  cell.py debian-roots      the Debian suites of the roots of Debian's kernels
  cell.py debian-root-packages SUITE   what that root needs
  cell.py debian-root-arches SUITE     the Debian arches of its cells
  cell.py guest-arches      "ARCH DEBIAN_ARCH" of every arch the matrix boots

Steps source scripts/lib.sh and call resolve_cell/resolve_base, which eval
the output of env/base-env. A cell the table does not allow is an error
that names it (exit 2).
"""
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kmo.cells import CellError, Table, base_env, cell_env, paths  # noqa: E402


def shell(env):
    out = []
    for k, v in env.items():
        if isinstance(v, list):
            out.append(f"{k}=({' '.join(shlex.quote(str(x)) for x in v)})")
        else:
            out.append(f'{k}={shlex.quote(str(v))}')
    return '\n'.join(out)


def main(argv):
    if not argv or argv[0] in ('-h', '--help'):
        print(__doc__.strip())
        return 0
    cmd, args = argv[0], argv[1:]
    cache = os.environ.get('CACHE') or '/var/cache/kmalloc-obj'
    t = Table()
    if cmd == 'env':
        cell = t.cell(*args) if len(args) in (1, 3) else None
        if cell is None:
            raise CellError('usage: cell.py env BASE/ARCH/COMPILER')
        env = paths(cache)
        env.update(cell_env(cell, cache, os.environ.get('KOBJ_CCACHE') == '1'))
        print(shell(env))
    elif cmd == 'base-env':
        if len(args) != 1:
            raise CellError('usage: cell.py base-env BASE')
        env = paths(cache)
        env.update(base_env(t.base(args[0]), cache))
        print(shell(env))
    elif cmd == 'plan':
        want = [t.cell(a).name for a in args]
        for a in want:
            if a not in [c.name for c in t.cells]:
                raise CellError(f"cell '{a}' is not in the matrix of cells.toml")
        for c in t.cells:
            if not want or c.name in want:
                for check in c.checks:
                    print(check, c.name)
    elif cmd == 'kernels':
        for a in args:
            k = t.cell(a).kernel
            print(a, k.name, 'debian' if k.debian else k.compiler.where, k.base.name)
    elif cmd == 'cells':
        print('\n'.join(c.name for c in t.cells))
    elif cmd == 'paths':
        print(shell(paths(cache)))
    elif cmd == 'bases':
        print('\n'.join(t.bases))
    elif cmd == 'host-packages':
        print(' '.join(t.host_packages()))
    elif cmd == 'root-packages':
        print(' '.join(t.root_packages()))
    elif cmd == 'root-compilers':
        print('\n'.join(dict.fromkeys(c.compiler.hostcc for c in t.cells
                                       if c.compiler.where == 'root' and not c.debian)))
    elif cmd == 'debian-roots':
        print('\n'.join(t.debian_roots()))
    elif cmd == 'debian-root-packages' and len(args) == 1:
        print(' '.join(t.debian_root_packages(args[0])))
    elif cmd == 'debian-root-arches' and len(args) == 1:
        print(' '.join(t.debian_root_arches(args[0])))
    elif cmd == 'guest-arches':
        for a in t.guest_arches():
            print(a.name, a.debian_arch)
    else:
        raise CellError(f"unknown command '{cmd}' (see cell.py --help)")
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except CellError as e:
        print(f'error: {e}', file=sys.stderr)
        sys.exit(2)
