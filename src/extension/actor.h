// The actor a stamped row records: audit_fields.actor / actor_name, or the missing-actor policy.
#pragma once

#include "stamp_plan.h"

#include "pg.h"

namespace audit_fields::pg {

struct ActorText {
    const char* actor; // nullptr: write NULL (missing_actor = allow)
    const char* name;
};

// For a row that needs an actor. Under missing_actor = reject with no actor set, raises SQLSTATE
// 23502 naming the table and the operation ("INSERT", "UPDATE", "DELETE (soft delete)").
ActorText current_actor_text(Relation rel, const char* operation);

// The actor text as a value of the column's type, converted once and reused while the text stays
// the same (so once per statement, not per row). A value that does not fit the column raises an
// error naming the column, with the type's own reason.
Datum actor_datum(StampPlan* plan, AuditColumn column, const char* text, Relation rel);

} // namespace audit_fields::pg
