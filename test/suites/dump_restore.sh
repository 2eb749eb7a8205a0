#!/usr/bin/env bash
# pg_dump / pg_restore round trip into a fresh cluster: the per-table configuration (it lives in
# the trigger arguments) and every stamped value come back identical, partitions included, and the
# restored tables keep enforcing. Also a data-only restore into tables whose triggers already exist:
# with audit_fields.enabled = off (superuser) the values are kept; without it the trigger refuses
# rows that have no actor rather than restamping them silently.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/af-dump.XXXXXX)
chmod 755 "$work"
src_db=af_dump_src
cleanup() {
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $src_db" >/dev/null 2>&1 || true
    AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $src_db" -c "CREATE DATABASE $src_db" 2>/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$src_db" >/dev/null <<'SQL'
CREATE EXTENSION audit_fields;
CREATE SCHEMA "Billing";
CREATE TABLE "Billing"."Invoices" (id int PRIMARY KEY, amount numeric,
    created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
    created_by_email text, created_by_name text, updated_by text, updated_by_name text,
    deleted_by text, deleted_by_name text);
SELECT audit_fields.enable('"Billing"."Invoices"', column_map => '{"created_by": "created_by_email"}',
                           soft_delete => true, stamp_mode => 'fill', on_created_change => 'reject');
CREATE TABLE public.users (id int PRIMARY KEY, email text, created_at timestamp, updated_at timestamp,
    created_by uuid, updated_by uuid);
SELECT audit_fields.enable('public.users');
CREATE TABLE public.events (id int, at date, created_at timestamptz, updated_at timestamptz,
    created_by text, updated_by text) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
SELECT audit_fields.enable('public.events');
BEGIN;
SELECT audit_fields.set_actor('alice@example.com', 'Alice');
INSERT INTO "Billing"."Invoices" (id, amount) SELECT g, g * 1.5 FROM generate_series(1, 300) g;
INSERT INTO public.events SELECT g, date '2024-06-01' + g, NULL, NULL, NULL, NULL FROM generate_series(1, 400) g;
COMMIT;
BEGIN;
SELECT audit_fields.set_actor('6f1c1a9e-3b8e-4c1e-9d1e-0c6f2b7a9e10');
INSERT INTO public.users (id, email) SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 200) g;
COMMIT;
BEGIN;
SELECT audit_fields.set_actor('bob@example.com', 'Bob');
DELETE FROM "Billing"."Invoices" WHERE id % 7 = 0;
UPDATE "Billing"."Invoices" SET amount = amount + 1 WHERE id % 5 = 0;
UPDATE public.events SET at = at + 200 WHERE id % 3 = 0 AND id < 150; -- some rows move to the 2025 partition
COMMIT;
SQL

config_query="SELECT schema_name, table_name, stamp_mode, soft_delete, on_created_change, columns,
    trigger_enabled, partitioned, trigger_name FROM audit_fields.tables ORDER BY 1, 2"
trigger_query="SELECT c.oid::regclass::text, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal OR t.tgparentid <> 0 ORDER BY 1, 2"
data_query="SELECT 'invoices', md5(string_agg(t::text, ',' ORDER BY id)) FROM \"Billing\".\"Invoices\" t
    UNION ALL SELECT 'users', md5(string_agg(t::text, ',' ORDER BY id)) FROM public.users t
    UNION ALL SELECT tableoid::regclass::text, md5(string_agg(t::text, ',' ORDER BY id))
              FROM public.events t GROUP BY tableoid ORDER BY 1"
snapshot() { # database, then connection options
    local db=$1
    shift
    for query in "$config_query" "$trigger_query" "$data_query"; do
        psql -X -q -At "$@" -d "$db" -c "$query"
    done
}
snapshot "$src_db" >"$work/source.txt"
pg_dump -Fc -d "$src_db" -f "$work/dump.custom"
pg_dump -Fc --schema-only -d "$src_db" -f "$work/schema.custom"
pg_dump -Fc --data-only -d "$src_db" -f "$work/data.custom"

scripts/pg_cluster.sh start "$work/pg"
target=(-h "$work/pg" -p 5432 -U postgres) # its Unix socket (scripts/pg_cluster.sh)
createdb "${target[@]}" restored
pg_restore "${target[@]}" -d restored --exit-on-error "$work/dump.custom"
snapshot restored "${target[@]}" >"$work/restored.txt"
if ! diff -u "$work/source.txt" "$work/restored.txt"; then
    echo "dump_restore: full restore differs" >&2
    exit 1
fi
tables=$(grep -c '' <(psql -X -At -d "$src_db" -c "$config_query"))
rows=$(psql -X -At -d "$src_db" -c "SELECT (SELECT count(*) FROM \"Billing\".\"Invoices\") +
    (SELECT count(*) FROM public.users) + (SELECT count(*) FROM public.events)")
echo "dump_restore: full pg_dump -Fc / pg_restore: $tables enabled tables (partitions, column_map," \
    "fill, reject, soft delete, mixed-case names), $rows rows: configuration, triggers and data identical"

# Plain SQL: pg_dump | psql into a fresh database.
createdb "${target[@]}" plain
pg_dump -d "$src_db" | psql -X -q -v ON_ERROR_STOP=1 "${target[@]}" -d plain >/dev/null
snapshot plain "${target[@]}" >"$work/plain.txt"
if ! diff -u "$work/source.txt" "$work/plain.txt"; then
    echo "dump_restore: pg_dump | psql differs" >&2
    exit 1
fi
echo "dump_restore: plain pg_dump | psql: configuration, triggers and data identical"

stamped=$(psql -X -q -At "${target[@]}" -d restored -c "BEGIN" -c "SET LOCAL audit_fields.actor = 'after-restore'" \
    -c "INSERT INTO public.events (id, at) VALUES (9999, '2025-03-01') RETURNING created_by" -c "COMMIT" | head -1)
[ "$stamped" = after-restore ] || { echo "dump_restore: restored table not enforced ($stamped)" >&2; exit 1; }
echo "dump_restore: the restored tables enforce (a new row is stamped by $stamped)"

# Data-only restore into tables whose triggers exist.
createdb "${target[@]}" data_only
pg_restore "${target[@]}" -d data_only --exit-on-error "$work/schema.custom"
if pg_restore "${target[@]}" -d data_only --exit-on-error "$work/data.custom" 2>"$work/refused.log"; then
    echo "dump_restore: a data-only restore without an actor was stamped silently" >&2
    exit 1
fi
grep -q "no actor set" "$work/refused.log" ||
    { cat "$work/refused.log"; echo "dump_restore: unexpected error" >&2; exit 1; }
dropdb "${target[@]}" data_only
createdb "${target[@]}" data_only
pg_restore "${target[@]}" -d data_only --exit-on-error "$work/schema.custom"
PGOPTIONS="-c audit_fields.enabled=off" pg_restore "${target[@]}" -d data_only --exit-on-error "$work/data.custom"
snapshot data_only "${target[@]}" >"$work/data_only.txt"
if ! diff -u "$work/source.txt" "$work/data_only.txt"; then
    echo "dump_restore: data-only restore with audit_fields.enabled = off differs" >&2
    exit 1
fi
echo "dump_restore: data-only restore: refused without an actor (no silent restamp); identical with" \
    "PGOPTIONS='-c audit_fields.enabled=off'"
echo "dump_restore: ok"
