#!/usr/bin/env bash
# The per-trigger cache forgets tables that are gone: one backend creates, enables, writes through
# (INSERT, UPDATE, soft DELETE, which also prepares the soft delete's statement) and drops 10,000
# tables, one transaction each, and its memory stays flat.
#
# PostgreSQL itself keeps about 2 kB per created-and-dropped table in this loop (negative catalog
# cache entries for the dropped tables' OIDs, whether or not any extension is loaded), so the suite
# runs the same loop twice in one backend: with audit_fields.enabled = off (the trigger is called
# and returns at once, no cache is built) and with it on. What audit_fields itself keeps is the
# difference in used memory (pg_backend_memory_contexts.used_bytes). Fails unless exactly one
# "audit_fields trigger cache" context is left at the end (the table that stays), or if the
# difference exceeds AUDIT_FIELDS_CACHE_MAX_BYTES_PER_TABLE (default 1024). Measured: about 200
# bytes per table, all of it PostgreSQL's residue from planning the soft delete's UPDATE (the same
# loop without DELETE shows no difference); the cache before this suite existed kept every entry
# and its memory context, several kB per table. Runs on the cluster the PG* environment points at.
set -euo pipefail
cd "$(dirname "$0")/../.."
tables=${AUDIT_FIELDS_CACHE_TABLES:-10000}
limit=${AUDIT_FIELDS_CACHE_MAX_BYTES_PER_TABLE:-1024}
db=af_trigger_cache
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT

start=$(date +%s)
out=$(psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -d "$db" <<SQL
SET client_min_messages = warning;
CREATE EXTENSION audit_fields;
CREATE TABLE keep (id int, created_at timestamptz, updated_at timestamptz, created_by text);
SELECT audit_fields.enable('keep') \\g /dev/null
CREATE PROCEDURE churn(n int) LANGUAGE plpgsql AS \$\$
BEGIN
    FOR i IN 1..n LOOP
        CREATE TABLE churn (id int, created_at timestamptz, updated_at timestamptz,
                            deleted_at timestamptz, created_by text, updated_by text,
                            deleted_by text);
        PERFORM audit_fields.enable('churn', soft_delete => true);
        INSERT INTO churn (id) VALUES (1);
        UPDATE churn SET id = 2;
        DELETE FROM churn;
        DROP TABLE churn;
        COMMIT;
    END LOOP;
END \$\$;
CREATE FUNCTION sample(label text) RETURNS text LANGUAGE sql AS \$\$
    SELECT format('%s %s %s', label,
        (SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'audit_fields trigger cache'),
        (SELECT sum(used_bytes) FROM pg_backend_memory_contexts))
\$\$;
SET audit_fields.actor = 'churn@example.com';
CALL churn(500);
SET audit_fields.enabled = off;
CALL churn(500);
SELECT sample('off_start');
CALL churn($tables);
SELECT sample('off_end');
SET audit_fields.enabled = on;
INSERT INTO keep (id) VALUES (1);
SELECT sample('on_start');
CALL churn($tables);
INSERT INTO keep (id) VALUES (2);
SELECT sample('on_end');
SQL
)
elapsed=$(($(date +%s) - start))
echo "$out" | awk -v limit="$limit" -v tables="$tables" -v elapsed="$elapsed" '
    { caches[$1] = $2; used[$1] = $3 }
    END {
        off = used["off_end"] - used["off_start"]; on = used["on_end"] - used["on_start"]
        per_table = (on - off) / tables
        printf "trigger_cache: %d tables created, written and dropped with audit_fields off, then on, in %ds\n", tables, elapsed
        printf "trigger_cache: used memory grew %d kB with it off (PostgreSQL), %d kB with it on: %+.0f bytes per table from audit_fields; %d cache context(s) left\n", off / 1024, on / 1024, per_table, caches["on_end"]
        if (caches["on_end"] != 1) { print "trigger_cache: FAILED (caches of dropped tables are kept)"; exit 1 }
        if (per_table > limit) { print "trigger_cache: FAILED (limit " limit " bytes per table)"; exit 1 }
        print "trigger_cache: ok (flat)"
    }'
