// Which tables the scanner, enable_schema() and auto_enable look at: one definition, as SQL over
// pg_class c JOIN pg_namespace n, because every consumer reads the catalogs with SQL (the CLI over
// libpq, the extension over SPI). Ordinary and partitioned tables only; partitions are covered by
// their parent; never temporary tables, system schemas (pg_*, information_schema), the extension's
// own schema, or a table that belongs to an extension.
#pragma once
#include "no_postgres.h"

// A macro (not a constant) so that the catalog queries can splice it in at compile time.
#define AF_TABLE_SCOPE_PREDICATE                                                                   \
    "c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence <> 't'"                 \
    " AND n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'audit_fields')"         \
    " AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend dep"                                        \
    "                 WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"              \
    "                   AND dep.objid = c.oid AND dep.deptype = 'e')"

namespace audit_fields::scan {

// The tables in scope, $1 text[]: the schemas to look at, NULL for all. One column, oid.
extern const char* const kTablesInScopeQuery;
// Whether one table is in scope, $1 oid. One row, one boolean.
extern const char* const kTableInScopeQuery;

} // namespace audit_fields::scan
