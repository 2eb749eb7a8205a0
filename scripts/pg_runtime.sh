#!/usr/bin/env bash
# Makes the private PostgreSQL runtime of this checkout (see scripts/pg_env.sh): a copy of
# PostgreSQL $PG_MAJOR under $AF_RUNTIME/root laid out like Debian's packages
# (usr/lib/postgresql/N/{bin,lib}, usr/share/postgresql/N). PostgreSQL finds its share/ and lib/
# directories relative to the running binary, so the copy runs on its own files and the extension
# is installed into it, never into the system's directories. Idempotent.
#
# 15: copied from the system's packages (scripts/deps.sh installs them).
set -euo pipefail
# shellcheck source=scripts/pg_env.sh
source "$(dirname "$0")/pg_env.sh"
umask 022 # the postgres user reads the runtime

root=$AF_RUNTIME/root
[ -e "$AF_RUNTIME/.ready" ] && exit 0
mkdir -p "$AF_STATE" "$AF_RUNTIME"
chmod 755 "$AF_STATE" "$AF_RUNTIME"
case $PG_MAJOR in
15)
    rm -rf "$root"
    mkdir -p "$root/usr/lib/postgresql" "$root/usr/share/postgresql"
    cp -a "/usr/lib/postgresql/$PG_MAJOR" "$root/usr/lib/postgresql/"
    cp -a "/usr/share/postgresql/$PG_MAJOR" "$root/usr/share/postgresql/"
    # Headers and shared libraries are only read: the system's serve.
    ln -s /usr/include "$root/usr/include"
    ln -s /usr/lib/x86_64-linux-gnu "$root/usr/lib/x86_64-linux-gnu"
    ;;
*)
    echo "pg_runtime.sh: PostgreSQL $PG_MAJOR is not supported here" >&2
    exit 2
    ;;
esac
"$AF_PGBIN/pg_config" --version >/dev/null
touch "$AF_RUNTIME/.ready"
echo "pg_runtime.sh: PostgreSQL $PG_MAJOR runtime in $AF_RUNTIME"
