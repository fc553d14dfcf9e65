#!/usr/bin/env bash
# Set up (first run only) and crawl one company's career page:
#   ./run.sh "Acme GmbH" DE            # name + country -> jobs.jsonl and the embedded store
#   ./run.sh --demo                    # a demo company through the bundled stand-in web (offline)
set -euo pipefail
cd "$(dirname "$0")"
usage() {
  cat <<'USAGE'
usage: ./run.sh "Company name" [COUNTRY] [jobos crawl options]
       ./run.sh --demo ["Demo company" [--country CC]]

Sets up JobOS on first run (a virtualenv with the pinned requirements; Debian's Chromium when
no browser is installed), then finds the company's career page and reads every open job:
jobs.jsonl (JOBOS_OUTPUT) and the store (embedded unless DATABASE_URL is set).
Options after the company are those of `jobos crawl` (--careers-url URL, --verbose, ...).
Exit status: 0 jobs read, 2 bad argument, 3 no career page found, 4 URL refused,
5 nothing could be read. Demo companies: see `.venv/bin/jobos demo --help`.
USAGE
}
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
  --demo)
    shift
    JOBOS_DEMO=1 scripts/setup.sh
    exec .venv/bin/jobos demo "$@" ;;
esac
company=$1; shift
country=()
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then country=("$1"); shift; fi
scripts/setup.sh
exec .venv/bin/jobos crawl "$company" "${country[@]}" -o "${JOBOS_OUTPUT:-jobs.jsonl}" "$@"
