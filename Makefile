# kmalloc_obj: the front door. Everything expensive is cached under CACHE
# (default /var/cache/kmalloc-obj). Cells, bases, arches and compilers are
# records in cells.toml.
#
#   make run              the main job on the default cell (v6.1/x86_64/gcc-15):
#                         install, tree + series, build, kunit.py and insmod runs
#   make run BASE=v7.2 ARCH=arm64 COMPILER=clang-22   any other cell
#   make test             the full test matrix of cells.toml, as CI runs it
#   make test CELLS="v7.2/x86_64/gcc-16 ..."          only these cells
#   make check            patches/ == the trees' export, kunit/ == in-tree copy,
#                         checkpatch, and the judges' own tests
#   make sync-suite       put kunit/ into every base's series (then make check)
#   make mutants          show that the suites fail when the family is broken
#   make conformance BASE=v7.2    the suites against the unpatched family
#   make compat BASE=v6.1 COMPILER=gcc-12   the suites on include/kmalloc_obj.h,
#                         the compat header, against the unpatched tree
#   make interrupt-test   an interrupted build leaves no mount, no process
#   make audit-flex       which _flex callers of v7.2 can pass a count their
#                         __counted_by() counter cannot hold (allmodconfig)
#   make alloc-token      whether Clang infers the type of every helper for
#                         CONFIG_KMALLOC_PARTITION_TYPED (v7.2, clang-22)
#   make cocci            the series' devm_ Coccinelle rules convert a real
#                         driver directory (drivers/gpio) of every base, and
#                         the converted files build with no new warning
#   make module KDIR=/path/to/kernel/build      the companion module only
#   make export BASE=v6.1                       regenerate patches/BASE
#   make clean-cache      delete CACHE (unmounting first) to start cold

BASE ?= v6.1
ARCH ?= x86_64
# gcc-15, gcc-16 or clang-22 (testing root, the counted_by path) or gcc-12
# (host, x86_64 only, the no-op path). Not CC: make's own CC is the host
# compiler, which a command-line CC= would silently replace.
COMPILER ?= gcc-15
CELL = $(BASE)/$(ARCH)/$(COMPILER)
ifeq ($(origin CC),command line)
$(error CC=$(CC) is make's own compiler variable: say COMPILER=$(CC))
endif
export CACHE

.PHONY: run test cell check sync-suite mutants conformance compat interrupt-test audit-flex alloc-token cocci module \
	export deps clean clean-cache help

help:
	@awk '!/^#/ { exit } 1' Makefile | sed 's/^# \{0,1\}//'

deps:
	bash scripts/host-deps.sh
	bash scripts/toolchain.sh

run:
	bash scripts/matrix.sh --run $(CELL)

cell: run

test:
	bash scripts/matrix.sh $(CELLS)

check:
	bash scripts/check-patches.sh
	bash scripts/test-judges.sh

sync-suite:
	bash scripts/sync-suite.sh

mutants:
	bash scripts/mutants.sh $(CELL)

conformance:
	bash scripts/conformance.sh $(CELL)

compat:
	bash scripts/compat.sh $(CELL)

interrupt-test:
	bash tests/interrupt.sh

audit-flex:
	bash scripts/audit-flex.sh $(AUDIT_CONFIG)

alloc-token:
	bash scripts/alloc-token.sh

cocci:
	bash scripts/cocci.sh $(COCCI_BASES)

module:
	$(MAKE) -C module KDIR=$(KDIR)

export:
	bash scripts/export-series.sh $(BASE)

clean:
	rm -rf kunit/*.o kunit/.*.cmd *.ko *.mod* .*.cmd Module.symvers modules.order .tmp_versions

clean-cache:
	bash scripts/clean-cache.sh
