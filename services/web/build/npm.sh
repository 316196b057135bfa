#!/bin/sh
# Runs one npm step of the Maven build with the system's node/npm (never a downloaded one).
# Usage: build/npm.sh install|build|test
set -e
cd "${0%/*}/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "storefront-web: node and npm are required on PATH to build the web UI (Debian: apt-get install -y nodejs npm; node >= 20.19)" >&2
  exit 1
fi

case "$1" in
  install)
    # npm ci only when node_modules is missing or older than the lock file
    if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
      echo "storefront-web: node_modules is up to date"
    else
      npm ci --no-audit --no-fund
    fi
    ;;
  build)
    npm run --silent build
    ;;
  test)
    CI=true npm test
    ;;
  *)
    echo "usage: $0 install|build|test" >&2
    exit 2
    ;;
esac
