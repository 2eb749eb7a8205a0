#!/usr/bin/env bash
# Runs every test against a real, throwaway PostgreSQL 15 cluster:
#   pg_regress (sql/, expected/), the GoogleTest suites (core, libpq integration, CLI) and the
#   shell suites in test/suites/ (trust, faults, operations).
# Installs what it needs first (scripts/deps.sh). Exits non-zero on the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
scripts/deps.sh
step "build"
scripts/build.sh

cluster=$root/build/test-cluster
step "throwaway cluster"
scripts/pg_cluster.sh stop "$cluster" >/dev/null 2>&1 || true
scripts/pg_cluster.sh start "$cluster"
trap 'AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$cluster"' EXIT
# shellcheck disable=SC1091
source "$cluster/env"
export AUDIT_FIELDS_KEEP_CLUSTER=1

step "pg_regress"
if ! make -s installcheck; then
    cat regression.diffs >&2 || true
    exit 1
fi

step "GoogleTest (ctest)"
(cd build && ctest --output-on-failure -j2)

for suite in test/suites/*.sh; do
    [ -e "$suite" ] || continue
    step "suite $(basename "$suite")"
    bash "$suite"
done
echo
echo "all tests passed"
