# Sourced by the scripts: where this checkout keeps its PostgreSQL runtime and its clusters.
#
#   PG_MAJOR        the PostgreSQL major to build and test against (default 15)
#   AF_STATE        per-checkout state directory, reachable by the postgres user (clusters there
#                   work from a checkout in /root, which the postgres user cannot enter). Override
#                   with AUDIT_FIELDS_STATE_DIR.
#   AF_RUNTIME      $AF_STATE/pg$PG_MAJOR: a private copy of that PostgreSQL, into which the
#                   extension is installed, so two checkouts never overwrite each other's library
#   AF_PGBIN        its bin directory (first in PATH once sourced): pg_config, postgres, psql, ...
# shellcheck shell=bash
af_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
AF_STATE=${AUDIT_FIELDS_STATE_DIR:-/var/tmp/audit_fields-$(printf '%s' "$af_root" | sha1sum | cut -c1-12)}
AF_RUNTIME=$AF_STATE/pg$PG_MAJOR
AF_PGBIN=$AF_RUNTIME/root/usr/lib/postgresql/$PG_MAJOR/bin
export PG_MAJOR AF_STATE AF_RUNTIME AF_PGBIN
case ":$PATH:" in
*":$AF_PGBIN:"*) ;;
*) export PATH="$AF_PGBIN:$PATH" ;;
esac
export PG_CONFIG=$AF_PGBIN/pg_config
