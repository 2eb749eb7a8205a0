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
make -s -j"$jobs" >/dev/null
make -s install >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"$jobs" >/dev/null
