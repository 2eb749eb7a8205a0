#!/usr/bin/env bash
# Trust with the library in shared_preload_libraries: the hardening then refuses a forged actor
# at SET time, also in a fresh session and in the startup packet. Runs the trust_* regression
# tests against a throwaway cluster started that way (expected/trust_placeholder_1.out is the
# preloaded variant of the placeholder test).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d /tmp/af-trust-preload.XXXXXX)
chmod 755 "$work"
cleanup() {
    AUDIT_FIELDS_KEEP_CLUSTER=0 scripts/pg_cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

scripts/pg_cluster.sh start "$work/pg" "shared_preload_libraries = 'audit_fields'"
# shellcheck disable=SC1091
source "$work/pg/env"
echo "trust_preload: cluster on port $PGPORT with shared_preload_libraries = audit_fields"
psql -X -q -At -c "SHOW shared_preload_libraries" | grep -qx audit_fields

tests=$(cd sql && ls trust_*.sql | sed 's/\.sql$//' | tr '\n' ' ')
if ! make -s installcheck REGRESS="$tests" \
    REGRESS_OPTS="--dbname=af_trust_preload --outputdir=$work/regress" >"$work/regress.log" 2>&1; then
    cat "$work/regress.log"
    cat "$work/regress/regression.diffs" 2>/dev/null || true
    echo "trust_preload: FAILED" >&2
    exit 1
fi
grep -E '^(ok|not ok|test |     )' "$work/regress.log" || grep -E 'ok|passed' "$work/regress.log"
echo "trust_preload: ok ($tests) under shared_preload_libraries"
