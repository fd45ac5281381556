#!/usr/bin/env bash
# Runs a command against a private, throw-away PostgreSQL server.
#
#   bash Tests/Support/with-postgres.sh swift test --filter DatabasesTests
#
# Must run as root (as CI does): the server runs as the postgres user (runuser) and its files are
# chowned to it. Installs postgresql (Tests/Support/install-deps.sh) when initdb is missing, creates
# a cluster owned by the postgres user in a temporary directory, listening only on a private unix
# socket directory and a private port (no TCP), creates a role and database for the calling user
# with trust authentication, exports PHASEKIT_TEST_POSTGRES_URL (and PHASEKIT_TEST_POSTGRES_CTL and
# PHASEKIT_TEST_POSTGRES_DATA, to restart it) for the command, runs it, and
# always stops the server and removes the directory.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "$0: must run as root: it runs a private PostgreSQL server as the postgres user (runuser)" >&2
    exit 2
fi

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bindir="$candidate"
done
if [ -z "$bindir" ]; then
    bash "$(dirname "$0")/install-deps.sh" test
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && bindir="$candidate"
    done
fi
if [ -z "$bindir" ]; then
    echo "$0: no initdb found after installing postgresql" >&2
    exit 1
fi

as_postgres() { runuser -u postgres -- "$@"; }

workdir="$(mktemp -d /tmp/phasekit-pg.XXXXXX)"
chown postgres: "$workdir"
chmod 700 "$workdir"
port=$((20000 + RANDOM % 20000))
started=0

cleanup() {
    if [ "$started" -eq 1 ]; then
        as_postgres "$bindir/pg_ctl" -D "$workdir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

as_postgres "$bindir/initdb" -D "$workdir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
    || { cat "$workdir/initdb.log" >&2; exit 1; }
mkdir "$workdir/socket"
chown postgres: "$workdir/socket"
as_postgres "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$workdir/socket' -p $port -c fsync=off" start >/dev/null \
    || { cat "$workdir/server.log" >&2; exit 1; }
started=1
# The socket directory must be reachable by root's client (it is: root reads anything).
chmod 755 "$workdir"

role="$(id -un)"
as_postgres "$bindir/psql" -h "$workdir/socket" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE \"$role\" LOGIN SUPERUSER" -c "CREATE DATABASE phasekit_test OWNER \"$role\"" >/dev/null

export PHASEKIT_TEST_POSTGRES_URL="postgres://$role@/phasekit_test?host=$workdir/socket&port=$port"
# How the fault campaign restarts the server under a run (runuser -u postgres -- pg_ctl -D DATA restart).
export PHASEKIT_TEST_POSTGRES_CTL="$bindir/pg_ctl"
export PHASEKIT_TEST_POSTGRES_DATA="$workdir/data"
set +e
"$@"
status=$?
set -e
exit "$status"
