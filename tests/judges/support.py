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
# The C source of the fixture consoles' suites (verdict --source), and a
# second file with a third suite.
SUITES = os.path.join(FIXTURES, 'suites.c')
SUITES_COUNTER = os.path.join(FIXTURES, 'suites-counter.c')

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
    parsers, seen = {}, set()
    for p in paths:
        # Trees whose parser is the same (kunit.py and kunit_parser.py
        # byte for byte: 7.2 and 7.3) are one parser; judging with it
        # twice would only double the time.
        same = _parser_id(p)
        if same in seen:
            continue
        seen.add(same)
        tree = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(p))))
        name = os.path.basename(tree) or p
        while name in parsers:
            name += '_'
        parsers[name] = p
    return parsers


def _parser_id(kunit_py):
    """What makes two kunit.py parsers the same: the contents of kunit.py
    and of kunit_parser.py beside it (the path itself if unreadable)."""
    parts = []
    for f in (kunit_py, os.path.join(os.path.dirname(kunit_py), 'kunit_parser.py')):
        try:
            with open(f, 'rb') as fh:
                parts.append(fh.read())
        except OSError:
            parts.append(f.encode())
    return tuple(parts)


def write_ko(path, suites, machine=62, bits=64, section_name='.kunit_test_suites'):
    """Write a minimal relocatable ELF (ELF64 x86_64 unless machine and
    bits say otherwise: bits=32, machine=3 is i386) whose .kunit_test_suites
    section (or section_name: .kmo_ktap_suites, the standalone KTAP mode's)
    holds `suites` pointers, which is all of a module that the verdict
    reads (through readelf)."""
    shstrtab = b'\0' + section_name.encode() + b'\0.shstrtab\0'
    ptr = bits // 8
    data = b'\0' * (ptr * suites)
    ehsize, shentsize = (64, 64) if bits == 64 else (52, 40)
    data_off = ehsize
    str_off = data_off + len(data)
    sh_off = (str_off + len(shstrtab) + 7) & ~7
    ident = b'\x7fELF' + bytes([bits // 32, 1, 1, 0]) + b'\0' * 8   # class, LE, v1
    addr = 'Q' if bits == 64 else 'I'
    header = ident + struct.pack(f'<HHI{addr}{addr}{addr}IHHHHHH', 1, machine, 1, 0, 0,
                                 sh_off, 0, ehsize, 0, 0, shentsize, 3, 2)

    def section(name, kind, flags, off, size, align):
        return struct.pack(f'<II{addr}{addr}{addr}{addr}II{addr}{addr}',
                           name, kind, flags, 0, off, size, 0, 0, align, 0)

    sections = (b'\0' * shentsize
                + section(1, 1, 3, data_off, len(data), ptr)      # PROGBITS, WA
                + section(2 + len(section_name), 3, 0, str_off, len(shstrtab), 1))  # STRTAB
    with open(path, 'wb') as f:
        f.write(header + data + shstrtab)
        f.write(b'\0' * (sh_off - str_off - len(shstrtab)))
        f.write(sections)
