#!/usr/bin/env bash
# Sourced by run.sh, test.sh and bench: finds a JDK 21+ and makes sure PostgreSQL and NATS
# (JetStream) answer on 127.0.0.1, starting them (or installing them from Debian packages) when
# they do not. Fails with one clear line when it cannot.

sf_die() { echo "storefront: $*" >&2; exit 1; }

sf_find_java() {
  local candidates=("${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64)
  for home in "${candidates[@]}"; do
    [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
    local major
    major=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1)
    if [ "${major:-0}" -ge 21 ]; then export JAVA_HOME="$home"; export PATH="$home/bin:$PATH"; return 0; fi
  done
  sf_die "no JDK 21+ found (looked in JAVA_HOME and /usr/lib/jvm); install one, e.g. apt-get install -y openjdk-21-jdk-headless"
}

sf_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

sf_wait_port() {
  local port=$1 tries=${2:-60}
  for _ in $(seq "$tries"); do sf_port_open "$port" && return 0; sleep 0.5; done
  return 1
}

sf_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

sf_apt_install() {
  sf_as_root apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive sf_as_root apt-get install -y -qq "$@" >/dev/null 2>&1
}

sf_ensure_postgres() {
  sf_port_open 5432 && return 0
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "storefront: installing PostgreSQL from Debian packages" >&2
    sf_apt_install postgresql || sf_die "PostgreSQL is not running on 127.0.0.1:5432 and apt-get install postgresql failed"
  fi
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  [ -n "$version" ] || sf_die "PostgreSQL is installed but no cluster exists (pg_createcluster 15 main --start)"
  sf_as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  sf_wait_port 5432 60 || sf_die "PostgreSQL did not start on 127.0.0.1:5432 (try: pg_ctlcluster --skip-systemctl-redirect $version main start)"
}

sf_ensure_nats() {
  sf_port_open 4222 && return 0
  if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
    echo "storefront: installing nats-server from Debian packages" >&2
    sf_apt_install nats-server || sf_die "NATS is not running on 127.0.0.1:4222 and apt-get install nats-server failed"
  fi
  local bin
  bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  mkdir -p /var/lib/nats-server 2>/dev/null || true
  local store=/var/lib/nats-server
  [ -w "$store" ] || store=$(mktemp -d)
  nohup "$bin" -a 127.0.0.1 -p 4222 -js -sd "$store" >/tmp/storefront-nats.log 2>&1 &
  sf_wait_port 4222 40 || sf_die "NATS did not start on 127.0.0.1:4222 (see /tmp/storefront-nats.log)"
}

sf_ensure_postgres_user() {
  # trust auth as user postgres is what the defaults expect; tell the user clearly when it is not so
  if command -v psql >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1" >/dev/null 2>&1 \
      || sf_die "PostgreSQL answers but user postgres cannot log in without a password from 127.0.0.1 (set STOREFRONT_DB_USER/STOREFRONT_DB_PASSWORD)"
  fi
}

sf_ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  echo "storefront: installing chromium from Debian packages (for the browser tests)" >&2
  sf_apt_install chromium || sf_die "chromium is missing and apt-get install -y chromium failed"
}

sf_ensure_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
  echo "storefront: installing nodejs and npm from Debian packages (for the web UI build)" >&2
  sf_apt_install nodejs npm || sf_die "node and npm are missing and apt-get install nodejs npm failed"
}

sf_setup() {
  sf_find_java
  sf_ensure_postgres
  sf_ensure_postgres_user
  sf_ensure_nats
}
