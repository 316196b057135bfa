#!/usr/bin/env bash
# Soak run of the fault injection suite: more shoppers, longer, faults on repeat, and real restarts
# of a private NATS and a private PostgreSQL cluster (initdb into a temp dir, run as the postgres
# user). Needs nats-server and PostgreSQL's initdb/pg_ctl (/usr/lib/postgresql/<v>/bin).
#
#   faults/soak.sh            # 10 minutes
#   faults/soak.sh 30         # 30 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -o -pl faults verify -Dtest=FaultInjectionTest -Dfaults.soak=true -Dfaults.soak.minutes="$minutes" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfaults.fork-timeout=$(( minutes * 60 + 1200 ))
echo "report: faults/target/fault-soak.md"
