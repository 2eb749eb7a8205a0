#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for demos, tests and benchmarks.
#
#   scripts/pg_cluster.sh start DIR [postgresql.conf line]...   start (initdb on first use)
#   scripts/pg_cluster.sh stop DIR                               stop and delete DIR
#   scripts/pg_cluster.sh env DIR                                print shell exports for libpq
#
# The server is this checkout's private PostgreSQL $PG_MAJOR (scripts/pg_runtime.sh). PostgreSQL
# refuses to run as root, so as root it runs as the `postgres` user, and DIR must be reachable by
# that user (scripts/test.sh keeps its clusters under the state directory, not in the checkout).
# It listens on a Unix-domain socket in DIR only, never on TCP, so no cluster races another
# process for a port. DIR/conninfo holds a libpq connection string and DIR/env the matching PG*
# exports. `start` on a running cluster does nothing, so suites
# can share one; AUDIT_FIELDS_KEEP_CLUSTER=1 makes `stop` a no-op for the same reason.
set -euo pipefail

cmd=${1:?usage: pg_cluster.sh start|stop|env DIR}
dir=${2:?usage: pg_cluster.sh start|stop|env DIR}
shift 2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# shellcheck source=scripts/pg_env.sh
source "$(dirname "$0")/pg_env.sh"
"$(dirname "$0")/pg_runtime.sh"
bindir=$AF_PGBIN

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

running() {
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

write_env() {
    echo "host=$dir port=5432 user=postgres dbname=postgres" >"$dir/conninfo"
    cat >"$dir/env" <<ENV
export PGHOST=$dir PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
ENV
}

start() {
    if running; then
        return 0
    fi
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
            --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    {
        echo "listen_addresses = ''"
        echo "port = 5432"
        echo "unix_socket_directories = '$dir'"
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
        echo "max_connections = 100"
        echo "wal_level = logical"
        echo "max_wal_senders = 10"
        echo "max_replication_slots = 10"
        echo "log_min_messages = warning"
        echo "lc_messages = 'C'"
        echo "jit = off"
        for line in "$@"; do echo "$line"; done
    } >"$dir/data/postgresql.auto.conf"
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
        tail -n 30 "$dir/server.log" >&2
        exit 1
    fi
    write_env
}

stop() {
    if [ "${AUDIT_FIELDS_KEEP_CLUSTER:-0}" = 1 ]; then
        return 0
    fi
    if running; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    rm -rf "$dir"
}

case "$cmd" in
start) start "$@" ;;
stop) stop ;;
env) cat "$dir/env" ;;
*)
    echo "pg_cluster.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
