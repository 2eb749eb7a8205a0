// The nine logical audit columns of docs/contract.md and what kind of value each one holds.
#pragma once
#include "no_postgres.h"

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace audit_fields {

enum class AuditColumn : unsigned char {
    CreatedAt,
    UpdatedAt,
    DeletedAt,
    CreatedBy,
    CreatedByName,
    UpdatedBy,
    UpdatedByName,
    DeletedBy,
    DeletedByName,
};

inline constexpr std::size_t kAuditColumnCount = 9;

// Timestamp columns take the clock; Actor columns take audit_fields.actor; ActorName columns take
// audit_fields.actor_name.
enum class ColumnKind : unsigned char { Timestamp, Actor, ActorName };

inline constexpr std::array<AuditColumn, kAuditColumnCount> kAllAuditColumns = {
    AuditColumn::CreatedAt,     AuditColumn::UpdatedAt,     AuditColumn::DeletedAt,
    AuditColumn::CreatedBy,     AuditColumn::CreatedByName, AuditColumn::UpdatedBy,
    AuditColumn::UpdatedByName, AuditColumn::DeletedBy,     AuditColumn::DeletedByName,
};

constexpr std::size_t index_of(AuditColumn c) {
    return static_cast<std::size_t>(c);
}

// The default (unmapped) column name, e.g. "created_by_name".
std::string_view default_name(AuditColumn c);
ColumnKind kind_of(AuditColumn c);
std::optional<AuditColumn> audit_column_from_name(std::string_view logical_name);

// Comma-separated list of all logical names, for error messages.
const char* all_logical_names();

} // namespace audit_fields
