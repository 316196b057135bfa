#!/usr/bin/env bash
# Runs the whole platform in one process on http://localhost:8080 with demo data.
#   scripts/run.sh            one process
#   scripts/run.sh --split    each service in its own JVM (ports 8081-8091) behind a gateway on 8080
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
sf_setup
sf_ensure_node
JAR=launcher/target/storefront-launcher.jar
if [ ! -f "$JAR" ] || [ -n "$(find services launcher pom.xml -newer "$JAR" -name '*.java' -o -newer "$JAR" -name 'pom.xml' -o -newer "$JAR" -name '*.yaml' -o -newer "$JAR" -name '*.sql' -o -newer "$JAR" -name '*.tsx' 2>/dev/null | grep -v node_modules | head -1)" ]; then
  echo "storefront: building (mvn -DskipTests package) ..." >&2
  mvn -B -q -ntp -DskipTests package -pl launcher -am >&2
fi
# a bounded heap: the live set after a full GC is ~25 MiB; unbounded (a quarter of RAM) it grew to 2.9 GiB
# of resident memory after an overload and never gave it back. -Xms: else the heap starts at its maximum
JVM_OPTIONS=(-XX:+UseSerialGC -Xss512k -Xms64m -Xmx256m -XX:MetaspaceSize=128m)
# classes loaded ready-linked from a cache the first run writes when it stops (see AotCache)
mapfile -t AOT_OPTIONS < <("$JAVA_HOME/bin/java" -cp "$JAR" dev.storefront.launcher.AotCache launcher "${JVM_OPTIONS[@]}")
exec "$JAVA_HOME/bin/java" "${JVM_OPTIONS[@]}" "${AOT_OPTIONS[@]}" -jar "$JAR" "$@"
