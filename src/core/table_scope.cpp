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

} // namespace audit_fields::scan
