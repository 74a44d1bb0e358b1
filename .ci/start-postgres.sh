#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the test suite and prints its URL on stdout.
# PostgreSQL refuses to run as root, so when run as root the cluster belongs to the `postgres`
# user (created if missing). Usage: .ci/start-postgres.sh [dir] [port]
set -euo pipefail
dir="${1:-/tmp/frontdesk-pg}"
port="${2:-55432}"
bindir="$(dirname "$(command -v pg_ctl 2>/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1)")"

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ -f "$dir/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  echo "postgres://frontdesk:frontdesk@127.0.0.1:$port/postgres"
  exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres; chown postgres "$dir"; }
pwfile="$(mktemp)"
echo frontdesk >"$pwfile"
chmod 644 "$pwfile"
as_owner "$bindir/initdb" -D "$dir" -U frontdesk --pwfile="$pwfile" --auth=scram-sha-256 >/dev/null
rm -f "$pwfile"
# Throwaway test cluster: durability off makes CREATE DATABASE and commits fast.
as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
  -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null
echo "postgres://frontdesk:frontdesk@127.0.0.1:$port/postgres"
