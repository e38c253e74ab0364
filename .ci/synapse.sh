#!/usr/bin/env bash
# Provisions Synapse, the real homeserver the bridge's end-to-end tests run against, into a cached virtualenv
# and prints the path of that virtualenv's python on stdout (the only thing on stdout; logging goes to stderr):
#   WECHAT_E2E_SYNAPSE_PYTHON="$(bash .ci/synapse.sh)"
# Idempotent: a finished install is recognised by a marker file written after pip succeeded and the install
# imported cleanly, so a virtualenv left half-built by an interrupted or failed run is deleted and rebuilt.
#
# Environment: WECHAT_CI_CACHE (default ~/.cache/wechat-bridge), WECHAT_SYNAPSE_BASE_PYTHON (the python
# that creates the virtualenv; default python3, must be 3.10 or newer, as Synapse requires).
set -euo pipefail

SYNAPSE_VERSION=1.163.2
CACHE_DIR="${WECHAT_CI_CACHE:-$HOME/.cache/wechat-bridge}"
VENV="$CACHE_DIR/synapse-$SYNAPSE_VERSION"
MARKER="$VENV/.wechat-bridge-installed"
BASE_PYTHON="${WECHAT_SYNAPSE_BASE_PYTHON:-python3}"

log() { echo "synapse.sh: $*" >&2; }
fail() {
  log "$*"
  exit 1
}

installed() { [ -f "$MARKER" ] && [ -x "$VENV/bin/python" ]; }

if installed; then
  echo "$VENV/bin/python"
  exit 0
fi

mkdir -p "$CACHE_DIR"
# Two runs at once (turbo, two terminals) must not build into the same directory; the second waits and then
# finds the first one's install.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_DIR/synapse-$SYNAPSE_VERSION.lock"
  flock 9
  if installed; then
    echo "$VENV/bin/python"
    exit 0
  fi
fi

command -v "$BASE_PYTHON" >/dev/null 2>&1 ||
  fail "no '$BASE_PYTHON' on PATH. Synapse needs Python 3.10 or newer with the venv module; install it, or point WECHAT_SYNAPSE_BASE_PYTHON at one."
"$BASE_PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
  fail "$("$BASE_PYTHON" --version 2>&1) is too old: Synapse $SYNAPSE_VERSION needs Python 3.10 or newer (set WECHAT_SYNAPSE_BASE_PYTHON)."

started=$SECONDS
if [ -e "$VENV" ]; then log "removing the unfinished install in $VENV"; fi
rm -rf "$VENV"
log "installing matrix-synapse $SYNAPSE_VERSION with $("$BASE_PYTHON" --version 2>&1) into $VENV (about 30 s)"
"$BASE_PYTHON" -m venv "$VENV" >&2 ||
  fail "'$BASE_PYTHON -m venv' failed; on Debian/Ubuntu the venv module is the python3-venv package."
# pip's own output is the useful diagnosis when this fails, so it goes to stderr rather than being hidden.
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "matrix-synapse==$SYNAPSE_VERSION" >&2; then
  rm -rf "$VENV"
  fail "pip could not install matrix-synapse==$SYNAPSE_VERSION (its error is above). The e2e tests need a Synapse:
  - make PyPI reachable (or configure a pip mirror: PIP_INDEX_URL) and run this script again, or
  - set WECHAT_E2E_SYNAPSE_PYTHON to a python that can 'import synapse' (Synapse 1.157 or newer), e.g. from a
    distribution package, instead of running this script."
fi
# sqlite3 is the database the tests use; some self-built pythons lack it, which Synapse reports only at start.
"$VENV/bin/python" -c "import sqlite3, synapse, sys; sys.exit(0 if synapse.__version__ == '$SYNAPSE_VERSION' else 1)" ||
  fail "the install in $VENV does not import (or lacks sqlite3, or is not $SYNAPSE_VERSION); delete it and check the base python."
printf 'matrix-synapse==%s installed %s\n' "$SYNAPSE_VERSION" "$(date -u +%FT%TZ)" >"$MARKER"
log "installed in $((SECONDS - started)) s"
echo "$VENV/bin/python"
