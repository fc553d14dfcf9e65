#!/usr/bin/env bash
# Set up what the tests need (first run only) and run the test suite.
#   ./test.sh                 # everything except the optional real-model test
#   ./test.sh -m "not slow"   # any pytest arguments
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --test
set +e
# Three workers on two cores: the suite is mostly crawls in subprocesses waiting on I/O.
.venv/bin/python -m pytest -n "${JOBOS_TEST_WORKERS:-3}" -q "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "test.sh: pytest collected no tests: failing" >&2
  exit 1
fi
exit "$rc"
