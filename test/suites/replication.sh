#!/usr/bin/env bash
# Logical replication between two throwaway clusters on loopback. The publisher stamps; the
# subscriber has the same table enabled, yet keeps the publisher's values untouched (the apply
# worker runs with session_replication_role = replica, so the trigger does not fire) for the
# initial copy and for streamed INSERT / UPDATE / soft DELETE / restore. Local writes on the
# subscriber are still stamped.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/af-repl.XXXXXX)
chmod 755 "$work"
cleanup() {
    [ -f "$work/sub/conninfo" ] && psql -X -q -d "$(cat "$work/sub/conninfo")" \
        -c "DROP SUBSCRIPTION IF EXISTS af_sub" >/dev/null 2>&1 || true
    for c in sub pub; do
        AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$work/$c" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
scripts/pg_cluster.sh start "$work/pub"
scripts/pg_cluster.sh start "$work/sub"
pub=$(cat "$work/pub/conninfo")
sub=$(cat "$work/sub/conninfo")
q() { local c=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$c" "$@"; }
# shellcheck source=test/suites/lib/poll.sh
source test/suites/lib/poll.sh

schema="CREATE EXTENSION audit_fields;
CREATE TABLE items (id int PRIMARY KEY, payload text,
    created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
    created_by text, created_by_name text, updated_by text, updated_by_name text,
    deleted_by text, deleted_by_name text);
SELECT audit_fields.enable('items', soft_delete => true);"
q "$pub" -c "$schema" >/dev/null
q "$sub" -c "$schema" >/dev/null
q "$pub" >/dev/null <<'SQL'
BEGIN;
SELECT audit_fields.set_actor('alice@example.com', 'Alice');
INSERT INTO items (id, payload) SELECT g, 'initial' FROM generate_series(1, 500) g;
COMMIT;
CREATE PUBLICATION af_pub FOR TABLE items;
SQL
q "$sub" -c "SET client_min_messages = warning" -c "CREATE SUBSCRIPTION af_sub CONNECTION '$pub' PUBLICATION af_pub" >/dev/null

# streamed changes, from several transactions and actors, made after the initial copy started
q "$pub" >/dev/null <<'SQL'
BEGIN;
SELECT audit_fields.set_actor('bob@example.com', 'Bob');
INSERT INTO items (id, payload) SELECT g, 'streamed' FROM generate_series(501, 800) g;
UPDATE items SET payload = 'edited by bob' WHERE id % 4 = 0;
COMMIT;
BEGIN;
SELECT audit_fields.set_actor('carol@example.com', 'Carol');
DELETE FROM items WHERE id % 10 = 0;
UPDATE items SET deleted_at = NULL WHERE id % 20 = 0;
COMMIT;
SQL
target=$(q "$pub" -c "SELECT pg_current_wal_lsn()")
query="SELECT md5(string_agg(t::text, ',' ORDER BY id)), count(*),
    count(*) FILTER (WHERE deleted_at IS NOT NULL), count(DISTINCT updated_by) FROM items t"
# Caught up: the table is synchronised, the slot has confirmed everything, and the subscriber's
# rows are the publisher's. The last is the only sure sign: the slot can confirm a position before
# the changes up to it are visible on the subscriber (seen with PostgreSQL 17 on a busy machine).
# If they never match, the comparison below fails and shows the difference.
caught_up() {
    local state replayed
    state=$(q "$sub" -c "SELECT string_agg(srsubstate::text, '') FROM pg_subscription_rel")
    replayed=$(q "$pub" -c "SELECT coalesce(bool_and(confirmed_flush_lsn >= '$target'), false)
                            FROM pg_replication_slots WHERE slot_name = 'af_sub'")
    on_pub=$(q "$pub" -F ' ' -c "$query")
    on_sub=$(q "$sub" -F ' ' -c "$query")
    [ "$state" = r ] && [ "$replayed" = t ] && [ "$on_pub" = "$on_sub" ]
}
poll_until 120 "the subscriber to catch up" caught_up || true # the comparison below reports it
read -r _ rows deleted actors <<<"$on_pub"
echo "replication: publisher rows=$rows soft_deleted=$deleted actors=$actors"
if [ "$on_pub" != "$on_sub" ]; then
    echo "replication: subscriber differs: publisher '$on_pub', subscriber '$on_sub'" >&2
    tail -20 "$work/sub/server.log" >&2
    q "$sub" -c "SELECT id, updated_by, deleted_by FROM items ORDER BY id LIMIT 5" >&2
    exit 1
fi
grep -q "no actor set" "$work/sub/server.log" &&
    { echo "replication: the subscriber's trigger fired during apply" >&2; exit 1; }
echo "replication: subscriber identical to publisher (initial copy + streamed insert/update/soft delete/restore)"

local_row=$(q "$sub" -c "BEGIN" -c "SET LOCAL audit_fields.actor = 'subscriber-local'" \
    -c "INSERT INTO items (id, payload) VALUES (100000, 'local') RETURNING created_by" -c "COMMIT" | head -1)
[ "$local_row" = subscriber-local ] || { echo "replication: local write not stamped" >&2; exit 1; }
echo "replication: a local write on the subscriber is still stamped ($local_row)"
q "$sub" -c "SET client_min_messages = warning" -c "DROP SUBSCRIPTION af_sub" >/dev/null
echo "replication: ok"
