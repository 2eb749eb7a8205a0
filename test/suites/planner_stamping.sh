#!/usr/bin/env bash
# Planner stamping (audit_fields.planner_stamping) changes no result: everything below runs with the
# setting on and compares against the same work with it off, which the trigger alone does.
#
# 1. pg_regress: the whole sql/ suite, against the same expected/ files as the `regress` stage (the
#    trigger alone), on a cluster with the library in shared_preload_libraries and
#    audit_fields.planner_stamping = on in postgresql.conf. That cluster also preloads
#    pg_stat_statements and auto_explain (analyse and instrument triggers on every statement), so
#    every part below runs with other extensions' hooks before and after ours.
# 2. A generated corpus (lib/planner_stamping_corpus.py, about 3,900 statements, one transaction
#    each): every event (INSERT VALUES / SELECT / DEFAULT VALUES / ON CONFLICT DO UPDATE / DO
#    NOTHING, UPDATE touching each audit column or none, soft delete by UPDATE and by DELETE,
#    restore, MERGE with matched UPDATE / DELETE / DO NOTHING and not-matched INSERT, writable
#    CTEs, rows moved between partitions; values through sorts, aggregates, unions, sub-selects and
#    joins) on 66 tables (stamp_mode x soft_delete x on_created_change x column layouts: subsets of
#    the nine columns, timestamp / timestamptz / lower precision, text / varchar(n) / uuid / int /
#    domain actors, defaults on audit columns, column_map names, a dropped column, a mixed-case
#    schema; plain and partitioned), under changing actors (set, name missing, missing under each
#    missing_actor policy, not fitting the column, audit_fields.enabled = off). Then situations a
#    rewrite could get wrong: the trigger disabled, ENABLE ALWAYS / REPLICA under
#    session_replication_role = replica, a partition with the trigger disabled, a table partitioned
#    by created_at, plain inheritance (a child without the trigger), column privileges and row
#    security, AFTER and UPDATE OF triggers, a BEFORE STATEMENT trigger, a function in the
#    statement or a column default changing the actor, foreign key ON UPDATE CASCADE / ON DELETE
#    SET NULL, a generated column, a cursor, tables changed under a prepared plan, the
#    actor_setter_role hardening, failing statements in savepoints, clock = 'statement' (the
#    statement records its statement_timestamp() in a CTE), citext / bigint / name / char(n)
#    actors. After it, pgbench writes in each protocol (simple, extended, prepared: parameters,
#    custom and generic plans). The corpus runs in three databases: setting on and setting off in
#    the preloaded cluster, and setting on in a cluster that does not preload the library (where
#    the trigger must do everything). Compared: every statement's command tag, RETURNING rows,
#    SQLSTATE, error and warning text, then every row column by column, and the missing-actor
#    report. Timestamps are compared by class (NULL, the now() of statement k's transaction, a
#    client literal): the databases run at different times, and audit_fields.clock = 'transaction'
#    makes every stamp one of these.
# 3. Paths the rewrite cannot see, in the same corpus: COPY FROM, a table with an ON INSERT DO ALSO
#    rule, INSERT / UPDATE / DELETE through a simple view, another BEFORE ROW trigger (one that
#    changes audit columns, one that reads them), statements prepared before enable() (executed
#    after it, after an option change and after disable()), plans made with the setting off and run
#    with it on (and the other way round), PL/pgSQL, SQL and BEGIN ATOMIC functions. Then:
#    concurrent writers (a statement re-evaluated on a row another transaction changed), logical
#    replication into a subscriber with the setting on (rows arrive as the publisher wrote them),
#    and EXPLAIN ANALYZE: with the setting on, an INSERT ... SELECT, an INSERT VALUES and an UPDATE
#    of a plain enabled table run without the zz_audit_fields trigger; with it off, without
#    preloading, on the fallback paths, and for planned calls written by hand under an outer join
#    or grouping sets (rows that do not carry their value), the trigger runs. The executor's memory
#    for a statement does not grow with its rows (actor set or missing), and an UPDATE ... FROM
#    joining a row several times counts one missing actor per row, as the trigger does. The corpus
#    must also have taken the fast path (far fewer calls of the trigger function with the setting
#    on). One session takes the extension through VERSION '1.2' (no planned functions), UPDATE,
#    DROP and CREATE again.
# Every difference is shown (a unified diff, - off / + on) before the suite fails.
# AUDIT_FIELDS_KEEP_WORK=1 keeps the generated corpus and every database's output for a look.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d /tmp/af-planner-stamping.XXXXXX)
chmod 755 "$work"
cleanup() {
    [ -f "$work/pre/conninfo" ] && psql -X -q -d "$(cat "$work/pre/conninfo") dbname=ps_sub" \
        -c "DROP SUBSCRIPTION IF EXISTS ps_sub" >/dev/null 2>&1 || true
    for c in pre plain; do
        AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$work/$c" >/dev/null 2>&1 || true
    done
    if [ "${AUDIT_FIELDS_KEEP_WORK:-0}" = 1 ]; then
        echo "planner_stamping: corpus, outputs and diffs kept in $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
# shellcheck source=test/suites/lib/poll.sh
source test/suites/lib/poll.sh
fail() {
    echo "planner_stamping: $*" >&2
    exit 1
}
# A difference is reported at once, and the suite goes on to show every other one before failing.
problems=()
problem() {
    echo "planner_stamping: DIFFERENCE: $*" >&2
    problems+=("$*")
}

# No autovacuum: its snapshots decide when pages are pruned, hence the order in which a statement
# meets rows (RETURNING order, which row fails first), which must be the same in every database.
# Other extensions' hooks in the chain on both sides: pg_stat_statements (parse analysis) before,
# auto_explain (executor start, with trigger instrumentation) after.
scripts/pg_cluster.sh start "$work/pre" \
    "shared_preload_libraries = 'pg_stat_statements, audit_fields, auto_explain'" \
    "auto_explain.log_min_duration = 0" "auto_explain.log_analyze = on" "auto_explain.log_triggers = on" \
    "auto_explain.log_nested_statements = on" "auto_explain.log_level = debug1" \
    "audit_fields.planner_stamping = on" "track_functions = 'all'" "autovacuum = off"
scripts/pg_cluster.sh start "$work/plain" "audit_fields.planner_stamping = on" "autovacuum = off"
pre=$(cat "$work/pre/conninfo")
plain=$(cat "$work/plain/conninfo")
# q CONNINFO DB [psql arguments]: one psql, stopping at the first error.
q() {
    local c=$1 db=$2
    shift 2
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$c dbname=$db" "$@"
}
[ "$(q "$pre" postgres -c "SHOW audit_fields.planner_stamping")" = on ] ||
    fail "the preloaded cluster does not have audit_fields.planner_stamping = on"

# --- 1. pg_regress with the setting on -----------------------------------------------------------
# Excluded from this run only (the regress stage runs them with the setting off):
excluded=()
tests=""
for file in sql/*.sql; do
    test=$(basename "$file" .sql)
    [[ " ${excluded[*]} " == *" $test "* ]] || tests+="$test "
done
if ! (
    # shellcheck disable=SC1091
    source "$work/pre/env"
    make -s installcheck REGRESS="$tests" \
        REGRESS_OPTS="--dbname=af_planner_regression --outputdir=$work/regress" >"$work/regress.log" 2>&1
); then
    cat "$work/regress.log"
    cat "$work/regress/regression.diffs" 2>/dev/null || true
    problem "pg_regress differs with audit_fields.planner_stamping = on"
else
    echo "planner_stamping: pg_regress passed with the setting on: $(wc -w <<<"$tests") tests${excluded[*]:+ (excluded: ${excluded[*]})}"
fi

# --- 2. the generated corpus in three databases -------------------------------------------------
python3 test/suites/lib/planner_stamping_corpus.py "$work"
statements=$(cat "$work/count")
# The cluster without preloading has the setting in postgresql.conf, and its database has it
# too (ALTER DATABASE): before the library is loaded both are placeholders, which the library
# takes over when a backend loads it (values from the configuration and from a superuser's ALTER
# DATABASE are kept for a superuser-only setting).
prepare_db() { # CONNINFO DB SETTING
    q "$1" postgres -c "CREATE DATABASE $2" \
        -c "ALTER DATABASE $2 SET TimeZone = 'Asia/Kolkata'" \
        -c "ALTER DATABASE $2 SET audit_fields.clock = 'transaction'" \
        -c "ALTER DATABASE $2 SET audit_fields.planner_stamping = $3"
    q "$1" "$2" -c "SET client_min_messages = warning" -c "CREATE EXTENSION audit_fields" -f "$work/setup.sql" >/dev/null
}
prepare_db "$pre" ps_on on
prepare_db "$pre" ps_off off
prepare_db "$plain" ps_plain on
[ "$(q "$pre" ps_off -c "SHOW audit_fields.planner_stamping")" = off ] || fail "ps_off does not have the setting off"
[ "$(q "$plain" ps_plain -c "LOAD 'audit_fields'" -c "SHOW audit_fields.planner_stamping")" = on ] ||
    fail "the non-preloaded cluster does not have the setting on once the library is loaded"
# An ordinary role's session there: the library is loaded by the trigger's first call, the
# superuser's placeholder value survives without a warning, and the trigger stamps.
q "$plain" ps_plain -c "SET client_min_messages = warning" -c "CREATE ROLE ps_app LOGIN" \
    -c "CREATE TABLE np_items (id int, created_at timestamptz, updated_at timestamptz, created_by text)" \
    -c "SELECT audit_fields.enable('np_items')" -c "GRANT SELECT, INSERT ON np_items TO ps_app" >/dev/null
np_out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "$plain dbname=ps_plain user=ps_app" -c "BEGIN" \
    -c "SET LOCAL audit_fields.actor = 'app@example.com'" \
    -c "INSERT INTO np_items (id) VALUES (1) RETURNING created_by, created_at = now()" \
    -c "SHOW audit_fields.planner_stamping" -c "COMMIT" 2>&1)
[ "$np_out" = "$(printf 'app@example.com|t\non')" ] ||
    fail "an ordinary role's write without preloading (setting on): expected stamped and the setting on, got: $np_out"
echo "planner_stamping: without preloading, the setting (postgresql.conf and ALTER DATABASE, on before the" \
    "library loads) stays on for an ordinary role's session, without a warning, and the trigger stamps"

run_corpus() { # CONNINFO DB
    PGAPPNAME=planner_stamping psql -X -v ON_ERROR_STOP=0 -d "$1 dbname=$2" -f "$work/corpus.sql" \
        >"$work/$2.out" 2>"$work/$2.err" || true
}
started=$SECONDS
run_corpus "$pre" ps_on &
on_pid=$!
run_corpus "$pre" ps_off &
off_pid=$!
wait "$on_pid" "$off_pid"
run_corpus "$plain" ps_plain
# Then pgbench, in each of its protocols (simple; extended: unnamed statements with parameters;
# prepared: named ones, past the five custom plans into the generic plan).
for db in ps_off ps_on ps_plain; do
    conn=$pre
    [ $db = ps_plain ] && conn=$plain
    for protocol in simple extended prepared; do
        pgbench -n -t 12 -M $protocol -f "$work/pgbench_$protocol.sql" "$conn dbname=$db" \
            >"$work/pgbench_${db}_$protocol.log" 2>&1 ||
            fail "pgbench ($protocol) in $db failed: $(cat "$work/pgbench_${db}_$protocol.log")"
    done
done
echo "planner_stamping: corpus of $statements statements run in 3 databases, and pgbench in its three" \
    "protocols, in $((SECONDS - started)) s"

# Error details may quote a failing row, whose stamps differ between databases by their value.
normalise() {
    sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([+-][0-9]{2}(:[0-9]{2})?)?/<timestamp>/g' "$1"
}
dump() { # CONNINFO DB
    q "$1" "$2" -f "$work/dump.sql"
    q "$1" "$2" -c "SELECT 'missing_actor_report ' || row(relation, operation, role, application_name, misses)::text
                    FROM audit_fields.missing_actor_report ORDER BY 1"
}
differences=()
compare() { # WHAT FILE_OFF FILE_OTHER: shows a difference, and the suite fails after every comparison
    if ! diff -u "$2" "$3" >"$work/diff"; then
        head -n 120 "$work/diff" >&2
        differences+=("$1: $(grep -c '^[-+][^-+]' "$work/diff") lines (- off, + $(basename "$3"))")
    fi
}
# A statement's rows in sorted order: RETURNING lists them in the order the statement met them.
sort_within_statements() {
    awk '/^#[0-9]+$/ { block = substr($0, 2); printf "%09d\t0\t%s\n", block, $0; next }
         { printf "%09d\t1\t%s\n", block, $0 }' |
        LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2 -k3 | cut -f3-
}
for db in ps_off ps_on ps_plain; do
    conn=$pre
    [ $db = ps_plain ] && conn=$plain
    normalise "$work/$db.out" | sort_within_statements >"$work/$db.out.n"
    normalise "$work/$db.err" >"$work/$db.err.n"
    dump "$conn" $db >"$work/$db.rows"
done
[ "$(grep -c '^#' "$work/ps_off.out.n")" = "$statements" ] || fail "the corpus did not run to its end"
for db in ps_on ps_plain; do
    compare "command results and RETURNING rows" "$work/ps_off.out.n" "$work/$db.out.n"
    compare "SQLSTATEs, errors and warnings" "$work/ps_off.err.n" "$work/$db.err.n"
    compare "rows" "$work/ps_off.rows" "$work/$db.rows"
done
rows=$(grep -vc '^missing_actor_report' "$work/ps_off.rows")
failed=$(awk '$1 == "sqlstate" && $2 != "00000"' "$work/ps_off.err.n" | wc -l)
warnings=$(grep -c 'WARNING' "$work/ps_off.err.n" || true)
stamped=$(grep -o 'now@[0-9]*' "$work/ps_off.rows" | wc -l)
if [ "$rows" -lt 1000 ] || [ "$stamped" -lt 1000 ]; then
    fail "too few rows ($rows) or stamps ($stamped) to prove anything"
fi
# The corpus really took the fast path: far fewer trigger calls with the setting on.
calls() { # DB FUNCTION
    q "$pre" "$1" -c "SELECT pg_stat_force_next_flush()" >/dev/null 2>&1 || true
    q "$pre" "$1" -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions
                      WHERE schemaname = 'audit_fields' AND funcname = '$2'"
}
poll_until 10 "function statistics" test "$(calls ps_off stamp)" -gt 0 || true
trigger_off=$(calls ps_off stamp)
trigger_on=$(calls ps_on stamp)
planned_on=$(($(calls ps_on planned_stamp) + $(calls ps_on planned_from_old)))
echo "planner_stamping: trigger calls: $trigger_off with the setting off, $trigger_on with it on" \
    "(and $planned_on planned calls)"
if [ "$trigger_off" -eq 0 ] || [ $((trigger_on * 10)) -gt $((trigger_off * 7)) ] || [ "$planned_on" -eq 0 ]; then
    problem "the corpus hardly took the fast path: $trigger_on trigger calls on, $trigger_off off"
fi
if [ ${#differences[@]} = 0 ]; then
    echo "planner_stamping: identical with the setting off, on, and on without preloading: $statements statements" \
        "($failed failed with an error, $warnings warnings), $rows rows column by column ($stamped stamps" \
        "equal to a transaction's now()), the missing-actor report"
else
    problem "the corpus ($statements statements, $rows rows) differs: $(printf '%s; ' "${differences[@]}")"
fi

# --- 3. fallback paths: stamped, and by the trigger --------------------------------------------
# Every row the fallback statements wrote with an actor is stamped (and, above, equal to the off run).
unstamped=$(q "$pre" ps_on -c "
    SELECT string_agg(format('%s %s', t, id), ', ') FROM (
        SELECT 'fb_copy' AS t, id, created_at, updated_by FROM fb_copy
        UNION ALL SELECT 'fb_rule', id, created_at, updated_by FROM fb_rule
        UNION ALL SELECT 'fb_rule_log', id, created_at, updated_by FROM fb_rule_log
        UNION ALL SELECT 'fb_view', id, created_at, updated_by FROM fb_view
        UNION ALL SELECT 'fb_mallory', id, created_at, updated_by FROM fb_mallory
        UNION ALL SELECT 'fb_prep', id, created_at, updated_by FROM fb_prep WHERE id BETWEEN 2 AND 11
        UNION ALL SELECT 'fb_prep_off', id, created_at, updated_by FROM fb_prep_off
        UNION ALL SELECT 'fb_fn', id, created_at, updated_by FROM fb_fn) AS r
    WHERE created_at IS NULL OR updated_by IS NULL")
[ -z "$unstamped" ] || problem "fallback rows left unstamped with the setting on: $unstamped"
[ "$(q "$pre" ps_on -c "SELECT count(*) FROM fb_mallory WHERE created_by = 'mallory'")" = 2 ] ||
    problem "the other BEFORE trigger's created_by was not kept in fill mode"

# EXPLAIN ANALYZE of STATEMENT in DB (rolled back): does the zz_audit_fields trigger run?
trigger_runs() { # CONNINFO DB STATEMENT [PRELUDE]
    local plan
    plan=$(q "$1" "$2" -c "BEGIN" -c "SET LOCAL audit_fields.actor = 'explain@example.com'" ${4:+-c "$4"} \
        -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $3" -c "ROLLBACK")
    grep -q 'Trigger zz_audit_fields' <<<"$plan"
}
expect_trigger() { # yes|no CONNINFO DB STATEMENT [PRELUDE]
    local want=$1
    shift
    if trigger_runs "$@"; then
        [ "$want" = yes ] || problem "$2: the trigger still runs with the setting on: $3"
    else
        [ "$want" = no ] || problem "$2: the trigger did not run: $3"
    fi
}
explain_table="CREATE TABLE ex_plain (id int PRIMARY KEY, payload text, created_at timestamptz,
                       updated_at timestamptz, created_by text, updated_by text);
SELECT audit_fields.enable('ex_plain');
INSERT INTO ex_plain (id, payload, created_by, updated_by) SELECT g, 'x', 'seed', 'seed'
FROM generate_series(1, 10) AS g;"
q "$pre" ps_on -c "SET audit_fields.actor = 'seed'" -c "$explain_table" >/dev/null
q "$pre" ps_off -c "SET audit_fields.actor = 'seed'" -c "$explain_table" >/dev/null
q "$plain" ps_plain -c "SET audit_fields.actor = 'seed'" -c "$explain_table" >/dev/null
before=${#problems[@]}
fast=("INSERT INTO ex_plain (id, payload) SELECT g, 'explained' FROM generate_series(100, 109) AS g"
    "INSERT INTO ex_plain (id, payload) VALUES (200, 'a'), (201, 'b')"
    "UPDATE ex_plain SET payload = 'explained' WHERE id <= 5")
for statement in "${fast[@]}"; do
    expect_trigger no "$pre" ps_on "$statement"
    expect_trigger yes "$pre" ps_off "$statement"
    expect_trigger yes "$plain" ps_plain "$statement"
done
# A partition keeps the trigger (it sees rows moving between partitions).
partitioned=$(q "$pre" ps_on -c "SELECT min(relname) FROM pg_class WHERE relkind = 'p' AND relname LIKE 'p%'")
expect_trigger yes "$pre" ps_on "UPDATE $partitioned SET payload = 'explained'"
# Rules, views, another BEFORE trigger, a plan prepared with the setting off.
expect_trigger yes "$pre" ps_on "INSERT INTO fb_rule (id, payload) VALUES (100, 'explained')"
expect_trigger yes "$pre" ps_on "INSERT INTO fb_view_v (id, payload) VALUES (100, 'explained')"
expect_trigger yes "$pre" ps_on "UPDATE fb_view_v SET payload = 'explained'"
expect_trigger yes "$pre" ps_on "INSERT INTO fb_mallory (id, payload) VALUES (100, 'explained')"
expect_trigger yes "$pre" ps_on "UPDATE fb_mallory SET payload = 'explained'"
expect_trigger yes "$pre" ps_on "EXECUTE prepared_off" \
    "SET LOCAL audit_fields.planner_stamping = off; PREPARE prepared_off AS INSERT INTO fb_prep_off (id, payload) VALUES (100, 'explained'); SET LOCAL audit_fields.planner_stamping = on"
expect_trigger no "$pre" ps_on "EXECUTE prepared_on" \
    "PREPARE prepared_on AS INSERT INTO fb_prep_off (id, payload) VALUES (100, 'explained')"
# Planned calls written by hand where a row may not carry their value: under the null-extended
# side of an outer join, or in a grouping column that grouping sets null. The check at start must
# not take them for the plan's stamps (the rows would keep NULLs). Judged with the setting off in
# a backend that planned a statement (so the rewrite leaves the hand-written calls alone).
calls=$(q "$pre" ps_on -c "EXPLAIN (VERBOSE, COSTS OFF) INSERT INTO ex_plain (id) VALUES (1)" |
    grep -o "audit_fields.planned_stamp('[0-9]*'::bigint, NULL::[a-z ]*)" | paste -sd '|')
IFS='|' read -r call_ca call_ua call_cb call_ub <<<"$calls"
[ -n "$call_ub" ] || problem "no planned calls in EXPLAIN VERBOSE of an INSERT: $calls"
hand_calls="$call_ca AS a, $call_ua AS b, $call_cb AS c, $call_ub AS d"
by_hand="EXPLAIN INSERT INTO ex_plain (id) VALUES (1); SET LOCAL audit_fields.planner_stamping = off"
expect_trigger yes "$pre" ps_on "INSERT INTO ex_plain (id, created_at, updated_at, created_by, updated_by)
    SELECT g, s.a, s.b, s.c, s.d FROM generate_series(300, 301) AS g LEFT JOIN (SELECT $hand_calls) AS s ON g < 0" \
    "$by_hand"
expect_trigger yes "$pre" ps_on "INSERT INTO ex_plain (id, payload, created_at, updated_at, created_by, updated_by)
    SELECT i, p, a, b, c, d FROM (SELECT 400 AS i, 'x'::text AS p, $hand_calls) AS s
    GROUP BY GROUPING SETS ((i, p, a, b, c, d), (i, p))" "ALTER TABLE ex_plain DROP CONSTRAINT ex_plain_pkey; $by_hand"
[ ${#problems[@]} != "$before" ] ||
    echo "planner_stamping: EXPLAIN ANALYZE: the fast path skips the trigger for INSERT ... SELECT, INSERT VALUES" \
    "and UPDATE; the trigger runs with the setting off, without preloading, on partitions, rules, views," \
    "beside another BEFORE trigger, for a plan prepared with the setting off and for planned calls" \
    "written by hand under an outer join or grouping sets"

# --- memory: a statement's planned calls keep no copy per row -----------------------------------
# The executor's memory for the statement, read by an AFTER STATEMENT trigger, must not grow with
# the rows written, with the actor set or missing (session_user written instead).
statement_memory() { # PRELUDE ROWS
    q "$pre" ps_on -c "BEGIN" -c "$1" -c "
        CREATE TEMP TABLE mem_src AS SELECT g AS id FROM generate_series(1, $2) AS g;
        CREATE TABLE mem_rows (id int, payload text, created_at timestamptz, updated_at timestamptz,
                               created_by text, updated_by text);
        SELECT audit_fields.enable('mem_rows', missing_actor => 'session_user');
        CREATE TEMP TABLE mem_seen (bytes bigint);
        CREATE FUNCTION pg_temp.mem_note() RETURNS trigger LANGUAGE plpgsql AS \$\$
        BEGIN
            INSERT INTO mem_seen SELECT sum(total_bytes) FROM pg_backend_memory_contexts
            WHERE name = 'ExecutorState';
            RETURN NULL;
        END \$\$;
        CREATE TRIGGER mem_note AFTER INSERT ON mem_rows FOR EACH STATEMENT
            EXECUTE FUNCTION pg_temp.mem_note();" \
        -c "INSERT INTO mem_rows (id) SELECT id FROM mem_src" -c "SELECT bytes FROM mem_seen" -c "ROLLBACK" |
        tail -n 1
}
for actor in "SET LOCAL audit_fields.actor = 'memory'" "SET LOCAL audit_fields.actor = ''"; do
    small=$(statement_memory "$actor" 1000)
    large=$(statement_memory "$actor" 100000)
    [[ $small =~ ^[0-9]+$ && $large =~ ^[0-9]+$ ]] || problem "no executor memory figures: '$small' '$large'"
    [ $((large - small)) -lt 1000000 ] ||
        problem "with \"$actor\", 100,000 rows took $((large - small)) bytes more executor memory than 1,000"
done

# --- UPDATE ... FROM joining a row to several rows: updated once, one miss counted ----------------
misses_of_update_from() { # DB
    q "$pre" "$1" -c "SET client_min_messages = error" -c "
        CREATE TABLE uf_rows (id int PRIMARY KEY, payload text, created_at timestamptz,
                              updated_at timestamptz, created_by text, updated_by text);
        SELECT audit_fields.enable('uf_rows', missing_actor => 'warn');
        SET audit_fields.actor = 'seed';
        INSERT INTO uf_rows (id) VALUES (1), (2);
        SELECT audit_fields.reset_missing_actor_report('uf_rows');
        RESET audit_fields.actor;" >/dev/null
    q "$pre" "$1" -c "SET client_min_messages = error" -c "UPDATE uf_rows SET payload = 'joined'
        FROM (VALUES (1), (1), (1), (2)) AS v(id) WHERE uf_rows.id = v.id" \
        -c "SELECT coalesce(sum(misses), 0) FROM audit_fields.missing_actor_report WHERE table_name = 'uf_rows'"
}
uf_off=$(misses_of_update_from ps_off)
uf_on=$(misses_of_update_from ps_on)
[ "$uf_off" = 2 ] && [ "$uf_on" = "$uf_off" ] ||
    problem "UPDATE ... FROM with a row joined three times: $uf_off misses counted with the setting off, $uf_on on"

# --- the extension's lifecycle in one session: installed at an older version, updated, dropped,
# created again. The planned functions' OIDs are cached per backend: every step must notice.
before=${#problems[@]}
q "$pre" postgres -c "CREATE DATABASE ps_lifecycle" >/dev/null
lifecycle=$(q "$pre" ps_lifecycle 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE TABLE life (id int PRIMARY KEY, payload text, created_at timestamptz, updated_at timestamptz,
                   created_by text, updated_by text);
INSERT INTO life (id) VALUES (1);                 -- no extension in this database
CREATE EXTENSION audit_fields VERSION '1.2';      -- without the planned functions
SELECT audit_fields.enable('life');
SET audit_fields.actor = 'life@example.com';
INSERT INTO life (id) VALUES (2);
\echo explain at 1.2
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) UPDATE life SET payload = '1.2' WHERE id = 2;
ALTER EXTENSION audit_fields UPDATE;
INSERT INTO life (id) VALUES (3);
\echo explain after the update
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) UPDATE life SET payload = 'updated' WHERE id = 3;
DROP EXTENSION audit_fields CASCADE;
INSERT INTO life (id) VALUES (4);
UPDATE life SET payload = 'dropped' WHERE id = 4;
CREATE EXTENSION audit_fields;
SELECT audit_fields.enable('life');
INSERT INTO life (id) VALUES (5);
\echo explain after CREATE again
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) UPDATE life SET payload = 'again' WHERE id = 5;
\echo rows
SELECT 'row ' || id, coalesce(created_by, 'NULL'), coalesce(updated_by, 'NULL'), coalesce(payload, 'NULL')
FROM life ORDER BY id;
SQL
) || problem "the extension's lifecycle in one session failed: $lifecycle"
expected_rows="row 1|NULL|NULL|NULL
row 2|life@example.com|life@example.com|1.2
row 3|life@example.com|life@example.com|updated
row 4|NULL|NULL|dropped
row 5|life@example.com|life@example.com|again"
[ "$(grep '^row ' <<<"$lifecycle")" = "$expected_rows" ] ||
    problem "rows through the extension's lifecycle: expected $expected_rows, got $(grep '^row ' <<<"$lifecycle")"
# The trigger line of the three EXPLAINs: 1.2 has no planned functions (the trigger runs); after
# the update and after the new CREATE EXTENSION the fast path works.
triggered=$(awk '/^explain / { step = $0 } /^rows$/ { step = "" }
                 /Trigger zz_audit_fields/ && step != "" { print step }' <<<"$lifecycle")
[ "$triggered" = "explain at 1.2" ] ||
    problem "EXPLAIN through the extension's lifecycle: expected the trigger at 1.2 only, got '$triggered': $lifecycle"
[ ${#problems[@]} != "$before" ] ||
    echo "planner_stamping: one session through CREATE EXTENSION VERSION '1.2', UPDATE, DROP and CREATE: stamped" \
        "by the trigger at 1.2, by the plan after, nothing after DROP"

# --- concurrent writers: a statement that waited for another transaction's row -------------------
# READ COMMITTED re-evaluates the plan on the newest row version (EvalPlanQual): the planned calls
# must read that OLD, as the trigger does. Writer B's transaction starts first (its now() is
# earlier); A changes the row and commits while B's statement waits for it; B's stamps then never
# go back before A's. Each round runs in both databases; the rows and B's results are compared.
concurrent() { # DB
    local conn="$pre dbname=$1" round=0 a_statement b_statement
    q "$pre" "$1" -c "SET client_min_messages = warning" -c "CREATE EXTENSION dblink" -c "
        CREATE TABLE c_epq (id int PRIMARY KEY, payload text, created_at timestamptz, updated_at timestamptz,
                            created_by text, updated_by text);
        SELECT audit_fields.enable('c_epq');" >/dev/null
    q "$pre" "$1" -c "BEGIN" -c "SET LOCAL audit_fields.actor = 'seed'" \
        -c "INSERT INTO _ps_now VALUES (9000, now())" -c "INSERT INTO c_epq (id) VALUES (1), (2)" -c "COMMIT"
    while IFS='|' read -r a_statement b_statement; do
        round=$((round + 1))
        q "$pre" "$1" -v conn="$conn" -v kb=$((9000 + 2 * round - 1)) -v ka=$((9000 + 2 * round)) \
            -v a="$a_statement" -v b="$b_statement" <<'SQL'
\o /dev/null
SELECT dblink_connect('b', :'conn');
SELECT dblink_exec('b', 'BEGIN');
SELECT dblink_exec('b', 'SET LOCAL audit_fields.actor = ''writer-b''');
SELECT dblink_exec('b', format('INSERT INTO _ps_now VALUES (%s, now())', :'kb'));
BEGIN;
SET LOCAL audit_fields.actor = 'writer-a';
INSERT INTO _ps_now VALUES (:'ka', now());
:a;
SELECT dblink_send_query('b', :'b');
DO $$
BEGIN
    FOR i IN 1..1200 LOOP
        PERFORM pg_stat_clear_snapshot();
        PERFORM 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '% c_epq %';
        EXIT WHEN FOUND;
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;
COMMIT;
\o
SELECT 'b: ' || status FROM dblink_get_result('b') AS r(status text);
\o /dev/null
SELECT * FROM dblink_get_result('b') AS r(status text); -- the empty result that ends the query
SELECT dblink_exec('b', 'COMMIT');
SELECT dblink_disconnect('b');
SQL
    done <<'ROUNDS'
UPDATE c_epq SET payload = 'a' WHERE id = 1|UPDATE c_epq SET payload = 'b' WHERE id = 1
INSERT INTO c_epq (id, payload) VALUES (3, 'a inserted')|INSERT INTO c_epq (id, payload) VALUES (3, 'b') ON CONFLICT (id) DO UPDATE SET payload = 'b upsert'
UPDATE c_epq SET payload = 'a', created_by = 'mallory' WHERE id = 2|UPDATE c_epq SET payload = payload || ' b' WHERE id IN (1, 2, 3)
UPDATE c_epq SET payload = 'a again' WHERE id = 3|MERGE INTO c_epq t USING (VALUES (3), (4)) s(id) ON t.id = s.id WHEN MATCHED THEN UPDATE SET payload = 'b merge' WHEN NOT MATCHED THEN INSERT (id, payload) VALUES (s.id, 'b merge')
ROUNDS
    q "$pre" "$1" -c "SELECT row(id, payload, _ps_class(created_at), _ps_class(updated_at), created_by, updated_by)::text
                      FROM c_epq ORDER BY id"
}
before=${#problems[@]}
concurrent ps_off >"$work/epq_off"
concurrent ps_on >"$work/epq_on"
if ! diff -u "$work/epq_off" "$work/epq_on" >&2; then
    problem "rows written by a statement that waited for another transaction differ (- off, + on)"
fi
grep -q 'now@9008' "$work/epq_off" || problem "the concurrent rounds did not run as planned: $(cat "$work/epq_off")"
[ ${#problems[@]} != "$before" ] ||
    echo "planner_stamping: concurrent writers (UPDATE, ON CONFLICT DO UPDATE, MERGE re-evaluated on a newer row):" \
        "identical: $(tr '\n' ' ' <"$work/epq_on")"

# --- logical replication into a subscriber with the setting on ---------------------------------
before=${#problems[@]}
schema="CREATE EXTENSION audit_fields;
CREATE TABLE items (id int PRIMARY KEY, payload text,
    created_at timestamptz, updated_at timestamptz, deleted_at timestamptz,
    created_by text, created_by_name text, updated_by text, updated_by_name text,
    deleted_by text, deleted_by_name text);
SELECT audit_fields.enable('items', soft_delete => true);"
q "$plain" postgres -c "CREATE DATABASE ps_pub" >/dev/null
q "$pre" postgres -c "CREATE DATABASE ps_sub" >/dev/null
q "$plain" ps_pub -c "$schema" >/dev/null
q "$pre" ps_sub -c "$schema" >/dev/null
q "$plain" ps_pub >/dev/null <<'SQL'
BEGIN;
SELECT audit_fields.set_actor('publisher-alice@example.com', 'Alice');
INSERT INTO items (id, payload) SELECT g, 'initial' FROM generate_series(1, 300) g;
COMMIT;
CREATE PUBLICATION ps_pub FOR TABLE items;
SQL
q "$pre" ps_sub -c "SET client_min_messages = warning" \
    -c "CREATE SUBSCRIPTION ps_sub CONNECTION '$plain dbname=ps_pub' PUBLICATION ps_pub" >/dev/null
q "$plain" ps_pub >/dev/null <<'SQL'
BEGIN;
SELECT audit_fields.set_actor('publisher-bob@example.com', 'Bob');
INSERT INTO items (id, payload) SELECT g, 'streamed' FROM generate_series(301, 500) g;
UPDATE items SET payload = 'edited by bob', created_by = 'mallory' WHERE id % 4 = 0;
INSERT INTO items (id, payload) VALUES (1, 'upsert') ON CONFLICT (id) DO UPDATE SET payload = excluded.payload;
COMMIT;
BEGIN;
SELECT audit_fields.set_actor('publisher-carol@example.com', 'Carol');
DELETE FROM items WHERE id % 10 = 0;
UPDATE items SET deleted_at = NULL WHERE id % 20 = 0;
MERGE INTO items t USING (VALUES (2), (501)) s(id) ON t.id = s.id
    WHEN MATCHED THEN UPDATE SET payload = 'merged' WHEN NOT MATCHED THEN INSERT (id, payload) VALUES (s.id, 'merged');
COMMIT;
SQL
target=$(q "$plain" ps_pub -c "SELECT pg_current_wal_lsn()")
query="SELECT md5(string_agg(t::text, ',' ORDER BY id)), count(*), count(DISTINCT updated_by) FROM items t"
caught_up() {
    local state replayed
    state=$(q "$pre" ps_sub -c "SELECT string_agg(srsubstate::text, '') FROM pg_subscription_rel")
    replayed=$(q "$plain" ps_pub -c "SELECT coalesce(bool_and(confirmed_flush_lsn >= '$target'), false)
                                     FROM pg_replication_slots WHERE slot_name = 'ps_sub'")
    on_pub=$(q "$plain" ps_pub -F ' ' -c "$query")
    on_sub=$(q "$pre" ps_sub -F ' ' -c "$query")
    [ "$state" = r ] && [ "$replayed" = t ] && [ "$on_pub" = "$on_sub" ]
}
poll_until 120 "the subscriber to catch up" caught_up || true # the comparison below reports it
if [ "$on_pub" != "$on_sub" ]; then
    tail -20 "$work/pre/server.log" >&2
    problem "the subscriber (setting on) differs from the publisher: '$on_pub' vs '$on_sub'"
fi
[ "$(q "$pre" ps_sub -c "SHOW audit_fields.planner_stamping")" = on ] || fail "the subscriber's setting is not on"
local_row=$(q "$pre" ps_sub -c "BEGIN" -c "SET LOCAL audit_fields.actor = 'subscriber-local'" \
    -c "INSERT INTO items (id, payload) VALUES (100000, 'local') RETURNING created_by" -c "COMMIT" | head -1)
[ "$local_row" = subscriber-local ] || problem "a local write on the subscriber was not stamped"
expect_trigger no "$pre" ps_sub "UPDATE items SET payload = 'local' WHERE id = 100000"
read -r _ rows _ <<<"$on_pub"
[ ${#problems[@]} != "$before" ] ||
    echo "planner_stamping: logical replication: the subscriber (setting on) holds the publisher's $rows rows unchanged"
if [ ${#problems[@]} -gt 0 ]; then
    printf 'planner_stamping: FAILED: %s\n' "${problems[@]}" >&2
    exit 1
fi
echo "planner_stamping: ok"
