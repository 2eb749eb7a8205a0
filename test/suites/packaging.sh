#!/usr/bin/env bash
# The packaging metadata agrees with the tree, cheaply (scripts/package_test.sh builds and installs
# the real packages in CI):
#  - META.json (PGXN) is valid JSON whose versions are the control file's default_version;
#  - debian/changelog's version is that version too, and debian/control is what
#    `pg_buildext updatecontrol` makes from debian/control.in;
#  - an out-of-tree make (`make -f /checkout/Makefile`, as pg_buildext does) sees the same
#    sources, regression tests and SQL scripts as the in-tree build, and generates identical SQL.
# JSON is parsed by the test cluster's jsonb (the PG* environment), so no extra tool is needed.
# matrix: once (checks files of the tree; the server only parses JSON)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d /tmp/af-packaging.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "packaging: $*" >&2
    exit 1
}

extversion=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" audit_fields.control)
semver=$extversion
[[ $semver == *.*.* ]] || semver=$extversion.0
# (on stdin: psql interpolates :'meta' there, not in -c)
meta=$(psql -X -At -v ON_ERROR_STOP=1 -v meta="$(cat META.json)" <<'SQL'
SELECT concat_ws(' ', m->>'name', m->>'version', m->'provides'->'audit_fields'->>'version',
                 m->'provides'->'audit_fields'->>'file', m->'meta-spec'->>'version')
FROM (SELECT :'meta'::jsonb AS m) s
SQL
) || fail "META.json is not valid JSON"
[ "$meta" = "audit_fields $semver $semver audit_fields.control 1.0.0" ] ||
    fail "META.json says '$meta'; expected name, version and provided version $semver (control: $extversion)"
echo "packaging: META.json valid, version $semver = audit_fields.control's $extversion"

changelog=$(dpkg-parsechangelog -l debian/changelog -S Version)
[ "$changelog" = "$extversion" ] || fail "debian/changelog is at $changelog, the control file at $extversion"
cp -a debian "$work/debian"
(cd "$work" && pg_buildext updatecontrol >/dev/null 2>&1)
diff -u debian/control "$work/debian/control" ||
    fail "debian/control is stale: run pg_buildext updatecontrol"
echo "packaging: debian/changelog at $changelog; debian/control matches debian/control.in"

# shellcheck disable=SC2016 # make syntax
print_vars='print-%: ; @echo $($*)'
for var in OBJS REGRESS DATA_built; do
    in_tree=$(make -s --no-print-directory --eval "$print_vars" "print-$var")
    out_of_tree=$(make -s --no-print-directory -C "$work" -f "$root/Makefile" --eval "$print_vars" "print-$var")
    [ -n "$in_tree" ] && [ "$in_tree" = "$out_of_tree" ] ||
        fail "out-of-tree make sees $var='$out_of_tree', in-tree '$in_tree'"
done
install_script=audit_fields--$extversion.sql
# -B: through VPATH, make would otherwise take the in-tree script as the target, already made.
make -s -B -C "$work" -f "$root/Makefile" "$install_script" >/dev/null
make -s "$install_script" >/dev/null
cmp -s "$install_script" "$work/$install_script" || fail "out-of-tree $install_script differs"
echo "packaging: out-of-tree make -f sees the same objects, tests and scripts; $install_script identical"
echo "packaging: ok"
