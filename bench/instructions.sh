#!/usr/bin/env bash
# Per-row cost of audit stamping in CPU instructions, counted by callgrind. Unlike wall-clock time
# (bench/overhead.sh) the count does not depend on what else the machine is doing, so small changes
# to the trigger show up and two runs agree to well under 0.1 %.
#
# Variants (as in bench/overhead.sh):
#   none          no trigger; the statement itself supplies every audit value
#   noop          a C trigger that returns the row unchanged: the floor any row trigger pays
#   plpgsql       a PL/pgSQL trigger doing audit_fields' job (force mode)
#   moddatetime   contrib's moddatetime on updated_at (UPDATE only)
#   audit_fields  audit_fields.enable() with the defaults
#   planner       the same tables, with audit_fields.planner_stamping = on: the statement's plan
#                 writes the stamps and the row trigger is dropped from the statement where that
#                 is provably equivalent (COPY is not planned, so there the trigger still runs)
# Statements, each on a table with a bigint primary key and the nine audit columns:
#   INSERT … SELECT of N rows, UPDATE of all N rows, COPY FROM a file of N rows, and K executions
#   of a one-row prepared INSERT and a one-row prepared UPDATE (by primary key).
#
# How the statement is isolated: the whole session runs in a single-user backend
# (postgres --single) under valgrind --tool=callgrind --instr-atstart=no, so nothing is counted
# until bench_callgrind_start() (bench/floor/callgrind_marks.c) turns instrumentation on and zeroes
# the counters; bench_callgrind_stop(label) dumps them. Each statement is measured twice, with N
# and 2N rows (K and 2K executions) on fresh tables of the same shape, after an unmeasured warm-up
# of the same statement in the same transaction; the per-row figure is (I(2N) - I(N)) / N, so
# parsing, planning, executor start-up, the trigger's per-statement set-up, the markers' own
# statements and the transaction's commit all cancel out. What remains is the marginal cost of one
# row. There is no client, socket or background process in the measurement.
#
# Planner stamping needs the library preloaded, and a preloaded library's hooks run for every
# statement, so the planner variant runs in a second backend, started with shared_preload_libraries
# = audit_fields (which --single honours), from its own copy of the prepared data directory. The
# other variants run in a backend without it, exactly as before the planner variant existed. After
# the planner variant's statements, its backend checks with EXPLAIN ANALYZE that audit_fields' row
# trigger runs with planner stamping off and does not run with it on.
#
# Usage: bench/instructions.sh [ROWS] [EXECS] [RUNS]   (defaults 5000, 2000 and 2)
# AUDIT_FIELDS_BENCH_KEEP=1 keeps the callgrind dumps (one per measured statement, named by its
# label in the "desc:" line) for callgrind_annotate, to see where a variant's instructions go.
# Every run starts from a copy of the same prepared data directory; the table lists each run's
# figures and the largest difference between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-5000}
execs=${2:-2000}
runs=${3:-2}

# shellcheck source=scripts/pg_env.sh
source scripts/pg_env.sh # this checkout's private PostgreSQL: PATH, PG_CONFIG
scripts/deps.sh
scripts/build.sh
make -s -C bench/floor >/dev/null && make -s -C bench/floor install >/dev/null
bindir=$AF_PGBIN

work=$(mktemp -d /tmp/audit-fields-instructions.XXXXXX)
chmod 777 "$work" # the server (the postgres user) reads the COPY files and writes callgrind's
cluster=$work/cluster
cleanup() {
    scripts/pg_cluster.sh stop "$cluster" >/dev/null 2>&1 || true
    if [ "${AUDIT_FIELDS_BENCH_KEEP:-0}" = 1 ]; then
        echo "instructions: callgrind dumps kept in $work/run*/ (callgrind_annotate FILE)" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Settings for both the set-up server and the measured backend: no JIT (its compile would be
# counted and depends on cost estimates), everything in shared buffers, no checkpoint on the way.
settings=("jit = off" "shared_buffers = '512MB'" "max_wal_size = '8GB'" "autovacuum = off")

echo "instructions: preparing tables ($rows rows, $execs executions)" >&2
scripts/pg_cluster.sh start "$cluster" "${settings[@]}" >/dev/null
# shellcheck disable=SC1091
source "$cluster/env"
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -f bench/overhead_setup.sql >/dev/null
PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -v execs="$execs" -v dir="$work" \
    -f bench/instructions_setup.sql >/dev/null
as_postgres "$bindir/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null
cp -a "$cluster/data" "$work/prepared"

variants=(none noop plpgsql moddatetime audit_fields planner)
kinds=(insert update copy pinsert pupdate)
declare -A kind_title=([insert]="INSERT … SELECT" [update]="UPDATE all rows" [copy]="COPY FROM"
    [pinsert]="prepared INSERT" [pupdate]="prepared UPDATE")

# moddatetime is an UPDATE trigger: on INSERT it is "none".
applies() { [ "$2" != moddatetime ] || [ "$1" = update ] || [ "$1" = pupdate ]; }
supplied() { [ "$1" = none ] || [ "$1" = noop ] || [ "$1" = moddatetime ]; }
planned() { [ "$1" = planner ]; }

insert_columns() {
    if supplied "$1"; then
        echo "(id, payload, created_at, updated_at, created_by, created_by_name, updated_by, updated_by_name)"
    else
        echo "(id, payload)"
    fi
}
insert_values() { # $1 variant, $2 the id expression
    if supplied "$1"; then
        echo "$2, 'payload', now(), now(), 'alice@example.com', 'Alice', 'alice@example.com', 'Alice'"
    else
        echo "$2, 'payload'"
    fi
}
update_set() {
    case $1 in
    none | noop) echo "payload = 'changed', updated_at = now(), updated_by = 'bob@example.com', updated_by_name = 'Bob'" ;;
    moddatetime) echo "payload = 'changed', updated_by = 'bob@example.com', updated_by_name = 'Bob'" ;;
    *) echo "payload = 'changed'" ;;
    esac
}

# The statement(s) of one kind for one variant on table suffix s ("w", "1", "2") with n rows.
statement() {
    local kind=$1 v=$2 s=$3 n=$4
    case $kind in
    insert) echo "INSERT INTO ins_${v}_$s $(insert_columns "$v") SELECT $(insert_values "$v" g) FROM generate_series(1, $n) g;" ;;
    update) echo "UPDATE upd_${v}_$s SET $(update_set "$v");" ;;
    copy)
        if supplied "$v"; then
            echo "COPY copy_${v}_$s FROM '$work/copy_full_$s.txt';"
        else
            echo "COPY copy_${v}_$s $(insert_columns "$v") FROM '$work/copy_min_$s.txt';"
        fi
        ;;
    pinsert | pupdate) for ((i = 1; i <= n; i++)); do echo "EXECUTE p$s($i);"; done ;;
    esac
}

# shellcheck disable=SC2016 # $1 is the prepared statement's parameter, not a shell variable
prepare() {
    local kind=$1 v=$2 s=$3
    case $kind in
    pinsert) echo "PREPARE p$s(bigint) AS INSERT INTO pins_${v}_$s $(insert_columns "$v") VALUES ($(insert_values "$v" '$1'));" ;;
    pupdate) echo "PREPARE p$s(bigint) AS UPDATE pupd_${v}_$s SET $(update_set "$v") WHERE id = \$1;" ;;
    esac
}

# The session of the backend without the library preloaded: every variant but planner.
trigger_session() {
    local kind v
    echo "SET client_min_messages = warning;"
    for kind in "${kinds[@]}"; do
        for v in "${variants[@]}"; do
            if ! planned "$v"; then measured_statements "$kind" "$v"; fi
        done
    done
}

# The session of the backend that preloads the library: the planner variant, then the checks.
planner_session() {
    local kind v
    echo "SET client_min_messages = warning;"
    for kind in "${kinds[@]}"; do
        for v in "${variants[@]}"; do
            if planned "$v"; then measured_statements "$kind" "$v"; fi
        done
    done
    trigger_checks
}

measured_statements() {
    local kind=$1 v=$2 n=$rows s
    applies "$kind" "$v" || return 0
    if [[ $kind == p* ]]; then n=$execs; fi
    # Before PREPARE: the rewrite happens when a statement is analysed.
    if planned "$v"; then echo "SET audit_fields.planner_stamping = on;"; fi
    for s in w 1 2; do prepare "$kind" "$v" $s; done
    echo "BEGIN;"
    if [[ $kind == *update ]]; then
        echo "SELECT audit_fields.set_actor('bob@example.com', 'Bob');"
    else
        echo "SELECT audit_fields.set_actor('alice@example.com', 'Alice');"
    fi
    statement "$kind" "$v" w 10
    echo "SELECT bench_callgrind_start();"
    statement "$kind" "$v" 1 "$n"
    echo "SELECT bench_callgrind_stop('$kind $v 1');"
    echo "SELECT bench_callgrind_start();"
    statement "$kind" "$v" 2 $((2 * n))
    echo "SELECT bench_callgrind_stop('$kind $v 2');"
    echo "COMMIT;"
    if [[ $kind == p* ]]; then echo "DEALLOCATE ALL;"; fi
    if planned "$v"; then echo "RESET audit_fields.planner_stamping;"; fi
}

# After every measurement, so nothing here changes what was counted: EXPLAIN ANALYZE (rolled
# back) on the warm-up tables shows that audit_fields' row trigger runs once per row with planner
# stamping off and not at all with it on. COPY has no EXPLAIN; its figure shows the trigger.
trigger_checks() {
    local kind v check expected
    for v in audit_fields planner; do
        if planned "$v"; then echo "SET audit_fields.planner_stamping = on;"; fi
        echo "BEGIN;"
        echo "SELECT audit_fields.set_actor('alice@example.com', 'Alice');"
        for kind in insert update pinsert pupdate; do
            case $kind in
            insert) check="INSERT INTO ins_${v}_w $(insert_columns "$v") SELECT $(insert_values "$v" g) FROM generate_series(1000001, 1000010) g" ;;
            update) check="UPDATE upd_${v}_w SET $(update_set "$v")" ;;
            pinsert) check="EXECUTE pw(1000001)" ;;
            pupdate) check="EXECUTE pw(1)" ;;
            esac
            expected=10
            if [[ $kind == p* ]]; then expected=1; fi
            if planned "$v"; then expected=0; fi
            prepare "$kind" "$v" w
            echo "SELECT bench_check_trigger_calls('$v', \$check\$$check\$check\$, $expected);"
            if [[ $kind == p* ]]; then echo "DEALLOCATE pw;"; fi
        done
        echo "COMMIT;"
        if planned "$v"; then echo "RESET audit_fields.planner_stamping;"; fi
    done
}
trigger_session >"$work/trigger_session.sql"
planner_session >"$work/planner_session.sql"

gucs=()
for s in "${settings[@]}"; do
    name=${s%% = *}
    value=${s#* = }
    gucs+=(-c "$name=${value//\'/}")
done

# One single-user backend under callgrind on a fresh copy of the prepared data directory.
# $1 the run's directory, $2 the session's name; the rest are extra server options.
run_session() {
    local dir=$1 name=$2
    shift 2
    rm -rf "$work/data" && cp -a "$work/prepared" "$work/data"
    as_postgres valgrind --tool=callgrind --instr-atstart=no --dump-instr=no \
        --callgrind-out-file="$dir/callgrind.%p" \
        "$bindir/postgres" --single -D "$work/data" "${gucs[@]}" "$@" postgres \
        <"$work/${name}_session.sql" >"$dir/$name.log" 2>"$dir/${name}_valgrind.log" ||
        { tail -n 30 "$dir/$name.log" "$dir/${name}_valgrind.log" >&2; exit 1; }
    if grep -q "ERROR:" "$dir/$name.log" "$dir/${name}_valgrind.log"; then
        grep -h -m5 -B2 "ERROR:" "$dir/$name.log" "$dir/${name}_valgrind.log" >&2
        exit 1
    fi
}

# Two backends per run; prints "kind variant instructions-per-row" lines.
measure() {
    local run=$1 dir=$work/run$1
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    echo "instructions: run $run under callgrind" >&2
    run_session "$dir" trigger
    run_session "$dir" planner -c shared_preload_libraries=audit_fields
    awk -v rows="$rows" -v execs="$execs" '
        /^desc: Trigger: Client Request: / { split(substr($0, 32), l, " "); label = l[1] " " l[2]; size = l[3] }
        /^summary: / && label != "" { count[label, size] = $2; seen[label] = 1; label = "" }
        END {
            for (k in seen) {
                split(k, p, " "); n = (p[1] ~ /^p/) ? execs : rows
                printf "%s %.1f\n", k, (count[k, 2] - count[k, 1]) / n
            }
        }' "$dir"/callgrind.*.* | sort
}

declare -A result
for ((run = 1; run <= runs; run++)); do
    measure "$run" >"$work/run$run.txt"
    while read -r kind v per_row; do
        result[$kind,$v,$run]=$per_row
    done <"$work/run$run.txt"
done

thousands() { # 15046.3 -> 15,046
    awk '{ s = sprintf("%d", $1 + 0.5); out = ""
           while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
           print s out }' <<<"$1"
}

echo
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}'): callgrind instructions per row" \
    "(per execution for the prepared statements), run 1 of $runs; $rows rows, $execs executions"
echo
header="| variant |"
rule="|---|"
for kind in "${kinds[@]}"; do
    header+=" ${kind_title[$kind]} |"
    rule+="---:|"
done
echo "$header"
echo "$rule"
for v in "${variants[@]}"; do
    line="| $v |"
    for kind in "${kinds[@]}"; do
        if ! applies "$kind" "$v"; then
            line+=" n/a |"
        elif [ "$v" = none ]; then
            line+=" $(thousands "${result[$kind,none,1]}") |"
        else
            line+=" $(awk -v x="${result[$kind,$v,1]}" -v b="${result[$kind,none,1]}" \
                'BEGIN { printf "%+.1f %%", (x / b - 1) * 100 }') |"
        fi
    done
    echo "$line"
done

echo
echo "Repeatability (instructions per row in each run; difference of the last run from the first):"
echo
header="| statement | variant |"
rule="|---|---|"
for ((run = 1; run <= runs; run++)); do
    header+=" run $run |"
    rule+="---:|"
done
echo "$header difference |"
echo "$rule---:|"
for kind in "${kinds[@]}"; do
    for v in "${variants[@]}"; do
        applies "$kind" "$v" || continue
        line="| ${kind_title[$kind]} | $v |"
        for ((run = 1; run <= runs; run++)); do
            line+=" ${result[$kind,$v,$run]} |"
        done
        line+=" $(awk -v a="${result[$kind,$v,1]}" -v b="${result[$kind,$v,$runs]}" \
            'BEGIN { printf "%+.3f %%", (b / a - 1) * 100 }') |"
        echo "$line"
    done
done
