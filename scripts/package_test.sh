#!/usr/bin/env bash
# The Debian packages, end to end, as a user would get them:
#   1. dpkg-buildpackage -b -us -uc on a clean copy of the checkout builds
#      postgresql-15-audit-fields (the extension, through pg_buildext's out-of-tree build) and
#      audit-fields-scan (the CLI, through CMake);
#   2. dpkg -i installs both into the system (the system's PostgreSQL 15, /usr/bin);
#   3. a throwaway cluster of the system's PostgreSQL 15 (not this checkout's private runtime)
#      runs the whole pg_regress suite against the installed extension, and the installed CLI
#      scans it.
# Writes the system's directories, so CI runs it (.ci/run), once; afterwards the packages are
# removed again unless they were installed before (AUDIT_FIELDS_KEEP_PACKAGES=1 keeps them).
# As root. Needs debhelper, dpkg-dev, postgresql-server-dev-all (scripts/deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
say() { printf '\n==> %s\n' "$*"; }
die() {
    echo "package_test: $*" >&2
    exit 1
}
[ "$(id -u)" = 0 ] || die "run as root (dpkg -i)"
scripts/deps.sh

version=$(dpkg-parsechangelog -l debian/changelog -S Version)
extversion=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" audit_fields.control)
[ "$version" = "$extversion" ] ||
    die "debian/changelog is at $version but audit_fields.control at $extversion: add a changelog entry"
pgbin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /var/tmp/af-package.XXXXXX)
chmod 755 "$work"
installed_before=$(dpkg-query -W -f='${db:Status-Abbrev}' postgresql-15-audit-fields 2>/dev/null || true)
cleanup() {
    if [ -f "$work/pg/data/postmaster.pid" ]; then
        runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "${AUDIT_FIELDS_KEEP_PACKAGES:-0}" != 1 ] && [ "${installed_before:0:2}" != ii ]; then
        dpkg -r postgresql-15-audit-fields audit-fields-scan >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- 1. build ------------------------------------------------------------------------------------
# A clean copy: in-tree objects of the checkout (built for whichever major ran last) would
# otherwise be found through VPATH and packaged.
say "dpkg-buildpackage -b -us -uc (audit-fields $version)"
mkdir "$work/src"
tar -C "$root" --exclude=./.git --exclude=./build --exclude='*.o' --exclude='*.bc' --exclude='*.so' \
    --exclude='*.d' --exclude='./audit_fields--*.sql' --exclude=./results --exclude=./regression.\* \
    -cf - . | tar -C "$work/src" -xf -
start=$SECONDS
if ! (cd "$work/src" && DEB_BUILD_OPTIONS="parallel=2 nocheck" dpkg-buildpackage -b -us -uc \
    >"$work/build.log" 2>&1); then
    tail -n 40 "$work/build.log"
    die "dpkg-buildpackage failed"
fi
grep -E '(warning|error):' "$work/build.log" | grep -v '^dpkg-' || true
ext_deb=$(ls "$work"/postgresql-15-audit-fields_"$version"_*.deb)
cli_deb=$(ls "$work"/audit-fields-scan_"$version"_*.deb)
echo "built in $((SECONDS - start)) s: $(basename "$ext_deb") $(basename "$cli_deb")"
dpkg-deb -c "$ext_deb" | awk '{print $NF}' | grep -E '\.(so|control|sql)$'
dpkg-deb -c "$cli_deb" | awk '{print $NF}' | grep -E 'bin/'

# --- 2. install ----------------------------------------------------------------------------------
say "dpkg -i"
dpkg -i "$ext_deb" "$cli_deb" >/dev/null
dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\n' postgresql-15-audit-fields audit-fields-scan
[ -f "$(/usr/lib/postgresql/15/bin/pg_config --pkglibdir)/audit_fields.so" ] || die "no audit_fields.so in the system"
[ -x /usr/bin/audit-fields-scan ] || die "no /usr/bin/audit-fields-scan"

# --- 3. pg_regress on the system's PostgreSQL 15 -------------------------------------------------
say "pg_regress against the system's PostgreSQL 15 with the installed package"
mkdir "$work/pg"
chown postgres: "$work/pg"
cd "$work" # the postgres user may not be able to enter the checkout
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; exit 1; }
cat >>"$work/pg/data/postgresql.auto.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$work/pg'
fsync = off
log_min_messages = warning
lc_messages = 'C'
EOF
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 120 start \
    >/dev/null || { tail -n 20 "$work/pg/server.log"; exit 1; }
export PGHOST=$work/pg PGPORT=5432 PGUSER=postgres PGDATABASE=postgres

# Proof of what is under test: the backend maps the packaged library from the system's $libdir.
maps=$("$pgbin/psql" -X -At -c "LOAD 'audit_fields'" \
    -c "SELECT pg_read_file('/proc/' || pg_backend_pid() || '/maps')" | grep -o '/[^ ]*audit_fields\.so' | sort -u)
echo "server: $("$pgbin/psql" -X -At -c 'SELECT version()')"
echo "loaded: $maps (owned by $(dpkg -S "$maps" | cut -d: -f1))"
[ "$maps" = "$(/usr/lib/postgresql/15/bin/pg_config --pkglibdir)/audit_fields.so" ] ||
    die "the backend did not load the packaged audit_fields.so"

# The suite's own test list and options, from the Makefile; pg_regress and psql of the system.
# shellcheck disable=SC2016 # make syntax
print_var() { make -s --no-print-directory -C "$work/src" PG_CONFIG="$pgbin/pg_config" --eval 'print-%: ; @echo $($*)' "print-$1"; }
mkdir "$work/regress"
# shellcheck disable=SC2046 # word lists
if ! /usr/lib/postgresql/15/lib/pgxs/src/test/regress/pg_regress --inputdir="$work/src" \
    --outputdir="$work/regress" --bindir="$pgbin" $(print_var REGRESS_OPTS) $(print_var REGRESS); then
    cat "$work/regress/regression.diffs" 2>/dev/null | head -80
    die "pg_regress failed against the installed package"
fi

# The packaged CLI scans the same server.
"$pgbin/psql" -X -q -c "CREATE TABLE public.no_audit (id int)" -c "CREATE TABLE public.audited (id int,
    created_at timestamptz, updated_at timestamptz)" -c "CREATE EXTENSION audit_fields" \
    -c "SELECT audit_fields.enable('public.audited')" >/dev/null
status=0
/usr/bin/audit-fields-scan --schema public --format text >"$work/scan.txt" 2>&1 || status=$?
cat "$work/scan.txt"
[ "$status" = 1 ] && grep -q AF001 "$work/scan.txt" ||
    die "the packaged audit-fields-scan did not report public.no_audit (exit $status)"
echo "package_test: ok (built, installed, pg_regress passed on the system's PostgreSQL 15, CLI works)"
