#!/usr/bin/env bash
# The ORM integration examples (examples/, described in docs/integrations.md), each run against the
# test cluster (PG* variables) in a database of its own: SQLAlchemy 1.4 sync and asyncio, Django 3.2
# (Debian's packages, Debian's python3), Sequelize 6 and TypeORM 0.3 (npm, from the lockfile).
# Fails if any example fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
# Debian's interpreter, whatever python3 comes first in PATH: the libraries are Debian's packages.
python=/usr/bin/python3

failed=()
run() { # name, command...
    local name=$1
    shift
    echo "examples: $name"
    if "$@"; then
        echo "examples: $name ok"
    else
        echo "examples: $name FAILED" >&2
        failed+=("$name")
    fi
}

run "SQLAlchemy 1.4 sync (psycopg2)" "$python" examples/sqlalchemy/sync_example.py
run "SQLAlchemy 1.4 asyncio (asyncpg)" "$python" examples/sqlalchemy/async_example.py
run "Django 3.2" "$python" examples/django/test_example.py

# npm ci only when the installed tree is not the lockfile's (npm ci always starts from scratch).
node_dir=$root/examples/node
if ! cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.installed-from-lock.json"; then
    (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$node_dir/package-lock.json" "$node_dir/node_modules/.installed-from-lock.json"
fi
run "Sequelize 6 and TypeORM 0.3 (pg)" \
    bash -c 'cd examples/node && node --test sequelize/sequelize.test.js typeorm/typeorm.test.js'

if [ ${#failed[@]} -gt 0 ]; then
    echo "examples: failed: ${failed[*]}" >&2
    exit 1
fi
echo "examples: ok (5 stacks)"
