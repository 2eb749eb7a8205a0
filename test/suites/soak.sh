#!/usr/bin/env bash
# Bounded soak test on loopback: pgbench clients mix INSERT / UPDATE (that also tries to rewrite
# created_* and updated_*) / soft DELETE / restore on a soft-delete table for a fixed time, each
# transaction with its own random actor. Afterwards every row must satisfy the invariants in
# test/suites/soak/invariants.sql (no NULL required field, created_* never changed, updated_at >=
# created_at, every soft-deleted row names its deleter, no row carries another transaction's
# actor, no client-forged value kept). Runs on the cluster the PG* environment points at, in its
# own database. AUDIT_FIELDS_SOAK_SECONDS (default 30) and AUDIT_FIELDS_SOAK_CLIENTS (default 4).
# matrix: once (heavy: 30 s of pgbench)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=test/suites/soak
seconds=${AUDIT_FIELDS_SOAK_SECONDS:-30}
clients=${AUDIT_FIELDS_SOAK_CLIENTS:-4}
db=af_soak
work=$(mktemp -d /tmp/af-soak.XXXXXX)
cleanup() {
    [ "${AUDIT_FIELDS_SOAK_KEEP:-0}" = 1 ] ||
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
psql -X -q -d "$db" -c "ALTER DATABASE $db SET audit_fields.clock = 'transaction'" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$dir/schema.sql" >/dev/null

echo "soak: $clients clients for ${seconds}s: insert 4, update 4, soft delete 2, restore 1 (weights)"
if ! pgbench -n -d "$db" -c "$clients" -j 2 -T "$seconds" \
    -f "$dir/insert.sql@4" -f "$dir/update.sql@4" -f "$dir/delete.sql@2" -f "$dir/restore.sql@1" \
    >"$work/pgbench.log" 2>&1; then
    cat "$work/pgbench.log"
    echo "soak: pgbench failed (a client aborted on an error)" >&2
    exit 1
fi
transactions=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.log")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/pgbench.log")
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.log" | head -1)
errors=$(grep -c 'ERROR' "$work/pgbench.log" || true)

psql -X -q -At -F ' ' -d "$db" -f "$dir/invariants.sql" >"$work/invariants.txt"
stats=$(psql -X -q -At -F ' ' -d "$db" -c "SELECT count(*), count(*) FILTER (WHERE deleted_at IS NOT NULL),
    count(*) FILTER (WHERE updated_at > created_at), count(DISTINCT updated_by) FROM soak.items")
read -r rows deleted updated actors <<<"$stats"
violations=0
while read -r line; do
    count=${line##* }
    name=${line% *}
    printf 'soak:   %-40s %s\n' "$name" "$count"
    violations=$((violations + count))
done <"$work/invariants.txt"
echo "soak: transactions=$transactions failed=${failed:-0} errors=$errors tps=$tps rows=$rows" \
    "soft_deleted=$deleted updated=$updated distinct_actors=$actors violations=$violations"
if [ "$violations" != 0 ] || [ "${failed:-0}" != 0 ] || [ "$errors" != 0 ]; then
    grep ERROR "$work/pgbench.log" | head -5
    psql -X -d "$db" -c "SELECT id, writer, created_by, updated_by, deleted_by, deleted_at IS NOT NULL AS deleted,
        created_at, updated_at, inserted_at FROM soak.items
        WHERE updated_by <> writer OR updated_by_name <> writer_name OR created_by <> creator
           OR created_at <> inserted_at OR updated_at < created_at
           OR (deleted_at IS NOT NULL AND (deleted_by IS DISTINCT FROM writer))
           OR (deleted_at IS NULL AND deleted_by IS NOT NULL) LIMIT 5"
    echo "soak: FAILED" >&2
    exit 1
fi
echo "soak: ok"
