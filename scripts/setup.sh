#!/usr/bin/env bash
# Set up JobOS on a fresh Debian/Ubuntu machine (idempotent): Python virtualenvs with the
# pinned requirements, Debian's Chromium for pages that need a browser, and (with --test) what
# the test suite needs: the stand-in web's proxy and the PostgreSQL server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1
PY=${PYTHON:-python3}

say() { printf 'setup: %s\n' "$*"; }

apt_install() {
  # Install Debian packages when missing; needs root (or sudo).
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ ! -f /tmp/.jobos-apt-updated ]; then
    $sudo apt-get update -qq && touch /tmp/.jobos-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PY" -m venv .venv
fi
# The test requirements only with --test: a user's run does not install them.
reqs=(requirements.txt)
[ "$want_tests" = 1 ] && reqs+=(requirements-test.txt)
stamp=.venv/.jobos-requirements
if [ ! -f "$stamp" ] || ! cmp -s <(cat "${reqs[@]}" setup.py) "$stamp"; then
  say "installing Python requirements"
  .venv/bin/pip install -q --disable-pip-version-check "${reqs[@]/#/-r}"
  .venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
  cat "${reqs[@]}" setup.py > "$stamp"
fi

if [ -z "${JOBOS_CHROMIUM:-}" ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && ! command -v google-chrome >/dev/null; then
  say "installing Debian's Chromium (Playwright cannot download its own browser here)"
  apt_install chromium
fi

if [ "$want_tests" = 1 ] || [ "${JOBOS_DEMO:-0}" = 1 ]; then
  if [ ! -x .venv-web/bin/mitmdump ]; then
    say "creating .venv-web for the stand-in web (mitmproxy)"
    "$PY" -m venv .venv-web
    .venv-web/bin/pip install -q --disable-pip-version-check -r requirements-web.txt
  fi
fi

if [ "$want_tests" = 1 ]; then
  if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing PostgreSQL server binaries (tests start a throwaway cluster)"
    apt_install postgresql
  fi
  if ! id postgres >/dev/null 2>&1; then
    say "creating the postgres system user (initdb refuses to run as root)"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
fi
say "ready"
