#include "table_scope.h"

namespace audit_fields::scan {

const char* const kTablesInScopeQuery =
    "SELECT c.oid FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE " AF_TABLE_SCOPE_PREDICATE "   AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))"
    " ORDER BY n.nspname, c.relname";

const char* const kTableInScopeQuery =
    "SELECT EXISTS (SELECT FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.oid = $1::pg_catalog.oid AND " AF_TABLE_SCOPE_PREDICATE ")";

bool is_system_schema(std::string_view schema) {
    return schema.substr(0, std::string_view(AF_SCOPE_SYSTEM_SCHEMA_PREFIX).size()) ==
               AF_SCOPE_SYSTEM_SCHEMA_PREFIX ||
           schema == AF_SCOPE_INFORMATION_SCHEMA || schema == AF_SCOPE_EXTENSION_SCHEMA;
}

bool table_in_scope(std::string_view schema, char relkind, bool is_partition) {
    return (relkind == AF_SCOPE_ORDINARY_TABLE || relkind == AF_SCOPE_PARTITIONED_TABLE) &&
           !is_partition && !is_system_schema(schema);
}

} // namespace audit_fields::scan
