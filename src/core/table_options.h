// Per-table configuration: what audit_fields.enable() accepts and what the trigger's arguments
// carry. The trigger arguments are the single place the configuration lives, because pg_dump,
// pg_restore and partition cloning all carry them unchanged.
#pragma once
#include "no_postgres.h"

#include "audit_columns.h"

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

namespace audit_fields {

// FillOnInsert: INSERT as Fill (imports and backfills keep their historical values), UPDATE as
// Force (an ORM that re-sends every column, stale values included, cannot name the wrong editor).
enum class StampMode : unsigned char { Force, Fill, FillOnInsert };
enum class CreatedChange : unsigned char { Restore, Reject };
// The table's own answer to "a row needs an actor and none is set"; Setting follows the
// audit_fields.missing_actor setting.
enum class MissingActorPolicy : unsigned char { Setting, Reject, Warn, SessionUser, Allow };

// The policy part of the options: plain data the trigger can keep in a POD cache.
struct StampPolicy {
    StampMode mode = StampMode::Force;
    CreatedChange on_created_change = CreatedChange::Restore;
    bool soft_delete = false;
    MissingActorPolicy missing_actor = MissingActorPolicy::Setting;
};

struct TableOptions {
    StampPolicy policy;
    // Physical column name for each logical column; defaults to the logical name.
    std::array<std::string, kAuditColumnCount> column_names;
    // True where the user mapped the column explicitly: such a column must exist.
    std::array<bool, kAuditColumnCount> mapped{};

    TableOptions();
    const std::string& column_name(AuditColumn c) const { return column_names[index_of(c)]; }
};

// A configuration a user wrote that cannot be accepted. The message names the offending option.
class OptionError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

// Parses "key=value" items: stamp_mode, soft_delete, on_created_change, missing_actor, or a
// logical column name
// mapped to a physical one ("created_by=created_by_email"). Throws OptionError.
TableOptions parse_table_options(const std::vector<std::string>& items);

// The canonical "key=value" list for CREATE TRIGGER; parse_table_options() reads it back unchanged.
std::vector<std::string> format_trigger_args(const TableOptions& options);

const char* to_string(StampMode mode);
const char* to_string(CreatedChange change);
const char* to_string(MissingActorPolicy policy);

} // namespace audit_fields
