// Which PostgreSQL types an audit column may have. Shared by enable(), the trigger's cache and the
// scanner (AF004, AF005), so that all three agree on what "usable" means.
#pragma once
#include "no_postgres.h"

#include "audit_columns.h"

#include <string>

namespace audit_fields {

// What the catalogs say about a column's type, with domains already resolved to their base type.
struct ColumnTypeInfo {
    std::string base_type; // format_type() of the base type, e.g. "timestamp with time zone"
    char category = 'X';   // pg_type.typcategory of the base type ('A' for arrays)
};

struct TypeVerdict {
    bool usable = false;
    std::string reason; // why not, when !usable: "has type integer; expected timestamptz or ..."
};

inline constexpr const char* kTimestampTz = "timestamp with time zone";
inline constexpr const char* kTimestamp = "timestamp without time zone";

TypeVerdict check_column_type(AuditColumn column, const ColumnTypeInfo& type);

// AF005: a usable timestamp column that stores local time without the zone.
bool is_timestamp_without_time_zone(const ColumnTypeInfo& type);

} // namespace audit_fields
