#!/usr/bin/env bash
# A backend killed (SIGKILL) mid-transaction: after crash recovery nothing is half-stamped.
# On a throwaway cluster: 1000 committed rows; then one session is killed while it updates every
# row and inserts rows by the million, and another while it holds a soft DELETE open (the
# postmaster's crash restart ends it too). After recovery every row must be exactly as committed,
# no row of the killed transactions may exist, and the trigger must keep working.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/af-crash.XXXXXX)
chmod 755 "$work"
cleanup() {
    jobs -p | xargs -r kill 2>/dev/null || true
    AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
scripts/pg_cluster.sh start "$work/pg" "restart_after_crash = on"
# shellcheck disable=SC1091
source "$work/pg/env"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
# shellcheck source=test/suites/lib/poll.sh
source test/suites/lib/poll.sh

q >/dev/null <<'SQL'
CREATE EXTENSION audit_fields;
CREATE TABLE items (id bigserial PRIMARY KEY, payload int NOT NULL DEFAULT 0,
                    created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
                    created_by text, updated_by text, deleted_by text);
SELECT audit_fields.enable('items', soft_delete => true);
BEGIN;
SET LOCAL audit_fields.actor = 'committed';
INSERT INTO items (payload) SELECT 0 FROM generate_series(1, 1000);
COMMIT;
CHECKPOINT;
SQL
before=$(q -c "SELECT md5(string_agg(i::text, ',' ORDER BY id)) FROM items i")
size_before=$(q -c "SELECT pg_relation_size('items')")

# The deleter sleeps far longer than the suite can take: the crash restart ends it, never COMMIT.
PGAPPNAME=af_crash_deleter psql -X -q -c "BEGIN" -c "SET LOCAL audit_fields.actor = 'killed-deleter'" \
    -c "DELETE FROM items WHERE id > 500" -c "SELECT pg_sleep(3600)" -c "COMMIT" \
    >"$work/deleter.log" 2>&1 &
deleter_sleeping() {
    [ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'af_crash_deleter'
               AND query LIKE '%pg_sleep%'" 2>/dev/null)" = 1 ]
}
poll_until 60 "the soft DELETE to be done and held open" deleter_sleeping
PGAPPNAME=af_crash_writer psql -X -q -c "BEGIN" -c "SET LOCAL audit_fields.actor = 'killed-writer'" \
    -c "UPDATE items SET payload = 1 WHERE id <= 500" \
    -c "INSERT INTO items (payload) SELECT 2 FROM generate_series(1, 20000000)" \
    -c "COMMIT" >"$work/writer.log" 2>&1 &

writer_inserting() {
    pid=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'af_crash_writer'
                AND query LIKE 'INSERT%' AND state = 'active'" 2>/dev/null || true)
    [ -n "$pid" ]
}
poll_until 60 "the writer to start inserting" writer_inserting
# Let the INSERT stamp a good number of rows first (the table ten times its committed size),
# however busy the machine.
table_grew() {
    size_killed=$(q -c "SELECT pg_relation_size('items')")
    [ "$size_killed" -gt $((size_before * 10)) ]
}
poll_until 120 "the INSERT to write ten times the committed table" table_grew
echo "crash_recovery: killing backend $pid (SIGKILL) mid-INSERT (table grew from $size_before to" \
    "$size_killed bytes of uncommitted stamped rows), a soft DELETE open in another session"
kill -9 "$pid"
wait || true

server_back() { q -c "SELECT 1" >/dev/null 2>&1; }
poll_until 120 "the server to finish crash recovery" server_back
grep -q "terminated by signal 9" "$work/pg/server.log" ||
    { echo "crash_recovery: the server did not see the kill" >&2; exit 1; }
grep -q "all server processes terminated; reinitializing" "$work/pg/server.log" ||
    { echo "crash_recovery: no crash restart happened" >&2; exit 1; }

after=$(q -c "SELECT md5(string_agg(i::text, ',' ORDER BY id)) FROM items i")
read -r rows killed half nulls <<<"$(q -F ' ' -c "SELECT count(*),
    count(*) FILTER (WHERE 'killed-writer' IN (created_by, updated_by) OR 'killed-deleter' IN (updated_by, deleted_by)),
    count(*) FILTER (WHERE payload <> 0 OR deleted_at IS NOT NULL OR deleted_by IS NOT NULL),
    count(*) FILTER (WHERE created_at IS NULL OR updated_at IS NULL OR created_by IS NULL OR updated_by IS NULL)
    FROM items")"
echo "crash_recovery: rows=$rows (expected 1000) rows_of_killed_transactions=$killed half_written=$half" \
    "null_stamps=$nulls identical_to_committed=$([ "$before" = "$after" ] && echo yes || echo no)"
# the trigger still works after recovery
after_insert=$(q -c "BEGIN; SET LOCAL audit_fields.actor = 'after'; INSERT INTO items DEFAULT VALUES
    RETURNING created_by || '/' || (created_at IS NOT NULL); COMMIT;" | head -1)
echo "crash_recovery: insert after recovery stamped as: $after_insert"
if [ "$rows" != 1000 ] || [ "$killed" != 0 ] || [ "$half" != 0 ] || [ "$nulls" != 0 ] ||
    [ "$before" != "$after" ] || [ "$after_insert" != "after/true" ]; then
    echo "crash_recovery: FAILED" >&2
    exit 1
fi
echo "crash_recovery: ok"
