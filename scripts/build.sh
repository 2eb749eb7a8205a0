#!/usr/bin/env bash
# Builds the extension (PGXS) against this checkout's PostgreSQL runtime and installs it there
# (scripts/pg_runtime.sh: never into the system's directories), then builds the core, the CLI and
# the tests (CMake, in build/). Extra arguments go to CMake's configure step, e.g.
# -DAUDIT_FIELDS_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pg_env.sh
source scripts/pg_env.sh
scripts/pg_runtime.sh
jobs=$(nproc)
# PGXS builds in the tree, for one major at a time: after a build for another major, start clean.
built_for=$AF_STATE/objects-built-for
if [ "$(cat "$built_for" 2>/dev/null)" != "$PG_MAJOR" ]; then
    make -s clean >/dev/null
    echo "$PG_MAJOR" >"$built_for"
fi
make -s -j"$jobs" >/dev/null
make -s install >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"$jobs" >/dev/null
