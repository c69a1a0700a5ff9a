# kmalloc_obj: the front door. Everything expensive is cached under CACHE.
#
#   make run          the main job on the default cell (v6.1, x86_64, gcc-15)
#   make test         the full test matrix, as CI runs it
#   make cell BASE=v7.2 ARCH=arm64 CC=gcc-15    one cell (bases v6.1 v6.12 v7.2)
#   make check        patches/ == the tree's export, kunit/ copy, checkpatch
#   make mutants      show that the suites fail when the family is broken
#   make conformance BASE=v7.2   the suites against the unpatched family
#   make module KDIR=/path/to/kernel/build      the companion module only
#   make export BASE=v6.1                       regenerate patches/BASE

BASE ?= v6.1
ARCH ?= x86_64
# gcc-15 or clang-22 (testing root, the counted_by path) or gcc-12 (host,
# x86_64 only, the no-op path)
CC := gcc-15
export CACHE

.PHONY: run test cell check mutants conformance module export deps clean help

help:
	@awk 'NR > 1 && !/^#/ { exit } NR > 1' Makefile | sed 's/^# \{0,1\}//'

deps:
	bash scripts/host-deps.sh
	bash scripts/toolchain.sh

run: deps
	bash scripts/cell.sh $(BASE) $(ARCH) $(CC)

cell: run

test:
	bash scripts/matrix.sh

check:
	bash scripts/check-patches.sh

mutants:
	bash scripts/mutants.sh $(BASE) $(ARCH) $(CC)

conformance:
	bash scripts/conformance.sh $(BASE) $(ARCH) $(CC)

module:
	$(MAKE) -C module KDIR=$(KDIR)

export:
	bash scripts/export-series.sh $(BASE)

clean:
	rm -rf kunit/*.o kunit/.*.cmd *.ko *.mod* .*.cmd Module.symvers modules.order .tmp_versions
