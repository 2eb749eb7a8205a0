#!/usr/bin/env bash
# Builds and installs the extension (PGXS) and builds the core, the CLI and the tests (CMake, in
# build/). Extra arguments go to CMake's configure step, e.g. -DAUDIT_FIELDS_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
make -s -j"$jobs" >/dev/null
make -s install >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"$jobs" >/dev/null
