// A table's configuration, read back from its trigger arguments, as one JSON object: what the SQL
// side (audit_fields.trigger_options(), the audit_fields.tables view) shows, parsed by the same
// code the trigger and the scanner use, so they cannot disagree.
#pragma once
#include "no_postgres.h"

#include <string>
#include <string_view>
#include <vector>

namespace audit_fields {

// pg_trigger.tgargs: every argument is followed by a NUL byte (a trailing argument without one is
// kept too).
std::vector<std::string> split_trigger_args(std::string_view bytes);

// {"stamp_mode": "force", "soft_delete": false, "on_created_change": "restore",
//  "missing_actor": null (follows the setting) or "warn"..., "columns": {"created_at":
//  "created_at", ...every logical column...}}
// or, when the arguments do not parse, {"error": "<why>"}.
std::string trigger_options_json(const std::vector<std::string>& trigger_args);

} // namespace audit_fields
