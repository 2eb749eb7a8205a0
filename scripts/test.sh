#!/usr/bin/env bash
# Runs the tests against a real, throwaway PostgreSQL cluster of this checkout's private runtime
# (scripts/pg_env.sh: PostgreSQL $PG_MAJOR, default 15).
#
#   bash scripts/test.sh                 every stage below, in order
#   bash scripts/test.sh STAGE...        only those stages (dependencies and build always run)
#
# Stages: regress (pg_regress: sql/, expected/), ctest (GoogleTest: core, libpq integration, CLI),
# suites (every test/suites/*.sh), suite:NAME (one suite, e.g. suite:memory).
# Installs what it needs first (scripts/deps.sh). Exits non-zero on the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg_env.sh
source scripts/pg_env.sh

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(regress ctest suites)

step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
scripts/deps.sh
step "build (PostgreSQL $PG_MAJOR)"
scripts/build.sh

cluster=$AF_RUNTIME/clusters/test
step "throwaway cluster"
scripts/pg_cluster.sh stop "$cluster" >/dev/null 2>&1 || true
scripts/pg_cluster.sh start "$cluster"
trap 'AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$cluster"' EXIT
# shellcheck disable=SC1091
source "$cluster/env"
AUDIT_FIELDS_TEST_CONNINFO=$(cat "$cluster/conninfo")
export AUDIT_FIELDS_KEEP_CLUSTER=1 AUDIT_FIELDS_TEST_CONNINFO

run_suite() {
    step "suite $(basename "$1")"
    bash "$1"
}

for stage in "${stages[@]}"; do
    case $stage in
    regress)
        step "pg_regress"
        if ! make -s installcheck; then
            cat regression.diffs >&2 || true
            exit 1
        fi
        ;;
    ctest)
        step "GoogleTest (ctest)"
        (cd build && ctest --output-on-failure -j2)
        ;;
    suites)
        for suite in test/suites/*.sh; do
            [ -e "$suite" ] || continue
            run_suite "$suite"
        done
        ;;
    suite:*)
        run_suite "test/suites/${stage#suite:}.sh"
        ;;
    *)
        echo "test.sh: unknown stage $stage (regress, ctest, suites, suite:NAME)" >&2
        exit 2
        ;;
    esac
done
echo
echo "all tests passed (${stages[*]}, PostgreSQL $PG_MAJOR)"
