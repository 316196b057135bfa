#!/usr/bin/env bash
# Runs every test of the tree: unit, service (real PostgreSQL + NATS), end-to-end (launcher,
# headless Chromium), operator (mock API server) and chart tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
sf_setup
sf_ensure_node
sf_ensure_chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# the commit goes into the images' org.opencontainers.image.revision label
exec mvn -B -ntp verify -Dimage.revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)" "$@"
