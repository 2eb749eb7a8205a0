#include "column_types.h"

#include <cstring>

namespace audit_fields {

namespace {
// Actor values arrive as text and go through the column type's input function, so any scalar type
// that can be typed in works: strings, numbers (user ids), enums and user-defined types (uuid).
bool is_scalar_actor_category(char category) {
    return std::strchr("SNUE", category) != nullptr && category != '\0';
}
} // namespace

TypeVerdict check_column_type(AuditColumn column, const ColumnTypeInfo& type) {
    if (kind_of(column) == ColumnKind::Timestamp) {
        if (type.base_type == kTimestampTz || type.base_type == kTimestamp)
            return {true, {}};
        return {false, "has type " + type.base_type +
                           "; expected timestamp with time zone or timestamp without time zone"};
    }
    if (is_scalar_actor_category(type.category))
        return {true, {}};
    return {false, "has type " + type.base_type +
                       "; expected a scalar type such as text, varchar, uuid, integer or bigint"};
}

bool is_timestamp_without_time_zone(const ColumnTypeInfo& type) {
    return type.base_type == kTimestamp;
}

} // namespace audit_fields
