"""The matrix as data: cells.toml read into records, and the resolver that
turns a cell (base/arch/compiler) into everything a step needs.

The records mirror what kunit.py keeps in its QemuArchParams: facts per
base, per arch and per compiler, written once. Nothing else in the
pipeline knows an arch or compiler by name.
"""
import ast
import os
import tomllib
from dataclasses import dataclass

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = os.path.join(TOP, 'cells.toml')


class CellError(Exception):
    """A base, arch, compiler or cell that the table does not allow."""


@dataclass(frozen=True)
class Base:
    name: str
    package: str
    version: str
    source: str           # "host" or "root"
    has_family: bool
    sets_counter: bool
    test: str
    subject_prefix: str
    suite: str = ''       # root only: the Debian suite to fetch from, if not the root's own


@dataclass(frozen=True)
class Arch:
    name: str
    kernel_arch: str
    kunit_arch: str
    debian_arch: str
    gnu_triplet: str
    cross_compile: str
    objdump: str
    host_packages: tuple
    root_packages: tuple
    config: tuple = ()    # config fragments of every kernel of the arch, relative to TOP


@dataclass(frozen=True)
class Compiler:
    name: str
    where: str            # "root" or "host"
    packages: tuple
    cc: str
    hostcc: str
    counted_by: bool
    arches: tuple
    cross_packages: tuple = ()
    llvm: str = ''
    objdump: str = ''
    why_not: str = ''
    borrows: tuple = ()   # compilers whose kernels its modules may be built against


@dataclass(frozen=True)
class Debian:
    """One of Debian's own kernels, booted as Debian ships it: its image,
    headers and kbuild packages at one pinned version, and the root whose
    apt fetches them and whose compiler (the kernel's own) builds modules
    against the headers."""
    name: str             # "6.1": the cell's base is "debian-6.1"
    base: str             # the base whose tree the kernel is made from
    root: str             # the Debian suite of the root its modules build in: bookworm, testing
    abi: str              # the kernel release without the flavour: 6.1.0-56
    version: str          # of every package below
    compiler: str         # CONFIG_CC_VERSION_TEXT's compiler
    image: str            # the package with the vmlinuz: {abi}, {flavour}
    kbuild: str           # the headers' host programs (the host's arch)


@dataclass(frozen=True)
class Cell:
    base: Base
    arch: Arch
    compiler: Compiler
    checks: tuple = ()
    config: tuple = ()     # extra config fragments, paths relative to TOP
    lender: 'Cell' = None  # the cell whose kernel this one uses (kernel = ...)
    debian: Debian = None  # Debian's own kernel, not one built here

    @property
    def name(self):
        first = f'debian-{self.debian.name}' if self.debian else self.base.name
        return f'{first}/{self.arch.name}/{self.compiler.name}'

    @property
    def id(self):
        """The cell's name as a file name: build dirs, logs, labels."""
        return self.name.replace('/', '-')

    @property
    def kernel(self):
        """The cell whose kernel this cell builds its modules against and
        boots: itself, or the cell it borrows the kernel of."""
        return self.lender or self


CHECKS = ('run', 'conformance', 'compat', 'codegen', 'mutants', 'bite', 'debian', 'dkms')
# The checks of a cell of Debian's kernels, and theirs only.
DEBIAN_CHECKS = ('debian', 'dkms')


class Table:
    def __init__(self, path=TABLE):
        try:
            with open(path, 'rb') as f:
                t = tomllib.load(f)
            self._load(t)
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise CellError(f'cannot read {path}: {e}')
        except (KeyError, TypeError) as e:
            raise CellError(f'{path}: a record lacks or misnames a field ({e})')

    def _load(self, t):
        self.bases = {n: Base(name=n, **r) for n, r in t['bases'].items()}
        self.arches = {n: Arch(name=n, **{k: tuple(v) if isinstance(v, list) else v
                                          for k, v in r.items()})
                       for n, r in t['arches'].items()}
        self.compilers = {n: Compiler(name=n, **{k: tuple(v) if isinstance(v, list) else v
                                                 for k, v in r.items()})
                          for n, r in t['compilers'].items()}
        for a in self.arches.values():
            for f in a.config:
                if not os.path.isfile(os.path.join(TOP, f)):
                    raise CellError(f'arch {a.name}: no config fragment {f}')
        self.build = {k: tuple(v) for k, v in t['build'].items()}
        self.debian = {n: Debian(name=n, **r) for n, r in t.get('debian', {}).items()}
        for d in self.debian.values():
            self.base(d.base)
            self.compiler(d.compiler)
        self.cells = []
        for r in t.get('cells', []):
            c = self.cell(r['cell'])
            bad = set(r) - {'cell', 'checks', 'config', 'kernel'}
            if bad:
                raise CellError(f"cell {r['cell']}: unknown fields {sorted(bad)}")
            bad = set(r['checks']) - set(CHECKS)
            if bad:
                raise CellError(f"cell {r['cell']}: unknown checks {sorted(bad)} "
                                f"(known: {' '.join(CHECKS)})")
            config = tuple(r.get('config', ()))
            for f in config:
                if not os.path.isfile(os.path.join(TOP, f)):
                    raise CellError(f"cell {r['cell']}: no config fragment {f}")
            lender = self._lender(c, r['kernel'], config) if 'kernel' in r else None
            if lender:
                config = lender.config
            if 'bite' in r['checks'] and not config:
                raise CellError(f"cell {r['cell']}: the bite check needs a sanitizer config")
            if c.debian and (r['checks'][:1] != ['debian']
                             or not set(r['checks']) <= set(DEBIAN_CHECKS)):
                raise CellError(f"cell {r['cell']}: the checks of a cell of Debian's kernels "
                                f'are "debian" first, then maybe "dkms"')
            if not c.debian and set(r['checks']) & set(DEBIAN_CHECKS):
                raise CellError(f"cell {r['cell']}: "
                                f"{' and '.join(sorted(set(r['checks']) & set(DEBIAN_CHECKS)))} "
                                "only check Debian's kernels (debian-NAME/ARCH/COMPILER)")
            if c.debian and (config or lender):
                raise CellError(f"cell {r['cell']}: Debian's kernel is as Debian built it "
                                '(no config, no kernel =)')
            self.cells.append(Cell(c.base, c.arch, c.compiler, tuple(r['checks']),
                                   config, lender, c.debian))

    def _lender(self, c, compiler, config):
        """kernel = "COMPILER": the cell uses the kernel of the matrix's cell
        of the same base and arch built by COMPILER. Its own compiler builds
        every module against that kernel, which the lender configures."""
        name = f'{c.base.name}/{c.arch.name}/{compiler}'
        if compiler not in c.compiler.borrows:
            raise CellError(f'cell {c.name}: {c.compiler.name} may not build modules against '
                            f'a {compiler} kernel (borrows = {list(c.compiler.borrows)} in '
                            f'its compiler record)')
        lender = self._matrix_cell(name)
        if lender is None:
            raise CellError(f'cell {c.name}: kernel = "{compiler}" names no earlier '
                            f'cell {name} of the matrix')
        if lender.lender:
            raise CellError(f'cell {c.name}: {name} itself borrows a kernel')
        if 'run' not in lender.checks:
            raise CellError(f'cell {c.name}: {name} lends its kernel but does not run its '
                            'built-in suites (no "run" check)')
        if config:
            raise CellError(f'cell {c.name}: the config of a borrowed kernel is '
                            f"its lender's ({name})")
        if lender.compiler.where != c.compiler.where:
            raise CellError(f'cell {c.name}: {name} is built in another place '
                            f'({lender.compiler.where}, not {c.compiler.where})')
        return lender

    def _get(self, kind, records, name):
        if name not in records:
            raise CellError(f"unknown {kind} '{name}' (known: {' '.join(records)})")
        return records[name]

    def base(self, name):
        return self._get('base', self.bases, name)

    def arch(self, name):
        return self._get('arch', self.arches, name)

    def compiler(self, name):
        return self._get('compiler', self.compilers, name)

    def cell(self, spec, arch=None, compiler=None):
        """A cell from "base/arch/compiler" (or three names). Any
        combination the records allow, whether or not the matrix runs it."""
        if arch is None:
            parts = spec.split('/')
            if len(parts) != 3:
                raise CellError(f"cell '{spec}' is not BASE/ARCH/COMPILER")
            spec, arch, compiler = parts
        if spec.startswith('debian-'):
            return self._debian_cell(spec, arch, compiler)
        b, a, c = self.base(spec), self.arch(arch), self.compiler(compiler)
        if a.name not in c.arches:
            raise CellError((c.why_not or "compiler {cc} cannot build {arch}")
                            .format(arch=a.name, cc=c.name))
        return self._matrix_cell(f'{b.name}/{a.name}/{c.name}') or Cell(b, a, c)

    def _debian_cell(self, spec, arch, compiler):
        d = self._get('Debian kernel', self.debian, spec[len('debian-'):])
        a, c = self.arch(arch), self.compiler(compiler)
        if c.name != d.compiler:
            raise CellError(f"Debian's {d.name} kernel was built by {d.compiler}: modules for it "
                            f'are too (debian-{d.name}/{a.name}/{d.compiler}), not by {c.name}')
        name = f'{spec}/{a.name}/{c.name}'
        return self._matrix_cell(name) or Cell(self.base(d.base), a, c, debian=d)

    def _matrix_cell(self, name):
        """The matrix's record of the cell "base/arch/compiler" (of those
        read so far), or None."""
        return next((m for m in self.cells if m.name == name), None)

    def compiler_packages(self, compiler, arch):
        pkgs = list(compiler.packages)
        if arch.cross_compile:
            pkgs += compiler.cross_packages
        return [p.format(triplet=arch.gnu_triplet) for p in pkgs]

    def root_packages(self):
        """What the testing root must hold: the compilers of every cell that
        builds with one of the root's, and the binutils of their arches."""
        pkgs = list(self.build['root_packages'])
        for c in self.cells:
            if c.debian:
                continue
            if c.compiler.where == 'root':
                pkgs += self.compiler_packages(c.compiler, c.arch)
                pkgs += c.arch.root_packages
        return list(dict.fromkeys(pkgs))

    def host_packages(self):
        pkgs = list(self.build['host_packages'])
        for c in self.cells:
            pkgs += c.arch.host_packages
            if c.compiler.where == 'host' and not c.debian:
                pkgs += self.compiler_packages(c.compiler, c.arch)
        for b in self.bases.values():
            if b.source == 'host':
                pkgs.append(f'{b.package}={b.version}')
        return list(dict.fromkeys(pkgs))

    def debian_roots(self):
        """The Debian suites of the roots of the cells of Debian's kernels."""
        return list(dict.fromkeys(c.debian.root for c in self.cells if c.debian))

    def debian_root_packages(self, suite):
        """What the root of a Debian suite must hold: what a module build
        needs (as linux-kbuild's dependencies would bring) and the
        compilers of the cells of Debian's kernels that build in it."""
        pkgs = list(self.build['debian_root_packages'])
        for c in self.cells:
            if c.debian and c.debian.root == suite:
                pkgs += self.compiler_packages(c.compiler, c.arch)
        return list(dict.fromkeys(pkgs))

    def debian_root_arches(self, suite):
        return list(dict.fromkeys(c.arch.debian_arch for c in self.cells
                                  if c.debian and c.debian.root == suite))

    def guest_arches(self):
        return list(dict.fromkeys(c.arch for c in self.cells))


def paths(cache):
    logs = os.environ.get('LOGS') or os.path.join(cache, 'logs')
    return {
        'CACHE': cache,
        'ROOTFS': os.path.join(cache, 'testing-root'),
        'LOGS': logs,
        # A step of the matrix gets a rows file of its own (KMO_RESULTS).
        'RESULTS': os.environ.get('KMO_RESULTS') or os.path.join(logs, 'results.tsv'),
    }


def base_env(base, cache):
    """The variables of one base: its tree and where its package comes from."""
    src = os.path.join(cache, 'src', base.name)
    if base.source == 'host':
        tarball = f'/usr/src/{base.package}.tar.xz'
    else:
        tarball = os.path.join(cache, 'pkg', f'{base.package}_{base.version}',
                               'usr', 'src', f'{base.package}.tar.xz')
    return {
        'BASE': base.name,
        'BASE_PACKAGE': base.package,
        'BASE_VERSION': base.version,
        'BASE_SOURCE': base.source,
        'BASE_SUITE': base.suite,
        'BASE_HAS_FAMILY': int(base.has_family),
        'BASE_SETS_COUNTER': int(base.sets_counter),
        'BASE_TEST': base.test,
        'BASE_SUBJECT_PREFIX': base.subject_prefix,
        'BASE_TARBALL': tarball,
        'SRC': src,
        'KUNIT_PY': os.path.join(src, 'tools', 'testing', 'kunit', 'kunit.py'),
        'SERIES': os.path.join(TOP, 'patches', base.name),
    }


def qemu_params(src, kunit_arch):
    """kunit.py's QemuArchParams of the arch, read from the tree (without
    running it): linux_arch, kconfig, qemu_arch, kernel_path,
    kernel_command_line, extra_qemu_params. None if the tree is not there."""
    path = os.path.join(src, 'tools', 'testing', 'kunit', 'qemu_configs',
                        f'{kunit_arch}.py')
    if not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            tree = ast.parse(f.read(), path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, 'id', '') == 'QemuArchParams':
                return {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    except (SyntaxError, ValueError) as e:
        raise CellError(f'cannot read the QemuArchParams of {path} as literals: {e}')
    raise CellError(f'no QemuArchParams in {path}')


def debian_env(cell, cache):
    """A cell of Debian's kernel: its packages, the root they go into, the
    headers (BDIR, as the root's apt would install them, seen from the
    host) and the image (IMAGE, the vmlinuz from its package). KMAKE is
    what a module build adds to what the headers' own Makefile sets (the
    compiler of the kernel's build): the cross prefix of a foreign arch."""
    d, a = cell.debian, cell.arch
    release = f'{d.abi}-{a.debian_arch}'
    root = os.path.join(cache, 'debian-root', d.root)
    fmt = {'abi': d.abi, 'flavour': a.debian_arch}
    kdir = os.path.join(cache, 'debian', release)
    kmake = [f'CROSS_COMPILE={a.cross_compile}'] if a.cross_compile else []
    return {
        'DEB_NAME': d.name,
        'DEB_ROOT': d.root,
        'DEB_RELEASE': release,
        'DEB_VERSION': d.version,
        # name:arch of each package, fetched at DEB_VERSION.
        'DEB_HEADERS': [f'linux-headers-{release}:{a.debian_arch}',
                        f'linux-headers-{d.abi}-common:all'],
        'DEB_KBUILD': d.kbuild.format(**fmt),
        'DEB_IMAGE': f'{d.image.format(**fmt)}:{a.debian_arch}',
        'DEB_DIR': kdir,
        'ROOTFS': root,
        'BDIR': os.path.join(root, 'usr', 'src', f'linux-headers-{release}'),
        # Where a module build in the root finds them (/lib/modules/R/build).
        'MAKE_KDIR': f'/usr/src/linux-headers-{release}',
        'IMAGE': os.path.join(kdir, 'vmlinuz'),
        'GEN_INIT_CPIO': os.path.join(cache, 'debian', 'gen_init_cpio'),
        'KMAKE': kmake,
        'RUNNER': 'in_root',
    }


def cell_env(cell, cache, ccache=False):
    """Every path and variable the steps need for one cell. Arrays (make
    variables, the QEMU command) are returned as lists."""
    a, c = cell.arch, cell.compiler
    cross = a.cross_compile
    pre = 'ccache ' if ccache else ''
    # The host programs (fixdep, modpost...) are the kernel's, made by its
    # own host compiler.
    kmake = [f'ARCH={a.kernel_arch}', f'CC={pre}{c.cc.format(cross=cross)}',
             f'HOSTCC={cell.kernel.compiler.hostcc}']
    if c.llvm:
        kmake.append(f'LLVM={c.llvm}')
    elif cross:
        kmake.append(f'CROSS_COMPILE={cross}')
    # A cell that borrows a kernel builds its modules with its own compiler
    # against the lender's build directory and boots the lender's image.
    bdir = os.path.join(cache, 'build', cell.kernel.id)
    logs = paths(cache)['LOGS']
    env = base_env(cell.base, cache)
    env.update({
        'CELL': cell.name,
        'CELL_ID': cell.id,
        'CELL_CHECKS': ' '.join(cell.checks),
        'KERNEL_CELL': cell.kernel.name,
        'CELL_CONFIG': ' '.join(os.path.join(TOP, f) for f in cell.config),
        'ARCH_CONFIG': ' '.join(os.path.join(TOP, f) for f in cell.kernel.arch.config),
        'ARCH': a.name,
        'COMPILER': c.name,
        'KERNEL_ARCH': a.kernel_arch,
        'KUNIT_ARCH': a.kunit_arch,
        'DEBIAN_ARCH': a.debian_arch,
        'BDIR': bdir,
        'MAKE_KDIR': bdir,
        'GEN_INIT_CPIO': os.path.join(bdir, 'usr', 'gen_init_cpio'),
        'CELL_LOGS': os.path.join(logs, cell.id),
        'KMAKE': kmake,
        'RUNNER': 'in_root' if c.where == 'root' else '',
        'OBJDUMP': c.objdump or a.objdump,
        'COUNTED_BY': int(c.counted_by),
        'BUSYBOX': os.path.join(cache, 'busybox', a.name, 'usr', 'bin', 'busybox'),
        'MUTANTS': os.path.join(TOP, 'tests', 'mutants', cell.base.name),
    })
    q = qemu_params(env['SRC'], a.kunit_arch)
    if q:
        # Extra options may be one string ('-M virt -cpu ...' in some trees).
        extra = q.get('extra_qemu_params') or []
        if isinstance(extra, str):
            extra = extra.split()
        env.update({
            'QEMU': [f"qemu-system-{q['qemu_arch']}"] + list(extra),
            'IMAGE': os.path.join(bdir, q['kernel_path']),
            'KERNEL_CMDLINE': q['kernel_command_line'],
            'ARCH_KCONFIG': q['kconfig'].strip(),
        })
    if cell.debian:
        env.update(debian_env(cell, cache))
    return env
