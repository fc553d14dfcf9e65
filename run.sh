#!/usr/bin/env bash
# Set up (first run only) and crawl one company's career page:
#   ./run.sh "Acme GmbH" DE            # name + country -> jobs.jsonl and the embedded store
#   ./run.sh --demo                    # the same crawl against the bundled stand-in web (offline)
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = "--demo" ]; then
  JOBOS_DEMO=1 scripts/setup.sh
  shift
  exec .venv/bin/jobos demo "$@"
fi
if [ $# -lt 1 ]; then
  echo 'usage: ./run.sh "Company name" [COUNTRY] [more scrapy -a/-s options]   or   ./run.sh --demo' >&2
  exit 2
fi
company=$1; shift
country=""
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then country=$1; shift; fi
scripts/setup.sh
exec .venv/bin/scrapy crawl careers -a company="$company" ${country:+-a country="$country"} \
  -O "${JOBOS_OUTPUT:-jobs.jsonl}" "$@"
