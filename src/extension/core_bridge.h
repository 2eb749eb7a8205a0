// Calls into the C++ core with plain data in and out (boundary.h, rule 2): nothing here allocates
// with palloc or calls PostgreSQL, and no C++ object outlives the call, so PostgreSQL code may
// call these freely and raise errors afterwards.
#pragma once

#include "core/stamp_rules.h"
#include "core/table_options.h"

#include <cstddef>

namespace audit_fields::pg {

inline constexpr std::size_t kNameLen = 64; // NAMEDATALEN
inline constexpr std::size_t kMaxArgs = 16; // 3 policy options + 9 column names, with room
inline constexpr std::size_t kArgLen = 96;  // "updated_by_name=" + a 63-byte name
inline constexpr std::size_t kMessageLen = 512;

struct PlainOptions {
    StampPolicy policy;
    char column_names[kAuditColumnCount][kNameLen];
    bool mapped[kAuditColumnCount];
    // Canonical trigger arguments (format_trigger_args).
    char args[kMaxArgs][kArgLen];
    int nargs;
};

// Parses "key=value" items. Returns false and fills error on bad input.
bool parse_options(const char* const* items, int nitems, PlainOptions* out, char* error,
                   std::size_t error_len) noexcept;

// Fills reason and returns false when the type cannot hold the column's values.
bool check_type(AuditColumn column, const char* base_type, char category, char* reason,
                std::size_t reason_len) noexcept;

} // namespace audit_fields::pg
