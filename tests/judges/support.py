"""Shared by the judge tests: where the fixtures and scripts are, which
kunit.py parsers to judge with, and a stand-in for a module's ELF file.
"""
import glob
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
SCRIPTS = os.path.join(TOP, 'scripts')
FIXTURES = os.path.join(HERE, 'fixtures')
JUDGE = os.path.join(SCRIPTS, 'judge.py')

if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)

NO_PARSER = ('no kunit.py to judge with: set KUNIT_PY (colon-separated paths) or '
             'make the trees ($CACHE/src/<base>/tools/testing/kunit/kunit.py, '
             'CACHE defaults to /var/cache/kmalloc-obj: scripts/tree.sh BASE)')


def fixture(name):
    return os.path.join(FIXTURES, name)


def kunit_parsers():
    """{name: path} of the kunit.py parsers the verdict tests run against:
    KUNIT_PY if set, else every tree's under $CACHE/src. The name is the
    base (the tree's directory) where there is one."""
    env = os.environ.get('KUNIT_PY')
    if env:
        paths = [p for p in env.split(':') if p]
    else:
        cache = os.environ.get('CACHE', '/var/cache/kmalloc-obj')
        # A tree still being made (tree.sh's BASE.tmp) is not one yet.
        paths = sorted(p for p in glob.glob(os.path.join(cache, 'src', '*', 'tools',
                                                         'testing', 'kunit', 'kunit.py'))
                       if not p.split(os.sep)[-5].endswith('.tmp'))
    parsers = {}
    for p in paths:
        tree = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(p))))
        name = os.path.basename(tree) or p
        while name in parsers:
            name += '_'
        parsers[name] = p
    return parsers


def write_ko(path, suites, machine=62):
    """Write a minimal relocatable ELF64 (x86_64 unless machine says
    otherwise) whose .kunit_test_suites section holds `suites` pointers,
    which is all of a module that the verdict reads (through readelf)."""
    shstrtab = b'\0.kunit_test_suites\0.shstrtab\0'
    data = b'\0' * (8 * suites)
    data_off = 64
    str_off = data_off + len(data)
    sh_off = (str_off + len(shstrtab) + 7) & ~7
    ident = b'\x7fELF' + bytes([2, 1, 1, 0]) + b'\0' * 8   # 64-bit, LE, v1
    header = ident + struct.pack('<HHIQQQIHHHHHH', 1, machine, 1, 0, 0, sh_off, 0,
                                 64, 0, 0, 64, 3, 2)

    def section(name, kind, flags, off, size, align):
        return struct.pack('<IIQQQQIIQQ', name, kind, flags, 0, off, size, 0, 0, align, 0)

    sections = (b'\0' * 64
                + section(1, 1, 3, data_off, len(data), 8)        # PROGBITS, WA
                + section(20, 3, 0, str_off, len(shstrtab), 1))   # STRTAB
    with open(path, 'wb') as f:
        f.write(header + data + shstrtab)
        f.write(b'\0' * (sh_off - str_off - len(shstrtab)))
        f.write(sections)
