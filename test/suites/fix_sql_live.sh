#!/usr/bin/env bash
# audit-fields-scan --fix-sql applied blind to a live database:
#   * a 1,000,000-row table with `timestamp without time zone` columns is converted to timestamptz
#     without a rewrite: its relfilenode is unchanged, and the values read as UTC are the same
#     instants (an index on a converted column is rebuilt: its operator class changes; the
#     migration says so);
#   * a long reader holds a lock on one table: the migration gives up on that table within
#     lock_timeout, alone (the other tables are migrated), and running the same file again once the
#     reader is gone finishes it;
#   * an existing writer that sets no actor keeps working (missing_actor => 'warn'), and is listed
#     in audit_fields.missing_actor_report; with --enforce the same writer is refused, which is why
#     it is not the default.
# Runs against the cluster scripts/test.sh started (PGHOST etc. in the environment).
set -euo pipefail
cd "$(dirname "$0")/../.."
scan=build/audit-fields-scan
db=af_fix_live
enforced_db=af_fix_live_enforce
old_db=af_fix_live_old
work=$(mktemp -d /tmp/af-fix-live.XXXXXX)
reader_pid=
cleanup() {
    [ -n "$reader_pid" ] && kill "$reader_pid" 2>/dev/null || true
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
        -c "DROP DATABASE IF EXISTS $enforced_db WITH (FORCE)" \
        -c "DROP DATABASE IF EXISTS $old_db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }
now_ms() { date +%s%3N; }
# shellcheck source=test/suites/lib/poll.sh
source test/suites/lib/poll.sh

# An application's schema, without the extension: what a team has before adopting audit_fields.
schema_sql=$(
    cat <<'SQL'
CREATE TABLE public.big (id bigint PRIMARY KEY, payload text,
    created_at timestamp NOT NULL DEFAULT now(), updated_at timestamp);
CREATE INDEX big_created_at ON public.big (created_at);
CREATE TABLE public.busy (id int PRIMARY KEY, note text, created_at timestamptz);
CREATE TABLE public.orders (id serial PRIMARY KEY, total numeric, created_at timestamptz DEFAULT now());
-- Django's own bookkeeping: `migrate` records each migration here and sets no actor.
CREATE TABLE public.django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL,
    name varchar(255) NOT NULL, applied timestamptz NOT NULL);
-- Django-style: an integer created_by_id (AF009) that the migration must map, not duplicate.
CREATE TABLE public.posts (id serial PRIMARY KEY, title text, created_at timestamptz DEFAULT now(),
    updated_at timestamptz, created_by_id integer, updated_by_id integer);
SQL
)
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" \
    >/dev/null 2>&1
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<SQL
$schema_sql
INSERT INTO public.big (id, payload, created_at, updated_at)
SELECT g, 'row ' || g, timestamp '2024-01-01' + g * interval '1 minute',
       timestamp '2024-06-01' + g * interval '1 second'
FROM generate_series(1, 1000000) g;
INSERT INTO public.busy VALUES (1, 'x', now());
SQL

rows=$(q "SELECT count(*) FROM public.big")
[ "$rows" = 1000000 ] || fail "expected 1000000 rows in public.big, got $rows"
filenode="SELECT pg_relation_filenode('public.big')"
index_filenode="SELECT pg_relation_filenode('public.big_created_at')"
file_before=$(q "$filenode")
index_before=$(q "$index_filenode")
# The instants the naive values stand for when read as UTC.
instants="SELECT sum(extract(epoch FROM created_at))::text || ' ' || sum(extract(epoch FROM updated_at))::text FROM public.big"
before=$(q "$instants")

"$scan" --dsn "dbname=$db" --fix-sql --lock-timeout 1s >"$work/fix.sql" || fail "--fix-sql exited $? (expected 0)"
for expected in "What it changes" "What writers must do" "lock_timeout = '1s'" \
    "SET LOCAL TimeZone = 'UTC';" "missing_actor => 'warn'" "converts 2 timestamp columns"; do
    grep -qF "$expected" "$work/fix.sql" || fail "migration lacks \"$expected\""
done
grep -q "USING .* AT TIME ZONE" "$work/fix.sql" && fail "the migration has a USING conversion (a rewrite)"
echo "migration: $(grep -c '^BEGIN;' "$work/fix.sql") transactions, $(wc -l <"$work/fix.sql") lines"

# A long reader: an open transaction that has read public.busy keeps its ACCESS SHARE lock. It
# would hold it far longer than the suite runs; it is ended explicitly after the first run.
psql -X -q -d "$db" -v ON_ERROR_STOP=1 \
    -c "SET application_name = 'af_long_reader'" \
    -c "BEGIN" -c "SELECT count(*) FROM public.busy" -c "SELECT pg_sleep(600)" -c "COMMIT" \
    >/dev/null 2>&1 &
reader_pid=$!
reader_holds_lock() {
    [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
            WHERE a.application_name = 'af_long_reader' AND l.relation = 'public.busy'::regclass")" = 1 ]
}
poll_until 60 "the long reader to hold its lock on public.busy" reader_holds_lock || fail "no long reader"

# Applied as the header says: psql -f, no ON_ERROR_STOP, so the busy table fails alone.
start=$(now_ms)
psql -X -q -d "$db" -f "$work/fix.sql" >"$work/apply1.out" 2>"$work/apply1.err" || true
elapsed=$(($(now_ms) - start))
echo "first run: ${elapsed} ms; errors:"
grep ERROR "$work/apply1.err" | sed 's/^/  /' || true
[ "$(grep -c 'canceling statement due to lock timeout' "$work/apply1.err")" = 1 ] ||
    fail "expected exactly one lock timeout, stderr: $(cat "$work/apply1.err")"
[ "$(grep -c ERROR "$work/apply1.err")" -le 3 ] || fail "unexpected errors: $(cat "$work/apply1.err")"
# It gave up within lock_timeout (1 s of waiting plus the other tables' catalog-only changes),
# never waiting for the reader's 600 s: a generous bound, so a busy machine does not fail it.
[ "$elapsed" -lt 60000 ] || fail "the first run took ${elapsed} ms, expected about lock_timeout (1 s)"
kill -0 "$reader_pid" 2>/dev/null || fail "the long reader did not survive the migration"
enabled=$(q "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM audit_fields.tables")
[ "$enabled" = "big,django_migrations,orders,posts" ] || fail "after the first run enabled: $enabled (busy must have failed alone)"

# No rewrite: same files, same instants.
file_after=$(q "$filenode")
[ "$file_before" = "$file_after" ] || fail "public.big was rewritten: relfilenode $file_before -> $file_after"
types=$(q "SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attname) FROM pg_attribute
           WHERE attrelid = 'public.big'::regclass AND attname IN ('created_at', 'updated_at')")
[ "$types" = "timestamp with time zone,timestamp with time zone" ] || fail "public.big columns: $types"
after=$(q "$instants")
[ "$before" = "$after" ] || fail "values changed: $before -> $after"
echo "public.big (1,000,000 rows): relfilenode $file_before unchanged, columns timestamptz, instants equal"
echo "  (index big_created_at: relfilenode $index_before -> $(q "$index_filenode"), rebuilt for its new operator class)"
grep -q "indexes on these columns are rebuilt" "$work/fix.sql" || fail "the migration does not mention the index rebuild"

# Once the reader is gone, the same file again finishes the rest; every statement is idempotent,
# so this time nothing may fail at all.
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'af_long_reader'" >/dev/null
wait "$reader_pid" || true
reader_pid=
start=$(now_ms)
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/fix.sql" >/dev/null 2>"$work/apply2.err" ||
    fail "re-run failed: $(cat "$work/apply2.err")"
echo "second run: $(($(now_ms) - start)) ms, no error"
enabled=$(q "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM audit_fields.tables")
[ "$enabled" = "big,busy,django_migrations,orders,posts" ] || fail "after the re-run enabled: $enabled"
[ "$(q "$filenode")" = "$file_before" ] ||
    fail "the re-run rewrote public.big"
"$scan" --dsn "dbname=$db" --fail-on error >"$work/rescan.txt" || fail "rescan still has errors: $(cat "$work/rescan.txt")"

# The existing writer, which sets no actor: still works, warned and recorded.
writer="INSERT INTO public.orders (total) VALUES (9.99) RETURNING created_by"
got=$(psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c "$writer" 2>"$work/writer.err") ||
    fail "the existing writer broke: $(cat "$work/writer.err")"
grep -q WARNING "$work/writer.err" || fail "the writer got no WARNING"
[ "$(head -1 <<<"$got")" = "$(q "SELECT session_user")" ] || fail "created_by is '$got', expected session_user"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "UPDATE public.big SET payload = 'changed' WHERE id = 1" \
    2>/dev/null || fail "an UPDATE without an actor broke"
# The renamed columns were mapped, not duplicated; their integer type cannot hold session_user,
# so writers without an actor leave them NULL rather than fail.
[ "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.posts'::regclass
        AND attname IN ('created_by', 'updated_by') AND NOT attisdropped")" = 0 ] ||
    fail "public.posts got a duplicate created_by/updated_by column"
[ "$(q "SELECT columns->>'created_by' FROM audit_fields.tables WHERE table_name = 'posts'")" = created_by_id ] ||
    fail "public.posts.created_by_id is not mapped"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "INSERT INTO public.posts (title) VALUES ('hello')" \
    2>"$work/posts.err" || fail "the writer of public.posts broke: $(cat "$work/posts.err")"
[ "$(psql -X -At -d "$db" -c "BEGIN" -c "SELECT audit_fields.set_actor('42')" \
    -c "INSERT INTO public.posts (title) VALUES ('by 42') RETURNING created_by_id" -c "COMMIT" | sed -n 2p)" = 42 ] ||
    fail "public.posts.created_by_id is not stamped through the map"
echo "public.posts: created_by_id/updated_by_id mapped (no duplicate column), writer without an actor works"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "INSERT INTO public.django_migrations (app, name, applied)
    VALUES ('blog', '0002_auto', now())" 2>"$work/migrate.err" ||
    fail "Django's migrate could not record its migration: $(cat "$work/migrate.err")"
echo "django_migrations: migrate records its migration without an actor"
misses=$(q "SELECT coalesce(sum(misses), 0) FROM audit_fields.missing_actor_report")
[ "$misses" -ge 3 ] || fail "missing_actor_report counts $misses misses, expected at least 3"
echo "existing writer without an actor: works, WARNING, $misses misses in missing_actor_report"

# --enforce: the same blind migration would have broken that writer (the setting's default is reject).
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $enforced_db WITH (FORCE)" \
    -c "CREATE DATABASE $enforced_db" >/dev/null 2>&1
psql -X -q -v ON_ERROR_STOP=1 -d "$enforced_db" -c "$schema_sql" >/dev/null
"$scan" --dsn "dbname=$enforced_db" --fix-sql --enforce >"$work/enforce.sql"
grep -q "missing_actor => 'warn'" "$work/enforce.sql" && fail "--enforce still enables with warn"
psql -X -q -v ON_ERROR_STOP=1 -d "$enforced_db" -f "$work/enforce.sql" >/dev/null
if psql -X -q -v ON_ERROR_STOP=1 -d "$enforced_db" -c "$writer" >/dev/null 2>"$work/enforce.err"; then
    fail "with --enforce the writer without an actor was expected to be refused"
fi
grep -q "audit_fields" "$work/enforce.err" || fail "unexpected refusal: $(cat "$work/enforce.err")"
echo "with --enforce the same writer is refused: $(grep ERROR "$work/enforce.err" | head -1)"
# A database that still has audit_fields 1.1, whose enable() knows no missing_actor: the
# migration updates the extension first.
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $old_db WITH (FORCE)" -c "CREATE DATABASE $old_db" \
    >/dev/null 2>&1
psql -X -q -v ON_ERROR_STOP=1 -d "$old_db" -c "CREATE EXTENSION audit_fields VERSION '1.1'" \
    -c "$schema_sql" >/dev/null
"$scan" --dsn "dbname=$old_db" --fix-sql >"$work/old.sql"
grep -q "^ALTER EXTENSION audit_fields UPDATE;" "$work/old.sql" || fail "1.1 is not updated first"
psql -X -q -v ON_ERROR_STOP=1 -d "$old_db" -f "$work/old.sql" >/dev/null 2>"$work/old.err" ||
    fail "the migration failed on audit_fields 1.1: $(cat "$work/old.err")"
[ "$(psql -X -At -d "$old_db" -c "SELECT e.extversion = a.default_version FROM pg_extension e
    JOIN pg_available_extensions a ON a.name = e.extname WHERE e.extname = 'audit_fields'")" = t ] ||
    fail "the extension was not updated to its default version"
echo "audit_fields 1.1 installed: the migration updates it first, then applies"
echo "fix_sql_live: ok"
