// The actor a stamped row records: audit_fields.actor / actor_name, or the missing-actor policy.
#pragma once

#include "trigger_cache.h" // first: it brings the core headers before pg.h
#include "settings.h"

#include "pg.h"

namespace audit_fields::pg {

struct ActorText {
    const char* actor; // nullptr: write NULL (missing_actor = allow)
    const char* name;
};

// For a row that needs an actor. With no actor set, the table's missing_actor option applies, else
// the audit_fields.missing_actor setting: reject raises SQLSTATE 23502 naming the table and the
// operation ("INSERT", "UPDATE", "DELETE (soft delete)"); warn writes session_user, warns once per
// statement and table, and counts the miss (missing_actor_report.h) unless count_miss is false
// (planner stamping asks once per actor column of a row, and counts only one of them).
ActorText current_actor_text(const TriggerCache* cache, Relation rel, RowEvent event,
                             bool count_miss = true);

// The policy that applies to this table when no actor is set.
MissingActor effective_missing_actor(const StampPolicy& policy);

// The actor text as a value of the column's type, converted once and reused while the text stays
// the same (so once per statement, not per row). A value that does not fit the column raises an
// error naming the column, with the type's own reason.
Datum actor_datum(TriggerCache* cache, AuditColumn column, const char* text, Relation rel);

} // namespace audit_fields::pg
