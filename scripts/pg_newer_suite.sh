#!/usr/bin/env bash
# Unpacks PostgreSQL MAJOR from a newer Debian suite into ROOT, runnable on Debian 12 (bookworm),
# without installing anything into the system. Called by scripts/pg_runtime.sh for majors that
# bookworm does not package (17 from trixie, 18 from sid).
#
#   scripts/pg_newer_suite.sh MAJOR ROOT
#
# What it does, and why:
#  1. A private apt state (sources, lists, cache under $AUDIT_FIELDS_APT_DIR, default
#     /var/tmp/audit_fields-apt, shared by every checkout) that sees trixie and sid on the same
#     mirror and keyring as the system's bookworm sources. It only downloads; the system's apt
#     configuration, package lists and installed packages are never touched.
#  2. Downloads the server, client and server-dev packages of MAJOR from the oldest suite that
#     has them, plus every library they need that bookworm's installed packages cannot provide
#     (the suite's glibc always among them), and unpacks them all into ROOT with dpkg -x (files
#     only: no maintainer scripts, no dpkg database).
#  3. The newer binaries need the newer glibc, so each executable in bin/ (and pg_regress) is
#     replaced by a small script that starts the real file through the suite's own dynamic loader
#     with the suite's libraries first in the search path. The loader's --argv0 keeps the
#     program's path, from which PostgreSQL finds its share/ and lib/ directories and sibling
#     programs. Child processes (archive_command, ...) run with the system's libc as usual.
#  4. Fits the headers and PGXS to bookworm's compiler: see fit_to_bookworm below.
set -euo pipefail
umask 022

major=${1:?usage: pg_newer_suite.sh MAJOR ROOT}
root=${2:?usage: pg_newer_suite.sh MAJOR ROOT}
apt_dir=${AUDIT_FIELDS_APT_DIR:-/var/tmp/audit_fields-apt}
triplet=x86_64-linux-gnu
say() { echo "pg_newer_suite.sh: $*"; }
die() {
    echo "pg_newer_suite.sh: $*" >&2
    exit 1
}

# --- 1. private apt state -------------------------------------------------------------------------
mkdir -p "$apt_dir/etc" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
# shellcheck disable=SC2016 # apt's own $(...) format syntax
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | awk '$2 == "bookworm" {print $1; exit}')
[ -n "$mirror" ] || die "the system's apt sources have no bookworm mirror to take trixie and sid from"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "no $keyring (package debian-archive-keyring)"
cat >"$apt_dir/etc/newer.sources" <<EOF
Types: deb
URIs: $mirror
Suites: trixie sid
Components: main
Signed-By: $keyring
EOF
apt_private=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/etc"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o Dir::State::status=/dev/null -o APT::Sandbox::User=root)

# Two checkouts may prepare a runtime at once: one apt-get at a time on the shared state.
exec 9>"$apt_dir/lock"
flock 9
# Lists older than a day are refreshed: the archive serves only the latest minor of each suite,
# and packages it no longer serves cannot be downloaded.
if [ -z "$(find "$apt_dir/lists" -maxdepth 1 -name '*_Packages*' -mtime -1 -print -quit)" ]; then
    say "updating the private package lists (trixie, sid)"
    apt-get "${apt_private[@]}" -qq update
fi

suite=""
for candidate in trixie sid; do
    if apt-cache "${apt_private[@]}" madison "postgresql-server-dev-$major" | grep -q " $candidate/main "; then
        suite=$candidate
        break
    fi
done
[ -n "$suite" ] || die "PostgreSQL $major is in neither trixie nor sid"
apt_suite=("${apt_private[@]}" -o "APT::Default-Release=$suite")

# --- 2. packages -----------------------------------------------------------------------------------
# True when an installed bookworm package satisfies the dependency NAME [OP VERSION]. The 64-bit
# time_t transition renamed many libraries to NAMEt64 without an ABI change on amd64.
installed_satisfies() {
    local name=$1 op=$2 version=$3 have
    have=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "${name%t64}" 2>/dev/null |
        awk '$1 == "ii" {print $2}')
    [ -n "$have" ] || return 1
    [ -z "$op" ] || dpkg --compare-versions "$have" "$op" "$version"
}

# The library packages (lib*) reachable from the given packages' Depends and Pre-Depends that
# bookworm cannot provide. The walk stops at packages bookworm satisfies; libllvm is left out
# (only the JIT provider uses it, and the clusters run with jit = off).
libraries_needed() {
    local -a queue=("$@")
    local -A visited=()
    local package dependency name op version
    while [ ${#queue[@]} -gt 0 ]; do
        package=${queue[0]}
        queue=("${queue[@]:1}")
        # First alternative of each dependency, as "name op version" or "name".
        while read -r name op version; do
            [[ $name == lib* && $name != libllvm* ]] || continue
            [ -z "${visited[$name]:-}" ] || continue
            installed_satisfies "$name" "$op" "$version" && continue
            visited[$name]=1
            queue+=("$name")
            echo "$name"
        done < <(apt-cache "${apt_suite[@]}" show --no-all-versions "$package" |
            sed -n 's/^\(Pre-\)\?Depends: //p' | tr ',' '\n' | sed 's/|.*//' |
            sed -E 's/^ *([^ (]+)( *\(([<>=]+) *([^)]+)\))?.*/\1 \3 \4/')
    done
}

programs=("postgresql-$major" "postgresql-client-$major")
mapfile -t libraries < <(libraries_needed "${programs[@]}" | sort -u)
packages=("${programs[@]}" "postgresql-server-dev-$major" "${libraries[@]}")
say "PostgreSQL $major from $suite: ${packages[*]}"
(cd "$apt_dir/debs" && apt-get "${apt_suite[@]}" -qq download "${packages[@]/%//$suite}")
flock -u 9

rm -rf "$root"
mkdir -p "$root"
for package in "${packages[@]}"; do
    # The newest downloaded file of each package (older minors stay in the cache until removed).
    deb=$(ls -1 "$apt_dir/debs/${package}_"*.deb | sort -V | tail -n1)
    dpkg -x "$deb" "$root"
done

# --- 3. loader wrappers ----------------------------------------------------------------------------
loader=$root/usr/lib/$triplet/ld-linux-x86-64.so.2
[ -x "$loader" ] || die "no dynamic loader in the unpacked libc6 ($loader)"
library_path=$root/usr/lib/$triplet:$root/lib/$triplet
wrap() {
    local program=$1 real
    real=$(dirname "$program")/.real/$(basename "$program")
    mkdir -p "$(dirname "$real")"
    mv "$program" "$real"
    cat >"$program" <<EOF
#!/bin/sh
# PostgreSQL $major from Debian $suite, run by $suite's dynamic loader and glibc (see
# scripts/pg_newer_suite.sh in the audit_fields checkout that made this runtime).
GCONV_PATH=$root/usr/lib/$triplet/gconv exec "$loader" --library-path "$library_path" --argv0 "\$0" "$real" "\$@"
EOF
    chmod 755 "$program"
}
bindir=$root/usr/lib/postgresql/$major/bin
for program in "$bindir"/* "$root/usr/lib/postgresql/$major/lib/pgxs/src/test/regress/pg_regress"; do
    [ -f "$program" ] && [ "$(head -c 4 "$program")" = $'\x7fELF' ] && wrap "$program"
done

# --- 4. fit the headers and PGXS to bookworm's toolchain (this private copy only) ----------------
fit_to_bookworm() {
    # (a) pg_config.h says the suite's glibc (2.38+) declares strlcpy/strlcat; bookworm's 2.36
    #     does not, so port.h must declare them (the server exports its own implementations).
    local header=$root/usr/include/postgresql/$major/server/pg_config.h
    if ! printf '#include <string.h>\n' | gcc -D_GNU_SOURCE -E - | grep -qw strlcpy; then
        sed -i -E 's/^#define HAVE_DECL_(STRLCPY|STRLCAT) 1$/#define HAVE_DECL_\1 0/' "$header"
    fi
    # (b) Makefile.global carries the suite's gcc flags; drop each one bookworm's gcc/g++ rejects.
    # (c) No LLVM bitcode: it would need the suite's clang, and the clusters run with jit = off.
    local global=$root/usr/lib/postgresql/$major/lib/pgxs/src/Makefile.global spec variable language
    local compiler flag
    # shellcheck disable=SC2013 # one flag per word
    for spec in CFLAGS:c:gcc CXXFLAGS:c++:g++; do
        IFS=: read -r variable language compiler <<<"$spec"
        for flag in $(sed -n "s/^$variable = //p" "$global"); do
            # Rejected = the compiler fails on an empty file with it ("unrecognized", "unimplemented").
            # -Wall as in every PostgreSQL build: -Werror=format-security needs its -Wformat.
            if ! "$compiler" -Wall "$flag" -x "$language" -c /dev/null -o /dev/null 2>/dev/null; then
                say "$variable: dropping $flag (unknown to bookworm's $compiler)"
                sed -i "/^$variable = /s/ $flag\( \|\$\)/ /" "$global"
            fi
        done
    done
    sed -i 's/^with_llvm\s*=.*/with_llvm = no/' "$global"
}
fit_to_bookworm
say "$("$bindir/postgres" --version | cut -d' ' -f1-3) ($suite) unpacked into $root"
