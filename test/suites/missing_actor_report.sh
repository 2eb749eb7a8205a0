#!/usr/bin/env bash
# The missing-actor report under a real write load, on a throwaway cluster:
#  - four pgbench writers without an actor (missing_actor => 'warn') are all counted exactly;
#  - the report's table gets a handful of row versions, not one per write (bounded amplification);
#  - writers never wait on each other because of it: with log_lock_waits and a 10 ms
#    deadlock_timeout, any lock wait longer than 10 ms would be logged; even with the report
#    written at every commit (missing_actor_flush_interval = 0) none is;
#  - the counts survive a restart.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/af-report.XXXXXX)
chmod 755 "$work"
cleanup() {
    AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
scripts/pg_cluster.sh start "$work/pg" "log_lock_waits = on" "deadlock_timeout = '10ms'"
# shellcheck disable=SC1091
source "$work/pg/env"
# shellcheck source=scripts/pg_env.sh
source scripts/pg_env.sh
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
fail() {
    echo "missing_actor_report: $*" >&2
    exit 1
}

q >/dev/null <<'SQL'
CREATE EXTENSION audit_fields;
CREATE TABLE orders (id bigserial PRIMARY KEY, payload int NOT NULL DEFAULT 0,
                     created_at timestamptz, updated_at timestamptz,
                     created_by text, updated_by text);
SELECT audit_fields.enable('orders', missing_actor => 'warn');
CREATE ROLE af_report_writer LOGIN;
GRANT INSERT, UPDATE, SELECT ON orders TO af_report_writer;
GRANT USAGE ON SEQUENCE orders_id_seq TO af_report_writer;
SQL
# Each writer updates only the row it inserted: the workload itself never waits, so any lock
# wait would be the report's.
cat >"$work/write.sql" <<'SQL'
INSERT INTO orders (payload) VALUES (1) RETURNING id \gset
UPDATE orders SET payload = payload + 1 WHERE id = :id;
SQL
chmod 644 "$work/write.sql"

# Waits until no session of the application is left: each writes its last counts as it ends.
wait_for_exit() {
    for _ in $(seq 1 100); do
        [ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1'")" = 0 ] &&
            return 0
        sleep 0.1
    done
    fail "sessions of $1 did not end"
}

run_writers() { # application_name, transactions per client
    PGAPPNAME=$1 PGUSER=af_report_writer pgbench -n -c 4 -j 2 -t "$2" -f "$work/write.sql" \
        >"$work/$1.log" 2>&1 || { cat "$work/$1.log" >&2; fail "pgbench failed"; }
    wait_for_exit "$1"
}

count() { # application_name operation
    q -c "SELECT coalesce(sum(misses), 0) FROM audit_fields.missing_actor_report
          WHERE relation = 'orders'::regclass AND application_name = '$1' AND operation = '$2'
            AND role = 'af_report_writer'"
}

# 1. Default flush interval (1 s): 4 x 500 transactions of one INSERT and one UPDATE each.
run_writers af_busy 500
[ "$(count af_busy INSERT)" = 2000 ] || fail "INSERT misses: $(count af_busy INSERT), expected 2000"
[ "$(count af_busy UPDATE)" = 2000 ] || fail "UPDATE misses: $(count af_busy UPDATE), expected 2000"
rows=$(q -c "SELECT count(*) FROM audit_fields.missing_actor_misses WHERE application_name = 'af_busy'")
[ "$rows" -le 8 ] || fail "$rows report rows for 4 writers x 2 operations"
versions=$(q -c "SELECT pg_stat_force_next_flush(); SELECT n_tup_ins + n_tup_upd FROM pg_stat_user_tables
                 WHERE relid = 'audit_fields.missing_actor_misses'::regclass" | tail -1)
[ "$versions" -lt 400 ] || fail "$versions report row versions for 4000 misses"
report_rows=$(q -c "SELECT count(*) FROM audit_fields.missing_actor_report")
echo "missing_actor_report: 4000 misses by 4 writers -> $report_rows report rows, $rows per-backend rows, $versions row versions written"

# 2. The report written at every commit: the worst case for contention. Still no lock wait.
q -c "LOAD 'audit_fields'" -c "ALTER SYSTEM SET audit_fields.missing_actor_flush_interval = 0" -c "SELECT pg_reload_conf()" >/dev/null
run_writers af_eager 300
[ "$(count af_eager INSERT)" = 1200 ] || fail "INSERT misses at every commit: $(count af_eager INSERT)"
if grep -q "still waiting for" "$work/pg/server.log"; then
    grep -A3 "still waiting for" "$work/pg/server.log" >&2
    fail "a writer waited for a lock"
fi

# 3. Durable: the same report after a restart.
before=$(q -c "SELECT string_agg(concat_ws('|', relation, operation, role, application_name, misses,
                                          first_seen, last_seen), ',' ORDER BY 1)
               FROM audit_fields.missing_actor_report")
runuser -u postgres -- "$AF_PGBIN/pg_ctl" -D "$work/pg/data" -m fast -w restart >/dev/null
after=$(q -c "SELECT string_agg(concat_ws('|', relation, operation, role, application_name, misses,
                                         first_seen, last_seen), ',' ORDER BY 1)
              FROM audit_fields.missing_actor_report")
[ -n "$before" ] && [ "$before" = "$after" ] || fail "report changed across a restart: $before / $after"

# 4. reset_missing_actor_report() clears it for good.
q -c "SELECT audit_fields.reset_missing_actor_report('orders')" >/dev/null
[ "$(q -c "SELECT count(*) FROM audit_fields.missing_actor_report")" = 0 ] || fail "reset left rows"
echo "missing_actor_report: exact counts, no lock waits, durable across a restart"
