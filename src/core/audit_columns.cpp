#include "audit_columns.h"

namespace audit_fields {

namespace {
constexpr std::array<std::string_view, kAuditColumnCount> kNames = {
    "created_at", "updated_at",      "deleted_at", "created_by",      "created_by_name",
    "updated_by", "updated_by_name", "deleted_by", "deleted_by_name",
};
} // namespace

std::string_view default_name(AuditColumn c) {
    return kNames[index_of(c)];
}

ColumnKind kind_of(AuditColumn c) {
    switch (c) {
    case AuditColumn::CreatedAt:
    case AuditColumn::UpdatedAt:
    case AuditColumn::DeletedAt:
        return ColumnKind::Timestamp;
    case AuditColumn::CreatedBy:
    case AuditColumn::UpdatedBy:
    case AuditColumn::DeletedBy:
        return ColumnKind::Actor;
    case AuditColumn::CreatedByName:
    case AuditColumn::UpdatedByName:
    case AuditColumn::DeletedByName:
        return ColumnKind::ActorName;
    }
    return ColumnKind::Timestamp;
}

std::optional<AuditColumn> audit_column_from_name(std::string_view logical_name) {
    for (AuditColumn c : kAllAuditColumns)
        if (kNames[index_of(c)] == logical_name)
            return c;
    return std::nullopt;
}

const char* all_logical_names() {
    return "created_at, updated_at, deleted_at, created_by, created_by_name, updated_by, "
           "updated_by_name, deleted_by, deleted_by_name";
}

} // namespace audit_fields
