#!/usr/bin/env bash
# The main job in one command: installs what is needed, builds and installs audit_fields, starts a
# throwaway PostgreSQL cluster (listening on a Unix socket only), creates a small multi-tenant application
# schema, and shows the database enforcing its audit fields, including a rejected write.
# The cluster keeps running afterwards so you can look around; the last lines say how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> installing dependencies, building, installing the extension"
scripts/deps.sh
scripts/build.sh

# shellcheck source=scripts/pg_env.sh
source scripts/pg_env.sh
cluster=${AUDIT_FIELDS_DEMO_DIR:-$AF_RUNTIME/clusters/demo}
scripts/pg_cluster.sh stop "$cluster" >/dev/null 2>&1 || true
scripts/pg_cluster.sh start "$cluster"
# shellcheck disable=SC1091
source "$cluster/env"
echo "==> throwaway PostgreSQL $PG_MAJOR cluster, Unix socket in $cluster"
echo

psql -X -q -v ON_ERROR_STOP=0 --echo-queries -P pager=off -f scripts/demo.sql 2>&1

if [ -x build/audit-fields-scan ]; then
    echo
    echo "==> audit-fields-scan: which tables are covered?"
    build/audit-fields-scan --schema app || true
fi

cat <<DONE

==> done. The cluster is still running:
    source $cluster/env && psql          # look around (database postgres, schema app)
    scripts/pg_cluster.sh stop $cluster  # stop and delete it
DONE
