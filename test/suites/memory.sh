#!/usr/bin/env bash
# No leak per row: one backend stamps over ten million rows (INSERT, UPDATE and soft DELETE, a new
# actor every transaction) and its private memory must stay flat. Measured inside the backend:
# RssAnon from /proc/self/status (heap, including C++ allocations; shared buffers excluded) and the
# total of pg_backend_memory_contexts, after two warm-up rounds and after every later round.
# Fails if either grows by more than AUDIT_FIELDS_MEMORY_MAX_KB_PER_MILLION (default 256 kB) per
# million rows stamped after the warm-up. Runs on the cluster the PG* environment points at.
# matrix: once (heavy: ten million rows)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${AUDIT_FIELDS_MEMORY_ROUNDS:-9}
limit=${AUDIT_FIELDS_MEMORY_MAX_KB_PER_MILLION:-256}
db=af_memory
work=$(mktemp -d /tmp/af-memory.XXXXXX)
cleanup() {
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null

{
    cat <<'SQL'
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION audit_fields;
CREATE UNLOGGED TABLE mem (id bigint, created_at timestamptz, updated_at timestamptz,
    deleted_at timestamptz, created_by text, created_by_name text, updated_by text,
    updated_by_name text, deleted_by text, deleted_by_name text);
SELECT audit_fields.enable('mem', soft_delete => true);
CREATE TEMP TABLE samples (round int, rows bigint, rss_anon_kb bigint, contexts_kb bigint);
CREATE FUNCTION pg_temp.sample(r int, n bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO samples SELECT r, n,
        (regexp_match(pg_read_file('/proc/self/status'), 'RssAnon:\s+(\d+)'))[1]::bigint,
        (SELECT sum(total_bytes) / 1024 FROM pg_backend_memory_contexts)
$$;
SQL
    # rounds 0 and 1 warm every cache and allocator arena up; rounds 2..N are measured
    for r in $(seq 0 "$rounds"); do
        cat <<SQL
BEGIN;
SELECT audit_fields.set_actor('round-$r-insert@example.com', 'Round $r Insert') \\g /dev/null
INSERT INTO mem (id) SELECT g FROM generate_series(1, 1000000) g;
COMMIT;
BEGIN;
SELECT audit_fields.set_actor('round-$r-update@example.com', 'Round $r Update') \\g /dev/null
UPDATE mem SET id = -id WHERE id <= 100000;
COMMIT;
BEGIN;
SELECT audit_fields.set_actor('round-$r-delete@example.com', 'Round $r Delete') \\g /dev/null
DELETE FROM mem WHERE id > 990000;
COMMIT;
TRUNCATE mem;
SELECT pg_temp.sample($r, 1110000 * ($r + 1)) \\g /dev/null
SQL
    done
    echo "\\copy (SELECT round, rows, rss_anon_kb, contexts_kb FROM samples ORDER BY round) TO '$work/samples.txt'"
} >"$work/script.sql"

start=$(date +%s)
psql -X -q -d "$db" -f "$work/script.sql" >"$work/psql.log" 2>&1 || { cat "$work/psql.log"; exit 1; }
elapsed=$(($(date +%s) - start))
awk -v limit="$limit" -v elapsed="$elapsed" '
    NR == 2 { rows0 = $2; rss0 = $3; ctx0 = $4 }
    { printf "memory:   after %9d rows stamped: RssAnon %6d kB, memory contexts %6d kB\n", $2, $3, $4
      rows = $2; rss = $3; ctx = $4 }
    END {
        million = (rows - rows0) / 1000000
        rss_rate = (rss - rss0) / million; ctx_rate = (ctx - ctx0) / million
        printf "memory: %d rows stamped in %ds; over the last %d rows RssAnon %+d kB (%.1f kB per million rows),", rows, elapsed, rows - rows0, rss - rss0, rss_rate
        printf " memory contexts %+d kB (%.1f kB per million rows)\n", ctx - ctx0, ctx_rate
        if (rss_rate > limit || ctx_rate > limit) { print "memory: FAILED (limit " limit " kB per million rows)"; exit 1 }
        print "memory: ok (flat)"
    }' "$work/samples.txt"
