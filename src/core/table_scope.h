// Which tables the scanner, enable_schema() and auto_enable look at: one definition. Ordinary and
// partitioned tables only; partitions are covered by their parent; never temporary tables, system
// schemas (pg_*, information_schema), the extension's own schema, or a table that belongs to an
// extension.
//
// Every consumer reads the catalogs with SQL (the CLI over libpq, the extension over SPI), so the
// rule is first SQL over pg_class c JOIN pg_namespace n. The rule engine (run_scan()) also takes
// tables described by hand (tests, the scanner's model); table_in_scope() judges those with the
// same rule, built from the same named parts, for what a description carries: schema, relkind,
// whether it is a partition. Temporary tables and extension members never reach a description
// (the catalog queries leave them out).
#pragma once
#include "no_postgres.h"

#include <string_view>

// The parts both forms are built from. Macros (not constants) so that the catalog queries can
// splice the predicate in at compile time.
#define AF_SCOPE_SYSTEM_SCHEMA_PREFIX "pg_"
#define AF_SCOPE_INFORMATION_SCHEMA "information_schema"
#define AF_SCOPE_EXTENSION_SCHEMA "audit_fields"
#define AF_SCOPE_ORDINARY_TABLE 'r'
#define AF_SCOPE_PARTITIONED_TABLE 'p'
// 'r' -> "'r'": a character literal is already an SQL one.
#define AF_SCOPE_SQL_CHAR_(c) #c
#define AF_SCOPE_SQL_CHAR(c) AF_SCOPE_SQL_CHAR_(c)

// clang-format off
#define AF_TABLE_SCOPE_PREDICATE                                                                   \
    "c.relkind IN (" AF_SCOPE_SQL_CHAR(AF_SCOPE_ORDINARY_TABLE) ", "                              \
                     AF_SCOPE_SQL_CHAR(AF_SCOPE_PARTITIONED_TABLE) ")"                             \
    " AND NOT c.relispartition AND c.relpersistence <> 't'"                                        \
    " AND n.nspname !~ '^" AF_SCOPE_SYSTEM_SCHEMA_PREFIX "'"                                       \
    " AND n.nspname NOT IN ('" AF_SCOPE_INFORMATION_SCHEMA "', '" AF_SCOPE_EXTENSION_SCHEMA "')"   \
    " AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend dep"                                        \
    "                 WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"              \
    "                   AND dep.objid = c.oid AND dep.deptype = 'e')"
// clang-format on

namespace audit_fields::scan {

// The tables in scope, $1 text[]: the schemas to look at, NULL for all. One column, oid.
extern const char* const kTablesInScopeQuery;
// Whether one table is in scope, $1 oid. One row, one boolean.
extern const char* const kTableInScopeQuery;

// Schemas never in scope: PostgreSQL's own (pg_*, information_schema) and the extension's.
bool is_system_schema(std::string_view schema);

// AF_TABLE_SCOPE_PREDICATE for a table described by its schema, relkind and whether it is a
// partition (a temporary table or an extension's table is never described).
bool table_in_scope(std::string_view schema, char relkind, bool is_partition);

} // namespace audit_fields::scan
