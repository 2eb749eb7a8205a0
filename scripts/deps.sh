#!/usr/bin/env bash
# Installs what building and testing audit_fields needs, from Debian's packages. Idempotent: a
# machine that has everything is left alone (no apt-get update, no network).
set -euo pipefail

packages=(
    build-essential cmake pkg-config clang-format
    postgresql-15 postgresql-server-dev-15 postgresql-client-15 libpq-dev
    libgtest-dev libgmock-dev
    libtomlplusplus-dev nlohmann-json3-dev # scanner configuration (TOML), JSON/SARIF reports
    clang-14 libclang-rt-14-dev # libFuzzer and sanitizers
    valgrind
    debhelper dpkg-dev postgresql-server-dev-all # the Debian packages (scripts/package_test.sh)
    python3-sqlalchemy python3-psycopg2 python3-asyncpg python3-django nodejs # examples/
    python3 # the planner_stamping suite generates its corpus (test/suites/lib/)
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm is part of some nodejs builds (which then conflict with Debian's npm package) and a package
# of its own in Debian's.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "deps.sh: missing packages (${missing[*]}); run as root to install them" >&2
        exit 1
    fi
    echo "deps.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
