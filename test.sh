#!/usr/bin/env bash
# Set up what the tests need (first run only) and run the test suite.
#   ./test.sh                 # everything except the optional real-model test
#   ./test.sh -m "not slow"   # any pytest arguments
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --test
set +e
# Three workers on two cores: the suite is mostly crawls in subprocesses waiting on I/O.
# pytest's rows of progress dots (about 30 for the whole suite) become one line per quarter;
# everything else it prints (failures, the summary) passes through unchanged.
# mawk reads a pipe in blocks unless told to read it line by line: the progress would show at the end.
awk_opts=()
if awk -W version 2>&1 | grep -qi mawk; then awk_opts=(-W interactive); fi
.venv/bin/python -m pytest -n "${JOBOS_TEST_WORKERS:-3}" -q "$@" | awk "${awk_opts[@]}" '
  /^[.sxXEFf]+ *\[ *[0-9]+%\]$/ {
    pct = $0; sub(/^.*\[ */, "", pct); sub(/%\]$/, "", pct); pct += 0
    if (pct >= next_pct) { printf "test.sh: %d%% of the tests run\n", pct; fflush(); while (next_pct <= pct) next_pct += 25 }
    next
  }
  { print; fflush() }'
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -eq 5 ]; then
  echo "test.sh: pytest collected no tests: failing" >&2
  exit 1
fi
exit "$rc"
