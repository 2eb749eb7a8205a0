// The core's parsers for the SQL-callable rule functions (rule_functions.cpp), with plain data in
// and out (boundary.h, rule 2): no PostgreSQL call, no C++ object outlives a call.
#pragma once

#include <cstddef>

namespace audit_fields::pg {

// Whether the comment takes the whole table out (scan, report, enable_schema, auto_enable all ask
// this). The reason, a substring of the comment, is copied into reason (at least
// strlen(comment) + 1 bytes). False on no marker or on any failure.
bool bridge_ignore_reason(const char* comment, char* reason, std::size_t reason_len) noexcept;

// pg_trigger.tgargs (bytes, len) as the core's JSON object (core/options_json.h). Writes it into
// out when it fits and returns its length; call again with a buffer of length + 1 bytes otherwise.
// 0 on failure (out of memory).
std::size_t bridge_trigger_options_json(const char* bytes, std::size_t len, char* out,
                                        std::size_t out_len) noexcept;

} // namespace audit_fields::pg
