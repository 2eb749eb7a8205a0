#!/usr/bin/env bash
# What missing_actor = warn costs a busy writer: pgbench clients inserting (one row per
# transaction) into an enabled table without setting an actor, with the table's missing_actor =
# 'allow' (NULL actors, nothing recorded) and = 'warn' (session_user written, one WARNING per
# statement, the miss counted and written into the report), the latter also with the client
# declining the warnings. Runs alternate, RUNS of each; the median throughput of each mode is
# printed with the report's row counts after the warn runs.
# Usage: bench/missing_actor_warn.sh [CLIENTS] [SECONDS] [RUNS]   (defaults 4, 10, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-4}
seconds=${2:-10}
runs=${3:-3}

scripts/deps.sh >/dev/null
scripts/build.sh
# shellcheck source=scripts/pg_env.sh
source scripts/pg_env.sh
cluster=$(mktemp -d /tmp/audit-fields-bench.XXXXXX)
chmod 755 "$cluster"
trap 'AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$cluster" >/dev/null 2>&1 || true' EXIT
scripts/pg_cluster.sh start "$cluster" "shared_buffers = '256MB'" "max_wal_size = '2GB'"
# shellcheck disable=SC1091
source "$cluster/env"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

q >/dev/null <<'SQL'
CREATE EXTENSION audit_fields;
CREATE TABLE orders (id bigserial PRIMARY KEY, payload int NOT NULL DEFAULT 0,
                     created_at timestamptz, updated_at timestamptz,
                     created_by text, created_by_name text, updated_by text, updated_by_name text);
CREATE ROLE bench_writer LOGIN;
GRANT INSERT ON orders TO bench_writer;
GRANT USAGE ON SEQUENCE orders_id_seq TO bench_writer;
SQL
script=$cluster/insert.sql
echo "INSERT INTO orders (payload) VALUES (1);" >"$script"
chmod 644 "$script"

tps_of() { # mode [client_min_messages] -> transactions per second of one run
    q -c "SELECT audit_fields.enable('orders', missing_actor => '$1')" >/dev/null
    q -c "CHECKPOINT" >/dev/null
    # By default the warnings reach the client, as they would an application (pgbench prints
    # them on stderr, dropped here); with client_min_messages = error only the server's part
    # (the decision, the count, the report writes) is left.
    PGOPTIONS="-c client_min_messages=${2:-notice}" PGAPPNAME="bench_$1" PGUSER=bench_writer \
        pgbench -n -c "$clients" -j "$clients" -T "$seconds" -f "$script" 2>/dev/null |
        sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}

declare -A results
for ((run = 1; run <= runs; run++)); do
    results[allow]+="$(tps_of allow) "
    results[warn]+="$(tps_of warn) "
    results[warn_quiet]+="$(tps_of warn error) "
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
allow=$(median <<<"${results[allow]}")
warn=$(median <<<"${results[warn]}")
warn_quiet=$(median <<<"${results[warn_quiet]}")
sleep 1
misses=$(q -c "SELECT coalesce(sum(misses), 0) FROM audit_fields.missing_actor_report")
report_rows=$(q -c "SELECT count(*) FROM audit_fields.missing_actor_report")
backend_rows=$(q -c "SELECT count(*) FROM audit_fields.missing_actor_misses")
versions=$(q -c "SELECT pg_stat_force_next_flush(); SELECT n_tup_ins + n_tup_upd FROM pg_stat_user_tables
                 WHERE relid = 'audit_fields.missing_actor_misses'::regclass" | tail -1)
rows=$(q -c "SELECT count(*) FROM orders WHERE created_by = 'bench_writer'")

echo
echo "<!-- bench:missing_actor_warn -->"
echo "| missing_actor | clients | tps (median of $runs x ${seconds} s) | vs allow |"
echo "|---|---|---|---|"
printf '| allow | %s | %.0f | |\n' "$clients" "$allow"
vs_allow() { awk -v w="$1" -v a="$allow" 'BEGIN {printf "%+.1f%%", (w / a - 1) * 100}'; }
printf '| warn (WARNING delivered to the client) | %s | %.0f | %s |\n' "$clients" "$warn" "$(vs_allow "$warn")"
printf '| warn, client_min_messages = error | %s | %.0f | %s |\n' "$clients" "$warn_quiet" \
    "$(vs_allow "$warn_quiet")"
echo "<!-- /bench:missing_actor_warn -->"
echo
echo "warn runs: $rows rows written by session_user, $misses misses counted in $report_rows report" \
     "row(s), kept in $backend_rows per-backend row(s); $versions row versions written to the report's table"
