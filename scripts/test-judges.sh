#!/bin/bash
# test-judges.sh [TEST...]: the judges' own tests (tests/judges, unittest on
# fixtures: consoles, objdump listings, expectation files). The verdict
# tests run against the kunit.py of every tree under $CACHE/src (or those
# in KUNIT_PY, colon-separated); with none, they fail. A skipped test fails
# the run.
. "$(dirname "$0")/lib.sh"

python3 "$TOP/tests/judges/run.py" "$@"
