#!/usr/bin/env bash
# Memory safety.
# 1. The core, the CLI and both GoogleTest suites built with AddressSanitizer + UBSan
#    (-DAUDIT_FIELDS_SANITIZE=ON, in build/asan): core_tests, then integration_tests (which also
#    run the instrumented audit-fields-scan) against the cluster the PG* environment points at.
#    Any sanitizer report aborts the test binary.
# 2. The extension itself under valgrind: a throwaway cluster whose postmaster, and so every
#    backend, runs under memcheck, runs a subset of the regression suite (trust, hostile inputs,
#    the stamping and rollout tests, the scanner and the rule functions enable_schema() and
#    auto_enable call). Every process's error count must be 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build=${AUDIT_FIELDS_ASAN_BUILD:-$root/build/asan}
work=$(mktemp -d /tmp/af-sanitizers.XXXXXX)
chmod 755 "$work"
bindir=$(pg_config --bindir)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    if [ -f "$work/pg/data/postmaster.pid" ]; then
        as_postgres "$bindir/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# --- 1. ASan/UBSan: core, CLI, tests ------------------------------------------------------------
cmake -S . -B "$build" -DAUDIT_FIELDS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log"; exit 1; }
cmake --build "$build" -j"$(nproc)" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$build/core_tests" --gtest_brief=1 >"$work/core_tests.log" 2>&1 || { tail -60 "$work/core_tests.log"; exit 1; }
core=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) tests.*/\1/p' "$work/core_tests.log")
echo "sanitizers: core_tests under ASan+UBSan: ${core:-?} tests passed, no sanitizer report"
if [ -x "$build/integration_tests" ]; then
    export AUDIT_FIELDS_TEST_CONNINFO="host=${PGHOST:-127.0.0.1} port=${PGPORT:-5432} user=${PGUSER:-postgres} dbname=postgres"
    "$build/integration_tests" --gtest_brief=1 >"$work/integration.log" 2>&1 ||
        { tail -60 "$work/integration.log"; exit 1; }
    integration=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) tests.*/\1/p' "$work/integration.log")
    cli=$([ -x "$build/audit-fields-scan" ] && echo ", CLI instrumented" || echo "")
    echo "sanitizers: integration_tests under ASan+UBSan: ${integration:-?} tests passed$cli, no sanitizer report"
fi
unset ASAN_OPTIONS UBSAN_OPTIONS

# --- 2. the extension under valgrind --------------------------------------------------------------
scripts/pg_cluster.sh start "$work/pg" # initdb and configuration; restarted under valgrind below
as_postgres "$bindir/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null
mkdir -p "$work/vg"
chown postgres "$work/vg" 2>/dev/null || true
cat >"$work/valgrind.supp" <<'SUPP'
{
   postgres writes pages and WAL with padding bytes it never initialised (harmless by design)
   Memcheck:Param
   write(buf)
   fun:*
   ...
}
{
   pwrite
   Memcheck:Param
   pwrite64(buf)
   fun:*
   ...
}
{
   pwritev
   Memcheck:Param
   pwritev(vector[0])
   fun:*
   ...
}
{
   send
   Memcheck:Param
   sendto(msg)
   fun:*
   ...
}
SUPP
(cd "$work" && as_postgres valgrind --error-exitcode=99 --leak-check=no --num-callers=30 \
    --suppressions="$work/valgrind.supp" --log-file="$work/vg/vg.%p.log" \
    "$bindir/postgres" -D "$work/pg/data" >"$work/valgrind-server.log" 2>&1 &)
for _ in $(seq 1 120); do
    psql -X -At -h "$work/pg" -p 5432 -U postgres -d postgres -c "SELECT 1" >/dev/null 2>&1 && break
    sleep 0.5
done
tests=$(cd sql && ls trust_roles.sql trust_pool.sql hostile_inputs.sql stamp_*.sql rollout_*.sql \
    scan_*.sql enable_schema.sql auto_enable.sql 2>/dev/null |
    sed 's/\.sql$//' | tr '\n' ' ')
if ! PGHOST=$work/pg PGPORT=5432 PGUSER=postgres make -s installcheck REGRESS="$tests" \
    REGRESS_OPTS="--dbname=af_valgrind --outputdir=$work/regress" >"$work/regress.log" 2>&1; then
    cat "$work/regress.log"
    cat "$work/regress/regression.diffs" 2>/dev/null | head -80
    echo "sanitizers: regression tests failed under valgrind" >&2
    exit 1
fi
as_postgres "$bindir/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null
processes=$(grep -l "ERROR SUMMARY" "$work"/vg/*.log | wc -l)
errors=$(cat "$work"/vg/*.log | sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' | awk '{s += $1} END {print s + 0}')
echo "sanitizers: valgrind memcheck: regression tests $tests passed; $processes server processes" \
    "checked, $errors errors"
if [ "$processes" = 0 ] || [ "$errors" != 0 ]; then
    grep -l "ERROR SUMMARY: [1-9]" "$work"/vg/*.log | head -3 | xargs -r cat | head -120
    echo "sanitizers: FAILED" >&2
    exit 1
fi
echo "sanitizers: ok"
