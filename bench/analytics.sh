#!/usr/bin/env bash
# The analytics bench (opt-in; not part of run.sh): pgbench insert ceilings, catalog browse with view
# events off vs on, ingestion via POST and via the bus, dashboard/popular/trending p50/p99 over rollups
# seeded for 100 thousand and --big (default 10 million) events. Uses databases bencha_* and stream BENCHA.
#   bench/analytics.sh [--big 10000000] [--seconds 15] [--port 18180]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
sf_setup
command -v pgbench >/dev/null 2>&1 || sf_die "pgbench is missing (apt-get install -y postgresql-client)"
LAUNCHER=launcher/target/storefront-launcher.jar
BENCH=bench/target/storefront-bench.jar
[ -f "$LAUNCHER" ] || mvn -B -q -ntp -DskipTests package -pl launcher -am >&2
[ -f "$BENCH" ] && [ -z "$(find bench/src bench/pom.xml -newer "$BENCH" -type f 2>/dev/null | head -1)" ] || mvn -B -q -ntp -DskipTests package -f bench/pom.xml >&2
exec "$JAVA_HOME/bin/java" -XX:+UseParallelGC -Xms256m -Xmx1g -cp "$BENCH" dev.storefront.bench.AnalyticsBench --launcher "$LAUNCHER" --results bench/results "$@"
