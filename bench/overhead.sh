#!/usr/bin/env bash
# Per-row cost of audit stamping, side by side in one run on one throwaway cluster:
#   none      no trigger; the application supplies every audit value itself
#   plpgsql   a PL/pgSQL trigger doing the same job as audit_fields (force mode)
#   noop      a C trigger that returns the row unchanged: the floor every row trigger pays
#   moddatetime  contrib's moddatetime on updated_at only (reference: one column, UPDATE only)
#   audit_fields the C++ trigger
#   planner   audit_fields with audit_fields.planner_stamping = on (for that variant's connections
#             only): the plan writes the stamps and the statement runs without the row trigger
# Each statement touches ROWS rows of a table with a bigint primary key and the nine audit columns;
# every variant is run RUNS times, interleaved, and the median is reported with the overhead over
# "none". The cluster preloads the library (shared_preload_libraries), which planner stamping needs,
# for every variant alike. Usage: bench/overhead.sh [ROWS] [RUNS]   (defaults 100000 and 7)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
runs=${2:-7}

# shellcheck source=scripts/pg_env.sh
source scripts/pg_env.sh # this checkout's private PostgreSQL: PATH, PG_CONFIG
scripts/deps.sh
scripts/build.sh
# shellcheck source=scripts/pg_env.sh
source scripts/pg_env.sh # the floor module goes into this checkout's runtime, not the system's
make -s -C bench/floor >/dev/null && make -s -C bench/floor install >/dev/null
cluster=$(mktemp -d /tmp/audit-fields-bench.XXXXXX)
trap 'scripts/pg_cluster.sh stop "$cluster" >/dev/null 2>&1 || true' EXIT
scripts/pg_cluster.sh start "$cluster" "shared_buffers = '512MB'" "max_wal_size = '4GB'" \
    "autovacuum = off" "shared_preload_libraries = 'audit_fields'"
# shellcheck disable=SC1091
source "$cluster/env"
psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

psql_q -f bench/overhead_setup.sql >/dev/null

declare -A insert_ms update_ms
variants=(none noop plpgsql moddatetime audit_fields planner)
for ((run = 1; run <= runs; run++)); do
    for v in "${variants[@]}"; do
        options= # planner stamping is off unless set: only the planner variant's connection sets it
        if [ "$v" = planner ]; then options="-c audit_fields.planner_stamping=on"; fi
        read -r ins upd < <(PGOPTIONS=$options psql_q -F ' ' -c "SELECT * FROM bench_run('$v', $rows)")
        insert_ms[$v]+="$ins "
        update_ms[$v]+="$upd "
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo
echo "PostgreSQL $(psql_q -c 'SHOW server_version'), $rows rows per statement, median of $runs runs"
echo
printf '| %-13s | %11s | %8s | %11s | %8s | %9s | %9s |\n' variant "INSERT ms" "ns/row" "UPDATE ms" "ns/row" "INSERT +%" "UPDATE +%"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' --------------- ------------- ---------- ------------- ---------- ----------- -----------
base_i=$(echo "${insert_ms[none]}" | median)
base_u=$(echo "${update_ms[none]}" | median)
for v in "${variants[@]}"; do
    mi=$(echo "${insert_ms[$v]}" | median)
    mu=$(echo "${update_ms[$v]}" | median)
    awk -v v="$v" -v mi="$mi" -v mu="$mu" -v bi="$base_i" -v bu="$base_u" -v n="$rows" 'BEGIN {
        ins = (v == "moddatetime") ? "n/a" : sprintf("%+.1f%%", (mi / bi - 1) * 100);
        mis = (v == "moddatetime") ? "n/a" : sprintf("%.1f", mi);
        nsi = (v == "moddatetime") ? "n/a" : sprintf("%.0f", mi * 1e6 / n);
        printf "| %-13s | %11s | %8s | %11.1f | %8.0f | %9s | %+8.1f%% |\n",
               v, mis, nsi, mu, mu * 1e6 / n, ins, (mu / bu - 1) * 100 }'
done
