"""The resolver's records (scripts/kmo/cells.py): a cell that borrows the
kernel of another (kernel = "COMPILER" in cells.toml)."""
import os
import re
import tempfile
import unittest

import support  # noqa: F401  (puts scripts/ on the path)
from kmo import cells

with open(cells.TABLE) as f:
    # The real records of bases, arches and compilers, without the matrix.
    RECORDS = re.split(r'^\[\[cells\]\]', f.read(), maxsplit=1, flags=re.M)[0]


class LenderTests(unittest.TestCase):
    def table(self, matrix, records=RECORDS):
        with tempfile.NamedTemporaryFile('w', suffix='.toml', delete=False) as f:
            f.write(records + matrix)
        self.addCleanup(os.unlink, f.name)
        return cells.Table(f.name)

    LENDER = ('[[cells]]\ncell = "v7.2/x86_64/gcc-15"\nchecks = ["run", "bite"]\n'
              'config = ["kunit/sanitizers.config"]\n')

    def test_borrower_uses_the_lenders_kernel_and_its_own_compiler(self):
        t = self.table(self.LENDER + '[[cells]]\ncell = "v7.2/x86_64/gcc-16"\n'
                       'kernel = "gcc-15"\nchecks = ["run", "bite"]\n')
        lender, borrower = t.cells
        self.assertIs(borrower.lender, lender)
        self.assertIs(borrower.kernel, lender)
        self.assertIs(lender.kernel, lender)
        self.assertEqual(borrower.config, ('kunit/sanitizers.config',))
        env = cells.cell_env(borrower, '/c')
        self.assertEqual(env['BDIR'], '/c/build/v7.2-x86_64-gcc-15')
        self.assertEqual(env['KERNEL_CELL'], 'v7.2/x86_64/gcc-15')
        self.assertEqual(env['CELL'], 'v7.2/x86_64/gcc-16')
        self.assertIn('CC=gcc-16', env['KMAKE'])
        self.assertIn('HOSTCC=gcc-15', env['KMAKE'])
        self.assertEqual(cells.cell_env(lender, '/c')['KERNEL_CELL'], 'v7.2/x86_64/gcc-15')
        # Resolving the name again gives the matrix's record.
        self.assertIs(t.cell('v7.2/x86_64/gcc-16'), borrower)

    def refused(self, matrix, message, records=RECORDS):
        with self.assertRaisesRegex(cells.CellError, message):
            self.table(matrix, records)

    def test_lender_must_be_an_earlier_cell_of_the_matrix(self):
        self.refused('[[cells]]\ncell = "v7.2/x86_64/gcc-16"\nkernel = "gcc-15"\n'
                     'checks = ["run"]\n',
                     r'v7.2/x86_64/gcc-16: kernel = "gcc-15" names no earlier cell '
                     r'v7.2/x86_64/gcc-15')

    def test_lender_must_come_first(self):
        self.refused('[[cells]]\ncell = "v7.2/x86_64/gcc-16"\nkernel = "gcc-15"\n'
                     'checks = ["run"]\n' + self.LENDER,
                     r'names no earlier cell v7.2/x86_64/gcc-15')

    def test_only_the_compilers_it_may_borrow(self):
        # gcc-16's record allows gcc-15 kernels; nothing allows the other
        # direction, a compiler its own kernel, or clang on a gcc kernel.
        gcc16 = '[[cells]]\ncell = "v7.2/x86_64/gcc-16"\nchecks = ["run"]\n'
        self.refused(gcc16 + '[[cells]]\ncell = "v7.2/x86_64/gcc-15"\nkernel = "gcc-16"\n'
                     'checks = ["run"]\n',
                     r'gcc-15 may not build modules against a gcc-16 kernel \(borrows = \[\]')
        self.refused(gcc16 + '[[cells]]\ncell = "v7.2/x86_64/gcc-16"\nkernel = "gcc-16"\n'
                     'checks = ["run"]\n',
                     r'gcc-16 may not build modules against a gcc-16 kernel')
        self.refused(self.LENDER + '[[cells]]\ncell = "v7.2/x86_64/clang-22"\n'
                     'kernel = "gcc-15"\nchecks = ["run"]\n',
                     r'clang-22 may not build modules against a gcc-15 kernel')

    def test_lender_runs_its_suites(self):
        # The borrower's table says the in-tree runs are the lender's.
        self.refused('[[cells]]\ncell = "v7.2/x86_64/gcc-15"\nchecks = ["codegen"]\n'
                     '[[cells]]\ncell = "v7.2/x86_64/gcc-16"\nkernel = "gcc-15"\n'
                     'checks = ["run"]\n',
                     r'v7.2/x86_64/gcc-15 lends its kernel but does not run its built-in suites')

    def test_lender_of_another_arch_is_refused(self):
        # Only the compiler is named: base and arch are the borrower's.
        self.refused(self.LENDER + '[[cells]]\ncell = "v7.2/arm64/gcc-16"\n'
                     'kernel = "gcc-15"\nchecks = ["run"]\n',
                     r'names no earlier cell v7.2/arm64/gcc-15')

    def test_no_config_of_its_own(self):
        self.refused(self.LENDER + '[[cells]]\ncell = "v7.2/x86_64/gcc-16"\n'
                     'kernel = "gcc-15"\nchecks = ["run"]\n'
                     'config = ["kunit/sanitizers.config"]\n',
                     r"the config of a borrowed kernel is its lender's")

    def test_no_chains(self):
        # Even where the records would allow each step.
        records = RECORDS.replace('hostcc = "clang-22"\n',
                                  'hostcc = "clang-22"\nborrows = ["gcc-16"]\n')
        self.assertNotEqual(records, RECORDS)
        self.refused(self.LENDER + '[[cells]]\ncell = "v7.2/x86_64/gcc-16"\n'
                     'kernel = "gcc-15"\nchecks = ["run"]\n'
                     '[[cells]]\ncell = "v7.2/x86_64/clang-22"\n'
                     'kernel = "gcc-16"\nchecks = ["run"]\n',
                     r'v7.2/x86_64/gcc-16 itself borrows a kernel', records)

    def test_host_and_root_do_not_mix(self):
        # The host compiler cannot run the root's host programs, even if
        # its record allowed the kernel.
        records = RECORDS.replace('hostcc = "gcc-12"\n', 'hostcc = "gcc-12"\nborrows = ["gcc-15"]\n')
        self.assertNotEqual(records, RECORDS)
        self.refused(self.LENDER + '[[cells]]\ncell = "v7.2/x86_64/gcc-12"\n'
                     'kernel = "gcc-15"\nchecks = ["run"]\n',
                     r'built in another place \(root, not host\)', records)

    def test_bite_without_a_sanitizer_kernel(self):
        self.refused('[[cells]]\ncell = "v7.2/x86_64/gcc-15"\nchecks = ["run"]\n'
                     '[[cells]]\ncell = "v7.2/x86_64/gcc-16"\nkernel = "gcc-15"\n'
                     'checks = ["run", "bite"]\n',
                     r'the bite check needs a sanitizer config')

    def test_unknown_field(self):
        self.refused('[[cells]]\ncell = "v7.2/x86_64/gcc-15"\nchecks = ["run"]\n'
                     'kernels = "gcc-15"\n', r"unknown fields \['kernels'\]")

    def test_the_real_table(self):
        # cells.toml: the gcc-16 cell borrows the gcc-15 kernel, and no
        # cell the table lends from borrows itself.
        t = cells.Table()
        for name in ('v7.2/x86_64/gcc-16',):
            with self.subTest(cell=name):
                self.assertEqual(t.cell(name).kernel.name, name.replace('gcc-16', 'gcc-15'))
        for c in t.cells:
            if c.lender:
                self.assertIn('run', c.lender.checks)


class ArchConfigTests(unittest.TestCase):
    """config = [...] of an arch: fragments every kernel of the arch gets,
    whether or not the matrix has the cell."""
    table = LenderTests.table

    def test_every_i386_kernel(self):
        t = cells.Table()
        for name in ('v7.2/i386/gcc-15', 'v6.1/i386/gcc-15', 'v6.12/i386/gcc-15'):
            with self.subTest(cell=name):
                env = cells.cell_env(t.cell(name), '/c')
                self.assertEqual(env['ARCH_CONFIG'], os.path.join(cells.TOP, 'kunit/i386.config'))
                self.assertEqual(env['CELL_CONFIG'], '')
        env = cells.cell_env(t.cell('v7.2/x86_64/gcc-15'), '/c')
        self.assertEqual(env['ARCH_CONFIG'], '')

    def test_missing_fragment(self):
        records = RECORDS.replace('config = ["kunit/i386.config"]', 'config = ["kunit/none.config"]')
        self.assertNotEqual(records, RECORDS)
        with self.assertRaisesRegex(cells.CellError, r'arch i386: no config fragment kunit/none.config'):
            self.table('', records)


class DebianTests(unittest.TestCase):
    """Cells of Debian's own kernels: debian-NAME/ARCH/COMPILER."""
    table = LenderTests.table
    refused = LenderTests.refused

    def test_env_of_a_debian_cell(self):
        t = self.table('[[cells]]\ncell = "debian-7.2/arm64/gcc-16"\nchecks = ["debian"]\n')
        c, = t.cells
        self.assertEqual(c.name, 'debian-7.2/arm64/gcc-16')
        self.assertEqual(c.id, 'debian-7.2-arm64-gcc-16')
        self.assertEqual(c.base.name, 'v7.2')
        env = cells.cell_env(c, '/c')
        self.assertEqual(env['DEB_RELEASE'], '7.2.12+deb14-arm64')
        self.assertEqual(env['ROOTFS'], '/c/debian-root/testing')
        self.assertEqual(env['BDIR'], '/c/debian-root/testing/usr/src/'
                                      'linux-headers-7.2.12+deb14-arm64')
        self.assertEqual(env['MAKE_KDIR'], '/usr/src/linux-headers-7.2.12+deb14-arm64')
        self.assertEqual(env['IMAGE'], '/c/debian/7.2.12+deb14-arm64/vmlinuz')
        self.assertEqual(env['DEB_IMAGE'], 'linux-binary-7.2.12+deb14-arm64:arm64')
        self.assertEqual(env['KMAKE'], ['CROSS_COMPILE=aarch64-linux-gnu-'])
        self.assertEqual(env['RUNNER'], 'in_root')
        self.assertEqual(env['KERNEL_CELL'], 'debian-7.2/arm64/gcc-16')
        # Not built here, and not from the toolchain root.
        self.assertEqual(t.root_packages(), list(t.build['root_packages']))
        self.assertIn('gcc-16-aarch64-linux-gnu', t.debian_root_packages('testing'))
        self.assertEqual(t.debian_root_arches('testing'), ['arm64'])

    def test_the_kernels_compiler_only(self):
        self.refused('[[cells]]\ncell = "debian-7.2/x86_64/gcc-15"\nchecks = ["debian"]\n',
                     r"Debian's 7.2 kernel was built by gcc-16: modules for it are too")

    def test_unknown_debian_kernel(self):
        self.refused('[[cells]]\ncell = "debian-5.10/x86_64/gcc-12"\nchecks = ["debian"]\n',
                     r"unknown Debian kernel '5.10'")

    def test_checks_of_debian_cells(self):
        self.refused('[[cells]]\ncell = "debian-6.1/x86_64/gcc-12"\nchecks = ["run"]\n',
                     r'are "debian" first, then maybe "dkms"')
        self.refused('[[cells]]\ncell = "debian-6.1/x86_64/gcc-12"\nchecks = ["dkms"]\n',
                     r'are "debian" first, then maybe "dkms"')
        self.refused('[[cells]]\ncell = "v6.1/x86_64/gcc-12"\nchecks = ["run", "dkms"]\n',
                     r"dkms only check Debian's kernels")
        self.refused('[[cells]]\ncell = "debian-6.1/x86_64/gcc-12"\nchecks = ["debian"]\n'
                     'config = ["kunit/sanitizers.config"]\n', r"as Debian built it")

    def test_the_real_debian_cells(self):
        t = cells.Table()
        deb = [c for c in t.cells if c.debian]
        self.assertEqual(sorted({c.debian.name for c in deb}), ['6.1', '6.12', '7.2'])
        for c in deb:
            self.assertEqual(c.compiler.name, c.debian.compiler)
        self.assertEqual(sorted({c.arch.name for c in deb}), ['arm64', 'x86_64'])


if __name__ == '__main__':
    unittest.main()
