#!/usr/bin/env bash
# Storefront benchmarks: ceilings, then the platform under load; prints one Markdown table and
# writes it, a PNG chart and the raw numbers into bench/results/<timestamp>/.
#   bench/run.sh                      full run, one-process mode (about 30-40 minutes on 2 cores)
#   bench/run.sh --mode split         each service in its own JVM (uses ports 8081-8088)
#   bench/run.sh --quick              smoke test: smaller counts, short steps, one repeat
#   other options: --port 18080  --repeats 3  --only ceilings,browse,scale,cart,checkout,flash  --jfr  --no-build
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
sf_setup
command -v pgbench >/dev/null 2>&1 || sf_die "pgbench is missing (it comes with the PostgreSQL packages: apt-get install -y postgresql-contrib or postgresql-client)"

args=()
build=1
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done

LAUNCHER=launcher/target/storefront-launcher.jar
BENCH=bench/target/storefront-bench.jar
if [ "$build" = 1 ]; then
  if [ ! -f "$LAUNCHER" ] || [ -n "$(find services launcher pom.xml -newer "$LAUNCHER" \( -name '*.java' -o -name 'pom.xml' -o -name '*.yaml' -o -name '*.sql' \) 2>/dev/null | grep -v node_modules | head -1)" ]; then
    sf_ensure_node
    echo "bench: building the launcher (mvn -DskipTests package) ..." >&2
    mvn -B -q -ntp -DskipTests package -pl launcher -am >&2
  fi
  if [ ! -f "$BENCH" ] || [ -n "$(find bench/src bench/pom.xml -newer "$BENCH" -type f 2>/dev/null | head -1)" ]; then
    echo "bench: building the bench harness ..." >&2
    mvn -B -q -ntp -DskipTests package -f bench/pom.xml >&2
  fi
fi

# The load tool runs in this JVM; the platform runs in its own (started by the harness, same flags as scripts/run.sh).
exec "$JAVA_HOME/bin/java" -XX:+UseParallelGC -Xms256m -Xmx1g -jar "$BENCH" --launcher "$LAUNCHER" --results bench/results "${args[@]}"
