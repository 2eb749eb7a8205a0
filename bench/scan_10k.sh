#!/usr/bin/env bash
# Scanner at scale: 10,000 tables in a throwaway cluster, a realistic mix (most enabled, some
# missing the trigger, join tables without audit columns, naive timestamps, renamed columns,
# disabled triggers, ignored tables, partitioned tables with partitions), then both front ends
# timed: the audit-fields-scan CLI (whole process: connect, read catalogs, judge, print) and
# SELECT count(*) FROM audit_fields.scan() (psql \timing). RUNS runs each, median reported.
# Usage: bench/scan_10k.sh [TABLES] [RUNS]   (defaults 10000 and 5). Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tables=${1:-10000}
runs=${2:-5}
build=${AUDIT_FIELDS_BUILD_DIR:-build}
cli=$build/audit-fields-scan
cluster=${SCANBENCH_CLUSTER:-/tmp/scanbench-pg} # a checkout of its own: see scripts/pg_env.sh

# AUDIT_FIELDS_SKIP_BUILD=1 uses what is already built and installed (AUDIT_FIELDS_BUILD_DIR).
if [ "${AUDIT_FIELDS_SKIP_BUILD:-0}" != 1 ]; then
    scripts/deps.sh
    scripts/build.sh >/dev/null
fi
[ -x "$cli" ] || { echo "scan_10k.sh: $cli not built" >&2; exit 1; }
scripts/pg_cluster.sh stop "$cluster" >/dev/null 2>&1 || true
# SCANBENCH_KEEP=1 leaves the cluster running for a closer look (stop it with pg_cluster.sh stop).
[ "${SCANBENCH_KEEP:-0}" = 1 ] || trap 'scripts/pg_cluster.sh stop "$cluster" >/dev/null 2>&1 || true' EXIT
# Creating a thousand tables per transaction takes a lock on each (and its indexes).
scripts/pg_cluster.sh start "$cluster" "max_locks_per_transaction = 512" "shared_buffers = '256MB'" \
    "autovacuum = off"
# shellcheck disable=SC1091
source "$cluster/env"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

psql_q -c "CREATE DATABASE scanbench"
export PGDATABASE=scanbench
psql_q -c "CREATE EXTENSION audit_fields"

started=$(date +%s)
# One CREATE TABLE per i; every 20th i is a partitioned table with two partitions, so the
# catalog holds slightly more than $tables tables in ten schemas.
psql_q <<SQL
SET client_min_messages = warning;
DO \$\$ BEGIN FOR s IN 0..9 LOOP EXECUTE format('CREATE SCHEMA module_%s', s); END LOOP; END \$\$;
CREATE PROCEDURE make_tables(first int, last int) LANGUAGE plpgsql AS \$\$
DECLARE
    t text;
    audit text := 'created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, '
                  'created_by text, created_by_name text, updated_by text, updated_by_name text';
BEGIN
    FOR i IN first..last LOOP
        t := format('module_%s.t%s', i % 10, i);
        CASE i % 20
        WHEN 0, 1, 2, 3, 4, 5, 6, 7 THEN  -- compliant, enforced
            EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, tenant_id int, name text, amount numeric, %s)', t, audit);
            PERFORM audit_fields.enable(t);
        WHEN 8, 9 THEN                    -- soft delete
            EXECUTE format('CREATE TABLE %s (id uuid PRIMARY KEY, body jsonb, %s, deleted_at timestamptz, deleted_by text, deleted_by_name text)', t, audit);
            PERFORM audit_fields.enable(t, soft_delete => true);
        WHEN 10, 11 THEN                  -- audit columns, nothing enforces them (AF006, AF008)
            EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, status text, created_at timestamptz DEFAULT now(), updated_at timestamptz, created_by text, updated_by text)', t);
        WHEN 12 THEN                      -- timestamps only (AF002)
            EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz)', t);
            PERFORM audit_fields.enable(t);
        WHEN 13 THEN                      -- naive timestamps (AF005)
            EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, created_at timestamp, updated_at timestamp, created_by bigint, created_by_name text, updated_by bigint, updated_by_name text)', t);
            PERFORM audit_fields.enable(t);
        WHEN 14, 15 THEN                  -- join tables without audit columns (AF001, AF002)
            EXECUTE format('CREATE TABLE %s (left_id bigint, right_id bigint, PRIMARY KEY (left_id, right_id))', t);
        WHEN 16 THEN                      -- renamed columns
            EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, inserted_at timestamptz, modified_at timestamptz, author text)', t);
            PERFORM audit_fields.enable(t, column_map => '{"created_at": "inserted_at", "updated_at": "modified_at", "created_by": "author"}');
        WHEN 17 THEN                      -- trigger disabled (AF007)
            EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, %s)', t, audit);
            PERFORM audit_fields.enable(t);
            EXECUTE format('ALTER TABLE %s DISABLE TRIGGER zz_audit_fields', t);
        WHEN 18 THEN                      -- ignored
            EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, payload bytea)', t);
            EXECUTE format('COMMENT ON TABLE %s IS %L', t, 'raw import @audit_fields:ignore written by the ETL only');
        ELSE                              -- partitioned, two partitions
            EXECUTE format('CREATE TABLE %s (id bigint, at date, %s) PARTITION BY RANGE (at)', t, audit);
            PERFORM audit_fields.enable(t);
            EXECUTE format('CREATE TABLE %s_2024 PARTITION OF %s FOR VALUES FROM (''2024-01-01'') TO (''2025-01-01'')', t, t);
            EXECUTE format('CREATE TABLE %s_2025 PARTITION OF %s FOR VALUES FROM (''2025-01-01'') TO (''2026-01-01'')', t, t);
        END CASE;
        IF i % 500 = 0 THEN
            COMMIT;
        END IF;
    END LOOP;
END \$\$;
CALL make_tables(1, $tables);
DROP PROCEDURE make_tables(int, int);
ANALYZE;
SQL
created=$(( $(date +%s) - started ))
table_count=$(psql_q -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE c.relkind IN ('r', 'p') AND n.nspname LIKE 'module\_%'")
partitions=$(psql_q -c "SELECT count(*) FROM pg_class WHERE relispartition AND relkind = 'r'")

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

cli_json="" cli_text="" sql_scan="" sql_report=""
for ((run = 1; run <= runs; run++)); do
    t0=$(date +%s%N); "$cli" --format json >/tmp/scanbench.json || [ $? = 1 ]; cli_json+="$(ms_since "$t0") "
    t0=$(date +%s%N); "$cli" >/dev/null || [ $? = 1 ]; cli_text+="$(ms_since "$t0") "
    sql_scan+="$(psql -X -q -c '\timing on' -c 'SELECT count(*) FROM audit_fields.scan()' |
                 sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p') "
    sql_report+="$(psql -X -q -c '\timing on' -c 'SELECT count(*) FROM audit_fields.report' |
                   sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p') "
done
findings=$(psql_q -c "SELECT count(*) FROM audit_fields.scan()")
summary=$(tr -d ' \n' </tmp/scanbench.json | grep -o '"summary":{[^}]*}' | sed 's/^"summary"://')
rm -f /tmp/scanbench.json

echo
echo "audit_fields scanner, $table_count tables ($partitions partitions reported through their parents), created in ${created}s"
echo "summary: $summary"
echo "findings from scan(): $findings"
printf '\n%-46s %10s   %s\n' "front end" "median ms" "runs (ms)"
printf '%-46s %10s   %s\n' "audit-fields-scan --format json (process)" "$(echo "$cli_json" | median)" "$cli_json"
printf '%-46s %10s   %s\n' "audit-fields-scan (text, process)" "$(echo "$cli_text" | median)" "$cli_text"
printf '%-46s %10s   %s\n' "SELECT count(*) FROM audit_fields.scan()" "$(echo "$sql_scan" | median)" "$sql_scan"
printf '%-46s %10s   %s\n' "SELECT count(*) FROM audit_fields.report" "$(echo "$sql_report" | median)" "$sql_report"
